//! Ranked retrieval and crisis safety on a real directory: the full San Mateo County feed
//! (`tests/data/hsds/smc-ohana-full`, 1,709 services, BSD-3-Clause), through the public API.
//!
//! The labelled suite (`tests/data/relevance/smc-ohana-full.tsv`) runs here as a regression
//! test with fixed floors; `cargo run --release -p passerelle-benches --bin relevance` prints
//! the same suite beside the SQLite FTS5 and tantivy peers.

use std::path::PathBuf;
use std::sync::OnceLock;

use passerelle::{hsds::*, matching::*, model::*, text::*};

/// Near San Mateo (the resident).
const RESIDENT: (f64, f64) = (37.53, -122.29);

fn at() -> jiff::Timestamp {
    "2026-11-18T12:00:00-08:00".parse().unwrap()
}

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn directory() -> Directory {
    // The feed's schedules name IANA time zones that the importer reports; the rest imports.
    let imported = import_path(
        data().join("hsds/smc-ohana-full"),
        &ImportOptions::default(),
    )
    .unwrap();
    let mut d = imported.directory;
    if d.meta.timezone.is_none() {
        d.meta.timezone = Some("America/Los_Angeles".into());
    }
    d
}

fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        Navigator::build(directory(), NavigatorOptions::default())
            .unwrap()
            .0
    })
}

fn search(nav: &Navigator, need: &str, near: bool) -> SearchResults {
    let mut q = Query::new([Need::text(need)]).at(at()).limit(10);
    if near {
        q = q.near(GeoPoint::new(RESIDENT.0, RESIDENT.1).unwrap(), 10_000.0);
    }
    nav.search(&q).unwrap()
}

/// Distinct service ids, best first.
fn services(res: &SearchResults) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in res.matches() {
        if !out.contains(&m.service_id) {
            out.push(m.service_id.clone());
        }
    }
    out
}

fn name_of(id: &str) -> String {
    nav()
        .directory()
        .services
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.name.value.clone())
        .unwrap_or_default()
}

fn top_names(res: &SearchResults, n: usize) -> Vec<String> {
    services(res).iter().take(n).map(|id| name_of(id)).collect()
}

struct Label {
    lang: String,
    tags: String,
    query: String,
    expected: Vec<String>,
    /// Ids judged relevant from the engines' pooled answers (column 6, `-` for none).
    pooled: Vec<String>,
}

