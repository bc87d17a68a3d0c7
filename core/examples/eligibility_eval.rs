//! Precision and recall of conditions read from eligibility text, per condition kind,
//! against the hand labels in `core/tests/data/eligibility/labels.csv`.
//!
//! ```text
//! cargo run -p passerelle --example eligibility_eval -- [BALTIMORE_HSDS_DIR] [--misses]
//! ```
//!
//! San Mateo texts are read from the repository's copy; Baltimore texts (evaluation only,
//! never stored in the repository) from `BALTIMORE_HSDS_DIR` (default
//! `/work/shared/data/baltimore-charmcare/hsds`). `--misses` prints each disagreement.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/eligibility_labels.rs"]
mod labels;

use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let misses = args.iter().any(|a| a == "--misses");
    let balt = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "/work/shared/data/baltimore-charmcare/hsds".into());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let label_text = std::fs::read_to_string(root.join("tests/data/eligibility/labels.csv"))
        .map_err(|e| e.to_string())?;
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
    let report = |name: &str, subset: Vec<labels::Labelled>| {
        let (per, n) = labels::score(
            &subset,
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
    Ok(())
}
