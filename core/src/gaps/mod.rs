//! Gap analysis for data teams: where needs go unmet, for whom and why, set against what the
//! directory offers, with maps.
//!
//! - **From search to record**: [`UnmetNeed::from_no_match`](crate::referrals::UnmetNeed::from_no_match)
//!   / [`UnmetNeed::from_search`](crate::referrals::UnmetNeed::from_search) turn a search's "why nothing
//!   fits" into an unmet-need record; [`area_key_for_point`] gives the coarse area to store
//!   instead of the resident's point.
//! - **Gap analysis**: [`analyze_gaps`] over unmet needs, referrals and need counts → one
//!   [`GapCell`] per area × need (× population): demand, met, unmet, share unmet, eligible
//!   services within reach, nearest one, top reasons; small cells suppressed (`k`).
//! - **Coverage**: [`coverage_grid`] / [`coverage_areas`] → [`CoverageCell`]s: distance to the
//!   nearest in-person service per need, and counts within reach — service deserts.
//! - **Outputs**: the records above, CSV ([`gap_cells_to_csv`], [`coverage_to_csv`]) and
//!   GeoJSON FeatureCollections ([`gap_cells_to_geojson`], [`coverage_to_geojson`]).
//!
//! Nothing here reads or writes a resident's location: records hold [`AreaKey`](crate::referrals::AreaKey)s,
//! outputs hold area keys, cell squares and area centroids.
//!
//! # Examples
//! ```
//! use passerelle::{gaps::coverage_grid, gaps::coverage_to_geojson, gaps::CoverageOptions, Directory, model::GeoPoint,
//!     spatial::LatLonBox, Navigator, NavigatorOptions, model::TermCode};
//! let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
//! let west = LatLonBox::new(GeoPoint::new(45.38, -76.22).unwrap(), GeoPoint::new(45.40, -76.19).unwrap());
//! let opts = CoverageOptions { needs: vec![TermCode::new("food").unwrap()], ..Default::default() };
//! let cells = coverage_grid(&nav, west, 1.0, &opts).unwrap();
//! let map = coverage_to_geojson(&cells);
//! assert_eq!(map["features"][0]["geometry"]["type"], "Polygon");
//! ```
mod analysis;
mod centroids;
mod coverage;
mod directory;
mod error;
mod output;
mod unmet;

pub use analysis::{analyze_gaps, GapCell, GapOptions, GapReport, NeedCount, DEFAULT_MIN_RECORDS};
pub use centroids::{area_key_for_point, AreaCentroids};
pub use coverage::{
    coverage_areas, coverage_grid, grid_area_keys, CoverageCell, CoverageOptions, MAX_COVERAGE_ROWS,
};
pub use error::GapError;
pub use output::{
    coverage_to_csv, coverage_to_geojson, gap_cells_to_csv, gap_cells_to_geojson,
    COVERAGE_CSV_HEADER, GAP_CSV_HEADER,
};
