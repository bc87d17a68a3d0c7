//! Exports of a search: an HSDS sub-directory (for the hsds exporter) and GeoJSON for maps.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::model::{Directory, LangCode};

use super::navigator::Navigator;
use super::result::SearchResults;

impl Navigator {
    /// The matched services as a self-contained HSDS directory: the services of every match
    /// in `results` (all needs, the returned pages), their organisations, the matched
    /// services at locations and their locations, with the addresses, phones, schedules,
    /// languages, service areas, costs, documents, accessibility, attributes, taxonomy terms
    /// (and their parents) and eligibility tables they refer to. Write it with the hsds
    /// exporter.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::default(), NavigatorOptions::default()).unwrap();
    /// let results = nav.search(&Query::new([Need::text("food bank")])).unwrap();
    /// assert!(nav.export_directory(&results).services.is_empty());
    /// ```
    pub fn export_directory(&self, results: &SearchResults) -> Directory {
        let dir = self.directory();
        let services: BTreeSet<&str> = results.matches().map(|m| m.service_id.as_str()).collect();
        let sals: BTreeSet<&str> = results
            .matches()
            .filter_map(|m| m.service_at_location_id.as_deref())
            .collect();
        let locations: BTreeSet<&str> = results
            .matches()
            .filter_map(|m| m.location_id.as_deref())
            .collect();
        let orgs: BTreeSet<&str> = dir
            .services
            .iter()
            .filter(|s| services.contains(s.id.as_str()))
            .map(|s| s.organization_id.as_str())
            .collect();
        let has = |set: &BTreeSet<&str>, id: &Option<String>| {
            id.as_deref().is_some_and(|i| set.contains(i))
        };
        let mut out = Directory {
            meta: dir.meta.clone(),
            eligibility_tables: dir.eligibility_tables.clone(),
            ..Directory::default()
        };
        out.organizations = dir
            .organizations
            .iter()
            .filter(|o| orgs.contains(o.id.as_str()))
            .cloned()
            .collect();
        out.services = dir
            .services
            .iter()
            .filter(|s| services.contains(s.id.as_str()))
            .cloned()
            .collect();
        out.locations = dir
            .locations
            .iter()
            .filter(|l| locations.contains(l.id.as_str()))
            .cloned()
            .collect();
        out.service_at_locations = dir
            .service_at_locations
            .iter()
            .filter(|s| sals.contains(s.id.as_str()))
            .cloned()
            .collect();
        out.addresses = dir
            .addresses
            .iter()
            .filter(|a| has(&locations, &a.location_id))
            .cloned()
            .collect();
        out.phones = dir
            .phones
            .iter()
            .filter(|p| {
                has(&services, &p.service_id)
                    || has(&locations, &p.location_id)
                    || has(&sals, &p.service_at_location_id)
                    || (p.service_id.is_none()
                        && p.location_id.is_none()
                        && p.service_at_location_id.is_none()
                        && has(&orgs, &p.organization_id))
            })
            .cloned()
            .collect();
        out.schedules = dir
            .schedules
            .iter()
            .filter(|s| {
                has(&sals, &s.service_at_location_id)
                    || (s.service_at_location_id.is_none()
                        && (has(&services, &s.service_id)
                            || (s.service_id.is_none() && has(&locations, &s.location_id))))
            })
            .cloned()
            .collect();
        let phone_ids: BTreeSet<&str> = out.phones.iter().map(|p| p.id.as_str()).collect();
        out.languages = dir
            .languages
            .iter()
            .filter(|l| {
                has(&services, &l.service_id)
                    || has(&locations, &l.location_id)
                    || has(&phone_ids, &l.phone_id)
            })
            .cloned()
            .collect();
        out.service_areas = dir
            .service_areas
            .iter()
            .filter(|a| has(&services, &a.service_id) || has(&sals, &a.service_at_location_id))
            .cloned()
            .collect();
        out.cost_options = dir
            .cost_options
            .iter()
            .filter(|c| services.contains(c.service_id.as_str()))
            .cloned()
            .collect();
        out.required_documents = dir
            .required_documents
            .iter()
            .filter(|d| has(&services, &d.service_id))
            .cloned()
            .collect();
        out.accessibility = dir
            .accessibility
            .iter()
            .filter(|a| has(&locations, &a.location_id))
            .cloned()
            .collect();
        let linked = |id: &str| {
            services.contains(id)
                || sals.contains(id)
                || locations.contains(id)
                || orgs.contains(id)
        };
        out.attributes = dir
            .attributes
            .iter()
            .filter(|a| linked(&a.link_id))
            .cloned()
            .collect();
        add_terms_of_attributes(dir, &mut out);
        out
    }

