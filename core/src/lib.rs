//! # passerelle
//!
//! An embeddable engine that connects residents with the community services they need.
//! It holds an [Open Referral HSDS 3.1](https://docs.openreferral.org/) directory, decides
//! eligibility with a small three-valued rules language, and ranks services by need,
//! proximity, hours, language and eligibility, explaining every result in French and English.
//!
//! The crate is pure Rust with no FFI types; `passerelle-ffi` (in `bindings/`) wraps it for
//! Python, Kotlin and Swift.
#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod error;
mod model;
mod spatial;

pub use error::Error;
pub use model::{
    Accessibility, Address, Attribute, ByDay, CostOption, DeliveryMode, Directory, DirectoryIndex,
    DirectoryMeta, Extra, Freq, GeoPoint, LangCode, Language, Location, LocationType, Organization,
    Phone, RequiredDocument, Schedule, Service, ServiceArea, ServiceAtLocation, ServiceStatus,
    Taxonomy, TaxonomyTerm, TermCode, Text, ValueError,
};
pub use spatial::{
    cell_key, grid_cells, normalize_area_name, validate_area, AreaIndex, AreaLimits, AreaProblem,
    CellKey, DistanceModel, Equirectangular, GridCell, Haversine, Hit, LatLonBox, NamedAreas,
    NamedExtent, PointIndex, EARTH_RADIUS_M, MAX_DISTANCE_M, MIN_CELL_KM,
};
