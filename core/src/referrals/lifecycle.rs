//! Referrals and their follow-up lifecycle.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::unmet::AreaKey;
use super::ReferralError;
use crate::model::TermCode;

/// Where a referral stands.
///
/// ```text
/// referred ──► contacted ──► connected ─────► closed
///     │            │                            ▲
///     └────────────┴──► not_connected ──────────┘
/// ```
/// A referral can also be closed directly from `referred` (e.g. the resident withdrew).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReferralStatus {
    /// The resident was referred to the service.
    Referred,
    /// The resident or the service made contact.
    Contacted,
    /// The resident received the service.
    Connected,
    /// The resident did not receive the service (the reason is recorded).
    NotConnected,
    /// Follow-up is finished.
    Closed,
}

impl ReferralStatus {
    /// Stable snake_case name, as in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Referred => "referred",
            Self::Contacted => "contacted",
            Self::Connected => "connected",
            Self::NotConnected => "not_connected",
            Self::Closed => "closed",
        }
    }

    /// True when the lifecycle allows moving from `self` to `next`.
    pub fn can_become(self, next: Self) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, next),
            (Referred, Contacted | NotConnected | Closed)
                | (Contacted, Connected | NotConnected)
                | (Connected | NotConnected, Closed)
        )
    }
}

impl fmt::Display for ReferralStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a referral did not connect the resident with the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OutcomeReason {
    /// Nobody answered.
    NoAnswer,
    /// Found not eligible after all.
    NotEligible,
    /// Waitlist or at capacity.
    WaitlistFull,
    /// Too far to travel.
    TooFar,
    /// Not offered in the resident's language.
    Language,
    /// Cost was a barrier.
    Cost,
    /// Only virtual, but in-person help was needed.
    VirtualOnly,
    /// Closed at the times the resident could attend.
    ClosedAtNeededTimes,
    /// The resident declined or withdrew.
    Declined,
    /// Another reason.
    Other,
}

impl OutcomeReason {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoAnswer => "no_answer",
            Self::NotEligible => "not_eligible",
            Self::WaitlistFull => "waitlist_full",
            Self::TooFar => "too_far",
            Self::Language => "language",
            Self::Cost => "cost",
            Self::VirtualOnly => "virtual_only",
            Self::ClosedAtNeededTimes => "closed_at_needed_times",
            Self::Declined => "declined",
            Self::Other => "other",
        }
    }
}

/// One step of a referral's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The status entered.
    pub status: ReferralStatus,
    /// The day it was entered.
    pub on: Date,
}

/// A referral of a resident to a service at a location, with its follow-up.
///
/// Holds no personal data: the need, the service, dates, status, an optional self-identified
/// population group and an optional coarse [`AreaKey`]. The host application stores it;
/// passerelle persists nothing.
///
/// # Examples
/// ```
/// use jiff::civil::date;
/// use passerelle::model::TermCode;
/// use passerelle::referrals::{OutcomeReason, Referral, ReferralStatus};
/// let need = TermCode::new("food.delivery").unwrap();
/// let mut r = Referral::new("ref-1", need, "svc-meals", "sal-meals-vanier", date(2026, 11, 2));
/// r.follow_up_due = Some(date(2026, 11, 9));
/// r.advance(ReferralStatus::Contacted, date(2026, 11, 3)).unwrap();
/// r.not_connected(OutcomeReason::WaitlistFull, date(2026, 11, 5)).unwrap();
/// assert!(r.advance(ReferralStatus::Connected, date(2026, 11, 6)).is_err());
/// r.advance(ReferralStatus::Closed, date(2026, 11, 9)).unwrap();
/// assert_eq!(r.history.len(), 4);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    /// Id chosen by the host application.
    pub id: String,
    /// The need (taxonomy term code).
    pub need: TermCode,
    /// The service referred to.
    pub service_id: String,
    /// The service-at-location referred to.
    pub service_at_location_id: String,
    /// The day of the referral.
    pub referred_on: Date,
    /// Current status.
    pub status: ReferralStatus,
    /// When to follow up.
    pub follow_up_due: Option<Date>,
    /// Why it did not connect (set with [`ReferralStatus::NotConnected`]).
    pub outcome: Option<OutcomeReason>,
    /// Optional self-identified population group (e.g. `indigenous`), for gap analysis.
    /// Trimmed; blank reads as `None` (as in CSV).
    #[serde(default, deserialize_with = "super::population_from_json")]
    pub population: Option<String>,
    /// Optional coarse area of the resident (never an exact location).
    pub area: Option<AreaKey>,
    /// Every status entered, oldest first (starts with `referred`).
    pub history: Vec<StatusChange>,
}

impl Referral {
    /// A new referral in status `referred`.
    pub fn new(
        id: impl Into<String>,
        need: TermCode,
        service_id: impl Into<String>,
        service_at_location_id: impl Into<String>,
        referred_on: Date,
    ) -> Self {
        Self {
            id: id.into(),
            need,
            service_id: service_id.into(),
            service_at_location_id: service_at_location_id.into(),
            referred_on,
            status: ReferralStatus::Referred,
            follow_up_due: None,
            outcome: None,
            population: None,
            area: None,
            history: vec![StatusChange {
                status: ReferralStatus::Referred,
                on: referred_on,
            }],
        }
    }

    /// Moves to `next` on day `on`, enforcing the lifecycle. Use [`Referral::not_connected`]
    /// to record a failed connection, which needs a reason.
    pub fn advance(&mut self, next: ReferralStatus, on: Date) -> Result<(), ReferralError> {
        if next == ReferralStatus::NotConnected {
            return Err(ReferralError::ReasonRequired {
                id: self.id.clone(),
            });
        }
        self.transition(next, on)
    }

