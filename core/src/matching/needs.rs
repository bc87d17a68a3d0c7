//! Need resolution: from a need (text and/or term codes) to the directory's taxonomy terms,
//! each with how it matched, plus crisis detection (through the text module).

use foldhash::{HashMap, HashMapExt};

use crate::model::{LangCode, TermCode, Text};
use crate::text::{
    is_filler, normalize, split_intents, Analyzer, CrisisKind, DenseMap, IndexWord, Lexicon,
    LexiconEntry, MatchKind, PhraseKind, TextError, TextIndex, TokenDictionary,
};

use super::check::KnownCodes;
use super::retrieval::crisis_bits;
use super::suggest::{suggest, Categories, Suggestion};

use super::result::NeedMatchKind;

/// Terms whose services are crisis services (24/7 lines, violence support).
pub(crate) const CRISIS_TERMS: [&str; 2] = ["health.mental.crisis", "safety.violence"];

/// A need resolved against the directory.
#[derive(Debug, Default)]
pub(crate) struct ResolvedNeed {
    /// Directory term index → best match kind.
    pub terms: Vec<(u32, NeedMatchKind)>,
    /// Services found, by service index (ascending): how the best evidence matched and the
    /// graded relevance in `(0, 1]` (the need factor).
    pub services: Vec<(u32, NeedMatchKind, f32)>,
    /// The crisis the need expresses, if any.
    pub crisis: Option<CrisisKind>,
    /// Crisis bits of the services that lead for this need (see `retrieval::crisis_bits`).
    pub crisis_mask: u8,
    /// Some taxonomy term was recognised, or some word is known to the directory.
    pub understood: bool,
    /// When not understood: categories and words of the directory to rephrase with.
    pub suggestions: Vec<Suggestion>,
}

/// Weight of a lexicon expansion word (a word of another phrase for the same need).
const EXPANSION_WEIGHT: f32 = 0.35;
/// Weight of a translation that is a phrase of several words ("garde d'enfants" → "child
/// care"); one-word translations count as the word itself.
const TRANSLATION_WEIGHT: f32 = 0.8;
/// Need words in French and English, grouped by meaning (see the file's header).
const TRANSLATIONS: &str = include_str!("../../data/lexicon/translations.txt");
/// Weight of a word of a need in one language found in a directory with no text in that
/// language, when the word also has a translation ("refuge" in a French need on an English
/// directory: the shelter, not the English "refuge"): the translation counts, the same
/// spelling less.
const FALSE_FRIEND_WEIGHT: f32 = 0.4;
/// At most this many expansion words per query.
const MAX_EXPANSIONS: usize = 24;
/// Strength of a taxonomy match, relative to the best text match of the query.
const TERM_BOOST: f32 = 0.3;
/// Share of the best text score a service covering fewer of the need's words must reach.
const PARTIAL_FLOOR: f32 = 0.6;
/// Exponent applied to text relevance before it becomes the need factor.
const RELEVANCE_POWER: i32 = 3;
/// Services below this share of the best relevance are left out.
const MIN_RELEVANCE: f32 = 0.12;

/// Resolves needs: the lexicon and the directory's term names give taxonomy terms (boosts);
/// the text index ranks every service by its own words (see `text::index`).
#[derive(Debug)]
pub(crate) struct NeedResolver {
    analyzer: Analyzer,
    index: TextIndex,
    /// Lexicon code → folded content words of its phrases (every language).
    expansions: HashMap<TermCode, Vec<String>>,
    /// Folded content words of the lexicon (preferred typo corrections).
    lexicon_words: std::collections::HashSet<String>,
    /// Translation groups: phrases of folded words.
    translations: Vec<Vec<Vec<String>>>,
    /// The translation groups' phrases as compared with a clause (plural `s`/`x` dropped).
    translation_keys: Vec<Vec<Vec<String>>>,
    /// Stems in the index of every word of the lexicon and of the translations (they do not
    /// depend on the query): read instead of stemming them again for each need.
    lexicon_stems: HashMap<String, Vec<u32>>,
    /// The directory's term names, as added to the lexicon.
    directory_phrases: std::collections::HashSet<String>,
    /// The directory's term names by term index (suggestions).
    categories: Categories,
    /// The directory's and the lexicon's codes with their ancestors (query code check).
    known_codes: KnownCodes,
}

impl NeedResolver {
    /// The text index over the services (saved in snapshots).
    pub(crate) fn text_index(&self) -> &TextIndex {
        &self.index
    }

