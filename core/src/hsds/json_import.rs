//! The JSON form: flattens compiled HSDS objects into raw tables, then types them like CSV.
//!
//! Nested arrays become child rows whose foreign key is the parent's id (`phones` under a
//! service get `service_id`); nested objects become rows whose id is written into the parent
//! (`organization` under a service sets the service's `organization_id`). Explicit values win
//! over implied ones. A record met twice is merged when the two agree and reported as
//! [`ProblemKind::ConflictingDuplicate`] when they differ (the first values are kept).

use std::collections::HashMap;

use serde_json::Value;

use super::build::{self, Tables, ELIGIBILITY_TABLES, TYPED_ORDER};
use super::fields::{is_absent, RawRow};
use super::report::{Origin, Position, ProblemKind, Severity};
use super::tables::OTHER_TABLES;
use super::{ImportError, ImportOptions, Imported};

/// How a nested property relates to its parent.
enum Child {
    /// An array of child records carrying `fk` = parent id.
    Many(&'static str, &'static str),
    /// One record whose id goes into the parent's `fk`.
    One(&'static str, &'static str),
}

fn child(table: &str, key: &str) -> Option<Child> {
    use Child::{Many, One};
    let same = |k: &str| -> Option<&'static str> {
        Some(match k {
            "phones" => "phones",
            "schedules" => "schedules",
            "service_areas" => "service_areas",
            "languages" => "languages",
            "funding" => "funding",
            "contacts" => "contacts",
            "locations" => "locations",
            "programs" => "programs",
            "organization_identifiers" => "organization_identifiers",
            "services" => "services",
            "addresses" => "addresses",
            "accessibility" => "accessibility",
            "cost_options" => "cost_options",
            "required_documents" => "required_documents",
            "service_at_locations" => "service_at_location",
            "capacities" => "service_capacity",
            "additional_urls" | "additional_websites" => "url",
            _ => return None,
        })
    };
    Some(match (table, key) {
        (_, "attributes") => Many("attributes", "link_id"),
        (_, "metadata") => Many("metadata", "resource_id"),
        ("services", "organization") => One("organizations", "organization_id"),
        ("services", "program") => One("programs", "program_id"),
        (
            "services",
            "phones"
            | "schedules"
            | "service_areas"
            | "service_at_locations"
            | "languages"
            | "funding"
            | "cost_options"
            | "required_documents"
            | "contacts"
            | "capacities"
            | "additional_urls",
        ) => Many(same(key)?, "service_id"),
        (
            "organizations",
            "additional_websites"
            | "funding"
            | "contacts"
            | "phones"
            | "locations"
            | "programs"
            | "organization_identifiers"
            | "services",
        ) => Many(same(key)?, "organization_id"),
        ("service_at_location", "location") => One("locations", "location_id"),
        ("service_at_location", "service") => One("services", "service_id"),
        ("service_at_location", "service_areas" | "contacts" | "phones" | "schedules") => {
            Many(same(key)?, "service_at_location_id")
        }
        (
            "locations",
            "languages" | "addresses" | "contacts" | "accessibility" | "phones" | "schedules",
        ) => Many(same(key)?, "location_id"),
        ("contacts", "phones") => Many("phones", "contact_id"),
        ("phones", "languages") => Many("languages", "phone_id"),
        ("service_capacity", "unit") => One("units", "unit_id"),
        ("attributes", "taxonomy_term") => One("taxonomy_terms", "taxonomy_term_id"),
        ("taxonomy_terms", "taxonomy_detail") => One("taxonomies", "taxonomy_id"),
        _ => return None,
    })
}

/// The HSDS entity name of a table, for an attribute's implied `link_entity`.
fn entity(table: &str) -> &str {
    match table {
        "services" => "service",
        "organizations" => "organization",
        "locations" => "location",
        "phones" => "phone",
        "contacts" => "contact",
        other => other,
    }
}

