//! Fuzz target: variable interpolation. The first line is the text; every further line is a
//! variable `name=value1|value2…` (more than one value makes it multi-value). Interpolation never
//! panics and its output stays proportional to its inputs (one pass, no expansion of values).

#![no_main]

use libfuzzer_sys::fuzz_target;
use sightline_core::model::duration::Duration;
use sightline_core::model::interpolate::{interpolate, Builtins, Scope, VariableValue};
use sightline_core::model::time_range::TimeRange;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = input.split('\n');
    let text = lines.next().unwrap_or_default();
    let variables: Vec<(String, VariableValue)> = lines
        .filter_map(|line| line.split_once('='))
        .map(|(name, values)| {
            let values: Vec<String> = values.split('|').map(str::to_owned).collect();
            let multi = values.len() > 1;
            (
                name.to_owned(),
                VariableValue {
                    texts: values.clone(),
                    values,
                    multi_or_all: multi,
                    ..VariableValue::default()
                },
            )
        })
        .collect();
    let scope = Scope {
        variables: &variables,
        builtins: Some(Builtins {
            range: TimeRange::new(1_700_000_000_000, 1_700_086_400_000),
            interval: Duration::from_secs(30),
            scrape_interval: Duration::from_secs(15),
        }),
    };
    let out = interpolate(text, &scope);
    let values_len: usize = variables
        .iter()
        .flat_map(|(_, v)| v.values.iter().map(String::len))
        .sum();
    assert!(
        out.len() <= text.len().saturating_mul(values_len.saturating_mul(4) + 80) + 80,
        "{} bytes of text and {values_len} of values gave {} bytes",
        text.len(),
        out.len()
    );
});
