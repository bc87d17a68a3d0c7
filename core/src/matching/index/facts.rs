//! Build step: the language and accessibility bits of each owner, over small dictionaries
//! of the codes the directory uses (the codes themselves are read in `model::facts`).

use foldhash::{HashMap, HashMapExt};

use crate::model::facts::access_codes;
use crate::model::Directory;

use super::dict_bit;
use crate::matching::access::ACCESS_KNOWN;

/// Language bits by owner and accessibility bits by location, with the dictionaries their
/// bits index.
#[derive(Debug)]
pub(crate) struct OwnerBits<'a> {
    /// Language bits by owner (service or location id).
    pub(crate) langs_by_owner: HashMap<&'a str, u64>,
    /// Accessibility bits by location id ([`ACCESS_KNOWN`] set when it has a record).
    pub(crate) access_by_location: HashMap<&'a str, u32>,
    /// Language codes (primary subtags) the language bits index.
    pub(crate) languages: Vec<String>,
    /// Accessibility codes the accessibility bits index.
    pub(crate) access_codes: Vec<String>,
}

impl<'a> OwnerBits<'a> {
    /// Reads the languages and accessibility records of the directory.
    pub(crate) fn new(dir: &'a Directory) -> Self {
        let mut languages: Vec<String> = Vec::new();
        let mut langs_by_owner: HashMap<&str, u64> = HashMap::new();
        for l in &dir.languages {
            let Some(code) = &l.code else { continue };
            let bit = dict_bit(&mut languages, code.primary(), 63);
            for owner in [&l.service_id, &l.location_id].into_iter().flatten() {
                *langs_by_owner.entry(owner.as_str()).or_default() |= bit;
            }
        }
        let mut codes: Vec<String> = Vec::new();
        let mut access_by_location: HashMap<&str, u32> = HashMap::new();
        for a in &dir.accessibility {
            let Some(loc) = &a.location_id else { continue };
            let mut bits = ACCESS_KNOWN;
            for code in access_codes(a) {
                bits |= dict_bit(&mut codes, &code, 31) as u32;
            }
            *access_by_location.entry(loc.as_str()).or_default() |= bits;
        }
        Self {
            langs_by_owner,
            access_by_location,
            languages,
            access_codes: codes,
        }
    }

    /// The language bits of an owner (0 when it lists none).
    pub(crate) fn langs(&self, owner: &str) -> u64 {
        self.langs_by_owner.get(owner).copied().unwrap_or(0)
    }

    /// The accessibility bits of a location (0 when it has no record).
    pub(crate) fn access(&self, location_id: &str) -> u32 {
        self.access_by_location
            .get(location_id)
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_bits_index_their_dictionaries() {
        let dir = Directory::sample();
        let bits = OwnerBits::new(&dir);
        assert!(bits.languages.iter().any(|l| l == "fr"));
        assert!(!bits.access_codes.is_empty());
        for a in &dir.accessibility {
            let Some(loc) = &a.location_id else { continue };
            let site = bits.access(loc);
            assert_ne!(site & ACCESS_KNOWN, 0, "{loc}");
            for code in access_codes(a) {
                let i = bits.access_codes.iter().position(|c| *c == code).unwrap();
                assert_ne!(site & (1 << i.min(30)), 0, "{loc} {code}");
            }
        }
        assert_eq!(bits.access("no-such-location"), 0);
        assert_eq!(bits.langs("no-such-owner"), 0);
    }
}
