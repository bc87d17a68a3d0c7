//! Stemming (Snowball French and English), stop words and the language guess.
//!
//! Words are stemmed *after* folding. Measured on the lexicon's words: stemming the accented
//! form and folding the stem gives `pensées` → `pens` but `pensees` → `pense`, `électricité` →
//! `electr` but `electricite` → `electricit`, so a call-taker who types without accents would miss.
//! Folding first gives one stem for both spellings (`pense`, `electricit`, `refug`) and keeps
//! `logements`/`logement` (`log`), `banques`/`banque` (`banqu`) and `meals`/`meal` (`meal`) equal.
//! Snowball French is irregular on a few words (`loyer` → `loi` but `loyers` → `loyer`), so
//! matching also compares [`singular`] forms.

use rust_stemmers::{Algorithm, Stemmer};

use crate::model::LangCode;

/// The language of a short need text, as guessed from stop words, lexicon words and accents.
///
/// # Examples
/// ```
/// use passerelle::text::{Analyzer, NeedLanguage};
/// let analyzer = Analyzer::standard();
/// assert_eq!(analyzer.analyze("j'ai besoin d'une banque alimentaire").unwrap().language, NeedLanguage::French);
/// assert_eq!(analyzer.analyze("I need a food bank").unwrap().language, NeedLanguage::English);
/// assert_eq!(analyzer.analyze("CV").unwrap().language, NeedLanguage::Unknown);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NeedLanguage {
    /// French.
    French,
    /// English.
    English,
    /// Too short or too mixed to tell; words are stemmed both ways.
    Unknown,
}

impl NeedLanguage {
    /// The language code (`fr`, `en`), or `None` when unknown.
    pub fn code(self) -> Option<LangCode> {
        match self {
            Self::French => Some(LangCode::fr()),
            Self::English => Some(LangCode::en()),
            Self::Unknown => None,
        }
    }

    /// The language of a language code: French for `fr`/`fr-CA`, English for `en`, else unknown.
    pub fn from_code(code: &LangCode) -> Self {
        match code.primary() {
            "fr" => Self::French,
            "en" => Self::English,
            _ => Self::Unknown,
        }
    }
}

/// Stems a folded word in `lang`; an unknown language leaves the word as is.
pub(crate) fn stem(word: &str, lang: NeedLanguage) -> String {
    // Creating a Snowball stemmer only selects a function: no cost to keep.
    match lang {
        NeedLanguage::French => Stemmer::create(Algorithm::French).stem(word).into_owned(),
        NeedLanguage::English => Stemmer::create(Algorithm::English).stem(word).into_owned(),
        NeedLanguage::Unknown => word.to_owned(),
    }
}

/// A folded word without a final plural `s` or `x` (words of four letters or more).
pub(crate) fn singular(word: &str) -> &str {
    if word.chars().count() >= 4 {
        if let Some(w) = word.strip_suffix(['s', 'x']) {
            return w;
        }
    }
    word
}

/// French stop words, folded. Small and curated: articles, elided forms, pronouns, common
/// auxiliaries, prepositions and filler words of requests ("besoin", "svp"); verbs such as "find" or "trouver" stay, or
/// "find housing" would shrink to the name of another term. Negations are
/// included: they do not change which service is needed, and crisis detection reads every word.
const FR_STOP: &[&str] = &[
    "a", "ai", "as", "au", "aux", "avec", "avez", "avoir", "avons", "c", "ca", "ce", "ces", "cet",
    "cette", "chez", "d", "dans", "de", "des", "du", "elle", "elles", "en", "es", "est", "et",
    "etre", "il", "ils", "j", "je", "jusqu", "l", "la", "le", "les", "leur", "leurs", "lorsqu",
    "lui", "m", "ma", "mais", "me", "mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on",
    "ont", "ou", "par", "pas", "pour", "puisqu", "qu", "que", "qui", "s", "sa", "se", "ses", "si",
    "son", "sont", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
    "votre", "vous", "y", "besoin", "svp", "merci", "bonjour", "aimerais", "voudrais",
];

