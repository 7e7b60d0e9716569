//! What an expanded log row shows: its labels and fields, each marked with where it comes from,
//! because "filter for" edits the query differently for each (a stream matcher for a stream
//! label, a label filter after the pipeline for a parsed field, a parser plus a filter for a field
//! only found in the line).

use std::collections::BTreeSet;

use super::fields::{line_fields, LineFormat};
use super::rows::LogRow;

/// Where a label or field of a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldOrigin {
    /// A label of the stream (indexed; filtered in the selector).
    Stream,
    /// Structured metadata such as `detected_level`.
    Metadata,
    /// Extracted by a parser in the query (`| json`, `| logfmt`).
    Parsed,
    /// Found in the line by Sightline; the query needs a parser to filter on it.
    Line,
}

/// One label or field of an expanded row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailField {
    pub name: String,
    pub value: String,
    pub origin: FieldOrigin,
}

/// Labels and fields of `row`. `stream_labels` are the label names of the query's streams (from
/// the `labels` endpoint) when known; without them a label that also appears as a field of the
/// line is taken as parsed.
#[must_use]
pub fn row_details(
    row: &LogRow,
    stream_labels: Option<&BTreeSet<String>>,
) -> (LineFormat, Vec<DetailField>) {
    let (format, line_fields) = line_fields(&row.line);
    let in_line = |name: &str| line_fields.iter().any(|(n, _)| n == name);
    let mut out: Vec<DetailField> = Vec::new();
    for (name, value) in row.labels.iter() {
        let origin = if is_metadata_name(name) {
            FieldOrigin::Metadata
        } else {
            match stream_labels {
                Some(known) if known.contains(name) => FieldOrigin::Stream,
                Some(_) => FieldOrigin::Parsed,
                None if in_line(name) => FieldOrigin::Parsed,
                None => FieldOrigin::Stream,
            }
        };
        out.push(DetailField {
            name: name.to_owned(),
            value: value.to_owned(),
            origin,
        });
    }
    for (name, value) in row.metadata.iter() {
        if !out.iter().any(|f| f.name == name) {
            out.push(DetailField {
                name: name.to_owned(),
                value: value.to_owned(),
                origin: FieldOrigin::Metadata,
            });
        }
    }
    for (name, value) in line_fields {
        if !name.is_empty() && !out.iter().any(|f| f.name == name) {
            out.push(DetailField {
                name,
                value,
                origin: FieldOrigin::Line,
            });
        }
    }
    crate::sort::sort_by_key(&mut out, |f| (origin_rank(f.origin), f.name.clone()));
    (format, out)
}

fn origin_rank(origin: FieldOrigin) -> u8 {
    match origin {
        FieldOrigin::Stream => 0,
        FieldOrigin::Metadata => 1,
        FieldOrigin::Parsed => 2,
        FieldOrigin::Line => 3,
    }
}

/// Names Loki attaches as structured metadata rather than stream labels.
fn is_metadata_name(name: &str) -> bool {
    matches!(name, "detected_level" | "__error__" | "__error_details__")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::frame::Labels;
    use crate::model::logs::level::LogLevel;

    fn row(labels: &[(&str, &str)], line: &str) -> LogRow {
        LogRow {
            id: 0,
            ts_ns: 1,
            line: line.to_owned(),
            labels: Arc::new(Labels::new(
                labels
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            )),
            metadata: Labels::default(),
            level: LogLevel::Unknown,
            query_index: 0,
        }
    }

    fn origins(details: &[DetailField]) -> Vec<(&str, FieldOrigin)> {
        details
            .iter()
            .map(|f| (f.name.as_str(), f.origin))
            .collect()
    }

    #[test]
    fn known_stream_labels_decide_what_was_parsed() {
        let r = row(
            &[
                ("app", "kube-apiserver"),
                ("verb", "get"),
                ("detected_level", "unknown"),
                ("sourceIPs", "[\"10.0.0.1\"]"),
            ],
            r#"{"verb":"get","user":{"username":"bob"}}"#,
        );
        let known: BTreeSet<String> = ["app".to_owned()].into();
        let (format, details) = row_details(&r, Some(&known));
        assert_eq!(format, LineFormat::Json);
        assert_eq!(
            origins(&details),
            vec![
                ("app", FieldOrigin::Stream),
                ("detected_level", FieldOrigin::Metadata),
                ("sourceIPs", FieldOrigin::Parsed),
                ("verb", FieldOrigin::Parsed),
                ("user_username", FieldOrigin::Line),
            ]
        );
    }

    #[test]
    fn without_stream_labels_fields_of_the_line_count_as_parsed() {
        let r = row(&[("app", "api"), ("level", "info")], "level=info msg=ok");
        let (format, details) = row_details(&r, None);
        assert_eq!(format, LineFormat::Logfmt);
        assert_eq!(
            origins(&details),
            vec![
                ("app", FieldOrigin::Stream),
                ("level", FieldOrigin::Parsed),
                ("msg", FieldOrigin::Line),
            ]
        );
    }
}
