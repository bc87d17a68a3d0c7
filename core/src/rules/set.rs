//! Many rules against one profile: a [`RuleSet`] packs compiled rules into one flat
//! program over shared, hash-consed atoms, memoised per profile.

use std::cell::RefCell;
use std::collections::HashMap;

use super::catalog::Profile;
use super::compile::{CompiledRule, Key, Node, TableRef};
use super::eval::{atom_value, Force, Pools, Verdict};
use super::explain::{Condition, MissingFact, Outcome, Question};

/// Kleene values as bytes ordered `false < unknown < true`: `and` is `min`, `or` is `max`,
/// `not` is `2 - v`.
const F: u8 = 0;
const U: u8 = 1;
const T: u8 = 2;
const NO_COND: u32 = u32::MAX;

#[inline]
fn byte(v: Option<bool>) -> u8 {
    match v {
        Some(false) => F,
        None => U,
        Some(true) => T,
    }
}

/// One distinct condition of a set: an atom, or an `and`/`or`/`not` of conditions with
/// lower ids (so that evaluating in id order sees children first).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cond {
    Atom { node: Node, stamp: u32 },
    And { start: u32, len: u32 },
    Or { start: u32, len: u32 },
    Not(u32),
}

/// Structural identity of an atom, for hash-consing: numbers by bits, lists by content.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct AtomKey {
    stamp: u32,
    words: Vec<u64>,
    strs: Vec<Box<str>>,
    table: Option<(String, Vec<(u64, u64)>)>,
}

/// Many compiled rules evaluated together against one profile at a time.
///
/// Built once from [`CompiledRule`]s, a set checks catalogue compatibility once per profile
/// rather than once per rule, shares identical conditions across rules (e.g. the same
/// `household_income <= threshold("lim_on", household_size)` in two hundred programs is
/// computed once per profile) and runs all rules as one flat program with short-circuit
/// jumps. Verdicts and explanations are exactly those of [`CompiledRule::evaluate`] and
/// [`CompiledRule::explain`] for each rule.
///
/// [`RuleSet::evaluate_into`] does not allocate once `out` has room for [`RuleSet::len`]
/// verdicts (a per-thread scratch of one byte per distinct condition is kept between calls).
///
/// # Examples
/// ```
/// use passerelle::rules::{FactCatalog, RuleSet, Tables, Verdict};
/// let c = FactCatalog::standard();
/// let t = Tables::new();
/// let set = RuleSet::new(["age >= 65", "age >= 65 and disability", "age < 65 or disability"]
///     .iter()
///     .map(|r| c.compile(r, &t).unwrap()));
/// assert_eq!(set.conditions(), 4); // `age >= 65` and `disability` are shared
/// let mut p = c.profile();
/// p.set("age", 70.into()).unwrap();
/// let mut out = Vec::new();
/// set.evaluate_into(&p, &mut out);
/// assert_eq!(out, [Verdict::Eligible, Verdict::Unknown, Verdict::Unknown]);
/// ```
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<CompiledRule>,
    /// Distinct catalogue stamps of the rules.
    stamps: Vec<(usize, u64)>,
    /// Distinct conditions; atoms index the set's pools.
    conds: Vec<Cond>,
    cond_kids: Vec<u32>,
    nums: Vec<f64>,
    strs: Vec<Box<str>>,
    tables: Vec<TableRef>,
    /// `users[users_at[c]..users_at[c + 1]]`: the rules of which condition `c` is a
    /// top-level conjunct (the root itself when the root is not an `and`).
    users: Vec<u32>,
    users_at: Vec<u32>,
    /// `node_cond[node_base[r] + id]`: the condition of node `id` of rule `r`.
    node_cond: Vec<u32>,
    node_base: Vec<u32>,
    /// `conj[conj_at[r]..conj_at[r + 1]]`: for a rule whose root is an `and`, each conjunct
    /// as (node id, condition, is an atom), to explain without walking the tree.
    conj: Vec<(u32, u32, bool)>,
    conj_at: Vec<u32>,
}

