//! Early queries: the requests a dashboard page sent on its last full load, kept (without the
//! token) so that the next full load of the same page can send them again, moved to the new
//! "now", while the app itself is still downloading. The browser halves are `src/early.js`
//! (sends them before the app starts) and `src/client/early.rs` (hands their answers to the
//! app when it asks for the very same URL); the rules they share are here, tested natively.
//!
//! Only requests whose times move with "now" by a fixed lag are kept (`now-6h` to `now`, not
//! `now/d` or an absolute range): one that would not come out identical on the next load is
//! not worth sending early.

use serde::{Deserialize, Serialize};

use super::request::ApiRequest;
use crate::model::duration::Duration;
use crate::model::time_range::{millis_to_secs_text, TimeRange};

/// Where a request's range start goes in its URL template.
pub const FROM_MARK: &str = "__SIGHTLINE_FROM__";
/// Where a request's range end (or an instant query's time) goes in its URL template.
pub const TO_MARK: &str = "__SIGHTLINE_TO__";
/// At most this many requests are kept for one page (a dashboard's first screen).
pub const MAX_REQUESTS_PER_PAGE: usize = 64;
/// At most this many pages are kept; the least recently loaded one is dropped first.
pub const MAX_PAGES: usize = 8;
/// A request whose URL and body together are longer than this is not kept (a plan stays small
/// in `localStorage`).
pub const MAX_URL_BYTES: usize = 4096;
/// Early answers older than this are not used, and unclaimed ones are aborted (`early.js`).
pub const MAX_AGE_MS: i64 = 15_000;

/// One request to send early: its URL with [`FROM_MARK`] and [`TO_MARK`] where the times go,
/// and how the times follow "now".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlyRequest {
    pub url: String,
    /// The form body of a POST, with the marks in it (a GET has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// "now" minus the range start, before alignment.
    pub from_lag_ms: i64,
    /// "now" minus the range end, before alignment.
    pub to_lag_ms: i64,
    /// Both times are floored to this grid (a range query's step); 0 leaves them as they are.
    pub align_ms: i64,
}

impl EarlyRequest {
    /// The template of `request` sent to `base` over `range` (resolved at `now_ms`, before any
    /// alignment), with its times floored to `align` (zero: not aligned). `None` when the
    /// request cannot be sent early: extra headers, no time parameter, a URL and body too long,
    /// or a query text that contains one of the marks itself.
    #[must_use]
    pub fn from_request(
        request: &ApiRequest,
        base: &str,
        range: TimeRange,
        now_ms: i64,
        align: Duration,
    ) -> Option<EarlyRequest> {
        if !request.headers.is_empty() {
            return None;
        }
        let mut template = request.clone();
        let mut marked = false;
        for (name, value) in &mut template.params {
            let mark = match name.as_str() {
                "start" => FROM_MARK,
                "end" | "time" => TO_MARK,
                _ => continue,
            };
            *value = mark.to_owned();
            marked = true;
        }
        let url = template.url(base);
        let body = template.body();
        let sent = format!("{url}{}", body.as_deref().unwrap_or_default());
        let once = |mark: &str| sent.matches(mark).count() <= 1;
        if !marked || !once(FROM_MARK) || !once(TO_MARK) || sent.len() > MAX_URL_BYTES {
            return None;
        }
        Some(EarlyRequest {
            url,
            body,
            from_lag_ms: now_ms.saturating_sub(range.from_ms),
            to_lag_ms: now_ms.saturating_sub(range.to_ms),
            align_ms: i64::try_from(align.as_millis()).unwrap_or(0),
        })
    }

    /// The URL at `now_ms`. `early.js` computes exactly this (floor to the grid, seconds with
    /// up to three decimals), so the app finds the early request under the URL it builds itself.
    #[must_use]
    pub fn url_at(&self, now_ms: i64) -> String {
        self.filled(&self.url, now_ms)
    }

    /// The form body at `now_ms` (`None` for a GET), filled like [`EarlyRequest::url_at`].
    #[must_use]
    pub fn body_at(&self, now_ms: i64) -> Option<String> {
        self.body.as_deref().map(|body| self.filled(body, now_ms))
    }

