//! Ranked retrieval over the directory's own words: a compact inverted index scored with a
//! field-weighted BM25 (BM25F).
//!
//! Each document (a service) has six fields with their own weight and length normalisation
//! ([`Field`]). Words are folded ([`normalize`]), stop words dropped, and stemmed with Snowball
//! in the language of the text (French and English when the language is neither). A query's
//! words are OR-ed: every document holding one of them is scored, and the score is multiplied
//! by a bonus for covering more of the query's words. Unknown query words are corrected against
//! the index's own words (one edit from 3 letters when a single known word is that close or one
//! is far more frequent, two edits from 8 letters) or split into two known words ("foodbank").
//!
//! Postings are flat arrays (`u32` document, `f32` weighted term frequency already normalised
//! by field length), so the index costs about 8 bytes per distinct (word, service) pair.

use foldhash::HashMap;

use super::dense::DenseMap;
use super::normalize::{normalize, words};
use super::stem::{is_stop_word, stem, NeedLanguage};

/// A field of a service document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// Service name.
    Name = 0,
    /// Alternate name.
    AltName = 1,
    /// Organisation name.
    Organization = 2,
    /// Description.
    Description = 3,
    /// Names of the service's taxonomy terms and of their ancestors.
    Terms = 4,
    /// Eligibility and application text (low weight).
    Eligibility = 5,
}

const FIELDS: usize = 6;
/// Field weights, by [`Field`].
const WEIGHT: [f32; FIELDS] = [5.0, 3.0, 1.2, 1.0, 1.5, 0.3];
/// Length normalisation, by [`Field`].
const B: [f32; FIELDS] = [0.5, 0.5, 0.5, 0.75, 0.4, 0.75];
/// Term-frequency saturation.
const K1: f32 = 1.5;

/// Words a need is phrased with that never name a kind of help: dropped from queries (not from
/// documents) unless a query has nothing else. French "aide" is here: in "aide alimentaire" it
/// is the "help", never the acronym AIDS.
const FILLER: &[&str] = &[
    // English
    "help",
    "helps",
    "helping",
    "want",
    "wants",
    "looking",
    "look",
    "find",
    "finding",
    "near",
    "nearby",
    "close",
    "around",
    "someone",
    "somebody",
    "somewhere",
    "place",
    "places",
    "like",
    "just",
    "really",
    "also",
    "there",
    "here",
    "now",
    "today",
    "know",
    "anyone",
    "how",
    "why",
    "when",
    "am",
    "us",
    "myself",
    "trying",
    "try",
    "give",
    "got",
    "getting",
    "im",
    "ive",
    "dont",
    "cant",
    "can",
    "able",
    "let",
    "tell",
    "info",
    "information",
    "service",
    "services",
    "area",
    "program",
    "programs",
    "go",
    "where",
    "who",
    "what",
    "lost",
    "lose",
    "losing",
    // French
    "aide",
    "aides",
    "aider",
    "cherche",
    "chercher",
    "recherche",
    "trouver",
    "pres",
    "proche",
    "endroit",
    "quelqu",
    "quelque",
    "quelqu'un",
    "veux",
    "voudrais",
    "aimerais",
    "peux",
    "pouvez",
    "comment",
    "ou",
    "ici",
    "maintenant",
    "aujourd",
    "hui",
    "svp",
    "besoin",
    "faut",
    "service",
    "programme",
    "mon",
    "ma",
    "mes",
    "j",
    "je",
    "il",
    "y",
    "a",
    "suis",
    "quartier",
];

/// True when a folded query word is filler (see [`FILLER`]) or a stop word.
pub(crate) fn is_filler(word: &str) -> bool {
    is_stop_word(word) || FILLER.contains(&word)
}

/// A stem tagged with the language of its stemmer: the French stem of "vêtements" (`vet`)
/// must not meet the English stem of "vets".
fn tagged_stem(word: &str, lang: NeedLanguage) -> String {
    let tag = if lang == NeedLanguage::French {
        "fr:"
    } else {
        "en:"
    };
    let mut s = String::from(tag);
    s.push_str(&stem(word, lang));
    s
}

