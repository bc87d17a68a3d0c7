//! Columnar batch search for data teams: queries in as an Arrow IPC stream, one row per
//! match out as an Arrow IPC stream (feature `arrow`, on by default; mobile builds turn it off).
//!
//! One call carries any number of queries: per-record FFI costs (~5 µs to lift a record in
//! Python) disappear, and pyarrow reads the result without copying into pandas, Polars or Dask.

use std::io::Cursor;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt32Array,
};
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{ArrowError, DataType, Field, Schema};
use passerelle::{
    matching::{facts_from_json, NeedInput, QueryInput, ResultRow},
    rules::{FactCatalog, FactValue as CoreFactValue},
    Navigator as CoreNavigator, Query, SearchResults,
};

use crate::error::guard;
use crate::matching::{Delivery, Navigator, Travel};
use crate::PasserelleError;

/// Most input rows (queries) in one `search_batch_arrow` call.
pub const MAX_ARROW_ROWS: usize = 2_000_000;

/// Options applied to every query of a `search_batch_arrow` call.
#[derive(Clone, PartialEq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct BatchOptions {
    /// Results per need, 1 to 100 (larger values are capped; 0 is an error).
    #[uniffi(default = 5)]
    pub limit: u32,
    /// Farthest in-person service in kilometres when a row has no `radius_km` (default 10).
    #[uniffi(default)]
    pub max_distance_km: Option<f64>,
    /// How residents can receive services (default `RemoteAcceptable`).
    #[uniffi(default)]
    pub delivery: Option<Delivery>,
    /// How residents travel (default `Transit`).
    #[uniffi(default)]
    pub travel: Option<Travel>,
    /// Languages residents speak, when a row has no `languages` column value.
    #[uniffi(default)]
    pub languages: Vec<String>,
    /// Also return services residents are ineligible for.
    #[uniffi(default)]
    pub include_ineligible: bool,
    /// Leave out services closed at the search instant.
    #[uniffi(default)]
    pub open_now: bool,
    /// Only free services.
    #[uniffi(default)]
    pub free_only: bool,
    /// The search instant for the whole batch (Unix seconds); default now.
    #[uniffi(default)]
    pub at_epoch_seconds: Option<i64>,
}

/// The same defaults as the foreign languages get (`limit` 5, everything else unset), for
/// Rust callers of the crate.
impl Default for BatchOptions {
    fn default() -> Self {
        Self {
            limit: 5,
            max_distance_km: None,
            delivery: None,
            travel: None,
            languages: vec![],
            include_ineligible: false,
            open_now: false,
            free_only: false,
            at_epoch_seconds: None,
        }
    }
}

/// What an input column means.
enum Role {
    Id,
    NeedText,
    NeedTerms,
    Lat,
    Lon,
    RadiusKm,
    Languages,
    FactsJson,
    Fact(String),
}

const RESERVED: [&str; 8] = [
    "id",
    "need_text",
    "need_terms",
    "lat",
    "lon",
    "radius_km",
    "languages",
    "facts_json",
];

fn invalid(reason: impl Into<String>) -> PasserelleError {
    PasserelleError::invalid(reason)
}

fn role_of(name: &str, catalog: &FactCatalog) -> Result<Role, PasserelleError> {
    Ok(match name {
        "id" => Role::Id,
        "need_text" => Role::NeedText,
        "need_terms" => Role::NeedTerms,
        "lat" => Role::Lat,
        "lon" => Role::Lon,
        "radius_km" => Role::RadiusKm,
        "languages" => Role::Languages,
        "facts_json" => Role::FactsJson,
        fact if catalog.get(fact).is_some() => Role::Fact(fact.to_owned()),
        other => {
            let facts: Vec<&str> = catalog.facts().map(|d| d.name()).collect();
            return Err(invalid(format!(
                "unknown input column {other:?}; accepted: {}, or a fact: {}",
                RESERVED.join(", "),
                facts.join(", ")
            )));
        }
    })
}

fn is_number(t: &DataType) -> bool {
    t.is_numeric() && !matches!(t, DataType::Float16) || *t == DataType::Null
}

fn is_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

