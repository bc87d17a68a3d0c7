//! The need lexicon: phrases in French and English mapped to taxonomy codes.

use std::collections::{BTreeSet, HashMap};

use super::error::TextError;
use super::normalize::{normalize, words};
use super::stem::{is_stop_word, singular, stem, NeedLanguage};
use crate::{model::LangCode, model::TermCode};

/// The passerelle needs lexicon (conventions §5 codes), embedded.
const NEEDS_CSV: &str = include_str!("../../data/lexicon/needs.csv");
/// Phrases for the Open Eligibility codes of the San Mateo sample (CC BY-SA 3.0), embedded.
const OPEN_ELIGIBILITY_CSV: &str = include_str!("../../data/lexicon/open_eligibility.csv");

/// Whether a lexicon phrase is the term's own name or another way of saying it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PhraseKind {
    /// The term's name ("Food banks", "Banques alimentaires").
    Name,
    /// A synonym or everyday phrasing ("food pantry", "j'ai faim").
    Synonym,
}

/// One lexicon row: a phrase, its language and the codes it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconEntry {
    /// The phrase as written ("arriérés de loyer").
    pub phrase: String,
    /// Its language; `fr` and `en` phrases are stemmed, others are matched on folded words.
    pub lang: LangCode,
    /// The taxonomy codes the phrase stands for (at least one).
    pub codes: Vec<TermCode>,
    /// Name or synonym.
    pub kind: PhraseKind,
}

/// A phrase reduced to what matching compares: content words, their stems and singulars.
#[derive(Debug, Clone)]
struct CompiledPhrase {
    lang: NeedLanguage,
    stems: Vec<String>,
    singulars: Vec<String>,
}

/// A word of the query, with every key phrase matching may compare.
#[derive(Debug, Clone)]
pub(crate) struct QueryWord {
    /// The word after correction (folded).
    pub(crate) word: String,
    pub(crate) fr: String,
    pub(crate) en: String,
    pub(crate) singular: String,
    /// True when `word` is a typo correction.
    pub(crate) corrected: bool,
}

impl QueryWord {
    pub(crate) fn new(word: String, corrected: bool) -> Self {
        Self {
            fr: stem(&word, NeedLanguage::French),
            en: stem(&word, NeedLanguage::English),
            singular: singular(&word).to_owned(),
            word,
            corrected,
        }
    }

    fn stem(&self, lang: NeedLanguage) -> &str {
        match lang {
            NeedLanguage::French => &self.fr,
            NeedLanguage::English => &self.en,
            NeedLanguage::Unknown => &self.word,
        }
    }
}

/// A phrase found in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhraseHit {
    /// Index into [`Lexicon::entries`].
    pub(crate) entry: usize,
    /// Position of the first content word.
    pub(crate) start: usize,
    /// Number of content words.
    pub(crate) len: usize,
    /// True when a typo correction was needed.
    pub(crate) fuzzy: bool,
}

/// The need lexicon: phrases in several languages mapped to taxonomy codes, matched on
/// normalised, stemmed word sequences (stop words removed), longest phrase first.
///
/// [`Lexicon::standard`] holds phrases for every code of the sample directory's taxonomies
/// (needs, populations, delivery) and for common Open Eligibility codes; a deployer adds more.
///
/// # Examples
/// ```
/// use passerelle::model::{LangCode, TermCode};
/// use passerelle::text::Lexicon;
/// let mut lexicon = Lexicon::standard();
/// lexicon.add("frigo communautaire", LangCode::fr(), TermCode::new("food.bank").unwrap()).unwrap();
/// assert!(lexicon.entries().iter().any(|e| e.phrase == "popote roulante"));
///
/// let custom = Lexicon::from_csv_str("phrase,lang,codes,kind\ncommunity fridge,en,food.bank,\n").unwrap();
/// assert_eq!(custom.len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    entries: Vec<LexiconEntry>,
    compiled: Vec<CompiledPhrase>,
    /// Phrase indices by the singular of their first word.
    by_singular: HashMap<String, Vec<u32>>,
    /// Phrase indices by the stem of their first word, for French, English and other phrases.
    by_stem: [HashMap<String, Vec<u32>>; 3],
    /// For each folded content word: (in a French phrase, in an English phrase).
    word_langs: HashMap<String, (bool, bool)>,
}