    /// `lexicon` gets the directory's term names (every language) as [`PhraseKind::Name`];
    /// the typo dictionary gets the services' names and descriptions; `index` is the text
    /// index over the services.
    pub(crate) fn new<'a>(
        mut lexicon: Lexicon,
        default_language: &LangCode,
        terms: impl Iterator<Item = (&'a TermCode, &'a Text)>,
        service_texts: impl Iterator<Item = (u32, [&'a Text; 2])>,
        index: TextIndex,
    ) -> Self {
        let mut expansions: HashMap<TermCode, Vec<String>> = HashMap::new();
        let mut lexicon_words = std::collections::HashSet::new();
        let mut directory_phrases = std::collections::HashSet::new();
        for e in lexicon.entries() {
            let folded = normalize(&e.phrase);
            let ws: Vec<String> = folded
                .split(' ')
                .filter(|w| !w.is_empty() && !is_filler(w))
                .map(str::to_owned)
                .collect();
            for w in &ws {
                lexicon_words.insert(w.clone());
            }
            for c in &e.codes {
                let list = expansions.entry(c.clone()).or_default();
                for w in &ws {
                    if !list.contains(w) {
                        list.push(w.clone());
                    }
                }
            }
        }
        let mut categories = Categories::default();
        let mut directory_codes: Vec<&TermCode> = Vec::new();
        for (code, name) in terms {
            categories.add(default_language, name);
            directory_codes.push(code);
            let langs = std::iter::once((default_language.clone(), name.value.as_str())).chain(
                name.translations
                    .iter()
                    .map(|(l, v)| (l.clone(), v.as_str())),
            );
            for (lang, phrase) in langs {
                directory_phrases.insert(phrase.to_owned());
                // Names made only of stop words are refused by the lexicon: skip them.
                let _ = lexicon.add_entry(LexiconEntry {
                    phrase: phrase.to_owned(),
                    lang,
                    codes: vec![code.clone()],
                    kind: PhraseKind::Name,
                });
            }
        }
        // Directory text repeats itself: every distinct text feeds the typo dictionary once,
        // counted as often as it occurs.
        let mut counts: HashMap<&'a str, u32> = HashMap::new();
        for (_, texts) in service_texts {
            for t in texts {
                for s in t.all() {
                    *counts.entry(s).or_default() += 1;
                }
            }
        }
        let mut distinct: Vec<(&str, u32)> = counts.into_iter().collect();
        distinct.sort_unstable();
        let mut dictionary = TokenDictionary::new();
        for (t, count) in distinct {
            dictionary.add_normalized(&normalize(t), count);
        }
        let analyzer = Analyzer::with_dictionary(lexicon, dictionary);
        let known_codes = KnownCodes::new(
            directory_codes
                .into_iter()
                .chain(expansions.keys())
                .map(TermCode::as_str),
        );
        let translations: Vec<Vec<Vec<String>>> = TRANSLATIONS
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.split('|')
                    .map(|p| {
                        normalize(p)
                            .split(' ')
                            .filter(|w| !w.is_empty() && !crate::text::is_stop_word(w))
                            .map(str::to_owned)
                            .collect::<Vec<_>>()
                    })
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .collect();
        for group in &translations {
            for phrase in group {
                lexicon_words.extend(phrase.iter().cloned());
            }
        }
        let translation_keys = translations
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|phrase| phrase.iter().map(|w| strip_plural(w)).collect())
                    .collect()
            })
            .collect();
        let lexicon_stems = expansions
            .values()
            .flatten()
            .chain(translations.iter().flatten().flatten())
            .map(|w| {
                let stems = index.word_stems(w, crate::text::NeedLanguage::Unknown);
                (w.clone(), stems)
            })
            .collect();
        Self {
            analyzer,
            index,
            expansions,
            lexicon_words,
            translations,
            translation_keys,
            lexicon_stems,
            directory_phrases,
            categories,
            known_codes,
        }
    }

    /// Stem ids of a folded word, as [`TextIndex::word_stems`] gives them (in any language):
    /// looked up for the words of the lexicon and the translations, stemmed for others.
    fn stems_of(&self, word: &str) -> std::borrow::Cow<'_, [u32]> {
        match self.lexicon_stems.get(word) {
            Some(stems) => std::borrow::Cow::Borrowed(stems.as_slice()),
            None => std::borrow::Cow::Owned(
                self.index
                    .word_stems(word, crate::text::NeedLanguage::Unknown),
            ),
        }
    }

    /// True when `code` is a term code of the directory or the lexicon, or an ancestor of one.
    pub(crate) fn knows_code(&self, code: &str) -> bool {
        self.known_codes.contains(code)
    }

    /// Term matches of an analysis, without those that come only from a filler word read in
    /// another language ("aide" is the French "help", never the English acronym AIDS).
    fn useful_terms<'t>(
        &self,
        analysis: &'t crate::text::NeedAnalysis,
    ) -> Vec<&'t crate::text::TermMatch> {
        let content: Vec<&str> = analysis
            .tokens
            .iter()
            .filter(|t| !t.stop && !is_filler(t.word()))
            .map(|t| t.word())
            .collect();
        analysis
            .terms
            .iter()
            .filter(|t| {
                // The phrase must share a word (or a word's stem) with the content words.
                let phrase = normalize(&t.phrase);
                phrase
                    .split(' ')
                    .filter(|w| !is_stop_word_or_empty(w))
                    .any(|pw| content.iter().any(|cw| *cw == pw || same_stem(cw, pw)))
            })
            .collect()
    }

    /// Query words of a clause: its content words (or, when all are filler, its non-stop
    /// words), each as exact stems or a correction, then lexicon expansions.
    fn clause_words(
        &self,
        words_: &[&str],
        language: crate::text::NeedLanguage,
        codes: &[&TermCode],
    ) -> (Vec<IndexWord>, bool) {
        let content = content_words(words_);
        let foreign = matches!(
            language,
            crate::text::NeedLanguage::French | crate::text::NeedLanguage::English
        ) && !self.index.has_language(language);
        let translation = self.translate_clause(words_, foreign);
        let (mut out, known) = self.own_words(words_, &content, &translation, foreign);
        self.push_phrase_words(&mut out, translation.phrase_words);
        self.push_expansions(&mut out, codes);
        self.push_units(&mut out, translation.units);
        (out, known)
    }

    /// Translations: a phrase of a group found in the clause brings the group's other
    /// phrases; a one-word phrase becomes alternatives of that word. Phrases are compared
    /// on the clause's words without stop words ("garde d'enfants").
    fn translate_clause(&self, words_: &[&str], foreign: bool) -> ClauseTranslation<'_> {
        let kept: Vec<usize> = (0..words_.len())
            .filter(|&i| words_.get(i).is_some_and(|w| !crate::text::is_stop_word(w)))
            .collect();
        let clause: Vec<String> = kept
            .iter()
            .filter_map(|&i| words_.get(i))
            .map(|w| strip_plural(w))
            .collect();
        let mut tr = ClauseTranslation {
            alternatives: vec![Vec::new(); words_.len()],
            phrase_words: Vec::new(),
            covered: vec![false; words_.len()],
            in_phrase: vec![false; words_.len()],
            units: Vec::new(),
        };
        for (group, keys) in self.translations.iter().zip(&self.translation_keys) {
            for (phrase, key) in group.iter().zip(keys) {
                let n = phrase.len();
                if n == 0 || n > clause.len() {
                    continue;
                }
                let Some(at) = clause.windows(n).position(|win| win == key.as_slice()) else {
                    continue;
                };
                let positions: Vec<usize> = kept.get(at..at + n).unwrap_or_default().to_vec();
                // Words the directory itself uses need no translation, unless the directory
                // has no text in the need's language (then they are false friends).
                let unknown = positions
                    .iter()
                    .any(|&i| words_.get(i).is_some_and(|w| self.stems_of(w).is_empty()));
                if !unknown && !foreign {
                    continue;
                }
                tr.add_phrase(group, phrase, &positions);
            }
        }
        tr
    }

    /// The clause's content words, each as its own stems (with its one-word translations),
    /// or a correction; and whether any word is known to the directory or the lexicon.
    fn own_words(
        &self,
        words_: &[&str],
        content: &[&str],
        tr: &ClauseTranslation<'_>,
        foreign: bool,
    ) -> (Vec<IndexWord>, bool) {
        let mut out: Vec<IndexWord> = Vec::new();
        let mut known = false;
        for (i, w) in words_.iter().enumerate() {
            if !content.contains(w) {
                continue;
            }
            let mut stems = self.stems_of(w).into_owned();
            let alts = tr.alternatives.get(i).map_or(&[][..], Vec::as_slice);
            let covered = tr.covered.get(i).copied().unwrap_or(false);
            let in_phrase = tr.in_phrase.get(i).copied().unwrap_or(false);
            // A false friend: its translations count, its own spelling less.
            if foreign && !stems.is_empty() && covered {
                let own = std::mem::take(&mut stems);
                let mut translated: Vec<u32> = Vec::new();
                for alt in alts {
                    for &st in self.stems_of(alt).iter() {
                        if !translated.contains(&st) && !own.contains(&st) {
                            translated.push(st);
                        }
                    }
                }
                if !translated.is_empty() || in_phrase {
                    known = true;
                    out.push(IndexWord {
                        stems: own,
                        weight: FALSE_FRIEND_WEIGHT,
                        counted: false,
                    });
                    if !translated.is_empty() {
                        out.push(IndexWord {
                            stems: translated,
                            weight: 1.0,
                            counted: true,
                        });
                    }
                    continue;
                }
                stems = own;
            }
            for alt in alts {
                for &st in self.stems_of(alt).iter() {
                    if !stems.contains(&st) {
                        stems.push(st);
                    }
                }
            }
            // A lexicon word the directory does not use ("alimentaire" in an English
            // directory) is understood through the lexicon's expansions, not "corrected".
            let lexicon_word = self.lexicon_words.contains(*w)
                || w.strip_suffix(['s', 'x'])
                    .is_some_and(|x| self.lexicon_words.contains(x))
                || covered;
            if stems.is_empty() && !lexicon_word {
                stems = self.index.correct(w, |c| self.lexicon_words.contains(c));
            }
            known |= !stems.is_empty() || lexicon_word;
            // A word of a translated phrase with no stem of its own is covered by the
            // phrase's translation (`push_units`), not counted on its own.
            let counted = !(stems.is_empty() && in_phrase);
            out.push(IndexWord {
                stems,
                weight: 1.0,
                counted,
            });
        }
        (out, known)
    }

    /// The words of several-word translations, each with the stems the clause's own words
    /// do not already hold, at [`TRANSLATION_WEIGHT`].
    fn push_phrase_words(&self, out: &mut Vec<IndexWord>, mut phrase_words: Vec<&str>) {
        phrase_words.sort_unstable();
        phrase_words.dedup();
        let mine: Vec<u32> = out.iter().flat_map(|w| w.stems.iter().copied()).collect();
        for w in phrase_words {
            if is_filler(w) {
                continue;
            }
            let stems: Vec<u32> = self
                .stems_of(w)
                .iter()
                .copied()
                .filter(|s| !mine.contains(s))
                .collect();
            if !stems.is_empty() {
                out.push(IndexWord {
                    stems,
                    weight: TRANSLATION_WEIGHT,
                    counted: false,
                });
            }
        }
    }

    /// Lexicon expansions of `codes`: each stem once, their total weight bounded so that
    /// they rank among the services the need's own words find rather than outweigh them.
    fn push_expansions(&self, out: &mut Vec<IndexWord>, codes: &[&TermCode]) {
        let mut seen: Vec<u32> = out.iter().flat_map(|w| w.stems.iter().copied()).collect();
        let mut expansions: Vec<Vec<u32>> = Vec::new();
        'codes: for code in codes {
            for w in self.expansions.get(*code).map_or(&[][..], Vec::as_slice) {
                if expansions.len() >= MAX_EXPANSIONS {
                    break 'codes;
                }
                let stems: Vec<u32> = self
                    .stems_of(w)
                    .iter()
                    .copied()
                    .filter(|s| !seen.contains(s))
                    .collect();
                if !stems.is_empty() {
                    seen.extend(stems.iter().copied());
                    expansions.push(stems);
                }
            }
        }
        let weight = expansion_weight(expansions.len());
        out.extend(expansions.into_iter().map(|stems| IndexWord {
            stems,
            weight,
            counted: false,
        }));
    }

    /// One coverage word per translated phrase of several words: a service holding the
    /// translation covers the phrase. Weight 0: the phrase words score; this only counts
    /// coverage.
    fn push_units(&self, out: &mut Vec<IndexWord>, units: Vec<Vec<&str>>) {
        for unit in units {
            let mut stems: Vec<u32> = Vec::new();
            for w in unit.into_iter().filter(|w| !is_filler(w)) {
                for &st in self.stems_of(w).iter() {
                    if !stems.contains(&st) {
                        stems.push(st);
                    }
                }
            }
            if !stems.is_empty() {
                out.push(IndexWord {
                    stems,
                    weight: 0.0,
                    counted: true,
                });
            }
        }
    }

    /// The lexicon's term codes.
    pub(crate) fn catalogue_codes(&self) -> impl Iterator<Item = &TermCode> {
        self.expansions.keys()
    }

    /// Resolves a need. `codes` are the directory's term codes by index; `postings` the
    /// services filed under each term; `crisis` the crisis bits of each service.
    pub(crate) fn resolve(
        &self,
        text: Option<&str>,
        need_terms: &[TermCode],
        codes: &[TermCode],
        postings: &[Vec<u32>],
        crisis: &[u8],
    ) -> Result<ResolvedNeed, TextError> {
        let mut seeds: Vec<(TermCode, NeedMatchKind)> = need_terms
            .iter()
            .map(|t| (t.clone(), NeedMatchKind::Exact))
            .collect();
        // Query::validate bounds the trimmed text; analyse exactly that.
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        let reading = match text {
            Some(text) => self.read_text(text, need_terms, &mut seeds)?,
            None => TextReading::none(),
        };
        let crisis_mask = crisis_mask_of(reading.crisis);
        if let Some(kind) = reading.crisis {
            seeds.extend(crisis_seeds(kind));
        }
        let understood = !seeds.is_empty() || reading.known_words;
        let suggestions = match text {
            Some(text) if !understood => suggest(
                text,
                reading.language,
                &self.categories,
                codes,
                postings,
                &self.index,
            ),
            _ => Vec::new(),
        };
        let terms = expand(&seeds, codes);
        let boost_seeds: Vec<(TermCode, NeedMatchKind)> = seeds
            .iter()
            .filter(|(c, _)| !reading.named_only.contains(c))
            .cloned()
            .collect();
        let boost_terms = expand(&boost_seeds, codes);
        let has_text = !reading.text_rel.is_empty();
        let mut services = filed_and_text_services(
            &terms,
            &boost_terms,
            postings,
            crisis.len(),
            &reading.text_rel,
        );
        let listed = services.len();
        add_crisis_services(&mut services, crisis, crisis_mask);
        // Crisis services not otherwise found were appended.
        let in_order = services.len() == listed;
        grade_relevance(&mut services, has_text, in_order);
        Ok(ResolvedNeed {
            terms,
            services,
            crisis: reading.crisis,
            crisis_mask,
            understood,
            suggestions,
        })
    }

    /// Reads a need's text: appends the taxonomy terms it names to `seeds` and ranks the
    /// services by their own words, one clause (intent) at a time.
    fn read_text(
        &self,
        text: &str,
        need_terms: &[TermCode],
        seeds: &mut Vec<(TermCode, NeedMatchKind)>,
    ) -> Result<TextReading, TextError> {
        let analysis = self.analyzer.analyze(text)?;
        let useful = self.useful_terms(&analysis);
        seeds.extend(most_specific_seeds(&useful));
        let named_only = self.named_only(&useful, need_terms);
        let (text_rel, known_words) = self.text_relevance(text, &analysis, &useful)?;
        Ok(TextReading {
            crisis: analysis.crisis,
            language: analysis.language,
            named_only,
            known_words,
            text_rel,
        })
    }

    /// Terms found only by their directory name: the index already reads term names
    /// (`Field::Terms`), so they are understood but give no further boost.
    fn named_only(
        &self,
        useful: &[&crate::text::TermMatch],
        need_terms: &[TermCode],
    ) -> Vec<TermCode> {
        let mut named_only: Vec<TermCode> = Vec::new();
        for t in useful {
            let by_name = useful
                .iter()
                .filter(|o| o.code == t.code)
                .all(|o| self.directory_phrases.contains(o.phrase.as_str()));
            if by_name && !need_terms.contains(&t.code) && !named_only.contains(&t.code) {
                named_only.push(t.code.clone());
            }
        }
        named_only
    }

    /// Ranked retrieval, one clause (intent) at a time; each clause's best service gets 1,
    /// so every intent reaches the top of the list. Returns the relevance by service
    /// (ascending, each clause's scores merged by maximum) and whether any word is known.
    fn text_relevance(
        &self,
        text: &str,
        analysis: &crate::text::NeedAnalysis,
        useful: &[&crate::text::TermMatch],
    ) -> Result<(Vec<(u32, f32)>, bool), TextError> {
        let mut text_rel: Vec<(u32, f32)> = Vec::new();
        let mut known_words = false;
        let folded = normalize(text);
        let all: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let clauses = split_intents(&all);
        for &(a, b) in &clauses {
            let Some(ws) = all.get(a..b) else { continue };
            let clause_analysis;
            let clause_codes: Vec<&TermCode> = if clauses.len() == 1 {
                useful.iter().map(|t| &t.code).collect()
            } else {
                clause_analysis = self.analyzer.analyze(&ws.join(" "))?;
                self.useful_terms(&clause_analysis)
                    .into_iter()
                    .map(|t| &t.code)
                    .collect()
            };
            let (query, known) = self.clause_words(ws, analysis.language, &clause_codes);
            known_words |= known;
            let clause = clause_scores(self.index.score(&query));
            if !clause.is_empty() {
                text_rel = merge_max(std::mem::take(&mut text_rel), clause.into_iter());
            }
        }
        Ok((text_rel, known_words))
    }
}

