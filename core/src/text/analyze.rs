//! The matcher's entry point: [`Analyzer::analyze`] turns need text into taxonomy terms,
//! search stems, a language guess and a crisis flag.

use foldhash::{HashMap, HashSet, HashSetExt};

use super::crisis::{detect_crisis, CrisisKind};
use super::dictionary::{Correction, TokenDictionary};
use super::error::TextError;
use super::lexicon::{Lexicon, PhraseKind, QueryWord};
use super::normalize::{has_french_marks, normalize, words};
use super::stem::{is_stop_word, stem, LanguageVotes, NeedLanguage};
use crate::{model::LangCode, model::TermCode};

/// Longest need text [`Analyzer::analyze`] accepts, in bytes (UTF-8). Longer text is rejected
/// with [`TextError::NeedTooLong`] rather than truncated, so a caller never acts on half a
/// sentence; a need typed by a call-taker or a resident is far shorter.
pub const MAX_NEED_BYTES: usize = 1024;

/// Weight of a descendant relative to the term it was expanded from.
const DESCENDANT_FACTOR: f64 = 0.8;

/// How a term was found, so the ranker can weight it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MatchKind {
    /// The need names the term: its own name ("food banks") or its code ("food.bank").
    Term,
    /// A lexicon synonym or everyday phrasing ("j'ai faim", "behind on rent").
    Synonym,
    /// A lexicon phrase, matched once a misspelled word was corrected ("recherche d'emplio").
    Fuzzy,
    /// A directory term below a matched term (`food.bank` for a need matched to `food`).
    Descendant,
}

impl MatchKind {
    /// The default weight of a direct match of this kind, in `(0, 1]`. Descendants get
    /// 0.8 × the weight of the term they come from.
    pub fn weight(self) -> f64 {
        match self {
            Self::Term => 1.0,
            Self::Synonym => 0.9,
            Self::Fuzzy => 0.7,
            Self::Descendant => DESCENDANT_FACTOR,
        }
    }
}

/// A taxonomy term the need maps to.
#[derive(Debug, Clone, PartialEq)]
pub struct TermMatch {
    /// The term code.
    pub code: TermCode,
    /// How it was found.
    pub kind: MatchKind,
    /// Strength in `(0, 1]`: [`MatchKind::weight`], reduced for descendants.
    pub weight: f64,
    /// The lexicon phrase that matched (lexicon text, never the resident's words); for a
    /// descendant, the phrase of the term it comes from; for a typed code, the code.
    pub phrase: String,
}

/// One word of the need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word as typed, normalised (lower case, accents folded).
    pub text: String,
    /// The known word it was corrected to, when it looked misspelled.
    pub correction: Option<Correction>,
    /// True for a stop word ("de", "the", "j"): kept for crisis detection, not searched.
    pub stop: bool,
    /// Stems of [`Token::word`]: in the guessed language, or French then English when the
    /// language is unknown (one stem when both agree). Empty for stop words.
    pub stems: Vec<String>,
}

impl Token {
    /// The word after correction.
    pub fn word(&self) -> &str {
        self.correction.as_ref().map_or(&self.text, |c| &c.token)
    }
}

/// What [`Analyzer::analyze`] understood of a need.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedAnalysis {
    /// The guessed language of the need.
    pub language: NeedLanguage,
    /// Every word, in order (stop words included and flagged).
    pub tokens: Vec<Token>,
    /// Matched terms, strongest first, one per code.
    pub terms: Vec<TermMatch>,
    /// A crisis the need describes ([`detect_crisis`]); the matcher should put crisis
    /// services first and show emergency numbers.
    pub crisis: Option<CrisisKind>,
}

impl NeedAnalysis {
    /// The distinct stems of the content words, in order: the tokens to search service text
    /// with (stem that text with [`Analyzer::document_stems`]).
    pub fn search_stems(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.tokens
            .iter()
            .flat_map(|t| t.stems.iter().map(String::as_str))
            .filter(|s| seen.insert(*s))
            .collect()
    }

    /// The matched terms plus the directory codes below them; see [`expand_terms`].
    pub fn expanded_terms(&self, directory_codes: &[TermCode]) -> Vec<TermMatch> {
        expand_terms(&self.terms, directory_codes)
    }
}

