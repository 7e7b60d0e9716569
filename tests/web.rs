//! Component tests in headless Chromium (wasm-bindgen-test): the sign-in page keeps the token in
//! `sessionStorage` and nowhere else, refuses bad input without storing anything, and sign-out
//! forgets the token.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use leptos_router::components::Router;
use sightline::state::config::provide_config_value;
use sightline::state::session::{provide_session, use_session};
use sightline::ui::pages::sign_in::SignInPage;
use sightline_core::api::endpoints::DeployConfig;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "wasm-test-secret-4f1c9a";

const CONFIG: &str = r#"{"profiles":[
    {"id":"demo","name":"Local demo stack","metrics":"http://127.0.0.1:9401","logs":"http://127.0.0.1:9401"},
    {"id":"custom","name":"Custom URL","custom":true}]}"#;

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

fn document() -> web_sys::Document {
    window().document().expect("a document")
}

fn clear_storage() {
    window()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    window().local_storage().unwrap().unwrap().clear().unwrap();
}

/// Every key and value of a storage area, concatenated.
fn storage_text(storage: &web_sys::Storage) -> String {
    let mut text = String::new();
    for i in 0..storage.length().unwrap() {
        let key = storage.key(i).unwrap().unwrap();
        text.push_str(&key);
        text.push('=');
        text.push_str(&storage.get_item(&key).unwrap().unwrap_or_default());
        text.push('\n');
    }
    text
}

fn mount_sign_in() -> leptos::mount::UnmountHandle<impl Mountable> {
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let container: web_sys::HtmlElement = container.unchecked_into();
    leptos::mount::mount_to(container, || {
        view! {
            <Router>
                {
                    provide_config_value(DeployConfig::parse(CONFIG).expect("test config parses"));
                    provide_session();
                    view! { <SignInPage/> }
                }
            </Router>
        }
    })
}

fn input(selector: &str) -> web_sys::HtmlInputElement {
    document()
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .unchecked_into()
}

fn type_into(selector: &str, text: &str) {
    let element = input(selector);
    element.set_value(text);
    let event = web_sys::Event::new("input").unwrap();
    element.dispatch_event(&event).unwrap();
}

fn click(selector: &str) {
    let element: web_sys::HtmlElement = document()
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .unchecked_into();
    element.click();
}

async fn tick() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

#[wasm_bindgen_test]
async fn signing_in_keeps_the_token_in_session_storage_and_nowhere_else() {
    clear_storage();
    let _app = mount_sign_in();
    tick().await;
    type_into("#token", &format!("  Bearer {TOKEN} "));
    click("#sign-in");
    tick().await;

    let session = window().session_storage().unwrap().unwrap();
    assert_eq!(
        session.get_item("sightline.token").unwrap().as_deref(),
        Some(TOKEN)
    );
    let local = storage_text(&window().local_storage().unwrap().unwrap());
    assert!(
        !local.contains(TOKEN),
        "localStorage must not hold the token: {local}"
    );
    assert!(
        local.contains("sightline.last-profile=demo"),
        "the profile choice is remembered: {local}"
    );
    let href = window().location().href().unwrap();
    assert!(
        !href.contains(TOKEN),
        "the URL must not hold the token: {href}"
    );
    let page = document().body().unwrap().inner_html();
    assert!(!page.contains(TOKEN), "the page must not show the token");
    assert_eq!(
        input("#token").value(),
        "",
        "the token field is emptied after sign-in"
    );
}

#[wasm_bindgen_test]
async fn an_empty_or_malformed_token_is_refused_and_nothing_is_stored() {
    clear_storage();
    let _app = mount_sign_in();
    tick().await;
    type_into("#token", "two words");
    click("#sign-in");
    tick().await;
    let error = document()
        .query_selector("#sign-in-error")
        .unwrap()
        .expect("an error message");
    assert!(error.text_content().unwrap_or_default().contains("spaces"));
    let session = window().session_storage().unwrap().unwrap();
    assert_eq!(session.get_item("sightline.token").unwrap(), None);
}

#[wasm_bindgen_test]
async fn custom_profiles_need_a_valid_url() {
    clear_storage();
    let _app = mount_sign_in();
    tick().await;
    let select: web_sys::HtmlSelectElement = document()
        .query_selector("#profile")
        .unwrap()
        .unwrap()
        .unchecked_into();
    select.set_value("custom");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    type_into("#custom-metrics", "javascript:alert(1)");
    type_into("#token", TOKEN);
    click("#sign-in");
    tick().await;
    let error = document()
        .query_selector("#sign-in-error")
        .unwrap()
        .expect("an error message");
    assert!(error
        .text_content()
        .unwrap_or_default()
        .contains("not an endpoint"));
    assert_eq!(
        window()
            .session_storage()
            .unwrap()
            .unwrap()
            .get_item("sightline.token")
            .unwrap(),
        None
    );
}

#[wasm_bindgen_test]
async fn sign_out_forgets_the_token() {
    clear_storage();
    let owner = Owner::new();
    owner.with(|| {
        provide_session();
        let session = use_session();
        let profile = DeployConfig::parse(CONFIG).unwrap().profiles[0].clone();
        session
            .sign_in(
                profile,
                sightline_core::api::auth::Token::parse(TOKEN).unwrap(),
            )
            .unwrap();
        assert!(session.session.get_untracked().is_some());
        session.sign_out();
        assert!(session.session.get_untracked().is_none());
    });
    let session = window().session_storage().unwrap().unwrap();
    assert_eq!(storage_text(&session), "");
}
