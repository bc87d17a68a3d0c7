//! Crisis detection: suicide or self-harm, immediate danger, violence or abuse.
//!
//! Patterns are folded word sequences; an element is a word (`tuer`), alternatives
//! (`hit|hits`), or a prefix (`suicid*`). Consecutive elements may have up to two other words
//! between them ("je veux *vraiment* mourir"). Every word of the need is read, stop words and
//! negations included: "je ne veux plus vivre" is a crisis, and so — erring on the side of
//! detecting — is "I'm not suicidal". Light typos are tolerated: words of six letters or more and
//! prefixes of five or more may be one edit away, with the same first letter.

use super::analyze::{NeedAnalysis, Token};
use super::dictionary::BoundedOsa;

/// A crisis the need text describes. When several are found, the first in this order wins:
/// immediate danger, suicide or self-harm, violence or abuse.
///
/// # Examples
/// ```
/// use passerelle::text::{detect_crisis, Analyzer, CrisisKind};
/// let analyzer = Analyzer::standard();
/// let need = analyzer.analyze("j'ai des pensées suicidaires").unwrap();
/// assert_eq!(detect_crisis(&need), Some(CrisisKind::SuicideOrSelfHarm));
/// assert_eq!(need.crisis, Some(CrisisKind::SuicideOrSelfHarm)); // also filled in by analyze
/// assert_eq!(analyzer.analyze("crise du logement").unwrap().crisis, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CrisisKind {
    /// Someone is in danger now (threats to kill, weapons, overdose, "not safe"): call 911.
    ImmediateDanger,
    /// Suicidal thoughts or self-harm: crisis and distress lines (9-8-8).
    SuicideOrSelfHarm,
    /// Violence or abuse (partner, family, elder, sexual): violence support and shelters.
    ViolenceOrAbuse,
}

/// A crisis pattern.
struct Pattern {
    kind: CrisisKind,
    /// Space-separated elements.
    elems: &'static str,
    /// Words that, within two words of the match, mean something else ("substance abuse").
    unless_near: &'static [&'static str],
}

const fn p(kind: CrisisKind, elems: &'static str) -> Pattern {
    Pattern {
        kind,
        elems,
        unless_near: &[],
    }
}

use CrisisKind::{ImmediateDanger as D, SuicideOrSelfHarm as S, ViolenceOrAbuse as V};

const SUBSTANCES: &[&str] = &[
    "substance",
    "substances",
    "drug",
    "drugs",
    "alcohol",
    "drogue",
    "drogues",
    "alcool",
    "medicaments",
    "opioid",
    "opioids",
];

const PATTERNS: &[Pattern] = &[
    // Immediate danger.
    p(D, "danger"),
    p(D, "unsafe"),
    p(D, "not|don|dont|never safe"),
    p(D, "pas securite|securitaire"),
    p(D, "gun|guns|firearm|knife|couteau|fusil"),
    p(D, "arme|armes"),
    p(D, "threat*|menac* kill|hurt|tuer"),
    p(D, "going|gonna kill|hurt me"),
    p(D, "he|she|they will kill|hurt"),
    p(D, "kill me"),
    p(D, "il|elle|ils tuer"),
    p(D, "overdose|overdosed|overdosing|surdose"),
    p(D, "911"),
    // Suicide and self-harm.
    p(S, "suicid*"),
    p(S, "m|am|suis|is|est|sommes in|en crisis|crise"),
    p(S, "kill*|kil myself"),
    p(S, "end*|take|taking my life"),
    p(S, "end*|take|taking my own life"),
    p(S, "end it all"),
    p(S, "want|wanna|wish die|dead"),
    p(S, "better off dead"),
    p(S, "no reason live"),
    p(S, "don|dont|not want live"),
    p(S, "self harm*|injur*|mutilat*"),
    p(S, "selfharm*"),
    p(S, "hurt*|harm*|cut|cutting myself"),
    p(S, "me|m tuer"),
    p(S, "enlever vie"),
    p(S, "mettre fin jours|vie"),
    p(S, "en finir"),
    p(S, "veux|veut|envie|voudrais|voulais mourir"),
    p(S, "plus vivre"),
    p(S, "automutil*"),
    p(S, "me|m mutiler|blesser|couper|scarifier"),
    p(S, "me|m faire|fais|fait|faisais mal"),
    p(S, "idees noires"),
    // Violence and abuse.
    Pattern {
        kind: V,
        elems: "abus*",
        unless_near: SUBSTANCES,
    },
    p(V, "viol*"),
    p(V, "maltrait*"),
    p(V, "hit|hits|hitting|beat|beats|beating|punch*|kick*|chok*|strangl*|slap* me|us|her|him"),
    p(V, "me|m frapp*|bat|bats|battu|battue|battre|etrangl*|gifl*"),
    p(V, "agress*"),
    p(V, "assault*|raped|rape|harass*|harcel*|stalk*|traffick*"),
    p(V, "afraid|scared|peur husband|wife|partner|boyfriend|girlfriend|mari|femme|conjoint|conjointe|chum|blonde"),
];