    /// The matches with a known point as a GeoJSON `FeatureCollection` of `Point`s
    /// (`[longitude, latitude]`), with properties for map pop-ups: ids, names in the
    /// directory's languages (`name`, `name_fr` …), need index, rank, score, distance,
    /// delivery, eligibility, openness and whether it is a pinned crisis service.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::default(), NavigatorOptions::default()).unwrap();
    /// let results = nav.search(&Query::new([Need::text("food bank")])).unwrap();
    /// let geojson = nav.export_geojson(&results);
    /// assert_eq!(geojson["type"], "FeatureCollection");
    /// ```
    pub fn export_geojson(&self, results: &SearchResults) -> Value {
        let dir = self.directory();
        let mut features = Vec::new();
        for need in &results.needs {
            for m in &need.matches {
                let Some(point) = m
                    .location_id
                    .as_deref()
                    .and_then(|id| dir.locations.iter().find(|l| l.id == id))
                    .and_then(|l| l.point)
                else {
                    continue;
                };
                let mut props = Map::new();
                props.insert("service_id".into(), json!(m.service_id));
                props.insert(
                    "service_at_location_id".into(),
                    json!(m.service_at_location_id),
                );
                props.insert("location_id".into(), json!(m.location_id));
                props.insert("name".into(), json!(m.service_name.value));
                for (lang, name) in &m.service_name.translations {
                    props.insert(format!("name_{}", lang.as_str()), json!(name));
                }
                props.insert(
                    "organization".into(),
                    json!(m.organization_name.get(&LangCode::en())),
                );
                props.insert("location_name".into(), json!(m.location_name.value));
                props.insert("need_index".into(), json!(need.need_index));
                props.insert("rank".into(), json!(m.rank));
                props.insert("score".into(), json!((m.score * 1e4).round() / 1e4));
                props.insert("distance_m".into(), json!(m.distance_m.map(|d| d.round())));
                props.insert("via".into(), json!(m.via.as_str()));
                props.insert(
                    "delivery".into(),
                    json!(m
                        .delivery_modes
                        .iter()
                        .map(|d| d.as_str())
                        .collect::<Vec<_>>()),
                );
                props.insert("eligibility".into(), json!(m.eligibility.status.as_str()));
                props.insert("open_now".into(), json!(m.openness.is_open()));
                props.insert("crisis_line".into(), json!(m.crisis_line));
                features.push(json!({
                    "type": "Feature",
                    "geometry": { "type": "Point", "coordinates": [point.lon(), point.lat()] },
                    "properties": Value::Object(props),
                }));
            }
        }
        json!({ "type": "FeatureCollection", "features": features })
    }
}

/// Adds to `out` the taxonomy terms its attributes use, their ancestors, and their
/// taxonomies.
fn add_terms_of_attributes(dir: &Directory, out: &mut Directory) {
    let mut terms: BTreeSet<&str> = out
        .attributes
        .iter()
        .map(|a| a.taxonomy_term_id.as_str())
        .collect();
    loop {
        let parents: Vec<&str> = dir
            .taxonomy_terms
            .iter()
            .filter(|t| terms.contains(t.id.as_str()))
            .filter_map(|t| t.parent_id.as_deref())
            .filter(|p| !terms.contains(p))
            .collect();
        if parents.is_empty() {
            break;
        }
        terms.extend(parents);
    }
    out.taxonomy_terms = dir
        .taxonomy_terms
        .iter()
        .filter(|t| terms.contains(t.id.as_str()))
        .cloned()
        .collect();
    let taxonomies: BTreeSet<&str> = out
        .taxonomy_terms
        .iter()
        .filter_map(|t| t.taxonomy_id.as_deref())
        .collect();
    out.taxonomies = dir
        .taxonomies
        .iter()
        .filter(|t| taxonomies.contains(t.id.as_str()))
        .cloned()
        .collect();
}