fn is_text_list(t: &DataType) -> bool {
    match t {
        DataType::List(f) | DataType::LargeList(f) => is_text(f.data_type()),
        _ => false,
    }
}

fn check_type(name: &str, role: &Role, t: &DataType) -> Result<(), PasserelleError> {
    let ok = match role {
        Role::Id => true,
        Role::NeedText => is_text(t) || is_text_list(t),
        Role::NeedTerms | Role::Languages | Role::FactsJson => is_text(t),
        Role::Lat | Role::Lon | Role::RadiusKm => is_number(t),
        Role::Fact(_) => {
            is_number(t) || is_text(t) || is_text_list(t) || matches!(t, DataType::Boolean)
        }
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "input column {name:?} has Arrow type {t}, which it cannot be"
        )))
    }
}

fn num_at(a: &dyn Array, i: usize) -> Option<f64> {
    if a.is_null(i) {
        return None;
    }
    macro_rules! prim {
        ($($dt:ident => $t:ty),*) => {
            match a.data_type() {
                $(DataType::$dt => Some(a.as_primitive::<$t>().value(i) as f64),)*
                _ => None,
            }
        };
    }
    prim!(Float64 => Float64Type, Float32 => Float32Type, Int64 => Int64Type,
          Int32 => Int32Type, Int16 => Int16Type, Int8 => Int8Type, UInt64 => UInt64Type,
          UInt32 => UInt32Type, UInt16 => UInt16Type, UInt8 => UInt8Type)
}

fn text_at(a: &dyn Array, i: usize) -> Option<&str> {
    if a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Utf8 => Some(a.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i)),
        DataType::Utf8View => Some(a.as_string_view().value(i)),
        _ => None,
    }
}

fn texts_at(a: &dyn Array, i: usize) -> Option<Vec<String>> {
    if a.is_null(i) {
        return None;
    }
    let items: ArrayRef = match a.data_type() {
        DataType::List(_) => a.as_list::<i32>().value(i),
        DataType::LargeList(_) => a.as_list::<i64>().value(i),
        _ => return None,
    };
    Some(
        (0..items.len())
            .filter_map(|j| text_at(items.as_ref(), j).map(str::to_owned))
            .collect(),
    )
}

fn fact_at(a: &dyn Array, i: usize) -> Option<CoreFactValue> {
    if a.is_null(i) {
        return None;
    }
    let t = a.data_type();
    if *t == DataType::Boolean {
        Some(CoreFactValue::Bool(a.as_boolean().value(i)))
    } else if is_text(t) {
        text_at(a, i).map(|s| CoreFactValue::Text(s.to_owned()))
    } else if is_text_list(t) {
        texts_at(a, i).map(CoreFactValue::List)
    } else {
        num_at(a, i).map(CoreFactValue::Number)
    }
}

