//! Raw rows (column → JSON value, from a CSV row or a flattened JSON object), and the
//! typed reading and writing of their fields shared by both forms.
//!
//! Reading rules, the same for CSV and JSON:
//! - an empty cell, a cell holding only spaces, the literal `null` and JSON `null` are absent;
//! - a value that cannot be typed leaves the typed field `None`, is reported, and is kept
//!   verbatim in `extra` under its column name;
//! - a value accepted with normalisation (e.g. `09:00Z`) is typed, reported as a warning,
//!   and its raw text also kept in `extra`;
//! - on export, a raw value kept in `extra` under a standard column wins over the typed
//!   value, so a partner's text comes back unchanged and re-importing reports it again.

use std::borrow::Cow;
use std::sync::Arc;

use jiff::civil::{Date, Time};
use serde_json::Value;

use super::report::{Origin, Position, Problem, ProblemKind, Severity};
use crate::model::{Extra, LangCode, Text};

/// One record before typing: ordered (column, value) pairs. The file name and the column
/// names are shared by every row of a table (no allocation per row or per cell for them).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub source: Arc<str>,
    pub position: Position,
    pub values: Vec<(Arc<str>, Value)>,
}

impl RawRow {
    pub(crate) fn get(&self, col: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(k, _)| &**k == col)
            .map(|(_, v)| v)
            .filter(|v| !is_absent(v))
    }

    pub(crate) fn id(&self) -> Option<String> {
        self.id_text().map(Cow::into_owned)
    }

    /// The id as written (borrowed for a text cell).
    pub(crate) fn id_text(&self) -> Option<Cow<'_, str>> {
        self.get("id").and_then(as_text)
    }
}

/// True for values that mean "no value".
pub(crate) fn is_absent(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty() || s == "null" || s == "NULL",
        _ => false,
    }
}

/// The text of a scalar value (numbers and booleans as written).
pub(crate) fn as_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        _ => None,
    }
}

/// A CSV cell for a value (arrays and objects as JSON text).
pub(crate) fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => as_text(other).map_or_else(|| other.to_string(), Cow::into_owned),
    }
}

/// Outcome of typing one value.
pub(crate) enum Parsed<T> {
    Ok(T),
    /// Accepted with normalisation: the raw value is kept and a warning reported.
    Normalized(T, String),
    /// Accepted as is, with a warning (no raw value kept).
    Warned(T, ProblemKind, String),
    Err(ProblemKind, String),
}

