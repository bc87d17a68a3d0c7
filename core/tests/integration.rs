//! Integration tests of the public API, linked into one binary (one link instead of one per
//! file keeps CI time and disk small). Each module is one former test file; `rules_alloc`
//! stays its own binary because it installs a counting global allocator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod gaps_support;
mod hours_support;
mod matching_support;

mod arrow_sanmateo;
mod eligibility_inferred;
mod feeds_sanmateo;
mod feeds_sanmateo_results;
mod feeds_zones_lint;
mod gaps_analysis;
mod gaps_coverage;
mod gaps_from_search;
mod gaps_output;
mod hardening_bad_input;
mod hardening_concurrency;
mod hardening_corpus;
mod hardening_feeds;
mod hardening_privacy;
mod hours_api;
mod hours_cases;
mod hours_props;
mod hsds_bad_input;
mod hsds_real_data;
mod matching_engine;
mod matching_json;
mod matching_sample;
mod matching_sanmateo;
mod query_codes_sanmateo;
mod regression_hours;
mod regression_hsds;
mod regression_referrals;
mod regression_rules;
mod regression_spatial;
mod retrieval_sanmateo;
mod rules_api;
#[cfg(feature = "rule-set")]
mod rules_set;
mod rules_truth_table;
mod sample_directory;
mod snapshot_real;
mod spatial_api;
mod text_analyze;
mod text_crisis;
mod text_props;

/// Every test file of `core/tests/` is a module here (with `autotests = false`, a file left
/// out would silently never run), except the binaries declared in `core/Cargo.toml`.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let this = include_str!("integration.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let is_rs = path.extension().is_some_and(|e| e == "rs");
        let own_binary = ["integration", "rules_alloc", "phone_build"].contains(&stem);
        if is_rs && !own_binary && !this.contains(&format!("\nmod {stem};\n")) {
            missing.push(stem.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "add to core/tests/integration.rs: {missing:?}"
    );
}
