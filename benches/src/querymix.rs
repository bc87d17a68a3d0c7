//! The query mix of the query-path benchmark (`benches/benches/query.rs`): the same questions
//! for passerelle, the peers and a brute-force oracle, plus sizes, percentiles and the
//! machine context printed next to every figure.

use std::time::Duration;

use passerelle::{
    matching::DeliveryPreference,
    model::{DirectoryIndex, GeoPoint, TermCode},
    rules::{FactCatalog, FactValue, Profile, Tables, Verdict},
    Directory, Need, Query,
};

use crate::peers::{haversine_m, PeerQuery};
use crate::synth;

/// Need texts of the mix: (text, has a typo, the taxonomy branch the resident means).
pub const TEXTS: &[(&str, bool, &str)] = &[
    ("banque alimentaire", false, "food.food-bank"),
    ("food bank", false, "food.food-bank"),
    ("banqe alimentaire", true, "food.food-bank"),
    ("rent help", false, "housing.rent-bank"),
    ("aide au loyer", false, "housing.rent-bank"),
    ("counseling", false, "mental.counselling"),
    ("recherche d'emploi", false, "employment.job-search"),
    ("recherche d'emplio", true, "employment.job-search"),
    ("food bnak", true, "food.food-bank"),
    ("counselling servcies", true, "mental.counselling"),
];

/// Radii of the mix, metres.
pub const RADII_M: [f64; 3] = [2_000.0, 10_000.0, 50_000.0];

/// Origins of the mix (labels from [`synth::origins`]).
pub const ORIGINS: [&str; 2] = ["toronto-downtown", "rural-east"];

/// A fixed "now" for the mix: Tuesday 2026-06-02 11:00 in Toronto (services open on weekdays).
pub fn now() -> jiff::Timestamp {
    jiff::civil::date(2026, 6, 2)
        .at(11, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("America/Toronto").expect("bundled tzdb"))
        .expect("valid time")
        .timestamp()
}

/// `PASSERELLE_BENCH_DELIVERY=in-person`: passerelle queries ask for in-person services only
/// (the radius then bounds every result, as it does for the peers and the oracle). By
/// default the engine's default applies: services reachable by phone or online are kept
/// whatever the distance, which the peers and the oracle cannot express.
pub fn in_person_only() -> bool {
    std::env::var("PASSERELLE_BENCH_DELIVERY").as_deref() == Ok("in-person")
}

/// Resident age used by the profile of every query.
pub const AGE: f64 = 40.0;

/// One question of the mix.
#[derive(Debug, Clone)]
pub struct MixQuery {
    /// Short label (`text | origin | radius | open`).
    pub label: String,
    /// Need text, or `None` for a need given as a taxonomy code (no text analysis).
    pub text: Option<&'static str>,
    /// The text has a typo.
    pub typo: bool,
    /// The taxonomy branch meant (oracle, and the no-text need).
    pub branch: &'static str,
    /// Resident location.
    pub origin: GeoPoint,
    /// Origin label.
    pub origin_label: &'static str,
    /// Maximum distance, metres.
    pub radius_m: f64,
    /// Open now required.
    pub open_now: bool,
}

fn origin(label: &str) -> GeoPoint {
    synth::origins()
        .into_iter()
        .find(|(l, _)| *l == label)
        .map(|(_, p)| p)
        .expect("known origin")
}

/// The text mix: every text × radius × origin × open-now on/off (120 questions).
pub fn text_mix() -> Vec<MixQuery> {
    let mut out = Vec::new();
    for &(text, typo, branch) in TEXTS {
        for &o in &ORIGINS {
            for &r in &RADII_M {
                for open_now in [false, true] {
                    out.push(MixQuery {
                        label: format!(
                            "{text} | {o} | {} km | {}",
                            r / 1000.0,
                            if open_now { "open now" } else { "any time" }
                        ),
                        text: Some(text),
                        typo,
                        branch,
                        origin: origin(o),
                        origin_label: o,
                        radius_m: r,
                        open_now,
                    });
                }
            }
        }
    }
    out
}