/// Types the fields of one [`RawRow`], collecting problems and the `extra` map.
pub(crate) struct Reader<'a> {
    row: &'a RawRow,
    consumed: Vec<bool>,
    pub origin: Origin,
    pub extra: Extra,
    pub problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(table: &'static str, row: &'a RawRow) -> Self {
        Self {
            row,
            consumed: vec![false; row.values.len()],
            origin: Origin {
                source: row.source.clone(),
                table: Cow::Borrowed(table),
                position: row.position.clone(),
                record_id: row.id(),
            },
            extra: Extra::new(),
            problems: Vec::new(),
        }
    }

    /// The raw value of `col` (absent values are `None`), marking it consumed.
    pub(crate) fn take(&mut self, col: &str) -> Option<&'a Value> {
        let row = self.row;
        let i = row.values.iter().position(|(k, _)| &**k == col)?;
        if let Some(c) = self.consumed.get_mut(i) {
            *c = true;
        }
        row.values.get(i).map(|(_, v)| v).filter(|v| !is_absent(v))
    }

    /// The raw value of `col` without consuming it.
    pub(crate) fn peek(&self, col: &str) -> Option<&'a Value> {
        self.row.get(col)
    }

    pub(crate) fn report(
        &mut self,
        severity: Severity,
        kind: ProblemKind,
        field: &str,
        message: impl Into<String>,
    ) {
        let p = self.origin.problem(severity, kind, Some(field), message);
        self.problems.push(p);
    }

    /// Keeps the raw value of `col` in `extra` (so export writes it back).
    pub(crate) fn keep_raw(&mut self, col: &str) {
        if let Some(v) = self.row.get(col) {
            self.extra.insert(col.to_owned(), v.clone());
        }
    }

    /// The record id; reports a missing one.
    pub(crate) fn id(&mut self) -> String {
        self.string("id")
    }

    /// A required-ish string: absent is empty.
    pub(crate) fn string(&mut self, col: &str) -> String {
        self.opt_string(col).unwrap_or_default()
    }

    /// A string that must be present.
    pub(crate) fn required(&mut self, col: &str) -> String {
        let s = self.string(col);
        if s.is_empty() && !self.extra.contains_key(col) {
            self.report(
                Severity::Error,
                ProblemKind::MissingField,
                col,
                format!("required field {col} is empty"),
            );
        }
        s
    }

    pub(crate) fn opt_string(&mut self, col: &str) -> Option<String> {
        self.parse(col, |v| match as_text(v) {
            Some(s) => Parsed::Ok(s.into_owned()),
            None => Parsed::Err(ProblemKind::InvalidValue, "expected text".into()),
        })
    }

    /// Text in the default language plus `col@lang` translations.
    pub(crate) fn text(&mut self, col: &str) -> Text {
        let mut text = Text::new(self.string(col));
        let prefix = format!("{col}@");
        let row = self.row;
        for (i, (k, v)) in row.values.iter().enumerate() {
            let Some(lang) = k.strip_prefix(&prefix) else {
                continue;
            };
            match LangCode::new(lang) {
                Ok(code) => {
                    if let Some(c) = self.consumed.get_mut(i) {
                        *c = true;
                    }
                    if !is_absent(v) {
                        match as_text(v) {
                            Some(s) => {
                                text.translations.insert(code, s.into_owned());
                            }
                            None => {
                                self.extra.insert(k.to_string(), v.clone());
                                self.report(
                                    Severity::Error,
                                    ProblemKind::InvalidValue,
                                    k,
                                    "expected text",
                                );
                            }
                        }
                    }
                }
                Err(e) => {
                    // left unconsumed: kept in extra under its column name
                    self.report(
                        Severity::Error,
                        ProblemKind::InvalidLanguageCode,
                        k,
                        format!("translation column: {e}; kept as an unknown column"),
                    );
                }
            }
        }
        text
    }

    /// Types `col` with `f`; on failure reports, keeps the raw value and returns `None`.
    pub(crate) fn parse<T>(&mut self, col: &str, f: impl FnOnce(&Value) -> Parsed<T>) -> Option<T> {
        let v = self.take(col)?;
        match f(v) {
            Parsed::Ok(t) => Some(t),
            Parsed::Normalized(t, msg) => {
                self.extra.insert(col.to_owned(), v.clone());
                self.report(Severity::Warning, ProblemKind::Normalized, col, msg);
                Some(t)
            }
            Parsed::Warned(t, kind, msg) => {
                self.report(Severity::Warning, kind, col, msg);
                Some(t)
            }
            Parsed::Err(kind, msg) => {
                self.extra.insert(col.to_owned(), v.clone());
                self.report(Severity::Error, kind, col, msg);
                None
            }
        }
    }

    pub(crate) fn f64(&mut self, col: &str) -> Option<f64> {
        self.parse(col, parse_f64)
    }

    pub(crate) fn u32(&mut self, col: &str) -> Option<u32> {
        self.parse(col, |v| match as_text(v).map(|s| s.trim().parse::<u32>()) {
            Some(Ok(n)) => Parsed::Ok(n),
            _ => Parsed::Err(
                ProblemKind::InvalidValue,
                format!("{} is not a whole number ≥ 0", quote(v)),
            ),
        })
    }

    pub(crate) fn date(&mut self, col: &str) -> Option<Date> {
        self.parse(col, parse_date)
    }

    pub(crate) fn time(&mut self, col: &str) -> Option<Time> {
        self.parse(col, parse_time)
    }

    /// Everything not consumed goes to `extra`; the record's extra map, problems and origin.
    pub(crate) fn finish(mut self) -> (Extra, Vec<Problem>, Origin) {
        for ((k, v), consumed) in self.row.values.iter().zip(&self.consumed) {
            if !consumed && !is_absent(v) && !self.extra.contains_key(&**k) {
                self.extra.insert(k.to_string(), v.clone());
            }
        }
        (self.extra, self.problems, self.origin)
    }
}

/// A value quoted for a message, shortened.
pub(crate) fn quote(v: &Value) -> String {
    let s = cell(v);
    format!("{:?}", crate::model::truncate(&s, 40))
}

pub(crate) fn parse_f64(v: &Value) -> Parsed<f64> {
    let n = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match n {
        Some(n) if n.is_finite() => Parsed::Ok(n),
        _ => Parsed::Err(
            ProblemKind::InvalidValue,
            format!("{} is not a number", quote(v)),
        ),
    }
}

