//! Referral and unmet-need records read back from the host application's storage or from a
//! partner's export: `referrals_from_csv`, `unmet_needs_from_csv` and the JSON forms (their
//! serde derives).
//!
//! Input: the first byte picks the reader (`b % 4`: referrals CSV, unmet-needs CSV, referrals
//! JSON, unmet-needs JSON), the rest is the data.
//!
//! Properties (beyond "never panics"): whatever a reader accepts exports and re-parses equal,
//! in both forms:
//! - CSV accepted → `*_to_csv` succeeds → re-read equal; → JSON → re-read equal;
//! - JSON accepted → JSON → re-read equal; and when the records are ones the CSV reader would
//!   accept (referrals: `Referral::validate` passes), → CSV → re-read equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::referrals::{
    referrals_from_csv, referrals_to_csv, unmet_needs_from_csv, unmet_needs_to_csv, Referral,
    UnmetNeed,
};

fn referrals_round_trip(rs: &[Referral]) {
    let csv = referrals_to_csv(rs).expect("accepted referrals export to CSV");
    assert_eq!(
        referrals_from_csv(csv.as_bytes()).as_deref(),
        Ok(rs),
        "referrals CSV round trip:\n{csv}"
    );
    let json = serde_json::to_string(rs).expect("referrals export to JSON");
    let back: Vec<Referral> = serde_json::from_str(&json).expect("exported JSON reads back");
    assert_eq!(back.as_slice(), rs, "referrals JSON round trip: {json}");
}

fn unmet_round_trip(ns: &[UnmetNeed]) {
    let csv = unmet_needs_to_csv(ns).expect("accepted unmet needs export to CSV");
    assert_eq!(
        unmet_needs_from_csv(csv.as_bytes()).as_deref(),
        Ok(ns),
        "unmet CSV round trip:\n{csv}"
    );
    let json = serde_json::to_string(ns).expect("unmet needs export to JSON");
    let back: Vec<UnmetNeed> = serde_json::from_str(&json).expect("exported JSON reads back");
    assert_eq!(back.as_slice(), ns, "unmet JSON round trip: {json}");
}

fuzz_target!(|input: &[u8]| {
    let Some((selector, data)) = input.split_first() else {
        return;
    };
    match selector % 4 {
        0 => {
            if let Ok(rs) = referrals_from_csv(data) {
                referrals_round_trip(&rs);
            }
        }
        1 => {
            if let Ok(ns) = unmet_needs_from_csv(data) {
                unmet_round_trip(&ns);
            }
        }
        2 => {
            if let Ok(rs) = serde_json::from_slice::<Vec<Referral>>(data) {
                let json = serde_json::to_string(&rs).expect("referrals export to JSON");
                let back: Vec<Referral> =
                    serde_json::from_str(&json).expect("exported JSON reads back");
                assert_eq!(back, rs, "referrals JSON round trip: {json}");
                if rs.iter().all(|r| r.validate().is_ok()) {
                    referrals_round_trip(&rs);
                }
            }
        }
        _ => {
            if let Ok(ns) = serde_json::from_slice::<Vec<UnmetNeed>>(data) {
                unmet_round_trip(&ns);
            }
        }
    }
});
