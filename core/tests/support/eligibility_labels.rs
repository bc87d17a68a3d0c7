//! Scoring inferred eligibility conditions against hand labels (shared by the
//! benches' `eligibility_eval` binary and the San Mateo CI test).
//!
//! Label file: CSV `feed,service_id,kind,rule`, one row per condition the text states;
//! a row with kind `none` marks a labelled text that states no condition we read.

use std::collections::{BTreeMap, BTreeSet};

use passerelle::rules::{infer_conditions_in, ConditionKind, KnownPlaces};

/// One labelled text: the set of `(kind, rule text)` it states.
#[derive(Debug, Default)]
pub struct Labelled {
    pub feed: String,
    pub id: String,
    pub expected: BTreeSet<(String, String)>,
}

/// Reads the label file, in first-seen order of `(feed, id)`.
pub fn read_labels(csv_text: &str) -> Result<Vec<Labelled>, String> {
    let mut out: Vec<Labelled> = Vec::new();
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    for (i, row) in rdr.records().enumerate() {
        let row = row.map_err(|e| format!("labels row {}: {e}", i + 2))?;
        let field = |n: usize| row.get(n).unwrap_or_default().trim().to_owned();
        let (feed, id, kind, rule) = (field(0), field(1), field(2), field(3));
        if kind != "none" && ConditionKind::from_name(&kind).is_none() {
            return Err(format!("labels row {}: unknown kind {kind:?}", i + 2));
        }
        let pos = match out.iter().position(|l| l.feed == feed && l.id == id) {
            Some(p) => p,
            None => {
                out.push(Labelled {
                    feed,
                    id,
                    ..Labelled::default()
                });
                out.len() - 1
            }
        };
        if kind != "none" {
            if let Some(l) = out.get_mut(pos) {
                l.expected.insert((kind, rule));
            }
        }
    }
    Ok(out)
}

/// `(kind, rule text)` of the conditions read from `text`, as a navigator reads them (with
/// the municipalities its directory knows).
pub fn predicted(text: &str, places: &KnownPlaces) -> BTreeSet<(String, String)> {
    infer_conditions_in(text, places)
        .iter()
        .map(|c| (c.kind().name().to_owned(), c.rule().to_string()))
        .collect()
}

/// True positives, false positives and false negatives per kind.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> Option<f64> {
        let d = self.tp + self.fp;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
    pub fn recall(&self) -> Option<f64> {
        let d = self.tp + self.fn_;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
}

/// Scores labelled texts; `text_of(feed, id)` gives each text (`None`: skipped) and
/// `places[feed]` the municipalities of its feed (none known when absent).
/// Returns counts per kind name, plus `"all"`, and the number of texts scored.
pub fn score<'a>(
    labels: &'a [Labelled],
    places: &BTreeMap<String, KnownPlaces>,
    mut text_of: impl FnMut(&str, &str) -> Option<String>,
    mut on_miss: impl FnMut(&'a Labelled, &str, &BTreeSet<(String, String)>),
) -> (BTreeMap<String, Counts>, usize) {
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    let mut n = 0;
    for l in labels {
        let Some(text) = text_of(&l.feed, &l.id) else {
            continue;
        };
        n += 1;
        let none = KnownPlaces::default();
        let got = predicted(&text, places.get(&l.feed).unwrap_or(&none));
        if got != l.expected {
            on_miss(l, &text, &got);
        }
        for key in got.union(&l.expected) {
            let (hit_got, hit_exp) = (got.contains(key), l.expected.contains(key));
            for name in [key.0.as_str(), "all"] {
                let c = per.entry(name.to_owned()).or_default();
                match (hit_got, hit_exp) {
                    (true, true) => c.tp += 1,
                    (true, false) => c.fp += 1,
                    (false, true) => c.fn_ += 1,
                    (false, false) => {}
                }
            }
        }
    }
    (per, n)
}

/// `id → eligibility_description` of a feed's `services.csv`.
pub fn texts_of(services_csv: &std::path::Path) -> Result<BTreeMap<String, String>, String> {
    let mut rdr = csv::Reader::from_path(services_csv).map_err(|e| e.to_string())?;
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(id), Some(text)) = (col("id"), col("eligibility_description")) else {
        return Err("services.csv lacks id or eligibility_description".into());
    };
    let mut out = BTreeMap::new();
    for row in rdr.records() {
        let row = row.map_err(|e| e.to_string())?;
        out.insert(
            row.get(id).unwrap_or_default().to_owned(),
            row.get(text).unwrap_or_default().to_owned(),
        );
    }
    Ok(out)
}

/// The municipalities a feed's directory knows (see [`KnownPlaces::of_directory`]).
pub fn places_of(dir: &std::path::Path) -> Result<KnownPlaces, String> {
    let imported = passerelle::import_path(dir, &passerelle::ImportOptions::default())
        .map_err(|e| e.to_string())?;
    Ok(KnownPlaces::of_directory(&imported.directory))
}
