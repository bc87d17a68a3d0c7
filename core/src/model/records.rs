//! HSDS 3.1 records, one struct per table, linked by ids as in the tabular form.
//!
//! Field names follow HSDS 3.1. Text a resident reads is [`Text`] (default language plus
//! translations); validated values use [`GeoPoint`], [`LangCode`] and [`TermCode`].
//! Every record keeps the columns/properties passerelle does not model in `extra`, so a
//! directory passed through passerelle is written back without loss.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time};

use super::values::{GeoPoint, LangCode, TermCode, Text};

/// Columns or properties the model does not know, kept verbatim for export.
///
/// Keys are the HSDS column/property names; values are JSON values (CSV cells are strings).
pub type Extra = BTreeMap<String, serde_json::Value>;

/// Serde form of [`Extra`]: JSON text, so formats that are not self-describing (the navigator
/// snapshot's) can carry arbitrary JSON values.
mod extra_json {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    use super::Extra;

    pub(super) fn serialize<S: Serializer>(extra: &Extra, s: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(extra).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Extra, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}

/// Serde form of a weekday: its ISO number, Monday = 1 … Sunday = 7.
mod weekday_number {
    use jiff::civil::Weekday;
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i8(day.to_monday_one_offset())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        Weekday::from_monday_one_offset(i8::deserialize(d)?).map_err(D::Error::custom)
    }
}

/// Serde form of [`Directory::other_tables`]: each table's rows as one JSON text.
mod tables_json {
    use std::collections::BTreeMap;

    use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};

    use super::Extra;

    type Tables = BTreeMap<String, Vec<Extra>>;

    pub(super) fn serialize<S: Serializer>(tables: &Tables, s: S) -> Result<S::Ok, S::Error> {
        let texts = tables
            .iter()
            .map(|(name, rows)| Ok((name, serde_json::to_string(rows)?)))
            .collect::<Result<BTreeMap<_, _>, serde_json::Error>>()
            .map_err(serde::ser::Error::custom)?;
        texts.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tables, D::Error> {
        BTreeMap::<String, String>::deserialize(d)?
            .into_iter()
            .map(|(name, text)| Ok((name, serde_json::from_str(&text).map_err(D::Error::custom)?)))
            .collect()
    }
}

/// An agency that provides services (HSDS `organization`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Organization {
    /// Unique id.
    pub id: String,
    /// Official name.
    pub name: Text,
    /// Other name it is known by.
    pub alternate_name: Text,
    /// What the organisation does.
    pub description: Text,
    /// Contact email.
    pub email: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Parent organisation id.
    pub parent_organization_id: Option<String>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// Lifecycle status of a service (HSDS `service.status`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum ServiceStatus {
    /// Operating.
    #[default]
    Active,
    /// Not currently operating.
    Inactive,
    /// No longer exists.
    Defunct,
    /// Temporarily closed.
    TemporarilyClosed,
}

impl ServiceStatus {
    /// The HSDS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Inactive => "inactive",
            Self::Defunct => "defunct",
            Self::TemporarilyClosed => "temporarily closed",
        }
    }

    /// Parses the HSDS spelling (case-insensitive, `_` accepted for spaces).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().replace('_', " ").as_str() {
            "active" => Some(Self::Active),
            "inactive" => Some(Self::Inactive),
            "defunct" => Some(Self::Defunct),
            "temporarily closed" => Some(Self::TemporarilyClosed),
            _ => None,
        }
    }
}

/// A program or service offered by an organisation (HSDS `service`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Service {
    /// Unique id.
    pub id: String,
    /// Organisation providing it.
    pub organization_id: String,
    /// Program it belongs to.
    pub program_id: Option<String>,
    /// Name.
    pub name: Text,
    /// Other name.
    pub alternate_name: Text,
    /// What the service offers.
    pub description: Text,
    /// Web page.
    pub url: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Status.
    pub status: ServiceStatus,
    /// Interpretation services offered.
    pub interpretation_services: Text,
    /// How to apply.
    pub application_process: Text,
    /// Fees in words.
    pub fees_description: Text,
    /// Typical wait.
    pub wait_time: Text,
    /// Free-text eligibility, for display.
    pub eligibility_description: Text,
    /// Minimum age in decimal years (inclusive).
    pub minimum_age: Option<f64>,
    /// Maximum age in decimal years (inclusive).
    pub maximum_age: Option<f64>,
    /// When the record was last checked.
    pub assured_date: Option<Date>,
    /// Who checked it.
    pub assurer_email: Option<String>,
    /// Short notice shown with the service (e.g. temporary closure).
    pub alert: Text,
    /// passerelle extension: an eligibility rule in the rules language (`eligibility_rule`).
    pub eligibility_rule: Option<String>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// Kind of location (HSDS `location.location_type`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum LocationType {
    /// A place a resident can visit.
    #[default]
    Physical,
    /// A mailing address only.
    Postal,
    /// Online only.
    Virtual,
}

