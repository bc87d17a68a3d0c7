//! What a navigator acts on: phones, address, website, e-mail, how to apply, fees and required
//! documents of a match, and the [`Navigator::service`] / [`Navigator::location`] detail
//! lookups.
//!
//! The directory's records stay where they are; [`ContactIndex`] (built with the navigator)
//! maps owner ids to the rows that belong to them, so filling a page of matches costs a few
//! hash lookups per match.

use foldhash::{HashMap, HashMapExt};

use crate::model::{Address, Directory, GeoPoint, Phone, Text};

use super::navigator::Navigator;

/// One phone number to call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PhoneContact {
    /// The number as the directory gives it.
    pub number: String,
    /// Extension.
    pub extension: Option<String>,
    /// `voice`, `text`, `fax`, `cell`, `video`, `pager`, `textphone`, when given.
    pub phone_type: Option<String>,
    /// Languages answered in (codes such as `en`, `es`; names when the feed gives no code).
    pub languages: Vec<String>,
    /// Description (hours answered, purpose).
    pub description: Text,
}

impl PhoneContact {
    /// The number with its extension: `"650 363-4111 ext. 12"`.
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::PhoneContact;
    /// let p = PhoneContact { number: "650 363-4111".into(), extension: Some("12".into()), ..PhoneContact::default() };
    /// assert_eq!(p.one_line(), "650 363-4111 ext. 12");
    /// ```
    pub fn one_line(&self) -> String {
        match &self.extension {
            Some(e) => format!("{} ext. {e}", self.number),
            None => self.number.clone(),
        }
    }
}

/// A postal or street address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostalAddress {
    /// Street lines (first line, then the second when given).
    pub lines: Vec<String>,
    /// City.
    pub city: String,
    /// Region.
    pub region: Option<String>,
    /// Province or state.
    pub state_province: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166 country code.
    pub country: String,
    /// `physical`, `postal` or `virtual`.
    pub address_type: String,
}

impl PostalAddress {
    fn from_record(a: &Address) -> Self {
        let mut lines = Vec::new();
        if !a.address_1.trim().is_empty() {
            lines.push(a.address_1.trim().to_owned());
        }
        if let Some(l2) = a
            .address_2
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            lines.push(l2.to_owned());
        }
        Self {
            lines,
            city: a.city.clone(),
            region: a.region.clone(),
            state_province: a.state_province.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
            address_type: a.address_type.clone(),
        }
    }

    /// The address on one line: `"2 West Bayshore Rd, East Palo Alto, CA 94303"`.
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::PostalAddress;
    /// let a = PostalAddress {
    ///     lines: vec!["1 Main St".into()],
    ///     city: "Daly City".into(),
    ///     state_province: "CA".into(),
    ///     postal_code: "94014".into(),
    ///     ..PostalAddress::default()
    /// };
    /// assert_eq!(a.one_line(), "1 Main St, Daly City, CA 94014");
    /// ```
    pub fn one_line(&self) -> String {
        let region = [self.state_province.trim(), self.postal_code.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        self.lines
            .iter()
            .map(|l| l.trim())
            .chain([self.city.trim(), region.as_str()])
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a navigator reads out or acts on for one match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactDetails {
    /// Numbers to call: those of the service at this location, the service and the location,
    /// or the organisation's when none of those has one (deduplicated, in that order).
    pub phones: Vec<PhoneContact>,
    /// The location's address (physical preferred, else postal); `None` without location.
    pub address: Option<PostalAddress>,
    /// The service's website, else the location's, else the organisation's.
    pub website: Option<String>,
    /// The service's e-mail, else the organisation's.
    pub email: Option<String>,
    /// How to apply.
    pub application_process: Text,
    /// Fees, in the directory's words.
    pub fees: Text,
    /// Documents to bring.
    pub required_documents: Vec<Text>,
}

/// A service with everything needed to act on it ([`Navigator::service`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDetails {
    /// Service id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Description.
    pub description: Text,
    /// Organisation id.
    pub organization_id: String,
    /// Organisation name.
    pub organization_name: Text,
    /// HSDS status (`active`, `inactive` …).
    pub status: String,
    /// Who is eligible, in the directory's words.
    pub eligibility_description: Text,
    /// Phones of the service (else of the places it is offered at, else of its organisation),
    /// website, e-mail, how to apply, fees, documents; no address (a service may be offered
    /// at several locations: see [`Navigator::location`]).
    pub contact: ContactDetails,
    /// Locations where it is offered (ids, directory order).
    pub location_ids: Vec<String>,
}

/// A location with its address, phones and services ([`Navigator::location`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LocationDetails {
    /// Location id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Description.
    pub description: Text,
    /// `physical`, `postal` or `virtual`.
    pub location_type: String,
    /// Coordinates, when known.
    pub point: Option<GeoPoint>,
    /// Every address of the location, physical first.
    pub addresses: Vec<PostalAddress>,
    /// Phones of the location.
    pub phones: Vec<PhoneContact>,
    /// Website.
    pub website: Option<String>,
    /// How to get there.
    pub transportation: Text,
    /// Accessibility, in the directory's words.
    pub accessibility: Vec<Text>,
    /// Services offered here (ids, directory order).
    pub service_ids: Vec<String>,
}

