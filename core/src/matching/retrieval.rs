//! What the navigator reads of each service for ranked retrieval and crisis safety: the
//! documents of the text index (fields and languages) and the crisis flags recognised from the
//! directory itself.

use foldhash::{HashMap, HashMapExt};

use crate::model::{Directory, DirectoryIndex, LangCode, TaxonomyTerm, Text};
use crate::text::{normalize, Field, IndexBuilder, NeedLanguage, TextIndex};

/// Crisis flags of a service (bits).
pub(crate) mod crisis_bits {
    /// Suicide, self-harm, emotional distress.
    pub const SUICIDE: u8 = 1;
    /// Violence, abuse, assault.
    pub const VIOLENCE: u8 = 2;
    /// A crisis service of no more precise kind.
    pub const GENERAL: u8 = 4;
    /// Delivered by phone or text (a hotline, helpline, crisis or warm line).
    pub const PHONE_LINE: u8 = 8;
    /// Any crisis kind.
    pub const ANY: u8 = SUICIDE | VIOLENCE | GENERAL;
    /// Its own name names the crisis (not only its description or terms).
    pub const NAMED: u8 = 16;
}

/// Whether a service with crisis `bits` leads for a need whose crisis wants `mask`: it is a
/// crisis service of that kind, or of no precise kind (a violence line does not lead for
/// suicidal thoughts, nor the reverse; both lead for immediate danger).
pub(crate) fn leads(bits: u8, mask: u8) -> bool {
    let kinds = crisis_bits::SUICIDE | crisis_bits::VIOLENCE;
    bits & mask != 0 && !(bits & kinds != 0 && bits & mask & kinds == 0)
}

/// Ancestor depth read for a term's names.
const MAX_TERM_DEPTH: usize = 8;

fn lang_of(code: &LangCode) -> NeedLanguage {
    NeedLanguage::from_code(code)
}

fn push_text<'a>(
    parts: &mut Vec<(Field, &'a str, NeedLanguage)>,
    field: Field,
    text: &'a Text,
    default: NeedLanguage,
) {
    if !text.value.is_empty() {
        parts.push((field, text.value.as_str(), default));
    }
    for (l, v) in &text.translations {
        if !v.is_empty() {
            parts.push((field, v.as_str(), lang_of(l)));
        }
    }
}

/// The taxonomy terms a service is filed under (need categories and code-less terms), with
/// their ancestors, each once.
fn terms_with_ancestors<'a>(index: &DirectoryIndex<'a>, service_id: &str) -> Vec<&'a TaxonomyTerm> {
    let mut out: Vec<&'a TaxonomyTerm> = Vec::new();
    for a in index.attributes_of(service_id) {
        if !matches!(a.link_type.as_deref(), None | Some("service_category" | "")) {
            continue;
        }
        let mut term = index.term(&a.taxonomy_term_id);
        for _ in 0..MAX_TERM_DEPTH {
            let Some(t) = term else { break };
            if out.iter().any(|o| o.id == t.id) {
                break;
            }
            out.push(t);
            term = t.parent_id.as_deref().and_then(|p| index.term(p));
        }
    }
    out
}

/// Builds the text index over `dir.services` (document `i` is service `i`).
pub(crate) fn build_index(dir: &Directory, index: &DirectoryIndex<'_>) -> TextIndex {
    let default = lang_of(&dir.meta.default_language);
    let mut builder = IndexBuilder::new();
    for s in &dir.services {
        let mut parts: Vec<(Field, &str, NeedLanguage)> = Vec::new();
        push_text(&mut parts, Field::Name, &s.name, default);
        push_text(&mut parts, Field::AltName, &s.alternate_name, default);
        if let Some(org) = index.organization(&s.organization_id) {
            push_text(&mut parts, Field::Organization, &org.name, default);
        }
        push_text(&mut parts, Field::Description, &s.description, default);
        for t in terms_with_ancestors(index, &s.id) {
            let term_lang = t
                .language
                .as_deref()
                .and_then(|l| LangCode::new(l).ok())
                .map_or(default, |l| lang_of(&l));
            push_text(&mut parts, Field::Terms, &t.name, term_lang);
        }
        push_text(
            &mut parts,
            Field::Eligibility,
            &s.eligibility_description,
            default,
        );
        push_text(
            &mut parts,
            Field::Eligibility,
            &s.application_process,
            default,
        );
        builder.add(parts);
    }
    builder.finish()
}

