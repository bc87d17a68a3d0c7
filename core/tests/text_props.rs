//! Properties of text analysis on arbitrary input.

use std::sync::OnceLock;

use passerelle::text::{normalize, Analyzer, TextError, MAX_NEED_BYTES};
use proptest::prelude::*;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::standard)
}

proptest! {
    #[test]
    fn normalize_is_idempotent(s in any::<String>()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
    }

    #[test]
    fn folding_is_bounded(s in any::<String>()) {
        prop_assert!(normalize(&s).chars().count() <= 4 * s.chars().count());
    }

    #[test]
    fn analyze_never_panics(s in any::<String>()) {
        match analyzer().analyze(&s) {
            Ok(a) => {
                prop_assert!(a.terms.iter().all(|t| t.weight > 0.0 && t.weight <= 1.0));
                prop_assert!(a.tokens.iter().all(|t| !t.text.is_empty()));
            }
            Err(TextError::NeedTooLong { len, .. }) => prop_assert!(len > MAX_NEED_BYTES),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn analyze_never_panics_on_need_like_text(
        words in proptest::collection::vec("[a-zéèàçœ'’-]{1,12}", 0..30)
    ) {
        let text = words.join(" ");
        let _ = analyzer().analyze(&text);
    }
}
