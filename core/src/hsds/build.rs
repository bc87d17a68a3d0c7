//! From raw tables (CSV rows or flattened JSON objects) to a typed [`Directory`].

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::budget::Budget;
use super::extent::FeedVertices;
use super::fields::{as_text, is_absent, quote, RawRow, Writer};
use super::report::{ImportReport, Origin, Position, Problem, ProblemKind, Severity};
use super::tables::{Record, OTHER_TABLES};
use super::{checks, csv_import, validate, FileProblem, ImportOptions, Imported};
use crate::model::{
    Accessibility, Address, Attribute, CostOption, Directory, DirectoryMeta, Extra, LangCode,
    Language, Location, Organization, Phone, RequiredDocument, Schedule, Service, ServiceArea,
    ServiceAtLocation, Taxonomy, TaxonomyTerm,
};

/// Raw input: tables of rows, the `passerelle` metadata object, problems found so far.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub tables: BTreeMap<String, Vec<RawRow>>,
    pub meta: Option<(Origin, Value)>,
    /// Data-package properties other than `resources` and `passerelle`.
    pub package: Extra,
    pub problems: Vec<Problem>,
    /// Records met per table, including those skipped while reading (CSV).
    pub seen: BTreeMap<String, usize>,
    /// Records skipped while flattening JSON, per table.
    pub skipped: BTreeMap<String, usize>,
    /// `ImportOptions::max_import_bytes`, charged by every row kept.
    pub budget: Budget,
}

impl Tables {
    pub(crate) fn new(opts: &ImportOptions) -> Self {
        Self {
            budget: Budget::new(opts.max_import_bytes),
            ..Self::default()
        }
    }

    /// Reads one named input (`services.csv`, `services`, `datapackage.json`).
    pub(crate) fn add(&mut self, name: &str, bytes: &[u8], opts: &ImportOptions) {
        let file = if name.ends_with(".csv") || name.ends_with(".json") {
            name.to_owned()
        } else {
            format!("{name}.csv")
        };
        if bytes.len() as u64 > opts.max_file_bytes {
            self.problems.push(file_problem(
                &file,
                FileProblem::TooLarge(bytes.len() as u64),
            ));
            return;
        }
        if file.ends_with(".json") {
            read_datapackage(&file, bytes, self);
            return;
        }
        let table = file.strip_suffix(".csv").unwrap_or(&file).to_owned();
        let read = csv_import::read_table(
            &table,
            &file,
            bytes,
            opts,
            &mut self.problems,
            &mut self.budget,
        );
        *self.seen.entry(table.clone()).or_default() +=
            usize::try_from(read.seen).unwrap_or(usize::MAX);
        self.tables.entry(table).or_default().extend(read.rows);
    }
}

/// Where each record came from, for problems found after loading. Keyed by feed ids, so
/// hashed with the seeded `foldhash` (fast on short keys; crafted ids cannot pick collisions
/// offline).
pub(crate) type Origins = HashMap<(&'static str, Box<str>), Located, foldhash::fast::RandomState>;

/// Where one loaded record came from: its file and position (its table and id are the key).
#[derive(Debug, Clone)]
pub(crate) struct Located {
    source: Arc<str>,
    position: Position,
}

impl Located {
    /// The file the record came from.
    pub(crate) fn source(&self) -> &Arc<str> {
        &self.source
    }
}

/// The origin of record `id` of `table`, if it was loaded.
pub(crate) fn origin_of(origins: &Origins, table: &'static str, id: &str) -> Option<Origin> {
    origins.get(&(table, Box::from(id))).map(|l| Origin {
        source: l.source.clone(),
        table: Cow::Borrowed(table),
        position: l.position.clone(),
        record_id: Some(id.to_owned()),
    })
}

pub(crate) const ELIGIBILITY_TABLES: &str = "eligibility_tables";

pub(crate) fn file_problem(file: &str, problem: FileProblem) -> Problem {
    let origin = Origin {
        source: file.into(),
        table: file.strip_suffix(".csv").unwrap_or(file).to_owned().into(),
        position: Position::Table,
        record_id: None,
    };
    match problem {
        FileProblem::Io(e) => origin.problem(
            Severity::Error,
            ProblemKind::Io,
            None,
            format!("cannot read the file: {e}; table not loaded"),
        ),
        FileProblem::TooLarge(size) => origin.problem(
            Severity::Error,
            ProblemKind::FileTooLarge,
            None,
            format!("file has {size} bytes, more than max_file_bytes; table not loaded"),
        ),
        FileProblem::Refused(what) => origin.problem(
            Severity::Error,
            ProblemKind::NotAFile,
            None,
            format!("not opened: it is {what}; table not loaded"),
        ),
    }
}

pub(crate) fn import_tables<'a>(
    input: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    opts: &ImportOptions,
) -> Imported {
    let mut t = Tables::new(opts);
    for (name, bytes) in input {
        t.add(name, bytes, opts);
    }
    finish(t, opts)
}

