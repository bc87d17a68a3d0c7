//! Navigator snapshots on the real San Mateo County feed: a file that opens with the same
//! directory and the same answers, and damaged files refused before use.

use std::path::PathBuf;

use passerelle::{hsds::*, matching::*, model::*};

fn feed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds/smc-ohana-full")
}

fn directory() -> Directory {
    let mut imported = import_path(feed(), &ImportOptions::default()).unwrap();
    imported.directory.meta.timezone = Some("America/Los_Angeles".into());
    imported.directory
}

fn navigator() -> Navigator {
    Navigator::build(directory(), NavigatorOptions::default())
        .unwrap()
        .0
}

fn queries() -> Vec<Query> {
    let at: jiff::Timestamp = "2026-11-18T12:00:00-08:00".parse().unwrap();
    let here = GeoPoint::new(37.53, -122.29).unwrap();
    [
        "food",
        "suicide",
        "legal aid",
        "shelter",
        "senior center",
        "counseling",
    ]
    .iter()
    .flat_map(|n| {
        let mut senior = passerelle::rules::FactCatalog::standard().profile();
        senior.set("age", 70.into()).unwrap();
        [
            Query::new([Need::text(*n)]).near(here, 20_000.0).at(at),
            Query::new([Need::text(*n)]).at(at).open_only(),
            Query::new([Need::text(*n), Need::text("food")])
                .near(here, 20_000.0)
                .profile(senior)
                .explain(true)
                .at(at),
        ]
    })
    .collect()
}

/// The built index itself is in the snapshot: with eligibility read from the descriptions
/// (rules compiled again at open from what they were made of), another gazetteer and other
/// weights at open, the opened navigator answers as one built with the same options.
#[test]
fn a_snapshot_with_inferred_rules_answers_as_the_build() {
    let options = || NavigatorOptions {
        infer_eligibility: true,
        ..NavigatorOptions::default()
    };
    let (nav, built) = Navigator::build(directory(), options()).unwrap();
    let bytes = nav.to_snapshot().unwrap();
    let (opened, report) = Navigator::from_snapshot(&bytes, options()).unwrap();
    assert_eq!(report, built);
    for q in queries() {
        assert_eq!(opened.search(&q).unwrap(), nav.search(&q).unwrap());
    }
    assert_eq!(opened.to_snapshot().unwrap(), bytes);
    let other = || NavigatorOptions {
        weights: Weights {
            distance: 3.0,
            ..Weights::default()
        },
        named_areas: passerelle::spatial::NamedAreas::ottawa_sample(),
        ..options()
    };
    let (opened, _) = Navigator::from_snapshot(&bytes, other()).unwrap();
    let (built, _) = Navigator::build(directory(), other()).unwrap();
    for q in queries() {
        assert_eq!(opened.search(&q).unwrap(), built.search(&q).unwrap());
    }
}

#[test]
fn a_snapshot_file_opens_with_the_same_directory_and_answers() {
    let nav = navigator();
    let dir = std::env::temp_dir().join(format!("passerelle-snap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("smc.psnap");
    nav.save_snapshot(&path).unwrap();
    let (opened, report) = Navigator::open_snapshot(&path, NavigatorOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.services, 1_709);
    assert_eq!(opened.directory(), nav.directory());
    assert_eq!(opened.directory().services.len(), 1_709);
    for q in queries() {
        assert_eq!(opened.search(&q).unwrap(), nav.search(&q).unwrap());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn damaged_snapshots_are_typed_errors() {
    let bytes = navigator().to_snapshot().unwrap();
    let open = |b: &[u8]| Navigator::from_snapshot(b, NavigatorOptions::default()).err();
    // Every truncation point of the header, and a few in the payload.
    for cut in (0..40).chain([bytes.len() / 2, bytes.len() - 1]) {
        assert!(open(&bytes[..cut]).is_some(), "cut at {cut}");
    }
    // One flipped bit anywhere is caught (header fields or checksum).
    for at in [0, 9, 13, 17, 25, 28, bytes.len() / 3, bytes.len() - 1] {
        let mut b = bytes.clone();
        b[at] ^= 0x01;
        assert!(open(&b).is_some(), "bit flipped at {at}");
    }
    let missing =
        Navigator::open_snapshot("/nonexistent/passerelle.psnap", NavigatorOptions::default());
    match missing {
        Err(SnapshotError::Io { path, .. }) => assert!(path.ends_with("passerelle.psnap")),
        other => panic!("{:?}", other.err()),
    }
}
