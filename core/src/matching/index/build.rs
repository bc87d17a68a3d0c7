//! Build: the steps in order, then one pass over the services filling the columns.

use foldhash::{HashMap, HashMapExt};

use crate::model::{
    Directory, DirectoryIndex, Service, ServiceAtLocation, ServiceStatus, TermCode,
};
use crate::rules::FactCatalog;
use crate::spatial::{AreaGroup, NamedAreas};

use super::facts::OwnerBits;
use super::hours::HoursTable;
use super::rules::{merged_tables, RuleInterner};
use super::terms::Terms;
use super::{dict_bit, len_u32, mode_bit, modes, Index, NearSites, NONE};
use crate::matching::navigator::{BuildProblem, BuildReport, NavigatorOptions};
use crate::matching::needs::CRISIS_TERMS;
use crate::matching::retrieval::{self, crisis_bits};
use crate::model::facts::OwnerFacts;

/// The state of one build: the step outputs and the index being filled.
struct Builder<'a, 'b> {
    dir: &'a Directory,
    index: &'b DirectoryIndex<'a>,
    term_pos: &'b HashMap<&'a str, u32>,
    catalog: &'b FactCatalog,
    facts: OwnerFacts<'a>,
    bits: OwnerBits<'a>,
    hours: HoursTable<'a>,
    rules: RuleInterner<'a>,
    /// SAL records (indices into `Directory::service_at_locations`) by service id.
    sals_by_service: HashMap<&'a str, Vec<usize>>,
    /// Location id → first position in `Directory::locations`.
    location_pos: HashMap<&'a str, usize>,
    /// Crisis bits by service position, from the directory and the deployer's lists.
    crisis_flags: Vec<u8>,
    crisis_codes: Vec<TermCode>,
    out: Index,
}

impl Index {
    /// Builds the index of `dir` (see the module documentation). Problems with single
    /// records go into `report`, in directory order. [`Index::finish`] completes it once the
    /// gazetteer is known.
    pub(crate) fn build<'a>(
        dir: &'a Directory,
        index: &DirectoryIndex<'a>,
        terms: &Terms<'a>,
        options: &NavigatorOptions,
        tz: &jiff::tz::TimeZone,
        report: &mut BuildReport,
    ) -> Index {
        let tables = merged_tables(&options.tables, dir, report);
        let hours = HoursTable::new(dir, tz.clone());
        let bits = OwnerBits::new(dir);
        let mut b = Builder {
            dir,
            index,
            term_pos: &terms.pos,
            catalog: &options.catalog,
            hours,
            rules: RuleInterner::new(tables, options.infer_eligibility, dir),
            sals_by_service: sals_by_service(dir, index, report),
            location_pos: dir
                .locations
                .iter()
                .enumerate()
                .map(|(i, l)| (l.id.as_str(), i))
                .rev()
                .collect(),
            crisis_flags: retrieval::crisis_flags(
                dir,
                index,
                &options.crisis_services,
                &options.crisis_terms,
            ),
            crisis_codes: CRISIS_TERMS
                .iter()
                .filter_map(|c| TermCode::new(c).ok())
                .collect(),
            out: Index {
                codes: Vec::new(),
                postings: vec![Vec::new(); terms.codes.len()],
                languages: bits.languages.clone(),
                access_codes: bits.access_codes.clone(),
                ..Index::default()
            },
            facts: OwnerFacts::new(dir),
            bits,
        };
        let mut seen_services: HashMap<&str, ()> = HashMap::new();
        for s in &dir.services {
            if seen_services.insert(s.id.as_str(), ()).is_some() {
                report.problems.push(BuildProblem {
                    record_id: s.id.clone(),
                    message: "duplicate service id; the first record is used".into(),
                });
                continue;
            }
            b.add_service(s, report);
        }
        let mut out = b.out;
        out.rules = b.rules.rules;
        out.sources.rules = b.rules.sources;
        out.hours = b.hours.hours;
        out.sources.hours = b.hours.sources;
        out.codes = terms.codes.clone();
        out.mark_round_the_clock_lines();
        out
    }

    /// A line open around the clock is a crisis line.
    fn mark_round_the_clock_lines(&mut self) {
        for (si, flags) in self.svc.crisis.iter_mut().enumerate() {
            let (Some(&a), Some(&b)) = (self.svc.sal_start.get(si), self.svc.sal_end.get(si))
            else {
                continue;
            };
            let always = self
                .sal
                .always_open
                .get(a as usize..b as usize)
                .is_some_and(|v| v.iter().any(|&x| x));
            if always && *flags & crisis_bits::PHONE_LINE != 0 {
                *flags |= crisis_bits::GENERAL;
            }
        }
    }

    /// Completes the index with the gazetteer: which area groups a search can test, which
    /// SALs are sites only, and the per-term sites in spatial order.
    pub(crate) fn finish(&mut self, named_areas: &NamedAreas) {
        self.area_unknown = self
            .areas
            .iter()
            .map(|g| g.is_unknown_with(named_areas))
            .collect();
        self.sal.site_only = (0..self.sal.service.len())
            .map(|i| {
                let svc_area = self
                    .sal
                    .service
                    .get(i)
                    .and_then(|&s| self.svc.area.get(s as usize))
                    .copied()
                    .unwrap_or(NONE);
                let area = self.area_of(i, svc_area);
                self.sal.point.get(i).is_some_and(Option::is_some)
                    && self.sal.modes.get(i).copied().unwrap_or(0) & modes::REMOTE == 0
                    && self
                        .area_unknown
                        .get(area as usize)
                        .copied()
                        .unwrap_or(true)
            })
            .collect();
        self.near = NearSites::build(self);
    }
}

