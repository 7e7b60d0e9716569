//! Kubernetes audit events (`audit.k8s.io/v1` `Event` JSON, one per line) from each cluster's
//! kube-apiserver: kubelets, controllers, the scheduler, operators, CI and people, with a mix
//! of verbs, resources and response codes (including 403s, 404s, 409s and 429s).

use std::fmt::Write as _;

use sightline_fleet::{nodes, REGIONS};

use super::level::Level;
use super::words::{pick, uuid};
use super::{StreamSpec, Stub};
use crate::json::push_str;
use crate::timefmt::NS_PER_MS;

use super::fmt::push_rfc3339_micros;

/// Who sends requests, how often (weights sum to 100).
const ACTORS: [(u8, Actor); 9] = [
    (30, Actor::Kubelet),
    (20, Actor::Controller),
    (10, Actor::Scheduler),
    (8, Actor::Operator),
    (10, Actor::Person),
    (6, Actor::Deployer),
    (8, Actor::Researcher),
    (5, Actor::Anonymous),
    (3, Actor::Lookup),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Kubelet,
    Controller,
    Scheduler,
    Operator,
    Person,
    Deployer,
    Researcher,
    Anonymous,
    Lookup,
}

/// Audit lines carry `"level":"Metadata"`, which Loki's detection does not map: `unknown`.
pub fn plan(hash: u64) -> (u8, Level) {
    let mut roll = (hash % 100) as u8;
    for (i, (weight, _)) in ACTORS.iter().enumerate() {
        if roll < *weight {
            return (i as u8, Level::Unknown);
        }
        roll -= weight;
    }
    (0, Level::Unknown)
}

struct Request {
    user: String,
    groups: Vec<&'static str>,
    ip: String,
    agent: &'static str,
    verb: &'static str,
    resource: &'static str,
    subresource: Option<&'static str>,
    namespace: Option<&'static str>,
    name: Option<String>,
    code: u16,
}

const NAMESPACES: [&str; 5] = [
    "ml-training",
    "research",
    "inference",
    "batch-eval",
    "kube-system",
];

