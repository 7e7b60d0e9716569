//! Figures measured on the real app (the release build from `dist/`, served by the bench server,
//! against the local stack): the 30-panel dashboard against uPlot drawing the same responses,
//! and the cold start of the GPU overview broken into phases (memory after refreshes is in
//! `memory.rs`).
//!
//! Paint times come from the marks the app leaves: `sightline:main` when the wasm starts and
//! `sightline:chart-painted:<canvas>` when a chart canvas is first painted.

use std::time::Duration;

use serde_json::{json, Value};
use sightline_testkit::stack::DEMO_TOKEN;
use sightline_testkit::webdriver::Browser;

use super::cpu::{CpuTime, Role};
use super::dashboard::{self, UID};
use super::driver::wait_for_json;
use super::report::{median, number, Figure, Target};
use crate::cmd::Result;

pub(super) const WAIT: Duration = Duration::from_secs(120);

/// Signs in with the "Local demo stack" profile through the sign-in form.
///
/// # Errors
/// When the form does not appear or sign-in does not leave the page.
pub fn sign_in(browser: &Browser, base: &str) -> Result<()> {
    let e = |e: sightline_testkit::webdriver::WebDriverError| e.to_string();
    browser.goto(&format!("{base}/sign-in")).map_err(e)?;
    let select = browser.wait_for("#profile", WAIT).map_err(e)?;
    browser
        .execute(
            "const s = arguments[0]; s.value = 'demo'; s.dispatchEvent(new Event('change')); return true;",
            &[select.as_json()],
        )
        .map_err(e)?;
    let field = browser.wait_for("#token", WAIT).map_err(e)?;
    browser.type_into(&field, DEMO_TOKEN, true).map_err(e)?;
    let button = browser.wait_for("#sign-in", WAIT).map_err(e)?;
    browser.click(&button).map_err(e)?;
    browser
        .wait_until(
            "signed in",
            "return !location.pathname.startsWith('/sign-in') && sessionStorage.getItem('sightline.profile');",
            WAIT,
        )
        .map_err(e)?;
    Ok(())
}

/// Puts the bench dashboard into the browser's library (`localStorage`, like an import).
///
/// # Errors
/// WebDriver failures.
pub fn store_dashboard(browser: &Browser) -> Result<()> {
    let text = dashboard::dashboard().to_string();
    browser
        .execute(
            "const [uid, text] = arguments;
             localStorage.setItem('sightline.dashboard.' + uid,
               JSON.stringify({id: uid, title: 'Bench: 30 time series', updated_ms: Date.now(), text}));
             const ids = JSON.parse(localStorage.getItem('sightline.library') || '[]');
             if (!ids.includes(uid)) ids.push(uid);
             localStorage.setItem('sightline.library', JSON.stringify(ids));
             return true;",
            &[json!(UID), json!(text)],
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// First paint per chart canvas, sorted, once `count` canvases have painted.
fn painted_script(count: usize) -> String {
    format!(
        "const first = new Map();
         for (const m of performance.getEntriesByType('mark')) {{
           if (m.name.startsWith('sightline:chart-painted:') && !first.has(m.name)) first.set(m.name, m.startTime);
         }}
         if (first.size < {count}) return null;
         const times = [...first.values()].sort((a, b) => a - b);
         const canvas = document.querySelector('canvas.chart-canvas').getBoundingClientRect();
         return JSON.stringify(Object.assign({{first: times[0], all: times[{last}], w: Math.round(canvas.width), h: Math.round(canvas.height)}}, {TIMELINE}));",
        last = count.saturating_sub(1),
        TIMELINE = REQUEST_TIMELINE,
    )
}

/// Every mark and resource of the page's load, in time order (ms from navigation start): the
/// benchmark writes it next to its report, for a person looking for where the time went.
const FULL_TIMELINE: &str = "
  const rows = [];
  for (const m of performance.getEntriesByType('mark')) rows.push({at: +m.startTime.toFixed(1), what: 'mark ' + m.name});
  for (const r of performance.getEntriesByType('resource')) {
    const name = r.name.replace(location.origin, '').slice(0, 90);
    rows.push({at: +r.startTime.toFixed(1), what: 'fetch ' + name, end: +r.responseEnd.toFixed(1)});
  }
  rows.sort((a, b) => a.at - b.at);
  return JSON.stringify(rows, null, 1);";

/// Where a page's time went before its panels painted, from the resource timeline: when the
/// first query was sent, when the first and the last answers ended, and the start of the script
/// itself (`sightline:main` for the app, `bench:script-start` for the uPlot page). Read on both
/// pages.
const REQUEST_TIMELINE: &str = "(() => {
  const api = performance.getEntriesByType('resource').filter(r => r.name.includes('/api/v1/query_range'));
  const main = performance.getEntriesByName('sightline:main')[0] || performance.getEntriesByName('bench:script-start')[0];
  return {
    script: main ? main.startTime : NaN,
    sent: api.length ? Math.min(...api.map(r => r.startTime)) : NaN,
    first_answer: api.length ? Math.min(...api.map(r => r.responseEnd)) : NaN,
    answered: api.length ? Math.max(...api.map(r => r.responseEnd)) : NaN,
    requests: api.length,
  };
})()";

