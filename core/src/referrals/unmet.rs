//! Unmet needs and the coarse area keys that keep them non-identifying.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ReferralError;
use crate::model::{GeoPoint, TermCode};

/// Smallest grid cell an [`AreaKey`] may name, in metres: finer cells could single out a home.
pub const MIN_GRID_CELL_M: u32 = 1_000;

/// Metres per degree of latitude (mean).
const M_PER_DEG_LAT: f64 = 111_320.0;

/// A coarse, non-identifying area: never an exact home location.
///
/// Three forms, written as tagged strings so they sit in one CSV column:
/// - `fsa:K1N`: a Canadian forward sortation area (first three characters of a postal code);
/// - `area:Vanier`: a named area (neighbourhood, ward, municipality);
/// - `grid:<cell_m>:<row>:<col>`: a grid cell of at least 1 km ([`MIN_GRID_CELL_M`]).
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::referrals::AreaKey;
/// let fsa = AreaKey::from_postal_code("k1n 5t2").unwrap();
/// assert_eq!(fsa.as_str(), "fsa:K1N"); // the rest of the postal code is dropped
/// let cell = AreaKey::grid(GeoPoint::new(45.4290, -75.6890).unwrap(), 2_000).unwrap();
/// assert!(cell.as_str().starts_with("grid:2000:"));
/// assert!(AreaKey::grid(GeoPoint::new(45.0, -75.0).unwrap(), 50).is_err()); // too fine
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AreaKey(String);

impl AreaKey {
    /// The forward sortation area of a Canadian postal code (`K1N 5T2` → `fsa:K1N`).
    pub fn from_postal_code(postal_code: &str) -> Result<Self, ReferralError> {
        let fsa: String = postal_code
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(3)
            .collect::<String>()
            .to_ascii_uppercase();
        if is_fsa(&fsa) {
            Ok(Self(format!("fsa:{fsa}")))
        } else {
            Err(ReferralError::InvalidAreaKey {
                why: "a Canadian postal code starts with letter, digit, letter (e.g. K1N)",
            })
        }
    }

