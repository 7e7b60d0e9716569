//! Query results as the rest of Sightline sees them: labelled series held in columns.
//!
//! Columns (`times_ms`, `values`) rather than point structs keep decoding, decimation and drawing
//! cache-friendly; `NaN` marks a missing value and is drawn as a gap.

use std::fmt::Write as _;

/// The label set of one series, sorted by name; `__name__` holds the metric name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Labels(Vec<(String, String)>);

impl Labels {
    /// Builds a label set, sorting by name.
    #[must_use]
    pub fn new(mut pairs: Vec<(String, String)>) -> Self {
        crate::sort::sort(&mut pairs);
        Labels(pairs)
    }

    /// The value of label `name`, if present.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| self.0[i].1.as_str())
    }

    /// The metric name (`__name__`), if the series has one.
    #[must_use]
    pub fn metric_name(&self) -> Option<&str> {
        self.get("__name__")
    }

    /// All pairs, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of labels.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no labels at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Prometheus' own rendering: `metric{a="1", b="2"}` (or `{}` for an empty set).
    #[must_use]
    pub fn prometheus_text(&self) -> String {
        let mut out = String::from(self.metric_name().unwrap_or(""));
        let rest: Vec<_> = self.iter().filter(|(k, _)| *k != "__name__").collect();
        if rest.is_empty() && !out.is_empty() {
            return out;
        }
        out.push('{');
        for (i, (k, v)) in rest.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{k}={v:?}");
        }
        out.push('}');
        out
    }

    /// Applies a Grafana `legendFormat` (`GPU {{gpu}} on {{Hostname}}`); unknown labels render
    /// empty, as in Grafana. An empty or `__auto` format gives [`Labels::prometheus_text`].
    #[must_use]
    pub fn format_legend(&self, template: &str) -> String {
        let template = template.trim();
        if template.is_empty() || template == "__auto" {
            return self.prometheus_text();
        }
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            if let Some(close) = after.find("}}") {
                let name = after[..close].trim();
                out.push_str(self.get(name).unwrap_or(""));
                rest = &after[close + 2..];
            } else {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
        out.push_str(rest);
        out
    }
}

/// One labelled series of samples, in time order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub labels: Labels,
    /// Sample times, Unix epoch milliseconds, ascending.
    pub times_ms: Vec<i64>,
    /// Sample values; `NaN` is a missing value (drawn as a gap).
    pub values: Vec<f64>,
}

impl Series {
    /// Number of samples.
    #[must_use]
    pub fn len(&self) -> usize {
        self.times_ms.len()
    }

    /// True when the series has no samples.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.times_ms.is_empty()
    }

    /// Finite minimum and maximum of the values, if any value is finite.
    #[must_use]
    pub fn finite_min_max(&self) -> Option<(f64, f64)> {
        finite_min_max(&self.values)
    }

    /// The last finite value, if any.
    #[must_use]
    pub fn last_finite(&self) -> Option<f64> {
        self.values.iter().rev().copied().find(|v| v.is_finite())
    }

    /// Mean of the finite values, if any.
    #[must_use]
    pub fn mean(&self) -> Option<f64> {
        let (sum, n) = self
            .values
            .iter()
            .filter(|v| v.is_finite())
            .fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
        (n > 0).then(|| sum / f64::from(n))
    }
}

/// Finite minimum and maximum of `values`, if any value is finite.
#[must_use]
pub fn finite_min_max(values: &[f64]) -> Option<(f64, f64)> {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        Labels::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn legend_format_substitutes_labels_and_blanks_unknown_ones() {
        let l = labels(&[("gpu", "3"), ("Hostname", "node-a")]);
        assert_eq!(
            l.format_legend("GPU {{gpu}} on {{ Hostname }}"),
            "GPU 3 on node-a"
        );
        assert_eq!(l.format_legend("{{missing}}x"), "x");
        assert_eq!(l.format_legend("open {{gpu"), "open {{gpu");
    }

    #[test]
    fn empty_legend_format_uses_prometheus_text() {
        let l = labels(&[
            ("__name__", "up"),
            ("job", "prometheus"),
            ("instance", "a:1"),
        ]);
        assert_eq!(
            l.format_legend(""),
            r#"up{instance="a:1", job="prometheus"}"#
        );
        assert_eq!(labels(&[("__name__", "up")]).format_legend("__auto"), "up");
        assert_eq!(Labels::default().prometheus_text(), "{}");
    }

    #[test]
    fn stats_skip_missing_values() {
        let s = Series {
            labels: Labels::default(),
            times_ms: vec![1, 2, 3, 4],
            values: vec![2.0, f64::NAN, 6.0, f64::INFINITY],
        };
        assert_eq!(s.finite_min_max(), Some((2.0, 6.0)));
        assert_eq!(s.last_finite(), Some(6.0));
        assert_eq!(s.mean(), Some(4.0));
    }
}
