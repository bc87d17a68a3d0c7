//! Precision and recall of conditions read from eligibility text, per condition kind,
//! against the hand labels in `core/tests/data/eligibility/labels.csv`.
//!
//! ```text
//! cargo run --release -p passerelle-benches --bin eligibility_eval -- [BALTIMORE_HSDS_DIR] [--misses] [--labels FILE]
//! ```
//!
//! San Mateo texts are read from the repository's copy; Baltimore texts (evaluation only,
//! never stored in the repository) from `BALTIMORE_HSDS_DIR` (default
//! `/work/shared/data/baltimore-charmcare/hsds`). `--misses` prints each disagreement.
#![allow(clippy::print_stdout)]

#[path = "../../../core/tests/support/eligibility_labels.rs"]
mod labels;

use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let misses = args.iter().any(|a| a == "--misses");
    let balt = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--") && (*i == 0 || args.get(i - 1).is_none_or(|p| p != "--labels"))
        })
        .map(|(_, a)| a)
        .cloned()
        .unwrap_or_else(|| "/work/shared/data/baltimore-charmcare/hsds".into());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core");
    let label_file = args
        .iter()
        .position(|a| a == "--labels")
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || root.join("tests/data/eligibility/labels.csv"),
            PathBuf::from,
        );
    let label_text = std::fs::read_to_string(&label_file).map_err(|e| e.to_string())?;
    let all = labels::read_labels(&label_text)?;
    let mut feeds: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    feeds.insert(
        "sanmateo",
        labels::texts_of(&root.join("tests/data/hsds/smc-ohana-full/services.csv"))?,
    );
    match labels::texts_of(&PathBuf::from(&balt).join("services.csv")) {
        Ok(t) => {
            feeds.insert("baltimore", t);
        }
        Err(e) => println!("baltimore feed not read ({e}); scoring San Mateo only"),
    }
    let mut places = BTreeMap::new();
    for (feed, dir) in [
        ("sanmateo", root.join("tests/data/hsds/smc-ohana-full")),
        ("baltimore", PathBuf::from(&balt)),
    ] {
        if feeds.contains_key(feed) {
            places.insert(feed.to_owned(), labels::places_of(&dir)?);
        }
    }
    let report = |name: &str, subset: Vec<labels::Labelled>| {
        let (per, n) = labels::score(
            &subset,
            &places,
            |feed, id| feeds.get(feed).and_then(|t| t.get(id)).cloned(),
            |l, text, got| {
                if misses {
                    println!(
                        "MISS {} {}\n  text: {text}\n  want: {:?}\n  got:  {got:?}",
                        l.feed, l.id, l.expected
                    );
                }
            },
        );
        println!("\n{name}: {n} labelled texts");
        println!("| kind | labelled | read | correct | precision | recall |");
        println!("|---|---|---|---|---|---|");
        for (kind, c) in &per {
            let f = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{v:.3}"));
            println!(
                "| {kind} | {} | {} | {} | {} | {} |",
                c.tp + c.fn_,
                c.tp + c.fp,
                c.tp,
                f(c.precision()),
                f(c.recall())
            );
        }
    };
    for feed in ["sanmateo", "baltimore"] {
        let subset: Vec<_> = labels::read_labels(&label_text)?
            .into_iter()
            .filter(|l| l.feed == feed)
            .collect();
        report(feed, subset);
    }
    report("both feeds", all);
    for (feed, dir, tz) in [
        (
            "sanmateo",
            root.join("tests/data/hsds/smc-ohana-full"),
            "America/Los_Angeles",
        ),
        ("baltimore", PathBuf::from(&balt), "America/New_York"),
    ] {
        if let Err(e) = feed_check(feed, &dir, tz) {
            println!("{feed}: not checked ({e})");
        }
    }
    Ok(())
}

/// With inference on, how the services of a feed evaluate for three residents: how many
/// become ineligible (with the listing quoted) or unknown (naming the fact to ask).
fn feed_check(feed: &str, dir: &std::path::Path, tz: &str) -> Result<(), String> {
    use passerelle::{
        import_path,
        rules::{ConditionKind, Outcome},
        ImportOptions, Navigator, NavigatorOptions,
    };
    let mut d = import_path(dir, &ImportOptions::default())
        .map_err(|e| e.to_string())?
        .directory;
    if d.meta.timezone.is_none() {
        d.meta.timezone = Some(tz.into());
    }
    let options = NavigatorOptions {
        infer_eligibility: true,
        ..NavigatorOptions::default()
    };
    let (nav, _) = Navigator::build(d, options).map_err(|e| e.to_string())?;
    let services = &nav.directory().services;
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut with = 0;
    for s in services {
        let Some(rule) = nav.service_rule(&s.id) else {
            continue;
        };
        if !rule.inferred().is_empty() {
            with += 1;
        }
        for c in rule.inferred() {
            *by_kind.entry(c.kind().name()).or_default() += 1;
        }
    }
    println!(
        "\n{feed}, inference on: {with} of {} services have conditions read from text",
        services.len()
    );
    for k in ConditionKind::ALL {
        println!(
            "  {}: {}",
            k.name(),
            by_kind.get(k.name()).copied().unwrap_or(0)
        );
    }
    let residents: [(&str, Vec<(&str, passerelle::rules::FactValue)>); 3] = [
        (
            "man, 16, insured, elsewhere",
            vec![
                ("gender", "male".into()),
                ("age", 16.into()),
                ("health_insurance", "private".into()),
                ("county", "Elsewhere".into()),
                ("municipality", "Elsewhere".into()),
                ("region", "Elsewhere".into()),
            ],
        ),
        (
            "woman, 70",
            vec![("gender", "female".into()), ("age", 70.into())],
        ),
        ("nothing known", vec![]),
    ];
    for (name, facts) in residents {
        let mut p = nav.catalog().profile();
        for (k, v) in facts {
            p.set(k, v).map_err(|e| e.to_string())?;
        }
        let (mut inel_quoted, mut unknown_named) = (0, 0);
        let mut asked: BTreeMap<String, usize> = BTreeMap::new();
        for s in services {
            let Some(rule) = nav.service_rule(&s.id) else {
                continue;
            };
            if rule.inferred().is_empty() {
                continue;
            }
            match rule.explain(&p) {
                Outcome::Ineligible { failed } if failed.iter().any(|c| c.inferred().is_some()) => {
                    inel_quoted += 1;
                }
                Outcome::Unknown { missing, .. } => {
                    unknown_named += 1;
                    for m in missing {
                        *asked.entry(m.fact().to_owned()).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
        println!(
            "  resident {name}: {inel_quoted} ineligible on a condition read from text (listing quoted), \
             {unknown_named} unknown; facts to ask: {asked:?}"
        );
    }
    Ok(())
}
