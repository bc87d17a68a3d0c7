//! Checks across records after loading: dangling references (errors) and the data-quality
//! warnings a directory maintainer acts on.

use std::collections::{HashMap, HashSet};

use jiff::ToSpan;

use super::build::{ids_of, Origins};
use super::report::{ImportReport, Origin, Position, ProblemKind, Severity};
use super::ImportOptions;
use crate::model::{Directory, LocationType};

pub(super) struct Checker<'a> {
    ids: HashMap<&'a str, HashSet<&'a str>>,
    origins: &'a Origins,
    report: &'a mut ImportReport,
}

impl Checker<'_> {
    fn origin(&self, table: &'static str, id: &str) -> Origin {
        super::build::origin_of(self.origins, table, id).unwrap_or_else(|| Origin {
            source: format!("{table}.csv").into(),
            table: table.into(),
            position: Position::Table,
            record_id: Some(id.to_owned()),
        })
    }

    fn exists(&self, target: &str, id: &str) -> bool {
        self.ids.get(target).is_some_and(|s| s.contains(id))
    }

    /// Reports `field` of record `id` in `table` when `value` is not an id of `target`.
    fn link(
        &mut self,
        table: &'static str,
        id: &str,
        field: &str,
        value: Option<&str>,
        target: &str,
    ) {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return;
        };
        if !self.exists(target, value) {
            let p = self.origin(table, id).problem(
                Severity::Error,
                ProblemKind::DanglingReference,
                Some(field),
                format!("{field} {value:?} matches no record in {target}"),
            );
            self.report.push(p);
        }
    }

    /// [`Checker::link`] for each `(field, value, target)` of record `id`, in order.
    fn links(&mut self, table: &'static str, id: &str, links: &[(&str, Option<&str>, &str)]) {
        for &(field, value, target) in links {
            self.link(table, id, field, value, target);
        }
    }

    pub(super) fn warn(
        &mut self,
        table: &'static str,
        id: &str,
        field: Option<&str>,
        kind: ProblemKind,
        msg: String,
    ) {
        let p = self
            .origin(table, id)
            .problem(Severity::Warning, kind, field, msg);
        self.report.push(p);
    }
}

/// The table an attribute's `link_entity` names.
fn entity_table(entity: &str) -> Option<&'static str> {
    Some(match entity {
        "service" => "services",
        "organization" => "organizations",
        "location" => "locations",
        "service_at_location" => "service_at_location",
        "phone" => "phones",
        "contact" => "contacts",
        "address" => "addresses",
        "schedule" => "schedules",
        "service_area" => "service_areas",
        "language" => "languages",
        "accessibility" => "accessibility",
        "cost_option" => "cost_options",
        "required_document" => "required_documents",
        "program" => "programs",
        "funding" => "funding",
        "taxonomy_term" => "taxonomy_terms",
        _ => return None,
    })
}

/// Reports references that match no record (errors) and, with `quality_warnings`, the
/// data-quality warnings.
pub(crate) fn validate(
    dir: &Directory,
    origins: &Origins,
    opts: &ImportOptions,
    report: &mut ImportReport,
) {
    let mut c = Checker {
        ids: ids_of(dir),
        origins,
        report,
    };
    organization_links(dir, &mut c);
    contact_links(dir, &mut c);
    detail_links(dir, &mut c);
    attribute_links(dir, &mut c);
    taxonomy_links(dir, &mut c);
    if opts.quality_warnings {
        quality(dir, opts, &mut c);
    }
}

/// The references of organizations, services, locations and service_at_location.
fn organization_links(dir: &Directory, c: &mut Checker<'_>) {
    for o in &dir.organizations {
        c.link(
            "organizations",
            &o.id,
            "parent_organization_id",
            o.parent_organization_id.as_deref(),
            "organizations",
        );
    }
    for s in &dir.services {
        c.links(
            "services",
            &s.id,
            &[
                ("organization_id", Some(&s.organization_id), "organizations"),
                ("program_id", s.program_id.as_deref(), "programs"),
            ],
        );
    }
    for l in &dir.locations {
        c.link(
            "locations",
            &l.id,
            "organization_id",
            l.organization_id.as_deref(),
            "organizations",
        );
    }
    for x in &dir.service_at_locations {
        c.links(
            "service_at_location",
            &x.id,
            &[
                ("service_id", Some(&x.service_id), "services"),
                ("location_id", Some(&x.location_id), "locations"),
            ],
        );
    }
}

