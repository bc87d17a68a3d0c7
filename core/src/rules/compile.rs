//! Compilation: names resolved to catalogue slots, types and allowed values checked, the
//! tree flattened into an index arena that evaluation walks without allocating.

use std::sync::Arc;

use super::ast::{Cmp, Literal, Operand, Rule, ThresholdKey};
use super::catalog::{parse_date, FactCatalog, FactDef, FactKind};
use super::error::{suggest, RuleError, RuleErrorKind, Span};
use super::infer::InferredCondition;
use super::parse::{parse, NodeSpan};
use super::places::{place_key, KnownPlaces};
use super::tables::Tables;

/// The key of a compiled threshold lookup.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Key {
    Slot(u32),
    Num(f64),
}

/// One node of the arena; node ids are the pre-order positions of the AST nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Node {
    Const(bool),
    And {
        start: u32,
        len: u32,
    },
    Or {
        start: u32,
        len: u32,
    },
    Not(u32),
    Known(u32),
    Bool {
        slot: u32,
        want: bool,
    },
    Num {
        slot: u32,
        cmp: Cmp,
        rhs: f64,
    },
    Threshold {
        slot: u32,
        cmp: Cmp,
        table: u32,
        key: Key,
    },
    Range {
        slot: u32,
        min: f64,
        max: f64,
    },
    NumIn {
        slot: u32,
        start: u32,
        len: u32,
    },
    Sym {
        slot: u32,
        mask: u64,
        negate: bool,
    },
    /// Text equals one of `len` values; for a place fact ([`FactDef::is_place`]) their
    /// place keys follow them in the pool (`2 * len` strings from `start`).
    Str {
        slot: u32,
        start: u32,
        len: u32,
        negate: bool,
        place: bool,
    },
    SetAny {
        slot: u32,
        mask: u64,
    },
    SetAll {
        slot: u32,
        mask: u64,
    },
    StrsAny {
        slot: u32,
        start: u32,
        len: u32,
    },
    StrsAll {
        slot: u32,
        start: u32,
        len: u32,
    },
}

impl Node {
    /// The fact slots an atom reads (primary, threshold key).
    pub(crate) fn slots(&self) -> (Option<u32>, Option<u32>) {
        match *self {
            Node::Const(_) | Node::And { .. } | Node::Or { .. } | Node::Not(_) => (None, None),
            Node::Threshold { slot, key, .. } => (
                Some(slot),
                match key {
                    Key::Slot(k) => Some(k),
                    Key::Num(_) => None,
                },
            ),
            Node::Known(slot)
            | Node::Bool { slot, .. }
            | Node::Num { slot, .. }
            | Node::Range { slot, .. }
            | Node::NumIn { slot, .. }
            | Node::Sym { slot, .. }
            | Node::Str { slot, .. }
            | Node::SetAny { slot, .. }
            | Node::SetAll { slot, .. }
            | Node::StrsAny { slot, .. }
            | Node::StrsAll { slot, .. } => (Some(slot), None),
        }
    }
}

/// A lookup table copied into the rule at compile time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableRef {
    pub name: String,
    pub rows: Box<[(f64, f64)]>,
}

/// A rule checked against a [`FactCatalog`] and ready to evaluate many profiles.
///
/// Evaluation ([`CompiledRule::evaluate`]) walks a flat arena of nodes with fact slots
/// resolved and lookup tables copied in; it does not allocate.
///
/// # Examples
/// ```
/// use passerelle::rules::{FactCatalog, Tables, Verdict};
/// let catalog = FactCatalog::standard();
/// let tables = Tables::from_rows(&[("lim_on", 1.0, 30000.0), ("lim_on", 2.0, 42000.0)]).unwrap();
/// let rule = catalog
///     .compile(r#"household_income <= threshold("lim_on", household_size)"#, &tables)
///     .unwrap();
/// let mut p = catalog.profile();
/// p.set("household_size", 2.into()).unwrap();
/// assert_eq!(rule.evaluate(&p), Verdict::Unknown);
/// assert_eq!(rule.partial(&p).to_string(), "household_income <= 42000");
/// p.set("household_income", 41000.into()).unwrap();
/// assert_eq!(rule.evaluate(&p), Verdict::Eligible);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledRule {
    pub(crate) source: String,
    pub(crate) ast: Rule,
    pub(crate) catalog: FactCatalog,
    pub(crate) stamp: (usize, u64),
    pub(crate) nodes: Vec<Node>,
    pub(crate) kids: Vec<u32>,
    pub(crate) spans: Vec<NodeSpan>,
    pub(crate) nums: Vec<f64>,
    pub(crate) strs: Vec<Box<str>>,
    pub(crate) tables: Vec<TableRef>,
    /// Conditions read from listing text, by fact (explanations quote them).
    pub(crate) inferred: Vec<InferredCondition>,
    /// The places a directory names: a resident's place matching none of a condition's
    /// places fails it only when it is one of these (unknown otherwise). `None`: every
    /// other place fails it.
    pub(crate) places: Option<Arc<KnownPlaces>>,
}

