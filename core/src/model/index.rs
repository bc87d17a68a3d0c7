//! Id lookups over a [`Directory`] and the values derived from links between tables.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt};

use super::records::{DeliveryMode, Directory, LocationType, ServiceAtLocation, TaxonomyTerm};
use super::values::TermCode;

/// Id → position maps and child lists for a [`Directory`], built once in O(n).
///
/// # Examples
/// ```
/// use passerelle::model::{DeliveryMode, DirectoryIndex, Location, LocationType, Service, ServiceAtLocation};
/// use passerelle::Directory;
/// let mut dir = Directory::default();
/// dir.services.push(Service { id: "s1".into(), ..Default::default() });
/// dir.locations.push(Location { id: "l1".into(), location_type: LocationType::Virtual, ..Default::default() });
/// dir.service_at_locations.push(ServiceAtLocation { id: "sal1".into(), service_id: "s1".into(), location_id: "l1".into(), ..Default::default() });
/// let index = DirectoryIndex::new(&dir);
/// assert_eq!(index.service("s1").map(|s| s.id.as_str()), Some("s1"));
/// let modes = index.delivery_modes(&dir.service_at_locations[0]);
/// assert!(modes.contains(&DeliveryMode::Virtual));
/// ```
#[derive(Debug)]
pub struct DirectoryIndex<'a> {
    dir: &'a Directory,
    organizations: HashMap<&'a str, usize>,
    services: HashMap<&'a str, usize>,
    locations: HashMap<&'a str, usize>,
    terms: HashMap<&'a str, usize>,
    terms_by_code: HashMap<&'a str, usize>,
    /// attribute positions by linked record id
    attributes_by_link: HashMap<&'a str, Vec<usize>>,
    /// phone positions by owning service / location / service-at-location id
    phones_by_owner: HashMap<&'a str, Vec<usize>>,
}

