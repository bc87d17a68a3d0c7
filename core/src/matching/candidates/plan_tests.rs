//! The spatial plan against the full scan: the same candidates, the same filter counts and
//! the same ranked answers, on random queries over the real San Mateo feed and over
//! synthetic directories (the sample directory with its sites moved at random, across the
//! antimeridian and near a pole included).

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::hsds::{import_path, ImportOptions};
use crate::matching::{NavigatorOptions, Need};
use crate::model::{Directory, GeoPoint, LangCode, LocationType};

thread_local! {
    /// Searches on this thread use the full scan only.
    pub(super) static FULL_SCAN: Cell<bool> = const { Cell::new(false) };
    /// Candidate stages answered by the spatial plan on this thread.
    pub(super) static NEAR_PLANS: Cell<usize> = const { Cell::new(0) };
}

fn san_mateo() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds/smc-ohana-full");
        let mut dir = import_path(path, &ImportOptions::default())
            .unwrap()
            .directory;
        dir.meta.timezone = Some("America/Los_Angeles".into());
        Navigator::build(dir, NavigatorOptions::default())
            .unwrap()
            .0
    })
}

/// The sample directory with every location moved by `seed`: most around one city, some
/// scattered over hundreds of km, some without a point, some postal addresses, some by the
/// antimeridian or a pole.
fn synthetic(seed: u64) -> Navigator {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut dir = Directory::sample();
    let (clat, clon) = match seed % 4 {
        0 => (45.42, -75.69),
        1 => (-33.9, 151.2),
        2 => (0.0, 179.95),
        _ => (89.5, 10.0),
    };
    for loc in &mut dir.locations {
        let u = next();
        let spread = if u < 0.6 {
            0.05
        } else if u < 0.9 {
            0.5
        } else {
            4.0
        };
        let lat = (clat + (next() - 0.5) * 2.0 * spread).clamp(-90.0, 90.0);
        let mut lon = clon + (next() - 0.5) * 2.0 * spread;
        if lon > 180.0 {
            lon -= 360.0;
        }
        if lon < -180.0 {
            lon += 360.0;
        }
        loc.point = if next() < 0.05 {
            None
        } else {
            GeoPoint::new(lat, lon).ok()
        };
        // A postal address with a point is a site no one visits (not deliverable when far).
        if next() < 0.15 {
            loc.location_type = LocationType::Postal;
        }
    }
    Navigator::build(dir, NavigatorOptions::sample()).unwrap().0
}

/// A random query's settings (the need and the place are chosen per directory).
#[derive(Debug, Clone)]
struct Settings {
    need: usize,
    text: bool,
    located: bool,
    dlat: f64,
    dlon: f64,
    radius_m: f64,
    delivery: u8,
    open_only: bool,
    free_only: bool,
    include_ineligible: bool,
    languages: u8,
    require_language: bool,
    accessibility: u8,
    hour: i64,
    limit: i64,
    offset: usize,
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        (
            0usize..10_000,
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.9),
        ),
        (-1.0f64..1.0, -1.0f64..1.0),
        prop_oneof![0.0f64..3_000.0, 0.0f64..60_000.0, 1.0e5f64..2.5e7],
        (0u8..6, any::<bool>(), any::<bool>(), any::<bool>()),
        (0u8..8, any::<bool>(), 0u8..6),
        (0i64..168, 1i64..60, 0usize..3),
    )
        .prop_map(
            |(
                (need, text, located),
                (dlat, dlon),
                radius_m,
                (delivery, open_only, free_only, include_ineligible),
                (languages, require_language, accessibility),
                (hour, limit, offset),
            )| Settings {
                need,
                text,
                located,
                dlat,
                dlon,
                radius_m,
                delivery,
                open_only,
                free_only,
                include_ineligible,
                languages,
                require_language,
                accessibility,
                hour,
                limit,
                offset,
            },
        )
}

const TEXTS: [&str; 10] = [
    "food",
    "housing",
    "counseling",
    "legal aid",
    "senior center",
    "health clinic",
    "employment",
    "child care",
    "shelter",
    "banque alimentaire",
];

