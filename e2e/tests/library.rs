//! End to end: import (file, drop, paste) with positioned errors for a broken file and nothing
//! saved; a Grafana export imported, opened and drawn; the library's rename, duplicate, search and
//! delete; export and share without the token; live JSON edits; the panel editor; and an unsaved
//! edit that survives a 401 and a new sign-in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::{json, Value};
use sightline_e2e::{
    browser, open, screenshot, settled_panels, sign_in, stack, wait_for_text, Browser, WAIT,
};

const BROKEN: &str = r#"{
  "title": "Broken",
  "uid": "broken-1",
  "panels": [
    {"id": 1, "type": "stat", "title": "ok", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}},
    {"id": 2, "type": "timeseries", "title": "bad",
     "gridPos": {"x": 6, "y": 0, "w": "wide", "h": 4}},
    {"id": 3, "type": "table", "title": 7, "gridPos": {"x": 0, "y": 4, "w": 6, "h": 4}}
  ]
}
"#;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/core/tests/fixtures/dashboards")
        .join(name)
        .canonicalize()
        .unwrap()
}

/// A fresh scratch directory for this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sightline-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Signs in and lands on `path`, waiting for `landing`.
fn signed_in(b: &Browser, path: &str, landing: &str) {
    let next: String = path
        .bytes()
        .map(|c| match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                char::from(c).to_string()
            }
            _ => format!("%{c:02X}"),
        })
        .collect();
    open(b, &format!("/sign-in?next={next}"));
    sign_in(b, "demo", stack::DEMO_TOKEN, landing);
}