/// Row indices of the records that belong to each owner id.
#[derive(Debug, Default)]
pub(crate) struct ContactIndex {
    phones_by_owner: HashMap<Box<str>, Vec<u32>>,
    addresses_by_location: HashMap<Box<str>, Vec<u32>>,
    documents_by_service: HashMap<Box<str>, Vec<u32>>,
    languages_by_phone: HashMap<Box<str>, Vec<u32>>,
    accessibility_by_location: HashMap<Box<str>, Vec<u32>>,
    sals_by_location: HashMap<Box<str>, Vec<u32>>,
    sals_by_service: HashMap<Box<str>, Vec<u32>>,
    service_by_id: HashMap<Box<str>, u32>,
    location_by_id: HashMap<Box<str>, u32>,
    organization_by_id: HashMap<Box<str>, u32>,
}

fn push(map: &mut HashMap<Box<str>, Vec<u32>>, key: Option<&str>, row: usize) {
    if let (Some(k), Ok(row)) = (key.filter(|k| !k.is_empty()), u32::try_from(row)) {
        map.entry(k.into()).or_default().push(row);
    }
}

fn first(map: &mut HashMap<Box<str>, u32>, key: &str, row: usize) {
    if let Ok(row) = u32::try_from(row) {
        map.entry(key.into()).or_insert(row);
    }
}

impl ContactIndex {
    pub(crate) fn new(dir: &Directory) -> Self {
        let mut ix = Self {
            phones_by_owner: HashMap::with_capacity(dir.phones.len()),
            ..Self::default()
        };
        for (i, p) in dir.phones.iter().enumerate() {
            // One phone row may name several owners; each finds it.
            for owner in [
                &p.service_at_location_id,
                &p.service_id,
                &p.location_id,
                &p.organization_id,
            ] {
                push(&mut ix.phones_by_owner, owner.as_deref(), i);
            }
        }
        for (i, a) in dir.addresses.iter().enumerate() {
            push(&mut ix.addresses_by_location, a.location_id.as_deref(), i);
        }
        for (i, d) in dir.required_documents.iter().enumerate() {
            push(&mut ix.documents_by_service, d.service_id.as_deref(), i);
        }
        for (i, l) in dir.languages.iter().enumerate() {
            push(&mut ix.languages_by_phone, l.phone_id.as_deref(), i);
        }
        for (i, a) in dir.accessibility.iter().enumerate() {
            push(
                &mut ix.accessibility_by_location,
                a.location_id.as_deref(),
                i,
            );
        }
        for (i, s) in dir.service_at_locations.iter().enumerate() {
            push(&mut ix.sals_by_location, Some(&s.location_id), i);
            push(&mut ix.sals_by_service, Some(&s.service_id), i);
        }
        for (i, s) in dir.services.iter().enumerate() {
            first(&mut ix.service_by_id, &s.id, i);
        }
        for (i, l) in dir.locations.iter().enumerate() {
            first(&mut ix.location_by_id, &l.id, i);
        }
        for (i, o) in dir.organizations.iter().enumerate() {
            first(&mut ix.organization_by_id, &o.id, i);
        }
        ix
    }