/// The references of addresses and phones.
fn contact_links(dir: &Directory, c: &mut Checker<'_>) {
    for a in &dir.addresses {
        c.link(
            "addresses",
            &a.id,
            "location_id",
            a.location_id.as_deref(),
            "locations",
        );
    }
    for p in &dir.phones {
        c.links(
            "phones",
            &p.id,
            &[
                ("location_id", p.location_id.as_deref(), "locations"),
                ("service_id", p.service_id.as_deref(), "services"),
                (
                    "organization_id",
                    p.organization_id.as_deref(),
                    "organizations",
                ),
                ("contact_id", p.contact_id.as_deref(), "contacts"),
                (
                    "service_at_location_id",
                    p.service_at_location_id.as_deref(),
                    "service_at_location",
                ),
            ],
        );
    }
}

/// The references of the tables that describe a service or location: schedules, languages,
/// service areas, cost options, required documents and accessibility.
fn detail_links(dir: &Directory, c: &mut Checker<'_>) {
    for s in &dir.schedules {
        c.links(
            "schedules",
            &s.id,
            &[
                ("service_id", s.service_id.as_deref(), "services"),
                ("location_id", s.location_id.as_deref(), "locations"),
                (
                    "service_at_location_id",
                    s.service_at_location_id.as_deref(),
                    "service_at_location",
                ),
            ],
        );
    }
    for l in &dir.languages {
        c.links(
            "languages",
            &l.id,
            &[
                ("service_id", l.service_id.as_deref(), "services"),
                ("location_id", l.location_id.as_deref(), "locations"),
                ("phone_id", l.phone_id.as_deref(), "phones"),
            ],
        );
    }
    for a in &dir.service_areas {
        c.links(
            "service_areas",
            &a.id,
            &[
                ("service_id", a.service_id.as_deref(), "services"),
                (
                    "service_at_location_id",
                    a.service_at_location_id.as_deref(),
                    "service_at_location",
                ),
            ],
        );
    }
    for x in &dir.cost_options {
        c.link(
            "cost_options",
            &x.id,
            "service_id",
            Some(&x.service_id),
            "services",
        );
    }
    for x in &dir.required_documents {
        c.link(
            "required_documents",
            &x.id,
            "service_id",
            x.service_id.as_deref(),
            "services",
        );
    }
    for x in &dir.accessibility {
        c.link(
            "accessibility",
            &x.id,
            "location_id",
            x.location_id.as_deref(),
            "locations",
        );
    }
}

/// The references of attributes: the term, and the linked record in the table its
/// `link_entity` names; when that names no HSDS table, the record may be in any table.
fn attribute_links(dir: &Directory, c: &mut Checker<'_>) {
    for a in &dir.attributes {
        c.link(
            "attributes",
            &a.id,
            "taxonomy_term_id",
            Some(&a.taxonomy_term_id),
            "taxonomy_terms",
        );
        match entity_table(&a.link_entity) {
            Some(target) => c.link("attributes", &a.id, "link_id", Some(&a.link_id), target),
            None if a.link_id.is_empty() => {}
            None => {
                let anywhere = c.ids.values().any(|s| s.contains(a.link_id.as_str()));
                if !anywhere {
                    let p = c.origin("attributes", &a.id).problem(
                        Severity::Error,
                        ProblemKind::DanglingReference,
                        Some("link_id"),
                        format!(
                            "link_id {:?} matches no record (link_entity {:?} is not an HSDS table)",
                            a.link_id, a.link_entity
                        ),
                    );
                    c.report.push(p);
                }
            }
        }
    }
}

