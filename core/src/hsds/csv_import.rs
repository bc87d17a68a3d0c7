//! The tabular form: an RFC 4180 CSV reader over in-memory bytes that never aborts.
//!
//! It is hand-written rather than built on the `csv` crate so that limits hold before any
//! allocation: a field longer than `max_field_bytes` is measured and skipped, never copied,
//! and every malformed row is reported with its row number while the rest of the table loads.
//!
//! - Row numbers count data rows from 1 (the header is row 0); blank lines are skipped.
//! - A row whose column count differs from the header is skipped (its values could be
//!   misaligned) and reported as [`ProblemKind::MalformedRow`].
//! - Bytes that are not UTF-8 are decoded lossily (U+FFFD) and the row reported
//!   ([`ProblemKind::InvalidUtf8`]); the row is still loaded.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

use super::budget::{row_bytes, Budget};
use super::fields::RawRow;
use super::headers;
use super::report::{Origin, Position, Problem, ProblemKind, Severity};
use super::ImportOptions;

enum Field<'a> {
    Bytes(Cow<'a, [u8]>),
    TooLarge(usize),
}

struct CsvRecord<'a> {
    fields: Vec<Field<'a>>,
    malformed: Option<&'static str>,
    /// Byte offsets of the record in the input (end excludes the line break).
    start: usize,
    end: usize,
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    max_field: usize,
    /// Field delimiter: `,`, or `;` / tab when the header says so.
    delim: u8,
}

impl<'a> Parser<'a> {
    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// Consumes the end of a record (`\n`, `\r\n`, `\r`) if present.
    fn eat_eol(&mut self) {
        match self.at(self.pos) {
            Some(b'\r') => {
                self.pos += 1;
                if self.at(self.pos) == Some(b'\n') {
                    self.pos += 1;
                }
            }
            Some(b'\n') => self.pos += 1,
            _ => {}
        }
    }

    fn next_record(&mut self) -> Option<CsvRecord<'a>> {
        // skip blank lines
        while matches!(self.at(self.pos), Some(b'\r' | b'\n')) {
            self.pos += 1;
        }
        if self.pos >= self.bytes.len() {
            return None;
        }
        let mut rec = CsvRecord {
            fields: Vec::new(),
            malformed: None,
            start: self.pos,
            end: self.pos,
        };
        loop {
            let field = if self.at(self.pos) == Some(b'"') {
                self.quoted(&mut rec.malformed)
            } else {
                self.unquoted()
            };
            rec.fields.push(field);
            match self.at(self.pos) {
                Some(d) if d == self.delim => self.pos += 1,
                _ => {
                    rec.end = self.pos;
                    self.eat_eol();
                    return Some(rec);
                }
            }
        }
    }

    /// True when the record runs over more than one line (a quoted field holds a line break).
    fn spans_lines(&self, rec: &CsvRecord<'_>) -> bool {
        self.bytes
            .get(rec.start..rec.end)
            .is_some_and(|b| b.iter().any(|c| matches!(c, b'\r' | b'\n')))
    }

    /// Moves to the line after the one where `rec` starts.
    fn resync_after(&mut self, rec: &CsvRecord<'_>) {
        let rest = self.bytes.get(rec.start..).unwrap_or_default();
        self.pos = match rest.iter().position(|c| matches!(c, b'\r' | b'\n')) {
            Some(i) => rec.start + i,
            None => self.bytes.len(),
        };
        self.eat_eol();
    }

    fn unquoted(&mut self) -> Field<'a> {
        let start = self.pos;
        let rest = self.bytes.get(start..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|b| *b == self.delim || matches!(b, b'\r' | b'\n'))
            .unwrap_or(rest.len());
        self.pos = start + len;
        if len > self.max_field {
            Field::TooLarge(len)
        } else {
            Field::Bytes(Cow::Borrowed(rest.get(..len).unwrap_or_default()))
        }
    }

    fn quoted(&mut self, malformed: &mut Option<&'static str>) -> Field<'a> {
        self.pos += 1; // opening quote
        let mut out: Option<Vec<u8>> = None; // only when the field has "" escapes
        let mut len = 0usize;
        let mut seg_start = self.pos;
        let push = |out: &mut Option<Vec<u8>>, seg: &[u8], len: usize, max: usize| {
            if len <= max {
                out.get_or_insert_with(Vec::new).extend_from_slice(seg);
            }
        };
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let Some(q) = rest.iter().position(|b| *b == b'"') else {
                // unterminated: the field runs to the end of the input
                *malformed = Some("unterminated quoted field");
                let seg = rest;
                len += seg.len();
                self.pos = self.bytes.len();
                return self.finish_quoted(out, seg_start, seg, len);
            };
            let seg = rest.get(..q).unwrap_or_default();
            len += seg.len();
            self.pos += q + 1;
            if self.at(self.pos) == Some(b'"') {
                // escaped quote
                push(&mut out, seg, len, self.max_field);
                push(&mut out, b"\"", len + 1, self.max_field);
                len += 1;
                self.pos += 1;
                seg_start = self.pos;
                continue;
            }
            if !matches!(self.at(self.pos), None | Some(b'\r' | b'\n'))
                && self.at(self.pos) != Some(self.delim)
            {
                // text after the closing quote: keep it, as most readers do, but report
                *malformed = Some("text after a closing quote");
                push(&mut out, seg, len, self.max_field);
                let tail = self.unquoted_tail();
                len += tail.len();
                push(&mut out, tail, len, self.max_field);
                if len > self.max_field {
                    return Field::TooLarge(len);
                }
                return Field::Bytes(Cow::Owned(out.unwrap_or_default()));
            }
            return self.finish_quoted(out, seg_start, seg, len);
        }
    }

    fn unquoted_tail(&mut self) -> &'a [u8] {
        let start = self.pos;
        let rest = self.bytes.get(start..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|b| *b == self.delim || matches!(b, b'\r' | b'\n'))
            .unwrap_or(rest.len());
        self.pos = start + len;
        rest.get(..len).unwrap_or_default()
    }

    fn finish_quoted(
        &self,
        out: Option<Vec<u8>>,
        seg_start: usize,
        last: &'a [u8],
        len: usize,
    ) -> Field<'a> {
        if len > self.max_field {
            return Field::TooLarge(len);
        }
        match out {
            Some(mut v) => {
                v.extend_from_slice(last);
                Field::Bytes(Cow::Owned(v))
            }
            None => {
                let end = seg_start + last.len();
                Field::Bytes(Cow::Borrowed(
                    self.bytes.get(seg_start..end).unwrap_or_default(),
                ))
            }
        }
    }
}

