//! Typo correction against a dictionary of known words.

use foldhash::HashMap;

use super::normalize::{normalize, words};

/// Shortest word that may be corrected, in characters.
const MIN_CORRECTABLE_CHARS: usize = 5;
/// Shortest word that may be corrected by two edits, in characters.
const MIN_TWO_EDIT_CHARS: usize = 9;

/// How many edits a word of `len` characters may be corrected by: none up to 4 characters,
/// one from 5 to 8, two from 9.
pub(crate) fn edit_budget(len: usize) -> usize {
    if len >= MIN_TWO_EDIT_CHARS {
        2
    } else if len >= MIN_CORRECTABLE_CHARS {
        1
    } else {
        0
    }
}

/// A correction of a misspelled word: the known word and its edit distance (optimal string
/// alignment: insertions, deletions, substitutions and transpositions of adjacent letters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The known (folded) word.
    pub token: String,
    /// Edits between the typed word and `token` (1 or 2).
    pub distance: usize,
}

/// The known words that typed words are corrected against: the directory's own words plus the
/// lexicon's, folded by [`normalize`]. Built once; lookups compare a word only with known
/// words of the same first letter and a length within the edit budget, and allocate nothing per
/// known word.
///
/// Rules: words of 4 characters or fewer are never corrected, words of 5–8 characters by one
/// edit, words of 9 or more by two; the first letter must match exactly. A word the dictionary
/// knows is not corrected.
///
/// For example, with "Recherche d'emploi" known, "emplio" is corrected to "emploi" (one
/// edit), "emploi" is known and "mploi" is not corrected (its first letter differs); the unit
/// tests below check these rules at their boundaries.
#[derive(Debug, Clone, Default)]
pub struct TokenDictionary {
    words: Vec<Box<str>>,
    counts: Vec<u32>,
    /// Letter-presence mask of each word ([`letter_mask`]): a cheap necessary condition
    /// checked before the edit distance.
    masks: Vec<u32>,
    index: HashMap<Box<str>, u32>,
    /// Word indices by (first character, length in characters).
    buckets: HashMap<(char, usize), Vec<u32>>,
}

impl TokenDictionary {
    /// An empty dictionary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a dictionary from texts (service names, descriptions, lexicon phrases …): each
    /// text is normalised and every word of two characters or more is added.
    pub fn build<I>(texts: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut dict = Self::new();
        dict.extend(texts);
        dict
    }

    /// Adds the words of more texts.
    pub fn extend<I>(&mut self, texts: I)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        for text in texts {
            let folded = normalize(text.as_ref());
            for w in words(&folded) {
                self.insert_word(w);
            }
        }
    }

    /// Adds the words of one text already passed through [`normalize`], `count` times: the
    /// same dictionary as [`TokenDictionary::extend`] over the text repeated `count` times
    /// (texts in the order of their first occurrence keep the word order too).
    pub(crate) fn add_normalized(&mut self, folded: &str, count: u32) {
        for w in words(folded) {
            self.insert_word_counted(w, count);
        }
    }

    fn insert_word(&mut self, word: &str) {
        self.insert_word_counted(word, 1);
    }

    fn insert_word_counted(&mut self, word: &str, count: u32) {
        if count == 0 {
            return;
        }
        let len = word.chars().count();
        let Some(first) = word.chars().next() else {
            return;
        };
        if len < 2 {
            return;
        }
        if let Some(&i) = self.index.get(word) {
            if let Some(c) = self.counts.get_mut(i as usize) {
                *c = c.saturating_add(count);
            }
            return;
        }
        let Ok(i) = u32::try_from(self.words.len()) else {
            return; // more than 4 billion distinct words: ignore the rest
        };
        self.words.push(word.into());
        self.counts.push(count);
        self.masks.push(letter_mask(word.chars()));
        self.index.insert(word.into(), i);
        self.buckets.entry((first, len)).or_default().push(i);
    }

    /// Every known word, in the order first added.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| &**w)
    }

    /// True when the folded `word` is known.
    pub fn contains(&self, word: &str) -> bool {
        self.index.contains_key(word)
    }

    /// The best correction of a folded word, or `None` when the word is known, too short, or
    /// has no known word within its edit budget. Ties go to the more frequent word, then to
    /// the alphabetically first.
    pub fn correct(&self, word: &str) -> Option<Correction> {
        if self.contains(word) {
            return None;
        }
        let mut best: Option<(usize, u32, &str)> = None;
        self.for_each_candidate(word, |distance, count, token| {
            let better = match best {
                None => true,
                Some((d, c, t)) => {
                    (distance, std::cmp::Reverse(count), token) < (d, std::cmp::Reverse(c), t)
                }
            };
            if better {
                best = Some((distance, count, token));
            }
        });
        best.map(|(distance, _, token)| Correction {
            token: token.to_owned(),
            distance,
        })
    }

    /// Every known word within the edit budget of a folded `word` (the word itself excluded),
    /// closest first.
    #[cfg(test)]
    pub fn candidates(&self, word: &str) -> Vec<Correction> {
        let mut found: Vec<(usize, u32, &str)> = Vec::new();
        self.for_each_candidate(word, |d, c, t| {
            if t != word {
                found.push((d, c, t));
            }
        });
        found.sort_by(|a, b| {
            (a.0, std::cmp::Reverse(a.1), a.2).cmp(&(b.0, std::cmp::Reverse(b.1), b.2))
        });
        found
            .into_iter()
            .map(|(distance, _, token)| Correction {
                token: token.to_owned(),
                distance,
            })
            .collect()
    }

    fn for_each_candidate<'a>(&'a self, word: &str, mut f: impl FnMut(usize, u32, &'a str)) {
        let query: Vec<char> = word.chars().collect();
        let budget = edit_budget(query.len());
        let Some(&first) = query.first() else {
            return;
        };
        if budget == 0 {
            return;
        }
        let mut dist = BoundedOsa::new(query.len());
        let query_mask = letter_mask(query.iter().copied());
        let max_mask_diff = 2 * budget as u32;
        for len in query.len().saturating_sub(budget)..=query.len() + budget {
            let Some(bucket) = self.buckets.get(&(first, len)) else {
                continue;
            };
            for &i in bucket {
                // Each edit changes the set of letters present by at most two, so words whose
                // letter sets differ by more than 2 × budget cannot be within the budget.
                let mask = self.masks.get(i as usize).copied().unwrap_or(0);
                if (mask ^ query_mask).count_ones() > max_mask_diff {
                    continue;
                }
                let (Some(token), Some(&count)) =
                    (self.words.get(i as usize), self.counts.get(i as usize))
                else {
                    continue;
                };
                if let Some(d) = dist.distance(&query, token, budget) {
                    f(d, count, token);
                }
            }
        }
    }
}

