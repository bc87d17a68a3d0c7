//! A search result flattened to one row per match (and one per need without a match): the
//! table form for data teams, columnar batch output and spreadsheets.

use crate::model::Openness;
use crate::text::CrisisKind;

use super::contact::{PhoneContact, PostalAddress};
use super::result::SearchResults;

/// One row of a flattened search result: a match, or a need without any (then `rank` and
/// the service fields are `None` and `reason` says why).
///
/// Text fields are the directory's own values (service name in its default language);
/// enum fields are the stable snake_case names of their `as_str` functions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultRow {
    /// Position of the need in the query.
    pub need_index: usize,
    /// 1-based rank of the match; `None` for a need without a match.
    pub rank: Option<usize>,
    /// The service.
    pub service_id: Option<String>,
    /// The service at location, when in person.
    pub service_at_location_id: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// The service's name (default language).
    pub service_name: Option<String>,
    /// The first number to call, with its extension, on one line.
    pub phone: Option<String>,
    /// The location's address on one line.
    pub address: Option<String>,
    /// Distance from the resident, in metres.
    pub distance_m: Option<f64>,
    /// How the service reaches the resident (`in_person`, `phone` …).
    pub via: Option<&'static str>,
    /// `eligible`, `unknown` or `ineligible`.
    pub eligibility: Option<&'static str>,
    /// Facts that would settle eligibility, in catalogue order (empty for a need without a
    /// match).
    pub missing_facts: Vec<String>,
    /// Open at the search instant; `None` when unknown.
    pub open_now: Option<bool>,
    /// The match's score.
    pub score: Option<f64>,
    /// Matches found for the need before paging.
    pub total: usize,
    /// The crisis the need expresses (`immediate_danger`, `suicide_or_self_harm`,
    /// `violence_or_abuse`).
    pub crisis: Option<&'static str>,
    /// Why a need has no match (`need_not_understood`, `all_too_far` …).
    pub reason: Option<&'static str>,
}

impl ResultRow {
    /// Column names of the row, in field order: the header of [`ResultRow::csv_record`].
    /// Every table form of a result uses these names: the Arrow batch output (between its
    /// `query_index`/`need_id` and `error` columns, see `matching::arrow::OUTPUT_COLUMNS`),
    /// [`SearchResults::rows_json`] and the bindings' row and batch paths.
    pub const COLUMNS: [&'static str; 17] = [
        "need_index",
        "rank",
        "service_id",
        "service_at_location_id",
        "location_id",
        "service_name",
        "phone",
        "address",
        "distance_m",
        "via",
        "eligibility",
        "missing_facts",
        "open_now",
        "score",
        "total",
        "crisis",
        "reason",
    ];

    /// The row as one CSV record (no line end), columns as [`ResultRow::COLUMNS`]: empty
    /// cells for `None`, fields quoted when they hold a comma, a quote or a line break.
    /// `missing_facts` is one cell, the fact names joined with `;` (`age;disability`).
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::ResultRow;
    /// let row = ResultRow {
    ///     rank: Some(1),
    ///     service_name: Some("Food, Inc.".into()),
    ///     ..ResultRow::default()
    /// };
    /// assert!(row.csv_record().starts_with("0,1,,,,\"Food, Inc.\","));
    /// assert_eq!(row.csv_record().split(',').count(), ResultRow::COLUMNS.len() + 1);
    /// let unknown = ResultRow {
    ///     missing_facts: vec!["age".into(), "disability".into()],
    ///     ..ResultRow::default()
    /// };
    /// assert_eq!(unknown.csv_record().split(',').nth(11), Some("age;disability"));
    /// ```
    pub fn csv_record(&self) -> String {
        let opt = |v: Option<String>| v.unwrap_or_default();
        let cells = [
            self.need_index.to_string(),
            opt(self.rank.map(|r| r.to_string())),
            opt(self.service_id.clone()),
            opt(self.service_at_location_id.clone()),
            opt(self.location_id.clone()),
            opt(self.service_name.clone()),
            opt(self.phone.clone()),
            opt(self.address.clone()),
            opt(self.distance_m.map(|d| d.to_string())),
            opt(self.via.map(str::to_owned)),
            opt(self.eligibility.map(str::to_owned)),
            self.missing_facts.join(";"),
            opt(self.open_now.map(|o| o.to_string())),
            opt(self.score.map(|s| s.to_string())),
            self.total.to_string(),
            opt(self.crisis.map(str::to_owned)),
            opt(self.reason.map(str::to_owned)),
        ];
        cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A CSV field, quoted when it must be.
fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

/// The stable snake_case name of a crisis kind.
pub(super) fn crisis_name(kind: CrisisKind) -> &'static str {
    match kind {
        CrisisKind::ImmediateDanger => "immediate_danger",
        CrisisKind::SuicideOrSelfHarm => "suicide_or_self_harm",
        CrisisKind::ViolenceOrAbuse => "violence_or_abuse",
    }
}

impl SearchResults {
    /// The result as rows: each need's matches in rank order, one row for a need without a
    /// match, needs in query order.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample())?;
    /// let results = nav.search(&Query::new([Need::text("food bank"), Need::text("zzqx")]))?;
    /// let rows = results.rows();
    /// assert_eq!(rows[0].rank, Some(1));
    /// assert!(rows.iter().any(|r| r.need_index == 1 && r.reason.is_some()));
    /// # Ok::<(), passerelle::Error>(())
    /// ```
    pub fn rows(&self) -> Vec<ResultRow> {
        let mut out = Vec::new();
        for n in &self.needs {
            let crisis = n.crisis.map(crisis_name);
            if n.matches.is_empty() {
                out.push(ResultRow {
                    need_index: n.need_index,
                    total: n.total,
                    crisis,
                    reason: n.no_match.map(|r| r.as_str()),
                    ..ResultRow::default()
                });
            }
            for m in &n.matches {
                out.push(ResultRow {
                    need_index: n.need_index,
                    rank: Some(m.rank),
                    service_id: Some(m.service_id.clone()),
                    service_at_location_id: m.service_at_location_id.clone(),
                    location_id: m.location_id.clone(),
                    service_name: Some(m.service_name.value.clone()),
                    phone: m.contact.phones.first().map(PhoneContact::one_line),
                    address: m.contact.address.as_ref().map(PostalAddress::one_line),
                    distance_m: m.distance_m,
                    via: Some(m.via.as_str()),
                    eligibility: Some(m.eligibility.status.as_str()),
                    missing_facts: m.eligibility.missing_facts.clone(),
                    open_now: match m.openness {
                        Openness::Open { .. } => Some(true),
                        Openness::Closed { .. } => Some(false),
                        _ => None,
                    },
                    score: Some(m.score),
                    total: n.total,
                    crisis,
                    reason: None,
                });
            }
        }
        out
    }
}