fn decode(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), true),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), false),
    }
}

/// The text of a file that starts with a UTF-16 byte-order mark (either byte order; bad code
/// units become U+FFFD, an odd last byte is dropped, a UTF-8 BOM after decoding is removed).
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let little = match bytes.get(..2) {
        Some(b"\xFF\xFE") => true,
        Some(b"\xFE\xFF") => false,
        _ => return None,
    };
    let units = bytes
        .get(2..)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|p| match p {
            [a, b] if little => u16::from_le_bytes([*a, *b]),
            [a, b] => u16::from_be_bytes([*a, *b]),
            _ => 0xFFFD,
        });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Some(
        text.strip_prefix('\u{FEFF}')
            .map(str::to_owned)
            .unwrap_or(text),
    )
}

/// What reading one CSV table gave.
#[derive(Debug, Default)]
pub(crate) struct TableRead {
    /// Rows read (each may still be rejected when typed).
    pub rows: Vec<RawRow>,
    /// Data records met, including those skipped here.
    pub seen: u64,
}

/// A readable name for a delimiter in messages.
fn delim_name(d: u8) -> &'static str {
    match d {
        b';' => "semicolons",
        b'\t' => "tabs",
        _ => "commas",
    }
}

/// Where the problems of one table come from: its source file and table name.
struct TableOrigin<'t> {
    source: Arc<str>,
    table: &'t str,
}

impl TableOrigin<'_> {
    fn at(&self, position: Position, record_id: Option<String>) -> Origin {
        Origin {
            source: self.source.clone(),
            table: self.table.to_owned().into(),
            position,
            record_id,
        }
    }

    fn whole_table(&self) -> Origin {
        self.at(Position::Table, None)
    }
}

/// Counts the records left in `parser`, up to `max_rows`.
fn count_rows(parser: &mut Parser<'_>, max_rows: usize) -> u64 {
    let mut n = 0u64;
    while n < max_rows as u64 && parser.next_record().is_some() {
        n += 1;
    }
    n
}

