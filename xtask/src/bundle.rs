//! The app's WebAssembly, split per page: cargo builds it (with relocations kept), wasm-split cuts
//! it at the `#[lazy]` pages into a main module and lazily loaded parts, wasm-bindgen writes the
//! JS glue, wasm-opt shrinks every part, and everything lands in `dist/app-<content hash>/` with
//! a loader script and the `<head>` tags that start it.
//!
//! Trunk still builds the page, the styles and the copied files; it cannot split a module, so the
//! Rust part of the build is done here (the same order as `cargo leptos build --split`).

use std::path::{Path, PathBuf};

use crate::cmd::{command, read_text, root, run, Result};
use crate::csp::short_hash;

/// The binary crate target Trunk used to build.
const APP_BIN: &str = "sightline-app";
/// The name wasm-split gives the main module (and wasm-bindgen then `main.js`, `main_bg.wasm`).
const MAIN: &str = "main";

/// What the page needs to start the app, relative to `dist/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppFiles {
    /// `/app-<hash>/main.js`
    pub glue: String,
    /// `/app-<hash>/main_bg.wasm`
    pub wasm: String,
    /// `/sightline-loader-<hash>.js`
    pub loader: String,
    /// The modules the glue imports (`/app-<hash>/__wasm_split.js`, wasm-bindgen snippets):
    /// preloaded by the page, so they do not wait for the glue to arrive (one round trip less).
    pub glue_imports: Vec<String>,
}

/// Builds, splits, binds and optimises the app into `dist`, returning the files the page loads.
///
/// # Errors
/// A failing tool (with its command) or a file that cannot be read or written.
pub fn build(dist: &Path) -> Result<AppFiles> {
    run(command("cargo").args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--bin",
        APP_BIN,
    ]))?;
    let raw = target_dir()
        .join("wasm32-unknown-unknown/release")
        .join(format!("{APP_BIN}.wasm"));
    let work = target_dir().join("app-split");
    recreate_dir(&work)?;
    run(command("wasm-split-cli").arg(&raw).arg(&work))?;
    let split_main = work.join(format!("{MAIN}.wasm"));
    run(command("wasm-bindgen")
        .args(["--target", "web", "--keep-lld-exports", "--no-typescript"])
        .args(["--out-name", MAIN, "--out-dir"])
        .arg(&work)
        .arg(&split_main))?;
    // For a profile that names functions: `SIGHTLINE_WASM_NAMES=1 cargo xtask build` keeps the
    // name section (larger files; never for a release).
    let keep_names = std::env::var_os("SIGHTLINE_WASM_NAMES").is_some();
    std::fs::remove_file(&split_main)
        .map_err(|e| format!("cannot remove {}: {e}", split_main.display()))?;
    for part in files_in(&work)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
    {
        run(command("wasm-opt")
            .arg("-Oz")
            .args(keep_names.then_some("--debuginfo"))
            .args(WASM_FEATURES)
            .arg(&part)
            .arg("-o")
            .arg(&part))?;
    }
    install(&work, dist)
}

/// The WebAssembly features rustc enables for wasm32-unknown-unknown, which wasm-opt must accept.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-multivalue",
];

