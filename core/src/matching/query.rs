//! What a resident (or the call-taker on their behalf) asks for.

use std::fmt;

use crate::model::{GeoPoint, LangCode, TermCode};

use super::error::MatchError;

/// Most results returned per need in one page; larger limits are capped to this.
pub const MAX_LIMIT: usize = 100;
/// Default page size per need.
pub const DEFAULT_LIMIT: usize = 5;
/// Most needs in one query.
pub const MAX_NEEDS: usize = 16;
/// Longest need text accepted, in bytes.
pub const MAX_NEED_TEXT_BYTES: usize = crate::text::MAX_NEED_BYTES;
/// Default maximum distance for in-person services, in metres.
pub const DEFAULT_MAX_DISTANCE_M: f64 = 10_000.0;

/// One need of the resident: free text in French or English ("banque alimentaire",
/// "rent help"), taxonomy term codes (`food.bank`), or both.
///
/// The `Debug` output never shows the text (it may be sensitive).
///
/// # Examples
/// ```
/// use passerelle::Need;
/// let need = Need::text("banque alimentaire");
/// assert_eq!(format!("{need:?}"), "Need { text: <redacted 18 bytes>, terms: [] }");
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct Need {
    /// Free text (French or English).
    pub text: Option<String>,
    /// Taxonomy term codes.
    pub terms: Vec<TermCode>,
}

impl Need {
    /// A need stated in words.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            terms: Vec::new(),
        }
    }

    /// A need given as a taxonomy term code.
    pub fn term(code: TermCode) -> Self {
        Self {
            text: None,
            terms: vec![code],
        }
    }
}

impl fmt::Debug for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted(Option<usize>);
        impl fmt::Debug for Redacted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.0 {
                    Some(n) => write!(f, "<redacted {n} bytes>"),
                    None => f.write_str("None"),
                }
            }
        }
        f.debug_struct("Need")
            .field("text", &Redacted(self.text.as_ref().map(String::len)))
            .field("terms", &self.terms)
            .finish()
    }
}

/// How the resident can receive a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum DeliveryPreference {
    /// In person or remote (phone, online); in-person services must be within the distance
    /// limit, remote ones may be anywhere that serves the resident. The default.
    #[default]
    RemoteAcceptable,
    /// Only services the resident can visit (or mobile outreach) within the distance limit.
    InPersonOnly,
    /// The resident cannot travel: services that come to them (home visits, delivery) first,
    /// then phone and online services; services needing a visit are left out.
    HomeVisit,
    /// Only by telephone.
    PhoneOnly,
}

impl DeliveryPreference {
    /// Every preference, in declaration order.
    pub const ALL: [Self; 4] = [
        Self::RemoteAcceptable,
        Self::InPersonOnly,
        Self::HomeVisit,
        Self::PhoneOnly,
    ];

    /// The preference's name: `remote_acceptable`, `in_person_only`, `home_visit`,
    /// `phone_only` (the bindings' and the JSON form's spelling).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RemoteAcceptable => "remote_acceptable",
            Self::InPersonOnly => "in_person_only",
            Self::HomeVisit => "home_visit",
            Self::PhoneOnly => "phone_only",
        }
    }
}

/// An unknown delivery preference name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown delivery preference (expected remote, in-person, home or phone)")]
pub struct UnknownDeliveryPreference;

impl std::str::FromStr for DeliveryPreference {
    type Err = UnknownDeliveryPreference;

    /// Accepts each [`as_str`](Self::as_str) name and the short forms `remote`, `in-person`,
    /// `home`, `phone` (with `-` or `_`, any case).
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::DeliveryPreference;
    /// assert_eq!("in-person".parse(), Ok(DeliveryPreference::InPersonOnly));
    /// assert_eq!("home_visit".parse(), Ok(DeliveryPreference::HomeVisit));
    /// assert!("teleport".parse::<DeliveryPreference>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "remote" | "remote_acceptable" => Ok(Self::RemoteAcceptable),
            "in_person" | "in_person_only" => Ok(Self::InPersonOnly),
            "home" | "home_visit" => Ok(Self::HomeVisit),
            "phone" | "phone_only" => Ok(Self::PhoneOnly),
            _ => Err(UnknownDeliveryPreference),
        }
    }
}

/// How the resident travels; scales the distance decay (see [`Weights`](super::Weights)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum TravelMode {
    /// On foot or wheelchair: distance counts twice as much (scale × 0.5).
    Walk,
    /// Public transit: the configured scale. The default.
    #[default]
    Transit,
    /// Car or para-transit: distance counts a third as much (scale × 3).
    Drive,
}

impl TravelMode {
    /// Multiplier applied to [`Weights::distance_scale_m`](super::Weights::distance_scale_m).
    pub fn scale_factor(self) -> f64 {
        match self {
            Self::Walk => 0.5,
            Self::Transit => 1.0,
            Self::Drive => 3.0,
        }
    }
}

/// Whether results must be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum OpenRequirement {
    /// Openness only ranks (open now > opens soon > closed). The default.
    #[default]
    Prefer,
    /// Leave out services known to be closed at the query instant (unknown hours are kept).
    OpenOnly,
}

