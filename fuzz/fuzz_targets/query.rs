//! Queries typed by the public (and built by apps) against the embedded sample directory.
//!
//! The navigator is built once (`static OnceLock`); each input is a structured query.
//!
//! Properties (beyond "never panics"):
//! - an invalid query is a typed `Error::Match` (limit ≤ 0, no needs, too many, empty or too
//!   long need, bad distance) and exactly those are rejected;
//! - results are sorted: crisis lines first, then by score (descending);
//! - ranks are `offset + 1, offset + 2, …`; at most `min(limit, MAX_LIMIT)` per need;
//! - an in-person (or home-visit) result that is not a pinned crisis line is within
//!   `max_distance_m` when its distance is known;
//! - no ineligible service unless `include_ineligible`;
//! - with `OpenOnly`, no closed result except pinned crisis lines.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use passerelle::{
    matching::{
        DeliveryPreference, EligibilityStatus, OpenRequirement, TravelMode, MAX_LIMIT, MAX_NEEDS,
        MAX_NEED_TEXT_BYTES,
    },
    model::{DeliveryMode, GeoPoint, LangCode, Openness, TermCode},
    rules::{FactCatalog, FactKind, FactValue},
    Directory, Error, MatchError, Navigator, NavigatorOptions, Need, Query,
};

fn navigator() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(
        || match Navigator::build(Directory::sample(), NavigatorOptions::default()) {
            Ok((nav, _)) => nav,
            Err(e) => panic!("sample navigator: {e}"),
        },
    )
}

const WORDS: &[&str] = &[
    "food bank",
    "banque alimentaire",
    "rent",
    "loyer",
    "suicide",
    "je veux mourir",
    "shelter tonight",
    "tax clinic",
    "food.bank",
    "health.mental.crisis",
    "emploi",
    "meals",
    "counselling",
    "transport",
    "",
];
const TERMS: &[&str] = &[
    "food",
    "food.bank",
    "housing.rent",
    "health.mental.crisis",
    "income.tax",
    "x.y",
];
const LANGS: &[&str] = &["en", "fr", "ar", "es", "zh", "oj"];
const ACCESS: &[&str] = &["wheelchair", "asl", "elevator", "braille"];
const POPS: &[&str] = &[
    "senior",
    "youth",
    "indigenous",
    "francophone",
    "newcomer",
    "black",
];

#[derive(Debug, Arbitrary)]
enum Text {
    None,
    Word(u8),
    Free(String),
    Repeat(u8, u16),
}

#[derive(Debug, Arbitrary)]
struct FNeed {
    text: Text,
    terms: Vec<u8>,
    free_term: Option<String>,
}

#[derive(Debug, Arbitrary)]
enum FValue {
    Bool(bool),
    Num(f64),
    Small(i16),
    Allowed(u8),
    Text(String),
    List(Vec<u8>),
}