/// Copies the parts into `dist/app-<hash of their names and bytes>/` and writes the loader.
fn install(work: &Path, dist: &Path) -> Result<AppFiles> {
    let files = files_in(work)?;
    let mut fingerprint = Vec::new();
    for file in &files {
        fingerprint.extend_from_slice(relative(work, file).as_bytes());
        fingerprint.extend(
            std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?,
        );
    }
    let dir_name = format!("app-{}", short_hash(&fingerprint));
    let out = dist.join(&dir_name);
    recreate_dir(&out)?;
    for file in &files {
        let to = out.join(relative(work, file));
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::copy(file, &to).map_err(|e| format!("cannot copy to {}: {e}", to.display()))?;
    }
    let glue = format!("/{dir_name}/{MAIN}.js");
    let wasm = format!("/{dir_name}/{MAIN}_bg.wasm");
    let split_js = read_text(&work.join("__wasm_split.js"))?;
    let mut routes = Vec::new();
    for (prefix, page) in PAGE_ROUTES {
        let parts = page_parts(&split_js, page)
            .ok_or_else(|| format!("__wasm_split.js has no loader for the page {page}"))?;
        let urls = parts
            .iter()
            .map(|part| format!("/{dir_name}/{part}"))
            .collect();
        routes.push((prefix, urls));
    }
    let early = read_text(&root().join("src/early.js"))?;
    let script = loader_script(&glue, &wasm, &routes, &early);
    let loader = format!("/sightline-loader-{}.js", short_hash(script.as_bytes()));
    let loader_path = dist.join(loader.trim_start_matches('/'));
    std::fs::write(&loader_path, script)
        .map_err(|e| format!("cannot write {}: {e}", loader_path.display()))?;
    let glue_imports = static_imports(&read_text(&out.join(format!("{MAIN}.js")))?)
        .into_iter()
        .map(|path| format!("/{dir_name}/{path}"))
        .collect();
    Ok(AppFiles {
        glue,
        wasm,
        loader,
        glue_imports,
    })
}

/// The relative modules a module imports statically (`import … from "./x.js"`), once each, in
/// order, without the leading `./`.
fn static_imports(module: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in module.lines() {
        let Some(rest) = line.trim_start().strip_prefix("import ") else {
            continue;
        };
        let Some((_, target)) = rest.rsplit_once(" from ") else {
            continue;
        };
        let target = target
            .trim()
            .trim_end_matches(';')
            .trim_matches(['"', '\'']);
        if let Some(path) = target.strip_prefix("./") {
            if !found.iter().any(|f| f == path) {
                found.push(path.to_owned());
            }
        }
    }
    found
}

/// Which split page each path opens (`ui/app.rs`): a path starting with the prefix, or `/`
/// exactly (it redirects to the GPU fleet overview).
const PAGE_ROUTES: [(&str, &str); 5] = [
    ("/d/", "dashboard_page"),
    ("/explore", "explore_page"),
    ("/dashboards", "dashboards_page"),
    ("/import", "import_page"),
    ("/", "dashboard_page"),
];

/// The files `__wasm_split.js` downloads for `page`: its own part and the shared chunks it
/// waits for (`export const __wasm_split_load_<page> = … fetch("./split_<page>.wasm") …
/// [__chunk_5, __chunk_6]`).
fn page_parts(split_js: &str, page: &str) -> Option<Vec<String>> {
    let start = split_js.find(&format!("export const __wasm_split_load_{page} "))?;
    let rest = &split_js[start + 1..];
    let body = &rest[..rest.find("export const ").unwrap_or(rest.len())];
    let own = format!("split_{page}.wasm");
    if !body.contains(&format!("\"./{own}\"")) {
        return None;
    }
    let mut parts = vec![own];
    let deps = body.rfind('[').map_or("", |at| &body[at..]);
    for token in deps.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if let Some(n) = token.strip_prefix("__chunk_") {
            parts.push(format!("chunk_{n}.wasm"));
        }
    }
    Some(parts)
}

