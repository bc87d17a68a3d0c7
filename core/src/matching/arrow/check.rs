//! A check of an Arrow IPC stream before arrow-ipc decodes it: message framing, flatbuffer
//! metadata (verified), column types the batch path reads, and every buffer and node inside
//! its message body. Malformed input is [`ArrowBatchError::NotIpc`] here instead of a panic
//! deeper down (arrow-ipc slices buffers without checking their ranges).

use std::collections::HashMap;

use arrow_ipc::{root_as_message, Field, MessageHeader, Precision, RecordBatch, Type};

use super::ArrowBatchError;

fn bad(reason: impl std::fmt::Display) -> ArrowBatchError {
    ArrowBatchError::NotIpc {
        reason: reason.to_string(),
    }
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Text, numbers, booleans, nulls, and lists of text: what the batch path reads.
fn scalar_ok(t: Type) -> bool {
    matches!(
        t,
        Type::Null
            | Type::Int
            | Type::FloatingPoint
            | Type::Bool
            | Type::Utf8
            | Type::LargeUtf8
            | Type::Utf8View
    )
}

fn field_ok(f: &Field<'_>) -> Result<(), ArrowBatchError> {
    let name = f.name().unwrap_or("");
    let children = f.children().map_or(0, |c| c.len());
    let ok = match f.type_type() {
        Type::List | Type::LargeList => {
            children == 1
                && f.children().is_some_and(|c| {
                    c.iter().all(|child| {
                        scalar_ok(child.type_type())
                            && child.children().is_none_or(|g| g.is_empty())
                    })
                })
        }
        t => scalar_ok(t) && children == 0,
    };
    if ok {
        Ok(())
    } else {
        Err(bad(format!(
            "column {name:?} has an Arrow type the batch path does not read (text, numbers, booleans or lists of text)"
        )))
    }
}

/// Element size in bytes of each buffer of a field of type `t` (1: any length), in IPC
/// order; `None` after a type whose buffer count varies (`Utf8View`).
fn value_widths(f: &Field<'_>, out: &mut Vec<u64>) -> Option<()> {
    match f.type_type() {
        Type::Null => {}
        Type::Int => out.extend([1, u64::try_from(f.type_as_int()?.bitWidth() / 8).ok()?]),
        Type::FloatingPoint => out.extend([
            1,
            match f.type_as_floating_point()?.precision() {
                Precision::HALF => 2,
                Precision::SINGLE => 4,
                _ => 8,
            },
        ]),
        Type::Bool => out.extend([1, 1]),
        Type::Utf8 => out.extend([1, 4, 1]),
        Type::LargeUtf8 => out.extend([1, 8, 1]),
        Type::List | Type::LargeList => {
            out.extend([1, if f.type_type() == Type::List { 4 } else { 8 }]);
            for child in f.children()? {
                value_widths(&child, out)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// Widths of a field as it appears in a record batch (dictionary indices when encoded).
fn batch_widths(f: &Field<'_>, out: &mut Vec<u64>) -> Option<()> {
    match f.dictionary() {
        Some(d) => {
            out.extend([1, u64::try_from(d.indexType()?.bitWidth() / 8).ok()?]);
            Some(())
        }
        None => value_widths(f, out),
    }
}

/// Buffer element sizes of a stream, from its schema.
#[derive(Default)]
struct Layout {
    /// Of a record batch; `None` when not all known.
    batch: Option<Vec<u64>>,
    /// Of each dictionary batch, by dictionary id.
    dictionaries: HashMap<i64, Option<Vec<u64>>>,
}

fn batch_ok(b: &RecordBatch<'_>, body: u64, widths: Option<&[u64]>) -> Result<(), ArrowBatchError> {
    if b.compression().is_some() {
        return Err(bad("compressed record batches are not accepted"));
    }
    if b.length() < 0 {
        return Err(bad("negative row count"));
    }
    for node in b.nodes().iter().flatten() {
        if node.length() < 0 || node.null_count() < 0 || node.null_count() > node.length() {
            return Err(bad("a field node has an invalid length or null count"));
        }
    }
    for (i, buf) in b.buffers().iter().flatten().enumerate() {
        let (offset, len) = (buf.offset(), buf.length());
        let (Ok(offset), Ok(len)) = (u64::try_from(offset), u64::try_from(len)) else {
            return Err(bad("a buffer has a negative offset or length"));
        };
        if offset.checked_add(len).is_none_or(|end| end > body) {
            return Err(bad("a buffer reaches past its message body"));
        }
        if offset % 8 != 0 {
            return Err(bad("a buffer is not 8-byte aligned"));
        }
        let width = widths.and_then(|w| w.get(i)).copied().unwrap_or(1);
        if width > 1 && len % width != 0 {
            return Err(bad("a buffer's length is not a whole number of its values"));
        }
    }
    Ok(())
}

/// Checks a whole IPC stream: a schema message first, then record and dictionary batches,
/// each body inside the input.
pub(super) fn check_stream(bytes: &[u8]) -> Result<(), ArrowBatchError> {
    let mut pos = 0usize;
    let mut seen_schema = false;
    let mut layout = Layout::default();
    loop {
        let Some(mut len) = u32_at(bytes, pos) else {
            // end of input without an end-of-stream marker: allowed
            return if seen_schema {
                Ok(())
            } else {
                Err(bad("no schema message"))
            };
        };
        pos += 4;
        if len == 0xFFFF_FFFF {
            len = u32_at(bytes, pos).ok_or_else(|| bad("truncated message length"))?;
            pos += 4;
        }
        if len == 0 {
            return if seen_schema {
                Ok(())
            } else {
                Err(bad("no schema message"))
            };
        }
        let len = usize::try_from(len)
            .ok()
            .filter(|l| i32::try_from(*l).is_ok())
            .ok_or_else(|| bad("message length out of range"))?;
        let end = pos
            .checked_add(len)
            .filter(|e| *e <= bytes.len())
            .ok_or_else(|| bad("message metadata runs past the end"))?;
        let meta = bytes
            .get(pos..end)
            .ok_or_else(|| bad("truncated metadata"))?;
        let msg = root_as_message(meta).map_err(|e| bad(format!("metadata: {e}")))?;
        pos = end;
        let body = u64::try_from(msg.bodyLength()).map_err(|_| bad("negative body length"))?;
        let remaining = (bytes.len() - pos) as u64;
        if body > remaining {
            return Err(bad("message body runs past the end"));
        }
        match msg.header_type() {
            MessageHeader::Schema if !seen_schema => {
                let schema = msg.header_as_schema().ok_or_else(|| bad("empty schema"))?;
                let mut widths = Vec::new();
                let mut known = true;
                for f in schema.fields().iter().flatten() {
                    field_ok(&f)?;
                    known = known && batch_widths(&f, &mut widths).is_some();
                    if let Some(d) = f.dictionary() {
                        let mut w = Vec::new();
                        let values = value_widths(&f, &mut w).map(|()| w);
                        layout.dictionaries.insert(d.id(), values);
                    }
                }
                layout.batch = known.then_some(widths);
                seen_schema = true;
            }
            MessageHeader::RecordBatch if seen_schema => {
                let b = msg
                    .header_as_record_batch()
                    .ok_or_else(|| bad("empty record batch"))?;
                batch_ok(&b, body, layout.batch.as_deref())?;
            }
            MessageHeader::DictionaryBatch if seen_schema => {
                let d = msg
                    .header_as_dictionary_batch()
                    .ok_or_else(|| bad("empty dictionary batch"))?;
                let b = d
                    .data()
                    .ok_or_else(|| bad("dictionary batch without data"))?;
                let widths = match layout.dictionaries.get(&d.id()) {
                    Some(w) => w.as_deref(),
                    None => return Err(bad("a dictionary batch for no column of the schema")),
                };
                batch_ok(&b, body, widths)?;
            }
            _ => return Err(bad("unexpected message (a schema first, then batches)")),
        }
        pos += usize::try_from(body).map_err(|_| bad("body too large"))?;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{ArrayRef, Float64Array, RecordBatch as Batch, StringArray};
    use arrow_ipc::writer::StreamWriter;

    use super::super::read::read_input;
    use super::*;

    fn stream() -> Vec<u8> {
        let mut langs = ListBuilder::new(StringBuilder::new());
        for i in 0..3 {
            langs
                .values()
                .append_value(if i % 2 == 0 { "fr" } else { "en" });
            langs.append(true);
        }
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("id", Arc::new(StringArray::from(vec!["a", "b", "c"]))),
            (
                "need",
                Arc::new(StringArray::from(vec!["food", "rent", "help"])),
            ),
            ("lat", Arc::new(Float64Array::from(vec![45.4, 45.5, 45.3]))),
            ("population", Arc::new(langs.finish())),
        ];
        let batch = Batch::try_from_iter(columns).unwrap();
        let mut out = Vec::new();
        let mut w = StreamWriter::try_new(&mut out, &batch.schema()).unwrap();
        w.write(&batch).unwrap();
        w.write(&batch).unwrap();
        w.finish().unwrap();
        drop(w);
        out
    }

    #[test]
    fn a_valid_stream_passes() {
        let bytes = stream();
        check_stream(&bytes).unwrap();
        let (_, batches) = read_input(&bytes).unwrap();
        assert_eq!(batches.len(), 2);
    }

    /// Every byte of a valid stream set to values that break offsets, lengths and counts:
    /// each mutant is decoded or refused as `NotIpc`, never a panic.
    #[test]
    fn mutated_streams_never_panic() {
        let bytes = stream();
        let mut decoded = 0;
        for i in 0..bytes.len() {
            for v in [0x00, 0x01, 0x07, 0x7F, 0x80, 0xFF] {
                let mut m = bytes.clone();
                if m[i] == v {
                    continue;
                }
                m[i] = v;
                let r = std::panic::catch_unwind(|| read_input(&m));
                match r {
                    Ok(Ok(_)) => decoded += 1,
                    Ok(Err(ArrowBatchError::NotIpc { .. })) => {}
                    Ok(Err(e)) => panic!("byte {i} = {v:#x}: {e:?}"),
                    Err(_) => panic!("byte {i} = {v:#x}: arrow-ipc panicked"),
                }
            }
        }
        assert!(decoded > 0);
        // truncations too
        for n in 0..bytes.len() {
            let r = std::panic::catch_unwind(|| read_input(&bytes[..n]));
            assert!(r.is_ok(), "truncated at {n}: panicked");
        }
    }
}