/// What a need's text says: its crisis and language, the terms it names only by their
/// directory name, whether any word is known, and the services its words find.
struct TextReading {
    crisis: Option<CrisisKind>,
    language: crate::text::NeedLanguage,
    named_only: Vec<TermCode>,
    known_words: bool,
    text_rel: Vec<(u32, f32)>,
}

impl TextReading {
    /// A need without text.
    fn none() -> Self {
        TextReading {
            crisis: None,
            language: crate::text::NeedLanguage::Unknown,
            named_only: Vec::new(),
            known_words: false,
            text_rel: Vec::new(),
        }
    }
}

/// The translations found in a clause, by word position.
struct ClauseTranslation<'a> {
    /// One-word translations of each word.
    alternatives: Vec<Vec<&'a str>>,
    /// Words of the several-word translations.
    phrase_words: Vec<&'a str>,
    /// The word is part of a translated phrase.
    covered: Vec<bool>,
    /// The word is part of a translated phrase of several words.
    in_phrase: Vec<bool>,
    /// Each several-word translation's words, counted as one coverage unit.
    units: Vec<Vec<&'a str>>,
}

impl<'a> ClauseTranslation<'a> {
    /// Records that `phrase` of `group` was found at word `positions`.
    fn add_phrase(&mut self, group: &'a [Vec<String>], phrase: &[String], positions: &[usize]) {
        let n = phrase.len();
        for &i in positions {
            if let Some(c) = self.covered.get_mut(i) {
                *c = true;
            }
            if n > 1 {
                if let Some(c) = self.in_phrase.get_mut(i) {
                    *c = true;
                }
            }
        }
        let at = positions.first().copied().unwrap_or(0);
        let others = group.iter().filter(|p| p.as_slice() != phrase);
        if n == 1 {
            if let Some(alt) = self.alternatives.get_mut(at) {
                for o in others.clone().filter(|o| o.len() == 1) {
                    alt.extend(o.iter().map(String::as_str));
                }
            }
        }
        let mut unit: Vec<&str> = Vec::new();
        for o in others.filter(|o| o.len() > 1 || n > 1) {
            self.phrase_words.extend(o.iter().map(String::as_str));
            unit.extend(o.iter().map(String::as_str));
        }
        // A phrase of several words is covered when a service holds its translation.
        if n > 1 && !unit.is_empty() {
            self.units.push(unit);
        }
    }
}

