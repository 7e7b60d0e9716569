//! Tests of command-line parsing.

use super::*;

fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

fn parsed(line: &str) -> Command {
    match parse(&args(line)) {
        Ok(command) => command,
        Err(e) => panic!("`{line}`: {e}"),
    }
}

fn error(line: &str) -> UsageError {
    match parse(&args(line)) {
        Ok(command) => panic!("`{line}` parsed as {command:?}"),
        Err(e) => e,
    }
}

#[test]
fn history_takes_rfc3339_or_unix_ms_and_defaults_to_15s() {
    let a = parsed("history --from 2024-10-21T00:00:00Z --to 2024-10-22T00:00:00Z --out x.om");
    let b = parsed("history --from=1729468800000 --to 1729555200000 --step 15s --out x.om");
    assert_eq!(a, b);
    let Command::History { span, output } = a else {
        panic!("not history")
    };
    assert_eq!(
        span,
        Span {
            from_ms: CUTOVER_MS,
            to_ms: CUTOVER_MS + DAY_MS,
            step_ms: 15_000
        }
    );
    assert_eq!(output, Output::File(PathBuf::from("x.om")));
}

#[test]
fn legacy_is_the_week_before_the_cutover_at_60s() {
    let Command::History { span, .. } = parsed("history --legacy --out -") else {
        panic!("not history")
    };
    assert_eq!(
        span,
        Span {
            from_ms: CUTOVER_MS - 7 * DAY_MS,
            to_ms: CUTOVER_MS,
            step_ms: 60_000
        }
    );
    assert!(matches!(
        error("history --legacy --to 2024-10-21T00:00:01Z --out -"),
        UsageError::BadRange(_)
    ));
    let Command::History { span, .. } = parsed("history --cutover-week --out -") else {
        panic!("not history")
    };
    assert_eq!(
        span,
        Span {
            from_ms: CUTOVER_MS,
            to_ms: CUTOVER_MS + 7 * DAY_MS,
            step_ms: 60_000
        }
    );
}

#[test]
fn last_ends_now_on_the_step_grid() {
    let Command::History { span, .. } = parsed("history --last 2h --step 15s --out -") else {
        panic!("not history")
    };
    assert_eq!(span.to_ms - span.from_ms, 7_200_000);
    assert_eq!(span.to_ms % 15_000, 0);
    assert!((now_ms() - span.to_ms).abs() < 60_000);
}

#[test]
fn out_dir_defaults_to_daily_chunks() {
    let Command::History { output, .. } = parsed("history --last 1d --out-dir d") else {
        panic!("not history")
    };
    assert_eq!(
        output,
        Output::Dir {
            dir: PathBuf::from("d"),
            chunk_ms: DAY_MS
        }
    );
}

#[test]
fn backfill_has_defaults_and_needs_a_tsdb() {
    let Command::Backfill(b) = parsed("backfill --cutover-week --tsdb /tmp/t") else {
        panic!("not backfill")
    };
    assert_eq!((b.jobs, b.chunk_ms, b.keep_text), (2, DAY_MS, false));
    assert_eq!(b.promtool, PathBuf::from("promtool"));
    assert!(matches!(
        error("backfill --cutover-week"),
        UsageError::Missing { .. }
    ));
    assert!(matches!(
        error("backfill --cutover-week --tsdb t --jobs 0"),
        UsageError::BadNumber { .. }
    ));
}

#[test]
fn exporter_and_snapshot_parse() {
    assert_eq!(
        parsed("exporter"),
        Command::Exporter {
            listen: DEFAULT_LISTEN.to_owned()
        }
    );
    assert_eq!(
        parsed("exporter --listen 127.0.0.1:1"),
        Command::Exporter {
            listen: "127.0.0.1:1".to_owned()
        }
    );
    assert_eq!(
        parsed("snapshot --at 2024-10-21T00:00:00Z"),
        Command::Snapshot { at_ms: CUTOVER_MS }
    );
    assert_eq!(parsed(""), Command::Help);
    assert_eq!(parsed("--help"), Command::Help);
}

#[test]
fn mistakes_are_reported_precisely() {
    assert_eq!(
        error("frobnicate"),
        UsageError::UnknownCommand("frobnicate".to_owned())
    );
    assert!(matches!(
        error("history --from nope --to 1 --out -"),
        UsageError::BadTime {
            option: "--from",
            ..
        }
    ));
    assert!(matches!(
        error("history --last 1d --step 1.5s --out -"),
        UsageError::BadDuration {
            option: "--step",
            ..
        }
    ));
    assert!(matches!(
        error("history --from 10 --to 5 --out -"),
        UsageError::BadRange(_)
    ));
    assert!(matches!(
        error("history --last 1d --from 1 --out -"),
        UsageError::BadRange(_)
    ));
    assert!(matches!(
        error("history --legacy --last 1d --out -"),
        UsageError::BadRange(_)
    ));
    assert!(matches!(
        error("history --last 1d"),
        UsageError::Missing { .. }
    ));
    assert!(matches!(
        error("history --last 1d --out"),
        UsageError::MissingValue(_)
    ));
    assert!(matches!(
        error("exporter --port 1"),
        UsageError::UnknownOption {
            command: "exporter",
            ..
        }
    ));
}
