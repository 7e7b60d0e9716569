//! Per-panel time overrides, Grafana's `timeFrom` and `timeShift`: a panel with its own relative
//! range ("Last 24 hours" beside a 6-hour dashboard) and a panel moved back in time (yesterday's
//! curve beside today's), with the text its header shows.
//!
//! As in Grafana (`applyPanelTimeOverrides`): `timeFrom` (`24h`, `now/d`, `now-7d`) replaces the
//! range only while the dashboard's range is relative (a zoomed, absolute range wins);
//! `timeShift` (`1d`, `1d/d`) is date math applied to both ends (`from - 1d`, `to - 1d`).

use super::time_expr::{MathOp, TimeExpr, TimeUnit};
use super::time_range::TimeRange;

/// A panel's range after its overrides, and what its header says about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelTime {
    pub range: TimeRange,
    /// "Last 24 hours", "timeshift -1d", both, or `None` without overrides.
    pub label: Option<String>,
    /// Why an override was ignored (shown as the panel's warning).
    pub problem: Option<OverrideError>,
}

/// An override that could not be read; the dashboard's range is used instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error("relative time {text:?} is not a time like 24h, now/d or now-7d; the dashboard's range is used")]
    TimeFrom { text: String },
    #[error("time shift {text:?} is not a duration like 1d or 1d/d; the panel is not shifted")]
    TimeShift { text: String },
}

/// What a panel's overrides apply to.
#[derive(Clone, Copy)]
pub struct OverrideContext<'a> {
    /// The dashboard's range now.
    pub range: TimeRange,
    /// Whether the dashboard's range moves with "now" (`now-6h`), not a fixed one.
    pub relative: bool,
    /// The "now" the dashboard evaluates against.
    pub now_ms: i64,
    /// The zone's UTC offset (minutes east) at an instant, for rounding to days.
    pub offset_at: &'a dyn Fn(i64) -> i32,
}

/// The range of a panel with `time_from` and `time_shift` (already interpolated; blank means
/// none) in `context`.
#[must_use]
pub fn panel_time(
    time_from: Option<&str>,
    time_shift: Option<&str>,
    context: &OverrideContext<'_>,
) -> PanelTime {
    let mut time = PanelTime {
        range: context.range,
        label: None,
        problem: None,
    };
    fn blank(text: Option<&str>) -> Option<&str> {
        text.map(str::trim).filter(|t| !t.is_empty())
    }
    if let Some(text) = blank(time_from) {
        match relative_range(text) {
            Some((from, to, label)) => {
                if context.relative {
                    time.range = TimeRange::new(
                        from.resolve(context.now_ms, context.offset_at, false),
                        to.resolve(context.now_ms, context.offset_at, true),
                    );
                    time.label = Some(label);
                }
            }
            None => {
                time.problem = Some(OverrideError::TimeFrom {
                    text: text.to_owned(),
                });
            }
        }
    }
    if let Some(text) = blank(time_shift) {
        match format!("now-{}", text.trim_start_matches('-')).parse::<TimeExpr>() {
            Ok(shift @ TimeExpr::Relative(_)) => {
                time.range = TimeRange::new(
                    shift.resolve(time.range.from_ms, context.offset_at, false),
                    shift.resolve(time.range.to_ms, context.offset_at, true),
                );
                let shifted = format!("timeshift -{}", text.trim_start_matches('-'));
                time.label = Some(match time.label.take() {
                    Some(label) => format!("{label} {shifted}"),
                    None => shifted,
                });
            }
            _ => {
                time.problem.get_or_insert(OverrideError::TimeShift {
                    text: text.to_owned(),
                });
            }
        }
    }
    time
}

/// Why `time_from` or `time_shift` cannot be read, for the load report; texts with variables
/// are only judged once interpolated, on the page.
#[must_use]
pub fn override_problem(
    time_from: Option<&str>,
    time_shift: Option<&str>,
) -> Option<OverrideError> {
    fn literal(text: Option<&str>) -> Option<&str> {
        text.filter(|t| !t.contains('$') && !t.contains("[["))
    }
    let context = OverrideContext {
        range: TimeRange::default(),
        relative: true,
        now_ms: 0,
        offset_at: &|_| 0,
    };
    panel_time(literal(time_from), literal(time_shift), &context).problem
}

/// `timeFrom` as a range and its label (Grafana's `describeTextRange`): `24h` is `now-24h` to
/// `now` ("Last 24 hours"), `+1h` is `now` to `now+1h`, and an expression with `now` starts the
/// range, which ends now.
fn relative_range(text: &str) -> Option<(TimeExpr, TimeExpr, String)> {
    let (from, to) = if text.contains("now") {
        (text.to_owned(), "now".to_owned())
    } else if let Some(ahead) = text.strip_prefix('+') {
        ("now".to_owned(), format!("now+{ahead}"))
    } else {
        (format!("now-{text}"), "now".to_owned())
    };
    let (from_expr, to_expr): (TimeExpr, TimeExpr) = (from.parse().ok()?, to.parse().ok()?);
    let label = match (&from_expr, &to_expr) {
        (TimeExpr::Relative(ops), _) if from == "now/d" && ops.len() == 1 => {
            "Today so far".to_owned()
        }
        (TimeExpr::Relative(ops), TimeExpr::Relative(to_ops))
            if ops.is_empty() && to_ops.len() == 1 =>
        {
            match to_ops[0] {
                MathOp::Add { amount, unit } => format!("Next {}", span(amount, unit)),
                MathOp::Round(_) => format!("{from} to {to}"),
            }
        }
        (TimeExpr::Relative(ops), _) => match ops.first() {
            Some(&MathOp::Add { amount, unit }) if amount < 0 => {
                format!("Last {}", span(amount, unit))
            }
            _ => format!("{from} to {to}"),
        },
        _ => format!("{from} to {to}"),
    };
    Some((from_expr, to_expr, label))
}

/// "24 hours", "1 day".
fn span(amount: i64, unit: TimeUnit) -> String {
    let amount = amount.unsigned_abs();
    let name = match unit {
        TimeUnit::Second => "second",
        TimeUnit::Minute => "minute",
        TimeUnit::Hour => "hour",
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
        TimeUnit::Month => "month",
        TimeUnit::Year => "year",
    };
    format!("{amount} {name}{}", if amount == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests;
