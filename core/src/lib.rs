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
pub mod gaps;
pub mod hsds;
pub mod matching;
pub mod model;
pub mod referrals;
pub mod rules;
pub mod spatial;
pub mod text;

pub use error::Error;
pub use gaps::{
    analyze_gaps, area_key_for_point, coverage_areas, coverage_grid, coverage_to_csv,
    coverage_to_geojson, gap_cells_to_csv, gap_cells_to_geojson, grid_area_keys, AreaCentroids,
    CoverageCell, CoverageOptions, GapCell, GapError, GapOptions, GapReport, NeedCount,
    COVERAGE_CSV_HEADER, DEFAULT_MIN_RECORDS, GAP_CSV_HEADER, MAX_COVERAGE_ROWS,
};
pub use hsds::{
    export_csv_dir, export_csv_tables, export_json, import_dir, import_json, import_path,
    import_tables, sample_directory, ExportError, ImportError, ImportOptions, ImportReport,
    Imported, Position, Problem, ProblemKind, Severity, Symlinks,
};
pub use matching::{
    sample_situations, BuildProblem, BuildReport, CodeField, CrisisNotice, DeliveryPreference,
    EligibilityInfo, EligibilityStatus, Factor, FactorScore, FilterCounts, LiveNavigator, Match,
    MatchError, MultiNeedLocation, Navigator, NavigatorOptions, Need, NeedMatchKind, NeedResults,
    NextQuestion, NoMatchReason, OpenRequirement, Query, Reason, SampleSituation, ScoreBreakdown,
    SearchResults, SnapshotError, SwapRefused, TravelMode, UnknownDeliveryPreference, Weights,
    WeightsError, DEFAULT_LIMIT, DEFAULT_MAX_DISTANCE_M, MAX_BATCH_QUERIES, MAX_LIMIT, MAX_NEEDS,
    MAX_NEED_TEXT_BYTES, SNAPSHOT_VERSION,
};
pub use matching::{ContactDetails, LocationDetails, PhoneContact, PostalAddress, ServiceDetails};
pub use model::AccessFeature;
pub use model::{
    directory_time_zone, parse_time_zone, schedules_for, HoursError, OpenState, OpeningHours,
    Openness, HOURS_HORIZON_DAYS,
};
pub use model::{
    Accessibility, Address, Attribute, ByDay, CostOption, DeliveryMode, Directory, DirectoryIndex,
    DirectoryMeta, Extra, Freq, GeoPoint, LangCode, Language, Location, LocationType, Organization,
    Phone, RequiredDocument, Schedule, Service, ServiceArea, ServiceAtLocation, ServiceStatus,
    Taxonomy, TaxonomyTerm, TermCode, Text, ValueError,
};
pub use referrals::{
    referrals_from_csv, referrals_to_csv, unmet_needs_from_csv, unmet_needs_to_csv, AreaKey,
    OutcomeReason, Referral, ReferralError, ReferralStatus, StatusChange, UnmetNeed, UnmetReason,
    MIN_GRID_CELL_M,
};
pub use rules::{
    evaluate_batch, infer_conditions, next_questions, Cmp, CompiledRule, Condition, ConditionKind,
    Explanations, FactCatalog, FactDef, FactInputError, FactKind, FactValue, InferredCondition,
    Literal, MissingFact, Operand, Outcome, Profile, Question, Rule, RuleError, RuleErrorKind,
    RuleSet, SourceLocation, Span, Tables, Threshold, ThresholdKey, Verdict,
};
pub use spatial::{
    normalize_area_name, validate_area, AreaIndex, AreaLimits, AreaProblem, DistanceModel,
    Equirectangular, GazetteerError, GazetteerLoad, GazetteerProblem, Haversine, Hit, LatLonBox,
    NamedAreas, NamedExtent, PointIndex, EARTH_RADIUS_M, MAX_DISTANCE_M, MAX_GAZETTEER_BYTES,
    MAX_GAZETTEER_VERTICES,
};
pub use text::{
    detect_crisis, expand_terms, normalize, Analyzer, Correction, CrisisKind, Lexicon,
    LexiconEntry, MatchKind, NeedAnalysis, NeedLanguage, PhraseKind, TermMatch, TextError, Token,
    TokenDictionary, MAX_NEED_BYTES,
};

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
