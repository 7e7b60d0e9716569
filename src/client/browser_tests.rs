//! The client against live servers in headless Chromium (wasm-bindgen-test): every endpoint,
//! capped and never-ending bodies, timeouts, superseded requests, retries and stitching.
//!
//! They need the local stack and are skipped (pass at once) unless built with
//! `SIGHTLINE_TEST_PROMETHEUS` (a Prometheus base URL, CORS allowed) and
//! `SIGHTLINE_TEST_LOKI` (a `loki-double serve --cors` base URL):
//! ```sh
//! SIGHTLINE_TEST_PROMETHEUS=http://127.0.0.1:19998 SIGHTLINE_TEST_LOKI=http://127.0.0.1:13103 \
//!   CHROMEDRIVER=/usr/bin/chromedriver cargo test -p sightline --target wasm32-unknown-unknown --lib client::
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gloo_net::http::Request;
use sightline_core::api::auth::Token;
use sightline_core::api::error::ApiError;
use sightline_core::api::loki::{
    Direction, LogLimits, LogPager, LogQuery, LogRange, LokiResult, VolumeQuery, NS_PER_MS,
};
use sightline_core::api::prometheus::{Feature, MetadataFilter, RulesFilter, SeriesScope};
use sightline_core::api::request::ApiRequest;
use sightline_core::api::stitch::StitchKind;
use sightline_core::model::duration::Duration;
use sightline_core::model::time_range::TimeRange;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::RequestMode;

use super::http::{send, Endpoint, RequestOptions};
use super::slot::RequestSlot;
use super::stitch::{join, logs_range, metrics_range, StitchTargets};
use super::{loki, prometheus};

wasm_bindgen_test_configure!(run_in_browser);

fn token() -> Token {
    Token::parse("browser-test-token").unwrap()
}

fn prom() -> Option<Endpoint> {
    option_env!("SIGHTLINE_TEST_PROMETHEUS").map(|b| Endpoint::new(b, token()).unwrap())
}

fn loki_endpoint() -> Option<Endpoint> {
    option_env!("SIGHTLINE_TEST_LOKI").map(|b| Endpoint::new(b, token()).unwrap())
}