    /// Records that the resident was not connected, with the reason.
    pub fn not_connected(&mut self, reason: OutcomeReason, on: Date) -> Result<(), ReferralError> {
        self.transition(ReferralStatus::NotConnected, on)?;
        self.outcome = Some(reason);
        Ok(())
    }

    /// True when follow-up is due on `today` and the referral is still open.
    pub fn follow_up_overdue(&self, today: Date) -> bool {
        !matches!(self.status, ReferralStatus::Closed)
            && self.follow_up_due.is_some_and(|due| due <= today)
    }

    /// Checks that a referral read back from storage is consistent: history starts with
    /// `referred`, each step is a valid transition in date order, ends at `status`, and an
    /// outcome is present exactly when the referral went through `not_connected`.
    pub fn validate(&self) -> Result<(), ReferralError> {
        let invalid = |why: &'static str| ReferralError::InvalidRecord {
            id: self.id.clone(),
            why,
        };
        let first = self
            .history
            .first()
            .ok_or_else(|| invalid("empty history"))?;
        if first.status != ReferralStatus::Referred || first.on != self.referred_on {
            return Err(invalid("history must start with referred on referred_on"));
        }
        for pair in self.history.windows(2) {
            if let [a, b] = pair {
                if !a.status.can_become(b.status) {
                    return Err(ReferralError::InvalidTransition {
                        id: self.id.clone(),
                        from: a.status,
                        to: b.status,
                    });
                }
                if b.on < a.on {
                    return Err(invalid("history dates go backwards"));
                }
            }
        }
        if self.history.last().map(|c| c.status) != Some(self.status) {
            return Err(invalid("status differs from the last history step"));
        }
        let went_unconnected = self
            .history
            .iter()
            .any(|c| c.status == ReferralStatus::NotConnected);
        if went_unconnected != self.outcome.is_some() {
            return Err(invalid(
                "outcome must be set exactly when not_connected is in the history",
            ));
        }
        Ok(())
    }

    fn transition(&mut self, next: ReferralStatus, on: Date) -> Result<(), ReferralError> {
        if !self.status.can_become(next) {
            return Err(ReferralError::InvalidTransition {
                id: self.id.clone(),
                from: self.status,
                to: next,
            });
        }
        if self.history.last().is_some_and(|c| on < c.on) {
            return Err(ReferralError::InvalidRecord {
                id: self.id.clone(),
                why: "a status change cannot be dated before the previous one",
            });
        }
        self.status = next;
        self.history.push(StatusChange { status: next, on });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use ReferralStatus::*;

    fn referral() -> Referral {
        Referral::new(
            "r1",
            TermCode::new("housing.rent").unwrap(),
            "svc",
            "sal",
            date(2026, 1, 5),
        )
    }

    #[test]
    fn transition_table() {
        let all = [Referred, Contacted, Connected, NotConnected, Closed];
        let allowed: Vec<_> = all
            .iter()
            .flat_map(|&a| all.iter().map(move |&b| (a, b)))
            .filter(|&(a, b)| a.can_become(b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Referred, Contacted),
                (Referred, NotConnected),
                (Referred, Closed),
                (Contacted, Connected),
                (Contacted, NotConnected),
                (Connected, Closed),
                (NotConnected, Closed),
            ]
        );
    }

    #[test]
    fn happy_path_and_errors() {
        let mut r = referral();
        assert!(matches!(
            r.advance(Connected, date(2026, 1, 6)),
            Err(ReferralError::InvalidTransition {
                from: Referred,
                to: Connected,
                ..
            })
        ));
        assert!(matches!(
            r.advance(NotConnected, date(2026, 1, 6)),
            Err(ReferralError::ReasonRequired { .. })
        ));
        r.advance(Contacted, date(2026, 1, 6)).unwrap();
        assert!(r.advance(Connected, date(2026, 1, 1)).is_err(), "backdated");
        r.advance(Connected, date(2026, 1, 8)).unwrap();
        r.advance(Closed, date(2026, 1, 20)).unwrap();
        assert!(r.advance(Contacted, date(2026, 1, 21)).is_err());
        r.validate().unwrap();
        assert_eq!(r.status, Closed);
    }

    #[test]
    fn overdue_follow_up() {
        let mut r = referral();
        r.follow_up_due = Some(date(2026, 1, 12));
        assert!(!r.follow_up_overdue(date(2026, 1, 11)));
        assert!(r.follow_up_overdue(date(2026, 1, 12)));
        r.advance(Closed, date(2026, 1, 12)).unwrap();
        assert!(!r.follow_up_overdue(date(2026, 2, 1)));
    }

    #[test]
    fn validate_catches_tampered_records() {
        let mut r = referral();
        r.not_connected(OutcomeReason::TooFar, date(2026, 1, 7))
            .unwrap();
        r.validate().unwrap();
        let mut no_reason = r.clone();
        no_reason.outcome = None;
        assert!(no_reason.validate().is_err());
        let mut skipped = r.clone();
        skipped.history.insert(
            1,
            StatusChange {
                status: Connected,
                on: date(2026, 1, 6),
            },
        );
        assert!(matches!(
            skipped.validate(),
            Err(ReferralError::InvalidTransition { .. })
        ));
        let mut wrong_status = r;
        wrong_status.status = Closed;
        assert!(wrong_status.validate().is_err());
    }
}
