//! Gap analysis through the public API: exact aggregates, referral classification,
//! k-suppression, population breakdown and a realistic generated Ottawa data set.

use crate::gaps_support::*;
use passerelle::{gaps::*, matching::*, referrals::*, *};

fn run(
    unmet: &[UnmetNeed],
    refs: &[Referral],
    counts: &[NeedCount],
    opts: &GapOptions,
) -> GapReport {
    analyze_gaps(
        nav(),
        unmet,
        refs,
        counts,
        &AreaCentroids::ottawa_sample(),
        opts,
    )
    .unwrap()
}

fn cell<'a>(r: &'a GapReport, area: &str, need: &str, pop: Option<&str>) -> Option<&'a GapCell> {
    r.cells.iter().find(|c| {
        c.area.as_str() == area && c.need.as_str() == need && c.population.as_deref() == pop
    })
}

/// A small hand-made set with known aggregates.
fn hand_made() -> (Vec<UnmetNeed>, Vec<Referral>, Vec<NeedCount>) {
    let kinburn = named("Kinburn");
    let vanier = named("Vanier");
    let mut unmet = Vec::new();
    // Kinburn food.bank (no population): 5 unmet none_within_reach + 1 closed.
    for _ in 0..5 {
        unmet.push(crate::gaps_support::unmet(
            &kinburn,
            "food.bank",
            None,
            UnmetReason::NoneWithinReach,
        ));
    }
    unmet.push(crate::gaps_support::unmet(
        &kinburn,
        "food.bank",
        None,
        UnmetReason::ClosedAtNeededTimes,
    ));
    // Vanier rent, newcomers: 2 unmet (all_ineligible).
    for _ in 0..2 {
        unmet.push(crate::gaps_support::unmet(
            &vanier,
            "housing.rent",
            Some("newcomer"),
            UnmetReason::AllIneligible,
        ));
    }
    let s = ReferralStatus::Connected;
    let mut refs = vec![
        // Vanier rent newcomers: 3 connected, 1 not connected (waitlist), 1 still contacted.
        referral(
            "a",
            Some(&vanier),
            "housing.rent",
            Some("newcomer"),
            s,
            None,
        ),
        referral(
            "b",
            Some(&vanier),
            "housing.rent",
            Some("newcomer"),
            s,
            None,
        ),
        referral(
            "c",
            Some(&vanier),
            "housing.rent",
            Some("newcomer"),
            s,
            None,
        ),
        referral(
            "d",
            Some(&vanier),
            "housing.rent",
            Some("newcomer"),
            ReferralStatus::NotConnected,
            Some(OutcomeReason::WaitlistFull),
        ),
        referral(
            "e",
            Some(&vanier),
            "housing.rent",
            Some("newcomer"),
            ReferralStatus::Contacted,
            None,
        ),
        // No area: left out.
        referral("f", None, "housing.rent", Some("newcomer"), s, None),
    ];
    // A not-connected referral later closed stays unmet.
    let mut g = referral(
        "g",
        Some(&vanier),
        "housing.rent",
        Some("newcomer"),
        ReferralStatus::NotConnected,
        Some(OutcomeReason::WaitlistFull),
    );
    g.advance(ReferralStatus::Closed, jiff::civil::date(2026, 11, 9))
        .unwrap();
    refs.push(g);
    // Vanier food banks, no population: 4 records only (suppressed at k = 5), alone in its
    // area and need (next to shown cells it would hide the smallest of them too: see
    // hardening_privacy::gap_suppression_protects_complements).
    let counts = vec![NeedCount {
        area: vanier.clone(),
        need: code("food.bank"),
        population: None,
        count: 4,
    }];
    (unmet, refs, counts)
}

#[test]
fn exact_aggregates_on_a_hand_made_set() {
    let (u, r, c) = hand_made();
    let report = run(&u, &r, &c, &GapOptions::default());
    assert_eq!(report.referrals_without_area, 1);
    assert_eq!(report.min_records, 5);

    let k = cell(&report, "area:Kinburn", "food.bank", None).unwrap();
    assert_eq!((k.demand, k.met, k.unmet), (Some(6), Some(0), Some(6)));
    assert_eq!(k.share_unmet, Some(1.0));
    assert_eq!(
        k.top_reasons,
        ["none_within_reach"],
        "closed_at_needed_times has 1 < k records"
    );
    assert!(!k.suppressed);
    assert!(k.centroid.is_some());

    let v = cell(&report, "area:Vanier", "housing.rent", Some("newcomer")).unwrap();
    // 2 unmet records + 7 referrals with an area (a, b, c connected; d, g not connected; e open).
    assert_eq!((v.demand, v.met, v.unmet), (Some(8), Some(3), Some(4)));
    assert_eq!(v.share_unmet, Some(4.0 / 7.0));
    assert!(
        v.top_reasons.is_empty(),
        "2 all_ineligible + 2 waitlist_full, both < k"
    );

    // The 4-record cell is suppressed and left out, and so is its count in the total (4 < k).
    assert!(cell(&report, "area:Vanier", "food.bank", None).is_none());
    assert_eq!(report.suppressed_records, None);
    assert_eq!(report.cells.len(), 2);
}

