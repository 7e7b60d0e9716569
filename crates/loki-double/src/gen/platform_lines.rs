//! Lines of the node agents: kubelet and device-plugin klog lines, dcgm-exporter logfmt,
//! node-problem-detector and kernel messages — with NVRM XID lines during the fleet's bursts.

use std::fmt::Write as _;

use super::catalogue::{Component, StreamSpec};
use super::level::Level;
use super::words::{pick, range};
use super::Stub;
use crate::timefmt::{format_rfc3339_secs, Civil};

const XID_TEMPLATE: u8 = 200;

/// Chooses the template and the level Loki would detect for it.
pub fn plan(component: Component, hash: u64, xid: Option<u32>) -> (u8, Level) {
    let roll = hash % 100;
    let xid_line = match component {
        Component::NodeProblemDetector => roll < 95,
        Component::Kernel => roll < 97,
        Component::DevicePlugin => roll < 90,
        _ => false,
    };
    if let (true, Some(code)) = (xid_line, xid) {
        let level = match (component, code) {
            (Component::Kernel | Component::NodeProblemDetector, 48) => Level::Error,
            _ => Level::Unknown,
        };
        return (XID_TEMPLATE, level);
    }
    match component {
        Component::Kubelet => match roll {
            0..40 => (0, Level::Unknown),
            40..80 => (1, Level::Unknown),
            80..93 => (2, Level::Unknown),
            93..97 => (3, Level::Unknown),
            _ => (4, Level::Error),
        },
        Component::DcgmExporter => {
            if roll < 85 {
                (0, Level::Info)
            } else {
                (1, Level::Warn)
            }
        }
        Component::DevicePlugin | Component::NodeProblemDetector | Component::Kernel => {
            ((roll % 3) as u8, Level::Unknown)
        }
    }
}

fn klog_prefix(buf: &mut String, severity: char, stub: &Stub, source: &str) {
    let c = Civil::from_unix_ns(stub.ts_ns);
    let _ = write!(
        buf,
        "{severity}{:02}{:02} {:02}:{:02}:{:02}.{:06} {:>7} {source}] ",
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.nanos / 1000,
        2000 + stub.hash % 3000
    );
}

fn pci_of_flaky(spec: &StreamSpec, stub: &Stub) -> String {
    let gpu = spec.gpus.iter().find(|g| {
        stub.xid.is_some() && sightline_fleet::xid_error(g, stub.ts_ns / 1_000_000).is_some()
    });
    let bus = gpu.map_or("00000000:2A:00.0", |g| g.pci_bus_id.as_str());
    bus.get(4..14).unwrap_or("0000:2a:00").to_ascii_lowercase()
}