/// A search: needs, where the resident is, how they can be served, who they are.
///
/// Build it with [`Query::new`] and the builder methods, or fill the public fields.
/// `Debug` redacts the need text, the profile, the location, and the resident's languages,
/// accessibility needs and populations (only counts are shown).
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::{Need, Query};
/// let q = Query::new([Need::text("food bank")])
///     .near(GeoPoint::new(45.4425, -75.6665).unwrap(), 3_000.0)
///     .limit(3);
/// assert!(!format!("{q:?}").contains("food bank"));
/// ```
#[derive(Clone)]
pub struct Query {
    /// The needs; each gets its own ranked list. At least one, at most [`MAX_NEEDS`].
    pub needs: Vec<Need>,
    /// Where the resident is. `None`: only remote and area-wide services are offered.
    pub location: Option<GeoPoint>,
    /// Farthest in-person service offered, in metres (default [`DEFAULT_MAX_DISTANCE_M`]).
    pub max_distance_m: f64,
    /// How the resident travels (scales distance decay).
    pub travel: TravelMode,
    /// How the resident can receive services.
    pub delivery: DeliveryPreference,
    /// Facts about the resident for eligibility (`age`, `household_income` …), built with
    /// [`Navigator::catalog`](super::Navigator::catalog)`().profile()`. `None`: nothing known.
    pub profile: Option<crate::rules::Profile>,
    /// Also return services the resident is ineligible for (with the failed conditions).
    pub include_ineligible: bool,
    /// Languages the resident speaks, best first. Empty: language is not considered.
    pub languages: Vec<LangCode>,
    /// Leave out services offered in none of `languages` (services with no language data are kept).
    pub require_language: bool,
    /// Accessibility features needed at in-person locations, as project codes (`wheelchair`,
    /// `asl` …, see [`AccessFeature`](crate::model::AccessFeature)) or words ("fauteuil roulant").
    /// A site known to have every one ranks first, a site with no accessibility information
    /// ("unknown") below it, a site whose listed features lack one lowest; none is left out
    /// unless [`Query::require_accessibility`] is set.
    pub accessibility: Vec<String>,
    /// Strict accessibility: a site not known to have every feature in `accessibility` is
    /// not offered in person (its phone, online, home or mobile delivery stays; otherwise it
    /// counts under [`FilterCounts::delivery`]).
    ///
    /// [`FilterCounts::delivery`]: super::FilterCounts::delivery
    pub require_accessibility: bool,
    /// Only services known to be free or whose cost is unknown.
    pub free_only: bool,
    /// Instant at which openness is judged; `None` means now.
    pub at: Option<jiff::Timestamp>,
    /// Whether closed services are left out.
    pub open: OpenRequirement,
    /// Populations the resident belongs to (`indigenous`, `francophone`, `senior` …);
    /// services designed for them rank up. Values of the `population` fact are added.
    pub populations: Vec<String>,
    /// Results per need (1..; capped at [`MAX_LIMIT`]). 0 or negative is an error.
    pub limit: i64,
    /// Results skipped per need (pagination).
    pub offset: usize,
    /// Include every factor's reason (not only the main ones) in each match.
    pub explain: bool,
}

impl Default for Query {
    fn default() -> Self {
        Self {
            needs: Vec::new(),
            location: None,
            max_distance_m: DEFAULT_MAX_DISTANCE_M,
            travel: TravelMode::default(),
            delivery: DeliveryPreference::default(),
            profile: None,
            include_ineligible: false,
            languages: Vec::new(),
            require_language: false,
            accessibility: Vec::new(),
            require_accessibility: false,
            free_only: false,
            at: None,
            open: OpenRequirement::default(),
            populations: Vec::new(),
            limit: DEFAULT_LIMIT as i64,
            offset: 0,
            explain: false,
        }
    }
}

impl Query {
    /// A query for these needs with default options.
    pub fn new(needs: impl IntoIterator<Item = Need>) -> Self {
        Self {
            needs: needs.into_iter().collect(),
            ..Self::default()
        }
    }

    /// Sets where the resident is and the farthest in-person distance (metres).
    pub fn near(mut self, point: GeoPoint, max_distance_m: f64) -> Self {
        self.location = Some(point);
        self.max_distance_m = max_distance_m;
        self
    }

    /// Sets the delivery preference.
    pub fn delivery(mut self, delivery: DeliveryPreference) -> Self {
        self.delivery = delivery;
        self
    }

    /// Sets the travel mode.
    pub fn travel(mut self, travel: TravelMode) -> Self {
        self.travel = travel;
        self
    }

    /// Sets the eligibility profile.
    pub fn profile(mut self, profile: crate::rules::Profile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// Sets the languages the resident speaks.
    pub fn languages(mut self, languages: impl IntoIterator<Item = LangCode>) -> Self {
        self.languages = languages.into_iter().collect();
        self
    }

    /// Sets the accessibility needs.
    pub fn accessibility<S: Into<String>>(mut self, codes: impl IntoIterator<Item = S>) -> Self {
        self.accessibility = codes.into_iter().map(Into::into).collect();
        self
    }

    /// Leaves out in-person delivery at sites not known to have every needed accessibility
    /// feature (see [`Query::require_accessibility`]).
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Need, Query};
    /// let q = Query::new([Need::text("counselling")])
    ///     .accessibility(["wheelchair"])
    ///     .require_accessibility();
    /// assert!(q.require_accessibility);
    /// ```
    pub fn require_accessibility(mut self) -> Self {
        self.require_accessibility = true;
        self
    }

