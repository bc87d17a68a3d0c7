//! # passerelle
//!
//! An embeddable engine that connects residents with the community services they need.
//! It holds an [Open Referral HSDS 3.1](https://docs.openreferral.org/) directory, decides
//! eligibility with a small three-valued rules language, and ranks services by need,
//! proximity, hours, language and eligibility, explaining every result in French and English.
//!
//! The crate is pure Rust with no FFI types; `passerelle-ffi` (in `bindings/`) wraps it for
//! Python, Kotlin and Swift.
//!
//! # Quickstart
//!
//! Load a directory (here the embedded fictional sample; [`import_path`] reads an HSDS
//! folder or JSON file), build a [`Navigator`] once, then [`search`](Navigator::search) it:
//!
//! ```
//! use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
//! use passerelle::model::{GeoPoint, LangCode};
//!
//! let (navigator, report) = Navigator::build(Directory::sample(), NavigatorOptions::sample())?;
//! assert!(report.problems.is_empty());
//! let query = Query::new([Need::text("banque alimentaire")])
//!     .near(GeoPoint::new(45.4312, -75.6903)?, 5_000.0)
//!     .limit(3);
//! let results = navigator.search(&query)?;
//! for m in &results.needs[0].matches {
//!     println!("{}. {}", m.rank, m.service_name.get(&LangCode::fr()));
//! }
//! assert!(!results.needs[0].matches.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Modules
//!
//! The root re-exports the entry types above; everything else lives in its module:
//!
//! | module | what it holds |
//! |---|---|
//! | [`model`] | the directory: one struct per HSDS table, values, opening hours |
//! | [`hsds`] | HSDS 3.1 import and export (CSV folders, JSON), validation report, lint |
//! | [`matching`] | the navigator: queries (and their JSON form), results (rows, JSON), scoring factors and weights, live replacement, snapshots; `matching::arrow` (feature `arrow`): batches as Arrow IPC streams |
//! | [`rules`] | the eligibility rules language, fact catalogue, profiles, questions |
//! | [`text`] | need text understanding: lexicon, typo correction, crisis detection |
//! | [`spatial`] | distances, point and area indexes, gazetteers of named areas |
//! | [`gaps`] | gap analysis: unmet needs and coverage, with CSV and GeoJSON maps |
//! | [`referrals`] | referral and unmet-need records with their lifecycle |
#![forbid(unsafe_code)]
// A library never writes to its host's stdout or stderr: problems are returned, not printed.
#![deny(clippy::print_stdout, clippy::print_stderr)]
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
pub mod gaps;
pub mod hsds;
pub mod matching;
pub mod model;
pub mod referrals;
pub mod rules;
pub mod spatial;
pub mod text;

pub use error::Error;
pub use hsds::{import_dir, import_json, import_path, ImportError, ImportOptions, Imported};
pub use matching::{
    BuildReport, Match, MatchError, Navigator, NavigatorOptions, Need, Query, SearchResults,
};
pub use model::Directory;

/// The crate README's Rust example, compiled and run as a doctest (the project README's examples
/// are doctested by `passerelle-benches`, which is not published).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The version of this crate (SemVer), the same one every artifact of the project reports
/// (Python `passerelle.__version__`, Kotlin/Swift `libraryVersion()`).
///
/// ```
/// assert_eq!(passerelle::VERSION.split('.').count(), 3);
/// ```
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