fn request(actor: Actor, cluster: &str, h: u64) -> Request {
    let cluster_nodes: Vec<&str> = nodes()
        .iter()
        .filter(|n| n.cluster == cluster)
        .map(|n| n.name.as_str())
        .collect();
    let node = pick(&cluster_nodes, h, 8);
    let ns = pick(&NAMESPACES[..4], h, 12);
    let base = |user: String, groups: Vec<&'static str>, agent: &'static str| Request {
        user,
        groups,
        ip: super::words::client_ip(h >> 3),
        agent,
        verb: "get",
        resource: "pods",
        subresource: None,
        namespace: Some(ns),
        name: None,
        code: 200,
    };
    match actor {
        Actor::Kubelet => {
            let (verb, resource, sub) = pick(
                &[
                    ("patch", "nodes", Some("status")),
                    ("update", "leases", None),
                    ("get", "pods", None),
                    ("watch", "pods", None),
                    ("get", "configmaps", None),
                ],
                h,
                16,
            );
            let mut r = base(
                format!("system:node:{node}"),
                vec!["system:nodes", "system:authenticated"],
                "kubelet/v1.30.4 (linux/amd64) kubernetes/a51b3b7",
            );
            let (lease_ns, name) = if resource == "leases" {
                (Some("kube-node-lease"), Some(node.to_string()))
            } else if resource == "nodes" {
                (None, Some(node.to_string()))
            } else {
                (r.namespace, None)
            };
            r.ip = format!(
                "10.{}.{}.{}",
                10 + (h % 2),
                1 + (h >> 5) % 2,
                11 + (h >> 7) % 4
            );
            r.verb = verb;
            r.resource = resource;
            r.subresource = sub;
            r.namespace = lease_ns;
            r.name = name;
            r
        }
        Actor::Controller => {
            let sa = pick(
                &[
                    "replicaset-controller",
                    "job-controller",
                    "endpointslice-controller",
                    "daemon-set-controller",
                ],
                h,
                16,
            );
            let mut r = base(format!("system:serviceaccount:kube-system:{sa}"), vec!["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"], "kube-controller-manager/v1.30.4 (linux/amd64) kubernetes/a51b3b7/system:serviceaccount:kube-system:generic");
            r.verb = pick(&["list", "watch", "update", "create"], h, 20);
            r.resource = pick(&["pods", "jobs", "endpointslices", "events"], h, 24);
            // Now and then a write fails in the apiserver itself (an etcd timeout, an
            // unavailable admission webhook), as real audit logs show.
            r.code = if r.verb != "list" && r.verb != "watch" && h.is_multiple_of(61) {
                if h.is_multiple_of(2) {
                    500
                } else {
                    503
                }
            } else if r.verb == "update" && h.is_multiple_of(17) {
                409
            } else if r.verb == "create" {
                201
            } else {
                200
            };
            r
        }
        Actor::Scheduler => {
            let mut r = base(
                "system:kube-scheduler".into(),
                vec!["system:authenticated"],
                "kube-scheduler/v1.30.4 (linux/amd64) kubernetes/a51b3b7/scheduler",
            );
            r.verb = pick(&["create", "watch", "list"], h, 16);
            r.subresource = (r.verb == "create").then_some("binding");
            r.code = if r.verb == "create" { 201 } else { 200 };
            r.name = (r.verb == "create").then(|| format!("eval-{:05x}", h >> 40));
            r
        }
        Actor::Operator => {
            let mut r = base(
                "system:serviceaccount:gpu-operator:gpu-operator".into(),
                vec![
                    "system:serviceaccounts",
                    "system:serviceaccounts:gpu-operator",
                    "system:authenticated",
                ],
                "gpu-operator/v24.6.1",
            );
            r.verb = pick(&["get", "list", "update"], h, 16);
            r.resource = pick(&["daemonsets", "clusterpolicies", "nodes"], h, 20);
            r.namespace = (r.resource != "nodes" && r.resource != "clusterpolicies")
                .then_some("gpu-operator");
            r
        }
        Actor::Person => {
            let mut r = base(
                pick(&["alice@example.com", "carol@example.com"], h, 16).into(),
                vec!["org:ml-platform", "system:authenticated"],
                "kubectl/v1.30.2 (linux/amd64) kubernetes/3930b2c",
            );
            let (verb, resource, sub) = pick(
                &[
                    ("get", "pods", Some("log")),
                    ("list", "pods", None),
                    ("create", "pods", Some("exec")),
                    ("get", "nodes", None),
                    ("delete", "pods", None),
                ],
                h,
                20,
            );
            r.verb = verb;
            r.resource = resource;
            r.subresource = sub;
            r.namespace = (resource != "nodes").then_some(ns);
            r.name = (verb != "list").then(|| {
                if resource == "nodes" {
                    node.to_string()
                } else {
                    format!("{ns}-worker-{}", h % 4)
                }
            });
            r.code = if verb == "get" && resource == "pods" && h.is_multiple_of(5) {
                404
            } else if verb == "create" {
                101
            } else {
                200
            };
            r.ip = format!("203.0.113.{}", 10 + h % 40);
            r
        }
        Actor::Deployer => {
            let mut r = base(
                "system:serviceaccount:ci:deployer".into(),
                vec![
                    "system:serviceaccounts",
                    "system:serviceaccounts:ci",
                    "system:authenticated",
                ],
                "argocd-application-controller/v2.12.3",
            );
            r.verb = pick(&["patch", "get", "patch", "create"], h, 16);
            r.resource = "deployments";
            r.namespace = Some("inference");
            r.name = Some(pick(&["chat-serving", "embeddings-api"], h, 20).into());
            r.code = if h.is_multiple_of(23) {
                422
            } else if r.verb == "create" {
                409
            } else {
                200
            };
            r
        }
        Actor::Researcher => {
            let mut r = base(
                "bob@example.com".into(),
                vec!["org:research", "system:authenticated"],
                "kubectl/v1.29.1 (darwin/arm64) kubernetes/bc401b9",
            );
            let (verb, resource, namespace) = pick(
                &[
                    ("get", "secrets", Some("kube-system")),
                    ("list", "pods", Some("research")),
                    ("delete", "pods", Some("ml-training")),
                    ("list", "nodes", None),
                ],
                h,
                16,
            );
            r.verb = verb;
            r.resource = resource;
            r.namespace = namespace;
            r.name = (verb != "list").then(|| format!("{resource}-{:04x}", h >> 48));
            r.code = match (verb, namespace) {
                ("list", Some("research")) => {
                    if h.is_multiple_of(13) {
                        429
                    } else {
                        200
                    }
                }
                ("list", None) => 200,
                _ => 403,
            };
            r.ip = format!("198.51.100.{}", 20 + h % 30);
            r
        }
        Actor::Anonymous => {
            let mut r = base(
                "system:anonymous".into(),
                vec!["system:unauthenticated"],
                "Go-http-client/1.1",
            );
            r.verb = "get";
            r.resource = "";
            r.namespace = None;
            r.code = if h.is_multiple_of(3) { 401 } else { 403 };
            r.ip = format!("192.0.2.{}", 1 + h % 200);
            r
        }
        Actor::Lookup => {
            let mut r = base(
                "system:serviceaccount:monitoring:prometheus".into(),
                vec!["system:serviceaccounts", "system:authenticated"],
                "Prometheus/2.53.1",
            );
            r.verb = "get";
            r.resource = "services";
            r.name = Some("dcgm-exporter".into());
            r.namespace = Some("gpu-operator");
            r.code = if h.is_multiple_of(2) { 404 } else { 200 };
            r
        }
    }
}

fn status_fields(code: u16) -> Option<(&'static str, &'static str)> {
    match code {
        401 => Some(("Unauthorized", "Unauthorized")),
        403 => Some(("Forbidden", "forbidden")),
        404 => Some(("NotFound", "not found")),
        409 => Some(("AlreadyExists", "already exists")),
        422 => Some(("Invalid", "is invalid")),
        500 => Some((
            "InternalError",
            "could not be written: an error on the server (\"etcdserver: request timed out\") has prevented the request from succeeding",
        )),
        503 => Some((
            "ServiceUnavailable",
            "could not be admitted: the server is currently unable to handle the request (admission webhook \"validate.kyverno.svc\" unavailable)",
        )),
        429 => Some((
            "TooManyRequests",
            "the server has received too many requests and has asked us to try again later",
        )),
        _ => None,
    }
}

