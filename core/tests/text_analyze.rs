//! Need text analysis through the public API: normalisation, stemming, typos, the lexicon,
//! hierarchical expansion and the input limit.

use passerelle::{
    model::TermCode,
    text::{
        expand_terms, normalize, Analyzer, Lexicon, MatchKind, NeedLanguage, TextError,
        MAX_NEED_BYTES,
    },
};

const PAIRS: &str = include_str!("data/text_fr_en_pairs.csv");

fn analyzer() -> Analyzer {
    // A dictionary as the matcher builds it: words of the directory's service names.
    Analyzer::new(
        Lexicon::standard(),
        [
            "Ottawa Food Bank",
            "Centre d'emploi d'Ottawa",
            "Banque de loyer d'Ottawa",
            "Distress Centre of Ottawa and Region",
            "Popote roulante Vanier",
        ],
    )
}

fn codes(a: &Analyzer, need: &str) -> Vec<String> {
    a.analyze(need)
        .unwrap()
        .terms
        .iter()
        .map(|t| t.code.to_string())
        .collect()
}

#[test]
fn normalisation_examples() {
    assert_eq!(normalize("santé mentale"), normalize("sante mentale"));
    assert_eq!(normalize("aide à l'emploi"), normalize("aide a l'emploi"));
    assert_eq!(normalize("Aide à l’emploi"), "aide a l emploi");
    assert_eq!(normalize("sœur"), "soeur");
    assert_eq!(normalize("Ex-æquo"), "ex aequo");
    assert_eq!(normalize("Qu'il"), "qu il");
    assert_eq!(normalize("PENSÉES SUICIDAIRES!!"), "pensees suicidaires");
}

#[test]
fn accents_do_not_change_the_result() {
    let a = analyzer();
    for (accented, plain) in [
        ("santé mentale", "sante mentale"),
        ("hébergement d'urgence", "hebergement d'urgence"),
        ("pensées suicidaires", "pensees suicidaires"),
        ("facture d'électricité", "facture d'electricite"),
        ("arriérés de loyer", "arrieres de loyer"),
    ] {
        assert_eq!(codes(&a, accented), codes(&a, plain), "{accented}");
        assert!(!codes(&a, plain).is_empty(), "{plain}");
    }
}

#[test]
fn plurals_and_inflections_match() {
    let a = analyzer();
    for (x, y) in [
        ("logements", "logement"),
        ("banques alimentaires", "banque alimentaire"),
        ("meals", "meal"),
        ("food banks", "food bank"),
        ("loyers", "loyer"),
        ("entrevues", "entrevue"),
    ] {
        let cx = codes(&a, x);
        let cy = codes(&a, y);
        assert!(
            !cx.is_empty() && cx.iter().any(|c| cy.contains(c)),
            "{x}: {cx:?} / {y}: {cy:?}"
        );
    }
}

#[test]
fn french_and_english_phrasings_map_to_the_same_code() {
    let a = analyzer();
    let mut pairs = 0;
    for line in PAIRS.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let [fr, en, code] = line.split(',').collect::<Vec<_>>()[..] else {
            panic!("bad line {line}");
        };
        for (lang, need) in [("fr", fr), ("en", en)] {
            let found = codes(&a, need);
            assert!(
                found.iter().any(|c| c == code),
                "{lang} {need:?} → {found:?}, expected {code}"
            );
        }
        pairs += 1;
    }
    assert!(pairs >= 30, "{pairs} pairs");
}

#[test]
fn recherche_d_emplio_finds_employment() {
    let a = analyzer();
    let need = a.analyze("recherche d'emplio").unwrap();
    let top = &need.terms[0];
    assert_eq!(top.code.as_str(), "employment.jobsearch");
    assert_eq!(top.kind, MatchKind::Fuzzy);
    let emplio = need.tokens.iter().find(|t| t.text == "emplio").unwrap();
    let fix = emplio.correction.as_ref().unwrap();
    assert_eq!((fix.token.as_str(), fix.distance), ("emploi", 1));
    assert_eq!(need.language, NeedLanguage::French);
    // Works with no directory words at all: the lexicon's words are in the dictionary.
    assert_eq!(
        Analyzer::standard()
            .analyze("recherche d'emplio")
            .unwrap()
            .terms[0]
            .code
            .as_str(),
        "employment.jobsearch"
    );
}

#[test]
fn typos_in_needs() {
    let a = analyzer();
    assert!(codes(&a, "banque alimentiare").contains(&"food.bank".to_owned()));
    assert!(codes(&a, "hebergement d'urgense").contains(&"housing.shelter".to_owned()));
    assert!(codes(&a, "counseling").contains(&"health.mental.counselling".to_owned()));
    assert!(codes(&a, "unemployd").contains(&"employment.jobsearch".to_owned()));
}

