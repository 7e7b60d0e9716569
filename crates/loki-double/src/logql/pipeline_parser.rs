//! Parsing of pipeline stages: line filters, `json`, `logfmt`, label filters, `line_format`,
//! `label_format`, `drop`, `keep`, `decolorize` and (inside range aggregations) `unwrap`.

use super::ast::{
    CmpOp, Extraction, LabelFilter, LabelFormat, LabelRef, LineFilter, LineOp, MatchOp,
    NumericLiteral, Stage, Unwrap,
};
use super::error::ParseError;
use super::lexer::Tok;
use super::parser::{compile_regex, new_matcher, Parser};

const UNSUPPORTED: [&str; 5] = ["regexp", "pattern", "unpack", "ip", "label_replace"];

/// Parses stages until the pipeline ends; returns the `unwrap` if one was allowed and found.
pub(super) fn parse_stages(
    p: &mut Parser,
    stages: &mut Vec<Stage>,
    allow_unwrap: bool,
) -> Result<Option<Unwrap>, ParseError> {
    let mut unwrap = None;
    loop {
        let line_op = match p.peek() {
            Tok::Op("|=") => Some(LineOp::Contains),
            Tok::Op("!=") => Some(LineOp::NotContains),
            Tok::Op("|~") => Some(LineOp::Matches),
            Tok::Op("!~") => Some(LineOp::NotMatches),
            _ => None,
        };
        if let Some(op) = line_op {
            p.pos += 1;
            stages.push(Stage::Line(line_filter(p, op)?));
            continue;
        }
        if !matches!(p.peek(), Tok::Op("|")) {
            return Ok(unwrap);
        }
        p.pos += 1;
        let Tok::Ident(word) = p.peek().clone() else {
            stages.push(Stage::Filter(label_filter_or(p)?));
            continue;
        };
        let lower = word.to_ascii_lowercase();
        let is_stage_word = !matches!(
            p.peek_at(1),
            Tok::Op("=" | "!=" | "=~" | "!~" | ">" | ">=" | "<" | "<=" | "==")
        );
        match lower.as_str() {
            "json" if is_stage_word => {
                p.pos += 1;
                stages.push(Stage::Json(extractions(p)?));
            }
            "logfmt" if is_stage_word => {
                p.pos += 1;
                let (mut strict, mut keep_empty) = (false, false);
                while matches!(p.peek(), Tok::Op("-")) && matches!(p.peek_at(1), Tok::Op("-")) {
                    p.pos += 2;
                    match p.ident("IDENTIFIER")?.as_str() {
                        "strict" => strict = true,
                        "keep" if p.eat_op("-") => {
                            if p.ident("IDENTIFIER")? != "empty" {
                                return Err(p.unexpected(""));
                            }
                            keep_empty = true;
                        }
                        _ => return Err(p.unexpected("")),
                    }
                }
                stages.push(Stage::Logfmt {
                    params: extractions(p)?,
                    strict,
                    keep_empty,
                });
            }
            "line_format" if is_stage_word => {
                p.pos += 1;
                stages.push(Stage::LineFormat(p.string("STRING")?));
            }
            "label_format" if is_stage_word => {
                p.pos += 1;
                stages.push(Stage::LabelFormat(label_formats(p)?));
            }
            "drop" | "keep" if is_stage_word => {
                p.pos += 1;
                let refs = label_refs(p)?;
                stages.push(if lower == "drop" {
                    Stage::Drop(refs)
                } else {
                    Stage::Keep(refs)
                });
            }
            "decolorize" if is_stage_word => {
                p.pos += 1;
                stages.push(Stage::Decolorize);
            }
            "unwrap" if is_stage_word => {
                if !allow_unwrap || unwrap.is_some() {
                    return Err(p.unexpected(""));
                }
                p.pos += 1;
                unwrap = Some(unwrap_expr(p)?);
            }
            w if is_stage_word && UNSUPPORTED.contains(&w) => {
                return Err(ParseError::general(format!(
                    "the `{w}` stage is not supported by the Sightline Loki test double"
                )));
            }
            _ => stages.push(Stage::Filter(label_filter_or(p)?)),
        }
    }
}

fn line_filter(p: &mut Parser, op: LineOp) -> Result<LineFilter, ParseError> {
    if p.is_keyword("ip") {
        return Err(ParseError::general(
            "the `ip()` line filter is not supported by the Sightline Loki test double",
        ));
    }
    let mut values = vec![p.string("STRING or ip")?];
    while p.is_keyword("or") && matches!(p.peek_at(1), Tok::Str(_)) {
        p.pos += 1;
        values.push(p.string("STRING")?);
    }
    let regexes = match op {
        LineOp::Matches | LineOp::NotMatches => values
            .iter()
            .map(|v| compile_regex(v))
            .collect::<Result<Vec<_>, _>>()?,
        _ => Vec::new(),
    };
    Ok(LineFilter {
        op,
        values,
        regexes,
    })
}

fn extractions(p: &mut Parser) -> Result<Vec<Extraction>, ParseError> {
    let mut out = Vec::new();
    while let Tok::Ident(label) = p.peek().clone() {
        if matches!(p.peek_at(1), Tok::Op("=")) {
            p.pos += 2;
            let path = p.string("STRING")?;
            out.push(Extraction { label, path });
        } else if matches!(
            p.peek_at(1),
            Tok::Op("," | "|" | "|=" | "!=" | "|~" | "!~" | ")") | Tok::Eof | Tok::Range(_)
        ) {
            p.pos += 1;
            out.push(Extraction {
                path: label.clone(),
                label,
            });
        } else {
            break;
        }
        if !p.eat_op(",") {
            break;
        }
    }
    Ok(out)
}