/// Builds a [`TextIndex`] document by document.
#[derive(Debug, Default)]
pub(crate) struct IndexBuilder {
    stems: HashMap<Box<str>, u32>,
    /// Folded surface word → (document frequency, stem ids in English, French).
    surface: HashMap<Box<str>, SurfaceWord>,
    /// Per document: (stem, field, tf).
    docs: Vec<Vec<(u32, u8, u16)>>,
    /// Per document, per field: length in words.
    lens: Vec<[u16; FIELDS]>,
    /// Stem cache: (folded word, language) → stem id.
    cache: HashMap<(Box<str>, u8), u32>,
    /// Some text was in English, in French.
    languages: (bool, bool),
}

#[derive(Debug, Clone, Default)]
struct SurfaceWord {
    df: u32,
    last_doc: u32,
    stems: Vec<u32>,
}

impl IndexBuilder {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn stem_id(&mut self, word: &str, lang: NeedLanguage) -> u32 {
        let key = match lang {
            NeedLanguage::French => 1u8,
            _ => 0,
        };
        if let Some(&id) = self.cache.get(&(word.into(), key)) {
            return id;
        }
        let s = tagged_stem(
            word,
            if key == 1 {
                NeedLanguage::French
            } else {
                NeedLanguage::English
            },
        );
        let next = u32::try_from(self.stems.len()).unwrap_or(u32::MAX);
        let id = *self.stems.entry(s.into_boxed_str()).or_insert(next);
        self.cache.insert((word.into(), key), id);
        id
    }