/// A clause's content words; when all are filler, its words that are not stop words or
/// are longer than three letters.
fn content_words<'w>(words_: &[&'w str]) -> Vec<&'w str> {
    let content: Vec<&str> = words_.iter().copied().filter(|w| !is_filler(w)).collect();
    if !content.is_empty() {
        return content;
    }
    words_
        .iter()
        .copied()
        .filter(|w| !crate::text::is_filler(w) || w.len() > 3)
        .collect()
}

/// Weight of each of `n` expansion words: [`EXPANSION_WEIGHT`], shared out beyond three.
fn expansion_weight(n: usize) -> f32 {
    EXPANSION_WEIGHT * (3.0 / n.max(3) as f32)
}

/// The taxonomy terms the text names, each with how it matched, keeping the most specific:
/// "food bank" also names "food", so a broader term is dropped when a narrower one matched
/// a longer phrase. A broader term named as fully as a narrower one ("Food Banks" and its
/// unqualified leaf "Food Banks") is what the text names: it stays, and brings every
/// narrower term ("… for Seniors") with it.
fn most_specific_seeds(useful: &[&crate::text::TermMatch]) -> Vec<(TermCode, NeedMatchKind)> {
    let words = |t: &crate::text::TermMatch| t.phrase.split_whitespace().count();
    useful
        .iter()
        .filter(|tc| {
            !useful.iter().any(|to| {
                to.code != tc.code && to.code.is_within(&tc.code) && words(to) > words(tc)
            })
        })
        .map(|t| {
            let kind = match t.kind {
                MatchKind::Term => NeedMatchKind::Exact,
                MatchKind::Fuzzy => NeedMatchKind::Fuzzy,
                MatchKind::Descendant => NeedMatchKind::Descendant,
                _ => NeedMatchKind::Synonym,
            };
            (t.code.clone(), kind)
        })
        .collect()
}

