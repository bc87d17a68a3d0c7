//! Text-only peers for the relevance suite (`src/bin/relevance.rs`): one document per service
//! (name and description, every language), the need's words OR-ed and ranked by BM25, as a
//! partner would set them up in a few lines.
//!
//! * [`SqliteText`]: SQLite FTS5 (`unicode61 remove_diacritics 2`), `w1 OR w2 …` ranked by
//!   `bm25()`.
//! * [`TantivyText`]: tantivy with an accent-folding analyzer, one `Should` fuzzy term query
//!   per word (distance 1 from 5 characters), ranked by tantivy's BM25.

use passerelle::Directory;
use rusqlite::{params, Connection};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

/// SQLite FTS5 over services.
pub struct SqliteText {
    conn: Connection,
    ids: Vec<String>,
}

impl SqliteText {
    /// Loads the services of `dir`.
    pub fn build(dir: &Directory) -> rusqlite::Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE svc USING fts5(name, description,
                 tokenize = 'unicode61 remove_diacritics 2');",
        )?;
        let mut ids = Vec::new();
        {
            let mut ins =
                conn.prepare("INSERT INTO svc(rowid, name, description) VALUES (?,?,?)")?;
            for s in &dir.services {
                let names: Vec<&str> = s.name.all().collect();
                let descriptions: Vec<&str> = s.description.all().collect();
                ins.execute(params![
                    ids.len() as i64,
                    names.join(" "),
                    descriptions.join(" ")
                ])?;
                ids.push(s.id.clone());
            }
        }
        Ok(Self { conn, ids })
    }

    /// Service ids best first: words of 3 letters or more OR-ed, ranked by `bm25()`.
    pub fn search(&self, text: &str, limit: usize) -> rusqlite::Result<Vec<String>> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(|w| format!("\"{w}\""))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid FROM svc WHERE svc MATCH ?1 ORDER BY bm25(svc) LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![words.join(" OR "), limit as i64], |r| {
            r.get::<_, i64>(0)
        })?;
        let mut out = Vec::new();
        for r in rows {
            if let Some(id) = usize::try_from(r?).ok().and_then(|i| self.ids.get(i)) {
                out.push(id.clone());
            }
        }
        Ok(out)
    }
}

/// tantivy over services.
pub struct TantivyText {
    reader: IndexReader,
    analyzer: TextAnalyzer,
    text: Field,
    row: Field,
    ids: Vec<String>,
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

impl TantivyText {
    /// Indexes the services of `dir`.
    pub fn build(dir: &Directory) -> tantivy::Result<Self> {
        let mut sb = Schema::builder();
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("fold")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let text = sb.add_text_field("text", opts);
        let row = sb.add_u64_field("row", STORED);
        let index = Index::create_in_ram(sb.build());
        index.tokenizers().register("fold", analyzer());
        let mut writer = index.writer_with_num_threads(1, 100_000_000)?;
        let mut ids = Vec::new();
        for s in &dir.services {
            let mut doc = TantivyDocument::default();
            for t in s.name.all().chain(s.description.all()) {
                doc.add_text(text, t);
            }
            doc.add_u64(row, ids.len() as u64);
            writer.add_document(doc)?;
            ids.push(s.id.clone());
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(Self {
            reader,
            analyzer: analyzer(),
            text,
            row,
            ids,
        })
    }

    /// Service ids best first.
    pub fn search(&mut self, text: &str, limit: usize) -> tantivy::Result<Vec<String>> {
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut stream = self.analyzer.token_stream(text);
        while let Some(tok) = stream.next() {
            if tok.text.chars().count() < 3 {
                continue;
            }
            let distance = if tok.text.chars().count() >= 5 { 1 } else { 0 };
            let term = Term::from_field_text(self.text, &tok.text);
            words.push((
                Occur::Should,
                Box::new(FuzzyTermQuery::new(term, distance, true)),
            ));
        }
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(words),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let row = doc.get_first(self.row).and_then(|v| v.as_u64());
            if let Some(id) = row.and_then(|r| self.ids.get(r as usize)) {
                out.push(id.clone());
            }
        }
        Ok(out)
    }
}
