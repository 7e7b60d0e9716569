//! The DCGM-exporter metrics the simulator produces, with the names, types and help texts of
//! dcgm-exporter's `default-counters.csv`, and how each value is printed.

/// A metric family the simulator produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    GpuUtil,
    MemCopyUtil,
    FbUsed,
    FbFree,
    PowerUsage,
    TotalEnergyConsumption,
    GpuTemp,
    MemoryTemp,
    SmClock,
    MemClock,
    XidErrors,
    PipeTensorActive,
    DramActive,
    PcieReplayCounter,
}

/// The Prometheus type of a family, as in the CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricType {
    Gauge,
    Counter,
}

impl MetricType {
    /// `gauge` or `counter`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gauge => "gauge",
            Self::Counter => "counter",
        }
    }
}

/// How a value is printed: DCGM reports most fields as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    Integer,
    /// At most this many decimals, trailing zeros trimmed.
    Decimals(u32),
}

impl Metric {
    /// Every family, in the order files and scrapes list them.
    pub const ALL: [Metric; 14] = [
        Self::GpuUtil,
        Self::MemCopyUtil,
        Self::FbUsed,
        Self::FbFree,
        Self::PowerUsage,
        Self::TotalEnergyConsumption,
        Self::GpuTemp,
        Self::MemoryTemp,
        Self::SmClock,
        Self::MemClock,
        Self::XidErrors,
        Self::PipeTensorActive,
        Self::DramActive,
        Self::PcieReplayCounter,
    ];

    /// The DCGM field name, which dcgm-exporter uses as the metric name.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.spec().0
    }

    /// The type from `default-counters.csv`.
    #[must_use]
    pub fn metric_type(self) -> MetricType {
        self.spec().1
    }

    /// The help text from `default-counters.csv`.
    #[must_use]
    pub fn help(self) -> &'static str {
        self.spec().2
    }

    /// How values are printed.
    #[must_use]
    pub fn format(self) -> ValueFormat {
        match self {
            Self::PowerUsage => ValueFormat::Decimals(3),
            Self::PipeTensorActive | Self::DramActive => ValueFormat::Decimals(6),
            _ => ValueFormat::Integer,
        }
    }

    /// Looks a family up by its DCGM name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Metric> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    fn spec(self) -> (&'static str, MetricType, &'static str) {
        use MetricType::{Counter, Gauge};
        match self {
            Self::GpuUtil => ("DCGM_FI_DEV_GPU_UTIL", Gauge, "GPU utilization (in %)."),
            Self::MemCopyUtil => (
                "DCGM_FI_DEV_MEM_COPY_UTIL",
                Gauge,
                "Memory utilization (in %).",
            ),
            Self::FbUsed => (
                "DCGM_FI_DEV_FB_USED",
                Gauge,
                "Framebuffer memory used (in MiB).",
            ),
            Self::FbFree => (
                "DCGM_FI_DEV_FB_FREE",
                Gauge,
                "Framebuffer memory free (in MiB).",
            ),
            Self::PowerUsage => ("DCGM_FI_DEV_POWER_USAGE", Gauge, "Power draw (in W)."),
            Self::TotalEnergyConsumption => (
                "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
                Counter,
                "Total energy consumption since boot (in mJ).",
            ),
            Self::GpuTemp => ("DCGM_FI_DEV_GPU_TEMP", Gauge, "GPU temperature (in C)."),
            Self::MemoryTemp => (
                "DCGM_FI_DEV_MEMORY_TEMP",
                Gauge,
                "Memory temperature (in C).",
            ),
            Self::SmClock => (
                "DCGM_FI_DEV_SM_CLOCK",
                Gauge,
                "SM clock frequency (in MHz).",
            ),
            Self::MemClock => (
                "DCGM_FI_DEV_MEM_CLOCK",
                Gauge,
                "Memory clock frequency (in MHz).",
            ),
            Self::XidErrors => (
                "DCGM_FI_DEV_XID_ERRORS",
                Gauge,
                "Value of the last XID error encountered.",
            ),
            Self::PipeTensorActive => (
                "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
                Gauge,
                "Ratio of cycles the tensor (HMMA) pipe is active.",
            ),
            Self::DramActive => (
                "DCGM_FI_PROF_DRAM_ACTIVE",
                Gauge,
                "Ratio of cycles the device memory interface is active sending or receiving data.",
            ),
            Self::PcieReplayCounter => (
                "DCGM_FI_DEV_PCIE_REPLAY_COUNTER",
                Counter,
                "Total number of PCIe retries.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CSV the names and help texts were copied from, when the shared folder is present.
    const CSV: &str = "../../../shared/data/dcgm/default-counters.csv";

    #[test]
    fn names_types_and_help_match_the_dcgm_csv() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CSV);
        let Ok(csv) = std::fs::read_to_string(&path) else {
            println!("note: {} not found, CSV comparison skipped", path.display());
            return;
        };
        for metric in Metric::ALL {
            let line = csv.lines().find(|l| {
                !l.starts_with('#') && l.split(',').next().map(str::trim) == Some(metric.name())
            });
            let Some(line) = line else {
                panic!("{} is not in the CSV", metric.name());
            };
            let fields: Vec<&str> = line.splitn(3, ',').map(str::trim).collect();
            assert_eq!(
                fields[1],
                metric.metric_type().as_str(),
                "{}",
                metric.name()
            );
            assert_eq!(fields[2], metric.help(), "{}", metric.name());
        }
    }

    #[test]
    fn names_are_unique_and_found_again() {
        for metric in Metric::ALL {
            assert_eq!(Metric::from_name(metric.name()), Some(metric));
        }
        assert_eq!(Metric::from_name("DCGM_FI_DEV_NOPE"), None);
    }
}
