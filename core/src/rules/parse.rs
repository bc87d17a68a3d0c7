//! Lexer and recursive-descent parser for the text form. Nesting and length are bounded
//! before any recursion, so hostile input gives a typed error, never a stack overflow.

use super::ast::{Cmp, Literal, Operand, Rule, Threshold, ThresholdKey, MAX_DEPTH, MAX_LEN};
use super::error::{ErrorKind, RuleError, Span};

/// Source positions of one AST node: the whole node, its fact name and its value part.
/// Composite nodes use `whole` for all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct NodeSpan {
    pub whole: Span,
    pub fact: Span,
    pub value: Span,
}

impl NodeSpan {
    fn composite(span: Span) -> Self {
        Self {
            whole: span,
            fact: span,
            value: span,
        }
    }
}

/// Spans shaped like the rule tree.
struct SpanTree {
    span: NodeSpan,
    /// Extent including enclosing parentheses, for the parent's span.
    outer: Span,
    kids: Vec<SpanTree>,
}

impl SpanTree {
    fn leaf(span: NodeSpan) -> Self {
        Self {
            span,
            outer: span.whole,
            kids: Vec::new(),
        }
    }

    fn flatten(self, out: &mut Vec<NodeSpan>) {
        out.push(self.span);
        for k in self.kids {
            k.flatten(out);
        }
    }
}

/// Parses `text`, returning the rule and one [`NodeSpan`] per AST node in pre-order.
pub(crate) fn parse(text: &str) -> Result<(Rule, Vec<NodeSpan>), RuleError> {
    if text.len() > MAX_LEN {
        return Err(RuleError::TooLong {
            len: text.len(),
            max: MAX_LEN,
        });
    }
    let tokens = lex(text)?;
    let mut p = Parser {
        src: text,
        tokens,
        pos: 0,
        depth: 0,
    };
    let (rule, tree) = p.parse_or()?;
    if let Some(t) = p.peek() {
        return Err(p.unexpected(t.span, "`and`, `or` or end of rule"));
    }
    let mut spans = Vec::new();
    tree.flatten(&mut spans);
    Ok((rule, spans))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident,
    Str(String),
    Num(f64),
    LParen,
    RParen,
    LBrack,
    RBrack,
    Comma,
    DotDot,
    Cmp(Cmp),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: Span,
}

fn lex(src: &str) -> Result<Vec<Token>, RuleError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let next = bytes.get(i + 1).copied();
        let tok = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBrack,
            b']' => Tok::RBrack,
            b',' => Tok::Comma,
            b'.' if next == Some(b'.') => {
                i += 1;
                Tok::DotDot
            }
            b'=' if next == Some(b'=') => {
                i += 1;
                Tok::Cmp(Cmp::Eq)
            }
            b'!' if next == Some(b'=') => {
                i += 1;
                Tok::Cmp(Cmp::Ne)
            }
            b'<' | b'>' => {
                let eq = next == Some(b'=');
                if eq {
                    i += 1;
                }
                Tok::Cmp(match (b, eq) {
                    (b'<', false) => Cmp::Lt,
                    (b'<', true) => Cmp::Le,
                    (_, false) => Cmp::Gt,
                    (_, true) => Cmp::Ge,
                })
            }
            b'"' => {
                let (s, end) = lex_string(src, i)?;
                i = end;
                out.push(Token {
                    tok: Tok::Str(s),
                    span: Span::new(start, i),
                });
                continue;
            }
            b'0'..=b'9' | b'-' if b != b'-' || next.is_some_and(|c| c.is_ascii_digit()) => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                }
                let span = Span::new(start, i);
                let n = src
                    .get(start..i)
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| RuleError::at(src, span, ErrorKind::BadNumber))?;
                out.push(Token {
                    tok: Tok::Num(n),
                    span,
                });
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Ident,
                    span: Span::new(start, i),
                });
                continue;
            }
            _ => {
                let c = src.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
                return Err(RuleError::at(
                    src,
                    Span::new(i, i + c.len_utf8()),
                    ErrorKind::UnexpectedChar(c),
                ));
            }
        };
        i += 1;
        out.push(Token {
            tok,
            span: Span::new(start, i),
        });
    }
    Ok(out)
}

