//! Shared helpers for the gap-analysis tests: the sample navigator and a deterministic,
//! realistic set of Ottawa demand records.
#![allow(dead_code)]

use std::sync::OnceLock;

use jiff::civil::{date, Date};
use passerelle::{gaps::*, matching::*, model::*, referrals::*, spatial::*};

/// The navigator over the embedded sample directory, built once per test binary.
pub fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        Navigator::build(Directory::sample(), NavigatorOptions::sample())
            .unwrap()
            .0
    })
}

pub fn pt(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint::new(lat, lon).unwrap()
}

pub fn code(c: &str) -> TermCode {
    TermCode::new(c).unwrap()
}

pub fn named(n: &str) -> AreaKey {
    AreaKey::named(n).unwrap()
}

pub fn unmet(area: &AreaKey, need: &str, pop: Option<&str>, reason: UnmetReason) -> UnmetNeed {
    UnmetNeed {
        need: code(need),
        population: pop.map(str::to_owned),
        area: area.clone(),
        date: date(2026, 11, 20),
        reason,
    }
}

/// A referral that ended `status` (`connected`, `not_connected`, `referred`, `contacted`).
pub fn referral(
    id: &str,
    area: Option<&AreaKey>,
    need: &str,
    pop: Option<&str>,
    status: ReferralStatus,
    outcome: Option<OutcomeReason>,
) -> Referral {
    let d = date(2026, 11, 2);
    let mut r = Referral::new(id, code(need), "svc-x", "sal-x", d);
    r.area = area.cloned();
    r.population = pop.map(str::to_owned);
    match status {
        ReferralStatus::Referred => {}
        ReferralStatus::Contacted => r.advance(status, d).unwrap(),
        ReferralStatus::Connected => {
            r.advance(ReferralStatus::Contacted, d).unwrap();
            r.advance(status, d).unwrap();
        }
        ReferralStatus::NotConnected => {
            r.not_connected(outcome.unwrap_or(OutcomeReason::Other), d)
                .unwrap();
        }
        _ => {
            r.advance(ReferralStatus::Contacted, d).unwrap();
            r.advance(ReferralStatus::Connected, d).unwrap();
            r.advance(ReferralStatus::Closed, d).unwrap();
        }
    }
    r
}

/// A tiny deterministic generator (64-bit LCG).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        f64::from(self.next_u32()) / f64::from(u32::MAX)
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u32() as usize % items.len()]
    }
}

/// Where residents live in the generated data: (centre, spread in degrees, weight).
pub struct Cluster {
    pub lat: f64,
    pub lon: f64,
    pub spread: f64,
    pub needs: &'static [(&'static str, u32)],
    pub populations: &'static [Option<&'static str>],
    pub residents: u32,
}

pub const CLUSTERS: &[Cluster] = &[
    // Rural west: many food needs, few services.
    Cluster {
        lat: 45.40,
        lon: -76.20,
        spread: 0.06,
        needs: &[
            ("food.bank", 6),
            ("food.delivery", 2),
            ("transport.accessible", 1),
        ],
        populations: &[None, Some("senior"), None],
        residents: 1_500,
    },
    // Vanier: rent needs, many newcomers.
    Cluster {
        lat: 45.440,
        lon: -75.660,
        spread: 0.008,
        needs: &[
            ("housing.rent", 5),
            ("food.bank", 2),
            ("community.newcomers", 1),
        ],
        populations: &[
            Some("newcomer"),
            Some("newcomer"),
            Some("francophone"),
            None,
        ],
        residents: 1_200,
    },
    // Downtown: a mix, well served.
    Cluster {
        lat: 45.425,
        lon: -75.695,
        spread: 0.01,
        needs: &[
            ("food.bank", 2),
            ("housing.shelter", 2),
            ("health.mental", 1),
            ("legal.aid", 1),
        ],
        populations: &[None, Some("youth"), Some("indigenous")],
        residents: 1_000,
    },
    // Kanata and Barrhaven suburbs.
    Cluster {
        lat: 45.30,
        lon: -75.85,
        spread: 0.04,
        needs: &[
            ("food.bank", 2),
            ("income.tax", 1),
            ("employment.jobsearch", 1),
        ],
        populations: &[None, Some("senior")],
        residents: 800,
    },
];

/// One generated resident's demand: a point (kept only by the test, to check it leaks
/// nowhere) and the records derived from it.
pub struct Generated {
    pub points: Vec<GeoPoint>,
    pub unmet: Vec<UnmetNeed>,
    pub referrals: Vec<Referral>,
}

fn weighted<'a>(rng: &mut Lcg, items: &'a [(&'static str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.next_u32() % total;
    for (name, w) in items {
        if x < *w {
            return name;
        }
        x -= w;
    }
    items[0].0
}

/// Deterministic Ottawa demand: for each resident, a point near their cluster, a coarse area
/// (named area, or 1 km grid cell for every third resident), then an unmet need (rural west:
/// mostly) or a referral.
pub fn generate(seed: u64, scale: u32) -> Generated {
    let mut rng = Lcg::new(seed);
    let areas = NamedAreas::ottawa_sample();
    let day0 = date(2026, 9, 1);
    let mut out = Generated {
        points: Vec::new(),
        unmet: Vec::new(),
        referrals: Vec::new(),
    };
    let mut n = 0u32;
    for (ci, c) in CLUSTERS.iter().enumerate() {
        for _ in 0..c.residents * scale {
            n += 1;
            let p = pt(
                c.lat + (rng.unit() - 0.5) * c.spread,
                c.lon + (rng.unit() - 0.5) * c.spread * 1.4,
            );
            out.points.push(p);
            let area = if n.is_multiple_of(3) {
                AreaKey::grid(p, 1_000).unwrap()
            } else {
                area_key_for_point(p, &areas, 1_000).unwrap()
            };
            let need = weighted(&mut rng, c.needs);
            let pop = *rng.pick(c.populations);
            let day: Date = day0
                .checked_add(jiff::Span::new().days(i64::from(n % 60)))
                .unwrap();
            let rural = ci == 0;
            if rng.unit() < if rural { 0.75 } else { 0.35 } {
                let reason = if rural {
                    *rng.pick(&[
                        UnmetReason::NoneWithinReach,
                        UnmetReason::NoneWithinReach,
                        UnmetReason::ClosedAtNeededTimes,
                    ])
                } else {
                    *rng.pick(&[
                        UnmetReason::AllIneligible,
                        UnmetReason::AllFull,
                        UnmetReason::Language,
                    ])
                };
                out.unmet.push(UnmetNeed {
                    need: code(need),
                    population: pop.map(str::to_owned),
                    area,
                    date: day,
                    reason,
                });
            } else {
                let status = *rng.pick(&[
                    ReferralStatus::Connected,
                    ReferralStatus::Connected,
                    ReferralStatus::NotConnected,
                    ReferralStatus::Contacted,
                ]);
                let outcome = rng.pick(&[
                    OutcomeReason::WaitlistFull,
                    OutcomeReason::TooFar,
                    OutcomeReason::NoAnswer,
                ]);
                out.referrals.push(referral(
                    &format!("r{n}"),
                    Some(&area),
                    need,
                    pop,
                    status,
                    Some(*outcome),
                ));
            }
        }
    }
    out
}
