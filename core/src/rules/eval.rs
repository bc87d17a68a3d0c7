//! Three-valued (Kleene) evaluation with short-circuit, partial evaluation and batches.

use super::ast::{Literal, Operand, Rule, ThresholdKey};
use super::catalog::{Profile, Val};
use super::compile::{CompiledRule, Key, Node, TableRef};
use super::places::KnownPlaces;
use super::tables::lookup_rows;

/// The verdict of a rule for a profile.
///
/// `Unknown` means a fact the rule needs is missing and the known facts do not decide it,
/// or a resident's place is not one a residency condition names but may lie inside it
/// ([`FactDef::place`](super::FactDef::place)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The rule holds.
    Eligible,
    /// The rule fails.
    Ineligible,
    /// Missing facts leave the rule undecided.
    Unknown,
}

impl From<Option<bool>> for Verdict {
    fn from(v: Option<bool>) -> Self {
        match v {
            Some(true) => Verdict::Eligible,
            Some(false) => Verdict::Ineligible,
            None => Verdict::Unknown,
        }
    }
}

/// An override used when asking "would knowing this fact alone settle the rule?": atoms
/// reading `slot` take `value` (if their other facts are known).
#[derive(Clone, Copy)]
pub(crate) struct Force {
    pub slot: u32,
    pub value: bool,
}

impl CompiledRule {
    /// Evaluates the rule for a profile: `Eligible`, `Ineligible` or `Unknown`, without
    /// explanation. Kleene logic with short-circuit: `false and unknown` is `false`,
    /// `true or unknown` is `true`. Does not allocate.
    ///
    /// A profile whose catalogue does not extend the rule's catalogue has no usable facts:
    /// the verdict is then `Unknown` for any rule that reads a fact.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::{FactCatalog, Tables, Verdict};
    /// let c = FactCatalog::standard();
    /// let rule = c.compile("age >= 65 and disability", &Tables::new()).unwrap();
    /// let mut p = c.profile();
    /// p.set("age", 30.into()).unwrap();
    /// assert_eq!(rule.evaluate(&p), Verdict::Ineligible); // false and unknown = false
    /// ```
    #[inline]
    pub fn evaluate(&self, profile: &Profile) -> Verdict {
        if !self.fits(profile) {
            return EMPTY_PROFILE.with(|empty| self.eval::<false>(0, empty, None).into());
        }
        self.eval::<false>(0, profile, None).into()
    }

    pub(crate) fn fits(&self, profile: &Profile) -> bool {
        profile.catalog().extends(self.stamp)
    }

