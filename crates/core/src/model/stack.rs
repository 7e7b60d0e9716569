//! Stacking series (Grafana's `stacking: normal | percent`): each series drawn on top of the ones
//! before it, at the same timestamps.

use std::collections::BTreeMap;

use super::frame::Series;

/// How series stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackMode {
    /// Values add up.
    Normal,
    /// Values add up to 100 % at every timestamp.
    Percent,
}

/// The stacked series: series `i` holds the sum of series `0..=i` at each of its timestamps
/// (missing values count as 0 below it and stay missing in it). In percent mode the sums are
/// divided by the total at that timestamp and scaled to 0–100.
#[must_use]
pub fn stack(series: &[Series], mode: StackMode) -> Vec<Series> {
    let mut running: BTreeMap<i64, f64> = BTreeMap::new();
    let totals: BTreeMap<i64, f64> = if mode == StackMode::Percent {
        let mut totals = BTreeMap::new();
        for s in series {
            for (t, v) in s.times_ms.iter().zip(&s.values) {
                if v.is_finite() {
                    *totals.entry(*t).or_insert(0.0) += v;
                }
            }
        }
        totals
    } else {
        BTreeMap::new()
    };
    series
        .iter()
        .map(|s| {
            let values = s
                .times_ms
                .iter()
                .zip(&s.values)
                .map(|(t, v)| {
                    let below = running.entry(*t).or_insert(0.0);
                    if !v.is_finite() {
                        return f64::NAN;
                    }
                    *below += v;
                    match mode {
                        StackMode::Normal => *below,
                        StackMode::Percent => match totals.get(t) {
                            Some(total) if *total != 0.0 => *below / total * 100.0,
                            _ => 0.0,
                        },
                    }
                })
                .collect();
            Series {
                labels: s.labels.clone(),
                times_ms: s.times_ms.clone(),
                values,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::frame::Labels;

    fn s(values: &[f64]) -> Series {
        Series {
            labels: Labels::default(),
            times_ms: (0..values.len() as i64).collect(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn each_series_sits_on_the_ones_before_it() {
        let out = stack(
            &[s(&[1.0, 2.0]), s(&[3.0, f64::NAN]), s(&[1.0, 1.0])],
            StackMode::Normal,
        );
        assert_eq!(out[0].values, vec![1.0, 2.0]);
        assert_eq!(out[1].values[0], 4.0);
        assert!(out[1].values[1].is_nan(), "a missing value stays missing");
        assert_eq!(out[2].values, vec![5.0, 3.0]);
    }

    #[test]
    fn percent_mode_tops_out_at_100() {
        let out = stack(&[s(&[1.0, 0.0]), s(&[3.0, 0.0])], StackMode::Percent);
        assert_eq!(out[0].values, vec![25.0, 0.0]);
        assert_eq!(out[1].values, vec![100.0, 0.0]);
    }
}