fn run(b: &Browser, script: &str) -> Value {
    b.execute(script, &[])
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

fn click(b: &Browser, css: &str) {
    let element = b.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.click(&element)
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Every `localStorage` key.
fn local_keys(b: &Browser) -> Vec<String> {
    serde_json::from_value(run(b, "return Object.keys(localStorage);")).unwrap_or_default()
}

/// Everything kept in both storages, keys and values.
fn all_storage(b: &Browser) -> String {
    run(
        b,
        "return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage).filter(([k]) => k !== 'sightline.token')]);",
    )
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

fn upload(b: &Browser, css: &str, path: &std::path::Path) {
    let input = b.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.type_into(&input, &path.display().to_string(), false)
        .unwrap_or_else(|e| panic!("upload {}: {e}", path.display()));
}

/// Replaces the JSON editor's text through `replace(text)` (a JS arrow function body) and
/// sends the input event a user's typing would.
fn edit_json(b: &Browser, replace: &str) {
    let script = format!(
        "const area = document.querySelector('#json-editor'); const text = area.value; \
         area.value = ({replace})(text); area.dispatchEvent(new Event('input', {{bubbles: true}})); return area.value !== text;"
    );
    assert_eq!(run(b, &script), json!(true), "the JSON text changed");
}

/// The console reported no Content-Security-Policy violation and never printed the token.
fn assert_clean_console(b: &Browser) {
    let log = b.log("browser").unwrap_or_default();
    let lines: Vec<String> = log.iter().map(ToString::to_string).collect();
    let violations: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("Content Security Policy"))
        .collect();
    assert!(violations.is_empty(), "CSP violations: {violations:?}");
    assert!(
        !lines.iter().any(|l| l.contains(stack::DEMO_TOKEN)),
        "the token reached the console"
    );
}

fn panel_titles(b: &Browser) -> Vec<String> {
    serde_json::from_value(run(
        b,
        "return [...document.querySelectorAll('.panel-title')].map(e => e.textContent);",
    ))
    .unwrap_or_default()
}

#[test]
fn importing_a_broken_file_shows_every_error_with_its_position_and_saves_nothing() {
    let b = browser();
    signed_in(&b, "/import", "#import-file");
    let dir = scratch("broken");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, BROKEN).unwrap();
    upload(&b, "#import-file", &broken);
    let errors = wait_for_text(
        &b,
        "#import-errors",
        r#"panels[1].gridPos.w: expected a whole number, found "wide" (line 7, col 39)"#,
    );
    assert!(
        errors.contains("panels[2].title: expected a string, found 7 (line 8, col 41)"),
        "{errors}"
    );
    wait_for_text(
        &b,
        ".import-errors h2",
        "2 error(s) in “broken.json” — nothing was saved",
    );
    wait_for_text(
        &b,
        "#import-warnings",
        "panels[1].gridPos: x=6, w=0, h=4 does not fit",
    );
    let offers = run(
        &b,
        "return document.querySelectorAll('#import-save, #import-replace, #import-keep-both').length;",
    );
    assert_eq!(offers, json!(0), "a file with errors cannot be imported");
    screenshot(&b, "import-errors");

    // Pasted text that is not JSON.
    let area = b.wait_for("#import-text", WAIT).unwrap();
    b.type_into(&area, "{\"title\": \"x\",\n \"panels\": [1,}", true)
        .unwrap();
    click(&b, "#import-paste");
    wait_for_text(
        &b,
        "#import-errors",
        "(root): expected a JSON value, found '}' (line 2, col 15)",
    );

    // A file over the limit is refused before it is read.
    let big = dir.join("big.json");
    let mut text = String::from("{\"title\": \"");
    text.push_str(&"x".repeat(33 * 1024 * 1024));
    text.push_str("\"}");
    std::fs::write(&big, text).unwrap();
    upload(&b, "#import-file", &big);
    let refused = wait_for_text(&b, "#import-refused", "up to 32 MiB");
    assert!(refused.contains("33.0 MiB"), "{refused}");
    assert!(refused.contains("not read"), "{refused}");

    let keys = local_keys(&b);
    assert!(
        !keys.iter().any(|k| k.starts_with("sightline.dashboard.")),
        "nothing saved: {keys:?}"
    );
    assert_clean_console(&b);
    b.quit();
}

/// Pastes `text` into the import page's textarea and checks it; returns the seconds until the
/// result showed.
fn paste_and_check(b: &Browser, text: &str, css: &str, needle: &str) -> f64 {
    b.execute(
        "const area = document.querySelector('#import-text'); area.value = arguments[0];
         area.dispatchEvent(new Event('input', {bubbles: true})); return true;",
        &[json!(text)],
    )
    .unwrap();
    let started = std::time::Instant::now();
    click(b, "#import-paste");
    wait_for_text(b, css, needle);
    started.elapsed().as_secs_f64()
}

#[test]
fn hostile_files_get_a_clear_bounded_answer_and_the_page_stays_responsive() {
    let b = browser();
    signed_in(&b, "/import", "#import-file");
    let deep = format!(
        "{{\"panels\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let deep_s = paste_and_check(
        &b,
        &deep,
        "#import-errors",
        "nesting is deeper than 128 levels",
    );

    let panel = |i: usize| {
        format!(
            r#"{{"id": {i}, "type": "stat", "title": "p{i}", "gridPos": {{"x": 0, "y": {i}, "w": 6, "h": 4}}}}"#
        )
    };
    let many: Vec<String> = (0..10_001).map(panel).collect();
    let many = format!("{{\"title\": \"many\", \"panels\": [{}]}}", many.join(","));
    let many_s = paste_and_check(
        &b,
        &many,
        "#import-errors",
        "the dashboard has 10001 panels; the limit is 10000",
    );

    // Every panel wrong: thousands of errors, a bounded list.
    let wrong: Vec<String> = (0..5_000)
        .map(|i| format!(r#"{{"id": {i}, "type": "stat", "title": {i}, "gridPos": {{"x": 0, "y": {}, "w": 6, "h": 4}}}}"#, i * 4))
        .collect();
    let wrong = format!(
        "{{\"title\": \"wrong\", \"panels\": [{}]}}",
        wrong.join(",")
    );
    let wrong_s = paste_and_check(&b, &wrong, "#import-errors", "…and 4800 more");
    let shown = run(
        &b,
        "return document.querySelectorAll('#import-errors li').length;",
    );
    assert_eq!(shown, json!(201));
    // Still responsive: a script answers at once.
    let started = std::time::Instant::now();
    run(&b, "return document.title;");
    assert!(started.elapsed().as_secs_f64() < 1.0);
    eprintln!("hostile pastes checked in: deep {deep_s:.2} s, 10,001 panels {many_s:.2} s, 5,000 wrong panels {wrong_s:.2} s");
    for seconds in [deep_s, many_s, wrong_s] {
        assert!(seconds < 10.0, "{seconds} s");
    }

    // A big but valid file (27 MB, panels stacked without overlap) is read and checked, and —
    // over the browser's storage quota — refused with a clear message rather than half-saved.
    let dir = scratch("hostile");
    let big = dir.join("big-valid.json");
    let description = "d".repeat(3_000);
    let panels: Vec<String> = (0..9_000)
        .map(|i| format!(r#"{{"id": {i}, "type": "stat", "title": "p{i}", "description": "{description}", "gridPos": {{"x": 0, "y": {}, "w": 6, "h": 4}}}}"#, i * 4))
        .collect();
    let text = format!(
        r#"{{"title": "big", "uid": "big-valid", "panels": [{}]}}"#,
        panels.join(",")
    );
    std::fs::write(&big, text).unwrap();
    let started = std::time::Instant::now();
    upload(&b, "#import-file", &big);
    wait_for_text(&b, "#import-title", "big");
    let big_s = started.elapsed().as_secs_f64();
    eprintln!("a 27 MB file read and checked in {big_s:.2} s");
    assert!(big_s < 20.0, "{big_s} s");
    click(&b, "#import-save");
    wait_for_text(&b, "#import-save-error", "full");
    assert!(!local_keys(&b)
        .iter()
        .any(|k| k.starts_with("sightline.dashboard.")));
    assert_clean_console(&b);
    b.quit();
}

#[test]
fn a_dropped_grafana_export_is_saved_opened_and_drawn_and_a_second_copy_asks_first() {
    let b = browser();
    b.set_window_size(1400, 2000).unwrap();
    signed_in(&b, "/import", "#import-file");
    let path = fixture("dcgm-exporter-dashboard.json");
    let text = std::fs::read_to_string(&path).unwrap();
    // Drag and drop: the same events a user's drop sends.
    b.execute(
        "const dt = new DataTransfer(); dt.items.add(new File([arguments[0]], 'dcgm.json', {type: 'application/json'}));
         document.querySelector('.import-page').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
         return true;",
        &[json!(text)],
    )
    .unwrap();
    wait_for_text(&b, "#import-title", "NVIDIA DCGM Exporter Dashboard");
    click(&b, "#import-save");
    b.wait_until(
        "the imported dashboard opens",
        "return location.pathname === '/d/Oxed_c6Wz' && document.querySelector('.panel') ? true : null;",
        WAIT,
    )
    .unwrap();
    let panels = settled_panels(&b);
    assert!(panels.len() >= 6, "{panels:?}");
    for (title, state) in &panels {
        assert!(
            state == "done" || state == "static",
            "panel {title:?} is {state}"
        );
    }
    assert_eq!(
        run(&b, "return document.querySelectorAll('.error-box').length;"),
        json!(0)
    );
    assert!(local_keys(&b).contains(&"sightline.dashboard.Oxed_c6Wz".to_owned()));
    screenshot(&b, "import-opened");

    // The same file again: replace or keep both.
    open(&b, "/import");
    upload(&b, "#import-file", &path);
    wait_for_text(&b, "#import-conflict", "already exists");
    assert_eq!(
        run(
            &b,
            "return document.querySelectorAll('#import-save').length;"
        ),
        json!(0)
    );
    click(&b, "#import-keep-both");
    let second = b
        .wait_until(
            "the copy opens under a new uid",
            "return location.pathname.startsWith('/d/') && location.pathname !== '/d/Oxed_c6Wz' && document.querySelector('.panel') ? location.pathname : null;",
            WAIT,
        )
        .unwrap();
    let uid = second
        .as_str()
        .unwrap()
        .trim_start_matches("/d/")
        .to_owned();
    assert!(local_keys(&b).contains(&format!("sightline.dashboard.{uid}")));
    assert_clean_console(&b);
    b.quit();
}

#[test]
fn the_library_renames_duplicates_searches_and_deletes_with_a_confirmation() {
    let b = browser();
    signed_in(&b, "/d/gpu-node", ".panel");
    // Saving a built-in keeps a library copy under the same uid.
    click(&b, "#save-dashboard");
    wait_for_text(&b, "#toolbar-message", "Saved");
    open(&b, "/dashboards");
    let card = ".library-list [data-uid=gpu-node]";
    wait_for_text(&b, card, "GPU node detail");
    wait_for_text(&b, card, "edited built-in");

    click(&b, &format!("{card} .library-rename"));
    let input = b.wait_for("#rename-input", WAIT).unwrap();
    b.type_into(&input, "Node detail (mine)", true).unwrap();
    click(&b, "#rename-save");
    wait_for_text(&b, card, "Node detail (mine)");

    click(&b, &format!("{card} .library-duplicate"));
    wait_for_text(&b, ".library-list", "Node detail (mine) (copy)");
    let copies = run(
        &b,
        "return document.querySelectorAll('.library-list .dashboard-card').length;",
    );
    assert_eq!(copies, json!(2));

    // Search by title, then by tag.
    let search = b.wait_for("#library-search", WAIT).unwrap();
    b.type_into(&search, "copy", true).unwrap();
    b.wait_until(
        "only the copy is listed",
        "return document.querySelectorAll('.library-list .dashboard-card').length === 1 ? true : null;",
        WAIT,
    )
    .unwrap();
    b.type_into(&search, "fleet", true).unwrap();
    b.wait_until(
        "the tag search finds the fleet dashboard only",
        "const cards = [...document.querySelectorAll('.dashboard-card')].map(c => c.dataset.uid); return cards.length === 1 && cards[0] === 'gpu-fleet' ? true : null;",
        WAIT,
    )
    .unwrap();
    b.type_into(&search, "", true).unwrap();
    run(&b, "const s = document.querySelector('#library-search'); s.value = ''; s.dispatchEvent(new Event('input')); return true;");
    screenshot(&b, "library");

    let copy_uid = run(
        &b,
        "return [...document.querySelectorAll('.library-list .dashboard-card')].find(c => c.textContent.includes('(copy)')).dataset.uid;",
    );
    let copy_uid = copy_uid.as_str().unwrap().to_owned();
    click(
        &b,
        &format!(".library-list [data-uid='{copy_uid}'] .library-delete"),
    );
    wait_for_text(&b, ".modal", "cannot be undone");
    click(&b, "#confirm-delete");
    b.wait_until(
        "the copy is gone",
        &format!("return document.querySelector(\".library-list [data-uid='{copy_uid}']\") ? null : true;"),
        WAIT,
    )
    .unwrap();
    assert!(!local_keys(&b).contains(&format!("sightline.dashboard.{copy_uid}")));

    // The renamed library copy now opens instead of the built-in.
    open(&b, "/d/gpu-node");
    wait_for_text(&b, "#dashboard-title", "Node detail (mine)");
    assert_clean_console(&b);
    b.quit();
}

#[test]
fn export_and_share_carry_no_token_and_a_dashboard_holding_it_is_refused() {
    let b = browser();
    let downloads = scratch("downloads");
    b.cdp(
        "Browser.setDownloadBehavior",
        json!({"behavior": "allow", "downloadPath": downloads.display().to_string()}),
    )
    .unwrap();
    b.cdp(
        "Browser.grantPermissions",
        json!({"origin": stack::app_url(), "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}),
    )
    .unwrap();
    signed_in(&b, "/d/gpu-fleet?from=now-3h&to=now", ".panel");
    settled_panels(&b);
    click(&b, "#export-dashboard");
    wait_for_text(&b, "#toolbar-message", "Exported");
    let file = downloads.join("gpu-fleet-overview.json");
    let deadline = std::time::Instant::now() + WAIT;
    while !file.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(!exported.contains(stack::DEMO_TOKEN));
    let value: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(value["title"], json!("GPU fleet overview"));

    click(&b, "#share-dashboard");
    wait_for_text(&b, "#toolbar-message", "Link copied");
    let copied = run(&b, "return navigator.clipboard.readText();");
    let copied = copied.as_str().unwrap_or_default();
    assert!(
        copied.contains("/d/gpu-fleet?from=now-3h&to=now"),
        "{copied}"
    );
    assert!(!copied.contains(stack::DEMO_TOKEN));

    // A dashboard that holds the token is neither exported nor saved.
    click(&b, "#edit-json");
    b.wait_for("#json-editor", WAIT).unwrap();
    b.execute(
        "const area = document.querySelector('#json-editor');
         area.value = area.value.replace('\"GPU fleet overview\"', JSON.stringify('token ' + arguments[0]));
         area.dispatchEvent(new Event('input', {bubbles: true})); return true;",
        &[json!(stack::DEMO_TOKEN)],
    )
    .unwrap();
    wait_for_text(&b, "#dashboard-title", "token ");
    let before = std::fs::read_dir(&downloads).unwrap().count();
    click(&b, "#export-dashboard");
    wait_for_text(&b, "#toolbar-message", "Refused");
    click(&b, "#save-dashboard");
    wait_for_text(&b, "#toolbar-message", "was not saved");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(std::fs::read_dir(&downloads).unwrap().count(), before);
    let stored = all_storage(&b);
    assert!(
        !stored.contains(stack::DEMO_TOKEN),
        "token in storage: {stored}"
    );
    assert_clean_console(&b);
    b.quit();
}

#[test]
fn a_json_edit_applies_live_and_a_broken_edit_keeps_the_text_and_shows_positions() {
    let b = browser();
    signed_in(&b, "/d/gpu-fleet", ".panel");
    settled_panels(&b);
    click(&b, "#edit-json");
    b.wait_for("#json-editor", WAIT).unwrap();
    // The drawer leaves the top bar usable, and the narrower stat cards shrink their numbers
    // instead of cutting off leading digits ("25.84 kW" once showed as ".84 k").
    b.wait_until(
        "Sign out is not under the drawer",
        "const r = document.querySelector('#sign-out').getBoundingClientRect();
         return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('#sign-out') ? true : null;",
        WAIT,
    )
    .unwrap();
    let cut = run(
        &b,
        "return [...document.querySelectorAll('.stat-value')]
           .filter(v => v.scrollWidth > v.clientWidth + 1 || v.getBoundingClientRect().width > v.closest('.stat-card').clientWidth + 1)
           .map(v => v.textContent);",
    );
    assert_eq!(cut, json!([]), "stat values cut off beside the drawer");
    edit_json(
        &b,
        "t => t.replace('\"GPU fleet overview\"', '\"Fleet (edited live)\"').replace('\"Power by cluster\"', '\"Power per cluster\"')",
    );
    wait_for_text(&b, "#dashboard-title", "Fleet (edited live)");
    wait_for_text(&b, "#unsaved-marker", "Unsaved changes");
    b.wait_until(
        "the panel title follows",
        "return [...document.querySelectorAll('.panel-title')].some(e => e.textContent === 'Power per cluster') ? true : null;",
        WAIT,
    )
    .unwrap();

    edit_json(&b, "t => t.replace('\"w\": 12', '\"w\": \"wide\"')");
    let errors = wait_for_text(
        &b,
        "#json-errors",
        "gridPos.w: expected a whole number, found \"wide\" (line ",
    );
    assert!(errors.contains(", col "), "{errors}");
    wait_for_text(&b, "#json-status", "Not applied");
    let kept = run(
        &b,
        "return document.querySelector('#json-editor').value.includes('\"w\": \"wide\"');",
    );
    assert_eq!(kept, json!(true), "the user's text is kept");
    wait_for_text(&b, "#dashboard-title", "Fleet (edited live)");
    // Clicking the problem puts the cursor on it.
    click(&b, "#json-errors .diagnostic-jump");
    let selected = run(
        &b,
        "const a = document.querySelector('#json-editor'); return a.value.slice(a.selectionStart, a.selectionStart + 6);",
    );
    assert_eq!(selected, json!("\"wide\""));
    screenshot(&b, "json-editor");
    assert_clean_console(&b);
    b.quit();
}

#[test]
fn the_panel_editor_changes_a_query_and_the_panel_redraws() {
    let b = browser();
    signed_in(&b, "/d/gpu-fleet", ".panel");
    settled_panels(&b);
    let panel = "[data-panel-id='8']";
    click(&b, &format!("{panel} .panel-menu-button"));
    click(&b, &format!("{panel} .menu-edit"));
    let expr = b.wait_for("#panel-edit-expr", WAIT).unwrap();
    let current = b.property(&expr, "value").unwrap();
    assert!(current
        .as_str()
        .unwrap_or_default()
        .starts_with("avg by (cluster)"));
    b.type_into(
        &expr,
        "max by (cluster) (DCGM_FI_DEV_GPU_UTIL{cluster=~\"$cluster\"})",
        true,
    )
    .unwrap();
    let legend = b.wait_for("#panel-edit-legend", WAIT).unwrap();
    b.type_into(&legend, "max {{cluster}}", true).unwrap();
    let title = b.wait_for("#panel-edit-title", WAIT).unwrap();
    b.type_into(&title, "Peak GPU utilisation by cluster", true)
        .unwrap();
    b.sent_requests().unwrap();
    click(&b, "#panel-edit-apply");
    b.wait_until(
        "the panel redraws with the new query",
        &format!(
            "const p = document.querySelector(\"{panel}\"); const names = [...p.querySelectorAll('.legend-name')].map(e => e.textContent);
             return p.dataset.state === 'done' && names.length === 4 && names.every(n => n.startsWith('max ')) ? names : null;"
        ),
        WAIT,
    )
    .unwrap();
    assert!(panel_titles(&b).contains(&"Peak GPU utilisation by cluster".to_owned()));
    let sent = b.sent_requests().unwrap();
    assert!(
        sent.iter().any(|r| r.url.contains("query_range")
            && r.param("query")
                .is_some_and(|q| q.starts_with("max by (cluster)"))),
        "the new query was sent: {:?}",
        sent.iter().map(|r| r.identity()).collect::<Vec<_>>()
    );
    wait_for_text(&b, "#unsaved-marker", "Unsaved changes");
    screenshot(&b, "panel-editor-applied");
    assert_clean_console(&b);
    b.quit();
}

#[test]
fn an_unsaved_edit_survives_a_401_and_a_new_sign_in() {
    let b = browser();
    let view = "/d/gpu-fleet?from=now-3h&to=now&var-cluster=east-prod";
    signed_in(&b, view, ".panel");
    settled_panels(&b);
    click(&b, "[data-panel-id='13'] .panel-menu-button");
    click(&b, "[data-panel-id='13'] .menu-edit");
    let title = b.wait_for("#panel-edit-title", WAIT).unwrap();
    b.type_into(&title, "Power (edit kept across sign-in)", true)
        .unwrap();
    click(&b, "#panel-edit-apply");
    wait_for_text(&b, "#unsaved-marker", "Unsaved changes");
    let draft = b
        .wait_until(
            "the draft is kept for the tab",
            "return sessionStorage.getItem('sightline.draft.gpu-fleet');",
            WAIT,
        )
        .unwrap();
    assert!(draft
        .as_str()
        .unwrap()
        .contains("Power (edit kept across sign-in)"));
    assert!(!draft.as_str().unwrap().contains(stack::DEMO_TOKEN));
    assert!(
        !local_keys(&b).iter().any(|k| k.contains("draft")),
        "drafts stay in the tab"
    );

    // The session expires: the host now rejects the token.
    run(&b, "sessionStorage.setItem('sightline.token', 'sightline-expired-token'); location.reload(); return true;");
    b.wait_for("#token", WAIT).unwrap();
    let url = b.current_url().unwrap();
    assert!(url.contains("/sign-in?next="), "{url}");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");

    b.wait_until(
        "the edited panel is back",
        "return [...document.querySelectorAll('.panel-title')].some(e => e.textContent === 'Power (edit kept across sign-in)') ? true : null;",
        WAIT,
    )
    .unwrap();
    wait_for_text(&b, "#unsaved-marker", "restored draft");
    let url = b.current_url().unwrap();
    assert!(
        url.contains("from=now-3h") && url.contains("var-cluster=east-prod"),
        "{url}"
    );
    settled_panels(&b);
    screenshot(&b, "draft-after-401");

    click(&b, "#discard-draft");
    b.wait_until(
        "the built-in title is back",
        "return [...document.querySelectorAll('.panel-title')].some(e => e.textContent === 'Power by cluster') && !document.querySelector('#unsaved-marker') ? true : null;",
        WAIT,
    )
    .unwrap();
    assert_eq!(
        run(
            &b,
            "return sessionStorage.getItem('sightline.draft.gpu-fleet');"
        ),
        Value::Null
    );
    assert_clean_console(&b);
    b.quit();
}

#[test]
fn value_mappings_and_field_overrides_show_in_stats_tables_and_charts() {
    // gpu-node's "Power draw" stat (panel 3) and its jobs table (panel 13), mapped in the JSON.
    let b = browser();
    signed_in(&b, "/d/gpu-node", ".panel");
    settled_panels(&b);
    click(&b, "#edit-json");
    b.wait_for("#json-editor", WAIT).unwrap();
    edit_json(
        &b,
        "t => { const d = JSON.parse(t);
           d.panels.find(p => p.id === 3).fieldConfig.defaults.mappings =
             [{type: 'range', options: {from: 0, to: 1e12, result: {text: 'Powered', color: 'purple'}}}];
           const table = d.panels.find(p => p.id === 13);
           table.fieldConfig = table.fieldConfig || {};
           table.fieldConfig.defaults = Object.assign(table.fieldConfig.defaults || {}, {mappings:
             [{type: 'value', options: {research: {text: 'Research team', color: 'green'},
                                        inference: {text: 'Serving team'},
                                        'batch-eval': {text: 'Evaluations'}}},
              {type: 'regex', options: {pattern: '/^ml-(.*)$/', result: {text: 'ML: $1'}}}]});
           d.panels.find(p => p.id === 5).fieldConfig.overrides = [{matcher: {id: 'byName', options: 'GPU 3'},
             properties: [{id: 'displayName', value: 'Busiest (${__field.labels.gpu})'},
                          {id: 'color', value: {mode: 'fixed', fixedColor: 'red'}}]}];
           return JSON.stringify(d, null, 2); }",
    );
    wait_for_text(&b, "#unsaved-marker", "Unsaved changes");
    let stat = b
        .wait_until(
            "the stat shows its mapping",
            "const v = document.querySelector(`.panel[data-panel-id='3'] .stat-value`);
             return v && v.textContent === 'Powered' ? getComputedStyle(v).color : null;",
            WAIT,
        )
        .unwrap();
    assert_eq!(stat, json!("rgb(184, 119, 217)"), "Grafana's purple");
    // Which namespaces had jobs on the node in the range depends on the time of day (at some
    // hours only `batch-eval`): all four of the fleet's are mapped (by value, or by the regex
    // for `ml-*`), so whichever are shown, no raw name is left.
    let cells = b
        .wait_until(
            "the table maps its namespaces",
            "const cells = [...document.querySelectorAll(`.panel[data-panel-id='13'] .table-cell`)].map(c => c.textContent);
             const mapped = ['Research team', 'Serving team', 'ML: training', 'Evaluations'];
             const raw = ['research', 'inference', 'ml-training', 'batch-eval'];
             return cells.some(c => mapped.includes(c)) && !cells.some(c => raw.includes(c)) ? cells : null;",
            WAIT,
        )
        .unwrap();
    assert!(cells.as_array().is_some_and(|c| !c.is_empty()), "{cells}");
    // A field override renames and colours one series of a time series panel.
    let legend = b
        .wait_until(
            "the override renames GPU 3",
            "const rows = [...document.querySelectorAll(`.panel[data-panel-id='5'] .legend-name`)];
             const hit = rows.find(r => r.textContent === 'Busiest (3)');
             const swatch = hit && hit.parentElement.querySelector('.swatch');
             return swatch ? [rows.some(r => r.textContent === 'GPU 3'), getComputedStyle(swatch).backgroundColor] : null;",
            WAIT,
        )
        .unwrap();
    assert_eq!(
        legend,
        json!([false, "rgb(242, 73, 92)"]),
        "Grafana's red, and no GPU 3 left"
    );
    screenshot(&b, "value-mappings");
    assert_clean_console(&b);
    b.quit();
}
