//! Side-by-side peers for the query benchmark, fed the same directory and the same questions.

pub mod sqlite;
pub mod tantivy_peer;
pub mod text;

use passerelle::model::GeoPoint;

/// One benchmark question in the form every peer can express.
#[derive(Debug, Clone)]
pub struct PeerQuery {
    /// Need words as typed (may contain typos; peers without typo tolerance miss those).
    pub text: String,
    /// Resident location.
    pub origin: GeoPoint,
    /// Maximum distance in metres.
    pub radius_m: f64,
    /// Taxonomy code prefix the service must carry (e.g. `food`), if any.
    pub category_prefix: Option<String>,
    /// Resident age for the minimum/maximum age filter, if known.
    pub age: Option<f64>,
    /// Number of results.
    pub limit: usize,
}

impl PeerQuery {
    /// Bounding box `(min_lat, max_lat, min_lon, max_lon)` of the search circle.
    pub fn bbox(&self) -> (f64, f64, f64, f64) {
        let dlat = self.radius_m / 111_320.0;
        let cos = self.origin.lat().to_radians().cos().max(1e-6);
        let dlon = self.radius_m / (111_320.0 * cos);
        (
            self.origin.lat() - dlat,
            self.origin.lat() + dlat,
            self.origin.lon() - dlon,
            self.origin.lon() + dlon,
        )
    }

    /// The need words as an FTS5 expression: any word matches (`w1 OR w2`), words quoted.
    pub fn fts_expression(&self) -> Option<String> {
        let words: Vec<String> = self
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(|w| format!("\"{w}\""))
            .collect();
        (!words.is_empty()).then(|| words.join(" OR "))
    }
}

/// Great-circle distance in metres (Haversine, mean Earth radius), as the peers use it.
pub fn haversine_m(a: GeoPoint, b: GeoPoint) -> f64 {
    use geo::Distance;
    geo::Haversine.distance(a.to_geo(), b.to_geo())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{generate, SynthConfig};

    #[test]
    fn sqlite_peer_answers_within_radius_and_category() {
        let dir = generate(SynthConfig::with_size(3_000));
        let peer = sqlite::SqlitePeer::build(&dir).unwrap();
        let q = PeerQuery {
            text: "food bank".into(),
            origin: GeoPoint::new(43.6510, -79.3810).unwrap(),
            radius_m: 25_000.0,
            category_prefix: Some("food".into()),
            age: Some(40.0),
            limit: 10,
        };
        let hits = peer.query(&q).unwrap();
        assert!(!hits.is_empty(), "downtown Toronto has food services");
        assert!(hits.iter().all(|(_, d)| *d <= 25_000.0));
        assert!(hits.windows(2).all(|w| w[0].1 <= w[1].1));
        // accent folding: the French word finds the same rows as its unaccented spelling
        let accented = peer
            .query(&PeerQuery {
                text: "épicerie".into(),
                category_prefix: None,
                ..q.clone()
            })
            .unwrap();
        let plain = peer
            .query(&PeerQuery {
                text: "epicerie".into(),
                category_prefix: None,
                ..q.clone()
            })
            .unwrap();
        assert_eq!(accented, plain);
        // no typo tolerance: a misspelt word finds nothing
        let typo = peer
            .query(&PeerQuery {
                text: "foood".into(),
                category_prefix: None,
                ..q
            })
            .unwrap();
        assert!(typo.is_empty());
    }

    #[test]
    fn tantivy_peer_tolerates_one_typo_and_agrees_with_sqlite_on_exact_words() {
        let dir = generate(SynthConfig::with_size(3_000));
        let mut tv = tantivy_peer::TantivyPeer::build(&dir).unwrap();
        let sq = sqlite::SqlitePeer::build(&dir).unwrap();
        let q = PeerQuery {
            text: "banque alimentaire".into(),
            origin: GeoPoint::new(45.4250, -75.6950).unwrap(),
            radius_m: 30_000.0,
            category_prefix: None,
            age: None,
            limit: 10,
        };
        let exact = tv.query(&q).unwrap();
        assert!(!exact.is_empty());
        assert!(exact.iter().all(|(_, d)| *d <= 30_000.0 * 1.005));
        let typo = tv
            .query(&PeerQuery {
                text: "banqe alimentaire".into(),
                ..q.clone()
            })
            .unwrap();
        assert!(!typo.is_empty(), "fuzzy distance 1 from 5 characters");
        let s: Vec<_> = sq.query(&q).unwrap().into_iter().map(|r| r.0).collect();
        let t: Vec<_> = exact.into_iter().map(|r| r.0).collect();
        let overlap = t.iter().filter(|id| s.contains(id)).count();
        assert!(
            overlap * 10 >= 8 * s.len().min(t.len()) && !s.is_empty(),
            "same words, same box: top results overlap ({overlap})\n{s:?}\n{t:?}"
        );
    }
}