fn lang_slot(lang: NeedLanguage) -> usize {
    match lang {
        NeedLanguage::French => 0,
        NeedLanguage::English => 1,
        NeedLanguage::Unknown => 2,
    }
}

impl Lexicon {
    /// An empty lexicon.
    pub fn new() -> Self {
        Self::default()
    }

    /// The lexicon shipped with passerelle: `core/data/lexicon/needs.csv` (conventions §5 codes)
    /// and `open_eligibility.csv` (Open Eligibility codes, CC BY-SA 3.0).
    pub fn standard() -> Self {
        let mut lexicon = Self::new();
        // Both files are checked by the tests; a broken row can only come from an edit that
        // fails them, so a failure here leaves the rows read so far rather than panicking.
        let _ = lexicon.extend_from_csv_str(NEEDS_CSV);
        let _ = lexicon.extend_from_csv_str(OPEN_ELIGIBILITY_CSV);
        lexicon
    }

    /// Reads a lexicon from CSV text: a header `phrase,lang,codes,kind`, then one row per
    /// phrase; `codes` is space-separated, `kind` is `name` or empty; `#` starts a comment line.
    ///
    /// # Errors
    /// [`TextError::Lexicon`] with the line number of the first bad row.
    pub fn from_csv_str(csv: &str) -> Result<Self, TextError> {
        let mut lexicon = Self::new();
        lexicon.extend_from_csv_str(csv)?;
        Ok(lexicon)
    }

