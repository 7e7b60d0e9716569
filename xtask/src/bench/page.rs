//! Figures measured on the bench page (`bench/index.html` + `harness.js`): chart redraw, canvas
//! calls, cold renders, decoding and the log list, each against its reference in the same page.

use std::time::Duration;

use serde_json::Value;
use sightline_testkit::webdriver::Browser;

use super::driver::{numbers, wait_for_json};
use super::report::{median, Figure, Target};
use crate::cmd::Result;

/// What one page run returned.
pub struct PageRun {
    pub sightline: Vec<f64>,
    pub reference: Vec<f64>,
    pub extra: Value,
}

impl PageRun {
    fn medians(&self) -> (f64, f64) {
        (
            median(&self.sightline).unwrap_or(f64::NAN),
            median(&self.reference).unwrap_or(f64::NAN),
        )
    }

    fn spread(&self) -> String {
        format!(
            "{} runs each; Sightline {}, reference {}",
            self.sightline.len(),
            range_text(&self.sightline),
            range_text(&self.reference)
        )
    }
}

fn range_text(samples: &[f64]) -> String {
    let lo = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() {
        format!("{lo:.1}–{hi:.1}")
    } else {
        "—".to_owned()
    }
}

/// Loads the bench page for `figure` and waits for its result.
///
/// # Errors
/// Page errors and timeouts.
pub fn run(browser: &Browser, base: &str, figure: &str, query: &str) -> Result<PageRun> {
    browser
        .goto(&format!("{base}/bench/index.html?figure={figure}{query}"))
        .map_err(|e| format!("{figure}: {e}"))?;
    let script = "return window.benchResult ? JSON.stringify(window.benchResult) \
                  : (window.benchError ? JSON.stringify({error: window.benchError}) : null);";
    let value = wait_for_json(browser, figure, script, Duration::from_secs(300))?;
    Ok(PageRun {
        sightline: numbers(&value["sightline"]),
        reference: numbers(&value["reference"]),
        extra: value["extra"].clone(),
    })
}

/// Every page figure; a figure that fails is reported as blocked with its error.
#[must_use]
pub fn figures(browser: &Browser, base: &str, runs: u32) -> Vec<Figure> {
    let mut out = Vec::new();
    let many = format!("&runs={}", runs * 2);
    let some = format!("&runs={runs}");
    let few = format!("&runs={}", runs.div_ceil(2).max(3));

    let redraw = "chart redraw, 100 series × 2,000 points, 1200 × 400 px";
    out.push(match run(browser, base, "chart-redraw", &many) {
        Ok(r) => {
            let (s, u) = r.medians();
            Figure::measured(
                redraw,
                s,
                "ms",
                "uPlot 1.6.32 `redraw(true, true)`, same data, same page",
                Some(u),
                Target::RatioAtMost(1.0),
                "≤ 1.0× uPlot",
            )
            .with_note(format!(
                "{}; both timed to a rasterised canvas (1-pixel read-back)",
                r.spread()
            ))
        }
        Err(e) => Figure::blocked(redraw, "ms", "uPlot 1.6.32", "≤ 1.0× uPlot", &e),
    });

    let calls = "canvas calls per redraw (100 series, 1200 px wide)";
    out.push(match run(browser, base, "canvas-calls", "") {
        Ok(r) => {
            let s = r.sightline.first().copied().unwrap_or(f64::NAN);
            let bound = r.reference.first().copied().unwrap_or(f64::NAN);
            Figure::measured(
                calls,
                s,
                "calls",
                "4 × width × series (uPlot's bound)",
                Some(bound),
                Target::RatioAtMost(1.0),
                "≤ 1.0×",
            )
            .with_note(format!(
                "uPlot's own redraw in the same page: {} calls; Sightline through plotters' canvas backend only: {} calls (2D context methods, property writes and Path2D calls counted alike)",
                r.extra["uplot_calls"], r.extra["plotters_only_calls"]
            ))
        }
        Err(e) => Figure::blocked(calls, "calls", "4 × width × series", "≤ 1.0×", &e),
    });

    for (figure, name, query, target, text) in [
        (
            "cold render, 3 series × 55,550 points (uPlot's bench data), 1920 × 600 px",
            "cold-3x55k",
            &many,
            1.5,
            "≤ 1.5× uPlot",
        ),
        (
            "render, 600 series × 8,000 points, 1920 × 5000 px (uPlot's 600-series bench)",
            "render-600x8000",
            &few,
            1.5,
            "≤ 1.5× uPlot",
        ),
    ] {
        out.push(match run(browser, base, name, query) {
            Ok(r) => {
                let (s, u) = r.medians();
                Figure::measured(
                    figure,
                    s,
                    "ms",
                    "uPlot 1.6.32 `new uPlot(…)`, same data, same page",
                    Some(u),
                    Target::RatioAtMost(target),
                    text,
                )
                .with_note(format!(
                    "{}; from nothing to a rasterised canvas, data handed over included",
                    r.spread()
                ))
            }
            Err(e) => Figure::blocked(figure, "ms", "uPlot 1.6.32", text, &e),
        });
    }

    for size in ["5mb", "50mb"] {
        let figure = format!(
            "decode a {} MB `query_range` body into plotting arrays, warm",
            size.trim_end_matches("mb")
        );
        out.push(match run(browser, base, "decode", &format!("{some}&size={size}")) {
            Ok(r) => {
                let (s, j) = r.medians();
                Figure::measured(
                    &figure,
                    s,
                    "ms",
                    "`JSON.parse` + `parseFloat` into Float64Arrays, same body, same page",
                    Some(j),
                    Target::RatioAtMost(2.0),
                    "≤ 2.0×",
                )
                .with_note(format!(
                    "{}; {} bytes, {} samples recorded from the local stack; Sightline's time includes copying the bytes into wasm and the UTF-8 check, JSON.parse starts from a string",
                    r.spread(),
                    r.extra["bytes"],
                    r.extra["samples"]
                ))
            }
            Err(e) => Figure::blocked(&figure, "ms", "JSON.parse + parseFloat", "≤ 2.0×", &e),
        });
    }

    let first = "5,000 log lines: first render";
    let alive = "5,000 log lines: DOM rows alive while scrolling to the end";
    match run(browser, base, "logs", &some) {
        Ok(r) => {
            let (s, d) = r.medians();
            out.push(
                Figure::measured(
                    first,
                    s,
                    "ms",
                    "the same lines as plain DOM rows, same page",
                    Some(d),
                    Target::RatioAtMost(0.2),
                    "≤ 0.2×",
                )
                .with_note(format!("{}; mounted, effects run, laid out", r.spread())),
            );
            let rows = r.extra["max_rows_alive"].as_f64().unwrap_or(f64::NAN);
            let reached = r.extra["reached_last_row"].as_bool().unwrap_or(false);
            out.push(
                Figure::measured(
                    alive,
                    rows,
                    "rows",
                    "plain DOM rows",
                    Some(5000.0),
                    Target::ValueAtMost(100.0),
                    "≤ 100 rows",
                )
                .with_note(format!(
                    "most `.log-row` elements seen at once while scrolling in 540 px steps; last line reached: {reached}"
                )),
            );
        }
        Err(e) => {
            out.push(Figure::blocked(first, "ms", "plain DOM rows", "≤ 0.2×", &e));
            out.push(Figure::blocked(
                alive,
                "rows",
                "plain DOM rows",
                "≤ 100 rows",
                &e,
            ));
        }
    }
    out
}
