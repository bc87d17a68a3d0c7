//! Plain-language reasons, in English and French, that a call-taker can read out.

use crate::model::DeliveryMode;

use super::query::Query;
use super::result::{EligibilityStatus, Match, NeedMatchKind, NoMatchReason, Reason};
use super::score::Factor;
use crate::model::Openness;
use crate::rules::FactCatalog;
use crate::text::CrisisKind;

fn r(factor: Factor, en: impl Into<String>, fr: impl Into<String>) -> Reason {
    Reason {
        factor,
        en: en.into(),
        fr: fr.into(),
    }
}

/// `650 m` / `1.2 km` (English) and `650 m` / `1,2 km` (French).
pub(crate) fn distance_text(m: f64) -> (String, String) {
    if m < 1_000.0 {
        let s = format!("{:.0} m", (m / 10.0).round() * 10.0);
        (s.clone(), s)
    } else {
        let en = format!("{:.1} km", m / 1_000.0);
        let fr = en.replace('.', ",");
        (en, fr)
    }
}

/// English and French names of common language codes.
pub(crate) fn language_name(code: &str) -> (&str, &str) {
    match code {
        "en" => ("English", "anglais"),
        "fr" => ("French", "français"),
        "es" => ("Spanish", "espagnol"),
        "ar" => ("Arabic", "arabe"),
        "zh" => ("Chinese", "chinois"),
        "so" => ("Somali", "somali"),
        "pa" => ("Punjabi", "pendjabi"),
        "oj" => ("Ojibwe", "ojibwé"),
        "cr" => ("Cree", "cri"),
        "iu" => ("Inuktitut", "inuktitut"),
        "tl" => ("Tagalog", "tagalog"),
        "vi" => ("Vietnamese", "vietnamien"),
        "pt" => ("Portuguese", "portugais"),
        "fa" => ("Persian", "persan"),
        "asl" | "ase" => ("ASL", "ASL"),
        "fcs" => ("LSQ", "LSQ"),
        other => (other, other),
    }
}

/// The reasons of a match: the main ones, or every factor with `query.explain`.
pub(crate) fn reasons(m: &Match, query: &Query, catalog: &FactCatalog) -> Vec<Reason> {
    let all = query.explain;
    let mut out = Vec::new();
    need_reasons(m, &mut out);
    where_reasons(m, &mut out);
    eligibility_reasons(m, catalog, all, &mut out);
    hours_reasons(m, all, &mut out);
    language_access_reasons(m, query, all, &mut out);
    other_reasons(m, all, &mut out);
    out
}

/// The crisis line and how the service matches the need.
fn need_reasons(m: &Match, out: &mut Vec<Reason>) {
    if m.crisis_line {
        out.push(r(
            Factor::Need,
            "24/7 crisis service, listed first for your safety.",
            "Service de crise 24 h sur 24, 7 jours sur 7, présenté en premier pour votre sécurité.",
        ));
    }
    out.push(match m.need_match {
        NeedMatchKind::Exact => r(
            Factor::Need,
            "Offers exactly this kind of help.",
            "Offre exactement ce type d'aide.",
        ),
        NeedMatchKind::Descendant => r(
            Factor::Need,
            "Offers a specific kind of this help.",
            "Offre une forme précise de cette aide.",
        ),
        NeedMatchKind::Synonym | NeedMatchKind::Fuzzy => r(
            Factor::Need,
            "Matches the need as described.",
            "Correspond au besoin tel que décrit.",
        ),
        NeedMatchKind::Broader => r(
            Factor::Need,
            "Offers help in this broader area.",
            "Offre de l'aide dans ce domaine plus large.",
        ),
        NeedMatchKind::Text => r(
            Factor::Need,
            "Its description mentions this need.",
            "Sa description mentionne ce besoin.",
        ),
    });
}

