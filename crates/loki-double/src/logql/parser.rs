//! Recursive-descent LogQL parser: selectors, metric expressions and binary operators. The
//! pipeline stages live in [`super::pipeline_parser`]. Errors read like Loki's yacc errors.

use regex::Regex;

use super::ast::{
    BinOp, CmpOp, Expr, Grouping, LogExpr, MatchOp, Matcher, MetricExpr, RangeOp, Unwrap, VectorOp,
};
use super::error::ParseError;
use super::lexer::{tokenize, Tok, Token};

/// Loki's `maxInputSize`.
pub const MAX_INPUT_SIZE: usize = 131_072;

const NO_EMPTY_MATCHER: &str = "queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will";

/// Parses and validates a LogQL query.
pub fn parse(input: &str) -> Result<Expr, ParseError> {
    if input.len() > MAX_INPUT_SIZE {
        return Err(ParseError::general(format!(
            "input size too long ({} > {MAX_INPUT_SIZE})",
            input.len()
        )));
    }
    let tokens = tokenize(input)?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.expr(0)?;
    parser.expect_eof()?;
    let expr = match expr {
        Parsed::Log(log) => Expr::Log(log),
        Parsed::Metric(m) => Expr::Metric(m),
    };
    validate(&expr)?;
    Ok(expr)
}

/// Parses a query that must be a bare stream selector (labels, values, series, index endpoints);
/// the error is the full text Loki answers with (`only label matchers are supported` has no
/// `parse error` prefix, like Loki's `ErrParseMatchers`).
pub fn parse_selector(input: &str) -> Result<Vec<Matcher>, String> {
    match parse(input).map_err(|e| e.to_string())? {
        Expr::Log(log) if log.stages.is_empty() => Ok(log.matchers),
        _ => Err("only label matchers are supported".to_string()),
    }
}

fn validate(expr: &Expr) -> Result<(), ParseError> {
    match expr {
        Expr::Log(log) => validate_matchers(&log.matchers),
        Expr::Metric(m) => validate_metric(m),
    }
}

fn validate_metric(expr: &MetricExpr) -> Result<(), ParseError> {
    match expr {
        MetricExpr::Range {
            op, log, unwrap, ..
        } => {
            if op.needs_unwrap() && unwrap.is_none() {
                return Err(ParseError::general(format!(
                    "invalid aggregation {} without unwrap",
                    op.name()
                )));
            }
            if !op.needs_unwrap() && unwrap.is_some() {
                return Err(ParseError::general(format!(
                    "invalid aggregation {} with unwrap",
                    op.name()
                )));
            }
            validate_matchers(&log.matchers)
        }
        MetricExpr::Vector { inner, .. } => validate_metric(inner),
        MetricExpr::Binary { lhs, rhs, .. } => validate_metric(lhs).and(validate_metric(rhs)),
        MetricExpr::Literal(_) => Ok(()),
    }
}

fn validate_matchers(matchers: &[Matcher]) -> Result<(), ParseError> {
    if matchers
        .iter()
        .any(|m| !m.matches("") && matches!(m.op, MatchOp::Eq | MatchOp::Re))
    {
        Ok(())
    } else {
        Err(ParseError::general(NO_EMPTY_MATCHER))
    }
}

/// Builds a matcher, compiling (anchored) regexes.
pub fn new_matcher(name: String, op: MatchOp, value: String) -> Result<Matcher, ParseError> {
    let regex = match op {
        MatchOp::Re | MatchOp::Nre => Some(compile_regex(&format!("^(?:{value})$"))?),
        _ => None,
    };
    Ok(Matcher {
        name,
        op,
        value,
        regex,
    })
}

/// Compiles a regex, mapping errors to Loki's `error parsing regexp: …`.
pub fn compile_regex(pattern: &str) -> Result<Regex, ParseError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| {
            let detail = e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_string();
            ParseError::general(format!("error parsing regexp: {detail}: `{pattern}`"))
        })
}

pub(super) enum Parsed {
    Log(LogExpr),
    Metric(MetricExpr),
}

pub(super) struct Parser {
    pub(super) tokens: Vec<Token>,
    pub(super) pos: usize,
}