    /// A named area (1 to 80 characters, no `:` needed).
    pub fn named(name: &str) -> Result<Self, ReferralError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
            return Err(ReferralError::InvalidAreaKey {
                why: "an area name has 1 to 80 printable characters",
            });
        }
        Ok(Self(format!("area:{name}")))
    }

    /// An area key as a person or a spreadsheet writes it: the tagged form (`fsa:K1N`,
    /// `area:Vanier`, `grid:1000:…`) when the text has a `:`, else a bare area name.
    ///
    /// # Errors
    /// [`ReferralError::InvalidAreaKey`] as [`AreaKey::try_from`] and [`AreaKey::named`].
    ///
    /// # Examples
    /// ```
    /// use passerelle::referrals::AreaKey;
    /// assert_eq!(AreaKey::from_text("Vanier")?, AreaKey::named("Vanier")?);
    /// assert_eq!(AreaKey::from_text("fsa:K1N")?.as_str(), "fsa:K1N");
    /// assert!(AreaKey::from_text("fsa:nope").is_err());
    /// # Ok::<(), passerelle::referrals::ReferralError>(())
    /// ```
    pub fn from_text(text: &str) -> Result<Self, ReferralError> {
        if text.contains(':') {
            Self::try_from(text.to_owned())
        } else {
            Self::named(text)
        }
    }

    /// The grid cell of side `cell_m` metres (≥ 1 km) containing `point`.
    ///
    /// Rows are bands of latitude `cell_m` high; within a row, columns are `cell_m` wide at
    /// the row's central latitude, so cells stay roughly square across Canada.
    pub fn grid(point: GeoPoint, cell_m: u32) -> Result<Self, ReferralError> {
        if cell_m < MIN_GRID_CELL_M {
            return Err(ReferralError::InvalidAreaKey {
                why: "grid cells must be at least 1000 m wide",
            });
        }
        let dlat = f64::from(cell_m) / M_PER_DEG_LAT;
        let row = (point.lat() / dlat).floor() as i64;
        let dlon = lon_step(row, dlat, cell_m);
        let col = (point.lon() / dlon).floor() as i64;
        Ok(Self(format!("grid:{cell_m}:{row}:{col}")))
    }

    /// The key text (`fsa:K1N`, `area:Vanier`, `grid:2000:1634:-3795`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The centre of a grid cell; `None` for postal and named areas (their centroids come
    /// from the caller's gazetteer).
    pub fn grid_centre(&self) -> Option<GeoPoint> {
        let (cell_m, row, col) = self.grid_parts()?;
        let (dlat, dlon) = grid_steps(cell_m, row);
        GeoPoint::new((row as f64 + 0.5) * dlat, (col as f64 + 0.5) * dlon).ok()
    }

    /// The south-west and north-east corners of a grid cell; `None` for postal and named
    /// areas.
    ///
    /// # Examples
    /// ```
    /// use passerelle::model::GeoPoint;
    /// use passerelle::referrals::AreaKey;
    /// let cell = AreaKey::grid(GeoPoint::new(45.4290, -75.6890).unwrap(), 1_000).unwrap();
    /// let (sw, ne) = cell.grid_bounds().unwrap();
    /// assert!(sw.lat() <= 45.4290 && 45.4290 < ne.lat());
    /// assert!(sw.lon() <= -75.6890 && -75.6890 < ne.lon());
    /// ```
    pub fn grid_bounds(&self) -> Option<(GeoPoint, GeoPoint)> {
        let (cell_m, row, col) = self.grid_parts()?;
        let (dlat, dlon) = grid_steps(cell_m, row);
        let sw = GeoPoint::new(row as f64 * dlat, col as f64 * dlon).ok()?;
        let ne = GeoPoint::new((row + 1) as f64 * dlat, (col + 1) as f64 * dlon).ok()?;
        Some((sw, ne))
    }

    /// `(cell_m, row, col)` of a grid key.
    pub(crate) fn grid_parts(&self) -> Option<(u32, i64, i64)> {
        let rest = self.0.strip_prefix("grid:")?;
        let mut parts = rest.split(':');
        let cell_m: u32 = parts.next()?.parse().ok()?;
        let row: i64 = parts.next()?.parse().ok()?;
        let col: i64 = parts.next()?.parse().ok()?;
        Some((cell_m, row, col))
    }

    /// The grid key with these parts (`cell_m` must be at least [`MIN_GRID_CELL_M`]).
    pub(crate) fn from_grid_parts(cell_m: u32, row: i64, col: i64) -> Option<Self> {
        (cell_m >= MIN_GRID_CELL_M).then(|| Self(format!("grid:{cell_m}:{row}:{col}")))
    }
}

/// Height (degrees of latitude) of grid rows and width (degrees of longitude) of the cells
/// in `row`, for cells of `cell_m` metres.
pub(crate) fn grid_steps(cell_m: u32, row: i64) -> (f64, f64) {
    let dlat = f64::from(cell_m) / M_PER_DEG_LAT;
    (dlat, lon_step(row, dlat, cell_m))
}

fn lon_step(row: i64, dlat: f64, cell_m: u32) -> f64 {
    let centre_lat = ((row as f64 + 0.5) * dlat).clamp(-89.0, 89.0);
    f64::from(cell_m) / (M_PER_DEG_LAT * centre_lat.to_radians().cos())
}

fn is_fsa(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b, [a, d, c] if a.is_ascii_uppercase() && d.is_ascii_digit() && c.is_ascii_uppercase())
}

impl TryFrom<String> for AreaKey {
    type Error = ReferralError;

    /// Parses the tagged text form, validating it like the constructors do.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if let Some(fsa) = s.strip_prefix("fsa:") {
            if is_fsa(fsa) {
                return Ok(Self(s));
            }
        } else if let Some(name) = s.strip_prefix("area:") {
            return Self::named(name);
        } else if let Some(rest) = s.strip_prefix("grid:") {
            let parts: Vec<&str> = rest.split(':').collect();
            if let [cell, row, col] = parts.as_slice() {
                // Rebuilt from the numbers, so `grid:1000:+5:007` and `grid:1000:5:7` are the
                // same key (and the same gap cell).
                if let (Ok(cell), Ok(row), Ok(col)) =
                    (cell.parse::<u32>(), row.parse::<i64>(), col.parse::<i64>())
                {
                    if let Some(key) = Self::from_grid_parts(cell, row, col) {
                        return Ok(key);
                    }
                }
            }
        }
        Err(ReferralError::InvalidAreaKey {
            why: "expected fsa:A1A, area:<name> or grid:<cell_m ≥ 1000>:<row>:<col>",
        })
    }
}

