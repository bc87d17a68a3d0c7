//! Suggestions for a need that was not understood: the directory's own categories and words
//! nearest to the need's words, so the resident can rephrase or pick a category. This answer
//! is distinct from "no service offers this" ([`NoMatchReason::NoServiceForNeed`]): an
//! unrecognised word says nothing about what the directory holds.
//!
//! A category (a taxonomy term with services) is suggested when one of its name's words is
//! close to a word of the need (a few edits, or a shared beginning of four letters or more:
//! "dentistree" and "Dental Care"); a word of the services' own text when it is a few edits
//! away and the typo correction could not pick it alone ("bnk": "bank", "bunk"). When nothing
//! is close, the broadest categories with the most services are offered instead.
//!
//! [`NoMatchReason::NoServiceForNeed`]: super::NoMatchReason::NoServiceForNeed

use crate::model::{LangCode, TermCode, Text};
use crate::text::{is_filler, normalize, NeedLanguage, TextIndex};

/// At most this many categories close to the need's words.
const MAX_CATEGORIES: usize = 3;
/// At most this many words close to the need's words.
const MAX_WORDS: usize = 3;
/// Categories offered when nothing is close.
const MAX_FALLBACK: usize = 5;
/// Least similarity (see [`similarity`]) for a suggestion.
const MIN_SIMILARITY: f32 = 0.5;

/// A way to rephrase a need that was not understood: a category of the directory (with its
/// term code) or a word its services use.
///
/// # Examples
/// ```
/// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
/// use passerelle::matching::NoMatchReason;
/// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
/// let res = nav.search(&Query::new([Need::text("qwxzv")]))?;
/// let need = &res.needs[0];
/// assert_eq!(need.no_match, Some(NoMatchReason::NeedNotUnderstood));
/// // Nothing is close to "qwxzv": the directory's broadest categories are offered.
/// assert!(need.suggestions.iter().any(|s| s.term.is_some()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The category's name or the word, as the directory writes it (the category name in the
    /// need's language when the directory has it).
    pub text: String,
    /// The category's term code (search it with [`Need::term`]); `None` for a word.
    ///
    /// [`Need::term`]: super::Need::term
    pub term: Option<TermCode>,
}

/// The directory's categories, read once at build: per term index, its names (language,
/// display text, folded words).
#[derive(Debug, Default)]
pub(crate) struct Categories {
    names: Vec<Vec<(LangCode, String, Vec<String>)>>,
}

impl Categories {
    /// Category names by term index (`name` in `default` with its translations).
    pub(crate) fn add(&mut self, default: &LangCode, name: &Text) {
        let langs = std::iter::once((default.clone(), name.value.as_str())).chain(
            name.translations
                .iter()
                .map(|(l, v)| (l.clone(), v.as_str())),
        );
        let names = langs
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(l, v)| {
                let words = normalize(v)
                    .split(' ')
                    .filter(|w| w.chars().count() >= 3 && !is_filler(w))
                    .map(str::to_owned)
                    .collect();
                (l, v.trim().to_owned(), words)
            })
            .collect();
        self.names.push(names);
    }

    /// The name of term `t` in `lang` (else the default language's).
    fn name(&self, t: usize, lang: NeedLanguage) -> Option<&str> {
        let names = self.names.get(t)?;
        let want = lang.code();
        names
            .iter()
            .find(|(l, _, _)| want.as_ref().is_some_and(|w| w.primary() == l.primary()))
            .or_else(|| names.first())
            .map(|(_, n, _)| n.as_str())
    }
}