impl Parser {
    pub(super) fn peek(&self) -> &Tok {
        self.tokens.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    pub(super) fn peek_at(&self, offset: usize) -> &Tok {
        self.tokens
            .get(self.pos + offset)
            .map_or(&Tok::Eof, |t| &t.tok)
    }

    pub(super) fn next(&mut self) -> Tok {
        let tok = self.peek().clone();
        self.pos = (self.pos + 1).min(self.tokens.len());
        tok
    }

    /// "syntax error: unexpected X[, expecting …]" at the current token.
    pub(super) fn unexpected(&self, expecting: &str) -> ParseError {
        let (line, col) = self
            .tokens
            .get(self.pos)
            .map_or((0, 0), |t| (t.line, t.col));
        let mut msg = format!("syntax error: unexpected {}", self.peek().yacc_name());
        if !expecting.is_empty() {
            msg.push_str(", expecting ");
            msg.push_str(expecting);
        }
        ParseError::at(msg, line, col)
    }

    pub(super) fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Tok::Op(o) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn expect_op(&mut self, op: &str, expecting: &str) -> Result<(), ParseError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.unexpected(expecting))
        }
    }

    pub(super) fn is_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(i) if i.eq_ignore_ascii_case(kw))
    }

    pub(super) fn ident(&mut self, expecting: &str) -> Result<String, ParseError> {
        match self.peek().clone() {
            Tok::Ident(name) => {
                self.pos += 1;
                Ok(name)
            }
            _ => Err(self.unexpected(expecting)),
        }
    }

    pub(super) fn string(&mut self, expecting: &str) -> Result<String, ParseError> {
        match self.peek().clone() {
            Tok::Str(s) => {
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.unexpected(expecting)),
        }
    }

    fn expect_eof(&self) -> Result<(), ParseError> {
        if matches!(self.peek(), Tok::Eof) {
            Ok(())
        } else {
            Err(self.unexpected(""))
        }
    }

    fn binop(&self) -> Option<(BinOp, u8)> {
        let op = match self.peek() {
            Tok::Op("+") => BinOp::Add,
            Tok::Op("-") => BinOp::Sub,
            Tok::Op("*") => BinOp::Mul,
            Tok::Op("/") => BinOp::Div,
            Tok::Op("%") => BinOp::Mod,
            Tok::Op("^") => BinOp::Pow,
            Tok::Op("==") => BinOp::Cmp(CmpOp::Eq),
            Tok::Op("!=") => BinOp::Cmp(CmpOp::Neq),
            Tok::Op(">") => BinOp::Cmp(CmpOp::Gt),
            Tok::Op(">=") => BinOp::Cmp(CmpOp::Gte),
            Tok::Op("<") => BinOp::Cmp(CmpOp::Lt),
            Tok::Op("<=") => BinOp::Cmp(CmpOp::Lte),
            _ => return None,
        };
        let prec = match op {
            BinOp::Cmp(_) => 1,
            BinOp::Add | BinOp::Sub => 2,
            BinOp::Mul | BinOp::Div | BinOp::Mod => 3,
            BinOp::Pow => 4,
        };
        Some((op, prec))
    }

    /// Precedence climbing over binary operators.
    pub(super) fn expr(&mut self, min_prec: u8) -> Result<Parsed, ParseError> {
        let mut lhs = self.unary()?;
        while let Some((op, prec)) = self.binop() {
            if prec < min_prec {
                break;
            }
            self.pos += 1;
            let return_bool = matches!(op, BinOp::Cmp(_)) && self.is_keyword("bool");
            if return_bool {
                self.pos += 1;
            }
            let next_min = if op == BinOp::Pow { prec } else { prec + 1 };
            let rhs = self.expr(next_min)?;
            let lhs_metric = into_metric(lhs, "left", op)?;
            let rhs_metric = into_metric(rhs, "right", op)?;
            lhs = Parsed::Metric(MetricExpr::Binary {
                op,
                return_bool,
                lhs: Box::new(lhs_metric),
                rhs: Box::new(rhs_metric),
            });
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Parsed, ParseError> {
        match self.peek().clone() {
            Tok::Op("(") => {
                self.pos += 1;
                let inner = self.expr(0)?;
                self.expect_op(")", "")?;
                Ok(inner)
            }
            Tok::Op("{") => Ok(Parsed::Log(self.log_expr()?)),
            Tok::Number(n) => {
                self.pos += 1;
                Ok(Parsed::Metric(MetricExpr::Literal(n)))
            }
            Tok::Op("-") if matches!(self.peek_at(1), Tok::Number(_)) => {
                self.pos += 1;
                match self.next() {
                    Tok::Number(n) => Ok(Parsed::Metric(MetricExpr::Literal(-n))),
                    _ => Err(self.unexpected("")),
                }
            }
            Tok::Ident(name) => self.function(&name),
            _ => Err(self.unexpected("")),
        }
    }

    fn function(&mut self, name: &str) -> Result<Parsed, ParseError> {
        let lower = name.to_ascii_lowercase();
        if let Some((op, _)) = RangeOp::ALL.iter().find(|(_, n)| *n == lower) {
            if matches!(self.peek_at(1), Tok::Op("(")) {
                self.pos += 1;
                return Ok(Parsed::Metric(self.range_aggregation(*op)?));
            }
        }
        if let Some((op, _)) = VectorOp::ALL.iter().find(|(_, n)| *n == lower) {
            if matches!(self.peek_at(1), Tok::Op("("))
                || matches!(self.peek_at(1), Tok::Ident(k) if k.eq_ignore_ascii_case("by") || k.eq_ignore_ascii_case("without"))
            {
                self.pos += 1;
                return Ok(Parsed::Metric(self.vector_aggregation(*op)?));
            }
        }
        Err(self.unexpected(""))
    }

    fn grouping(&mut self) -> Result<Option<Grouping>, ParseError> {
        let without = if self.is_keyword("by") {
            false
        } else if self.is_keyword("without") {
            true
        } else {
            return Ok(None);
        };
        self.pos += 1;
        self.expect_op("(", "(")?;
        let mut labels = Vec::new();
        if !self.eat_op(")") {
            loop {
                labels.push(self.ident("IDENTIFIER")?);
                if self.eat_op(")") {
                    break;
                }
                self.expect_op(",", ") or ,")?;
            }
        }
        Ok(Some(Grouping { without, labels }))
    }

    fn vector_aggregation(&mut self, op: VectorOp) -> Result<MetricExpr, ParseError> {
        let mut grouping = self.grouping()?;
        self.expect_op("(", "(")?;
        let mut param = None;
        if let (Tok::Number(n), Tok::Op(",")) = (self.peek().clone(), self.peek_at(1).clone()) {
            if !matches!(op, VectorOp::Topk | VectorOp::Bottomk) {
                return Err(ParseError::general(format!(
                    "unsupported parameter for operation {}({n},",
                    op.name()
                )));
            }
            if n.fract() != 0.0 || n < 0.0 {
                return Err(ParseError::general(format!(
                    "invalid parameter {}({n},",
                    op.name()
                )));
            }
            param = Some(n);
            self.pos += 2;
        } else if matches!(op, VectorOp::Topk | VectorOp::Bottomk) {
            return Err(ParseError::general(format!(
                "parameter required for operation {}",
                op.name()
            )));
        }
        let inner = match self.expr(0)? {
            Parsed::Metric(m) => m,
            Parsed::Log(_) => return Err(self.unexpected("")),
        };
        self.expect_op(")", "")?;
        if grouping.is_none() {
            grouping = self.grouping()?;
        }
        Ok(MetricExpr::Vector {
            op,
            param,
            grouping,
            inner: Box::new(inner),
        })
    }

    fn range_aggregation(&mut self, op: RangeOp) -> Result<MetricExpr, ParseError> {
        self.expect_op("(", "(")?;
        let mut param = None;
        if op == RangeOp::Quantile {
            match self.next() {
                Tok::Number(n) => param = Some(n),
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("NUMBER"));
                }
            }
            self.expect_op(",", ",")?;
        }
        let parenthesized = self.eat_op("(");
        let mut log = self.log_expr_head()?;
        let mut range_ns = None;
        if let Tok::Range(ns) = self.peek().clone() {
            self.pos += 1;
            range_ns = Some(ns);
        }
        let unwrap = self.pipeline_into(&mut log.stages, true)?;
        if parenthesized {
            self.expect_op(")", "")?;
        }
        let range_ns = match (range_ns, self.peek().clone()) {
            (Some(ns), _) => ns,
            (None, Tok::Range(ns)) => {
                self.pos += 1;
                ns
            }
            (None, _) => return Err(self.unexpected("RANGE")),
        };
        let offset_ns = if self.is_keyword("offset") {
            self.pos += 1;
            match self.next() {
                Tok::Duration(ns) => ns,
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("DURATION"));
                }
            }
        } else {
            0
        };
        self.expect_op(")", "")?;
        let grouping = self.grouping()?;
        if range_ns <= 0 {
            return Err(ParseError::general("invalid range: must be positive"));
        }
        Ok(MetricExpr::Range {
            op,
            param,
            log,
            range_ns,
            offset_ns,
            unwrap,
            grouping,
        })
    }

    /// `{…}` followed by its pipeline (no unwrap).
    pub(super) fn log_expr(&mut self) -> Result<LogExpr, ParseError> {
        let mut log = self.log_expr_head()?;
        self.pipeline_into(&mut log.stages, false)?;
        Ok(log)
    }

    fn log_expr_head(&mut self) -> Result<LogExpr, ParseError> {
        self.expect_op("{", "{")?;
        let mut matchers = Vec::new();
        loop {
            let name = self.ident("IDENTIFIER")?;
            let op = match self.next() {
                Tok::Op("=") => MatchOp::Eq,
                Tok::Op("!=") => MatchOp::Neq,
                Tok::Op("=~") => MatchOp::Re,
                Tok::Op("!~") => MatchOp::Nre,
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("= or != or =~ or !~"));
                }
            };
            let value = self.string("STRING")?;
            matchers.push(new_matcher(name, op, value)?);
            if self.eat_op("}") {
                break;
            }
            self.expect_op(",", "} or ,")?;
        }
        Ok(LogExpr {
            matchers,
            stages: Vec::new(),
        })
    }

    /// Parses stages into `stages`; returns the `unwrap` if allowed and present.
    fn pipeline_into(
        &mut self,
        stages: &mut Vec<super::ast::Stage>,
        allow_unwrap: bool,
    ) -> Result<Option<Unwrap>, ParseError> {
        super::pipeline_parser::parse_stages(self, stages, allow_unwrap)
    }
}

fn into_metric(parsed: Parsed, leg: &str, op: BinOp) -> Result<MetricExpr, ParseError> {
    match parsed {
        Parsed::Metric(m) => Ok(m),
        Parsed::Log(_) => Err(ParseError::general(format!(
            "unexpected type for {leg} leg of binary operation ({}): *syntax.MatchersExpr",
            op.as_str()
        ))),
    }
}