#[derive(Default)]
struct Scratch {
    cache: Vec<u8>,
    fits: Vec<bool>,
    unknown: Vec<u32>,
    failed: Vec<u32>,
    slots: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    static EMPTY: Profile = super::catalog::FactCatalog::new().profile();
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Hash-consing state while building a set.
#[derive(Default)]
struct Builder {
    atoms: HashMap<AtomKey, u32>,
    nums: HashMap<Vec<u64>, (u32, u32)>,
    strs: HashMap<Vec<Box<str>>, (u32, u32)>,
    tables: HashMap<(String, Vec<(u64, u64)>), u32>,
}

impl RuleSet {
    /// Packs `rules` (in order: verdict `i` is the verdict of rule `i`).
    pub fn new(rules: impl IntoIterator<Item = CompiledRule>) -> Self {
        let mut set = RuleSet {
            rules: rules.into_iter().collect(),
            stamps: Vec::new(),
            conds: Vec::new(),
            cond_kids: Vec::new(),
            nums: Vec::new(),
            strs: Vec::new(),
            tables: Vec::new(),
            users: Vec::new(),
            users_at: Vec::new(),
            node_cond: Vec::new(),
            node_base: Vec::new(),
            conj: Vec::new(),
            conj_at: Vec::new(),
        };
        let mut b = Builder::default();
        let rules = std::mem::take(&mut set.rules);
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            let stamp = match set.stamps.iter().position(|s| *s == rule.stamp) {
                Some(i) => len32(i),
                None => {
                    set.stamps.push(rule.stamp);
                    len32(set.stamps.len() - 1)
                }
            };
            let base = len32(set.node_cond.len());
            set.node_base.push(base);
            set.node_cond
                .extend(std::iter::repeat_n(NO_COND, rule.nodes.len()));
            let root = set.intern_node(&mut b, rule, base, 0, stamp);
            // (`root` is `NO_COND` for an `and`: its conjuncts are listed instead.)
            set.conj_at.push(len32(set.conj.len()));
            match rule.nodes.first() {
                Some(Node::And { start, len }) => {
                    for k in rule.kid_ids(*start, *len) {
                        let c = set.cond_of(base, *k);
                        pairs.push((c, len32(r)));
                        let atom = !matches!(
                            rule.nodes.get(*k as usize),
                            Some(Node::And { .. } | Node::Or { .. } | Node::Not(_))
                        );
                        set.conj.push((*k, c, atom));
                    }
                }
                _ => pairs.push((root, len32(r))),
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut at = 0usize;
        for c in 0..set.conds.len() {
            set.users_at.push(len32(set.users.len()));
            while let Some(&(pc, r)) = pairs.get(at) {
                if pc as usize != c {
                    break;
                }
                set.users.push(r);
                at += 1;
            }
        }
        set.users_at.push(len32(set.users.len()));
        set.conj_at.push(len32(set.conj.len()));
        set.rules = rules;
        set
    }

    /// The rules, in the order given.
    pub fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the set has no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The number of distinct conditions (atoms, and `and`/`or`/`not` sub-expressions)
    /// across all rules, each computed once per profile.
    pub fn conditions(&self) -> usize {
        self.conds.len()
    }

    fn intern(&mut self, b: &mut Builder, rule: &CompiledRule, node: &Node, stamp: u32) -> u32 {
        let mut key = AtomKey {
            stamp,
            words: Vec::new(),
            strs: Vec::new(),
            table: None,
        };
        let mut out = *node;
        let src = rule.pools();
        let nums_of = |start: u32, len: u32| -> Vec<u64> {
            src.nums
                .get(start as usize..(start + len) as usize)
                .unwrap_or_default()
                .iter()
                .map(|n| n.to_bits())
                .collect()
        };
        match node {
            Node::Const(v) => key.words.extend([0, u64::from(*v)]),
            Node::Known(s) => key.words.extend([1, u64::from(*s)]),
            Node::Bool { slot, want } => key.words.extend([2, u64::from(*slot), u64::from(*want)]),
            Node::Num { slot, cmp, rhs } => {
                key.words
                    .extend([3, u64::from(*slot), *cmp as u64, rhs.to_bits()]);
            }
            Node::Threshold {
                slot,
                cmp,
                table,
                key: k,
            } => {
                let (kt, kv) = match k {
                    Key::Slot(s) => (0, u64::from(*s)),
                    Key::Num(n) => (1, n.to_bits()),
                };
                key.words.extend([4, u64::from(*slot), *cmp as u64, kt, kv]);
                let t = src.tables.get(*table as usize);
                let tkey = (
                    t.map(|t| t.name.clone()).unwrap_or_default(),
                    t.map(|t| {
                        t.rows
                            .iter()
                            .map(|(a, b)| (a.to_bits(), b.to_bits()))
                            .collect()
                    })
                    .unwrap_or_default(),
                );
                key.table = Some(tkey.clone());
                let next = len32(self.tables.len());
                let id = *b.tables.entry(tkey).or_insert(next);
                if id == next {
                    self.tables.push(t.cloned().unwrap_or(TableRef {
                        name: String::new(),
                        rows: Box::new([]),
                    }));
                }
                if let Node::Threshold { table, .. } = &mut out {
                    *table = id;
                }
            }
            Node::Range { slot, min, max } => {
                key.words
                    .extend([5, u64::from(*slot), min.to_bits(), max.to_bits()]);
            }
            Node::NumIn { slot, start, len } => {
                let list = nums_of(*start, *len);
                key.words.extend([6, u64::from(*slot)]);
                key.words.extend(list.iter().copied());
                let next = (len32(self.nums.len()), *len);
                let at = *b.nums.entry(list.clone()).or_insert(next);
                if at == next {
                    self.nums.extend(list.iter().map(|w| f64::from_bits(*w)));
                }
                if let Node::NumIn { start, .. } = &mut out {
                    *start = at.0;
                }
            }
            Node::Sym { slot, mask, negate } => {
                key.words
                    .extend([7, u64::from(*slot), *mask, u64::from(*negate)]);
            }
            Node::SetAny { slot, mask } => key.words.extend([8, u64::from(*slot), *mask]),
            Node::SetAll { slot, mask } => key.words.extend([9, u64::from(*slot), *mask]),
            Node::Str {
                slot, start, len, ..
            }
            | Node::StrsAny { slot, start, len }
            | Node::StrsAll { slot, start, len } => {
                let (tag, neg, width) = match node {
                    Node::Str {
                        negate,
                        place: false,
                        ..
                    } => (10, u64::from(*negate), *len),
                    // A place comparison's values are followed by their place keys.
                    Node::Str { negate, .. } => (13, u64::from(*negate), *len * 2),
                    Node::StrsAny { .. } => (11, 0, *len),
                    _ => (12, 0, *len),
                };
                key.words.extend([tag, u64::from(*slot), neg]);
                let list: Vec<Box<str>> = src.strs(*start, width).to_vec();
                key.strs.clone_from(&list);
                let next = (len32(self.strs.len()), width);
                let at = *b.strs.entry(list.clone()).or_insert(next);
                if at == next {
                    self.strs.extend(list);
                }
                match &mut out {
                    Node::Str { start, .. }
                    | Node::StrsAny { start, .. }
                    | Node::StrsAll { start, .. } => *start = at.0,
                    _ => {}
                }
            }
            Node::And { .. } | Node::Or { .. } | Node::Not(_) => {}
        }
        self.cond(b, key, Cond::Atom { node: out, stamp })
    }

    /// Interns a condition by its structural key.
    fn cond(&mut self, b: &mut Builder, key: AtomKey, cond: Cond) -> u32 {
        let next = len32(self.conds.len());
        let id = *b.atoms.entry(key).or_insert(next);
        if id == next {
            self.conds.push(cond);
        }
        id
    }

    /// Interns node `id` of `rule` and its sub-trees; records each node's condition.
    fn intern_node(
        &mut self,
        b: &mut Builder,
        rule: &CompiledRule,
        base: u32,
        id: u32,
        stamp: u32,
    ) -> u32 {
        let Some(node) = rule.nodes.get(id as usize) else {
            return NO_COND;
        };
        let c = match *node {
            Node::And { start, len } if id == 0 => {
                // A root `and` is never a condition of its own: its conjuncts are.
                for k in rule.kid_ids(start, len) {
                    self.intern_node(b, rule, base, *k, stamp);
                }
                NO_COND
            }
            Node::And { start, len } | Node::Or { start, len } => {
                let kids: Vec<u32> = rule
                    .kid_ids(start, len)
                    .iter()
                    .map(|k| self.intern_node(b, rule, base, *k, stamp))
                    .collect();
                let and = matches!(node, Node::And { .. });
                let mut words = vec![if and { 100 } else { 101 }];
                words.extend(kids.iter().map(|k| u64::from(*k)));
                let key = AtomKey {
                    stamp: 0,
                    words,
                    strs: Vec::new(),
                    table: None,
                };
                let start = len32(self.cond_kids.len());
                let cond = if and {
                    Cond::And { start, len }
                } else {
                    Cond::Or { start, len }
                };
                let before = self.conds.len();
                let c = self.cond(b, key, cond);
                if self.conds.len() > before {
                    self.cond_kids.extend(kids);
                }
                c
            }
            Node::Not(k) => {
                let kid = self.intern_node(b, rule, base, k, stamp);
                let key = AtomKey {
                    stamp: 0,
                    words: vec![102, u64::from(kid)],
                    strs: Vec::new(),
                    table: None,
                };
                self.cond(b, key, Cond::Not(kid))
            }
            _ => self.intern(b, rule, node, stamp),
        };
        if let Some(slot) = self.node_cond.get_mut((base + id) as usize) {
            *slot = c;
        }
        c
    }

    fn cond_of(&self, base: u32, id: u32) -> u32 {
        self.node_cond
            .get((base + id) as usize)
            .copied()
            .unwrap_or(NO_COND)
    }

    fn pools(&self) -> Pools<'_> {
        Pools {
            nums: &self.nums,
            strs: &self.strs,
            tables: &self.tables,
            places: None,
        }
    }

