//! Accessibility features of a location, read from the free text real feeds carry
//! ("Wheelchair accessible", "Accessible restroom", "Ascenseur", "Interprète LSQ") as well as
//! from the project's codes (`wheelchair: ramp at back`, docs/conventions.md §5).

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use super::Text;

/// An accessibility feature, as the project codes it.
///
/// # Examples
/// ```
/// use passerelle::model::AccessFeature;
/// assert_eq!(AccessFeature::parse_code("accessible_washroom"), Some(AccessFeature::AccessibleWashroom));
/// assert_eq!(
///     AccessFeature::from_text("Wheelchair accessible; elevator to 2nd floor"),
///     [AccessFeature::Wheelchair, AccessFeature::Elevator]
/// );
/// assert_eq!(AccessFeature::from_text("Toilettes adaptées, ascenseur"),
///     [AccessFeature::Elevator, AccessFeature::AccessibleWashroom]);
/// assert!(AccessFeature::from_text("No elevator").is_empty());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccessFeature {
    /// Wheelchair access (step-free entrance and route): `wheelchair`.
    Wheelchair,
    /// A ramp: `ramp`.
    Ramp,
    /// An elevator / lift: `elevator`.
    Elevator,
    /// An accessible washroom / restroom: `accessible_washroom`.
    AccessibleWashroom,
    /// Accessible (disabled) parking: `accessible_parking`.
    AccessibleParking,
    /// A hearing (induction) loop: `hearing_loop`.
    HearingLoop,
    /// American Sign Language: `asl`.
    Asl,
    /// Langue des signes québécoise: `lsq`.
    Lsq,
    /// Sign-language interpretation, language not named: `sign_language`.
    SignLanguage,
    /// Text telephone (TTY / TDD): `tty`.
    Tty,
    /// Large print: `large_print`.
    LargePrint,
    /// Braille: `braille`.
    Braille,
}

const ALL: [AccessFeature; 12] = [
    AccessFeature::Wheelchair,
    AccessFeature::Ramp,
    AccessFeature::Elevator,
    AccessFeature::AccessibleWashroom,
    AccessFeature::AccessibleParking,
    AccessFeature::HearingLoop,
    AccessFeature::Asl,
    AccessFeature::Lsq,
    AccessFeature::SignLanguage,
    AccessFeature::Tty,
    AccessFeature::LargePrint,
    AccessFeature::Braille,
];

/// Characters of a text read for features (the rest is kept, not read).
const MAX_TEXT_CHARS: usize = 4096;

/// Words that, just before a phrase, say the feature is absent.
const NEGATIONS: &[&str] = &[
    "no", "not", "non", "without", "pas", "sans", "aucun", "aucune", "none", "never",
];