/// Latency added to every request (the app's files and the queries alike) for the dashboard
/// figures "over a link": the stack then behaves like hosts across a network, not on the same
/// two cores as the browser.
const LINK_LATENCY_MS: u32 = 40;

/// The dashboard figures: first panel painted and all 30 painted, Sightline vs uPlot, against
/// the local stack (the targets) and again over a link with [`LINK_LATENCY_MS`] (reported).
#[must_use]
pub fn dashboard_figures(browser: &Browser, base: &str, runs: u32) -> Vec<Figure> {
    let mut figures = scenario_figures(browser, base, runs, None);
    figures.extend(scenario_figures(browser, base, runs, Some(LINK_LATENCY_MS)));
    figures
}

/// The four dashboard figures of one scenario: the local stack (`latency_ms` `None`, with the
/// targets) or the same over an emulated link (reported only).
fn scenario_figures(
    browser: &Browser,
    base: &str,
    runs: u32,
    latency_ms: Option<u32>,
) -> Vec<Figure> {
    let over = latency_ms.map_or(String::new(), |ms| {
        format!(" over a link with {ms} ms latency")
    });
    let first = format!(
        "dashboard of 30 time-series panels × 10 series × 1,000 points{over}: first panel painted"
    );
    let all =
        format!("dashboard of 30 time-series panels × 10 series × 1,000 points{over}: all painted");
    let reference =
        "uPlot drawing the same 30 responses (fetch, JSON.parse, parseFloat, new uPlot)";
    let (target, target_text) = match latency_ms {
        None => (Target::RatioAtMost(1.0), "≤ 1.0×"),
        Some(_) => (Target::Report, "report"),
    };
    let first_visit =
        |what: &str| format!("{what}, first visit (empty browser cache, no requests kept)");
    let loads = match measure_dashboard(browser, base, runs, latency_ms) {
        Ok(loads) => loads,
        Err(e) => {
            return vec![
                Figure::blocked(&first, "ms", reference, target_text, &e),
                Figure::blocked(&all, "ms", reference, target_text, &e),
                Figure::blocked(&first_visit(&first), "ms", reference, "report", &e),
                Figure::blocked(&first_visit(&all), "ms", reference, "report", &e),
            ]
        }
    };
    let Loads {
        ours,
        theirs,
        fresh,
    } = loads;
    let note = format!(
        "{runs} page loads each, alternating; ms from navigation start (download, compile and sign-in state included for both){}; Sightline loads the page again, as a returning user does: its files come from the HTTP cache (content-hashed names, cached for good as the nginx deployment serves them; the uPlot page's files likewise) and `early.js` sends the requests its last load kept while the app compiles. The first-visit rows start from an empty browser cache (every file downloaded, no requests kept), against the same uPlot page with its files cached. Sightline sends its queries as form POSTs (one cached CORS preflight), the uPlot page as GETs (a preflight per URL, as a hand-written page would). All painted: Sightline {}, first visit {}, uPlot {}. Timelines (medians): Sightline {}; Sightline first visit {}; uPlot {}",
        latency_ms.map_or(", against the local stack (on the same two cores as the browser)".to_owned(), |ms| format!(", every request (files and queries) delayed {ms} ms by Chromium's network emulation")),
        spread(&ours.column("all")),
        spread(&fresh.column("all")),
        spread(&theirs.column("all")),
        ours.timeline(),
        fresh.timeline(),
        theirs.timeline(),
    );
    let figure = |name: &str, side: &Samples, column: &str, target: Target, text: &str| {
        Figure::measured(
            name,
            median(&side.column(column)).unwrap_or(f64::NAN),
            "ms",
            reference,
            median(&theirs.column(column)),
            target,
            text,
        )
    };
    vec![
        figure(&first, &ours, "first", target, target_text).with_note(note),
        figure(&all, &ours, "all", target, target_text),
        figure(
            &first_visit(&first),
            &fresh,
            "first",
            Target::Report,
            "report",
        ),
        figure(&first_visit(&all), &fresh, "all", Target::Report, "report"),
    ]
}

