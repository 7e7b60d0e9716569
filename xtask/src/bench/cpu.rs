//! CPU time the machine's processes used, by role (browser, Prometheus, gateway), read from
//! `/proc`: a page load's share of two shared cores, for the dashboard figures' notes.

use std::collections::BTreeMap;
use std::fs;

/// Whose process it is, from its command name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Browser,
    Prometheus,
    Gateway,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Browser, Self::Prometheus, Self::Gateway];

    pub fn label(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::Prometheus => "Prometheus",
            Self::Gateway => "nginx",
        }
    }

    /// The role of a process named `comm` (`/proc/<pid>/comm`), if it is one measured.
    fn of(comm: &str) -> Option<Self> {
        let comm = comm.trim();
        if comm == "chromedriver" {
            None
        } else if comm.starts_with("chrom") || comm.starts_with("headless") {
            Some(Self::Browser)
        } else if comm == "prometheus" {
            Some(Self::Prometheus)
        } else if comm == "nginx" {
            Some(Self::Gateway)
        } else {
            None
        }
    }
}

/// Nanoseconds on a CPU so far, per role, summed over the live threads of each process.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpuTime(BTreeMap<Role, u64>);

impl CpuTime {
    /// Reads every process's threads' `schedstat` (first field: ns on a CPU). Processes and
    /// threads that end between two readings take their time with them; a reading that cannot
    /// be made counts as nothing.
    #[must_use]
    pub fn now() -> Self {
        let mut total = BTreeMap::new();
        let Ok(processes) = fs::read_dir("/proc") else {
            return Self(total);
        };
        for process in processes.flatten() {
            let path = process.path();
            let Some(role) = fs::read_to_string(path.join("comm"))
                .ok()
                .and_then(|comm| Role::of(&comm))
            else {
                continue;
            };
            let Ok(threads) = fs::read_dir(path.join("task")) else {
                continue;
            };
            let ns: u64 = threads
                .flatten()
                .filter_map(|t| fs::read_to_string(t.path().join("schedstat")).ok())
                .filter_map(|text| run_ns(&text))
                .sum();
            *total.entry(role).or_insert(0) += ns;
        }
        Self(total)
    }

    /// Milliseconds each role used between `self` (earlier) and `later`.
    #[must_use]
    pub fn used_until(&self, later: &Self) -> BTreeMap<Role, f64> {
        Role::ALL
            .iter()
            .map(|role| {
                let before = self.0.get(role).copied().unwrap_or(0);
                let after = later.0.get(role).copied().unwrap_or(0);
                // Precision loss is irrelevant at these magnitudes (ns → ms).
                #[allow(clippy::cast_precision_loss)]
                let ms = after.saturating_sub(before) as f64 / 1e6;
                (*role, ms)
            })
            .collect()
    }
}

/// The first field of a `schedstat` line: time spent on a CPU, in ns.
fn run_ns(schedstat: &str) -> Option<u64> {
    schedstat.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_come_from_command_names() {
        assert_eq!(Role::of("chromium\n"), Some(Role::Browser));
        assert_eq!(Role::of("chrome"), Some(Role::Browser));
        assert_eq!(Role::of("headless_shell"), Some(Role::Browser));
        assert_eq!(Role::of("chromedriver"), None);
        assert_eq!(Role::of("prometheus"), Some(Role::Prometheus));
        assert_eq!(Role::of("nginx"), Some(Role::Gateway));
        assert_eq!(Role::of("bash"), None);
    }

    #[test]
    fn schedstat_gives_ns_on_cpu() {
        assert_eq!(run_ns("123456789 2000 17\n"), Some(123_456_789));
        assert_eq!(run_ns(""), None);
        assert_eq!(run_ns("x 1 2"), None);
    }

    #[test]
    fn use_is_the_difference_per_role_and_never_negative() {
        let before = CpuTime(BTreeMap::from([
            (Role::Browser, 1_000_000),
            (Role::Prometheus, 5_000_000),
        ]));
        let after = CpuTime(BTreeMap::from([
            (Role::Browser, 3_500_000),
            (Role::Prometheus, 4_000_000),
            (Role::Gateway, 2_000_000),
        ]));
        let used = before.used_until(&after);
        assert!((used[&Role::Browser] - 2.5).abs() < 1e-9);
        assert!(used[&Role::Prometheus].abs() < 1e-9);
        assert!((used[&Role::Gateway] - 2.0).abs() < 1e-9);
    }
}