    /// The conjuncts of rule `r` if its root is an `and` (else empty).
    fn conjuncts(&self, r: usize) -> &[(u32, u32, bool)] {
        let a = self.conj_at.get(r).copied().unwrap_or(0) as usize;
        let b = self.conj_at.get(r + 1).copied().unwrap_or(0) as usize;
        self.conj.get(a..b).unwrap_or_default()
    }

    fn users(&self, c: u32) -> &[u32] {
        let a = self.users_at.get(c as usize).copied().unwrap_or(0) as usize;
        let b = self.users_at.get(c as usize + 1).copied().unwrap_or(0) as usize;
        self.users.get(a..b).unwrap_or_default()
    }

    /// Evaluates every rule for `profile` into `out` (cleared first): `out[i]` is
    /// `rules()[i].evaluate(profile)`. Does not allocate once `out` has room for
    /// [`RuleSet::len`] verdicts.
    pub fn evaluate_into(&self, profile: &Profile, out: &mut Vec<Verdict>) {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            self.run(profile, &mut s, out);
        });
    }

    /// Evaluates every rule for `profile`. See [`RuleSet::evaluate_into`].
    pub fn evaluate(&self, profile: &Profile) -> Vec<Verdict> {
        let mut out = Vec::with_capacity(self.len());
        self.evaluate_into(profile, &mut out);
        out
    }

    /// Every condition once, children first; then each rule is the Kleene `and` of its
    /// top-level conjuncts: false if one is false, else unknown if one is unknown.
    fn run(&self, p: &Profile, s: &mut Scratch, out: &mut Vec<Verdict>) {
        s.fits.clear();
        s.fits
            .extend(self.stamps.iter().map(|st| p.catalog().extends(*st)));
        s.cache.clear();
        s.unknown.clear();
        s.failed.clear();
        let pools = self.pools();
        EMPTY.with(|empty| {
            for (c, cond) in self.conds.iter().enumerate() {
                let v = match *cond {
                    Cond::Atom { node, stamp } => {
                        let fit = s.fits.get(stamp as usize).copied().unwrap_or(false);
                        byte(atom_value(&node, if fit { p } else { empty }, pools))
                    }
                    Cond::And { start, len } => {
                        self.kid_values(start, len, &s.cache).fold(T, u8::min)
                    }
                    Cond::Or { start, len } => {
                        self.kid_values(start, len, &s.cache).fold(F, u8::max)
                    }
                    Cond::Not(k) => T - s.cache.get(k as usize).copied().unwrap_or(U),
                };
                s.cache.push(v);
                if v != T && self.users_at.get(c) != self.users_at.get(c + 1) {
                    if v == F {
                        s.failed.push(len32(c));
                    } else {
                        s.unknown.push(len32(c));
                    }
                }
            }
        });
        out.clear();
        out.resize(self.rules.len(), Verdict::Eligible);
        for (list, v) in [
            (&s.unknown, Verdict::Unknown),
            (&s.failed, Verdict::Ineligible),
        ] {
            for &c in list {
                for &r in self.users(c) {
                    if let Some(o) = out.get_mut(r as usize) {
                        *o = v;
                    }
                }
            }
        }
    }

    #[inline]
    fn kid_values<'a>(
        &'a self,
        start: u32,
        len: u32,
        cache: &'a [u8],
    ) -> impl Iterator<Item = u8> + 'a {
        self.cond_kids
            .get(start as usize..(start as usize + len as usize))
            .unwrap_or_default()
            .iter()
            .map(move |k| cache.get(*k as usize).copied().unwrap_or(U))
    }
}

