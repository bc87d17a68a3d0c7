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
    /// [`place_key`]s of every place the directory names, counties included: a resident
    /// whose place is one of these and not the one a residency condition names lives
    /// clearly elsewhere.
    keys: BTreeSet<String>,
}

/// Words that qualify a place name rather than name it: "Baltimore City", "San Mateo
/// County", "Ville de Montréal", "City of Ottawa" all name the place their other words do.
const QUALIFIERS: [&str; 9] = [
    "city", "county", "ville", "comte", "de", "d", "of", "du", "town",
];

/// A place name reduced for comparison: [`normalize_area_name`] without the qualifying
/// words ("city", "county", "ville", "comté", "de", "of", …). A name made only of such
/// words keeps them.
pub(crate) fn place_key(name: &str) -> String {
    let norm = normalize_area_name(name);
    let kept: Vec<&str> = norm
        .split(' ')
        .filter(|w| !QUALIFIERS.contains(w))
        .collect();
    if kept.is_empty() {
        norm
    } else {
        kept.join(" ")
    }
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
                places.keys.insert(place_key(&key));
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
            self.keys.insert(place_key(&key));
            self.names.insert(key);
        }
    }

    /// True when `key` (a [`place_key`]) is a place the directory names.
    pub(crate) fn knows_key(&self, key: &str) -> bool {
        self.keys.contains(key)
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

    #[test]
    fn place_keys_drop_qualifying_words() {
        assert_eq!(place_key("Baltimore City"), "baltimore");
        assert_eq!(place_key("baltimore"), "baltimore");
        assert_eq!(place_key("San Mateo County"), place_key("san mateo"));
        assert_eq!(place_key("Ville de Montréal"), "montreal");
        assert_eq!(place_key("City of Ottawa"), "ottawa");
        assert_eq!(place_key("Comté de Prescott"), "prescott");
        assert_eq!(place_key("Daly City"), "daly");
        assert_ne!(place_key("East Baltimore"), place_key("Baltimore"));
        assert_eq!(place_key("City"), "city");
        let mut p = KnownPlaces::default();
        p.insert("Towson");
        assert!(p.knows_key(&place_key("TOWSON")));
        assert!(!p.knows_key(&place_key("Hampden")));
    }
}