/// The query of `s` on `nav`, around (`lat`, `lon`) with a spread of `spread` degrees.
fn query(nav: &Navigator, s: &Settings, (lat, lon): (f64, f64), spread: f64) -> Query {
    let codes = &nav.idx.codes;
    let need = match codes.get(s.need % codes.len().max(1)) {
        Some(code) if !s.text => Need::term(code.clone()),
        _ => Need::text(TEXTS[s.need % TEXTS.len()]),
    };
    let mut q = Query::new([need]);
    if s.located {
        let lat = (lat + s.dlat * spread).clamp(-89.99, 89.99);
        let mut lon = lon + s.dlon * spread;
        if lon > 180.0 {
            lon -= 360.0;
        }
        if lon < -180.0 {
            lon += 360.0;
        }
        q = q.near(GeoPoint::new(lat, lon).unwrap(), s.radius_m);
    } else {
        q.max_distance_m = s.radius_m;
    }
    q.delivery = match s.delivery {
        0 | 1 => DeliveryPreference::RemoteAcceptable,
        2 | 3 => DeliveryPreference::InPersonOnly,
        4 => DeliveryPreference::HomeVisit,
        _ => DeliveryPreference::PhoneOnly,
    };
    if s.open_only {
        q = q.open_only();
    }
    if s.free_only {
        q = q.free_only();
    }
    if s.include_ineligible {
        q = q.include_ineligible();
    }
    let langs: Vec<LangCode> = ["es", "en", "zh"]
        .iter()
        .enumerate()
        .filter(|(k, _)| s.languages & (1 << k) != 0)
        .map(|(_, l)| LangCode::new(l).unwrap())
        .collect();
    if !langs.is_empty() {
        q = q.languages(langs);
        q.require_language = s.require_language;
    }
    if s.accessibility == 0 {
        q = q.accessibility(["wheelchair"]);
        q.require_accessibility = s.require_language;
    }
    let at = jiff::Timestamp::from_second(1_795_000_000 + s.hour * 3_600).unwrap();
    q.at(at).limit(s.limit).offset(s.offset)
}

/// Both plans on every need of `q`: the candidates and counts must be the same, and so
/// must the whole answer. Returns whether the spatial plan applied.
fn same_answers(nav: &Navigator, q: &Query) -> Result<bool, TestCaseError> {
    let at = q.at.unwrap_or_else(jiff::Timestamp::now);
    let ctx = QueryContext::new(nav, q, at);
    let mut applied = false;
    for need in &q.needs {
        let Ok(resolved) = nav.resolver.resolve(
            need.text.as_deref(),
            &need.terms,
            &nav.idx.codes,
            &nav.idx.postings,
            &nav.idx.svc.crisis,
        ) else {
            continue;
        };
        let full = nav.candidates_full(&ctx, &resolved);
        if let Some(near) = nav.candidates_near(&ctx, &resolved) {
            applied = true;
            prop_assert_eq!(format!("{:?}", near.1), format!("{:?}", full.1));
            prop_assert_eq!(near.0.len(), full.0.len());
            for (a, b) in near.0.iter().zip(&full.0) {
                prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
        }
    }
    NEAR_PLANS.with(|n| n.set(0));
    let spatial = format!("{:?}", nav.search(q));
    let used = NEAR_PLANS.with(Cell::get);
    FULL_SCAN.with(|f| f.set(true));
    let reference = format!("{:?}", nav.search(q));
    FULL_SCAN.with(|f| f.set(false));
    prop_assert_eq!(spatial, reference);
    prop_assert_eq!(used > 0, applied);
    Ok(applied)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn spatial_plan_answers_as_the_full_scan_on_san_mateo(s in settings()) {
        let nav = san_mateo();
        same_answers(nav, &query(nav, &s, (37.55, -122.3), 0.3))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn spatial_plan_answers_as_the_full_scan_on_synthetic_directories(
        seed in any::<u64>(),
        qs in prop::collection::vec(settings(), 8),
    ) {
        let nav = synthetic(seed);
        let centre = match seed % 4 {
            0 => (45.42, -75.69),
            1 => (-33.9, 151.2),
            2 => (0.0, 179.95),
            _ => (89.5, 10.0),
        };
        for s in &qs {
            same_answers(&nav, &query(&nav, s, centre, 0.6))?;
        }
    }
}

/// The plan applies to the usual question (a need near the resident, in person or
/// remote) on the real feed, and the sites beyond the radius are still counted.
#[test]
fn spatial_plan_applies_on_the_real_feed() {
    let nav = san_mateo();
    let redwood_city = GeoPoint::new(37.4852, -122.2364).unwrap();
    let mut applied = 0;
    let mut fewer = 0;
    for code in nav.idx.codes.iter().take(400) {
        for delivery in [
            DeliveryPreference::RemoteAcceptable,
            DeliveryPreference::InPersonOnly,
        ] {
            let q = Query::new([Need::term(code.clone())])
                .near(redwood_city, 3_000.0)
                .delivery(delivery)
                .at("2026-11-18T20:00:00Z".parse().unwrap());
            if same_answers(nav, &q).unwrap() {
                applied += 1;
                let (_, _, counts) = nav
                    .need_candidates(&QueryContext::new(nav, &q, q.at.unwrap()), &q.needs[0])
                    .unwrap();
                fewer += usize::from(counts.too_far > 0);
            }
        }
    }
    assert!(applied > 100, "{applied}");
    assert!(fewer > 10, "{fewer}");
}

/// The spatial lists cost at most 16 bytes per (site, term) pair plus 8 per service and
/// 4 per term.
#[test]
fn spatial_lists_are_small() {
    let nav = san_mateo();
    let near = &nav.idx.near;
    let pairs: usize = nav
        .idx
        .postings
        .iter()
        .flatten()
        .map(|&s| near.sites[s as usize] as usize)
        .sum();
    let bytes = near.memory_bytes();
    assert!(pairs > 1_000);
    let bound = 16 * pairs + 8 * nav.idx.svc.active.len() + 4 * nav.idx.postings.len() + 8;
    assert!(bytes <= bound, "{bytes} bytes for {pairs} pairs");
}
