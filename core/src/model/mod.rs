//! The directory model, after Open Referral HSDS 3.1.
mod values;
pub use values::{GeoPoint, LangCode, TermCode, Text, ValueError};