/// A clause's scored services `(service, score, words covered)` as relevance in `[0, 1]`
/// relative to its best service. Services holding fewer of the need's words than the
/// best-covering ones stay only when they score well ("food bank": a "Rent Bank" is not a
/// food bank). Empty when nothing scores.
fn clause_scores(mut scored: Vec<(u32, f32, u32)>) -> Vec<(u32, f32)> {
    let best_cov = scored.iter().map(|e| e.2).max().unwrap_or(0);
    let best = scored.iter().map(|e| e.1).fold(0.0f32, f32::max);
    scored.retain(|e| e.2 >= best_cov || e.1 >= PARTIAL_FLOOR * best);
    let max = scored.iter().map(|e| e.1).fold(0.0f32, f32::max);
    if max > 0.0 {
        scored
            .into_iter()
            .map(|(d, v, _)| (d, 0.0f32.max(v / max)))
            .collect()
    } else {
        Vec::new()
    }
}

/// Crisis bits of the services that lead for a need expressing `crisis`.
fn crisis_mask_of(crisis: Option<CrisisKind>) -> u8 {
    match crisis {
        Some(CrisisKind::SuicideOrSelfHarm) => crisis_bits::SUICIDE | crisis_bits::GENERAL,
        Some(CrisisKind::ViolenceOrAbuse) => crisis_bits::VIOLENCE | crisis_bits::GENERAL,
        Some(_) => crisis_bits::ANY,
        None => 0,
    }
}

/// The taxonomy terms a crisis of `kind` seeds.
fn crisis_seeds(kind: CrisisKind) -> Vec<(TermCode, NeedMatchKind)> {
    let crisis_codes: &[&str] = match kind {
        CrisisKind::SuicideOrSelfHarm => &["health.mental.crisis"],
        CrisisKind::ViolenceOrAbuse => &["safety.violence"],
        _ => &CRISIS_TERMS,
    };
    crisis_codes
        .iter()
        .filter_map(|c| TermCode::new(c).ok())
        .map(|code| (code, NeedMatchKind::Synonym))
        .collect()
}

