//! Export to the tabular form (CSV tables + `datapackage.json`) and to JSON (compiled,
//! nested services plus the records no service reaches).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::build::{write_meta, ELIGIBILITY_TABLES};
use super::fields::{cell, number, Writer};
use super::json_import::{DATAPACKAGE, RECORD_ORDER};
use super::tables::{other_columns, Record};
use crate::model::{
    Accessibility, Address, Attribute, CostOption, Directory, Language, Location, Organization,
    Phone, RequiredDocument, Schedule, Service, ServiceArea, ServiceAtLocation, Taxonomy,
    TaxonomyTerm,
};

/// Writing an export failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// A folder or file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

type Row = Vec<(String, Value)>;

fn row<T: Record>(rec: &T) -> Row {
    let mut w = Writer::default();
    rec.write(&mut w);
    w.finish(rec.extra())
}

fn csv_cell(out: &mut String, s: &str) {
    let needs_quotes = s.contains([',', '"', '\r', '\n'])
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace);
    if needs_quotes {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// A CSV file: `columns` first, then any other key in order of first appearance.
fn csv_bytes(columns: &[&str], rows: &[Row]) -> Vec<u8> {
    let mut header: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
    let mut known: HashSet<String> = header.iter().cloned().collect();
    for r in rows {
        for (k, _) in r {
            if known.insert(k.clone()) {
                header.push(k.clone());
            }
        }
    }
    let mut out = String::new();
    for (i, h) in header.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_cell(&mut out, h);
    }
    out.push('\n');
    for r in rows {
        let by_col: HashMap<&str, &Value> = r.iter().map(|(k, v)| (k.as_str(), v)).collect();
        for (i, h) in header.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if let Some(v) = by_col.get(h.as_str()) {
                csv_cell(&mut out, &cell(v));
            }
        }
        out.push('\n');
    }
    out.into_bytes()
}

fn table<T: Record>(dir: &Directory, always: bool, out: &mut Vec<(String, Vec<u8>)>) {
    let recs = T::rows(dir);
    if recs.is_empty() && !always {
        return;
    }
    let rows: Vec<Row> = recs.iter().map(row).collect();
    out.push((format!("{}.csv", T::TABLE), csv_bytes(T::COLUMNS, &rows)));
}

/// The directory as HSDS CSV tables `(file name, bytes)`, plus `datapackage.json` carrying the
/// `passerelle` metadata. Column order follows the HSDS 3.1 examples; translations
/// (`name@fr`) and then unknown columns (in name order) follow. Empty optional tables are left
/// out. Cells are quoted only when needed; lines end with `\n`.
///
/// # Examples
/// ```
/// use passerelle::hsds::{export_csv_tables, import_tables};
/// use passerelle::{Directory, ImportOptions};
/// let files = export_csv_tables(&Directory::default());
/// assert!(files.iter().any(|(name, _)| name == "services.csv"));
/// let again = import_tables(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())), &ImportOptions::default());
/// assert_eq!(again.directory, Directory::default());
/// ```
pub fn export_csv_tables(dir: &Directory) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    table::<Organization>(dir, true, &mut out);
    table::<Service>(dir, true, &mut out);
    table::<Location>(dir, true, &mut out);
    table::<ServiceAtLocation>(dir, true, &mut out);
    table::<Address>(dir, false, &mut out);
    table::<Phone>(dir, false, &mut out);
    table::<Schedule>(dir, false, &mut out);
    table::<Language>(dir, false, &mut out);
    table::<ServiceArea>(dir, false, &mut out);
    table::<CostOption>(dir, false, &mut out);
    table::<RequiredDocument>(dir, false, &mut out);
    table::<Accessibility>(dir, false, &mut out);
    table::<Attribute>(dir, false, &mut out);
    table::<Taxonomy>(dir, false, &mut out);
    table::<TaxonomyTerm>(dir, false, &mut out);
    if !dir.eligibility_tables.is_empty() {
        let rows: Vec<Row> = eligibility_rows(dir);
        out.push((
            format!("{ELIGIBILITY_TABLES}.csv"),
            csv_bytes(&["table", "key", "value"], &rows),
        ));
    }
    for (name, rows) in &dir.other_tables {
        let rows: Vec<Row> = rows
            .iter()
            .map(|r| r.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .collect();
        out.push((format!("{name}.csv"), csv_bytes(other_columns(name), &rows)));
    }
    let resources: Vec<Value> = out
        .iter()
        .map(|(file, _)| {
            json!({
                "name": file.trim_end_matches(".csv"),
                "path": file,
                "profile": "tabular-data-resource",
            })
        })
        .collect();
    // the feed's own properties (title, licenses, sources …) first, then what export writes
    let mut package: Map<String, Value> = dir.meta.package.clone().into_iter().collect();
    package.insert("profile".into(), json!("tabular-data-package"));
    package.insert("resources".into(), Value::Array(resources));
    package.insert("passerelle".into(), write_meta(&dir.meta));
    let package = Value::Object(package);
    out.push((
        "datapackage.json".to_owned(),
        serde_json::to_vec_pretty(&package).unwrap_or_default(),
    ));
    out
}