/// The explanations of every rule of a [`RuleSet`] for one profile, written by
/// [`RuleSet::explain_into`]. Conditions and missing facts of all rules share two buffers,
/// which are reused from one profile to the next: keep one `Explanations` per thread and
/// explaining allocates only when a profile needs more room than any before (and for the
/// threshold of a condition, nothing: sentences are built only when asked for).
///
/// # Examples
/// ```
/// use passerelle::rules::{Explanations, FactCatalog, RuleSet, Tables, Verdict};
/// let c = FactCatalog::standard();
/// let t = Tables::new();
/// let set = RuleSet::new(["age >= 65", "age >= 18 and disability"]
///     .iter()
///     .map(|r| c.compile(r, &t).unwrap()));
/// let mut p = c.profile();
/// p.set("age", 40.into()).unwrap();
/// let mut ex = Explanations::new();
/// set.explain_into(&p, &mut ex);
/// assert_eq!(ex.verdicts(), [Verdict::Ineligible, Verdict::Unknown]);
/// assert_eq!(ex.conditions(0)[0].en(), "minimum age is 65");
/// assert_eq!(ex.missing(1)[0].fact(), "disability");
/// assert_eq!(ex.next_questions()[0].fact, "disability");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Explanations<'r> {
    verdicts: Vec<Verdict>,
    conds: Vec<Condition<'r>>,
    missing: Vec<MissingFact<'r>>,
    /// Per rule: end of its conditions, end of its missing facts.
    ends: Vec<(u32, u32)>,
}

