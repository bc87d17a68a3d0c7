//! The one scoring function: a weighted mean of factor values in `[0, 1]`.
//!
//! ```text
//! score = Σ weight[f] · value[f]  /  Σ weight[f]      over the factors f that apply
//! ```
//!
//! A factor *applies* when the query makes it meaningful: `distance` and `coverage` need a
//! resident location, `language` needs languages, `accessibility` needs accessibility needs,
//! `population` needs populations, `one_stop` needs two needs or more. Factors that don't
//! apply are left out of both sums, so they neither help nor hurt. Every value lies in
//! `[0, 1]`, so the score does too. Factor values are documented on [`Factor`].

use std::fmt;

use crate::model::Openness;

use super::index::Cost;
use super::query::TravelMode;
use super::result::EligibilityStatus;

/// The factors of the score, in breakdown order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Factor {
    /// How relevant the service is to the need: for need text, ranked retrieval over the
    /// service's own words (BM25F, taxonomy matches as boosts) relative to the best service
    /// for that need, cubed; for a need given only as codes, exact term 1.0, narrower term
    /// (descendant) 0.9, synonym from the lexicon 0.85, typo-corrected 0.7, broader term 0.5.
    Need,
    /// Proximity: `exp(-d / scale)` with `scale = distance_scale_m × travel factor`;
    /// remote delivery (phone, online, home visit) counts as [`Weights::remote_proximity`].
    Distance,
    /// Service area: the resident is inside the area the service declares 1.0; the service
    /// declares no area 0.5 (resident outside a declared area: not offered).
    Coverage,
    /// Eligibility: Eligible 1.0, Unknown 0.5 (missing facts), Ineligible 0.0.
    Eligibility,
    /// Openness at the query instant: open (or 24/7) 1.0, opens within 2 h 0.8, within 24 h
    /// 0.6, later 0.3, hours unknown 0.5.
    Open,
    /// Language: offered in one of the resident's languages 1.0, no language data 0.5, none
    /// of them 0.0.
    Language,
    /// Accessibility: share of the needed features the location has (remote delivery 1.0).
    Accessibility,
    /// Delivery fit with the resident's preference (e.g. a senior who cannot travel: home
    /// visit 1.0, phone/online 0.6).
    Delivery,
    /// Cost: free 1.0, unknown 0.6, fees 0.2.
    Cost,
    /// Data freshness from `assured_date`: within a year 1.0, falling to 0.2 at three years;
    /// unknown 0.5.
    Freshness,
    /// Capacity (`service_capacity` available / maximum): room 1.0 … full 0.0; unknown 0.5.
    Capacity,
    /// Population: designed for one of the resident's populations 1.0, else 0.0.
    Population,
    /// One-stop: share of the resident's other needs served at the same location.
    OneStop,
}

impl Factor {
    /// Number of factors.
    pub const COUNT: usize = 13;

    /// All factors, in breakdown order.
    pub const ALL: [Factor; Factor::COUNT] = [
        Factor::Need,
        Factor::Distance,
        Factor::Coverage,
        Factor::Eligibility,
        Factor::Open,
        Factor::Language,
        Factor::Accessibility,
        Factor::Delivery,
        Factor::Cost,
        Factor::Freshness,
        Factor::Capacity,
        Factor::Population,
        Factor::OneStop,
    ];

    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Need => "need",
            Self::Distance => "distance",
            Self::Coverage => "coverage",
            Self::Eligibility => "eligibility",
            Self::Open => "open",
            Self::Language => "language",
            Self::Accessibility => "accessibility",
            Self::Delivery => "delivery",
            Self::Cost => "cost",
            Self::Freshness => "freshness",
            Self::Capacity => "capacity",
            Self::Population => "population",
            Self::OneStop => "one_stop",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Factor weights and scales of the scoring function. Weights are relative (only their
/// ratios matter); 0 turns a factor off.
///
/// | field | default | meaning |
/// |---|---|---|
/// | `need` | 3.0 | need match |
/// | `distance` | 2.0 | proximity |
/// | `coverage` | 1.0 | resident inside the service area |
/// | `eligibility` | 2.0 | Eligible > Unknown |
/// | `open` | 1.0 | open now / soon |
/// | `language` | 1.5 | speaks the resident's language |
/// | `accessibility` | 1.5 | location has the needed features |
/// | `delivery` | 1.5 | fits the delivery preference |
/// | `cost` | 0.5 | free |
/// | `freshness` | 0.3 | recently verified record |
/// | `capacity` | 0.5 | has room |
/// | `population` | 1.0 | designed for the resident's community |
/// | `one_stop` | 1.0 | same place serves the resident's other needs |
/// | `distance_scale_m` | 2000 | distance at which proximity falls to 1/e (transit) |
/// | `remote_proximity` | 0.7 | proximity value of phone / online / home delivery |
///
/// # Examples
/// ```
/// use passerelle::matching::Weights;
/// let w = Weights { distance: 4.0, ..Weights::default() };
/// assert!(w.validate().is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Need match weight.
    pub need: f64,
    /// Proximity weight.
    pub distance: f64,
    /// Service-area coverage weight.
    pub coverage: f64,
    /// Eligibility weight.
    pub eligibility: f64,
    /// Openness weight.
    pub open: f64,
    /// Language weight.
    pub language: f64,
    /// Accessibility weight.
    pub accessibility: f64,
    /// Delivery-fit weight.
    pub delivery: f64,
    /// Cost weight.
    pub cost: f64,
    /// Freshness weight.
    pub freshness: f64,
    /// Capacity weight.
    pub capacity: f64,
    /// Population weight.
    pub population: f64,
    /// One-stop weight.
    pub one_stop: f64,
    /// Distance at which proximity falls to 1/e for transit, in metres (× 0.5 walking, × 3 driving).
    pub distance_scale_m: f64,
    /// Proximity value given to remote delivery (phone, online, home visit), in `[0, 1]`.
    pub remote_proximity: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            need: 3.0,
            distance: 2.0,
            coverage: 1.0,
            eligibility: 2.0,
            open: 1.0,
            language: 1.5,
            accessibility: 1.5,
            delivery: 1.5,
            cost: 0.5,
            freshness: 0.3,
            capacity: 0.5,
            population: 1.0,
            one_stop: 1.0,
            distance_scale_m: 2_000.0,
            remote_proximity: 0.7,
        }
    }
}

