//! Lookup tables for `threshold("table", key)` (conventions §3, `eligibility_tables.csv`).

use std::collections::BTreeMap;

use super::error::RuleError;

/// Named lookup tables of `key → value` numbers, e.g. income thresholds by household size.
///
/// `lookup(table, k)` returns the value of the row with the **largest key ≤ `k`**; the last
/// row therefore applies above, and for `k` below the first key the first row applies.
///
/// # Examples
/// ```
/// use passerelle::rules::Tables;
/// let t = Tables::from_csv("table,key,value\nlim_on,1,30000\nlim_on,2,42000\nlim_on,4,60000\n").unwrap();
/// assert_eq!(t.lookup("lim_on", 3.0), Some(42000.0));
/// assert_eq!(t.lookup("lim_on", 9.0), Some(60000.0));
/// assert_eq!(t.lookup("nope", 1.0), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    tables: BTreeMap<String, Vec<(f64, f64)>>,
}

impl Tables {
    /// No tables.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a row.
    ///
    /// # Errors
    /// [`RuleError::Table`] if the key or value is not finite, or the table name is empty.
    pub fn insert(&mut self, table: &str, key: f64, value: f64) -> Result<(), RuleError> {
        if table.is_empty() {
            return Err(RuleError::Table {
                line: 0,
                reason: "empty table name",
            });
        }
        if !key.is_finite() || !value.is_finite() {
            return Err(RuleError::Table {
                line: 0,
                reason: "key and value must be finite numbers",
            });
        }
        let rows = self.tables.entry(table.to_owned()).or_default();
        match rows.binary_search_by(|(k, _)| k.total_cmp(&key)) {
            Ok(i) => {
                if let Some(row) = rows.get_mut(i) {
                    row.1 = value;
                }
            }
            Err(i) => rows.insert(i, (key, value)),
        }
        Ok(())
    }

    /// Builds tables from `(table, key, value)` rows.
    ///
    /// # Errors
    /// As [`Tables::insert`].
    pub fn from_rows(rows: &[(&str, f64, f64)]) -> Result<Self, RuleError> {
        let mut t = Self::new();
        for (table, key, value) in rows {
            t.insert(table, *key, *value)?;
        }
        Ok(t)
    }

    /// Reads the `eligibility_tables.csv` text: columns `table,key,value` (header required,
    /// extra columns ignored).
    ///
    /// # Errors
    /// [`RuleError::Table`] with the line number for a missing column, a number that does
    /// not parse, or malformed CSV.
    pub fn from_csv(text: &str) -> Result<Self, RuleError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = reader.headers().map_err(|_| RuleError::Table {
            line: 1,
            reason: "malformed header",
        })?;
        let col = |name: &str| header.iter().position(|h| h == name);
        let (Some(ti), Some(ki), Some(vi)) = (col("table"), col("key"), col("value")) else {
            return Err(RuleError::Table {
                line: 1,
                reason: "header must have columns table,key,value",
            });
        };
        let mut t = Self::new();
        for record in reader.records() {
            let record = record.map_err(|e| RuleError::Table {
                line: e.position().map_or(0, |p| p.line() as usize),
                reason: "malformed CSV",
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let num = |i: usize| record.get(i).and_then(|s| s.parse::<f64>().ok());
            let (Some(table), Some(key), Some(value)) = (record.get(ti), num(ki), num(vi)) else {
                return Err(RuleError::Table {
                    line,
                    reason: "expected a table name and numeric key and value",
                });
            };
            t.insert(table, key, value).map_err(|_| RuleError::Table {
                line,
                reason: "key and value must be finite numbers and the table named",
            })?;
        }
        Ok(t)
    }

    /// The value for `key` in `table`: row with the largest key ≤ `key` (first row below).
    pub fn lookup(&self, table: &str, key: f64) -> Option<f64> {
        self.tables
            .get(table)
            .and_then(|rows| lookup_rows(rows, key))
    }

    /// Table names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    pub(crate) fn rows(&self, table: &str) -> Option<&[(f64, f64)]> {
        self.tables.get(table).map(Vec::as_slice)
    }
}

#[inline]
pub(crate) fn lookup_rows(rows: &[(f64, f64)], key: f64) -> Option<f64> {
    let n = rows.partition_point(|(k, _)| *k <= key);
    rows.get(n.saturating_sub(1)).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_errors_have_lines() {
        let e = Tables::from_csv("table,key,value\nlim,1,100\nlim,x,3\n").unwrap_err();
        assert_eq!(
            e,
            RuleError::Table {
                line: 3,
                reason: "expected a table name and numeric key and value"
            }
        );
        assert!(Tables::from_csv("a,b\n").is_err());
    }

    #[test]
    fn lookup_boundaries() {
        let t = Tables::from_rows(&[("t", 1.0, 10.0), ("t", 2.0, 20.0), ("t", 3.0, 30.0)]).unwrap();
        assert_eq!(t.lookup("t", 0.0), Some(10.0));
        assert_eq!(t.lookup("t", 1.0), Some(10.0));
        assert_eq!(t.lookup("t", 1.5), Some(10.0));
        assert_eq!(t.lookup("t", 2.0), Some(20.0));
        assert_eq!(t.lookup("t", 100.0), Some(30.0));
    }
}
