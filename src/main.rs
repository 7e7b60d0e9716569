//! Browser entry point: marks the start on the performance timeline, installs the panic hook
//! and mounts the app. Nothing else lives here.

fn main() {
    // Where the wasm starts, on the performance timeline (the benchmark's cold-start phases).
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("sightline:main");
    }
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(sightline::ui::app::App);
}
