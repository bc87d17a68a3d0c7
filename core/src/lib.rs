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
mod rules;

pub use error::Error;
pub use model::{GeoPoint, LangCode, TermCode, Text, ValueError};
pub use rules::{
    evaluate_batch, next_questions, Cmp, CompiledRule, Condition, ErrorKind, FactCatalog, FactDef,
    FactKind, FactValue, Literal, Location, MissingFact, Operand, Outcome, Profile, Question, Rule,
    RuleError, Span, Tables, Threshold, ThresholdKey, Verdict,
};