/// A UTF-16 file is not read, but its records are counted so the report says how many were
/// lost.
fn utf16_not_read(
    text: &str,
    opts: &ImportOptions,
    origin: &TableOrigin<'_>,
    problems: &mut Vec<Problem>,
) -> TableRead {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        pos: 0,
        max_field: opts.max_field_bytes,
        delim: b',',
    };
    let seen = if parser.next_record().is_some() {
        count_rows(&mut parser, opts.max_rows)
    } else {
        0
    };
    problems.push(origin.whole_table().problem(
        Severity::Error,
        ProblemKind::InvalidUtf8,
        None,
        format!("the file is UTF-16 (it starts with a UTF-16 byte-order mark, as Excel's \"Unicode text\" export does); save it as CSV UTF-8; table not read, none of its {seen} rows loaded"),
    ));
    TableRead {
        rows: Vec::new(),
        seen,
    }
}

/// Reads the header and returns it with a parser positioned on the first data record.
///
/// A header that is one field holding `;` or tabs comes from an export with another
/// delimiter (Excel in a locale whose decimal separator is the comma writes `;`): the table
/// is then read again with that delimiter, and a warning says so.
fn read_header<'a>(
    bytes: &'a [u8],
    opts: &ImportOptions,
    origin: &TableOrigin<'_>,
    problems: &mut Vec<Problem>,
) -> Option<(Parser<'a>, CsvRecord<'a>)> {
    let mut parser = Parser {
        bytes,
        pos: 0,
        max_field: opts.max_field_bytes,
        delim: b',',
    };
    let mut header = parser.next_record()?;
    if let [Field::Bytes(only)] = header.fields.as_slice() {
        let other = [b';', b'\t'].into_iter().find(|d| only.contains(d));
        if let Some(d) = other {
            parser = Parser {
                bytes,
                pos: 0,
                max_field: opts.max_field_bytes,
                delim: d,
            };
            if let Some(h) = parser.next_record() {
                header = h;
            }
            problems.push(origin.whole_table().problem(
                Severity::Warning,
                ProblemKind::MalformedHeader,
                None,
                format!(
                    "the header is separated by {} rather than commas; the table was read as {}-separated (numbers with a decimal comma are reported where they are typed)",
                    delim_name(d),
                    delim_name(d)
                ),
            ));
        }
    }
    Some((parser, header))
}