#[test]
fn everyday_phrases() {
    let a = analyzer();
    for (need, code) in [
        ("I'm hungry", "food"),
        ("j'ai faim", "food"),
        ("behind on rent", "housing.rent"),
        ("je veux mourir", "health.mental.crisis"),
        ("CV", "employment.resume"),
        ("résumé", "employment.resume"),
        ("scam", "legal.consumer"),
        ("fraude", "legal.consumer"),
        ("arnaque", "legal.consumer"),
        ("hydro bill", "housing.utilities"),
        ("meals on wheels", "food.delivery"),
        ("help paying for food", "101-02-01"),
        ("bus passes", "105-01-01"),
    ] {
        let found = codes(&a, need);
        assert!(
            found.iter().any(|c| c == code),
            "{need:?} → {found:?}, expected {code}"
        );
    }
}

#[test]
fn longest_phrase_wins() {
    let a = analyzer();
    // "crise du logement" is a housing phrase, not the crisis-line word "crise".
    assert_eq!(codes(&a, "crise du logement"), ["housing"]);
    let shelter = codes(&a, "emergency shelter");
    assert!(shelter.contains(&"housing.shelter".to_owned()));
    assert!(!shelter.contains(&"101".to_owned()));
}

#[test]
fn a_need_for_food_reaches_every_kind_of_food_service() {
    let a = analyzer();
    let directory: Vec<TermCode> = [
        "food.bank",
        "food.meals",
        "food.delivery",
        "housing.rent",
        "foodstuff",
    ]
    .iter()
    .map(|c| TermCode::new(c).unwrap())
    .collect();
    for need in ["food", "nourriture", "alimentation"] {
        let analysis = a.analyze(need).unwrap();
        let terms = expand_terms(&analysis.terms, &directory);
        let found: Vec<&str> = terms
            .iter()
            .filter(|t| t.kind == MatchKind::Descendant)
            .map(|t| t.code.as_str())
            .collect();
        assert_eq!(
            found,
            ["food.bank", "food.delivery", "food.meals"],
            "{need}"
        );
        assert!(terms.iter().all(|t| t.weight > 0.0 && t.weight <= 1.0));
    }
}

#[test]
fn search_stems_and_document_stems_meet() {
    let a = analyzer();
    let need = a.analyze("banques alimentaires").unwrap();
    let doc = a.document_stems(
        "Banque alimentaire",
        Some(&passerelle::model::LangCode::fr()),
    );
    for s in need.search_stems() {
        assert!(doc.iter().any(|d| d == s), "{s} not in {doc:?}");
    }
    let need = a.analyze("hot meals").unwrap();
    let doc = a.document_stems("Hot meal program", None);
    for s in need.search_stems() {
        assert!(doc.iter().any(|d| d == s), "{s} not in {doc:?}");
    }
}

#[test]
fn language_guess() {
    let a = analyzer();
    assert_eq!(
        a.analyze("j'ai besoin d'aide pour mon loyer")
            .unwrap()
            .language,
        NeedLanguage::French
    );
    assert_eq!(
        a.analyze("I need help with my rent").unwrap().language,
        NeedLanguage::English
    );
    assert_eq!(a.analyze("CV").unwrap().language, NeedLanguage::Unknown);
    let unknown = a.analyze("xyzzy").unwrap();
    assert_eq!(unknown.language, NeedLanguage::Unknown);
}

#[test]
fn deployer_extensions() {
    let mut lexicon = Lexicon::standard();
    let code = TermCode::new("food.bank").unwrap();
    lexicon
        .add(
            "frigo communautaire",
            passerelle::model::LangCode::fr(),
            code.clone(),
        )
        .unwrap();
    lexicon
        .extend_from_csv_str(
            "phrase,lang,codes,kind\nmobile pantry,en,food.bank delivery.mobile,\n",
        )
        .unwrap();
    let a = Analyzer::new(lexicon, [""; 0]);
    assert!(codes(&a, "frigos communautaires").contains(&"food.bank".to_owned()));
    assert!(codes(&a, "mobile pantry").contains(&"delivery.mobile".to_owned()));
    assert!(matches!(
        Lexicon::from_csv_str("phrase,lang,codes\nthe,en,food\n"),
        Err(TextError::Lexicon { line: 2, .. })
    ));
}

#[test]
fn input_limit() {
    let a = analyzer();
    let at_limit = "é".repeat(MAX_NEED_BYTES / 2);
    assert!(a.analyze(&at_limit).is_ok());
    let over = format!("{at_limit}x");
    let err = a.analyze(&over).unwrap_err();
    assert_eq!(
        err,
        TextError::NeedTooLong {
            len: MAX_NEED_BYTES + 1,
            max: MAX_NEED_BYTES
        }
    );
    // The crate error wraps it, and its message has no resident text.
    let err: passerelle::Error = err.into();
    assert!(!err.to_string().contains('é'));
}
