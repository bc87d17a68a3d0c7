//! Regressions found by the rule fuzz targets (`fuzz/fuzz_targets/rule_*.rs`).

use passerelle::rules::Rule;

// Found by fuzz target rule_text: the JSON form of `age in 16..2933…3` (a 42-digit bound) read
// back one ulp off (2.9333333333333335e41 → 2.933333333333334e41), because serde_json parses
// floats with a fast, not correctly rounded, algorithm unless `float_roundtrip` is enabled.
// A rule stored as JSON by an admin tool changed meaning at its boundary after a round trip.
// Fix: core enables serde_json's `float_roundtrip` feature (also exact for HSDS JSON numbers).
#[test]
fn rule_json_round_trip_keeps_every_bit_of_a_number() {
    let rule = Rule::parse("age in 16..293333333333333333333333333333333333333333").unwrap();
    assert_eq!(Rule::from_json(&rule.to_json()).unwrap(), rule);
    for text in [
        "age >= 0.1",
        "age >= 293333333333333350000000000000000000000000",
        "household_income <= 123456789.123456789",
        "age in 0.000000000000000000000000000000000000000001..99999999999999999999999999999",
    ] {
        let rule = Rule::parse(text).unwrap();
        assert_eq!(Rule::from_json(&rule.to_json()).unwrap(), rule, "{text}");
    }
}
