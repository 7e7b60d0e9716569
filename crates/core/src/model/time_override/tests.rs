#![allow(clippy::unwrap_used)]

use super::*;

const HOUR: i64 = 3_600_000;
/// 2024-03-10T15:30:00Z.
const NOW: i64 = 1_710_084_600_000;

fn utc(_: i64) -> i32 {
    0
}

fn context(relative: bool) -> OverrideContext<'static> {
    OverrideContext {
        range: TimeRange::new(NOW - 6 * HOUR, NOW),
        relative,
        now_ms: NOW,
        offset_at: &utc,
    }
}

fn run(from: Option<&str>, shift: Option<&str>) -> PanelTime {
    panel_time(from, shift, &context(true))
}

#[test]
fn no_override_keeps_the_dashboards_range_and_says_nothing() {
    for (from, shift) in [(None, None), (Some(""), Some("  "))] {
        let time = run(from, shift);
        assert_eq!(time.range, context(true).range);
        assert_eq!((time.label, time.problem), (None, None));
    }
}

#[test]
fn a_relative_time_replaces_the_range_and_is_described() {
    let cases = [
        ("24h", NOW - 24 * HOUR, NOW, "Last 24 hours"),
        ("1h", NOW - HOUR, NOW, "Last 1 hour"),
        ("now-7d", NOW - 7 * 24 * HOUR, NOW, "Last 7 days"),
        ("now/d", NOW - 15 * HOUR - HOUR / 2, NOW, "Today so far"),
        ("+2h", NOW, NOW + 2 * HOUR, "Next 2 hours"),
        ("now/w", 1_709_510_400_000, NOW, "now/w to now"),
    ];
    for (text, from, to, label) in cases {
        let time = run(Some(text), None);
        assert_eq!(time.range, TimeRange::new(from, to), "{text}");
        assert_eq!(time.label.as_deref(), Some(label), "{text}");
        assert_eq!(time.problem, None);
    }
}

#[test]
fn a_relative_time_is_ignored_while_the_dashboard_shows_a_fixed_range() {
    let fixed = OverrideContext {
        range: TimeRange::new(NOW - 30 * HOUR, NOW - 29 * HOUR),
        ..context(false)
    };
    let time = panel_time(Some("24h"), None, &fixed);
    assert_eq!(time.range, fixed.range);
    assert_eq!(time.label, None);
}

#[test]
fn a_time_shift_moves_both_ends_back() {
    let time = run(None, Some("1d"));
    assert_eq!(time.range, TimeRange::new(NOW - 30 * HOUR, NOW - 24 * HOUR));
    assert_eq!(time.label.as_deref(), Some("timeshift -1d"));
    // A leading minus means the same; rounding applies to each end (the end rounds up).
    let rounded = run(Some("2h"), Some("-1d/d"));
    let yesterday = NOW - 15 * HOUR - HOUR / 2 - 24 * HOUR;
    assert_eq!(
        rounded.range,
        TimeRange::new(yesterday, yesterday + 24 * HOUR - 1)
    );
    assert_eq!(
        rounded.label.as_deref(),
        Some("Last 2 hours timeshift -1d/d")
    );
}

#[test]
fn an_unreadable_override_is_reported_and_changes_nothing() {
    let time = run(Some("yesterday"), None);
    assert_eq!(time.range, context(true).range);
    assert_eq!(time.label, None);
    assert_eq!(
        time.problem,
        Some(OverrideError::TimeFrom {
            text: "yesterday".to_owned()
        })
    );
    let time = run(Some("1h"), Some("a while"));
    assert_eq!(
        time.range,
        TimeRange::new(NOW - HOUR, NOW),
        "the valid part still applies"
    );
    assert!(matches!(
        time.problem,
        Some(OverrideError::TimeShift { .. })
    ));
    assert!(time.problem.unwrap().to_string().contains("\"a while\""));
    for bad in ["now-", "-", "1x", "now-now-1d"] {
        assert!(run(None, Some(bad)).problem.is_some(), "{bad}");
    }
}

#[test]
fn the_load_report_judges_only_overrides_without_variables() {
    assert_eq!(override_problem(Some("24h"), Some("1d")), None);
    assert_eq!(override_problem(Some("$window"), Some("[[shift]]")), None);
    assert!(matches!(
        override_problem(Some("24 hours"), None),
        Some(OverrideError::TimeFrom { .. })
    ));
    assert!(matches!(
        override_problem(None, Some("one day")),
        Some(OverrideError::TimeShift { .. })
    ));
}
