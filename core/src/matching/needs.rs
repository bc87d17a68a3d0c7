//! Need resolution: from a need (text and/or term codes) to the directory's taxonomy terms,
//! each with how it matched, plus crisis detection.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::model::{TermCode, Text};

use super::result::NeedMatchKind;

/// Terms whose services are crisis services (24/7 lines, violence support).
pub(crate) const CRISIS_TERMS: [&str; 2] = ["health.mental.crisis", "safety.violence"];

/// A need resolved against the directory.
#[derive(Debug, Default)]
pub(crate) struct ResolvedNeed {
    /// Directory term index → best match kind.
    pub terms: Vec<(u32, NeedMatchKind)>,
    /// Service indices matched by their own words only (when no term matched).
    pub text_services: Vec<u32>,
    /// The need expresses a crisis.
    pub crisis: bool,
}

/// Folds text for matching: lower case, accents removed, punctuation as spaces.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// Words too common to identify a need.
const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "the",
    "of",
    "for",
    "to",
    "in",
    "on",
    "with",
    "my",
    "me",
    "i",
    "need",
    "help",
    "helps",
    "service",
    "services",
    "support",
    "assistance",
    "aide",
    "aides",
    "soutien",
    "le",
    "la",
    "les",
    "l",
    "de",
    "des",
    "du",
    "d",
    "et",
    "pour",
    "un",
    "une",
    "au",
    "aux",
    "en",
    "a",
    "mon",
    "ma",
    "mes",
    "j",
    "ai",
    "besoin",
    "je",
    "is",
    "am",
    "line",
    "lines",
    "ligne",
    "lignes",
];

/// Light stemming for the built-in matcher: plural `s`/`x` dropped from longer words.
fn stem(word: &str) -> &str {
    if word.len() > 4 {
        word.strip_suffix('s')
            .or_else(|| word.strip_suffix('x'))
            .unwrap_or(word)
    } else {
        word
    }
}

/// Content words of a text, folded and stemmed.
pub(crate) fn content_words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut words: Vec<String> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
        .map(|w| stem(w).to_owned())
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Folded word stems that signal a crisis, English and French (matched as word prefixes).
const CRISIS_WORDS: &[&str] = &[
    "suicid",
    "selfharm",
    "automutil",
    "overdose",
    "surdose",
    "abuse",
    "abus",
    "violen",
    "battu",
    "beat",
    "assault",
    "agress",
];

/// Folded phrases that signal a crisis.
const CRISIS_PHRASES: &[&str] = &[
    "self harm",
    "kill myself",
    "end my life",
    "hurt myself",
    "me tuer",
    "mettre fin a mes jours",
    "me faire du mal",
    "en finir",
];

/// Built-in crisis detection (used until the text module's detector is wired in).
pub(crate) fn detect_crisis(text: &str) -> bool {
    let folded = fold(text);
    CRISIS_PHRASES.iter().any(|p| folded.contains(p))
        || folded
            .split(' ')
            .any(|w| CRISIS_WORDS.iter().any(|c| w.starts_with(c)))
}

/// Matches need text against the directory's taxonomy term names (every language) and the
/// services' own words.
#[derive(Debug, Default)]
pub(crate) struct NeedResolver {
    /// Content words of each term's names (per language), by term index.
    term_words: Vec<Vec<Vec<String>>>,
    /// Word → services whose name or description contains it.
    service_words: HashMap<String, Vec<u32>>,
}