impl CompiledRule {
    /// Marks the conditions of this rule on the facts of `inferred` as read from listing
    /// text: their explanations add "to confirm: the listing says '…'". The rule itself is
    /// unchanged; conditions on other facts stay as written.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::{infer_conditions, FactCatalog, Outcome, Rule, Tables};
    /// let found = infer_conditions("Men ages 19-64");
    /// let rule = Rule::all(found.iter().map(|c| c.rule().clone()).collect());
    /// let rule = FactCatalog::standard()
    ///     .compile_rule(&rule, &Tables::new())
    ///     .unwrap()
    ///     .with_inferred(found);
    /// let mut p = rule.catalog().profile();
    /// p.set("age", 70.into()).unwrap();
    /// let Outcome::Ineligible { failed } = rule.explain(&p) else { panic!() };
    /// assert!(failed[0].en().ends_with("(to confirm: the listing says 'Men ages 19-64')"));
    /// assert_eq!(failed[0].inferred().unwrap().quote(), "Men ages 19-64");
    /// ```
    pub fn with_inferred(mut self, inferred: Vec<InferredCondition>) -> Self {
        self.inferred = inferred;
        self
    }

    /// Compares the rule's place facts against the places a directory names: a resident
    /// living in one of them other than the condition's place fails it, a place the
    /// directory does not name (a neighbourhood, a typo) leaves it unknown.
    pub(crate) fn with_known_places(mut self, places: Arc<KnownPlaces>) -> Self {
        self.places = Some(places);
        self
    }

    /// The conditions read from listing text (empty for a written rule).
    pub fn inferred(&self) -> &[InferredCondition] {
        &self.inferred
    }

    /// The rule text the spans of explanations refer to (for a rule compiled from an AST,
    /// its printed form).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The rule's AST.
    pub fn rule(&self) -> &Rule {
        &self.ast
    }

    /// The catalogue the rule was compiled against.
    pub fn catalog(&self) -> &FactCatalog {
        &self.catalog
    }

    /// Names of the facts the rule reads, in catalogue order, without duplicates.
    pub fn facts(&self) -> Vec<&str> {
        let mut slots: Vec<u32> = Vec::new();
        for n in &self.nodes {
            let (a, b) = n.slots();
            slots.extend(a);
            slots.extend(b);
        }
        slots.sort_unstable();
        slots.dedup();
        slots
            .into_iter()
            .filter_map(|s| self.catalog.def(s).map(FactDef::name))
            .collect()
    }
}

impl FactCatalog {
    /// Parses and compiles rule text against this catalogue and `tables`.
    ///
    /// # Errors
    /// [`RuleError::Invalid`] with line, column and caret excerpt for syntax errors, unknown
    /// facts (with a suggestion), unknown tables, type mismatches and values not allowed;
    /// [`RuleError::TooLong`] beyond 64 KiB.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::{FactCatalog, Tables};
    /// let err = FactCatalog::standard().compile("aeg >= 65", &Tables::new()).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "unknown fact \"aeg\" — did you mean \"age\"? at line 1, column 1\n  aeg >= 65\n  ^^^"
    /// );
    /// ```
    pub fn compile(&self, text: &str, tables: &Tables) -> Result<CompiledRule, RuleError> {
        let (ast, spans) = parse(text)?;
        Compiler::new(self, tables, text, spans).run(ast)
    }

    /// Compiles a rule given as AST. Positions in errors and explanations refer to its
    /// printed text ([`CompiledRule::source`]).
    ///
    /// # Errors
    /// As [`FactCatalog::compile`]; a rule nested beyond the limit fails with
    /// [`RuleError::Json`].
    pub fn compile_rule(&self, rule: &Rule, tables: &Tables) -> Result<CompiledRule, RuleError> {
        if rule.depth() > super::ast::MAX_DEPTH {
            return Err(RuleError::Json {
                reason: format!("rule nested deeper than {} levels", super::ast::MAX_DEPTH),
            });
        }
        self.compile(&rule.to_string(), tables)
    }
}

