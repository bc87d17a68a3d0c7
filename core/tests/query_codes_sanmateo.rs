//! Codes in a query are checked against the directory and the project's catalogue, on the
//! real San Mateo County feed (`tests/data/hsds/smc-ohana-full`, BSD-3-Clause): an unknown
//! population, accessibility or term code is a typed error with a suggestion, never ignored.

use std::path::PathBuf;
use std::sync::OnceLock;

use passerelle::matching::CodeField;
use passerelle::model::TermCode;
use passerelle::*;

fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds/smc-ohana-full");
        let mut d = import_path(dir, &ImportOptions::default())
            .unwrap()
            .directory;
        if d.meta.timezone.is_none() {
            d.meta.timezone = Some("America/Los_Angeles".into());
        }
        Navigator::build(d, NavigatorOptions::default()).unwrap().0
    })
}

fn unknown_code(q: &Query) -> (CodeField, usize, Option<String>, String) {
    match nav().search(q) {
        Err(Error::Match(e)) => {
            let msg = e.to_string();
            match e {
                MatchError::UnknownCode {
                    field,
                    index,
                    suggestion,
                } => (field, index, suggestion, msg),
                other => panic!("expected UnknownCode, got {other:?}"),
            }
        }
        other => panic!("expected UnknownCode, got {other:?}"),
    }
}

fn food() -> Query {
    Query::new([Need::text("food pantry")]).limit(3)
}

#[test]
fn a_population_the_directory_does_not_know_is_an_error() {
    // The feed files no service under a target population: the code would do nothing.
    let (field, index, _, msg) = unknown_code(&food().populations(["south-asian"]));
    assert_eq!(field, CodeField::Population);
    assert_eq!(index, 0);
    assert!(
        !msg.contains("south-asian"),
        "the code is resident data: {msg}"
    );
}

#[test]
fn a_misspelt_accessibility_code_suggests_the_feature() {
    let ok = nav().search(&food().accessibility(["wheelchair", "fauteuil roulant"]));
    assert!(ok.is_ok(), "{ok:?}");
    let (field, index, suggestion, msg) =
        unknown_code(&food().accessibility(["wheelchair", "wheelchiar"]));
    assert_eq!(field, CodeField::Accessibility);
    assert_eq!(index, 1);
    assert_eq!(suggestion.as_deref(), Some("wheelchair"));
    assert!(msg.contains("did you mean \"wheelchair\""), "{msg}");
}

#[test]
fn term_codes_are_checked_against_the_feed_and_the_lexicon() {
    // A code of the feed's own taxonomy (Open Eligibility "Food") and a lexicon code work.
    for code in ["102", "food.bank", "food"] {
        let q = Query::new([Need::term(TermCode::new(code).unwrap())]).limit(3);
        assert!(nav().search(&q).is_ok(), "{code}");
    }
    let q = Query::new([
        Need::text("rent"),
        Need::term(TermCode::new("food.bnak").unwrap()),
    ])
    .limit(3);
    let (field, index, suggestion, msg) = unknown_code(&q);
    assert_eq!(field, CodeField::Term { need: 1 });
    assert_eq!(index, 0);
    assert_eq!(suggestion.as_deref(), Some("food.bank"), "{msg}");
    assert!(msg.starts_with("needs[1].terms[0]"), "{msg}");
}