fn label_formats(p: &mut Parser) -> Result<Vec<LabelFormat>, ParseError> {
    let mut out = Vec::new();
    loop {
        let to = p.ident("IDENTIFIER")?;
        p.expect_op("=", "=")?;
        match p.next() {
            Tok::Ident(from) => out.push(LabelFormat::Rename { to, from }),
            Tok::Str(template) => out.push(LabelFormat::Template { to, template }),
            _ => {
                p.pos -= 1;
                return Err(p.unexpected("IDENTIFIER or STRING"));
            }
        }
        if !p.eat_op(",") {
            return Ok(out);
        }
    }
}

fn label_refs(p: &mut Parser) -> Result<Vec<LabelRef>, ParseError> {
    let mut out = Vec::new();
    loop {
        let name = p.ident("IDENTIFIER")?;
        let op = match p.peek() {
            Tok::Op("=") => Some(MatchOp::Eq),
            Tok::Op("!=") => Some(MatchOp::Neq),
            Tok::Op("=~") => Some(MatchOp::Re),
            Tok::Op("!~") => Some(MatchOp::Nre),
            _ => None,
        };
        match op {
            Some(op) => {
                p.pos += 1;
                let value = p.string("STRING")?;
                out.push(LabelRef::Matching(new_matcher(name, op, value)?));
            }
            None => out.push(LabelRef::Name(name)),
        }
        if !p.eat_op(",") {
            return Ok(out);
        }
    }
}

fn unwrap_expr(p: &mut Parser) -> Result<Unwrap, ParseError> {
    let first = p.ident("IDENTIFIER")?;
    if p.eat_op("(") {
        let conversion = first.to_ascii_lowercase();
        if !matches!(
            conversion.as_str(),
            "duration" | "duration_seconds" | "bytes"
        ) {
            return Err(ParseError::general(format!(
                "unknown unwrap conversion {first}"
            )));
        }
        let label = p.ident("IDENTIFIER")?;
        p.expect_op(")", ")")?;
        return Ok(Unwrap {
            label,
            conversion: Some(conversion),
        });
    }
    Ok(Unwrap {
        label: first,
        conversion: None,
    })
}

fn label_filter_or(p: &mut Parser) -> Result<LabelFilter, ParseError> {
    let mut lhs = label_filter_and(p)?;
    while p.is_keyword("or") {
        p.pos += 1;
        let rhs = label_filter_and(p)?;
        lhs = LabelFilter::Or(Box::new(lhs), Box::new(rhs));
    }
    Ok(lhs)
}

fn label_filter_and(p: &mut Parser) -> Result<LabelFilter, ParseError> {
    let mut lhs = label_filter_primary(p)?;
    loop {
        let explicit = p.is_keyword("and") || matches!(p.peek(), Tok::Op(","));
        let implicit = matches!(p.peek(), Tok::Ident(w) if !w.eq_ignore_ascii_case("or") && !w.eq_ignore_ascii_case("offset"))
            || matches!(p.peek(), Tok::Op("("));
        if !explicit && !implicit {
            return Ok(lhs);
        }
        if explicit {
            p.pos += 1;
        }
        let rhs = label_filter_primary(p)?;
        lhs = LabelFilter::And(Box::new(lhs), Box::new(rhs));
    }
}

fn label_filter_primary(p: &mut Parser) -> Result<LabelFilter, ParseError> {
    if p.eat_op("(") {
        let inner = label_filter_or(p)?;
        p.expect_op(")", ")")?;
        return Ok(inner);
    }
    let name = p.ident("IDENTIFIER")?;
    let op_tok = p.next();
    let value_tok = p.peek().clone();
    let string_op = match op_tok {
        Tok::Op("=") => Some(MatchOp::Eq),
        Tok::Op("!=") => Some(MatchOp::Neq),
        Tok::Op("=~") => Some(MatchOp::Re),
        Tok::Op("!~") => Some(MatchOp::Nre),
        _ => None,
    };
    if let (Some(op), Tok::Str(value)) = (string_op, &value_tok) {
        p.pos += 1;
        return Ok(LabelFilter::Match(new_matcher(name, op, value.clone())?));
    }
    let cmp = match op_tok {
        Tok::Op("=" | "==") => CmpOp::Eq,
        Tok::Op("!=") => CmpOp::Neq,
        Tok::Op(">") => CmpOp::Gt,
        Tok::Op(">=") => CmpOp::Gte,
        Tok::Op("<") => CmpOp::Lt,
        Tok::Op("<=") => CmpOp::Lte,
        _ => {
            p.pos -= 1;
            return Err(p.unexpected(""));
        }
    };
    let negative = p.eat_op("-");
    let sign = if negative { -1.0 } else { 1.0 };
    let value = match p.next() {
        Tok::Number(n) => NumericLiteral::Number(sign * n),
        Tok::Duration(ns) => NumericLiteral::Duration(if negative { -ns } else { ns }),
        Tok::Bytes(b) if !negative => NumericLiteral::Bytes(b),
        Tok::Str(s) if cmp == CmpOp::Eq => {
            return Ok(LabelFilter::Match(new_matcher(name, MatchOp::Eq, s)?));
        }
        _ => {
            p.pos -= 1;
            return Err(p.unexpected(""));
        }
    };
    Ok(LabelFilter::Numeric {
        name,
        op: cmp,
        value,
    })
}