    /// Adds one document made of `(field, text, language)` parts; returns its number.
    pub(crate) fn add<'a>(
        &mut self,
        parts: impl IntoIterator<Item = (Field, &'a str, NeedLanguage)>,
    ) -> u32 {
        let doc = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        let mut entries: Vec<(u32, u8, u16)> = Vec::new();
        let mut lens = [0u16; FIELDS];
        for (field, text, lang) in parts {
            match lang {
                NeedLanguage::English => self.languages.0 = true,
                NeedLanguage::French => self.languages.1 = true,
                NeedLanguage::Unknown => {}
            }
            let folded = normalize(text);
            for w in words(&folded) {
                if let Some(l) = lens.get_mut(field as usize) {
                    *l = l.saturating_add(1);
                }
                if is_stop_word(w) {
                    continue;
                }
                let langs: &[NeedLanguage] = match lang {
                    NeedLanguage::French => &[NeedLanguage::French],
                    NeedLanguage::English => &[NeedLanguage::English],
                    _ => &[NeedLanguage::English, NeedLanguage::French],
                };
                let mut ids = Vec::with_capacity(2);
                for &l in langs {
                    // French "aide" is "help" (filler in a need), never the acronym AIDS.
                    if l == NeedLanguage::French && matches!(w, "aide" | "aides" | "aider") {
                        continue;
                    }
                    let id = self.stem_id(w, l);
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                let sw = self.surface.entry(w.into()).or_default();
                if sw.df == 0 || sw.last_doc != doc {
                    sw.df += 1;
                    sw.last_doc = doc;
                }
                for &id in &ids {
                    if !sw.stems.contains(&id) {
                        sw.stems.push(id);
                    }
                    entries.push((id, field as u8, 1));
                }
            }
        }
        entries.sort_unstable();
        entries.dedup_by(|b, a| {
            if a.0 == b.0 && a.1 == b.1 {
                a.2 = a.2.saturating_add(b.2);
                true
            } else {
                false
            }
        });
        self.docs.push(entries);
        self.lens.push(lens);
        doc
    }

    /// The index.
    pub(crate) fn finish(self) -> TextIndex {
        let n = self.docs.len();
        let mut avg = [0f32; FIELDS];
        for l in &self.lens {
            for (a, &x) in avg.iter_mut().zip(l) {
                *a += f32::from(x);
            }
        }
        for a in &mut avg {
            *a = (*a / n.max(1) as f32).max(1.0);
        }
        let n_stems = self.stems.len();
        // Weighted, length-normalised tf per (doc, stem), then a counting sort by stem.
        let mut counts = vec![0u32; n_stems + 1];
        let mut per_doc: Vec<Vec<(u32, f32)>> = Vec::with_capacity(n);
        for (entries, lens) in self.docs.iter().zip(&self.lens) {
            let mut out: Vec<(u32, f32)> = Vec::new();
            for &(s, f, tf) in entries {
                let fi = f as usize;
                let (Some(&w), Some(&b), Some(&len), Some(&av)) =
                    (WEIGHT.get(fi), B.get(fi), lens.get(fi), avg.get(fi))
                else {
                    continue;
                };
                let norm = 1.0 - b + b * f32::from(len) / av;
                let v = w * f32::from(tf) / norm;
                match out.last_mut() {
                    Some((last, acc)) if *last == s => *acc += v,
                    _ => out.push((s, v)),
                }
            }
            for &(s, _) in &out {
                if let Some(c) = counts.get_mut(s as usize + 1) {
                    *c += 1;
                }
            }
            per_doc.push(out);
        }
        for i in 1..counts.len() {
            let prev = counts.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = counts.get_mut(i) {
                *c += prev;
            }
        }
        let total = counts.last().copied().unwrap_or(0) as usize;
        let mut docs = vec![0u32; total];
        let mut tfs = vec![0f32; total];
        let mut fill = counts.clone();
        for (d, list) in per_doc.iter().enumerate() {
            for &(s, v) in list {
                if let Some(pos) = fill.get_mut(s as usize) {
                    let p = *pos as usize;
                    if let (Some(dd), Some(tt)) = (docs.get_mut(p), tfs.get_mut(p)) {
                        *dd = u32::try_from(d).unwrap_or(u32::MAX);
                        *tt = v;
                    }
                    *pos += 1;
                }
            }
        }
        let idf: Vec<f32> = (0..n_stems)
            .map(|s| {
                let df =
                    counts.get(s + 1).copied().unwrap_or(0) - counts.get(s).copied().unwrap_or(0);
                let df = df as f32;
                (1.0 + (n as f32 - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
        let mut surface: Vec<(Box<str>, u32, Vec<u32>)> = self
            .surface
            .into_iter()
            .map(|(w, s)| (w, s.df, s.stems))
            .collect();
        surface.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        TextIndex {
            stems: self.stems,
            offsets: counts,
            docs,
            tfs,
            idf,
            surface,
            languages: self.languages,
            spelling: std::sync::OnceLock::new(),
        }
    }
}

/// A compact inverted index over the directory's services (see the module docs).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct TextIndex {
    /// Stored sorted by word in snapshots, so equal indices encode to equal bytes.
    #[serde(with = "crate::matching::snapshot::sorted_map")]
    stems: HashMap<Box<str>, u32>,
    /// Postings of stem `s`: `offsets[s]..offsets[s + 1]`.
    offsets: Vec<u32>,
    docs: Vec<u32>,
    tfs: Vec<f32>,
    idf: Vec<f32>,
    /// Known folded words, sorted: (word, document frequency, stems).
    surface: Vec<(Box<str>, u32, Vec<u32>)>,
    /// Some document text was in English, in French.
    languages: (bool, bool),
    /// What typo correction reads of each known word before an edit distance, by position in
    /// `surface`; derived from it on the first correction (not stored in snapshots).
    #[serde(skip)]
    spelling: std::sync::OnceLock<Vec<SpellKey>>,
}

/// What [`TextIndex::correct`] compares before computing an edit distance: a known word's
/// length in chars, its first char and the set of its chars.
#[derive(Debug, Clone, Copy)]
struct SpellKey {
    len: u32,
    first: Option<char>,
    chars: u64,
}

impl SpellKey {
    fn new(word: &str) -> Self {
        Self {
            len: u32::try_from(word.chars().count()).unwrap_or(u32::MAX),
            first: word.chars().next(),
            chars: word.chars().fold(0, |m, c| m | char_bit(c)),
        }
    }

    /// False only when `other` is certainly more than `max` edits away: each char of one word
    /// found nowhere in the other takes an edit of its own (chars sharing a bit hide a
    /// difference, never invent one), so more than `max` such chars either way rule it out.
    fn within(&self, other: &Self, max: usize) -> bool {
        (self.chars & !other.chars).count_ones() as usize <= max
            && (other.chars & !self.chars).count_ones() as usize <= max
    }
}

/// The bit of a char in a [`SpellKey`]: one per ASCII letter and digit, the other chars
/// folded onto the remaining 28 bits.
fn char_bit(c: char) -> u64 {
    let i = match c {
        'a'..='z' => u32::from(c) - u32::from('a'),
        '0'..='9' => 26 + u32::from(c) - u32::from('0'),
        _ => 36 + u32::from(c) % 28,
    };
    1u64.checked_shl(i).unwrap_or(0)
}

/// One word of a query, as the stems it stands for.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryWord {
    /// Stem ids (original, corrected or split).
    pub(crate) stems: Vec<u32>,
    /// Weight (1 for the resident's words, less for lexicon expansions).
    pub(crate) weight: f32,
    /// Counts towards the coverage bonus.
    pub(crate) counted: bool,
}

impl TextIndex {
    fn surface_word(&self, w: &str) -> Option<&(Box<str>, u32, Vec<u32>)> {
        self.surface
            .binary_search_by(|e| (*e.0).cmp(w))
            .ok()
            .and_then(|i| self.surface.get(i))
    }

    /// True when some document text is in `lang` (English or French).
    pub(crate) fn has_language(&self, lang: NeedLanguage) -> bool {
        match lang {
            NeedLanguage::English => self.languages.0,
            NeedLanguage::French => self.languages.1,
            NeedLanguage::Unknown => false,
        }
    }

    /// Stem ids of a folded word, exactly as written (no correction).
    pub(crate) fn word_stems(&self, word: &str, lang: NeedLanguage) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        if let Some((_, _, ids)) = self.surface_word(word) {
            out.extend(ids);
        }
        let _ = lang;
        let st = [
            tagged_stem(word, NeedLanguage::English),
            tagged_stem(word, NeedLanguage::French),
        ];
        for s in st {
            if let Some(&id) = self.stems.get(s.as_str()) {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }

    /// A known word for an unknown folded word: a close spelling, or two known words.
    pub(crate) fn correct(&self, word: &str, prefer: impl Fn(&str) -> bool) -> Vec<u32> {
        let chars: Vec<char> = word.chars().collect();
        let len = chars.len();
        if len < 3 || word.chars().any(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        let budget = if len >= 8 { 2 } else { 1 };
        let key = SpellKey::new(word);
        let keys = self.spelling.get_or_init(|| {
            self.surface
                .iter()
                .map(|(w, _, _)| SpellKey::new(w))
                .collect()
        });
        // (distance, df, preferred, word stems)
        let mut found: Vec<(usize, u32, bool, &Vec<u32>)> = Vec::new();
        for ((w, df, ids), k) in self.surface.iter().zip(keys) {
            if (k.len as usize).abs_diff(len) > budget || k.len < 3 {
                continue;
            }
            if len <= 4 && k.first != key.first {
                continue;
            }
            if !key.within(k, budget) {
                continue;
            }
            if let Some(d) = bounded_distance(&chars, w, budget) {
                if d > 0 {
                    found.push((d, *df, prefer(w), ids));
                }
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(b.1.cmp(&a.1)));
        let pick = match found.as_slice() {
            [] => None,
            [only] => Some(only),
            [a, b, ..] => {
                let short = len <= 5;
                let preferred_alone = a.2 && !b.2 && a.0 <= b.0;
                let dominant = a.0 < b.0 || a.1 >= 3 * b.1.max(1);
                if !short || preferred_alone || dominant {
                    Some(a)
                } else {
                    None
                }
            }
        };
        if let Some((_, _, _, ids)) = pick {
            return (*ids).clone();
        }
        // Two known words run together: the split with the rarer half most frequent.
        let mut best: Option<(u32, Vec<u32>)> = None;
        for i in 3..len.saturating_sub(2) {
            let (Some(a), Some(b)) = (
                chars.get(..i).map(|c| c.iter().collect::<String>()),
                chars.get(i..).map(|c| c.iter().collect::<String>()),
            ) else {
                continue;
            };
            if let (Some(x), Some(y)) = (self.surface_word(&a), self.surface_word(&b)) {
                let score = x.1.min(y.1);
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    let mut ids = x.2.clone();
                    ids.extend(y.2.iter().copied());
                    best = Some((score, ids));
                }
            }
        }
        best.map(|(_, ids)| ids).unwrap_or_default()
    }

    /// Known words near a folded word (as chars), with their document frequency: a few edits
    /// away (one up to 4 letters, two up to 8, three beyond) or sharing its first four
    /// letters. Read only for needs that were not understood (suggestions).
    pub(crate) fn near_words(&self, word: &[char]) -> Vec<(&str, u32)> {
        let len = word.len();
        if len < 3 {
            return Vec::new();
        }
        let budget = match len {
            0..=4 => 1,
            5..=8 => 2,
            _ => 3,
        };
        let prefix: String = word.iter().take(4).collect();
        self.surface
            .iter()
            .filter(|(w, _, _)| {
                let wl = w.chars().count();
                wl >= 3
                    && ((len >= 4 && w.starts_with(prefix.as_str()))
                        || (wl.abs_diff(len) <= budget
                            && bounded_distance(word, w, budget).is_some_and(|d| d > 0)))
            })
            .map(|(w, df, _)| (&**w, *df))
            .collect()
    }

    /// Scores the documents holding any of the words: BM25F summed over the words (each word
    /// counted once per document, the best of its stems), times `0.5 + 0.5 × coverage` where
    /// coverage is the share of counted words the document holds. Returns `(doc, score,
    /// counted words held)` sorted by document.
    pub(crate) fn score(&self, query: &[QueryWord]) -> Vec<(u32, f32, u32)> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.score_into(query, &mut scratch),
            // not reachable (scoring does not call itself); a fresh scratch keeps it correct
            Err(_) => self.score_into(query, &mut Scratch::default()),
        })
    }

    fn score_into(&self, query: &[QueryWord], sc: &mut Scratch) -> Vec<(u32, f32, u32)> {
        let counted = query.iter().filter(|w| w.counted).count().max(1);
        for qw in query.iter() {
            let postings = qw.stems.iter().filter_map(|&s| self.postings(s));
            if let [_] = qw.stems.as_slice() {
                // One stem: each document once (postings are strictly ascending), its value
                // is the word's best.
                for (ds, ts, idf) in postings {
                    for (&d, &tf) in ds.iter().zip(ts) {
                        add(&mut sc.acc, d, qw.weight * idf * tf / (K1 + tf), qw.counted);
                    }
                }
                continue;
            }
            sc.best.start();
            for (ds, ts, idf) in postings {
                for (&d, &tf) in ds.iter().zip(ts) {
                    sc.best(d, qw.weight * idf * tf / (K1 + tf));
                }
            }
            sc.add_word(qw.counted);
        }
        let counted = counted as f32;
        sc.acc
            .drain()
            .map(|(d, (s, c))| (d, s * (0.5 + 0.5 * c as f32 / counted), c))
            .collect()
    }

    /// The postings of stem `s`: documents, weighted term frequencies, and the stem's idf.
    fn postings(&self, s: u32) -> Option<(&[u32], &[f32], f32)> {
        let si = s as usize;
        let (lo, hi) = (
            *self.offsets.get(si)? as usize,
            *self.offsets.get(si + 1)? as usize,
        );
        Some((
            self.docs.get(lo..hi)?,
            self.tfs.get(lo..hi)?,
            *self.idf.get(si)?,
        ))
    }
}

thread_local! {
    /// Per-thread score accumulators, reused across queries (no hashing, no allocation once
    /// grown to the directory's size: about 16 bytes per document).
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Dense accumulators for [`TextIndex::score`]: per document, the best value of the current
/// word (for words of several stems) and the running (score, counted words) of the query.
#[derive(Debug, Default)]
struct Scratch {
    best: Stamped<f32>,
    acc: DenseMap<(f32, u32)>,
}

/// Adds `v` to document `d`'s score, and one counted word when `counted`.
fn add(acc: &mut DenseMap<(f32, u32)>, d: u32, v: f32, counted: bool) {
    if let Some(e) = acc.entry(d, (0.0, 0)) {
        e.0 += v;
        if counted {
            e.1 += 1;
        }
    }
}

impl Scratch {
    /// Keeps the larger of `v` and the current word's value for `d` (which starts at 0).
    fn best(&mut self, d: u32, v: f32) {
        if let Some(b) = self.best.slot(d, 0.0) {
            if v > *b {
                *b = v;
            }
        }
    }

    /// Adds the current word's best values to the query's accumulators.
    fn add_word(&mut self, counted: bool) {
        for &d in &self.best.touched {
            if let Some(&v) = self.best.vals.get(d as usize) {
                add(&mut self.acc, d, v, counted);
            }
        }
    }
}

/// Values by document id, live when their stamp equals the current generation, so starting
/// over clears nothing but the list of documents touched.
#[derive(Debug, Default)]
struct Stamped<T> {
    generation: u32,
    stamps: Vec<u32>,
    vals: Vec<T>,
    /// Documents given a value in this generation, in the order they were first touched.
    touched: Vec<u32>,
}

impl<T: Copy> Stamped<T> {
    /// A new generation: every value reads as absent again.
    fn start(&mut self) {
        self.touched.clear();
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamps.fill(0);
            self.generation = 1;
        }
    }

    /// The value of `d` in this generation, set to `init` on its first touch.
    fn slot(&mut self, d: u32, init: T) -> Option<&mut T> {
        let i = d as usize;
        if i >= self.vals.len() {
            self.vals.resize(i + 1, init);
            self.stamps.resize(i + 1, 0);
        }
        let (val, stamp) = (self.vals.get_mut(i)?, self.stamps.get_mut(i)?);
        if *stamp != self.generation {
            *stamp = self.generation;
            *val = init;
            self.touched.push(d);
        }
        Some(val)
    }
}

/// Levenshtein distance between `a` and `b` when at most `max`, else `None`.
pub(crate) fn bounded_distance(a: &[char], b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.get_mut(0) {
            *c0 = i + 1;
        }
        let mut row_min = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX - 1) + 1;
            let sub = prev.get(j).copied().unwrap_or(usize::MAX - 1) + cost;
            let v = del.min(ins).min(sub);
            if let Some(c) = cur.get_mut(j + 1) {
                *c = v;
            }
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|&d| d <= max)
}