/// Services filed under the terms, with their best kind and taxonomy boost, merged with
/// those the text found (`text_rel`): every service once, in ascending order.
fn filed_and_text_services(
    terms: &[(u32, NeedMatchKind)],
    boost_terms: &[(u32, NeedMatchKind)],
    postings: &[Vec<u32>],
    n_services: usize,
    text_rel: &[(u32, f32)],
) -> Vec<(u32, NeedMatchKind, f32)> {
    let has_text = !text_rel.is_empty();
    let mut services: Vec<(u32, NeedMatchKind, f32)> = Vec::new();
    FILED.with(|cell| match cell.try_borrow_mut() {
        Ok(mut filed) => {
            filed_services(&mut filed, terms, boost_terms, postings, n_services);
            merge_filed(&mut services, filed.drain(), text_rel, has_text);
        }
        // not reachable (resolution does not call itself); a fresh map keeps it correct
        Err(_) => {
            let mut filed = DenseMap::default();
            filed_services(&mut filed, terms, boost_terms, postings, n_services);
            merge_filed(&mut services, filed.drain(), text_rel, has_text);
        }
    });
    services
}

/// Strength a crisis service with `bits` gets for a need whose leading kinds are `mask`.
fn crisis_strength(bits: u8, mask: u8) -> f32 {
    let kinds = crisis_bits::SUICIDE | crisis_bits::VIOLENCE;
    let other_kind = !super::retrieval::leads(bits, mask);
    let mut strength = if other_kind {
        // A violence line for a suicide need (or the reverse): offered, not first.
        0.6
    } else if bits & mask & kinds != 0 {
        1.6
    } else {
        1.2
    };
    if bits & crisis_bits::NAMED != 0 && !other_kind {
        strength += 1.5;
    }
    if bits & crisis_bits::PHONE_LINE != 0 {
        strength += 0.3;
    }
    strength
}

/// Adds the crisis services of the kind the need expresses (`mask`; `crisis` holds each
/// service's bits) to `services` (ascending): a service already listed gains the crisis
/// strength, the others are appended.
fn add_crisis_services(services: &mut Vec<(u32, NeedMatchKind, f32)>, crisis: &[u8], mask: u8) {
    if mask == 0 {
        return;
    }
    let listed = services.len();
    for (s, &bits) in crisis.iter().enumerate() {
        if bits & mask == 0 {
            continue;
        }
        let Ok(s) = u32::try_from(s) else { continue };
        let strength = crisis_strength(bits, mask);
        let found = services
            .get(..listed)
            .and_then(|l| l.binary_search_by_key(&s, |e| e.0).ok());
        match found.and_then(|i| services.get_mut(i)) {
            Some(e) => {
                e.2 += strength;
                e.1 = e.1.max(NeedMatchKind::Synonym);
            }
            None => services.push((s, NeedMatchKind::Synonym, strength)),
        }
    }
}

/// Relevance relative to the best service, services below [`MIN_RELEVANCE`] left out;
/// with text, raised to [`RELEVANCE_POWER`]. Sorts by service unless `in_order`.
fn grade_relevance(services: &mut Vec<(u32, NeedMatchKind, f32)>, has_text: bool, in_order: bool) {
    let max = services.iter().map(|e| e.2).fold(0.0f32, f32::max);
    if max > 0.0 {
        for e in services.iter_mut() {
            e.2 = (e.2 / max).min(1.0);
        }
    }
    services.retain(|e| e.2 >= MIN_RELEVANCE);
    if has_text {
        // Graded relevance is steep: a clearly better match of the need outweighs the
        // other factors (hours, eligibility unknown …) of a weaker one.
        for e in services.iter_mut() {
            e.2 = e.2.powi(RELEVANCE_POWER);
        }
    }
    if !in_order {
        services.sort_unstable_by_key(|e| e.0);
    }
}

/// A word without a final plural `s` or `x` (when 3 letters remain), as translation phrases
/// are compared with a clause.
fn strip_plural(w: &str) -> String {
    w.strip_suffix(['s', 'x'])
        .filter(|x| x.len() >= 3)
        .unwrap_or(w)
        .to_owned()
}

fn is_stop_word_or_empty(w: &str) -> bool {
    w.is_empty() || is_filler(w)
}

