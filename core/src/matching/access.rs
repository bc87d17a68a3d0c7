//! Accessibility in matching: the codes of a location's accessibility records and of a
//! query, the accessibility factor's value, and the reason that names what is known.

use crate::model::facts::code_prefix;
use crate::model::AccessFeature;

use super::query::Query;
use super::result::Reason;
use super::score::Factor;

/// Set in a site's accessibility bits when its location has any accessibility record (the
/// other bits index `Navigator::access_codes`, at most 31 codes).
pub(super) const ACCESS_KNOWN: u32 = 1 << 31;

/// The distinct codes a query needs: a project code as is, words read as features
/// ("fauteuil roulant" → `wheelchair`), anything else as a code of its own.
pub(super) fn query_codes(needs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for need in needs {
        match AccessFeature::parse_code(need) {
            Some(f) => out.push(f.as_str().to_owned()),
            None => {
                let features = AccessFeature::from_text(need);
                if features.is_empty() {
                    let code = code_prefix(need);
                    if !code.is_empty() {
                        out.push(code);
                    }
                } else {
                    out.extend(features.iter().map(|f| f.as_str().to_owned()));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The accessibility factor of an in-person site: the share of the needed features it lists;
/// 0.5 when its location has no accessibility information (unknown ranks below a known
/// match, above a site whose listed features lack the need).
pub(super) fn value(site: u32, need_bits: u32, needed: usize) -> f32 {
    if needed == 0 {
        return 1.0;
    }
    if site & ACCESS_KNOWN == 0 {
        return 0.5;
    }
    (site & need_bits).count_ones() as f32 / needed as f32
}

/// Replaces the generic accessibility reason of an in-person match by one that names what
/// the directory says: the needed features listed, those not listed, or that the place gives
/// no accessibility information.
pub(super) fn name_what_is_known(
    reasons: &mut [Reason],
    query: &Query,
    site: u32,
    codes: &[String],
) {
    let Some(reason) = reasons
        .iter_mut()
        .find(|r| r.factor == Factor::Accessibility)
    else {
        return;
    };
    let needed = query_codes(&query.accessibility);
    if needed.is_empty() {
        return;
    }
    if site & ACCESS_KNOWN == 0 {
        reason.en = "No accessibility information is listed for this place; call to check.".into();
        reason.fr =
            "Aucune information d'accessibilité n'est indiquée pour ce lieu; appelez pour vérifier."
                .into();
        return;
    }
    let listed = |code: &str| {
        codes
            .iter()
            .position(|c| c == code)
            .is_some_and(|i| i < 31 && site & (1 << i) != 0)
    };
    let (have, lack): (Vec<&String>, Vec<&String>) = needed.iter().partition(|c| listed(c));
    // The resident's own words are never echoed: a need that is no known feature is named
    // generically.
    let (have_en, have_fr) = needs_named(&have);
    let (lack_en, lack_fr) = needs_named(&lack);
    match (have.is_empty(), lack.is_empty()) {
        (false, true) => {
            reason.en = format!("Lists {have_en}.");
            reason.fr = format!("Indique : {have_fr}.");
        }
        (false, false) => {
            reason.en = format!("Lists {have_en}; {lack_en} not listed, call to check.");
            reason.fr =
                format!("Indique : {have_fr}; {lack_fr} non indiqué, appelez pour vérifier.");
        }
        _ => {
            let (other_en, other_fr) = names_of(
                codes
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i < 31 && site & (1 << i) != 0)
                    .map(|(_, c)| c.as_str())
                    .take(4),
            );
            reason.en = capitalised(&format!(
                "{lack_en} not listed (the place lists {other_en}); call to check."
            ));
            reason.fr = capitalised(&format!(
                "{lack_fr} non indiqué (le lieu indique : {other_fr}); appelez pour vérifier."
            ));
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// English and French names of needed features; a need that is no known feature is "another
/// feature you need".
fn needs_named(codes: &[&String]) -> (String, String) {
    let known: Vec<&str> = codes
        .iter()
        .filter(|c| AccessFeature::parse_code(c).is_some())
        .map(|c| c.as_str())
        .collect();
    let (mut en, mut fr) = names_of(known.iter().copied());
    if known.len() < codes.len() {
        let sep = |s: &str| if s.is_empty() { "" } else { ", " };
        en = format!("{en}{}another feature you need", sep(&en));
        fr = format!("{fr}{}une autre caractéristique requise", sep(&fr));
    }
    (en, fr)
}

/// English and French names of codes, comma-separated (a code of the directory's own as is).
fn names_of<'a>(codes: impl Iterator<Item = &'a str>) -> (String, String) {
    let (en, fr): (Vec<&str>, Vec<&str>) = codes
        .map(|c| match AccessFeature::parse_code(c) {
            Some(f) => f.names(),
            None => (c, c),
        })
        .unzip();
    (en.join(", "), fr.join(", "))
}

/// The code at the start of a text (`wheelchair: ramp at back` → `wheelchair`).
#[cfg(test)]
mod tests {
    use super::*;

    fn reason_for(needs: &[&str], site: u32, codes: &[&str]) -> Reason {
        let q = Query::default().accessibility(needs.iter().copied());
        let mut reasons = vec![Reason {
            factor: Factor::Accessibility,
            en: String::new(),
            fr: String::new(),
        }];
        let codes: Vec<String> = codes.iter().map(|c| (*c).to_owned()).collect();
        name_what_is_known(&mut reasons, &q, site, &codes);
        reasons.remove(0)
    }

    #[test]
    fn the_reason_names_what_is_listed() {
        let codes = ["ramp", "wheelchair", "elevator"];
        let r = reason_for(&["wheelchair"], ACCESS_KNOWN | 0b010, &codes);
        assert_eq!(r.en, "Lists wheelchair access.");
        let r = reason_for(
            &["fauteuil roulant", "elevator"],
            ACCESS_KNOWN | 0b010,
            &codes,
        );
        assert_eq!(
            r.en,
            "Lists wheelchair access; elevator not listed, call to check."
        );
        let r = reason_for(&["wheelchair"], ACCESS_KNOWN | 0b101, &codes);
        assert_eq!(
            r.en,
            "Wheelchair access not listed (the place lists ramp, elevator); call to check."
        );
        assert_eq!(
            r.fr,
            "Accès en fauteuil roulant non indiqué (le lieu indique : rampe, ascenseur); appelez pour vérifier."
        );
        let r = reason_for(&["wheelchair"], 0, &codes);
        assert!(r.en.starts_with("No accessibility information"));
    }

    #[test]
    fn never_echoes_the_residents_words() {
        let r = reason_for(
            &["wheelchair", "private words"],
            ACCESS_KNOWN | 1,
            &["wheelchair"],
        );
        assert_eq!(
            r.en,
            "Lists wheelchair access; another feature you need not listed, call to check."
        );
        assert!(!r.fr.contains("private") && !r.en.contains("private"));
    }

    #[test]
    fn values() {
        assert_eq!(value(ACCESS_KNOWN | 0b11, 0b11, 2), 1.0);
        assert_eq!(value(ACCESS_KNOWN | 0b01, 0b11, 2), 0.5);
        assert_eq!(value(ACCESS_KNOWN, 0b11, 2), 0.0);
        assert_eq!(value(0, 0b11, 2), 0.5);
        assert_eq!(value(0, 0, 0), 1.0);
    }
}
