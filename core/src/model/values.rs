//! Validated value types: a value of these types is always valid, so the rest of the crate
//! never re-checks coordinates, language codes or taxonomy codes.

use std::collections::BTreeMap;
use std::fmt;

/// A value that failed validation. Names the kind of value and why; never echoes
/// resident data (these types only hold directory data or, for [`GeoPoint`], numbers
/// whose text is not repeated).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// Latitude or longitude is NaN, infinite or outside WGS84 bounds.
    #[error("invalid coordinate: {reason}")]
    Coordinate {
        /// Which bound was violated, e.g. "latitude must be within -90..=90".
        reason: &'static str,
    },
    /// Not an ISO 639 language code (optionally with BCP 47 subtags).
    #[error("invalid language code {code:?}: expected ISO 639 such as \"en\", \"fr\" or \"oj\"")]
    LangCode {
        /// The rejected code (directory data, not resident data).
        code: String,
    },
    /// Not a taxonomy term code.
    #[error("invalid taxonomy term code {code:?}: {reason}")]
    TermCode {
        /// The rejected code (directory data).
        code: String,
        /// Why it was rejected.
        reason: &'static str,
    },
}

/// A WGS84 point in decimal degrees. Cannot hold NaN, infinities or out-of-range values.
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// let byward = GeoPoint::new(45.4292, -75.6920).unwrap();
/// assert_eq!(byward.lat(), 45.4292);
/// assert!(GeoPoint::new(100.0, 101.0).is_err()); // the HSDS 3.1 example's location
/// assert!(GeoPoint::new(f64::NAN, 0.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawPoint")]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

impl GeoPoint {
    /// Validates and builds a point from latitude and longitude in degrees.
    pub fn new(lat: f64, lon: f64) -> Result<Self, ValueError> {
        if !lat.is_finite() || !lon.is_finite() {
            return Err(ValueError::Coordinate {
                reason: "latitude and longitude must be finite numbers",
            });
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(ValueError::Coordinate {
                reason: "latitude must be within -90..=90 degrees",
            });
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(ValueError::Coordinate {
                reason: "longitude must be within -180..=180 degrees",
            });
        }
        Ok(Self { lat, lon })
    }

    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude in degrees.
    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// The point as a `geo` point (x = longitude, y = latitude).
    pub fn to_geo(self) -> geo::Point<f64> {
        geo::Point::new(self.lon, self.lat)
    }
}

/// An ISO 639 language code (`en`, `fr`, `oj`, `pa`), optionally followed by BCP 47 subtags
/// (`zh-Hant`). The primary subtag is stored lower-case.
///
/// # Examples
/// ```
/// use passerelle::model::LangCode;
/// let fr = LangCode::new("FR").unwrap();
/// assert_eq!(fr.as_str(), "fr");
/// assert_eq!(fr.primary(), "fr");
/// assert!(LangCode::new("French").is_err());
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct LangCode(String);

impl LangCode {
    /// Validates a language code.
    pub fn new(code: &str) -> Result<Self, ValueError> {
        let code = code.trim();
        let mut parts = code.split(['-', '_']);
        let primary = parts.next().unwrap_or_default();
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
        let rest_ok = parts
            .clone()
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !primary_ok || !rest_ok {
            return Err(ValueError::LangCode {
                code: truncate(code, 40),
            });
        }
        let mut out = primary.to_ascii_lowercase();
        for p in parts {
            out.push('-');
            out.push_str(p);
        }
        Ok(Self(out))
    }

    /// English (`en`).
    pub fn en() -> Self {
        Self("en".to_owned())
    }

    /// French (`fr`).
    pub fn fr() -> Self {
        Self("fr".to_owned())
    }

    /// The code as written (primary subtag lower-case).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISO 639 primary subtag (`zh` for `zh-Hant`).
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for LangCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A taxonomy term code such as `BD-1800.2000` (AIRS/211 style), `101-02-01`
/// (Open Eligibility) or `COMMUNITY SERVICES` (HSDS sets no format: spaces and punctuation are
/// allowed). Codes form a hierarchy by prefix: `BD-1800.2000` is within
/// `BD-1800`, which is within `BD`, when the prefix ends at a separator (`-`, `.`, `:`, `/`).
///
/// # Examples
/// ```
/// use passerelle::model::TermCode;
/// let pantry = TermCode::new("BD-1800.2000").unwrap();
/// assert!(pantry.is_within(&TermCode::new("BD-1800").unwrap()));
/// assert!(pantry.is_within(&TermCode::new("BD").unwrap()));
/// assert!(!pantry.is_within(&TermCode::new("BD-18").unwrap()));
/// assert_eq!(TermCode::new(" COMMUNITY SERVICES ").unwrap().as_str(), "COMMUNITY SERVICES");
/// assert!(TermCode::new("line\nbreak").is_err());
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct TermCode(String);

/// Longest accepted term code, in bytes.
const MAX_TERM_CODE_LEN: usize = 128;

impl TermCode {
    /// Validates a term code: leading and trailing spaces are trimmed; the rest must be
    /// non-empty, at most 128 bytes, without control characters (tabs, line breaks) or
    /// Unicode line/paragraph separators. Inner spaces are kept as written.
    pub fn new(code: &str) -> Result<Self, ValueError> {
        let code = code.trim();
        let reason = if code.is_empty() {
            Some("must not be empty")
        } else if code.len() > MAX_TERM_CODE_LEN {
            Some("longer than 128 bytes")
        } else if code
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
        {
            Some("must not contain control characters or line breaks")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(ValueError::TermCode {
                code: truncate(code, 40),
                reason,
            }),
            None => Ok(Self(code.to_owned())),
        }
    }