    /// `template` with the times at `now_ms` in place of the marks.
    fn filled(&self, template: &str, now_ms: i64) -> String {
        let range = TimeRange::new(
            now_ms.saturating_sub(self.from_lag_ms),
            now_ms.saturating_sub(self.to_lag_ms),
        );
        let range = if self.align_ms > 0 {
            range.aligned_to(Duration::from_millis(self.align_ms.unsigned_abs()))
        } else {
            range
        };
        template
            .replacen(FROM_MARK, &millis_to_secs_text(range.from_ms), 1)
            .replacen(TO_MARK, &millis_to_secs_text(range.to_ms), 1)
    }
}

/// The key an early answer is kept under: the URL of a GET, the URL and body of a POST (all
/// queries POSTed to one path share their URL). `early.js` builds the same key.
#[must_use]
pub fn answer_key(url: &str, body: Option<&str>) -> String {
    match body {
        Some(body) => format!("{url}\n{body}"),
        None => url.to_owned(),
    }
}

/// What one page sent on its last full load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagePlan {
    /// The path and query the page was loaded under (`/d/gpu-fleet?from=now-1h&to=now`).
    pub page: String,
    /// The signed-in profile exactly as the tab keeps it: `early.js` sends nothing unless the
    /// tab's profile is this one, so the token only goes to hosts the app itself chose.
    pub profile: String,
    pub requests: Vec<EarlyRequest>,
}

/// The kept plans, most recently loaded page first (`localStorage`, never the token).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanBook {
    pub pages: Vec<PagePlan>,
}

impl PlanBook {
    /// The book in `text`; an empty book when there is none or it does not parse (an early
    /// request is an optimisation: a broken book only costs the head start).
    #[must_use]
    pub fn parse(text: Option<&str>) -> PlanBook {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    /// Keeps `plan` as its page's (first, replacing an older one), within the limits.
    pub fn put(&mut self, mut plan: PagePlan) {
        plan.requests.truncate(MAX_REQUESTS_PER_PAGE);
        self.pages.retain(|p| p.page != plan.page);
        if !plan.requests.is_empty() {
            self.pages.insert(0, plan);
        }
        self.pages.truncate(MAX_PAGES);
    }

    /// The book as JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"pages\":[]}".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::prometheus::{instant_query, query_range};
    use crate::api::request::Method;
    use crate::model::time_expr::RangeExpr;

    const BASE: &str = "https://observe.example.com";
    const NOW: i64 = 1_733_475_612_345;

    fn utc(_: i64) -> i32 {
        0
    }

    fn resolved(now_ms: i64) -> TimeRange {
        RangeExpr::parse("now-250m", "now")
            .map(|r| r.resolve(now_ms, &utc))
            .unwrap_or(TimeRange::new(0, 0))
    }

    fn range_url(now_ms: i64, step: Duration) -> String {
        query_range("up{job=\"dcgm\"}", resolved(now_ms).aligned_to(step), step).url(BASE)
    }

    #[test]
    fn a_range_query_recorded_at_one_now_gives_the_url_the_app_builds_at_another() {
        let step = Duration::from_secs(15);
        let request = query_range("up{job=\"dcgm\"}", resolved(NOW).aligned_to(step), step);
        let early = EarlyRequest::from_request(&request, BASE, resolved(NOW), NOW, step);
        let early = early.expect("a GET range query is kept");
        assert!(early
            .url
            .contains("start=__SIGHTLINE_FROM__&end=__SIGHTLINE_TO__&step=15"));
        assert_eq!(early.url_at(NOW), request.url(BASE));
        for later in [
            NOW + 1,
            NOW + 14_999,
            NOW + 86_400_000 + 7_777,
            NOW + 3_600_123,
        ] {
            assert_eq!(early.url_at(later), range_url(later, step), "at {later}");
        }
    }

    #[test]
    fn an_instant_query_keeps_its_millisecond_time() {
        let request = instant_query("sum(up)", resolved(NOW).to_ms);
        let early = EarlyRequest::from_request(&request, BASE, resolved(NOW), NOW, Duration::ZERO);
        let early = early.expect("kept");
        assert_eq!(early.align_ms, 0);
        let later = NOW + 61_001;
        assert_eq!(
            early.url_at(later),
            instant_query("sum(up)", resolved(later).to_ms).url(BASE)
        );
        assert!(early.url_at(later).contains("time=1733475673.346"));
    }

    #[test]
    fn a_posted_range_query_keeps_its_marks_in_the_body_and_is_keyed_by_url_and_body() {
        let step = Duration::from_secs(15);
        let at = |now: i64| {
            query_range("up{job=\"dcgm\"}", resolved(now).aligned_to(step), step)
                .preferring_post(true)
        };
        let early = EarlyRequest::from_request(&at(NOW), BASE, resolved(NOW), NOW, step);
        let early = early.expect("a POSTed range query is kept");
        assert_eq!(early.url, format!("{BASE}/api/v1/query_range"));
        assert!(early
            .body
            .as_deref()
            .is_some_and(|b| b.contains("start=__SIGHTLINE_FROM__")));
        let later = NOW + 3_600_123;
        assert_eq!(early.url_at(later), at(later).url(BASE));
        assert_eq!(early.body_at(later), at(later).body());
        assert_eq!(
            answer_key(&early.url_at(later), early.body_at(later).as_deref()),
            format!("{BASE}/api/v1/query_range\n{}", at(later).encoded_params())
        );
        let get = query_range("up", resolved(NOW), step);
        assert_eq!(
            answer_key(&get.url(BASE), get.body().as_deref()),
            get.url(BASE)
        );
        let json = serde_json::to_string(&early).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<EarlyRequest>(&json).ok(),
            Some(early)
        );
    }