    pub(crate) fn eval<const FORCE: bool>(
        &self,
        id: u32,
        p: &Profile,
        force: Option<Force>,
    ) -> Option<bool> {
        let node = self.nodes.get(id as usize)?;
        match *node {
            Node::And { start, len } => {
                let mut unknown = false;
                for &k in self.kid_ids(start, len) {
                    match self.eval::<FORCE>(k, p, force) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown {
                    None
                } else {
                    Some(true)
                }
            }
            Node::Or { start, len } => {
                let mut unknown = false;
                for &k in self.kid_ids(start, len) {
                    match self.eval::<FORCE>(k, p, force) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                if unknown {
                    None
                } else {
                    Some(false)
                }
            }
            Node::Not(k) => self.eval::<FORCE>(k, p, force).map(|b| !b),
            _ => {
                if FORCE {
                    if let Some(f) = force {
                        let (a, b) = node.slots();
                        if a == Some(f.slot) || b == Some(f.slot) {
                            let other = if a == Some(f.slot) { b } else { a };
                            return match other {
                                Some(o) if p.get(o).is_none() => None,
                                _ => Some(f.value),
                            };
                        }
                    }
                }
                self.atom(node, p)
            }
        }
    }

    #[inline]
    pub(crate) fn kid_ids(&self, start: u32, len: u32) -> &[u32] {
        self.kids
            .get(start as usize..(start as usize + len as usize))
            .unwrap_or_default()
    }

    /// The threshold an atom compares with, if its key is known.
    #[inline]
    pub(crate) fn threshold_value(&self, table: u32, key: Key, p: &Profile) -> Option<f64> {
        self.pools().threshold(table, key, p)
    }

    #[inline]
    pub(crate) fn atom(&self, node: &Node, p: &Profile) -> Option<bool> {
        atom_value(node, p, self.pools())
    }

    #[inline]
    pub(crate) fn pools(&self) -> Pools<'_> {
        Pools {
            nums: &self.nums,
            strs: &self.strs,
            tables: &self.tables,
            places: self.places.as_deref(),
        }
    }

    /// Partial evaluation: the part of the rule still open given what the profile knows.
    /// Decided parts are folded away (`Rule::Const` if the whole rule is decided), and a
    /// threshold whose key is known becomes its number.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::{FactCatalog, Tables};
    /// let c = FactCatalog::standard();
    /// let rule = c.compile("age >= 65 or (disability and province == \"ON\")", &Tables::new()).unwrap();
    /// let mut p = c.profile();
    /// p.set("age", 40.into()).unwrap().set("province", "ON".into()).unwrap();
    /// assert_eq!(rule.partial(&p).to_string(), "disability");
    /// ```
    pub fn partial(&self, profile: &Profile) -> Rule {
        let mut id = 0;
        if self.fits(profile) {
            self.residual(&self.ast, &mut id, profile)
        } else {
            EMPTY_PROFILE.with(|empty| self.residual(&self.ast, &mut id, empty))
        }
    }

    fn residual(&self, rule: &Rule, id: &mut u32, p: &Profile) -> Rule {
        let my = *id;
        *id += 1;
        let value = self.eval::<false>(my, p, None);
        if let Some(value) = value {
            skip(rule, id);
            return Rule::Const { value };
        }
        match rule {
            Rule::Not { rule } => Rule::not(self.residual(rule, id, p)),
            Rule::And { rules } => {
                Rule::all(rules.iter().map(|r| self.residual(r, id, p)).collect())
            }
            Rule::Or { rules } => {
                Rule::any(rules.iter().map(|r| self.residual(r, id, p)).collect())
            }
            Rule::Compare {
                fact,
                cmp,
                value: Operand::Threshold { threshold },
            } => {
                let t = match self.nodes.get(my as usize) {
                    Some(Node::Threshold { table, key, .. }) => {
                        self.threshold_value(*table, *key, p)
                    }
                    _ => None,
                };
                match (t, &threshold.key) {
                    (Some(t), ThresholdKey::Fact(_)) => Rule::Compare {
                        fact: fact.clone(),
                        cmp: *cmp,
                        value: Operand::Literal(Literal::Number(t)),
                    },
                    _ => rule.clone(),
                }
            }
            other => other.clone(),
        }
    }
}

/// The constant pools an atom's `start`/`len`/`table` fields index: a rule's own, or a
/// rule set's shared ones (`RuleSet`, feature `rule-set`).
#[derive(Clone, Copy)]
pub(crate) struct Pools<'a> {
    pub nums: &'a [f64],
    pub strs: &'a [Box<str>],
    pub tables: &'a [TableRef],
    /// The places a directory names ([`CompiledRule::places`]).
    pub places: Option<&'a KnownPlaces>,
}

impl<'a> Pools<'a> {
    #[inline]
    pub(crate) fn strs(self, start: u32, len: u32) -> &'a [Box<str>] {
        self.strs
            .get(start as usize..(start as usize + len as usize))
            .unwrap_or_default()
    }

    #[inline]
    pub(crate) fn threshold(self, table: u32, key: Key, p: &Profile) -> Option<f64> {
        let k = match key {
            Key::Num(n) => n,
            Key::Slot(s) => match p.get(s) {
                Some(Val::Num(n)) => *n,
                _ => return None,
            },
        };
        self.tables
            .get(table as usize)
            .and_then(|t| lookup_rows(&t.rows, k))
    }
}

/// Whether a resident's place (its place key, as [`Profile::set`] keeps it) is one of
/// `keys`: `Some(true)` when it is, `Some(false)` when it is not and `places` (the
/// directory's) names it or no directory is given, `None` when the directory does not name
/// it (it may lie inside one of `keys`).
fn place_value(key: &str, keys: &[Box<str>], places: Option<&KnownPlaces>) -> Option<bool> {
    if keys.iter().any(|k| **k == *key) {
        return Some(true);
    }
    match places {
        Some(known) if !known.knows_key(key) => None,
        _ => Some(false),
    }
}