/// The column names of `header`, normalised to HSDS names; a column without a name, or
/// repeating an earlier name, is reported and is `None` (its values are ignored).
fn header_columns(
    header: &CsvRecord<'_>,
    origin: &TableOrigin<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Option<Arc<str>>> {
    let mut names: Vec<String> = header
        .fields
        .iter()
        .map(|f| match f {
            Field::Bytes(b) => decode(b).0.trim().to_owned(),
            Field::TooLarge(_) => String::new(),
        })
        .collect();
    headers::normalise(origin.table, &mut names, &origin.whole_table(), problems);
    let mut columns: Vec<Option<Arc<str>>> = Vec::with_capacity(names.len());
    // A set, not a scan of `columns`: a hostile header of 100 000 names was quadratic.
    let mut seen: HashSet<String> = HashSet::with_capacity(names.len());
    for (i, name) in names.into_iter().enumerate() {
        let problem = if name.is_empty() {
            Some(format!(
                "column {} has no name; its values are ignored",
                i + 1
            ))
        } else if !seen.insert(name.clone()) {
            Some(format!(
                "column {name:?} appears twice; the second one (column {}) is ignored",
                i + 1
            ))
        } else {
            None
        };
        if let Some(msg) = problem {
            problems.push(origin.whole_table().problem(
                Severity::Error,
                ProblemKind::MalformedHeader,
                Some(&name).filter(|n| !n.is_empty()).map(String::as_str),
                msg,
            ));
            columns.push(None);
        } else {
            columns.push(Some(name.into()));
        }
    }
    columns
}

/// A typed table whose header has no id column: one problem for the table, not one per row,
/// and none of its rows read.
fn missing_id_column(
    parser: &mut Parser<'_>,
    columns: &[Option<Arc<str>>],
    known: &[&'static str],
    opts: &ImportOptions,
    origin: &TableOrigin<'_>,
    problems: &mut Vec<Problem>,
) -> TableRead {
    let n = count_rows(parser, opts.max_rows);
    let named: Vec<&str> = columns.iter().flatten().map(|c| &**c).take(5).collect();
    let hint = columns
        .iter()
        .flatten()
        .find_map(|c| headers::did_you_mean(c, known).filter(|k| *k == "id"))
        .map_or_else(String::new, |_| " (did you mean \"id\"?)".to_owned());
    problems.push(origin.whole_table().problem(
        Severity::Error,
        ProblemKind::MissingId,
        Some("id"),
        format!(
            "the header has no id column{hint} (it starts {named:?}); none of the table's {n} rows can be loaded"
        ),
    ));
    TableRead {
        rows: Vec::new(),
        seen: n,
    }
}

/// What the data rows of one table are read against.
struct RowReader<'r> {
    columns: &'r [Option<Arc<str>>],
    id_col: Option<usize>,
    opts: &'r ImportOptions,
    origin: &'r TableOrigin<'r>,
}

impl RowReader<'_> {
    /// The origin of a problem on data row `row_no`, with the record's id when it has one.
    fn here(&self, row_no: u64, rec: &CsvRecord<'_>) -> Origin {
        let id = self.id_col.and_then(|i| match rec.fields.get(i) {
            Some(Field::Bytes(b)) => Some(decode(b).0).filter(|s| !s.trim().is_empty()),
            _ => None,
        });
        self.origin.at(Position::Row(row_no), id)
    }

    /// Checks that `rec` has one field per column; reports and returns false when the row
    /// must be skipped (moving `parser` back to the next line when a stray quote ran over
    /// several), and reports a malformed field the row is still read with.
    fn fits(
        &self,
        row_no: u64,
        rec: &CsvRecord<'_>,
        parser: &mut Parser<'_>,
        problems: &mut Vec<Problem>,
    ) -> bool {
        let columns = self.columns.len();
        let misfit = rec.fields.len() != columns || rec.malformed.is_some();
        if misfit && parser.spans_lines(rec) {
            // A quote opened in this row and closed lines later (or never) swallowed the
            // rows in between: skip this row only and read on from its next line.
            problems.push(self.here(row_no, rec).problem(
                Severity::Error,
                ProblemKind::MalformedRow,
                None,
                format!(
                    "a quote opened in this row is not closed on its line ({}; {} fields, the header has {} columns); row skipped, reading resumed at the next line",
                    rec.malformed.unwrap_or("the quoted field runs over several lines"),
                    rec.fields.len(),
                    columns
                ),
            ));
            parser.resync_after(rec);
            return false;
        }
        if rec.fields.len() != columns {
            problems.push(self.here(row_no, rec).problem(
                Severity::Error,
                ProblemKind::MalformedRow,
                None,
                format!(
                    "row has {} fields but the header has {} columns; row skipped",
                    rec.fields.len(),
                    columns
                ),
            ));
            return false;
        }
        if let Some(why) = rec.malformed {
            problems.push(self.here(row_no, rec).problem(
                Severity::Error,
                ProblemKind::MalformedRow,
                None,
                format!("{why}; the field was read up to the next delimiter"),
            ));
        }
        true
    }

    /// The named columns' values of `rec`: a field over `max_field_bytes` is dropped and
    /// reported; bytes that are not UTF-8 are decoded lossily, reported once for the row.
    fn values(
        &self,
        row_no: u64,
        rec: &CsvRecord<'_>,
        problems: &mut Vec<Problem>,
    ) -> Vec<(Arc<str>, Value)> {
        let mut values = Vec::with_capacity(self.columns.len());
        let mut bad_utf8: Option<&str> = None;
        for (col, field) in self.columns.iter().zip(&rec.fields) {
            let Some(col) = col else { continue };
            match field {
                Field::Bytes(b) => {
                    let (s, ok) = decode(b);
                    if !ok && bad_utf8.is_none() {
                        bad_utf8 = Some(&**col);
                    }
                    values.push((col.clone(), Value::String(s)));
                }
                Field::TooLarge(len) => problems.push(self.here(row_no, rec).problem(
                    Severity::Error,
                    ProblemKind::FieldTooLarge,
                    Some(&**col),
                    format!(
                        "field of {len} bytes exceeds max_field_bytes ({}); value dropped",
                        self.opts.max_field_bytes
                    ),
                )),
            }
        }
        if let Some(col) = bad_utf8 {
            problems.push(self.here(row_no, rec).problem(
                Severity::Error,
                ProblemKind::InvalidUtf8,
                Some(col),
                "row is not valid UTF-8; decoded with U+FFFD replacement characters",
            ));
        }
        values
    }

    /// Reads the data rows left in `parser`, up to `max_rows` and within `budget`.
    fn read_rows(
        &self,
        parser: &mut Parser<'_>,
        problems: &mut Vec<Problem>,
        budget: &mut Budget,
    ) -> TableRead {
        let typed = headers::typed_size(self.origin.table);
        let mut rows = Vec::new();
        let mut row_no = 0u64;
        while let Some(rec) = parser.next_record() {
            row_no += 1;
            if row_no > self.opts.max_rows as u64 {
                problems.push(self.origin.at(Position::Row(row_no), None).problem(
                    Severity::Error,
                    ProblemKind::TooManyRows,
                    None,
                    format!(
                        "more than max_rows ({}) rows; this row and the rest of the table were not read",
                        self.opts.max_rows
                    ),
                ));
                break;
            }
            if !self.fits(row_no, &rec, parser, problems) {
                continue;
            }
            let row = RawRow {
                source: self.origin.source.clone(),
                position: Position::Row(row_no),
                values: self.values(row_no, &rec, problems),
            };
            if !budget.charge(row_bytes(&row) + typed) {
                problems.push(self.here(row_no, &rec).problem(
                    Severity::Error,
                    ProblemKind::MemoryBudget,
                    None,
                    format!(
                        "the import holds more than max_import_bytes ({} bytes) across its tables; this row and the rest of the table were not read",
                        budget.limit()
                    ),
                ));
                break;
            }
            rows.push(row);
        }
        TableRead { rows, seen: row_no }
    }
}

