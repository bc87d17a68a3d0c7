//! The lean JSON result: the rows of [`SearchResults::rows`] (one object per match, one per
//! need without a match) plus the crisis notice, without the contact details, reasons and
//! translations of the full JSON form. For callers that pay per byte decoded (a Python
//! `json.loads`, a browser) and fetch a service's details by id when the resident picks it.

use serde::ser::SerializeTuple;
use serde::{Serialize, Serializer};

use crate::model::Openness;

use super::contact::{PhoneContact, PostalAddress};
use super::result::{Match, NeedResults, SearchResults};
use super::result_json::{crisis, CrisisJson};
use super::rows::{crisis_name, ResultRow};

/// One row: the fields of [`ResultRow`](super::ResultRow), written as a JSON array in
/// the order of [`ResultRow::COLUMNS`](super::ResultRow::COLUMNS), `missing_facts` a list.
struct RowJson<'a> {
    need_index: usize,
    rank: Option<usize>,
    service_id: Option<&'a str>,
    service_at_location_id: Option<&'a str>,
    location_id: Option<&'a str>,
    service_name: Option<&'a str>,
    phone: Option<String>,
    address: Option<String>,
    distance_m: Option<f64>,
    via: Option<&'static str>,
    eligibility: Option<&'static str>,
    missing_facts: &'a [String],
    open_now: Option<bool>,
    score: Option<f64>,
    total: usize,
    crisis: Option<&'static str>,
    reason: Option<&'static str>,
}

impl Serialize for RowJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut row = serializer.serialize_tuple(ResultRow::COLUMNS.len())?;
        row.serialize_element(&self.need_index)?;
        row.serialize_element(&self.rank)?;
        row.serialize_element(&self.service_id)?;
        row.serialize_element(&self.service_at_location_id)?;
        row.serialize_element(&self.location_id)?;
        row.serialize_element(&self.service_name)?;
        row.serialize_element(&self.phone)?;
        row.serialize_element(&self.address)?;
        row.serialize_element(&self.distance_m)?;
        row.serialize_element(&self.via)?;
        row.serialize_element(&self.eligibility)?;
        row.serialize_element(&self.missing_facts)?;
        row.serialize_element(&self.open_now)?;
        row.serialize_element(&self.score)?;
        row.serialize_element(&self.total)?;
        row.serialize_element(&self.crisis)?;
        row.serialize_element(&self.reason)?;
        row.end()
    }
}

fn no_match_row(n: &NeedResults) -> RowJson<'_> {
    RowJson {
        need_index: n.need_index,
        rank: None,
        service_id: None,
        service_at_location_id: None,
        location_id: None,
        service_name: None,
        phone: None,
        address: None,
        distance_m: None,
        via: None,
        eligibility: None,
        missing_facts: &[],
        open_now: None,
        score: None,
        total: n.total,
        crisis: n.crisis.map(crisis_name),
        reason: n.no_match.map(|r| r.as_str()),
    }
}

fn match_row<'a>(n: &'a NeedResults, m: &'a Match) -> RowJson<'a> {
    RowJson {
        need_index: n.need_index,
        rank: Some(m.rank),
        service_id: Some(&m.service_id),
        service_at_location_id: m.service_at_location_id.as_deref(),
        location_id: m.location_id.as_deref(),
        service_name: Some(&m.service_name.value),
        phone: m.contact.phones.first().map(PhoneContact::one_line),
        address: m.contact.address.as_ref().map(PostalAddress::one_line),
        distance_m: m.distance_m,
        via: Some(m.via.as_str()),
        eligibility: Some(m.eligibility.status.as_str()),
        missing_facts: &m.eligibility.missing_facts,
        open_now: match m.openness {
            Openness::Open { .. } => Some(true),
            Openness::Closed { .. } => Some(false),
            _ => None,
        },
        score: Some(m.score),
        total: n.total,
        crisis: n.crisis.map(crisis_name),
        reason: None,
    }
}

/// The lean JSON form of a search result; see [`SearchResults::rows_json`].
#[derive(Serialize)]
pub struct RowsJson<'a> {
    columns: [&'static str; 17],
    rows: Vec<RowJson<'a>>,
    crisis: Option<CrisisJson<'a>>,
    at_epoch_seconds: i64,
}