/// Table named by a top-level key of the wrapper object (or of HSDS `tabular.json`).
fn wrapper_table(key: &str) -> Option<String> {
    let key = key.strip_suffix(".csv").unwrap_or(key);
    if key == "service_at_locations" {
        return Some("service_at_location".into());
    }
    (TYPED_ORDER.contains(&key) || key == ELIGIBILITY_TABLES || OTHER_TABLES.contains(&key))
        .then(|| key.to_owned())
}

/// Guesses the HSDS object kind of a top-level object.
fn detect(obj: &serde_json::Map<String, Value>) -> Option<&'static str> {
    let has = |k: &str| obj.contains_key(k);
    if obj.get("location").is_some_and(Value::is_object)
        || obj.get("service").is_some_and(Value::is_object)
    {
        Some("service_at_location")
    } else if has("taxonomy_detail") || has("term_uri") || (has("code") && has("parent_id")) {
        Some("taxonomy_terms")
    } else if has("services")
        || has("organization_identifiers")
        || has("additional_websites")
        || has("website")
        || has("tax_status")
        || has("year_incorporated")
        || has("locations")
    {
        Some("organizations")
    } else if has("location_type") || has("latitude") || has("addresses") || has("accessibility") {
        Some("locations")
    } else if has("organization")
        || has("organization_id")
        || has("service_at_locations")
        || has("status")
        || has("eligibility_description")
    {
        Some("services")
    } else if has("version") && has("name") {
        Some("taxonomies")
    } else {
        None
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Top-level property of passerelle's JSON export holding the feed's data-package properties
/// (`title`, `licenses`, `sources` …, see `DirectoryMeta::package`).
pub(crate) const DATAPACKAGE: &str = "datapackage";

/// Top-level property of passerelle's JSON export listing each table's ids in directory
/// order, so that nesting does not reorder records on re-import.
pub(crate) const RECORD_ORDER: &str = "record_order";

struct Flattener<'a> {
    t: Tables,
    order: Option<serde_json::Map<String, Value>>,
    file: &'a str,
    line: Option<u64>,
    index: HashMap<(String, String), usize>,
    /// `ImportOptions::max_rows`, applied per table as in CSV.
    max_rows: usize,
    /// Tables already reported `TooManyRows`.
    full: std::collections::HashSet<String>,
}

