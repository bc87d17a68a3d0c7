use passerelle::*;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let imported = import_path(&path, &ImportOptions::default()).unwrap();
    let mut d = imported.directory;
    d.meta.timezone = Some("America/Los_Angeles".into());
    let (nav, _) = Navigator::build(d, NavigatorOptions::default()).unwrap();
    for q in std::env::args().skip(2) {
        let at: jiff::Timestamp = "2026-11-18T20:00:00Z".parse().unwrap();
        let r = nav.search(&Query::new([Need::text(q.as_str())]).at(at).limit(std::env::var("LIM").ok().and_then(|v| v.parse().ok()).unwrap_or(8))).unwrap();
        println!("== {q}: total {} understood {:?} nomatch {:?}", r.needs[0].total, r.needs[0].understood_as, r.needs[0].no_match);
        let f = std::env::var("F").unwrap_or_default();
        for m in r.matches().filter(|m| m.service_name.value.contains(f.as_str())) {
            let need = m.breakdown.factors.iter().find(|f| f.factor == Factor::Need).map(|f| f.value);
            println!("  {:.3} need {:?} {:?} crisis {} {}", m.score, need, m.need_match, m.crisis_line, m.service_name.value);
            if std::env::var("BD").is_ok() { for f in &m.breakdown.factors { if let Some(v) = f.value { print!(" {}={:.2}", f.factor, v); } } println!(); }
        }
    }
}
