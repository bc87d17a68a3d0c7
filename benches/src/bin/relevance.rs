//! Relevance suite: labelled needs on real directories, answered by passerelle and, on the
//! same queries in the same run, by the SQLite FTS5 and tantivy text peers
//! (`passerelle_benches::peers::text`). Prints hit@1, hit@3 and MRR (over the first 10
//! services) per engine, overall and by language and kind. passerelle answers a resident at
//! the data set's centre (San Mateo 37.53, -122.29; Baltimore 39.29, -76.61) within 100 km,
//! with default weights; the text peers rank by text only.
//!
//! ```text
//! cargo run --release -p passerelle-benches --bin relevance            # both data sets
//! cargo run --release -p passerelle-benches --bin relevance -- --misses  # list passerelle's misses
//! cargo run --release -p passerelle-benches --bin relevance -- --pool 5 /tmp/pool  # judging pools
//! ```
//!
//! `--pool K DIR` writes, per data set, `DIR/<data set>.pool.txt`: for every query the union of
//! the first K distinct services of the three engines, sorted by id so the judge cannot tell
//! which engine returned what, with each service's name, organization, categories, a
//! description excerpt and whether the labels already list it (`L`) or not (`?`). Write it
//! outside the repository: it holds record text (Baltimore's may not be copied in).
//!
//! Labels: `core/tests/data/relevance/<data set>.tsv`, one query a line: language, tags
//! (`crisis`, `typo`, `multi`, comma-separated or `-`), the need as typed, the service ids a
//! navigator expects in the top 3 (space-separated), and why; optionally the ids judged relevant
//! later from the pools (space-separated, `-` for none) and why. Both id lists count as
//! expected. San Mateo is read from the
//! repository (`core/tests/data/hsds/smc-ohana-full`); Baltimore from
//! `../shared/data/baltimore-charmcare/hsds` (or `$PASSERELLE_BALTIMORE`), evaluation only,
//! skipped when absent.

use std::path::{Path, PathBuf};

use passerelle::{
    import_path, model::GeoPoint, Directory, ImportOptions, Navigator, NavigatorOptions, Need,
    Query,
};
use passerelle_benches::peers::text::{SqliteText, TantivyText};

/// One labelled query.
struct Label {
    lang: String,
    tags: Vec<String>,
    query: String,
    expected: Vec<String>,
}