    /// The code text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `self` equals `ancestor` or lies below it in the code hierarchy.
    pub fn is_within(&self, ancestor: &TermCode) -> bool {
        match self.0.strip_prefix(ancestor.0.as_str()) {
            Some("") => true,
            Some(rest) => rest.starts_with(['-', '.', ':', '/']),
            None => false,
        }
    }
}

impl fmt::Display for TermCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text a resident reads, in the directory's default language with optional translations.
///
/// `value` is in the directory's default language (the plain HSDS column); `translations`
/// holds other languages keyed by code (the `name@fr` columns/properties of the HSDS files).
///
/// # Examples
/// ```
/// use passerelle::model::{LangCode, Text};
/// let name = Text::new("Food bank").with(LangCode::fr(), "Banque alimentaire");
/// assert_eq!(name.get(&LangCode::fr()), "Banque alimentaire");
/// assert_eq!(name.get(&LangCode::new("es").unwrap()), "Food bank"); // falls back
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Text {
    /// The text in the directory's default language.
    pub value: String,
    /// Translations keyed by language code.
    pub translations: BTreeMap<LangCode, String>,
}

impl Text {
    /// Text with no translations.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            translations: BTreeMap::new(),
        }
    }

    /// Adds a translation (builder style).
    pub fn with(mut self, lang: LangCode, value: impl Into<String>) -> Self {
        self.translations.insert(lang, value.into());
        self
    }

    /// The text in `lang`, falling back to the default-language value.
    pub fn get(&self, lang: &LangCode) -> &str {
        self.translations
            .get(lang)
            .or_else(|| {
                self.translations
                    .iter()
                    .find(|(k, _)| k.primary() == lang.primary())
                    .map(|(_, v)| v)
            })
            .map_or(self.value.as_str(), String::as_str)
    }

    /// The text in the first language of `order` that has it, else the default value.
    pub fn get_in_order(&self, order: &[LangCode]) -> &str {
        order
            .iter()
            .find_map(|l| self.translations.get(l))
            .map_or(self.value.as_str(), String::as_str)
    }

    /// True when there is no text in any language.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty() && self.translations.values().all(String::is_empty)
    }

    /// Every version of the text: the default value then each translation.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.value.as_str()).chain(self.translations.values().map(String::as_str))
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Text {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

/// Unvalidated form of [`GeoPoint`] used by serde before validation.
#[derive(serde::Deserialize)]
struct RawPoint {
    lat: f64,
    lon: f64,
}

impl TryFrom<RawPoint> for GeoPoint {
    type Error = ValueError;
    fn try_from(p: RawPoint) -> Result<Self, ValueError> {
        Self::new(p.lat, p.lon)
    }
}

macro_rules! string_newtype_conversions {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, ValueError> {
                Self::new(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
    };
}
string_newtype_conversions!(LangCode);
string_newtype_conversions!(TermCode);

/// Shortens directory text quoted in an error, on a char boundary.
pub(crate) fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hsds_example_latitude_is_rejected() {
        assert!(matches!(
            GeoPoint::new(100.0, 101.0),
            Err(ValueError::Coordinate { .. })
        ));
        assert!(GeoPoint::new(0.0, f64::INFINITY).is_err());
        assert!(GeoPoint::new(45.0, -181.0).is_err());
    }

    #[test]
    fn lang_codes() {
        assert_eq!(LangCode::new("zh-Hant").unwrap().primary(), "zh");
        assert_eq!(LangCode::new("OJ").unwrap().as_str(), "oj");
        assert!(LangCode::new("").is_err());
        assert!(LangCode::new("e").is_err());
        assert!(LangCode::new("english").is_err());
    }

    #[test]
    fn term_code_hierarchy() {
        let oe = TermCode::new("101-02-01").unwrap();
        assert!(oe.is_within(&TermCode::new("101-02").unwrap()));
        assert!(oe.is_within(&TermCode::new("101").unwrap()));
        assert!(!oe.is_within(&TermCode::new("10").unwrap()));
        assert!(!TermCode::new("101").unwrap().is_within(&oe));
        assert_eq!(TermCode::new("a b").unwrap().as_str(), "a b");
        assert!(TermCode::new("a\tb").is_err());
        assert!(TermCode::new("a\u{2028}b").is_err());
        assert!(TermCode::new("   ").is_err());
        assert!(TermCode::new(&"x".repeat(200)).is_err());
    }

    #[test]
    fn text_falls_back_by_primary_subtag() {
        let t = Text::new("Hello").with(LangCode::new("fr-CA").unwrap(), "Bonjour");
        assert_eq!(t.get(&LangCode::fr()), "Bonjour");
        assert_eq!(t.get(&LangCode::en()), "Hello");
        assert_eq!(t.get_in_order(&[LangCode::en()]), "Hello");
    }

    #[test]
    fn serde_validates() {
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat":100,"lon":0}"#).is_err());
        let p: GeoPoint = serde_json::from_str(r#"{"lat":45.4,"lon":-75.7}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"lat":45.4,"lon":-75.7}"#
        );
        assert!(serde_json::from_str::<TermCode>(r#""a\nb""#).is_err());
        assert_eq!(serde_json::to_string(&LangCode::fr()).unwrap(), r#""fr""#);
    }

    proptest! {
        #[test]
        fn geopoint_accepts_exactly_wgs84(lat in -200.0f64..200.0, lon in -400.0f64..400.0) {
            let ok = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
            prop_assert_eq!(GeoPoint::new(lat, lon).is_ok(), ok);
        }
    }
}