fn request_uri(r: &Request) -> String {
    if r.resource.is_empty() {
        return "/api".to_string();
    }
    let group = match r.resource {
        "deployments" | "daemonsets" => "/apis/apps/v1",
        "jobs" => "/apis/batch/v1",
        "leases" => "/apis/coordination.k8s.io/v1",
        "endpointslices" => "/apis/discovery.k8s.io/v1",
        "clusterpolicies" => "/apis/nvidia.com/v1",
        _ => "/api/v1",
    };
    let mut uri = group.to_string();
    if let Some(ns) = r.namespace {
        let _ = write!(uri, "/namespaces/{ns}");
    }
    let _ = write!(uri, "/{}", r.resource);
    if let Some(name) = &r.name {
        let _ = write!(uri, "/{name}");
    }
    if let Some(sub) = r.subresource {
        let _ = write!(uri, "/{sub}");
    }
    match r.verb {
        "watch" => uri.push_str(
            "?allowWatchBookmarks=true&resourceVersion=48213374&timeout=7m33s&watch=true",
        ),
        "list" => uri.push_str("?limit=500"),
        _ => {}
    }
    uri
}

/// Renders one audit event as compact JSON.
pub fn render(cluster_index: usize, _spec: &StreamSpec, stub: &Stub, buf: &mut String) {
    let cluster = REGIONS
        .iter()
        .flat_map(|(_, cs)| cs.iter())
        .nth(cluster_index)
        .copied()
        .unwrap_or("east-prod");
    let actor = ACTORS
        .get(usize::from(stub.template))
        .map_or(Actor::Kubelet, |(_, a)| *a);
    let h = stub.hash;
    let r = request(actor, cluster, h.rotate_left(17));
    let received = stub.ts_ns - (2 + (h % 40) as i64) * NS_PER_MS;
    let stage = if r.verb == "watch" {
        "ResponseStarted"
    } else {
        "ResponseComplete"
    };
    let _ = write!(buf, "{{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"{}\",\"stage\":\"{stage}\",\"requestURI\":", uuid(h));
    push_str(buf, &request_uri(&r), false);
    let _ = write!(buf, ",\"verb\":\"{}\",\"user\":{{\"username\":", r.verb);
    push_str(buf, &r.user, false);
    buf.push_str(",\"groups\":[");
    for (i, g) in r.groups.iter().enumerate() {
        let _ = write!(buf, "{}\"{g}\"", if i > 0 { "," } else { "" });
    }
    let _ = write!(
        buf,
        "]}},\"sourceIPs\":[\"{}\"],\"userAgent\":\"{}\"",
        r.ip, r.agent
    );
    if !r.resource.is_empty() {
        let _ = write!(buf, ",\"objectRef\":{{\"resource\":\"{}\"", r.resource);
        if let Some(ns) = r.namespace {
            let _ = write!(buf, ",\"namespace\":\"{ns}\"");
        }
        if let Some(name) = &r.name {
            let _ = write!(buf, ",\"name\":\"{name}\"");
        }
        let _ = write!(buf, ",\"apiVersion\":\"v1\"");
        if let Some(sub) = r.subresource {
            let _ = write!(buf, ",\"subresource\":\"{sub}\"");
        }
        buf.push('}');
    }
    let _ = write!(
        buf,
        ",\"responseStatus\":{{\"metadata\":{{}},\"code\":{}",
        r.code
    );
    if let Some((reason, text)) = status_fields(r.code) {
        let what = if r.resource.is_empty() {
            "the server"
        } else {
            r.resource
        };
        let message = match r.code {
            403 => format!(
                "{what} is {text}: User \"{}\" cannot {} resource \"{what}\" in API group \"\"",
                r.user, r.verb
            ),
            _ => format!("{what} {text}"),
        };
        let _ = write!(buf, ",\"status\":\"Failure\",\"message\":");
        push_str(buf, &message, false);
        let _ = write!(buf, ",\"reason\":\"{reason}\"");
    }
    buf.push_str("},\"requestReceivedTimestamp\":\"");
    push_rfc3339_micros(buf, received);
    buf.push_str("\",\"stageTimestamp\":\"");
    push_rfc3339_micros(buf, stub.ts_ns);
    buf.push('"');
    let decision = if r.code == 403 { "forbid" } else { "allow" };
    let _ = write!(buf, ",\"annotations\":{{\"authorization.k8s.io/decision\":\"{decision}\",\"authorization.k8s.io/reason\":\"");
    if decision == "allow" {
        let _ = write!(
            buf,
            "RBAC: allowed by ClusterRoleBinding \\\"{}\\\"",
            if r.user.starts_with("system:node") {
                "system:node"
            } else {
                "cluster-readers"
            }
        );
    }
    buf.push_str("\"}}");
}