/// The value of an atom (a node that is not `and`/`or`/`not`) for a profile.
#[inline]
pub(crate) fn atom_value(node: &Node, p: &Profile, pools: Pools<'_>) -> Option<bool> {
    match *node {
        Node::Const(b) => Some(b),
        Node::Known(slot) => Some(p.get(slot).is_some()),
        Node::Bool { slot, want } => match p.get(slot)? {
            Val::Bool(b) => Some(*b == want),
            _ => None,
        },
        Node::Num { slot, cmp, rhs } => match p.get(slot)? {
            Val::Num(n) => Some(cmp.apply(*n, rhs)),
            _ => None,
        },
        Node::Threshold {
            slot,
            cmp,
            table,
            key,
        } => {
            let v = match p.get(slot) {
                Some(Val::Num(n)) => *n,
                _ => return None,
            };
            Some(cmp.apply(v, pools.threshold(table, key, p)?))
        }
        Node::Range { slot, min, max } => match p.get(slot)? {
            Val::Num(n) => Some(min <= *n && *n <= max),
            _ => None,
        },
        Node::NumIn { slot, start, len } => match p.get(slot)? {
            Val::Num(n) => Some(
                pools
                    .nums
                    .get(start as usize..(start as usize + len as usize))
                    .unwrap_or_default()
                    .contains(n),
            ),
            _ => None,
        },
        Node::Sym { slot, mask, negate } => match p.get(slot)? {
            Val::Sym(s) => Some(((mask >> s) & 1 == 1) != negate),
            _ => None,
        },
        Node::Str {
            slot,
            start,
            len,
            negate,
            place: false,
        } => match p.get(slot)? {
            Val::Str(s) => Some(pools.strs(start, len).iter().any(|x| **x == **s) != negate),
            _ => None,
        },
        Node::Str {
            slot,
            start,
            len,
            negate,
            place: true,
        } => match p.get(slot)? {
            Val::Str(s) => place_value(s, pools.strs(start + len, len), pools.places)
                .map(|same| same != negate),
            _ => None,
        },
        Node::SetAny { slot, mask } => match p.get(slot)? {
            Val::Set(s) => Some(s & mask != 0),
            _ => None,
        },
        Node::SetAll { slot, mask } => match p.get(slot)? {
            Val::Set(s) => Some(s & mask == mask),
            _ => None,
        },
        Node::StrsAny { slot, start, len } => match p.get(slot)? {
            Val::Strs(items) => Some(
                pools
                    .strs(start, len)
                    .iter()
                    .any(|x| items.iter().any(|i| **i == **x)),
            ),
            _ => None,
        },
        Node::StrsAll { slot, start, len } => match p.get(slot)? {
            Val::Strs(items) => Some(
                pools
                    .strs(start, len)
                    .iter()
                    .all(|x| items.iter().any(|i| **i == **x)),
            ),
            _ => None,
        },
        Node::And { .. } | Node::Or { .. } | Node::Not(_) => None,
    }
}

/// Advances `id` past the nodes of `rule`.
fn skip(rule: &Rule, id: &mut u32) {
    match rule {
        Rule::Not { rule } => {
            *id += 1;
            skip(rule, id);
        }
        Rule::And { rules } | Rule::Or { rules } => {
            for r in rules {
                *id += 1;
                skip(r, id);
            }
        }
        _ => {}
    }
}

thread_local! {
    static EMPTY_PROFILE: Profile = super::catalog::FactCatalog::new().profile();
}

/// Evaluates every rule for every profile: `result[p][r]` is the verdict of `rules[r]` for
/// `profiles[p]`.
///
/// # Examples
/// ```
/// use passerelle::rules::{evaluate_batch, FactCatalog, Tables, Verdict};
/// let c = FactCatalog::standard();
/// let rules = [c.compile("age >= 65", &Tables::new()).unwrap(), c.compile("disability", &Tables::new()).unwrap()];
/// let mut p = c.profile();
/// p.set("age", 70.into()).unwrap();
/// assert_eq!(evaluate_batch(&rules, &[p]), vec![vec![Verdict::Eligible, Verdict::Unknown]]);
/// ```
pub fn evaluate_batch(rules: &[CompiledRule], profiles: &[Profile]) -> Vec<Vec<Verdict>> {
    profiles
        .iter()
        .map(|p| rules.iter().map(|r| r.evaluate(p)).collect())
        .collect()
}
