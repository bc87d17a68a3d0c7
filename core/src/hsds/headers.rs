//! CSV header diagnosis: column names written the way spreadsheets export them (`Name`,
//! ` id `, `Organization ID`) are read as their HSDS column, and a name one or two letters
//! away from an HSDS column gets a "did you mean" warning.

use std::collections::HashSet;

use super::build::ELIGIBILITY_TABLES;
use super::report::{Origin, Problem, ProblemKind, Severity};
use super::tables::{other_columns, Record, OTHER_TABLES};
use crate::model::{
    Accessibility, Address, Attribute, CostOption, Language, Location, Organization, Phone,
    RequiredDocument, Schedule, Service, ServiceArea, ServiceAtLocation, Taxonomy, TaxonomyTerm,
};

/// Columns of the HSDS tables passerelle types: every record needs an `id`.
pub(crate) fn typed_columns(table: &str) -> Option<&'static [&'static str]> {
    Some(match table {
        Organization::TABLE => Organization::COLUMNS,
        Service::TABLE => Service::COLUMNS,
        Location::TABLE => Location::COLUMNS,
        ServiceAtLocation::TABLE => ServiceAtLocation::COLUMNS,
        Address::TABLE => Address::COLUMNS,
        Phone::TABLE => Phone::COLUMNS,
        Schedule::TABLE => Schedule::COLUMNS,
        Language::TABLE => Language::COLUMNS,
        ServiceArea::TABLE => ServiceArea::COLUMNS,
        CostOption::TABLE => CostOption::COLUMNS,
        RequiredDocument::TABLE => RequiredDocument::COLUMNS,
        Accessibility::TABLE => Accessibility::COLUMNS,
        Attribute::TABLE => Attribute::COLUMNS,
        Taxonomy::TABLE => Taxonomy::COLUMNS,
        TaxonomyTerm::TABLE => TaxonomyTerm::COLUMNS,
        _ => return None,
    })
}

/// Inline bytes of one typed record of `table` (0 for tables kept verbatim), charged to the
/// import's memory budget with the raw row it is built from.
pub(crate) fn typed_size(table: &str) -> u64 {
    use std::mem::size_of;
    (match table {
        Organization::TABLE => size_of::<Organization>(),
        Service::TABLE => size_of::<Service>(),
        Location::TABLE => size_of::<Location>(),
        ServiceAtLocation::TABLE => size_of::<ServiceAtLocation>(),
        Address::TABLE => size_of::<Address>(),
        Phone::TABLE => size_of::<Phone>(),
        Schedule::TABLE => size_of::<Schedule>(),
        Language::TABLE => size_of::<Language>(),
        ServiceArea::TABLE => size_of::<ServiceArea>(),
        CostOption::TABLE => size_of::<CostOption>(),
        RequiredDocument::TABLE => size_of::<RequiredDocument>(),
        Accessibility::TABLE => size_of::<Accessibility>(),
        Attribute::TABLE => size_of::<Attribute>(),
        Taxonomy::TABLE => size_of::<Taxonomy>(),
        TaxonomyTerm::TABLE => size_of::<TaxonomyTerm>(),
        _ => 0,
    }) as u64
}

/// Columns of any table passerelle knows.
fn known_columns(table: &str) -> Option<&'static [&'static str]> {
    typed_columns(table).or_else(|| match table {
        ELIGIBILITY_TABLES => Some(&["table", "key", "value"][..]),
        t if OTHER_TABLES.contains(&t) => Some(other_columns(t)),
        _ => None,
    })
}

/// Longest column name looked at (HSDS names are short; a longer one is simply unknown).
const MAX_NAME: usize = 64;
/// "Did you mean" warnings per table at most.
const MAX_HINTS: usize = 20;

/// `Organization ID` → `organization_id`.
fn snake(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The closest HSDS column to `name` when it is at most two edits away.
pub(crate) fn did_you_mean(name: &str, known: &[&'static str]) -> Option<&'static str> {
    let name = snake(name);
    known
        .iter()
        .filter(|c| c.len().abs_diff(name.len()) <= 2)
        .map(|c| (strsim::damerau_levenshtein(&name, c), *c))
        .filter(|(d, c)| *d > 0 && *d <= 2 && c.len() >= 4)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Renames spreadsheet-style column names of a known table to their HSDS name (a warning
/// each) and warns about names close to an HSDS column. `names` are already trimmed.
pub(crate) fn normalise(
    table: &str,
    names: &mut [String],
    origin: &Origin,
    problems: &mut Vec<Problem>,
) {
    let Some(known) = known_columns(table) else {
        return;
    };
    let present: HashSet<String> = names.iter().cloned().collect();
    let mut hints = 0usize;
    for name in names.iter_mut() {
        if name.is_empty() || name.len() > MAX_NAME {
            continue;
        }
        let (base, lang) = match name.split_once('@') {
            Some((b, l)) => (b, Some(l)),
            None => (name.as_str(), None),
        };
        if known.contains(&base) {
            continue;
        }
        let norm = snake(base);
        if known.contains(&norm.as_str()) {
            let new = match lang {
                Some(l) => format!("{norm}@{}", l.trim().to_lowercase()),
                None => norm,
            };
            if !present.contains(&new) {
                problems.push(origin.problem(
                    Severity::Warning,
                    ProblemKind::MalformedHeader,
                    Some(name),
                    format!(
                        "column {name:?} read as {new:?} (HSDS column names are lower-case snake_case)"
                    ),
                ));
                *name = new;
            }
            continue;
        }
        if lang.is_none() && hints < MAX_HINTS {
            if let Some(s) = did_you_mean(base, known) {
                hints += 1;
                problems.push(origin.problem(
                    Severity::Warning,
                    ProblemKind::MalformedHeader,
                    Some(name),
                    format!(
                        "column {name:?} is not an HSDS column of {table}; did you mean {s:?}? Its values are kept as an extra field"
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hsds::report::Position;

    fn run(table: &str, names: &[&str]) -> (Vec<String>, Vec<Problem>) {
        let mut names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        let origin = Origin {
            source: format!("{table}.csv").into(),
            table: table.to_owned().into(),
            position: Position::Table,
            record_id: None,
        };
        let mut p = Vec::new();
        normalise(table, &mut names, &origin, &mut p);
        (names, p)
    }

    #[test]
    fn spreadsheet_names_are_read_as_hsds_names() {
        let (names, p) = run(
            "services",
            &[
                "ID",
                "Organization ID",
                "Name",
                "Name@FR",
                "Descripton",
                "custom",
            ],
        );
        assert_eq!(
            names,
            [
                "id",
                "organization_id",
                "name",
                "name@fr",
                "Descripton",
                "custom"
            ]
        );
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(p[4].message.contains("did you mean \"description\""));
    }

    #[test]
    fn an_exact_column_wins_over_a_renamed_one() {
        let (names, p) = run("organizations", &["id", "Id", "name"]);
        assert_eq!(names, ["id", "Id", "name"]);
        assert!(p.is_empty());
        // unknown tables are left alone
        let (names, p) = run("my_table", &["ID"]);
        assert_eq!(names, ["ID"]);
        assert!(p.is_empty());
    }
}