impl AccessFeature {
    /// The project code (`wheelchair`, `accessible_washroom` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wheelchair => "wheelchair",
            Self::Ramp => "ramp",
            Self::Elevator => "elevator",
            Self::AccessibleWashroom => "accessible_washroom",
            Self::AccessibleParking => "accessible_parking",
            Self::HearingLoop => "hearing_loop",
            Self::Asl => "asl",
            Self::Lsq => "lsq",
            Self::SignLanguage => "sign_language",
            Self::Tty => "tty",
            Self::LargePrint => "large_print",
            Self::Braille => "braille",
        }
    }

    /// English and French names, for reasons read to a resident.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Wheelchair => ("wheelchair access", "accès en fauteuil roulant"),
            Self::Ramp => ("ramp", "rampe"),
            Self::Elevator => ("elevator", "ascenseur"),
            Self::AccessibleWashroom => ("accessible washroom", "toilettes accessibles"),
            Self::AccessibleParking => ("accessible parking", "stationnement accessible"),
            Self::HearingLoop => ("hearing loop", "boucle magnétique"),
            Self::Asl => ("ASL", "ASL"),
            Self::Lsq => ("LSQ", "LSQ"),
            Self::SignLanguage => ("sign language", "langue des signes"),
            Self::Tty => ("TTY", "ATS"),
            Self::LargePrint => ("large print", "gros caractères"),
            Self::Braille => ("braille", "braille"),
        }
    }

    /// Every feature the project knows.
    pub(crate) fn all() -> [Self; 12] {
        ALL
    }

    /// The feature a project code names (`wheelchair`, `Accessible-Washroom`), also the
    /// Ohana API codes (`restroom`, `disabled_parking`, `tape_braille`, `deaf_interpreter`),
    /// or `None`.
    pub fn parse_code(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        match code.as_str() {
            "restroom" => Some(Self::AccessibleWashroom),
            "disabled_parking" => Some(Self::AccessibleParking),
            "tape_braille" => Some(Self::Braille),
            "deaf_interpreter" => Some(Self::SignLanguage),
            _ => ALL.into_iter().find(|f| f.as_str() == code),
        }
    }

    /// Every feature named in free text, English or French, in code order; a phrase right
    /// after a negation ("no elevator", "pas d'ascenseur", "not wheelchair accessible") is
    /// left out. Text starting with a project code and `:` (`wheelchair: ramp at back`) names
    /// that feature only. Only the first 4,096 characters are read.
    pub fn from_text(text: &str) -> Vec<Self> {
        // accessibility notes are short; a huge field is read up to a bound
        let text = text
            .char_indices()
            .nth(MAX_TEXT_CHARS)
            .and_then(|(i, _)| text.get(..i))
            .unwrap_or(text);
        if let Some(f) = Self::parse_code(text) {
            return vec![f];
        }
        if let Some((head, _)) = text.split_once(':') {
            if let Some(f) = Self::parse_code(head) {
                return vec![f];
            }
        }
        let words = fold_words(text);
        let mut out: Vec<Self> = ALL.into_iter().filter(|f| f.named_in(&words)).collect();
        if out.iter().any(|f| matches!(f, Self::Asl | Self::Lsq)) {
            out.retain(|f| *f != Self::SignLanguage);
        }
        out
    }

    fn named_in(self, w: &[String]) -> bool {
        let any = |phrases: &[&str]| phrases.iter().any(|p| phrase_at(w, p));
        let word = |stems: &[&str]| w.iter().any(|x| stems.iter().any(|s| x.starts_with(s)));
        let qualified = || word(&["accessib", "adapt", "handicap", "disabled", "wheelchair"]);
        match self {
            // a wheelchair-accessible van is transport, not access to the place
            Self::Wheelchair if word(&["van", "vehicle", "bus"]) => false,
            Self::Wheelchair => any(&[
                "wheelchair",
                "wheel chair",
                "fauteuil roulant",
                "fauteuils roulants",
                "barrier free",
                "sans obstacle",
                "sans obstacles",
                "step free",
                "de plain pied",
                "accessible entrance",
                "entree accessible",
                "mobilite reduite",
            ]),
            Self::Ramp => any(&["ramp", "ramps", "rampe", "rampes"]),
            Self::Elevator => any(&["elevator", "elevators", "lift", "ascenseur", "ascenseurs"]),
            Self::AccessibleWashroom => {
                word(&[
                    "washroom",
                    "restroom",
                    "toilet",
                    "bathroom",
                    "toilette",
                    "sanitaire",
                ]) && qualified()
            }
            Self::AccessibleParking => word(&["parking", "stationnement"]) && qualified(),
            Self::HearingLoop => any(&[
                "hearing loop",
                "induction loop",
                "audio loop",
                "boucle magnetique",
                "boucle auditive",
                "boucle d induction",
            ]),
            Self::Asl => any(&[
                "asl",
                "american sign language",
                "langue des signes americaine",
            ]),
            Self::Lsq => any(&["lsq", "langue des signes quebecoise"]),
            Self::SignLanguage => any(&[
                "sign language",
                "langue des signes",
                "deaf interpreter",
                "interprete gestuel",
                "interprete pour sourds",
            ]),
            Self::Tty => any(&["tty", "tdd", "teletypewriter", "teleimprimeur"]),
            Self::LargePrint => any(&[
                "large print",
                "large type",
                "gros caracteres",
                "grands caracteres",
            ]),
            Self::Braille => any(&["braille"]),
        }
    }
}