impl From<AreaKey> for String {
    fn from(key: AreaKey) -> Self {
        key.0
    }
}

impl fmt::Display for AreaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a need went unmet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnmetReason {
    /// No service in the directory meets this need.
    NoServiceForNeed,
    /// Services exist, but none within reach of the resident.
    NoneWithinReach,
    /// Services within reach, but the resident is eligible for none.
    AllIneligible,
    /// Eligible services are full or wait-listed.
    AllFull,
    /// Eligible services are closed when the resident needs them.
    ClosedAtNeededTimes,
    /// No service in the resident's language.
    Language,
    /// Only virtual services, but in-person help was needed.
    OnlyVirtual,
    /// No suitable service is free (the resident needed a free one).
    Cost,
}

impl UnmetReason {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoServiceForNeed => "no_service_for_need",
            Self::NoneWithinReach => "none_within_reach",
            Self::AllIneligible => "all_ineligible",
            Self::AllFull => "all_full",
            Self::ClosedAtNeededTimes => "closed_at_needed_times",
            Self::Language => "language",
            Self::OnlyVirtual => "only_virtual",
            Self::Cost => "cost",
        }
    }

    /// Every reason, in declaration order.
    pub const ALL: [Self; 8] = [
        Self::NoServiceForNeed,
        Self::NoneWithinReach,
        Self::AllIneligible,
        Self::AllFull,
        Self::ClosedAtNeededTimes,
        Self::Language,
        Self::OnlyVirtual,
        Self::Cost,
    ];

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A need no service could meet, as recorded for unmet-needs reporting.
///
/// Non-identifying by construction: the need, an optional self-identified population group,
/// a coarse [`AreaKey`], the day and the reason.
///
/// # Examples
/// ```
/// use jiff::civil::date;
/// use passerelle::model::TermCode;
/// use passerelle::referrals::{AreaKey, UnmetNeed, UnmetReason};
/// let need = UnmetNeed {
///     need: TermCode::new("housing.rent").unwrap(),
///     population: Some("newcomer".into()),
///     area: AreaKey::from_postal_code("K1L 8B3").unwrap(),
///     date: date(2026, 11, 20),
///     reason: UnmetReason::AllIneligible,
/// };
/// let json = serde_json::to_string(&need).unwrap();
/// assert!(json.contains("\"area\":\"fsa:K1L\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmetNeed {
    /// The need (taxonomy term code).
    pub need: TermCode,
    /// Optional self-identified population group.
    /// Trimmed; blank reads as `None` (as in CSV).
    #[serde(default, deserialize_with = "super::population_from_json")]
    pub population: Option<String>,
    /// Coarse area.
    pub area: AreaKey,
    /// Day recorded.
    pub date: Date,
    /// Why it went unmet.
    pub reason: UnmetReason,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fsa_keys() {
        assert_eq!(
            AreaKey::from_postal_code("K2J 0A1").unwrap().as_str(),
            "fsa:K2J"
        );
        assert!(AreaKey::from_postal_code("12345").is_err());
        assert!(AreaKey::from_postal_code("").is_err());
        assert!(AreaKey::try_from("fsa:K1N".to_owned()).is_ok());
        assert!(AreaKey::try_from("fsa:K1N5T2".to_owned()).is_err());
        assert!(AreaKey::try_from("45.42,-75.69".to_owned()).is_err());
        assert!(AreaKey::try_from("grid:10:1:1".to_owned()).is_err());
    }

    #[test]
    fn grid_cells_contain_their_points_and_are_coarse() {
        let p = GeoPoint::new(45.4290, -75.6890).unwrap();
        let key = AreaKey::grid(p, 1_000).unwrap();
        let centre = key.grid_centre().unwrap();
        assert!((centre.lat() - p.lat()).abs() <= 0.5 * 1_000.0 / M_PER_DEG_LAT + 1e-9);
        // two points 300 m apart usually share a 5 km cell
        let q = GeoPoint::new(45.4317, -75.6890).unwrap();
        assert_eq!(
            AreaKey::grid(p, 5_000).unwrap(),
            AreaKey::grid(q, 5_000).unwrap()
        );
        assert_eq!(AreaKey::try_from(key.as_str().to_owned()).unwrap(), key);
    }

    #[test]
    fn unmet_reason_names_round_trip() {
        for r in UnmetReason::ALL {
            assert_eq!(UnmetReason::parse(r.as_str()), Some(r));
        }
    }
}
