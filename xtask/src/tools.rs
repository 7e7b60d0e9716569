//! Idempotent installation of everything the build and tests need, skipping what is already
//! there at the right version: Debian packages, the wasm32 target, wasm-bindgen-cli (the exact
//! version in Cargo.lock), Trunk 0.21, wasm-opt (binaryen 116 from crates.io) and wasm-split-cli;
//! for the test suite only, cargo-deny and cargo-fuzz.

use crate::cmd::{command, output, probe, root, run, Result};

/// Debian packages the stack and the browser tests use.
pub const APT_PACKAGES: [&str; 4] = ["chromium", "chromium-driver", "prometheus", "nginx"];

/// Trunk releases that build with this toolchain (0.22 needs a newer rustc).
const TRUNK_VERSION_REQ: &str = "~0.21";
const TRUNK_VERSION_PREFIX: &str = "trunk 0.21.";
/// binaryen 116 from crates.io; Debian's binaryen 108 breaks the module.
const WASM_OPT_VERSION: &str = "version 116";

/// Installs whatever is missing.
///
/// # Errors
/// The failing install, with its command.
pub fn ensure_all() -> Result<()> {
    ensure_apt_packages()?;
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_trunk()?;
    ensure_wasm_opt()?;
    ensure_wasm_split()
}

fn installed(package: &str) -> bool {
    probe("dpkg-query", &["-W", "-f=${Status}", package])
        .is_some_and(|s| s.contains("install ok installed"))
}

fn ensure_apt_packages() -> Result<()> {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        println!(
            "apt packages: {} already installed",
            APT_PACKAGES.join(", ")
        );
        return Ok(());
    }
    run(command("apt-get").args(["update", "-q"]))?;
    run(command("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    // The nginx package starts a system nginx on port 80; the stack runs its own, so stop it.
    let _ = command("nginx").args(["-s", "stop"]).output();
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let targets = output(command("rustup").args(["target", "list", "--installed"]))?;
    if targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        println!("rust target wasm32-unknown-unknown: already installed");
        return Ok(());
    }
    run(command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The `wasm-bindgen` version Cargo.lock resolved.
///
/// # Errors
/// When Cargo.lock cannot be read or has no wasm-bindgen.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(version.trim_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".to_owned())
}

fn ensure_wasm_bindgen() -> Result<()> {
    let version = locked_wasm_bindgen_version()?;
    let wanted = format!("wasm-bindgen {version}");
    let have = probe("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = probe("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    if have.starts_with(&wanted) && runner.contains(&version) {
        println!("wasm-bindgen-cli {version}: already installed");
        return Ok(());
    }
    // Not `--locked`: a locked transitive version is not served by the registry here.
    run(command("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &format!("={version}"),
    ]))
}

fn ensure_trunk() -> Result<()> {
    if probe("trunk", &["--version"]).is_some_and(|v| v.starts_with(TRUNK_VERSION_PREFIX)) {
        println!("trunk 0.21: already installed");
        return Ok(());
    }
    run(command("cargo").args([
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION_REQ,
        "--locked",
    ]))
}

fn ensure_wasm_opt() -> Result<()> {
    let ours = crate::cmd::cargo_bin().join("wasm-opt");
    let version = std::process::Command::new(&ours)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if version.contains(WASM_OPT_VERSION) {
        println!("wasm-opt (binaryen 116): already installed");
        return Ok(());
    }
    run(command("cargo").args(["install", "wasm-opt", "--locked"]))
}

/// wasm-split (the splitter of `cargo leptos build --split`); 0.2.4 is the first release that
/// knows wasm-bindgen 0.2.128+'s describe imports.
const WASM_SPLIT_VERSION: &str = "0.2.4";
const WASM_SPLIT_CRATE: &str = "wasm_split_cli_support";

/// wasm-split-cli has no `--version`; `cargo install --list` says which release is installed.
fn ensure_wasm_split() -> Result<()> {
    let wanted = format!("{WASM_SPLIT_CRATE} v{WASM_SPLIT_VERSION}:");
    let list = probe("cargo", &["install", "--list"]).unwrap_or_default();
    if list.lines().any(|l| l.starts_with(&wanted))
        && probe("wasm-split-cli", &["--help"]).is_some()
    {
        println!("wasm-split-cli {WASM_SPLIT_VERSION}: already installed");
        return Ok(());
    }
    run(command("cargo").args([
        "install",
        WASM_SPLIT_CRATE,
        "--version",
        &format!("={WASM_SPLIT_VERSION}"),
        "--features",
        "build-binary",
        "--locked",
    ]))
}

/// cargo-deny releases that build with this toolchain (checked: 0.20.2 with rustc 1.95).
const CARGO_DENY_VERSION_REQ: &str = "~0.20";
const CARGO_DENY_VERSION_PREFIX: &str = "cargo-deny 0.20.";
/// cargo-fuzz releases that build with this toolchain (checked: 0.13.2 with rustc 1.95).
const CARGO_FUZZ_VERSION_REQ: &str = "~0.13";
const CARGO_FUZZ_VERSION_PREFIX: &str = "cargo-fuzz 0.13.";

/// cargo-deny for the dependency policy (`deny.toml`), installed from crates.io unless the
/// right version is there. Only the test suite needs it (a first install: 2m51s on an idle
/// 2-core machine).
///
/// # Errors
/// The failing install.
pub fn ensure_cargo_deny() -> Result<()> {
    ensure_cargo_tool(
        "cargo-deny",
        &["deny", "--version"],
        CARGO_DENY_VERSION_PREFIX,
        CARGO_DENY_VERSION_REQ,
    )
}

/// cargo-fuzz for the fuzz targets of `fuzz/`, installed from crates.io unless the right version
/// is there.
///
/// # Errors
/// The failing install.
pub fn ensure_cargo_fuzz() -> Result<()> {
    ensure_cargo_tool(
        "cargo-fuzz",
        &["fuzz", "--version"],
        CARGO_FUZZ_VERSION_PREFIX,
        CARGO_FUZZ_VERSION_REQ,
    )
}

fn ensure_cargo_tool(crate_name: &str, probe_args: &[&str], prefix: &str, req: &str) -> Result<()> {
    if probe("cargo", probe_args).is_some_and(|v| v.trim_start().starts_with(prefix)) {
        println!("{crate_name} {req}: already installed");
        return Ok(());
    }
    run(command("cargo").args(["install", crate_name, "--version", req, "--locked"]))
}