fn read_datapackage(file: &str, bytes: &[u8], t: &mut Tables) {
    let origin = Origin {
        source: file.into(),
        table: "datapackage".into(),
        position: Position::Table,
        record_id: None,
    };
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(mut o)) => {
            if let Some(meta) = o.remove("passerelle") {
                t.meta = Some((origin, meta));
            }
            // written anew on export
            o.remove("resources");
            o.remove("profile");
            t.package.extend(o);
        }
        Ok(_) => t.problems.push(origin.problem(
            Severity::Warning,
            ProblemKind::InvalidJson,
            None,
            "datapackage.json is not a JSON object; ignored",
        )),
        Err(e) => t.problems.push(origin.problem(
            Severity::Warning,
            ProblemKind::InvalidJson,
            None,
            format!("datapackage.json is not JSON ({e}); ignored"),
        )),
    }
}

/// Records typed as soon as their table was read (a folder import), so the raw rows of only
/// one table are held at a time; [`finish`] reports them in the same order as the tables it
/// types itself.
#[derive(Debug)]
pub(crate) struct Typed {
    dir: Directory,
    origins: Origins,
    vertices: FeedVertices,
    /// Per table typed early: what typing it reported (problems and the loaded count).
    reports: HashMap<&'static str, ImportReport>,
}

impl Typed {
    pub(crate) fn new(opts: &ImportOptions) -> Self {
        Self {
            dir: Directory::default(),
            origins: Origins::default(),
            vertices: FeedVertices::new(opts.max_total_extent_vertices),
            reports: HashMap::new(),
        }
    }

    /// Types the rows of `table` read so far, if it is one of the typed HSDS tables. Call it
    /// only once per table, after its last rows were added.
    pub(crate) fn table(&mut self, t: &mut Tables, table: &str, opts: &ImportOptions) {
        let mut report = ImportReport::default();
        let mut cx = Cx {
            t,
            opts,
            report: &mut report,
            origins: &mut self.origins,
            dir: &mut self.dir,
            vertices: &mut self.vertices,
        };
        let Some(name) = cx.load_named(table) else {
            return;
        };
        self.reports.insert(name, report);
    }
}

/// Types every table, then validates links and data quality.
pub(crate) fn finish(t: Tables, opts: &ImportOptions) -> Imported {
    finish_typed(t, Typed::new(opts), opts)
}