fn eligibility_rows(dir: &Directory) -> Vec<Row> {
    dir.eligibility_tables
        .iter()
        .flat_map(|(name, rows)| {
            rows.iter().map(move |(k, v)| {
                vec![
                    ("table".to_owned(), Value::String(name.clone())),
                    ("key".to_owned(), number(*k)),
                    ("value".to_owned(), number(*v)),
                ]
            })
        })
        .collect()
}

/// Writes [`export_csv_tables`] into the folder `path` (created if needed).
///
/// # Errors
/// [`ExportError::Io`] when the folder or a file cannot be written.
pub fn export_csv_dir(dir: &Directory, path: impl AsRef<Path>) -> Result<(), ExportError> {
    let path = path.as_ref();
    std::fs::create_dir_all(path).map_err(|source| ExportError::Io {
        path: path.to_owned(),
        source,
    })?;
    for (name, bytes) in export_csv_tables(dir) {
        let file = path.join(name);
        std::fs::write(&file, bytes).map_err(|source| ExportError::Io { path: file, source })?;
    }
    Ok(())
}

/// Builds nested JSON, remembering which records were placed so the rest can be listed.
struct Nester<'a> {
    dir: &'a Directory,
    placed: HashSet<(&'static str, &'a str)>,
}

fn object(row: Row, implied: &[&str]) -> Map<String, Value> {
    row.into_iter()
        .filter(|(k, _)| !implied.contains(&k.as_str()))
        .collect()
}

impl<'a> Nester<'a> {
    fn mark<T: Record>(&mut self, rec: &'a T) {
        self.placed.insert((T::TABLE, rec.id()));
    }