impl Flattener<'_> {
    fn position(&self, pointer: &str) -> Position {
        Position::Json {
            line: self.line,
            pointer: pointer.to_owned(),
        }
    }

    fn origin(&self, table: &str, pointer: &str, record_id: Option<String>) -> Origin {
        Origin {
            source: self.file.into(),
            table: table.to_owned().into(),
            position: self.position(pointer),
            record_id,
        }
    }

    fn top(&mut self, v: Value, pointer: &str) {
        match v {
            Value::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    self.top(item, &format!("{pointer}/{i}"));
                }
            }
            Value::Object(mut obj) if !obj.contains_key("id") => {
                if let Some(Value::Array(contents)) = obj.remove("contents") {
                    // a list page; its paging fields are not data
                    for (i, item) in contents.into_iter().enumerate() {
                        self.top(item, &format!("{pointer}/contents/{i}"));
                    }
                    return;
                }
                for (k, val) in obj {
                    let here = format!("{pointer}/{}", escape(&k));
                    if k == RECORD_ORDER {
                        if let Value::Object(order) = val {
                            self.order = Some(order);
                        }
                        continue;
                    }
                    if k == "passerelle" {
                        self.t.meta = Some((self.origin("passerelle", &here, None), val));
                        continue;
                    }
                    if let (DATAPACKAGE, Value::Object(package)) = (k.as_str(), &val) {
                        self.t.package.extend(package.clone());
                        continue;
                    }
                    match (wrapper_table(&k), val) {
                        (Some(table), Value::Array(items)) => {
                            for (i, item) in items.into_iter().enumerate() {
                                self.record(&table, item, None, &format!("{here}/{i}"));
                            }
                        }
                        (None, Value::Array(items)) if items.iter().all(Value::is_object) => {
                            // an unknown table: kept verbatim (build reports it)
                            for (i, item) in items.into_iter().enumerate() {
                                self.record(&k, item, None, &format!("{here}/{i}"));
                            }
                        }
                        (_, other) if is_absent(&other) => {}
                        _ => {
                            let p = self.origin("json", &here, None).problem(
                                Severity::Warning,
                                ProblemKind::Unknown,
                                Some(&k),
                                format!("top-level property {k:?} is not an HSDS table; ignored"),
                            );
                            self.t.problems.push(p);
                        }
                    }
                }
            }
            Value::Object(obj) => match detect(&obj) {
                Some(table) => {
                    self.record(table, Value::Object(obj), None, pointer);
                }
                None => {
                    let id = obj.get("id").and_then(Value::as_str).map(str::to_owned);
                    let p = self.origin("json", pointer, id).problem(
                        Severity::Error,
                        ProblemKind::Unknown,
                        None,
                        "object is not a recognisable HSDS service, organization, location, service_at_location or taxonomy record; skipped",
                    );
                    self.t.problems.push(p);
                }
            },
            other => {
                let p = self.origin("json", pointer, None).problem(
                    Severity::Error,
                    ProblemKind::InvalidValue,
                    None,
                    format!(
                        "expected an HSDS object, found {}; skipped",
                        kind_name(&other)
                    ),
                );
                self.t.problems.push(p);
            }
        }
    }

    /// Flattens one record of `table` and its children; returns its id.
    fn record(
        &mut self,
        table: &str,
        v: Value,
        parent: Option<(&str, &str, &str)>,
        pointer: &str,
    ) -> Option<String> {
        let Value::Object(obj) = v else {
            let p = self.origin(table, pointer, None).problem(
                Severity::Error,
                ProblemKind::InvalidValue,
                None,
                "expected an object; skipped",
            );
            self.t.problems.push(p);
            return None;
        };
        let mut row: Vec<(String, Value)> = Vec::with_capacity(obj.len() + 1);
        let mut nested = Vec::new();
        for (k, val) in obj {
            let structured = match &val {
                Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_object),
                Value::Object(_) => true,
                _ => false,
            };
            match child(table, &k) {
                Some(c) if structured => nested.push((k, val, c)),
                _ => row.push((k, val)),
            }
        }
        let set_if_absent = |row: &mut Vec<(String, Value)>, col: &str, value: &str| match row
            .iter_mut()
            .find(|(k, _)| k == col)
        {
            Some((_, v)) if is_absent(v) => *v = Value::String(value.to_owned()),
            Some(_) => {}
            None => row.push((col.to_owned(), Value::String(value.to_owned()))),
        };
        if let Some((fk, parent_id, parent_table)) = parent {
            set_if_absent(&mut row, fk, parent_id);
            if table == "attributes" {
                set_if_absent(&mut row, "link_entity", entity(parent_table));
            }
        }
        let id = row
            .iter()
            .find(|(k, _)| k == "id")
            .and_then(|(_, v)| super::fields::as_text(v))
            .map(std::borrow::Cow::into_owned)
            .filter(|s| !s.trim().is_empty());
        for (k, val, c) in nested {
            let here = format!("{pointer}/{}", escape(&k));
            match (c, val) {
                (Child::Many(ct, fk), Value::Array(items)) => {
                    for (i, item) in items.into_iter().enumerate() {
                        let parent = id.as_deref().map(|pid| (fk, pid, table));
                        self.record(ct, item, parent, &format!("{here}/{i}"));
                    }
                }
                (Child::One(ct, fk), item @ Value::Object(_)) => {
                    if let Some(cid) = self.record(ct, item, None, &here) {
                        set_if_absent(&mut row, fk, &cid);
                    }
                }
                (_, other) => row.push((k, other)),
            }
        }
        self.insert(table, id.clone(), row, pointer);
        id
    }

    fn insert(
        &mut self,
        table: &str,
        id: Option<String>,
        values: Vec<(String, Value)>,
        pointer: &str,
    ) {
        let position = self.position(pointer);
        let origin = self.origin(table, pointer, id.clone());
        let is_new = id
            .as_ref()
            .is_none_or(|id| !self.index.contains_key(&(table.to_owned(), id.clone())));
        let count = self.t.tables.get(table).map_or(0, Vec::len);
        if is_new && count >= self.max_rows {
            // As in CSV: at most max_rows records per table; reported once, the rest skipped.
            if self.full.insert(table.to_owned()) {
                let p = origin.problem(
                    Severity::Error,
                    ProblemKind::TooManyRows,
                    None,
                    format!(
                        "more than max_rows ({}) records in this table; this one and later ones skipped",
                        self.max_rows
                    ),
                );
                self.t.problems.push(p);
            }
            *self.t.skipped.entry(table.to_owned()).or_default() += 1;
            return;
        }
        if is_new {
            let cost =
                super::budget::row_cost(self.file, &values) + super::headers::typed_size(table);
            if !self.t.budget.charge(cost) {
                if self.full.insert(table.to_owned()) {
                    let p = origin.problem(
                        Severity::Error,
                        ProblemKind::MemoryBudget,
                        None,
                        format!(
                            "the import holds more than max_import_bytes ({} bytes); this record and later ones of this table skipped",
                            self.t.budget.limit()
                        ),
                    );
                    self.t.problems.push(p);
                }
                *self.t.skipped.entry(table.to_owned()).or_default() += 1;
                return;
            }
        }
        let rows = self.t.tables.entry(table.to_owned()).or_default();
        let Some(id) = id else {
            rows.push(RawRow {
                source: self.file.into(),
                position,
                values: shared_keys(values),
            });
            return;
        };
        let key = (table.to_owned(), id.clone());
        let Some(&i) = self.index.get(&key) else {
            self.index.insert(key, rows.len());
            rows.push(RawRow {
                source: self.file.into(),
                position,
                values: shared_keys(values),
            });
            return;
        };
        let Some(existing) = rows.get_mut(i) else {
            return;
        };
        let mut conflicts = Vec::new();
        for (k, v) in values {
            if is_absent(&v) {
                continue;
            }
            match existing.values.iter_mut().find(|(c, _)| **c == *k) {
                Some((_, old)) if is_absent(old) => *old = v,
                Some((_, old)) if *old == v => {}
                Some(_) => conflicts.push(k),
                None => existing.values.push((k.into(), v)),
            }
        }
        if !conflicts.is_empty() {
            let first = existing.position.clone();
            let p = origin.problem(
                Severity::Error,
                ProblemKind::ConflictingDuplicate,
                conflicts.first().map(String::as_str),
                format!(
                    "same id as the record at {first} but different {}; the first values kept",
                    conflicts.join(", ")
                ),
            );
            self.t.problems.push(p);
        }
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn too_deep(e: &serde_json::Error) -> bool {
    e.to_string().contains("recursion limit")
}

pub(crate) fn import(
    file: &str,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    if bytes.len() as u64 > opts.max_file_bytes {
        return Err(ImportError::TooLarge {
            file: file.to_owned(),
            size: bytes.len() as u64,
            limit: opts.max_file_bytes,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut f = Flattener {
        t: Tables::new(opts),
        file,
        line: None,
        index: HashMap::new(),
        order: None,
        max_rows: opts.max_rows,
        full: std::collections::HashSet::new(),
    };
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => f.top(v, ""),
        Err(e) if too_deep(&e) => {
            return Err(ImportError::TooDeep {
                file: file.to_owned(),
            })
        }
        Err(e) => {
            let mut lines = bytes
                .split(|b| *b == b'\n')
                .enumerate()
                .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace));
            let first_ok = lines.next().is_some_and(|(_, l)| {
                serde_json::from_slice::<Value>(l).is_ok_and(|v| v.is_object())
            });
            if !first_ok || lines.next().is_none() {
                return Err(ImportError::Json {
                    file: file.to_owned(),
                    reason: e.to_string(),
                });
            }
            ndjson(&mut f, bytes, opts);
        }
    }
    if let Some(order) = f.order.take() {
        reorder(&mut f.t, &order);
    }
    Ok(build::finish(f.t, opts))
}

/// Stable-sorts each table by the id order given in `record_order`.
fn reorder(t: &mut Tables, order: &serde_json::Map<String, Value>) {
    for (table, ids) in order {
        let (Some(rows), Value::Array(ids)) = (t.tables.get_mut(table), ids) else {
            continue;
        };
        let pos: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| id.as_str().map(|id| (id, i)))
            .collect();
        rows.sort_by_cached_key(|r| {
            r.id()
                .and_then(|id| pos.get(id.as_str()).copied())
                .unwrap_or(usize::MAX)
        });
    }
}