/// Reports the most urgent crisis in an analysed need, or `None`. Errs on the side of detecting:
/// a false alarm costs a call-taker a glance, a miss can cost a life.
///
/// Not a crisis by itself: "crisis" or "crise" (as in "crise du logement", or "crisis line",
/// which asks for crisis services), "emergency"/"urgence" ("emergency shelter").
pub fn detect_crisis(analysis: &NeedAnalysis) -> Option<CrisisKind> {
    let tokens = &analysis.tokens;
    let mut osa = BoundedOsa::new(MAX_FUZZY_WORD);
    let mut found: Option<CrisisKind> = None;
    for pattern in PATTERNS {
        if found.is_some_and(|f| f <= pattern.kind) {
            continue;
        }
        if matches_pattern(pattern, tokens, &mut osa) {
            found = Some(pattern.kind);
        }
    }
    found
}

/// Whole crisis words, added to the analyzer's dictionary so that misspellings are
/// corrected towards them.
pub(crate) const VOCABULARY: &[&str] = &[
    "suicide suicidaire suicidaires suicidal suicider automutilation mutiler myself",
    "mourir vivre violence violente conjugale frappe frapper battue maltraitance agression",
    "agressee abuse abused abusive assault harassment harcelement danger securite menace",
    "threatening overdose surdose couteau strangle",
];

/// Longest pattern word compared with typo tolerance, in characters.
const MAX_FUZZY_WORD: usize = 16;

fn matches_pattern(pattern: &Pattern, tokens: &[Token], osa: &mut BoundedOsa) -> bool {
    let elems: Vec<&str> = pattern.elems.split(' ').collect();
    (0..tokens.len())
        .any(|start| matches_from(&elems, tokens, start, osa) && !excluded(pattern, tokens, start))
}

/// True when a word of `unless_near` is within two words of `start`.
fn excluded(pattern: &Pattern, tokens: &[Token], start: usize) -> bool {
    let near = tokens
        .get(start.saturating_sub(2)..tokens.len().min(start + 3))
        .unwrap_or_default();
    near.iter().any(|t| pattern.unless_near.contains(&t.word()))
}

/// True when `elems` match starting exactly at `pos`, each next element at most two words on.
fn matches_from(elems: &[&str], tokens: &[Token], pos: usize, osa: &mut BoundedOsa) -> bool {
    let Some((first, rest)) = elems.split_first() else {
        return true;
    };
    let Some(token) = tokens.get(pos) else {
        return false;
    };
    if !element_matches(first, token, osa) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    (pos + 1..=pos + 3).any(|next| matches_from(rest, tokens, next, osa))
}

fn element_matches(elem: &str, token: &Token, osa: &mut BoundedOsa) -> bool {
    elem.split('|').any(|alt| {
        std::iter::once(token.text.as_str())
            .chain(token.correction.as_ref().map(|c| c.token.as_str()))
            .any(|form| form_matches(alt, form, osa))
    })
}

fn form_matches(alt: &str, form: &str, osa: &mut BoundedOsa) -> bool {
    let (pat, prefix) = match alt.strip_suffix('*') {
        Some(p) => (p, true),
        None => (alt, false),
    };
    if if prefix {
        form.starts_with(pat)
    } else {
        form == pat
    } {
        return true;
    }
    // Typo tolerance: same first letter, one edit. Patterns are ASCII: bytes are characters.
    let min_len = if prefix { 5 } else { 6 };
    if pat.len() < min_len
        || pat.len() > MAX_FUZZY_WORD
        || pat.chars().next() != form.chars().next()
    {
        return false;
    }
    let pat_chars: Vec<char> = pat.chars().collect();
    if prefix {
        // Compare the pattern with the word's beginnings one character shorter or longer.
        let n = pat_chars.len();
        (n - 1..=n + 1).any(|k| {
            let end = form.char_indices().nth(k).map_or(form.len(), |(i, _)| i);
            form.chars().count() >= k
                && osa
                    .distance(&pat_chars, form.get(..end).unwrap_or(form), 1)
                    .is_some()
        })
    } else {
        osa.distance(&pat_chars, form, 1).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    #[test]
    fn patterns_are_folded_ascii_words() {
        for pattern in PATTERNS {
            for alt in pattern.elems.split([' ', '|']) {
                let word = alt.strip_suffix('*').unwrap_or(alt);
                assert!(word.is_ascii() && !word.is_empty(), "{alt}");
                assert_eq!(normalize(word), word, "{alt}");
            }
        }
        assert!(
            PATTERNS.windows(2).all(|w| w[0].kind <= w[1].kind),
            "most urgent first"
        );
    }

    #[test]
    fn fuzzy_rules() {
        let mut osa = BoundedOsa::new(MAX_FUZZY_WORD);
        assert!(form_matches("suicid*", "sucidaire", &mut osa));
        assert!(form_matches("mourir", "mourrir", &mut osa));
        assert!(!form_matches("mourir", "nourrir", &mut osa)); // first letter
        assert!(!form_matches("vivre", "vivres", &mut osa)); // short words are exact
        assert!(!form_matches("tuer", "tuez", &mut osa));
    }
}
