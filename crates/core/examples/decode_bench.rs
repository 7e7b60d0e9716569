//! Decode throughput of a realistic 10 MB `query_range` matrix (and, for comparison, a 10 MB
//! Loki streams answer), in MB/s (10^6 bytes per second).
//!
//! ```sh
//! cargo run --release -p sightline-core --example decode_bench
//! cargo run --release -p sightline-core --example decode_bench -- --size-mb 50 --min-seconds 5
//! ```
//!
//! The last lines are machine-readable, one per case:
//! `RESULT prometheus_matrix_mb_per_s=<median>` and `RESULT loki_streams_mb_per_s=<median>`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use sightline_core::api::loki;
use sightline_core::api::prometheus::decode_query;

/// A matrix like a DCGM dashboard's: 16 nodes × 8 GPUs, exporter labels, 15 s steps, values with
/// decimals, a few NaN (gaps) and counters in exponent form; grown to at least `target` bytes.
fn matrix_body(target: usize) -> (String, usize, usize) {
    let series_count: usize = 128;
    let mut points_total = 0;
    let start = 1_714_000_000_i64;
    let mut body = String::with_capacity(target + target / 8);
    body.push_str(r#"{"status":"success","data":{"resultType":"matrix","result":["#);
    for s in 0..series_count {
        if s > 0 {
            body.push(',');
        }
        let (node, gpu) = (s / 8, s % 8);
        let _ = write!(
            body,
            r#"{{"metric":{{"DCGM_FI_DRIVER_VERSION":"550.54.15","Hostname":"gpu-node-{node:04}","UUID":"GPU-{s:08x}-7c1e-4b2a-9f3d-{node:012x}","__name__":"DCGM_FI_DEV_GPU_UTIL","container":"dcgm-exporter","device":"nvidia{gpu}","gpu":"{gpu}","instance":"10.0.{node}.17:9400","job":"dcgm-exporter","modelName":"NVIDIA H100 80GB HBM3","namespace":"gpu-monitoring","pci_bus_id":"00000000:{gpu:02X}:00.0","pod":"dcgm-exporter-{node:05}"}},"values":["#
        );
        let series_end = target * (s + 1) / series_count;
        let mut p: usize = 0;
        while p == 0 || body.len() < series_end {
            if p > 0 {
                body.push(',');
            }
            let t = start + 15 * i64::try_from(p).unwrap_or(0);
            let v = (s * 31 + p * 7) % 1000;
            match v % 97 {
                0 => {
                    let _ = write!(body, r#"[{t},"NaN"]"#);
                }
                1 => {
                    let _ = write!(body, r#"[{t}.5,"1.2345e+09"]"#);
                }
                _ => {
                    let _ = write!(body, r#"[{t},"{}.{:02}"]"#, v / 10, v % 100);
                }
            }
            p += 1;
        }
        points_total += p;
        body.push_str("]}");
    }
    body.push_str("]}}");
    (body, series_count, points_total / series_count)
}

/// A log answer: 64 streams of JSON-ish lines with nanosecond timestamps.
fn streams_body(target: usize) -> String {
    let streams: usize = 64;
    let start = 1_714_000_000_000_000_000_i64;
    let mut body = String::with_capacity(target + target / 8);
    body.push_str(r#"{"status":"success","data":{"resultType":"streams","result":["#);
    for s in 0..streams {
        if s > 0 {
            body.push(',');
        }
        let _ = write!(
            body,
            r#"{{"stream":{{"app":"api-{s}","cluster":"us-east-04a","namespace":"prod","pod":"api-{s}-7d9f8b6c5-x2k4p"}},"values":["#
        );
        let stream_end = target * (s + 1) / streams;
        let mut e: usize = 0;
        while e == 0 || body.len() < stream_end {
            if e > 0 {
                body.push(',');
            }
            let ts = start - i64::try_from(e * 1_000_003).unwrap_or(0);
            let _ = write!(
                body,
                r#"["{ts}","{{\"level\":\"info\",\"msg\":\"GET /api/v1/items/{e} 200\",\"duration_ms\":{},\"trace_id\":\"{:016x}\"}}"]"#,
                e % 250,
                e * 7919 + s
            );
            e += 1;
        }
        body.push_str("]}");
    }
    body.push_str(r#"],"stats":{"summary":{"execTime":0.5}}}}"#);
    body
}

struct Measured {
    median: Duration,
    best: Duration,
    runs: usize,
}

fn measure(min_seconds: f64, mut run: impl FnMut()) -> Measured {
    for _ in 0..2 {
        run();
    }
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < 10 || started.elapsed().as_secs_f64() < min_seconds {
        let t = Instant::now();
        run();
        times.push(t.elapsed());
    }
    times.sort();
    Measured {
        median: times[times.len() / 2],
        best: times[0],
        runs: times.len(),
    }
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let bytes = bytes as f64;
    bytes / 1e6 / time.as_secs_f64()
}

fn report(name: &str, bytes: usize, m: &Measured) -> f64 {
    let median = mb_per_s(bytes, m.median);
    println!(
        "{name}: median {median:.1} MB/s ({:.1} ms), best {:.1} MB/s, {} runs",
        m.median.as_secs_f64() * 1e3,
        mb_per_s(bytes, m.best),
        m.runs
    );
    median
}

fn arg(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let target = (arg("--size-mb", 10.0) * 1e6) as usize;
    let min_seconds = arg("--min-seconds", 2.0);

    let (matrix, series, points) = matrix_body(target);
    let check = decode_query("bench", &matrix).map(|r| r.data.series().len());
    if check != Ok(series) {
        eprintln!("the generated matrix does not decode as expected: {check:?}");
        std::process::exit(1);
    }
    println!(
        "prometheus query_range matrix: {:.2} MB, {series} series x ~{points} points",
        mb(matrix.len())
    );
    let matrix_m = measure(min_seconds, || {
        let _ = black_box(decode_query("bench", black_box(&matrix)));
    });
    let matrix_rate = report("prometheus_matrix", matrix.len(), &matrix_m);
    // Baseline: serde_json only validating and skipping the same bytes (the parser's ceiling).
    let skip_m = measure(min_seconds, || {
        let _ = black_box(serde_json::from_str::<serde::de::IgnoredAny>(black_box(
            &matrix,
        )));
    });
    report("baseline_serde_json_skip", matrix.len(), &skip_m);

    let streams = streams_body(target);
    if loki::decode_query("bench", &streams).is_err() {
        eprintln!("the generated streams answer does not decode");
        std::process::exit(1);
    }
    println!("loki query_range streams: {:.2} MB", mb(streams.len()));
    let streams_m = measure(min_seconds, || {
        let _ = black_box(loki::decode_query("bench", black_box(&streams)));
    });
    let streams_rate = report("loki_streams", streams.len(), &streams_m);

    println!("RESULT prometheus_matrix_mb_per_s={matrix_rate:.1}");
    println!("RESULT loki_streams_mb_per_s={streams_rate:.1}");
}

fn mb(bytes: usize) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let bytes = bytes as f64;
    bytes / 1e6
}