#[derive(Debug, Arbitrary)]
struct FQuery {
    needs: Vec<FNeed>,
    location: Option<(i16, i16)>,
    raw_location: Option<(f64, f64)>,
    max_distance_m: Option<f64>,
    travel: u8,
    delivery: u8,
    profile: Option<Vec<(u8, FValue)>>,
    include_ineligible: bool,
    languages: Vec<u8>,
    require_language: bool,
    accessibility: Vec<u8>,
    free_only: bool,
    at: u32,
    open_only: bool,
    populations: Vec<u8>,
    limit: i64,
    small_limit: Option<u8>,
    offset: u8,
    explain: bool,
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

fn need(n: &FNeed) -> Need {
    let text = match &n.text {
        Text::None => None,
        Text::Word(i) => Some(pick(WORDS, *i).to_owned()),
        Text::Free(s) => Some(s.clone()),
        Text::Repeat(i, k) => Some(format!("{} ", pick(WORDS, *i)).repeat(usize::from(*k) % 300)),
    };
    let mut terms: Vec<TermCode> = n
        .terms
        .iter()
        .take(4)
        .filter_map(|&t| TermCode::new(pick(TERMS, t)).ok())
        .collect();
    if let Some(t) = n.free_term.as_deref().and_then(|t| TermCode::new(t).ok()) {
        terms.push(t);
    }
    Need { text, terms }
}

fn profile(catalog: &FactCatalog, facts: &[(u8, FValue)]) -> passerelle::rules::Profile {
    let defs: Vec<_> = catalog.facts().collect();
    let mut p = catalog.profile();
    for (i, v) in facts.iter().take(20) {
        let def = defs[usize::from(*i) % defs.len()];
        let allowed = def.allowed();
        let value = match v {
            FValue::Bool(b) => FactValue::Bool(*b),
            FValue::Num(x) => FactValue::Number(*x),
            FValue::Small(x) => FactValue::Number(f64::from(*x)),
            FValue::Allowed(k) if !allowed.is_empty() => {
                let a = allowed[usize::from(*k) % allowed.len()].clone();
                if def.kind() == FactKind::List {
                    FactValue::List(vec![a])
                } else {
                    FactValue::Text(a)
                }
            }
            FValue::Allowed(_) => FactValue::Text("2000-01-01".into()),
            FValue::Text(s) => FactValue::Text(s.clone()),
            FValue::List(ks) if !allowed.is_empty() => FactValue::List(
                ks.iter()
                    .map(|k| allowed[usize::from(*k) % allowed.len()].clone())
                    .collect(),
            ),
            FValue::List(_) => FactValue::List(vec!["x".into()]),
        };
        let _ = p.set(def.name(), value); // bad values are typed errors, tested elsewhere
    }
    p
}

fuzz_target!(|f: FQuery| {
    let nav = navigator();
    let mut q = Query::new(f.needs.iter().take(MAX_NEEDS + 2).map(need));
    q.location = match (f.location, f.raw_location) {
        (_, Some((lat, lon))) => GeoPoint::new(lat, lon).ok(),
        // around Ottawa (45.42, -75.69), ±0.33°
        (Some((a, b)), None) => {
            GeoPoint::new(45.42 + f64::from(a) / 1e5, -75.69 + f64::from(b) / 1e5).ok()
        }
        (None, None) => None,
    };
    if let Some(d) = f.max_distance_m {
        q.max_distance_m = d;
    }
    q.travel =
        [TravelMode::Walk, TravelMode::Transit, TravelMode::Drive][usize::from(f.travel) % 3];
    q.delivery = [
        DeliveryPreference::RemoteAcceptable,
        DeliveryPreference::InPersonOnly,
        DeliveryPreference::HomeVisit,
        DeliveryPreference::PhoneOnly,
    ][usize::from(f.delivery) % 4];
    q.profile = f
        .profile
        .as_ref()
        .map(|facts| profile(nav.catalog(), facts));
    q.include_ineligible = f.include_ineligible;
    q.languages = f
        .languages
        .iter()
        .take(4)
        .filter_map(|&l| LangCode::new(pick(LANGS, l)).ok())
        .collect();
    q.require_language = f.require_language;
    q.accessibility = f
        .accessibility
        .iter()
        .take(4)
        .map(|&a| pick(ACCESS, a).to_owned())
        .collect();
    q.free_only = f.free_only;
    // 2024-01-01 + up to ~136 years of seconds, fixed so runs are reproducible
    q.at = jiff::Timestamp::from_second(1_704_067_200 + i64::from(f.at)).ok();
    q.open = if f.open_only {
        OpenRequirement::OpenOnly
    } else {
        OpenRequirement::Prefer
    };
    q.populations = f
        .populations
        .iter()
        .take(4)
        .map(|&p| pick(POPS, p).to_owned())
        .collect();
    q.limit = f.small_limit.map_or(f.limit, |l| i64::from(l) - 2);
    q.offset = usize::from(f.offset);
    q.explain = f.explain;

    let expected_error = if q.limit <= 0 {
        Some("limit")
    } else if q.needs.is_empty() {
        Some("no needs")
    } else if q.needs.len() > MAX_NEEDS {
        Some("too many")
    } else if q
        .needs
        .iter()
        .any(|n| n.text.as_deref().map_or(0, |t| t.trim().len()) > MAX_NEED_TEXT_BYTES)
    {
        Some("too long")
    } else if q
        .needs
        .iter()
        .any(|n| n.text.as_deref().map_or("", str::trim).is_empty() && n.terms.is_empty())
    {
        Some("empty")
    } else if !(q.max_distance_m.is_finite() && q.max_distance_m >= 0.0) {
        Some("distance")
    } else {
        None
    };

    let res = match nav.search(&q) {
        Ok(r) => r,
        // Codes the directory and the catalogue do not know are refused with a suggestion; the
        // oracle does not model the directory's vocabulary, so only their presence is checked.
        Err(Error::Match(MatchError::UnknownCode { .. })) => {
            assert!(
                q.needs.iter().any(|n| !n.terms.is_empty())
                    || !q.populations.is_empty()
                    || !q.accessibility.is_empty(),
                "UnknownCode for a query without codes"
            );
            return;
        }
        Err(Error::Match(e)) => {
            assert!(expected_error.is_some(), "rejected a valid query: {e}");
            if q.limit <= 0 {
                assert!(matches!(e, MatchError::InvalidLimit { .. }), "{e:?}");
            }
            return;
        }
        Err(e) => panic!("untyped search error: {e:?}"),
    };
    assert!(
        expected_error.is_none(),
        "accepted an invalid query ({expected_error:?})"
    );
    let cap = usize::try_from(q.limit).map_or(MAX_LIMIT, |l| l.min(MAX_LIMIT));
    assert_eq!(res.limit, cap);
    assert_eq!(res.needs.len(), q.needs.len());
    for nr in &res.needs {
        assert!(nr.matches.len() <= cap);
        assert!(nr.matches.len() <= nr.total.saturating_sub(q.offset).max(0));
        for (i, m) in nr.matches.iter().enumerate() {
            assert_eq!(m.rank, q.offset + i + 1, "rank");
            assert!(m.score.is_finite(), "score {}", m.score);
            if !q.include_ineligible {
                assert_ne!(
                    m.eligibility.status,
                    EligibilityStatus::Ineligible,
                    "{}",
                    m.service_id
                );
            }
            if matches!(m.via, DeliveryMode::InPerson | DeliveryMode::HomeVisit) && !m.crisis_line {
                if let Some(d) = m.distance_m {
                    assert!(
                        d <= q.max_distance_m,
                        "{} at {d} m > {}",
                        m.service_id,
                        q.max_distance_m
                    );
                }
            }
            if q.open == OpenRequirement::OpenOnly && !m.crisis_line {
                assert!(
                    !matches!(m.openness, Openness::Closed { .. }),
                    "closed {}",
                    m.service_id
                );
            }
        }
        for w in nr.matches.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            assert!(
                a.crisis_line >= b.crisis_line,
                "crisis line after a non-crisis result"
            );
            if a.crisis_line == b.crisis_line {
                assert!(
                    a.score >= b.score,
                    "not sorted by score: {} then {}",
                    a.score,
                    b.score
                );
            }
        }
    }
});
