//! FFI mirrors of core's contact details (carried by every match) and the
//! `Navigator.service` / `Navigator.location` detail lookups.

use passerelle::matching::{
    ContactDetails as CoreContact, LocationDetails as CoreLocation, PhoneContact as CorePhone,
    PostalAddress as CoreAddress, ServiceDetails as CoreService,
};

use crate::matching::Navigator;
use crate::model::{GeoPoint, LocalizedText};

/// A phone number to call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhoneNumber {
    /// The number as the directory gives it.
    pub number: String,
    /// Extension.
    pub extension: Option<String>,
    /// `voice`, `text`, `fax`, `cell`, `video`, `pager`, `textphone`, when given.
    pub phone_type: Option<String>,
    /// Languages answered in (codes, or names when the directory gives no code).
    pub languages: Vec<String>,
    /// Description (hours answered, purpose).
    pub description: LocalizedText,
}

impl From<CorePhone> for PhoneNumber {
    fn from(p: CorePhone) -> Self {
        Self {
            number: p.number,
            extension: p.extension,
            phone_type: p.phone_type,
            languages: p.languages,
            description: p.description.into(),
        }
    }
}

/// A street or postal address.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PostalAddress {
    /// Street lines.
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
    /// The address on one line (`1 Main St, Daly City, CA 94014`).
    pub one_line: String,
}

impl From<CoreAddress> for PostalAddress {
    fn from(a: CoreAddress) -> Self {
        let one_line = a.one_line();
        Self {
            lines: a.lines,
            city: a.city,
            region: a.region,
            state_province: a.state_province,
            postal_code: a.postal_code,
            country: a.country,
            address_type: a.address_type,
            one_line,
        }
    }
}

/// What a navigator reads out or acts on for a match.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactDetails {
    /// Numbers to call (service at location, service, location; else the organisation's).
    pub phones: Vec<PhoneNumber>,
    /// The location's address (physical preferred); `None` without location.
    pub address: Option<PostalAddress>,
    /// Website (the service's, else the location's, else the organisation's).
    pub website: Option<String>,
    /// E-mail (the service's, else the organisation's).
    pub email: Option<String>,
    /// How to apply.
    pub application_process: LocalizedText,
    /// Fees, in the directory's words.
    pub fees: LocalizedText,
    /// Documents to bring.
    pub required_documents: Vec<LocalizedText>,
}

impl From<CoreContact> for ContactDetails {
    fn from(c: CoreContact) -> Self {
        Self {
            phones: c.phones.into_iter().map(Into::into).collect(),
            address: c.address.map(Into::into),
            website: c.website,
            email: c.email,
            application_process: c.application_process.into(),
            fees: c.fees.into(),
            required_documents: c.required_documents.into_iter().map(Into::into).collect(),
        }
    }
}

/// A service with everything needed to act on it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceDetails {
    /// Service id.
    pub id: String,
    /// Name.
    pub name: LocalizedText,
    /// Description.
    pub description: LocalizedText,
    /// Organisation id.
    pub organization_id: String,
    /// Organisation name.
    pub organization_name: LocalizedText,
    /// HSDS status (`active`, `inactive` …).
    pub status: String,
    /// Who is eligible, in the directory's words.
    pub eligibility_description: LocalizedText,
    /// Phones (the service's, else those of the places it is offered at, else the
    /// organisation's), website, e-mail, how to apply, fees, documents (no address: see
    /// `location`).
    pub contact: ContactDetails,
    /// Locations where it is offered.
    pub location_ids: Vec<String>,
}

impl From<CoreService> for ServiceDetails {
    fn from(s: CoreService) -> Self {
        Self {
            id: s.id,
            name: s.name.into(),
            description: s.description.into(),
            organization_id: s.organization_id,
            organization_name: s.organization_name.into(),
            status: s.status,
            eligibility_description: s.eligibility_description.into(),
            contact: s.contact.into(),
            location_ids: s.location_ids,
        }
    }
}

/// A location with its addresses, phones, accessibility and services.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LocationDetails {
    /// Location id.
    pub id: String,
    /// Name.
    pub name: LocalizedText,
    /// Description.
    pub description: LocalizedText,
    /// `physical`, `postal` or `virtual`.
    pub location_type: String,
    /// Coordinates, when known.
    pub point: Option<GeoPoint>,
    /// Every address, physical first.
    pub addresses: Vec<PostalAddress>,
    /// Phones of the location.
    pub phones: Vec<PhoneNumber>,
    /// Website.
    pub website: Option<String>,
    /// How to get there.
    pub transportation: LocalizedText,
    /// Accessibility, in the directory's words.
    pub accessibility: Vec<LocalizedText>,
    /// Services offered here.
    pub service_ids: Vec<String>,
}

impl From<CoreLocation> for LocationDetails {
    fn from(l: CoreLocation) -> Self {
        Self {
            id: l.id,
            name: l.name.into(),
            description: l.description.into(),
            location_type: l.location_type,
            point: l.point.map(Into::into),
            addresses: l.addresses.into_iter().map(Into::into).collect(),
            phones: l.phones.into_iter().map(Into::into).collect(),
            website: l.website,
            transportation: l.transportation.into(),
            accessibility: l.accessibility.into_iter().map(Into::into).collect(),
            service_ids: l.service_ids,
        }
    }
}

#[uniffi::export]
impl Navigator {
    /// A service of the current directory with its contact details and locations; `None`
    /// for an unknown id.
    pub fn service(&self, id: String) -> Option<ServiceDetails> {
        self.snapshot().service(&id).map(Into::into)
    }

    /// A location of the current directory with its addresses, phones, accessibility and
    /// services; `None` for an unknown id.
    pub fn location(&self, id: String) -> Option<LocationDetails> {
        self.snapshot().location(&id).map(Into::into)
    }
}