/// Codes separated by commas, semicolons or spaces.
fn codes(text: &str) -> Vec<String> {
    text.split([',', ';', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The plain-data query of row `i`: `template` (the batch options) with the row's columns.
fn row_input(
    template: &QueryInput,
    cols: &[(Role, ArrayRef)],
    i: usize,
) -> Result<QueryInput, PasserelleError> {
    let mut q = template.clone();
    let mut needs = vec![NeedInput::default()];
    for (role, a) in cols {
        let a = a.as_ref();
        match role {
            Role::Id => {}
            Role::NeedText if is_text_list(a.data_type()) => {
                if let Some(list) = texts_at(a, i) {
                    needs = list
                        .into_iter()
                        .map(|text| NeedInput {
                            text: Some(text),
                            terms: vec![],
                        })
                        .collect();
                }
            }
            Role::NeedText => {
                if let (Some(text), Some(need)) = (text_at(a, i), needs.first_mut()) {
                    need.text = Some(text.to_owned());
                }
            }
            Role::NeedTerms => {
                if let (Some(text), Some(need)) = (text_at(a, i), needs.first_mut()) {
                    need.terms.extend(codes(text));
                }
            }
            Role::Lat => q.lat = num_at(a, i),
            Role::Lon => q.lon = num_at(a, i),
            Role::RadiusKm => {
                if let Some(km) = num_at(a, i) {
                    q.max_distance_km = Some(km);
                }
            }
            Role::Languages => {
                if let Some(text) = text_at(a, i) {
                    q.languages = codes(text);
                }
            }
            Role::FactsJson => {
                if let Some(text) = text_at(a, i) {
                    let facts = facts_from_json(text)
                        .map_err(|e| PasserelleError::from(e).context("facts_json"))?;
                    q.facts.extend(facts);
                }
            }
            Role::Fact(name) => {
                if let Some(v) = fact_at(a, i) {
                    q.facts.insert(name.clone(), v);
                }
            }
        }
    }
    q.needs = needs;
    Ok(q)
}

/// One output row: core's flattened result row of a query, or a query that failed.
struct OutRow {
    query: u32,
    row: ResultRow,
    error: Option<String>,
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn rows_of(query: u32, res: Result<SearchResults, PasserelleError>) -> Vec<OutRow> {
    match res {
        Ok(r) => r
            .rows()
            .into_iter()
            .map(|row| OutRow {
                query,
                row,
                error: None,
            })
            .collect(),
        Err(e) => vec![OutRow {
            query,
            row: ResultRow::default(),
            error: Some(e.to_string()),
        }],
    }
}

pub(crate) fn read_input(bytes: &[u8]) -> Result<(Arc<Schema>, Vec<RecordBatch>), PasserelleError> {
    crate::arrow_check::check_stream(bytes)?;
    let bad = |e: ArrowError| invalid(format!("queries are not an Arrow IPC stream: {e}"));
    let reader = StreamReader::try_new(Cursor::new(bytes), None).map_err(bad)?;
    let schema = reader.schema();
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(bad)?;
    Ok((schema, batches))
}

fn internal(e: ArrowError) -> PasserelleError {
    PasserelleError::Internal {
        reason: format!("writing the Arrow result: {e}"),
    }
}

fn search_arrow(
    nav: &CoreNavigator,
    bytes: &[u8],
    options: BatchOptions,
) -> Result<Vec<u8>, PasserelleError> {
    let template = QueryInput {
        limit: options.limit,
        max_distance_km: options.max_distance_km,
        delivery: options.delivery.map(Into::into),
        travel: options.travel.map(Into::into),
        languages: options.languages,
        include_ineligible: options.include_ineligible,
        open_now: options.open_now,
        free_only: options.free_only,
        at_epoch_seconds: Some(
            options
                .at_epoch_seconds
                .unwrap_or_else(|| jiff::Timestamp::now().as_second()),
        ),
        ..QueryInput::default()
    };
    // The options alone (no row yet): a bad option fails the call, not every row.
    template.clone().to_query(nav.catalog())?;
    let (schema, batches) = read_input(bytes)?;
    let roles: Vec<Role> = schema
        .fields()
        .iter()
        .map(|f| {
            let role = role_of(f.name(), nav.catalog())?;
            check_type(f.name(), &role, f.data_type())?;
            Ok(role)
        })
        .collect::<Result<_, PasserelleError>>()?;
    if !roles
        .iter()
        .any(|r| matches!(r, Role::NeedText | Role::NeedTerms))
    {
        return Err(invalid("the queries need a need_text or need_terms column"));
    }
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    if rows > MAX_ARROW_ROWS {
        return Err(PasserelleError::LimitExceeded {
            reason: format!("{rows} queries in one batch; at most {MAX_ARROW_ROWS} are accepted"),
        });
    }
    let id_pos = roles.iter().position(|r| matches!(r, Role::Id));

    // Queries, in input order; a row that cannot become a query keeps its error.
    let mut queries: Vec<Result<Query, PasserelleError>> = Vec::with_capacity(rows);
    let mut ids: Vec<ArrayRef> = Vec::new();
    for batch in &batches {
        let cols: Vec<(Role, ArrayRef)> = roles
            .iter()
            .zip(batch.columns())
            .map(|(r, a)| (clone_role(r), Arc::clone(a)))
            .collect();
        if let Some(p) = id_pos {
            ids.extend(batch.columns().get(p).cloned());
        }
        for i in 0..batch.num_rows() {
            queries
                .push(row_input(&template, &cols, i).and_then(|q| Ok(q.to_query(nav.catalog())?)));
        }
    }

    // The valid queries go to core's parallel batch search (in chunks of its largest batch);
    // a row whose query could not be built keeps its error.
    let valid: Vec<passerelle::Query> = queries.iter().filter_map(|q| q.clone().ok()).collect();
    let mut found = Vec::with_capacity(valid.len());
    for chunk in valid.chunks(passerelle::matching::MAX_BATCH_QUERIES) {
        found.extend(nav.search_batch(chunk)?);
    }
    let mut found = found.into_iter();
    let mut out: Vec<OutRow> = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        let res = match q {
            Ok(_) => found
                .next()
                .unwrap_or_else(|| Err(passerelle::MatchError::NoNeeds.into()))
                .map_err(PasserelleError::from),
            Err(e) => Err(e.clone()),
        };
        out.extend(rows_of(u32_of(i), res));
    }

    // Output columns.
    let mut fields = vec![Field::new("query_index", DataType::UInt32, false)];
    let mut columns: Vec<ArrayRef> = vec![Arc::new(UInt32Array::from_iter_values(
        out.iter().map(|r| r.query),
    ))];
    if let Some(p) = id_pos {
        let parts: Vec<&dyn Array> = ids.iter().map(AsRef::as_ref).collect();
        let data_type = schema
            .fields()
            .get(p)
            .map_or(DataType::Null, |f| f.data_type().clone());
        let all = if parts.is_empty() {
            arrow_array::new_empty_array(&data_type)
        } else {
            arrow_select::concat::concat(&parts).map_err(internal)?
        };
        let idx = UInt32Array::from_iter_values(out.iter().map(|r| r.query));
        fields.push(Field::new("id", data_type, true));
        columns.push(arrow_select::take::take(all.as_ref(), &idx, None).map_err(internal)?);
    }
    let mut text = |name: &str, f: &dyn Fn(&OutRow) -> Option<&str>| {
        fields.push(Field::new(name, DataType::Utf8, true));
        columns.push(Arc::new(StringArray::from_iter(out.iter().map(f))));
    };
    text("service_id", &|r| r.row.service_id.as_deref());
    text("service_at_location_id", &|r| {
        r.row.service_at_location_id.as_deref()
    });
    text("location_id", &|r| r.row.location_id.as_deref());
    text("service_name", &|r| r.row.service_name.as_deref());
    text("phone", &|r| r.row.phone.as_deref());
    text("address", &|r| r.row.address.as_deref());
    let mut cols2: Vec<(Field, ArrayRef)> = vec![
        (
            Field::new("need_index", DataType::UInt32, false),
            Arc::new(UInt32Array::from_iter_values(
                out.iter().map(|r| u32_of(r.row.need_index)),
            )),
        ),
        (
            Field::new("rank", DataType::UInt32, true),
            Arc::new(UInt32Array::from_iter(
                out.iter().map(|r| r.row.rank.map(u32_of)),
            )),
        ),
        (
            Field::new("distance_m", DataType::Float64, true),
            Arc::new(Float64Array::from_iter(
                out.iter().map(|r| r.row.distance_m),
            )),
        ),
        (
            Field::new("via", DataType::Utf8, true),
            Arc::new(StringArray::from_iter(out.iter().map(|r| r.row.via))),
        ),
        (
            Field::new("eligibility", DataType::Utf8, true),
            Arc::new(StringArray::from_iter(
                out.iter().map(|r| r.row.eligibility),
            )),
        ),
        (
            Field::new("missing_facts", DataType::Utf8, true),
            Arc::new(StringArray::from_iter(
                out.iter().map(|r| r.row.missing_facts.as_deref()),
            )),
        ),
        (
            Field::new("open_now", DataType::Boolean, true),
            Arc::new(BooleanArray::from_iter(out.iter().map(|r| r.row.open_now))),
        ),
        (
            Field::new("score", DataType::Float64, true),
            Arc::new(Float64Array::from_iter(out.iter().map(|r| r.row.score))),
        ),
        (
            Field::new("total", DataType::UInt32, true),
            Arc::new(UInt32Array::from_iter(
                out.iter()
                    .map(|r| (r.error.is_none()).then(|| u32_of(r.row.total))),
            )),
        ),
        (
            Field::new("crisis", DataType::Utf8, true),
            Arc::new(StringArray::from_iter(out.iter().map(|r| r.row.crisis))),
        ),
        (
            Field::new("no_match", DataType::Utf8, true),
            Arc::new(StringArray::from_iter(out.iter().map(|r| r.row.no_match))),
        ),
        (
            Field::new("error", DataType::Utf8, true),
            Arc::new(StringArray::from_iter(
                out.iter().map(|r| r.error.as_deref()),
            )),
        ),
    ];
    // need_index and rank right after the ids.
    let head = if id_pos.is_some() { 2 } else { 1 };
    for (k, (f, a)) in cols2.drain(..2).enumerate() {
        fields.insert(head + k, f);
        columns.insert(head + k, a);
    }
    for (f, a) in cols2 {
        fields.push(f);
        columns.push(a);
    }

    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(Arc::clone(&schema), columns).map_err(internal)?;
    let mut writer = StreamWriter::try_new(Vec::new(), &schema).map_err(internal)?;
    writer.write(&batch).map_err(internal)?;
    writer.into_inner().map_err(internal)
}

fn clone_role(r: &Role) -> Role {
    match r {
        Role::Id => Role::Id,
        Role::NeedText => Role::NeedText,
        Role::NeedTerms => Role::NeedTerms,
        Role::Lat => Role::Lat,
        Role::Lon => Role::Lon,
        Role::RadiusKm => Role::RadiusKm,
        Role::Languages => Role::Languages,
        Role::FactsJson => Role::FactsJson,
        Role::Fact(n) => Role::Fact(n.clone()),
    }
}

#[uniffi::export]
impl Navigator {
    /// Runs many searches in one call, columnar: queries in and results out as Apache Arrow
    /// IPC **stream** bytes (pyarrow: `pa.ipc.new_stream` / `pa.ipc.open_stream`). Python
    /// callers use `passerelle.search_batch(navigator, dataframe)`.
    ///
    /// Input columns (one row per query; only a need column is required):
    /// `id` (any type, copied to the output), `need_text` (text, or a list of texts for
    /// several needs), `need_terms` (term codes separated by commas or spaces), `lat`, `lon`
    /// (degrees), `radius_km`, `languages` (codes separated by commas), `facts_json` (a JSON
    /// object of facts), and any fact name of the catalogue as its own column (`age`,
    /// `household_size`, `household_income`, `disability`, `province`, `population` …;
    /// numbers, booleans, text or lists of text). Nulls are unknown. Any other column is an
    /// `InvalidInput` error naming it.
    ///
    /// Output: one row per match, columns `query_index` (input row, from 0), `id` (when
    /// given), `need_index`, `rank`, `service_id`, `service_at_location_id`, `location_id`,
    /// `service_name`, `phone` (the first number to call, with its extension), `address`
    /// (the location's, on one line), `distance_m`, `via`, `eligibility` (`eligible`/`unknown`/
    /// `ineligible`), `missing_facts` (comma-separated), `open_now`, `score`, `total`,
    /// `crisis`, `no_match`, `error`. A need without results gives one row with `rank` null
    /// and `no_match` set; a row that is not a valid query gives one row with `error` set
    /// (the batch goes on). All queries run on one directory snapshot, at one instant.
    ///
    /// Errors: `InvalidInput` (not an Arrow stream, unknown column, wrong column type),
    /// `LimitExceeded` (`limit` 0, more than 2 000 000 rows).
    pub fn search_batch_arrow(
        &self,
        queries_ipc: Vec<u8>,
        options: BatchOptions,
    ) -> Result<Vec<u8>, PasserelleError> {
        guard("Navigator.search_batch_arrow", || {
            let nav = self.snapshot();
            search_arrow(&nav, &queries_ipc, options)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Int64Array;

    fn options() -> BatchOptions {
        BatchOptions {
            limit: 3,
            at_epoch_seconds: Some(1_760_968_800),
            ..BatchOptions::default()
        }
    }

    fn ipc(batch: &RecordBatch) -> Vec<u8> {
        let mut w = StreamWriter::try_new(Vec::new(), &batch.schema()).unwrap();
        w.write(batch).unwrap();
        w.into_inner().unwrap()
    }

    fn read(bytes: &[u8]) -> RecordBatch {
        let (schema, batches) = read_input(bytes).unwrap();
        arrow_select::concat::concat_batches(&schema, &batches).unwrap()
    }

    #[test]
    fn batch_round_trip() {
        let nav = Navigator::sample().unwrap();
        let texts = StringArray::from(vec![
            Some("banque alimentaire"),
            Some("pensées suicidaires"),
            None,
            Some("zzqx wug"),
        ]);
        let batch = RecordBatch::try_from_iter(vec![
            (
                "id",
                Arc::new(Int64Array::from(vec![10, 11, 12, 13])) as ArrayRef,
            ),
            ("need_text", Arc::new(texts) as ArrayRef),
            (
                "lat",
                Arc::new(Float64Array::from(vec![Some(45.4292), None, None, None])) as ArrayRef,
            ),
            (
                "lon",
                Arc::new(Float64Array::from(vec![Some(-75.692), None, None, None])) as ArrayRef,
            ),
            (
                "age",
                Arc::new(Int64Array::from(vec![Some(70), None, None, None])) as ArrayRef,
            ),
        ])
        .unwrap();
        let out = read(&nav.search_batch_arrow(ipc(&batch), options()).unwrap());
        let names: Vec<_> = out
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(&names[..4], ["query_index", "id", "need_index", "rank"]);
        let q = out.column(0).as_primitive::<UInt32Type>();
        let ids = out.column(1).as_primitive::<Int64Type>();
        let err = out.column_by_name("error").unwrap().as_string::<i32>();
        let crisis = out.column_by_name("crisis").unwrap().as_string::<i32>();
        let sid = out.column_by_name("service_id").unwrap().as_string::<i32>();
        let no_match = out.column_by_name("no_match").unwrap().as_string::<i32>();
        let mut saw = [false; 4];
        for r in 0..out.num_rows() {
            let qi = q.value(r) as usize;
            assert_eq!(ids.value(r), 10 + qi as i64);
            saw[qi] = true;
            match qi {
                0 => assert!(err.is_null(r) && !sid.is_null(r)),
                1 => assert_eq!(crisis.value(r), "suicide_or_self_harm"),
                2 => assert!(err.value(r).contains("neither text nor term")),
                _ => assert_eq!(no_match.value(r), "need_not_understood"),
            }
        }
        assert_eq!(saw, [true; 4]);
        // the crisis line leads query 1
        let first = (0..out.num_rows()).find(|&r| q.value(r) == 1).unwrap();
        assert_eq!(sid.value(first), "svc-distress-line");
    }

    #[test]
    fn list_needs_and_errors() {
        let nav = Navigator::sample().unwrap();
        let mut b =
            arrow_array::builder::ListBuilder::new(arrow_array::builder::StringBuilder::new());
        b.values().append_value("food bank");
        b.values().append_value("rent help");
        b.append(true);
        let batch =
            RecordBatch::try_from_iter(vec![("need_text", Arc::new(b.finish()) as ArrayRef)])
                .unwrap();
        let out = read(&nav.search_batch_arrow(ipc(&batch), options()).unwrap());
        let needs = out
            .column_by_name("need_index")
            .unwrap()
            .as_primitive::<UInt32Type>();
        assert!((0..out.num_rows()).any(|r| needs.value(r) == 1));

        let bad = RecordBatch::try_from_iter(vec![(
            "agee",
            Arc::new(Int64Array::from(vec![1])) as ArrayRef,
        )])
        .unwrap();
        let e = nav.search_batch_arrow(ipc(&bad), options()).unwrap_err();
        assert!(e.to_string().contains("\"agee\""), "{e}");
        let mut o = options();
        o.limit = 0;
        assert!(matches!(
            nav.search_batch_arrow(ipc(&batch), o),
            Err(PasserelleError::LimitExceeded { .. })
        ));
        assert!(matches!(
            nav.search_batch_arrow(b"nope".to_vec(), options()),
            Err(PasserelleError::InvalidInput { .. })
        ));
    }
}
