//! Build step: need terms. The directory's need-category codes (not population or delivery
//! terms), each once, and the codes a service is filed under.

use foldhash::{HashMap, HashMapExt};

use crate::model::{Directory, DirectoryIndex, TermCode, Text};

use super::len_u32;

/// The directory's need-term codes, unique, in taxonomy order.
#[derive(Debug, Default)]
pub(crate) struct Terms<'a> {
    /// Codes by term index.
    pub(crate) codes: Vec<TermCode>,
    /// Code → term index.
    pub(crate) pos: HashMap<&'a str, u32>,
    /// Term names, by term index (for the need resolver).
    pub(crate) names: Vec<&'a Text>,
}

impl<'a> Terms<'a> {
    /// The need-category codes of the directory's taxonomy terms (first of a repeated code).
    pub(crate) fn new(dir: &'a Directory) -> Self {
        let mut terms = Self {
            codes: Vec::new(),
            pos: HashMap::new(),
            names: Vec::new(),
        };
        for t in &dir.taxonomy_terms {
            if let Some(code) = &t.code {
                if is_need_code(code) && !terms.pos.contains_key(code.as_str()) {
                    terms.pos.insert(code.as_str(), len_u32(terms.codes.len()));
                    terms.codes.push(code.clone());
                    terms.names.push(&t.name);
                }
            }
        }
        terms
    }
}

/// Whether a term is a need category (not a population or delivery term).
pub(crate) fn is_need_code(code: &TermCode) -> bool {
    let s = code.as_str();
    !(s.starts_with("population.")
        || s.starts_with("delivery.")
        || s == "population"
        || s == "delivery")
}

/// Need-category codes of a service: `service_category` attributes, and attributes with no
/// link type whose term is not a population or delivery term.
pub(crate) fn service_terms<'a>(
    index: &'a DirectoryIndex<'a>,
    service_id: &'a str,
) -> impl Iterator<Item = &'a TermCode> + 'a {
    index
        .attributes_of(service_id)
        .filter(|a| matches!(a.link_type.as_deref(), None | Some("service_category")))
        .filter_map(|a| index.term(&a.taxonomy_term_id))
        .filter_map(|t| t.code.as_ref())
        .filter(|c| is_need_code(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_and_delivery_terms_are_not_needs() {
        for (code, need) in [
            ("food", true),
            ("food.pantry", true),
            ("population", false),
            ("population.seniors", false),
            ("delivery.phone", false),
            ("deliveryman", true),
        ] {
            assert_eq!(is_need_code(&TermCode::new(code).unwrap()), need, "{code}");
        }
    }

    #[test]
    fn sample_terms_are_unique_needs() {
        let dir = Directory::sample();
        let terms = Terms::new(&dir);
        assert!(!terms.codes.is_empty());
        assert_eq!(terms.codes.len(), terms.names.len());
        assert_eq!(terms.codes.len(), terms.pos.len());
        for (i, c) in terms.codes.iter().enumerate() {
            assert!(is_need_code(c));
            assert_eq!(terms.pos.get(c.as_str()), Some(&(i as u32)));
        }
    }
}
