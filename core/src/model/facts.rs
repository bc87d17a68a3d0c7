//! Facts derived from HSDS records, read in one place for every consumer (the navigator's
//! index and the gap analysis): need codes, voice phones, the delivery modes of a service
//! with no location, service areas by owner, cost (cost options, else fee text), capacity
//! (`service_capacity` in `other_tables`) and accessibility codes. Schedule precedence is in
//! [`schedule_owners`](super::schedule_owners).

use foldhash::{HashMap, HashMapExt};

use super::access::{access_features, fold_words};
use super::index::DirectoryIndex;
use super::records::{Accessibility, DeliveryMode, Directory, Phone, Service};
use super::values::{TermCode, Text};

/// Whether a term is a need category (not a population or delivery term).
pub(crate) fn is_need_code(code: &TermCode) -> bool {
    let s = code.as_str();
    !(s.starts_with("population.")
        || s.starts_with("delivery.")
        || s == "population"
        || s == "delivery")
}

/// Whether a phone takes calls: a `voice`, `cell` or `textphone` number, or one of no type
/// (fax, pager, SMS-only numbers do not).
pub(crate) fn is_voice(phone: &Phone) -> bool {
    matches!(
        phone.phone_type.as_deref(),
        None | Some("voice" | "cell" | "textphone")
    )
}

impl<'a> DirectoryIndex<'a> {
    /// Need-category codes of a service: `service_category` attributes, and attributes with
    /// no link type whose term is not a population or delivery term.
    pub(crate) fn need_codes_of(
        &'a self,
        service_id: &'a str,
    ) -> impl Iterator<Item = &'a TermCode> + 'a {
        self.attributes_of(service_id)
            .filter(|a| matches!(a.link_type.as_deref(), None | Some("service_category")))
            .filter_map(|a| self.term(&a.taxonomy_term_id))
            .filter_map(|t| t.code.as_ref())
            .filter(|c| is_need_code(c))
    }

    /// Calls `f` with each delivery mode of a service with no location (possibly more than
    /// once): phone when it has a voice phone, virtual when it has a website, and the modes
    /// its `delivery_method` terms declare.
    pub(crate) fn for_each_location_less_mode(
        &self,
        service: &Service,
        mut f: impl FnMut(DeliveryMode),
    ) {
        if self.phones_of(&service.id).any(is_voice) {
            f(DeliveryMode::Phone);
        }
        if service.url.is_some() {
            f(DeliveryMode::Virtual);
        }
        for code in self.term_codes_of(&service.id, "delivery_method") {
            if let Some(m) = DeliveryMode::from_term_code(code.as_str()) {
                f(m);
            }
        }
    }
}

/// Cost class of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Cost {
    Free,
    Unknown,
    Paid,
}

/// Per-owner facts of a directory, read once.
#[derive(Debug)]
pub(crate) struct OwnerFacts<'a> {
    /// Service areas (indices into `Directory::service_areas`) by service id.
    areas_by_service: HashMap<&'a str, Vec<usize>>,
    /// Service areas by service-at-location id (they override the service's).
    areas_by_sal: HashMap<&'a str, Vec<usize>>,
    /// Capacity (available / maximum in `[0, 1]`) by service id.
    capacity: HashMap<&'a str, f32>,
    /// Cost class from `cost_option` rows by service id.
    cost_by_service: HashMap<&'a str, Cost>,
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
        Self {
            areas_by_service,
            areas_by_sal,
            capacity: capacity(dir),
            cost_by_service: cost_by_service(dir),
        }
    }

    /// The service areas (indices into `Directory::service_areas`) declared for a service as
    /// a whole; `None` when none.
    pub(crate) fn service_areas(&self, service_id: &str) -> Option<&[usize]> {
        self.areas_by_service.get(service_id).map(Vec::as_slice)
    }

    /// The service areas declared for one service-at-location; `None` when none.
    pub(crate) fn sal_areas(&self, sal_id: &str) -> Option<&[usize]> {
        self.areas_by_sal.get(sal_id).map(Vec::as_slice)
    }

    /// The cost class of a service: its `cost_option` rows (free if any option is free, else
    /// paid if any has an amount), else its fee text.
    pub(crate) fn cost(&self, service: &Service) -> Cost {
        self.cost_by_service
            .get(service.id.as_str())
            .copied()
            .unwrap_or_else(|| cost_from_text(&service.fees_description))
    }

    /// The capacity of a service (available / maximum in `[0, 1]`), `None` when unknown.
    pub(crate) fn capacity(&self, service_id: &str) -> Option<f32> {
        self.capacity.get(service_id).copied()
    }
}