impl LocationType {
    /// The HSDS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Physical => "physical",
            Self::Postal => "postal",
            Self::Virtual => "virtual",
        }
    }

    /// Parses the HSDS spelling (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "physical" => Some(Self::Physical),
            "postal" => Some(Self::Postal),
            "virtual" => Some(Self::Virtual),
            _ => None,
        }
    }
}

/// A place where services are delivered (HSDS `location`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// Unique id.
    pub id: String,
    /// Physical, postal or virtual.
    pub location_type: LocationType,
    /// Web address (virtual locations).
    pub url: Option<String>,
    /// Owning organisation.
    pub organization_id: Option<String>,
    /// Name.
    pub name: Text,
    /// Other name.
    pub alternate_name: Text,
    /// Description.
    pub description: Text,
    /// How to get there.
    pub transportation: Text,
    /// Validated coordinates (`latitude`/`longitude`), if present and valid.
    pub point: Option<GeoPoint>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A service delivered at a location: the unit a resident visits (HSDS `service_at_location`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ServiceAtLocation {
    /// Unique id.
    pub id: String,
    /// The service.
    pub service_id: String,
    /// The location.
    pub location_id: String,
    /// Notes specific to this pairing.
    pub description: Text,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A street or mailing address of a location (HSDS `address`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Address {
    /// Unique id.
    pub id: String,
    /// The location.
    pub location_id: Option<String>,
    /// Attention line.
    pub attention: Option<String>,
    /// First line.
    pub address_1: String,
    /// Second line.
    pub address_2: Option<String>,
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
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A phone number (HSDS `phone`) attached to a location, service, organisation or service at location.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Phone {
    /// Unique id.
    pub id: String,
    /// Location it belongs to.
    pub location_id: Option<String>,
    /// Service it belongs to.
    pub service_id: Option<String>,
    /// Organisation it belongs to.
    pub organization_id: Option<String>,
    /// Contact it belongs to.
    pub contact_id: Option<String>,
    /// Service at location it belongs to.
    pub service_at_location_id: Option<String>,
    /// The number.
    pub number: String,
    /// Extension.
    pub extension: Option<String>,
    /// `voice`, `text`, `fax`, `cell`, `video`, `pager`, `textphone`.
    pub phone_type: Option<String>,
    /// Description (e.g. hours answered).
    pub description: Text,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// Recurrence frequency of a schedule (the HSDS RRULE subset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Freq {
    /// Repeats every `interval` weeks on `byday`.
    Weekly,
    /// Repeats every `interval` months on `bymonthday` or ordinal `byday` (e.g. `1SA`).
    Monthly,
}

impl Freq {
    /// The RRULE spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekly => "WEEKLY",
            Self::Monthly => "MONTHLY",
        }
    }
}

/// A weekday with an optional ordinal, as in RRULE `BYDAY` (`MO`, `1SA`, `-1FR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ByDay {
    /// Nth occurrence in the month (negative counts from the end); `None` for every such weekday.
    pub ordinal: Option<i8>,
    /// The weekday.
    #[serde(with = "weekday_number")]
    pub weekday: jiff::civil::Weekday,
}

/// When a service is available (HSDS `schedule`, RRULE subset).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Schedule {
    /// Unique id.
    pub id: String,
    /// Service it applies to.
    pub service_id: Option<String>,
    /// Location it applies to.
    pub location_id: Option<String>,
    /// Service at location it applies to.
    pub service_at_location_id: Option<String>,
    /// First day the schedule is valid.
    pub valid_from: Option<Date>,
    /// Last day the schedule is valid.
    pub valid_to: Option<Date>,
    /// First occurrence (anchors `interval` and monthly counting).
    pub dtstart: Option<Date>,
    /// HSDS `timezone`: UTC offset in hours; `None` means the directory's IANA time zone.
    pub timezone: Option<f64>,
    /// An IANA time zone name (`America/Los_Angeles`) given in HSDS `timezone` in place of an
    /// offset: the row's wall times are in that zone, daylight-saving changes included. Takes
    /// precedence over `timezone`.
    pub timezone_name: Option<String>,
    /// Last day of the recurrence.
    pub until: Option<Date>,
    /// Number of occurrences.
    pub count: Option<u32>,
    /// Recurrence frequency; `None` when the row only has a description.
    pub freq: Option<Freq>,
    /// Every `interval` weeks/months (default 1).
    pub interval: Option<u32>,
    /// Days of the week (with ordinals for monthly rules).
    pub byday: Vec<ByDay>,
    /// Days of the month (negative counts from the end).
    pub bymonthday: Vec<i8>,
    /// Opening time, local.
    pub opens_at: Option<Time>,
    /// Closing time, local (`00:00` with `opens_at` `00:00` means all day).
    pub closes_at: Option<Time>,
    /// Human description (e.g. "Monday to Thursday, 9am to 12pm").
    pub description: Text,
    /// Columns not modelled (wkst, byweekno, byyearday, attending_type, notes, …).
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A language a service, location or phone is offered in (HSDS `language`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Language {
    /// Unique id.
    pub id: String,
    /// Service.
    pub service_id: Option<String>,
    /// Location.
    pub location_id: Option<String>,
    /// Phone.
    pub phone_id: Option<String>,
    /// Language name as written in the data.
    pub name: Option<String>,
    /// Validated ISO 639 code.
    pub code: Option<LangCode>,
    /// Notes (e.g. "interpretation on request").
    pub note: Option<String>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// The geographic area a service covers (HSDS `service_area`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ServiceArea {
    /// Unique id.
    pub id: String,
    /// Service.
    pub service_id: Option<String>,
    /// Service at location.
    pub service_at_location_id: Option<String>,
    /// Area name (e.g. "City of Ottawa").
    pub name: Text,
    /// Description.
    pub description: Text,
    /// Parsed GeoJSON extent (Polygon or MultiPolygon), validated.
    pub extent: Option<geo::MultiPolygon<f64>>,
    /// `geojson`, `topojson`, `kml`, `text`.
    pub extent_type: Option<String>,
    /// URI of a published area.
    pub uri: Option<String>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A cost of a service (HSDS `cost_option`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct CostOption {
    /// Unique id.
    pub id: String,
    /// Service.
    pub service_id: String,
    /// Valid from.
    pub valid_from: Option<Date>,
    /// Valid to.
    pub valid_to: Option<Date>,
    /// Option name (e.g. "Sliding scale").
    pub option: Option<String>,
    /// ISO 4217 currency.
    pub currency: Option<String>,
    /// Amount; `Some(0.0)` is free.
    pub amount: Option<f64>,
    /// Amount in words.
    pub amount_description: Text,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A document needed to apply (HSDS `required_document`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct RequiredDocument {
    /// Unique id.
    pub id: String,
    /// Service.
    pub service_id: Option<String>,
    /// Document name.
    pub document: Text,
    /// Link to the document.
    pub uri: Option<String>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// An accessibility feature of a location (HSDS `accessibility`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Accessibility {
    /// Unique id.
    pub id: String,
    /// Location.
    pub location_id: Option<String>,
    /// Description: free text ("Wheelchair accessible", "Ascenseur") or a project code and
    /// text (`wheelchair: ramp at back`, see docs/conventions.md).
    pub description: Text,
    /// Details.
    pub details: Text,
    /// Link.
    pub url: Option<String>,
    /// The features the description and details name, read at import (see
    /// [`AccessFeature::from_text`](crate::model::AccessFeature::from_text)); the text is kept as
    /// written. A directory built in code may leave this empty: the navigator then reads the
    /// text itself.
    pub features: Vec<crate::model::AccessFeature>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A taxonomy (HSDS `taxonomy`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Taxonomy {
    /// Unique id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// URI.
    pub uri: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A term of a taxonomy (HSDS `taxonomy_term`). Terms form a hierarchy through `parent_id`
/// and through code prefixes (see [`TermCode::is_within`]).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct TaxonomyTerm {
    /// Unique id.
    pub id: String,
    /// Validated code.
    pub code: Option<TermCode>,
    /// Name.
    pub name: Text,
    /// Description.
    pub description: Text,
    /// Parent term id.
    pub parent_id: Option<String>,
    /// Taxonomy name.
    pub taxonomy: Option<String>,
    /// Language of the term.
    pub language: Option<String>,
    /// Taxonomy id.
    pub taxonomy_id: Option<String>,
    /// URI.
    pub term_uri: Option<String>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// A taxonomy term linked to any record (HSDS `attribute`), e.g. a service category or a
/// target population.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Attribute {
    /// Unique id.
    pub id: String,
    /// Id of the linked record.
    pub link_id: String,
    /// Linked term.
    pub taxonomy_term_id: String,
    /// Kind of link (`service_category`, `target_population`, `eligibility`, `delivery_method`, …).
    pub link_type: Option<String>,
    /// Table of the linked record (`service`, `location`, …).
    pub link_entity: String,
    /// Value.
    pub value: Option<String>,
    /// Label.
    pub label: Option<String>,
    /// Columns not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
}

/// Directory-level metadata (the `passerelle` object of `datapackage.json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DirectoryMeta {
    /// Directory name.
    pub name: String,
    /// Language of the plain text fields.
    pub default_language: LangCode,
    /// Fallback order for resident-facing text.
    pub languages: Vec<LangCode>,
    /// IANA time zone of schedules (e.g. `America/Toronto`).
    pub timezone: Option<String>,
    /// True when the data is fictional (the embedded sample).
    pub fictional: bool,
    /// Notice to show with the data.
    pub notice: Option<String>,
    /// Properties not modelled.
    #[serde(with = "extra_json")]
    pub extra: Extra,
    /// The feed's data-package properties (`title`, `description`, `licenses`, `sources`,
    /// `name`, `homepage`, `created` …: every top-level property of `datapackage.json` but
    /// `resources`, `profile` and `passerelle`), written back on export so attribution is kept.
    #[serde(with = "extra_json")]
    pub package: Extra,
}

impl Default for DirectoryMeta {
    fn default() -> Self {
        Self {
            name: String::new(),
            default_language: LangCode::en(),
            languages: vec![LangCode::en()],
            timezone: None,
            fictional: false,
            notice: None,
            extra: Extra::new(),
            package: Extra::new(),
        }
    }
}

/// A whole HSDS directory in tabular shape.
///
/// Tables the model does not type (contacts, funding, programs, metadata, …) are kept in
/// `other_tables` as rows of column → value so they survive export.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Directory {
    /// Directory metadata.
    pub meta: DirectoryMeta,
    /// Organisations.
    pub organizations: Vec<Organization>,
    /// Services.
    pub services: Vec<Service>,
    /// Locations.
    pub locations: Vec<Location>,
    /// Service-at-location links.
    pub service_at_locations: Vec<ServiceAtLocation>,
    /// Addresses.
    pub addresses: Vec<Address>,
    /// Phones.
    pub phones: Vec<Phone>,
    /// Schedules.
    pub schedules: Vec<Schedule>,
    /// Languages.
    pub languages: Vec<Language>,
    /// Service areas.
    pub service_areas: Vec<ServiceArea>,
    /// Cost options.
    pub cost_options: Vec<CostOption>,
    /// Required documents.
    pub required_documents: Vec<RequiredDocument>,
    /// Accessibility features.
    pub accessibility: Vec<Accessibility>,
    /// Attributes.
    pub attributes: Vec<Attribute>,
    /// Taxonomies.
    pub taxonomies: Vec<Taxonomy>,
    /// Taxonomy terms.
    pub taxonomy_terms: Vec<TaxonomyTerm>,
    /// Lookup tables for eligibility rules (`eligibility_tables.csv`): table → (key, value) rows.
    pub eligibility_tables: BTreeMap<String, Vec<(f64, f64)>>,
    /// Tables not modelled, by HSDS table name, rows as column → value.
    #[serde(with = "tables_json")]
    pub other_tables: BTreeMap<String, Vec<Extra>>,
}

/// How a resident can receive a service.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum DeliveryMode {
    /// At a physical location.
    InPerson,
    /// By telephone.
    Phone,
    /// Online (video, chat, web).
    Virtual,
    /// At the resident's home (home visits, delivered meals or groceries).
    HomeVisit,
    /// Mobile outreach (van, street team).
    MobileOutreach,
}

impl DeliveryMode {
    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InPerson => "in_person",
            Self::Phone => "phone",
            Self::Virtual => "virtual",
            Self::HomeVisit => "home_visit",
            Self::MobileOutreach => "mobile_outreach",
        }
    }

    /// The mode named by a `passerelle-delivery` term code (`delivery.home` …).
    pub fn from_term_code(code: &str) -> Option<Self> {
        match code {
            "delivery.in_person" => Some(Self::InPerson),
            "delivery.phone" => Some(Self::Phone),
            "delivery.virtual" => Some(Self::Virtual),
            "delivery.home" => Some(Self::HomeVisit),
            "delivery.mobile" => Some(Self::MobileOutreach),
            _ => None,
        }
    }
}
