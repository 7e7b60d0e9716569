//! Runs a parsed pipeline over one log entry: line filters, parsers, label filters and
//! formatting, keeping stream labels, structured metadata and parsed labels apart (as Loki's
//! `categorize-labels` encoding needs).

use std::borrow::Cow;

use super::ast::{LabelFilter, LabelFormat, LabelRef, LineFilter, LineOp, NumericLiteral, Stage};
use super::extract::{json_fields, json_path_values, logfmt_fields};
use crate::labels::LabelSet;

/// The label Loki puts on entries a stage failed on.
pub const ERROR_LABEL: &str = "__error__";
/// Details of that failure.
pub const ERROR_DETAILS_LABEL: &str = "__error_details__";

/// One entry going into a pipeline.
#[derive(Debug, Clone, Copy)]
pub struct EntryView<'a> {
    pub ts_ns: i64,
    pub line: &'a str,
    pub stream: &'a LabelSet,
    pub structured: &'a [(&'static str, &'static str)],
}

/// An entry that passed the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// Set if a stage rewrote the line.
    pub line: Option<String>,
    /// Set if a stage changed the stream labels (drop, keep, label_format).
    pub stream: Option<LabelSet>,
    pub structured: LabelSet,
    pub parsed: LabelSet,
}

impl Processed {
    /// Stream labels, structured metadata and parsed labels merged (what Loki shows without
    /// `categorize-labels`, and what metric queries group by).
    #[must_use]
    pub fn all_labels(&self, stream: &LabelSet) -> LabelSet {
        let mut all = self.stream.clone().unwrap_or_else(|| stream.clone());
        for (k, v) in self.structured.iter().chain(self.parsed.iter()) {
            all.set(k.to_string(), v.to_string());
        }
        all
    }
}

/// A compiled pipeline.
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    stages: Vec<Stage>,
}

struct Work<'a> {
    line: Cow<'a, str>,
    stream: Cow<'a, LabelSet>,
    structured: LabelSet,
    parsed: LabelSet,
}