/// The references of taxonomy terms: their parent term and their taxonomy.
fn taxonomy_links(dir: &Directory, c: &mut Checker<'_>) {
    for t in &dir.taxonomy_terms {
        c.links(
            "taxonomy_terms",
            &t.id,
            &[
                ("parent_id", t.parent_id.as_deref(), "taxonomy_terms"),
                ("taxonomy_id", t.taxonomy_id.as_deref(), "taxonomies"),
            ],
        );
    }
}

fn quality(dir: &Directory, opts: &ImportOptions, c: &mut Checker<'_>) {
    location_warnings(dir, c);
    let today = opts.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let stale_before = (opts.stale_after_months > 0)
        .then(|| {
            today
                .checked_sub(i64::from(opts.stale_after_months).months())
                .ok()
        })
        .flatten();
    let fresh_services = service_warnings(dir, opts, today, stale_before, c);
    if let Some(before) = stale_before {
        super::lint::stale_package(
            dir,
            fresh_services,
            before,
            opts.stale_after_months,
            c.report,
        );
    }
    super::lint::coordinates(dir, c);
    super::lint::dates(dir, today, c);
    schedule_warnings(dir, c);
}

/// Physical locations without coordinates (unless coordinates were given and rejected).
fn location_warnings(dir: &Directory, c: &mut Checker<'_>) {
    for l in &dir.locations {
        let rejected = l.extra.contains_key("latitude") || l.extra.contains_key("longitude");
        if l.location_type == LocationType::Physical && l.point.is_none() && !rejected {
            c.warn(
                "locations",
                &l.id,
                Some("latitude"),
                ProblemKind::MissingCoordinates,
                "physical location has no coordinates; it cannot be ranked by distance".into(),
            );
        }
    }
}

/// Per service: stale, unreachable, or without a language. Returns how many services have
/// a date at or after `stale_before`.
fn service_warnings(
    dir: &Directory,
    opts: &ImportOptions,
    today: jiff::civil::Date,
    stale_before: Option<jiff::civil::Date>,
    c: &mut Checker<'_>,
) -> usize {
    let mut reachable: HashSet<&str> = HashSet::new();
    let mut locations_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for x in &dir.service_at_locations {
        reachable.insert(&x.service_id);
        locations_of
            .entry(&x.service_id)
            .or_default()
            .push(&x.location_id);
    }
    reachable.extend(
        dir.service_areas
            .iter()
            .filter_map(|a| a.service_id.as_deref()),
    );
    let mut with_language: HashSet<&str> = HashSet::new();
    for l in &dir.languages {
        with_language.extend(l.service_id.as_deref());
        with_language.extend(l.location_id.as_deref());
    }
    let dated = super::lint::service_dates(dir);
    let mut fresh_services = 0;
    for s in &dir.services {
        if let (Some(&(date, field)), Some(before)) = (dated.get(s.id.as_str()), stale_before) {
            if date < before {
                c.warn(
                    "services",
                    &s.id,
                    Some(field),
                    ProblemKind::Stale,
                    format!(
                        "{field} {date} is more than {} months before {today}",
                        opts.stale_after_months
                    ),
                );
            } else {
                fresh_services += 1;
            }
        }
        if !reachable.contains(s.id.as_str()) {
            c.warn(
                "services",
                &s.id,
                None,
                ProblemKind::Unreachable,
                "service has no service_at_location and no service_area; residents cannot reach it"
                    .into(),
            );
        }
        let located = locations_of
            .get(s.id.as_str())
            .is_some_and(|ls| ls.iter().any(|l| with_language.contains(l)));
        if !with_language.contains(s.id.as_str()) && !located {
            c.warn(
                "services",
                &s.id,
                None,
                ProblemKind::NoLanguage,
                "no language is recorded for the service or its locations".into(),
            );
        }
    }
    fresh_services
}

