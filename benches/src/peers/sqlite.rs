//! Peer: SQLite with FTS5 (unicode61, remove_diacritics) and the R*Tree module, the way a
//! partner would build the same search with a relational database.
//!
//! Semantics differ from passerelle on purpose, as a real SQLite deployment would: words
//! must match exactly after case/accent folding (no typo tolerance, no stemming beyond what
//! the query writer adds with `*` prefixes), there is no eligibility logic beyond an age
//! filter, and distance is ranked with an equirectangular approximation in SQL (SQLite has
//! no trigonometry without an extension), then refined in Rust for the final top k.

use passerelle::{
    model::{DirectoryIndex, GeoPoint},
    Directory,
};
use rusqlite::{params, Connection};

use super::PeerQuery;

/// An in-memory SQLite database holding one row per service-at-location.
pub struct SqlitePeer {
    conn: Connection,
}

impl SqlitePeer {
    /// Loads `dir` into an in-memory database with FTS5 and R*Tree indexes.
    pub fn build(dir: &Directory) -> rusqlite::Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE TABLE sal(id INTEGER PRIMARY KEY, sal_id TEXT, lat REAL, lon REAL,
                              min_age REAL, max_age REAL, category TEXT);
             CREATE VIRTUAL TABLE sal_geo USING rtree(id, min_lat, max_lat, min_lon, max_lon);
             CREATE VIRTUAL TABLE sal_text USING fts5(name, description,
                              tokenize = 'unicode61 remove_diacritics 2');",
        )?;
        let index = DirectoryIndex::new(dir);
        let tx = conn.unchecked_transaction()?;
        {
            let mut ins = tx.prepare(
                "INSERT INTO sal(id, sal_id, lat, lon, min_age, max_age, category) VALUES (?,?,?,?,?,?,?)",
            )?;
            let mut geo = tx.prepare("INSERT INTO sal_geo VALUES (?,?,?,?,?)")?;
            let mut text =
                tx.prepare("INSERT INTO sal_text(rowid, name, description) VALUES (?,?,?)")?;
            for (row, sal) in dir.service_at_locations.iter().enumerate() {
                let (Some(svc), Some(loc)) = (
                    index.service(&sal.service_id),
                    index.location(&sal.location_id),
                ) else {
                    continue;
                };
                let Some(p) = loc.point else { continue };
                let category = index
                    .term_codes_of(&svc.id, "service_category")
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let id = row as i64;
                ins.execute(params![
                    id,
                    sal.id,
                    p.lat(),
                    p.lon(),
                    svc.minimum_age,
                    svc.maximum_age,
                    category
                ])?;
                geo.execute(params![id, p.lat(), p.lat(), p.lon(), p.lon()])?;
                let names: Vec<&str> = svc.name.all().collect();
                let descriptions: Vec<&str> = svc.description.all().collect();
                text.execute(params![id, names.join(" "), descriptions.join(" ")])?;
            }
        }
        tx.commit()?;
        Ok(Self { conn })
    }

    /// Runs the query: text match (any word, accent-insensitive) + bounding box + category
    /// prefix + age filter, ordered by approximate distance; returns up to `limit`
    /// service-at-location ids with distances in metres (exact Haversine), nearest first.
    pub fn query(&self, q: &PeerQuery) -> rusqlite::Result<Vec<(String, f64)>> {
        let (min_lat, max_lat, min_lon, max_lon) = q.bbox();
        let cos_lat = q.origin.lat().to_radians().cos();
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.sal_id, s.lat, s.lon FROM sal_geo g
               JOIN sal s ON s.id = g.id
              WHERE g.min_lat >= ?1 AND g.max_lat <= ?2 AND g.min_lon >= ?3 AND g.max_lon <= ?4
                AND (?5 IS NULL OR s.id IN (SELECT rowid FROM sal_text WHERE sal_text MATCH ?5))
                AND (?6 IS NULL OR (' ' || s.category) LIKE '% ' || ?6 || '%')
                AND (?7 IS NULL OR s.min_age IS NULL OR s.min_age <= ?7)
                AND (?7 IS NULL OR s.max_age IS NULL OR s.max_age >= ?7)
              ORDER BY (s.lat - ?8) * (s.lat - ?8) + (s.lon - ?9) * (s.lon - ?9) * ?10 * ?10
              LIMIT ?11",
        )?;
        let fts = q.fts_expression();
        let rows = stmt.query_map(
            params![
                min_lat,
                max_lat,
                min_lon,
                max_lon,
                fts,
                q.category_prefix,
                q.age,
                q.origin.lat(),
                q.origin.lon(),
                cos_lat,
                q.limit as i64,
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, f64>(1)?,
                    r.get::<_, f64>(2)?,
                ))
            },
        )?;
        let mut out = Vec::with_capacity(q.limit);
        for row in rows {
            let (id, lat, lon) = row?;
            if let Ok(p) = GeoPoint::new(lat, lon) {
                let d = super::haversine_m(q.origin, p);
                if d <= q.radius_m {
                    out.push((id, d));
                }
            }
        }
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }
}