/// Invalid [`Weights`]: a weight negative or not finite, a scale not positive, or all weights 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid weights: {reason}")]
pub struct WeightsError {
    /// What is wrong.
    pub reason: &'static str,
}

impl Weights {
    /// The weight of a factor.
    pub fn of(&self, factor: Factor) -> f64 {
        match factor {
            Factor::Need => self.need,
            Factor::Distance => self.distance,
            Factor::Coverage => self.coverage,
            Factor::Eligibility => self.eligibility,
            Factor::Open => self.open,
            Factor::Language => self.language,
            Factor::Accessibility => self.accessibility,
            Factor::Delivery => self.delivery,
            Factor::Cost => self.cost,
            Factor::Freshness => self.freshness,
            Factor::Capacity => self.capacity,
            Factor::Population => self.population,
            Factor::OneStop => self.one_stop,
        }
    }

    /// Checks the weights.
    pub fn validate(&self) -> Result<(), WeightsError> {
        let all = Factor::ALL.map(|f| self.of(f));
        if all.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return Err(WeightsError {
                reason: "weights must be finite and not negative",
            });
        }
        if all.iter().all(|w| *w == 0.0) {
            return Err(WeightsError {
                reason: "at least one weight must be positive",
            });
        }
        if !(self.distance_scale_m.is_finite() && self.distance_scale_m > 0.0) {
            return Err(WeightsError {
                reason: "distance_scale_m must be a positive number of metres",
            });
        }
        if !(0.0..=1.0).contains(&self.remote_proximity) {
            return Err(WeightsError {
                reason: "remote_proximity must be within 0..=1",
            });
        }
        Ok(())
    }

    pub(crate) fn as_array(&self) -> [f64; Factor::COUNT] {
        Factor::ALL.map(|f| self.of(f))
    }
}

/// Proximity value for a distance in metres.
pub(crate) fn proximity(distance_m: f64, weights: &Weights, travel: TravelMode) -> f64 {
    let scale = weights.distance_scale_m * travel.scale_factor();
    (-distance_m.max(0.0) / scale).exp()
}

// The value functions of the factors computed per candidate; each follows the documentation
// of its [`Factor`] variant. Need relevance comes from need resolution, proximity above,
// delivery fit from `delivery.rs`, accessibility from `access.rs`.

/// [`Factor::Coverage`]: inside the declared area 1.0, area unknown or not declared 0.5.
pub(crate) fn coverage_value(covered: Option<bool>) -> f32 {
    match covered {
        Some(true) => 1.0,
        _ => 0.5,
    }
}

/// [`Factor::Eligibility`]: Eligible 1.0, Unknown 0.5, Ineligible 0.0.
pub(crate) fn eligibility_value(status: EligibilityStatus) -> f32 {
    match status {
        EligibilityStatus::Eligible => 1.0,
        EligibilityStatus::Unknown => 0.5,
        EligibilityStatus::Ineligible => 0.0,
    }
}

