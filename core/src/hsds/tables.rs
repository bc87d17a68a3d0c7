//! One [`Record`] impl per modelled HSDS table: its column order (as in the HSDS 3.1 tabular
//! examples), how a raw row is typed, and how a record is written back.

use jiff::civil::{Time, Weekday};
use serde_json::Value;

use super::extent::{parse_extent_in_feed, FeedVertices};
use super::fields::{as_text, format_time, parse_f64, quote, Parsed, Reader, Writer};
use super::report::{ProblemKind, Severity};
use super::ImportOptions;
use crate::model::{
    Accessibility, Address, Attribute, ByDay, CostOption, Directory, Extra, Freq, GeoPoint,
    LangCode, Language, Location, LocationType, Organization, Phone, RequiredDocument, Schedule,
    Service, ServiceArea, ServiceAtLocation, ServiceStatus, Taxonomy, TaxonomyTerm, TermCode,
};

/// A typed HSDS table.
pub(crate) trait Record: Sized + PartialEq + 'static {
    /// File stem / table name (`service_at_location`).
    const TABLE: &'static str;
    /// Header order of the HSDS 3.1 tabular form.
    const COLUMNS: &'static [&'static str];
    fn read(r: &mut Reader<'_>, opts: &ImportOptions) -> Self;
    /// [`Record::read`] within the bounds of the whole feed (the vertices of its extents).
    fn read_in_feed(r: &mut Reader<'_>, opts: &ImportOptions, _feed: &mut FeedVertices) -> Self {
        Self::read(r, opts)
    }
    fn write(&self, w: &mut Writer);
    fn id(&self) -> &str;
    fn extra(&self) -> &Extra;
    fn extra_mut(&mut self) -> &mut Extra;
    fn rows(dir: &Directory) -> &Vec<Self>;
    fn rows_mut(dir: &mut Directory) -> &mut Vec<Self>;
}

macro_rules! common {
    ($table:literal, $field:ident) => {
        const TABLE: &'static str = $table;
        fn id(&self) -> &str {
            &self.id
        }
        fn extra(&self) -> &Extra {
            &self.extra
        }
        fn extra_mut(&mut self) -> &mut Extra {
            &mut self.extra
        }
        fn rows(dir: &Directory) -> &Vec<Self> {
            &dir.$field
        }
        fn rows_mut(dir: &mut Directory) -> &mut Vec<Self> {
            &mut dir.$field
        }
    };
}

/// Column order of the HSDS tables passerelle keeps verbatim (`Directory::other_tables`).
pub(crate) fn other_columns(table: &str) -> &'static [&'static str] {
    match table {
        "contacts" => &[
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ],
        "funding" => &["id", "organization_id", "service_id", "source"],
        "programs" => &[
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
        ],
        "metadata" => &[
            "id",
            "resource_id",
            "resource_type",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ],
        "organization_identifiers" => &[
            "id",
            "organization_id",
            "identifier_scheme",
            "identifier_type",
            "identifier",
        ],
        "meta_table_descriptions" => &["id", "name", "language", "character_set"],
        "service_capacity" => &[
            "id",
            "service_id",
            "unit_id",
            "available",
            "maximum",
            "description",
            "updated",
        ],
        "units" => &["id", "name", "scheme", "identifier", "uri"],
        "url" => &["id", "label", "url", "organization_id", "service_id"],
        _ => &["id"],
    }
}

/// HSDS tables passerelle keeps verbatim in `other_tables`.
pub(crate) const OTHER_TABLES: &[&str] = &[
    "contacts",
    "funding",
    "programs",
    "metadata",
    "organization_identifiers",
    "meta_table_descriptions",
    "service_capacity",
    "units",
    "url",
];

