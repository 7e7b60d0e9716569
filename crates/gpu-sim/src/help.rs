//! The text of `gpu-sim --help`: commands, options, defaults and what the metrics look like.

/// The `--help` text.
pub const HELP: &str = "\
gpu-sim: simulated DCGM-exporter GPU metrics for Sightline's demo stack (128 GPUs:
2 regions x 2 clusters x 4 nodes x 8 GPUs). Every value is a pure function of time, so history
files and live scrapes agree to the sample.

USAGE:
  gpu-sim history  RANGE [--step DUR] (--out FILE | --out-dir DIR [--chunk DUR])
  gpu-sim backfill RANGE [--step DUR] --tsdb DIR [--chunk DUR] [--jobs N] [--scratch DIR]
                   [--promtool PATH] [--keep-text]
  gpu-sim exporter [--listen ADDR]
  gpu-sim snapshot [--at TIME]
  gpu-sim help | --help | -h        gpu-sim --version

COMMANDS:
  history   Write OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
            --out FILE (or - for stdout) writes one file; --out-dir DIR writes one file per
            chunk (cut at multiples of --chunk since the epoch, default 1d = UTC days), named
            <from>_<to>.om. Files are written to <name>.partial and renamed when complete.
  backfill  The whole pipeline: for each chunk, write the OpenMetrics file to --scratch
            (default: <tsdb>/.gpu-sim-scratch), run `promtool tsdb create-blocks-from openmetrics
            --max-block-duration=87600h` into --tsdb (one block per chunk, two passes over the
            file; GOGC=400 unless GOGC is set), delete the file; --jobs chunks at a time
            (default 2). Prints timings.
  exporter  Serve GET /metrics (Prometheus text format 0.0.4) computed at request time, and
            GET /health. Stops cleanly on SIGTERM or SIGINT. Default --listen 127.0.0.1:19400.
  snapshot  Print what /metrics would serve at --at (default: now).

RANGE (one of):
  --from TIME --to TIME  Samples at from, from+step, ... before to. TIME is RFC 3339
                         (2024-10-21T00:00:00Z) or Unix milliseconds (1729468800000).
  --last DUR             The DUR before now (both ends floored to the step), e.g. --last 14d.
  --legacy               The legacy Prometheus' week: 2024-10-14T00:00:00Z to the cut-over
                         2024-10-21T00:00:00Z (exclusive), step 60s. --from/--to may narrow it;
                         data at or after the cut-over is refused.
  --cutover-week         The main Prometheus' first week: 2024-10-21T00:00:00Z to
                         2024-10-28T00:00:00Z, step 60s (--from/--to may change it).

OPTIONS:
  --step DUR             Sample spacing: 15s (default), 60s for --legacy and --cutover-week.
  --chunk DUR            Chunk length for --out-dir and backfill (default 1d).
  DUR is a whole number with a unit: ms, s, m, h, d, w (15s, 90m, 14d).

METRICS (DCGM field names, types and help from dcgm-exporter's default-counters.csv):
  DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_MEM_COPY_UTIL, DCGM_FI_DEV_FB_USED, DCGM_FI_DEV_FB_FREE,
  DCGM_FI_DEV_POWER_USAGE, DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION (counter), DCGM_FI_DEV_GPU_TEMP,
  DCGM_FI_DEV_MEMORY_TEMP, DCGM_FI_DEV_SM_CLOCK, DCGM_FI_DEV_MEM_CLOCK, DCGM_FI_DEV_XID_ERRORS,
  DCGM_FI_PROF_PIPE_TENSOR_ACTIVE, DCGM_FI_PROF_DRAM_ACTIVE, DCGM_FI_DEV_PCIE_REPLAY_COUNTER
  (counter). Labels: gpu, UUID, device, modelName, Hostname, DCGM_FI_DRIVER_VERSION,
  pci_bus_id, instance, job=\"dcgm-exporter\", cluster, region, node, and namespace, pod,
  container while a job runs on the GPU.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad usage.
";
