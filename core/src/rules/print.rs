//! The printer: [`Rule`] → canonical rule text. `Rule::parse(&r.to_string())` gives `r` back
//! for every rule the parser can produce.

use std::fmt::{self, Display, Write};

use super::ast::{Literal, Operand, Rule, ThresholdKey, MAX_DEPTH};

impl Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Rules built in code can nest arbitrarily; refuse before recursing.
        if self.depth() > 4 * MAX_DEPTH {
            return f.write_str("<rule nested too deeply>");
        }
        write_rule(self, f)
    }
}

fn is_chain(r: &Rule) -> bool {
    matches!(r, Rule::And { .. } | Rule::Or { .. })
}

fn write_rule(rule: &Rule, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match rule {
        Rule::Const { value } => write!(f, "{value}"),
        Rule::Fact { fact } => f.write_str(fact),
        Rule::Known { fact } => write!(f, "known({fact})"),
        Rule::Not { rule } => {
            f.write_str("not ")?;
            write_child(rule, f)
        }
        Rule::And { rules } => write_chain(rules, " and ", "true", f),
        Rule::Or { rules } => write_chain(rules, " or ", "false", f),
        Rule::Compare { fact, cmp, value } => {
            write!(f, "{fact} {} ", cmp.symbol())?;
            match value {
                Operand::Literal(l) => write_literal(l, f),
                Operand::Threshold { threshold } => {
                    f.write_str("threshold(")?;
                    write_string(&threshold.table, f)?;
                    match &threshold.key {
                        ThresholdKey::Number(n) => write!(f, ", {n})"),
                        ThresholdKey::Fact(k) => write!(f, ", {k})"),
                    }
                }
            }
        }
        Rule::In { fact, values } => {
            write!(f, "{fact} in [")?;
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write_literal(v, f)?;
            }
            f.write_char(']')
        }
        Rule::Range { fact, min, max } => write!(f, "{fact} in {min}..{max}"),
        Rule::HasAny { fact, values } => write_strings(fact, "has_any", values, f),
        Rule::HasAll { fact, values } => write_strings(fact, "has_all", values, f),
        Rule::Has { document } => {
            f.write_str("has(")?;
            write_string(document, f)?;
            f.write_char(')')
        }
    }
}

fn write_child(rule: &Rule, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if is_chain(rule) {
        f.write_char('(')?;
        write_rule(rule, f)?;
        f.write_char(')')
    } else {
        write_rule(rule, f)
    }
}

fn write_chain(rules: &[Rule], sep: &str, empty: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match rules {
        [] => f.write_str(empty),
        [only] => write_rule(only, f),
        _ => {
            for (i, r) in rules.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                write_child(r, f)?;
            }
            Ok(())
        }
    }
}

fn write_strings(
    fact: &str,
    op: &str,
    values: &[String],
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    write!(f, "{fact} {op} [")?;
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_string(v, f)?;
    }
    f.write_char(']')
}

fn write_literal(l: &Literal, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match l {
        Literal::Bool(b) => write!(f, "{b}"),
        Literal::Number(n) => write!(f, "{n}"),
        Literal::Text(s) => write_string(s, f),
    }
}

fn write_string(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            c if c.is_control() => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::super::ast::Cmp;
    use super::*;
    use proptest::prelude::*;

    fn fact() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["age", "province", "x_1", "benefits", "disability"])
            .prop_map(str::to_owned)
    }

    fn text() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 _\"\\\\é\n]{0,8}"
    }

    fn number() -> impl Strategy<Value = f64> {
        (-100_000i64..100_000).prop_map(|n| n as f64 / 100.0)
    }

    fn literal() -> impl Strategy<Value = Literal> {
        prop_oneof![
            any::<bool>().prop_map(Literal::Bool),
            number().prop_map(Literal::Number),
            text().prop_map(Literal::Text),
        ]
    }

    fn cmp() -> impl Strategy<Value = Cmp> {
        prop::sample::select(vec![Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge])
    }

    fn leaf() -> impl Strategy<Value = Rule> {
        prop_oneof![
            any::<bool>().prop_map(|value| Rule::Const { value }),
            fact().prop_map(|fact| Rule::Fact { fact }),
            fact().prop_map(|fact| Rule::Known { fact }),
            (fact(), cmp(), literal()).prop_map(|(fact, cmp, l)| Rule::Compare {
                fact,
                cmp,
                value: Operand::Literal(l)
            }),
            (
                fact(),
                text(),
                prop_oneof![
                    number().prop_map(ThresholdKey::Number),
                    fact().prop_map(ThresholdKey::Fact)
                ]
            )
                .prop_map(|(fact, table, key)| Rule::Compare {
                    fact,
                    cmp: Cmp::Le,
                    value: Operand::Threshold {
                        threshold: super::super::ast::Threshold { table, key }
                    }
                }),
            (fact(), prop::collection::vec(literal(), 0..4))
                .prop_map(|(fact, values)| Rule::In { fact, values }),
            (fact(), number(), number()).prop_map(|(fact, min, max)| Rule::Range {
                fact,
                min,
                max
            }),
            (fact(), prop::collection::vec(text(), 0..4))
                .prop_map(|(fact, values)| Rule::HasAny { fact, values }),
            (fact(), prop::collection::vec(text(), 0..4))
                .prop_map(|(fact, values)| Rule::HasAll { fact, values }),
            text().prop_map(|document| Rule::Has { document }),
        ]
    }

    pub(crate) fn rule() -> impl Strategy<Value = Rule> {
        leaf().prop_recursive(5, 48, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(Rule::not),
                prop::collection::vec(inner.clone(), 2..4).prop_map(|rules| Rule::And { rules }),
                prop::collection::vec(inner, 2..4).prop_map(|rules| Rule::Or { rules }),
            ]
        })
    }

    proptest! {
        #[test]
        fn parse_print_round_trip(r in rule()) {
            let text = r.to_string();
            prop_assert_eq!(Rule::parse(&text).unwrap(), r);
        }

        #[test]
        fn json_round_trip(r in rule()) {
            prop_assert_eq!(Rule::from_json(&r.to_json()).unwrap(), r);
        }
    }
}