impl<'a> DirectoryIndex<'a> {
    /// Indexes `dir`. When ids are duplicated, the first record wins (the importer reports duplicates).
    pub fn new(dir: &'a Directory) -> Self {
        fn positions<'a, T>(
            items: &'a [T],
            id: impl Fn(&'a T) -> &'a str,
        ) -> HashMap<&'a str, usize> {
            let mut map = HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                map.entry(id(item)).or_insert(i);
            }
            map
        }
        let mut attributes_by_link: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in dir.attributes.iter().enumerate() {
            attributes_by_link
                .entry(a.link_id.as_str())
                .or_default()
                .push(i);
        }
        let mut phones_by_owner: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, p) in dir.phones.iter().enumerate() {
            let owners = [
                &p.service_id,
                &p.location_id,
                &p.service_at_location_id,
                &p.organization_id,
            ];
            for owner in owners.into_iter().flatten() {
                phones_by_owner.entry(owner.as_str()).or_default().push(i);
            }
        }
        let mut terms_by_code = HashMap::new();
        for (i, t) in dir.taxonomy_terms.iter().enumerate() {
            if let Some(code) = &t.code {
                terms_by_code.entry(code.as_str()).or_insert(i);
            }
        }
        Self {
            dir,
            organizations: positions(&dir.organizations, |o| o.id.as_str()),
            services: positions(&dir.services, |s| s.id.as_str()),
            locations: positions(&dir.locations, |l| l.id.as_str()),
            terms: positions(&dir.taxonomy_terms, |t| t.id.as_str()),
            terms_by_code,
            attributes_by_link,
            phones_by_owner,
        }
    }

    /// The indexed directory.
    pub fn directory(&self) -> &'a Directory {
        self.dir
    }

    /// Organisation by id.
    pub fn organization(&self, id: &str) -> Option<&'a super::records::Organization> {
        self.organizations
            .get(id)
            .and_then(|&i| self.dir.organizations.get(i))
    }

    /// Position of the organisation with this id in `Directory::organizations`.
    pub(crate) fn organization_position(&self, id: &str) -> Option<usize> {
        self.organizations.get(id).copied()
    }

    /// Service by id.
    pub fn service(&self, id: &str) -> Option<&'a super::records::Service> {
        self.services
            .get(id)
            .and_then(|&i| self.dir.services.get(i))
    }

    /// Location by id.
    pub fn location(&self, id: &str) -> Option<&'a super::records::Location> {
        self.locations
            .get(id)
            .and_then(|&i| self.dir.locations.get(i))
    }

    /// Taxonomy term by id.
    pub fn term(&self, id: &str) -> Option<&'a TaxonomyTerm> {
        self.terms
            .get(id)
            .and_then(|&i| self.dir.taxonomy_terms.get(i))
    }

    /// Taxonomy term by code.
    pub fn term_by_code(&self, code: &str) -> Option<&'a TaxonomyTerm> {
        self.terms_by_code
            .get(code)
            .and_then(|&i| self.dir.taxonomy_terms.get(i))
    }

    /// Attributes linked to the record with this id.
    pub fn attributes_of(
        &self,
        link_id: &str,
    ) -> impl Iterator<Item = &'a super::records::Attribute> + '_ {
        self.attributes_by_link
            .get(link_id)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.dir.attributes.get(i))
    }

    /// Codes of the terms linked to `link_id` with the given `link_type`.
    pub fn term_codes_of(
        &self,
        link_id: &str,
        link_type: &str,
    ) -> impl Iterator<Item = &'a TermCode> + '_ {
        let link_type = link_type.to_owned();
        self.attributes_of(link_id)
            .filter(move |a| a.link_type.as_deref() == Some(link_type.as_str()))
            .filter_map(|a| self.term(&a.taxonomy_term_id))
            .filter_map(|t| t.code.as_ref())
    }

    /// [`DirectoryIndex::term_codes_of`] with a static link type: no allocation per call.
    fn term_codes_of_static(
        &self,
        link_id: &str,
        link_type: &'static str,
    ) -> impl Iterator<Item = &'a TermCode> + '_ {
        self.attributes_of(link_id)
            .filter(move |a| a.link_type.as_deref() == Some(link_type))
            .filter_map(|a| self.term(&a.taxonomy_term_id))
            .filter_map(|t| t.code.as_ref())
    }

    /// Phones owned by the record with this id (service, location, service at location or organisation).
    pub fn phones_of(
        &self,
        owner_id: &str,
    ) -> impl Iterator<Item = &'a super::records::Phone> + '_ {
        self.phones_by_owner
            .get(owner_id)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.dir.phones.get(i))
    }

    /// How a resident can receive this service at this location, derived from the location
    /// type (physical ⇒ in person, virtual ⇒ virtual), voice phones on the service, location or
    /// pairing when the site is not physical (⇒ phone: at a physical site a number is for
    /// intake, not delivery) and `delivery_method` attributes (`delivery.phone` ⇒ phone,
    /// `delivery.home` ⇒ home visit …).
    pub fn delivery_modes(&self, sal: &ServiceAtLocation) -> BTreeSet<DeliveryMode> {
        let mut modes = BTreeSet::new();
        self.for_each_delivery_mode(sal, |m| {
            modes.insert(m);
        });
        modes
    }

    /// Calls `f` with each mode of [`DirectoryIndex::delivery_modes`] (possibly more than once),
    /// without building the set: the navigator folds them into bits for every SAL.
    pub(crate) fn for_each_delivery_mode(
        &self,
        sal: &ServiceAtLocation,
        mut f: impl FnMut(DeliveryMode),
    ) {
        let mut physical = false;
        if let Some(loc) = self.location(&sal.location_id) {
            match loc.location_type {
                LocationType::Physical => {
                    physical = true;
                    f(DeliveryMode::InPerson);
                }
                LocationType::Virtual => f(DeliveryMode::Virtual),
                LocationType::Postal => {}
            }
        }
        // At a physical site a phone number is how to reach the service (intake,
        // information), not a way of receiving it: a food bank's number does not deliver food.
        // There, phone delivery must be declared (a `delivery_method` term below).
        if physical {
            self.for_each_declared_mode(sal, &mut f);
            return;
        }
        let owners = [
            sal.service_id.as_str(),
            sal.location_id.as_str(),
            sal.id.as_str(),
        ];
        let voice = owners
            .iter()
            .flat_map(|o| self.phones_of(o))
            .any(super::facts::is_voice);
        if voice {
            f(DeliveryMode::Phone);
        }
        self.for_each_declared_mode(sal, &mut f);
    }

    /// Delivery modes declared by `delivery_method` terms on the service or the SAL.
    fn for_each_declared_mode(&self, sal: &ServiceAtLocation, f: &mut impl FnMut(DeliveryMode)) {
        for owner in [sal.service_id.as_str(), sal.id.as_str()] {
            for code in self.term_codes_of_static(owner, "delivery_method") {
                if let Some(mode) = DeliveryMode::from_term_code(code.as_str()) {
                    f(mode);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::records::*;

    fn term(id: &str, code: &str) -> TaxonomyTerm {
        TaxonomyTerm {
            id: id.into(),
            code: Some(TermCode::new(code).unwrap()),
            ..Default::default()
        }
    }

    fn modes_of(dir: &Directory) -> Vec<DeliveryMode> {
        DirectoryIndex::new(dir)
            .delivery_modes(&dir.service_at_locations[0])
            .into_iter()
            .collect()
    }

    fn meals_at(location_type: LocationType, delivery_terms: &[&str]) -> Directory {
        let mut dir = Directory::default();
        dir.services.push(Service {
            id: "meals".into(),
            ..Default::default()
        });
        dir.locations.push(Location {
            id: "kitchen".into(),
            location_type,
            ..Default::default()
        });
        dir.service_at_locations.push(ServiceAtLocation {
            id: "sal".into(),
            service_id: "meals".into(),
            location_id: "kitchen".into(),
            ..Default::default()
        });
        dir.phones.push(Phone {
            id: "p".into(),
            service_id: Some("meals".into()),
            number: "613-555-0100".into(),
            phone_type: Some("voice".into()),
            ..Default::default()
        });
        for (i, code) in delivery_terms.iter().enumerate() {
            dir.taxonomy_terms.push(term(&format!("t{i}"), code));
            dir.attributes.push(Attribute {
                id: format!("a{i}"),
                link_id: "meals".into(),
                taxonomy_term_id: format!("t{i}"),
                link_type: Some("delivery_method".into()),
                link_entity: "service".into(),
                ..Default::default()
            });
        }
        dir
    }

    #[test]
    fn delivery_modes_from_location_phones_and_attributes() {
        use DeliveryMode::*;
        // At a physical site the intake number is not phone delivery …
        assert_eq!(
            modes_of(&meals_at(LocationType::Physical, &["delivery.home"])),
            vec![InPerson, HomeVisit]
        );
        // … unless declared.
        assert_eq!(
            modes_of(&meals_at(
                LocationType::Physical,
                &["delivery.home", "delivery.phone"]
            )),
            vec![InPerson, Phone, HomeVisit]
        );
        // Without a physical site, a voice line is how the service is given.
        assert_eq!(
            modes_of(&meals_at(LocationType::Virtual, &[])),
            vec![Phone, Virtual]
        );
        assert_eq!(modes_of(&meals_at(LocationType::Postal, &[])), vec![Phone]);
    }

    #[test]
    fn fax_is_not_phone_delivery_and_first_duplicate_wins() {
        let mut dir = Directory::default();
        for name in ["first", "second"] {
            dir.services.push(Service {
                id: "dup".into(),
                name: name.into(),
                ..Default::default()
            });
        }
        dir.phones.push(Phone {
            id: "f".into(),
            service_id: Some("dup".into()),
            phone_type: Some("fax".into()),
            ..Default::default()
        });
        dir.service_at_locations.push(ServiceAtLocation {
            id: "sal".into(),
            service_id: "dup".into(),
            location_id: "missing".into(),
            ..Default::default()
        });
        let index = DirectoryIndex::new(&dir);
        assert_eq!(index.service("dup").unwrap().name.value, "first");
        assert!(index
            .delivery_modes(&dir.service_at_locations[0])
            .is_empty());
    }
}
