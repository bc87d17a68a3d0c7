//! The navigator: given a resident's situation, the few services that fit, best first, each
//! with per-factor scores and reasons a call-taker can read out in French or English.
//!
//! Build a [`Navigator`] once from a [`Directory`](crate::Directory), then call
//! [`Navigator::search`] with a [`Query`]. Scoring is one documented function (see
//! [`Factor`] and [`Weights`]); ordering is deterministic: crisis services first when a need
//! expresses a crisis, then score (desc), distance (asc), service id, service-at-location id.
//!
//! # Examples
//! ```
//! use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
//! let (nav, _report) = Navigator::build(Directory::default(), NavigatorOptions::default()).unwrap();
//! let results = nav.search(&Query::new([Need::text("banque alimentaire")]).limit(3)).unwrap();
//! assert_eq!(results.needs.len(), 1);
//! ```
mod access;
#[cfg(feature = "arrow")]
pub mod arrow;
mod batch;
mod candidates;
mod check;
mod contact;
mod delivery;
mod error;
mod explain;
mod export;
mod index;
mod input;
mod json;
mod live;
mod navigator;
mod needs;
mod present;
mod query;
mod questions;
mod rank;
mod result;
mod result_json;
mod retrieval;
mod rows;
mod rows_json;
mod score;
#[cfg(feature = "sample")]
mod situations;
pub mod snapshot;
mod suggest;

pub use batch::MAX_BATCH_QUERIES;
mod subdirectory;

pub use contact::{ContactDetails, LocationDetails, PhoneContact, PostalAddress, ServiceDetails};
pub use error::{CodeField, MatchError};
pub use input::{NeedInput, QueryError, QueryInput};
pub use json::{facts_from_json, MAX_QUERY_JSON_BYTES};
pub use live::{DirectoryReport, LiveNavigator, SwapRefused};
pub use navigator::{BuildProblem, BuildReport, Navigator, NavigatorOptions};
pub use query::{
    DeliveryPreference, Need, OpenRequirement, Query, TravelMode, UnknownDeliveryPreference,
    DEFAULT_LIMIT, DEFAULT_MAX_DISTANCE_M, MAX_LIMIT, MAX_NEEDS, MAX_NEED_TEXT_BYTES,
};
pub use result::{
    CrisisNotice, EligibilityInfo, EligibilityStatus, FilterCounts, Match, MultiNeedLocation,
    NeedMatchKind, NeedResults, NextQuestion, NoMatchReason, Reason, SearchResults,
};
pub use rows::ResultRow;
pub use rows_json::RowsJson;
pub use score::{Factor, FactorScore, ScoreBreakdown, Weights, WeightsError};
#[cfg(feature = "sample")]
pub use situations::{sample_situations, SampleSituation};
pub use snapshot::{SnapshotError, SNAPSHOT_VERSION};
pub use suggest::Suggestion;
