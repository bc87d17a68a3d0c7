//! The `Gazetteer` object: named areas a deployer supplies (GeoJSON or CSV), used to resolve
//! service areas given by name, and its error mapping.

use std::sync::Arc;

use passerelle::{
    model::GeoPoint as CoreGeoPoint,
    spatial::{GazetteerError, GazetteerLoad, GazetteerProblem as CoreProblem, NamedAreas},
};

use crate::error::guard;
use crate::PasserelleError;

impl From<GazetteerError> for PasserelleError {
    fn from(e: GazetteerError) -> Self {
        match e {
            e @ GazetteerError::TooLarge { .. } => Self::LimitExceeded {
                reason: e.to_string(),
            },
            e => Self::DataLoad {
                reason: e.to_string(),
            },
        }
    }
}

/// One gazetteer entry that was skipped (or kept with a warning).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GazetteerProblem {
    /// Where: `feature 3` (0-based, GeoJSON) or `row 5` (1-based data row, CSV).
    pub entry: String,
    /// The entry's name, when it has one.
    pub name: Option<String>,
    /// The property or column concerned (`name`, `geometry`, `wkt` …).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// True when the entry was kept anyway.
    pub kept: bool,
}

impl From<&CoreProblem> for GazetteerProblem {
    fn from(p: &CoreProblem) -> Self {
        Self {
            entry: p.entry.clone(),
            name: p.name.clone(),
            field: p.field.clone(),
            message: p.message.clone(),
            kept: p.kept,
        }
    }
}

/// Named areas (counties, cities, neighbourhoods …) with their boundaries, so a service whose
/// area is only a name ("San Mateo County") covers the residents inside it.
///
/// Load one from a GeoJSON FeatureCollection or a CSV (`name`, `aliases`, and `wkt`, `geojson`
/// or `lat`/`lon`/`radius_km`), then pass it to `Navigator.from_path` / `from_json`. Names match
/// ignoring case, accents and punctuation, and "County of X" finds "X County". Bad entries are
/// skipped and listed in `problems()`; the others load.
#[derive(Debug, uniffi::Object)]
pub struct Gazetteer {
    pub(crate) areas: NamedAreas,
    problems: Vec<GazetteerProblem>,
}

impl Gazetteer {
    fn from_load(load: GazetteerLoad) -> Arc<Self> {
        Arc::new(Self {
            problems: load.problems.iter().map(Into::into).collect(),
            areas: load.areas,
        })
    }
}

#[uniffi::export]
impl Gazetteer {
    /// Reads a gazetteer file: CSV for a `.csv` name, GeoJSON otherwise.
    ///
    /// Errors with `DataLoad` (unreadable file, not a FeatureCollection, CSV without `name` or
    /// a geometry column) or `LimitExceeded` (over 256 MiB).
    #[uniffi::constructor]
    pub fn from_path(path: String) -> Result<Arc<Self>, PasserelleError> {
        guard("Gazetteer.from_path", || {
            Ok(Self::from_load(NamedAreas::from_path(&path)?))
        })
    }

    /// Reads a gazetteer from bytes: GeoJSON when it starts with `{`, CSV otherwise. Errors as
    /// `from_path`.
    #[uniffi::constructor]
    pub fn from_bytes(data: Vec<u8>) -> Result<Arc<Self>, PasserelleError> {
        guard("Gazetteer.from_bytes", || {
            Ok(Self::from_load(NamedAreas::from_bytes(&data)?))
        })
    }

    /// The rough, hand-placed areas of the **fictional** Ottawa sample directory: for demos
    /// with `Navigator.sample()` only, never for real residents.
    #[uniffi::constructor]
    pub fn ottawa_sample() -> Arc<Self> {
        Arc::new(Self {
            areas: NamedAreas::ottawa_sample(),
            problems: Vec::new(),
        })
    }

    /// Entries skipped or kept with a warning, in input order.
    pub fn problems(&self) -> Vec<GazetteerProblem> {
        self.problems.clone()
    }

    /// The names known (normalised: lower case, no accents), in order.
    pub fn names(&self) -> Vec<String> {
        self.areas.iter().map(|(n, _)| n.to_owned()).collect()
    }

    /// Whether the area called `name` covers the point; `None` when the name is unknown.
    /// Errors with `InvalidInput` for invalid coordinates.
    pub fn covers(
        &self,
        name: String,
        lat: f64,
        lon: f64,
    ) -> Result<Option<bool>, PasserelleError> {
        let p = CoreGeoPoint::new(lat, lon)?;
        Ok(self.areas.covers(&name, p))
    }
}
