//! Normalisation: lower-case, accent and ligature folding, elision and punctuation splitting.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Longest folding of one input character, in characters. A character whose folding is longer
/// (a handful of Arabic ligatures and squared CJK abbreviations expand to up to 18 characters)
/// is treated as a separator, which bounds the growth of folded text to this factor.
pub(crate) const MAX_FOLD_CHARS: usize = 4;

/// Normalises text for matching: lower-cases it, folds accents (NFKD, then drops combining
/// marks), expands ligatures (`œ` → `oe`, `æ` → `ae`, `ß` → `ss`), and turns apostrophes,
/// hyphens and other punctuation into separators, so elided articles (`l'`, `d'`, `qu'`, `j'` …)
/// become words of their own. The result is words of letters and digits separated by single
/// spaces, with no leading or trailing space.
///
/// Normalisation is idempotent and never makes text more than four times longer (in characters)
/// than its input.
///
/// # Examples
/// ```
/// use passerelle::text::normalize;
/// assert_eq!(normalize("Santé mentale"), "sante mentale");
/// assert_eq!(normalize("Aide à l'emploi"), "aide a l emploi");
/// assert_eq!(normalize("Cœur, SŒUR & ex-æquo!"), "coeur soeur ex aequo");
/// assert_eq!(normalize("  self-harm\u{2019}s  "), "self harm s");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut buf = FoldBuf::default();
    for c in text.chars() {
        buf.fold(c);
        for &f in buf.as_slice() {
            if f.is_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(f);
            } else {
                pending_space = true;
            }
        }
        if buf.is_empty() {
            pending_space = true;
        }
    }
    out
}

/// Splits normalised text into its words.
pub(crate) fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(' ').filter(|w| !w.is_empty())
}

/// The folding of one character, at most [`MAX_FOLD_CHARS`] long.
#[derive(Default)]
struct FoldBuf {
    chars: [char; MAX_FOLD_CHARS],
    len: usize,
    overflow: bool,
}

impl FoldBuf {
    fn as_slice(&self) -> &[char] {
        self.chars.get(..self.len).unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn push(&mut self, c: char) {
        match self.chars.get_mut(self.len) {
            Some(slot) => {
                *slot = c;
                self.len += 1;
            }
            None => self.overflow = true,
        }
    }

    /// Folds `c`: lower-case, compatibility decomposition, marks dropped, twice so that the
    /// result is a fixed point; ligatures expanded. An overlong folding becomes empty.
    fn fold(&mut self, c: char) {
        self.len = 0;
        self.overflow = false;
        if c.is_ascii() {
            // Fast path, same result: ASCII decomposes to itself and has no combining marks.
            self.push(c.to_ascii_lowercase());
            return;
        }
        self.fold_general(c);
    }

    /// [`FoldBuf::fold`] without the ASCII fast path.
    fn fold_general(&mut self, c: char) {
        self.len = 0;
        self.overflow = false;
        match c {
            'œ' | 'Œ' => self.push_str("oe"),
            'æ' | 'Æ' => self.push_str("ae"),
            'ß' | 'ẞ' => self.push_str("ss"),
            _ => {
                for l in c.to_lowercase() {
                    decompose_compatible(l, |d| {
                        if !is_combining_mark(d) {
                            for l2 in d.to_lowercase() {
                                decompose_compatible(l2, |d2| {
                                    if !is_combining_mark(d2) {
                                        match d2 {
                                            'œ' => self.push_str("oe"),
                                            'æ' => self.push_str("ae"),
                                            'ß' => self.push_str("ss"),
                                            _ => self.push(d2),
                                        }
                                    }
                                });
                            }
                        }
                    });
                }
            }
        }
        if self.overflow {
            self.len = 0;
        }
    }

    fn push_str(&mut self, s: &str) {
        s.chars().for_each(|c| self.push(c));
    }
}

/// True when the raw text has letters typical of French (accents, cedilla, ligature).
pub(crate) fn has_french_marks(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            c,
            'é' | 'è'
                | 'ê'
                | 'à'
                | 'â'
                | 'ç'
                | 'ù'
                | 'û'
                | 'ô'
                | 'î'
                | 'ï'
                | 'ë'
                | 'œ'
                | 'É'
                | 'È'
                | 'À'
                | 'Ç'
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(normalize("santé mentale"), normalize("sante mentale"));
        assert_eq!(normalize("aide à l'emploi"), normalize("aide a l'emploi"));
        assert_eq!(normalize("AÎNÉS"), "aines");
        assert_eq!(normalize("Ça va"), "ca va");
        assert_eq!(normalize("naïve façade"), "naive facade");
    }

    #[test]
    fn ligatures() {
        assert_eq!(normalize("œuvre"), "oeuvre");
        assert_eq!(normalize("Œdème"), "oedeme");
        assert_eq!(normalize("ÆSIR"), "aesir");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("ﬁnancial"), "financial");
    }

    #[test]
    fn elision_and_punctuation_split() {
        assert_eq!(normalize("l'emploi"), "l emploi");
        assert_eq!(normalize("d\u{2019}urgence"), "d urgence");
        assert_eq!(normalize("qu'il"), "qu il");
        assert_eq!(normalize("j'ai faim!!!"), "j ai faim");
        assert_eq!(normalize("I'm hungry."), "i m hungry");
        assert_eq!(normalize("self-harm"), "self harm");
        assert_eq!(normalize("food.bank"), "food bank");
        assert_eq!(normalize("  \t\n "), "");
        assert_eq!(normalize("rent\u{00A0}help"), "rent help");
    }

    #[test]
    fn overlong_foldings_are_separators() {
        // U+FDFA folds to 18 characters under NFKD.
        assert_eq!(normalize("a\u{FDFA}b"), "a b");
    }

    #[test]
    fn digits_kept() {
        assert_eq!(normalize("Appelez le 2-1-1"), "appelez le 2 1 1");
        assert_eq!(normalize("²"), "2");
    }

    #[test]
    fn ascii_fast_path_folds_like_the_general_path() {
        for b in 0u8..128 {
            let c = char::from(b);
            let (mut fast, mut general) = (FoldBuf::default(), FoldBuf::default());
            fast.fold(c);
            general.fold_general(c);
            assert_eq!(fast.as_slice(), general.as_slice(), "{c:?}");
        }
    }

    proptest! {
        #[test]
        fn normalize_is_idempotent(s in "\\PC*") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once.clone());
        }

        #[test]
        fn normalize_is_idempotent_any_chars(s in proptest::collection::vec(any::<char>(), 0..40)) {
            let s: String = s.into_iter().collect();
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once.clone());
        }

        #[test]
        fn folding_growth_is_bounded(s in proptest::collection::vec(any::<char>(), 0..64)) {
            let s: String = s.into_iter().collect();
            let out = normalize(&s);
            prop_assert!(out.chars().count() <= MAX_FOLD_CHARS * s.chars().count());
        }

        #[test]
        fn output_is_words_and_single_spaces(s in "\\PC*") {
            let out = normalize(&s);
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' '));
            prop_assert!(!out.contains("  "));
            prop_assert!(out.chars().all(|c| c == ' ' || c.is_alphanumeric()));
        }
    }
}
