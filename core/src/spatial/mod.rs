//! Where things are: distances, point and service-area indexes, named areas and boxes.
//!
//! - [`DistanceModel`] with [`Haversine`] (default) and [`Equirectangular`]; all distances in
//!   metres (`_m`) unless a name says `_km`.
//! - [`PointIndex`]: service-at-location points by `u32` id; radius, "nearest N within a
//!   radius that pass a filter" and k-nearest queries, exact in great-circle metres.
//! - [`AreaIndex`]: which service-area polygons cover a point; [`validate_area`] for extents
//!   coming from GeoJSON.
//! - [`NamedAreas`]: place names ("City of Ottawa", "Orléans") as coverage; a deployer's
//!   gazetteer loads from GeoJSON or CSV ([`NamedAreas::from_path`], [`NamedAreas::from_bytes`]).
//! - [`LatLonBox`]: the extent of a coverage scan (the grid is [`AreaKey::grid`](crate::referrals::AreaKey::grid)).
//!
//! Coordinates are WGS84 degrees ([`GeoPoint`](crate::model::GeoPoint)); polygons are `geo` types in
//! GeoJSON order (x = longitude, y = latitude).
//!
//! # Examples
//! ```
//! use passerelle::model::GeoPoint;
//! use passerelle::spatial::{DistanceModel, Haversine, NamedAreas, PointIndex};
//! let resident = GeoPoint::new(45.4250, -75.6950).unwrap();
//! let sites = [
//!     GeoPoint::new(45.4292, -75.6920).unwrap(), // 0: ByWard Market
//!     GeoPoint::new(45.3088, -75.8987).unwrap(), // 1: Kanata
//! ];
//! let food_bank = [true, true];
//! let index = PointIndex::new(sites.iter().enumerate().map(|(i, p)| (i as u32, *p)));
//!
//! // The nearest 10 food banks within 5 km, nearest first.
//! let near = index.nearest_within_m(resident, 5_000.0, 10, |id| food_bank[id as usize]);
//! assert_eq!(near.len(), 1);
//! assert!((near[0].distance_m - Haversine.distance_m(resident, sites[0])).abs() < 1e-6);
//!
//! // A service that only says "serves Kanata".
//! let areas = NamedAreas::ottawa_sample();
//! assert_eq!(areas.covers("Kanata", resident), Some(false));
//! ```
mod area;
mod bbox;
mod coverage;
mod distance;
mod gazetteer;
mod named;
mod point_index;
mod prepared;

pub use area::{validate_area, AreaIndex, AreaLimits, AreaProblem};
pub use bbox::LatLonBox;
pub(crate) use coverage::AreaGroup;
pub(crate) use distance::HaversineFrom;
pub use distance::{DistanceModel, Equirectangular, Haversine, EARTH_RADIUS_M, MAX_DISTANCE_M};
pub use gazetteer::{
    GazetteerError, GazetteerLoad, GazetteerProblem, MAX_GAZETTEER_BYTES, MAX_GAZETTEER_VERTICES,
};
pub use named::{normalize_area_name, NamedAreas, NamedExtent};
pub use point_index::{Hit, PointIndex};