/// [`Factor::Open`] at `at`: open 1.0, opens within 2 h 0.8, within 24 h 0.6, later (or
/// never again) 0.3, unknown 0.5.
pub(crate) fn open_value(open: &Openness, at: jiff::Timestamp) -> f32 {
    match open {
        Openness::Open { .. } => 1.0,
        Openness::Closed {
            next_opens: Some(next),
        } => {
            let hours = next.duration_since(at).as_secs_f64() / 3600.0;
            if hours <= 2.0 {
                0.8
            } else if hours <= 24.0 {
                0.6
            } else {
                0.3
            }
        }
        Openness::Closed { next_opens: None } => 0.3,
        _ => 0.5,
    }
}

/// [`Factor::Language`] of a site's language bits against the resident's: one of them 1.0,
/// no language data 0.5, none of them 0.0.
pub(crate) fn language_value(site_bits: u64, resident_bits: u64) -> f32 {
    if site_bits == 0 {
        0.5
    } else if site_bits & resident_bits != 0 {
        1.0
    } else {
        0.0
    }
}

/// [`Factor::Cost`]: free 1.0, unknown 0.6, fees 0.2.
pub(crate) fn cost_value(cost: Cost) -> f32 {
    match cost {
        Cost::Free => 1.0,
        Cost::Unknown => 0.6,
        Cost::Paid => 0.2,
    }
}

/// [`Factor::Freshness`] of a record assured on day `assured_day` (days since 1970-01-01,
/// `i32::MIN` when unknown) seen on day `today`: 1.0 within a year, falling linearly to 0.2
/// at three years; unknown 0.5.
pub(crate) fn freshness(assured_day: i32, today: i32) -> f32 {
    if assured_day == i32::MIN {
        return 0.5;
    }
    let age = (today - assured_day).max(0) as f32;
    if age <= 365.0 {
        1.0
    } else if age >= 3.0 * 365.0 {
        0.2
    } else {
        1.0 - 0.8 * (age - 365.0) / 730.0
    }
}

/// [`Factor::Capacity`] of an available / maximum ratio (NaN when unknown): the ratio,
/// unknown 0.5.
pub(crate) fn capacity_value(ratio: f32) -> f32 {
    if ratio.is_nan() {
        0.5
    } else {
        ratio
    }
}

/// [`Factor::Population`] of a service's population bits against the resident's: shared 1.0,
/// else 0.0.
pub(crate) fn population_value(service_bits: u64, resident_bits: u64) -> f32 {
    if service_bits & resident_bits != 0 {
        1.0
    } else {
        0.0
    }
}

/// Factor values of one candidate, before weighting. `None`: the factor does not apply.
pub(crate) type FactorValues = [Option<f32>; Factor::COUNT];

/// The weighted mean of the applicable factors (0 when none applies).
pub(crate) fn combine(values: &FactorValues, weights: &[f64; Factor::COUNT]) -> f64 {
    let (mut num, mut den) = (0.0f64, 0.0f64);
    for (v, w) in values.iter().zip(weights) {
        if let Some(v) = v {
            num += w * f64::from(*v);
            den += w;
        }
    }
    if den > 0.0 {
        (num / den).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// One factor's part of a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactorScore {
    /// The factor.
    pub factor: Factor,
    /// Its value in `[0, 1]`; `None` when it does not apply to this query.
    pub value: Option<f64>,
    /// Its weight.
    pub weight: f64,
    /// `weight × value / Σ applicable weights`: the factor's share of the score.
    pub contribution: f64,
}

/// Every factor of a score; contributions add up to the score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreBreakdown {
    /// One entry per factor, in [`Factor::ALL`] order.
    pub factors: [FactorScore; Factor::COUNT],
}

impl ScoreBreakdown {
    pub(crate) fn new(values: &FactorValues, weights: &[f64; Factor::COUNT]) -> Self {
        let den: f64 = values
            .iter()
            .zip(weights)
            .filter(|(v, _)| v.is_some())
            .map(|(_, w)| w)
            .sum();
        let mut i = 0;
        let factors = Factor::ALL.map(|factor| {
            let value = values.get(i).copied().flatten().map(f64::from);
            let weight = weights.get(i).copied().unwrap_or_default();
            i += 1;
            let contribution = match value {
                Some(v) if den > 0.0 => weight * v / den,
                _ => 0.0,
            };
            FactorScore {
                factor,
                value,
                weight,
                contribution,
            }
        });
        Self { factors }
    }

    /// The entry of one factor.
    pub fn get(&self, factor: Factor) -> FactorScore {
        self.factors
            .get(factor.index())
            .copied()
            .unwrap_or(FactorScore {
                factor,
                value: None,
                weight: 0.0,
                contribution: 0.0,
            })
    }