impl fmt::Display for AccessFeature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The features named in an accessibility record's description and details, any language,
/// in code order.
pub(crate) fn access_features(description: &Text, details: &Text) -> Vec<AccessFeature> {
    let mut out: Vec<AccessFeature> = description
        .all()
        .chain(details.all())
        .flat_map(AccessFeature::from_text)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Marks the end of a clause in folded words: a negation does not reach past it.
const BREAK: &str = "|";

/// Lower-case words without accents; punctuation and `_` separate words, and clause
/// punctuation is kept as [`BREAK`].
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in text.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
            continue;
        }
        if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        if matches!(c, '.' | ';' | ',' | '!' | '?' | '\n' | '(' | ')' | '/') {
            words.push(BREAK.to_owned());
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// True when the words of `phrase` occur in `words`, not right after a negation.
fn phrase_at(words: &[String], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    if p.is_empty() || words.len() < p.len() {
        return false;
    }
    (0..=words.len() - p.len()).any(|i| {
        let hit = p
            .iter()
            .enumerate()
            .all(|(k, w)| words.get(i + k).is_some_and(|x| x == w));
        hit && !negated(words, i)
    })
}

/// A negation among the (up to) three words before `i` ("not wheelchair", "pas d ascenseur",
/// "no elevator").
fn negated(words: &[String], i: usize) -> bool {
    words
        .get(i.saturating_sub(3)..i)
        .unwrap_or_default()
        .iter()
        .rev()
        .take_while(|w| *w != BREAK)
        .any(|w| NEGATIONS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccessFeature::*;

    #[test]
    fn san_mateo_phrases() {
        for (text, want) in [
            ("Wheelchair accessible", vec![Wheelchair]),
            ("Accessible restroom", vec![AccessibleWashroom]),
            ("Disabled parking", vec![AccessibleParking]),
            ("Ramp", vec![Ramp]),
            ("Elevator", vec![Elevator]),
            ("Deaf interpreter", vec![SignLanguage]),
            ("Information on tape or in Braille", vec![Braille]),
            ("TTY", vec![Tty]),
            ("Wheelchair-accessible van", vec![]),
            ("restroom", vec![AccessibleWashroom]),
            ("tape_braille", vec![Braille]),
            ("Information on CD", vec![]),
        ] {
            assert_eq!(AccessFeature::from_text(text), want, "{text}");
        }
    }

    #[test]
    fn french_phrases() {
        for (text, want) in [
            ("Accessible en fauteuil roulant", vec![Wheelchair]),
            ("Ascenseur et rampe d'accès", vec![Ramp, Elevator]),
            ("Interprète LSQ sur demande", vec![Lsq]),
            ("Boucle magnétique à l'accueil", vec![HearingLoop]),
            (
                "Documents en braille et en gros caractères",
                vec![LargePrint, Braille],
            ),
            (
                "Stationnement réservé aux personnes handicapées",
                vec![AccessibleParking],
            ),
            ("Pas d'ascenseur", vec![]),
        ] {
            assert_eq!(AccessFeature::from_text(text), want, "{text}");
        }
    }

    #[test]
    fn negations_and_codes() {
        assert!(AccessFeature::from_text("Not wheelchair accessible").is_empty());
        assert_eq!(
            AccessFeature::from_text("No elevator; ramp at the back"),
            [Ramp]
        );
        assert_eq!(
            AccessFeature::from_text("wheelchair: ramp at back, no elevator"),
            [Wheelchair]
        );
        assert_eq!(AccessFeature::from_text("ASL interpreters"), [Asl]);
        assert_eq!(
            AccessFeature::from_text("No fee. Wheelchair accessible"),
            [Wheelchair]
        );
        assert_eq!(AccessFeature::parse_code("Hearing-Loop"), Some(HearingLoop));
        assert_eq!(AccessFeature::parse_code("wheelchair accessible"), None);
        assert!(AccessFeature::from_text("").is_empty());
        let long = format!("{} braille", "x ".repeat(5000));
        assert!(AccessFeature::from_text(&long).is_empty());
        assert_eq!(AccessFeature::from_text(&long[9000..]), [Braille]);
        // "lift" is a word, not a prefix
        assert!(AccessFeature::from_text("uplifting programme").is_empty());
    }
}
