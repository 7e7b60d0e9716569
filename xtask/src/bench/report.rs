//! The benchmark report: one [`Figure`] per measured number, with its reference measured in the
//! same run, the ratio, the target and whether it is met; written as `target/bench/report.md`
//! (a table) and `target/bench/report.json` (an array of objects).

use serde_json::{json, Value};

/// How a figure is judged against its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// `ratio <= limit` (e.g. ≤ 1.0× uPlot).
    RatioAtMost(f64),
    /// `value <= limit` in the figure's own unit (e.g. ≤ 400 KB, ≤ 100 rows).
    ValueAtMost(f64),
    /// Only reported.
    Report,
}

/// One measured figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub figure: String,
    /// Median of the runs (`None` when the figure could not be measured).
    pub value: Option<f64>,
    pub unit: String,
    pub reference: String,
    pub reference_value: Option<f64>,
    pub target: Target,
    /// What the target says, for people (`≤ 1.0× uPlot`).
    pub target_text: String,
    /// Runs, spread, what blocked it.
    pub note: String,
}

impl Figure {
    /// A figure with a value and a reference.
    #[must_use]
    pub fn measured(
        figure: &str,
        value: f64,
        unit: &str,
        reference: &str,
        reference_value: Option<f64>,
        target: Target,
        target_text: &str,
    ) -> Figure {
        Figure {
            figure: figure.to_owned(),
            value: Some(value),
            unit: unit.to_owned(),
            reference: reference.to_owned(),
            reference_value,
            target,
            target_text: target_text.to_owned(),
            note: String::new(),
        }
    }

    /// A figure that could not be measured, and why.
    #[must_use]
    pub fn blocked(
        figure: &str,
        unit: &str,
        reference: &str,
        target_text: &str,
        why: &str,
    ) -> Figure {
        Figure {
            figure: figure.to_owned(),
            value: None,
            unit: unit.to_owned(),
            reference: reference.to_owned(),
            reference_value: None,
            target: Target::Report,
            target_text: target_text.to_owned(),
            note: format!("not measured: {why}"),
        }
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Figure {
        self.note = note.into();
        self
    }

    /// `value / reference_value`, when both are there and the reference is not zero.
    #[must_use]
    pub fn ratio(&self) -> Option<f64> {
        match (self.value, self.reference_value) {
            (Some(v), Some(r)) if r != 0.0 => Some(v / r),
            _ => None,
        }
    }

    /// Whether the target is met (`None` for report-only or unmeasured figures).
    #[must_use]
    pub fn met(&self) -> Option<bool> {
        match self.target {
            Target::RatioAtMost(limit) => self.ratio().map(|r| r <= limit),
            Target::ValueAtMost(limit) => self.value.map(|v| v <= limit),
            Target::Report => None,
        }
    }

    /// The JSON object of `report.json`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "figure": self.figure,
            "value": self.value.map(round3),
            "unit": self.unit,
            "reference": self.reference,
            "reference_value": self.reference_value.map(round3),
            "ratio": self.ratio().map(round3),
            "target": self.target_text,
            "met": self.met(),
            "note": self.note,
        })
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Median of `samples` (`None` when empty); NaNs are ignored.
#[must_use]
pub fn median(samples: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    })
}

/// A number for the table: no more decimals than it needs.
#[must_use]
pub fn number(v: f64) -> String {
    let magnitude = v.abs();
    if magnitude >= 1000.0 {
        format!("{v:.0}")
    } else if magnitude >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The Markdown table of `report.md`.
#[must_use]
pub fn markdown(figures: &[Figure], header: &str) -> String {
    let mut out = String::from(header);
    out.push_str(
        "\n| figure | value | reference | reference value | ratio | target | met |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for f in figures {
        let value = f
            .value
            .map_or_else(|| "—".to_owned(), |v| format!("{} {}", number(v), f.unit));
        let reference_value = f
            .reference_value
            .map_or_else(|| "—".to_owned(), |v| format!("{} {}", number(v), f.unit));
        let ratio = f
            .ratio()
            .map_or_else(|| "—".to_owned(), |r| format!("{r:.2}×"));
        let met = match f.met() {
            Some(true) => "yes",
            Some(false) => "**no**",
            None if f.value.is_none() => "blocked",
            None => "—",
        };
        out.push_str(&format!(
            "| {} | {value} | {} | {reference_value} | {ratio} | {} | {met} |\n",
            f.figure, f.reference, f.target_text
        ));
    }
    let notes: Vec<String> = figures
        .iter()
        .filter(|f| !f.note.is_empty())
        .map(|f| format!("- **{}**: {}", f.figure, f.note))
        .collect();
    if !notes.is_empty() {
        out.push_str("\nNotes:\n\n");
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out
}

/// The array of `report.json`.
#[must_use]
pub fn json_array(figures: &[Figure]) -> Value {
    Value::Array(figures.iter().map(Figure::to_json).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts_and_nan_is_ignored() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 5.0]), Some(5.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn ratio_targets_are_judged_on_the_ratio_and_value_targets_on_the_value() {
        let fast = Figure::measured(
            "redraw",
            80.0,
            "ms",
            "uPlot",
            Some(100.0),
            Target::RatioAtMost(1.0),
            "≤ 1.0× uPlot",
        );
        assert_eq!(fast.ratio(), Some(0.8));
        assert_eq!(fast.met(), Some(true));
        let big = Figure::measured(
            "size",
            594.0,
            "KB",
            "Grafana",
            Some(2930.0),
            Target::ValueAtMost(400.0),
            "≤ 400 KB",
        );
        assert_eq!(big.met(), Some(false));
        let blocked = Figure::blocked("logs", "ms", "plain DOM", "≤ 0.2×", "no log list yet");
        assert_eq!(blocked.met(), None);
        assert_eq!(blocked.ratio(), None);
    }

    #[test]
    fn json_has_every_field_the_issue_names() {
        let f = Figure::measured(
            "decode 5 MB",
            20.0,
            "ms",
            "JSON.parse",
            Some(40.0),
            Target::RatioAtMost(2.0),
            "≤ 2.0×",
        );
        let v = json_array(&[f]);
        let object = v[0]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>());
        for key in [
            "figure",
            "value",
            "unit",
            "reference",
            "reference_value",
            "ratio",
            "target",
            "met",
        ] {
            assert!(
                object.as_ref().is_some_and(|k| k.iter().any(|k| k == key)),
                "{key} missing from {v}"
            );
        }
        assert_eq!(v[0]["ratio"], json!(0.5));
        assert_eq!(v[0]["met"], json!(true));
    }

    #[test]
    fn markdown_marks_missed_and_blocked_figures() {
        let missed = Figure::measured(
            "size",
            594.0,
            "KB",
            "Grafana",
            Some(2930.0),
            Target::ValueAtMost(400.0),
            "≤ 400 KB",
        );
        let blocked = Figure::blocked("logs", "ms", "plain DOM", "≤ 0.2×", "no log list yet");
        let md = markdown(&[missed, blocked], "# Bench\n");
        assert!(md.contains("| size | 594.0 KB | Grafana | 2930 KB | 0.20× | ≤ 400 KB | **no** |"));
        assert!(md.contains("| blocked |"));
        assert!(md.contains("not measured: no log list yet"));
    }
}
