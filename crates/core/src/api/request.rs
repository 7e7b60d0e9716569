//! A request as data: method, API path and parameters, with URL and form-body encoding.
//!
//! Keeping requests as plain values lets the browser client stay thin and lets native tests
//! check exactly what would go over the wire.

use std::fmt::Write as _;

/// Above this many bytes of encoded parameters a request that may be POSTed is sent as a form
/// body instead of a query string (proxies commonly cap URLs near 8 KB).
pub const MAX_GET_PARAMS_BYTES: usize = 4000;

/// HTTP method of an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    /// `application/x-www-form-urlencoded` body.
    PostForm,
}

/// One API call, independent of the host it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    pub method: Method,
    /// Path below the host, e.g. `/api/v1/query_range`.
    pub path: String,
    /// Parameters in order; repeated names (`match[]`) appear several times.
    pub params: Vec<(String, String)>,
    /// Extra request headers (e.g. Loki's `X-Loki-Response-Encoding-Flags`). Never the token:
    /// the client adds `Authorization` itself.
    pub headers: Vec<(String, String)>,
    /// Whether the endpoint also answers a POST form (Prometheus `query`, `query_range`,
    /// `series`, `labels`…); GET-only endpoints (label values, metadata, rules) never switch.
    pub post_allowed: bool,
}