/// [`finish`] after some tables were typed early.
pub(crate) fn finish_typed(mut t: Tables, typed: Typed, opts: &ImportOptions) -> Imported {
    let Typed {
        mut dir,
        mut origins,
        mut vertices,
        reports: mut early,
    } = typed;
    let mut report = ImportReport::default();
    for p in std::mem::take(&mut t.problems) {
        report.push(p);
    }
    if let Some((origin, meta)) = t.meta.take() {
        dir.meta = read_meta(&origin, &meta, &mut report);
    }
    for (table, rows) in &t.tables {
        let skipped = t.skipped.get(table).copied().unwrap_or(0);
        let seen = t.seen.entry(table.clone()).or_default();
        *seen = (*seen).max(rows.len() + skipped);
    }
    for (table, skipped) in &t.skipped {
        let seen = t.seen.entry(table.clone()).or_default();
        *seen = (*seen).max(*skipped);
    }
    for (table, n) in &t.seen {
        report.set_seen(table, *n);
    }
    dir.meta.package = std::mem::take(&mut t.package);
    let records: usize = t.tables.values().map(Vec::len).sum();
    origins.reserve(records);
    let mut cx = Cx {
        t: &mut t,
        opts,
        report: &mut report,
        origins: &mut origins,
        dir: &mut dir,
        vertices: &mut vertices,
    };
    for table in TYPED_ORDER {
        match early.remove(table) {
            // typed when read: its problems take their place in the same order
            Some(done) => {
                for p in done.problems() {
                    cx.report.push(p.clone());
                }
                cx.report.set_loaded(table, done.loaded_count(table));
            }
            None => {
                cx.load_named(table);
            }
        }
    }
    cx.load_eligibility_tables();
    cx.load_other_tables();
    super::zones::settle(&mut dir, &origins, opts, &mut report);
    validate::validate(&dir, &origins, opts, &mut report);
    checks::after_load(&dir, &origins, opts, &mut report);
    Imported {
        directory: dir,
        report,
    }
}

/// The typed tables, in the order they are typed and reported.
pub(crate) const TYPED_ORDER: [&str; 15] = [
    "organizations",
    "services",
    "locations",
    "service_at_location",
    "addresses",
    "phones",
    "schedules",
    "languages",
    "service_areas",
    "cost_options",
    "required_documents",
    "accessibility",
    "attributes",
    "taxonomies",
    "taxonomy_terms",
];

struct Cx<'a> {
    t: &'a mut Tables,
    opts: &'a ImportOptions,
    report: &'a mut ImportReport,
    origins: &'a mut Origins,
    dir: &'a mut Directory,
    /// What the feed's service-area extents may still hold.
    vertices: &'a mut FeedVertices,
}