impl SearchResults {
    /// The result in its lean JSON form (serialize it with `serde_json`), a result set:
    /// the column names once, then one array per row in that order:
    ///
    /// ```json
    /// {"columns": ["need_index", "rank", "service_id", "service_at_location_id",
    ///              "location_id", "service_name", "phone", "address", "distance_m", "via",
    ///              "eligibility", "missing_facts", "open_now", "score", "total", "crisis",
    ///              "reason"],
    ///  "rows": [[0, 1, "s1", "sal1", "l1", "Food Bank", "613-555-0100",
    ///            "1 Main St, Ottawa, ON K1A 0A1", 812.5, "in_person", "unknown", ["age"],
    ///            true, 0.81, 12, null, null]],
    ///  "crisis": null, "at_epoch_seconds": 1780000000}
    /// ```
    ///
    /// `columns` are [`ResultRow::COLUMNS`], `rows` are [`SearchResults::rows`] (same order,
    /// same values; `missing_facts` a list), `crisis` is the crisis notice as in the full
    /// JSON form (`kind`, `needs`, `message.en` / `message.fr`). Details (all phones, hours,
    /// fees, reasons) are left out: look a service up by id, or use the full form. Arrays
    /// rather than objects per row: a decoder builds no per-row map (a third of the decoding
    /// time in Python's `json`).
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample())?;
    /// let results = nav.search(&Query::new([Need::text("food bank")]))?;
    /// let json = serde_json::to_value(results.rows_json()).unwrap();
    /// assert_eq!(json["columns"][2], "service_id");
    /// assert_eq!(json["rows"][0][1], 1); // rank
    /// assert_eq!(json["rows"][0][2], results.needs[0].matches[0].service_id.as_str());
    /// # Ok::<(), passerelle::Error>(())
    /// ```
    pub fn rows_json(&self) -> RowsJson<'_> {
        let mut rows = Vec::new();
        for n in &self.needs {
            if n.matches.is_empty() {
                rows.push(no_match_row(n));
            }
            rows.extend(n.matches.iter().map(|m| match_row(n, m)));
        }
        RowsJson {
            columns: ResultRow::COLUMNS,
            rows,
            crisis: self.crisis.as_ref().map(crisis),
            at_epoch_seconds: self.at.as_second(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::matching::{Navigator, NavigatorOptions, Need, Query, ResultRow};
    use crate::model::{Directory, GeoPoint};

    /// Every JSON row holds the values of the matching `ResultRow`, column by column.
    #[test]
    fn json_rows_equal_the_rows() {
        let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
        let query = Query::new([
            Need::text("food bank"),
            Need::text("zzqx"),
            Need::text("housing"),
        ])
        .near(GeoPoint::new(45.4215, -75.6972).unwrap(), 25_000.0);
        let results = nav.search(&query).unwrap();
        let rows = results.rows();
        assert!(rows.iter().any(|r| r.rank.is_some()));
        assert!(rows.iter().any(|r| r.reason.is_some()));
        let json = serde_json::to_value(results.rows_json()).unwrap();
        let out = json["rows"].as_array().unwrap();
        assert_eq!(out.len(), rows.len());
        assert_eq!(json["columns"], serde_json::json!(ResultRow::COLUMNS));
        for (values, r) in out.iter().zip(&rows) {
            let values = values.as_array().unwrap();
            assert_eq!(values.len(), ResultRow::COLUMNS.len());
            let j = |name: &str| {
                let i = ResultRow::COLUMNS.iter().position(|c| *c == name).unwrap();
                values[i].clone()
            };
            assert_eq!(j("need_index"), r.need_index);
            assert_eq!(j("rank"), serde_json::json!(r.rank));
            assert_eq!(j("service_id"), serde_json::json!(r.service_id));
            assert_eq!(
                j("service_at_location_id"),
                serde_json::json!(r.service_at_location_id)
            );
            assert_eq!(j("location_id"), serde_json::json!(r.location_id));
            assert_eq!(j("service_name"), serde_json::json!(r.service_name));
            assert_eq!(j("phone"), serde_json::json!(r.phone));
            assert_eq!(j("address"), serde_json::json!(r.address));
            assert_eq!(j("distance_m"), serde_json::json!(r.distance_m));
            assert_eq!(j("via"), serde_json::json!(r.via));
            assert_eq!(j("eligibility"), serde_json::json!(r.eligibility));
            assert_eq!(j("missing_facts"), serde_json::json!(r.missing_facts));
            assert_eq!(j("open_now"), serde_json::json!(r.open_now));
            assert_eq!(j("score"), serde_json::json!(r.score));
            assert_eq!(j("total"), r.total);
            assert_eq!(j("crisis"), serde_json::json!(r.crisis));
            assert_eq!(j("reason"), serde_json::json!(r.reason));
        }
        assert_eq!(json["at_epoch_seconds"], results.at.as_second());
        assert!(json["crisis"].is_null());
    }

    #[test]
    fn the_crisis_notice_is_kept() {
        let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
        let results = nav
            .search(&Query::new([Need::text("suicidal thoughts")]))
            .unwrap();
        let notice = results.crisis.as_ref().unwrap();
        let json = serde_json::to_value(results.rows_json()).unwrap();
        assert_eq!(json["crisis"]["message"]["en"], notice.message.en.as_str());
        assert_eq!(json["crisis"]["needs"], serde_json::json!(notice.needs));
        assert_eq!(json["rows"][0][15], "suicide_or_self_harm");
    }
}
