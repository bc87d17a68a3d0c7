//! A small bilingual Ottawa-like directory built in code, for the matching tests.
#![allow(dead_code)]

use jiff::civil::{time, Weekday};
use passerelle::{matching::*, model::*};
use serde_json::{json, Value};

pub fn term(id: &str, code: &str, en: &str, fr: &str) -> TaxonomyTerm {
    TaxonomyTerm {
        id: id.into(),
        code: Some(TermCode::new(code).unwrap()),
        name: Text::new(en).with(LangCode::fr(), fr),
        ..Default::default()
    }
}

pub fn attr(id: &str, link: &str, term: &str, link_type: &str) -> Attribute {
    Attribute {
        id: id.into(),
        link_id: link.into(),
        taxonomy_term_id: term.into(),
        link_type: Some(link_type.into()),
        link_entity: "service".into(),
        ..Default::default()
    }
}

pub const HUB: (f64, f64) = (45.4312, -75.6903);
pub const VANIER: (f64, f64) = (45.4425, -75.6665);
pub const KANATA: (f64, f64) = (45.3088, -75.8987);

pub fn point(p: (f64, f64)) -> GeoPoint {
    GeoPoint::new(p.0, p.1).unwrap()
}

fn weekly(id: &str, service: &str, days: &[Weekday], open: (i8, i8), close: (i8, i8)) -> Schedule {
    Schedule {
        id: id.into(),
        service_id: Some(service.into()),
        freq: Some(Freq::Weekly),
        byday: days
            .iter()
            .map(|&weekday| ByDay {
                ordinal: None,
                weekday,
            })
            .collect(),
        opens_at: Some(time(open.0, open.1, 0, 0)),
        closes_at: Some(time(close.0, close.1, 0, 0)),
        ..Default::default()
    }
}

/// Monday 2026-03-09 10:30 in Toronto.
pub fn monday_morning() -> jiff::Timestamp {
    jiff::civil::date(2026, 3, 9)
        .at(10, 30, 0, 0)
        .in_tz("America/Toronto")
        .unwrap()
        .timestamp()
}

/// Saturday 2026-03-14 10:30 in Toronto.
pub fn saturday() -> jiff::Timestamp {
    jiff::civil::date(2026, 3, 14)
        .at(10, 30, 0, 0)
        .in_tz("America/Toronto")
        .unwrap()
        .timestamp()
}

pub fn directory() -> Directory {
    use Weekday::*;
    let mut d = Directory::default();
    d.meta.name = "fixture".into();
    d.meta.timezone = Some("America/Toronto".into());
    d.meta.languages = vec![LangCode::en(), LangCode::fr()];
    d.taxonomy_terms = vec![
        term("t-food", "food", "Food", "Alimentation"),
        term(
            "t-food-bank",
            "food.bank",
            "Food banks",
            "Banques alimentaires",
        ),
        term(
            "t-food-delivery",
            "food.delivery",
            "Home-delivered meals and groceries",
            "Livraison de repas et d'épicerie",
        ),
        term(
            "t-rent",
            "housing.rent",
            "Rent and arrears assistance",
            "Aide au loyer et aux arriérés",
        ),
        term(
            "t-util",
            "housing.utilities",
            "Utility bill assistance",
            "Aide pour les factures d'énergie",
        ),
        term(
            "t-crisis",
            "health.mental.crisis",
            "Crisis and distress lines",
            "Lignes de crise et de détresse",
        ),
        term(
            "t-couns",
            "health.mental.counselling",
            "Counselling",
            "Counseling",
        ),
        term(
            "t-jobs",
            "employment.jobsearch",
            "Job search",
            "Recherche d'emploi",
        ),
        term(
            "t-pop-fr",
            "population.francophone",
            "Francophone",
            "Francophone",
        ),
        term("t-home", "delivery.home", "Home visit", "À domicile"),
    ];
    d.organizations.push(Organization {
        id: "org".into(),
        name: Text::new("Fixture Org").with(LangCode::fr(), "Organisme fictif"),
        ..Default::default()
    });
    let locs = [
        ("loc-hub", HUB),
        ("loc-vanier", VANIER),
        ("loc-kanata", KANATA),
        ("loc-far", (46.2, -74.5)),
    ];
    for (id, p) in locs {
        d.locations.push(Location {
            id: id.into(),
            name: Text::new(id),
            point: Some(point(p)),
            ..Default::default()
        });
    }
    let services: &[(&str, &str, &[&str])] = &[
        ("food-hub", "Hub Food Bank", &["loc-hub"]),
        ("food-vanier", "Vanier Pantry", &["loc-vanier"]),
        ("food-kanata", "Kanata Pantry", &["loc-kanata"]),
        ("meals-home", "Meals on Wheels", &["loc-hub"]),
        ("rent-hub", "Rent Bank", &["loc-hub"]),
        ("util-hub", "Utility Help", &["loc-hub"]),
        ("crisis-line", "Distress Line", &[]),
        ("counselling-vanier", "Counselling Vanier", &["loc-vanier"]),
        ("jobs-far", "Job Centre Far Away", &["loc-far"]),
        ("food-old", "Closed Food Bank", &["loc-hub"]),
    ];
    for (id, name, locs) in services {
        d.services.push(Service {
            id: (*id).into(),
            organization_id: "org".into(),
            name: Text::new(*name).with(LangCode::fr(), format!("{name} (fr)")),
            ..Default::default()
        });
        for l in *locs {
            d.service_at_locations.push(ServiceAtLocation {
                id: format!("sal-{id}-{l}"),
                service_id: (*id).into(),
                location_id: (*l).into(),
                ..Default::default()
            });
        }
    }
    let set = |d: &mut Directory, id: &str, f: &dyn Fn(&mut Service)| {
        if let Some(s) = d.services.iter_mut().find(|s| s.id == id) {
            f(s)
        }
    };
    set(&mut d, "food-vanier", &|s| {
        s.eligibility_rule = Some("household_income <= 40000".into())
    });
    set(&mut d, "meals-home", &|s| s.minimum_age = Some(65.0));
    set(&mut d, "food-old", &|s| s.status = ServiceStatus::Inactive);
    let attrs = [
        ("food-hub", "t-food-bank", "service_category"),
        ("food-vanier", "t-food-bank", "service_category"),
        ("food-kanata", "t-food-bank", "service_category"),
        ("food-old", "t-food-bank", "service_category"),
        ("meals-home", "t-food-delivery", "service_category"),
        ("meals-home", "t-home", "delivery_method"),
        ("rent-hub", "t-rent", "service_category"),
        ("util-hub", "t-util", "service_category"),
        ("crisis-line", "t-crisis", "service_category"),
        ("counselling-vanier", "t-couns", "service_category"),
        ("counselling-vanier", "t-pop-fr", "target_population"),
        ("jobs-far", "t-jobs", "service_category"),
    ];
    for (i, (s, t, k)) in attrs.iter().enumerate() {
        d.attributes.push(attr(&format!("a{i}"), s, t, k));
    }
    d.phones.push(Phone {
        id: "ph-crisis".into(),
        service_id: Some("crisis-line".into()),
        number: "613-555-0100".into(),
        phone_type: Some("voice".into()),
        ..Default::default()
    });
    let all = [
        Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday,
    ];
    d.schedules
        .push(weekly("sch-crisis", "crisis-line", &all, (0, 0), (23, 59)));
    let weekdays = [Monday, Tuesday, Wednesday, Thursday, Friday];
    d.schedules.push(weekly(
        "sch-food-hub",
        "food-hub",
        &weekdays,
        (9, 0),
        (17, 0),
    ));
    for (i, (owner, code)) in [
        ("food-hub", "en"),
        ("food-hub", "fr"),
        ("food-vanier", "fr"),
        ("counselling-vanier", "fr"),
    ]
    .iter()
    .enumerate()
    {
        d.languages.push(Language {
            id: format!("lang{i}"),
            service_id: Some((*owner).into()),
            code: Some(LangCode::new(code).unwrap()),
            ..Default::default()
        });
    }
    d.accessibility.push(Accessibility {
        id: "acc-hub".into(),
        location_id: Some("loc-hub".into()),
        description: Text::new("wheelchair: ramp at the front"),
        ..Default::default()
    });
    d
}

