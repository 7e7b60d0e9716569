//! The root component: contexts (config, session), the router, and the sign-in guard. Every page
//! but sign-in is a [`LazyPage`]: its code is downloaded when it first opens.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use sightline_core::api::request::encode_component;

use crate::browser::current_path_and_query;
use crate::state::config::provide_config;
use crate::state::session::{provide_session, use_session};
use crate::ui::components::header::Header;
use crate::ui::lazy_page::{dashboard_page, dashboards_page, explore_page, import_page, LazyPage};
use crate::ui::pages::sign_in::{SignInPage, START_PAGE};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_config();
    provide_session();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=|| view! { <Redirect path=START_PAGE/> }/>
                <Route path=path!("/sign-in") view=SignInPage/>
                <Route path=path!("/explore") view=|| view! { <RequireSession><LazyPage load=explore_page/></RequireSession> }/>
                <Route path=path!("/dashboards") view=|| view! { <RequireSession><LazyPage load=dashboards_page/></RequireSession> }/>
                <Route path=path!("/import") view=|| view! { <RequireSession><LazyPage load=import_page/></RequireSession> }/>
                <Route path=path!("/d/:uid") view=|| view! { <RequireSession><LazyPage load=dashboard_page/></RequireSession> }/>
            </Routes>
        </Router>
    }
}

/// Shows its children only when signed in; otherwise goes to the sign-in page and comes back to
/// the same place (path and query) afterwards.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    move || {
        if session.session.with(Option::is_some) {
            children().into_any()
        } else {
            let next = current_path_and_query();
            view! { <Redirect path=format!("/sign-in?next={}", encode_component(&next))/> }
                .into_any()
        }
    }
}

/// Shown for an unknown path: which path, and the way back (with the top bar when signed in).
#[component]
fn NotFound() -> impl IntoView {
    let session = use_session();
    let path = current_path_and_query();
    view! {
        {move || session.session.with(Option::is_some).then(|| view! { <Header/> })}
        <main class="page not-found">
            <h1>"Page not found"</h1>
            <p>"Sightline has no page at " <code class="not-found-path">{path}</code> "."</p>
            <ul class="not-found-links">
                <li><a href=START_PAGE>"GPU fleet overview"</a></li>
                <li><a href="/dashboards">"All dashboards"</a></li>
                <li><a href="/explore">"Explore metrics and logs"</a></li>
            </ul>
        </main>
    }
}
