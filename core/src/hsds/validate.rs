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
        c.link(
            "services",
            &s.id,
            "organization_id",
            Some(&s.organization_id),
            "organizations",
        );
        c.link(
            "services",
            &s.id,
            "program_id",
            s.program_id.as_deref(),
            "programs",
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
        c.link(
            "service_at_location",
            &x.id,
            "service_id",
            Some(&x.service_id),
            "services",
        );
        c.link(
            "service_at_location",
            &x.id,
            "location_id",
            Some(&x.location_id),
            "locations",
        );
    }
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
        c.link(
            "phones",
            &p.id,
            "location_id",
            p.location_id.as_deref(),
            "locations",
        );
        c.link(
            "phones",
            &p.id,
            "service_id",
            p.service_id.as_deref(),
            "services",
        );
        c.link(
            "phones",
            &p.id,
            "organization_id",
            p.organization_id.as_deref(),
            "organizations",
        );
        c.link(
            "phones",
            &p.id,
            "contact_id",
            p.contact_id.as_deref(),
            "contacts",
        );
        c.link(
            "phones",
            &p.id,
            "service_at_location_id",
            p.service_at_location_id.as_deref(),
            "service_at_location",
        );
    }
    for s in &dir.schedules {
        c.link(
            "schedules",
            &s.id,
            "service_id",
            s.service_id.as_deref(),
            "services",
        );
        c.link(
            "schedules",
            &s.id,
            "location_id",
            s.location_id.as_deref(),
            "locations",
        );
        c.link(
            "schedules",
            &s.id,
            "service_at_location_id",
            s.service_at_location_id.as_deref(),
            "service_at_location",
        );
    }
    for l in &dir.languages {
        c.link(
            "languages",
            &l.id,
            "service_id",
            l.service_id.as_deref(),
            "services",
        );
        c.link(
            "languages",
            &l.id,
            "location_id",
            l.location_id.as_deref(),
            "locations",
        );
        c.link(
            "languages",
            &l.id,
            "phone_id",
            l.phone_id.as_deref(),
            "phones",
        );
    }
    for a in &dir.service_areas {
        c.link(
            "service_areas",
            &a.id,
            "service_id",
            a.service_id.as_deref(),
            "services",
        );
        c.link(
            "service_areas",
            &a.id,
            "service_at_location_id",
            a.service_at_location_id.as_deref(),
            "service_at_location",
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
    for t in &dir.taxonomy_terms {
        c.link(
            "taxonomy_terms",
            &t.id,
            "parent_id",
            t.parent_id.as_deref(),
            "taxonomy_terms",
        );
        c.link(
            "taxonomy_terms",
            &t.id,
            "taxonomy_id",
            t.taxonomy_id.as_deref(),
            "taxonomies",
        );
    }
    if opts.quality_warnings {
        quality(dir, opts, &mut c);
    }
}

fn quality(dir: &Directory, opts: &ImportOptions, c: &mut Checker<'_>) {
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
    let today = opts.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let stale_before = (opts.stale_after_months > 0)
        .then(|| {
            today
                .checked_sub(i64::from(opts.stale_after_months).months())
                .ok()
        })
        .flatten();
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