impl NeedResolver {
    pub(crate) fn new<'a>(
        term_names: impl Iterator<Item = &'a Text>,
        service_texts: impl Iterator<Item = (u32, [&'a Text; 2])>,
    ) -> Self {
        let term_words = term_names
            .map(|name| {
                name.all()
                    .map(content_words)
                    .filter(|w| !w.is_empty())
                    .collect()
            })
            .collect();
        let mut service_words: HashMap<String, Vec<u32>> = HashMap::new();
        for (svc, texts) in service_texts {
            for t in texts {
                for s in t.all() {
                    for w in content_words(s) {
                        let list = service_words.entry(w).or_default();
                        if list.last() != Some(&svc) {
                            list.push(svc);
                        }
                    }
                }
            }
        }
        Self {
            term_words,
            service_words,
        }
    }

    /// Resolves a need. `codes` are the directory's term codes by index.
    pub(crate) fn resolve(
        &self,
        text: Option<&str>,
        need_terms: &[TermCode],
        codes: &[TermCode],
    ) -> ResolvedNeed {
        let mut seeds: Vec<(TermCode, NeedMatchKind)> = need_terms
            .iter()
            .map(|t| (t.clone(), NeedMatchKind::Exact))
            .collect();
        let mut crisis = false;
        let mut words = Vec::new();
        if let Some(text) = text {
            crisis = detect_crisis(text);
            words = content_words(text);
            for (i, names) in self.term_words.iter().enumerate() {
                let hit = names.iter().any(|name| {
                    let overlap = name.iter().filter(|w| words.contains(w)).count();
                    overlap > 0 && overlap * 2 >= name.len()
                });
                if let (true, Some(code)) = (hit, codes.get(i)) {
                    seeds.push((code.clone(), NeedMatchKind::Synonym));
                }
            }
        }
        if crisis {
            for c in CRISIS_TERMS {
                if let Ok(code) = TermCode::new(c) {
                    seeds.push((code, NeedMatchKind::Synonym));
                }
            }
        }
        let terms = expand(&seeds, codes);
        let mut text_services = Vec::new();
        if terms.is_empty() && !words.is_empty() {
            // Fall back on the services' own words: every content word must appear.
            let mut lists: Vec<&Vec<u32>> = Vec::new();
            for w in &words {
                match self.service_words.get(w) {
                    Some(list) => lists.push(list),
                    None => {
                        lists.clear();
                        break;
                    }
                }
            }
            if let Some((first, rest)) = lists.split_first() {
                text_services = first
                    .iter()
                    .copied()
                    .filter(|s| rest.iter().all(|l| l.binary_search(s).is_ok()))
                    .collect();
            }
        }
        ResolvedNeed {
            terms,
            text_services,
            crisis,
        }
    }
}

/// Expands seed terms over the directory's codes: the term itself, its descendants
/// (narrower) and its ancestors (broader), keeping the best kind per term.
pub(crate) fn expand(
    seeds: &[(TermCode, NeedMatchKind)],
    codes: &[TermCode],
) -> Vec<(u32, NeedMatchKind)> {
    let mut out = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let mut best: Option<NeedMatchKind> = None;
        for (seed, kind) in seeds {
            let k = if code == seed {
                Some(*kind)
            } else if code.is_within(seed) {
                Some((*kind).min(NeedMatchKind::Descendant))
            } else if seed.is_within(code) && code.as_str().contains(['.', '-']) {
                // broader, but never a whole top-level category
                Some(NeedMatchKind::Broader)
            } else {
                None
            };
            best = best.max(k);
        }
        if let (Some(k), Ok(i)) = (best, u32::try_from(i)) {
            out.push((i, k));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_words() {
        assert_eq!(fold("Pensées  suicidaires!"), "pensees suicidaires");
        assert_eq!(
            content_words("Banques alimentaires"),
            vec!["alimentaire", "banque"]
        );
    }

    #[test]
    fn crisis_words_fr_en() {
        assert!(detect_crisis("pensées suicidaires"));
        assert!(detect_crisis("I want to kill myself"));
        assert!(detect_crisis("violence conjugale"));
        assert!(!detect_crisis("banque alimentaire"));
    }

    #[test]
    fn expansion_kinds() {
        let codes: Vec<TermCode> = ["food", "food.bank", "food.bank.x", "housing"]
            .iter()
            .map(|c| TermCode::new(c).unwrap())
            .collect();
        let got = expand(
            &[(TermCode::new("food.bank").unwrap(), NeedMatchKind::Exact)],
            &codes,
        );
        assert_eq!(
            got,
            vec![(1, NeedMatchKind::Exact), (2, NeedMatchKind::Descendant)]
        );
    }
}