    /// Adds the rows of CSV text in the [`Lexicon::from_csv_str`] format. Rows before a bad row
    /// are kept.
    ///
    /// # Errors
    /// [`TextError::Lexicon`] with the line number of the first bad row.
    pub fn extend_from_csv_str(&mut self, csv: &str) -> Result<(), TextError> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(csv.as_bytes());
        for record in reader.records() {
            let record = record.map_err(|e| TextError::Lexicon {
                line: e.position().map_or(0, csv::Position::line),
                reason: "not valid CSV".to_owned(),
            })?;
            let line = record.position().map_or(0, csv::Position::line);
            let err = |reason: String| TextError::Lexicon { line, reason };
            let field = |i: usize| record.get(i).unwrap_or_default();
            if record.iter().all(str::is_empty) {
                continue;
            }
            let lang = LangCode::new(field(1)).map_err(|e| err(e.to_string()))?;
            let codes = field(2)
                .split_whitespace()
                .map(TermCode::new)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| err(e.to_string()))?;
            let kind = match field(3) {
                "" | "synonym" => PhraseKind::Synonym,
                "name" => PhraseKind::Name,
                _ => return Err(err("kind must be \"name\", \"synonym\" or empty".to_owned())),
            };
            self.push(
                LexiconEntry {
                    phrase: field(0).to_owned(),
                    lang,
                    codes,
                    kind,
                },
                line,
            )?;
        }
        Ok(())
    }

    /// Adds a synonym phrase for one code.
    ///
    /// # Errors
    /// [`TextError::Lexicon`] (line 0) when the phrase has no word left after stop words.
    pub fn add(&mut self, phrase: &str, lang: LangCode, code: TermCode) -> Result<(), TextError> {
        self.add_entry(LexiconEntry {
            phrase: phrase.to_owned(),
            lang,
            codes: vec![code],
            kind: PhraseKind::Synonym,
        })
    }

    /// Adds an entry (several codes, or a term's own name). Directory term names in both
    /// languages can be added this way with [`PhraseKind::Name`].
    ///
    /// # Errors
    /// [`TextError::Lexicon`] (line 0) when the phrase has no word left after stop words, or
    /// the entry has no code.
    pub fn add_entry(&mut self, entry: LexiconEntry) -> Result<(), TextError> {
        self.push(entry, 0)
    }

    fn push(&mut self, entry: LexiconEntry, line: u64) -> Result<(), TextError> {
        let err = |reason: &str| TextError::Lexicon {
            line,
            reason: reason.to_owned(),
        };
        if entry.codes.is_empty() {
            return Err(err("no taxonomy code"));
        }
        let lang = NeedLanguage::from_code(&entry.lang);
        let folded = normalize(&entry.phrase);
        let content: Vec<&str> = words(&folded).filter(|w| !is_stop_word(w)).collect();
        let (Some(first), Ok(index)) = (content.first(), u32::try_from(self.entries.len())) else {
            return Err(err("phrase has no word left once stop words are removed"));
        };
        let compiled = CompiledPhrase {
            lang,
            stems: content.iter().map(|w| stem(w, lang)).collect(),
            singulars: content.iter().map(|w| singular(w).to_owned()).collect(),
        };
        self.by_singular
            .entry(singular(first).to_owned())
            .or_default()
            .push(index);
        if let (Some(first_stem), Some(map)) = (
            compiled.stems.first(),
            self.by_stem.get_mut(lang_slot(lang)),
        ) {
            map.entry(first_stem.clone()).or_default().push(index);
        }
        for w in &content {
            let slot = self.word_langs.entry((*w).to_owned()).or_default();
            match lang {
                NeedLanguage::French => slot.0 = true,
                NeedLanguage::English => slot.1 = true,
                NeedLanguage::Unknown => {}
            }
        }
        self.entries.push(entry);
        self.compiled.push(compiled);
        Ok(())
    }

    /// Every entry, in the order added.
    pub fn entries(&self) -> &[LexiconEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the lexicon has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every distinct code the lexicon maps to.
    pub fn codes(&self) -> BTreeSet<&TermCode> {
        self.entries.iter().flat_map(|e| e.codes.iter()).collect()
    }

    /// The phrases, whose words an [`Analyzer`](crate::text::Analyzer) corrects typos towards.
    pub fn phrases(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.phrase.as_str())
    }

    /// Whether a folded content word is French-only (`Some(French)`), English-only, or
    /// neither/both (`None`) in this lexicon.
    pub(crate) fn word_language(&self, word: &str) -> Option<NeedLanguage> {
        match self.word_langs.get(word) {
            Some((true, false)) => Some(NeedLanguage::French),
            Some((false, true)) => Some(NeedLanguage::English),
            _ => None,
        }
    }

    fn word_matches(&self, phrase: &CompiledPhrase, j: usize, q: &QueryWord) -> bool {
        let stem_ok = phrase
            .stems
            .get(j)
            .is_some_and(|s| s == q.stem(phrase.lang));
        stem_ok || phrase.singulars.get(j).is_some_and(|s| *s == q.singular)
    }

    /// Finds phrases in a sequence of content words, longest first: at each position the
    /// longest matching phrases (all of them, if several have that length) are taken and the
    /// scan resumes after them.
    pub(crate) fn find(&self, query: &[QueryWord]) -> Vec<PhraseHit> {
        let mut hits = Vec::new();
        let mut candidates: Vec<u32> = Vec::new();
        let mut i = 0;
        while let Some(q) = query.get(i) {
            candidates.clear();
            if let Some(v) = self.by_singular.get(&q.singular) {
                candidates.extend_from_slice(v);
            }
            for lang in [
                NeedLanguage::French,
                NeedLanguage::English,
                NeedLanguage::Unknown,
            ] {
                if let Some(v) = self
                    .by_stem
                    .get(lang_slot(lang))
                    .and_then(|m| m.get(q.stem(lang)))
                {
                    candidates.extend_from_slice(v);
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let mut best_len = 0;
            let start = hits.len();
            for &c in &candidates {
                let Some(phrase) = self.compiled.get(c as usize) else {
                    continue;
                };
                let len = phrase.stems.len();
                if len < best_len {
                    continue;
                }
                let Some(window) = query.get(i..i + len) else {
                    continue;
                };
                if !window
                    .iter()
                    .enumerate()
                    .all(|(j, q)| self.word_matches(phrase, j, q))
                {
                    continue;
                }
                if len > best_len {
                    hits.truncate(start);
                    best_len = len;
                }
                hits.push(PhraseHit {
                    entry: c as usize,
                    start: i,
                    len,
                    fuzzy: window.iter().any(|q| q.corrected),
                });
            }
            i += best_len.max(1);
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(text: &str) -> Vec<QueryWord> {
        let folded = normalize(text);
        words(&folded)
            .filter(|w| !is_stop_word(w))
            .map(|w| QueryWord::new(w.to_owned(), false))
            .collect()
    }

    fn codes(lexicon: &Lexicon, text: &str) -> Vec<String> {
        let mut out: Vec<String> = lexicon
            .find(&query(text))
            .into_iter()
            .flat_map(|h| {
                lexicon.entries()[h.entry]
                    .codes
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn embedded_files_parse() {
        let mut l = Lexicon::new();
        l.extend_from_csv_str(NEEDS_CSV).unwrap();
        let needs = l.len();
        assert!(needs > 400, "{needs}");
        l.extend_from_csv_str(OPEN_ELIGIBILITY_CSV).unwrap();
        assert!(l.len() > needs + 100);
        assert_eq!(Lexicon::standard().len(), l.len());
    }

    #[test]
    fn every_conventions_need_code_has_phrases_in_both_languages() {
        let l = Lexicon::standard();
        let needs = [
            "food",
            "food.bank",
            "food.meals",
            "food.delivery",
            "housing",
            "housing.rent",
            "housing.utilities",
            "housing.help",
            "housing.shelter",
            "income",
            "income.benefits",
            "income.tax",
            "health",
            "health.mental",
            "health.mental.crisis",
            "health.mental.counselling",
            "health.clinic",
            "health.homecare",
            "seniors",
            "seniors.centre",
            "transport",
            "transport.accessible",
            "employment",
            "employment.jobsearch",
            "employment.resume",
            "employment.skills",
            "legal",
            "legal.aid",
            "legal.consumer",
            "legal.reentry",
            "community",
            "community.cultural",
            "community.antiracism",
            "community.newcomers",
            "safety",
            "safety.violence",
        ];
        for code in needs {
            for lang in ["fr", "en"] {
                let n = l
                    .entries()
                    .iter()
                    .filter(|e| {
                        e.lang.as_str() == lang && e.codes.iter().any(|c| c.as_str() == code)
                    })
                    .count();
                let min = if code.contains('.') { 3 } else { 1 };
                assert!(n >= min, "{code} has {n} {lang} phrases");
            }
        }
    }

    #[test]
    fn longest_match_first() {
        let l = Lexicon::standard();
        assert_eq!(codes(&l, "crise du logement"), ["housing"]);
        assert!(codes(&l, "emergency shelter").contains(&"housing.shelter".to_owned()));
        assert!(!codes(&l, "emergency shelter").contains(&"101".to_owned()));
        assert_eq!(codes(&l, "banques alimentaires"), ["102-04", "food.bank"]);
    }

    #[test]
    fn stems_and_singulars_match() {
        let l = Lexicon::standard();
        assert!(codes(&l, "arriérés de loyers").contains(&"housing.rent".to_owned()));
        assert!(codes(&l, "loyers").contains(&"housing.rent".to_owned()));
        assert!(codes(&l, "hot meals").contains(&"food.meals".to_owned()));
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let err = Lexicon::from_csv_str("phrase,lang,codes,kind\nok,en,food,\nbad,english,food,\n")
            .unwrap_err();
        assert_eq!(
            err,
            TextError::Lexicon {
                line: 3,
                reason: err_reason(&err)
            }
        );
        assert!(Lexicon::from_csv_str("phrase,lang,codes\nthe,en,food\n").is_err());
        assert!(Lexicon::from_csv_str("phrase,lang,codes\nx,en,\n").is_err());
        assert!(Lexicon::from_csv_str("phrase,lang,codes,kind\nx,en,food,maybe\n").is_err());
        let l = Lexicon::from_csv_str("phrase,lang,codes\n# comment\n\nfridge,en,food food.bank\n")
            .unwrap();
        assert_eq!(l.entries()[0].codes.len(), 2);
    }

    fn err_reason(e: &TextError) -> String {
        match e {
            TextError::Lexicon { reason, .. } => reason.clone(),
            TextError::NeedTooLong { .. } => String::new(),
        }
    }

    #[test]
    fn word_languages() {
        let l = Lexicon::standard();
        assert_eq!(l.word_language("loyer"), Some(NeedLanguage::French));
        assert_eq!(l.word_language("rent"), Some(NeedLanguage::English));
        assert_eq!(l.word_language("cv"), None);
    }
}
