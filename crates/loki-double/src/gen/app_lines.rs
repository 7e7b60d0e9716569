//! Lines of the GPU jobs' pods: training steps, inference requests, evaluation batches, in
//! JSON, logfmt or plain text by workload, plus stderr warnings, NCCL chatter and tracebacks
//! (many more of them while the job's GPU is in an XID burst).

use std::fmt::Write as _;

use sightline_fleet::JobKind;

use super::catalogue::{LineFormat, Source, StreamSpec};
use super::level::Level;
use super::words::{client_ip, frac, hex_id, pick, range, HTTP_ERRORS};
use super::Stub;
use crate::timefmt::{format_rfc3339_nanos, Civil, NS_PER_SEC};

// Stderr templates.
const STDERR_WARNING: u8 = 0;
const STDERR_NCCL: u8 = 1;
const STDERR_TRACEBACK: u8 = 2;
const STDERR_WATCHDOG: u8 = 3;

/// Chooses the template and the level Loki would detect for it.
pub fn plan(
    level: Option<Level>,
    _format: LineFormat,
    _kind: JobKind,
    hash: u64,
    xid: Option<u32>,
) -> (u8, Level) {
    if let Some(level) = level {
        return ((hash >> 40) as u8 % 4, level);
    }
    let roll = hash % 100;
    if xid.is_some() {
        return if roll < 50 {
            (STDERR_TRACEBACK, Level::Error)
        } else {
            (STDERR_WATCHDOG, Level::Unknown)
        };
    }
    match roll {
        0..45 => (STDERR_WARNING, Level::Unknown),
        45..75 => (STDERR_NCCL, Level::Info),
        _ => (STDERR_TRACEBACK, Level::Error),
    }
}

/// Renders an application line.
pub fn render(spec: &StreamSpec, stub: &Stub, buf: &mut String) {
    let Source::App {
        workload,
        kind,
        format,
        level,
        started_ns,
        ..
    } = &spec.source
    else {
        return;
    };
    let Some(level) = level else {
        render_stderr(spec, stub, buf);
        return;
    };
    let fields = fields_for(*kind, *level, workload, stub, *started_ns);
    match format {
        LineFormat::Logfmt => write_logfmt(buf, stub, *level, &fields),
        LineFormat::Json => write_json(buf, stub, *level, workload, &fields),
        LineFormat::Plain => write_plain(buf, stub, *level, *kind, &fields),
    }
}

