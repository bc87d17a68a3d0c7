//! The embedded Ottawa sample: loads clean, bilingual, fictional, and its services' rules compile.

use passerelle::{
    hsds::{export_csv_tables, import_tables, sample_directory, Severity},
    model::LangCode,
    ImportOptions, Navigator, NavigatorOptions,
};

#[test]
fn sample_loads_with_zero_errors_and_exact_counts() {
    let imported = sample_directory();
    let errors: Vec<_> = imported.report.errors().collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let d = &imported.directory;
    assert_eq!(d.organizations.len(), 40);
    assert_eq!(d.services.len(), 102);
    assert_eq!(d.locations.len(), 38);
    assert_eq!(d.service_at_locations.len(), 80);
    assert_eq!(d.schedules.len(), 122);
    assert_eq!(d.taxonomy_terms.len(), 52);
    assert_eq!(d.eligibility_tables.get("lim_on").map(Vec::len), Some(7));
    assert!(d.meta.fictional);
    assert_eq!(d.meta.timezone.as_deref(), Some("America/Toronto"));
    // every service has a French name
    let fr = LangCode::fr();
    assert!(d
        .services
        .iter()
        .all(|s| s.name.translations.contains_key(&fr)));
    // the only warnings are the deliberate data-quality ones (3 stale records)
    let warnings: Vec<_> = imported
        .report
        .problems()
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| {
            (
                p.record_id.clone().unwrap_or_default(),
                format!("{:?}", p.kind),
            )
        })
        .collect();
    let stale = |id: &str| (id.to_owned(), "Stale".to_owned());
    assert_eq!(
        warnings,
        vec![
            stale("svc-sandyhill-breakfast"),
            stale("svc-benefits-family"),
            stale("svc-riverside-foot-care")
        ]
    );
}

#[test]
fn sample_round_trips_through_csv() {
    let d = sample_directory().directory;
    let tables = export_csv_tables(&d);
    let again = import_tables(
        tables.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        &ImportOptions::default(),
    );
    assert_eq!(again.directory, d);
}

#[test]
fn every_sample_rule_compiles_into_the_navigator() {
    let (_, report) =
        Navigator::build(sample_directory().directory, NavigatorOptions::sample()).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}