impl<'r> Explanations<'r> {
    /// Empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of rules explained.
    pub fn len(&self) -> usize {
        self.verdicts.len()
    }

    /// Whether no rule was explained.
    pub fn is_empty(&self) -> bool {
        self.verdicts.is_empty()
    }

    /// The verdicts, one per rule.
    pub fn verdicts(&self) -> &[Verdict] {
        &self.verdicts
    }

    fn range(&self, i: usize) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
        let (c0, m0) = match i.checked_sub(1) {
            Some(j) => self.ends.get(j).copied().unwrap_or((0, 0)),
            None => (0, 0),
        };
        let (c1, m1) = self.ends.get(i).copied().unwrap_or((c0, m0));
        (c0 as usize..c1 as usize, m0 as usize..m1 as usize)
    }

    /// Rule `i`'s failed conditions if it is ineligible, its open conditions if unknown
    /// (empty if eligible), in rule order.
    pub fn conditions(&self, i: usize) -> &[Condition<'r>] {
        self.conds.get(self.range(i).0).unwrap_or_default()
    }

    /// Rule `i`'s missing facts (if unknown), in catalogue order.
    pub fn missing(&self, i: usize) -> &[MissingFact<'r>] {
        self.missing.get(self.range(i).1).unwrap_or_default()
    }

    /// Rule `i`'s explanation as an [`Outcome`] (copied out of the shared buffers), equal
    /// to `rules()[i].explain(profile)`.
    pub fn outcome(&self, i: usize) -> Option<Outcome<'r>> {
        Some(match self.verdicts.get(i)? {
            Verdict::Eligible => Outcome::Eligible,
            Verdict::Ineligible => Outcome::Ineligible {
                failed: self.conditions(i).to_vec(),
            },
            Verdict::Unknown => Outcome::Unknown {
                missing: self.missing(i).to_vec(),
                open: self.conditions(i).to_vec(),
            },
        })
    }

    /// The questions that would settle the most unknown rules, as [`next_questions`]
    /// over these outcomes.
    ///
    /// [`next_questions`]: super::next_questions
    pub fn next_questions(&self) -> Vec<Question> {
        super::explain::rank_questions(
            (0..self.len())
                .filter(|i| self.verdicts.get(*i) == Some(&Verdict::Unknown))
                .map(|i| self.missing(i)),
        )
    }

    fn clear(&mut self) {
        self.verdicts.clear();
        self.conds.clear();
        self.missing.clear();
        self.ends.clear();
    }

    fn close_rule(&mut self) {
        self.ends
            .push((len32(self.conds.len()), len32(self.missing.len())));
    }
}

