//! Referrals, follow-ups and unmet needs: plain records the host application stores
//! (passerelle persists nothing), with an enforced status lifecycle and JSON/CSV forms.
//!
//! # Examples
//! ```
//! use jiff::civil::date;
//! use passerelle::model::TermCode;
//! use passerelle::referrals::{referrals_to_csv, referrals_from_csv, Referral, ReferralStatus};
//! let mut r = Referral::new("r1", TermCode::new("food.bank").unwrap(), "svc-pantry", "sal-pantry", date(2026, 11, 2));
//! r.advance(ReferralStatus::Contacted, date(2026, 11, 3)).unwrap();
//! let csv = referrals_to_csv(&[r.clone()]).unwrap();
//! assert_eq!(referrals_from_csv(csv.as_bytes()).unwrap(), vec![r]);
//! ```
mod io;
mod lifecycle;
mod unmet;

pub use io::{referrals_from_csv, referrals_to_csv, unmet_needs_from_csv, unmet_needs_to_csv};
pub use lifecycle::{OutcomeReason, Referral, ReferralStatus, StatusChange};
pub(crate) use unmet::grid_steps;
pub use unmet::{AreaKey, UnmetNeed, UnmetReason, MIN_GRID_CELL_M};

/// Reads an optional population group as the CSV reader does: trimmed, blank as `None`, so
/// a record read from JSON writes to CSV and reads back equal.
pub(crate) fn population_from_json<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(raw.and_then(|s| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_owned())
    }))
}

/// An invalid referral operation or record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReferralError {
    /// The lifecycle does not allow this status change.
    #[error("referral {id}: cannot go from {from} to {to}")]
    InvalidTransition {
        /// Referral id.
        id: String,
        /// Current status.
        from: ReferralStatus,
        /// Requested status.
        to: ReferralStatus,
    },
    /// `not_connected` needs an outcome reason.
    #[error("referral {id}: not_connected needs an outcome reason (use Referral::not_connected)")]
    ReasonRequired {
        /// Referral id.
        id: String,
    },
    /// A stored record is inconsistent.
    #[error("referral {id}: {why}")]
    InvalidRecord {
        /// Referral id.
        id: String,
        /// What is wrong.
        why: &'static str,
    },
    /// An area key is not one of the coarse forms.
    #[error("invalid area key: {why}")]
    InvalidAreaKey {
        /// What is wrong.
        why: &'static str,
    },
    /// A CSV row could not be read.
    #[error("row {row}, field {field}: {why}")]
    Csv {
        /// 1-based data row (header excluded).
        row: u64,
        /// Column name.
        field: String,
        /// What is wrong.
        why: String,
    },
}
