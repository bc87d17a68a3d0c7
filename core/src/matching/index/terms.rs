//! Build step: need terms. The directory's need-category codes (not population or delivery
//! terms), each once.

use foldhash::{HashMap, HashMapExt};

use crate::model::facts::is_need_code;
use crate::model::{Directory, TermCode, Text};

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
