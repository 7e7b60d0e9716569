//! Axis ticks: "nice" value ticks (1, 2, 2.5, 5 × 10ⁿ) and calendar-aligned time ticks, with
//! labels that never read the same twice on one axis.

use crate::model::civil::{CivilDateTime, DAY_MS};
use crate::model::units::{format_value, Unit};

/// A tick: where it is and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Data value (for time ticks: Unix milliseconds).
    pub value: f64,
    pub label: String,
}

/// Rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
#[must_use]
pub fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 2.5 {
        2.5
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// A value axis range widened to whole ticks, and its ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAxis {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<Tick>,
}

/// Chooses a value axis for data spanning `[lo, hi]` on an axis about `pixels` long, one tick per
/// ~`spacing_px`. Fixed ends (`fixed_min`, `fixed_max` from the panel's field config) are kept.
#[must_use]
pub fn value_axis(
    lo: f64,
    hi: f64,
    fixed_min: Option<f64>,
    fixed_max: Option<f64>,
    pixels: f64,
    spacing_px: f64,
    unit: &Unit,
) -> ValueAxis {
    let (mut lo, mut hi) = (fixed_min.unwrap_or(lo), fixed_max.unwrap_or(hi));
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    if (hi - lo).abs() < f64::EPSILON * hi.abs().max(1.0) {
        // A flat line: centre it in a range of ±1 (or ±10 % of the value).
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        if fixed_min.is_none() {
            lo -= pad;
        }
        if fixed_max.is_none() {
            hi += pad;
        }
        if lo >= hi {
            hi = lo + 1.0;
        }
    }
    let count = (pixels / spacing_px).clamp(2.0, 12.0);
    // Nice steps of the displayed quantity (GiB, kW, minutes), not of the raw value.
    let factor = unit.display_factor(hi.abs().max(lo.abs()));
    let factor = if factor.is_finite() && factor > 0.0 {
        factor
    } else {
        1.0
    };
    let step = nice_step((hi - lo) / count / factor) * factor;
    let min = fixed_min.unwrap_or_else(|| (lo / step).floor() * step);
    let max = fixed_max.unwrap_or_else(|| (hi / step).ceil() * step);
    let mut values = Vec::new();
    let mut v = (min / step).ceil() * step;
    while v <= max + step * 1e-9 && values.len() < 50 {
        // Avoid "-0" and float dust such as 0.30000000000000004.
        let clean = if v.abs() < step * 1e-9 { 0.0 } else { v };
        values.push(clean);
        v += step;
    }
    ValueAxis {
        min,
        max,
        ticks: label_values(&values, unit),
    }
}

/// A logarithmic value axis for positive data spanning `[lo, hi]`: whole powers of `base` at
/// both ends (a fixed positive end is kept) and a tick at each power, thinned to about one per
/// `spacing_px` on an axis `pixels` long.
#[must_use]
pub fn log_value_axis(
    lo: f64,
    hi: f64,
    base: f64,
    fixed: (Option<f64>, Option<f64>),
    pixels: f64,
    spacing_px: f64,
    unit: &Unit,
) -> ValueAxis {
    let base = if base > 1.0 { base } else { 10.0 };
    let positive = |v: Option<f64>| v.filter(|v| v.is_finite() && *v > 0.0);
    let (fixed_min, fixed_max) = (positive(fixed.0), positive(fixed.1));
    let (mut lo, mut hi) = match (positive(Some(lo)), positive(Some(hi))) {
        (Some(lo), Some(hi)) => (lo, hi),
        _ => (1.0, base),
    };
    lo = fixed_min.unwrap_or(lo);
    hi = fixed_max.unwrap_or(hi).max(lo);
    let power = |v: f64| v.ln() / base.ln();
    // Float dust (log10(1000) = 2.9999999999999996) must not push an end a decade out.
    let (mut low, mut high) = ((power(lo) + 1e-9).floor(), (power(hi) - 1e-9).ceil());
    if high <= low {
        high = low + 1.0;
    }
    low = low.max(-300.0);
    high = high.min(300.0);
    let min = fixed_min.unwrap_or_else(|| base.powf(low));
    let max = fixed_max.unwrap_or_else(|| base.powf(high));
    let wanted = (pixels / spacing_px).clamp(2.0, 12.0);
    let every = ((high - low) / wanted).ceil().max(1.0);
    let mut ticks = Vec::new();
    let mut k = low;
    while k <= high + 1e-9 && ticks.len() < 50 {
        let value = base.powf(k);
        if value >= min * (1.0 - 1e-9) && value <= max * (1.0 + 1e-9) {
            // Each label alone: a decade's label needs its own decimals (0.01, 1, 100).
            ticks.extend(label_values(&[value], unit));
        }
        k += every;
    }
    if ticks.len() < 3 {
        // Within about one power, the powers alone say little: add evenly stepped values
        // between them (80, 100, 120 between 64 and 128).
        let inner = value_axis(min, max, Some(min), Some(max), pixels, spacing_px, unit);
        let step = (max - min) / 50.0;
        ticks.extend(
            inner
                .ticks
                .into_iter()
                .filter(|t| t.value > min + step && t.value < max - step),
        );
        ticks.sort_by(|a, b| a.value.total_cmp(&b.value));
    }
    ValueAxis { min, max, ticks }
}