/// How the resident receives the service, how far it is, the area it serves.
fn where_reasons(m: &Match, out: &mut Vec<Reason>) {
    let value = |f: Factor| m.breakdown.get(f).value;
    // Where / how.
    match m.via {
        DeliveryMode::HomeVisit => out.push(r(
            Factor::Delivery,
            "Comes to your home (home visits or delivery).",
            "Se déplace chez vous (visites ou livraison à domicile).",
        )),
        DeliveryMode::Phone => out.push(r(
            Factor::Delivery,
            "Available by phone, no travel needed.",
            "Offert par téléphone, sans déplacement.",
        )),
        DeliveryMode::Virtual => out.push(r(
            Factor::Delivery,
            "Available online, no travel needed.",
            "Offert en ligne, sans déplacement.",
        )),
        _ => {}
    }
    if let Some(d) = m.distance_m {
        let (en, fr) = distance_text(d);
        out.push(r(
            Factor::Distance,
            format!("{en} from you."),
            format!("À {fr} de chez vous."),
        ));
    }
    if value(Factor::Coverage) == Some(1.0) {
        out.push(r(
            Factor::Coverage,
            "You live within the area it serves.",
            "Vous habitez dans le territoire qu'il dessert.",
        ));
    }
}

/// Eligibility: to confirm (with the facts to ask about, by their labels) or failed.
fn eligibility_reasons(m: &Match, catalog: &FactCatalog, all: bool, out: &mut Vec<Reason>) {
    // Eligibility.
    match m.eligibility.status {
        EligibilityStatus::Eligible => {
            if all {
                out.push(r(
                    Factor::Eligibility,
                    "You appear to be eligible.",
                    "Vous semblez admissible.",
                ));
            }
        }
        EligibilityStatus::Unknown => {
            // Plain-language labels ("household income"), not fact names.
            let labels = |fr: bool| {
                let names: Vec<&str> = m
                    .eligibility
                    .missing_facts
                    .iter()
                    .map(|f| match catalog.get(f) {
                        Some(d) if fr => d.label_fr(),
                        Some(d) => d.label_en(),
                        None => f.as_str(),
                    })
                    .collect();
                names.join(", ")
            };
            out.push(r(
                Factor::Eligibility,
                format!("Eligibility to confirm (ask about: {}).", labels(false)),
                format!("Admissibilité à confirmer (demander : {}).", labels(true)),
            ));
        }
        EligibilityStatus::Ineligible => {
            out.push(r(
                Factor::Eligibility,
                "You do not appear to be eligible:",
                "Vous ne semblez pas admissible :",
            ));
            out.extend(m.eligibility.failed.iter().cloned());
        }
    }
}

/// Opening hours at the query instant.
fn hours_reasons(m: &Match, all: bool, out: &mut Vec<Reason>) {
    // Hours.
    match (m.openness, m.always_open, &m.hours) {
        (_, true, _) => out.push(r(
            Factor::Open,
            "Open 24/7.",
            "Ouvert 24 h sur 24, 7 jours sur 7.",
        )),
        (Openness::Open { .. }, false, Some(h)) => out.push(r(
            Factor::Open,
            format!("Open now ({}).", h.en),
            format!("Ouvert maintenant ({}).", h.fr),
        )),
        (Openness::Open { .. }, false, None) => {
            out.push(r(Factor::Open, "Open now.", "Ouvert maintenant."))
        }
        (Openness::Closed { .. }, _, Some(h)) => out.push(r(
            Factor::Open,
            format!("Closed now; {}.", h.en),
            format!("Fermé en ce moment; {}.", h.fr),
        )),
        (Openness::Closed { .. }, _, None) => {
            out.push(r(Factor::Open, "Closed now.", "Fermé en ce moment."))
        }
        _ => {
            if all {
                out.push(r(
                    Factor::Open,
                    "Opening hours not listed; call first.",
                    "Heures d'ouverture non indiquées; appelez avant.",
                ));
            }
        }
    }
}

