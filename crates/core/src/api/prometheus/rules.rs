//! Typed `rules` answers: rule groups with their alerting and recording rules, active alerts,
//! and the `groupNextToken` of paged answers.

use serde::Deserialize;

use super::decode::PromResponse;
use super::samples::string_number;
use crate::api::envelope::decode_envelope_of;
use crate::api::error::ApiError;
use crate::api::wire::labels;
use crate::model::frame::Labels;

/// The `data` of a `rules` answer.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RulesData {
    pub groups: Vec<RuleGroup>,
    /// Present when more groups follow (send it back as `group_next_token`).
    pub group_next_token: Option<String>,
}

/// One rule group.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RuleGroup {
    pub name: String,
    pub file: String,
    /// Evaluation interval in seconds.
    pub interval: f64,
    pub rules: Vec<Rule>,
    /// Seconds the last evaluation took.
    pub evaluation_time: f64,
    /// RFC 3339 time of the last evaluation.
    pub last_evaluation: String,
}

/// A rule, by its `type`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Rule {
    Alerting(AlertingRule),
    Recording(RecordingRule),
    /// A rule type this version does not know.
    #[serde(other)]
    Other,
}

impl Rule {
    /// The rule's name (alert name or recorded metric), if known.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        match self {
            Rule::Alerting(rule) => Some(&rule.name),
            Rule::Recording(rule) => Some(&rule.name),
            Rule::Other => None,
        }
    }
}

/// An alerting rule and its active alerts.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AlertingRule {
    pub name: String,
    pub query: String,
    /// `for` in seconds.
    pub duration: f64,
    /// `keep_firing_for` in seconds.
    pub keep_firing_for: f64,
    #[serde(deserialize_with = "labels")]
    pub labels: Labels,
    #[serde(deserialize_with = "labels")]
    pub annotations: Labels,
    pub alerts: Vec<Alert>,
    /// `ok`, `err` or `unknown`.
    pub health: String,
    pub last_error: Option<String>,
    /// `inactive`, `pending` or `firing`.
    pub state: String,
    pub evaluation_time: f64,
    pub last_evaluation: String,
}

/// A recording rule.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RecordingRule {
    pub name: String,
    pub query: String,
    #[serde(deserialize_with = "labels")]
    pub labels: Labels,
    pub health: String,
    pub last_error: Option<String>,
    pub evaluation_time: f64,
    pub last_evaluation: String,
}

/// An active (pending or firing) alert.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    #[serde(deserialize_with = "labels", default)]
    pub labels: Labels,
    #[serde(deserialize_with = "labels", default)]
    pub annotations: Labels,
    #[serde(default)]
    pub state: String,
    /// RFC 3339 time the alert became active.
    #[serde(default)]
    pub active_at: Option<String>,
    /// The value that triggered it (a string on the wire, `"1e+00"`).
    #[serde(deserialize_with = "string_number", default = "nan")]
    pub value: f64,
}

fn nan() -> f64 {
    f64::NAN
}

/// Decodes a `rules` answer.
///
/// # Errors
/// [`ApiError::Malformed`] for an unreadable body, [`ApiError::BadQuery`] for `status: error`.
pub fn decode_rules(host: &str, body: &str) -> Result<PromResponse<RulesData>, ApiError> {
    decode_envelope_of(host, body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn paged_answers_carry_the_next_token_and_unknown_rule_types_survive() {
        let body = r#"{"status":"success","data":{"groups":[{"name":"g","file":"f.yml","interval":60,
            "rules":[{"type":"alerting","name":"A","query":"up == 0","duration":300,"labels":{"severity":"page"},
                      "annotations":{},"alerts":[{"labels":{"alertname":"A"},"annotations":{},"state":"firing",
                      "activeAt":"2024-01-01T00:00:00Z","value":"1e+00"}],"health":"ok","state":"firing"},
                     {"type":"streaming","name":"future"}]}],
            "groupNextToken":"a1b2"}}"#;
        let data = decode_rules("h", body).unwrap().data;
        assert_eq!(data.group_next_token.as_deref(), Some("a1b2"));
        let rules = &data.groups[0].rules;
        assert_eq!(rules.len(), 2);
        match &rules[0] {
            Rule::Alerting(rule) => {
                assert_eq!(rule.duration, 300.0);
                assert_eq!(rule.alerts[0].value, 1.0);
                assert_eq!(rule.labels.get("severity"), Some("page"));
            }
            other => panic!("expected an alerting rule, got {other:?}"),
        }
        assert_eq!(rules[1], Rule::Other);
    }
}
