//! `gpu-sim`: simulated DCGM-exporter metrics (history files and a live exporter).
fn main() {}