pub(crate) fn parse_date(v: &Value) -> Parsed<Date> {
    let Some(s) = as_text(v) else {
        return Parsed::Err(ProblemKind::InvalidValue, "expected a date".into());
    };
    let s = s.trim();
    let strict = s.len() == 10;
    match s.get(..10).map(str::parse::<Date>) {
        Some(Ok(d)) if strict => Parsed::Ok(d),
        Some(Ok(d)) if matches!(s.as_bytes().get(10), Some(b'T' | b' ')) => {
            Parsed::Normalized(d, format!("{} read as the date {d}", quote(v)))
        }
        _ => Parsed::Err(
            ProblemKind::InvalidValue,
            format!("{} is not a date (YYYY-MM-DD)", quote(v)),
        ),
    }
}

/// `HH:MM`, `HH:MM:SS`; a trailing `Z` (or `+00:00`) is read as local wall time.
pub(crate) fn parse_time(v: &Value) -> Parsed<Time> {
    let Some(s) = as_text(v) else {
        return Parsed::Err(ProblemKind::InvalidValue, "expected a time".into());
    };
    let raw = s.trim();
    if let Some(t) = twelve_hour(raw) {
        return Parsed::Normalized(
            t,
            format!(
                "{} read as {} (24-hour HH:MM expected)",
                quote(v),
                format_time(t)
            ),
        );
    }
    let (body, zoned) = match raw.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => match raw.strip_suffix("+00:00") {
            Some(b) if b.len() >= 5 => (b, true),
            _ => (raw, false),
        },
    };
    let mut parts = body.split(':');
    let num = |p: Option<&str>| -> Option<i8> {
        let p = p?;
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let h = num(parts.next());
    let m = num(parts.next());
    let sec = match parts.next() {
        None => Some(0),
        some => num(some),
    };
    let time = match (h, m, sec, parts.next()) {
        (Some(h), Some(m), Some(s), None) => Time::new(h, m, s, 0).ok(),
        _ => None,
    };
    match time {
        Some(t) if zoned => Parsed::Normalized(
            t,
            format!(
                "{} has a UTC designator; read as local time {}",
                quote(v),
                format_time(t)
            ),
        ),
        Some(t) => Parsed::Ok(t),
        None => Parsed::Err(
            ProblemKind::InvalidValue,
            format!("{} is not a time (HH:MM or HH:MM:SS)", quote(v)),
        ),
    }
}

/// `9am`, `9 AM`, `4:00 PM`, `12pm`.
fn twelve_hour(s: &str) -> Option<Time> {
    let lower = s.to_ascii_lowercase();
    let (body, pm) = match (lower.strip_suffix("am"), lower.strip_suffix("pm")) {
        (Some(b), _) => (b, false),
        (_, Some(b)) => (b, true),
        _ => return None,
    };
    let body = body.trim_end_matches(['.', ' ']).trim();
    let (h, m) = body.split_once(':').unwrap_or((body, "00"));
    let digits = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    if !(1..=12).contains(&h) {
        return None;
    }
    let h = (h % 12) + if pm { 12 } else { 0 };
    Time::new(h, m, 0, 0).ok()
}

pub(crate) fn format_time(t: Time) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// A JSON number for `n`, integral when it is a whole number.
pub(crate) fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        // exact: |n| < 2^53
        #[allow(clippy::cast_possible_truncation)]
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// Builds the ordered (column, value) pairs of one record for export.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub values: Vec<(String, Value)>,
}

impl Writer {
    pub(crate) fn str(&mut self, col: &str, s: &str) {
        if !s.is_empty() {
            self.values
                .push((col.to_owned(), Value::String(s.to_owned())));
        }
    }

    pub(crate) fn opt(&mut self, col: &str, s: &Option<String>) {
        if let Some(s) = s {
            self.str(col, s);
        }
    }

    pub(crate) fn text(&mut self, col: &str, t: &Text) {
        self.str(col, &t.value);
        for (lang, s) in &t.translations {
            self.str(&format!("{col}@{lang}"), s);
        }
    }

    pub(crate) fn num(&mut self, col: &str, n: Option<f64>) {
        if let Some(n) = n {
            self.values.push((col.to_owned(), number(n)));
        }
    }