#[allow(clippy::cast_possible_truncation)]
fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Registers a fault on the double with a form POST (a "simple" request: no preflight needed).
/// The test page is cross-origin isolated (COEP), so the opaque answer itself is refused with
/// "Failed to fetch"; the side effect, which is all that counts, has happened by then.
async fn inject(form: &str) {
    let Some(base) = option_env!("SIGHTLINE_TEST_LOKI") else {
        return;
    };
    let _ = Request::post(&format!("{base}/__double/faults"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .mode(RequestMode::NoCors)
        .body(form.to_owned())
        .unwrap()
        .send()
        .await;
    gloo_timers::future::TimeoutFuture::new(100).await;
}

#[wasm_bindgen_test]
async fn every_prometheus_endpoint_answers_through_the_client() {
    let Some(ep) = prom() else { return };
    let slot = RequestSlot::default();
    let range = TimeRange::new(now_ms() - 600_000, now_ms());
    let step = Duration::from_secs(15);
    let matrix = prometheus::query_range(&ep, "up", range, step, &slot)
        .await
        .unwrap();
    assert!(!matrix.data.series().is_empty());
    let long = vec!["up"; 1200].join(" or ");
    let posted = prometheus::query_range(&ep, &long, range, step, &slot)
        .await
        .unwrap();
    assert!(
        !posted.data.series().is_empty(),
        "a >4 KB query goes as a form POST"
    );
    let vector = prometheus::instant_query(&ep, "up", now_ms(), &slot)
        .await
        .unwrap();
    assert_eq!(vector.data.result_type(), "vector");
    let scope = SeriesScope::matching(vec!["up".into()], range);
    assert!(!prometheus::series(&ep, &scope, &slot)
        .await
        .unwrap()
        .data
        .is_empty());
    assert!(prometheus::labels(&ep, &SeriesScope::over(range), &slot)
        .await
        .unwrap()
        .data
        .contains(&"job".to_owned()));
    assert!(!prometheus::label_values(&ep, "job", &scope, &slot)
        .await
        .unwrap()
        .data
        .is_empty());
    prometheus::query_exemplars(&ep, "up", range, &slot)
        .await
        .unwrap();
    let filter = MetadataFilter {
        limit: Some(5),
        ..MetadataFilter::default()
    };
    assert!(!prometheus::metadata(&ep, &filter, &slot)
        .await
        .unwrap()
        .data
        .is_empty());
    prometheus::rules(&ep, &RulesFilter::default(), &slot)
        .await
        .unwrap();
    prometheus::all_rules(&ep, &RulesFilter::default(), &slot)
        .await
        .unwrap();
    assert!(matches!(
        prometheus::format_query(&ep, "sum(up)by(job)", &slot)
            .await
            .unwrap(),
        Feature::Available(_)
    ));
    // Prometheus 2.42 has no parse_query: a missing feature, not an error.
    // Prometheus 2.42 has no parse_query, and its 404 carries no CORS headers: from the
    // browser that is a missing feature, not an error.
    let parse = prometheus::parse_query(&ep, "up", &slot).await.unwrap();
    assert!(parse.unavailable_text("parse_query").is_some(), "{parse:?}");
    assert!(!prometheus::build_info(&ep)
        .await
        .unwrap()
        .version
        .is_empty());
    prometheus::check_connection(&ep).await.unwrap();
    let bad = prometheus::instant_query(&ep, "sum(up", now_ms(), &slot)
        .await
        .unwrap_err();
    assert!(
        matches!(bad, ApiError::BadQuery { status: 400, .. }),
        "{bad:?}"
    );
}

#[wasm_bindgen_test]
async fn every_loki_endpoint_answers_through_the_client() {
    let Some(ep) = loki_endpoint() else { return };
    let slot = RequestSlot::default();
    let end = now_ms() * NS_PER_MS;
    let range = LogRange::new(end - 600 * 1_000_000_000, end);
    let mut query = LogQuery::new(r#"{namespace="inference"}"#, range, &LogLimits::default());
    query.limit = 20;
    query.categorize_labels = true;
    let logs = loki::query_range(&ep, &query, &slot).await.unwrap();
    assert!(matches!(logs.data.result, LokiResult::Streams(ref s) if !s.is_empty()));
    assert_eq!(logs.data.encoding_flags, vec!["categorize-labels"]);
    let metric = LogQuery {
        query: r#"sum by (level) (count_over_time({namespace="inference"}[1m]))"#.into(),
        step: Some(Duration::from_secs(60)),
        ..query.clone()
    };
    assert_eq!(
        loki::query_range(&ep, &metric, &slot)
            .await
            .unwrap()
            .data
            .result
            .result_type(),
        "matrix"
    );
    let instant = loki::instant_query(&ep, &metric.query, end, &slot)
        .await
        .unwrap();
    assert_eq!(instant.data.result.result_type(), "vector");
    assert!(!loki::labels(&ep, range, None, &slot)
        .await
        .unwrap()
        .data
        .is_empty());
    assert!(!loki::label_values(&ep, "app", range, None, &slot)
        .await
        .unwrap()
        .data
        .is_empty());
    let selectors = vec![r#"{namespace="inference"}"#.to_owned()];
    assert!(!loki::series(&ep, &selectors, range, &slot)
        .await
        .unwrap()
        .data
        .is_empty());
    assert!(
        loki::index_stats(&ep, &selectors[0], range, &slot)
            .await
            .unwrap()
            .entries
            > 0
    );
    let volume = VolumeQuery::new(&selectors[0], range);
    assert_eq!(
        loki::index_volume(&ep, &volume, &slot)
            .await
            .unwrap()
            .data
            .result_type(),
        "vector"
    );
    let volume_range = loki::index_volume_range(&ep, &volume, Duration::from_secs(60), &slot)
        .await
        .unwrap();
    assert_eq!(volume_range.data.result_type(), "matrix");
    assert!(matches!(
        loki::format_query(&ep, &selectors[0], &slot).await.unwrap(),
        Feature::Available(_)
    ));
    loki::check_connection(&ep, now_ms()).await.unwrap();

    let pager = LogPager {
        range,
        direction: Direction::Backward,
        limit: 5,
    };
    let mut loaded = Vec::new();
    let first = loki::load_page(&ep, &query, &pager, pager.first_page(), &mut loaded, &slot)
        .await
        .unwrap();
    let next = first.next.expect("more than 5 lines in ten minutes");
    let second = loki::load_page(&ep, &query, &pager, next, &mut loaded, &slot)
        .await
        .unwrap();
    assert!(second.added >= 4, "{second:?}");
}

/// A cheap request on a path of its own, so that a fault injected for one test (tests run
/// concurrently) cannot hit another test's requests.
fn values_request(label: &str) -> ApiRequest {
    let end = now_ms() * NS_PER_MS;
    sightline_core::api::loki::label_values(label, LogRange::new(end - 60_000_000_000, end), None)
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_streamed_body_without_length_is_stopped_at_the_byte_cap() {
    let Some(ep) = prom() else { return };
    // Every series of the last ten minutes: several MB, sent chunked (gzip, no Content-Length),
    // so only the streaming reader can stop it.
    let range = TimeRange::new(now_ms() - 600_000, now_ms());
    let request = sightline_core::api::prometheus::query_range(
        r#"{__name__=~".+"}"#,
        range,
        Duration::from_secs(5),
    );
    let options = RequestOptions {
        max_body_bytes: 100_000,
        timeout_ms: 20_000,
        max_retries: 0,
    };
    let err = send(&ep, &request, options, &RequestSlot::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::TooLarge {
                limit_bytes: 100_000,
                ..
            }
        ),
        "{err:?}"
    );
    let roomy = RequestOptions {
        max_body_bytes: 64_000_000,
        ..options
    };
    let fetched = send(&ep, &request, roomy, &RequestSlot::default())
        .await
        .unwrap();
    assert!(
        fetched.body.len() > 100_000,
        "the same body fits under a larger cap"
    );
}

#[wasm_bindgen_test]
async fn a_huge_body_is_refused_without_holding_it() {
    let Some(ep) = loki_endpoint() else { return };
    inject("path=/loki/api/v1/label/level/values&method=GET&mode=huge_body&body_bytes=200000000&count=1").await;
    let options = RequestOptions {
        max_body_bytes: 2_000_000,
        timeout_ms: 20_000,
        max_retries: 0,
    };
    let started = now_ms();
    let err = send(
        &ep,
        &values_request("level"),
        options,
        &RequestSlot::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");
    assert!(
        now_ms() - started < 5_000,
        "refused from Content-Length, not after 200 MB"
    );
}

#[wasm_bindgen_test]
async fn a_body_that_never_ends_times_out_under_a_large_cap() {
    let Some(ep) = loki_endpoint() else { return };
    inject("path=/loki/api/v1/label/job/values&method=GET&mode=never_ending&count=1").await;
    let options = RequestOptions {
        max_body_bytes: u64::MAX,
        timeout_ms: 1_500,
        max_retries: 0,
    };
    let err = send(
        &ep,
        &values_request("job"),
        options,
        &RequestSlot::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
}

#[wasm_bindgen_test]
async fn a_newer_request_on_the_same_slot_aborts_the_older() {
    let Some(ep) = loki_endpoint() else { return };
    inject("path=/loki/api/v1/label/namespace/values&method=GET&mode=passthrough&stall_seconds=3&count=1").await;
    let slot = RequestSlot::default();
    let request = values_request("namespace");
    let older = send(&ep, &request, RequestOptions::default(), &slot);
    let newer = async {
        gloo_timers::future::TimeoutFuture::new(300).await;
        send(&ep, &request, RequestOptions::default(), &slot).await
    };
    let (older, newer) = join(older, newer).await;
    assert_eq!(older.unwrap_err(), ApiError::Aborted);
    assert!(newer.is_ok());
}

#[wasm_bindgen_test]
async fn a_429_is_retried_and_retry_after_is_read_through_cors() {
    let Some(ep) = loki_endpoint() else { return };
    inject("path=/loki/api/v1/label/stream/values&method=GET&status=429&retry_after=1&count=1")
        .await;
    let fetched = send(
        &ep,
        &values_request("stream"),
        RequestOptions::default(),
        &RequestSlot::default(),
    )
    .await
    .unwrap();
    assert_eq!(fetched.attempts, 2);
    assert!(
        fetched.elapsed_ms >= 1_000.0,
        "waited for Retry-After: {}",
        fetched.elapsed_ms
    );
}

#[wasm_bindgen_test]
async fn a_stitched_range_runs_both_halves_and_keeps_one_when_the_other_fails() {
    let Some(ep) = prom() else { return };
    let now = now_ms() / 1000 * 1000;
    let range = TimeRange::new(now - 600_000, now - 60_000);
    let targets = StitchTargets {
        current: ep.clone(),
        legacy: Some(ep.clone()),
        cutover_ms: now - 300_000,
    };
    let step = Duration::from_secs(15);
    let slot = RequestSlot::default();
    let stitched = metrics_range(&targets, "up", range, step, &slot)
        .await
        .unwrap();
    assert_eq!(
        stitched.note.as_ref().map(|n| n.kind),
        Some(StitchKind::Stitched)
    );
    let series = stitched.answer.data.series();
    assert!(
        series[0].times_ms.windows(2).all(|w| w[1] - w[0] == 15_000),
        "one continuous series"
    );
    let down = Endpoint::new("http://127.0.0.1:9", token()).unwrap();
    let broken = StitchTargets {
        legacy: Some(down),
        ..targets
    };
    let kept = metrics_range(&broken, "up", range, step, &slot)
        .await
        .unwrap();
    assert_eq!(
        kept.note.as_ref().map(|n| n.kind),
        Some(StitchKind::LegacyFailed)
    );
    assert!(!kept.answer.data.series().is_empty());

    let Some(logs) = loki_endpoint() else { return };
    let end = now_ms() * NS_PER_MS;
    let query = LogQuery::new(
        r#"{namespace="inference"}"#,
        LogRange::new(end - 600_000_000_000, end),
        &LogLimits::default(),
    );
    let log_targets = StitchTargets {
        current: logs.clone(),
        legacy: Some(logs),
        cutover_ms: now_ms() - 300_000,
    };
    let stitched_logs = logs_range(&log_targets, &query, &slot).await.unwrap();
    assert_eq!(
        stitched_logs.note.map(|n| n.kind),
        Some(StitchKind::Stitched)
    );
}