/// One rule of a set being explained against a fitting profile.
struct Walk<'s, 'p> {
    set: &'s RuleSet,
    rule: &'s CompiledRule,
    base: u32,
    p: &'p Profile,
}

impl<'s> Walk<'s, '_> {
    /// The value of node `id`, from the per-profile cache (or with a fact forced).
    #[inline]
    fn value(&self, id: u32, cache: &[u8], force: Option<Force>) -> u8 {
        let cached = || {
            cache
                .get(self.set.cond_of(self.base, id) as usize)
                .copied()
                .unwrap_or(U)
        };
        let Some(f) = force else {
            return cached();
        };
        let Some(node) = self.rule.nodes.get(id as usize) else {
            return U;
        };
        match *node {
            Node::And { start, len } => {
                let mut acc = T;
                for &k in self.rule.kid_ids(start, len) {
                    acc = acc.min(self.value(k, cache, force));
                    if acc == F {
                        break;
                    }
                }
                acc
            }
            Node::Or { start, len } => {
                let mut acc = F;
                for &k in self.rule.kid_ids(start, len) {
                    acc = acc.max(self.value(k, cache, force));
                    if acc == T {
                        break;
                    }
                }
                acc
            }
            Node::Not(k) => T - self.value(k, cache, force),
            _ => {
                let (a, b) = node.slots();
                if a == Some(f.slot) || b == Some(f.slot) {
                    let other = if a == Some(f.slot) { b } else { a };
                    return match other {
                        Some(o) if self.p.get(o).is_none() => U,
                        _ => byte(Some(f.value)),
                    };
                }
                cached()
            }
        }
    }

    fn collect(
        &self,
        id: u32,
        want: bool,
        negated: bool,
        cache: &[u8],
        out: &mut Vec<Condition<'s>>,
    ) {
        let Some(node) = self.rule.nodes.get(id as usize) else {
            return;
        };
        match *node {
            Node::And { start, len } | Node::Or { start, len } => {
                let every = matches!(node, Node::And { .. }) == want;
                let target = byte(Some(want));
                for &k in self.rule.kid_ids(start, len) {
                    if every || self.value(k, cache, None) == target {
                        match self.rule.nodes.get(k as usize) {
                            Some(Node::And { .. } | Node::Or { .. } | Node::Not(_)) => {
                                self.collect(k, want, negated, cache, out);
                            }
                            // An atom: no need to recurse.
                            _ => out.push(self.rule.condition(k, self.p, negated)),
                        }
                    }
                }
            }
            Node::Not(k) => self.collect(k, !want, !negated, cache, out),
            _ => out.push(self.rule.condition(id, self.p, negated)),
        }
    }

    fn collect_open(&self, id: u32, negated: bool, cache: &[u8], out: &mut Vec<Condition<'s>>) {
        let Some(node) = self.rule.nodes.get(id as usize) else {
            return;
        };
        match *node {
            Node::And { start, len } | Node::Or { start, len } => {
                for &k in self.rule.kid_ids(start, len) {
                    if self.value(k, cache, None) == U {
                        match self.rule.nodes.get(k as usize) {
                            Some(Node::And { .. } | Node::Or { .. } | Node::Not(_)) => {
                                self.collect_open(k, negated, cache, out);
                            }
                            _ => out.push(self.rule.condition(k, self.p, negated)),
                        }
                    }
                }
            }
            Node::Not(k) => self.collect_open(k, !negated, cache, out),
            _ => out.push(self.rule.condition(id, self.p, negated)),
        }
    }
}

