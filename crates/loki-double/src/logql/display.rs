//! Canonical text of a parsed query, as Loki's `String()` methods print it (used by
//! `/format_query`; Loki's multi-line prettifier for long queries is not reproduced).

use std::fmt::{self, Display, Write as _};

use super::ast::{
    Expr, Grouping, LabelFilter, LabelFormat, LabelRef, LogExpr, Matcher, MetricExpr,
    NumericLiteral, Stage,
};
use crate::labels::write_go_quoted;
use crate::timefmt::prom_duration_string;

impl Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.name, self.op.as_str())?;
        write_go_quoted(f, &self.value)
    }
}

impl Display for LabelFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelFilter::Match(m) => m.fmt(f),
            LabelFilter::Numeric { name, op, value } => {
                write!(f, "{name}{}", op.as_str())?;
                match value {
                    NumericLiteral::Number(n) => write!(f, "{n}"),
                    NumericLiteral::Duration(ns) => {
                        f.write_str(&crate::timefmt::go_duration_string(*ns))
                    }
                    NumericLiteral::Bytes(b) => write!(f, "{b}B"),
                }
            }
            LabelFilter::And(a, b) => write!(f, "( {a} , {b} )"),
            LabelFilter::Or(a, b) => write!(f, "( {a} or {b} )"),
        }
    }
}

fn write_extractions(f: &mut fmt::Formatter<'_>, params: &[super::ast::Extraction]) -> fmt::Result {
    for (i, e) in params.iter().enumerate() {
        if i > 0 {
            f.write_char(',')?;
        }
        write!(f, "{}=", e.label)?;
        write_go_quoted(f, &e.path)?;
    }
    Ok(())
}

fn write_refs(f: &mut fmt::Formatter<'_>, refs: &[LabelRef]) -> fmt::Result {
    for (i, r) in refs.iter().enumerate() {
        if i > 0 {
            f.write_char(',')?;
        }
        match r {
            LabelRef::Name(n) => f.write_str(n)?,
            LabelRef::Matching(m) => m.fmt(f)?,
        }
    }
    Ok(())
}

impl Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Line(filter) => {
                write!(f, "{} ", filter.op.as_str())?;
                for (i, v) in filter.values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write_go_quoted(f, v)?;
                }
                Ok(())
            }
            Stage::Json(params) if params.is_empty() => f.write_str("| json"),
            Stage::Json(params) => {
                f.write_str("| json ")?;
                write_extractions(f, params)
            }
            Stage::Logfmt {
                params,
                strict,
                keep_empty,
            } => {
                f.write_str("| logfmt")?;
                if *strict {
                    f.write_str(" --strict")?;
                }
                if *keep_empty {
                    f.write_str(" --keep-empty")?;
                }
                if !params.is_empty() {
                    f.write_char(' ')?;
                    write_extractions(f, params)?;
                }
                Ok(())
            }
            Stage::Filter(filter) => write!(f, "| {filter}"),
            Stage::LineFormat(template) => {
                f.write_str("| line_format ")?;
                write_go_quoted(f, template)
            }
            Stage::LabelFormat(items) => {
                f.write_str("| label_format ")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    match item {
                        LabelFormat::Rename { to, from } => write!(f, "{to}={from}")?,
                        LabelFormat::Template { to, template } => {
                            write!(f, "{to}=")?;
                            write_go_quoted(f, template)?;
                        }
                    }
                }
                Ok(())
            }
            Stage::Drop(refs) => {
                f.write_str("| drop ")?;
                write_refs(f, refs)
            }
            Stage::Keep(refs) => {
                f.write_str("| keep ")?;
                write_refs(f, refs)
            }
            Stage::Decolorize => f.write_str("| decolorize"),
        }
    }
}

impl Display for LogExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('{')?;
        for (i, m) in self.matchers.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            m.fmt(f)?;
        }
        f.write_char('}')?;
        for stage in &self.stages {
            write!(f, " {stage}")?;
        }
        Ok(())
    }
}

impl Display for Grouping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = if self.without { "without" } else { "by" };
        write!(f, " {word} ({})", self.labels.join(","))
    }
}

impl Display for MetricExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricExpr::Range {
                op,
                param,
                log,
                range_ns,
                offset_ns,
                unwrap,
                grouping,
            } => {
                write!(f, "{}(", op.name())?;
                if let Some(p) = param {
                    write!(f, "{p},")?;
                }
                write!(f, "{log}")?;
                if let Some(u) = unwrap {
                    match &u.conversion {
                        Some(conv) => write!(f, " | unwrap {conv}({})", u.label)?,
                        None => write!(f, " | unwrap {}", u.label)?,
                    }
                }
                write!(f, "[{}]", prom_duration_string(range_ns / 1_000_000))?;
                if *offset_ns != 0 {
                    write!(f, " offset {}", prom_duration_string(offset_ns / 1_000_000))?;
                }
                f.write_char(')')?;
                if let Some(g) = grouping {
                    g.fmt(f)?;
                }
                Ok(())
            }
            MetricExpr::Vector {
                op,
                param,
                grouping,
                inner,
            } => {
                f.write_str(op.name())?;
                if let Some(g) = grouping {
                    g.fmt(f)?;
                }
                f.write_char('(')?;
                if let Some(p) = param {
                    write!(f, "{p},")?;
                }
                write!(f, "{inner})")
            }
            MetricExpr::Binary {
                op,
                return_bool,
                lhs,
                rhs,
            } => {
                let op = if *return_bool {
                    format!("{} bool", op.as_str())
                } else {
                    op.as_str().to_string()
                };
                write!(f, "({lhs} {op} {rhs})")
            }
            MetricExpr::Literal(n) => write!(f, "{}", crate::json::sample_value(*n)),
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Log(log) => log.fmt(f),
            Expr::Metric(m) => m.fmt(f),
        }
    }
}
