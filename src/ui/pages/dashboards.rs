//! The dashboards page (`/dashboards`): the built-in GPU dashboards and this browser's library.

use leptos::prelude::*;

use crate::state::catalog::{library, BUILTINS};
use crate::ui::components::header::Header;

/// The list of dashboards.
#[component]
pub fn DashboardsPage() -> impl IntoView {
    let saved = library();
    view! {
        <Header/>
        <main class="page dashboards-page">
            <h1>"Dashboards"</h1>
            <section>
                <h2>"Built in"</h2>
                <ul class="dashboard-list">
                    {BUILTINS.iter().map(|b| view! {
                        <li class="dashboard-card">
                            <a class="dashboard-link" href=format!("/d/{}", b.uid)>{b.title}</a>
                            <p class="muted small">{b.description}</p>
                        </li>
                    }).collect::<Vec<_>>()}
                </ul>
            </section>
            <section>
                <h2>"In this browser"</h2>
                {if saved.is_empty() {
                    view! { <p class="muted">"No saved dashboards yet. Open one and save it, or import a Grafana JSON file."</p> }.into_any()
                } else {
                    view! {
                        <ul class="dashboard-list">
                            {saved.into_iter().map(|e| view! {
                                <li class="dashboard-card">
                                    <a class="dashboard-link" href=format!("/d/{}", e.id)>{e.title.clone()}</a>
                                </li>
                            }).collect::<Vec<_>>()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </main>
    }
}
