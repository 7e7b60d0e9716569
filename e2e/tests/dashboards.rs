//! End to end: the built-in dashboards and the shipped Grafana export against the local stack —
//! every panel draws data, legends name the expected series, each query goes out once and on
//! its step grid, a time-range change refetches and aborts what it supersedes without
//! rebuilding the panels, and the URL reopens the same view.

use serde_json::json;
use sightline_e2e::{
    browser, open, screenshot, scroll_through, settled_panels, sign_in, stack, wait_for_text, WAIT,
};
use sightline_testkit::webdriver::SentRequest;

const DASHBOARDS: [&str; 5] = [
    "gpu-fleet",
    "gpu-node",
    "gpu-jobs",
    "dcgm-exporter",
    "k8s-audit",
];

#[test]
fn every_built_in_dashboard_draws_every_panel_from_the_stack() {
    let b = browser();
    b.set_window_size(1400, 2400)
        .unwrap_or_else(|e| panic!("{e}"));
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    for uid in DASHBOARDS {
        open(&b, &format!("/d/{uid}"));
        b.wait_for(".panel", WAIT)
            .unwrap_or_else(|e| panic!("{uid}: {e}"));
        scroll_through(&b);
        let panels = settled_panels(&b);
        assert!(panels.len() >= 8, "{uid}: only {} panels", panels.len());
        for (title, state) in &panels {
            // Text panels need no data; log panels are checked for lines below.
            let ok = matches!(state.as_str(), "done" | "static" | "logs");
            assert!(ok, "{uid}: panel {title:?} is {state}");
        }
        let log_panels = panels.iter().filter(|(_, s)| s == "logs").count();
        if log_panels > 0 {
            b.wait_until(
                "every log panel shows lines",
                r"const panels = [...document.querySelectorAll('.panel[data-state=logs]')];
                  return panels.every(p => p.querySelectorAll('.log-row').length > 0);",
                WAIT,
            )
            .unwrap_or_else(|e| panic!("{uid}: {e}"));
        }
        let errors = b
            .execute(
                "return document.querySelectorAll('.error-box').length;",
                &[],
            )
            .unwrap_or_default();
        assert_eq!(errors, json!(0), "{uid}: no panel shows an error");
        screenshot(&b, &format!("dashboard-{uid}"));
    }
    b.quit();
}

#[test]
fn the_legend_names_one_series_per_cluster() {
    let b = browser();
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(&b, "/d/gpu-fleet");
    settled_panels(&b);
    let names = b
        .execute(
            r"const panel = [...document.querySelectorAll('.panel')].find(p => p.querySelector('.panel-title').textContent === 'GPU utilisation by cluster');
              return [...panel.querySelectorAll('.legend-name')].map(e => e.textContent);",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        names,
        json!(["east-prod", "east-research", "west-prod", "west-research"])
    );
    b.quit();
}

#[test]
fn a_time_range_change_refetches_and_aborts_the_requests_it_supersedes() {
    let b = browser();
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(&b, "/d/gpu-fleet");
    settled_panels(&b);
    b.sent_requests().unwrap_or_else(|e| panic!("{e}"));
    // Slow the network down so the first change's requests are still running at the second.
    b.cdp("Network.enable", json!({}))
        .unwrap_or_else(|e| panic!("{e}"));
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for range in ["now-24h", "now-2d"] {
        b.execute(
            &format!("history.pushState(null, '', location.pathname + '?from={range}&to=now'); dispatchEvent(new PopStateEvent('popstate')); return true;"),
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(std::time::Duration::from_millis(400));
    }
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    settled_panels(&b);
    let log = b.log("performance").unwrap_or_else(|e| panic!("{e}"));
    let mut ranges = Vec::new();
    let mut canceled = 0;
    for entry in &log {
        let message = &entry["message"];
        match message["method"].as_str() {
            Some("Network.requestWillBeSent") => {
                let url = message["params"]["request"]["url"]
                    .as_str()
                    .unwrap_or_default();
                if url.contains("/api/v1/query_range") {
                    ranges.push(url.to_owned());
                }
            }
            Some("Network.loadingFailed") if message["params"]["canceled"] == json!(true) => {
                canceled += 1
            }
            _ => {}
        }
    }
    assert!(
        ranges.len() >= 10,
        "the panels queried the new ranges: {} requests",
        ranges.len()
    );
    assert!(
        canceled > 0,
        "requests of the superseded range were aborted"
    );
    b.quit();
}

#[test]
fn opening_a_dashboard_asks_each_query_once_on_the_step_grid() {
    let b = browser();
    b.set_window_size(1400, 2400)
        .unwrap_or_else(|e| panic!("{e}"));
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    settled_panels(&b);
    b.sent_requests().unwrap_or_else(|e| panic!("{e}"));
    // Its expressions are all different (the fleet overview repeats one in two panels).
    open(&b, "/d/gpu-node");
    settled_panels(&b);
    let mut ids = std::collections::HashSet::new();
    let params: Vec<(String, f64, f64, f64)> = b
        .sent_requests()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|r| r.url.contains("/api/v1/query_range") && r.is_call())
        .filter(|r| ids.insert(r.request_id.clone()))
        .map(|r| {
            let number = |name| number_param(&r, name);
            let query = r.param("query").unwrap_or_default();
            (query, number("start"), number("end"), number("step"))
        })
        .collect();
    assert!(params.len() >= 5, "only {} range queries", params.len());
    let mut queries = std::collections::HashSet::new();
    for (query, start, end, step) in &params {
        // A panel that asked again once its observers reported (another width, so another
        // step) would repeat its expression.
        assert!(queries.insert(query.clone()), "asked twice: {query}");
        let (start, end, step) = (*start, *end, *step);
        assert!(step > 0.0, "{query}: step {step}");
        for (name, at) in [("start", start), ("end", end)] {
            assert!(
                (at / step).fract() == 0.0,
                "{query}: {name} {at} is not on the {step} s grid"
            );
        }
    }
    b.quit();
}