/// Splits need text into intents: clauses joined by "and", "et", "but", "also", "aussi",
/// commas or semicolons, each with a content word. One clause when there is nothing to split.
pub(crate) fn split_intents(folded_words: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, w) in folded_words.iter().enumerate() {
        if matches!(
            *w,
            "and" | "et" | "but" | "also" | "aussi" | "mais" | "plus"
        ) {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, folded_words.len()));
    let has_content = |&(a, b): &(usize, usize)| {
        folded_words
            .get(a..b)
            .is_some_and(|ws| ws.iter().any(|w| !is_filler(w) && w.chars().count() > 1))
    };
    let kept: Vec<(usize, usize)> = out.into_iter().filter(has_content).collect();
    if kept.len() <= 1 {
        vec![(0, folded_words.len())]
    } else {
        kept
    }
}

impl TextIndex {
    /// Checks what a search reads unchecked-by-construction in an index decoded from a
    /// snapshot: stem ids, posting ranges and document ids (below `n_docs`) in range, the
    /// known words sorted. The error names the column, never a word.
    pub(crate) fn check(&self, n_docs: usize) -> Result<(), String> {
        let n_stems = self.stems.len();
        if self.offsets.len() != n_stems + 1 || self.idf.len() != n_stems {
            return Err("text index: posting offsets or idf do not match the stems".into());
        }
        if self.stems.values().any(|&s| s as usize >= n_stems) {
            return Err("text index: stem id out of range".into());
        }
        if self.offsets.first().is_some_and(|&o| o != 0)
            || self.offsets.windows(2).any(|w| w.first() > w.get(1))
            || self.offsets.last().map(|&o| o as usize) != Some(self.docs.len())
            || self.tfs.len() != self.docs.len()
        {
            return Err("text index: posting offsets out of order or range".into());
        }
        if self.docs.iter().any(|&d| d as usize >= n_docs) {
            return Err("text index: document id out of range".into());
        }
        // Scoring reads each stem's documents once each.
        let ascending = self
            .offsets
            .windows(2)
            .all(|w| match (w.first(), w.get(1)) {
                (Some(&lo), Some(&hi)) => self
                    .docs
                    .get(lo as usize..hi as usize)
                    .is_some_and(|ds| ds.windows(2).all(|p| p.first() < p.get(1))),
                _ => true,
            });
        if !ascending {
            return Err("text index: postings of a stem not in document order".into());
        }
        // A build gives 0 < tf ≤ 5 × 65 535 / 0.25 and 0 < idf ≤ ln(2 n + 2): scores stay
        // finite, so sorting them is a total order.
        if self.tfs.iter().any(|&v| !(v > 0.0 && v <= 2e6))
            || self.idf.iter().any(|v| !(0.0..=100.0).contains(v))
        {
            return Err("text index: weight out of range".into());
        }
        if self
            .surface
            .iter()
            .any(|(_, _, ids)| ids.iter().any(|&s| s as usize >= n_stems))
            || self
                .surface
                .windows(2)
                .any(|w| match (w.first(), w.get(1)) {
                    (Some(a), Some(b)) => a.0 >= b.0,
                    _ => false,
                })
        {
            return Err("text index: known words unsorted or stem id out of range".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TextIndex {
        let mut b = IndexBuilder::new();
        b.add([
            (
                Field::Name,
                "Second Harvest Food Bank",
                NeedLanguage::English,
            ),
            (
                Field::Description,
                "Free groceries and food for families",
                NeedLanguage::English,
            ),
        ]);
        b.add([
            (Field::Name, "Rental Assistance", NeedLanguage::English),
            (
                Field::Description,
                "Help paying rent and deposits",
                NeedLanguage::English,
            ),
        ]);
        b.add([
            (Field::Name, "Job Center", NeedLanguage::English),
            (
                Field::Description,
                "Employment help and job training",
                NeedLanguage::English,
            ),
        ]);
        b.finish()
    }

    fn q(ix: &TextIndex, words: &[&str]) -> Vec<QueryWord> {
        words
            .iter()
            .map(|w| {
                let mut stems = ix.word_stems(w, NeedLanguage::English);
                if stems.is_empty() {
                    stems = ix.correct(w, |_| false);
                }
                QueryWord {
                    stems,
                    weight: 1.0,
                    counted: true,
                }
            })
            .collect()
    }

    /// The scoring as plain per-query maps: what [`TextIndex::score`] must equal bit for bit.
    fn reference_score(ix: &TextIndex, query: &[QueryWord]) -> Vec<(u32, u32, u32)> {
        use foldhash::HashMapExt;
        let counted = query.iter().filter(|w| w.counted).count().max(1);
        let mut acc: HashMap<u32, (f32, u32)> = HashMap::new();
        for qw in query {
            let mut best: HashMap<u32, f32> = HashMap::new();
            for &s in &qw.stems {
                let si = s as usize;
                let lo = ix.offsets[si] as usize;
                let hi = ix.offsets[si + 1] as usize;
                for (&d, &tf) in ix.docs[lo..hi].iter().zip(&ix.tfs[lo..hi]) {
                    let v = qw.weight * ix.idf[si] * tf / (K1 + tf);
                    let e = best.entry(d).or_insert(0.0);
                    if v > *e {
                        *e = v;
                    }
                }
            }
            for (d, v) in best {
                let e = acc.entry(d).or_insert((0.0, 0));
                e.0 += v;
                if qw.counted {
                    e.1 += 1;
                }
            }
        }
        let mut out: Vec<(u32, u32, u32)> = acc
            .into_iter()
            .map(|(d, (s, c))| {
                let v = s * (0.5 + 0.5 * c as f32 / counted as f32);
                (d, v.to_bits(), c)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// On the real San Mateo feed, queries of one to five known words (rare and frequent,
    /// expansions weighted less and not counted) score exactly as the reference, including
    /// when one thread alternates between indices of different sizes.
    #[test]
    fn dense_scoring_equals_reference_on_real_data() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/hsds/smc-ohana-full");
        let dir = crate::hsds::import_path(path, &crate::hsds::ImportOptions::default())
            .unwrap()
            .directory;
        let mut b = IndexBuilder::new();
        for s in &dir.services {
            b.add([
                (Field::Name, s.name.value.as_str(), NeedLanguage::English),
                (
                    Field::Description,
                    s.description.value.as_str(),
                    NeedLanguage::English,
                ),
            ]);
        }
        let big = b.finish();
        let small = index();
        let words: Vec<&str> = big.surface.iter().map(|w| &*w.0).collect();
        assert!(words.len() > 1000, "{}", words.len());
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut many = 0;
        for round in 0..400 {
            let n = 1 + next(5);
            let query: Vec<QueryWord> = (0..n)
                .map(|i| {
                    // Frequent words (the start of a df-sorted list is not needed: every
                    // tenth query draws from a handful of very common words).
                    let w = if round % 10 == 0 {
                        ["services", "and", "the", "help", "county"][next(5)]
                    } else {
                        words[next(words.len())]
                    };
                    let mut stems = big.word_stems(w, NeedLanguage::English);
                    // A word standing for several stems (a correction, a split, a
                    // translation): each document counts its best stem.
                    if next(3) == 0 {
                        for s in big.word_stems(words[next(words.len())], NeedLanguage::English) {
                            if !stems.contains(&s) {
                                stems.push(s);
                            }
                        }
                    }
                    QueryWord {
                        stems,
                        weight: if i == 0 {
                            1.0
                        } else {
                            [1.0, 0.6, 0.35][next(3)]
                        },
                        counted: i == 0 || next(3) > 0,
                    }
                })
                .collect();
            let got: Vec<(u32, u32, u32)> = big
                .score(&query)
                .into_iter()
                .map(|(d, v, c)| (d, v.to_bits(), c))
                .collect();
            let want = reference_score(&big, &query);
            if query.iter().any(|w| w.stems.len() > 1) {
                many += 1;
            }
            assert_eq!(got, want, "round {round}");
            let sq = q(&small, &["food", "rent", "job"]);
            let got: Vec<(u32, u32, u32)> = small
                .score(&sq)
                .into_iter()
                .map(|(d, v, c)| (d, v.to_bits(), c))
                .collect();
            assert_eq!(got, reference_score(&small, &sq));
        }
        // Both paths ran: words of one stem, and words of several (best stem per document).
        assert!(
            many > 0 && many < 400,
            "{many} queries with a word of several stems"
        );
    }

    #[test]
    fn check_refuses_postings_out_of_document_order() {
        let mut ix = index();
        assert_eq!(ix.check(3), Ok(()));
        let s = (0..ix.idf.len())
            .find(|&s| ix.offsets[s + 1] - ix.offsets[s] >= 2)
            .unwrap();
        let lo = ix.offsets[s] as usize;
        ix.docs.swap(lo, lo + 1);
        let err = ix.check(3).unwrap_err();
        assert!(err.contains("document order"), "{err}");
    }

    #[test]
    fn or_with_coverage() {
        let ix = index();
        let got = ix.score(&q(&ix, &["food", "rent"]));
        assert_eq!(
            got.iter().map(|e| (e.0, e.2)).collect::<Vec<_>>(),
            [(0, 1), (1, 1)]
        );
        let got = ix.score(&q(&ix, &["food", "bank"]));
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn typos_and_compounds() {
        let ix = index();
        assert_eq!(ix.score(&q(&ix, &["fod"]))[0].0, 0);
        assert_eq!(ix.score(&q(&ix, &["foodbank"]))[0].0, 0);
        assert_eq!(ix.score(&q(&ix, &["employmnt"]))[0].0, 2);
        assert!(ix.score(&q(&ix, &["zzz"])).is_empty());
    }

    proptest::proptest! {
        /// The spelling prefilter never rules out a word within the edit budget.
        #[test]
        fn spelling_prefilter_keeps_every_close_word(
            a in "[a-ez0-9é ]{0,10}",
            edits in proptest::collection::vec((0usize..12, 0usize..4, "[a-fyé]"), 0..4),
            other in "[a-f]{0,10}",
        ) {
            let mut b: Vec<char> = a.chars().collect();
            for (at, op, c) in edits {
                let c = c.chars().next().unwrap();
                let at = at.min(b.len());
                match op {
                    0 => b.insert(at, c),
                    1 if at < b.len() => { b.remove(at); }
                    2 if at < b.len() => b[at] = c,
                    _ if at + 1 < b.len() => b.swap(at, at + 1),
                    _ => {}
                }
            }
            let a_chars: Vec<char> = a.chars().collect();
            for b in [b.iter().collect::<String>(), other] {
                if let Some(d) = bounded_distance(&a_chars, &b, 20) {
                    proptest::prop_assert!(SpellKey::new(&a).within(&SpellKey::new(&b), d));
                }
            }
        }
    }

    #[test]
    fn distance() {
        let a: Vec<char> = "fod".chars().collect();
        assert_eq!(bounded_distance(&a, "food", 1), Some(1));
        assert_eq!(bounded_distance(&a, "fodder", 1), None);
    }

    #[test]
    fn intents() {
        let w = ["lost", "my", "job", "and", "can", "t", "pay", "rent"];
        assert_eq!(split_intents(&w), vec![(0, 3), (4, 8)]);
        let w = ["food", "and"];
        assert_eq!(split_intents(&w), vec![(0, 2)]);
    }
}