/// English stop words, folded (same policy as the French list).
const EN_STOP: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "d", "did", "do", "does", "don", "for", "from", "get", "had", "has", "have", "he",
    "her", "him", "his", "i", "im", "in", "is", "it", "its", "ll", "m", "me", "my", "need",
    "needs", "no", "not", "of", "on", "or", "our", "please", "re", "s", "she", "so", "some", "t",
    "that", "the", "their", "them", "they", "this", "to", "ve", "was", "we", "were", "what",
    "where", "which", "who", "will", "with", "would", "you", "your", "hi", "hello", "thanks",
];

/// True when `word` (folded) is a stop word of French or English. Both lists always apply, so
/// a phrase and a query are reduced the same way whatever language either is guessed to be.
pub(crate) fn is_stop_word(word: &str) -> bool {
    FR_STOP.contains(&word) || EN_STOP.contains(&word)
}

/// Counts of words that point to one language only.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct LanguageVotes {
    pub(crate) fr: u32,
    pub(crate) en: u32,
}

impl LanguageVotes {
    /// Adds the stop-word vote of one folded word.
    pub(crate) fn add_stop_word(&mut self, word: &str) {
        let fr = FR_STOP.contains(&word);
        let en = EN_STOP.contains(&word);
        if fr && !en {
            self.fr += 1;
        } else if en && !fr {
            self.en += 1;
        }
    }

    /// The guess: the language with more votes, else unknown.
    pub(crate) fn guess(self) -> NeedLanguage {
        match self.fr.cmp(&self.en) {
            std::cmp::Ordering::Greater => NeedLanguage::French,
            std::cmp::Ordering::Less => NeedLanguage::English,
            std::cmp::Ordering::Equal => NeedLanguage::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    fn stem(word: &str, lang: NeedLanguage) -> String {
        super::stem(&normalize(word), lang)
    }

    #[test]
    fn french_stem_equivalences() {
        let fr = NeedLanguage::French;
        for (a, b) in [
            ("logements", "logement"),
            ("banques", "banque"),
            ("pensées", "pensees"),
            ("pensées", "pensée"),
            ("électricité", "electricite"),
            ("réfugiés", "refugies"),
            ("arriérés", "arriéré"),
            ("suicidaires", "suicidaire"),
            ("entrevues", "entrevue"),
            ("arnaques", "arnaque"),
            ("compétences", "competences"),
        ] {
            assert_eq!(stem(a, fr), stem(b, fr), "{a} / {b}");
        }
    }

    #[test]
    fn english_stem_equivalences() {
        let en = NeedLanguage::English;
        for (a, b) in [
            ("meals", "meal"),
            ("banks", "bank"),
            ("jobs", "job"),
            ("resumes", "resume"),
            ("counselling", "counsel"),
            ("utilities", "utility"),
            ("newcomers", "newcomer"),
            ("abused", "abuse"),
            ("scams", "scam"),
        ] {
            assert_eq!(stem(a, en), stem(b, en), "{a} / {b}");
        }
    }

    #[test]
    fn singular_covers_stemmer_irregularities() {
        let fr = NeedLanguage::French;
        assert_ne!(stem("loyer", fr), stem("loyers", fr)); // Snowball quirk, see module docs
        assert_eq!(singular("loyers"), "loyer");
        assert_eq!(singular("emplois"), "emploi");
        assert_eq!(singular("bus"), "bus");
    }

    #[test]
    fn votes() {
        let mut v = LanguageVotes::default();
        for w in ["j", "ai", "besoin", "d", "une", "banque"] {
            v.add_stop_word(w);
        }
        assert_eq!(v.guess(), NeedLanguage::French);
        let mut v = LanguageVotes::default();
        for w in ["i", "need", "the", "food"] {
            v.add_stop_word(w);
        }
        assert_eq!(v.guess(), NeedLanguage::English);
        assert_eq!(LanguageVotes::default().guess(), NeedLanguage::Unknown);
    }
}
