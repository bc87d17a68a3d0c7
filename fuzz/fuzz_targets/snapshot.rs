//! Navigator snapshots: `Navigator::from_snapshot` on hostile bytes.
//!
//! Random bytes almost never pass the header and checksum, so the input is used two ways,
//! chosen by its first byte: as a whole file (header checks), or as a *payload* wrapped in a
//! valid header with the right checksum, which reaches the decoder and the navigator build
//! (the corpus seed is the embedded sample's payload).
//!
//! Properties (beyond "never panics"): a navigator that opens answers searches (text and
//! code needs, near a point and not) without panicking, and re-encodes to a snapshot that
//! opens and re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::{
    matching::SNAPSHOT_VERSION, model::GeoPoint, Navigator, NavigatorOptions, Need, Query,
};

fn wrap(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 28);
    out.extend_from_slice(b"PSRLSNAP");
    out.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
    out.extend_from_slice(&0x0102_0304u32.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// CRC-32 (IEEE), bit by bit: slow and obviously right, independent of the library's.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 4 == 0 {
        rest.to_vec()
    } else {
        wrap(rest)
    };
    if let Ok((nav, _)) = Navigator::from_snapshot(&bytes, NavigatorOptions::default()) {
        let at = jiff::Timestamp::from_second(1_767_000_000).expect("a fixed instant");
        let here = GeoPoint::new(45.42, -75.69).expect("a valid point");
        let mut queries = vec![
            Query::new([Need::text("food bank")]).at(at),
            Query::new([Need::text("food bank")])
                .near(here, 10_000.0)
                .at(at),
        ];
        if let Some(code) = nav
            .directory()
            .taxonomy_terms
            .iter()
            .find_map(|t| t.code.clone())
        {
            queries.push(Query::new([Need::term(code)]).near(here, 25_000.0).at(at));
        }
        for q in &queries {
            let _ = nav.search(q);
        }
        let again = nav.to_snapshot().expect("a directory that opened encodes");
        let (reopened, _) = Navigator::from_snapshot(&again, NavigatorOptions::default())
            .expect("a snapshot we wrote opens");
        assert_eq!(reopened.to_snapshot().expect("encodes again"), again);
    }
});
