//! Gap analysis and coverage scans for data teams: thin mirrors of `passerelle::gaps`.
//!
//! Records go in as CSV text (unmet needs, referrals: the column layouts of core's
//! `unmet_needs_from_csv` / `referrals_from_csv`), so 100 000 records cross the FFI boundary
//! as one string, not as 100 000 records. Cells come back as records, and as CSV or GeoJSON
//! text for spreadsheets and GIS tools. No business logic lives here.

use std::sync::Arc;

use passerelle::{
    gaps::{
        AreaCentroids, CoverageOptions as CoreCoverageOptions, GapError,
        GapOptions as CoreGapOptions, NeedCount as CoreNeedCount,
    },
    model::{GeoPoint as CoreGeoPoint, TermCode},
    referrals::AreaKey,
    spatial::{LatLonBox, NamedAreas},
};

use crate::error::guard;
use crate::matching::{Delivery, Navigator};
use crate::places::Gazetteer;
use crate::{GeoPoint, PasserelleError};

/// Most points in one `area_keys_for_points` call.
pub const MAX_AREA_KEY_POINTS: u32 = 2_000_000;

/// Maps a core error of this module: option errors are the caller's input, an oversized scan
/// is a limit; everything else goes through the crate's single mapping.
fn gap_error(err: passerelle::Error) -> PasserelleError {
    match err {
        passerelle::Error::Gap(e @ GapError::TooLarge { .. }) => PasserelleError::LimitExceeded {
            reason: e.to_string(),
        },
        passerelle::Error::Gap(e @ GapError::InvalidOption { .. }) => {
            PasserelleError::InvalidInput {
                reason: e.to_string(),
            }
        }
        other => other.into(),
    }
}

/// The error for one bad input field, prefixed with where it came from (`unmet_csv: row 3,
/// field need: …`). Never quotes the rejected value.
fn input_error(context: &str, err: impl std::fmt::Display) -> PasserelleError {
    PasserelleError::InvalidInput {
        reason: format!("{context}: {err}"),
    }
}

/// Options of `Navigator.analyze_gaps`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GapOptions {
    /// `k`: cells with fewer than `k` records are suppressed (at least 1; default 5).
    #[uniffi(default = 5)]
    pub min_records: u32,
    /// Also list suppressed cells, with every record-derived number null (default off).
    #[uniffi(default = false)]
    pub show_suppressed: bool,
    /// Break cells down by the records' population group (default on).
    #[uniffi(default = true)]
    pub by_population: bool,
    /// Distance within which an in-person service counts as reachable, in km (default 10).
    #[uniffi(default)]
    pub reach_km: Option<f64>,
    /// How far to look for the nearest eligible service, in km (default 100; at least
    /// `reach_km`).
    #[uniffi(default)]
    pub nearest_within_km: Option<f64>,
    /// How residents are assumed to receive services (default `InPersonOnly`, so remote
    /// services do not hide an in-person desert).
    #[uniffi(default)]
    pub delivery: Option<Delivery>,
    /// Most reasons listed per cell (default 3).
    #[uniffi(default = 3)]
    pub top_reasons: u32,
}

impl Default for GapOptions {
    fn default() -> Self {
        Self {
            min_records: passerelle::gaps::DEFAULT_MIN_RECORDS,
            show_suppressed: false,
            by_population: true,
            reach_km: None,
            nearest_within_km: None,
            delivery: None,
            top_reasons: 3,
        }
    }
}

impl From<GapOptions> for CoreGapOptions {
    fn from(o: GapOptions) -> Self {
        let d = CoreGapOptions::default();
        Self {
            min_records: o.min_records,
            show_suppressed: o.show_suppressed,
            by_population: o.by_population,
            reach_m: o.reach_km.map_or(d.reach_m, |km| km * 1000.0),
            nearest_within_m: o
                .nearest_within_km
                .map_or(d.nearest_within_m, |km| km * 1000.0),
            delivery: o.delivery.map_or(d.delivery, Into::into),
            top_reasons: o.top_reasons as usize,
        }
    }
}

/// Demand counted from another source (e.g. 211 call volumes): adds to a cell's demand only.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NeedCount {
    /// Area key (`area:<name>`, `grid:<m>:<row>:<col>`, `fsa:<K1A>`, or a bare area name).
    pub area: String,
    /// Need (taxonomy code, e.g. `housing.rent`).
    pub need: String,
    /// Optional population group.
    #[uniffi(default)]
    pub population: Option<String>,
    /// Number of requests.
    pub count: u64,
}