impl Cx<'_> {
    /// Types the typed HSDS table `table` (its static name), if it is one.
    fn load_named(&mut self, table: &str) -> Option<&'static str> {
        macro_rules! load {
            ($($t:ty),*) => {
                $(if table == <$t>::TABLE {
                    self.load::<$t>();
                    return Some(<$t>::TABLE);
                })*
            };
        }
        load!(
            Organization,
            Service,
            Location,
            ServiceAtLocation,
            Address,
            Phone,
            Schedule,
            Language,
            ServiceArea,
            CostOption,
            RequiredDocument,
            Accessibility,
            Attribute,
            Taxonomy,
            TaxonomyTerm
        );
        None
    }

    fn origin(table: &str, row: &RawRow) -> Origin {
        Origin {
            source: row.source.clone(),
            table: table.to_owned().into(),
            position: row.position.clone(),
            record_id: row.id(),
        }
    }

    /// Keeps the first record of each id; reports missing and duplicate ids.
    fn dedupe<'r>(
        &mut self,
        table: &str,
        rows: &'r [RawRow],
    ) -> impl Iterator<Item = (String, &'r RawRow)> + use<'r> {
        let mut first: HashMap<Cow<'r, str>, &'r Position> = HashMap::with_capacity(rows.len());
        let mut keep = Vec::with_capacity(rows.len());
        for row in rows {
            match row.id_text() {
                None => self.report.push(Self::origin(table, row).problem(
                    Severity::Error,
                    ProblemKind::MissingId,
                    Some("id"),
                    "record has no id; skipped",
                )),
                Some(id) => match first.get(&id) {
                    Some(pos) => self.report.push(Self::origin(table, row).problem(
                        Severity::Error,
                        ProblemKind::DuplicateId,
                        Some("id"),
                        format!("id already used at {pos}; this record skipped, the first kept"),
                    )),
                    None => {
                        keep.push((id.clone().into_owned(), row));
                        first.insert(id, &row.position);
                    }
                },
            }
        }
        keep.into_iter()
    }

    fn load<T: Record>(&mut self) {
        let rows = self.t.tables.remove(T::TABLE).unwrap_or_default();
        let mut out = Vec::with_capacity(rows.len());
        for (id, row) in self.dedupe(T::TABLE, &rows) {
            let mut reader = super::fields::Reader::new(T::TABLE, row);
            let mut rec = T::read_in_feed(&mut reader, self.opts, self.vertices);
            let (extra, problems, origin) = reader.finish();
            *rec.extra_mut() = extra;
            for p in problems {
                self.report.push(p);
            }
            self.origins.insert(
                (T::TABLE, id.into_boxed_str()),
                Located {
                    source: origin.source,
                    position: origin.position,
                },
            );
            out.push(rec);
        }
        self.report.set_loaded(T::TABLE, out.len());
        *T::rows_mut(self.dir) = out;
    }

    fn load_eligibility_tables(&mut self) {
        let rows = self.t.tables.remove(ELIGIBILITY_TABLES).unwrap_or_default();
        let mut count = 0;
        for row in &rows {
            let origin = Self::origin(ELIGIBILITY_TABLES, row);
            let name = row.get("table").and_then(as_text);
            let num = |col: &str| {
                row.get(col)
                    .and_then(|v| match v {
                        Value::Number(n) => n.as_f64(),
                        other => as_text(other).and_then(|s| s.trim().parse::<f64>().ok()),
                    })
                    .filter(|n| n.is_finite())
            };
            match (name, num("key"), num("value")) {
                (Some(name), Some(key), Some(value)) => {
                    count += 1;
                    self.dir
                        .eligibility_tables
                        .entry(name.into_owned())
                        .or_default()
                        .push((key, value));
                }
                (name, key, _) => {
                    let field = if name.is_none() {
                        "table"
                    } else if key.is_none() {
                        "key"
                    } else {
                        "value"
                    };
                    let raw = row.get(field).map_or_else(|| "empty".to_owned(), quote);
                    self.report.push(origin.problem(
                        Severity::Error,
                        ProblemKind::InvalidValue,
                        Some(field),
                        format!(
                            "{field} is {raw}; expected table,key,value with numbers; row skipped"
                        ),
                    ));
                }
            }
        }
        self.report.set_loaded(ELIGIBILITY_TABLES, count);
    }

    fn load_other_tables(&mut self) {
        let tables = std::mem::take(&mut self.t.tables);
        for (name, rows) in tables {
            if !OTHER_TABLES.contains(&name.as_str()) {
                let source = rows
                    .first()
                    .map_or_else(|| format!("{name}.csv").into(), |r| r.source.clone());
                self.report.push(
                    Origin {
                        source,
                        table: name.clone().into(),
                        position: Position::Table,
                        record_id: None,
                    }
                    .problem(
                        Severity::Warning,
                        ProblemKind::Unknown,
                        None,
                        "not an HSDS 3.1 table; kept verbatim in other_tables",
                    ),
                );
            }
            let has_ids = rows.iter().any(|r| r.id().is_some());
            let kept: Vec<&RawRow> = if has_ids {
                self.dedupe(&name, &rows).map(|(_, r)| r).collect()
            } else {
                rows.iter().collect()
            };
            let out: Vec<Extra> = kept
                .into_iter()
                .map(|r| {
                    r.values
                        .iter()
                        .filter(|(_, v)| !is_absent(v))
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect()
                })
                .collect();
            self.report.set_loaded(&name, out.len());
            if !out.is_empty() {
                self.dir.other_tables.insert(name, out);
            }
        }
    }
}

