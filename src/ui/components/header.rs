//! The top bar: product name, navigation, the signed-in profile and "Sign out".

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::state::session::use_session;

/// The page header shown on every signed-in page.
#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let profile_name = move || {
        session
            .session
            .with(|s| s.as_ref().map(|s| s.profile.name.clone()))
            .unwrap_or_default()
    };
    let sign_out = move |_| {
        session.sign_out();
        navigate("/sign-in", leptos_router::NavigateOptions::default());
    };
    view! {
        <header class="topbar">
            <A href="/explore" attr:class="brand">"Sightline"</A>
            <nav class="topnav">
                <A href="/dashboards">"Dashboards"</A>
                <A href="/explore">"Explore"</A>
                <A href="/import">"Import"</A>
            </nav>
            <span class="spacer"></span>
            <span class="profile-name" title="Signed-in endpoint profile">{profile_name}</span>
            <button class="btn btn-quiet" id="sign-out" on:click=sign_out>"Sign out"</button>
        </header>
    }
}