impl Record for Organization {
    common!("organizations", organizations);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",
        "logo",
        "uri",
        "parent_organization_id",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        Self {
            id: r.id(),
            name: r.text("name"),
            alternate_name: r.text("alternate_name"),
            description: r.text("description"),
            email: r.opt_string("email"),
            website: r.opt_string("website"),
            parent_organization_id: r.opt_string("parent_organization_id"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.text("name", &self.name);
        w.text("alternate_name", &self.alternate_name);
        w.text("description", &self.description);
        w.opt("email", &self.email);
        w.opt("website", &self.website);
        w.opt("parent_organization_id", &self.parent_organization_id);
    }
}

fn age(r: &mut Reader<'_>, col: &str) -> Option<f64> {
    r.parse(col, |v| match parse_f64(v) {
        Parsed::Ok(n) if !(0.0..=150.0).contains(&n) => Parsed::Err(
            ProblemKind::OutOfRange,
            format!("age {n} is outside 0..=150 years"),
        ),
        other => other,
    })
}

impl Record for Service {
    common!("services", services);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "organization_id",
        "program_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "fees",
        "accreditations",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "assurer_email",
        "licenses",
        "alert",
        "last_modified",
        "eligibility_rule",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        let id = r.id();
        let organization_id = r.required("organization_id");
        let status = r
            .parse("status", |v| {
                match as_text(v).and_then(|s| ServiceStatus::parse(&s)) {
                    Some(s) => Parsed::Ok(s),
                    None => Parsed::Err(
                        ProblemKind::InvalidValue,
                        format!(
                            "{} is not a status (active, inactive, defunct, temporarily closed)",
                            quote(v)
                        ),
                    ),
                }
            })
            .unwrap_or_default();
        let mut minimum_age = age(r, "minimum_age");
        let mut maximum_age = age(r, "maximum_age");
        if let (Some(min), Some(max)) = (minimum_age, maximum_age) {
            if min > max {
                r.keep_raw("minimum_age");
                r.keep_raw("maximum_age");
                r.report(
                    Severity::Error,
                    ProblemKind::Inconsistent,
                    "minimum_age",
                    format!("minimum_age {min} is greater than maximum_age {max}; both ignored"),
                );
                minimum_age = None;
                maximum_age = None;
            }
        }
        Self {
            id,
            organization_id,
            program_id: r.opt_string("program_id"),
            name: r.text("name"),
            alternate_name: r.text("alternate_name"),
            description: r.text("description"),
            url: r.opt_string("url"),
            email: r.opt_string("email"),
            status,
            interpretation_services: r.text("interpretation_services"),
            application_process: r.text("application_process"),
            fees_description: r.text("fees_description"),
            wait_time: r.text("wait_time"),
            eligibility_description: r.text("eligibility_description"),
            minimum_age,
            maximum_age,
            assured_date: r.date("assured_date"),
            assurer_email: r.opt_string("assurer_email"),
            alert: r.text("alert"),
            eligibility_rule: r.opt_string("eligibility_rule"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.str("organization_id", &self.organization_id);
        w.opt("program_id", &self.program_id);
        w.text("name", &self.name);
        w.text("alternate_name", &self.alternate_name);
        w.text("description", &self.description);
        w.opt("url", &self.url);
        w.opt("email", &self.email);
        w.str("status", self.status.as_str());
        w.text("interpretation_services", &self.interpretation_services);
        w.text("application_process", &self.application_process);
        w.text("fees_description", &self.fees_description);
        w.text("wait_time", &self.wait_time);
        w.text("eligibility_description", &self.eligibility_description);
        w.num("minimum_age", self.minimum_age);
        w.num("maximum_age", self.maximum_age);
        w.date("assured_date", self.assured_date);
        w.opt("assurer_email", &self.assurer_email);
        w.text("alert", &self.alert);
        w.opt("eligibility_rule", &self.eligibility_rule);
    }
}

impl Record for Location {
    common!("locations", locations);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "location_type",
        "url",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        let id = r.id();
        let location_type = r
            .parse("location_type", |v| {
                match as_text(v).and_then(|s| LocationType::parse(&s)) {
                    Some(t) => Parsed::Ok(t),
                    None => Parsed::Err(
                        ProblemKind::InvalidValue,
                        format!("{} is not physical, postal or virtual", quote(v)),
                    ),
                }
            })
            .unwrap_or_default();
        let lat = r.f64("latitude");
        let lon = r.f64("longitude");
        let point = match (lat, lon) {
            (Some(a), Some(b)) => match GeoPoint::new(a, b) {
                Ok(p) => Some(p),
                Err(e) => {
                    let field = if (-90.0..=90.0).contains(&a) {
                        "longitude"
                    } else {
                        "latitude"
                    };
                    r.keep_raw("latitude");
                    r.keep_raw("longitude");
                    r.report(
                        Severity::Error,
                        ProblemKind::OutOfRange,
                        field,
                        format!("{e} (latitude {a}, longitude {b}); coordinates ignored"),
                    );
                    None
                }
            },
            (Some(_), None) | (None, Some(_)) => {
                let (missing, present) = if lat.is_some() {
                    ("longitude", "latitude")
                } else {
                    ("latitude", "longitude")
                };
                r.keep_raw(present);
                if !r.extra.contains_key(missing) {
                    r.report(
                        Severity::Error,
                        ProblemKind::MissingField,
                        missing,
                        format!("{present} without {missing}; coordinates ignored"),
                    );
                }
                None
            }
            (None, None) => None,
        };
        Self {
            id,
            location_type,
            url: r.opt_string("url"),
            organization_id: r.opt_string("organization_id"),
            name: r.text("name"),
            alternate_name: r.text("alternate_name"),
            description: r.text("description"),
            transportation: r.text("transportation"),
            point,
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.str("location_type", self.location_type.as_str());
        w.opt("url", &self.url);
        w.opt("organization_id", &self.organization_id);
        w.text("name", &self.name);
        w.text("alternate_name", &self.alternate_name);
        w.text("description", &self.description);
        w.text("transportation", &self.transportation);
        w.num("latitude", self.point.map(|p| p.lat()));
        w.num("longitude", self.point.map(|p| p.lon()));
    }
}

impl Record for ServiceAtLocation {
    common!("service_at_location", service_at_locations);
    const COLUMNS: &'static [&'static str] = &["id", "service_id", "location_id", "description"];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        Self {
            id: r.id(),
            service_id: r.required("service_id"),
            location_id: r.required("location_id"),
            description: r.text("description"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.str("service_id", &self.service_id);
        w.str("location_id", &self.location_id);
        w.text("description", &self.description);
    }
}

impl Record for Address {
    common!("addresses", addresses);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "location_id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        Self {
            id: r.id(),
            location_id: r.opt_string("location_id"),
            attention: r.opt_string("attention"),
            address_1: r.string("address_1"),
            address_2: r.opt_string("address_2"),
            city: r.string("city"),
            region: r.opt_string("region"),
            state_province: r.string("state_province"),
            postal_code: r.string("postal_code"),
            country: r.string("country"),
            address_type: r.string("address_type"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.opt("location_id", &self.location_id);
        w.opt("attention", &self.attention);
        w.str("address_1", &self.address_1);
        w.opt("address_2", &self.address_2);
        w.str("city", &self.city);
        w.opt("region", &self.region);
        w.str("state_province", &self.state_province);
        w.str("postal_code", &self.postal_code);
        w.str("country", &self.country);
        w.str("address_type", &self.address_type);
    }
}

impl Record for Phone {
    common!("phones", phones);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
        "number",
        "extension",
        "type",
        "description",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        Self {
            id: r.id(),
            location_id: r.opt_string("location_id"),
            service_id: r.opt_string("service_id"),
            organization_id: r.opt_string("organization_id"),
            contact_id: r.opt_string("contact_id"),
            service_at_location_id: r.opt_string("service_at_location_id"),
            number: r.required("number"),
            extension: r.opt_string("extension"),
            phone_type: r.opt_string("type"),
            description: r.text("description"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.opt("location_id", &self.location_id);
        w.opt("service_id", &self.service_id);
        w.opt("organization_id", &self.organization_id);
        w.opt("contact_id", &self.contact_id);
        w.opt("service_at_location_id", &self.service_at_location_id);
        w.str("number", &self.number);
        w.opt("extension", &self.extension);
        w.opt("type", &self.phone_type);
        w.text("description", &self.description);
    }
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

/// Parses RRULE `BYDAY`: `MO,TU`, `1SA`, `-1FR`.
pub(crate) fn parse_byday(s: &str) -> Option<Vec<ByDay>> {
    s.split(',')
        .map(|item| {
            let item = item.trim().to_ascii_uppercase();
            let split = item.len().checked_sub(2)?;
            let (ord, day) = (item.get(..split)?, item.get(split..)?);
            let ordinal = match ord {
                "" => None,
                o => match o.parse::<i8>() {
                    Ok(n) if n != 0 && (-53..=53).contains(&n) => Some(n),
                    _ => return None,
                },
            };
            Some(ByDay {
                ordinal,
                weekday: weekday(day)?,
            })
        })
        .collect()
}

fn format_byday(days: &[ByDay]) -> String {
    days.iter()
        .map(|d| match d.ordinal {
            Some(n) => format!("{n}{}", weekday_code(d.weekday)),
            None => weekday_code(d.weekday).to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn list_text(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| as_text(i).map(|s| s.into_owned()))
                .collect::<Option<Vec<_>>>()?
                .join(","),
        ),
        other => as_text(other).map(|s| s.into_owned()),
    }
}

/// HSDS `timezone` as written: an offset in hours or an IANA name.
enum Zone {
    Offset(f64),
    Name(String),
}

impl Record for Schedule {
    common!("schedules", schedules);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "valid_from",
        "valid_to",
        "dtstart",
        "timezone",
        "until",
        "count",
        "wkst",
        "freq",
        "interval",
        "byday",
        "byweekno",
        "bymonthday",
        "byyearday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        let id = r.id();
        let freq = r.parse("freq", |v| {
            match as_text(v).map(|s| s.trim().to_ascii_uppercase()).as_deref() {
                Some("WEEKLY") => Parsed::Ok(Freq::Weekly),
                Some("MONTHLY") => Parsed::Ok(Freq::Monthly),
                _ => Parsed::Err(
                    ProblemKind::InvalidValue,
                    format!("{} is not a supported freq (WEEKLY, MONTHLY)", quote(v)),
                ),
            }
        });
        let byday = r
            .parse("byday", |v| {
                match list_text(v).as_deref().and_then(parse_byday) {
                    Some(days) => Parsed::Ok(days),
                    None => Parsed::Err(
                        ProblemKind::InvalidValue,
                        format!("{} is not a BYDAY list such as MO,TU or 1SA", quote(v)),
                    ),
                }
            })
            .unwrap_or_default();
        let bymonthday = r
            .parse("bymonthday", |v| {
                let days: Option<Vec<i8>> = list_text(v).and_then(|s| {
                    s.split(',')
                        .map(|d| {
                            d.trim()
                                .parse::<i8>()
                                .ok()
                                .filter(|n| *n != 0 && (-31..=31).contains(n))
                        })
                        .collect()
                });
                match days {
                    Some(d) => Parsed::Ok(d),
                    None => Parsed::Err(
                        ProblemKind::InvalidValue,
                        format!("{} is not a BYMONTHDAY list such as 1,15 or -1", quote(v)),
                    ),
                }
            })
            .unwrap_or_default();
        // HSDS wants a UTC offset; an IANA name is accepted (summarised once per import, in
        // `validate`, rather than once per row).
        let zone = r.parse("timezone", |v| match parse_f64(v) {
            Parsed::Ok(n) if !(-12.0..=14.0).contains(&n) => Parsed::Err(
                ProblemKind::OutOfRange,
                format!("UTC offset {n} is outside -12..=14 hours"),
            ),
            Parsed::Ok(n) => Parsed::Ok(Zone::Offset(n)),
            _ => match as_text(v).as_deref().map(str::trim) {
                Some(name) if jiff::tz::TimeZone::get(name).is_ok() => {
                    Parsed::Ok(Zone::Name(name.to_owned()))
                }
                _ => Parsed::Err(
                    ProblemKind::InvalidValue,
                    format!(
                        "{} is neither a UTC offset in hours nor an IANA time zone name",
                        quote(v)
                    ),
                ),
            },
        });
        let (timezone, timezone_name) = match zone {
            Some(Zone::Offset(n)) => (Some(n), None),
            Some(Zone::Name(name)) => (None, Some(name)),
            None => (None, None),
        };
        let interval = r.parse("interval", |v| {
            match as_text(v).map(|s| s.trim().parse::<u32>()) {
                Some(Ok(n)) if n >= 1 => Parsed::Ok(n),
                _ => Parsed::Err(
                    ProblemKind::InvalidValue,
                    format!("{} is not a whole number ≥ 1", quote(v)),
                ),
            }
        });
        let opens_at = r.time("opens_at");
        let closes_at = r.time("closes_at");
        if let (Some(o), Some(c)) = (opens_at, closes_at) {
            if c < o && c != Time::midnight() {
                r.report(
                    Severity::Warning,
                    ProblemKind::Inconsistent,
                    "closes_at",
                    format!(
                        "closes_at {} is before opens_at {}; read as closing after midnight",
                        format_time(c),
                        format_time(o)
                    ),
                );
            }
        }
        Self {
            id,
            service_id: r.opt_string("service_id"),
            location_id: r.opt_string("location_id"),
            service_at_location_id: r.opt_string("service_at_location_id"),
            valid_from: r.date("valid_from"),
            valid_to: r.date("valid_to"),
            dtstart: r.date("dtstart"),
            timezone,
            timezone_name,
            until: r.date("until"),
            count: r.u32("count"),
            freq,
            interval,
            byday,
            bymonthday,
            opens_at,
            closes_at,
            description: r.text("description"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.opt("service_id", &self.service_id);
        w.opt("location_id", &self.location_id);
        w.opt("service_at_location_id", &self.service_at_location_id);
        w.date("valid_from", self.valid_from);
        w.date("valid_to", self.valid_to);
        w.date("dtstart", self.dtstart);
        match &self.timezone_name {
            Some(name) => w.str("timezone", name),
            None => w.num("timezone", self.timezone),
        }
        w.date("until", self.until);
        w.uint("count", self.count);
        if let Some(f) = self.freq {
            w.str("freq", f.as_str());
        }
        w.uint("interval", self.interval);
        w.str("byday", &format_byday(&self.byday));
        let days: Vec<String> = self.bymonthday.iter().map(i8::to_string).collect();
        w.str("bymonthday", &days.join(","));
        w.text("description", &self.description);
        w.time("opens_at", self.opens_at);
        w.time("closes_at", self.closes_at);
    }
}

impl Record for Language {
    common!("languages", languages);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "service_id",
        "location_id",
        "phone_id",
        "name",
        "code",
        "note",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        let code = r.parse("code", |v| match as_text(v).map(|s| LangCode::new(&s)) {
            Some(Ok(c)) => Parsed::Ok(c),
            Some(Err(e)) => Parsed::Err(ProblemKind::InvalidLanguageCode, e.to_string()),
            None => Parsed::Err(ProblemKind::InvalidLanguageCode, "expected text".into()),
        });
        Self {
            id: r.id(),
            service_id: r.opt_string("service_id"),
            location_id: r.opt_string("location_id"),
            phone_id: r.opt_string("phone_id"),
            name: r.opt_string("name"),
            code,
            note: r.opt_string("note"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.opt("service_id", &self.service_id);
        w.opt("location_id", &self.location_id);
        w.opt("phone_id", &self.phone_id);
        w.opt("name", &self.name);
        if let Some(c) = &self.code {
            w.str("code", c.as_str());
        }
        w.opt("note", &self.note);
    }
}

impl Record for ServiceArea {
    common!("service_areas", service_areas);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "service_id",
        "service_at_location_id",
        "name",
        "description",
        "extent",
        "extent_type",
        "uri",
    ];
    fn read(r: &mut Reader<'_>, opts: &ImportOptions) -> Self {
        Self::read_in_feed(
            r,
            opts,
            &mut FeedVertices::new(opts.max_total_extent_vertices),
        )
    }
    fn read_in_feed(r: &mut Reader<'_>, opts: &ImportOptions, feed: &mut FeedVertices) -> Self {
        let extent_type = r.opt_string("extent_type");
        let is_geojson = match extent_type.as_deref() {
            Some(t) => t.trim().eq_ignore_ascii_case("geojson"),
            None => r.peek("extent").is_some_and(|v| {
                v.is_object() || as_text(v).is_some_and(|s| s.trim_start().starts_with('{'))
            }),
        };
        // other extent types (text, kml, topojson) stay verbatim in `extra`
        let extent = if is_geojson {
            r.parse("extent", |v| {
                parse_extent_in_feed(v, opts.max_extent_vertices, feed)
            })
        } else {
            None
        };
        Self {
            id: r.id(),
            service_id: r.opt_string("service_id"),
            service_at_location_id: r.opt_string("service_at_location_id"),
            name: r.text("name"),
            description: r.text("description"),
            extent,
            extent_type,
            uri: r.opt_string("uri"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.opt("service_id", &self.service_id);
        w.opt("service_at_location_id", &self.service_at_location_id);
        w.text("name", &self.name);
        w.text("description", &self.description);
        if let Some(mp) = &self.extent {
            w.str("extent", &super::extent::to_geojson(mp));
        }
        w.opt("extent_type", &self.extent_type);
        w.opt("uri", &self.uri);
    }
}

impl Record for CostOption {
    common!("cost_options", cost_options);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "service_id",
        "valid_from",
        "valid_to",
        "option",
        "currency",
        "amount",
        "amount_description",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        Self {
            id: r.id(),
            service_id: r.required("service_id"),
            valid_from: r.date("valid_from"),
            valid_to: r.date("valid_to"),
            option: r.opt_string("option"),
            currency: r.opt_string("currency"),
            amount: r.f64("amount"),
            amount_description: r.text("amount_description"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.str("service_id", &self.service_id);
        w.date("valid_from", self.valid_from);
        w.date("valid_to", self.valid_to);
        w.opt("option", &self.option);
        w.opt("currency", &self.currency);
        w.num("amount", self.amount);
        w.text("amount_description", &self.amount_description);
    }
}

impl Record for RequiredDocument {
    common!("required_documents", required_documents);
    const COLUMNS: &'static [&'static str] = &["id", "service_id", "document", "uri"];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        Self {
            id: r.id(),
            service_id: r.opt_string("service_id"),
            document: r.text("document"),
            uri: r.opt_string("uri"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.opt("service_id", &self.service_id);
        w.text("document", &self.document);
        w.opt("uri", &self.uri);
    }
}

impl Record for Accessibility {
    common!("accessibility", accessibility);
    const COLUMNS: &'static [&'static str] =
        &["id", "location_id", "description", "details", "url"];
    fn read(r: &mut Reader<'_>, opts: &ImportOptions) -> Self {
        let id = r.id();
        let location_id = r.opt_string("location_id");
        let description = r.text("description");
        let details = r.text("details");
        let features = crate::model::access_features(&description, &details);
        if features.is_empty() && opts.quality_warnings && !description.is_empty() {
            r.report(
                Severity::Warning,
                ProblemKind::Unknown,
                "description",
                format!(
                    "{:?} names no accessibility feature passerelle knows (wheelchair, ramp, \
                     elevator, accessible_washroom, hearing_loop, asl, lsq, braille …); kept as \
                     text",
                    crate::model::truncate(&description.value, 40)
                ),
            );
        }
        Self {
            id,
            location_id,
            description,
            details,
            url: r.opt_string("url"),
            features,
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.opt("location_id", &self.location_id);
        w.text("description", &self.description);
        w.text("details", &self.details);
        w.opt("url", &self.url);
    }
}

impl Record for Attribute {
    common!("attributes", attributes);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "link_id",
        "taxonomy_term_id",
        "link_type",
        "link_entity",
        "value",
        "label",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        Self {
            id: r.id(),
            link_id: r.required("link_id"),
            taxonomy_term_id: r.required("taxonomy_term_id"),
            link_type: r.opt_string("link_type"),
            link_entity: r.required("link_entity"),
            value: r.opt_string("value"),
            label: r.opt_string("label"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.str("link_id", &self.link_id);
        w.str("taxonomy_term_id", &self.taxonomy_term_id);
        w.opt("link_type", &self.link_type);
        w.str("link_entity", &self.link_entity);
        w.opt("value", &self.value);
        w.opt("label", &self.label);
    }
}

impl Record for Taxonomy {
    common!("taxonomies", taxonomies);
    const COLUMNS: &'static [&'static str] = &["id", "name", "description", "uri", "version"];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        Self {
            id: r.id(),
            name: r.required("name"),
            description: r.opt_string("description"),
            uri: r.opt_string("uri"),
            version: r.opt_string("version"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        w.str("name", &self.name);
        w.opt("description", &self.description);
        w.opt("uri", &self.uri);
        w.opt("version", &self.version);
    }
}

impl Record for TaxonomyTerm {
    common!("taxonomy_terms", taxonomy_terms);
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "language",
        "taxonomy_id",
        "term_uri",
    ];
    fn read(r: &mut Reader<'_>, _: &ImportOptions) -> Self {
        let code = r.parse("code", |v| match as_text(v).map(|s| TermCode::new(&s)) {
            Some(Ok(c)) => Parsed::Ok(c),
            Some(Err(e)) => Parsed::Err(ProblemKind::InvalidValue, e.to_string()),
            None => Parsed::Err(ProblemKind::InvalidValue, "expected text".into()),
        });
        Self {
            id: r.id(),
            code,
            name: r.text("name"),
            description: r.text("description"),
            parent_id: r.opt_string("parent_id"),
            taxonomy: r.opt_string("taxonomy"),
            language: r.opt_string("language"),
            taxonomy_id: r.opt_string("taxonomy_id"),
            term_uri: r.opt_string("term_uri"),
            extra: Extra::new(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str("id", &self.id);
        if let Some(c) = &self.code {
            w.str("code", c.as_str());
        }
        w.text("name", &self.name);
        w.text("description", &self.description);
        w.opt("parent_id", &self.parent_id);
        w.opt("taxonomy", &self.taxonomy);
        w.opt("language", &self.language);
        w.opt("taxonomy_id", &self.taxonomy_id);
        w.opt("term_uri", &self.term_uri);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byday_ordinals() {
        let d = parse_byday("1SA,-1FR, mo").unwrap();
        assert_eq!(d[0].ordinal, Some(1));
        assert_eq!(d[1].ordinal, Some(-1));
        assert_eq!(d[1].weekday, Weekday::Friday);
        assert_eq!(d[2].ordinal, None);
        assert_eq!(format_byday(&d), "1SA,-1FR,MO");
        assert!(parse_byday("XX").is_none());
        assert!(parse_byday("0MO").is_none());
        assert!(parse_byday("").is_none());
    }
}