pub fn navigator() -> Navigator {
    let (nav, report) = Navigator::build(directory(), NavigatorOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    nav
}

pub fn ids(res: &NeedResults) -> Vec<&str> {
    res.matches.iter().map(|m| m.service_id.as_str()).collect()
}

/// Distance in km, rounded to 100 m.
fn km(m: f64) -> f64 {
    (m / 100.0).round() / 10.0
}

/// The golden tests' compact projection of search results: per need, the matches' ranks,
/// service and location ids, distance (km, rounded to 0.1), delivery mode, openness
/// (`open`/`closed`/`unknown`), eligibility status with missing facts and failed conditions,
/// score (3 decimals) and bilingual reasons; then the crisis notice, one-stop locations and
/// next questions.
pub fn summary(res: &SearchResults) -> Value {
    let needs: Vec<Value> = res
        .needs
        .iter()
        .map(|n| {
            let matches: Vec<Value> = n
                .matches
                .iter()
                .map(|m| {
                    json!({
                        "rank": m.rank,
                        "service": m.service_id,
                        "location": m.location_id,
                        "distance_km": m.distance_m.map(km),
                        "via": m.via.as_str(),
                        "open": match m.openness {
                            Openness::Open { .. } => "open",
                            Openness::Closed { .. } => "closed",
                            _ => "unknown",
                        },
                        "crisis_line": m.crisis_line,
                        "need_match": m.need_match.as_str(),
                        "eligibility": m.eligibility.status.as_str(),
                        "missing_facts": m.eligibility.missing_facts,
                        "failed": m.eligibility.failed.iter().map(|r| json!({"en": r.en, "fr": r.fr})).collect::<Vec<_>>(),
                        "score": (m.score * 1000.0).round() / 1000.0,
                        "reasons": m.reasons.iter().map(|r| json!({"en": r.en, "fr": r.fr})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "need": n.need_index,
                "understood_as": n.understood_as.iter().map(TermCode::as_str).collect::<Vec<_>>(),
                "crisis": n.crisis.map(|c| format!("{c:?}")),
                "total": n.total,
                "no_match": n.no_match.map(|r| r.as_str()),
                "matches": matches,
            })
        })
        .collect();
    json!({
        "crisis": res.crisis.as_ref().map(|c| json!({"needs": c.needs, "en": c.message.en, "fr": c.message.fr})),
        "needs": needs,
        "one_stop": res.multi_need.iter().map(|h| json!({
            "location": h.location_id,
            "needs": h.needs,
            "services": h.service_ids,
            "distance_km": h.distance_m.map(km),
        })).collect::<Vec<_>>(),
        "next_questions": res.next_questions.iter().map(|q| json!({"fact": q.fact, "affects": q.affects})).collect::<Vec<_>>(),
    })
}