/// Lexes a string literal starting at the quote at `start`; returns it and the index after
/// the closing quote. Escapes: `\"`, `\\`, `\n`, `\t`, `\r`, `\u{hex}`.
fn lex_string(src: &str, start: usize) -> Result<(String, usize), RuleError> {
    let bad = |end: usize| RuleError::at(src, Span::new(start, end), ErrorKind::BadString);
    let rest = src.get(start + 1..).ok_or_else(|| bad(start + 1))?;
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((off, c)) = chars.next() {
        match c {
            '"' => return Ok((out, start + 1 + off + 1)),
            '\\' => {
                let (_, e) = chars.next().ok_or_else(|| bad(src.len()))?;
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'u' => {
                        if chars.next().map(|(_, c)| c) != Some('{') {
                            return Err(bad(start + 1 + off + 2));
                        }
                        let mut hex = String::new();
                        loop {
                            match chars.next() {
                                Some((_, '}')) => break,
                                Some((_, h)) if h.is_ascii_hexdigit() && hex.len() < 6 => {
                                    hex.push(h);
                                }
                                _ => return Err(bad(start + 1 + off + 2)),
                            }
                        }
                        let c = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| bad(start + 1 + off + 2))?;
                        out.push(c);
                    }
                    _ => return Err(bad(start + 1 + off + 2)),
                }
            }
            c => out.push(c),
        }
    }
    Err(bad(src.len()))
}

const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "has_any",
    "has_all",
    "true",
    "false",
    "threshold",
    "has",
    "known",
];

/// True if `name` can be a fact name in rule text (an identifier, not a keyword).
pub(crate) fn is_fact_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !KEYWORDS.contains(&name)
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