fn ndjson(f: &mut Flattener<'_>, bytes: &[u8], opts: &ImportOptions) {
    let mut count = 0usize;
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let n = i as u64 + 1;
        f.line = Some(n);
        count += 1;
        if count > opts.max_rows {
            let p = f.origin("json", "", None).problem(
                Severity::Error,
                ProblemKind::TooManyRows,
                None,
                format!(
                    "more than max_rows ({}) lines; the rest was not read",
                    opts.max_rows
                ),
            );
            f.t.problems.push(p);
            break;
        }
        match serde_json::from_slice::<Value>(line) {
            Ok(v) => f.top(v, ""),
            Err(e) => {
                let (kind, msg) = if too_deep(&e) {
                    (
                        ProblemKind::TooDeep,
                        "line is nested more than 128 levels deep; skipped".to_owned(),
                    )
                } else {
                    (
                        ProblemKind::InvalidJson,
                        format!("line is not JSON ({e}); skipped"),
                    )
                };
                let p = f
                    .origin("json", "", None)
                    .problem(Severity::Error, kind, None, msg);
                f.t.problems.push(p);
            }
        }
    }
    f.line = None;
}

/// A record's (column, value) pairs in the raw-row form.
fn shared_keys(values: Vec<(String, Value)>) -> Vec<(std::sync::Arc<str>, Value)> {
    values.into_iter().map(|(k, v)| (k.into(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(v: Value) -> Option<&'static str> {
        match v {
            Value::Object(o) => detect(&o),
            _ => None,
        }
    }

    #[test]
    fn detects_object_kinds() {
        assert_eq!(
            kind(json!({"id": "x", "service": {"id": "s"}})),
            Some("service_at_location")
        );
        assert_eq!(
            kind(json!({"id": "x", "organization": {"id": "o"}})),
            Some("services")
        );
        assert_eq!(
            kind(json!({"id": "x", "website": "w"})),
            Some("organizations")
        );
        assert_eq!(kind(json!({"id": "x", "latitude": 1})), Some("locations"));
        assert_eq!(
            kind(json!({"id": "x", "code": "c", "parent_id": "p"})),
            Some("taxonomy_terms")
        );
        assert_eq!(
            kind(json!({"id": "x", "name": "n", "version": "1"})),
            Some("taxonomies")
        );
        assert_eq!(kind(json!({"id": "x"})), None);
    }

    #[test]
    fn explicit_foreign_keys_win_over_implied_ones() {
        let input = br#"{"id": "s1", "organization_id": "o1", "phones": [{"id": "p1", "number": "1", "service_id": "s9"}]}"#;
        let i = import("t.json", input, &ImportOptions::default()).unwrap();
        assert_eq!(i.directory.phones[0].service_id.as_deref(), Some("s9"));
    }

    #[test]
    fn pointer_escaping() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }
}
