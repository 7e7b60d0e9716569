//! Grafana's field overrides (`fieldConfig.overrides`): settings for some series only — "GPU 0 in
//! red", "the power query in watts", "hide the total from the chart". Each override has a
//! matcher and properties; later overrides win over earlier ones, and all over the defaults.
//!
//! Matchers read: `byName` (the series' display name), `byRegexp` (a regex on it: a plain
//! pattern matches the whole name, `/…/flags` anywhere in it, as Grafana), and
//! `byFrameRefID` (the query's `refId`). Which properties a panel applies is listed in
//! [`applied_properties`]; others are kept in the file and reported on load.

use regex_lite::Regex;
use serde_json::Value;

/// Which series an override applies to.
#[derive(Debug, Clone)]
pub enum Matcher {
    ByName(String),
    ByRegexp(Regex),
    ByRefId(String),
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Matcher::ByName(a), Matcher::ByName(b))
            | (Matcher::ByRefId(a), Matcher::ByRefId(b)) => a == b,
            (Matcher::ByRegexp(a), Matcher::ByRegexp(b)) => a.as_str() == b.as_str(),
            _ => false,
        }
    }
}

/// One override: a matcher and its properties (`id`, `value`) in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldOverride {
    pub matcher: Matcher,
    pub properties: Vec<(String, Value)>,
}

/// Why an override is not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideReadError {
    #[error("matcher {0:?} is not supported (byName, byRegexp and byFrameRefID are); the override is kept but not applied")]
    Matcher(String),
    #[error("matcher option {0:?} is not a valid regular expression; the override is kept but not applied")]
    Regex(String),
    #[error("not an override (expected matcher and properties); kept but not applied")]
    Shape,
}

/// The properties a panel of type `panel_type` applies from an override.
#[must_use]
pub fn applied_properties(panel_type: &str) -> &'static [&'static str] {
    match panel_type {
        "timeseries" => &[
            "displayName",
            "color",
            "unit",
            "custom.hideFrom",
            "custom.axisPlacement",
            "custom.lineInterpolation",
            "custom.transform",
            "custom.lineWidth",
            "custom.fillOpacity",
            "custom.drawStyle",
            "custom.lineStyle",
            "custom.showPoints",
            "custom.pointSize",
        ],
        _ => &[
            "displayName",
            "color",
            "unit",
            "decimals",
            "min",
            "max",
            "thresholds",
            "mappings",
            "noValue",
        ],
    }
}

/// Reads one override.
///
/// # Errors
/// When its matcher is of another kind, its regex does not compile, or it is not an override.
pub fn parse_override(value: &Value) -> Result<FieldOverride, OverrideReadError> {
    let matcher = value.get("matcher").ok_or(OverrideReadError::Shape)?;
    let id = matcher
        .get("id")
        .and_then(Value::as_str)
        .ok_or(OverrideReadError::Shape)?;
    let option = matcher
        .get("options")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let matcher = match id {
        "byName" => Matcher::ByName(option.to_owned()),
        "byFrameRefID" => Matcher::ByRefId(option.to_owned()),
        "byRegexp" => {
            // Grafana's `stringToJsRegex`: `/…/flags` as written, a plain pattern whole-name.
            let pattern = match option.strip_prefix('/').and_then(|p| p.rsplit_once('/')) {
                Some((body, flags)) if flags.contains('i') => format!("(?i){body}"),
                Some((body, _)) => body.to_owned(),
                None => format!("^(?:{option})$"),
            };
            let regex =
                Regex::new(&pattern).map_err(|_| OverrideReadError::Regex(option.to_owned()))?;
            Matcher::ByRegexp(regex)
        }
        other => return Err(OverrideReadError::Matcher(other.to_owned())),
    };
    let properties = value
        .get("properties")
        .and_then(Value::as_array)
        .ok_or(OverrideReadError::Shape)?
        .iter()
        .filter_map(|p| {
            let id = p.get("id")?.as_str()?;
            Some((
                id.to_owned(),
                p.get("value").cloned().unwrap_or(Value::Null),
            ))
        })
        .collect();
    Ok(FieldOverride {
        matcher,
        properties,
    })
}

