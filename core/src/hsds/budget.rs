//! One memory budget for a whole import: the bytes of every raw row held, across all tables
//! (unknown tables included), charged as rows are read.

use serde_json::Value;

use super::fields::RawRow;

/// Estimated heap and inline bytes of one value.
fn value_bytes(v: &Value) -> u64 {
    let inline = std::mem::size_of::<Value>() as u64;
    inline
        + match v {
            Value::String(s) => s.len() as u64,
            Value::Array(a) => a.iter().map(value_bytes).sum(),
            Value::Object(o) => o
                .iter()
                .map(|(k, v)| k.len() as u64 + 2 * inline + value_bytes(v))
                .sum(),
            _ => 0,
        }
}

/// Heap bytes an allocation costs beyond its contents (allocator header and rounding).
const ALLOC: u64 = 16;

/// Estimated bytes a raw row holds: its inline size, source name and every (column, value)
/// pair with their text, each allocation with [`ALLOC`] bytes of overhead. Names a table's
/// rows share (the file and CSV column names) are charged to every row: an upper bound.
pub(crate) fn row_bytes(row: &RawRow) -> u64 {
    row_cost(&row.source, &row.values)
}

/// [`row_bytes`] of a row not built yet.
pub(crate) fn row_cost<K: AsRef<str>>(source: &str, values: &[(K, Value)]) -> u64 {
    let pair = std::mem::size_of::<(K, Value)>() as u64;
    std::mem::size_of::<RawRow>() as u64
        + source.len() as u64
        + 2 * ALLOC
        + values
            .iter()
            .map(|(k, v)| pair + k.as_ref().len() as u64 + 2 * ALLOC + value_bytes(v))
            .sum::<u64>()
}

/// Bytes charged so far against `ImportOptions::max_import_bytes`.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    used: u64,
    exhausted: bool,
}

impl Default for Budget {
    fn default() -> Self {
        Self::new(u64::MAX)
    }
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Self {
        Self {
            limit,
            used: 0,
            exhausted: false,
        }
    }

    /// Charges `bytes`; false (and exhausted from then on) when the total passes the limit.
    pub(crate) fn charge(&mut self, bytes: u64) -> bool {
        self.used = self.used.saturating_add(bytes);
        if self.used > self.limit {
            self.exhausted = true;
        }
        !self.exhausted
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.exhausted
    }

    pub(crate) fn limit(&self) -> u64 {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hsds::report::Position;

    #[test]
    fn charges_until_the_limit_then_stays_exhausted() {
        let row = RawRow {
            source: "t.csv".into(),
            position: Position::Row(1),
            values: vec![("id".into(), Value::String("abc".into()))],
        };
        let cost = row_bytes(&row);
        assert!(cost > 5);
        let mut b = Budget::new(cost * 2);
        assert!(b.charge(cost));
        assert!(b.charge(cost));
        assert!(!b.charge(1));
        assert!(b.exhausted());
        assert!(!b.charge(0));
    }
}