/// Folded phrases naming a crisis service, by kind. Matched on whole words.
const SUICIDE_WORDS: &[&str] = &[
    "suicide",
    "suicidal",
    "suicidaire",
    "suicidaires",
    "988",
    "distress",
    "detresse",
    "self harm",
    "automutilation",
    "crisis line",
    "crisis hotline",
    "crisis intervention",
    "crisis center",
    "crisis centre",
    "crisis counseling",
    "crisis counselling",
    "mental health crisis",
    "psychiatric emergency",
    "ligne de crise",
    "centre de crise",
    "intervention de crise",
];
const VIOLENCE_WORDS: &[&str] = &[
    "domestic violence",
    "family violence",
    "partner violence",
    "sexual assault",
    "sexual violence",
    "rape",
    "battered",
    "child abuse",
    "elder abuse",
    "spouse abuse",
    "partner abuse",
    "escape violence",
    "violence conjugale",
    "violence familiale",
    "agression sexuelle",
    "maltraitance",
    "violence",
];
const GENERAL_WORDS: &[&str] = &["crisis", "crise"];
const LINE_WORDS: &[&str] = &[
    "hotline",
    "hotlines",
    "helpline",
    "helplines",
    "help line",
    "crisis line",
    "warmline",
    "warm line",
    "call or text",
    "text line",
    "talk line",
    "ligne d ecoute",
    "ligne de crise",
    "ligne d aide",
    "telephone crisis",
];
/// Words that, right before "abuse" or "violence", mean something other than a crisis.
const NOT_CRISIS_BEFORE: &[&str] = &["substance", "drug", "alcohol", "prevention"];

/// True when `phrase` occurs in `padded` (text with a space at both ends) as whole words.
fn contains_phrase(padded: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    let mut needle = String::with_capacity(phrase.len() + 2);
    needle.push(' ');
    needle.push_str(phrase);
    needle.push(' ');
    // `str::contains` (not `find`): std's vectorised search for short needles.
    padded.contains(needle.as_str())
}

/// Crisis bits of folded text.
pub(crate) fn crisis_bits_of_text(folded: &str) -> u8 {
    // "substance abuse", "drug abuse": not a crisis of violence.
    // The kept words between single spaces, with a space at both ends for whole-word tests.
    let mut cleaned = String::with_capacity(folded.len() + 2);
    cleaned.push(' ');
    let mut before: Option<&str> = None;
    for w in folded.split(' ') {
        let previous = before.replace(w);
        if matches!(w, "abuse" | "violence")
            && previous.is_some_and(|b| NOT_CRISIS_BEFORE.contains(&b))
        {
            continue;
        }
        if cleaned.len() > 1 {
            cleaned.push(' ');
        }
        cleaned.push_str(w);
    }
    cleaned.push(' ');
    let any = |list: &[&str]| list.iter().any(|p| contains_phrase(&cleaned, p));
    let mut bits = 0;
    if any(SUICIDE_WORDS) {
        bits |= crisis_bits::SUICIDE;
    }
    if any(VIOLENCE_WORDS) {
        bits |= crisis_bits::VIOLENCE;
    }
    if any(GENERAL_WORDS) {
        bits |= crisis_bits::GENERAL;
    }
    if any(LINE_WORDS) {
        bits |= crisis_bits::PHONE_LINE;
    }
    bits
}

