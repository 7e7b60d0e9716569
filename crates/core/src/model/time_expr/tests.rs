//! Tests of `time_expr`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

const UTC: &dyn Fn(i64) -> i32 = &|_| 0;

fn at(text: &str) -> i64 {
    parse_rfc3339(text).unwrap()
}

fn resolve(expr: &str, now: &str, round_up: bool) -> String {
    format_rfc3339(
        expr.parse::<TimeExpr>()
            .unwrap()
            .resolve(at(now), UTC, round_up),
    )
}

#[test]
fn relative_math_moves_from_now() {
    assert_eq!(
        resolve("now-6h", "2024-10-23T15:30:00Z", false),
        "2024-10-23T09:30:00Z"
    );
    assert_eq!(
        resolve("now", "2024-10-23T15:30:00Z", false),
        "2024-10-23T15:30:00Z"
    );
    assert_eq!(
        resolve("now+1d", "2024-10-23T15:30:00Z", false),
        "2024-10-24T15:30:00Z"
    );
    assert_eq!(
        resolve("now-1M", "2024-03-31T00:00:00Z", false),
        "2024-02-29T00:00:00Z"
    );
}

#[test]
fn rounding_goes_to_the_start_or_end_of_the_unit() {
    let now = "2024-10-23T15:30:00Z"; // a Wednesday
    assert_eq!(resolve("now/d", now, false), "2024-10-23T00:00:00Z");
    assert_eq!(resolve("now/d", now, true), "2024-10-23T23:59:59.999Z");
    assert_eq!(resolve("now-1d/d", now, false), "2024-10-22T00:00:00Z");
    assert_eq!(resolve("now-1w/w", now, false), "2024-10-14T00:00:00Z");
    assert_eq!(resolve("now-1w/w", now, true), "2024-10-20T23:59:59.999Z");
    assert_eq!(resolve("now/M", now, false), "2024-10-01T00:00:00Z");
    assert_eq!(resolve("now-1y/y", now, false), "2023-01-01T00:00:00Z");
    assert_eq!(resolve("now-1y/y", now, true), "2023-12-31T23:59:59.999Z");
}

#[test]
fn rounding_to_a_day_happens_in_the_dashboard_zone() {
    let plus2: &dyn Fn(i64) -> i32 = &|_| 120;
    let now = at("2024-10-23T23:30:00Z"); // already the 24th at UTC+2
    let start = "now/d"
        .parse::<TimeExpr>()
        .unwrap()
        .resolve(now, plus2, false);
    assert_eq!(format_rfc3339(start), "2024-10-23T22:00:00Z");
}

#[test]
fn absolute_forms_parse() {
    assert_eq!(
        "1700000000000".parse::<TimeExpr>(),
        Ok(TimeExpr::Absolute {
            ms: 1_700_000_000_000,
            form: AbsoluteForm::EpochMillis
        })
    );
    assert_eq!(
        resolve("2024-10-21T08:00:00Z", "2030-01-01", false),
        "2024-10-21T08:00:00Z"
    );
    assert_eq!(
        "now-d".parse::<TimeExpr>().map(|e| e.to_string()),
        Ok("now-1d".to_owned())
    );
}

#[test]
fn rejects_what_is_not_a_time() {
    for bad in [
        "",
        "yesterday",
        "now-",
        "now-6x",
        "now/",
        "now*2",
        "now-99999999h",
        "2024-13-01",
    ] {
        assert!(bad.parse::<TimeExpr>().is_err(), "{bad}");
    }
}

fn arb_expr() -> impl Strategy<Value = TimeExpr> {
    let unit = prop::sample::select(TimeUnit::ALL.to_vec());
    let op = prop_oneof![
        ((-1000i64..1000), unit.clone()).prop_map(|(amount, unit)| MathOp::Add { amount, unit }),
        unit.prop_map(MathOp::Round),
    ];
    prop_oneof![
        prop::collection::vec(op, 0..4).prop_map(TimeExpr::Relative),
        (0i64..4_102_444_800_000).prop_map(|ms| TimeExpr::Absolute {
            ms,
            form: AbsoluteForm::EpochMillis
        }),
        (0i64..4_102_444_800_000).prop_map(|ms| TimeExpr::Absolute {
            ms,
            form: AbsoluteForm::Rfc3339
        }),
    ]
}

proptest! {
    #[test]
    fn display_then_parse_round_trips(expr in arb_expr()) {
        prop_assert_eq!(expr.to_string().parse::<TimeExpr>(), Ok(expr));
    }

    #[test]
    fn rounded_from_never_exceeds_rounded_to(now in 0i64..4_102_444_800_000, offset in -720i32..840, unit in prop::sample::select(TimeUnit::ALL.to_vec())) {
        let zone = move |_| offset;
        let expr = TimeExpr::Relative(vec![MathOp::Round(unit)]);
        let from = expr.resolve(now, &zone, false);
        let to = expr.resolve(now, &zone, true);
        prop_assert!(from <= now && now <= to, "{from} {now} {to}");
    }
}

#[test]
fn any_character_after_now_is_an_error_not_a_panic() {
    // Found by `fuzz/` (issue 10): `nowр` in a URL used to slice inside the character.
    for text in [
        "nowр",
        "now-1dр",
        "now/р",
        "now+р",
        "now💥",
        "now-💥d",
        "now/d💥",
    ] {
        assert!(text.parse::<TimeExpr>().is_err(), "{text}");
    }
}

#[test]
fn extreme_clocks_and_offsets_never_overflow() {
    for now in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX] {
        for offset in [i32::MIN, -720, 0, 840, i32::MAX] {
            let zone = move |_| offset;
            for text in [
                "now-1000000y",
                "now+1000000y/y",
                "now-1000000M/w",
                "now/d",
                "now-1000000d",
            ] {
                let expr: TimeExpr = text.parse().unwrap();
                let _ = expr.resolve(now, &zone, false);
                let _ = expr.resolve(now, &zone, true);
            }
        }
    }
}

#[test]
fn only_ranges_at_a_fixed_distance_from_now_follow_it() {
    let follows = |from: &str, to: &str| RangeExpr::parse(from, to).map(|r| r.follows_now());
    assert_eq!(follows("now-6h", "now"), Ok(true));
    assert_eq!(follows("now-7d", "now-1d"), Ok(true));
    assert_eq!(follows("now-90s", "now+5m"), Ok(true));
    assert_eq!(follows("now/d", "now"), Ok(false));
    assert_eq!(follows("now-1d/d", "now-1d/d"), Ok(false));
    assert_eq!(follows("now-1M", "now"), Ok(false));
    assert_eq!(follows("now-1y", "now"), Ok(false));
    assert_eq!(follows("1700000000000", "now"), Ok(false));
    assert_eq!(follows("now-1h", "2026-12-06T08:00:00Z"), Ok(false));
}