fn same_stem(a: &str, b: &str) -> bool {
    use crate::text::NeedLanguage::{English, French};
    let sa = [
        crate::text::stem_word(a, English),
        crate::text::stem_word(a, French),
    ];
    let sb = [
        crate::text::stem_word(b, English),
        crate::text::stem_word(b, French),
    ];
    // Same language only: "aide" (French) and "aids" (English) share no stem this way.
    sa.first() == sb.first() && a.get(..2) == b.get(..2) && sa.first().is_some_and(|s| s.len() >= 3)
        || sa.get(1) == sb.get(1) && sa.get(1).is_some_and(|s| s.len() >= 3)
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

thread_local! {
    /// Per-thread map of the services filed under a need's terms, reused across needs.
    static FILED: std::cell::RefCell<DenseMap<(NeedMatchKind, f32)>> =
        std::cell::RefCell::new(DenseMap::default());
}

/// The services filed under `terms` (best kind) and `boost_terms` (best taxonomy boost) into
/// `filed`. A term filed on many services says little about each: its boost falls with its
/// share of the directory (`n_services`), like a word's inverse document frequency.
fn filed_services(
    filed: &mut DenseMap<(NeedMatchKind, f32)>,
    terms: &[(u32, NeedMatchKind)],
    boost_terms: &[(u32, NeedMatchKind)],
    postings: &[Vec<u32>],
    n_services: usize,
) {
    let n_services = n_services.max(2) as f32;
    for &(t, kind) in terms {
        for &s in postings.get(t as usize).map_or(&[][..], Vec::as_slice) {
            if let Some(e) = filed.entry(s, (kind, 0.0)) {
                if kind > e.0 {
                    e.0 = kind;
                }
            }
        }
    }
    for &(t, kind) in boost_terms {
        let list = postings.get(t as usize).map_or(&[][..], Vec::as_slice);
        let specificity =
            ((n_services / list.len().max(1) as f32).ln() / n_services.ln() * 1.5).clamp(0.2, 1.0);
        let boost = kind.value() * specificity;
        for &s in list {
            if let Some(e) = filed.entry(s, (kind, 0.0)) {
                if kind > e.0 {
                    e.0 = kind;
                }
                e.1 = e.1.max(boost);
            }
        }
    }
}

/// Appends to `out`, in ascending service order, the `filed` services (ascending: text
/// relevance plus [`TERM_BOOST`] × boost when the need has text, else their kind's value)
/// and the services only the text found (`text_rel`, ascending).
fn merge_filed(
    out: &mut Vec<(u32, NeedMatchKind, f32)>,
    filed: impl Iterator<Item = (u32, (NeedMatchKind, f32))>,
    text_rel: &[(u32, f32)],
    has_text: bool,
) {
    let mut text = text_rel.iter().peekable();
    for (s, (kind, boost)) in filed {
        while let Some(&&(t, v)) = text.peek() {
            if t >= s {
                break;
            }
            out.push((t, NeedMatchKind::Text, v));
            text.next();
        }
        let rel = match text.peek() {
            Some(&&(t, v)) if t == s => {
                text.next();
                v
            }
            _ => 0.0,
        };
        let v = if has_text {
            rel + TERM_BOOST * boost
        } else {
            kind.value()
        };
        out.push((s, kind, v));
    }
    out.extend(text.map(|&(t, v)| (t, NeedMatchKind::Text, v)));
}

/// Merges ascending `(service, value)` lists, keeping the larger value of a service in both.
fn merge_max(a: Vec<(u32, f32)>, b: impl Iterator<Item = (u32, f32)>) -> Vec<(u32, f32)> {
    if a.is_empty() {
        return b.collect();
    }
    let mut out = Vec::with_capacity(a.len());
    let mut b = b.peekable();
    for (s, v) in a {
        while let Some(&(t, w)) = b.peek() {
            if t >= s {
                break;
            }
            out.push((t, w));
            b.next();
        }
        match b.peek() {
            Some(&(t, w)) if t == s => {
                out.push((s, v.max(w)));
                b.next();
            }
            _ => out.push((s, v)),
        }
    }
    out.extend(b);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> TermCode {
        TermCode::new(c).unwrap_or_else(|_| unreachable!("valid code"))
    }

    fn term(c: &str, kind: MatchKind, phrase: &str) -> crate::text::TermMatch {
        crate::text::TermMatch {
            code: code(c),
            kind,
            weight: 1.0,
            phrase: phrase.to_owned(),
        }
    }

    #[test]
    fn content_words_fall_back_to_long_filler_words() {
        assert_eq!(content_words(&["need", "food", "bank"]), ["food", "bank"]);
        // all filler: words longer than three letters stay
        let all_filler = content_words(&["i", "need", "help"]);
        assert!(all_filler.iter().all(|w| w.len() > 3), "{all_filler:?}");
        assert!(!all_filler.is_empty());
    }

    #[test]
    fn expansion_weight_is_shared_beyond_three_words() {
        assert_eq!(expansion_weight(0), EXPANSION_WEIGHT);
        assert_eq!(expansion_weight(3), EXPANSION_WEIGHT);
        assert!((expansion_weight(6) - EXPANSION_WEIGHT / 2.0).abs() < 1e-6);
    }

    #[test]
    fn most_specific_seeds_drop_a_broader_term_named_by_a_shorter_phrase() {
        let food = term("food", MatchKind::Synonym, "food");
        let bank = term("food.bank", MatchKind::Term, "food bank");
        let seeds = most_specific_seeds(&[&food, &bank]);
        assert_eq!(seeds, [(code("food.bank"), NeedMatchKind::Exact)]);
        // named as fully: both stay, with their kinds
        let leaf = term("food.bank-x", MatchKind::Fuzzy, "food bank");
        let seeds = most_specific_seeds(&[&bank, &leaf]);
        assert_eq!(
            seeds,
            [
                (code("food.bank"), NeedMatchKind::Exact),
                (code("food.bank-x"), NeedMatchKind::Fuzzy)
            ]
        );
    }

    #[test]
    fn clause_scores_keep_partial_matches_only_when_strong() {
        // service 2 covers fewer words and scores under the floor; 3 covers fewer but scores well
        let scored = vec![(1, 2.0, 2), (2, 1.0, 1), (3, 1.5, 1)];
        assert_eq!(clause_scores(scored), [(1, 1.0), (3, 0.75)]);
        assert!(clause_scores(vec![(1, 0.0, 1)]).is_empty());
        assert!(clause_scores(Vec::new()).is_empty());
    }

    #[test]
    fn crisis_masks_and_seeds_follow_the_kind() {
        assert_eq!(crisis_mask_of(None), 0);
        assert_eq!(
            crisis_mask_of(Some(CrisisKind::SuicideOrSelfHarm)),
            crisis_bits::SUICIDE | crisis_bits::GENERAL
        );
        assert_eq!(
            crisis_mask_of(Some(CrisisKind::ViolenceOrAbuse)),
            crisis_bits::VIOLENCE | crisis_bits::GENERAL
        );
        assert_eq!(
            crisis_seeds(CrisisKind::ViolenceOrAbuse),
            [(code("safety.violence"), NeedMatchKind::Synonym)]
        );
    }

    #[test]
    fn crisis_strength_puts_the_named_line_of_the_kind_first() {
        let mask = crisis_mask_of(Some(CrisisKind::SuicideOrSelfHarm));
        let line = crisis_strength(crisis_bits::SUICIDE | crisis_bits::PHONE_LINE, mask);
        let named = crisis_strength(crisis_bits::SUICIDE | crisis_bits::NAMED, mask);
        let general = crisis_strength(crisis_bits::GENERAL, mask);
        let other = crisis_strength(crisis_bits::VIOLENCE | crisis_bits::GENERAL, mask);
        assert!((line - 1.9).abs() < 1e-6, "{line}");
        assert!(
            named > line && line > general && general > other,
            "{named} {general} {other}"
        );
    }

    #[test]
    fn crisis_services_add_to_listed_ones_and_append_the_others() {
        let mask = crisis_bits::SUICIDE | crisis_bits::GENERAL;
        let mut services = vec![
            (1, NeedMatchKind::Text, 0.5),
            (3, NeedMatchKind::Exact, 1.0),
        ];
        add_crisis_services(
            &mut services,
            &[crisis_bits::SUICIDE, 0, 0, crisis_bits::GENERAL],
            mask,
        );
        assert_eq!(services.len(), 3);
        assert_eq!(services.get(1), Some(&(3, NeedMatchKind::Exact, 2.2)));
        assert_eq!(services.get(2), Some(&(0, NeedMatchKind::Synonym, 1.6)));
        let mut none = services.clone();
        add_crisis_services(&mut none, &[crisis_bits::SUICIDE], 0);
        assert_eq!(none, services);
    }

    #[test]
    fn grade_relevance_normalises_drops_weak_and_sorts() {
        let mut services = vec![
            (4, NeedMatchKind::Text, 2.0),
            (1, NeedMatchKind::Text, 1.0),
            (2, NeedMatchKind::Text, 0.1),
        ];
        grade_relevance(&mut services, true, false);
        assert_eq!(
            services,
            [
                (1, NeedMatchKind::Text, 0.125),
                (4, NeedMatchKind::Text, 1.0)
            ]
        );
        let mut no_text = vec![
            (0, NeedMatchKind::Exact, 1.0),
            (1, NeedMatchKind::Broader, 0.5),
        ];
        grade_relevance(&mut no_text, false, true);
        assert_eq!(
            no_text,
            [
                (0, NeedMatchKind::Exact, 1.0),
                (1, NeedMatchKind::Broader, 0.5)
            ]
        );
    }

    #[test]
    fn clause_translation_records_alternatives_and_phrase_units() {
        let group: Vec<Vec<String>> = vec![
            vec!["garde".into(), "enfants".into()],
            vec!["child".into(), "care".into()],
            vec!["daycare".into()],
        ];
        let mut tr = ClauseTranslation {
            alternatives: vec![Vec::new(); 4],
            phrase_words: Vec::new(),
            covered: vec![false; 4],
            in_phrase: vec![false; 4],
            units: Vec::new(),
        };
        let phrase = group.first().cloned().unwrap_or_default();
        tr.add_phrase(&group, &phrase, &[1, 3]);
        assert_eq!(tr.covered, [false, true, false, true]);
        assert_eq!(tr.in_phrase, [false, true, false, true]);
        assert_eq!(tr.phrase_words, ["child", "care", "daycare"]);
        assert_eq!(tr.units, [vec!["child", "care", "daycare"]]);
        assert!(tr.alternatives.iter().all(Vec::is_empty));
        // a one-word phrase: one-word translations become alternatives of the word
        let one = group.get(2).cloned().unwrap_or_default();
        tr.add_phrase(&group, &one, &[0]);
        assert!(tr.alternatives.first().is_some_and(Vec::is_empty));
        assert_eq!(tr.in_phrase.first(), Some(&false));
        assert_eq!(tr.covered.first(), Some(&true));
    }

    #[test]
    fn merge_max_keeps_the_larger_value_in_service_order() {
        let a = vec![(1, 0.5), (4, 0.2), (9, 1.0)];
        let b = [(0, 0.1), (4, 0.7), (5, 0.3), (9, 0.4), (12, 0.9)];
        assert_eq!(
            merge_max(a, b.into_iter()),
            [(0, 0.1), (1, 0.5), (4, 0.7), (5, 0.3), (9, 1.0), (12, 0.9)]
        );
        assert_eq!(merge_max(Vec::new(), b.into_iter()), b);
        assert_eq!(merge_max(vec![(3, 0.5)], std::iter::empty()), [(3, 0.5)]);
    }

    #[test]
    fn filed_and_text_services_merge_in_service_order() {
        let filed = [
            (2, (NeedMatchKind::Exact, 0.5)),
            (5, (NeedMatchKind::Descendant, 0.0)),
        ];
        let text = [(1, 0.3), (2, 0.9), (7, 0.2)];
        let mut out = Vec::new();
        merge_filed(&mut out, filed.into_iter(), &text, true);
        assert_eq!(
            out,
            [
                (1, NeedMatchKind::Text, 0.3),
                (2, NeedMatchKind::Exact, 0.9 + TERM_BOOST * 0.5),
                (5, NeedMatchKind::Descendant, 0.0),
                (7, NeedMatchKind::Text, 0.2),
            ]
        );
        let mut out = Vec::new();
        merge_filed(&mut out, filed.into_iter(), &[], false);
        assert_eq!(
            out,
            [
                (2, NeedMatchKind::Exact, NeedMatchKind::Exact.value()),
                (
                    5,
                    NeedMatchKind::Descendant,
                    NeedMatchKind::Descendant.value()
                ),
            ]
        );
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
            TextIndex::default(),
        );
        let postings = vec![vec![0u32], vec![1], vec![2]];
        let crisis = [0u8, crisis_bits::SUICIDE | crisis_bits::PHONE_LINE, 0];
        let food = r
            .resolve(Some("banque alimentaire"), &[], &codes, &postings, &crisis)
            .unwrap();
        assert!(food.terms.iter().any(|(t, _)| *t == 0));
        assert_eq!(food.services.first().map(|s| s.0), Some(0));
        let help = r
            .resolve(Some("aide alimentaire"), &[], &codes, &postings, &crisis)
            .unwrap();
        assert!(help.understood);
        let crisis_need = r
            .resolve(Some("pensées suicidaires"), &[], &codes, &postings, &crisis)
            .unwrap();
        assert!(crisis_need.crisis.is_some());
        assert!(crisis_need.terms.iter().any(|(t, _)| *t == 1));
        assert!(crisis_need.services.iter().any(|s| s.0 == 1));
    }
}