/// Adds to `terms` every directory code that lies below one of them in the code hierarchy
/// ([`TermCode::is_within`]), as [`MatchKind::Descendant`] with 0.8 × the weight of its
/// strongest ancestor. A need for `food` thus reaches services tagged `food.bank`,
/// `food.meals` and `food.delivery`. Codes already in `terms` keep their own match. The
/// result is sorted strongest first, then by code.
///
/// # Examples
/// ```
/// use passerelle::model::TermCode;
/// use passerelle::text::{expand_terms, Analyzer, MatchKind};
/// let need = Analyzer::standard().analyze("nourriture").unwrap();
/// let directory: Vec<TermCode> = ["food.bank", "food.meals", "housing.rent"]
///     .iter().map(|c| TermCode::new(c).unwrap()).collect();
/// let terms = expand_terms(&need.terms, &directory);
/// let bank = terms.iter().find(|t| t.code.as_str() == "food.bank").unwrap();
/// assert_eq!(bank.kind, MatchKind::Descendant);
/// assert!(terms.iter().all(|t| t.code.as_str() != "housing.rent"));
/// ```
pub fn expand_terms(terms: &[TermMatch], directory_codes: &[TermCode]) -> Vec<TermMatch> {
    let mut out: Vec<TermMatch> = terms.to_vec();
    let matched: HashSet<&TermCode> = terms.iter().map(|t| &t.code).collect();
    let mut added: HashSet<&TermCode> = HashSet::new();
    for code in directory_codes {
        if matched.contains(code) || added.contains(code) {
            continue;
        }
        let best = terms
            .iter()
            .filter(|t| code.is_within(&t.code))
            .max_by(|a, b| a.weight.total_cmp(&b.weight));
        if let Some(parent) = best {
            added.insert(code);
            out.push(TermMatch {
                code: code.clone(),
                kind: MatchKind::Descendant,
                weight: parent.weight * DESCENDANT_FACTOR,
                phrase: parent.phrase.clone(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.code.cmp(&b.code))
    });
    out
}

/// Turns need text into taxonomy terms, search stems, a language guess and a crisis flag.
/// Built once from a [`Lexicon`] and the directory's texts (their words are what typos are
/// corrected towards), then shared (it is `Send + Sync`, and `analyze` takes `&self`).
///
/// # Examples
/// ```
/// use passerelle::text::{Analyzer, Lexicon, MatchKind};
/// let analyzer =
///     Analyzer::new(Lexicon::standard(), ["Centre d'emploi d'Ottawa", "Ottawa Food Bank"]);
///
/// let need = analyzer.analyze("recherche d'emplio").unwrap();
/// let top = &need.terms[0];
/// assert_eq!(top.code.as_str(), "employment.jobsearch");
/// assert_eq!(top.kind, MatchKind::Fuzzy);
/// assert_eq!(need.tokens[2].word(), "emploi");
///
/// let need = analyzer.analyze("I'm behind on rent").unwrap();
/// assert_eq!(need.terms[0].code.as_str(), "housing.rent");
/// assert!(need.search_stems().contains(&"rent"));
///
/// assert!(analyzer.analyze(&"a".repeat(2000)).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Analyzer {
    lexicon: Lexicon,
    dictionary: TokenDictionary,
    /// French and English stems of every dictionary word: a word with a known stem is an
    /// inflection ("loyers"), not a typo.
    known_stems: HashSet<String>,
    /// Lexicon codes by their text, to recognise a typed code.
    codes: HashMap<String, TermCode>,
}

impl Analyzer {
    /// Builds an analyzer from a lexicon and the directory's texts (service names, descriptions
    /// …): every word of two characters or more, with the lexicon's phrases and the crisis
    /// vocabulary, is a word typos are corrected towards.
    pub fn new<I>(lexicon: Lexicon, directory_texts: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        Self::with_dictionary(lexicon, TokenDictionary::build(directory_texts))
    }

    /// [`Analyzer::new`] from a dictionary already built (the navigator's, which also feeds
    /// the retrieval index).
    pub(crate) fn with_dictionary(lexicon: Lexicon, mut dictionary: TokenDictionary) -> Self {
        dictionary.extend(lexicon.phrases());
        dictionary.extend(super::crisis::VOCABULARY);
        let known_stems = dictionary
            .words()
            .flat_map(|w| {
                [
                    stem(w, NeedLanguage::French),
                    stem(w, NeedLanguage::English),
                ]
            })
            .collect();
        let codes = lexicon
            .codes()
            .into_iter()
            .map(|c| (c.as_str().to_owned(), c.clone()))
            .collect();
        Self {
            lexicon,
            dictionary,
            known_stems,
            codes,
        }
    }

    /// An analyzer with [`Lexicon::standard`] and no directory words.
    pub fn standard() -> Self {
        Self::with_dictionary(Lexicon::standard(), TokenDictionary::new())
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Analyses need text of at most [`MAX_NEED_BYTES`] bytes. Any UTF-8 is accepted; text
    /// with no words gives an analysis with no tokens and no terms.
    ///
    /// # Errors
    /// [`TextError::NeedTooLong`] above [`MAX_NEED_BYTES`].
    pub fn analyze(&self, need: &str) -> Result<NeedAnalysis, TextError> {
        if need.len() > MAX_NEED_BYTES {
            return Err(TextError::NeedTooLong {
                len: need.len(),
                max: MAX_NEED_BYTES,
            });
        }
        let folded = normalize(need);
        let mut votes = LanguageVotes::default();
        if has_french_marks(need) {
            votes.fr += 1;
        }
        let mut tokens: Vec<Token> = words(&folded)
            .map(|w| {
                let stop = is_stop_word(w);
                let correction = if stop { None } else { self.correct(w) };
                Token {
                    text: w.to_owned(),
                    correction,
                    stop,
                    stems: Vec::new(),
                }
            })
            .collect();
        for t in &tokens {
            if t.stop {
                votes.add_stop_word(&t.text);
            } else {
                match self.lexicon.word_language(t.word()) {
                    Some(NeedLanguage::French) => votes.fr += 1,
                    Some(NeedLanguage::English) => votes.en += 1,
                    _ => {}
                }
            }
        }
        let language = votes.guess();
        let mut query = Vec::new();
        for t in tokens.iter_mut().filter(|t| !t.stop) {
            let q = QueryWord::new(t.word().to_owned(), t.correction.is_some());
            t.stems = match language {
                NeedLanguage::French => vec![q.fr.clone()],
                NeedLanguage::English => vec![q.en.clone()],
                NeedLanguage::Unknown if q.fr == q.en => vec![q.fr.clone()],
                NeedLanguage::Unknown => vec![q.fr.clone(), q.en.clone()],
            };
            query.push(q);
        }
        let mut terms = self.typed_codes(need);
        for hit in self.lexicon.find(&query) {
            let Some(entry) = self.lexicon.entries().get(hit.entry) else {
                continue;
            };
            let kind = match (hit.fuzzy, entry.kind) {
                (true, _) => MatchKind::Fuzzy,
                (false, PhraseKind::Name) => MatchKind::Term,
                (false, _) => MatchKind::Synonym,
            };
            for code in &entry.codes {
                push_best(
                    &mut terms,
                    TermMatch {
                        code: code.clone(),
                        kind,
                        weight: kind.weight(),
                        phrase: entry.phrase.clone(),
                    },
                );
            }
        }
        // Stable: equal weights keep the order of appearance in the need.
        terms.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        let mut analysis = NeedAnalysis {
            language,
            tokens,
            terms,
            crisis: None,
        };
        analysis.crisis = detect_crisis(&analysis);
        Ok(analysis)
    }

    /// Stems of the content words of directory text (a service name or description) in its
    /// language, or in French and English when `lang` is `None` or neither: the other side of
    /// [`NeedAnalysis::search_stems`]. No typo correction is applied to directory text.
    ///
    /// # Examples
    /// ```
    /// use passerelle::model::LangCode;
    /// use passerelle::text::Analyzer;
    /// let analyzer = Analyzer::standard();
    /// let doc = analyzer.document_stems("Banques alimentaires d'Ottawa", Some(&LangCode::fr()));
    /// assert_eq!(doc, ["banqu", "alimentair", "ottaw"]);
    /// let need = analyzer.analyze("banque alimentaire").unwrap();
    /// assert!(need.search_stems().iter().all(|s| doc.iter().any(|d| d == s)));
    /// ```
    pub fn document_stems(&self, text: &str, lang: Option<&LangCode>) -> Vec<String> {
        let language = lang.map_or(NeedLanguage::Unknown, NeedLanguage::from_code);
        let folded = normalize(text);
        let mut out = Vec::new();
        for w in words(&folded).filter(|w| !is_stop_word(w)) {
            match language {
                NeedLanguage::French | NeedLanguage::English => out.push(stem(w, language)),
                NeedLanguage::Unknown => {
                    let fr = stem(w, NeedLanguage::French);
                    let en = stem(w, NeedLanguage::English);
                    if fr != en {
                        out.push(en);
                    }
                    out.push(fr);
                }
            }
        }
        out
    }

    fn correct(&self, word: &str) -> Option<Correction> {
        if word.chars().any(|c| c.is_ascii_digit())
            || self.dictionary.contains(word)
            || self.known_stems.contains(&stem(word, NeedLanguage::French))
            || self
                .known_stems
                .contains(&stem(word, NeedLanguage::English))
        {
            return None;
        }
        self.dictionary.correct(word)
    }

    /// Lexicon codes typed as such ("food.bank", "101-02-01").
    fn typed_codes(&self, need: &str) -> Vec<TermMatch> {
        let mut out = Vec::new();
        for raw in need.split_whitespace() {
            let raw = raw.trim_matches(|c: char| !c.is_alphanumeric());
            if let Some(code) = self.codes.get(raw) {
                push_best(
                    &mut out,
                    TermMatch {
                        code: code.clone(),
                        kind: MatchKind::Term,
                        weight: MatchKind::Term.weight(),
                        phrase: code.as_str().to_owned(),
                    },
                );
            }
        }
        out
    }
}

/// Adds a match, or keeps the stronger one when the code is already there.
fn push_best(terms: &mut Vec<TermMatch>, m: TermMatch) {
    match terms.iter_mut().find(|t| t.code == m.code) {
        Some(t) if t.weight < m.weight => *t = m,
        Some(_) => {}
        None => terms.push(m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(a: &Analyzer, need: &str) -> Vec<String> {
        a.analyze(need)
            .unwrap()
            .terms
            .iter()
            .map(|t| t.code.to_string())
            .collect()
    }

    #[test]
    fn too_long_is_an_error_and_limit_is_inclusive() {
        let a = Analyzer::standard();
        assert!(a.analyze(&"x".repeat(MAX_NEED_BYTES)).is_ok());
        assert_eq!(
            a.analyze(&"x".repeat(MAX_NEED_BYTES + 1)),
            Err(TextError::NeedTooLong {
                len: MAX_NEED_BYTES + 1,
                max: MAX_NEED_BYTES
            })
        );
    }

    #[test]
    fn empty_and_punctuation_only() {
        let a = Analyzer::standard();
        let n = a.analyze("  ?!… ").unwrap();
        assert!(n.tokens.is_empty() && n.terms.is_empty() && n.crisis.is_none());
        assert_eq!(n.language, NeedLanguage::Unknown);
    }

    #[test]
    fn typed_codes_are_terms() {
        let a = Analyzer::standard();
        let n = a.analyze("food.bank, 101-02-01").unwrap();
        assert!(n
            .terms
            .iter()
            .any(|t| t.code.as_str() == "food.bank" && t.kind == MatchKind::Term));
        assert!(n
            .terms
            .iter()
            .any(|t| t.code.as_str() == "101-02-01" && t.kind == MatchKind::Term));
    }

    #[test]
    fn inflections_are_not_typos() {
        let a = Analyzer::standard();
        let n = a.analyze("loyers impayés").unwrap();
        assert_eq!(n.tokens[0].correction, None);
        assert_eq!(n.terms[0].kind, MatchKind::Synonym);
    }

    #[test]
    fn names_outrank_synonyms_and_fuzzy() {
        let a = Analyzer::standard();
        assert_eq!(
            a.analyze("food banks").unwrap().terms[0].kind,
            MatchKind::Term
        );
        let pantry = a.analyze("food pantry").unwrap();
        let bank = pantry
            .terms
            .iter()
            .find(|t| t.code.as_str() == "food.bank")
            .unwrap();
        assert_eq!(bank.kind, MatchKind::Synonym);
        assert!(MatchKind::Term.weight() > MatchKind::Synonym.weight());
        assert!(MatchKind::Synonym.weight() > MatchKind::Fuzzy.weight());
    }

    #[test]
    fn expansion_keeps_direct_matches_and_weights_descendants() {
        let a = Analyzer::standard();
        let n = a.analyze("housing").unwrap();
        let dir: Vec<TermCode> = ["housing", "housing.rent", "housing.shelter", "food.bank"]
            .iter()
            .map(|c| TermCode::new(c).unwrap())
            .collect();
        let t = n.expanded_terms(&dir);
        let get = |c: &str| t.iter().find(|m| m.code.as_str() == c);
        assert_eq!(get("housing").unwrap().kind, MatchKind::Term);
        let rent = get("housing.rent").unwrap();
        assert_eq!(rent.kind, MatchKind::Descendant);
        assert!((rent.weight - 0.8).abs() < 1e-9);
        assert!(get("food.bank").is_none());
        assert_eq!(codes(&a, "housing"), ["housing", "103"]);
    }

    #[test]
    fn language_guess() {
        let a = Analyzer::standard();
        assert_eq!(
            a.analyze("aide au loyer").unwrap().language,
            NeedLanguage::French
        );
        assert_eq!(a.analyze("santé").unwrap().language, NeedLanguage::French);
        assert_eq!(
            a.analyze("rent help").unwrap().language,
            NeedLanguage::English
        );
        let n = a.analyze("meals").unwrap();
        assert_eq!(n.language, NeedLanguage::English);
        assert_eq!(n.tokens[0].stems, ["meal"]);
        let n = a.analyze("xyzzy").unwrap();
        assert_eq!(n.language, NeedLanguage::Unknown);
    }
}
