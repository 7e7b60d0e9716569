//! Lines of the GPU jobs' pods: training steps, inference requests, evaluation batches, in
//! JSON, logfmt or plain text by workload, plus stderr warnings, NCCL chatter and tracebacks
//! (many more of them while the job's GPU is in an XID burst).

use std::fmt::Write as _;

use sightline_fleet::JobKind;

use super::catalogue::{LineFormat, Source, StreamSpec};
use super::fmt::{push_date_time, push_fixed, push_padded, push_rfc3339_nanos, push_u64};
use super::level::Level;
use super::words::{client_ip, frac, pick, range, HTTP_ERRORS};
use super::Stub;
use crate::timefmt::{Civil, NS_PER_SEC};

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

/// A field value, formatted without allocating where possible.
enum Val {
    Int(u64),
    Fixed(f64, u32),
    Str(&'static str),
    Text(String),
}

/// A message and key/value fields.
struct Fields {
    msg: &'static str,
    kv: Vec<(&'static str, Val)>,
}

fn push_val(buf: &mut String, v: &Val, quote: bool) {
    let q = |buf: &mut String| {
        if quote {
            buf.push('"');
        }
    };
    match v {
        Val::Int(n) => push_u64(buf, *n),
        Val::Fixed(f, d) => push_fixed(buf, *f, *d),
        Val::Str(s) => {
            q(buf);
            buf.push_str(s);
            q(buf);
        }
        Val::Text(s) => {
            q(buf);
            buf.push_str(s);
            q(buf);
        }
    }
}

fn fields_for(kind: JobKind, level: Level, workload: &str, stub: &Stub, started_ns: i64) -> Fields {
    let h = stub.hash;
    let step = ((stub.ts_ns - started_ns).max(0) / (NS_PER_SEC * 27 / 10)) as u64;
    match (kind, level) {
        (JobKind::Training, Level::Info) => {
            let loss = 2.6 * (-(step as f64) / 40_000.0).exp() + 0.9 + 0.05 * frac(h, 3);
            Fields {
                msg: "train step",
                kv: vec![
                    ("step", Val::Int(step)),
                    ("loss", Val::Fixed(loss, 4)),
                    (
                        "lr",
                        Val::Fixed(3e-4 * (1.0 - (step % 100_000) as f64 / 120_000.0), 6),
                    ),
                    ("grad_norm", Val::Fixed(0.4 + frac(h, 9), 3)),
                    ("tokens_per_sec", Val::Int(range(h, 17, 38_000, 52_000))),
                    ("mfu", Val::Fixed(0.42 + 0.12 * frac(h, 23), 3)),
                    ("gpu_mem_gb", Val::Fixed(60.0 + 15.0 * frac(h, 29), 1)),
                ],
            }
        }
        (JobKind::Inference, Level::Info) => Fields {
            msg: "request completed",
            kv: vec![
                ("method", Val::Str("POST")),
                (
                    "path",
                    Val::Str(if workload == "embeddings-api" {
                        "/v2/models/e5-large-v2/infer"
                    } else {
                        "/v1/chat/completions"
                    }),
                ),
                ("status", Val::Int(200)),
                (
                    "duration_ms",
                    Val::Fixed(8.0 + 400.0 * frac(h, 5).powi(3), 1),
                ),
                ("prompt_tokens", Val::Int(range(h, 11, 12, 3000))),
                ("completion_tokens", Val::Int(range(h, 19, 1, 800))),
                ("client", Val::Text(client_ip(h))),
                ("request_id", Val::Text(format!("{:016x}", h ^ 0x5eed_cafe))),
            ],
        },
        (JobKind::Evaluation, Level::Info) => Fields {
            msg: "eval batch done",
            kv: vec![
                (
                    "task",
                    Val::Str(if workload == "mmlu-eval" {
                        "mmlu"
                    } else {
                        "redteam"
                    }),
                ),
                (
                    "subject",
                    Val::Str(pick(
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
                ("batch", Val::Int(range(h, 13, 1, 900))),
                ("accuracy", Val::Fixed(0.55 + 0.3 * frac(h, 17), 3)),
                ("samples", Val::Int(64)),
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
            ),
            kv: vec![
                ("queue_depth", Val::Int(range(h, 9, 0, 16))),
                ("wait_ms", Val::Int(range(h, 15, 0, 40))),
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
            ),
            kv: vec![
                ("duration_ms", Val::Int(range(h, 9, 300, 2500))),
                ("attempt", Val::Int(range(h, 21, 1, 4))),
            ],
        },
        (_, _) => match stub.xid {
            Some(xid) => Fields {
                msg: "CUDA error: unspecified launch failure",
                kv: vec![
                    ("xid", Val::Int(u64::from(xid))),
                    ("device", Val::Int(1)),
                    ("action", Val::Str("restarting worker")),
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
                    ),
                    kv: vec![
                        ("status", Val::Int(u64::from(code))),
                        ("reason", Val::Str(text)),
                        ("attempt", Val::Int(range(h, 21, 1, 4))),
                    ],
                }
            }
        },
    }
}

fn write_logfmt(buf: &mut String, stub: &Stub, level: Level, f: &Fields) {
    buf.push_str("ts=");
    push_rfc3339_nanos(buf, stub.ts_ns);
    buf.push_str(" level=");
    buf.push_str(level.as_str());
    buf.push_str(" msg=\"");
    buf.push_str(f.msg);
    buf.push('"');
    for (k, v) in &f.kv {
        buf.push(' ');
        buf.push_str(k);
        buf.push('=');
        push_val(buf, v, true);
    }
}

fn write_json(buf: &mut String, stub: &Stub, level: Level, workload: &str, f: &Fields) {
    buf.push_str("{\"ts\":\"");
    push_rfc3339_nanos(buf, stub.ts_ns);
    let _ = write!(
        buf,
        "\",\"level\":\"{}\",\"logger\":\"{workload}\",\"msg\":\"{}\"",
        level.as_str(),
        f.msg
    );
    let nested = |k: &str| {
        matches!(
            k,
            "mfu" | "tokens_per_sec" | "gpu_mem_gb" | "prompt_tokens" | "completion_tokens"
        )
    };
    for (k, v) in f.kv.iter().filter(|(k, _)| !nested(k)) {
        let _ = write!(buf, ",\"{k}\":");
        push_val(buf, v, true);
    }
    let mut first = true;
    for (k, v) in f.kv.iter().filter(|(k, _)| nested(k)) {
        buf.push_str(if first { ",\"metrics\":{" } else { "," });
        first = false;
        let _ = write!(buf, "\"{k}\":");
        push_val(buf, v, true);
    }
    if !first {
        buf.push('}');
    }
    buf.push('}');
}

fn write_plain(buf: &mut String, stub: &Stub, level: Level, kind: JobKind, f: &Fields) {
    let c = Civil::from_unix_ns(stub.ts_ns);
    let tag = match level {
        Level::Debug => "DEBUG",
        Level::Info => "INFO",
        Level::Warn => "WARNING",
        _ => "ERROR",
    };
    let get = |k: &str| f.kv.iter().find(|(n, _)| *n == k).map(|(_, v)| v);
    if kind == JobKind::Inference {
        let _ = write!(
            buf,
            "{tag} {:02}-{:02} {:02}:{:02}:{:02} ",
            c.month, c.day, c.hour, c.minute, c.second
        );
        if level == Level::Info {
            buf.push_str("[api_server.py:1012] ");
            if let Some(client) = get("client") {
                push_val(buf, client, false);
            }
            let _ = write!(buf, ":{} - \"POST ", 40_000 + stub.hash % 20_000);
            if let Some(path) = get("path") {
                push_val(buf, path, false);
            }
            buf.push_str(" HTTP/1.1\" 200 OK");
            return;
        }
        let _ = write!(buf, "[engine.py:{}] {} (", 100 + stub.hash % 900, f.msg);
        for (i, (k, v)) in f.kv.iter().enumerate() {
            buf.push_str(if i > 0 { ", " } else { "" });
            buf.push_str(k);
            buf.push(' ');
            push_val(buf, v, false);
        }
        buf.push(')');
        return;
    }
    push_date_time(buf, &c, ' ');
    buf.push(',');
    push_padded(buf, u64::from(c.nanos / 1_000_000), 3);
    let _ = write!(
        buf,
        " {tag} trainer.py:{} - {}",
        100 + stub.hash % 400,
        f.msg
    );
    for (k, v) in &f.kv {
        buf.push_str(" | ");
        buf.push_str(k);
        buf.push(' ');
        push_val(buf, v, false);
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
