//! Peer: tantivy, the Rust full-text engine, set up as a partner would for this search:
//! an accent-folding analyzer (SimpleTokenizer + LowerCaser + AsciiFoldingFilter) over
//! bilingual names and descriptions, fuzzy term queries (distance 1 from 5 characters, as
//! passerelle's first typo), latitude/longitude range queries for the bounding box (tantivy
//! has no geo field) and a distance score computed from fast fields.

use std::ops::Bound;

use passerelle::{model::DirectoryIndex, Directory};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{DocId, Index, IndexReader, Score, SegmentReader, TantivyDocument, Term};

use super::PeerQuery;

const TOKENIZER: &str = "fold";

/// An in-RAM tantivy index with one document per service-at-location.
pub struct TantivyPeer {
    reader: IndexReader,
    analyzer: TextAnalyzer,
    text: Field,
    category: Field,
    lat: Field,
    lon: Field,
    sal_ids: Vec<String>,
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

impl TantivyPeer {
    /// Indexes `dir` (single-threaded writer, so build times compare fairly).
    pub fn build(dir: &Directory) -> tantivy::Result<Self> {
        let mut sb = Schema::builder();
        let text_opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let text = sb.add_text_field("text", text_opts);
        let category = sb.add_text_field("category", STRING);
        let lat = sb.add_f64_field("lat", INDEXED | FAST);
        let lon = sb.add_f64_field("lon", INDEXED | FAST);
        let min_age = sb.add_f64_field("min_age", FAST);
        let max_age = sb.add_f64_field("max_age", FAST);
        let row = sb.add_u64_field("row", FAST);
        let index = Index::create_in_ram(sb.build());
        index.tokenizers().register(TOKENIZER, analyzer());
        let mut writer = index.writer_with_num_threads(1, 200_000_000)?;
        let dindex = DirectoryIndex::new(dir);
        let mut sal_ids = Vec::new();
        for sal in &dir.service_at_locations {
            let (Some(svc), Some(loc)) = (
                dindex.service(&sal.service_id),
                dindex.location(&sal.location_id),
            ) else {
                continue;
            };
            let Some(p) = loc.point else { continue };
            let mut doc = TantivyDocument::default();
            for t in svc.name.all().chain(svc.description.all()) {
                doc.add_text(text, t);
            }
            for code in dindex.term_codes_of(&svc.id, "service_category") {
                // every ancestor prefix as a raw term, so "food" matches food.bank.seniors
                let s = code.as_str();
                for (i, ch) in s.char_indices() {
                    if ch == '.' {
                        doc.add_text(category, &s[..i]);
                    }
                }
                doc.add_text(category, s);
            }
            doc.add_f64(lat, p.lat());
            doc.add_f64(lon, p.lon());
            doc.add_f64(min_age, svc.minimum_age.unwrap_or(-1.0));
            doc.add_f64(max_age, svc.maximum_age.unwrap_or(1_000.0));
            doc.add_u64(row, sal_ids.len() as u64);
            sal_ids.push(sal.id.clone());
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(Self {
            reader,
            analyzer: analyzer(),
            text,
            category,
            lat,
            lon,
            sal_ids,
        })
    }

    /// Fuzzy text + bbox + category + age, ranked by distance; returns up to `limit`
    /// service-at-location ids with Haversine distances in metres, nearest first.
    pub fn query(&mut self, q: &PeerQuery) -> tantivy::Result<Vec<(String, f64)>> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut stream = self.analyzer.token_stream(&q.text);
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
        if !words.is_empty() {
            must.push((Occur::Must, Box::new(BooleanQuery::new(words))));
        }
        let (min_lat, max_lat, min_lon, max_lon) = q.bbox();
        let range = |f: Field, lo: f64, hi: f64| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_f64(f, lo)),
                Bound::Included(Term::from_field_f64(f, hi)),
            ))
        };
        must.push((Occur::Must, range(self.lat, min_lat, max_lat)));
        must.push((Occur::Must, range(self.lon, min_lon, max_lon)));
        if let Some(prefix) = &q.category_prefix {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.category, prefix),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let query = BooleanQuery::new(must);
        let (olat, olon, radius_m, age) = (q.origin.lat(), q.origin.lon(), q.radius_m, q.age);
        let collector = TopDocs::with_limit(q.limit).tweak_score(move |seg: &SegmentReader| {
            let ff = seg.fast_fields();
            let col = |name: &str, default: f64| {
                ff.f64(name)
                    .map(|c| c.first_or_default_col(default))
                    .expect("schema has the fast field")
            };
            let (lat, lon) = (col("lat", 0.0), col("lon", 0.0));
            let (min_age, max_age) = (col("min_age", -1.0), col("max_age", 1_000.0));
            let row = ff
                .u64("row")
                .map(|c| c.first_or_default_col(0))
                .expect("schema has the row field");
            move |doc: DocId, _score: Score| {
                if let Some(a) = age {
                    if a < min_age.get_val(doc) || a > max_age.get_val(doc) {
                        return (f64::NEG_INFINITY, 0);
                    }
                }
                let d = equirectangular_m(olat, olon, lat.get_val(doc), lon.get_val(doc));
                if d > radius_m {
                    return (f64::NEG_INFINITY, 0);
                }
                (-d, row.get_val(doc))
            }
        });
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &collector)?;
        let mut out: Vec<(String, f64)> = top
            .into_iter()
            .filter(|((key, _), _)| key.is_finite())
            .filter_map(|((key, row), _)| {
                self.sal_ids.get(row as usize).map(|id| (id.clone(), -key))
            })
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }
}

/// Equirectangular distance, accurate to well under 0.5 % within 100 km (ranking only).
fn equirectangular_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let x = (lon2 - lon1).to_radians() * ((lat1 + lat2) / 2.0).to_radians().cos();
    let y = (lat2 - lat1).to_radians();
    6_371_008.8 * (x * x + y * y).sqrt()
}