#[test]
fn supply_is_measured_from_the_centroid_for_the_population() {
    let (u, r, c) = hand_made();
    let report = run(&u, &r, &c, &GapOptions::default());
    let k = cell(&report, "area:Kinburn", "food.bank", None).unwrap();
    let v = cell(&report, "area:Vanier", "housing.rent", Some("newcomer")).unwrap();
    // Vanier is central: rent help within 10 km; Kinburn is far from food banks.
    assert!(v.reachable_services.unwrap() >= 1, "{v:?}");
    assert!(v.nearest_m.unwrap() < 10_000.0);
    let kn = k.nearest_m.unwrap_or(f64::INFINITY);
    assert!(kn > v.nearest_m.unwrap(), "{k:?}");
    // Reachable counts agree with a navigator search from the same centroid.
    let centre = AreaCentroids::ottawa_sample()
        .get(&named("Kinburn"))
        .unwrap();
    let res = nav()
        .search(
            &Query::new([Need::term(code("food.bank"))])
                .near(centre, DEFAULT_MAX_DISTANCE_M)
                .delivery(DeliveryPreference::InPersonOnly)
                .limit(100),
        )
        .unwrap();
    let mut ids: Vec<&str> = res.needs[0]
        .matches
        .iter()
        .map(|m| m.service_id.as_str())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(k.reachable_services, Some(ids.len() as u32));
}

#[test]
fn a_cell_of_four_is_suppressed_at_k5_and_shown_at_k4() {
    let (u, r, c) = hand_made();
    let k5 = run(&u, &r, &c, &GapOptions::default());
    assert!(cell(&k5, "area:Vanier", "food.bank", None).is_none());

    let k4 = run(
        &u,
        &r,
        &c,
        &GapOptions {
            min_records: 4,
            ..Default::default()
        },
    );
    let shown = cell(&k4, "area:Vanier", "food.bank", None).unwrap();
    assert_eq!(shown.demand, Some(4));
    assert_eq!(
        (shown.met, shown.unmet, shown.share_unmet),
        (Some(0), Some(0), None)
    );
    assert!(!shown.suppressed);

    // Marked instead of left out: no record counts, directory numbers kept.
    let marked = run(
        &u,
        &r,
        &c,
        &GapOptions {
            show_suppressed: true,
            ..Default::default()
        },
    );
    let m = cell(&marked, "area:Vanier", "food.bank", None).unwrap();
    assert!(m.suppressed);
    assert_eq!(
        (m.demand, m.met, m.unmet, m.share_unmet),
        (None, None, None, None)
    );
    assert!(m.top_reasons.is_empty());
    assert!(m.reachable_services.is_some());
}

#[test]
fn suppressed_total_is_reported_only_when_at_least_k() {
    let areas = ["Carp", "Kanata", "Orléans"];
    // Three cells of 2 records each: 6 suppressed records in all.
    let u: Vec<UnmetNeed> = areas
        .iter()
        .flat_map(|a| {
            let key = named(a);
            (0..2).map(move |_| unmet(&key, "legal.aid", None, UnmetReason::Language))
        })
        .collect();
    let r = run(&u, &[], &[], &GapOptions::default());
    assert!(r.cells.is_empty());
    assert_eq!(r.suppressed_records, Some(6));
    let r = run(
        &u,
        &[],
        &[],
        &GapOptions {
            min_records: 7,
            ..Default::default()
        },
    );
    assert_eq!(
        r.suppressed_records, None,
        "6 < 7 would reveal a small group"
    );
}

#[test]
fn population_breakdown_can_be_merged() {
    let (u, r, c) = hand_made();
    let merged = run(
        &u,
        &r,
        &c,
        &GapOptions {
            by_population: false,
            ..Default::default()
        },
    );
    let v = cell(&merged, "area:Vanier", "housing.rent", None).unwrap();
    assert_eq!(v.demand, Some(8), "the 8 newcomer records");
    assert!(merged.cells.iter().all(|c| c.population.is_none()));
}

