//! Benchmark support for passerelle: a deterministic synthetic directory generator at 211
//! scale and helpers shared by the criterion benches.
//!
//! Harness code, not shipped: it may index slices and fail loudly, so the workspace's
//! no-panic lints are relaxed here (they stay on for `core` and `bindings`).
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

/// The project README's Rust examples, compiled and run as doctests so the front door stays true
/// (here rather than in `passerelle`, whose package must not read files outside itself).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ProjectReadmeDoctests;

pub mod peers;
pub mod querymix;
pub mod synth;