/// Labels values with the fewest fixed decimals that show every value exactly (after unit
/// scaling), so that `0.25` never reads `0.2` and neighbours never read the same.
#[must_use]
pub fn label_values(values: &[f64], unit: &Unit) -> Vec<Tick> {
    let mut chosen: Vec<String> = Vec::new();
    for decimals in 0..=8 {
        chosen = values
            .iter()
            .map(|v| format_value(*v, unit, Some(decimals)))
            .collect();
        let exact = values.iter().zip(&chosen).all(|(v, label)| {
            let finer = format_value(*v, unit, Some(decimals + 3));
            trim_number_zeros(&finer) == trim_number_zeros(label)
        });
        if exact {
            break;
        }
    }
    values
        .iter()
        .zip(chosen)
        .map(|(value, label)| Tick {
            value: *value,
            label,
        })
        .collect()
}

/// The label with trailing zeros of its leading number removed (`1.500 GiB` → `1.5 GiB`).
fn trim_number_zeros(label: &str) -> String {
    let end = label
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
        .map_or(label.len(), |(i, _)| i);
    let (number, rest) = label.split_at(end);
    let number = if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    };
    format!("{number}{rest}")
}

/// Time tick spacings, in milliseconds; months and years are approximate and calendar-aligned.
const TIME_STEPS_MS: [i64; 24] = [
    1_000,
    2_000,
    5_000,
    10_000,
    15_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    3_600_000,
    7_200_000,
    10_800_000,
    21_600_000,
    43_200_000,
    DAY_MS,
    2 * DAY_MS,
    7 * DAY_MS,
    14 * DAY_MS,
    30 * DAY_MS,
    91 * DAY_MS,
    365 * DAY_MS,
];