/// The set of letters in a word as 32 bits: `a`–`z` on bits 0–25, every other character on
/// one of bits 26–31 by its code point. Any mapping works for the filter in
/// `for_each_candidate`: an insertion or deletion changes at most one bit, a substitution at
/// most two, a transposition none.
fn letter_mask(chars: impl Iterator<Item = char>) -> u32 {
    chars.fold(0u32, |m, c| {
        let bit = if c.is_ascii_lowercase() {
            c as u32 - 'a' as u32
        } else {
            26 + c as u32 % 6
        };
        m | 1 << bit
    })
}

/// Optimal-string-alignment distance with a bound and reusable rows: no allocation per call.
pub(crate) struct BoundedOsa {
    rows: [Vec<usize>; 3],
}

impl BoundedOsa {
    pub(crate) fn new(query_len: usize) -> Self {
        Self {
            rows: [
                vec![0; query_len + 1],
                vec![0; query_len + 1],
                vec![0; query_len + 1],
            ],
        }
    }

    /// The OSA distance between `a` and `b` when it is at most `max`, else `None`.
    /// `a` must be no longer than the length given to [`BoundedOsa::new`].
    pub(crate) fn distance(&mut self, a: &[char], b: &str, max: usize) -> Option<usize> {
        let n = a.len();
        let [pp, prev, cur] = &mut self.rows;
        if pp.len() < n + 1 {
            return None;
        }
        for (j, v) in prev.iter_mut().enumerate().take(n + 1) {
            *v = j;
        }
        let mut prev_b: Option<char> = None;
        let mut i = 0usize;
        for bc in b.chars() {
            i += 1;
            if let Some(c0) = cur.get_mut(0) {
                *c0 = i;
            }
            let mut row_min = i;
            for j in 1..=n {
                let ac = a.get(j - 1).copied();
                let cost = usize::from(ac != Some(bc));
                let del = prev.get(j).copied().unwrap_or(usize::MAX - 1) + 1;
                let ins = cur.get(j - 1).copied().unwrap_or(usize::MAX - 1) + 1;
                let sub = prev.get(j - 1).copied().unwrap_or(usize::MAX - 1) + cost;
                let mut v = del.min(ins).min(sub);
                if j > 1 && i > 1 && prev_b == ac && a.get(j - 2).copied() == Some(bc) {
                    let t = pp.get(j - 2).copied().unwrap_or(usize::MAX - 1) + 1;
                    v = v.min(t);
                }
                if let Some(slot) = cur.get_mut(j) {
                    *slot = v;
                }
                row_min = row_min.min(v);
            }
            if row_min > max {
                return None;
            }
            prev_b = Some(bc);
            std::mem::swap(pp, prev);
            std::mem::swap(prev, cur);
        }
        prev.get(n).copied().filter(|&d| d <= max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dict() -> TokenDictionary {
        TokenDictionary::build([
            "emploi logement banque alimentaire",
            "accommodation rent food counselling",
            "employment employment",
            "rent",
        ])
    }

    #[test]
    fn budget_boundaries() {
        assert_eq!(edit_budget(4), 0);
        assert_eq!(edit_budget(5), 1);
        assert_eq!(edit_budget(8), 1);
        assert_eq!(edit_budget(9), 2);
    }

    #[test]
    fn four_letter_words_are_not_corrected() {
        let d = TokenDictionary::build(["food", "rent"]);
        assert_eq!(d.correct("fodo"), None);
        assert_eq!(d.correct("rnet"), None);
        assert_eq!(d.correct("foo"), None);
    }

    #[test]
    fn five_to_eight_letters_one_edit() {
        let d = dict();
        assert_eq!(d.correct("emplio").map(|c| c.token), Some("emploi".into()));
        assert_eq!(d.correct("bnaque").map(|c| c.token), Some("banque".into()));
        assert_eq!(
            d.correct("logemnt").map(|c| c.token),
            Some("logement".into())
        ); // 7 letters
        assert_eq!(d.correct("lgemnt"), None); // two edits for 6 letters
    }

    #[test]
    fn nine_letters_two_edits() {
        let d = dict();
        let c = d.correct("acomodation").unwrap();
        assert_eq!((c.token.as_str(), c.distance), ("accommodation", 2));
        assert_eq!(d.correct("acomodatin"), None); // three edits
        let c = d.correct("alimentare").unwrap();
        assert_eq!((c.token.as_str(), c.distance), ("alimentaire", 1));
    }

    #[test]
    fn first_letter_must_match() {
        let d = dict();
        assert_eq!(d.correct("mploi"), None);
        assert_eq!(d.correct("xmploi"), None);
        assert_eq!(d.correct("lemploi").map(|c| c.token), None);
    }

    #[test]
    fn ties_prefer_frequent_words() {
        let d = TokenDictionary::build(["bancs", "banks banks"]);
        assert_eq!(d.correct("banxs").map(|c| c.token), Some("banks".into()));
        let all = d.candidates("banxs");
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn known_words_are_kept() {
        let d = dict();
        assert!(d.contains("emploi"));
        assert_eq!(d.correct("employment"), None);
        assert_eq!(d.words().count(), 9);
    }

    proptest! {
        #[test]
        fn bounded_osa_agrees_with_strsim(a in "[a-e]{0,10}", b in "[a-e]{0,10}", max in 0usize..4) {
            let q: Vec<char> = a.chars().collect();
            let mut osa = BoundedOsa::new(q.len());
            let expected = strsim::osa_distance(&a, &b);
            let got = osa.distance(&q, &b, max);
            if expected <= max {
                prop_assert_eq!(got, Some(expected));
            } else {
                prop_assert_eq!(got, None);
            }
        }

        #[test]
        fn letter_mask_filter_loses_no_candidate(
            known in proptest::collection::vec("[a-fé]{2,11}", 1..40),
            q in "[a-fé]{5,11}",
        ) {
            let d = TokenDictionary::build(known.iter());
            let mut got: Vec<String> = d.candidates(&q).into_iter().map(|c| c.token).collect();
            got.sort();
            let budget = edit_budget(q.chars().count());
            let mut expected: Vec<String> = d
                .words()
                .filter(|w| *w != q && w.chars().next() == q.chars().next())
                .filter(|w| strsim::osa_distance(w, &q) <= budget)
                .map(str::to_owned)
                .collect();
            expected.sort();
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn correct_never_panics(w in "\\PC{0,30}") {
            let d = dict();
            let _ = d.correct(&w);
            let _ = d.candidates(&w);
        }
    }

    #[test]
    fn typo_rules_at_the_boundaries() {
        let d = TokenDictionary::build(["rent food logement alimentaire accommodation housing"]);
        // 4 letters: never corrected.
        assert_eq!(d.correct("rnet"), None);
        assert_eq!(d.correct("fodo"), None);
        // 5 to 8 letters: one edit.
        assert_eq!(d.correct("housng").unwrap().token, "housing");
        assert_eq!(d.correct("logemetn").unwrap().token, "logement");
        assert_eq!(d.correct("hosng"), None);
        // 9 and more: two edits.
        assert_eq!(d.correct("alimentar").unwrap().distance, 2);
        assert_eq!(d.correct("acomodation").unwrap().token, "accommodation");
        assert_eq!(d.correct("acommodatoin").unwrap().distance, 2);
        assert_eq!(d.correct("akomodatoin"), None);
        // First letter exact.
        assert_eq!(d.correct("gousing"), None);
        assert_eq!(d.correct("ousing"), None);
    }
}
