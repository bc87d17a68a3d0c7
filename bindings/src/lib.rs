//! uniffi bindings for [passerelle](../passerelle/index.html): Python, Kotlin and Swift.
//!
//! The exported surface is a versioned API (see `bindings/CHANGELOG.md`). Modules mirror core's
//! (`model`, later `rules`, `matching`); each holds owned, FFI-friendly mirrors of core types
//! converted with `From`/`TryFrom`. Every fallible call returns [`PasserelleError`], mapped from
//! `passerelle::Error` in one place (`error.rs`). Nothing here panics across the FFI boundary.

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

mod error;
mod model;

pub use error::PasserelleError;
pub use model::{
    localized, term_is_within, validate_lang_code, validate_point, validate_term_code, GeoPoint,
    LocalizedText,
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
