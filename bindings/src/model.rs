//! FFI mirrors of core's validated value types (`passerelle::{model::GeoPoint, model::LangCode, model::TermCode, model::Text}`).
//!
//! Records hold plain fields; converting into core validates, so a foreign caller can build any
//! record but only valid values ever reach the engine.

use std::collections::HashMap;

use passerelle::model::{
    GeoPoint as CoreGeoPoint, LangCode as CoreLangCode, TermCode as CoreTermCode, Text as CoreText,
};

use crate::PasserelleError;

/// A WGS84 point in decimal degrees.
///
/// Build one with [`validate_point`] to check it early; every call that takes a point
/// validates it again (finite, latitude within ±90, longitude within ±180).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct GeoPoint {
    /// Latitude in degrees, -90 to 90.
    pub lat: f64,
    /// Longitude in degrees, -180 to 180.
    pub lon: f64,
}

impl TryFrom<GeoPoint> for CoreGeoPoint {
    type Error = PasserelleError;

    fn try_from(p: GeoPoint) -> Result<Self, Self::Error> {
        Ok(CoreGeoPoint::new(p.lat, p.lon)?)
    }
}

impl From<CoreGeoPoint> for GeoPoint {
    fn from(p: CoreGeoPoint) -> Self {
        Self {
            lat: p.lat(),
            lon: p.lon(),
        }
    }
}

/// Text in the directory's default language with optional translations.
///
/// Texts the engine writes (crisis message, match hours, eligibility explanations, why a list
/// is empty) have English in `value` and French under `translations["fr"]`.
///
/// Named `LocalizedText` (not `Text`) so it does not clash with SwiftUI's `Text`.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct LocalizedText {
    /// The text in the directory's default language.
    pub value: String,
    /// Translations keyed by language code (`"fr"`, `"zh-Hant"`).
    pub translations: HashMap<String, String>,
}

impl LocalizedText {
    /// A text written by the engine in English (`value`) and French (`translations["fr"]`).
    pub(crate) fn en_fr(en: String, fr: String) -> Self {
        Self {
            value: en,
            translations: HashMap::from([("fr".to_owned(), fr)]),
        }
    }
}

impl TryFrom<LocalizedText> for CoreText {
    type Error = PasserelleError;

    fn try_from(t: LocalizedText) -> Result<Self, Self::Error> {
        let mut out = CoreText::new(t.value);
        for (lang, value) in t.translations {
            out = out.with(CoreLangCode::new(&lang)?, value);
        }
        Ok(out)
    }
}

impl From<CoreText> for LocalizedText {
    fn from(t: CoreText) -> Self {
        Self {
            value: t.value,
            translations: t
                .translations
                .into_iter()
                .map(|(k, v)| (k.as_str().to_owned(), v))
                .collect(),
        }
    }
}

/// Validates a latitude/longitude pair and returns it as a [`GeoPoint`].
///
/// Errors with `InvalidInput` when either number is NaN, infinite or out of range.
#[uniffi::export]
pub fn validate_point(lat: f64, lon: f64) -> Result<GeoPoint, PasserelleError> {
    Ok(CoreGeoPoint::new(lat, lon)?.into())
}

/// Validates an ISO 639 language code (optionally with BCP 47 subtags) and returns it
/// normalised (primary subtag lower-case): `"FR"` gives `"fr"`, `"zh-Hant"` stays `"zh-Hant"`.
///
/// Errors with `InvalidInput` for anything else (`"French"`, `""`).
#[uniffi::export]
pub fn validate_lang_code(code: String) -> Result<String, PasserelleError> {
    Ok(CoreLangCode::new(&code)?.as_str().to_owned())
}

/// Validates a taxonomy term code (`"BD-1800.2000"`, `"101-02-01"`) and returns it trimmed.
///
/// Errors with `InvalidInput` when it is empty, longer than 128 bytes or contains
/// whitespace or control characters.
#[uniffi::export]
pub fn validate_term_code(code: String) -> Result<String, PasserelleError> {
    Ok(CoreTermCode::new(&code)?.as_str().to_owned())
}

/// True when taxonomy term `code` equals `ancestor` or lies below it in the code hierarchy
/// (`"BD-1800.2000"` is within `"BD-1800"` and `"BD"`, not within `"BD-18"`).
///
/// Errors with `InvalidInput` when either code is not a valid term code.
#[uniffi::export]
pub fn term_is_within(code: String, ancestor: String) -> Result<bool, PasserelleError> {
    Ok(CoreTermCode::new(&code)?.is_within(&CoreTermCode::new(&ancestor)?))
}

/// The text of `text` in language `lang`, falling back to a translation with the same primary
/// subtag (`"fr-CA"` for `"fr"`), then to the default-language value.
///
/// Errors with `InvalidInput` when `lang` or a translation key is not a language code.
#[uniffi::export]
pub fn localized(text: LocalizedText, lang: String) -> Result<String, PasserelleError> {
    let lang = CoreLangCode::new(&lang)?;
    Ok(CoreText::try_from(text)?.get(&lang).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_round_trips_and_validates() {
        let p = validate_point(45.4292, -75.692).unwrap();
        assert_eq!(
            p,
            GeoPoint {
                lat: 45.4292,
                lon: -75.692
            }
        );
        assert!(CoreGeoPoint::try_from(p).is_ok());
        assert!(CoreGeoPoint::try_from(GeoPoint {
            lat: f64::NAN,
            lon: 0.0
        })
        .is_err());
        assert!(matches!(
            validate_point(100.0, 101.0),
            Err(PasserelleError::InvalidInput { .. })
        ));
    }

    #[test]
    fn codes() {
        assert_eq!(validate_lang_code("FR".into()).unwrap(), "fr");
        assert!(validate_lang_code("French".into()).is_err());
        assert_eq!(validate_term_code(" BD-1800 ".into()).unwrap(), "BD-1800");
        assert!(term_is_within("BD-1800.2000".into(), "BD".into()).unwrap());
        assert!(!term_is_within("BD-1800.2000".into(), "BD-18".into()).unwrap());
        assert_eq!(
            validate_term_code("COMMUNITY SERVICES".into()).unwrap(),
            "COMMUNITY SERVICES"
        );
        assert!(term_is_within("a\nb".into(), "a".into()).is_err());
    }

    #[test]
    fn localized_text_falls_back() {
        let t = LocalizedText {
            value: "Food bank".into(),
            translations: HashMap::from([("fr-CA".into(), "Banque alimentaire".into())]),
        };
        assert_eq!(
            localized(t.clone(), "fr".into()).unwrap(),
            "Banque alimentaire"
        );
        assert_eq!(localized(t.clone(), "es".into()).unwrap(), "Food bank");
        assert!(localized(t, "xx-".into()).is_err());
        let bad = LocalizedText {
            value: String::new(),
            translations: HashMap::from([("French".into(), String::new())]),
        };
        assert!(localized(bad, "fr".into()).is_err());
    }

    #[test]
    fn engine_text_is_english_with_a_french_translation() {
        let t = LocalizedText::en_fr("open until 17:00".into(), "ouvert jusqu'à 17 h".into());
        assert_eq!(t.value, "open until 17:00");
        assert_eq!(
            localized(t.clone(), "fr-CA".into()).unwrap(),
            "ouvert jusqu'à 17 h"
        );
        assert_eq!(
            localized(t.clone(), "en".into()).unwrap(),
            "open until 17:00"
        );
        assert_eq!(localized(t, "es".into()).unwrap(), "open until 17:00");
    }
}
