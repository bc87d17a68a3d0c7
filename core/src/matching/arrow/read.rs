//! Decoding a query batch: each input column's role, its type, and each row as a
//! [`QueryInput`] (the batch defaults with the row's values).

use std::io::Cursor;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_ipc::reader::StreamReader;
use arrow_schema::{ArrowError, DataType, Schema};

use crate::matching::{facts_from_json, NeedInput, QueryInput};
use crate::rules::{FactCatalog, FactValue};

use super::{ArrowBatchError, RowError, QUERY_COLUMNS};

/// What an input column means.
#[derive(Clone)]
pub(super) enum Role {
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

pub(super) fn role_of(name: &str, catalog: &FactCatalog) -> Result<Role, ArrowBatchError> {
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
            return Err(ArrowBatchError::UnknownColumn {
                column: other.to_owned(),
                accepted: QUERY_COLUMNS.join(", "),
                facts: facts.join(", "),
            });
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

pub(super) fn check_type(name: &str, role: &Role, t: &DataType) -> Result<(), ArrowBatchError> {
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
        Err(ArrowBatchError::ColumnType {
            column: name.to_owned(),
            data_type: t.to_string(),
        })
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

fn fact_at(a: &dyn Array, i: usize) -> Option<FactValue> {
    if a.is_null(i) {
        return None;
    }
    let t = a.data_type();
    if *t == DataType::Boolean {
        Some(FactValue::Bool(a.as_boolean().value(i)))
    } else if is_text(t) {
        text_at(a, i).map(|s| FactValue::Text(s.to_owned()))
    } else if is_text_list(t) {
        texts_at(a, i).map(FactValue::List)
    } else {
        num_at(a, i).map(FactValue::Number)
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

/// The plain-data query of row `i`: `defaults` with the row's columns.
pub(super) fn row_input(
    defaults: &QueryInput,
    cols: &[(Role, ArrayRef)],
    i: usize,
) -> Result<QueryInput, RowError> {
    let mut q = defaults.clone();
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
                    let facts = facts_from_json(text).map_err(|e| RowError {
                        column: Some("facts_json"),
                        error: Box::new(e.into()),
                    })?;
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

/// The schema and record batches of an IPC stream, checked first so malformed input is an
/// error, never a panic in arrow-ipc.
pub(super) fn read_input(bytes: &[u8]) -> Result<(Arc<Schema>, Vec<RecordBatch>), ArrowBatchError> {
    super::check::check_stream(bytes)?;
    let bad = |e: ArrowError| ArrowBatchError::NotIpc {
        reason: e.to_string(),
    };
    let reader = StreamReader::try_new(Cursor::new(bytes), None).map_err(bad)?;
    let schema = reader.schema();
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(bad)?;
    Ok((schema, batches))
}