fn labels() -> Vec<Label> {
    std::fs::read_to_string(data().join("relevance/smc-ohana-full.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Label {
                lang: c[0].into(),
                tags: c[1].into(),
                query: c[2].into(),
                expected: c[3].split_whitespace().map(str::to_owned).collect(),
                pooled: c
                    .get(5)
                    .map_or("", |p| p.trim())
                    .split_whitespace()
                    .filter(|id| *id != "-")
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect()
}

#[test]
fn labelled_suite_hit_at_3_floors() {
    let labels = labels();
    assert!(labels.len() >= 60);
    let (mut n, mut hits, mut n_fr, mut hits_fr, mut n_en, mut hits_en) = (0, 0, 0, 0, 0, 0);
    let mut missed = Vec::new();
    for l in &labels {
        let res = search(nav(), &l.query, false);
        let top3: Vec<String> = services(&res).into_iter().take(3).collect();
        let hit = top3
            .iter()
            .any(|id| l.expected.contains(id) || l.pooled.contains(id));
        n += 1;
        hits += usize::from(hit);
        if l.lang == "fr" {
            n_fr += 1;
            hits_fr += usize::from(hit);
        } else {
            n_en += 1;
            hits_en += usize::from(hit);
        }
        if !hit {
            missed.push(l.query.clone());
        }
        if l.tags.contains("crisis") {
            assert!(hit, "crisis query {:?}: {:?}", l.query, top_names(&res, 3));
            assert!(res.crisis.is_some(), "{:?}", l.query);
            assert!(
                res.matches().next().is_some_and(|m| m.crisis_line),
                "crisis line first for {:?}",
                l.query
            );
        }
    }
    let all = hits as f64 / n as f64;
    let en = hits_en as f64 / n_en as f64;
    let fr = hits_fr as f64 / n_fr as f64;
    // Labels are pooled-judged (columns 4 and 6): 65/65 in the top 3 when judged; the floor
    // leaves room for three misses.
    assert!(all >= 0.95, "hit@3 {all:.3}; missed {missed:?}");
    assert!(
        en - fr <= 0.10,
        "French {fr:.3} vs English {en:.3}; missed {missed:?}"
    );
}

#[test]
fn i_want_to_die_leads_with_the_crisis_centre() {
    let res = search(nav(), "I want to die", true);
    assert_eq!(
        res.crisis.as_ref().map(|c| c.kind),
        Some(CrisisKind::SuicideOrSelfHarm)
    );
    let first = res.matches().next().unwrap();
    assert!(first.crisis_line);
    assert!(
        top_names(&res, 5)
            .iter()
            .any(|n| n == "Crisis Intervention and Suicide Prevention Center"),
        "{:?}",
        top_names(&res, 5)
    );
}

#[test]
fn a_hotline_is_delivered_by_phone_and_never_too_far() {
    let res = search(nav(), "hotline to talk to someone", true);
    let n = &res.needs[0];
    assert_ne!(n.no_match, Some(NoMatchReason::AllTooFar));
    let line = res
        .matches()
        .find(|m| m.service_name.value == "Crisis Intervention and Suicide Prevention Center")
        .or_else(|| {
            res.matches()
                .find(|m| m.service_name.value.contains("Hotline"))
        })
        .expect("a hotline is offered");
    assert_eq!(line.via, DeliveryMode::Phone);
}

#[test]
fn everyday_needs_find_the_services_own_words() {
    for (need, expect) in [
        ("I need help paying my PG&E bill", "Customer Services"),
        ("fod bank", "Second Harvest Food Bank"),
        ("foodbank", "Second Harvest Food Bank"),
        ("where can I get free groceries", ""),
    ] {
        let res = search(nav(), need, false);
        assert!(!res.is_empty(), "{need}: {:?}", res.needs[0].no_match);
        if !expect.is_empty() {
            assert!(
                top_names(&res, 3).iter().any(|n| n.contains(expect)),
                "{need}: {:?}",
                top_names(&res, 5)
            );
        }
    }
}

#[test]
fn french_aide_is_help_not_aids() {
    for need in ["aide alimentaire", "besoin d'aide pour payer mon loyer"] {
        let res = search(nav(), need, false);
        let n = &res.needs[0];
        assert!(
            n.understood_as.iter().all(|c| c.as_str() != "AIDS"),
            "{need}: {:?}",
            n.understood_as
        );
        assert!(
            top_names(&res, 3).iter().all(|name| !name.contains("AIDS")),
            "{need}: {:?}",
            top_names(&res, 3)
        );
        assert!(!res.is_empty());
    }
    let food = search(nav(), "aide alimentaire", false);
    assert!(
        top_names(&food, 3)
            .iter()
            .any(|n| n.contains("Food") || n.contains("Pantry")),
        "{:?}",
        top_names(&food, 5)
    );
}

#[test]
fn a_french_word_spelt_like_an_english_one_reads_as_its_translation() {
    // "centre" is in this English directory's own text ("Centre for Living with Dying"); in a
    // French need it is the senior centre the phrase asks for.
    let res = search(nav(), "centre pour personnes âgées", false);
    let top = top_names(&res, 3);
    assert!(
        top.iter().all(|n| !n.contains("Living with Dying")),
        "{top:?}"
    );
    assert!(top.iter().any(|n| n.contains("Senior")), "{top:?}");
}

#[test]
fn two_intents_in_one_sentence_are_both_served() {
    let res = search(nav(), "I lost my job and can't pay rent", false);
    let labels = labels();
    let l = labels
        .iter()
        .find(|l| l.query == "I lost my job and can't pay rent")
        .unwrap();
    // The label lists employment services first, then rent help: both kinds are in the top 5.
    let top5: Vec<String> = services(&res).into_iter().take(5).collect();
    let split = l
        .expected
        .iter()
        .position(|id| id == "15f1e7d3-cd7a-52f7-8389-a2aa723502c7")
        .unwrap();
    let (jobs, rent) = l.expected.split_at(split);
    assert!(
        top5.iter().any(|id| jobs.contains(id)),
        "{:?}",
        top_names(&res, 5)
    );
    assert!(
        top5.iter().any(|id| rent.contains(id)),
        "{:?}",
        top_names(&res, 5)
    );
}

#[test]
fn deployer_marks_crisis_services_and_terms() {
    let d = directory();
    let target = d
        .services
        .iter()
        .find(|s| s.name.value == "Parents Place")
        .unwrap()
        .id
        .clone();
    let options = NavigatorOptions {
        crisis_services: vec![target.clone()],
        ..NavigatorOptions::default()
    };
    let (nav, _) = Navigator::build(d, options).unwrap();
    let q = Query::new([Need::text("I want to die")])
        .at(at())
        .limit(100);
    let res = nav.search(&q).unwrap();
    let m = res
        .matches()
        .find(|m| m.service_id == target)
        .expect("the flagged service is offered in a crisis");
    assert!(m.need_match >= NeedMatchKind::Synonym);
    // Without the flag it is not offered for this need.
    let plain = self::nav().search(&q).unwrap();
    assert!(plain.matches().all(|m| m.service_id != target));
}

#[test]
fn a_directory_without_crisis_lines_says_so() {
    let mut d = directory();
    d.services
        .retain(|s| s.name.value.starts_with("Meals on Wheels"));
    let (nav, _) = Navigator::build(d, NavigatorOptions::default()).unwrap();
    let res = search(&nav, "I want to die", false);
    let notice = res.crisis.expect("crisis detected");
    assert!(
        notice.message.en.contains("no crisis line"),
        "{}",
        notice.message.en
    );
    assert!(notice.message.en.contains("9-8-8") && notice.message.en.contains("911"));
    assert!(notice.message.fr.contains("9-8-8"));
}

#[test]
fn a_need_not_understood_suggests_the_directorys_own_categories_and_words() {
    // Three edits from "transportation": beyond typo correction, close enough to suggest.
    let res = search(nav(), "transportashun", false);
    let need = &res.needs[0];
    assert_eq!(need.total, 0);
    assert_eq!(need.no_match, Some(NoMatchReason::NeedNotUnderstood));
    let first = need.suggestions.first().expect("suggestions");
    assert_eq!(first.text, "Transportation");
    assert_eq!(first.term.as_ref().map(TermCode::as_str), Some("105-02"));
    assert!(
        need.suggestions
            .iter()
            .any(|s| s.term.is_none() && s.text == "transport"),
        "{:?}",
        need.suggestions
    );
    // A suggested category is a need the directory answers.
    let term = first.term.clone().unwrap();
    let by_term = nav()
        .search(&Query::new([Need::term(term)]).at(at()).limit(3))
        .unwrap();
    assert!(by_term.needs[0].total > 0);
    // The result JSON carries them for this need only.
    let json = serde_json::to_value(&res).unwrap();
    assert_eq!(json["needs"][0]["no_match"], "need_not_understood");
    assert_eq!(json["needs"][0]["suggestions"][0]["text"], "Transportation");
    assert_eq!(json["needs"][0]["suggestions"][0]["term"], "105-02");
}

#[test]
fn nothing_close_offers_the_broadest_categories_and_known_needs_get_none() {
    let res = search(nav(), "qwxzv", false);
    let need = &res.needs[0];
    assert_eq!(need.no_match, Some(NoMatchReason::NeedNotUnderstood));
    assert!(need.suggestions.len() >= 3, "{:?}", need.suggestions);
    for s in &need.suggestions {
        let term = s.term.clone().expect("categories only");
        let r = nav()
            .search(&Query::new([Need::term(term)]).at(at()).limit(1))
            .unwrap();
        assert!(r.needs[0].total > 0, "{}", s.text);
    }
    // Understood but unanswered (too far for a resident without location who needs a
    // visit): "no service here" is a different answer, without suggestions.
    let q = Query::new([Need::text("food pantry")])
        .at(at())
        .near(GeoPoint::new(0.0, 0.0).unwrap(), 1_000.0)
        .delivery(DeliveryPreference::InPersonOnly);
    let res = nav().search(&q).unwrap();
    assert_ne!(
        res.needs[0].no_match,
        Some(NoMatchReason::NeedNotUnderstood)
    );
    assert!(res.needs[0].no_match.is_some());
    assert!(res.needs[0].suggestions.is_empty());
    assert!(serde_json::to_value(&res).unwrap()["needs"][0]
        .get("suggestions")
        .is_none());
}
