//! Helpers shared by the browser tests (headless Chromium, `wasm32` only).
#![allow(clippy::unwrap_used)]

/// Errors thrown by callbacks while it is held (a panic in a timer or idle callback is one;
/// it reaches `window.onerror`, not the test); [`ErrorCapture::finish`] gives them back.
pub struct ErrorCapture;

impl ErrorCapture {
    #[must_use]
    pub fn start() -> Self {
        run("window.__testErrors = []; window.onerror = (m) => { window.__testErrors.push(String(m)); };");
        Self
    }

    /// The errors caught, as JSON; `window.onerror` is put back.
    #[must_use]
    pub fn finish(self) -> (u32, String) {
        let errors = js_sys::Reflect::get(&js_sys::global(), &"__testErrors".into()).unwrap();
        let errors = js_sys::Array::from(&errors);
        run("window.onerror = null;");
        let text = js_sys::JSON::stringify(&errors)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        (errors.length(), text)
    }
}

/// A new, empty `<div>` at the end of the page's body, to mount a component into.
#[must_use]
pub fn new_container() -> web_sys::HtmlElement {
    use wasm_bindgen::JsCast;
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    container
}

/// Lets one turn of the microtask queue pass: effects created or woken before it have run
/// (and scheduled whatever frames or idle callbacks they ask for).
pub async fn microtask_turn() {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
        .await
        .unwrap();
}

fn run(script: &str) {
    js_sys::Function::new_no_args(script)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
}