#[test]
fn invalid_options_are_rejected() {
    for opts in [
        GapOptions {
            min_records: 0,
            ..Default::default()
        },
        GapOptions {
            reach_m: f64::NAN,
            ..Default::default()
        },
        GapOptions {
            reach_m: 5_000.0,
            nearest_within_m: 1_000.0,
            ..Default::default()
        },
    ] {
        let err = analyze_gaps(nav(), &[], &[], &[], &AreaCentroids::new(), &opts).unwrap_err();
        assert!(
            matches!(err, Error::Gap(GapError::InvalidOption { .. })),
            "{err}"
        );
    }
}

#[test]
fn areas_without_a_centroid_keep_counts_but_no_supply() {
    let fsa = AreaKey::from_postal_code("K0A 1L0").unwrap();
    let u: Vec<UnmetNeed> = (0..5)
        .map(|_| unmet(&fsa, "food.bank", None, UnmetReason::NoneWithinReach))
        .collect();
    let r = run(&u, &[], &[], &GapOptions::default());
    assert_eq!(r.cells[0].demand, Some(5));
    assert_eq!(
        (r.cells[0].centroid, r.cells[0].reachable_services),
        (None, None)
    );
    // With a caller-supplied FSA centroid, supply is measured.
    let mut centroids = AreaCentroids::ottawa_sample();
    centroids.insert(fsa.clone(), pt(45.35, -76.04));
    let r = analyze_gaps(nav(), &u, &[], &[], &centroids, &GapOptions::default()).unwrap();
    assert!(r.cells[0].reachable_services.is_some());
}

#[test]
fn generated_ottawa_shows_rural_food_and_vanier_rent_gaps() {
    let g = generate(2026, 1);
    assert!(g.unmet.len() + g.referrals.len() > 4_000);
    let report = run(&g.unmet, &g.referrals, &[], &GapOptions::default());
    assert!(!report.cells.is_empty());
    // Deterministic.
    let again = run(&g.unmet, &g.referrals, &[], &GapOptions::default());
    assert_eq!(report, again);

    // Rural food: mostly unmet, far from food banks.
    let rural_food: Vec<&GapCell> = report
        .cells
        .iter()
        .filter(|c| c.need.as_str() == "food.bank")
        .filter(|c| c.centroid.is_some_and(|p| p.lon() < -76.1))
        .collect();
    assert!(!rural_food.is_empty());
    let rural_demand: u64 = rural_food.iter().map(|c| c.demand.unwrap()).sum();
    let rural_unmet: u64 = rural_food.iter().map(|c| c.unmet.unwrap()).sum();
    assert!(
        rural_unmet * 10 > rural_demand * 7,
        "{rural_unmet}/{rural_demand}"
    );
    assert!(rural_food
        .iter()
        .any(|c| c.top_reasons.first().map(String::as_str) == Some("none_within_reach")));

    // Vanier rent for newcomers is the largest rent cell.
    let rent = report
        .cells
        .iter()
        .filter(|c| c.need.as_str() == "housing.rent")
        .max_by_key(|c| c.demand.unwrap())
        .unwrap();
    assert_eq!(rent.area.as_str(), "area:vanier");
    assert_eq!(rent.population.as_deref(), Some("newcomer"));

    // Downtown food cells reach more food banks than rural ones.
    let downtown_food = report
        .cells
        .iter()
        .filter(|c| c.need.as_str() == "food.bank")
        .filter(|c| {
            c.centroid
                .is_some_and(|p| (p.lat() - 45.425).abs() < 0.01 && (p.lon() + 75.695).abs() < 0.01)
        })
        .map(|c| c.reachable_services.unwrap())
        .max()
        .unwrap();
    let rural_max = rural_food
        .iter()
        .map(|c| c.reachable_services.unwrap())
        .max()
        .unwrap();
    assert!(downtown_food > rural_max, "{downtown_food} vs {rural_max}");

    // Every shown cell has at least k records.
    assert!(report.cells.iter().all(|c| c.demand.unwrap() >= 5));
}

#[test]
fn hundred_thousand_records_in_one_call() {
    let g = generate(7, 23); // ≈ 103 000 residents
    let n = g.unmet.len() + g.referrals.len();
    assert!(n >= 100_000, "{n}");
    let start = std::time::Instant::now();
    let report = run(&g.unmet, &g.referrals, &[], &GapOptions::default());
    let total: u64 = report.cells.iter().map(|c| c.demand.unwrap()).sum::<u64>()
        + report.suppressed_records.unwrap_or(0);
    assert!(total <= n as u64);
    eprintln!(
        "{n} records → {} cells in {:?}",
        report.cells.len(),
        start.elapsed()
    );
}
