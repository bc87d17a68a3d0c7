//! Codes in a query are checked against what the directory and the project's catalogue
//! know: a population, accessibility or term code that names nothing known is an error with a
//! suggestion, never silently ignored.
//!
//! Language codes are not checked here: a well-formed language no service offers is a valid
//! request (its matches say the language is not offered), and [`LangCode`] already rejects
//! malformed codes.
//!
//! [`LangCode`]: crate::LangCode

use foldhash::{HashSet, HashSetExt};

use crate::model::{AccessFeature, TermCode};

use super::error::{CodeField, MatchError};
use super::needs::NeedResolver;
use super::query::Query;

/// What a navigator knows, borrowed for one check.
pub(super) struct Known<'a> {
    /// The directory's term codes.
    pub codes: &'a [TermCode],
    /// The directory's target-population names.
    pub populations: &'a [String],
    /// The directory's own accessibility codes.
    pub access_codes: &'a [String],
    /// The resolver (the project's lexicon codes).
    pub resolver: &'a NeedResolver,
}

/// Checks every code of `query`; the first unknown one is the error.
pub(super) fn query_codes(query: &Query, known: &Known<'_>) -> Result<(), MatchError> {
    for (index, p) in query.populations.iter().enumerate() {
        let p = p.trim();
        if !known.populations.iter().any(|x| x == p) {
            return Err(MatchError::UnknownCode {
                field: CodeField::Population,
                index,
                suggestion: suggest(p, known.populations.iter().map(String::as_str)),
            });
        }
    }
    for (index, a) in query.accessibility.iter().enumerate() {
        if AccessFeature::parse_code(a).is_some() || !AccessFeature::from_text(a).is_empty() {
            continue;
        }
        let codes = super::access::query_codes(std::slice::from_ref(a));
        if codes.iter().all(|c| known.access_codes.contains(c)) {
            continue;
        }
        let code = codes.first().map_or(a.as_str(), String::as_str);
        let features = AccessFeature::all();
        let candidates = features
            .iter()
            .map(|f| f.as_str())
            .chain(known.access_codes.iter().map(String::as_str));
        return Err(MatchError::UnknownCode {
            field: CodeField::Accessibility,
            index,
            suggestion: suggest(code, candidates),
        });
    }
    for (need, n) in query.needs.iter().enumerate() {
        for (index, t) in n.terms.iter().enumerate() {
            if term_known(t, known) {
                continue;
            }
            let candidates = known
                .codes
                .iter()
                .chain(known.resolver.catalogue_codes())
                .map(TermCode::as_str);
            return Err(MatchError::UnknownCode {
                field: CodeField::Term { need },
                index,
                suggestion: suggest(t.as_str(), candidates),
            });
        }
    }
    Ok(())
}

/// A term code is known when the directory or the lexicon has it, or when it is the
/// ancestor of one of their codes (`food` for `food.bank`): one lookup in the set built with
/// the index ([`KnownCodes`]).
fn term_known(t: &TermCode, known: &Known<'_>) -> bool {
    known.resolver.knows_code(t.as_str())
}

/// Every term code a query may name: the directory's and the catalogue's codes and each of
/// their ancestors (`food` for `food.bank`, `101` for `101-06`), built once with the index.
#[derive(Debug, Default)]
pub(crate) struct KnownCodes(HashSet<Box<str>>);

impl KnownCodes {
    /// The set of `codes` and their ancestors (prefixes ending before `.`, `-` or `/`).
    pub(crate) fn new<'a>(codes: impl IntoIterator<Item = &'a str>) -> Self {
        let mut set = HashSet::new();
        for code in codes {
            for (i, _) in code
                .char_indices()
                .filter(|(_, c)| matches!(c, '.' | '-' | '/'))
            {
                if let Some(prefix) = code.get(..i) {
                    if !set.contains(prefix) {
                        set.insert(prefix.into());
                    }
                }
            }
            if !set.contains(code) {
                set.insert(code.into());
            }
        }
        Self(set)
    }

    /// True when `code` is a known code or an ancestor of one.
    pub(crate) fn contains(&self, code: &str) -> bool {
        self.0.contains(code)
    }
}

/// The closest known code, when one is close enough to be a likely slip.
fn suggest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let given = given.trim().to_lowercase();
    candidates
        .map(|c| {
            let lc = c.to_lowercase();
            let dl = strsim::normalized_damerau_levenshtein(&given, &lc);
            let jw = strsim::jaro_winkler(&given, &lc);
            let contains = !given.is_empty() && (lc.contains(&given) || given.contains(&lc));
            let score = if dl >= 0.5 || jw >= 0.85 {
                dl.max(jw)
            } else if contains {
                0.5
            } else {
                0.0
            };
            (score, c)
        })
        .filter(|(score, _)| *score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_code_or_nothing() {
        let pops = ["seniors", "veterans", "youth"];
        assert_eq!(
            suggest("veteran", pops.iter().copied()).as_deref(),
            Some("veterans")
        );
        assert_eq!(suggest("zzzz", pops.iter().copied()), None);
    }

    #[test]
    fn known_codes_hold_ancestors() {
        let k = KnownCodes::new(["food.bank", "101-06-01", "a/b"]);
        for code in [
            "food.bank",
            "food",
            "101",
            "101-06",
            "101-06-01",
            "a",
            "a/b",
        ] {
            assert!(k.contains(code), "{code}");
        }
        for code in ["foo", "food.ban", "101-0", "b", "food.bank.x"] {
            assert!(!k.contains(code), "{code}");
        }
    }
}