fn read_meta(origin: &Origin, v: &Value, report: &mut ImportReport) -> DirectoryMeta {
    let mut meta = DirectoryMeta::default();
    let Value::Object(obj) = v else {
        report.push(origin.problem(
            Severity::Error,
            ProblemKind::InvalidValue,
            Some("passerelle"),
            "passerelle metadata is not an object; ignored",
        ));
        return meta;
    };
    let mut bad = |field: &str, msg: String, meta: &mut DirectoryMeta| {
        if let Some(raw) = obj.get(field) {
            meta.extra.insert(field.to_owned(), raw.clone());
        }
        report.push(origin.problem(Severity::Error, ProblemKind::InvalidValue, Some(field), msg));
    };
    let mut languages_given = false;
    for (k, val) in obj {
        if is_absent(val) {
            continue;
        }
        match k.as_str() {
            "name" => match val.as_str() {
                Some(s) => meta.name = s.to_owned(),
                None => bad(k, "name must be text".into(), &mut meta),
            },
            "default_language" => match val.as_str().map(LangCode::new) {
                Some(Ok(code)) => meta.default_language = code,
                Some(Err(e)) => bad(k, e.to_string(), &mut meta),
                None => bad(k, "default_language must be text".into(), &mut meta),
            },
            "languages" => {
                let codes: Option<Result<Vec<_>, _>> = val.as_array().map(|a| {
                    a.iter()
                        .map(|c| LangCode::new(c.as_str().unwrap_or("")))
                        .collect()
                });
                match codes {
                    Some(Ok(codes)) => {
                        languages_given = true;
                        meta.languages = codes;
                    }
                    Some(Err(e)) => bad(k, e.to_string(), &mut meta),
                    None => bad(k, "languages must be a list of codes".into(), &mut meta),
                }
            }
            "timezone" => match val.as_str() {
                Some(tz) if jiff::tz::TimeZone::get(tz).is_ok() => {
                    meta.timezone = Some(tz.to_owned());
                }
                _ => bad(
                    k,
                    format!("{} is not an IANA time zone name", quote(val)),
                    &mut meta,
                ),
            },
            "fictional" => match val.as_bool() {
                Some(b) => meta.fictional = b,
                None => bad(k, "fictional must be true or false".into(), &mut meta),
            },
            "notice" => match val.as_str() {
                Some(s) => meta.notice = Some(s.to_owned()),
                None => bad(k, "notice must be text".into(), &mut meta),
            },
            _ => {
                meta.extra.insert(k.clone(), val.clone());
            }
        }
    }
    if !languages_given && !meta.extra.contains_key("languages") {
        meta.languages = vec![meta.default_language.clone()];
    }
    meta
}

/// The `passerelle` metadata object for export.
pub(crate) fn write_meta(meta: &DirectoryMeta) -> Value {
    let mut w = Writer::default();
    w.str("name", &meta.name);
    w.str("default_language", meta.default_language.as_str());
    let langs: Vec<Value> = meta
        .languages
        .iter()
        .map(|l| Value::String(l.as_str().to_owned()))
        .collect();
    w.values.push(("languages".into(), Value::Array(langs)));
    w.opt("timezone", &meta.timezone);
    if meta.fictional {
        w.values.push(("fictional".into(), Value::Bool(true)));
    }
    w.opt("notice", &meta.notice);
    Value::Object(w.finish(&meta.extra).into_iter().collect::<Map<_, _>>())
}

/// Ids present in each table, typed or not.
pub(crate) fn ids_of(dir: &Directory) -> HashMap<&str, HashSet<&str>> {
    fn set<T: Record>(dir: &Directory) -> HashSet<&str> {
        T::rows(dir).iter().map(Record::id).collect()
    }
    let mut m = HashMap::new();
    m.insert("organizations", set::<Organization>(dir));
    m.insert("services", set::<Service>(dir));
    m.insert("locations", set::<Location>(dir));
    m.insert("service_at_location", set::<ServiceAtLocation>(dir));
    m.insert("phones", set::<Phone>(dir));
    m.insert("taxonomy_terms", set::<TaxonomyTerm>(dir));
    m.insert("taxonomies", set::<Taxonomy>(dir));
    m.insert("addresses", set::<Address>(dir));
    m.insert("schedules", set::<Schedule>(dir));
    m.insert("service_areas", set::<ServiceArea>(dir));
    m.insert("languages", set::<Language>(dir));
    m.insert("accessibility", set::<Accessibility>(dir));
    m.insert("cost_options", set::<CostOption>(dir));
    m.insert("required_documents", set::<RequiredDocument>(dir));
    m.insert("attributes", set::<Attribute>(dir));
    for (name, rows) in &dir.other_tables {
        let ids = rows
            .iter()
            .filter_map(|r| r.get("id").and_then(Value::as_str))
            .collect();
        m.insert(name.as_str(), ids);
    }
    m
}
