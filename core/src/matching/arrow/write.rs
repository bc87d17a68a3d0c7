//! Encoding result rows ([`ResultRow`], one per match) as an Arrow IPC stream.

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt32Array,
};
use arrow_data::transform::MutableArrayData;
use arrow_data::ArrayData;
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{ArrowError, DataType, Field, Schema};

use crate::matching::ResultRow;

use super::ArrowBatchError;

/// One output row: a result row of query `query`, or the error of a query that failed.
pub(super) struct OutRow {
    pub(super) query: u32,
    pub(super) row: ResultRow,
    pub(super) error: Option<String>,
}

pub(super) fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn write_error(e: ArrowError) -> ArrowBatchError {
    ArrowBatchError::Write {
        reason: e.to_string(),
    }
}

fn text(rows: &[OutRow], f: impl Fn(&OutRow) -> Option<&str>) -> ArrayRef {
    Arc::new(StringArray::from_iter(rows.iter().map(f)))
}

/// The `missing_facts` column: a list of fact names per row (null where the row has no
/// eligibility, as for a need without a match or a row in error).
fn fact_lists(rows: &[OutRow]) -> (Field, ArrayRef) {
    let mut b = ListBuilder::new(StringBuilder::new());
    for r in rows {
        if r.row.eligibility.is_some() {
            for fact in &r.row.missing_facts {
                b.values().append_value(fact);
            }
            b.append(true);
        } else {
            b.append(false);
        }
    }
    let list = b.finish();
    let field = Field::new("missing_facts", list.data_type().clone(), true);
    (field, Arc::new(list))
}

/// The `need_id` column of the output: the input ids (`parts`, of type `data_type`) taken at each
/// row's query index.
///
/// One `MutableArrayData` pass over the input batches copies each row's id, for every Arrow type
/// (dictionaries, run-end encoded, nested). `arrow_select::take` would do the same through a
/// comparator for every type (run-end arrays compare values), 0.6 MB of the shipped library.
fn ids_column(
    parts: &[ArrayRef],
    data_type: &DataType,
    rows: &[OutRow],
) -> Result<ArrayRef, ArrowBatchError> {
    if parts.is_empty() {
        return Ok(arrow_array::new_empty_array(data_type));
    }
    let data: Vec<ArrayData> = parts.iter().map(|p| p.to_data()).collect();
    // Each batch's first query index and length, to find a query's batch and its row in it.
    let mut spans = Vec::with_capacity(parts.len());
    let mut start = 0usize;
    for p in parts {
        spans.push((start, p.len()));
        start += p.len();
    }
    let mut out = MutableArrayData::new(data.iter().collect(), true, rows.len());
    for r in rows {
        let q = r.query as usize;
        let part = spans.partition_point(|&(s, _)| s <= q).saturating_sub(1);
        let at = match spans.get(part) {
            Some(&(s, len)) if q - s < len => q - s,
            _ => {
                return Err(ArrowBatchError::Write {
                    reason: format!("query index {q} is past the {start} input rows"),
                })
            }
        };
        out.try_extend(part, at, at + 1).map_err(write_error)?;
    }
    Ok(arrow_array::make_array(out.freeze()))
}

/// The result stream: `query_index`, `need_id` (when `ids` is given), then the columns of
/// [`ResultRow`] under their names and `error` ([`super::OUTPUT_COLUMNS`]).
pub(super) fn write_rows(
    rows: &[OutRow],
    ids: Option<(&DataType, &[ArrayRef])>,
) -> Result<Vec<u8>, ArrowBatchError> {
    let mut columns: Vec<(Field, ArrayRef)> = vec![(
        Field::new("query_index", DataType::UInt32, false),
        Arc::new(UInt32Array::from_iter_values(rows.iter().map(|r| r.query))),
    )];
    if let Some((data_type, parts)) = ids {
        columns.push((
            Field::new("need_id", data_type.clone(), true),
            ids_column(parts, data_type, rows)?,
        ));
    }
    let utf8 = |name: &str| Field::new(name, DataType::Utf8, true);
    columns.extend([
        (
            Field::new("need_index", DataType::UInt32, false),
            Arc::new(UInt32Array::from_iter_values(
                rows.iter().map(|r| u32_of(r.row.need_index)),
            )) as ArrayRef,
        ),
        (
            Field::new("rank", DataType::UInt32, true),
            Arc::new(UInt32Array::from_iter(
                rows.iter().map(|r| r.row.rank.map(u32_of)),
            )),
        ),
        (
            utf8("service_id"),
            text(rows, |r| r.row.service_id.as_deref()),
        ),
        (
            utf8("service_at_location_id"),
            text(rows, |r| r.row.service_at_location_id.as_deref()),
        ),
        (
            utf8("location_id"),
            text(rows, |r| r.row.location_id.as_deref()),
        ),
        (
            utf8("service_name"),
            text(rows, |r| r.row.service_name.as_deref()),
        ),
        (utf8("phone"), text(rows, |r| r.row.phone.as_deref())),
        (utf8("address"), text(rows, |r| r.row.address.as_deref())),
        (
            Field::new("distance_m", DataType::Float64, true),
            Arc::new(Float64Array::from_iter(
                rows.iter().map(|r| r.row.distance_m),
            )),
        ),
        (utf8("via"), text(rows, |r| r.row.via)),
        (utf8("eligibility"), text(rows, |r| r.row.eligibility)),
        fact_lists(rows),
        (
            Field::new("open_now", DataType::Boolean, true),
            Arc::new(BooleanArray::from_iter(rows.iter().map(|r| r.row.open_now))),
        ),
        (
            Field::new("score", DataType::Float64, true),
            Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.row.score))),
        ),
        (
            Field::new("total", DataType::UInt32, true),
            Arc::new(UInt32Array::from_iter(
                rows.iter()
                    .map(|r| r.error.is_none().then(|| u32_of(r.row.total))),
            )),
        ),
        (utf8("crisis"), text(rows, |r| r.row.crisis)),
        (utf8("reason"), text(rows, |r| r.row.reason)),
        (utf8("error"), text(rows, |r| r.error.as_deref())),
    ]);
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(Arc::clone(&schema), arrays).map_err(write_error)?;
    let mut writer = StreamWriter::try_new(Vec::new(), &schema).map_err(write_error)?;
    writer.write(&batch).map_err(write_error)?;
    writer.into_inner().map_err(write_error)
}
