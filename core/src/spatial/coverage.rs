//! Coverage of a point by one owner's declared service areas (polygons and/or names).

use super::named::{normalize_area_name, NamedAreas};
use super::prepared::PreparedArea;
use crate::model::{GeoPoint, ServiceArea};

/// The service areas of one service or service-at-location: polygons (prepared once for point
/// tests, with their bounding boxes as a cheap prefilter) and names of areas without geometry, resolved with a gazetteer.
#[derive(Debug, Default)]
pub(crate) struct AreaGroup {
    polygons: Vec<PreparedArea>,
    /// Names of areas without geometry, as gazetteer keys ([`normalize_area_name`]), so a
    /// point test looks them up without normalising again.
    names: Vec<String>,
}

impl AreaGroup {
    /// Groups the given service-area rows: extents as polygons, the others by every name.
    pub(crate) fn from_areas<'a>(areas: impl IntoIterator<Item = &'a ServiceArea>) -> Self {
        let mut group = Self::default();
        for a in areas {
            match &a.extent {
                Some(mp) => {
                    if ::geo::BoundingRect::bounding_rect(mp).is_some() {
                        group.polygons.push(PreparedArea::new(mp));
                    }
                }
                None => group.names.extend(
                    a.name
                        .all()
                        .map(normalize_area_name)
                        // No gazetteer key is empty: such a name never covers anything.
                        .filter(|k| !k.is_empty()),
                ),
            }
        }
        group
    }

    /// True when [`AreaGroup::contains`] is `None` for every point with this gazetteer: no
    /// polygon and no name the gazetteer knows. A caller testing many points skips those.
    pub(crate) fn is_unknown_with(&self, gazetteer: &NamedAreas) -> bool {
        self.polygons.is_empty() && self.names.iter().all(|n| !gazetteer.knows_key(n))
    }

    /// `Some(true)` if some area covers `p`, `Some(false)` if the areas are known and none
    /// does, `None` when nothing is known (only names missing from the gazetteer).
    pub(crate) fn contains(&self, p: GeoPoint, gazetteer: &NamedAreas) -> Option<bool> {
        let c = p.to_geo().0;
        let mut known = false;
        for area in &self.polygons {
            known = true;
            if area.contains(c) {
                return Some(true);
            }
        }
        for name in &self.names {
            match gazetteer.covers_key(name, p) {
                Some(true) => return Some(true),
                Some(false) => known = true,
                None => {}
            }
        }
        known.then_some(false)
    }
}