type Parsed = Result<(Rule, SpanTree), RuleError>;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn text(&self, span: Span) -> &'a str {
        self.src.get(span.start..span.end).unwrap_or_default()
    }

    fn peek_keyword(&self, kw: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.tok == Tok::Ident && self.text(t.span) == kw)
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn end_span(&self) -> Span {
        Span::new(self.src.len(), self.src.len())
    }

    fn unexpected(&self, span: Span, expected: &'static str) -> RuleError {
        let found = match self.tokens.iter().find(|t| t.span == span).map(|t| &t.tok) {
            Some(Tok::Str(_)) => "a string".to_owned(),
            Some(Tok::Num(_)) => "a number".to_owned(),
            _ => format!("`{}`", self.text(span)),
        };
        RuleError::at(self.src, span, ErrorKind::Unexpected { found, expected })
    }

    /// Takes the next token, or fails with "expected …".
    fn next_or(&mut self, expected: &'static str) -> Result<Token, RuleError> {
        match self.bump() {
            Some(t) => Ok(t),
            None => Err(RuleError::at(
                self.src,
                self.end_span(),
                ErrorKind::UnexpectedEnd { expected },
            )),
        }
    }

    fn expect(&mut self, tok: &Tok, expected: &'static str) -> Result<Span, RuleError> {
        let t = self.next_or(expected)?;
        if &t.tok == tok {
            Ok(t.span)
        } else {
            Err(self.unexpected(t.span, expected))
        }
    }

    fn enter(&mut self, span: Span) -> Result<(), RuleError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(RuleError::at(
                self.src,
                span,
                ErrorKind::TooDeep { max: MAX_DEPTH },
            ));
        }
        Ok(())
    }

    fn parse_or(&mut self) -> Parsed {
        self.parse_chain("or", Self::parse_and, |rules| Rule::Or { rules })
    }

    fn parse_and(&mut self) -> Parsed {
        self.parse_chain("and", Self::parse_unary, |rules| Rule::And { rules })
    }

    fn parse_chain(
        &mut self,
        kw: &str,
        mut sub: impl FnMut(&mut Self) -> Parsed,
        build: impl FnOnce(Vec<Rule>) -> Rule,
    ) -> Parsed {
        let (first, first_tree) = sub(self)?;
        if !self.peek_keyword(kw) {
            return Ok((first, first_tree));
        }
        let mut span = first_tree.outer;
        let mut rules = vec![first];
        let mut kids = vec![first_tree];
        while self.peek_keyword(kw) {
            self.pos += 1;
            let (r, t) = sub(self)?;
            span = span.to(t.outer);
            rules.push(r);
            kids.push(t);
        }
        Ok((
            build(rules),
            SpanTree {
                span: NodeSpan::composite(span),
                outer: span,
                kids,
            },
        ))
    }

    fn parse_unary(&mut self) -> Parsed {
        if self.peek_keyword("not") {
            let kw = self.bump().map(|t| t.span).unwrap_or_default();
            self.enter(kw)?;
            let (inner, tree) = self.parse_unary()?;
            self.depth -= 1;
            let span = kw.to(tree.outer);
            return Ok((
                Rule::Not {
                    rule: Box::new(inner),
                },
                SpanTree {
                    span: NodeSpan::composite(span),
                    outer: span,
                    kids: vec![tree],
                },
            ));
        }
        self.parse_primary()
    }

    fn parse_primary(&mut self) -> Parsed {
        let t = self.next_or("a condition")?;
        match t.tok {
            Tok::LParen => {
                self.enter(t.span)?;
                let (rule, mut tree) = self.parse_or()?;
                let close = self.expect(&Tok::RParen, "`)`")?;
                self.depth -= 1;
                tree.outer = t.span.to(close);
                Ok((rule, tree))
            }
            Tok::Ident => self.parse_ident(t.span),
            _ => Err(self.unexpected(t.span, "a condition")),
        }
    }

    fn parse_ident(&mut self, span: Span) -> Parsed {
        let word = self.text(span);
        let leaf = |rule: Rule, whole: Span, fact: Span, value: Span| {
            Ok((rule, SpanTree::leaf(NodeSpan { whole, fact, value })))
        };
        match word {
            "true" | "false" => {
                return leaf(
                    Rule::Const {
                        value: word == "true",
                    },
                    span,
                    span,
                    span,
                );
            }
            "has" => {
                self.expect(&Tok::LParen, "`(`")?;
                let (document, vspan) = self.string("a document name in quotes")?;
                let end = self.expect(&Tok::RParen, "`)`")?;
                return leaf(Rule::Has { document }, span.to(end), vspan, vspan);
            }
            "known" => {
                self.expect(&Tok::LParen, "`(`")?;
                let (fact, fspan) = self.fact_name()?;
                let end = self.expect(&Tok::RParen, "`)`")?;
                return leaf(Rule::Known { fact }, span.to(end), fspan, fspan);
            }
            w if KEYWORDS.contains(&w) => return Err(self.unexpected(span, "a condition")),
            _ => {}
        }
        let fact = word.to_owned();
        match self.peek().map(|t| t.tok.clone()) {
            Some(Tok::Cmp(cmp)) => {
                self.pos += 1;
                let (value, vspan) = self.operand()?;
                leaf(
                    Rule::Compare { fact, cmp, value },
                    span.to(vspan),
                    span,
                    vspan,
                )
            }
            Some(Tok::Ident) if self.peek_keyword("in") => {
                self.pos += 1;
                if self.peek().is_some_and(|t| t.tok == Tok::LBrack) {
                    let (values, vspan) = self.list()?;
                    leaf(Rule::In { fact, values }, span.to(vspan), span, vspan)
                } else {
                    let (min, lo) = self.number("a list `[…]` or a range `lo..hi`")?;
                    self.expect(&Tok::DotDot, "`..`")?;
                    let (max, hi) = self.number("the upper bound of the range")?;
                    let vspan = lo.to(hi);
                    leaf(Rule::Range { fact, min, max }, span.to(vspan), span, vspan)
                }
            }
            Some(Tok::Ident) if self.peek_keyword("has_any") || self.peek_keyword("has_all") => {
                let all = self.peek_keyword("has_all");
                self.pos += 1;
                let (values, vspan) = self.string_list()?;
                let rule = if all {
                    Rule::HasAll { fact, values }
                } else {
                    Rule::HasAny { fact, values }
                };
                leaf(rule, span.to(vspan), span, vspan)
            }
            _ => leaf(Rule::Fact { fact }, span, span, span),
        }
    }

    fn fact_name(&mut self) -> Result<(String, Span), RuleError> {
        let t = self.next_or("a fact name")?;
        let word = self.text(t.span);
        if t.tok == Tok::Ident && !KEYWORDS.contains(&word) {
            Ok((word.to_owned(), t.span))
        } else {
            Err(self.unexpected(t.span, "a fact name"))
        }
    }

    fn string(&mut self, expected: &'static str) -> Result<(String, Span), RuleError> {
        let t = self.next_or(expected)?;
        match t.tok {
            Tok::Str(s) => Ok((s, t.span)),
            _ => Err(self.unexpected(t.span, expected)),
        }
    }

    fn number(&mut self, expected: &'static str) -> Result<(f64, Span), RuleError> {
        let t = self.next_or(expected)?;
        match t.tok {
            Tok::Num(n) => Ok((n, t.span)),
            _ => Err(self.unexpected(t.span, expected)),
        }
    }

    fn literal(&mut self) -> Result<(Literal, Span), RuleError> {
        const EXPECTED: &str = "a number, a string, `true` or `false`";
        let t = self.next_or(EXPECTED)?;
        let lit = match t.tok {
            Tok::Num(n) => Literal::Number(n),
            Tok::Str(s) => Literal::Text(s),
            Tok::Ident if self.text(t.span) == "true" => Literal::Bool(true),
            Tok::Ident if self.text(t.span) == "false" => Literal::Bool(false),
            _ => return Err(self.unexpected(t.span, EXPECTED)),
        };
        Ok((lit, t.span))
    }

    fn operand(&mut self) -> Result<(Operand, Span), RuleError> {
        if self.peek_keyword("threshold") {
            let kw = self.bump().map(|t| t.span).unwrap_or_default();
            self.expect(&Tok::LParen, "`(`")?;
            let (table, _) = self.string("a table name in quotes")?;
            self.expect(&Tok::Comma, "`,`")?;
            let t = self.next_or("a fact name or a number")?;
            let key = match t.tok {
                Tok::Num(n) => ThresholdKey::Number(n),
                Tok::Ident if !KEYWORDS.contains(&self.text(t.span)) => {
                    ThresholdKey::Fact(self.text(t.span).to_owned())
                }
                _ => return Err(self.unexpected(t.span, "a fact name or a number")),
            };
            let end = self.expect(&Tok::RParen, "`)`")?;
            return Ok((
                Operand::Threshold {
                    threshold: Threshold { table, key },
                },
                kw.to(end),
            ));
        }
        let (lit, span) = self.literal()?;
        Ok((Operand::Literal(lit), span))
    }

    fn list_of<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<(T, Span), RuleError>,
    ) -> Result<(Vec<T>, Span), RuleError> {
        let open = self.expect(&Tok::LBrack, "`[`")?;
        let mut items = Vec::new();
        loop {
            if let Some(t) = self.peek() {
                if t.tok == Tok::RBrack {
                    let end = t.span;
                    self.pos += 1;
                    return Ok((items, open.to(end)));
                }
            }
            items.push(item(self)?.0);
            let t = self.next_or("`,` or `]`")?;
            match t.tok {
                Tok::Comma => {}
                Tok::RBrack => return Ok((items, open.to(t.span))),
                _ => return Err(self.unexpected(t.span, "`,` or `]`")),
            }
        }
    }

    fn list(&mut self) -> Result<(Vec<Literal>, Span), RuleError> {
        self.list_of(Self::literal)
    }

    fn string_list(&mut self) -> Result<(Vec<String>, Span), RuleError> {
        self.list_of(|p| p.string("a string"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_issue_examples() {
        for text in [
            "age >= 65 or (disability and age >= 18)",
            r#"household_income <= threshold("lim_on", household_size)"#,
            r#"province in ["ON", "QC"]"#,
            r#"age in 16..29 and not has("provincial_health_card")"#,
            r#"population has_any ["indigenous", "black", "racialized"]"#,
            r#"benefits has_all ["oas", "gis"] and known(age) and true"#,
            "age in -1.5..2.25",
        ] {
            let (rule, spans) = parse(text).unwrap();
            assert_eq!(rule.to_string(), text);
            assert!(!spans.is_empty());
        }
    }

    #[test]
    fn spans_are_pre_order() {
        let text = "age >= 65 or (disability and age >= 18)";
        let (_, spans) = parse(text).unwrap();
        let texts: Vec<_> = spans
            .iter()
            .map(|s| &text[s.whole.start..s.whole.end])
            .collect();
        assert_eq!(
            texts,
            [
                text,
                "age >= 65",
                "disability and age >= 18",
                "disability",
                "age >= 18"
            ]
        );
        assert_eq!(&text[spans[1].value.start..spans[1].value.end], "65");
    }

    #[test]
    fn precedence_not_and_or() {
        let r = Rule::parse("not a and b or c").unwrap();
        assert_eq!(r.to_string(), "(not a and b) or c");
    }

    #[test]
    fn errors_carry_positions() {
        let e = Rule::parse("age >= 65 or\n  (disability and )").unwrap_err();
        let loc = e.location().unwrap();
        assert_eq!((loc.line, loc.column), (2, 19));
        assert!(
            e.to_string().contains("expected a condition, found `)`"),
            "{e}"
        );
        let e = Rule::parse("province in [\"ON\"").unwrap_err();
        assert!(e.to_string().contains("end of rule"), "{e}");
        let e = Rule::parse("age # 3").unwrap_err();
        assert!(e.to_string().contains("unexpected character '#'"), "{e}");
        let e = Rule::parse("has(\"x").unwrap_err();
        assert!(e.to_string().contains("unterminated"), "{e}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("{}age > 1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(matches!(parse(&deep), Err(RuleError::TooLong { .. })));
        let deep = format!("{}age > 1{}", "(".repeat(30_000), ")".repeat(30_000));
        let e = parse(&deep).unwrap_err();
        assert!(matches!(
            e,
            RuleError::Invalid {
                kind: ErrorKind::TooDeep { .. },
                ..
            }
        ));
        let nots = format!("{}age > 1", "not ".repeat(10_000));
        assert!(parse(&nots).is_err());
        let ok = format!("{}age > 1{}", "(".repeat(64), ")".repeat(64));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn strings_escape_round_trip() {
        let r = Rule::parse(r#"municipality == "a\"b\\c\n\u{e9}""#).unwrap();
        assert_eq!(Rule::parse(&r.to_string()).unwrap(), r);
    }
}