/// Parses one CSV table into raw rows; problems are appended to `problems`, the rows'
/// bytes charged to `budget`.
pub(crate) fn read_table(
    table: &str,
    source: &str,
    bytes: &[u8],
    opts: &ImportOptions,
    problems: &mut Vec<Problem>,
    budget: &mut Budget,
) -> TableRead {
    let origin = TableOrigin {
        source: source.into(),
        table,
    };
    if let Some(text) = utf16_text(bytes) {
        return utf16_not_read(&text, opts, &origin, problems);
    }
    if budget.exhausted() {
        problems.push(origin.whole_table().problem(
            Severity::Error,
            ProblemKind::MemoryBudget,
            None,
            format!(
                "not read: the import already holds max_import_bytes ({} bytes) of earlier tables",
                budget.limit()
            ),
        ));
        return TableRead::default();
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some((mut parser, header)) = read_header(bytes, opts, &origin, problems) else {
        return TableRead::default();
    };
    let columns = header_columns(&header, &origin, problems);
    let id_col = columns.iter().position(|c| c.as_deref() == Some("id"));
    if let (None, Some(known)) = (id_col, headers::typed_columns(table)) {
        return missing_id_column(&mut parser, &columns, known, opts, &origin, problems);
    }
    RowReader {
        columns: &columns,
        id_col,
        opts,
        origin: &origin,
    }
    .read_rows(&mut parser, problems, budget)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], opts: &ImportOptions) -> (Vec<RawRow>, Vec<Problem>) {
        let mut p = Vec::new();
        let mut budget = Budget::new(u64::MAX);
        let read = read_table("t", "t.csv", bytes, opts, &mut p, &mut budget);
        (read.rows, p)
    }

    fn cells(r: &RawRow) -> Vec<String> {
        r.values
            .iter()
            .map(|(_, v)| v.as_str().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn quoting() {
        let (rows, p) = read(
            b"id,a,b\r\n1,\"x, \"\"y\"\"\",\"multi\nline\"\r\n\r\n2,,last",
            &ImportOptions::default(),
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(cells(&rows[0]), ["1", "x, \"y\"", "multi\nline"]);
        assert_eq!(cells(&rows[1]), ["2", "", "last"]);
        assert_eq!(rows[1].position, Position::Row(2));
    }

    #[test]
    fn malformed_rows_are_skipped_and_reported() {
        let (rows, p) = read(
            b"id,a\n1,x\n2,y,z\n3\n4,\"w\"v\n",
            &ImportOptions::default(),
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].position, Position::Row(2));
        assert_eq!(p[0].record_id.as_deref(), Some("2"));
        assert_eq!(p[1].position, Position::Row(3));
        assert_eq!(p[2].kind, ProblemKind::MalformedRow);
        assert_eq!(cells(&rows[1]), ["4", "wv"]);
    }

    #[test]
    fn limits() {
        let opts = ImportOptions {
            max_field_bytes: 4,
            max_rows: 2,
            ..ImportOptions::default()
        };
        let (rows, p) = read(b"id,a\n1,abcdef\n2,\"ab\"\"cdef\"\n3,x\n", &opts);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].values.iter().all(|(k, _)| &**k != "a"));
        assert_eq!(p[0].kind, ProblemKind::FieldTooLarge);
        assert_eq!(p[1].kind, ProblemKind::FieldTooLarge);
        assert_eq!(p[2].kind, ProblemKind::TooManyRows);
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily() {
        let (rows, p) = read(b"\xEF\xBB\xBFid,a\n1,caf\xE9\n", &ImportOptions::default());
        assert_eq!(cells(&rows[0]), ["1", "caf\u{FFFD}"]);
        assert_eq!(p[0].kind, ProblemKind::InvalidUtf8);
        assert_eq!(p[0].field.as_deref(), Some("a"));
    }

    fn origin() -> TableOrigin<'static> {
        TableOrigin {
            source: "t.csv".into(),
            table: "t",
        }
    }

    fn parser(bytes: &[u8]) -> Parser<'_> {
        Parser {
            bytes,
            pos: 0,
            max_field: 1024,
            delim: b',',
        }
    }

    #[test]
    fn header_columns_ignore_unnamed_and_repeated_columns() {
        let mut p = Vec::new();
        let header = parser(b"id, ,name,name,x\n").next_record();
        let header = header
            .as_ref()
            .map(|h| header_columns(h, &origin(), &mut p));
        let names: Vec<Option<&str>> = header.iter().flatten().map(|c| c.as_deref()).collect();
        assert_eq!(names, [Some("id"), None, Some("name"), None, Some("x")]);
        let said: Vec<(Option<&str>, &str)> = p
            .iter()
            .map(|p| (p.field.as_deref(), p.message.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                (None, "column 2 has no name; its values are ignored"),
                (
                    Some("name"),
                    "column \"name\" appears twice; the second one (column 4) is ignored"
                ),
            ]
        );
    }

    #[test]
    fn read_header_switches_delimiter_only_for_a_single_field_header() {
        let mut p = Vec::new();
        let opts = ImportOptions::default();
        let (mut rows, header) =
            read_header(b"id;a\tb\n1;x\ty\n", &opts, &origin(), &mut p).expect("a header");
        // `;` is tried before the tab.
        assert_eq!(header.fields.len(), 2);
        assert_eq!(rows.next_record().map(|r| r.fields.len()), Some(2));
        assert_eq!(p.len(), 1);
        assert!(p[0]
            .message
            .starts_with("the header is separated by semicolons"));

        let mut p = Vec::new();
        let (_, header) = read_header(b"id\n1;2\n", &opts, &origin(), &mut p).expect("a header");
        assert_eq!(header.fields.len(), 1);
        assert!(p.is_empty(), "{p:?}");
        assert!(read_header(b"\r\n\n", &opts, &origin(), &mut p).is_none());
    }

    #[test]
    fn count_rows_stops_at_the_limit() {
        assert_eq!(count_rows(&mut parser(b"1\n2\n\n3\n"), 10), 3);
        let mut rows = parser(b"1\n2\n3\n");
        assert_eq!(count_rows(&mut rows, 2), 2);
        // the record after the limit is left unread
        assert_eq!(rows.next_record().map(|r| (r.start, r.end)), Some((4, 5)));
    }

    #[test]
    fn row_values_skip_ignored_columns_and_name_the_first_bad_utf8_column() {
        let columns: Vec<Option<Arc<str>>> =
            vec![Some("id".into()), None, Some("a".into()), Some("b".into())];
        let opts = ImportOptions {
            max_field_bytes: 3,
            ..ImportOptions::default()
        };
        let origin = origin();
        let reader = RowReader {
            columns: &columns,
            id_col: Some(0),
            opts: &opts,
            origin: &origin,
        };
        let mut rows = Parser {
            max_field: 3,
            ..parser(b"r1,skip,\xE9,\xE9\xE9\nr2,,long,ok\n")
        };
        let mut p = Vec::new();
        let first = rows.next_record().map(|r| reader.values(1, &r, &mut p));
        let keys: Vec<&str> = first.iter().flatten().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["id", "a", "b"]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].kind, ProblemKind::InvalidUtf8);
        assert_eq!(p[0].field.as_deref(), Some("a"));
        assert_eq!(p[0].record_id.as_deref(), Some("r1"));

        let mut p = Vec::new();
        let second = rows.next_record().map(|r| reader.values(2, &r, &mut p));
        let keys: Vec<&str> = second.iter().flatten().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["id", "b"]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].kind, ProblemKind::FieldTooLarge);
        assert_eq!(p[0].field.as_deref(), Some("a"));
        assert_eq!(p[0].position, Position::Row(2));
    }
}