    #[test]
    fn requests_that_cannot_be_replayed_exactly_are_not_kept() {
        let range = resolved(NOW);
        let step = Duration::from_secs(15);
        let long = "x".repeat(5000);
        let post = query_range(&long, range, step);
        assert_eq!(post.method, Method::PostForm);
        assert!(EarlyRequest::from_request(&post, BASE, range, NOW, step).is_none());
        let marked = query_range("up{a=\"__SIGHTLINE_TO__\"}", range, step);
        assert!(EarlyRequest::from_request(&marked, BASE, range, NOW, step).is_none());
        let with_header = query_range("up", range, step).with_header("X-Scope-OrgID", "a");
        assert!(EarlyRequest::from_request(&with_header, BASE, range, NOW, step).is_none());
        let untimed = ApiRequest::get_only("/api/v1/labels", Vec::new());
        assert!(EarlyRequest::from_request(&untimed, BASE, range, NOW, step).is_none());
    }

    fn plan(page: &str, n: usize) -> PagePlan {
        PagePlan {
            page: page.to_owned(),
            profile: "{\"id\":\"demo\"}".to_owned(),
            requests: (0..n)
                .map(|i| EarlyRequest {
                    url: format!("{BASE}/api/v1/query?query={i}&time={TO_MARK}"),
                    body: None,
                    from_lag_ms: 0,
                    to_lag_ms: 0,
                    align_ms: 0,
                })
                .collect(),
        }
    }

    #[test]
    fn the_book_keeps_the_latest_plan_per_page_newest_first_within_limits() {
        let mut book = PlanBook::parse(Some("not json"));
        assert_eq!(book, PlanBook::default());
        for i in 0..10 {
            book.put(plan(&format!("/d/{i}"), 1));
        }
        assert_eq!(book.pages.len(), MAX_PAGES);
        assert_eq!(book.pages[0].page, "/d/9");
        book.put(plan("/d/5", 100));
        assert_eq!(book.pages[0].page, "/d/5");
        assert_eq!(book.pages[0].requests.len(), MAX_REQUESTS_PER_PAGE);
        assert_eq!(book.pages.iter().filter(|p| p.page == "/d/5").count(), 1);
        book.put(plan("/d/5", 0));
        assert!(book.pages.iter().all(|p| p.page != "/d/5"));
        let again = PlanBook::parse(Some(&book.to_json()));
        assert_eq!(again, book);
    }
}