/// SAL records by service id; records naming an unknown service or location are reported
/// and left out.
fn sals_by_service<'a>(
    dir: &'a Directory,
    index: &DirectoryIndex<'a>,
    report: &mut BuildReport,
) -> HashMap<&'a str, Vec<usize>> {
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in dir.service_at_locations.iter().enumerate() {
        let unknown = if index.service(&s.service_id).is_none() {
            "service_at_location refers to an unknown service"
        } else if index.location(&s.location_id).is_none() {
            "service_at_location refers to an unknown location"
        } else {
            out.entry(s.service_id.as_str()).or_default().push(i);
            continue;
        };
        report.problems.push(BuildProblem {
            record_id: s.id.clone(),
            message: unknown.into(),
        });
    }
    out
}

/// Adds an area group made of the given service areas and returns its index (`NONE` for
/// no list).
fn make_area(out: &mut Index, dir: &Directory, list: Option<&[usize]>) -> u32 {
    let Some(list) = list else { return NONE };
    out.areas.push(AreaGroup::from_areas(
        list.iter().filter_map(|&i| dir.service_areas.get(i)),
    ));
    out.sources
        .areas
        .push(list.iter().map(|&i| len_u32(i)).collect());
    len_u32(out.areas.len() - 1)
}

impl<'a> Builder<'a, '_> {
    /// Fills the service columns of one service (first of its id), then its SALs.
    fn add_service(&mut self, s: &'a Service, report: &mut BuildReport) {
        let dir = self.dir;
        let index = self.index;
        let si = len_u32(self.out.svc.active.len());
        let mut is_crisis = false;
        for code in index.need_codes_of(&s.id) {
            if let Some(&t) = self.term_pos.get(code.as_str()) {
                if let Some(p) = self.out.postings.get_mut(t as usize) {
                    if p.last() != Some(&si) {
                        p.push(si);
                    }
                }
            }
            is_crisis |= self.crisis_codes.iter().any(|c| code.is_within(c));
        }
        let mut pop_bits = 0u64;
        for code in index.term_codes_of(&s.id, "target_population") {
            let name = code
                .as_str()
                .strip_prefix("population.")
                .unwrap_or(code.as_str());
            pop_bits |= dict_bit(&mut self.out.populations, name, 64);
        }
        let svc = &mut self.out.svc;
        // Read back as `dir.services[si]` like every other per-match field (`to_match`).
        svc.org.push(
            dir.services
                .get(si as usize)
                .and_then(|r| index.organization_position(&r.organization_id))
                .map_or(NONE, len_u32),
        );
        svc.active.push(s.status == ServiceStatus::Active);
        svc.cost.push(self.facts.cost(s));
        svc.assured_day.push(
            s.assured_date
                .and_then(|d| d.since(jiff::civil::date(1970, 1, 1)).ok())
                .map_or(i32::MIN, |span| span.get_days()),
        );
        svc.capacity
            .push(self.facts.capacity(&s.id).unwrap_or(f32::NAN));
        svc.populations.push(pop_bits);
        // Crisis terms of the project (`is_crisis`) are among the codes `crisis_flags` reads.
        let flags = self.crisis_flags.get(si as usize).copied().unwrap_or(0)
            | if is_crisis && self.crisis_flags.get(si as usize).is_none() {
                crisis_bits::ANY
            } else {
                0
            };
        svc.crisis.push(flags);
        // Hotlines, helplines and crisis services with a phone number are delivered by
        // phone, even when the record also has a street address.
        let phone_line = flags & crisis_bits::PHONE_LINE != 0
            || flags & crisis_bits::ANY != 0 && index.phones_of(&s.id).next().is_some();
        let (rule, problem) = self.rules.intern(index, s, self.catalog);
        if let Some(message) = problem {
            report.problems.push(BuildProblem {
                record_id: s.id.clone(),
                message,
            });
        }
        self.out.svc.rule.push(rule);
        let area = make_area(&mut self.out, dir, self.facts.service_areas(&s.id));
        self.out.svc.area.push(area);
        let svc_langs = self.bits.langs(&s.id);
        self.out
            .svc
            .sal_start
            .push(len_u32(self.out.sal.service.len()));
        // Each service id is added once, so its list is taken.
        match self.sals_by_service.remove(s.id.as_str()) {
            Some(list) => {
                for ri in list {
                    if let Some(r) = dir.service_at_locations.get(ri) {
                        self.add_located_sal(si, ri, r, svc_langs, phone_line, report);
                    }
                }
            }
            None => self.add_remote_sal(si, s, svc_langs, phone_line, report),
        }
        self.out
            .svc
            .sal_end
            .push(len_u32(self.out.sal.service.len()));
    }

    /// One SAL record of service `si`.
    fn add_located_sal(
        &mut self,
        si: u32,
        ri: usize,
        r: &'a ServiceAtLocation,
        svc_langs: u64,
        phone_line: bool,
        report: &mut BuildReport,
    ) {
        let li = self.location_pos.get(r.location_id.as_str()).copied();
        let point = li
            .and_then(|i| self.dir.locations.get(i))
            .and_then(|l| l.point);
        let group = self.hours.owners().for_sal(r);
        let (h, always) = self.hours.compile(group, &r.id, report);
        let mut bits = 0u8;
        self.index
            .for_each_delivery_mode(r, |m| bits |= mode_bit(m));
        if phone_line {
            bits |= modes::PHONE;
        }
        let loc_langs = self.bits.langs(&r.location_id);
        let access = self.bits.access(&r.location_id);
        let area = make_area(&mut self.out, self.dir, self.facts.sal_areas(&r.id));
        let sal = &mut self.out.sal;
        sal.service.push(si);
        sal.record.push(len_u32(ri));
        sal.location.push(li.map_or(NONE, len_u32));
        sal.point.push(point);
        sal.cos_lat
            .push(point.map_or(0.0, |p| p.lat().to_radians().cos()));
        sal.modes.push(bits);
        sal.hours.push(h);
        sal.always_open.push(always);
        sal.langs.push(svc_langs | loc_langs);
        sal.access.push(access);
        sal.area.push(area);
    }

    /// The one SAL of a service with no location: reachable by phone / online only.
    fn add_remote_sal(
        &mut self,
        si: u32,
        s: &'a Service,
        svc_langs: u64,
        phone_line: bool,
        report: &mut BuildReport,
    ) {
        let mut bits = 0u8;
        self.index
            .for_each_location_less_mode(s, |m| bits |= mode_bit(m));
        if phone_line {
            bits |= modes::PHONE;
        }
        let group = self.hours.owners().for_service(&s.id);
        let (h, always) = self.hours.compile(group, &s.id, report);
        let sal = &mut self.out.sal;
        sal.service.push(si);
        sal.record.push(NONE);
        sal.location.push(NONE);
        sal.point.push(None);
        sal.cos_lat.push(0.0);
        sal.modes.push(bits);
        sal.hours.push(h);
        sal.always_open.push(always);
        sal.langs.push(svc_langs);
        sal.access.push(0);
        sal.area.push(NONE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::facts::is_need_code;

    fn build(dir: &Directory) -> (Index, BuildReport) {
        let index = DirectoryIndex::new(dir);
        let terms = Terms::new(dir);
        let mut report = BuildReport::default();
        let options = NavigatorOptions::sample();
        let mut idx = Index::build(
            dir,
            &index,
            &terms,
            &options,
            &jiff::tz::TimeZone::UTC,
            &mut report,
        );
        idx.finish(&options.named_areas);
        (idx, report)
    }

    #[test]
    fn sample_services_own_contiguous_sal_ranges() {
        let dir = Directory::sample();
        let (idx, report) = build(&dir);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let n = idx.svc.active.len();
        assert_eq!(n, dir.services.len());
        let mut next = 0;
        for s in 0..n {
            let (a, b) = idx.svc.sal_range(s).unwrap();
            assert_eq!(a, next);
            assert!(b > a, "every service has a SAL (or its location-less one)");
            for i in a..b {
                assert_eq!(idx.sal.service[i as usize], s as u32);
            }
            next = b;
        }
        assert_eq!(next as usize, idx.sal.service.len());
        for i in 0..idx.sal.service.len() {
            if idx.sal.record[i] == NONE {
                assert!(idx.sal.point[i].is_none());
                assert_eq!(idx.sal.location[i], NONE);
            }
            if idx.sal.site_only[i] {
                assert!(idx.sal.point[i].is_some());
                assert_eq!(idx.sal.modes[i] & modes::REMOTE, 0);
            }
        }
    }

    #[test]
    fn postings_list_the_services_filed_under_each_need_term() {
        let dir = Directory::sample();
        let index = DirectoryIndex::new(&dir);
        let (idx, _) = build(&dir);
        assert!(idx.postings.iter().any(|p| !p.is_empty()));
        for (t, list) in idx.postings.iter().enumerate() {
            let code = &idx.codes[t];
            assert!(is_need_code(code));
            assert!(list.windows(2).all(|w| w[0] < w[1]));
            for &s in list {
                let id = &dir.services[s as usize].id;
                assert!(index.need_codes_of(id).any(|c| c == code), "{id} {code}");
            }
        }
    }

    #[test]
    fn unknown_references_and_duplicates_are_reported_not_indexed() {
        let mut dir = Directory::sample();
        let first = dir.services[0].clone();
        dir.services.push(first.clone());
        let mut sal = dir.service_at_locations[0].clone();
        sal.id = "sal-ghost".into();
        sal.location_id = "no-such-location".into();
        dir.service_at_locations.push(sal);
        let (idx, report) = build(&dir);
        assert_eq!(idx.svc.active.len(), dir.services.len() - 1);
        let ids: Vec<&str> = report
            .problems
            .iter()
            .map(|p| p.record_id.as_str())
            .collect();
        assert_eq!(ids, ["sal-ghost", first.id.as_str()]);
    }
}
