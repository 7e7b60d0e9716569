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
    let split_js_path = work.join("__wasm_split.js");
    let split_js = take_compiled_parts(&read_text(&split_js_path)?)?;
    std::fs::write(&split_js_path, &split_js)
        .map_err(|e| format!("cannot write {}: {e}", split_js_path.display()))?;
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

/// How `__wasm_split.js` (wasm-split-cli 0.2.4) downloads and instantiates each part, and what
/// [`take_compiled_parts`] puts in its place.
const PART_FETCH: &str = "const src = fetch(new URL(";
const PART_COMPILE: &str = "const src = __sightlineCompile(new URL(";
const PART_INSTANTIATE: &str = "WebAssembly.instantiateStreaming(src, imports)";
const PART_INSTANTIATE_COMPILED: &str = "WebAssembly.instantiate(await src, imports)";
/// Takes a part's module from the ones the loader started compiling (once: a failed load then
/// downloads again when retried), or downloads and compiles it.
const COMPILED_PART_LOOKUP: &str = "const __sightlineCompile = (url) => {
    const kept = globalThis.__sightlineCompiling;
    const compiling = kept && kept.get(url.href);
    if (compiling) {
        kept.delete(url.href);
        return compiling;
    }
    return WebAssembly.compileStreaming(fetch(url));
};
";

/// Rewrites `__wasm_split.js` so every part is a module compiled in parallel with the others
/// (by the loader, or here on first use) and only instantiated in dependency order; wasm-split's
/// own loader compiles a part only once the parts it depends on are instantiated.
///
/// # Errors
/// When the file does not have the shape this expects (a wasm-split-cli other than 0.2.4): the
/// build stops rather than ship a loader that downloads every part twice.
pub fn take_compiled_parts(split_js: &str) -> Result<String> {
    let fetches = split_js.matches(PART_FETCH).count();
    let instantiations = split_js.matches(PART_INSTANTIATE).count();
    if fetches == 0 || fetches != instantiations || split_js.contains("__sightlineCompile") {
        return Err(format!(
            "__wasm_split.js has {fetches} part downloads and {instantiations} instantiations \
             (expected as many of each, not yet rewritten): did wasm-split-cli change?"
        ));
    }
    let body = split_js
        .replace(PART_FETCH, PART_COMPILE)
        .replace(PART_INSTANTIATE, PART_INSTANTIATE_COMPILED);
    // After the imports (a module's `import` declarations come first).
    let at = body
        .lines()
        .take_while(|line| line.starts_with("import ") || line.trim().is_empty())
        .map(|line| line.len() + 1)
        .sum::<usize>()
        .min(body.len());
    Ok(format!(
        "{}{COMPILED_PART_LOOKUP}{}",
        &body[..at],
        &body[at..]
    ))
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

/// Starts the app, then downloads and compiles the opened page's parts at once, all in parallel
/// (`WebAssembly.compileStreaming`, which needs no imports), so they are ready when the router
/// asks for them: `__wasm_split.js` (rewritten by [`take_compiled_parts`]) takes the compiled
/// module from `__sightlineCompiling` instead of downloading and instantiating each part only
/// after the parts it depends on (the import of the glue above runs first: imports are hoisted,
/// and the glue only defines functions). Then it runs `early` (`src/early.js`: the page's kept
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
        "import init from '{glue}';\nconst path = location.pathname;\nconst route = [{table}].find(([p]) => p === '/' ? path === '/' : path.startsWith(p));\nconst starting = init({{ module_or_path: '{wasm}' }});\nconst compiling = new Map();\nfor (const href of route ? route[1] : []) {{\n  const url = new URL(href, location.href);\n  const module = WebAssembly.compileStreaming(fetch(url));\n  module.catch(() => {{}});\n  compiling.set(url.href, module);\n}}\nglobalThis.__sightlineCompiling = compiling;\n{early}\nconst wasm = await starting;\ndispatchEvent(new CustomEvent('sightline:started', {{ detail: {{ wasm }} }}));\n"
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

    const SPLIT_JS: &str = r#"import { initSync } from "./main.js";

let sharedImports = undefined;
const __chunk_5 = makeLoad(() => {
    const src = fetch(new URL("./chunk_5.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}, []);
export const __wasm_split_load_import_page = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_import_page.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}, [__chunk_7, __chunk_13]));
export const __wasm_split_load_dashboard_page = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_dashboard_page.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
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
    fn the_loader_starts_the_main_module_then_compiles_the_pages_parts() {
        let routes = [("/d/", vec!["/app-1/split_dashboard_page.wasm".to_owned()])];
        let script = loader_script(&app().glue, &app().wasm, &routes, "sendEarly();");
        assert!(script.contains("[['/d/', ['/app-1/split_dashboard_page.wasm']]]"));
        assert!(script.contains("import init from '/app-0123456789abcdef/main.js';"));
        let start = script
            .find(
                "const starting = init({ module_or_path: '/app-0123456789abcdef/main_bg.wasm' });",
            )
            .unwrap();
        let compile = script
            .find("WebAssembly.compileStreaming(fetch(url))")
            .unwrap();
        let kept = script
            .find("globalThis.__sightlineCompiling = compiling;\nsendEarly();\nconst wasm = await starting;")
            .unwrap();
        assert!(start < compile && compile < kept);
        assert!(script.contains("compiling.set(url.href, module);"));
        assert!(script.contains("new CustomEvent('sightline:started'"));
        assert!(!script.contains("preload"));
    }

    #[test]
    fn every_part_is_taken_compiled_and_instantiated_after_its_dependencies() {
        let out = take_compiled_parts(SPLIT_JS).unwrap();
        assert!(out.starts_with(
            "import { initSync } from \"./main.js\";\n\nconst __sightlineCompile = (url) => {"
        ));
        assert_eq!(out.matches(PART_COMPILE).count(), 3);
        assert_eq!(out.matches(PART_INSTANTIATE_COMPILED).count(), 3);
        assert!(!out.contains("fetch(new URL("));
        assert!(!out.contains("instantiateStreaming"));
        // The lookup downloads what the loader did not compile, and forgets what it hands out.
        assert!(out.contains("kept.delete(url.href);"));
        assert!(out.contains("return WebAssembly.compileStreaming(fetch(url));"));
        // The parts each page needs are still read from it.
        assert_eq!(
            page_parts(&out, "dashboard_page").unwrap(),
            ["split_dashboard_page.wasm", "chunk_5.wasm", "chunk_11.wasm"]
        );
    }

    #[test]
    fn a_split_loader_of_another_shape_stops_the_build() {
        assert!(take_compiled_parts("export const x = 1;").is_err());
        let half = SPLIT_JS.replacen(PART_INSTANTIATE, "WebAssembly.instantiate(src, imports)", 1);
        assert!(take_compiled_parts(&half).is_err());
        let twice = take_compiled_parts(SPLIT_JS).unwrap();
        assert!(take_compiled_parts(&twice).is_err());
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