/// What each page load of one side reported (`first`, `all` and the request timeline).
#[derive(Default)]
struct Samples(Vec<Value>);

impl Samples {
    fn column(&self, name: &str) -> Vec<f64> {
        self.0
            .iter()
            .map(|s| s[name].as_f64().unwrap_or(f64::NAN))
            .collect()
    }

    fn median_of(&self, name: &str) -> String {
        median(&self.column(name)).map_or_else(|| "—".to_owned(), number)
    }

    /// "script started 69 ms, first query sent 119 ms, first answer 160 ms, last answer 851 ms,
    /// 30 queries; CPU per load: browser 310 ms, Prometheus 820 ms, nginx 12 ms".
    fn timeline(&self) -> String {
        let cpu = Role::ALL
            .iter()
            .map(|role| format!("{} {} ms", role.label(), self.median_of(&cpu_column(*role))))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "script started {} ms, first query sent {} ms, first answer {} ms, last answer {} ms, {} queries; CPU per load: {cpu}",
            self.median_of("script"),
            self.median_of("sent"),
            self.median_of("first_answer"),
            self.median_of("answered"),
            self.median_of("requests"),
        )
    }
}

/// Both sides' page loads.
struct Loads {
    /// Sightline loading the page again (its requests kept by the load before).
    ours: Samples,
    theirs: Samples,
    /// Sightline with no requests kept (`sightline.early` removed before the load).
    fresh: Samples,
}

/// Forgets the requests the app keeps for early.js (run on a page that is not the app, or its
/// `pagehide` keeps them again): the next load is a first visit.
const FORGET_KEPT_REQUESTS: &str = "localStorage.removeItem('sightline.early'); return true;";