impl RuleSet {
    /// Explains every rule for `profile` into `out` (cleared first): rule `i`'s verdict,
    /// conditions and missing facts equal `rules()[i].explain(profile)`. Shared conditions
    /// are computed once; buffers are reused (see [`Explanations`]).
    pub fn explain_into<'s>(&'s self, profile: &Profile, out: &mut Explanations<'s>) {
        out.clear();
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            self.run(profile, s, &mut out.verdicts);
            let mut slots = std::mem::take(&mut s.slots);
            for (r, rule) in self.rules.iter().enumerate() {
                let v = out.verdicts.get(r).copied().unwrap_or(Verdict::Unknown);
                if v == Verdict::Eligible {
                    out.close_rule();
                    continue;
                }
                if !rule.fits(profile) {
                    match rule.explain(profile) {
                        Outcome::Ineligible { failed } => out.conds.extend(failed),
                        Outcome::Unknown { missing, open } => {
                            out.conds.extend(open);
                            out.missing.extend(missing);
                        }
                        _ => {}
                    }
                    out.close_rule();
                    continue;
                }
                let walk = Walk {
                    set: self,
                    rule,
                    base: self.node_base.get(r).copied().unwrap_or(0),
                    p: profile,
                };
                let first = out.conds.len();
                let conj = self.conjuncts(r);
                let want = if v == Verdict::Ineligible { F } else { U };
                if conj.is_empty() {
                    if v == Verdict::Ineligible {
                        walk.collect(0, false, false, &s.cache, &mut out.conds);
                    } else {
                        walk.collect_open(0, false, &s.cache, &mut out.conds);
                    }
                } else {
                    // Root `and`: the conjuncts with the rule's value, as `collect` would.
                    for &(k, c, atom) in conj {
                        if s.cache.get(c as usize) != Some(&want) {
                            continue;
                        }
                        if atom {
                            out.conds.push(rule.condition(k, profile, false));
                        } else if want == F {
                            walk.collect(k, false, false, &s.cache, &mut out.conds);
                        } else {
                            walk.collect_open(k, false, &s.cache, &mut out.conds);
                        }
                    }
                }
                if v == Verdict::Unknown {
                    slots.clear();
                    for c in out.conds.get(first..).unwrap_or_default() {
                        if let Some(node) = rule.nodes.get(c.node() as usize) {
                            let (a, b) = node.slots();
                            slots.extend(
                                a.into_iter().chain(b).filter(|s| profile.get(*s).is_none()),
                            );
                        }
                    }
                    slots.sort_unstable();
                    slots.dedup();
                    for &slot in &slots {
                        let settles = [true, false]
                            .into_iter()
                            .any(|value| walk.value(0, &s.cache, Some(Force { slot, value })) != U);
                        if let Some(def) = rule.catalog.def(slot) {
                            out.missing.push(MissingFact::new(def, settles));
                        }
                    }
                }
                out.close_rule();
            }
            s.slots = slots;
        });
    }
}