/// Renders a platform line.
pub fn render(component: Component, spec: &StreamSpec, stub: &Stub, buf: &mut String) {
    let node = spec.labels.get("node").unwrap_or_default();
    let h = stub.hash;
    let uptime = (stub.ts_ns / 1000 % 9_000_000_000_000) as f64 / 1e6;
    if stub.template == XID_TEMPLATE {
        let code = stub.xid.unwrap_or(79);
        let pci = pci_of_flaky(spec, stub);
        let text = if code == 79 {
            "GPU has fallen off the bus.".to_string()
        } else {
            format!("An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at partition {}, subpartition {}.", h % 4, h % 2)
        };
        match component {
            Component::Kernel => {
                let _ = write!(
                    buf,
                    "[{uptime:>13.6}] NVRM: Xid (PCI:{pci}): {code}, pid={}, name=python, {text}",
                    10_000 + h % 50_000
                );
            }
            Component::DevicePlugin => {
                klog_prefix(buf, 'E', stub, "health.go:161");
                let _ = write!(buf, "XidCriticalError: Xid={code} on Device=PCI:{pci}; marking device as unhealthy.");
            }
            _ => {
                klog_prefix(buf, 'I', stub, "log_monitor.go:159");
                let _ = write!(buf, "Event generated: kernel-monitor, Reason: NVIDIAXid{code}, Message: NVRM: Xid (PCI:{pci}): {code}, {text}");
            }
        }
        return;
    }
    match (component, stub.template) {
        (Component::Kubelet, 0) => {
            klog_prefix(buf, 'I', stub, "prober.go:107");
            let _ = write!(buf, "\"Probe succeeded\" probeType=\"Readiness\" pod=\"gpu-operator/nvidia-dcgm-exporter\" containerName=\"nvidia-dcgm-exporter\"");
        }
        (Component::Kubelet, 1) => {
            klog_prefix(buf, 'I', stub, "kubelet.go:2455");
            let _ = write!(buf, "\"SyncLoop (PLEG): event for pod\" pod=\"{}\" event={{\"ID\":\"{:08x}\",\"Type\":\"ContainerStarted\"}}", pick(&["kube-system/node-problem-detector", "gpu-operator/nvidia-device-plugin-daemonset"], h, 3), h >> 32);
        }
        (Component::Kubelet, 2) => {
            klog_prefix(buf, 'I', stub, "kubelet_node_status.go:730");
            let _ = write!(buf, "\"Recording event message for node\" node=\"{node}\" event=\"NodeHasSufficientMemory\"");
        }
        (Component::Kubelet, 3) => {
            klog_prefix(buf, 'W', stub, "reflector.go:535");
            let _ = write!(buf, "object-\"kube-system\"/\"kube-root-ca.crt\": failed to list *v1.ConfigMap: the server is currently unable to handle the request");
        }
        (Component::Kubelet, _) => {
            klog_prefix(buf, 'E', stub, "pod_workers.go:1300");
            let _ = write!(buf, "\"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" with CrashLoopBackOff: back-off {}s restarting failed container\" pod=\"batch-eval/safety-redteam\"", 10 * (1 + h % 30));
        }
        (Component::DcgmExporter, 0) => {
            let _ = write!(
                buf,
                "time=\"{}\" level=info msg=\"Collecting DCGM metrics\" gpus=8 counters={}",
                format_rfc3339_secs(stub.ts_ns),
                range(h, 7, 38, 42)
            );
        }
        (Component::DcgmExporter, _) => {
            let _ = write!(buf, "time=\"{}\" level=warning msg=\"Skipping line in counters file: field DCGM_FI_PROF_PIPE_FP64_ACTIVE not supported\"", format_rfc3339_secs(stub.ts_ns));
        }
        (Component::DevicePlugin, t) => {
            klog_prefix(buf, 'I', stub, "server.go:165");
            let _ = match t {
                0 => write!(buf, "Starting GRPC server for 'nvidia.com/gpu'"),
                1 => write!(
                    buf,
                    "Registered device plugin for 'nvidia.com/gpu' with Kubelet"
                ),
                _ => write!(
                    buf,
                    "Allocate request for {} devices on node {node}",
                    1 + h % 8
                ),
            };
        }
        (Component::NodeProblemDetector, t) => {
            klog_prefix(buf, 'I', stub, "log_monitor.go:160");
            let _ = match t {
                0 => write!(buf, "New status generated: &{{Source:kernel-monitor Events:[] Conditions:[{{Type:KernelDeadlock Status:False}}]}}"),
                1 => write!(buf, "Start watching journald"),
                _ => write!(buf, "New status generated: &{{Source:custom-plugin-monitor Events:[] Conditions:[{{Type:GPUHealthy Status:True}}]}}"),
            };
        }
        (Component::Kernel, t) => {
            let _ = match t {
                0 => write!(buf, "[{uptime:>13.6}] IPv6: ADDRCONF(NETDEV_CHANGE): ib{}: link becomes ready", h % 8),
                1 => write!(buf, "[{uptime:>13.6}] nvidia-peermem nv_mem_get_pages: pages pinned for {} bytes", 4096 * (1 + h % 512)),
                _ => write!(buf, "[{uptime:>13.6}] mlx5_core 0000:{:02x}:00.0: mlx5_fw_tracer_handle_traces:738: FW tracer event", 0x10 + h % 0x60),
            };
        }
    }
}