struct Compiler<'a> {
    catalog: &'a FactCatalog,
    tables_in: &'a Tables,
    src: &'a str,
    out: CompiledRule,
}

fn mismatch(def: &FactDef, reason: &'static str) -> RuleErrorKind {
    RuleErrorKind::TypeMismatch {
        fact: def.name().to_owned(),
        fact_type: def.kind().name(),
        reason,
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Compiler<'a> {
    fn new(
        catalog: &'a FactCatalog,
        tables: &'a Tables,
        src: &'a str,
        spans: Vec<NodeSpan>,
    ) -> Self {
        Self {
            catalog,
            tables_in: tables,
            src,
            out: CompiledRule {
                source: src.to_owned(),
                ast: Rule::Const { value: false },
                catalog: catalog.clone(),
                stamp: catalog.stamp(),
                nodes: Vec::with_capacity(spans.len()),
                kids: Vec::new(),
                spans,
                nums: Vec::new(),
                strs: Vec::new(),
                tables: Vec::new(),
                inferred: Vec::new(),
                places: None,
            },
        }
    }

    fn run(mut self, ast: Rule) -> Result<CompiledRule, RuleError> {
        self.node(&ast)?;
        self.out.ast = ast;
        Ok(self.out)
    }

    fn err(&self, span: Span, kind: RuleErrorKind) -> RuleError {
        RuleError::at(self.src, span, kind)
    }

    fn fact(&self, name: &str, span: Span) -> Result<(u32, &'a FactDef), RuleError> {
        self.catalog.slot(name).ok_or_else(|| {
            self.err(
                span,
                RuleErrorKind::UnknownFact {
                    name: name.to_owned(),
                    suggestion: self.catalog.suggest(name),
                },
            )
        })
    }

    fn symbol(&self, def: &FactDef, value: &str, span: Span) -> Result<u8, RuleError> {
        def.symbol(value).ok_or_else(|| {
            self.err(
                span,
                RuleErrorKind::NotAllowed {
                    fact: def.name().to_owned(),
                    value: value.to_owned(),
                    allowed: def.allowed().join(", "),
                },
            )
        })
    }

    fn push_strs<'s>(&mut self, values: impl Iterator<Item = &'s str>) -> (u32, u32) {
        let start = len32(self.out.strs.len());
        self.out.strs.extend(values.map(Box::from));
        (start, len32(self.out.strs.len()) - start)
    }

    /// The values of a text comparison, followed by their place keys for a place fact.
    fn push_texts(&mut self, def: &FactDef, values: &[&str]) -> (u32, u32) {
        let (start, len) = self.push_strs(values.iter().copied());
        if def.is_place() {
            self.out
                .strs
                .extend(values.iter().map(|v| Box::from(place_key(v))));
        }
        (start, len)
    }

    /// Compiles `rule` as node `id` (pre-order) and returns the id.
    fn node(&mut self, rule: &Rule) -> Result<u32, RuleError> {
        let id = len32(self.out.nodes.len());
        self.out.nodes.push(Node::Const(false));
        let span = self.out.spans.get(id as usize).copied().unwrap_or_default();
        let node = match rule {
            Rule::Const { value } => Node::Const(*value),
            Rule::Not { rule } => Node::Not(self.node(rule)?),
            Rule::And { rules } | Rule::Or { rules } => {
                let mut ids = Vec::with_capacity(rules.len());
                for r in rules {
                    ids.push(self.node(r)?);
                }
                let start = len32(self.out.kids.len());
                self.out.kids.extend(ids);
                let len = len32(rules.len());
                if matches!(rule, Rule::And { .. }) {
                    Node::And { start, len }
                } else {
                    Node::Or { start, len }
                }
            }
            Rule::Fact { fact } => {
                let (slot, def) = self.fact(fact, span.fact)?;
                if def.kind() != FactKind::Bool {
                    return Err(self.err(
                        span.fact,
                        mismatch(def, "only a bool fact can stand alone as a condition"),
                    ));
                }
                Node::Bool { slot, want: true }
            }
            Rule::Known { fact } => Node::Known(self.fact(fact, span.fact)?.0),
            Rule::Compare { fact, cmp, value } => self.compare(fact, *cmp, value, span)?,
            Rule::In { fact, values } => self.in_list(fact, values, span)?,
            Rule::Range { fact, min, max } => {
                let (slot, def) = self.fact(fact, span.fact)?;
                if def.kind() != FactKind::Number {
                    return Err(self.err(
                        span.fact,
                        mismatch(def, "a range `lo..hi` needs a number fact"),
                    ));
                }
                if min > max {
                    return Err(self.err(span.value, RuleErrorKind::EmptyRange));
                }
                Node::Range {
                    slot,
                    min: *min,
                    max: *max,
                }
            }
            Rule::HasAny { fact, values } | Rule::HasAll { fact, values } => {
                let all = matches!(rule, Rule::HasAll { .. });
                self.has(fact, values.iter().map(String::as_str), all, span)?
            }
            Rule::Has { document } => {
                let whole = NodeSpan {
                    fact: span.whole,
                    ..span
                };
                self.has(
                    "documents",
                    std::iter::once(document.as_str()),
                    false,
                    whole,
                )?
            }
        };
        if let Some(n) = self.out.nodes.get_mut(id as usize) {
            *n = node;
        }
        Ok(id)
    }

    fn compare(
        &mut self,
        fact: &str,
        cmp: Cmp,
        value: &Operand,
        span: NodeSpan,
    ) -> Result<Node, RuleError> {
        let (slot, def) = self.fact(fact, span.fact)?;
        let eq_only = matches!(cmp, Cmp::Eq | Cmp::Ne);
        let negate = cmp == Cmp::Ne;
        let lit = match value {
            Operand::Threshold { threshold } => {
                if def.kind() != FactKind::Number {
                    return Err(self.err(
                        span.fact,
                        mismatch(def, "only a number can be compared with a threshold"),
                    ));
                }
                let Some(rows) = self.tables_in.rows(&threshold.table) else {
                    return Err(self.err(
                        span.value,
                        RuleErrorKind::UnknownTable {
                            name: threshold.table.clone(),
                            suggestion: suggest(&threshold.table, self.tables_in.names()),
                        },
                    ));
                };
                let key = match &threshold.key {
                    ThresholdKey::Number(n) => Key::Num(*n),
                    ThresholdKey::Fact(k) => {
                        let (kslot, kdef) = self.fact(k, span.value)?;
                        if kdef.kind() != FactKind::Number {
                            return Err(self.err(
                                span.value,
                                mismatch(kdef, "a threshold key must be a number fact"),
                            ));
                        }
                        Key::Slot(kslot)
                    }
                };
                let table = match self
                    .out
                    .tables
                    .iter()
                    .position(|t| t.name == threshold.table)
                {
                    Some(i) => len32(i),
                    None => {
                        self.out.tables.push(TableRef {
                            name: threshold.table.clone(),
                            rows: rows.into(),
                        });
                        len32(self.out.tables.len() - 1)
                    }
                };
                return Ok(Node::Threshold {
                    slot,
                    cmp,
                    table,
                    key,
                });
            }
            Operand::Literal(l) => l,
        };
        let src = self.src;
        let bad = |reason| RuleError::at(src, span.value, mismatch(def, reason));
        Ok(match (def.kind(), lit) {
            (FactKind::Bool, Literal::Bool(b)) if eq_only => Node::Bool {
                slot,
                want: *b != negate,
            },
            (FactKind::Bool, _) => {
                return Err(bad(
                    "it can only be tested alone or with == / != true or false",
                ))
            }
            (FactKind::Number, Literal::Number(n)) => Node::Num { slot, cmp, rhs: *n },
            (FactKind::Number, _) => return Err(bad("it can only be compared with a number")),
            (FactKind::Date, Literal::Text(s)) => match parse_date(s) {
                Some(days) => Node::Num {
                    slot,
                    cmp,
                    rhs: days,
                },
                None => return Err(bad("it can only be compared with a date \"YYYY-MM-DD\"")),
            },
            (FactKind::Date, _) => {
                return Err(bad("it can only be compared with a date \"YYYY-MM-DD\""))
            }
            (FactKind::Enum, Literal::Text(s)) if eq_only => {
                let sym = self.symbol(def, s, span.value)?;
                Node::Sym {
                    slot,
                    mask: 1 << sym,
                    negate,
                }
            }
            (FactKind::Enum, _) => {
                return Err(bad(
                    "it can only be tested with ==, != or in, against its allowed values",
                ))
            }
            (FactKind::Text, Literal::Text(s)) if eq_only => {
                let (start, len) = self.push_texts(def, &[s.as_str()]);
                Node::Str {
                    slot,
                    start,
                    len,
                    negate,
                    place: def.is_place(),
                }
            }
            (FactKind::Text, _) => {
                return Err(bad("it can only be tested with ==, != or in, against text"))
            }
            (FactKind::List, _) => return Err(bad("use has_any or has_all to test a list")),
        })
    }

    fn in_list(
        &mut self,
        fact: &str,
        values: &[Literal],
        span: NodeSpan,
    ) -> Result<Node, RuleError> {
        let (slot, def) = self.fact(fact, span.fact)?;
        let src = self.src;
        let bad = |reason| RuleError::at(src, span.value, mismatch(def, reason));
        match def.kind() {
            FactKind::Number => {
                let start = len32(self.out.nums.len());
                for v in values {
                    match v {
                        Literal::Number(n) => self.out.nums.push(*n),
                        _ => return Err(bad("`in` needs a list of numbers")),
                    }
                }
                Ok(Node::NumIn {
                    slot,
                    start,
                    len: len32(values.len()),
                })
            }
            FactKind::Enum => {
                let mut mask = 0u64;
                for v in values {
                    match v {
                        Literal::Text(s) => mask |= 1 << self.symbol(def, s, span.value)?,
                        _ => return Err(bad("`in` needs a list of its allowed values")),
                    }
                }
                Ok(Node::Sym {
                    slot,
                    mask,
                    negate: false,
                })
            }
            FactKind::Text => {
                let mut texts = Vec::with_capacity(values.len());
                for v in values {
                    match v {
                        Literal::Text(s) => texts.push(s.as_str()),
                        _ => return Err(bad("`in` needs a list of text")),
                    }
                }
                let (start, len) = self.push_texts(def, &texts);
                Ok(Node::Str {
                    slot,
                    start,
                    len,
                    negate: false,
                    place: def.is_place(),
                })
            }
            FactKind::List => Err(bad("use has_any or has_all to test a list")),
            FactKind::Bool | FactKind::Date => Err(bad("`in` needs a number, enum or text fact")),
        }
    }

    fn has<'s>(
        &mut self,
        fact: &str,
        values: impl Iterator<Item = &'s str> + Clone,
        all: bool,
        span: NodeSpan,
    ) -> Result<Node, RuleError> {
        let (slot, def) = self.fact(fact, span.fact)?;
        if def.kind() != FactKind::List {
            return Err(self.err(
                span.fact,
                mismatch(def, "has_any / has_all / has() need a list fact"),
            ));
        }
        if def.allowed().is_empty() {
            let (start, len) = self.push_strs(values);
            return Ok(if all {
                Node::StrsAll { slot, start, len }
            } else {
                Node::StrsAny { slot, start, len }
            });
        }
        let mut mask = 0u64;
        for v in values {
            mask |= 1 << self.symbol(def, v, span.value)?;
        }
        Ok(if all {
            Node::SetAll { slot, mask }
        } else {
            Node::SetAny { slot, mask }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile_err(text: &str) -> String {
        let tables = Tables::from_rows(&[("lim_on", 1.0, 1.0)]).unwrap();
        FactCatalog::standard()
            .compile(text, &tables)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn type_errors_point_at_the_culprit() {
        assert_eq!(
            compile_err("age == \"x\""),
            "fact \"age\" is a number: it can only be compared with a number at line 1, column 8\n  age == \"x\"\n         ^^^"
        );
        assert!(compile_err("province in [\"XX\"]")
            .starts_with("\"XX\" is not an allowed value of \"province\""));
        assert!(compile_err("disability >= 3").contains("fact \"disability\" is a bool"));
        assert!(compile_err("benefits == \"ei\"").contains("has_any"));
        assert!(compile_err("age").contains("only a bool fact"));
        assert!(compile_err("age <= threshold(\"lim_om\", household_size)")
            .contains("unknown lookup table \"lim_om\" — did you mean \"lim_on\"?"));
        assert!(compile_err("age in 9..3").contains("range lower bound"));
        assert!(compile_err("has(\"passport\")").contains("not an allowed value of \"documents\""));
    }

    #[test]
    fn arena_is_pre_order() {
        let r = FactCatalog::standard()
            .compile("age >= 65 or (disability and age >= 18)", &Tables::new())
            .unwrap();
        assert_eq!(r.nodes.len(), r.spans.len());
        assert!(matches!(r.nodes[0], Node::Or { len: 2, .. }));
        assert!(matches!(r.nodes[2], Node::And { len: 2, .. }));
        assert_eq!(r.facts(), ["age", "disability"]);
    }
}
