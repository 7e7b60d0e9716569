//! Pages whose code is downloaded the first time they open: each is a split point, so the first
//! page load (sign-in) carries only the app shell, and a failed download says so with a retry.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use send_wrapper::SendWrapper;
use thiserror::Error;

use crate::ui::components::error_box::ErrorBox;
use crate::ui::components::header::Header;

/// A page's code could not be downloaded: the network failed, or the app was redeployed and the
/// old parts are gone.
#[derive(Debug, Clone, Error)]
#[error("This page's code could not be downloaded. Check the connection and retry, or reload the app if it was updated.")]
pub struct PageCodeError;

impl From<SplitLoaderError> for PageCodeError {
    fn from(_: SplitLoaderError) -> Self {
        Self
    }
}

/// The result of opening a split page.
pub type PageLoad = Result<AnyView, PageCodeError>;

/// Shows the page `load` downloads and builds, "Loading…" until then, and the header and the
/// error with a retry when the download fails (a failure is not remembered, so a retry downloads
/// again, and the header's links still lead elsewhere).
#[component]
pub fn LazyPage<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = PageLoad> + 'static,
{
    let attempt = RwSignal::new(0_u32);
    let retry = UnsyncCallback::new(move |()| attempt.update(|n| *n += 1));
    view! {
        // No header while loading: the page brings its own, and one that appears and is then
        // replaced would move under the pointer.
        <Suspense fallback=|| view! {
            <main class="page"><p class="muted" role="status">"Loading…"</p></main>
        }>
            {move || {
                attempt.track();
                Suspend::new(SendWrapper::new(async move {
                    match load().await {
                        Ok(page) => page,
                        Err(error) => view! {
                            <Header/>
                            <main class="page">
                                <ErrorBox message=error.to_string() on_retry=retry/>
                            </main>
                        }
                        .into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}

/// Explore (metrics and logs), downloaded when first opened.
#[wasm_split(explore_page, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn explore_page() -> PageLoad {
    Ok(view! { <crate::ui::pages::explore::ExplorePage/> }.into_any())
}

/// The dashboard library, downloaded when first opened.
#[wasm_split(dashboards_page, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn dashboards_page() -> PageLoad {
    Ok(view! { <crate::ui::pages::dashboards::DashboardsPage/> }.into_any())
}

/// Importing a dashboard file, downloaded when first opened.
#[wasm_split(import_page, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn import_page() -> PageLoad {
    Ok(view! { <crate::ui::pages::import::ImportPage/> }.into_any())
}

/// One dashboard, downloaded when first opened.
#[wasm_split(dashboard_page, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn dashboard_page() -> PageLoad {
    Ok(view! { <crate::ui::pages::dashboard::DashboardPage/> }.into_any())
}