/// Time ticks for `[from_ms, to_ms]` on an axis `pixels` wide, about one per `spacing_px`, aligned
/// to the wall clock at `offset_minutes` east of UTC.
#[must_use]
pub fn time_ticks(
    from_ms: i64,
    to_ms: i64,
    pixels: f64,
    spacing_px: f64,
    offset_minutes: i32,
) -> Vec<Tick> {
    if to_ms <= from_ms || pixels <= 0.0 {
        return Vec::new();
    }
    #[allow(clippy::cast_precision_loss)]
    let span = (to_ms - from_ms) as f64;
    let wanted = (pixels / spacing_px).max(1.0);
    let step = TIME_STEPS_MS
        .iter()
        .copied()
        .find(|&s| {
            #[allow(clippy::cast_precision_loss)]
            let n = span / s as f64;
            n <= wanted
        })
        .unwrap_or(365 * DAY_MS);
    let offset_ms = i64::from(offset_minutes) * 60_000;
    let mut ticks = Vec::new();
    let spans_days =
        to_ms - from_ms > DAY_MS || day_of(from_ms, offset_ms) != day_of(to_ms, offset_ms);
    if step >= 30 * DAY_MS {
        // Month or year ticks on the first of the month.
        let start = CivilDateTime::from_millis(from_ms, offset_minutes);
        let months_per_tick = if step >= 365 * DAY_MS {
            12
        } else if step >= 91 * DAY_MS {
            3
        } else {
            1
        };
        let (mut year, mut month) = (start.year, start.month);
        loop {
            let t = CivilDateTime {
                year,
                month,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0,
                millisecond: 0,
            }
            .to_millis(offset_minutes);
            if t > to_ms || ticks.len() > 100 {
                break;
            }
            if t >= from_ms && (month - 1) % months_per_tick == 0 {
                let label = if months_per_tick == 12 || month == 1 {
                    format!("{year}")
                } else {
                    format!("{year}-{month:02}")
                };
                #[allow(clippy::cast_precision_loss)]
                ticks.push(Tick {
                    value: t as f64,
                    label,
                });
            }
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
        return ticks;
    }
    // Weeks start on Monday; other steps align to multiples of the step in local time.
    let align_base = if step == 7 * DAY_MS || step == 14 * DAY_MS {
        // 1970-01-05 was a Monday.
        4 * DAY_MS
    } else {
        0
    };
    let local_from = from_ms + offset_ms - align_base;
    let first = local_from.div_euclid(step) * step
        + if local_from.rem_euclid(step) == 0 {
            0
        } else {
            step
        };
    let mut local = first;
    while local + align_base - offset_ms <= to_ms && ticks.len() < 200 {
        let t = local + align_base - offset_ms;
        let dt = CivilDateTime::from_millis(t, offset_minutes);
        let label = if step >= DAY_MS {
            format!("{:02}/{:02}", dt.month, dt.day)
        } else if step < 60_000 {
            format!("{:02}:{:02}:{:02}", dt.hour, dt.minute, dt.second)
        } else if spans_days && dt.hour == 0 && dt.minute == 0 {
            format!("{:02}/{:02}", dt.month, dt.day)
        } else {
            format!("{:02}:{:02}", dt.hour, dt.minute)
        };
        #[allow(clippy::cast_precision_loss)]
        ticks.push(Tick {
            value: t as f64,
            label,
        });
        local += step;
    }
    ticks
}

fn day_of(ms: i64, offset_ms: i64) -> i64 {
    (ms + offset_ms).div_euclid(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::civil::parse_rfc3339;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(13.0), 20.0);
        assert_eq!(nice_step(23.0), 25.0);
        assert_eq!(nice_step(42.0), 50.0);
        assert_eq!(nice_step(0.0031), 0.005);
    }

    #[test]
    fn percent_axis_from_0_to_100() {
        let axis = value_axis(
            3.0,
            97.0,
            Some(0.0),
            Some(100.0),
            300.0,
            50.0,
            &Unit::Percent,
        );
        assert_eq!(axis.min, 0.0);
        assert_eq!(axis.max, 100.0);
        let labels: Vec<_> = axis.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, vec!["0%", "20%", "40%", "60%", "80%", "100%"]);
    }

    #[test]
    fn labels_gain_decimals_only_when_needed() {
        let axis = value_axis(0.0, 1.0, None, None, 200.0, 50.0, &Unit::Short);
        let labels: Vec<_> = axis.ticks.iter().map(|t| t.label.clone()).collect();
        assert_eq!(labels, vec!["0.00", "0.25", "0.50", "0.75", "1.00"]);
    }

    #[test]
    fn byte_axes_step_in_whole_binary_units() {
        let unit = Unit::parse("mbytes");
        let axis = value_axis(0.0, 2_900_000.0, None, None, 300.0, 50.0, &unit);
        let labels: Vec<_> = axis.ticks.iter().map(|t| t.label.clone()).collect();
        assert!(labels.iter().all(|l| !l.contains("0000")), "{labels:?}");
        assert!(
            labels.contains(&"1 TiB".to_owned()) || labels.contains(&"1.0 TiB".to_owned()),
            "{labels:?}"
        );
    }

    #[test]
    fn flat_series_still_get_a_range() {
        let axis = value_axis(5.0, 5.0, None, None, 200.0, 50.0, &Unit::Short);
        assert!(axis.min < 5.0 && axis.max > 5.0);
        let zero = value_axis(0.0, 0.0, None, None, 200.0, 50.0, &Unit::Short);
        assert!(zero.min < 0.0 && zero.max > 0.0);
    }

    #[test]
    fn nan_data_does_not_break_the_axis() {
        let axis = value_axis(f64::NAN, f64::NAN, None, None, 200.0, 50.0, &Unit::Short);
        assert!(axis.min.is_finite() && axis.max.is_finite() && !axis.ticks.is_empty());
    }

    #[test]
    fn one_hour_gets_ten_minute_ticks_on_the_minute() {
        let from = parse_rfc3339("2024-10-21T10:03:00Z").unwrap();
        let ticks = time_ticks(from, from + 3_600_000, 700.0, 100.0, 0);
        let labels: Vec<_> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            vec!["10:10", "10:20", "10:30", "10:40", "10:50", "11:00"]
        );
    }

    #[test]
    fn time_ticks_follow_the_offset() {
        let from = parse_rfc3339("2024-10-21T10:03:00Z").unwrap();
        let ticks = time_ticks(from, from + 3_600_000, 700.0, 100.0, 120);
        assert_eq!(ticks[0].label, "12:10");
    }

    #[test]
    fn multi_day_ranges_mark_midnight_with_the_date() {
        let from = parse_rfc3339("2024-10-20T00:00:00Z").unwrap();
        let ticks = time_ticks(from, from + 3 * DAY_MS, 1000.0, 100.0, 0);
        assert!(ticks.iter().any(|t| t.label == "10/21"), "{ticks:?}");
    }

    #[test]
    fn a_year_gets_month_ticks() {
        let from = parse_rfc3339("2024-01-15T00:00:00Z").unwrap();
        let ticks = time_ticks(from, from + 365 * DAY_MS, 1200.0, 100.0, 0);
        assert!(ticks.iter().any(|t| t.label == "2024-04"), "{ticks:?}");
        assert!(ticks.iter().any(|t| t.label == "2025"), "{ticks:?}");
    }

    #[test]
    fn a_log_axis_spans_whole_decades_with_a_tick_at_each() {
        let axis = log_value_axis(3.0, 4200.0, 10.0, (None, None), 300.0, 44.0, &Unit::Short);
        assert_eq!((axis.min, axis.max), (1.0, 10_000.0));
        let labels: Vec<&str> = axis.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, vec!["1", "10", "100", "1 K", "10 K"]);
        // Exact powers stay the ends; a tiny axis keeps every other decade.
        let exact = log_value_axis(1.0, 1000.0, 10.0, (None, None), 300.0, 44.0, &Unit::Short);
        assert_eq!((exact.min, exact.max), (1.0, 1000.0));
        let cramped = log_value_axis(0.01, 1e6, 10.0, (None, None), 100.0, 44.0, &Unit::Short);
        assert!(cramped.ticks.len() <= 5, "{:?}", cramped.ticks);
        // Base 2, a fixed positive minimum kept, nothing positive to show: one decade.
        let two = log_value_axis(
            5.0,
            100.0,
            2.0,
            (Some(4.0), None),
            300.0,
            44.0,
            &Unit::Short,
        );
        assert_eq!((two.min, two.max), (4.0, 128.0));
        let none = log_value_axis(-5.0, 0.0, 10.0, (None, None), 300.0, 44.0, &Unit::Short);
        assert_eq!((none.min, none.max), (1.0, 10.0));
        // One power in view: evenly stepped values fill in between the ends.
        let narrow = log_value_axis(80.0, 90.0, 2.0, (None, None), 300.0, 44.0, &Unit::Short);
        assert_eq!((narrow.min, narrow.max), (64.0, 128.0));
        let values: Vec<f64> = narrow.ticks.iter().map(|t| t.value).collect();
        assert!(values.len() >= 4, "{values:?}");
        assert!(values.windows(2).all(|w| w[0] < w[1]), "{values:?}");
        assert!(values.contains(&100.0), "{values:?}");
    }
}
