//! Crisis detection in French and English. Errs on the side of detecting.

use std::sync::OnceLock;

use passerelle::text::{detect_crisis, Analyzer, CrisisKind};

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::standard)
}

fn crisis(need: &str) -> Option<CrisisKind> {
    let analysis = analyzer().analyze(need).unwrap();
    assert_eq!(analysis.crisis, detect_crisis(&analysis));
    analysis.crisis
}

#[test]
fn suicide_and_self_harm() {
    for need in [
        "suicidaire",
        "pensées suicidaires",
        "pensees suicidaires",
        "J'ai des idées suicidaires",
        "je veux me tuer",
        "je veux mourir",
        "j'ai envie de mourir",
        "je ne veux plus vivre",
        "je veux mettre fin à mes jours",
        "je veux en finir",
        "automutilation",
        "je me fais du mal",
        "kill myself",
        "I want to kill myself",
        "I want to die",
        "I don't want to live anymore",
        "thinking about suicide",
        "suicidal",
        "self harm",
        "self-harm",
        "I've been cutting myself",
        "I'm not suicidal but", // errs on the side of detecting
        "I'm in crisis",
        "je suis en crise",
        // Light typos.
        "sucidaire",
        "suicidare",
        "automutilaton",
        "je veux mourrir",
        "I want to kil myself",
    ] {
        assert_eq!(
            crisis(need),
            Some(CrisisKind::SuicideOrSelfHarm),
            "{need:?}"
        );
    }
}

#[test]
fn violence_and_abuse() {
    for need in [
        "violence conjugale",
        "violence familiale",
        "il me frappe",
        "mon mari me frappe",
        "il m'a frappée",
        "elle me bat",
        "maltraitance",
        "agression sexuelle",
        "domestic violence",
        "my husband hits me",
        "he beats me",
        "elder abuse",
        "I'm being abused",
        "sexual assault",
        "I'm afraid of my boyfriend",
        "j'ai peur de mon conjoint",
        "violense conjugale",
    ] {
        assert_eq!(crisis(need), Some(CrisisKind::ViolenceOrAbuse), "{need:?}");
    }
}

#[test]
fn immediate_danger() {
    for need in [
        "je suis en danger",
        "I'm in danger",
        "he has a gun",
        "il veut me tuer",
        "il va me tuer",
        "he is going to kill me",
        "he threatened to kill me",
        "menace de me tuer",
        "my friend took an overdose",
        "surdose",
        "je ne suis pas en sécurité",
        "I don't feel safe at home",
    ] {
        assert!(crisis(need).is_some(), "{need:?}");
    }
    for need in [
        "he has a gun",
        "il veut me tuer",
        "overdose",
        "I'm in danger",
    ] {
        assert_eq!(crisis(need), Some(CrisisKind::ImmediateDanger), "{need:?}");
    }
}

#[test]
fn the_most_urgent_kind_wins() {
    assert_eq!(
        crisis("il me frappe et il veut me tuer"),
        Some(CrisisKind::ImmediateDanger)
    );
    assert_eq!(
        crisis("violence conjugale, pensées suicidaires"),
        Some(CrisisKind::SuicideOrSelfHarm)
    );
}

#[test]
fn not_a_crisis() {
    for need in [
        "crise du logement",
        "crisis line",
        "ligne de crise",
        "ligne d'écoute en cas de crise",
        "banque alimentaire",
        "emergency shelter",
        "hébergement d'urgence",
        "emergency food",
        "rent help",
        "recherche d'emploi",
        "soins de fin de vie",
        "substance abuse counselling",
        "abus de drogues",
        "pest control to kill bed bugs",
        "facture d'électricité",
        "je vais mourir de faim si je ne trouve pas de banque alimentaire", // hunger, not suicide
        "",
    ] {
        assert_eq!(crisis(need), None, "{need:?}");
    }
}

#[test]
fn crisis_line_asks_for_crisis_services() {
    let analysis = analyzer().analyze("crisis line").unwrap();
    assert_eq!(analysis.crisis, None);
    assert_eq!(analysis.terms[0].code.as_str(), "health.mental.crisis");
}