impl TryFrom<NeedCount> for CoreNeedCount {
    type Error = PasserelleError;

    fn try_from(c: NeedCount) -> Result<Self, Self::Error> {
        Ok(Self {
            area: area_key(c.area).map_err(|e| input_error("counts: area", e))?,
            need: TermCode::new(&c.need).map_err(|e| input_error("counts: need", e))?,
            population: c.population,
            count: c.count,
        })
    }
}

fn area_key(text: String) -> Result<AreaKey, passerelle::referrals::ReferralError> {
    AreaKey::from_text(&text)
}

/// One area × need (× population) of a gap analysis.
///
/// Record-derived numbers are null when the cell is `suppressed`; `reachable_services` and
/// `nearest_m` describe public directory data.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GapCell {
    /// The area key, as written in the records (`area:vanier`, `grid:1000:…`).
    pub area: String,
    /// The area's centroid; null when unknown.
    pub centroid: Option<GeoPoint>,
    /// The need (taxonomy code).
    pub need: String,
    /// The population group; null for records without one.
    pub population: Option<String>,
    /// Records: unmet needs + referrals + counts.
    pub demand: Option<u64>,
    /// Referrals that connected the resident.
    pub met: Option<u64>,
    /// Unmet-need records + referrals that did not connect.
    pub unmet: Option<u64>,
    /// `unmet / (met + unmet)`; null when nothing is resolved.
    pub share_unmet: Option<f64>,
    /// Services a resident of this population in this area could use for the need.
    pub reachable_services: Option<u32>,
    /// Metres from the centroid to the nearest such service; null if none.
    pub nearest_m: Option<f64>,
    /// Reasons given by at least `k` records, most frequent first.
    pub top_reasons: Vec<String>,
    /// The cell has fewer than `k` records.
    pub suppressed: bool,
}

impl From<passerelle::gaps::GapCell> for GapCell {
    fn from(c: passerelle::gaps::GapCell) -> Self {
        Self {
            area: c.area.as_str().to_owned(),
            centroid: c.centroid.map(Into::into),
            need: c.need.as_str().to_owned(),
            population: c.population,
            demand: c.demand,
            met: c.met,
            unmet: c.unmet,
            share_unmet: c.share_unmet,
            reachable_services: c.reachable_services,
            nearest_m: c.nearest_m,
            top_reasons: c.top_reasons,
            suppressed: c.suppressed,
        }
    }
}

impl TryFrom<GapCell> for passerelle::gaps::GapCell {
    type Error = PasserelleError;

    fn try_from(c: GapCell) -> Result<Self, Self::Error> {
        Ok(Self {
            area: AreaKey::try_from(c.area).map_err(|e| input_error("cell area", e))?,
            centroid: c.centroid.map(CoreGeoPoint::try_from).transpose()?,
            need: TermCode::new(&c.need).map_err(|e| input_error("cell need", e))?,
            population: c.population,
            demand: c.demand,
            met: c.met,
            unmet: c.unmet,
            share_unmet: c.share_unmet,
            reachable_services: c.reachable_services,
            nearest_m: c.nearest_m,
            top_reasons: c.top_reasons,
            suppressed: c.suppressed,
        })
    }
}

/// What `Navigator.analyze_gaps` returns.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GapReport {
    /// Cells in area, need, population order.
    pub cells: Vec<GapCell>,
    /// The `k` applied.
    pub min_records: u32,
    /// Records in suppressed cells, all together; null when fewer than `k`.
    pub suppressed_records: Option<u64>,
    /// Referrals left out because they carry no area.
    pub referrals_without_area: u64,
}

impl From<passerelle::gaps::GapReport> for GapReport {
    fn from(r: passerelle::gaps::GapReport) -> Self {
        Self {
            cells: r.cells.into_iter().map(Into::into).collect(),
            min_records: r.min_records,
            suppressed_records: r.suppressed_records,
            referrals_without_area: r.referrals_without_area,
        }
    }
}

/// A latitude/longitude box (south-west and north-east corners, degrees).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct BoundingBox {
    /// Southern latitude.
    pub south: f64,
    /// Western longitude.
    pub west: f64,
    /// Northern latitude.
    pub north: f64,
    /// Eastern longitude (west > east crosses the antimeridian).
    pub east: f64,
}

impl TryFrom<BoundingBox> for LatLonBox {
    type Error = PasserelleError;

    fn try_from(b: BoundingBox) -> Result<Self, Self::Error> {
        let sw = CoreGeoPoint::new(b.south, b.west).map_err(|e| input_error("bbox", e))?;
        let ne = CoreGeoPoint::new(b.north, b.east).map_err(|e| input_error("bbox", e))?;
        Ok(LatLonBox::new(sw, ne))
    }
}

