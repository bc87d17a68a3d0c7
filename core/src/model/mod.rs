//! The directory model, after Open Referral HSDS 3.1: one struct per HSDS table, linked by
//! ids as in the tabular form, with validated values and bilingual text.
//!
//! # Examples
//! ```
//! use passerelle::model::{GeoPoint, LangCode, Location, Text};
//! use passerelle::Directory;
//! let mut dir = Directory::default();
//! dir.locations.push(Location {
//!     id: "loc-hub".into(),
//!     name: Text::new("Downtown hub").with(LangCode::fr(), "Carrefour du centre-ville"),
//!     point: Some(GeoPoint::new(45.4312, -75.6903).unwrap()),
//!     ..Default::default()
//! });
//! assert_eq!(dir.locations[0].name.get(&LangCode::fr()), "Carrefour du centre-ville");
//! ```
mod access;
pub(crate) mod facts;
pub mod hours;
mod index;
mod records;
pub(crate) mod schedule_owners;
mod values;

pub(crate) use access::access_features;
pub use access::AccessFeature;
pub use hours::{
    directory_time_zone, parse_time_zone, schedules_for, HoursError, OpenState, OpeningHours,
    Openness, HOURS_HORIZON_DAYS,
};
pub use index::DirectoryIndex;
pub use records::{
    Accessibility, Address, Attribute, ByDay, CostOption, DeliveryMode, Directory, DirectoryMeta,
    Extra, Freq, Language, Location, LocationType, Organization, Phone, RequiredDocument, Schedule,
    Service, ServiceArea, ServiceAtLocation, ServiceStatus, Taxonomy, TaxonomyTerm,
};
pub(crate) use values::truncate;
pub use values::{GeoPoint, LangCode, TermCode, Text, ValueError};
