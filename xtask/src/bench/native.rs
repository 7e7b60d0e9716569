//! Native micro-benchmarks of `sightline-core` (`crates/core/examples/*_bench.rs`): they print
//! `RESULT name=value` lines, read here into report-only figures; and the bundle size figure.

use std::path::Path;

use super::report::{number, Figure, Target};
use crate::build::gzip_size;
use crate::cmd::{command, output};

/// Grafana's initial JavaScript, gzip (the published figure), in KB.
pub const GRAFANA_INITIAL_JS_KB: f64 = 2930.0;

/// `RESULT name=value` lines of an example's output.
#[must_use]
pub fn results(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("RESULT "))
        .filter_map(|rest| {
            let (name, value) = rest.split_once('=')?;
            Some((name.trim().to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}

fn run_example(name: &str, args: &[&str]) -> Result<Vec<(String, f64)>, String> {
    let text = output(
        command("cargo")
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "sightline-core",
                "--example",
                name,
                "--",
            ])
            .args(args),
    )?;
    Ok(results(&text))
}

/// Every native micro-benchmark as a report-only figure.
#[must_use]
pub fn figures() -> Vec<Figure> {
    let mut out = Vec::new();
    match run_example("decode_bench", &["--size-mb", "10", "--min-seconds", "1"]) {
        Ok(found) => {
            for (name, value) in found {
                let label = match name.as_str() {
                    "prometheus_matrix_mb_per_s" => {
                        "native decode, Prometheus `query_range` matrix (10 MB)"
                    }
                    "loki_streams_mb_per_s" => "native decode, Loki streams (10 MB)",
                    _ => continue,
                };
                out.push(Figure::measured(
                    label,
                    value,
                    "MB/s",
                    "—",
                    None,
                    Target::Report,
                    "report",
                ));
            }
        }
        Err(e) => out.push(Figure::blocked("native decode", "MB/s", "—", "report", &e)),
    }
    match run_example("model_bench", &[]) {
        Ok(found) => {
            for (name, value) in found {
                let label = match name.as_str() {
                    "time_range_parse_relative_ns" => {
                        "native time-range parse + resolve (`now-6h/h` … `now/h`)"
                    }
                    "time_range_parse_rfc3339_ns" => {
                        "native time-range parse, two RFC 3339 instants"
                    }
                    "interpolate_query_ns" => {
                        "native interpolation of a PromQL query (3 variables, built-ins)"
                    }
                    "compute_step_ns" => "native query step computation",
                    _ => continue,
                };
                out.push(Figure::measured(
                    label,
                    value,
                    "ns",
                    "—",
                    None,
                    Target::Report,
                    "report",
                ));
            }
        }
        Err(e) => out.push(Figure::blocked(
            "native model benchmarks",
            "ns",
            "—",
            "report",
            &e,
        )),
    }
    out
}

/// Gzip size of what the first page load (sign-in) transfers: `dist/`'s html, css, loader and
/// main module. The split pages' parts are counted in the note.
#[must_use]
pub fn size_figure(dist: &Path) -> Figure {
    let figure = "gzip size of the first page load (html, js, wasm, css)";
    let files = match crate::bundle::served_files(dist) {
        Ok(files) if !files.is_empty() => files,
        _ => {
            return Figure::blocked(
                figure,
                "KB",
                "Grafana's initial JS",
                "≤ 400 KB",
                "no dist/ build",
            )
        }
    };
    let (mut first, mut later) = (0u64, 0u64);
    let mut parts = Vec::new();
    for file in &files {
        let gz = gzip_size(&file.path).unwrap_or(0);
        if file.first_load {
            first += gz;
            parts.push(format!("{} {gz} B", file.name));
        } else {
            later += gz;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let kb = |bytes: u64| bytes as f64 / 1000.0;
    Figure::measured(
        figure,
        kb(first),
        "KB",
        "Grafana's initial JS (published figure)",
        Some(GRAFANA_INITIAL_JS_KB),
        Target::ValueAtMost(400.0),
        "≤ 400 KB",
    )
    .with_note(format!(
        "gzip -9 of each file the sign-in page loads: {}; the split pages' parts, downloaded when a page first opens: {} KB more ({} KB in all)",
        parts.join(", "),
        number(kb(later)),
        number(kb(first + later)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_lines_are_read_and_other_lines_ignored() {
        let text = "prometheus_matrix: median 400 MB/s\nRESULT prometheus_matrix_mb_per_s=412.5\nRESULT bad=x\n";
        assert_eq!(
            results(text),
            vec![("prometheus_matrix_mb_per_s".to_owned(), 412.5)]
        );
    }
}