/// A message and key/value fields; values starting with `"` are strings.
struct Fields {
    msg: String,
    kv: Vec<(&'static str, String)>,
}

fn fields_for(kind: JobKind, level: Level, workload: &str, stub: &Stub, started_ns: i64) -> Fields {
    let h = stub.hash;
    let step = (stub.ts_ns - started_ns).max(0) / (NS_PER_SEC * 27 / 10);
    let s = |v: &str| format!("\"{v}\"");
    match (kind, level) {
        (JobKind::Training, Level::Info) => {
            let loss = 2.6 * (-(step as f64) / 40_000.0).exp() + 0.9 + 0.05 * frac(h, 3);
            Fields {
                msg: "train step".into(),
                kv: vec![
                    ("step", step.to_string()),
                    ("loss", format!("{loss:.4}")),
                    (
                        "lr",
                        format!("{:.2e}", 3e-4 * (1.0 - (step % 100_000) as f64 / 120_000.0)),
                    ),
                    ("grad_norm", format!("{:.3}", 0.4 + frac(h, 9))),
                    ("tokens_per_sec", range(h, 17, 38_000, 52_000).to_string()),
                    ("mfu", format!("{:.3}", 0.42 + 0.12 * frac(h, 23))),
                    ("gpu_mem_gb", format!("{:.1}", 60.0 + 15.0 * frac(h, 29))),
                ],
            }
        }
        (JobKind::Inference, Level::Info) => {
            let status = 200;
            Fields {
                msg: "request completed".into(),
                kv: vec![
                    ("method", s("POST")),
                    (
                        "path",
                        s(if workload == "embeddings-api" {
                            "/v2/models/e5-large-v2/infer"
                        } else {
                            "/v1/chat/completions"
                        }),
                    ),
                    ("status", status.to_string()),
                    (
                        "duration_ms",
                        format!("{:.1}", 8.0 + 400.0 * frac(h, 5).powi(3)),
                    ),
                    ("prompt_tokens", range(h, 11, 12, 3000).to_string()),
                    ("completion_tokens", range(h, 19, 1, 800).to_string()),
                    ("client", s(&client_ip(h))),
                    ("request_id", s(&hex_id(h)[..16])),
                ],
            }
        }
        (JobKind::Evaluation, Level::Info) => Fields {
            msg: "eval batch done".into(),
            kv: vec![
                (
                    "task",
                    s(if workload == "mmlu-eval" {
                        "mmlu"
                    } else {
                        "redteam"
                    }),
                ),
                (
                    "subject",
                    s(pick(
                        &[
                            "college_physics",
                            "jailbreak",
                            "world_history",
                            "prompt_injection",
                            "biology",
                        ],
                        h,
                        7,
                    )),
                ),
                ("batch", range(h, 13, 1, 900).to_string()),
                ("accuracy", format!("{:.3}", 0.55 + 0.3 * frac(h, 17))),
                ("samples", "64".into()),
            ],
        },
        (_, Level::Debug) => Fields {
            msg: pick(
                &[
                    "dataloader batch ready",
                    "kv cache block allocated",
                    "prefetch queue drained",
                    "heartbeat sent",
                ],
                h,
                5,
            )
            .into(),
            kv: vec![
                ("queue_depth", range(h, 9, 0, 16).to_string()),
                ("wait_ms", range(h, 15, 0, 40).to_string()),
            ],
        },
        (_, Level::Warn) => Fields {
            msg: pick(
                &[
                    "slow collective",
                    "gradient overflow, skipping step",
                    "request queue above high watermark",
                    "retrying shard download",
                ],
                h,
                5,
            )
            .into(),
            kv: vec![
                ("duration_ms", range(h, 9, 300, 2500).to_string()),
                ("attempt", range(h, 21, 1, 4).to_string()),
            ],
        },
        (_, _) => match stub.xid {
            Some(xid) => Fields {
                msg: "CUDA error: unspecified launch failure".into(),
                kv: vec![
                    ("xid", xid.to_string()),
                    ("device", "1".into()),
                    ("action", s("restarting worker")),
                ],
            },
            None => {
                let (code, text) = pick(&HTTP_ERRORS, h, 5);
                Fields {
                    msg: pick(
                        &[
                            "checkpoint upload failed",
                            "upstream request failed",
                            "batch failed validation",
                        ],
                        h,
                        11,
                    )
                    .into(),
                    kv: vec![
                        ("status", code.to_string()),
                        ("reason", s(text)),
                        ("attempt", range(h, 21, 1, 4).to_string()),
                    ],
                }
            }
        },
    }
}

fn write_logfmt(buf: &mut String, stub: &Stub, level: Level, f: &Fields) {
    let _ = write!(
        buf,
        "ts={} level={} msg=\"{}\"",
        format_rfc3339_nanos(stub.ts_ns),
        level.as_str(),
        f.msg
    );
    for (k, v) in &f.kv {
        let _ = write!(buf, " {k}={v}");
    }
}

fn write_json(buf: &mut String, stub: &Stub, level: Level, workload: &str, f: &Fields) {
    let _ = write!(
        buf,
        "{{\"ts\":\"{}\",\"level\":\"{}\",\"logger\":\"{workload}\",\"msg\":\"{}\"",
        format_rfc3339_nanos(stub.ts_ns),
        level.as_str(),
        f.msg
    );
    let (nested, flat): (Vec<_>, Vec<_>) = f.kv.iter().partition(|(k, _)| {
        matches!(
            *k,
            "mfu" | "tokens_per_sec" | "gpu_mem_gb" | "prompt_tokens" | "completion_tokens"
        )
    });
    for (k, v) in flat {
        let _ = write!(buf, ",\"{k}\":{}", json_value(v));
    }
    if !nested.is_empty() {
        buf.push_str(",\"metrics\":{");
        for (i, (k, v)) in nested.iter().enumerate() {
            let _ = write!(
                buf,
                "{}\"{k}\":{}",
                if i > 0 { "," } else { "" },
                json_value(v)
            );
        }
        buf.push('}');
    }
    buf.push('}');
}

fn json_value(v: &str) -> String {
    if v.starts_with('"') || v.parse::<f64>().is_ok() {
        v.to_string()
    } else {
        format!("\"{v}\"")
    }
}

fn write_plain(buf: &mut String, stub: &Stub, level: Level, kind: JobKind, f: &Fields) {
    let c = Civil::from_unix_ns(stub.ts_ns);
    let tag = match level {
        Level::Debug => "DEBUG",
        Level::Info => "INFO",
        Level::Warn => "WARNING",
        _ => "ERROR",
    };
    let body: Vec<String> =
        f.kv.iter()
            .map(|(k, v)| format!("{k} {}", v.trim_matches('"')))
            .collect();
    if kind == JobKind::Inference && level == Level::Info {
        let get = |k: &str| {
            f.kv.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.trim_matches('"').to_string())
                .unwrap_or_default()
        };
        let _ = write!(
            buf,
            "{tag} {:02}-{:02} {:02}:{:02}:{:02} [api_server.py:1012] {}:{} - \"POST {} HTTP/1.1\" 200 OK",
            c.month, c.day, c.hour, c.minute, c.second, get("client"), 40_000 + stub.hash % 20_000, get("path")
        );
    } else if kind == JobKind::Inference {
        let _ = write!(
            buf,
            "{tag} {:02}-{:02} {:02}:{:02}:{:02} [engine.py:{}] {} ({})",
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second,
            100 + stub.hash % 900,
            f.msg,
            body.join(", ")
        );
    } else {
        let _ = write!(
            buf,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03} {tag} trainer.py:{} - {} | {}",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second,
            c.nanos / 1_000_000,
            100 + stub.hash % 400,
            f.msg,
            body.join(" | ")
        );
    }
}