/// The same questions with the need given as a taxonomy code (no text): one per branch.
pub fn code_mix() -> Vec<MixQuery> {
    let mut out: Vec<MixQuery> = text_mix()
        .into_iter()
        .filter(|q| !q.typo)
        .map(|mut q| {
            q.text = None;
            q.label = format!(
                "{} |{}",
                q.branch,
                q.label.split_once(" |").map_or("", |x| x.1)
            );
            q
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.dedup_by(|a, b| a.label == b.label);
    out
}

/// The resident profile of the mix (age only: rules on other facts stay *unknown*).
pub fn profile(catalog: &FactCatalog) -> Profile {
    let mut p = catalog.profile();
    p.set("age", FactValue::Number(AGE))
        .expect("age is a standard fact");
    p
}

impl MixQuery {
    /// As a passerelle query (limit 10, fixed "now", age profile).
    pub fn to_query(&self, catalog: &FactCatalog) -> Query {
        let need = match self.text {
            Some(t) => Need::text(t),
            None => Need::term(TermCode::new(self.branch).expect("valid code")),
        };
        let mut q = Query::new([need])
            .near(self.origin, self.radius_m)
            .profile(profile(catalog))
            .at(now())
            .limit(10);
        if in_person_only() {
            q = q.delivery(DeliveryPreference::InPersonOnly);
        }
        if self.open_now {
            q.open_only()
        } else {
            q
        }
    }

    /// As a peer query (text as typed, age filter, no category: the peers search words).
    pub fn to_peer(&self) -> PeerQuery {
        PeerQuery {
            text: self.text.unwrap_or_default().to_owned(),
            origin: self.origin,
            radius_m: self.radius_m,
            category_prefix: self.text.is_none().then(|| self.branch.to_owned()),
            age: Some(AGE),
            limit: 10,
        }
    }
}

/// Brute force over every service-at-location: the service files under the branch meant,
/// the site is within the radius, and the eligibility rule (plus min/max age) is not
/// *ineligible* for the mix profile. Open hours are not checked (the peers cannot). Returns
/// every relevant SAL id, nearest first.
pub struct Oracle<'a> {
    dir: &'a Directory,
    index: DirectoryIndex<'a>,
    /// Per SAL: (id, point, service branch codes, eligible-or-unknown).
    rows: Vec<(&'a str, GeoPoint, Vec<&'a str>, bool)>,
}

impl<'a> Oracle<'a> {
    /// Precomputes codes and eligibility per SAL.
    pub fn new(dir: &'a Directory) -> Self {
        let index = DirectoryIndex::new(dir);
        let catalog = FactCatalog::standard();
        let mut tables = Tables::new();
        for (name, rows) in &dir.eligibility_tables {
            for &(k, v) in rows {
                tables.insert(name, k, v).expect("valid table");
            }
        }
        let profile = profile(&catalog);
        let mut rows = Vec::new();
        for sal in &dir.service_at_locations {
            let (Some(svc), Some(loc)) = (
                index.service(&sal.service_id),
                index.location(&sal.location_id),
            ) else {
                continue;
            };
            let Some(p) = loc.point else { continue };
            let codes: Vec<&str> = index
                .term_codes_of(&svc.id, "service_category")
                .map(|c| c.as_str())
                .collect();
            let age_ok = svc.minimum_age.is_none_or(|m| AGE >= m)
                && svc.maximum_age.is_none_or(|m| AGE <= m);
            let rule_ok = match svc.eligibility_rule.as_deref() {
                Some(r) => match catalog.compile(r, &tables) {
                    Ok(c) => c.evaluate(&profile) != Verdict::Ineligible,
                    Err(_) => true,
                },
                None => true,
            };
            rows.push((sal.id.as_str(), p, codes, age_ok && rule_ok));
        }
        Self { dir, index, rows }
    }

    /// Relevant SAL ids for a question, nearest first.
    pub fn relevant(&self, q: &MixQuery) -> Vec<String> {
        let _ = (&self.dir, &self.index);
        let mut hits: Vec<(f64, &str)> = self
            .rows
            .iter()
            .filter(|(_, _, codes, ok)| {
                *ok && codes.iter().any(|c| {
                    c.strip_prefix(q.branch)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                })
            })
            .filter_map(|(id, p, _, _)| {
                let d = haversine_m(q.origin, *p);
                (d <= q.radius_m).then_some((d, *id))
            })
            .collect();
        hits.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        hits.into_iter().map(|(_, id)| id.to_owned()).collect()
    }
}

/// recall@10: the share of the first `min(10, |relevant|)` slots an engine filled with
/// relevant SALs (`None` when nothing is relevant).
pub fn recall_at_10(returned: &[String], relevant: &[String]) -> Option<f64> {
    let want = relevant.len().min(10);
    if want == 0 {
        return None;
    }
    let got = returned
        .iter()
        .take(10)
        .filter(|id| relevant.contains(id))
        .count();
    Some(got.min(want) as f64 / want as f64)
}

/// Sizes from `PASSERELLE_BENCH_SIZES` (`10k,100k` by default; `1m` opt-in).
pub fn sizes() -> Vec<usize> {
    std::env::var("PASSERELLE_BENCH_SIZES")
        .unwrap_or_else(|_| "10k,100k".into())
        .split(',')
        .filter_map(parse_size)
        .collect()
}

/// `10k` → 10 000, `1m` → 1 000 000, `2500` → 2 500.
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim().to_ascii_lowercase();
    let (num, mul) = if let Some(n) = s.strip_suffix('k') {
        (n, 1_000)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 1_000_000)
    } else {
        (s.as_str(), 1)
    };
    num.parse::<usize>().ok().map(|n| n * mul)
}