#[test]
fn a_time_range_change_keeps_every_panel_mounted() {
    let b = browser();
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(&b, "/d/gpu-fleet");
    let before = settled_panels(&b).len();
    // A property on every panel's element survives only if the element is not rebuilt.
    b.execute(
        "document.querySelectorAll('.panel').forEach(p => { p.__kept = true; }); return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    b.execute(
        "history.pushState(null, '', location.pathname + '?from=now-24h&to=now'); dispatchEvent(new PopStateEvent('popstate')); return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    b.wait_until(
        "the new range is in the time picker",
        "return document.body.textContent.includes('Last 24 hours');",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(settled_panels(&b).len(), before);
    let kept = b
        .execute(
            "const panels = [...document.querySelectorAll('.panel')]; return [panels.length, panels.filter(p => p.__kept).length];",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kept,
        json!([before, before]),
        "the panels were redrawn in place, not rebuilt"
    );
    b.quit();
}

#[test]
fn the_url_reopens_the_same_view() {
    let b = browser();
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(
        &b,
        "/d/gpu-fleet?from=now-3h&to=now&var-cluster=east-prod&var-cluster=west-prod&refresh=30s",
    );
    settled_panels(&b);
    let url = b.current_url().unwrap_or_default();
    assert!(
        url.contains("var-cluster=east-prod&var-cluster=west-prod"),
        "{url}"
    );
    wait_for_text(&b, "#time-picker-button", "Last 3 hours");
    wait_for_text(
        &b,
        "[data-variable=cluster] .variable-button",
        "east-prod + west-prod",
    );
    let refresh = b
        .execute(
            "return document.querySelector('#refresh-interval').value;",
            &[],
        )
        .unwrap_or_default();
    assert_eq!(refresh, json!("30s"));
    // Choosing a range in the picker writes it back to the URL, and back/forward follow it.
    let picker = b
        .wait_for("#time-picker-button", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&picker).unwrap_or_else(|e| panic!("{e}"));
    b.execute(
        "[...document.querySelectorAll('.quick-ranges button')].find(x => x.textContent === 'Last 24 hours').click(); return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    b.wait_until(
        "the URL has the new range",
        "return location.search.includes('from=now-24h') ? location.search : null;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    b.execute("history.back(); return true;", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&b, "#time-picker-button", "Last 3 hours");
    screenshot(&b, "dashboard-url-state");
    b.quit();
}

/// A browser signed in to the demo stack, tall enough for a whole dashboard, showing `path`
/// with every panel settled.
fn signed_in_at(path: &str) -> sightline_e2e::Browser {
    let b = browser();
    b.set_window_size(1400, 2400)
        .unwrap_or_else(|e| panic!("{e}"));
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(&b, path);
    settled_panels(&b);
    b
}

/// Clicks each element of `selectors` in turn, waiting for each to appear.
fn click_in_turn(b: &sightline_e2e::Browser, selectors: &[&str]) {
    for css in selectors {
        let element = b
            .wait_for(css, WAIT)
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        b.click(&element).unwrap_or_else(|e| panic!("{css}: {e}"));
    }
}

/// The (repeat, title, state) of every copy of panel `id` on the page, in page order.
fn copies_of(b: &sightline_e2e::Browser, id: u64) -> Vec<(String, String, String)> {
    let found = b
        .execute(
            "return [...document.querySelectorAll(`.panel[data-panel-id='${arguments[0]}']`)]
               .map(p => [p.dataset.repeat || '', p.querySelector('.panel-title').textContent, p.dataset.state]);",
            &[json!(id)],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    found
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let text = |i: usize| c[i].as_str().unwrap_or_default().to_owned();
            (text(0), text(1), text(2))
        })
        .collect()
}

/// The parameter `name` of a sent call as a number (NaN when missing or not a number, which
/// every comparison the tests make then fails).
fn number_param(request: &SentRequest, name: &str) -> f64 {
    request
        .param(name)
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

/// The `query` parameter of every range query the page sent since the last call.
fn range_queries(b: &sightline_e2e::Browser) -> Vec<String> {
    b.sent_requests()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|r| r.url.contains("/api/v1/query_range") && r.is_call())
        .filter_map(|r| r.param("query"))
        .collect()
}

#[test]
fn a_repeated_panel_draws_a_copy_per_selected_gpu_each_asking_for_its_own() {
    // gpu-node's "GPU $gpu" gauge (panel 15) repeats for each GPU, eight to a row.
    let b = browser();
    b.set_window_size(1400, 2400)
        .unwrap_or_else(|e| panic!("{e}"));
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    settled_panels(&b);
    b.sent_requests().unwrap_or_else(|e| panic!("{e}"));
    open(&b, "/d/gpu-node");
    settled_panels(&b);
    let copies = copies_of(&b, 15);
    assert!(
        copies.len() >= 2,
        "only {} copies: {copies:?}",
        copies.len()
    );
    let queries = range_queries(&b);
    for (k, (repeat, title, state)) in copies.iter().enumerate() {
        assert_eq!(repeat, &format!("gpu={k}"), "{copies:?}");
        assert_eq!(title, &format!("GPU {k}"));
        assert_eq!(state, "done", "{title}");
        let own = format!("gpu=~\"{k}\"");
        assert!(
            queries
                .iter()
                .any(|q| q.starts_with("max by (gpu) (DCGM_FI_DEV_GPU_UTIL{") && q.contains(&own)),
            "{title} asked for its own GPU ({own}) in {queries:?}"
        );
    }
    // Titles show the variables' values: the copies' above, and the row's over them.
    let rows = b
        .execute(
            "return [...document.querySelectorAll('.row-title')].map(t => t.textContent);",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        rows.as_array().is_some_and(|rows| rows.iter().any(|t| t
            .as_str()
            .is_some_and(|t| t.starts_with("Each GPU of gpu-")))),
        "{rows}"
    );
    // Eight to a row: copies share a row's width and wrap.
    let tops = b
        .execute(
            "return [...document.querySelectorAll(`.panel[data-panel-id='15']`)]
               .map(p => Math.round(p.getBoundingClientRect().top));",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let tops: Vec<i64> = tops
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(serde_json::Value::as_i64)
        .collect();
    let first_row = tops.iter().filter(|&&t| t == tops[0]).count();
    assert_eq!(first_row, copies.len().min(8), "{tops:?}");
    b.execute(
        "window.scrollTo(0, document.body.scrollHeight); return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    screenshot(&b, "dashboard-gpu-node-repeat");

    // Two GPUs picked: two copies, and the copy's "View" shows that GPU alone.
    let search = b
        .execute("return location.search;", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let search = search
        .as_str()
        .unwrap_or_default()
        .replace("var-gpu=%24__all", "var-gpu=$__all")
        .replace("var-gpu=$__all", "var-gpu=1&var-gpu=3");
    open(&b, &format!("/d/gpu-node{search}"));
    settled_panels(&b);
    let picked: Vec<(String, String)> = copies_of(&b, 15)
        .into_iter()
        .map(|(repeat, title, _)| (repeat, title))
        .collect();
    assert_eq!(
        picked,
        vec![
            ("gpu=1".to_owned(), "GPU 1".to_owned()),
            ("gpu=3".to_owned(), "GPU 3".to_owned())
        ],
        "with {search}"
    );
    click_in_turn(
        &b,
        &[
            ".panel[data-repeat='gpu=3'] .panel-menu-button",
            ".panel[data-repeat='gpu=3'] .menu-view",
        ],
    );
    b.wait_for(".panel-full", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&b, ".panel-full .panel-title", "GPU 3");
    let full = settled_panels(&b);
    assert_eq!(full, vec![("GPU 3".to_owned(), "done".to_owned())]);

    // The panel editor repeats "Utilisation per GPU" (panel 5), stacked: a copy per picked GPU.
    open(&b, &format!("/d/gpu-node{search}"));
    settled_panels(&b);
    click_in_turn(
        &b,
        &[
            ".panel[data-panel-id='5'] .panel-menu-button",
            ".panel[data-panel-id='5'] .menu-edit",
        ],
    );
    b.wait_for("#panel-edit-repeat", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.execute(
        "for (const [id, value] of [['#panel-edit-repeat', 'gpu'], ['#panel-edit-repeat-direction', 'v']]) {
           const select = document.querySelector(id);
           select.value = value;
           select.dispatchEvent(new Event('change', { bubbles: true }));
         }
         return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    screenshot(&b, "panel-editor-repeat");
    let apply = b
        .wait_for("#panel-edit-apply", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&apply).unwrap_or_else(|e| panic!("{e}"));
    let stacked = b
        .wait_until(
            "two stacked copies of panel 5",
            "const copies = [...document.querySelectorAll(`.panel[data-panel-id='5']`)];
             if (copies.length !== 2 || copies.some(c => c.dataset.state !== 'done')) return null;
             return copies.map(c => { const r = c.getBoundingClientRect(); return [c.dataset.repeat, r.left, r.top]; });",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stacked[0][0], json!("gpu=1"), "{stacked}");
    assert_eq!(stacked[1][0], json!("gpu=3"), "{stacked}");
    assert_eq!(stacked[0][1], stacked[1][1], "same column: {stacked}");
    assert!(
        stacked[1][2].as_f64() > stacked[0][2].as_f64(),
        "the second below the first: {stacked}"
    );
    wait_for_text(&b, "#unsaved-marker", "Unsaved changes");
    b.quit();
}

#[test]
fn a_panels_own_time_range_and_shift_apply_to_its_queries_and_show_in_its_header() {
    // gpu-node's "Utilisation per GPU" (panel 5) set to the last hour of yesterday.
    let b = signed_in_at("/d/gpu-node");
    click_in_turn(
        &b,
        &[
            ".panel[data-panel-id='5'] .panel-menu-button",
            ".panel[data-panel-id='5'] .menu-edit",
        ],
    );
    for (id, text) in [
        ("#panel-edit-time-from", "1h"),
        ("#panel-edit-time-shift", "1d"),
    ] {
        let input = b.wait_for(id, WAIT).unwrap_or_else(|e| panic!("{e}"));
        b.type_into(&input, text, true)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    b.sent_requests().unwrap_or_else(|e| panic!("{e}"));
    let apply = b
        .wait_for("#panel-edit-apply", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&apply).unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(
        &b,
        ".panel[data-panel-id='5'] .panel-time-override",
        "Last 1 hour timeshift -1d",
    );
    b.wait_until(
        "panel 5 drew yesterday's hour",
        "const p = document.querySelector(`.panel[data-panel-id='5']`); return p.dataset.state === 'done' ? true : null;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let sent: Vec<_> = b
        .sent_requests()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|r| r.url.contains("/api/v1/query_range") && r.is_call())
        .collect();
    let asked: Vec<[f64; 3]> = sent
        .iter()
        .filter(|r| {
            r.param("query")
                .is_some_and(|q| q.starts_with("DCGM_FI_DEV_GPU_UTIL{"))
        })
        .map(|r| ["start", "end", "step"].map(|name| number_param(r, name)))
        .collect();
    let identities: Vec<String> = sent.iter().map(|r| r.identity()).collect();
    assert_eq!(asked.len(), 1, "one new query for panel 5: {identities:?}");
    let now = b
        .execute("return Date.now() / 1000;", &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .as_f64()
        .unwrap_or(f64::NAN);
    let [start, end, step] = asked[0];
    assert!(
        (end - start - 3600.0).abs() <= step,
        "an hour long: {start}..{end} (step {step})"
    );
    let a_day_ago = now - 86_400.0;
    assert!(
        (end - a_day_ago).abs() < 120.0,
        "ends a day ago: end {end}, now {now}"
    );
    // The other panels keep the dashboard's range: no badge on them.
    let badges = b
        .execute(
            "return document.querySelectorAll('.panel-time-override').length;",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(badges, json!(1));
    screenshot(&b, "panel-time-override");
    b.quit();
}

#[test]
fn the_jobs_view_shares_gpus_by_namespace_and_tidies_its_table() {
    // gpu-jobs' donut (panel 11): a slice per namespace, its legend giving count and share.
    let b = signed_in_at("/d/gpu-jobs");
    let pie = b
        .execute(
            "const p = document.querySelector(`.panel[data-panel-id='11']`);
             return {
               state: p.dataset.state,
               slices: [...p.querySelectorAll('.pie-slice')].map(s => s.dataset.name),
               legend: [...p.querySelectorAll('.pie-legend-row')].map(r => [...r.querySelectorAll('.num')].map(n => n.textContent)),
               labels: [...p.querySelectorAll('.pie-label')].map(l => l.textContent),
             };",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pie["state"], json!("done"), "{pie}");
    let slices = pie["slices"].as_array().cloned().unwrap_or_default();
    let legend = pie["legend"].as_array().cloned().unwrap_or_default();
    assert!(slices.len() >= 2, "a slice per namespace: {pie}");
    assert_eq!(slices.len(), legend.len(), "{pie}");
    // Shares add up to 100 % (each rounded).
    let shares: f64 = legend
        .iter()
        .filter_map(|row| {
            row.as_array()?
                .last()?
                .as_str()?
                .strip_suffix('%')?
                .parse::<f64>()
                .ok()
        })
        .sum();
    let rows = f64::from(u32::try_from(legend.len()).unwrap_or(u32::MAX));
    assert!((shares - 100.0).abs() <= rows, "shares {shares}: {pie}");
    assert!(
        pie["labels"].as_array().is_some_and(|l| l
            .iter()
            .all(|t| t.as_str().is_some_and(|t| t.ends_with('%')))),
        "{pie}"
    );
    // Its table (panel 9) is tidied by an `organize` transformation: no time, renamed columns.
    let headers = b
        .execute(
            "return [...document.querySelectorAll(`.panel[data-panel-id='9'] .table-head-cell`)].map(h => h.textContent.replace(/[▲▼]/g, '').trim());",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        headers,
        json!(["namespace", "pod", "Node", "GPU model", "Utilisation"])
    );
    screenshot(&b, "dashboard-gpu-jobs-pie");
    b.quit();
}

#[test]
fn the_heatmap_counts_gpus_per_utilisation_bucket_and_names_the_cell_under_the_pointer() {
    // gpu-fleet's "GPU utilisation spread" (panel 20): every GPU counted into ten buckets.
    let b = signed_in_at("/d/gpu-fleet");
    let heatmap = b
        .execute(
            "const p = document.querySelector(`.panel[data-panel-id='20']`);
             const c = p.querySelector('canvas.heatmap-canvas');
             c.scrollIntoView({block: 'center'});
             return {state: p.dataset.state, width: c.width, height: c.height,
                     max: p.querySelector('.heatmap-max').textContent};",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(heatmap["state"], json!("done"), "{heatmap}");
    assert!(heatmap["width"].as_u64() > Some(400), "{heatmap}");
    let max: f64 = heatmap["max"]
        .as_str()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0.0);
    assert!(max >= 1.0, "the busiest cell counts GPUs: {heatmap}");
    // The pointer over the plot names its cell: a bucket of percentages and a count.
    let tip = b
        .wait_until(
            "the heatmap tooltip",
            "const c = document.querySelector(`.panel[data-panel-id='20'] canvas.heatmap-canvas`);
             const r = c.getBoundingClientRect();
             c.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, clientX: r.left + r.width * 0.7, clientY: r.top + r.height * 0.4}));
             const t = document.querySelector('.heatmap-tooltip');
             return t ? t.textContent : null;",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let tip = tip.as_str().unwrap_or_default().to_owned();
    assert!(tip.contains("% – ") && tip.contains('%'), "{tip}");
    screenshot(&b, "dashboard-gpu-fleet-heatmap");
    b.quit();
}

/// The page top (px) of each row header of the dashboard, by title.
fn row_tops(b: &sightline_e2e::Browser) -> Vec<(String, f64)> {
    let rows = b
        .execute(
            "return [...document.querySelectorAll('.grid-row-header')].map(r =>
               [r.querySelector('.row-title').textContent, r.getBoundingClientRect().top + window.scrollY]);",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    rows.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap_or_default().to_owned(),
                r[1].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

fn toggle_row(b: &sightline_e2e::Browser, title: &str) {
    b.execute(
        "const row = [...document.querySelectorAll('.grid-row-header')]
           .find(r => r.querySelector('.row-title').textContent === arguments[0]);
         row.querySelector('.row-toggle').click(); return true;",
        &[json!(title)],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn folding_rows_moves_what_lies_below_and_each_row_folds_itself() {
    let b = signed_in_at("/d/gpu-fleet");
    let before = row_tops(&b);
    let names: Vec<&str> = before.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        names,
        vec!["Utilisation", "Power and temperature", "Errors"]
    );
    // Folding "Utilisation" pulls the next row up under it.
    toggle_row(&b, "Utilisation");
    b.wait_until(
        "the next row moves up",
        "const rows = [...document.querySelectorAll('.grid-row-header')].map(r => r.getBoundingClientRect().top);
         return rows.length === 3 && rows[1] - rows[0] < 60 ? true : null;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}: {:?}", row_tops(&b)));
    // The row after it folds itself (not the one that used to sit at its place in the list).
    toggle_row(&b, "Power and temperature");
    b.wait_until(
        "Power and temperature folds and Errors moves up",
        "const rows = [...document.querySelectorAll('.grid-row-header')];
         const open = rows.map(r => r.querySelector('.row-toggle').getAttribute('aria-expanded'));
         const tops = rows.map(r => r.getBoundingClientRect().top);
         return open.join() === 'false,false,true' && tops[2] - tops[1] < 60 ? true : null;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}: {:?}", row_tops(&b)));
    // Unfolding both puts every row back where it was.
    toggle_row(&b, "Utilisation");
    toggle_row(&b, "Power and temperature");
    b.wait_until(
        "every row back in place",
        "const rows = [...document.querySelectorAll('.grid-row-header')];
         return rows.every(r => r.querySelector('.row-toggle').getAttribute('aria-expanded') === 'true') ? true : null;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    settled_panels(&b);
    let after = row_tops(&b);
    for ((name, top), (_, again)) in before.iter().zip(&after) {
        assert!((top - again).abs() < 2.0, "{name}: {top} then {again}");
    }
    b.quit();
}

/// A dashboard whose row repeats for each of three nodes, a text panel under it, and a row
/// below; the repeated row starts folded in the file when `collapsed`.
fn repeated_row_dashboard(collapsed: bool) -> serde_json::Value {
    let notes = json!({"id": 2, "type": "text", "title": "Notes for $node",
        "gridPos": {"x": 0, "y": 1, "w": 24, "h": 4},
        "options": {"mode": "markdown", "content": "Node $node"}});
    json!({
        "uid": "fold-copies", "title": "Fold copies", "schemaVersion": 39,
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [{"name": "node", "type": "custom", "query": "a,b,c",
            "multi": true, "includeAll": true,
            "current": {"text": ["All"], "value": ["$__all"]}}]},
        "panels": if collapsed {
            json!([
                {"id": 1, "type": "row", "title": "Node $node", "repeat": "node", "collapsed": true,
                 "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": [notes]},
                {"id": 3, "type": "row", "title": "After", "collapsed": false,
                 "gridPos": {"x": 0, "y": 1, "w": 24, "h": 1}, "panels": []}
            ])
        } else {
            json!([
                {"id": 1, "type": "row", "title": "Node $node", "repeat": "node", "collapsed": false,
                 "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": []},
                notes,
                {"id": 3, "type": "row", "title": "After", "collapsed": false,
                 "gridPos": {"x": 0, "y": 5, "w": 24, "h": 1}, "panels": []}
            ])
        }
    })
}

/// Waits until the row headers are `expected` ("title:open" each, in page order) and the
/// visible text panels say `notes` (in page order).
fn wait_for_rows(b: &sightline_e2e::Browser, expected: &str, notes: &str) {
    b.wait_until(
        &format!("rows {expected}, notes {notes}"),
        &format!(
            "const rows = [...document.querySelectorAll('.grid-row-header')].map(r =>
               r.querySelector('.row-title').textContent + ':' + r.querySelector('.row-toggle').getAttribute('aria-expanded'));
             const notes = [...document.querySelectorAll(`.panel[data-panel-id='2'] .panel-title`)].map(t => t.textContent);
             return rows.join() === {} && notes.join() === {} ? true : null;",
            json!(expected),
            json!(notes)
        ),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}: {:?}", row_tops(b)));
}

#[test]
fn each_copy_of_a_repeated_row_folds_by_itself() {
    let b = browser();
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    sightline_e2e::plant_dashboard(&b, "fold-copies", &repeated_row_dashboard(false));
    sightline_e2e::plant_dashboard(&b, "fold-copies-folded", &repeated_row_dashboard(true));
    open(&b, "/d/fold-copies");
    wait_for_rows(
        &b,
        "Node a:true,Node b:true,Node c:true,After:true",
        "Notes for a,Notes for b,Notes for c",
    );
    let texts = b
        .execute(
            "return [...document.querySelectorAll(`.panel[data-panel-id='2'] .panel-body`)].map(p => p.textContent.trim());",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        texts,
        json!(["Node a", "Node b", "Node c"]),
        "each copy's text fills in its value"
    );
    let before = row_tops(&b);
    // Folding b's copy hides b's notes only, and pulls what lies below up.
    toggle_row(&b, "Node b");
    wait_for_rows(
        &b,
        "Node a:true,Node b:false,Node c:true,After:true",
        "Notes for a,Notes for c",
    );
    let folded = row_tops(&b);
    assert!(
        folded[2].1 < before[2].1 - 60.0 && folded[3].1 < before[3].1 - 60.0,
        "c and After move up: {before:?} then {folded:?}"
    );
    screenshot(&b, "dashboard-fold-one-copy");
    toggle_row(&b, "Node b");
    wait_for_rows(
        &b,
        "Node a:true,Node b:true,Node c:true,After:true",
        "Notes for a,Notes for b,Notes for c",
    );
    // A file that folds the row: opening one copy opens that copy only.
    open(&b, "/d/fold-copies-folded");
    wait_for_rows(&b, "Node a:false,Node b:false,Node c:false,After:true", "");
    toggle_row(&b, "Node c");
    wait_for_rows(
        &b,
        "Node a:false,Node b:false,Node c:true,After:true",
        "Notes for c",
    );
    b.quit();
}

#[test]
fn a_series_placed_right_is_shown_in_its_own_unit_and_log_and_smooth_panels_draw() {
    // Fleet utilisation (%) on the left axis, fleet power (W, query B) on the right by a field
    // override, drawn as steps; below, smooth lines on a log₂ axis.
    let dashboard = json!({
        "uid": "two-axes", "title": "Two axes", "schemaVersion": 39,
        "time": {"from": "now-30m", "to": "now"},
        "panels": [{"id": 1, "type": "timeseries", "title": "Utilisation and power",
            "gridPos": {"x": 0, "y": 0, "w": 24, "h": 10},
            "targets": [
                {"refId": "A", "expr": "avg(DCGM_FI_DEV_GPU_UTIL)", "legendFormat": "utilisation"},
                {"refId": "B", "expr": "sum(DCGM_FI_DEV_POWER_USAGE)", "legendFormat": "power"}],
            "fieldConfig": {
                "defaults": {"unit": "percent", "custom": {"lineInterpolation": "stepAfter"}},
                "overrides": [{"matcher": {"id": "byFrameRefID", "options": "B"}, "properties": [
                    {"id": "custom.axisPlacement", "value": "right"},
                    {"id": "unit", "value": "watt"}]}]},
            "options": {"tooltip": {"mode": "multi", "sort": "none"}}},
            {"id": 2, "type": "timeseries", "title": "Frame buffer per GPU, log scale",
            "gridPos": {"x": 0, "y": 10, "w": 24, "h": 10},
            "targets": [{"refId": "A", "expr": "topk(4, DCGM_FI_DEV_FB_USED)", "legendFormat": "{{Hostname}} {{gpu}}"}],
            "fieldConfig": {"defaults": {"unit": "decmbytes", "custom": {
                "lineInterpolation": "smooth", "scaleDistribution": {"type": "log", "log": 2}}},
                "overrides": []}},
            // A legacy graph whose series overrides draw one node as bars, one as an area
            // without a line and one dashed (migrated to field overrides on load).
            {"id": 3, "type": "graph", "title": "Power per node, legacy graph",
            "gridPos": {"x": 0, "y": 20, "w": 24, "h": 8},
            "interval": "1m",
            "targets": [{"refId": "A", "legendFormat": "{{Hostname}}",
                "expr": "sum by (Hostname) (DCGM_FI_DEV_POWER_USAGE{Hostname=~\"gpu-east-(prod|research)-0[12]\"})"}],
            "lines": true, "linewidth": 1, "fill": 0, "yaxes": [{"format": "watt"}, {"format": "short"}],
            "fieldConfig": {"defaults": {}, "overrides": []},
            "seriesOverrides": [
                {"alias": "/east-prod-01/", "bars": true},
                {"alias": "/research-01/", "lines": false, "fill": 5},
                {"alias": "/east-prod-02/", "dashes": true, "linewidth": 2}]},
            // A symmetric log axis: kilowatts above zero, a percentage drawn below it; a sample
            // every 5 minutes, far enough apart for dots (`showPoints: auto`).
            {"id": 4, "type": "timeseries", "title": "Power and utilisation, symmetric log",
            "gridPos": {"x": 0, "y": 28, "w": 24, "h": 8}, "interval": "5m",
            "targets": [
                {"refId": "A", "expr": "sum(DCGM_FI_DEV_POWER_USAGE)", "legendFormat": "power"},
                {"refId": "B", "expr": "avg(DCGM_FI_DEV_GPU_UTIL)", "legendFormat": "utilisation"}],
            "fieldConfig": {"defaults": {"custom": {
                "scaleDistribution": {"type": "symlog", "log": 10, "linearThreshold": 1}}},
                "overrides": [{"matcher": {"id": "byFrameRefID", "options": "B"}, "properties": [
                    {"id": "custom.transform", "value": "negative-Y"}]}]}}]
    });
    let b = browser();
    b.set_window_size(1400, 1000)
        .unwrap_or_else(|e| panic!("{e}"));
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    sightline_e2e::plant_dashboard(&b, "two-axes", &dashboard);
    open(&b, "/d/two-axes");
    let panels = settled_panels(&b);
    assert_eq!(
        panels,
        vec![
            ("Utilisation and power".to_owned(), "done".to_owned()),
            (
                "Frame buffer per GPU, log scale".to_owned(),
                "done".to_owned()
            ),
            ("Power per node, legacy graph".to_owned(), "done".to_owned()),
            (
                "Power and utilisation, symmetric log".to_owned(),
                "done".to_owned()
            )
        ]
    );
    // A real pointer over the middle of the plot: the tooltip shows each series in its unit.
    let centre = b
        .execute(
            "const r = document.querySelector(`.panel[data-panel-id='1'] .chart-overlay`).getBoundingClientRect();
             return [r.left + r.width / 2, r.top + r.height / 2];",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let (x, y) = (
        centre[0].as_f64().unwrap_or(0.0),
        centre[1].as_f64().unwrap_or(0.0),
    );
    for dx in [0.0, 3.0] {
        b.cdp(
            "Input.dispatchMouseEvent",
            json!({"type": "mouseMoved", "x": x + dx, "y": y}),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let tip = b
        .wait_until(
            "the tooltip of both series",
            "const rows = [...document.querySelectorAll(`.panel[data-panel-id='1'] .chart-tooltip .tooltip-row`)].map(r => r.textContent);
             return rows.length === 2 ? rows : null;",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<String> = tip
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect();
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.contains(name))
            .cloned()
            .unwrap_or_default()
    };
    assert!(row("utilisation").ends_with('%'), "{rows:?}");
    assert!(
        row("power").contains(" W") || row("power").contains(" kW"),
        "{rows:?}"
    );
    screenshot(&b, "dashboard-two-axes");
    b.execute(
        "document.querySelector(`.panel[data-panel-id='4']`).scrollIntoView(); return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    screenshot(&b, "dashboard-legacy-graph-overrides");

    // The panel editor shows the line shape, scale, width and dots, and writes what is changed.
    click_in_turn(
        &b,
        &[
            ".panel[data-panel-id='1'] .panel-menu-button",
            ".panel[data-panel-id='1'] .menu-edit",
        ],
    );
    let shown = b
        .wait_until(
            "the line and scale fields",
            "const line = document.querySelector('#panel-edit-line');
             const scale = document.querySelector('#panel-edit-scale');
             return line && scale ? [line.value, scale.value] : null;",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(shown, json!(["stepAfter", "linear"]));
    screenshot(&b, "panel-editor-line-scale");
    b.execute(
        "for (const [id, value] of [['#panel-edit-line', 'smooth'], ['#panel-edit-scale', 'log10']]) {
           const select = document.querySelector(id);
           select.value = value;
           select.dispatchEvent(new Event('change', { bubbles: true }));
         }
         const width = document.querySelector('#panel-edit-line-width');
         width.value = '3';
         width.dispatchEvent(new Event('input', { bubbles: true }));
         const points = document.querySelector('#panel-edit-points');
         points.value = 'always';
         points.dispatchEvent(new Event('change', { bubbles: true }));
         document.querySelector('#panel-edit-apply').click();
         return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&b, "#unsaved-marker", "Unsaved changes");
    click_in_turn(&b, &["#edit-json"]);
    let custom = b
        .wait_until(
            "the edited panel in the JSON editor",
            "const area = document.querySelector('#json-editor');
             if (!area) return null;
             const custom = JSON.parse(area.value).panels[0].fieldConfig.defaults.custom;
             return custom.lineInterpolation === 'smooth' ? custom : null;",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        custom["scaleDistribution"],
        json!({"type": "log", "log": 10})
    );
    assert_eq!(
        (custom["lineWidth"].as_f64(), custom["showPoints"].as_str()),
        (Some(3.0), Some("always"))
    );
    b.quit();
}

/// The page the browser's kept early requests were recorded under for `uid`, once kept.
fn early_plan_page(b: &sightline_e2e::Browser, uid: &str) -> String {
    let script = format!(
        "const book = JSON.parse(localStorage.getItem('sightline.early') || 'null');
         const plan = book && book.pages.find(p => p.page.startsWith('/d/{uid}'));
         return plan ? plan.page : null;"
    );
    let page = b
        .wait_until(
            "the page's requests are kept for its next load",
            &script,
            WAIT,
        )
        .unwrap_or_else(|e| panic!("no early requests kept for {uid}: {e}"));
    page.as_str()
        .unwrap_or_else(|| panic!("no early requests kept for {uid}: {page}"))
        .to_owned()
}

#[test]
fn a_dashboard_loaded_again_has_its_queries_sent_before_the_app_starts_and_asks_none_twice() {
    let b = signed_in_at("/d/gpu-node");
    let page = early_plan_page(&b, "gpu-node");
    let book = b
        .execute("return localStorage.getItem('sightline.early');", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let book = book.as_str().unwrap_or_default();
    assert!(book.contains("query_range"), "{book}");
    assert!(
        !book.contains(stack::DEMO_TOKEN),
        "the kept requests hold the token"
    );

    // The next full load: early.js sends the kept requests, the app takes every answer and
    // sends no query of its own twice.
    b.sent_requests().unwrap_or_else(|e| panic!("{e}"));
    open(&b, &page);
    let panels = settled_panels(&b);
    assert!(
        panels.iter().all(|(_, s)| s == "done" || s == "static"),
        "{panels:?}"
    );
    let early = b
        .execute(
            "const e = window.__sightlineEarly; return e ? [e.sent, e.taken, e.requests.size] : null;",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let (sent, taken, left) = (
        early[0].as_u64().unwrap_or(0),
        early[1].as_u64().unwrap_or(0),
        early[2].as_u64().unwrap_or(u64::MAX),
    );
    assert!(sent >= 5, "only {sent} early requests: {early}");
    assert_eq!(
        (taken, left),
        (sent, 0),
        "sent {sent}, taken {taken}, left {left}"
    );
    let calls: Vec<_> = b
        .sent_requests()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|r| r.url.contains("/api/v1/") && r.is_call())
        .collect();
    assert!(
        calls
            .iter()
            .all(|r| r.headers.iter().any(|(name, _)| name == "authorization")),
        "an API request went out without the token"
    );
    assert!(
        calls
            .iter()
            .any(|r| r.method == "POST" && r.param("query").is_some()),
        "the demo profile sends its queries as POST forms, early.js too"
    );
    let mut once = std::collections::HashSet::new();
    for request in &calls {
        assert!(
            once.insert(request.identity()),
            "asked twice: {}",
            request.identity()
        );
    }
    assert_eq!(
        calls.len() as u64,
        sent,
        "the app sent range queries of its own"
    );
    screenshot(&b, "dashboard-early-queries");

    // A kept URL outside the profile's metrics host is skipped (and the app asks that request
    // itself).
    b.execute(
        "const book = JSON.parse(localStorage.getItem('sightline.early'));
         const plan = book.pages.find(p => p.page === arguments[0]);
         plan.requests[0].url = plan.requests[0].url.replace('127.0.0.1:9401', '127.0.0.1:9399');
         localStorage.setItem('sightline.early', JSON.stringify(book));
         return true;",
        &[json!(page)],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    b.sent_requests().unwrap_or_else(|e| panic!("{e}"));
    open(&b, &page);
    settled_panels(&b);
    let early = b
        .execute("return window.__sightlineEarly.sent;", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(early.as_u64(), Some(sent - 1), "the foreign URL was sent");
    let foreign = b
        .sent_requests()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|r| r.url.contains(":9399"))
        .count();
    assert_eq!(foreign, 0, "a request went to a host outside the profile");

    // A plan kept under another profile is not sent: the token only goes where the tab's own
    // profile points.
    b.execute(
        "const book = JSON.parse(localStorage.getItem('sightline.early'));
         for (const p of book.pages) p.profile = p.profile.replace('\"demo\"', '\"someone-else\"');
         localStorage.setItem('sightline.early', JSON.stringify(book));
         return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    open(&b, &page);
    settled_panels(&b);
    let early = b
        .execute("return window.__sightlineEarly === undefined;", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(early, json!(true), "a plan of another profile was sent");
    b.quit();
}

/// The variable bar's height, and the first panel's distance below the page title (CSS px).
fn variable_bar_room(b: &sightline_e2e::Browser) -> (f64, f64) {
    let room = b
        .execute(
            "const bar = document.querySelector('.variable-bar');
             const title = document.querySelector('h1').getBoundingClientRect();
             const panel = document.querySelector('.panel').getBoundingClientRect();
             return [bar ? bar.getBoundingClientRect().height : -1, panel.top - title.bottom];",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    (
        room[0].as_f64().unwrap_or(-1.0),
        room[1].as_f64().unwrap_or(-1.0),
    )
}

#[test]
fn the_variable_bar_takes_room_only_when_there_are_variables_to_show() {
    let b = signed_in_at("/d/gpu-fleet");
    let (bar, gap) = variable_bar_room(&b);
    assert!(bar >= 32.0, "gpu-fleet shows its variables: bar {bar} px");
    let with_variables = gap;
    let dashboard = json!({
        "title": "No variables",
        "panels": [{"id": 1, "type": "timeseries", "title": "Utilisation",
            "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
            "targets": [{"refId": "A", "expr": "avg(DCGM_FI_DEV_GPU_UTIL)"}]}]
    });
    sightline_e2e::plant_dashboard(&b, "no-variables", &dashboard);
    open(&b, "/d/no-variables");
    settled_panels(&b);
    let (bar, gap) = variable_bar_room(&b);
    assert!(bar.abs() < 0.5, "no variables, no bar: {bar} px");
    assert!(
        gap < with_variables - 30.0,
        "the panels move up into the bar's place: {gap} px below the title, against {with_variables} px with variables"
    );
    b.quit();
}

/// Sends `keys` to the page as key presses, on `target_css` (the page itself when `None`).
fn press(b: &sightline_e2e::Browser, keys: &[&str], target_css: Option<&str>) {
    b.execute(
        "const [keys, css] = arguments;
         const target = css ? document.querySelector(css) : document.body;
         for (const key of keys) target.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}));
         return true;",
        &[json!(keys), json!(target_css)],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

/// The URL's `from` and `to` as numbers (ms), once they are absolute and `holds` (a JS
/// expression over `f` and `t`) is true.
fn absolute_range(b: &sightline_e2e::Browser, holds: &str) -> (f64, f64) {
    let range = b
        .wait_until(
            &format!("an absolute range in the URL where {holds}"),
            &format!(
                "const p = new URLSearchParams(location.search);
                 const [f, t] = [Number(p.get('from')), Number(p.get('to'))];
                 return Number.isFinite(f) && Number.isFinite(t) && f > 0 && ({holds}) ? [f, t] : null;"
            ),
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    (
        range[0].as_f64().unwrap_or(f64::NAN),
        range[1].as_f64().unwrap_or(f64::NAN),
    )
}

#[test]
fn keyboard_shortcuts_zoom_shift_refresh_and_leave_a_full_size_panel() {
    const HOUR_MS: f64 = 3_600_000.0;
    let b = signed_in_at("/d/gpu-fleet?from=now-6h&to=now");
    // Typed into a field, the keys are the field's.
    let picker = b
        .wait_for("#time-picker-button", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&picker).unwrap_or_else(|e| panic!("{e}"));
    b.wait_for(".time-absolute input", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    press(&b, &["t", "z"], Some(".time-absolute input"));
    let url = b.current_url().unwrap_or_default();
    assert!(url.contains("from=now-6h"), "no zoom from a field: {url}");
    b.click(&picker).unwrap_or_else(|e| panic!("{e}"));

    // t z: 6 h around its centre doubled, the end held at now: the last 9 hours.
    press(&b, &["t", "z"], None);
    let (from, to) = absolute_range(&b, "true");
    assert!(
        ((to - from) / HOUR_MS - 9.0).abs() < 0.05,
        "zoomed out to 9 h: {} h",
        (to - from) / HOUR_MS
    );
    // t ←: back by half the range.
    press(&b, &["t", "ArrowLeft"], None);
    let shifted = absolute_range(&b, &format!("t < {to}"));
    let back = (to - shifted.1) / HOUR_MS;
    assert!((back - 4.5).abs() < 0.05, "moved back 4.5 h: {back} h");
    // A lone z does nothing.
    press(&b, &["z"], None);
    assert_eq!(absolute_range(&b, "true"), shifted);
    settled_panels(&b);

    // d r: every panel asks again.
    let count = "return performance.getEntriesByType('resource').filter(r => r.name.includes('/api/v1/query')).length;";
    let before = b
        .execute(count, &[])
        .unwrap_or_default()
        .as_u64()
        .unwrap_or(0);
    press(&b, &["d", "r"], None);
    b.wait_until(
        "the panels queried again",
        &format!("const n = (() => {{ {count} }})(); return n >= {before} + 10 ? n : null;"),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));

    // Esc leaves a panel shown full size.
    let id = b
        .execute(
            "return document.querySelector('.panel[data-panel-id]').dataset.panelId;",
            &[],
        )
        .unwrap_or_default();
    let id = id.as_str().unwrap_or("1").to_owned();
    open(
        &b,
        &format!("/d/gpu-fleet?from=now-6h&to=now&viewPanel={id}"),
    );
    b.wait_for(".view-panel", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    press(&b, &["Escape"], None);
    b.wait_until(
        "back on the grid",
        "return !location.search.includes('viewPanel') && !document.querySelector('.view-panel') && document.querySelectorAll('.panel').length > 5;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let title = b
        .execute("return document.querySelector('#refresh-now').title;", &[])
        .unwrap_or_default();
    assert_eq!(title, json!("Refresh now (d r)"));
    b.quit();
}

/// Clicks "Refresh now" and returns the calls the page sends (preflights left out) until `done`
/// says they are all there, or [`WAIT`] passed.
fn refresh_and_collect(
    b: &sightline_e2e::Browser,
    done: impl Fn(&[SentRequest]) -> bool,
) -> Vec<SentRequest> {
    let refresh = b
        .wait_for("#refresh-now", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&refresh).unwrap_or_else(|e| panic!("{e}"));
    let mut sent = Vec::new();
    let deadline = std::time::Instant::now() + WAIT;
    while !done(&sent) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
        sent.extend(
            b.sent_requests()
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .filter(SentRequest::is_call),
        );
    }
    sent
}

/// The inspector's rows for the panel titled `title`: mode, series and points of each request.
fn inspected_requests(b: &sightline_e2e::Browser, title: &str) -> Vec<(String, u64, u64)> {
    sightline_e2e::panel_menu(b, title, ".menu-inspect");
    let rows = b
        .wait_until(
            "the inspector's rows",
            "const rows = [...document.querySelectorAll('.modal .inspect-table tbody tr')];
             if (rows.length === 0) return null;
             return rows.map(r => { const c = [...r.cells].map(c => c.textContent); return [c[2], +c[5], +c[6]]; });",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    sightline_e2e::close_modal(b);
    serde_json::from_value(rows).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_refresh_asks_only_for_the_new_part_and_keeps_the_rest() {
    let b = browser();
    b.set_window_size(1400, 1200)
        .unwrap_or_else(|e| panic!("{e}"));
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    let panel = |id: u64, y: u64, title: &str, expr: &str| {
        json!({"id": id, "type": "timeseries", "title": title,
            "gridPos": {"x": 0, "y": y, "w": 24, "h": 8},
            "targets": [{"refId": "A", "expr": expr}]})
    };
    let dashboard = json!({
        "uid": "incremental", "title": "Incremental refresh",
        "time": {"from": "now-6h", "to": "now"},
        "panels": [
            panel(1, 0, "Utilisation per GPU", "avg by (gpu) (DCGM_FI_DEV_GPU_UTIL)"),
            panel(2, 8, "Hottest GPU at the end", "max(DCGM_FI_DEV_GPU_TEMP @ end())"),
        ]
    });
    sightline_e2e::plant_dashboard(&b, "incremental", &dashboard);
    open(&b, "/d/incremental");
    settled_panels(&b);
    let whole = inspected_requests(&b, "Utilisation per GPU");
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0].0, "range", "the first answer is asked whole");
    assert!(
        whole[0].1 >= 4 && whole[0].2 >= whole[0].1 * 700,
        "{whole:?}"
    );
    b.sent_requests().unwrap_or_else(|e| panic!("{e}"));

    let asked: Vec<_> = refresh_and_collect(&b, |sent| {
        sent.iter()
            .filter(|r| r.url.contains("/api/v1/query_range"))
            .count()
            >= 2
    })
    .into_iter()
    .filter(|r| r.url.contains("/api/v1/query_range"))
    .collect();
    assert_eq!(asked.len(), 2, "one range query per panel");
    settled_panels(&b);
    for request in &asked {
        let query = request.param("query").unwrap_or_default();
        let (start, end, step) = (
            number_param(request, "start"),
            number_param(request, "end"),
            number_param(request, "step"),
        );
        assert!(
            step > 0.0 && (start / step).fract() == 0.0,
            "{query}: {start} on the {step} s grid"
        );
        let span_min = (end - start) / 60.0;
        if query.contains("@ end()") {
            assert!(
                span_min > 355.0,
                "{query} reads the range's end: asked whole, not {span_min} min"
            );
        } else {
            // The overlap (10 min) and the little the window moved.
            assert!(
                (10.0..=12.0).contains(&span_min),
                "{query}: asked {span_min} min"
            );
        }
    }

    let refreshed = inspected_requests(&b, "Utilisation per GPU");
    assert!(
        refreshed[0].0.starts_with("range: last 10m") && refreshed[0].0.contains("kept"),
        "{refreshed:?}"
    );
    assert_eq!(
        (refreshed[0].1, refreshed[0].2),
        (whole[0].1, whole[0].2),
        "the joined answer has the whole answer's series and points"
    );
    let anchored = inspected_requests(&b, "Hottest GPU at the end");
    assert_eq!(anchored[0].0, "range");
    screenshot(&b, "incremental-refresh");
    b.quit();
}

#[test]
fn a_refresh_keeps_what_the_legend_hid_and_the_log_list() {
    let b = browser();
    b.set_window_size(1400, 1400)
        .unwrap_or_else(|e| panic!("{e}"));
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    let dashboard = json!({
        "uid": "refresh-keeps", "title": "A refresh keeps what is on screen",
        "time": {"from": "now-1h", "to": "now"},
        "panels": [
            {"id": 1, "type": "timeseries", "title": "Utilisation per GPU",
             "gridPos": {"x": 0, "y": 0, "w": 24, "h": 9},
             "targets": [{"refId": "A", "expr": "avg by (gpu) (DCGM_FI_DEV_GPU_UTIL)"}]},
            {"id": 2, "type": "logs", "title": "Pod logs",
             "gridPos": {"x": 0, "y": 9, "w": 24, "h": 12},
             "datasource": {"type": "loki", "uid": "sightline-logs"},
             "targets": [{"refId": "A", "expr": "{namespace=~\".+\"}"}]}
        ]
    });
    sightline_e2e::plant_dashboard(&b, "refresh-keeps", &dashboard);
    open(&b, "/d/refresh-keeps");
    settled_panels(&b);
    b.wait_until(
        "log lines",
        "return document.querySelectorAll('.log-row').length > 0 ? true : null;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Scroll the log list down and expand a line in view: a refresh keeps both.
    let reading = b
        .execute(
            "const box = document.querySelector('.log-scroll');
             box.scrollTop = 600;
             return true;",
            &[],
        )
        .and_then(|_| {
            b.wait_until(
                "a line in view expanded",
                "const box = document.querySelector('.log-scroll');
                 const top = box.getBoundingClientRect().top;
                 const row = [...box.querySelectorAll('.log-row')]
                   .find(r => r.getBoundingClientRect().top - top > 100);
                 if (!row) return null;
                 if (!row.classList.contains('log-expanded')) { row.click(); return null; }
                 return row.querySelector('.log-line').textContent;",
                WAIT,
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let place_of_reading = "
        const box = document.querySelector('.log-scroll');
        const row = [...box.querySelectorAll('.log-row')]
          .find(r => r.querySelector('.log-line').textContent === arguments[0]);
        return row ? [Math.round(row.getBoundingClientRect().top - box.getBoundingClientRect().top),
                      row.classList.contains('log-expanded')] : null;";
    let before = b
        .execute(place_of_reading, std::slice::from_ref(&reading))
        .unwrap_or_else(|e| panic!("{e}"));
    // Isolate the first series, and mark the log list's scroll box.
    let hidden = b
        .execute(
            "document.querySelector('.legend-item').click();
             document.querySelector('.log-scroll').__kept = true;
             return true;",
            &[],
        )
        .and_then(|_| {
            b.wait_until(
                "the other series hidden",
                "const n = document.querySelectorAll('.legend-item.legend-hidden').length; return n > 0 ? n : null;",
                WAIT,
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hidden, json!(7), "one of the 8 GPUs isolated");
    b.sent_requests().unwrap_or_else(|e| panic!("{e}"));
    let asks = |sent: &[SentRequest], path: &str| sent.iter().any(|r| r.url.contains(path));
    let sent = refresh_and_collect(&b, |sent| {
        asks(sent, "/api/v1/query_range") && asks(sent, "/loki/api/v1/query_range")
    });
    assert!(
        asks(&sent, "/api/v1/query_range") && asks(&sent, "/loki/api/v1/query_range"),
        "both panels asked again"
    );
    settled_panels(&b);
    b.wait_until(
        "the log panel done",
        "return document.querySelector('.logs-refreshing') ? null : true;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let kept = b
        .execute(
            "return [document.querySelector('.log-scroll').__kept === true,
                     document.querySelectorAll('.legend-item.legend-hidden').length,
                     document.querySelectorAll('.log-row').length > 0];",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kept,
        json!([true, 7, true]),
        "[log list kept, series still hidden, lines shown]"
    );
    let after = b
        .execute(place_of_reading, std::slice::from_ref(&reading))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        after, before,
        "the line being read ({reading}) stays where it was on screen, expanded"
    );
    screenshot(&b, "refresh-keeps-the-log-line");
    b.quit();
}
