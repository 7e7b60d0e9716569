//! Where dashboards come from: the built-in GPU dashboards shipped with the app (loaded through
//! the same parser as a user's file) and the user's library in this browser.

use sightline_core::model::dashboard::{load, Loaded};

use crate::storage::{self, LibraryEntry};

/// A built-in dashboard: its uid and file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    pub uid: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub text: &'static str,
}

/// The dashboards shipped with Sightline, in the order the home page lists them.
pub const BUILTINS: [Builtin; 5] = [
    Builtin {
        uid: "gpu-fleet",
        title: "GPU fleet overview",
        description:
            "Utilisation, memory, power, temperature hot-spots and XID errors across every cluster.",
        text: include_str!("../../dashboards/gpu-fleet.json"),
    },
    Builtin {
        uid: "gpu-node",
        title: "GPU node detail",
        description:
            "Every GPU of one node: utilisation, temperature, power, memory, clocks and errors.",
        text: include_str!("../../dashboards/gpu-node.json"),
    },
    Builtin {
        uid: "gpu-jobs",
        title: "GPU job view",
        description: "GPU use by Kubernetes namespace and pod, with the pods' logs.",
        text: include_str!("../../dashboards/gpu-jobs.json"),
    },
    Builtin {
        uid: "dcgm-exporter",
        title: "NVIDIA DCGM Exporter Dashboard",
        description:
            "NVIDIA's own Grafana dashboard for dcgm-exporter, opened as exported from Grafana.",
        text: include_str!("../../dashboards/dcgm-exporter.json"),
    },
    Builtin {
        uid: "k8s-audit",
        title: "Kubernetes audit",
        description: "kube-apiserver audit logs: requests by verb, user, resource and response code, with the events.",
        text: include_str!("../../dashboards/k8s-audit.json"),
    },
];

/// Where an open dashboard came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin(&'static str),
    Library(String),
}

/// A dashboard file found by uid, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub source: Source,
    pub loaded: Loaded,
}

/// The dashboard with `uid`: the library's copy first (a saved edit of a built-in wins), then the
/// built-ins.
#[must_use]
pub fn find(uid: &str) -> Option<Found> {
    if let Some(entry) = storage::library_get(uid) {
        return Some(Found {
            source: Source::Library(entry.id),
            loaded: load(&entry.text),
        });
    }
    BUILTINS.iter().find(|b| b.uid == uid).map(|b| Found {
        source: Source::Builtin(b.uid),
        loaded: load(b.text),
    })
}

/// The library's dashboards.
#[must_use]
pub fn library() -> Vec<LibraryEntry> {
    storage::library_list()
}
