//! Native micro-benchmarks of the `model/` hot paths a dashboard load goes through: parsing and
//! resolving time ranges (`now-6h/h` … `now`, RFC 3339), interpolating variables into queries,
//! and computing query steps.
//!
//! ```sh
//! cargo run --release -p sightline-core --example model_bench
//! ```
//!
//! The last lines are machine-readable (`cargo xtask bench` reads them), one per case:
//! `RESULT <name>_ns=<median ns per operation>`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sightline_core::model::civil::parse_rfc3339;
use sightline_core::model::duration::Duration as PromDuration;
use sightline_core::model::interpolate::{interpolate, Builtins, Scope, VariableValue};
use sightline_core::model::step::{compute_step, StepRequest};
use sightline_core::model::time_expr::RangeExpr;
use sightline_core::model::time_range::TimeRange;

/// Median time per call of `run`, measured in batches of `batch` calls for at least
/// `min_seconds`.
fn per_call(batch: u32, min_seconds: f64, mut run: impl FnMut()) -> Duration {
    for _ in 0..batch {
        run();
    }
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 15 || started.elapsed().as_secs_f64() < min_seconds {
        let t = Instant::now();
        for _ in 0..batch {
            run();
        }
        samples.push(t.elapsed() / batch);
    }
    samples.sort();
    samples[samples.len() / 2]
}

fn arg(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn multi(values: &[&str]) -> VariableValue {
    VariableValue {
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        texts: values.iter().map(|v| (*v).to_owned()).collect(),
        multi_or_all: true,
        ..VariableValue::default()
    }
}

fn main() {
    let min_seconds = arg("--min-seconds", 0.5);
    let now_ms = 1_763_900_000_000_i64;
    let utc = |_: i64| 0;
    let mut results: Vec<(&str, Duration)> = Vec::new();

    let relative = per_call(2_000, min_seconds, || {
        let range = RangeExpr::parse(black_box("now-6h/h"), black_box("now/h"))
            .map(|r| r.resolve(now_ms, &utc));
        black_box(range.ok());
    });
    results.push(("time_range_parse_relative", relative));

    let absolute = per_call(2_000, min_seconds, || {
        let from = parse_rfc3339(black_box("2026-11-20T08:15:30.250+01:00"));
        let to = parse_rfc3339(black_box("2026-11-21T08:15:30Z"));
        black_box((from.ok(), to.ok()));
    });
    results.push(("time_range_parse_rfc3339", absolute));

    let variables = vec![
        ("cluster".to_owned(), VariableValue::single("us-east-04a")),
        (
            "node".to_owned(),
            multi(&["gpu-node-0001", "gpu-node-0002", "gpu-node-0003.example"]),
        ),
        (
            "gpu".to_owned(),
            multi(&["0", "1", "2", "3", "4", "5", "6", "7"]),
        ),
    ];
    let range = TimeRange::new(now_ms - 6 * 3_600_000, now_ms);
    let scope = Scope {
        variables: &variables,
        builtins: Some(Builtins {
            range,
            interval: PromDuration::from_millis(15_000),
            scrape_interval: PromDuration::from_millis(15_000),
        }),
    };
    let query = r#"avg by (Hostname, gpu) (rate(DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{cluster="$cluster", Hostname=~"$node", gpu=~"${gpu:regex}"}[$__rate_interval])) * 100 > ${__range_s}"#;
    let interpolation = per_call(2_000, min_seconds, || {
        black_box(interpolate(black_box(query), &scope));
    });
    results.push(("interpolate_query", interpolation));

    let step = per_call(20_000, min_seconds, || {
        black_box(compute_step(black_box(StepRequest {
            range_ms: range.span_ms(),
            max_data_points: 1200,
            min_step: Some(PromDuration::from_millis(15_000)),
        })));
    });
    results.push(("compute_step", step));

    for (name, d) in &results {
        println!("{name}: {:.0} ns per call", d.as_secs_f64() * 1e9);
    }
    for (name, d) in &results {
        println!("RESULT {name}_ns={:.0}", d.as_secs_f64() * 1e9);
    }
}