/// `10k`, `100k`, `1m` style label.
pub fn size_label(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}m", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// Value at quantile `q` (0..=1) of sorted durations (nearest rank).
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// `nproc`, load average and commit, for the header of every printed table.
pub fn machine() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "nproc {} | loadavg {} | commit {} | passerelle delivery: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load.join(" "),
        commit,
        if in_person_only() {
            "in person only"
        } else {
            "default (remote kept)"
        }
    )
}

/// Current resident set size and its peak, bytes (`VmRSS`, `VmHWM` of /proc/self/status).
pub fn rss() -> (usize, usize) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<usize>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Reading speed of the hardware floor, bytes per second.
pub const FLOOR_BYTES_PER_S: f64 = 15e9;
/// Time per candidate of the hardware floor, nanoseconds.
pub const FLOOR_NS_PER_CANDIDATE: f64 = 0.3;

/// The hardware floor of a query that examines `candidates` SALs touching
/// `bytes_per_candidate` bytes each: `(bytes / 15 GB/s, candidates × 0.3 ns)`.
pub fn floor(candidates: usize, bytes_per_candidate: usize) -> (Duration, Duration) {
    let bytes = (candidates * bytes_per_candidate) as f64;
    (
        Duration::from_secs_f64(bytes / FLOOR_BYTES_PER_S),
        Duration::from_secs_f64(candidates as f64 * FLOOR_NS_PER_CANDIDATE * 1e-9),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("10k"), Some(10_000));
        assert_eq!(parse_size("1M"), Some(1_000_000));
        assert_eq!(parse_size("2500"), Some(2_500));
        assert_eq!(size_label(100_000), "100k");
        assert_eq!(size_label(1_000_000), "1m");
    }

    #[test]
    fn percentiles_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        assert_eq!(percentile(&v, 0.5), Duration::from_micros(50));
        assert_eq!(percentile(&v, 0.99), Duration::from_micros(99));
    }

    /// The engine selects only the requested page when there is one need: the page must be
    /// the head of the fully sorted list, and totals/counts unchanged.
    #[test]
    fn page_selection_equals_full_sort() {
        use passerelle::{Navigator, NavigatorOptions};
        let dir = synth::generate(synth::SynthConfig::with_size(3_000));
        let (nav, _) = Navigator::build(dir, NavigatorOptions::default()).unwrap();
        for q in text_mix().iter().chain(code_mix().iter()).step_by(7) {
            let small = nav.search(&q.to_query(nav.catalog()).limit(3)).unwrap();
            let big = nav.search(&q.to_query(nav.catalog()).limit(500)).unwrap();
            let (s, b) = (&small.needs[0], &big.needs[0]);
            assert_eq!(s.total, b.total, "{}", q.label);
            assert_eq!(s.counts, b.counts, "{}", q.label);
            assert_eq!(s.matches[..], b.matches[..s.matches.len()], "{}", q.label);
            assert_eq!(small.next_questions, big.next_questions, "{}", q.label);
        }
    }

    #[test]
    fn mix_and_oracle() {
        assert_eq!(text_mix().len(), TEXTS.len() * 12);
        assert!(code_mix().len() >= 4 * 12);
        let dir = synth::generate(synth::SynthConfig::with_size(3_000));
        let oracle = Oracle::new(&dir);
        let q = &text_mix()[4]; // banque alimentaire, downtown, 50 km
        let rel = oracle.relevant(q);
        assert!(!rel.is_empty());
        assert_eq!(recall_at_10(&rel, &rel), Some(1.0));
    }
}
