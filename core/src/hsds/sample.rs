//! The embedded, fictional, bilingual Ottawa sample directory (`core/data/sample/`).

use super::{import_tables, ImportOptions, Imported};
use crate::model::Directory;

macro_rules! tables {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_bytes!(concat!("../../data/sample/", $name)).as_slice())),*]
    };
}

/// Every file of the sample data package, embedded at compile time.
const SAMPLE_TABLES: [(&str, &[u8]); 17] = tables!(
    "datapackage.json",
    "organizations.csv",
    "services.csv",
    "locations.csv",
    "service_at_location.csv",
    "addresses.csv",
    "phones.csv",
    "schedules.csv",
    "languages.csv",
    "service_areas.csv",
    "cost_options.csv",
    "required_documents.csv",
    "accessibility.csv",
    "attributes.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "eligibility_tables.csv",
);

/// Imports the embedded sample directory with its import report.
///
/// The data is fictional (see `meta.fictional` and `meta.notice`): about 100 services of
/// 40 invented organisations across Ottawa neighbourhoods, in English and French.
///
/// # Examples
/// ```
/// let imported = passerelle::hsds::sample_directory();
/// assert!(imported.report.errors().next().is_none());
/// assert!(imported.directory.meta.fictional);
/// ```
pub fn sample_directory() -> Imported {
    import_tables(SAMPLE_TABLES, &ImportOptions::default())
}

impl Directory {
    /// The embedded, fictional, bilingual Ottawa sample directory.
    ///
    /// # Examples
    /// ```
    /// use passerelle::model::LangCode;
    /// use passerelle::Directory;
    /// let dir = Directory::sample();
    /// let hub = dir.locations.iter().find(|l| l.id == "loc-hub-byward").unwrap();
    /// assert!(!hub.name.get(&LangCode::fr()).is_empty());
    /// ```
    pub fn sample() -> Self {
        sample_directory().directory
    }
}
