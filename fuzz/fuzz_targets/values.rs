//! Validated value types: `GeoPoint`, `LangCode`, `TermCode` constructors and their invariants.
//!
//! Properties (beyond "never panics"):
//! - `GeoPoint::new` accepts exactly the finite WGS84 range and stores the numbers unchanged;
//! - a valid `LangCode`/`TermCode` round-trips: `new(c.as_str()) == Ok(c)`;
//! - `LangCode::primary` is a 2–3 letter lower-case prefix of the code;
//! - `TermCode::is_within` is reflexive, implies a textual prefix, and holds for `"{a}-{x}"`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::model::{GeoPoint, LangCode, TermCode};

fuzz_target!(|input: (f64, f64, &str, &str)| {
    let (lat, lon, a, b) = input;

    let in_range = lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon);
    match GeoPoint::new(lat, lon) {
        Ok(p) => {
            assert!(in_range, "accepted ({lat}, {lon})");
            assert_eq!(p.lat().to_bits(), lat.to_bits());
            assert_eq!(p.lon().to_bits(), lon.to_bits());
        }
        Err(_) => assert!(!in_range, "rejected ({lat}, {lon})"),
    }

    for s in [a, b] {
        if let Ok(code) = LangCode::new(s) {
            assert_eq!(LangCode::new(code.as_str()).as_ref(), Ok(&code));
            let primary = code.primary();
            assert!((2..=3).contains(&primary.len()), "{code:?}");
            assert!(primary.bytes().all(|c| c.is_ascii_lowercase()), "{code:?}");
            assert!(code.as_str().starts_with(primary));
        }
    }

    let ta = TermCode::new(a);
    let tb = TermCode::new(b);
    for t in [&ta, &tb].into_iter().flatten() {
        assert_eq!(TermCode::new(t.as_str()).as_ref(), Ok(t));
        assert!(t.is_within(t), "not reflexive: {t:?}");
    }
    if let (Ok(ta), Ok(tb)) = (&ta, &tb) {
        if ta.is_within(tb) {
            assert!(ta.as_str().starts_with(tb.as_str()), "{ta:?} within {tb:?}");
        }
        if let Ok(child) = TermCode::new(&format!("{ta}-{tb}")) {
            assert!(child.is_within(ta), "{child:?} not within {ta:?}");
        }
    }
});