    /// Sets the populations the resident belongs to.
    pub fn populations<S: Into<String>>(mut self, pops: impl IntoIterator<Item = S>) -> Self {
        self.populations = pops.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the instant openness is judged at.
    pub fn at(mut self, at: jiff::Timestamp) -> Self {
        self.at = Some(at);
        self
    }

    /// Leaves out services closed at the query instant.
    pub fn open_only(mut self) -> Self {
        self.open = OpenRequirement::OpenOnly;
        self
    }

    /// Only free services.
    pub fn free_only(mut self) -> Self {
        self.free_only = true;
        self
    }

    /// Also returns ineligible services.
    pub fn include_ineligible(mut self) -> Self {
        self.include_ineligible = true;
        self
    }

    /// Sets the page size per need.
    pub fn limit(mut self, limit: i64) -> Self {
        self.limit = limit;
        self
    }

    /// Sets the page offset per need.
    pub fn offset(mut self, offset: usize) -> Self {
        self.offset = offset;
        self
    }

    /// Asks for every factor's reason in each match.
    pub fn explain(mut self, explain: bool) -> Self {
        self.explain = explain;
        self
    }

    /// Checks the query and returns the effective page size (capped at [`MAX_LIMIT`]).
    pub(crate) fn validate(&self) -> Result<usize, MatchError> {
        if self.limit <= 0 {
            return Err(MatchError::InvalidLimit { limit: self.limit });
        }
        if self.needs.is_empty() {
            return Err(MatchError::NoNeeds);
        }
        if self.needs.len() > MAX_NEEDS {
            return Err(MatchError::TooManyNeeds {
                count: self.needs.len(),
                max: MAX_NEEDS,
            });
        }
        for (index, need) in self.needs.iter().enumerate() {
            let text = need.text.as_deref().map(str::trim).unwrap_or_default();
            if text.len() > MAX_NEED_TEXT_BYTES {
                return Err(MatchError::NeedTooLong {
                    index,
                    len: text.len(),
                    max: MAX_NEED_TEXT_BYTES,
                });
            }
            if text.is_empty() && need.terms.is_empty() {
                return Err(MatchError::EmptyNeed { index });
            }
        }
        if !(self.max_distance_m.is_finite() && self.max_distance_m >= 0.0) {
            return Err(MatchError::InvalidDistance);
        }
        Ok(usize::try_from(self.limit).map_or(MAX_LIMIT, |l| l.min(MAX_LIMIT)))
    }
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Accessibility needs (health), languages and populations describe the resident:
        // only their count is shown.
        struct Count(usize);
        impl fmt::Debug for Count {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "<redacted {}>", self.0)
            }
        }
        f.debug_struct("Query")
            .field("needs", &self.needs)
            .field("location", &self.location.map(|_| "<set>"))
            .field("max_distance_m", &self.max_distance_m)
            .field("travel", &self.travel)
            .field("delivery", &self.delivery)
            .field("profile", &self.profile.as_ref().map(|_| "<redacted>"))
            .field("include_ineligible", &self.include_ineligible)
            .field("languages", &Count(self.languages.len()))
            .field("require_language", &self.require_language)
            .field("accessibility", &Count(self.accessibility.len()))
            .field("require_accessibility", &self.require_accessibility)
            .field("free_only", &self.free_only)
            .field("at", &self.at)
            .field("open", &self.open)
            .field("populations", &Count(self.populations.len()))
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("explain", &self.explain)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_validated_and_capped() {
        let q = Query::new([Need::text("food")]);
        assert_eq!(q.clone().limit(3).validate().unwrap(), 3);
        assert_eq!(q.clone().limit(10_000).validate().unwrap(), MAX_LIMIT);
        assert!(matches!(
            q.clone().limit(0).validate(),
            Err(MatchError::InvalidLimit { limit: 0 })
        ));
        assert!(matches!(
            q.limit(-4).validate(),
            Err(MatchError::InvalidLimit { limit: -4 })
        ));
        assert!(matches!(
            Query::new([]).validate(),
            Err(MatchError::NoNeeds)
        ));
        assert!(matches!(
            Query::new([Need::text("  ")]).validate(),
            Err(MatchError::EmptyNeed { index: 0 })
        ));
    }

    #[test]
    fn debug_redacts_sensitive_fields() {
        let q = Query::new([Need::text("pensées suicidaires")])
            .populations(["indigenous"])
            .accessibility(["wheelchair"])
            .languages([LangCode::new("ti").unwrap()]);
        let dbg = format!("{q:?}");
        assert!(!dbg.contains("pensées"));
        assert!(!dbg.contains("indigenous"));
        assert!(!dbg.contains("wheelchair"));
        assert!(!dbg.contains("\"ti\""));
    }
}
