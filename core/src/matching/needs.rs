//! Need resolution: from a need (text and/or term codes) to the directory's taxonomy terms,
//! each with how it matched, plus crisis detection (through the text module).

use foldhash::{HashMap, HashMapExt};

use unicode_normalization::UnicodeNormalization;

use crate::model::{LangCode, TermCode, Text};
use crate::text::{
    normalize, Analyzer, CrisisKind, Lexicon, LexiconEntry, MatchKind, PhraseKind, TextError,
    TokenDictionary,
};

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
    /// The crisis the need expresses, if any.
    pub crisis: Option<CrisisKind>,
    /// Some taxonomy term was recognised (in the directory or not).
    pub understood: bool,
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

/// Matches need text through the text module's [`Analyzer`] (lexicon, typo dictionary,
/// stemming, crisis detection) and, when no term matches, the services' own word stems.
#[derive(Debug)]
pub(crate) struct NeedResolver {
    analyzer: Analyzer,
    /// Stem → services whose name or description contains it (ascending).
    service_stems: HashMap<String, Vec<u32>>,
}

impl NeedResolver {
    /// `lexicon` gets the directory's term names (every language) as [`PhraseKind::Name`];
    /// the typo dictionary gets the services' names and descriptions.
    pub(crate) fn new<'a>(
        mut lexicon: Lexicon,
        default_language: &LangCode,
        terms: impl Iterator<Item = (&'a TermCode, &'a Text)>,
        service_texts: impl Iterator<Item = (u32, [&'a Text; 2])>,
    ) -> Self {
        for (code, name) in terms {
            let langs = std::iter::once((default_language.clone(), name.value.as_str())).chain(
                name.translations
                    .iter()
                    .map(|(l, v)| (l.clone(), v.as_str())),
            );
            for (lang, phrase) in langs {
                // Names made only of stop words are refused by the lexicon: skip them.
                let _ = lexicon.add_entry(LexiconEntry {
                    phrase: phrase.to_owned(),
                    lang,
                    codes: vec![code.clone()],
                    kind: PhraseKind::Name,
                });
            }
        }
        // Directory text repeats itself (a name per city and category …): every distinct
        // text is normalised and stemmed once, in the order of its first occurrence, and
        // counted as often as it occurs.
        let mut text_pos: HashMap<&'a str, u32> = HashMap::new();
        let mut distinct: Vec<(&'a str, u32)> = Vec::new();
        let mut service_text_ids: Vec<(u32, u32)> = Vec::new();
        for (svc, texts) in service_texts {
            for t in texts {
                for s in t.all() {
                    let id = *text_pos.entry(s).or_insert_with(|| {
                        distinct.push((s, 0));
                        u32::try_from(distinct.len() - 1).unwrap_or(u32::MAX)
                    });
                    if let Some((_, count)) = distinct.get_mut(id as usize) {
                        *count = count.saturating_add(1);
                    }
                    service_text_ids.push((svc, id));
                }
            }
        }
        let folded: Vec<String> = distinct.iter().map(|(t, _)| normalize(t)).collect();
        let mut dictionary = TokenDictionary::new();
        for (f, (_, count)) in folded.iter().zip(&distinct) {
            dictionary.add_normalized(f, *count);
        }
        let analyzer = Analyzer::new(lexicon, dictionary);
        // Stems of each distinct text, as ids into `stems`.
        let mut stem_ids: HashMap<Box<str>, u32> = HashMap::new();
        let mut stems: Vec<(Box<str>, Vec<u32>)> = Vec::new();
        let mut text_stems: Vec<Vec<u32>> = Vec::with_capacity(distinct.len());
        let mut cache = HashMap::new();
        for text in &folded {
            let mut ids = Vec::new();
            analyzer.for_each_normalized_stem(text, &mut cache, |stem| {
                let id = match stem_ids.get(stem) {
                    Some(&id) => id,
                    None => {
                        let id = u32::try_from(stems.len()).unwrap_or(u32::MAX);
                        stem_ids.insert(stem.into(), id);
                        stems.push((stem.into(), Vec::new()));
                        id
                    }
                };
                ids.push(id);
            });
            text_stems.push(ids);
        }
        for (svc, text) in service_text_ids {
            for &stem in text_stems.get(text as usize).map_or(&[][..], Vec::as_slice) {
                if let Some((_, list)) = stems.get_mut(stem as usize) {
                    if list.last() != Some(&svc) {
                        list.push(svc);
                    }
                }
            }
        }
        let service_stems: HashMap<String, Vec<u32>> = stems
            .into_iter()
            .map(|(stem, list)| (stem.into_string(), list))
            .collect();
        Self {
            analyzer,
            service_stems,
        }
    }

    /// Resolves a need. `codes` are the directory's term codes by index; `has_services`
    /// tells whether any service is filed under a term (by index).
    pub(crate) fn resolve(
        &self,
        text: Option<&str>,
        need_terms: &[TermCode],
        codes: &[TermCode],
        has_services: impl Fn(u32) -> bool,
    ) -> Result<ResolvedNeed, TextError> {
        let mut seeds: Vec<(TermCode, NeedMatchKind)> = need_terms
            .iter()
            .map(|t| (t.clone(), NeedMatchKind::Exact))
            .collect();
        let mut crisis = None;
        let mut stems: Vec<String> = Vec::new();
        // Query::validate bounds the trimmed text; analyse exactly that.
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            let analysis = self.analyzer.analyze(text)?;
            crisis = analysis.crisis;
            for t in &analysis.terms {
                let kind = match t.kind {
                    MatchKind::Term => NeedMatchKind::Exact,
                    MatchKind::Fuzzy => NeedMatchKind::Fuzzy,
                    MatchKind::Descendant => NeedMatchKind::Descendant,
                    _ => NeedMatchKind::Synonym,
                };
                seeds.push((t.code.clone(), kind));
            }
            // "food bank" also names "food": keep the most specific terms the text names,
            // i.e. drop a broader term when a narrower one matched a longer phrase. A broader
            // term named as fully as a narrower one ("Food Banks" and its unqualified leaf
            // "Food Banks") is what the text names: it stays, and brings every narrower term
            // ("… for Seniors") with it.
            let words = |t: &crate::text::TermMatch| t.phrase.split_whitespace().count();
            let text_seeds = seeds.split_off(need_terms.len());
            let specific: Vec<(TermCode, NeedMatchKind)> = text_seeds
                .iter()
                .zip(&analysis.terms)
                .filter(|((c, _), tc)| {
                    !text_seeds
                        .iter()
                        .zip(&analysis.terms)
                        .any(|((o, _), to)| o != c && o.is_within(c) && words(to) > words(tc))
                })
                .map(|(seed, _)| seed.clone())
                .collect();
            seeds.extend(specific);
            stems = analysis
                .search_stems()
                .into_iter()
                .map(str::to_owned)
                .collect();
        }
        if let Some(kind) = crisis {
            let crisis_codes: &[&str] = match kind {
                CrisisKind::SuicideOrSelfHarm => &["health.mental.crisis"],
                CrisisKind::ViolenceOrAbuse => &["safety.violence"],
                _ => &CRISIS_TERMS,
            };
            for c in crisis_codes {
                if let Ok(code) = TermCode::new(c) {
                    seeds.push((code, NeedMatchKind::Synonym));
                }
            }
        }
        let understood = !seeds.is_empty();
        let terms = expand(&seeds, codes);
        let mut text_services = Vec::new();
        // Terms no service is filed under (a directory that categorises few services, or
        // none) must not hide the services whose own words name the need.
        if !terms.iter().any(|(t, _)| has_services(*t)) && !stems.is_empty() {
            // Fall back on the services' own words: every stem must appear.
            let lists: Option<Vec<&Vec<u32>>> =
                stems.iter().map(|s| self.service_stems.get(s)).collect();
            if let Some((first, rest)) = lists.as_deref().and_then(<[_]>::split_first) {
                text_services = first
                    .iter()
                    .copied()
                    .filter(|s| rest.iter().all(|l| l.binary_search(s).is_ok()))
                    .collect();
            }
        }
        Ok(ResolvedNeed {
            terms,
            text_services,
            crisis,
            understood,
        })
    }
}

/// Expands seed terms over the directory's codes: the term itself, its descendants
/// (narrower) and its ancestors (broader, except top-level categories), keeping the best
/// kind per term.
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
    fn folding() {
        assert_eq!(fold("Pensées  suicidaires!"), "pensees suicidaires");
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

    #[test]
    fn resolves_french_and_crisis() {
        let codes: Vec<TermCode> = ["food.bank", "health.mental.crisis", "housing.rent"]
            .iter()
            .map(|c| TermCode::new(c).unwrap())
            .collect();
        let r = NeedResolver::new(
            Lexicon::standard(),
            &LangCode::en(),
            std::iter::empty(),
            std::iter::empty(),
        );
        let food = r
            .resolve(Some("banque alimentaire"), &[], &codes, |_| true)
            .unwrap();
        assert!(food.terms.iter().any(|(t, _)| *t == 0));
        let crisis = r
            .resolve(Some("pensées suicidaires"), &[], &codes, |_| true)
            .unwrap();
        assert!(crisis.crisis.is_some());
        assert!(crisis.terms.iter().any(|(t, _)| *t == 1));
    }
}