/// Language and accessibility.
fn language_access_reasons(m: &Match, query: &Query, all: bool, out: &mut Vec<Reason>) {
    let value = |f: Factor| m.breakdown.get(f).value;
    // Language.
    match value(Factor::Language) {
        Some(v) if v >= 1.0 => {
            if let Some(l) = query.languages.first() {
                let (en, fr) = language_name(l.primary());
                out.push(r(
                    Factor::Language,
                    format!("Service in a language you speak ({en} or another of yours)."),
                    format!(
                        "Service dans une langue que vous parlez ({fr} ou une autre des vôtres)."
                    ),
                ));
            }
        }
        Some(v) if v <= 0.0 => out.push(r(
            Factor::Language,
            "Not listed as offered in your languages; ask about interpretation.",
            "Non offert dans vos langues selon le répertoire; demandez un interprète.",
        )),
        Some(_) if all => out.push(r(
            Factor::Language,
            "Languages offered are not listed.",
            "Les langues offertes ne sont pas indiquées.",
        )),
        _ => {}
    }

    // Accessibility.
    match value(Factor::Accessibility) {
        Some(v) if v >= 1.0 => out.push(r(
            Factor::Accessibility,
            "Has the accessibility features you need.",
            "Offre les caractéristiques d'accessibilité dont vous avez besoin.",
        )),
        Some(_) => out.push(r(
            Factor::Accessibility,
            "Not all the accessibility features you need are listed; call to check.",
            "Les caractéristiques d'accessibilité requises ne sont pas toutes indiquées; appelez pour vérifier.",
        )),
        None => {}
    }
}

/// Population, one-stop, cost, and with `explain` freshness and capacity.
fn other_reasons(m: &Match, all: bool, out: &mut Vec<Reason>) {
    let value = |f: Factor| m.breakdown.get(f).value;
    if value(Factor::Population) == Some(1.0) {
        out.push(r(
            Factor::Population,
            "Designed for your community.",
            "Conçu pour votre communauté.",
        ));
    }
    if !m.also_serves.is_empty() {
        let n = m.also_serves.len();
        let (s_en, s_fr) = if n > 1 { ("s", "s") } else { ("", "") };
        out.push(r(
            Factor::OneStop,
            format!("The same place also helps with {n} of your other need{s_en}."),
            format!("Au même endroit : aide aussi pour {n} autre{s_fr} de vos besoins."),
        ));
    }
    match value(Factor::Cost) {
        Some(v) if v >= 1.0 => out.push(r(Factor::Cost, "Free.", "Gratuit.")),
        Some(v) if v <= 0.2 && all => out.push(r(
            Factor::Cost,
            "Fees may apply.",
            "Des frais peuvent s'appliquer.",
        )),
        _ => {}
    }
    if all {
        match value(Factor::Freshness) {
            Some(v) if v >= 1.0 => out.push(r(
                Factor::Freshness,
                "Information verified within the last year.",
                "Information vérifiée au cours de la dernière année.",
            )),
            Some(0.5) => out.push(r(
                Factor::Freshness,
                "Date of last verification unknown.",
                "Date de la dernière vérification inconnue.",
            )),
            Some(_) => out.push(r(
                Factor::Freshness,
                "Information not verified recently; confirm details.",
                "Information non vérifiée récemment; confirmez les détails.",
            )),
            None => {}
        }
        match value(Factor::Capacity) {
            Some(0.5) => {}
            Some(v) if v <= 0.0 => out.push(r(
                Factor::Capacity,
                "Currently full; ask about the waiting list.",
                "Complet en ce moment; demandez la liste d'attente.",
            )),
            Some(_) => out.push(r(
                Factor::Capacity,
                "Has room at the moment.",
                "A de la place en ce moment.",
            )),
            None => {}
        }
    }
}

