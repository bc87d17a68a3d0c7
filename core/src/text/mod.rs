//! Text understanding: turns a need as typed by a call-taker or a resident ("banque
//! alimentaire", "behind on rent", "pensées suicidaires", "recherche d'emplio") into taxonomy
//! terms, search stems, a language guess and a crisis flag.
//!
//! The pipeline, all in [`Analyzer::analyze`]:
//!
//! 1. [`normalize`]: lower case, accents and ligatures folded, elisions and punctuation split.
//! 2. Stop words flagged (small French and English lists), the language guessed (French,
//!    English or unknown) from stop words, lexicon words and accents.
//! 3. Typos corrected against a dictionary of the directory's and lexicon's words (one
//!    edit from 5 letters, two from 9, same first letter).
//! 4. Words stemmed (Snowball, after folding) in the guessed language, or both when unknown.
//! 5. [`Lexicon`] phrases matched on stemmed word sequences, longest first, giving
//!    [`TermMatch`]es weighted by [`MatchKind`]; [`expand_terms`] adds directory codes below them.
//! 6. [`detect_crisis`] looks for suicide or self-harm, immediate danger, violence or abuse.
//!
//! Need text is limited to [`MAX_NEED_BYTES`]; any UTF-8 is accepted and nothing panics.
//!
//! # Examples
//! ```
//! use passerelle::text::{Analyzer, CrisisKind, NeedLanguage, Lexicon};
//!
//! // Once, when the directory is loaded: its words feed the typo dictionary.
//! let analyzer = Analyzer::new(Lexicon::standard(), ["Banque alimentaire d'Ottawa", "Rent bank"]);
//!
//! // Per need.
//! let need = analyzer.analyze("Épicerie gratuite près de chez moi").unwrap();
//! assert_eq!(need.language, NeedLanguage::French);
//! assert_eq!(need.terms[0].code.as_str(), "food.bank");
//!
//! let need = analyzer.analyze("my husband hits me").unwrap();
//! assert_eq!(need.crisis, Some(CrisisKind::ViolenceOrAbuse));
//! assert!(need.terms.iter().any(|t| t.code.as_str() == "safety.violence"));
//! ```

mod analyze;
mod crisis;
mod dense;
mod dictionary;
mod error;
mod index;
mod lexicon;
mod normalize;
mod stem;

pub use analyze::{
    expand_terms, Analyzer, MatchKind, NeedAnalysis, TermMatch, Token, MAX_NEED_BYTES,
};
pub use crisis::{detect_crisis, CrisisKind};
pub(crate) use dense::DenseMap;
pub use dictionary::Correction;
pub(crate) use dictionary::TokenDictionary;
pub use error::TextError;
pub(crate) use index::{
    bounded_distance as bounded_edit_distance, is_filler, split_intents, Field, IndexBuilder,
    QueryWord as IndexWord, TextIndex,
};
pub use lexicon::{Lexicon, LexiconEntry, PhraseKind};
pub use normalize::normalize;
pub use stem::NeedLanguage;
pub(crate) use stem::{is_stop_word, stem as stem_word};