/// Crisis codes of common taxonomies: the project's own, the 211/AIRS crisis intervention
/// prefix (hotlines included) and Open Eligibility's "Immediate Safety" and "Help Hotlines".
fn crisis_bits_of_code(code: &str) -> u8 {
    let c = code.trim();
    if c.starts_with("health.mental.crisis") || c.starts_with("RP-1500.1400-800") {
        crisis_bits::SUICIDE | crisis_bits::PHONE_LINE
    } else if c.starts_with("safety.violence")
        || c.starts_with("RP-1500.1400-200")
        || c.starts_with("RP-1500.1400-750")
        || c.starts_with("RP-1500.1400-150")
        || c == "101-06-01"
    {
        crisis_bits::VIOLENCE
    } else if c.starts_with("RP-1500.1400") || c == "108-07-02" || c == "108-09-02" {
        crisis_bits::GENERAL | crisis_bits::PHONE_LINE
    } else if c.starts_with("RP-1500") || c == "101-06" {
        crisis_bits::GENERAL
    } else {
        0
    }
}

/// Crisis flags per service (by position in `dir.services`): from the words of its name,
/// alternate name, description and own term names (both languages), its terms' codes, and
/// the deployer's lists (service ids, term codes; flagged services count as crisis of every
/// kind).
pub(crate) fn crisis_flags(
    dir: &Directory,
    index: &DirectoryIndex<'_>,
    flagged_services: &[String],
    flagged_terms: &[String],
) -> Vec<u8> {
    let mut by_term: HashMap<&str, u8> = HashMap::new();
    dir.services
        .iter()
        .map(|s| {
            let mut bits = 0u8;
            if flagged_services.iter().any(|f| f.trim() == s.id) {
                bits |= crisis_bits::ANY;
            }
            let mut text = String::new();
            for t in [&s.name, &s.alternate_name] {
                for v in t.all() {
                    text.push_str(v);
                    text.push(' ');
                }
            }
            let named = crisis_bits_of_text(&normalize(&text));
            if named & crisis_bits::ANY != 0 {
                bits |= crisis_bits::NAMED;
            }
            bits |= named;
            bits |= crisis_bits_of_text(&normalize(
                &s.description.all().collect::<Vec<_>>().join(" "),
            ));
            for a in index.attributes_of(&s.id) {
                let Some(t) = index.term(&a.taxonomy_term_id) else {
                    continue;
                };
                let tb = *by_term.entry(t.id.as_str()).or_insert_with(|| {
                    let mut b = t
                        .code
                        .as_ref()
                        .map_or(0, |c| crisis_bits_of_code(c.as_str()));
                    let names: Vec<&str> = t.name.all().collect();
                    b |= crisis_bits_of_text(&normalize(&names.join(" ")));
                    let code = t.code.as_ref().map(|c| c.as_str());
                    if flagged_terms.iter().any(|f| {
                        code.is_some_and(|c| {
                            c == f.trim() || c.starts_with(&format!("{}.", f.trim()))
                        }) || t.id == f.trim()
                    }) {
                        b |= crisis_bits::ANY;
                    }
                    b
                });
                bits |= tb;
            }
            // A line alone (an information line, a "help line" for taxes) is not a crisis.
            bits
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crisis_words() {
        assert_eq!(
            crisis_bits_of_text("crisis intervention and suicide prevention center"),
            crisis_bits::SUICIDE | crisis_bits::GENERAL
        );
        assert_eq!(crisis_bits_of_text("substance abuse treatment"), 0);
        assert_eq!(
            crisis_bits_of_text("24 hour domestic violence hotline"),
            crisis_bits::VIOLENCE | crisis_bits::PHONE_LINE
        );
        assert_eq!(crisis_bits_of_code("RP-1500.1400-800"), 9);
        assert_eq!(crisis_bits_of_code("102"), 0);
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let reference =
            |text: &str, phrase: &str| format!(" {text} ").contains(&format!(" {phrase} "));
        let texts = [
            "help line",
            "helpline help line",
            "a help help line",
            "crisis crisis line",
            "aaa aa",
            "linea line",
            "the hotlines",
            "",
            "  double  space ",
            "détresse ligne d ecoute",
        ];
        let phrases = [
            "help line",
            "line",
            "aa",
            "crisis line",
            "hotline",
            "ligne d ecoute",
            "detresse",
            "space",
        ];
        for t in texts {
            for p in phrases {
                assert_eq!(
                    contains_phrase(&format!(" {t} "), p),
                    reference(t, p),
                    "{t:?} {p:?}"
                );
            }
        }
        assert!(!contains_phrase("  ", ""));
    }
}