/// Why a need got no result, in plain language.
pub(crate) fn no_match(reason: NoMatchReason) -> Reason {
    let (en, fr) = match reason {
        NoMatchReason::NeedNotUnderstood => (
            "The need was not recognised; try other words or pick a category.",
            "Le besoin n'a pas été reconnu; essayez d'autres mots ou choisissez une catégorie.",
        ),
        NoMatchReason::NoServiceForNeed => (
            "No service in the directory offers this kind of help.",
            "Aucun service du répertoire n'offre ce type d'aide.",
        ),
        NoMatchReason::AllInactive => (
            "The services for this need are currently inactive or closed.",
            "Les services pour ce besoin sont inactifs ou fermés en ce moment.",
        ),
        NoMatchReason::OutsideServiceArea => (
            "The services for this need do not serve your area.",
            "Les services pour ce besoin ne desservent pas votre secteur.",
        ),
        NoMatchReason::AllTooFar => (
            "The services for this need are all farther than the distance chosen.",
            "Les services pour ce besoin sont tous plus loin que la distance choisie.",
        ),
        NoMatchReason::DeliveryMismatch => (
            "No service for this need is delivered the way you need (home visit, phone…).",
            "Aucun service pour ce besoin n'est offert de la façon requise (à domicile, par téléphone…).",
        ),
        NoMatchReason::AllIneligible => (
            "You do not appear to be eligible for the services for this need.",
            "Vous ne semblez admissible à aucun des services pour ce besoin.",
        ),
        NoMatchReason::AllClosed => (
            "The services for this need are all closed at this time.",
            "Les services pour ce besoin sont tous fermés en ce moment.",
        ),
        NoMatchReason::Language => (
            "No service for this need is offered in your languages.",
            "Aucun service pour ce besoin n'est offert dans vos langues.",
        ),
        NoMatchReason::Cost => (
            "No free service was found for this need.",
            "Aucun service gratuit n'a été trouvé pour ce besoin.",
        ),
    };
    r(Factor::Need, en, fr)
}

/// The crisis notice.
pub(crate) fn crisis_notice(kind: CrisisKind) -> Reason {
    let (en, fr) = match kind {
        CrisisKind::SuicideOrSelfHarm => (
            "Crisis detected (suicidal thoughts or self-harm): if the person is in immediate danger, call 911. You can call or text 9-8-8 at any time. 24/7 crisis lines are listed first.",
            "Situation de crise détectée (idées suicidaires ou automutilation) : en cas de danger immédiat, composez le 911. Vous pouvez appeler ou texter le 9-8-8 en tout temps. Les lignes de crise 24 h sur 24 sont présentées en premier.",
        ),
        CrisisKind::ViolenceOrAbuse => (
            "Crisis detected (violence or abuse): if anyone is in immediate danger, call 911. 24/7 support lines are listed first.",
            "Situation de crise détectée (violence ou mauvais traitements) : en cas de danger immédiat, composez le 911. Les lignes de soutien 24 h sur 24 sont présentées en premier.",
        ),
        _ => (
            "Someone may be in immediate danger: call 911 now. 24/7 crisis lines are listed first.",
            "Une personne est peut-être en danger immédiat : composez le 911 maintenant. Les lignes de crise 24 h sur 24 sont présentées en premier.",
        ),
    };
    r(Factor::Need, en, fr)
}

/// The crisis notice when the directory lists no crisis service: said plainly, with 911 and
/// 9-8-8.
pub(crate) fn no_crisis_line(mut notice: Reason) -> Reason {
    notice.en.push_str(
        " This directory lists no crisis line: in an emergency call 911; for suicidal thoughts or emotional distress call or text 9-8-8.",
    );
    notice.fr.push_str(
        " Cet annuaire ne contient aucune ligne de crise : en cas d'urgence, composez le 911; en cas d'idées suicidaires ou de détresse, appelez ou textez le 9-8-8.",
    );
    notice
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_in_both_languages() {
        assert_eq!(distance_text(644.0), ("640 m".into(), "640 m".into()));
        assert_eq!(distance_text(1_234.0), ("1.2 km".into(), "1,2 km".into()));
    }

    #[test]
    fn every_no_match_reason_is_bilingual() {
        for reason in [
            NoMatchReason::NeedNotUnderstood,
            NoMatchReason::NoServiceForNeed,
            NoMatchReason::AllInactive,
            NoMatchReason::OutsideServiceArea,
            NoMatchReason::AllTooFar,
            NoMatchReason::DeliveryMismatch,
            NoMatchReason::AllIneligible,
            NoMatchReason::AllClosed,
            NoMatchReason::Language,
            NoMatchReason::Cost,
        ] {
            let t = no_match(reason);
            assert!(!t.en.is_empty() && !t.fr.is_empty() && t.en != t.fr);
        }
    }
}