/// Reads an `overrides` array, leaving out the ones that cannot be applied.
#[must_use]
pub fn parse_overrides(value: &Value) -> Vec<FieldOverride> {
    value
        .as_array()
        .map(|list| list.iter().filter_map(|o| parse_override(o).ok()).collect())
        .unwrap_or_default()
}

impl FieldOverride {
    /// Whether the override applies to the series named `name` from query `ref_id`.
    #[must_use]
    pub fn matches(&self, name: &str, ref_id: &str) -> bool {
        match &self.matcher {
            Matcher::ByName(n) => n == name,
            Matcher::ByRegexp(r) => r.is_match(name),
            Matcher::ByRefId(r) => r == ref_id,
        }
    }
}

/// The properties that apply to a series, in the order to apply them (later ones win).
pub fn properties_for<'a>(
    overrides: &'a [FieldOverride],
    name: &'a str,
    ref_id: &'a str,
) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
    overrides
        .iter()
        .filter(move |o| o.matches(name, ref_id))
        .flat_map(|o| o.properties.iter().map(|(id, value)| (id.as_str(), value)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    fn overrides() -> Vec<FieldOverride> {
        parse_overrides(&json!([
            {"matcher": {"id": "byName", "options": "GPU 0"},
             "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]},
            {"matcher": {"id": "byRegexp", "options": "GPU [0-3]"},
             "properties": [{"id": "unit", "value": "watt"}, {"id": "color", "value": {"mode": "fixed", "fixedColor": "blue"}}]},
            {"matcher": {"id": "byFrameRefID", "options": "B"},
             "properties": [{"id": "displayName", "value": "Total"}]},
            {"matcher": {"id": "byType", "options": "number"}, "properties": []},
            {"matcher": {"id": "byRegexp", "options": "(unclosed"}, "properties": []},
            {"properties": []}
        ]))
    }

    #[test]
    fn unappliable_overrides_are_left_out_with_a_reason() {
        assert_eq!(overrides().len(), 3);
        assert_eq!(
            parse_override(
                &json!({"matcher": {"id": "byType", "options": "number"}, "properties": []})
            ),
            Err(OverrideReadError::Matcher("byType".to_owned()))
        );
        assert!(matches!(
            parse_override(
                &json!({"matcher": {"id": "byRegexp", "options": "("}, "properties": []})
            ),
            Err(OverrideReadError::Regex(_))
        ));
        assert_eq!(parse_override(&json!(3)), Err(OverrideReadError::Shape));
    }

    #[test]
    fn loading_reports_overrides_and_properties_a_panel_does_not_apply() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
            "fieldConfig": {"defaults": {}, "overrides": [
              {"matcher": {"id": "byName", "options": "a"}, "properties": [
                {"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}},
                {"id": "custom.gradientMode", "value": "opacity"}]},
              {"matcher": {"id": "byValue", "options": {}}, "properties": []}]}}]}"#;
        let loaded = crate::model::dashboard::load(text);
        let warnings: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.path, d.message))
            .collect();
        assert_eq!(
            warnings,
            vec![
                "panels[0].fieldConfig.overrides[0].properties[1]: override property \"custom.gradientMode\" is not applied by timeseries panels; it is kept",
                "panels[0].fieldConfig.overrides[1]: matcher \"byValue\" is not supported (byName, byRegexp and byFrameRefID are); the override is kept but not applied",
            ]
        );
    }

    #[test]
    fn properties_apply_in_order_to_the_series_they_match() {
        let list = overrides();
        let ids = |name: &str, ref_id: &str| -> Vec<String> {
            properties_for(&list, name, ref_id)
                .map(|(id, v)| format!("{id}={v}"))
                .collect()
        };
        assert_eq!(
            ids("GPU 0", "A"),
            vec![
                r#"color={"mode":"fixed","fixedColor":"red"}"#,
                "unit=\"watt\"",
                r#"color={"mode":"fixed","fixedColor":"blue"}"#
            ]
        );
        // A plain pattern matches the whole name; `/…/` anywhere in it.
        assert!(ids("GPU 12", "A").is_empty());
        let slashed = parse_overrides(
            &json!([{"matcher": {"id": "byRegexp", "options": "/gpu [0-3]/i"},
            "properties": [{"id": "unit", "value": "watt"}]}]),
        );
        assert!(slashed[0].matches("GPU 12", "A"));
        assert_eq!(ids("GPU 12", "B"), vec!["displayName=\"Total\""]);
    }
}