/// Supply of one need around one area's centroid (grid cell centre or named-area centre).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CoverageCell {
    /// The area key (`grid:` cells for `coverage_grid`).
    pub area: String,
    /// Where distances are measured from.
    pub centroid: GeoPoint,
    /// The need (taxonomy code).
    pub need: String,
    /// Metres to the nearest in-person site serving the need; null if there is none.
    pub nearest_m: Option<f64>,
    /// In-person sites serving the need within reach.
    pub in_person_within_reach: u32,
    /// Services that come to the resident (home visits, delivery, outreach) covering the area.
    pub comes_to_resident: u32,
    /// Phone and online services covering the area.
    pub remote_services: u32,
}

impl From<passerelle::gaps::CoverageCell> for CoverageCell {
    fn from(c: passerelle::gaps::CoverageCell) -> Self {
        Self {
            area: c.area.as_str().to_owned(),
            centroid: c.centroid.into(),
            need: c.need.as_str().to_owned(),
            nearest_m: c.nearest_m,
            in_person_within_reach: c.in_person_within_reach,
            comes_to_resident: c.comes_to_resident,
            remote_services: c.remote_services,
        }
    }
}

impl TryFrom<CoverageCell> for passerelle::gaps::CoverageCell {
    type Error = PasserelleError;

    fn try_from(c: CoverageCell) -> Result<Self, Self::Error> {
        Ok(Self {
            area: AreaKey::try_from(c.area).map_err(|e| input_error("cell area", e))?,
            centroid: c.centroid.try_into()?,
            need: TermCode::new(&c.need).map_err(|e| input_error("cell need", e))?,
            nearest_m: c.nearest_m,
            in_person_within_reach: c.in_person_within_reach,
            comes_to_resident: c.comes_to_resident,
            remote_services: c.remote_services,
        })
    }
}

fn coverage_options(
    needs: Vec<String>,
    reach_km: Option<f64>,
) -> Result<CoreCoverageOptions, PasserelleError> {
    let d = CoreCoverageOptions::default();
    Ok(CoreCoverageOptions {
        needs: needs
            .iter()
            .map(|n| TermCode::new(n).map_err(|e| input_error("needs", e)))
            .collect::<Result<_, _>>()?,
        reach_m: reach_km.map_or(d.reach_m, |km| km * 1000.0),
        ..d
    })
}