/// Similarity in `[0, 1]` of a need word and a directory word: 1 when equal; a shared
/// beginning of four letters or more (three fifths of the shorter word) scores by its share of
/// the longer word; otherwise by edit distance (one edit up to 4 letters, two up to 8, three
/// beyond). 0 when neither holds.
fn similarity(a: &[char], b: &str) -> f32 {
    let bc: Vec<char> = b.chars().collect();
    let (la, lb) = (a.len(), bc.len());
    if la == 0 || lb == 0 {
        return 0.0;
    }
    let longer = la.max(lb) as f32;
    let prefix = a.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    if prefix == la && la == lb {
        return 1.0;
    }
    let by_prefix = if prefix >= 4 && prefix * 5 >= la.min(lb) * 3 {
        0.5 + 0.5 * prefix as f32 / longer
    } else {
        0.0
    };
    let budget = match la {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let by_edit =
        crate::text::bounded_edit_distance(a, b, budget).map_or(0.0, |d| 1.0 - d as f32 / longer);
    by_prefix.max(by_edit)
}

/// Suggestions for need `text`, not understood: categories of `categories` with services
/// (`postings` by term index, `codes` their codes), words of `index`; the broadest, most used
/// categories when nothing is close.
pub(crate) fn suggest(
    text: &str,
    language: NeedLanguage,
    categories: &Categories,
    codes: &[TermCode],
    postings: &[Vec<u32>],
    index: &TextIndex,
) -> Vec<Suggestion> {
    let folded = normalize(text);
    let words: Vec<Vec<char>> = folded
        .split(' ')
        .filter(|w| w.chars().count() >= 3 && !is_filler(w))
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .map(|w| w.chars().collect())
        .collect();
    let used = |t: usize| postings.get(t).map_or(0, Vec::len);
    // Categories whose name has a word close to one of the need's.
    let mut close: Vec<(f32, usize, usize)> = Vec::new();
    for (t, names) in categories.names.iter().enumerate() {
        if used(t) == 0 {
            continue;
        }
        let best = names
            .iter()
            .flat_map(|(_, _, ws)| ws)
            .flat_map(|cw| words.iter().map(move |w| similarity(w, cw)))
            .fold(0.0f32, f32::max);
        if best >= MIN_SIMILARITY {
            close.push((best, used(t), t));
        }
    }
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut out: Vec<Suggestion> = Vec::new();
    let push = |out: &mut Vec<Suggestion>, text: &str, term: Option<&TermCode>| {
        if !out.iter().any(|s| s.text.eq_ignore_ascii_case(text)) {
            out.push(Suggestion {
                text: text.to_owned(),
                term: term.cloned(),
            });
        }
    };
    for &(_, _, t) in &close {
        if out.len() >= MAX_CATEGORIES {
            break;
        }
        if let (Some(name), Some(code)) = (categories.name(t, language), codes.get(t)) {
            push(&mut out, name, Some(code));
        }
    }
    // Words of the services' own text close to the need's.
    let mut near: Vec<(f32, u32, &str)> = Vec::new();
    for w in &words {
        for (word, df) in index.near_words(w) {
            let s = similarity(w, word);
            if s >= MIN_SIMILARITY && !is_filler(word) {
                near.push((s, df, word));
            }
        }
    }
    near.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    let mut n_words = 0;
    for (_, _, word) in near {
        if n_words >= MAX_WORDS {
            break;
        }
        let before = out.len();
        push(&mut out, word, None);
        n_words += out.len() - before;
    }
    if out.is_empty() {
        // Nothing close: the broadest categories (no ancestor among the directory's codes),
        // most used first.
        let known: std::collections::HashSet<&str> = codes.iter().map(TermCode::as_str).collect();
        let mut roots: Vec<(usize, usize)> = codes
            .iter()
            .enumerate()
            .filter(|&(t, c)| used(t) > 0 && !has_known_ancestor(c.as_str(), &known))
            .map(|(t, _)| (used(t), t))
            .collect();
        roots.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, t) in roots.into_iter().take(MAX_FALLBACK) {
            if let (Some(name), Some(code)) = (categories.name(t, language), codes.get(t)) {
                push(&mut out, name, Some(code));
            }
        }
    }
    out
}

/// True when a strict prefix of `code` ending before a separator (`.`, `-`, `:`, `/`) is in
/// `known`.
fn has_known_ancestor(code: &str, known: &std::collections::HashSet<&str>) -> bool {
    code.char_indices()
        .filter(|(_, c)| matches!(c, '.' | '-' | ':' | '/'))
        .any(|(i, _)| code.get(..i).is_some_and(|p| known.contains(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn similar_words() {
        assert!(similarity(&chars("dentistree"), "dental") >= MIN_SIMILARITY);
        assert!(similarity(&chars("bnk"), "bank") >= MIN_SIMILARITY);
        assert!(similarity(&chars("qwxzv"), "food") < MIN_SIMILARITY);
        assert!((similarity(&chars("food"), "food") - 1.0).abs() < f32::EPSILON);
    }

    #[test]
    fn ancestors_among_known_codes() {
        let known: std::collections::HashSet<&str> = ["101", "food"].into_iter().collect();
        assert!(has_known_ancestor("101-06", &known));
        assert!(has_known_ancestor("food.bank", &known));
        assert!(!has_known_ancestor("102-01", &known));
        assert!(!has_known_ancestor("101", &known));
    }
}