/// Starts downloading the opened page's parts at once (as preloads, which the split loader's
/// own requests then reuse), so they arrive while the main module compiles instead of after the
/// router asks for them (the import of the glue above runs first: imports are hoisted, and the glue
/// only defines functions); then starts the app, runs `early` (`src/early.js`: the page's kept
/// requests go out while the main module compiles, on other threads) and announces the app with
/// a `sightline:started` event carrying the module's exports (the memory probes of the tests and
/// the benchmark listen).
#[must_use]
pub fn loader_script(
    glue: &str,
    wasm: &str,
    routes: &[(&str, Vec<String>)],
    early: &str,
) -> String {
    let table = routes
        .iter()
        .map(|(prefix, urls)| {
            let urls: Vec<String> = urls.iter().map(|u| format!("'{u}'")).collect();
            format!("['{prefix}', [{}]]", urls.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "import init from '{glue}';\nconst path = location.pathname;\nconst route = [{table}].find(([p]) => p === '/' ? path === '/' : path.startsWith(p));\nfor (const href of route ? route[1] : []) {{\n  const link = document.createElement('link');\n  link.rel = 'preload'; link.as = 'fetch'; link.crossOrigin = 'anonymous'; link.href = href;\n  document.head.appendChild(link);\n}}\nconst starting = init({{ module_or_path: '{wasm}' }});\n{early}\nconst wasm = await starting;\ndispatchEvent(new CustomEvent('sightline:started', {{ detail: {{ wasm }} }}));\n"
    )
}

/// Puts the loader and the preloads of the main module where `index.html` has its skipped
/// `<link data-trunk rel="rust" data-trunk-skip>` (Trunk leaves that tag in), or at the end of
/// `<head>`.
///
/// # Errors
/// When the page has neither.
pub fn insert_app_tags(html: &str, app: &AppFiles) -> Result<String> {
    let imports: String = app
        .glue_imports
        .iter()
        .map(|path| format!("<link rel=modulepreload href=\"{path}\" crossorigin>"))
        .collect();
    let tags = format!(
        "<script type=module src=\"{}\"></script><link rel=modulepreload href=\"{}\" crossorigin>{imports}<link rel=preload href=\"{}\" as=fetch type=application/wasm crossorigin>",
        app.loader, app.glue, app.wasm
    );
    if let Some((start, end)) = skipped_rust_link(html) {
        return Ok(format!("{}{tags}{}", &html[..start], &html[end..]));
    }
    let at = html
        .find("</head>")
        .ok_or_else(|| "Trunk's index.html has no </head>".to_owned())?;
    Ok(format!("{}{tags}{}", &html[..at], &html[at..]))
}

/// The byte range of the first `<link …data-trunk-skip…>` tag.
fn skipped_rust_link(html: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(offset) = html[from..].find("<link") {
        let start = from + offset;
        let end = start + html[start..].find('>')? + 1;
        if html[start..end].contains("data-trunk-skip") {
            return Some((start, end));
        }
        from = end;
    }
    None
}

/// A file of `dist/` a browser downloads (html, js, wasm, css).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedFile {
    /// The path below `dist/`, e.g. `app-0123456789abcdef/main_bg.wasm`.
    pub name: String,
    pub path: PathBuf,
    /// Whether the first page load (sign-in) downloads it; the split pages' parts
    /// (`split_*.wasm`, `chunk_*.wasm`) are downloaded when a page that needs them opens.
    pub first_load: bool,
}

/// The html, js, wasm and css files of `dist`, sorted by name.
///
/// # Errors
/// When `dist` cannot be listed.
pub fn served_files(dist: &Path) -> Result<Vec<ServedFile>> {
    Ok(files_in(dist)?
        .into_iter()
        .map(|path| (relative(dist, &path), path))
        .filter(|(name, _)| {
            [".html", ".js", ".wasm", ".css"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .map(|(name, path)| ServedFile {
            first_load: loads_first(&name),
            name,
            path,
        })
        .collect())
}

fn loads_first(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    !(file.ends_with(".wasm") && (file.starts_with("split_") || file.starts_with("chunk_")))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

fn recreate_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Every file under `dir`, sorted (so the hash does not depend on directory order).
fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| format!("cannot list {}: {e}", current.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn relative(base: &Path, file: &Path) -> String {
    file.strip_prefix(base)
        .unwrap_or(file)
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> AppFiles {
        AppFiles {
            glue: "/app-0123456789abcdef/main.js".to_owned(),
            wasm: "/app-0123456789abcdef/main_bg.wasm".to_owned(),
            loader: "/sightline-loader-1.js".to_owned(),
            glue_imports: vec!["/app-0123456789abcdef/__wasm_split.js".to_owned()],
        }
    }

    const SPLIT_JS: &str = r#"const __chunk_5 = makeLoad(() => {
    const src = fetch(new URL("./chunk_5.wasm", import.meta.url));
}, []);
export const __wasm_split_load_import_page = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_import_page.wasm", import.meta.url));
}, [__chunk_7, __chunk_13]));
export const __wasm_split_load_dashboard_page = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_dashboard_page.wasm", import.meta.url));
}, [__chunk_5, __chunk_11]));"#;

    #[test]
    fn a_pages_parts_are_read_from_the_split_loader() {
        assert_eq!(
            page_parts(SPLIT_JS, "dashboard_page").unwrap(),
            ["split_dashboard_page.wasm", "chunk_5.wasm", "chunk_11.wasm"]
        );
        assert_eq!(
            page_parts(SPLIT_JS, "import_page").unwrap(),
            ["split_import_page.wasm", "chunk_7.wasm", "chunk_13.wasm"]
        );
        assert_eq!(page_parts(SPLIT_JS, "explore_page"), None);
    }

    #[test]
    fn the_loader_preloads_the_pages_parts_then_starts_the_main_module() {
        let routes = [("/d/", vec!["/app-1/split_dashboard_page.wasm".to_owned()])];
        let script = loader_script(&app().glue, &app().wasm, &routes, "sendEarly();");
        assert!(script.contains("[['/d/', ['/app-1/split_dashboard_page.wasm']]]"));
        assert!(script
            .contains("link.rel = 'preload'; link.as = 'fetch'; link.crossOrigin = 'anonymous';"));
        assert!(script.contains("import init from '/app-0123456789abcdef/main.js';"));
        assert!(script.contains("const starting = init({ module_or_path: '/app-0123456789abcdef/main_bg.wasm' });\nsendEarly();\nconst wasm = await starting;"));
        assert!(script.contains("new CustomEvent('sightline:started'"));
    }

    #[test]
    fn the_app_tags_go_at_the_end_of_the_head() {
        let html = "<html><head><title>S</title></head><body></body></html>";
        let out = insert_app_tags(html, &app()).unwrap();
        assert!(out.starts_with("<html><head><title>S</title><script type=module src=\"/sightline-loader-1.js\"></script>"));
        assert!(out.contains("<link rel=modulepreload href=\"/app-0123456789abcdef/__wasm_split.js\" crossorigin><link rel=preload href=\"/app-0123456789abcdef/main_bg.wasm\" as=fetch type=application/wasm crossorigin></head>"));
        assert!(insert_app_tags("<p>no head</p>", &app()).is_err());
    }

    #[test]
    fn the_glues_static_imports_are_found_once_each() {
        let glue = "import { polylinePath } from './snippets/sightline-1/inline0.js';\nimport * as import1 from \"./__wasm_split.js\"\nimport * as import2 from \"./__wasm_split.js\"\nlet x = 1; // import y from './no.js'\nexport default x;";
        assert_eq!(
            static_imports(glue),
            ["snippets/sightline-1/inline0.js", "__wasm_split.js"]
        );
    }

    #[test]
    fn split_parts_are_not_part_of_the_first_load() {
        assert!(loads_first("index.html"));
        assert!(loads_first("app-0123456789abcdef/main_bg.wasm"));
        assert!(loads_first("app-0123456789abcdef/__wasm_split.js"));
        assert!(loads_first(
            "app-0123456789abcdef/snippets/sightline-1/inline0.js"
        ));
        assert!(!loads_first(
            "app-0123456789abcdef/split_dashboard_page.wasm"
        ));
        assert!(!loads_first("app-0123456789abcdef/chunk_9.wasm"));
    }

    #[test]
    fn the_app_tags_replace_the_skipped_rust_link() {
        let html = "<head><link href=/a.css rel=stylesheet><link data-trunk data-trunk-id=2 data-trunk-skip rel=rust><title>S</title></head>";
        let out = insert_app_tags(html, &app()).unwrap();
        assert!(out.starts_with("<head><link href=/a.css rel=stylesheet><script type=module src=\"/sightline-loader-1.js\">"));
        assert!(out.ends_with("crossorigin><title>S</title></head>"));
        assert!(!out.contains("data-trunk"));
    }
}
