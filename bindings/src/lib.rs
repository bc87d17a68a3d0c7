//! uniffi bindings for [passerelle](../passerelle/index.html): Python, Kotlin and Swift.
//!
//! The exported surface is a versioned API (see the project's `CHANGELOG.md`). Modules mirror core's
//! (`model`, `hsds`, `rules`, `matching`; `arrow` for the columnar batch path); each holds owned, FFI-friendly mirrors of core types
//! converted with `From`/`TryFrom`. Every fallible call returns [`PasserelleError`], mapped from
//! `passerelle::Error` in one place (`error.rs`). Nothing here panics across the FFI boundary.

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

uniffi::setup_scaffolding!();

#[cfg(feature = "arrow")]
mod arrow;
#[cfg(feature = "cli")]
mod cli;
mod contact;
mod eligibility;
mod error;
#[cfg(feature = "gaps")]
mod gaps;
mod hsds;
mod json;
mod matching;
mod model;
mod places;
mod records;
mod redact;
mod rules;

#[cfg(feature = "arrow")]
pub use arrow::{BatchOptions, MAX_ARROW_ROWS};
#[cfg(feature = "cli")]
pub use cli::{run_command_line, CommandLineRun};
pub use contact::{ContactDetails, LocationDetails, PhoneNumber, PostalAddress, ServiceDetails};
pub use eligibility::{
    catalog_facts, explain_rule_json, read_eligibility_text, EligibilitySettings, FactInfo,
    InferredConditionInfo,
};
pub use error::PasserelleError;
#[cfg(feature = "gaps")]
pub use gaps::{
    area_keys_for_points, coverage_csv, coverage_geojson, gap_cells_csv, gap_cells_geojson,
    BoundingBox, CoverageCell, GapCell, GapOptions, GapReport, NeedCount, MAX_AREA_KEY_POINTS,
};
pub use hsds::{BuildProblem, DirectoryInfo, ImportProblem, ImportReport, Severity};
pub use json::MAX_QUERY_JSON_BYTES;
pub use matching::{
    CrisisKind, CrisisNotice, Delivery, DeliveryMode, FactorScore, ImportLimits, MatchEligibility,
    MatchReason, MultiNeedLocation, Navigator, NavigatorSettings, NeedInput, NeedMatches,
    NeedSuggestion, SearchQuery, SearchResult, ServiceMatch, Travel, MAX_BATCH_QUERIES,
};
pub use model::{
    localized, term_is_within, validate_lang_code, validate_point, validate_term_code, GeoPoint,
    LocalizedText,
};
pub use places::{Gazetteer, GazetteerProblem};
pub use records::{
    new_referral, referral_advance, referral_follow_up_overdue, referral_not_connected,
    referrals_from_csv, referrals_to_csv, unmet_needs_from_csv, unmet_needs_to_csv, OutcomeReason,
    Referral, ReferralStatus, StatusChange, UnmetNeed, UnmetReason,
};
pub use rules::{
    explain_rule, validate_rule, EligibilityOutcome, EligibilityStatus, FactValue, Question,
    RuleCondition, RuleInfo,
};

/// The version of the passerelle library behind these bindings (semver, e.g. `"0.1.0"`).
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_semver() {
        assert_eq!(library_version().split('.').count(), 3);
    }
}