    /// Records of `T` whose `fk` equals `id`, as objects without the implied key.
    fn children<T: Record>(
        &mut self,
        fk: &str,
        id: &str,
        key_of: impl Fn(&T) -> Option<&str>,
        nest: impl Fn(&mut Self, &'a T, &mut Map<String, Value>),
    ) -> Option<Value> {
        let recs = T::rows(self.dir);
        let mut out = Vec::new();
        for rec in recs.iter().filter(|r| key_of(r) == Some(id)) {
            self.mark(rec);
            let mut obj = object(row(rec), &[fk]);
            nest(self, rec, &mut obj);
            out.push(Value::Object(obj));
        }
        (!out.is_empty()).then_some(Value::Array(out))
    }

    fn put(obj: &mut Map<String, Value>, key: &str, v: Option<Value>) {
        if let Some(v) = v {
            obj.insert(key.to_owned(), v);
        }
    }

    fn phones(
        &mut self,
        fk: &str,
        id: &str,
        key_of: impl Fn(&Phone) -> Option<&str>,
    ) -> Option<Value> {
        self.children::<Phone>(fk, id, key_of, |n, p, obj| {
            let langs =
                n.children::<Language>("phone_id", &p.id, |l| l.phone_id.as_deref(), |_, _, _| {});
            Self::put(obj, "languages", langs);
        })
    }

    fn attributes(&mut self, id: &str, obj: &mut Map<String, Value>) {
        let attrs = self.children::<Attribute>(
            "link_id",
            id,
            |a| Some(a.link_id.as_str()),
            |n, a, obj| {
                if let Some(term) = n
                    .dir
                    .taxonomy_terms
                    .iter()
                    .find(|t| t.id == a.taxonomy_term_id)
                {
                    obj.remove("taxonomy_term_id");
                    let t = n.term(term);
                    obj.insert("taxonomy_term".into(), t);
                }
            },
        );
        Self::put(obj, "attributes", attrs);
    }

    fn term(&mut self, term: &'a TaxonomyTerm) -> Value {
        self.mark(term);
        let mut obj = object(row(term), &[]);
        if let Some(tax) = self
            .dir
            .taxonomies
            .iter()
            .find(|t| Some(t.id.as_str()) == term.taxonomy_id.as_deref())
        {
            self.mark(tax);
            obj.remove("taxonomy_id");
            obj.insert(
                "taxonomy_detail".into(),
                Value::Object(object(row(tax), &[])),
            );
        }
        Value::Object(obj)
    }

    fn location(&mut self, loc: &'a Location) -> Value {
        self.mark(loc);
        let id = loc.id.as_str();
        let mut obj = object(row(loc), &[]);
        let v = self.children::<Address>(
            "location_id",
            id,
            |a| a.location_id.as_deref(),
            |_, _, _| {},
        );
        Self::put(&mut obj, "addresses", v);
        let v = self.phones("location_id", id, |p| p.location_id.as_deref());
        Self::put(&mut obj, "phones", v);
        let v = self.children::<Schedule>(
            "location_id",
            id,
            |s| s.location_id.as_deref(),
            |_, _, _| {},
        );
        Self::put(&mut obj, "schedules", v);
        let v = self.children::<Language>(
            "location_id",
            id,
            |l| l.location_id.as_deref(),
            |_, _, _| {},
        );
        Self::put(&mut obj, "languages", v);
        let v = self.children::<Accessibility>(
            "location_id",
            id,
            |a| a.location_id.as_deref(),
            |_, _, _| {},
        );
        Self::put(&mut obj, "accessibility", v);
        self.attributes(id, &mut obj);
        Value::Object(obj)
    }

    fn service(&mut self, s: &'a Service) -> Value {
        self.mark(s);
        let id = s.id.as_str();
        let mut obj = object(row(s), &[]);
        if let Some(org) = self
            .dir
            .organizations
            .iter()
            .find(|o| o.id == s.organization_id)
        {
            self.mark(org);
            obj.remove("organization_id");
            let mut o = object(row(org), &[]);
            self.attributes(&org.id, &mut o);
            obj.insert("organization".into(), Value::Object(o));
        }
        let sals = self.children::<ServiceAtLocation>(
            "service_id",
            id,
            |x| Some(x.service_id.as_str()),
            |n, x, o| {
                let xid = x.id.as_str();
                let v = n.phones("service_at_location_id", xid, |p| {
                    p.service_at_location_id.as_deref()
                });
                Self::put(o, "phones", v);
                let v = n.children::<Schedule>(
                    "service_at_location_id",
                    xid,
                    |s| s.service_at_location_id.as_deref(),
                    |_, _, _| {},
                );
                Self::put(o, "schedules", v);
                let v = n.children::<ServiceArea>(
                    "service_at_location_id",
                    xid,
                    |a| a.service_at_location_id.as_deref(),
                    |_, _, _| {},
                );
                Self::put(o, "service_areas", v);
                n.attributes(xid, o);
                if let Some(loc) = n.dir.locations.iter().find(|l| l.id == x.location_id) {
                    o.remove("location_id");
                    let l = n.location(loc);
                    o.insert("location".into(), l);
                }
            },
        );
        Self::put(&mut obj, "service_at_locations", sals);
        let v = self.phones("service_id", id, |p| p.service_id.as_deref());
        Self::put(&mut obj, "phones", v);
        let v =
            self.children::<Schedule>("service_id", id, |s| s.service_id.as_deref(), |_, _, _| {});
        Self::put(&mut obj, "schedules", v);
        let v = self.children::<ServiceArea>(
            "service_id",
            id,
            |a| a.service_id.as_deref(),
            |_, _, _| {},
        );
        Self::put(&mut obj, "service_areas", v);
        let v =
            self.children::<Language>("service_id", id, |l| l.service_id.as_deref(), |_, _, _| {});
        Self::put(&mut obj, "languages", v);
        let v = self.children::<CostOption>(
            "service_id",
            id,
            |c| Some(c.service_id.as_str()),
            |_, _, _| {},
        );
        Self::put(&mut obj, "cost_options", v);
        let v = self.children::<RequiredDocument>(
            "service_id",
            id,
            |d| d.service_id.as_deref(),
            |_, _, _| {},
        );
        Self::put(&mut obj, "required_documents", v);
        self.attributes(id, &mut obj);
        Value::Object(obj)
    }

    /// Records of `T` not placed under a service, as flat objects.
    fn rest<T: Record>(&self, top: &mut Map<String, Value>) {
        let rest: Vec<Value> = T::rows(self.dir)
            .iter()
            .filter(|r| !self.placed.contains(&(T::TABLE, r.id())))
            .map(|r| Value::Object(object(row(r), &[])))
            .collect();
        if !rest.is_empty() {
            top.insert(T::TABLE.to_owned(), Value::Array(rest));
        }
    }
}

/// The directory as JSON: `{"passerelle": meta, "services": [compiled services], ...}`.
///
/// Each service nests its organization, service_at_locations (with their location, addresses,
/// phones, schedules, languages, accessibility), phones, schedules, service_areas, languages,
/// cost_options, required_documents and attributes (with taxonomy_term and taxonomy_detail).
/// Records no service reaches, and the tables passerelle keeps verbatim (contacts, programs,
/// …), follow as flat arrays keyed by table name, so nothing is lost. `record_order` lists
/// each table's ids in directory order, so a re-import keeps the order exactly.
///
/// # Examples
/// ```
/// use passerelle::hsds::export_json;
/// use passerelle::model::Service;
/// use passerelle::{import_json, Directory, ImportOptions};
/// let mut dir = Directory::default();
/// dir.services.push(Service { id: "s1".into(), organization_id: "o1".into(), ..Default::default() });
/// let json = export_json(&dir);
/// let again = import_json(&json, &ImportOptions::default()).unwrap();
/// assert_eq!(again.directory, dir);
/// ```
pub fn export_json(dir: &Directory) -> Vec<u8> {
    let mut n = Nester {
        dir,
        placed: HashSet::new(),
    };
    let services: Vec<Value> = dir.services.iter().map(|s| n.service(s)).collect();
    let mut top = Map::new();
    top.insert("passerelle".into(), write_meta(&dir.meta));
    if !dir.meta.package.is_empty() {
        let package: Map<String, Value> = dir.meta.package.clone().into_iter().collect();
        top.insert(DATAPACKAGE.into(), Value::Object(package));
    }
    top.insert("services".into(), Value::Array(services));
    // unreached locations keep their nested children
    let locations: Vec<Value> = dir
        .locations
        .iter()
        .filter(|l| !n.placed.contains(&("locations", l.id.as_str())))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|l| n.location(l))
        .collect();
    n.rest::<Organization>(&mut top);
    if !locations.is_empty() {
        top.insert("locations".into(), Value::Array(locations));
    }
    n.rest::<ServiceAtLocation>(&mut top);
    n.rest::<Address>(&mut top);
    n.rest::<Phone>(&mut top);
    n.rest::<Schedule>(&mut top);
    n.rest::<Language>(&mut top);
    n.rest::<ServiceArea>(&mut top);
    n.rest::<CostOption>(&mut top);
    n.rest::<RequiredDocument>(&mut top);
    n.rest::<Accessibility>(&mut top);
    n.rest::<Attribute>(&mut top);
    n.rest::<Taxonomy>(&mut top);
    n.rest::<TaxonomyTerm>(&mut top);
    if !dir.eligibility_tables.is_empty() {
        let rows = eligibility_rows(dir)
            .into_iter()
            .map(|r| Value::Object(r.into_iter().collect()))
            .collect();
        top.insert(ELIGIBILITY_TABLES.into(), Value::Array(rows));
    }
    let mut order = Map::new();
    let mut ids = |table: &str, ids: Vec<&str>| {
        if ids.len() > 1 {
            order.insert(table.to_owned(), json!(ids));
        }
    };
    ids(
        Organization::TABLE,
        dir.organizations.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        Service::TABLE,
        dir.services.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        Location::TABLE,
        dir.locations.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        ServiceAtLocation::TABLE,
        dir.service_at_locations
            .iter()
            .map(|r| r.id.as_str())
            .collect(),
    );
    ids(
        Address::TABLE,
        dir.addresses.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        Phone::TABLE,
        dir.phones.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        Schedule::TABLE,
        dir.schedules.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        Language::TABLE,
        dir.languages.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        ServiceArea::TABLE,
        dir.service_areas.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        CostOption::TABLE,
        dir.cost_options.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        RequiredDocument::TABLE,
        dir.required_documents
            .iter()
            .map(|r| r.id.as_str())
            .collect(),
    );
    ids(
        Accessibility::TABLE,
        dir.accessibility.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        Attribute::TABLE,
        dir.attributes.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        Taxonomy::TABLE,
        dir.taxonomies.iter().map(|r| r.id.as_str()).collect(),
    );
    ids(
        TaxonomyTerm::TABLE,
        dir.taxonomy_terms.iter().map(|r| r.id.as_str()).collect(),
    );
    for (name, rows) in &dir.other_tables {
        ids(
            name,
            rows.iter()
                .filter_map(|r| r.get("id").and_then(Value::as_str))
                .collect(),
        );
    }
    if !order.is_empty() {
        top.insert(RECORD_ORDER.into(), Value::Object(order));
    }
    let other: BTreeMap<&String, Value> = dir
        .other_tables
        .iter()
        .map(|(k, rows)| {
            let rows = rows
                .iter()
                .map(|r| Value::Object(r.clone().into_iter().collect()))
                .collect();
            (k, Value::Array(rows))
        })
        .collect();
    for (k, v) in other {
        top.insert(k.clone(), v);
    }
    serde_json::to_vec_pretty(&Value::Object(top)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hsds::{import_json, import_tables, ImportOptions};
    use crate::model::{LangCode, Text};
    use proptest::prelude::*;

    fn csv_again(dir: &Directory) -> Directory {
        let files = export_csv_tables(dir);
        import_tables(
            files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
            &ImportOptions::default(),
        )
        .directory
    }

    #[test]
    fn quotes_only_when_needed() {
        let mut s = String::new();
        csv_cell(&mut s, "plain");
        csv_cell(&mut s, "a,\"b\"");
        csv_cell(&mut s, " padded");
        assert_eq!(s, "plain\"a,\"\"b\"\"\"\" padded\"");
    }

    /// Text that survives as itself: blank text and the literal `null` mean "absent".
    fn text() -> impl Strategy<Value = String> {
        any::<String>().prop_filter("absent values", |s| {
            !s.trim().is_empty() && s != "null" && s != "NULL"
        })
    }

    proptest! {
        #[test]
        fn any_text_round_trips_through_csv_and_json(name in text(), fr in text(), desc in text()) {
            let mut dir = Directory::default();
            dir.organizations.push(Organization {
                id: "o1".into(),
                name: Text::new(name).with(LangCode::fr(), fr),
                description: Text::new(desc),
                ..Default::default()
            });
            prop_assert_eq!(&csv_again(&dir), &dir);
            let json = import_json(&export_json(&dir), &ImportOptions::default())
                .map(|i| i.directory)
                .ok();
            prop_assert_eq!(json.as_ref(), Some(&dir));
        }
    }
}