/// Empties the browser's HTTP cache (and with it the compiled code kept beside it): the next
/// load downloads and compiles every file, as a first visit does.
fn clear_browser_cache(browser: &Browser) -> Result<()> {
    browser
        .cdp("Network.clearBrowserCache", json!({}))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn measure_dashboard(
    browser: &Browser,
    base: &str,
    runs: u32,
    latency_ms: Option<u32>,
) -> Result<Loads> {
    store_dashboard(browser)?;
    emulate_latency(browser, latency_ms.unwrap_or(0))?;
    // The screenshots and the timeline are kept for the local stack's loads.
    let loads = dashboard_loads(browser, base, runs, latency_ms.is_none());
    // Back to the plain network whatever happened, for the figures measured after these.
    emulate_latency(browser, 0)?;
    loads
}

/// Delays every request of the page by `latency_ms` (Chromium's network emulation; 0 ends it).
fn emulate_latency(browser: &Browser, latency_ms: u32) -> Result<()> {
    let e = |e: sightline_testkit::webdriver::WebDriverError| e.to_string();
    browser.cdp("Network.enable", json!({})).map_err(e)?;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({"offline": false, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .map_err(e)?;
    Ok(())
}

/// The column of a sample holding the CPU a role used during the load.
fn cpu_column(role: Role) -> String {
    format!("cpu_{}", role.label())
}

/// Opens `url` and waits for `script` to return JSON, like [`wait_for_json`], and adds to that
/// JSON the CPU time each role (browser, Prometheus, nginx) used from navigation to the poll that
/// saw the answer (polls are 100 ms apart: up to that much of the quiet after the load is
/// included, on both sides alike).
fn measured_load(browser: &Browser, url: &str, what: &str, script: &str) -> Result<Value> {
    let before = CpuTime::now();
    browser.goto(url).map_err(|e| e.to_string())?;
    let mut sample = wait_for_json(browser, what, script, WAIT)?;
    let used = before.used_until(&CpuTime::now());
    if let Value::Object(fields) = &mut sample {
        for (role, ms) in used {
            fields.insert(cpu_column(role), json!(ms));
        }
    }
    Ok(sample)
}

fn dashboard_loads(browser: &Browser, base: &str, runs: u32, artifacts: bool) -> Result<Loads> {
    let (mut ours_all, mut theirs_all, mut fresh_all) =
        (Samples::default(), Samples::default(), Samples::default());
    let uplot_result = format!("return window.benchResult ? JSON.stringify(Object.assign({{}}, window.benchResult, {REQUEST_TIMELINE})) : (window.benchError ? JSON.stringify({{error: window.benchError}}) : null);");
    let mut size = (440, 180);
    // One unmeasured load of each first (the gateway, Prometheus and the page cache warm up).
    for run in 0..=runs {
        let ours = measured_load(
            browser,
            &format!("{base}/d/{UID}"),
            "30 panels painted",
            &painted_script(30),
        )?;
        size = (
            ours["w"].as_u64().unwrap_or(440),
            ours["h"].as_u64().unwrap_or(180),
        );
        let theirs = measured_load(
            browser,
            &format!("{base}/bench/dashboard.html?w={}&h={}", size.0, size.1),
            "uPlot dashboard",
            &uplot_result,
        )?;
        // A first visit: nothing kept for early.js to send (this load keeps its requests for
        // the next one of `ours`).
        browser
            .execute(FORGET_KEPT_REQUESTS, &[])
            .map_err(|e| e.to_string())?;
        clear_browser_cache(browser)?;
        let fresh = measured_load(
            browser,
            &format!("{base}/d/{UID}"),
            "30 panels painted",
            &painted_script(30),
        )?;
        if run == runs && artifacts {
            // What was measured, for a person to look at.
            let dir = super::setup::report_dir();
            let _ = browser.screenshot(&dir.join("dashboard-uplot.png"));
            let _ = browser.goto(&format!("{base}/d/{UID}"));
            let _ = wait_for_json(browser, "30 panels painted", &painted_script(30), WAIT);
            let _ = browser.screenshot(&dir.join("dashboard-sightline.png"));
            if let Ok(timeline) = browser.execute(FULL_TIMELINE, &[]) {
                let text = timeline.as_str().unwrap_or_default().to_owned();
                let _ = std::fs::write(dir.join("dashboard-sightline-timeline.json"), text);
            }
        }
        if run == 0 {
            continue;
        }
        ours_all.0.push(ours);
        theirs_all.0.push(theirs);
        fresh_all.0.push(fresh);
    }
    println!("dashboard canvases {}×{} CSS px", size.0, size.1);
    Ok(Loads {
        ours: ours_all,
        theirs: theirs_all,
        fresh: fresh_all,
    })
}

fn spread(samples: &[f64]) -> String {
    let lo = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() {
        format!("{}–{} ms", number(lo), number(hi))
    } else {
        "—".to_owned()
    }
}

/// The cold-start breakdown the page computes from its own timeline.
const COLD_START_SCRIPT: &str = "
  const marks = performance.getEntriesByType('mark');
  const painted = marks.filter(m => m.name.startsWith('sightline:chart-painted:'));
  if (painted.length === 0) return null;
  const paint = painted[0].startTime;
  const main = (marks.find(m => m.name === 'sightline:main') || {startTime: NaN}).startTime;
  const resources = performance.getEntriesByType('resource');
  const wasm = resources.find(r => r.name.endsWith('.wasm'));
  const api = resources.filter(r => r.name.includes('/api/v1/'));
  const firstApi = api.length ? Math.min(...api.map(r => r.startTime)) : NaN;
  const before = api.filter(r => r.responseEnd <= paint).map(r => r.responseEnd);
  const fetched = before.length ? Math.max(...before) : NaN;
  const downloaded = wasm ? wasm.responseEnd : NaN;
  return JSON.stringify({
    total: paint,
    download: downloaded,
    compile: main - downloaded,
    init: firstApi - main,
    fetch: fetched - firstApi,
    draw: paint - fetched,
    wasm_bytes: wasm ? wasm.encodedBodySize : null,
  });";

/// Cold start of the GPU overview: navigation to the first chart painted, in phases.
#[must_use]
pub fn cold_start_figure(browser: &Browser, base: &str, runs: u32) -> Figure {
    let figure = "cold start: navigation to first panel painted (GPU fleet overview, release build, local stack)";
    let mut samples: Vec<Value> = Vec::new();
    for run in 0..=runs {
        // Cold: the browser cache emptied, and no requests kept from the load before for early.js to send
        // (forgotten from a page that is not the app, whose `pagehide` would keep them again).
        if let Err(e) = browser
            .goto(&format!("{base}/config.json"))
            .and_then(|()| browser.execute(FORGET_KEPT_REQUESTS, &[]))
            .map_err(|e| e.to_string())
            .and_then(|_| clear_browser_cache(browser))
            .and_then(|()| {
                browser
                    .goto(&format!("{base}/d/gpu-fleet"))
                    .map_err(|e| e.to_string())
            })
        {
            return Figure::blocked(figure, "ms", "—", "report", &e);
        }
        match wait_for_json(browser, "first chart painted", COLD_START_SCRIPT, WAIT) {
            Ok(v) if run > 0 => samples.push(v),
            Ok(_) => {}
            Err(e) => return Figure::blocked(figure, "ms", "—", "report", &e),
        }
    }
    let phase = |name: &str| {
        median(
            &samples
                .iter()
                .filter_map(|s| s[name].as_f64())
                .collect::<Vec<_>>(),
        )
        .unwrap_or(f64::NAN)
    };
    let total = phase("total");
    let breakdown = ["download", "compile", "init", "fetch", "draw"]
        .iter()
        .map(|p| format!("{p} {} ms", number(phase(p))))
        .collect::<Vec<_>>()
        .join(", ");
    Figure::measured(figure, total, "ms", "—", None, Target::Report, "report ms and phases").with_note(format!(
        "median of {runs} uncached loads with no requests kept from an earlier load: {breakdown}. download = wasm response end (HTML, loader, JS glue before it); compile = wasm downloaded → `sightline:main` (streaming compile overlaps the download); init = main → first API request (config, routing, dashboard, variables); fetch = first API request → last API response before the paint; draw = that response → first chart painted (decode, layout, paint)"
    ))
}