fn read_labels(path: &Path) -> Vec<Label> {
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {}", path.display());
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let (lang, tags, query, expected) =
                (cols.first()?, cols.get(1)?, cols.get(2)?, cols.get(3)?);
            Some(Label {
                lang: lang.trim().to_owned(),
                tags: tags
                    .split(',')
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty() && t != "-")
                    .collect(),
                query: query.trim().to_owned(),
                expected: expected
                    .split_whitespace()
                    .chain(cols.get(5).map_or("", |c| c.trim()).split_whitespace())
                    .filter(|id| *id != "-")
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

fn load(path: &Path, tz: &str) -> Option<Directory> {
    let imported = import_path(path, &ImportOptions::default()).ok()?;
    let mut d = imported.directory;
    if d.meta.timezone.is_none() {
        d.meta.timezone = Some(tz.into());
    }
    Some(d)
}

#[derive(Default, Clone, Copy)]
struct Tally {
    n: usize,
    hit1: usize,
    hit3: usize,
    rr: f64,
}

impl Tally {
    fn add(&mut self, rank: Option<usize>) {
        self.n += 1;
        if let Some(r) = rank {
            if r == 1 {
                self.hit1 += 1;
            }
            if r <= 3 {
                self.hit3 += 1;
            }
            self.rr += 1.0 / r as f64;
        }
    }
    fn row(&self) -> String {
        let n = self.n.max(1) as f64;
        format!(
            "{:>4} | {:.3} | {:.3} | {:.3}",
            self.n,
            self.hit1 as f64 / n,
            self.hit3 as f64 / n,
            self.rr / n
        )
    }
}

/// Rank (1-based) of the first expected id among the first 10 distinct services.
fn rank_of(found: &[String], expected: &[String]) -> Option<usize> {
    let mut seen: Vec<&str> = Vec::new();
    for id in found {
        if !seen.contains(&id.as_str()) {
            seen.push(id);
        }
        if seen.len() > 10 {
            break;
        }
    }
    seen.iter()
        .take(10)
        .position(|id| expected.iter().any(|e| e == id))
        .map(|p| p + 1)
}

/// The first `k` distinct ids of a ranking.
fn top_k(found: &[String], k: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in found {
        if out.len() >= k {
            break;
        }
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

/// One line per pooled service: id, labelled flag, name, organization, categories, excerpt.
fn describe(dir: &Directory, id: &str, labelled: bool) -> String {
    let one_line = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(s) = dir.services.iter().find(|s| s.id == id) else {
        return format!(
            "{id}\t{}\t(unknown service)",
            if labelled { "L" } else { "?" }
        );
    };
    let org = dir
        .organizations
        .iter()
        .find(|o| o.id == s.organization_id)
        .map_or(String::new(), |o| o.name.value.clone());
    let cats: Vec<String> = dir
        .attributes
        .iter()
        .filter(|a| a.link_id == s.id)
        .filter_map(|a| {
            dir.taxonomy_terms
                .iter()
                .find(|t| t.id == a.taxonomy_term_id)
                .map(|t| t.name.value.clone())
        })
        .collect();
    let desc: String = one_line(&s.description.value).chars().take(300).collect();
    format!(
        "{id}\t{}\t{} | org: {} | cats: {} | {}",
        if labelled { "L" } else { "?" },
        one_line(&s.name.value),
        one_line(&org),
        cats.join("; "),
        desc
    )
}

/// A resident at the data set's centre: in-person services count within `RADIUS_M`.
const RADIUS_M: f64 = 100_000.0;

fn passerelle_ids(nav: &Navigator, text: &str, centre: (f64, f64)) -> (Vec<String>, bool) {
    let at: jiff::Timestamp = "2026-11-18T20:00:00Z".parse().unwrap_or_default();
    let mut q = Query::new([Need::text(text)]).at(at).limit(30);
    if let Ok(p) = GeoPoint::new(centre.0, centre.1) {
        q = q.near(p, RADIUS_M);
    }
    match nav.search(&q) {
        Ok(res) => {
            let crisis_first = res
                .needs
                .first()
                .and_then(|n| n.matches.first())
                .is_some_and(|m| m.crisis_line);
            (
                res.matches().map(|m| m.service_id.clone()).collect(),
                crisis_first,
            )
        }
        Err(_) => (Vec::new(), false),
    }
}

/// What to print besides the figures.
struct Extras {
    misses: bool,
    /// `K` and the file the pools go to.
    pool: Option<(usize, PathBuf)>,
}

fn run(name: &str, dir: Directory, centre: (f64, f64), labels: &[Label], extras: &Extras) {
    let misses = extras.misses;
    let mut pool_text = String::new();
    let mut pool_count = (0usize, 0usize);
    let (nav, _) = match Navigator::build(dir.clone(), NavigatorOptions::default()) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("{name}: {e}");
            return;
        }
    };
    let sqlite = SqliteText::build(&dir).ok();
    let mut tantivy = TantivyText::build(&dir).ok();
    let groups = ["all", "en", "fr", "crisis", "typo", "multi"];
    let mut tallies = vec![[Tally::default(); 3]; groups.len()];
    let mut crisis_first = (0usize, 0usize);
    let name_of = |id: &str| {
        dir.services
            .iter()
            .find(|s| s.id == id)
            .map_or(String::new(), |s| s.name.value.clone())
    };
    for l in labels {
        let (p, first) = passerelle_ids(&nav, &l.query, centre);
        let s = sqlite
            .as_ref()
            .and_then(|e| e.search(&l.query, 10).ok())
            .unwrap_or_default();
        let t = tantivy
            .as_mut()
            .and_then(|e| e.search(&l.query, 10).ok())
            .unwrap_or_default();
        let ranks = [
            rank_of(&p, &l.expected),
            rank_of(&s, &l.expected),
            rank_of(&t, &l.expected),
        ];
        if let Some((k, _)) = &extras.pool {
            let mut ids: Vec<String> = [&p, &s, &t].iter().flat_map(|r| top_k(r, *k)).collect();
            ids.sort();
            ids.dedup();
            pool_text.push_str(&format!("\n## [{}] {}\n", l.lang, l.query));
            for id in &ids {
                let labelled = l.expected.contains(id);
                pool_count.0 += 1;
                if !labelled {
                    pool_count.1 += 1;
                }
                pool_text.push_str(&describe(&dir, id, labelled));
                pool_text.push('\n');
            }
        }
        let is_crisis = l.tags.iter().any(|t| t == "crisis");
        if is_crisis {
            crisis_first.0 += 1;
            if first {
                crisis_first.1 += 1;
            }
        }
        if misses && ranks[0].is_none_or(|r| r > 3) {
            let mut top: Vec<String> = Vec::new();
            for id in &p {
                if !top.contains(id) {
                    top.push(id.clone());
                }
            }
            println!(
                "MISS [{}] {:?} rank {:?} (sqlite {:?}, tantivy {:?}); top: {:?}",
                l.lang,
                l.query,
                ranks[0],
                ranks[1],
                ranks[2],
                top.iter().take(3).map(|i| name_of(i)).collect::<Vec<_>>()
            );
        }
        for (g, tally) in groups.iter().zip(tallies.iter_mut()) {
            let member = *g == "all" || l.lang == *g || l.tags.iter().any(|t| t == g);
            if member {
                for (e, r) in ranks.iter().enumerate() {
                    if let Some(x) = tally.get_mut(e) {
                        x.add(*r);
                    }
                }
            }
        }
    }
    println!(
        "\n## {name} ({} services, {} queries)\n",
        dir.services.len(),
        labels.len()
    );
    println!("| subset | engine | n | hit@1 | hit@3 | MRR |");
    println!("|---|---|---:|---:|---:|---:|");
    for (g, tally) in groups.iter().zip(&tallies) {
        if tally.first().is_none_or(|t| t.n == 0) {
            continue;
        }
        for (e, engine) in ["passerelle", "sqlite-fts5", "tantivy"].iter().enumerate() {
            if let Some(t) = tally.get(e) {
                println!("| {g} | {engine} | {} |", t.row());
            }
        }
    }
    println!(
        "\ncrisis queries with a crisis line first (passerelle): {}/{}",
        crisis_first.1, crisis_first.0
    );
    if let Some((k, file)) = &extras.pool {
        match std::fs::write(file, pool_text) {
            Ok(()) => println!(
                "pool (top {k} of each engine): {} services, {} unlabelled, in {}",
                pool_count.0,
                pool_count.1,
                file.display()
            ),
            Err(e) => eprintln!("cannot write {}: {e}", file.display()),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let misses = args.iter().any(|a| a == "--misses");
    let pool = args.iter().position(|a| a == "--pool").and_then(|i| {
        let k = args.get(i + 1)?.parse::<usize>().ok()?;
        let out = PathBuf::from(args.get(i + 2)?);
        Some((k, out))
    });
    if args.iter().any(|a| a == "--pool") && pool.is_none() {
        eprintln!("usage: relevance --pool K DIR (DIR outside the repository)");
        return;
    }
    if let Some((_, out)) = &pool {
        if let Err(e) = std::fs::create_dir_all(out) {
            eprintln!("cannot create {}: {e}", out.display());
            return;
        }
    }
    let extras = |set: &str| Extras {
        misses,
        pool: pool
            .as_ref()
            .map(|(k, out)| (*k, out.join(format!("{set}.pool.txt")))),
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let labels = root.join("core/tests/data/relevance");
    if let Some(dir) = load(
        &root.join("core/tests/data/hsds/smc-ohana-full"),
        "America/Los_Angeles",
    ) {
        run(
            "San Mateo County (smc-ohana-full)",
            dir,
            (37.53, -122.29),
            &read_labels(&labels.join("smc-ohana-full.tsv")),
            &extras("smc-ohana-full"),
        );
    }
    let balt = std::env::var_os("PASSERELLE_BALTIMORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../../shared/data/baltimore-charmcare/hsds"));
    let balt = if balt.exists() {
        balt
    } else {
        PathBuf::from("/work/shared/data/baltimore-charmcare/hsds")
    };
    match load(&balt, "America/New_York") {
        Some(dir) => run(
            "Baltimore CHARMcare (evaluation only)",
            dir,
            (39.29, -76.61),
            &read_labels(&labels.join("baltimore-charmcare.tsv")),
            &extras("baltimore-charmcare"),
        ),
        None => println!("Baltimore data not found: skipped"),
    }
}