#[uniffi::export]
impl Navigator {
    /// Gap analysis of unmet-need records and referrals against the current directory, per
    /// area × need (× population), with small cells suppressed (`k = options.min_records`).
    ///
    /// `unmet_csv`: columns `need,population,area,date,reason` (header required);
    /// `referrals_csv` (optional): `id,need,service_id,service_at_location_id,referred_on,
    /// status,follow_up_due,outcome,population,area,history`; `counts`: extra demand. Records
    /// hold area keys, never points. Any number of records goes in one call.
    ///
    /// Errors with `InvalidInput` naming the CSV, row and field of the first bad row
    /// (`unmet_csv: row 3, field need: …`) or an invalid option.
    pub fn analyze_gaps(
        &self,
        unmet_csv: String,
        referrals_csv: Option<String>,
        counts: Vec<NeedCount>,
        options: GapOptions,
    ) -> Result<GapReport, PasserelleError> {
        guard("Navigator.analyze_gaps", || {
            let unmet = passerelle::referrals::unmet_needs_from_csv(unmet_csv.as_bytes())
                .map_err(|e| input_error("unmet_csv", e))?;
            let referrals = match referrals_csv {
                Some(text) => passerelle::referrals::referrals_from_csv(text.as_bytes())
                    .map_err(|e| input_error("referrals_csv", e))?,
                None => Vec::new(),
            };
            let counts = counts
                .into_iter()
                .map(CoreNeedCount::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            let nav = self.snapshot();
            passerelle::gaps::analyze_gaps(
                &nav,
                &unmet,
                &referrals,
                &counts,
                &AreaCentroids::with_named_areas(nav.named_areas()),
                &options.into(),
            )
            .map(Into::into)
            .map_err(gap_error)
        })
    }

    /// Coverage scan over a grid of `cell_km` (≥ 1 km) cells covering `bbox`: for each cell
    /// and need, distance to the nearest in-person service and counts within `reach_km`
    /// (default 10). `needs`: taxonomy codes (empty: every need some active service serves).
    ///
    /// Errors with `InvalidInput` (cell under 1 km, bad code, bad box) or `LimitExceeded`
    /// (more than 5 million cell × need rows).
    #[uniffi::method(default(reach_km = None))]
    pub fn coverage_grid(
        &self,
        bbox: BoundingBox,
        cell_km: f64,
        needs: Vec<String>,
        reach_km: Option<f64>,
    ) -> Result<Vec<CoverageCell>, PasserelleError> {
        guard("Navigator.coverage_grid", || {
            let options = coverage_options(needs, reach_km)?;
            let nav = self.snapshot();
            let cells = passerelle::gaps::coverage_grid(&nav, bbox.try_into()?, cell_km, &options)
                .map_err(gap_error)?;
            Ok(cells.into_iter().map(Into::into).collect())
        })
    }

    /// Coverage scan over given area keys (named areas of the navigator's gazetteer and
    /// `grid:` cells), measured from their centroids; areas without one are skipped.
    ///
    /// Errors as `coverage_grid`, and `InvalidInput` for an area key that is not valid.
    #[uniffi::method(default(reach_km = None))]
    pub fn coverage_areas(
        &self,
        areas: Vec<String>,
        needs: Vec<String>,
        reach_km: Option<f64>,
    ) -> Result<Vec<CoverageCell>, PasserelleError> {
        guard("Navigator.coverage_areas", || {
            let options = coverage_options(needs, reach_km)?;
            let keys = areas
                .into_iter()
                .map(|a| area_key(a).map_err(|e| input_error("areas", e)))
                .collect::<Result<Vec<_>, _>>()?;
            let nav = self.snapshot();
            let centroids = AreaCentroids::with_named_areas(nav.named_areas());
            let cells = passerelle::gaps::coverage_areas(&nav, &keys, &centroids, &options)
                .map_err(gap_error)?;
            Ok(cells.into_iter().map(Into::into).collect())
        })
    }
}

/// Coarse area keys for residents' points, so the points need never be stored: the smallest
/// named area of `gazetteer` covering each point (`area:<name>`), or else its `cell_m`-metre
/// grid cell (`grid:…`); without a gazetteer, always the grid cell.
///
/// One call for any number of points (`lats` and `lons` of equal length, at most 2 million).
/// Errors with `InvalidInput` naming the index of a bad point, or a cell under 1000 m.
#[uniffi::export]
pub fn area_keys_for_points(
    lats: Vec<f64>,
    lons: Vec<f64>,
    cell_m: u32,
    gazetteer: Option<Arc<Gazetteer>>,
) -> Result<Vec<String>, PasserelleError> {
    guard("area_keys_for_points", || {
        if lats.len() != lons.len() {
            return Err(PasserelleError::invalid(format!(
                "lats and lons differ in length ({} and {})",
                lats.len(),
                lons.len()
            )));
        }
        if lats.len() > MAX_AREA_KEY_POINTS as usize {
            return Err(PasserelleError::LimitExceeded {
                reason: format!("more than {MAX_AREA_KEY_POINTS} points"),
            });
        }
        let empty = NamedAreas::new();
        let areas = gazetteer.as_ref().map_or(&empty, |g| &g.areas);
        lats.iter()
            .zip(&lons)
            .enumerate()
            .map(|(i, (&lat, &lon))| {
                let p = CoreGeoPoint::new(lat, lon)
                    .map_err(|e| input_error(&format!("point #{i}"), e))?;
                passerelle::gaps::area_key_for_point(p, areas, cell_m)
                    .map(|k| k.as_str().to_owned())
                    .map_err(|e| input_error(&format!("point #{i}"), e))
            })
            .collect()
    })
}

/// Gap cells as CSV: header `area,need,population,demand,met,unmet,share_unmet,
/// reachable_services,nearest_m,top_reasons,suppressed,centroid_lat,centroid_lon`.
#[uniffi::export]
pub fn gap_cells_csv(cells: Vec<GapCell>) -> Result<String, PasserelleError> {
    guard("gap_cells_csv", || {
        let cells = core_cells(cells)?;
        passerelle::gaps::gap_cells_to_csv(&cells).map_err(gap_error)
    })
}

/// Gap cells as GeoJSON FeatureCollection text (grid cells as squares, named areas as
/// points at their centroid; areas without a centroid left out).
#[uniffi::export]
pub fn gap_cells_geojson(cells: Vec<GapCell>) -> Result<String, PasserelleError> {
    guard("gap_cells_geojson", || {
        let cells = core_cells(cells)?;
        Ok(passerelle::gaps::gap_cells_to_geojson(&cells).to_string())
    })
}

/// Coverage cells as CSV: header `area,need,centroid_lat,centroid_lon,nearest_m,
/// in_person_within_reach,comes_to_resident,remote_services`.
#[uniffi::export]
pub fn coverage_csv(cells: Vec<CoverageCell>) -> Result<String, PasserelleError> {
    guard("coverage_csv", || {
        let cells = core_coverage(cells)?;
        passerelle::gaps::coverage_to_csv(&cells).map_err(gap_error)
    })
}

/// Coverage cells as GeoJSON FeatureCollection text (one feature per area × need).
#[uniffi::export]
pub fn coverage_geojson(cells: Vec<CoverageCell>) -> Result<String, PasserelleError> {
    guard("coverage_geojson", || {
        let cells = core_coverage(cells)?;
        Ok(passerelle::gaps::coverage_to_geojson(&cells).to_string())
    })
}

fn core_cells(cells: Vec<GapCell>) -> Result<Vec<passerelle::gaps::GapCell>, PasserelleError> {
    cells.into_iter().map(TryInto::try_into).collect()
}

fn core_coverage(
    cells: Vec<CoverageCell>,
) -> Result<Vec<passerelle::gaps::CoverageCell>, PasserelleError> {
    cells.into_iter().map(TryInto::try_into).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn nav() -> Arc<Navigator> {
        Navigator::sample().unwrap()
    }

    const UNMET: &str = "need,population,area,date,reason\n";

    fn unmet_rows(area: &str, n: usize) -> String {
        let mut s = UNMET.to_owned();
        for _ in 0..n {
            s.push_str(&format!("food.bank,,{area},2026-11-20,none_within_reach\n"));
        }
        s
    }

    #[test]
    fn analyze_and_suppress() {
        let mut csv = unmet_rows("area:kinburn", 6);
        csv.push_str("housing.rent,,area:vanier,2026-11-20,all_full\n");
        let r = nav()
            .analyze_gaps(csv, None, vec![], GapOptions::default())
            .unwrap();
        assert_eq!(r.cells.len(), 1);
        assert_eq!(r.cells[0].demand, Some(6));
        assert_eq!(r.cells[0].top_reasons, ["none_within_reach"]);
        assert!(r.cells[0].centroid.is_some());
        let text = gap_cells_csv(r.cells.clone()).unwrap();
        assert!(text.starts_with("area,need,population,demand"));
        assert!(gap_cells_geojson(r.cells)
            .unwrap()
            .contains("FeatureCollection"));
    }

    #[test]
    fn bad_rows_name_row_and_field() {
        let mut csv = unmet_rows("area:kinburn", 2);
        csv.push_str("Not\tA Code!,,area:vanier,2026-11-20,all_full\n");
        let e = nav()
            .analyze_gaps(csv, None, vec![], GapOptions::default())
            .unwrap_err();
        match e {
            PasserelleError::InvalidInput { reason } => {
                assert!(reason.contains("unmet_csv: row 3, field need"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let o = GapOptions {
            min_records: 0,
            ..GapOptions::default()
        };
        assert!(matches!(
            nav().analyze_gaps(unmet_rows("area:kinburn", 1), None, vec![], o),
            Err(PasserelleError::InvalidInput { .. })
        ));
    }

    #[test]
    fn coverage_and_area_keys() {
        let bbox = BoundingBox {
            south: 45.38,
            west: -76.22,
            north: 45.40,
            east: -76.19,
        };
        let cells = nav()
            .coverage_grid(bbox, 1.0, vec!["food".into()], None)
            .unwrap();
        assert!(!cells.is_empty());
        assert!(coverage_csv(cells.clone())
            .unwrap()
            .starts_with("area,need,"));
        assert!(coverage_geojson(cells).unwrap().contains("Polygon"));
        assert!(matches!(
            nav().coverage_grid(bbox, 0.5, vec![], None),
            Err(PasserelleError::InvalidInput { .. })
        ));
        let keys = area_keys_for_points(
            vec![45.4385, 46.5],
            vec![-75.6612, -77.0],
            1000,
            Some(Gazetteer::ottawa_sample()),
        )
        .unwrap();
        assert_eq!(keys[0], "area:vanier");
        assert!(keys[1].starts_with("grid:1000:"));
        let areas = nav()
            .coverage_areas(
                vec!["Vanier".into(), "Atlantis".into()],
                vec!["food".into()],
                None,
            )
            .unwrap();
        assert_eq!(areas.len(), 1);
    }
}