    fn rows<'a>(map: &'a HashMap<Box<str>, Vec<u32>>, key: &str) -> &'a [u32] {
        map.get(key).map_or(&[], Vec::as_slice)
    }

    /// Phones of the first owners that have any, deduplicated by number and extension:
    /// `owners` in order, then `fallback` when none had one.
    fn phones(
        &self,
        dir: &Directory,
        owners: &[Option<&str>],
        fallback: Option<&str>,
    ) -> Vec<PhoneContact> {
        let mut seen: Vec<u32> = Vec::new();
        let mut out: Vec<PhoneContact> = Vec::new();
        let mut add = |rows: &[u32], out: &mut Vec<PhoneContact>| {
            for &r in rows {
                if seen.contains(&r) {
                    continue;
                }
                seen.push(r);
                let Some(p) = dir.phones.get(r as usize) else {
                    continue;
                };
                if p.number.trim().is_empty() {
                    continue;
                }
                let phone = self.phone(dir, p);
                if !out
                    .iter()
                    .any(|o| o.number == phone.number && o.extension == phone.extension)
                {
                    out.push(phone);
                }
            }
        };
        for owner in owners.iter().flatten() {
            add(Self::rows(&self.phones_by_owner, owner), &mut out);
        }
        if out.is_empty() {
            if let Some(f) = fallback {
                add(Self::rows(&self.phones_by_owner, f), &mut out);
            }
        }
        out
    }

    fn phone(&self, dir: &Directory, p: &Phone) -> PhoneContact {
        let mut languages: Vec<String> = Vec::new();
        for &r in Self::rows(&self.languages_by_phone, &p.id) {
            let Some(l) = dir.languages.get(r as usize) else {
                continue;
            };
            let lang = match (&l.code, &l.name) {
                (Some(c), _) => c.as_str().to_owned(),
                (None, Some(n)) if !n.trim().is_empty() => n.trim().to_owned(),
                _ => continue,
            };
            if !languages.contains(&lang) {
                languages.push(lang);
            }
        }
        PhoneContact {
            number: p.number.trim().to_owned(),
            extension: p
                .extension
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned),
            phone_type: p.phone_type.clone(),
            languages,
            description: p.description.clone(),
        }
    }

    /// The first address of a location in the order of [`ContactIndex::addresses`], without
    /// converting the others.
    fn first_address(&self, dir: &Directory, location_id: &str) -> Option<PostalAddress> {
        let rows: Vec<&Address> = Self::rows(&self.addresses_by_location, location_id)
            .iter()
            .filter_map(|&r| dir.addresses.get(r as usize))
            .collect();
        ["physical", "postal"]
            .iter()
            .find_map(|t| rows.iter().find(|a| a.address_type == *t))
            .or_else(|| rows.first())
            .map(|a| PostalAddress::from_record(a))
    }

    /// Every address of a location, physical first (then postal, then others), stable.
    fn addresses(&self, dir: &Directory, location_id: &str) -> Vec<PostalAddress> {
        let mut rows: Vec<&Address> = Self::rows(&self.addresses_by_location, location_id)
            .iter()
            .filter_map(|&r| dir.addresses.get(r as usize))
            .collect();
        rows.sort_by_key(|a| match a.address_type.as_str() {
            "physical" => 0,
            "postal" => 1,
            _ => 2,
        });
        rows.into_iter().map(PostalAddress::from_record).collect()
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl Navigator {
    /// Contact details of service `si` (index) at the location `li` (index, if any) through
    /// the service-at-location `sal_id`.
    pub(super) fn contact_details(
        &self,
        si: usize,
        sal_id: Option<&str>,
        location: Option<&crate::model::Location>,
    ) -> ContactDetails {
        let dir = self.directory();
        let ix = self.contacts();
        let Some(service) = dir.services.get(si) else {
            return ContactDetails::default();
        };
        let org = ix
            .organization_by_id
            .get(service.organization_id.as_str())
            .and_then(|&o| dir.organizations.get(o as usize));
        let phones = ix.phones(
            dir,
            &[
                sal_id,
                Some(service.id.as_str()),
                location.map(|l| l.id.as_str()),
            ],
            Some(service.organization_id.as_str()),
        );
        let address = location.and_then(|l| ix.first_address(dir, &l.id));
        ContactDetails {
            phones,
            address,
            website: non_empty(&service.url)
                .or_else(|| location.and_then(|l| non_empty(&l.url)))
                .or_else(|| org.and_then(|o| non_empty(&o.website))),
            email: non_empty(&service.email).or_else(|| org.and_then(|o| non_empty(&o.email))),
            application_process: service.application_process.clone(),
            fees: service.fees_description.clone(),
            required_documents: ContactIndex::rows(&ix.documents_by_service, &service.id)
                .iter()
                .filter_map(|&r| dir.required_documents.get(r as usize))
                .map(|d| d.document.clone())
                .filter(|t| !t.is_empty())
                .collect(),
        }
    }

    /// A service with its contact details and locations; `None` for an unknown id.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
    /// let s = nav.service("svc-distress-line").unwrap();
    /// assert!(!s.contact.phones.is_empty());
    /// assert!(nav.service("no-such-service").is_none());
    /// ```
    pub fn service(&self, id: &str) -> Option<ServiceDetails> {
        let dir = self.directory();
        let ix = self.contacts();
        let si = *ix.service_by_id.get(id)? as usize;
        let s = dir.services.get(si)?;
        let org = ix
            .organization_by_id
            .get(s.organization_id.as_str())
            .and_then(|&o| dir.organizations.get(o as usize));
        let mut location_ids: Vec<String> = Vec::new();
        let mut sal_ids: Vec<&str> = Vec::new();
        for &r in ContactIndex::rows(&ix.sals_by_service, &s.id) {
            if let Some(sal) = dir.service_at_locations.get(r as usize) {
                sal_ids.push(sal.id.as_str());
                if !location_ids.contains(&sal.location_id) {
                    location_ids.push(sal.location_id.clone());
                }
            }
        }
        let mut contact = self.contact_details(si, None, None);
        contact.phones = ix.phones(dir, &[Some(s.id.as_str())], None);
        if contact.phones.is_empty() {
            // The numbers of the places it is offered at, before the organisation's.
            let owners: Vec<Option<&str>> = sal_ids
                .iter()
                .copied()
                .chain(location_ids.iter().map(String::as_str))
                .map(Some)
                .collect();
            contact.phones = ix.phones(dir, &owners, Some(s.organization_id.as_str()));
        }
        Some(ServiceDetails {
            id: s.id.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            organization_id: s.organization_id.clone(),
            organization_name: org.map(|o| o.name.clone()).unwrap_or_default(),
            status: s.status.as_str().to_owned(),
            eligibility_description: s.eligibility_description.clone(),
            contact,
            location_ids,
        })
    }

    /// A location with its addresses, phones, accessibility and services; `None` for an
    /// unknown id.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
    /// let id = nav.directory().locations[0].id.clone();
    /// let l = nav.location(&id).unwrap();
    /// assert!(!l.addresses.is_empty());
    /// assert!(nav.location("no-such-location").is_none());
    /// ```
    pub fn location(&self, id: &str) -> Option<LocationDetails> {
        let dir = self.directory();
        let ix = self.contacts();
        let l = dir.locations.get(*ix.location_by_id.get(id)? as usize)?;
        let mut service_ids: Vec<String> = Vec::new();
        for &r in ContactIndex::rows(&ix.sals_by_location, &l.id) {
            if let Some(sal) = dir.service_at_locations.get(r as usize) {
                if !service_ids.contains(&sal.service_id) {
                    service_ids.push(sal.service_id.clone());
                }
            }
        }
        Some(LocationDetails {
            id: l.id.clone(),
            name: l.name.clone(),
            description: l.description.clone(),
            location_type: l.location_type.as_str().to_owned(),
            point: l.point,
            addresses: ix.addresses(dir, &l.id),
            phones: ix.phones(dir, &[Some(l.id.as_str())], None),
            website: non_empty(&l.url),
            transportation: l.transportation.clone(),
            accessibility: ContactIndex::rows(&ix.accessibility_by_location, &l.id)
                .iter()
                .filter_map(|&r| dir.accessibility.get(r as usize))
                .map(|a| a.description.clone())
                .filter(|t| !t.is_empty())
                .collect(),
            service_ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Language, Location, Organization, Service, ServiceAtLocation};
    use crate::{model::LangCode, NavigatorOptions};

    fn directory() -> Directory {
        let mut d = Directory::default();
        d.organizations.push(Organization {
            id: "o".into(),
            website: Some("https://org.example".into()),
            ..Default::default()
        });
        d.services.push(Service {
            id: "s".into(),
            organization_id: "o".into(),
            fees_description: Text::new("free"),
            ..Default::default()
        });
        d.locations.push(Location {
            id: "l".into(),
            ..Default::default()
        });
        d.service_at_locations.push(ServiceAtLocation {
            id: "sal".into(),
            service_id: "s".into(),
            location_id: "l".into(),
            ..Default::default()
        });
        for (id, kind, city) in [("a1", "postal", "Box"), ("a2", "physical", "Street")] {
            d.addresses.push(Address {
                id: id.into(),
                location_id: Some("l".into()),
                city: city.into(),
                address_type: kind.into(),
                ..Default::default()
            });
        }
        for (id, owner, number, ext) in [
            ("p1", "org", "555 0100", None),
            ("p2", "loc", "555 0200", Some(" 7 ")),
            ("p3", "sal", "555 0200", Some("7")),
        ] {
            d.phones.push(Phone {
                id: id.into(),
                organization_id: (owner == "org").then(|| "o".into()),
                location_id: (owner == "loc").then(|| "l".into()),
                service_at_location_id: (owner == "sal").then(|| "sal".into()),
                number: number.into(),
                extension: ext.map(Into::into),
                ..Default::default()
            });
        }
        d.languages.push(Language {
            id: "lang".into(),
            phone_id: Some("p3".into()),
            code: Some(LangCode::new("es").unwrap()),
            ..Default::default()
        });
        d
    }

    #[test]
    fn physical_address_first_phones_deduplicated_org_as_fallback() {
        let (nav, _) = Navigator::build(directory(), NavigatorOptions::default()).unwrap();
        let loc = nav.directory().locations.first().cloned();
        let c = nav.contact_details(0, Some("sal"), loc.as_ref());
        assert_eq!(c.address.unwrap().city, "Street");
        // p3 (the service at location's) first; p2 is the same number and extension.
        assert_eq!(c.phones.len(), 1);
        assert_eq!(c.phones[0].one_line(), "555 0200 ext. 7");
        assert_eq!(c.phones[0].languages, ["es"]);
        assert_eq!(c.website.as_deref(), Some("https://org.example"));
        assert_eq!(c.fees.value, "free");
        // Without location phones, the organisation's number is given.
        let c = nav.contact_details(0, None, None);
        assert_eq!(c.phones[0].number, "555 0100");
        assert!(c.address.is_none());
        let l = nav.location("l").unwrap();
        assert_eq!(
            l.addresses
                .iter()
                .map(|a| a.city.as_str())
                .collect::<Vec<_>>(),
            ["Street", "Box"]
        );
        assert_eq!(nav.service("s").unwrap().contact.phones.len(), 1);
    }
}