/// Why a request could not be built from what the caller gave.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// `series` needs at least one `match[]` selector.
    #[error("{path} needs at least one series selector (match[])")]
    NoSelector { path: &'static str },
    /// A label name must not be empty.
    #[error("{path}: the label name is empty")]
    EmptyLabelName { path: &'static str },
}

impl ApiRequest {
    /// A GET request that switches to a POST form body when its parameters are long and
    /// `post_allowed` (the endpoint accepts POST).
    #[must_use]
    pub fn new(path: impl Into<String>, params: Vec<(String, String)>, post_allowed: bool) -> Self {
        let mut request = ApiRequest {
            method: Method::Get,
            path: path.into(),
            params,
            headers: Vec::new(),
            post_allowed,
        };
        if post_allowed && !request.fits_a_url() {
            request.method = Method::PostForm;
        }
        request
    }

    /// The same request as a POST form when `prefer_post` and the endpoint allows it, the way
    /// Grafana's Prometheus data source sends queries by default: every POST to one path shares
    /// one cached CORS preflight, where each distinct GET URL (new `start`/`end` on every
    /// refresh) costs a preflight round trip of its own.
    #[must_use]
    pub fn preferring_post(mut self, prefer_post: bool) -> Self {
        if prefer_post && self.post_allowed {
            self.method = Method::PostForm;
        }
        self
    }

    /// The GET form of a POST that only went as a form by preference (its parameters fit a
    /// URL): what to send to a host that refuses the POST. `None` for a GET, and for a POST
    /// whose parameters are too long for a URL.
    #[must_use]
    pub fn get_fallback(&self) -> Option<ApiRequest> {
        (self.method == Method::PostForm && self.fits_a_url()).then(|| ApiRequest {
            method: Method::Get,
            ..self.clone()
        })
    }

    /// Whether the encoded parameters are short enough for a query string.
    fn fits_a_url(&self) -> bool {
        self.encoded_params().len() <= MAX_GET_PARAMS_BYTES
    }

    /// A request for an endpoint that only answers GET (Prometheus label values, metadata, rules):
    /// it stays GET however long its parameters are.
    #[must_use]
    pub fn get_only(path: impl Into<String>, params: Vec<(String, String)>) -> Self {
        ApiRequest::new(path, params, false)
    }

    /// The same request with one more header.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The value of parameter `name` (the first one, for repeated names).
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Parameters as `a=1&b=2`, percent-encoded.
    #[must_use]
    pub fn encoded_params(&self) -> String {
        encode_form(&self.params)
    }

    /// The full URL for `base` (e.g. `https://observe.coreweave.com` or a same-origin prefix such
    /// as `/observe/global`): with the query string for GET, without it for POST.
    #[must_use]
    pub fn url(&self, base: &str) -> String {
        let mut url = join_base_and_path(base, &self.path);
        if self.method == Method::Get && !self.params.is_empty() {
            url.push('?');
            url.push_str(&self.encoded_params());
        }
        url
    }

    /// The form body of a POST request (`None` for GET).
    #[must_use]
    pub fn body(&self) -> Option<String> {
        (self.method == Method::PostForm).then(|| self.encoded_params())
    }
}

/// Joins a base URL or path prefix and an API path with exactly one `/` between them.
#[must_use]
pub fn join_base_and_path(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// `application/x-www-form-urlencoded` encoding of `pairs` (spaces as `%20`, which every server
/// reads the same way in a query string and in a body).
#[must_use]
pub fn encode_form(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_component_into(k, &mut out);
        out.push('=');
        encode_component_into(v, &mut out);
    }
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
#[must_use]
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    encode_component_into(text, &mut out);
    out
}

fn encode_component_into(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Builds a parameter list from `(&str, impl ToString)` pairs.
#[must_use]
pub fn params<const N: usize>(pairs: [(&str, String); N]) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn encodes_promql_so_that_braces_quotes_and_spaces_survive() {
        let q = r#"sum by (gpu) (rate(x{job="a b"}[5m]))"#;
        let encoded = encode_component(q);
        assert_eq!(
            encoded,
            "sum%20by%20%28gpu%29%20%28rate%28x%7Bjob%3D%22a%20b%22%7D%5B5m%5D%29%29"
        );
    }

    #[test]
    fn utf8_is_encoded_byte_by_byte() {
        assert_eq!(encode_component("é"), "%C3%A9");
    }

    #[test]
    fn short_requests_are_get_with_a_query_string() {
        let r = ApiRequest::new("/api/v1/query", params([("query", "up".to_owned())]), true);
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url("https://h.example/"),
            "https://h.example/api/v1/query?query=up"
        );
        assert_eq!(r.body(), None);
    }

    #[test]
    fn long_requests_switch_to_a_post_form_body_when_allowed() {
        let long = "up{job=~\"".to_owned() + &"a|".repeat(3000) + "\"}";
        let r = ApiRequest::new("/api/v1/query", params([("query", long.clone())]), true);
        assert_eq!(r.method, Method::PostForm);
        assert_eq!(r.url("/observe/global"), "/observe/global/api/v1/query");
        assert!(r.body().is_some_and(|b| b.starts_with("query=up%7B")));
        let get_only = ApiRequest::new(
            "/api/v1/label/job/values",
            params([("match[]", long)]),
            false,
        );
        assert_eq!(get_only.method, Method::Get);
    }

    #[test]
    fn a_preferred_post_carries_the_same_parameters_as_a_form_and_can_fall_back_to_get() {
        let get = ApiRequest::new("/api/v1/query", params([("query", "up".to_owned())]), true);
        let post = get.clone().preferring_post(true);
        assert_eq!(post.method, Method::PostForm);
        assert_eq!(
            post.url("https://h.example"),
            "https://h.example/api/v1/query"
        );
        assert_eq!(post.body().as_deref(), Some("query=up"));
        assert_eq!(post.get_fallback(), Some(get.clone()));
        assert_eq!(get.clone().preferring_post(false), get);
        assert_eq!(get.get_fallback(), None);
    }

    #[test]
    fn get_only_endpoints_ignore_the_preference_and_long_forms_have_no_get_fallback() {
        let values = ApiRequest::get_only("/api/v1/label/job/values", Vec::new());
        assert_eq!(values.clone().preferring_post(true).method, Method::Get);
        let long = "x".repeat(MAX_GET_PARAMS_BYTES + 1);
        let form = ApiRequest::new("/api/v1/query", params([("query", long)]), true);
        assert_eq!(form.method, Method::PostForm);
        assert_eq!(form.get_fallback(), None);
    }
}
