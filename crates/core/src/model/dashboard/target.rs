//! A panel's queries (`targets`): PromQL or LogQL text and how to run it.

use super::codec::object_model;
use super::datasource::DatasourceRef;

object_model! {
    /// One query of a panel.
    pub struct Target {
        /// `A`, `B`…: names the query among the panel's.
        field ref_id: String = "refId",
        /// PromQL or LogQL, with `$variables`.
        field expr: String = "expr",
        /// Series name template: `GPU {{gpu}}`.
        field legend_format: String = "legendFormat",
        /// Run as an instant query (Prometheus).
        field instant: bool = "instant",
        /// Run as a range query (Prometheus); the default when neither is set.
        field range: bool = "range",
        /// Minimum step, e.g. `30s` or `$interval`.
        field interval: String = "interval",
        /// Hidden queries are not run.
        field hide: bool = "hide",
        /// Loki: `range`, `instant` or `stream`.
        field query_type: String = "queryType",
        /// The target's own datasource (under `-- Mixed --` panels).
        field datasource: Option<DatasourceRef> = "datasource",
    }
}

/// How a target asks for data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryMode {
    Range,
    Instant,
    /// Both a range and an instant query (Grafana's "Both").
    Both,
}

impl Target {
    /// Range, instant or both, from `range`/`instant` and Loki's `queryType`.
    #[must_use]
    pub fn query_mode(&self) -> QueryMode {
        match (self.range, self.instant, self.query_type.as_str()) {
            (_, _, "instant") => QueryMode::Instant,
            (true, true, _) => QueryMode::Both,
            (false, true, _) => QueryMode::Instant,
            _ => QueryMode::Range,
        }
    }
}

impl Target {
    /// The expression with variables and built-ins replaced (see `model::interpolate`).
    #[must_use]
    pub fn interpolated_expr(&self, scope: &crate::model::interpolate::Scope<'_>) -> String {
        crate::model::interpolate::interpolate(&self.expr, scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::duration::Duration;
    use crate::model::interpolate::{Builtins, Scope, VariableValue};
    use crate::model::time_range::TimeRange;

    #[test]
    fn a_target_expression_is_interpolated_with_variables_and_step() {
        let target = Target {
            expr: r#"rate(x{gpu=~"$gpu"}[$__rate_interval])"#.to_owned(),
            ..Target::default()
        };
        let gpu = VariableValue {
            values: vec!["0".into(), "1".into()],
            multi_or_all: true,
            ..VariableValue::default()
        };
        let variables = vec![("gpu".to_owned(), gpu)];
        let builtins = Builtins {
            range: TimeRange::new(0, 3_600_000),
            interval: Duration::from_secs(15),
            scrape_interval: Duration::from_secs(15),
        };
        let scope = Scope {
            variables: &variables,
            builtins: Some(builtins),
        };
        assert_eq!(
            target.interpolated_expr(&scope),
            r#"rate(x{gpu=~"(0|1)"}[1m])"#
        );
        assert_eq!(target.query_mode(), QueryMode::Range);
    }
}
