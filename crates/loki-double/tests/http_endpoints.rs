//! End-to-end over TCP: start the double on an ephemeral port and check every endpoint with
//! raw HTTP/1.1 requests (no HTTP client dependency).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use loki_double::api::{App, Options};
use loki_double::config::DataConfig;
use loki_double::http::form::percent_decode;
use loki_double::http::server::serve;
use serde_json::Value;

/// 2025-10-09T08:53:20Z, a fixed "now".
const NOW_S: i64 = 1_760_000_000;

fn start(options: Options) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let data = DataConfig {
        retention_ns: None,
        ..DataConfig::default()
    };
    let app = App::new(
        data,
        Options {
            fixed_now_ns: Some(NOW_S * 1_000_000_000),
            query_timeout: Duration::from_secs(30),
            max_entries: 5000,
            ..options
        },
    );
    std::thread::spawn(move || serve(listener, app));
    addr
}

fn server() -> &'static str {
    static ADDR: OnceLock<String> = OnceLock::new();
    ADDR.get_or_init(|| {
        start(Options {
            cors: true,
            ..Options::default()
        })
    })
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn query_string(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn raw(addr: &str, request: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

fn get_on(addr: &str, path: &str, params: &[(&str, &str)], extra: &str) -> Reply {
    raw(
        addr,
        &format!(
            "GET {path}?{} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n",
            query_string(params)
        ),
    )
}

fn get(path: &str, params: &[(&str, &str)]) -> Reply {
    get_on(server(), path, params, "")
}

const AUDIT_QUERY: &str = r#"{logging_component="unicaster", app="kube-apiserver", stream="", cluster="east-prod"} | json | apiVersion="audit.k8s.io/v1" | json sourceIPs="sourceIPs" | json user_groups="user.groups""#;

fn range_params<'a>(query: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut p = vec![
        ("query", query),
        ("start", "1759996400000000000"),
        ("end", "1760000000000000000"),
    ];
    p.extend_from_slice(extra);
    p
}

