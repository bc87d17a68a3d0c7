//! Coverage of a point by one owner's declared service areas (polygons and/or names).

use ::geo::{BoundingRect, Contains, MultiPolygon, Rect};

use super::named::{normalize_area_name, NamedAreas};
use crate::model::{GeoPoint, ServiceArea};

/// The service areas of one service or service-at-location: polygons (with their bounding
/// boxes as a cheap prefilter) and names of areas without geometry, resolved with a gazetteer.
#[derive(Debug, Default)]
pub(crate) struct AreaGroup {
    polygons: Vec<(Rect<f64>, MultiPolygon<f64>)>,
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
                    if let Some(r) = mp.bounding_rect() {
                        group.polygons.push((r, mp.clone()));
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
        let gp = p.to_geo();
        let (x, y) = (gp.x(), gp.y());
        let mut known = false;
        for (r, mp) in &self.polygons {
            known = true;
            if r.min().x <= x
                && x <= r.max().x
                && r.min().y <= y
                && y <= r.max().y
                && mp.contains(&gp)
            {
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