    /// The sum of contributions (equals the match score).
    pub fn total(&self) -> f64 {
        self.factors.iter().map(|f| f.contribution).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn defaults_are_valid_and_factor_order_is_index() {
        Weights::default().validate().unwrap();
        for (i, f) in Factor::ALL.iter().enumerate() {
            assert_eq!(f.index(), i);
        }
        assert!(Weights {
            distance_scale_m: 0.0,
            ..Weights::default()
        }
        .validate()
        .is_err());
    }

    #[test]
    fn proximity_decays_and_is_travel_aware() {
        let w = Weights::default();
        assert!((proximity(0.0, &w, TravelMode::Transit) - 1.0).abs() < 1e-12);
        let walk = proximity(2_000.0, &w, TravelMode::Walk);
        let drive = proximity(2_000.0, &w, TravelMode::Drive);
        assert!(walk < drive);
        assert!((proximity(2_000.0, &w, TravelMode::Transit) - (-1.0f64).exp()).abs() < 1e-12);
    }

    #[test]
    fn factor_values_follow_their_documentation() {
        assert_eq!(coverage_value(Some(true)), 1.0);
        assert_eq!(coverage_value(Some(false)), 0.5);
        assert_eq!(coverage_value(None), 0.5);
        assert_eq!(eligibility_value(EligibilityStatus::Eligible), 1.0);
        assert_eq!(eligibility_value(EligibilityStatus::Unknown), 0.5);
        assert_eq!(eligibility_value(EligibilityStatus::Ineligible), 0.0);
        assert_eq!(cost_value(Cost::Free), 1.0);
        assert_eq!(cost_value(Cost::Unknown), 0.6);
        assert_eq!(cost_value(Cost::Paid), 0.2);
        assert_eq!(language_value(0, 0b1), 0.5);
        assert_eq!(language_value(0b10, 0b11), 1.0);
        assert_eq!(language_value(0b10, 0b01), 0.0);
        assert_eq!(capacity_value(f32::NAN), 0.5);
        assert_eq!(capacity_value(0.25), 0.25);
        assert_eq!(population_value(0b100, 0b110), 1.0);
        assert_eq!(population_value(0b100, 0b010), 0.0);
    }

    #[test]
    fn freshness_falls_from_one_to_a_fifth_between_one_and_three_years() {
        assert_eq!(freshness(i32::MIN, 20_000), 0.5);
        assert_eq!(freshness(20_000, 20_000), 1.0);
        assert_eq!(freshness(20_000, 20_365), 1.0);
        assert!((freshness(20_000, 20_730) - 0.6).abs() < 1e-6);
        assert_eq!(freshness(20_000, 21_095), 0.2);
        assert_eq!(freshness(20_000, 30_000), 0.2);
        // A date in the future counts as today.
        assert_eq!(freshness(20_100, 20_000), 1.0);
    }

    #[test]
    fn openness_value_rewards_opening_soon() {
        let at: jiff::Timestamp = "2026-12-04T12:00:00Z".parse().unwrap();
        let in_hours = |h: i64| Openness::Closed {
            next_opens: Some(at + jiff::SignedDuration::from_hours(h)),
        };
        assert_eq!(open_value(&in_hours(1), at), 0.8);
        assert_eq!(open_value(&in_hours(2), at), 0.8);
        assert_eq!(open_value(&in_hours(3), at), 0.6);
        assert_eq!(open_value(&in_hours(24), at), 0.6);
        assert_eq!(open_value(&in_hours(48), at), 0.3);
        assert_eq!(open_value(&Openness::Closed { next_opens: None }, at), 0.3);
        assert_eq!(open_value(&Openness::Unknown, at), 0.5);
    }

    proptest! {
        #[test]
        fn score_in_unit_interval_and_breakdown_sums(vals in proptest::collection::vec(proptest::option::of(0.0f32..=1.0), Factor::COUNT)) {
            let mut values: FactorValues = [None; Factor::COUNT];
            for (slot, v) in values.iter_mut().zip(vals) { *slot = v; }
            let w = Weights::default().as_array();
            let s = combine(&values, &w);
            prop_assert!((0.0..=1.0).contains(&s));
            let b = ScoreBreakdown::new(&values, &w);
            prop_assert!((b.total() - s).abs() < 1e-9);
        }

        #[test]
        fn raising_a_factor_never_lowers_the_score(vals in proptest::collection::vec(0.0f32..=1.0, Factor::COUNT), i in 0usize..Factor::COUNT, bump in 0.0f32..=1.0) {
            let mut values: FactorValues = [None; Factor::COUNT];
            for (slot, v) in values.iter_mut().zip(vals) { *slot = Some(v); }
            let w = Weights::default().as_array();
            let before = combine(&values, &w);
            let old = values[i].unwrap();
            values[i] = Some((old + bump).min(1.0));
            prop_assert!(combine(&values, &w) >= before - 1e-12);
        }
    }
}