#[test]
fn query_range_streams_envelope_has_ns_string_timestamps() {
    let r = get(
        "/loki/api/v1/query_range",
        &range_params(AUDIT_QUERY, &[("limit", "20")]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let v = r.json();
    assert_eq!(v["status"], "success");
    assert_eq!(v["data"]["resultType"], "streams");
    assert!(v["data"]["stats"]["summary"]["execTime"].is_number());
    let result = v["data"]["result"].as_array().unwrap();
    let total: usize = result
        .iter()
        .map(|s| s["values"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, 20, "limit caps entries");
    let first = &result[0];
    assert!(first["stream"]["sourceIPs"]
        .as_str()
        .unwrap()
        .starts_with('['));
    let ts = first["values"][0][0].as_str().unwrap();
    assert_eq!(ts.len(), 19);
    assert!(ts.parse::<i64>().is_ok());
}

#[test]
fn categorize_labels_adds_a_third_element_and_encoding_flags() {
    let r = get_on(
        server(),
        "/loki/api/v1/query_range",
        &range_params(AUDIT_QUERY, &[("limit", "5")]),
        "X-Loki-Response-Encoding-Flags: categorize-labels\r\n",
    );
    let v = r.json();
    assert_eq!(
        v["data"]["encodingFlags"],
        serde_json::json!(["categorize-labels"])
    );
    let stream = &v["data"]["result"][0];
    assert!(
        stream["stream"].get("sourceIPs").is_none(),
        "parsed labels stay out of the stream"
    );
    let meta = &stream["values"][0][2];
    assert_eq!(meta["structuredMetadata"]["detected_level"], "unknown");
    assert!(meta["parsed"]["user_groups"]
        .as_str()
        .unwrap()
        .contains("system:"));
}

#[test]
fn metric_query_range_returns_a_matrix_with_string_values() {
    let q = r#"sum by (level) (count_over_time({logging_component="application"}[5m]))"#;
    let r = get(
        "/loki/api/v1/query_range",
        &range_params(q, &[("step", "300")]),
    );
    let v = r.json();
    assert_eq!(v["data"]["resultType"], "matrix");
    let point = &v["data"]["result"][0]["values"][0];
    assert!(point[0].is_number() && point[1].is_string());
}

#[test]
fn instant_queries_return_vectors_and_refuse_log_queries() {
    let r = get(
        "/loki/api/v1/query",
        &[
            ("query", r#"sum(rate({app="kube-apiserver"}[5m]))"#),
            ("time", "1760000000"),
        ],
    );
    let v = r.json();
    assert_eq!(v["data"]["resultType"], "vector");
    assert_eq!(v["data"]["result"][0]["value"][0], 1_760_000_000);
    let r = get(
        "/loki/api/v1/query",
        &[("query", r#"{app="kube-apiserver"}"#)],
    );
    assert_eq!(r.status, 400);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert_eq!(r.body, "log queries are not supported as an instant query type, please change your query to a range query type");
}

#[test]
fn errors_are_text_plain_like_loki() {
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("query", r#"{app="x""#)], "parse error at line 1, col 9: syntax error: unexpected $end, expecting } or ,"),
        (&[("query", r#"{app="x"}"#), ("limit", "5001")], "max entries limit per query exceeded, limit > max_entries_limit_per_query (5001 > 5000)"),
        (&[("query", r#"{app="x"}"#), ("start", "0"), ("end", "20000"), ("step", "1")], "exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter"),
        (&[("query", r#"{app="x"}"#), ("end", "nope")], r#"could not parse 'end' parameter: strconv.ParseInt: parsing "nope": invalid syntax"#),
        (&[("query", r#"{app="x"}"#), ("direction", "sideways")], "invalid direction 'sideways'"),
    ];
    for (params, want) in cases {
        let r = get("/loki/api/v1/query_range", params);
        assert_eq!((r.status, r.body.as_str()), (400, want));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    let r = get("/loki/api/v1/nope", &[]);
    assert_eq!((r.status, r.body.as_str()), (404, "404 page not found\n"));
}

#[test]
fn labels_values_and_series_use_plain_data_arrays() {
    let b = [("start", "1759996400"), ("end", "1760000000")];
    let v = get("/loki/api/v1/labels", &b).json();
    let names: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    for want in [
        "app",
        "cluster",
        "container",
        "job",
        "level",
        "logging_component",
        "namespace",
        "node",
        "pod",
        "stream",
    ] {
        assert!(names.contains(&want), "{names:?}");
    }
    let v = get("/loki/api/v1/label/cluster/values", &b).json();
    assert_eq!(
        v["data"],
        serde_json::json!(["east-prod", "east-research", "west-prod", "west-research"])
    );
    let mut p = b.to_vec();
    p.push(("match[]", r#"{app="kube-apiserver"}"#));
    let v = get("/loki/api/v1/series", &p).json();
    assert_eq!(v["data"].as_array().unwrap().len(), 4);
    assert_eq!(v["data"][0]["logging_component"], "unicaster");
}

#[test]
fn index_stats_has_no_envelope_and_volume_is_prometheus_style() {
    let p = [
        ("query", r#"{app="kube-apiserver"}"#),
        ("start", "1759996400"),
        ("end", "1760000000"),
    ];
    let v = get("/loki/api/v1/index/stats", &p).json();
    assert_eq!(v["streams"], 4);
    assert!(
        v["entries"].as_u64().unwrap() > 1000
            && v["bytes"].as_u64().unwrap() > 100_000
            && v["chunks"].as_u64().unwrap() > 0
    );
    let mut q = p.to_vec();
    q.push(("targetLabels", "cluster"));
    let v = get("/loki/api/v1/index/volume", &q).json();
    assert_eq!(v["data"]["resultType"], "vector");
    assert_eq!(v["data"]["result"].as_array().unwrap().len(), 4);
    q.push(("step", "600"));
    let v = get("/loki/api/v1/index/volume_range", &q).json();
    assert_eq!(v["data"]["resultType"], "matrix");
    assert_eq!(
        v["data"]["result"][0]["values"].as_array().unwrap().len(),
        6
    );
}

#[test]
fn format_query_and_form_posts() {
    let v = get(
        "/loki/api/v1/format_query",
        &[("query", r#"{foo=   "bar"}"#)],
    )
    .json();
    assert_eq!(
        v,
        serde_json::json!({"status": "success", "data": "{foo=\"bar\"}"})
    );
    let body = query_string(&range_params(
        r#"{app="kubelet", node="gpu-east-prod-01"}"#,
        &[("limit", "3"), ("direction", "forward")],
    ));
    let r = raw(server(), &format!("POST /loki/api/v1/query_range HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()));
    let v = r.json();
    let values = v["data"]["result"][0]["values"].as_array().unwrap();
    let ts: Vec<i64> = values
        .iter()
        .map(|e| e[0].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        ts.windows(2).all(|w| w[0] <= w[1]),
        "forward is oldest first"
    );
    assert!(ts[0] >= 1_759_996_400_000_000_000);
}

#[test]
fn cors_preflight_and_headers() {
    let r = raw(server(), "OPTIONS /loki/api/v1/query_range HTTP/1.1\r\nHost: x\r\nOrigin: http://app.test\r\nAccess-Control-Request-Headers: authorization\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://app.test")
    );
    assert!(r
        .header("access-control-allow-headers")
        .unwrap()
        .contains("Authorization"));
}

#[test]
fn tokens_give_401_and_403() {
    let addr = start(Options {
        tokens: vec!["good".into()],
        forbidden_tokens: vec!["viewerless".into()],
        ..Options::default()
    });
    let p = [("query", r#"{app="kube-apiserver"}"#)];
    assert_eq!(get_on(&addr, "/loki/api/v1/labels", &p, "").status, 401);
    assert_eq!(
        get_on(
            &addr,
            "/loki/api/v1/labels",
            &p,
            "Authorization: Bearer viewerless\r\n"
        )
        .status,
        403
    );
    assert_eq!(
        get_on(
            &addr,
            "/loki/api/v1/labels",
            &p,
            "Authorization: Bearer good\r\n"
        )
        .status,
        200
    );
    let r = raw(
        &addr,
        "OPTIONS /loki/api/v1/labels HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 405, "without --cors, no preflight answers");
}

#[test]
fn injected_faults_fire_then_clear() {
    let addr = start(Options::default());
    let add = |body: &str| {
        raw(&addr, &format!("POST /__double/faults HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()))
    };
    assert_eq!(add(r#"{"path":"/loki/api/v1/labels","status":429,"retry_after":"7","body":"slow down","count":1}"#).status, 200);
    let r = get_on(&addr, "/loki/api/v1/labels", &[], "");
    assert_eq!(
        (r.status, r.header("retry-after"), r.body.as_str()),
        (429, Some("7"), "slow down")
    );
    assert_eq!(
        get_on(&addr, "/loki/api/v1/labels", &[], "").status,
        200,
        "count ran out"
    );
    add(r#"{"path":"/loki/api/v1/query_range","mode":"truncated_json"}"#);
    let r = get_on(
        &addr,
        "/loki/api/v1/query_range",
        &range_params(r#"{app="kubelet"}"#, &[]),
        "",
    );
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.body).is_err());
    add(r#"{"path":"/loki/api/v1/*","mode":"passthrough","warning":"partial data","count":0}"#);
    let v = get_on(
        &addr,
        "/loki/api/v1/query_range",
        &range_params(r#"{app="kubelet"}"#, &[("limit", "1")]),
        "",
    )
    .json();
    assert_eq!(v["warnings"], serde_json::json!(["partial data"]));
    let r = raw(
        &addr,
        "DELETE /__double/faults HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 200);
    assert!(get_on(
        &addr,
        "/loki/api/v1/query_range",
        &range_params(r#"{app="kubelet"}"#, &[("limit", "1")]),
        ""
    )
    .json()
    .get("warnings")
    .is_none());
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let mut stream = TcpStream::connect(server()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    for _ in 0..3 {
        stream
            .write_all(b"GET /ready HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut buf = [0u8; 256];
        let n = stream.read(&mut buf).unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).ends_with("ready\n"));
    }
}

#[test]
fn hostile_requests_never_kill_the_server() {
    let junk = [
        "\r\n\r\n",
        "GET\r\n\r\n",
        "GET /loki/api/v1/query_range?query=%ZZ%00&start=-99999999999999999999 HTTP/1.1\r\nConnection: close\r\n\r\n",
        "POST /loki/api/v1/series HTTP/1.1\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\n",
        "GET /loki/api/v1/label/%2F..%2F/values HTTP/1.1\r\nConnection: close\r\n\r\n",
        "GET /loki/api/v1/query_range?query=sum(&step=-1 HTTP/1.1\r\nConnection: close\r\n\r\n",
    ];
    for request in junk {
        let mut s = TcpStream::connect(server()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = s.write_all(request.as_bytes());
        let _ = s.shutdown(std::net::Shutdown::Write);
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    }
    assert_eq!(get("/ready", &[]).status, 200);
    assert_eq!(percent_decode("%41"), "A");
}
