//! The log list in headless Chromium (wasm-bindgen-test): 5,000 lines keep fewer than 200 rows
//! in the DOM at the top and at the end, log text is drawn as text (never parsed as HTML), a row
//! expands to its fields, search highlights its matches, and a new answer keeps the reader's
//! place and the expanded rows (or, oldest first at the end, follows the newest lines); leaving the
//! page before the next animation frame is quiet.
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test -p sightline --target wasm32-unknown-unknown --lib ui::logs::
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::api::endpoints::Service;
use sightline_core::api::loki::{LogEntry, LogLimits, LogQuery, LogRange, LogStream};
use sightline_core::model::frame::Labels;
use sightline_core::model::logs::{LogsOptions, SortOrder};
use sightline_core::model::timezone::TimeZone;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use super::toolbar::LogsControls;
use super::view::LogsView;
use crate::state::logs::LogsPage;

wasm_bindgen_test_configure!(run_in_browser);

const START_NS: i64 = 1_795_000_000_000_000_000;

fn page(lines: usize, line_of: impl Fn(usize) -> String) -> LogsPage {
    page_of(0..lines, line_of)
}

/// Line `i` at `START_NS + i` milliseconds, for each `i` of `lines`.
fn page_of(lines: std::ops::Range<usize>, line_of: impl Fn(usize) -> String) -> LogsPage {
    let count = lines.len();
    let entries: Vec<LogEntry> = lines
        .map(|i| LogEntry {
            ts_ns: START_NS + i64::try_from(i).unwrap() * 1_000_000,
            line: line_of(i),
            structured_metadata: Labels::default(),
            parsed: Labels::default(),
        })
        .collect();
    let range = LogRange::new(START_NS, START_NS + 3_600_000_000_000);
    LogsPage {
        query: LogQuery::new("{app=\"test\"}", range, &LogLimits::default()),
        service: Service::Logs,
        streams: vec![LogStream {
            labels: Labels::new(vec![("app".into(), "test".into())]),
            entries,
        }],
        next: None,
        note: None,
        warnings: Vec::new(),
        stream_labels: None,
        samples: None,
        entries: count,
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount(page: LogsPage) -> (leptos::mount::UnmountHandle<impl Mountable>, LogsControls) {
    mount_pages(RwSignal::new(vec![Arc::new(page)]))
}

fn mount_pages(
    pages: RwSignal<Vec<Arc<LogsPage>>>,
) -> (leptos::mount::UnmountHandle<impl Mountable>, LogsControls) {
    let container = crate::browser_test_support::new_container();
    container.set_attribute("class", "test-mount").unwrap();
    let controls = StoredValue::new(None::<LogsControls>);
    let handle = leptos::mount::mount_to(container, move || {
        let c = LogsControls::new(LogsOptions::default());
        controls.set_value(Some(c));
        view! { <LogsView pages=pages controls=c timezone=Signal::stored(TimeZone::Utc) height=Signal::stored(400.0)/> }
    });
    (handle, controls.get_value().unwrap())
}

async fn frames(n: usize) {
    for _ in 0..n {
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
}

fn count(selector: &str) -> u32 {
    document().query_selector_all(selector).unwrap().length()
}

fn scroller() -> web_sys::Element {
    document().query_selector(".log-scroll").unwrap().unwrap()
}

fn at_bottom(scroller: &web_sys::Element) -> bool {
    scroller.scroll_top() + scroller.client_height() >= scroller.scroll_height() - 1
}

#[wasm_bindgen_test]
async fn five_thousand_lines_keep_fewer_than_200_rows_in_the_dom() {
    let (handle, _) = mount(page(5000, |i| format!("line {i} level=info msg=\"step\"")));
    frames(5).await;
    let at_top = count(".log-row");
    assert!(at_top > 10 && at_top < 200, "rows at the top: {at_top}");
    let scroller = scroller();
    let mut most = at_top;
    for _ in 0..200 {
        scroller.set_scroll_top(scroller.scroll_top() + 2000);
        frames(1).await;
        most = most.max(count(".log-row"));
        // At the bottom, and still there once the rows drawn there are measured (a measured
        // row taller than its estimate makes the list longer and moves the bottom away).
        if at_bottom(&scroller) {
            frames(5).await;
            if at_bottom(&scroller) {
                break;
            }
        }
    }
    assert!(most < 200, "rows while scrolling: {most}");
    // Newest first: the oldest line is the last row.
    let rows = document().query_selector_all(".log-row .log-line").unwrap();
    let last = rows
        .item(rows.length() - 1)
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        last.starts_with("line 0 "),
        "the end of the list is drawn: {last}"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn log_text_is_drawn_as_text_and_rows_expand_to_their_fields() {
    let evil = r#"<img src=x onerror="window.pwned=1"><b>bold</b> {"user":{"name":"eve"}}"#;
    let json = r#"{"level":"error","user":{"name":"eve"},"msg":"denied"}"#;
    let (handle, controls) = mount(page(2, |i| {
        if i == 0 {
            evil.to_owned()
        } else {
            json.to_owned()
        }
    }));
    frames(5).await;
    assert_eq!(
        count(".log-row img"),
        0,
        "no element was made from the line"
    );
    assert_eq!(count(".log-row b"), 0);
    let texts: Vec<String> = {
        let rows = document().query_selector_all(".log-row .log-line").unwrap();
        (0..rows.length())
            .map(|i| rows.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert!(texts.contains(&evil.to_owned()), "{texts:?}");
    // The JSON line (newest first) is at the top, coloured as an error.
    let first: web_sys::HtmlElement = document()
        .query_selector(".log-row")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(first.get_attribute("data-level").as_deref(), Some("error"));
    first.click();
    frames(3).await;
    let details = document()
        .query_selector(".log-details")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        details.contains("user_name") && details.contains("eve"),
        "{details}"
    );
    assert!(
        document().query_selector(".log-json").unwrap().is_some(),
        "JSON is pretty-printed"
    );
    // Search highlights matches, as text.
    controls.search.set("BOLD".to_owned());
    frames(3).await;
    let marks = document().query_selector_all("mark.log-hit").unwrap();
    assert_eq!(marks.length(), 1);
    assert_eq!(marks.item(0).unwrap().text_content().unwrap(), "bold");
    drop(handle);
}

/// The row drawing line `i` of [`page_of`]'s pages, if drawn.
fn row_of_line(i: usize) -> Option<web_sys::Element> {
    let rows = document().query_selector_all(".log-row").unwrap();
    (0..rows.length())
        .filter_map(|n| rows.item(n)?.dyn_into::<web_sys::Element>().ok())
        .find(|row| {
            row.query_selector(".log-line")
                .ok()
                .flatten()
                .and_then(|l| l.text_content())
                .is_some_and(|t| t == format!("line {i}"))
        })
}

/// Where the top of the row of line `i` is, in pixels below the top of the scroll box.
fn place_of_line(i: usize) -> f64 {
    let row = row_of_line(i).unwrap_or_else(|| panic!("line {i} is drawn"));
    row.get_bounding_client_rect().top() - scroller().get_bounding_client_rect().top()
}

#[wasm_bindgen_test]
async fn a_new_answer_keeps_the_line_in_view_and_the_expanded_rows() {
    let line = |i: usize| format!("line {i}");
    let pages = RwSignal::new(vec![Arc::new(page_of(100..1100, line))]);
    let (handle, _) = mount_pages(pages);
    frames(5).await;
    // Newest first, 20 px rows: 1099 is at the top, 849 250 rows down.
    let scroller = scroller();
    scroller.set_scroll_top(250 * 20 + 7);
    frames(3).await;
    row_of_line(845)
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    frames(3).await;
    let before = (place_of_line(849), place_of_line(845));
    // Lines 849 and 845 where they were on screen, and 845 still expanded.
    let assert_kept = |what: &str| {
        let after = (place_of_line(849), place_of_line(845));
        assert!(
            (after.0 - before.0).abs() < 1.0 && (after.1 - before.1).abs() < 1.0,
            "{what} moved the view: {before:?} → {after:?}"
        );
        let expanded = row_of_line(845)
            .unwrap()
            .class_list()
            .contains("log-expanded");
        assert!(expanded, "{what}: the expanded line is still expanded");
    };

    // Older lines appended (the "Load older lines" page): nothing above moves.
    pages.set(vec![Arc::new(page_of(0..1100, line))]);
    frames(5).await;
    assert_kept("older lines");

    // A refresh with 100 newer lines on top: the view follows its lines down the list.
    pages.set(vec![Arc::new(page_of(0..1200, line))]);
    frames(5).await;
    assert_kept("newer lines");
    assert_eq!(count(".log-expanded"), 1, "and no other line is");

    // At the top of the list, the list stays at the top, where the newest lines arrive.
    scroller.set_scroll_top(0);
    frames(3).await;
    pages.set(vec![Arc::new(page_of(0..1300, line))]);
    frames(5).await;
    assert_eq!(scroller.scroll_top(), 0);
    let first = document()
        .query_selector(".log-row .log-line")
        .unwrap()
        .and_then(|l| l.text_content());
    assert_eq!(
        first.as_deref(),
        Some("line 1299"),
        "the newest line is first"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn oldest_first_at_the_end_the_list_follows_the_newest_lines() {
    let line = |i: usize| format!("line {i}");
    let pages = RwSignal::new(vec![Arc::new(page_of(0..1000, line))]);
    let (handle, controls) = mount_pages(pages);
    controls.order.set(SortOrder::OldestFirst);
    frames(5).await;
    let scroller = scroller();
    for _ in 0..5 {
        scroller.set_scroll_top(scroller.scroll_height());
        frames(3).await;
    }
    assert!(at_bottom(&scroller), "scrolled to the end");

    // A refresh with 100 newer lines: they arrive below, and the list stays at its end.
    pages.set(vec![Arc::new(page_of(0..1100, line))]);
    frames(8).await;
    assert!(at_bottom(&scroller), "still at the end");
    let rows = document().query_selector_all(".log-row .log-line").unwrap();
    let last = rows.item(rows.length() - 1).and_then(|l| l.text_content());
    assert_eq!(
        last.as_deref(),
        Some("line 1099"),
        "the newest line is in view"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn leaving_before_the_next_frame_is_quiet() {
    let errors = crate::browser_test_support::ErrorCapture::start();
    let (handle, _) = mount(page(50, |i| format!("line {i}")));
    // One turn of the microtask queue: the effects run and ask for the next animation frame
    // (to measure the rows, to put the scroll position back).
    crate::browser_test_support::microtask_turn().await;
    // The list goes away before that frame.
    drop(handle);
    frames(5).await;
    let (count, errors) = errors.finish();
    assert_eq!(count, 0, "{errors}");
}