impl Work<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.parsed
            .get(name)
            .or_else(|| self.structured.get(name))
            .or_else(|| self.stream.get(name))
    }

    fn set_parsed(&mut self, name: String, value: String) {
        let name = if self.stream.contains(&name) || self.structured.contains(&name) {
            format!("{name}_extracted")
        } else {
            name
        };
        self.parsed.set(name, value);
    }

    fn set_error(&mut self, kind: &str, details: &str) {
        if self.parsed.get(ERROR_LABEL).is_none() {
            self.parsed.set(ERROR_LABEL.to_string(), kind.to_string());
            self.parsed
                .set(ERROR_DETAILS_LABEL.to_string(), details.to_string());
        }
    }

    fn remove(&mut self, name: &str) {
        self.parsed.remove(name);
        self.structured.remove(name);
        if self.stream.contains(name) {
            self.stream.to_mut().remove(name);
        }
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .stream
            .iter()
            .chain(self.structured.iter())
            .chain(self.parsed.iter())
            .map(|(k, _)| k.to_string())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

impl Pipeline {
    /// Wraps stages.
    #[must_use]
    pub fn new(stages: Vec<Stage>) -> Self {
        Self { stages }
    }

    /// True if every stage is a line filter (then labels never change).
    #[must_use]
    pub fn only_line_filters(&self) -> bool {
        self.stages.iter().all(|s| matches!(s, Stage::Line(_)))
    }

    /// True if there are no stages at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }

    /// Applies just the line filters (valid when [`Self::only_line_filters`]).
    #[must_use]
    pub fn line_passes(&self, line: &str) -> bool {
        self.stages.iter().all(|s| match s {
            Stage::Line(f) => line_filter_passes(f, line),
            _ => true,
        })
    }

    /// Runs every stage; `None` if the entry was filtered out.
    #[must_use]
    pub fn process(&self, entry: EntryView<'_>) -> Option<Processed> {
        let mut work = Work {
            line: Cow::Borrowed(entry.line),
            stream: Cow::Borrowed(entry.stream),
            structured: LabelSet::from_pairs(entry.structured.iter().copied()),
            parsed: LabelSet::new(),
        };
        for stage in &self.stages {
            if !run_stage(stage, &mut work, entry.ts_ns) {
                return None;
            }
        }
        Some(Processed {
            line: match work.line {
                Cow::Owned(s) => Some(s),
                Cow::Borrowed(_) => None,
            },
            stream: match work.stream {
                Cow::Owned(s) => Some(s),
                Cow::Borrowed(_) => None,
            },
            structured: work.structured,
            parsed: work.parsed,
        })
    }
}

fn line_filter_passes(filter: &LineFilter, line: &str) -> bool {
    match filter.op {
        LineOp::Contains => filter.values.iter().any(|v| line.contains(v.as_str())),
        LineOp::NotContains => !filter.values.iter().any(|v| line.contains(v.as_str())),
        LineOp::Matches => filter.regexes.iter().any(|r| r.is_match(line)),
        LineOp::NotMatches => !filter.regexes.iter().any(|r| r.is_match(line)),
    }
}

fn run_stage(stage: &Stage, work: &mut Work<'_>, ts_ns: i64) -> bool {
    match stage {
        Stage::Line(filter) => return line_filter_passes(filter, &work.line),
        Stage::Json(params) if params.is_empty() => match json_fields(&work.line) {
            Ok(fields) => fields.into_iter().for_each(|(k, v)| work.set_parsed(k, v)),
            Err(e) => work.set_error("JSONParserErr", &e.0),
        },
        Stage::Json(params) => {
            let paths: Vec<&str> = params.iter().map(|p| p.path.as_str()).collect();
            match json_path_values(&work.line, &paths) {
                Ok(values) => {
                    for (p, v) in params.iter().zip(values) {
                        work.set_parsed(p.label.clone(), v);
                    }
                }
                Err(e) => work.set_error("JSONParserErr", &e.0),
            }
        }
        Stage::Logfmt {
            params,
            strict,
            keep_empty,
        } => match logfmt_fields(&work.line, *strict) {
            Ok(fields) if params.is_empty() => {
                for (k, v) in fields {
                    if !v.is_empty() || *keep_empty {
                        work.set_parsed(k, v);
                    }
                }
            }
            Ok(fields) => {
                for p in params {
                    let value = fields
                        .iter()
                        .find(|(k, _)| *k == p.path)
                        .map(|(_, v)| v.clone());
                    work.set_parsed(p.label.clone(), value.unwrap_or_default());
                }
            }
            Err(e) => work.set_error("LogfmtParserErr", &e.0),
        },
        Stage::Filter(filter) => return label_filter_passes(filter, work),
        Stage::LineFormat(template) => {
            let rendered = render_template(template, work, ts_ns);
            work.line = Cow::Owned(rendered);
        }
        Stage::LabelFormat(items) => {
            for item in items {
                match item {
                    LabelFormat::Rename { to, from } => {
                        let value = work.get(from).unwrap_or_default().to_string();
                        work.remove(from);
                        work.parsed.set(to.clone(), value);
                    }
                    LabelFormat::Template { to, template } => {
                        let value = render_template(template, work, ts_ns);
                        work.parsed.set(to.clone(), value);
                    }
                }
            }
        }
        Stage::Drop(refs) => {
            for name in work.names() {
                let value = work.get(&name).unwrap_or_default().to_string();
                if refs.iter().any(|r| ref_matches(r, &name, &value)) {
                    work.remove(&name);
                }
            }
        }
        Stage::Keep(refs) => {
            for name in work.names() {
                let value = work.get(&name).unwrap_or_default().to_string();
                if !refs.iter().any(|r| ref_matches(r, &name, &value)) {
                    work.remove(&name);
                }
            }
        }
        Stage::Decolorize => {
            if work.line.contains('\u{1b}') {
                let cleaned = strip_ansi(&work.line);
                work.line = Cow::Owned(cleaned);
            }
        }
    }
    true
}

fn ref_matches(r: &LabelRef, name: &str, value: &str) -> bool {
    match r {
        LabelRef::Name(n) => n == name,
        LabelRef::Matching(m) => m.name == name && m.matches(value),
    }
}

fn label_filter_passes(filter: &LabelFilter, work: &mut Work<'_>) -> bool {
    match filter {
        LabelFilter::Match(m) => m.matches(work.get(&m.name).unwrap_or_default()),
        LabelFilter::And(a, b) => label_filter_passes(a, work) && label_filter_passes(b, work),
        LabelFilter::Or(a, b) => label_filter_passes(a, work) || label_filter_passes(b, work),
        LabelFilter::Numeric { name, op, value } => {
            let Some(text) = work.get(name).map(str::to_string) else {
                return false;
            };
            let (parsed, target) = match value {
                NumericLiteral::Number(n) => (text.trim().parse::<f64>().ok(), *n),
                NumericLiteral::Duration(ns) => (parse_go_duration_secs(&text), *ns as f64 / 1e9),
                NumericLiteral::Bytes(b) => (
                    super::lexer::parse_bytes(&text).map(|v| v as f64),
                    *b as f64,
                ),
            };
            match parsed {
                Some(v) => op.holds(v, target),
                None => {
                    work.set_error(
                        "LabelFilterErr",
                        &format!("cannot convert {text:?} for {name}"),
                    );
                    true
                }
            }
        }
    }
}

/// Go `time.ParseDuration` (`1.5s`, `300ms`, `2h45m`, `12us`) → seconds.
#[must_use]
pub fn parse_go_duration_secs(text: &str) -> Option<f64> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(0.0);
    }
    let mut total = 0.0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += n * factor;
        rest = &rest[unit_len..];
    }
    Some(if negative { -total } else { total })
}

/// Renders the `{{.label}}` / `{{ __line__ }}` / `{{ __timestamp__ }}` subset of Go templates.
fn render_template(template: &str, work: &Work<'_>, ts_ns: i64) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return out;
        };
        let action = after[..close]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let first = action.split_whitespace().next().unwrap_or_default();
        if let Some(name) = first.strip_prefix('.') {
            out.push_str(work.get(name).unwrap_or_default());
        } else if first == "__line__" {
            out.push_str(&work.line);
        } else if first == "__timestamp__" {
            out.push_str(&crate::timefmt::format_rfc3339_nanos(ts_ns));
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
