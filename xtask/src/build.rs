//! The release build: Trunk for the page, styles and copied files, [`crate::bundle`] for the
//! split WebAssembly, then the CSP post-processing of `dist/`.

use std::path::{Path, PathBuf};

use crate::bundle::{self, AppFiles};
use crate::cmd::{command, read_text, root, run, Result};
use crate::csp;

/// Where the built app goes.
#[must_use]
pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// Builds the release app into `dist/` and applies the CSP post-processing.
///
/// # Errors
/// A failing Trunk build, a failing step of the WebAssembly bundle, or an unexpected
/// `index.html`.
pub fn release() -> Result<()> {
    run(command("trunk").args(["build", "--release", "--offline"]))?;
    let app = bundle::build(&dist_dir())?;
    postprocess(&dist_dir(), &app)?;
    report_sizes(&dist_dir());
    Ok(())
}

/// Adds the app's loader to `index.html` and writes the CSP `<meta>` (and `csp-header.txt`, the
/// same policy as an HTTP header).
///
/// # Errors
/// When `index.html` or `config.json` cannot be read or has an unexpected shape.
pub fn postprocess(dist: &Path, app: &AppFiles) -> Result<()> {
    let index_path = dist.join("index.html");
    let html = read_text(&index_path)?;
    let html = bundle::insert_app_tags(&html, app)?;
    let config_text = std::fs::read_to_string(dist.join("config.json"))
        .map_err(|e| format!("cannot read dist/config.json: {e}"))?;
    let config: serde_json::Value = serde_json::from_str(&config_text)
        .map_err(|e| format!("dist/config.json is not JSON: {e}"))?;
    let origins = csp::config_origins(&config);
    let html = csp::insert_policy_meta(&html, &csp::policy(&origins, true));
    std::fs::write(&index_path, html).map_err(|e| format!("cannot write index.html: {e}"))?;
    std::fs::write(dist.join("csp-header.txt"), csp::policy(&origins, false))
        .map_err(|e| format!("cannot write csp-header.txt: {e}"))
}

/// Prints each file's size and gzip size, and two totals: what the first page load transfers
/// (the page, styles, loader and main module) and everything, with the lazily loaded parts.
pub fn report_sizes(dist: &Path) {
    let Ok(files) = bundle::served_files(dist) else {
        return;
    };
    let (mut first, mut first_gz, mut all, mut all_gz) = (0u64, 0u64, 0u64, 0u64);
    let mut rows = Vec::new();
    for file in files {
        let size = std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(&file.path).unwrap_or(0);
        all += size;
        all_gz += gz;
        let when = if file.first_load {
            first += size;
            first_gz += gz;
            "first load"
        } else {
            "on demand"
        };
        rows.push(format!(
            "  {:<56} {size:>9} B  {gz:>8} B gzip  {when}",
            file.name
        ));
    }
    println!(
        "dist/ assets:\n{}\n  {:<56} {first:>9} B  {first_gz:>8} B gzip\n  {:<56} {all:>9} B  {all_gz:>8} B gzip",
        rows.join("\n"),
        "first page load",
        "all"
    );
}

/// Size of `path` after `gzip -9`, using the system gzip.
#[must_use]
pub fn gzip_size(path: &Path) -> Option<u64> {
    let out = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}
