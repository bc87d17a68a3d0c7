//! Build step: facts the directory states about each owner (service, location, SAL):
//! service areas, languages, accessibility codes, capacity and cost.

use foldhash::{HashMap, HashMapExt};

use crate::model::{Directory, Text};

use super::dict_bit;

/// Cost class of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cost {
    Free,
    Unknown,
    Paid,
}

/// Per-owner facts, with the language and accessibility dictionaries their bits index.
#[derive(Debug)]
pub(crate) struct OwnerFacts<'a> {
    /// Service areas (indices into `Directory::service_areas`) by service id.
    pub(crate) areas_by_service: HashMap<&'a str, Vec<usize>>,
    /// Service areas by SAL id (they override the service's).
    pub(crate) areas_by_sal: HashMap<&'a str, Vec<usize>>,
    /// Language bits by owner (service or location id).
    pub(crate) langs_by_owner: HashMap<&'a str, u64>,
    /// Accessibility bits by location id.
    pub(crate) access_by_location: HashMap<&'a str, u32>,
    /// Capacity (available / maximum in `[0, 1]`) by service id.
    pub(crate) capacity: HashMap<String, f32>,
    /// Cost class from `cost_option` rows by service id.
    pub(crate) cost_by_service: HashMap<&'a str, Cost>,
    /// Language codes (primary subtags) the language bits index.
    pub(crate) languages: Vec<String>,
    /// Accessibility codes the accessibility bits index.
    pub(crate) access_codes: Vec<String>,
}

impl<'a> OwnerFacts<'a> {
    /// Reads the facts of every owner in the directory.
    pub(crate) fn new(dir: &'a Directory) -> Self {
        let mut areas_by_service: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut areas_by_sal: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in dir.service_areas.iter().enumerate() {
            if let Some(s) = &a.service_at_location_id {
                areas_by_sal.entry(s.as_str()).or_default().push(i);
            } else if let Some(s) = &a.service_id {
                areas_by_service.entry(s.as_str()).or_default().push(i);
            }
        }
        let mut languages: Vec<String> = Vec::new();
        let mut langs_by_owner: HashMap<&str, u64> = HashMap::new();
        for l in &dir.languages {
            let Some(code) = &l.code else { continue };
            let bit = dict_bit(&mut languages, code.primary(), 63);
            for owner in [&l.service_id, &l.location_id].into_iter().flatten() {
                *langs_by_owner.entry(owner.as_str()).or_default() |= bit;
            }
        }
        let mut access_codes: Vec<String> = Vec::new();
        let mut access_by_location: HashMap<&str, u32> = HashMap::new();
        for a in &dir.accessibility {
            let Some(loc) = &a.location_id else { continue };
            let mut bits = crate::matching::access::ACCESS_KNOWN;
            for code in crate::matching::access::record_codes(a) {
                bits |= dict_bit(&mut access_codes, &code, 31) as u32;
            }
            *access_by_location.entry(loc.as_str()).or_default() |= bits;
        }
        Self {
            areas_by_service,
            areas_by_sal,
            langs_by_owner,
            access_by_location,
            capacity: capacity(dir),
            cost_by_service: cost_by_service(dir),
            languages,
            access_codes,
        }
    }

    /// The cost class of a service: its `cost_option` rows, else its fee text.
    pub(crate) fn cost(&self, service_id: &str, fees: &Text) -> Cost {
        self.cost_by_service
            .get(service_id)
            .copied()
            .unwrap_or_else(|| cost_from_text(fees))
    }
}

/// Capacity by service (HSDS 3.1 `service_capacity`, kept in `other_tables`).
fn capacity(dir: &Directory) -> HashMap<String, f32> {
    let mut capacity: HashMap<String, f32> = HashMap::new();
    if let Some(rows) = dir.other_tables.get("service_capacity") {
        for row in rows {
            let sid = row.get("service_id").and_then(json_str);
            let avail = row.get("available").and_then(json_num);
            let max = row.get("maximum").and_then(json_num);
            if let (Some(sid), Some(avail)) = (sid, avail) {
                let v = match max {
                    Some(m) if m > 0.0 => (avail / m).clamp(0.0, 1.0),
                    _ if avail <= 0.0 => 0.0,
                    _ => 1.0,
                };
                capacity.insert(sid, v as f32);
            }
        }
    }
    capacity
}

/// Cost class by service from `cost_option` rows: free if any option is free, else paid if
/// any has an amount.
fn cost_by_service(dir: &Directory) -> HashMap<&str, Cost> {
    let mut cost_by_service: HashMap<&str, Cost> = HashMap::new();
    for c in &dir.cost_options {
        let this = match c.amount {
            Some(a) if a <= 0.0 => Cost::Free,
            Some(_) => Cost::Paid,
            None => Cost::Unknown,
        };
        let e = cost_by_service
            .entry(c.service_id.as_str())
            .or_insert(Cost::Unknown);
        *e = match (*e, this) {
            (Cost::Free, _) | (_, Cost::Free) => Cost::Free,
            (Cost::Paid, _) | (_, Cost::Paid) => Cost::Paid,
            _ => Cost::Unknown,
        };
    }
    cost_by_service
}

/// Cost class from fee text: "free"/"gratuit" words, else a `$`, "fee" or "frais".
pub(crate) fn cost_from_text(fees: &Text) -> Cost {
    if fees.all().all(str::is_empty) {
        return Cost::Unknown; // what the folding below gives for no text, without allocating
    }
    let folded = crate::matching::needs::fold(&fees.all().collect::<Vec<_>>().join(" "));
    let words: Vec<&str> = folded.split(' ').collect();
    if words
        .iter()
        .any(|w| matches!(*w, "free" | "gratuit" | "gratuite" | "gratuits"))
    {
        Cost::Free
    } else if folded.contains('$') || words.contains(&"fee") || words.contains(&"frais") {
        Cost::Paid
    } else {
        Cost::Unknown
    }
}

fn json_str(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn json_num(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}