    pub(crate) fn uint(&mut self, col: &str, n: Option<u32>) {
        if let Some(n) = n {
            self.values.push((col.to_owned(), Value::from(n)));
        }
    }

    pub(crate) fn date(&mut self, col: &str, d: Option<Date>) {
        if let Some(d) = d {
            self.str(col, &d.to_string());
        }
    }

    pub(crate) fn time(&mut self, col: &str, t: Option<Time>) {
        if let Some(t) = t {
            self.str(col, &format_time(t));
        }
    }

    /// Adds `extra`: raw values of standard columns replace the typed ones.
    pub(crate) fn finish(mut self, extra: &Extra) -> Vec<(String, Value)> {
        for (k, v) in extra {
            match self.values.iter_mut().find(|(c, _)| c == k) {
                Some(slot) => slot.1 = v.clone(),
                None => self.values.push((k.clone(), v.clone())),
            }
        }
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(values: Vec<(&str, Value)>) -> RawRow {
        RawRow {
            source: "t.csv".into(),
            position: Position::Row(1),
            values: values.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        }
    }

    #[test]
    fn times() {
        assert!(
            matches!(parse_time(&json!("09:00")), Parsed::Ok(t) if t == Time::constant(9, 0, 0, 0))
        );
        assert!(matches!(parse_time(&json!("23:59:59")), Parsed::Ok(_)));
        assert!(
            matches!(parse_time(&json!("09:00:00Z")), Parsed::Normalized(t, _) if t == Time::constant(9, 0, 0, 0))
        );
        assert!(
            matches!(parse_time(&json!("9am")), Parsed::Normalized(t, _) if t == Time::constant(9, 0, 0, 0))
        );
        assert!(
            matches!(parse_time(&json!("4:00 PM")), Parsed::Normalized(t, _) if t == Time::constant(16, 0, 0, 0))
        );
        assert!(
            matches!(parse_time(&json!("12am")), Parsed::Normalized(t, _) if t == Time::constant(0, 0, 0, 0))
        );
        assert!(matches!(parse_time(&json!("13pm")), Parsed::Err(..)));
        assert!(matches!(parse_time(&json!("noon")), Parsed::Err(..)));
        assert!(matches!(parse_time(&json!("25:00")), Parsed::Err(..)));
        assert!(matches!(parse_time(&json!("10:00:00:00")), Parsed::Err(..)));
    }

    #[test]
    fn null_and_blank_are_absent() {
        let r = row(vec![
            ("a", json!("null")),
            ("b", json!("  ")),
            ("c", json!("x")),
        ]);
        assert!(r.get("a").is_none());
        assert!(r.get("b").is_none());
        assert_eq!(r.get("c"), Some(&json!("x")));
    }

    #[test]
    fn invalid_value_kept_raw() {
        let r = row(vec![
            ("id", json!("s1")),
            ("minimum_age", json!("twelve")),
            ("x", json!("y")),
        ]);
        let mut rd = Reader::new("services", &r);
        assert_eq!(rd.f64("minimum_age"), None);
        let (extra, problems, _) = rd.finish();
        assert_eq!(extra.get("minimum_age"), Some(&json!("twelve")));
        assert_eq!(extra.get("x"), Some(&json!("y")));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].record_id.as_deref(), Some("s1"));
    }

    #[test]
    fn translations() {
        let r = row(vec![
            ("name", json!("Food")),
            ("name@fr", json!("Nourriture")),
            ("name@french", json!("x")),
        ]);
        let mut rd = Reader::new("services", &r);
        let t = rd.text("name");
        assert_eq!(t.get(&LangCode::fr()), "Nourriture");
        let (extra, problems, _) = rd.finish();
        assert_eq!(extra.get("name@french"), Some(&json!("x")));
        assert_eq!(problems[0].kind, ProblemKind::InvalidLanguageCode);
    }

    #[test]
    fn writer_prefers_raw() {
        let mut w = Writer::default();
        w.time("opens_at", Some(Time::constant(9, 0, 0, 0)));
        w.num("minimum_age", Some(12.0));
        let mut extra = Extra::new();
        extra.insert("opens_at".into(), json!("09:00:00Z"));
        extra.insert("zzz".into(), json!("1"));
        let v = w.finish(&extra);
        assert_eq!(v[0], ("opens_at".into(), json!("09:00:00Z")));
        assert_eq!(v[1], ("minimum_age".into(), json!(12)));
        assert_eq!(v[2], ("zzz".into(), json!("1")));
    }
}