/// Capacity by service (HSDS 3.1 `service_capacity`, kept in `other_tables`); the last row
/// of a service wins.
fn capacity(dir: &Directory) -> HashMap<&str, f32> {
    let mut capacity: HashMap<&str, f32> = HashMap::new();
    if let Some(rows) = dir.other_tables.get("service_capacity") {
        for row in rows {
            let sid = row.get("service_id").and_then(serde_json::Value::as_str);
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

fn json_num(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Cost class by service from `cost_option` rows.
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

/// Cost class from fee text: a "free"/"gratuit" word, else a "fee" or "frais" word (words
/// folded to lower case without accents).
pub(crate) fn cost_from_text(fees: &Text) -> Cost {
    if fees.all().all(str::is_empty) {
        return Cost::Unknown;
    }
    let words = fold_words(&fees.all().collect::<Vec<_>>().join(" "));
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "free" | "gratuit" | "gratuite" | "gratuits"))
    {
        Cost::Free
    } else if words.iter().any(|w| w == "fee" || w == "frais") {
        Cost::Paid
    } else {
        Cost::Unknown
    }
}

/// The codes of one accessibility record: the features it names (read at import, or from
/// its text for a directory built in code); failing any, the code it starts with
/// (`custom_code: text`), for directories with codes of their own.
pub(crate) fn access_codes(a: &Accessibility) -> Vec<String> {
    let features = if a.features.is_empty() {
        access_features(&a.description, &a.details)
    } else {
        a.features.clone()
    };
    if features.is_empty() {
        let code = code_prefix(&a.description.value);
        return if code.is_empty() { vec![] } else { vec![code] };
    }
    features.iter().map(|f| f.as_str().to_owned()).collect()
}

/// The code a text starts with: before any `:`, trimmed, lower case, spaces and dashes as
/// underscores.
pub(crate) fn code_prefix(text: &str) -> String {
    text.split(':')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CostOption, LangCode};

    #[test]
    fn cost_options_win_over_fee_text() {
        let mut dir = Directory::default();
        let paid_text = Service {
            id: "a".into(),
            fees_description: Text::new("A $5 fee"),
            ..Service::default()
        };
        let free_text = Service {
            id: "b".into(),
            fees_description: Text::new("Gratuit").with(LangCode::fr(), "Gratuit"),
            ..Service::default()
        };
        let silent = Service {
            id: "c".into(),
            fees_description: Text::new("Call us"),
            ..Service::default()
        };
        dir.cost_options.push(CostOption {
            service_id: "a".into(),
            amount: Some(0.0),
            ..CostOption::default()
        });
        let facts = OwnerFacts::new(&dir);
        assert_eq!(facts.cost(&paid_text), Cost::Free);
        assert_eq!(facts.cost(&free_text), Cost::Free);
        assert_eq!(facts.cost(&silent), Cost::Unknown);
        assert_eq!(cost_from_text(&Text::new("Frais de 10 $")), Cost::Paid);
        assert_eq!(cost_from_text(&Text::new("Entrée gratuite.")), Cost::Free);
        assert_eq!(cost_from_text(&Text::new("Fees vary")), Cost::Unknown);
        assert_eq!(cost_from_text(&Text::default()), Cost::Unknown);
    }

    #[test]
    fn fee_words_are_folded() {
        assert_eq!(
            fold_words("Pensées  suicidaires!"),
            ["pensees", "suicidaires", "|"]
        );
        assert_eq!(cost_from_text(&Text::new("FRAIS: 10")), Cost::Paid);
        assert_eq!(cost_from_text(&Text::new("Gratuité")), Cost::Free);
        assert_eq!(cost_from_text(&Text::new("Services GRATUITS")), Cost::Free);
    }

    #[test]
    fn capacity_is_a_ratio_clamped_to_the_unit_interval() {
        let mut dir = Directory::default();
        let rows = [
            serde_json::json!({"service_id": "half", "available": 5, "maximum": 10}),
            serde_json::json!({"service_id": "text", "available": "3", "maximum": "4"}),
            serde_json::json!({"service_id": "over", "available": 12, "maximum": 10}),
            serde_json::json!({"service_id": "full", "available": 0}),
            serde_json::json!({"service_id": "open", "available": 2}),
            serde_json::json!({"available": 2}),
        ];
        dir.other_tables.insert(
            "service_capacity".into(),
            rows.iter()
                .filter_map(|r| r.as_object())
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .collect(),
        );
        let facts = OwnerFacts::new(&dir);
        assert_eq!(facts.capacity("half"), Some(0.5));
        assert_eq!(facts.capacity("text"), Some(0.75));
        assert_eq!(facts.capacity("over"), Some(1.0));
        assert_eq!(facts.capacity("full"), Some(0.0));
        assert_eq!(facts.capacity("open"), Some(1.0));
        assert_eq!(facts.capacity("nobody"), None);
    }

    #[test]
    fn only_calling_numbers_are_voice() {
        let phone = |t: Option<&str>| Phone {
            phone_type: t.map(str::to_owned),
            ..Phone::default()
        };
        for (t, voice) in [
            (None, true),
            (Some("voice"), true),
            (Some("cell"), true),
            (Some("textphone"), true),
            (Some("fax"), false),
            (Some("pager"), false),
            (Some("sms"), false),
        ] {
            assert_eq!(is_voice(&phone(t)), voice, "{t:?}");
        }
    }

    #[test]
    fn sample_location_less_services_have_remote_modes() {
        let dir = Directory::sample();
        let index = DirectoryIndex::new(&dir);
        let mut any = false;
        for s in &dir.services {
            let mut modes = Vec::new();
            index.for_each_location_less_mode(s, |m| modes.push(m));
            if s.url.is_some() {
                assert!(modes.contains(&DeliveryMode::Virtual), "{}", s.id);
            }
            any |= !modes.is_empty();
        }
        assert!(any);
    }
}
