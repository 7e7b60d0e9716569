//! `gpu-sim`: simulated DCGM-exporter metrics for the demo stack (see `gpu-sim --help`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = gpu_sim::cli::parse(&args)
        .map_err(gpu_sim::error::RunError::from)
        .and_then(gpu_sim::run::run);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gpu-sim: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}
