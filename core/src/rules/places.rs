//! [`KnownPlaces`]: the town and city names a directory itself uses, so that a place read
//! from eligibility text ("Foster City residents") becomes a residency condition only when it
//! names a municipality the directory knows, never a neighbourhood, a housing complex or a
//! district ("East Baltimore residents", "Resident of the Flood Control Zone").

use std::collections::BTreeSet;

use crate::model::Directory;
use crate::spatial::normalize_area_name;

/// Municipality names a reader of eligibility text may trust, compared case-, accent- and
/// punctuation-insensitively ([`normalize_area_name`]).
///
/// [`KnownPlaces::of_directory`] takes the cities of a directory's addresses and the names of
/// its service areas (without a "City of" prefix; names ending in "County" are counties, not
/// municipalities). A name the text gives with a trailing "City" ("Baltimore City") is known
/// when the name without it is.
///
/// # Examples
/// ```
/// use passerelle::rules::{infer_conditions_in, KnownPlaces};
/// let mut places = KnownPlaces::default();
/// places.insert("Baltimore");
/// let rules = |t: &str| -> Vec<String> {
///     infer_conditions_in(t, &places).iter().map(|c| c.rule().to_string()).collect()
/// };
/// assert_eq!(rules("Baltimore City residents"), ["municipality == \"Baltimore City\""]);
/// assert!(rules("East Baltimore residents").is_empty());
/// // Counties and states are read from their own words, not looked up.
/// assert_eq!(rules("Montgomery County residents"), ["county == \"Montgomery\""]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownPlaces {
    names: BTreeSet<String>,
}

impl KnownPlaces {
    /// The municipalities `dir` names: its addresses' cities and its service areas' names.
    pub fn of_directory(dir: &Directory) -> Self {
        let mut places = Self::default();
        for a in &dir.addresses {
            places.insert(&a.city);
        }
        for area in &dir.service_areas {
            let name = area.name.value.trim();
            let key = normalize_area_name(name);
            if key.ends_with(" county") || key == "county" {
                continue;
            }
            let name = key.strip_prefix("city of ").unwrap_or(&key).to_owned();
            places.insert(&name);
        }
        places
    }

    /// Adds a municipality name (empty names are ignored).
    pub fn insert(&mut self, name: &str) {
        let key = normalize_area_name(name);
        if !key.is_empty() {
            self.names.insert(key);
        }
    }

    /// True when `name` (or `name` without a trailing "City") is a known municipality.
    pub fn knows(&self, name: &str) -> bool {
        let key = normalize_area_name(name);
        self.names.contains(&key)
            || key
                .strip_suffix(" city")
                .is_some_and(|base| self.names.contains(base))
    }

    /// Number of names known.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no name is known.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_loosely_and_city_suffix_is_optional() {
        let mut p = KnownPlaces::default();
        p.insert("Montréal");
        p.insert("South San Francisco");
        p.insert("");
        assert_eq!(p.len(), 2);
        assert!(p.knows("montreal"));
        assert!(p.knows("Montreal City"));
        assert!(p.knows("SOUTH SAN FRANCISCO"));
        assert!(!p.knows("San Francisco"));
        assert!(!p.knows("East Montréal"));
    }
}