/// Schedules with neither an opening nor a closing time.
fn schedule_warnings(dir: &Directory, c: &mut Checker<'_>) {
    for s in &dir.schedules {
        if s.opens_at.is_none() && s.closes_at.is_none() {
            c.warn(
                "schedules",
                &s.id,
                Some("opens_at"),
                ProblemKind::NoTimes,
                "schedule has neither opens_at nor closes_at".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attribute, Language, Phone, Service, ServiceArea, ServiceAtLocation};

    /// The problems one step reports on `dir`, as (table, field, message).
    fn run(
        dir: &Directory,
        step: fn(&Directory, &mut Checker<'_>),
    ) -> Vec<(String, String, String)> {
        let origins = Origins::default();
        let mut report = ImportReport::default();
        let mut c = Checker {
            ids: ids_of(dir),
            origins: &origins,
            report: &mut report,
        };
        step(dir, &mut c);
        report
            .problems()
            .iter()
            .map(|p| {
                (
                    p.table.clone(),
                    p.field.clone().unwrap_or_default(),
                    p.message.clone(),
                )
            })
            .collect()
    }

    fn attribute(id: &str, entity: &str, link_id: &str) -> Attribute {
        Attribute {
            id: id.into(),
            link_id: link_id.into(),
            taxonomy_term_id: String::new(),
            link_entity: entity.into(),
            ..Attribute::default()
        }
    }

    #[test]
    fn attribute_with_an_unknown_entity_may_link_to_any_table() {
        let dir = Directory {
            services: vec![Service {
                id: "s1".into(),
                ..Service::default()
            }],
            attributes: vec![
                attribute("a1", "spaceship", "s1"),
                attribute("a2", "spaceship", ""),
                attribute("a3", "spaceship", "nowhere"),
                attribute("a4", "location", "s1"),
            ],
            ..Directory::default()
        };
        let found = run(&dir, attribute_links);
        let said: Vec<(&str, &str)> = found
            .iter()
            .map(|(_, f, m)| (f.as_str(), m.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                (
                    "link_id",
                    "link_id \"nowhere\" matches no record (link_entity \"spaceship\" is not an HSDS table)"
                ),
                ("link_id", "link_id \"s1\" matches no record in locations"),
            ]
        );
    }

    #[test]
    fn phone_links_are_checked_in_column_order() {
        let dir = Directory {
            phones: vec![Phone {
                id: "p1".into(),
                location_id: Some("l?".into()),
                service_id: Some(String::new()),
                organization_id: Some("o?".into()),
                contact_id: Some("c?".into()),
                service_at_location_id: Some("x?".into()),
                ..Phone::default()
            }],
            ..Directory::default()
        };
        let fields: Vec<String> = run(&dir, contact_links)
            .into_iter()
            .map(|(table, field, _)| format!("{table}.{field}"))
            .collect();
        assert_eq!(
            fields,
            [
                "phones.location_id",
                "phones.organization_id",
                "phones.contact_id",
                "phones.service_at_location_id"
            ]
        );
    }

    #[test]
    fn a_service_reaches_residents_and_a_language_through_its_locations_or_areas() {
        let service = |id: &str| Service {
            id: id.into(),
            ..Service::default()
        };
        let dir = Directory {
            services: vec![service("at-l1"), service("area-only"), service("nowhere")],
            service_at_locations: vec![ServiceAtLocation {
                id: "x1".into(),
                service_id: "at-l1".into(),
                location_id: "l1".into(),
                ..ServiceAtLocation::default()
            }],
            service_areas: vec![ServiceArea {
                id: "sa1".into(),
                service_id: Some("area-only".into()),
                ..ServiceArea::default()
            }],
            languages: vec![Language {
                id: "la1".into(),
                location_id: Some("l1".into()),
                ..Language::default()
            }],
            ..Directory::default()
        };
        let origins = Origins::default();
        let mut report = ImportReport::default();
        let mut c = Checker {
            ids: ids_of(&dir),
            origins: &origins,
            report: &mut report,
        };
        let fresh = service_warnings(
            &dir,
            &ImportOptions::default(),
            jiff::civil::date(2025, 6, 1),
            None,
            &mut c,
        );
        assert_eq!(fresh, 0);
        let found: Vec<(Option<&str>, ProblemKind)> = report
            .problems()
            .iter()
            .map(|p| (p.record_id.as_deref(), p.kind))
            .collect();
        assert_eq!(
            found,
            [
                (Some("area-only"), ProblemKind::NoLanguage),
                (Some("nowhere"), ProblemKind::Unreachable),
                (Some("nowhere"), ProblemKind::NoLanguage),
            ]
        );
    }
}