fn render_stderr(spec: &StreamSpec, stub: &Stub, buf: &mut String) {
    let node = spec.labels.get("node").unwrap_or_default();
    let rank = stub.hash % 8;
    match stub.template {
        STDERR_WARNING => {
            let _ = write!(buf, "/opt/conda/lib/python3.11/site-packages/torch/utils/data/dataloader.py:557: UserWarning: This DataLoader will create {} worker processes in total. Our suggested max number of worker in current system is 12, which is smaller than what this DataLoader is going to create.", 12 + stub.hash % 8);
        }
        STDERR_NCCL => {
            let _ = write!(buf, "{node}:{}:{} [{rank}] NCCL INFO Channel {:02}/32 : {rank}[{rank}] -> {}[{}] via P2P/IPC", 1000 + stub.hash % 9000, 1100 + stub.hash % 9000, stub.hash % 32, (rank + 1) % 8, (rank + 1) % 8);
        }
        STDERR_WATCHDOG => {
            let _ = write!(buf, "[rank{rank}]:[E{:02} ProcessGroupNCCL.cpp:616] [Rank {rank}] Watchdog caught collective operation timeout: WorkNCCL(SeqNum={}, OpType=ALLREDUCE, NumelIn=1048576, NumelOut=1048576, Timeout(ms)=600000) ran for 600{:03} milliseconds before timing out.", stub.hash % 24, stub.hash % 100_000, stub.hash % 1000);
        }
        _ => {
            let cause = match stub.xid {
                Some(_) => "CUDA error: unspecified launch failure",
                None => pick(
                    &[
                        "CUDA error: out of memory",
                        "CUDA error: an illegal memory access was encountered",
                    ],
                    stub.hash,
                    9,
                ),
            };
            let _ = write!(buf, "Traceback (most recent call last):\n  File \"/workspace/train.py\", line 212, in <module>\n    main()\n  File \"/workspace/train.py\", line 187, in main\n    loss.backward()\nRuntimeError: {cause}\nCompile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.");
        }
    }
}
