//! Building a selector from the label browser's choices: `metric{a="x", b=~"y|z"}` (one value
//! is an exact match, several a regex alternation of escaped values).

use std::collections::{BTreeMap, BTreeSet};

use super::complete::escape_string;
use crate::model::interpolate::escape_regex;

/// The selector for `metric` (PromQL; `None` for LogQL) and the chosen values per label. A
/// LogQL selector needs at least one matcher, so an empty choice gives `{}` to be completed.
#[must_use]
pub fn build_selector(metric: Option<&str>, chosen: &BTreeMap<String, BTreeSet<String>>) -> String {
    let matchers: Vec<String> = chosen
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(label, values)| {
            if values.len() == 1 {
                let value = values.iter().next().map(String::as_str).unwrap_or_default();
                format!("{label}=\"{}\"", escape_string(value))
            } else {
                let alternatives: Vec<String> = values.iter().map(|v| escape_regex(v)).collect();
                format!("{label}=~\"{}\"", escape_string(&alternatives.join("|")))
            }
        })
        .collect();
    let metric = metric.unwrap_or("");
    if matchers.is_empty() && !metric.is_empty() {
        return metric.to_owned();
    }
    format!("{metric}{{{}}}", matchers.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(pairs: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        pairs
            .iter()
            .map(|(l, vs)| {
                (
                    (*l).to_owned(),
                    vs.iter().map(|v| (*v).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn one_value_matches_exactly_and_several_become_an_escaped_alternation() {
        assert_eq!(
            build_selector(
                Some("DCGM_FI_DEV_GPU_UTIL"),
                &chosen(&[("Hostname", &["gpu-east-prod-01"]), ("gpu", &["0", "1.5"])])
            ),
            r#"DCGM_FI_DEV_GPU_UTIL{Hostname="gpu-east-prod-01", gpu=~"0|1\\.5"}"#
        );
        assert_eq!(build_selector(Some("up"), &chosen(&[])), "up");
        assert_eq!(
            build_selector(None, &chosen(&[("app", &["a\"b"])])),
            r#"{app="a\"b"}"#
        );
        assert_eq!(build_selector(None, &chosen(&[("app", &[])])), "{}");
    }
}
