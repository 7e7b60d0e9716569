//! The sign-in page: pick an endpoint profile (or type custom URLs), paste a token, optionally
//! test the connection, and sign in. The token goes to `sessionStorage` and nowhere else.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use sightline_core::api::auth::Token;
use sightline_core::api::endpoints::{parse_base, DeployConfig, EndpointBase, Profile, Service};
use sightline_core::api::error::ApiError;
use sightline_core::model::navigation::safe_return_path;

use crate::client::prometheus::check_connection;
use crate::state::config::use_config;
use crate::state::session::{use_session, Session};
use crate::storage;

/// Where a signed-in user lands by default.
pub const START_PAGE: &str = "/d/gpu-fleet";

/// The profile the form describes, or why it is not usable.
fn chosen_profile(
    config: &DeployConfig,
    profile_id: &str,
    custom_metrics: &str,
    custom_logs: &str,
) -> Result<Profile, String> {
    let profile = config
        .profile(profile_id)
        .ok_or_else(|| "choose an endpoint profile".to_owned())?;
    if !profile.custom {
        return Ok(profile.clone());
    }
    let metrics = custom_metrics.trim();
    let logs = custom_logs.trim();
    if metrics.is_empty() && logs.is_empty() {
        return Err("type the metrics URL (and the logs URL if you have one)".to_owned());
    }
    let mut name_host = String::new();
    for url in [metrics, logs].into_iter().filter(|u| !u.is_empty()) {
        match parse_base(url).map_err(|e| e.to_string())? {
            EndpointBase::Absolute { origin, .. } if name_host.is_empty() => name_host = origin,
            _ => {}
        }
    }
    let custom = Profile {
        id: profile.id.clone(),
        name: if name_host.is_empty() {
            profile.name.clone()
        } else {
            format!("Custom: {name_host}")
        },
        description: String::new(),
        metrics: (!metrics.is_empty()).then(|| metrics.to_owned()),
        logs: (!logs.is_empty()).then(|| logs.to_owned()),
        audit_logs: None,
        legacy_metrics: None,
        legacy_logs: None,
        custom: true,
        metrics_http_method: profile.metrics_http_method,
        incremental_query_overlap: profile.incremental_query_overlap.clone(),
    };
    custom.validate().map_err(|e| e.to_string())?;
    Ok(custom)
}

/// The text shown after "Test connection".
fn connection_report(profile: &Profile, result: &Result<(), ApiError>) -> (bool, String) {
    let host = profile.base(Service::Metrics).unwrap_or_default();
    match result {
        Ok(()) => (true, format!("Connected: {host} accepted the token.")),
        Err(ApiError::Unreachable { .. }) => {
            let hint = match parse_base(host) {
                Ok(EndpointBase::Absolute { .. }) => {
                    " If the host is up, it does not allow requests from this page's origin \
                     (CORS): use a proxy-mode profile, whose requests go through this site's \
                     server (see the README, \"Proxy mode\")."
                }
                _ => " This site's proxy did not answer: check its configuration.",
            };
            (false, format!("{host} could not be reached.{hint}"))
        }
        Err(error) => (false, error.to_string()),
    }
}

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let config_state = use_config();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let profile_id = RwSignal::new(String::new());
    let custom_metrics = RwSignal::new(String::new());
    let custom_logs = RwSignal::new(String::new());
    let token_text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let test_report = RwSignal::new(None::<(bool, String)>);
    let testing = RwSignal::new(false);

    let config = move || config_state.config.get();
    // Preselect: the profile chosen last, else the config's default, else the first.
    Effect::new(move |_| {
        if let Some(Ok(config)) = config() {
            if profile_id.get_untracked().is_empty() {
                let remembered =
                    storage::remembered_profile_id().filter(|id| config.profile(id).is_some());
                let chosen = remembered
                    .or_else(|| config.default_profile.clone())
                    .or_else(|| config.profiles.first().map(|p| p.id.clone()))
                    .unwrap_or_default();
                profile_id.set(chosen);
            }
        }
    });
    let selected = move || {
        config()
            .and_then(|c| c.ok())
            .and_then(|c| c.profile(&profile_id.get()).cloned())
    };
    let is_custom = move || selected().is_some_and(|p| p.custom);
    let form_profile = move || -> Result<Profile, String> {
        let config = config()
            .ok_or_else(|| "the endpoint list is still loading".to_owned())?
            .map_err(|e| e.clone())?;
        chosen_profile(
            &config,
            &profile_id.get_untracked(),
            &custom_metrics.get_untracked(),
            &custom_logs.get_untracked(),
        )
    };

    let submit = move || {
        error.set(None);
        let profile = match form_profile() {
            Ok(p) => p,
            Err(message) => return error.set(Some(message)),
        };
        let token = match Token::parse(&token_text.get_untracked()) {
            Ok(t) => t,
            Err(e) => return error.set(Some(e.to_string())),
        };
        if let Err(e) = session.sign_in(profile, token) {
            return error.set(Some(e.to_string()));
        }
        token_text.set(String::new());
        let next = query
            .get_untracked()
            .get("next")
            .and_then(|n| safe_return_path(&n).map(str::to_owned))
            .unwrap_or_else(|| START_PAGE.to_owned());
        navigate(&next, leptos_router::NavigateOptions::default());
    };
    let test_connection = move || {
        test_report.set(None);
        let profile = match form_profile() {
            Ok(p) => p,
            Err(message) => return test_report.set(Some((false, message))),
        };
        let token = match Token::parse(&token_text.get_untracked()) {
            Ok(t) => t,
            Err(e) => return test_report.set(Some((false, e.to_string()))),
        };
        let trial = Session { profile, token };
        testing.set(true);
        spawn_local(async move {
            let result = match trial.endpoint(Service::Metrics) {
                Ok(endpoint) => check_connection(&endpoint).await,
                Err(e) => Err(e),
            };
            test_report.set(Some(connection_report(&trial.profile, &result)));
            testing.set(false);
        });
    };

    view! {
        <main class="sign-in">
            <form
                class="sign-in-card"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }
            >
                <h1>"Sightline"</h1>
                <p class="muted">"GPU fleet metrics and logs, straight from your browser."</p>
                {move || session.expired.get().then(|| view! {
                    <p id="session-expired" class="error-text" role="alert">
                        "The host rejected the token (it may have expired). Sign in again to return to where you were."
                    </p>
                })}
                {move || match config() {
                    None => view! { <p class="muted">"Loading endpoints…"</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="error-text" role="alert">{message}</p> }.into_any(),
                    Some(Ok(config)) => view! {
                        <label for="profile">"Endpoint"</label>
                        <select
                            id="profile"
                            prop:value=move || profile_id.get()
                            on:change=move |ev| profile_id.set(event_target_value(&ev))
                        >
                            {config.profiles.iter().map(|p| {
                                let id = p.id.clone();
                                view! { <option value=id.clone() selected=move || profile_id.get() == id>{p.name.clone()}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    }.into_any(),
                }}
                <p class="muted small profile-description">
                    {move || selected().map(|p| if p.description.is_empty() {
                        p.base(Service::Metrics).unwrap_or_default().to_owned()
                    } else {
                        p.description.clone()
                    })}
                </p>
                <Show when=is_custom>
                    <label for="custom-metrics">"Metrics URL (Prometheus API)"</label>
                    <input id="custom-metrics" type="url" placeholder="https://prometheus.example.com"
                        prop:value=move || custom_metrics.get()
                        on:input=move |ev| custom_metrics.set(event_target_value(&ev)) />
                    <label for="custom-logs">"Logs URL (Loki API, optional)"</label>
                    <input id="custom-logs" type="url" placeholder="https://loki.example.com"
                        prop:value=move || custom_logs.get()
                        on:input=move |ev| custom_logs.set(event_target_value(&ev)) />
                </Show>
                <label for="token">"API access token"</label>
                <input
                    id="token"
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="Paste the token"
                    prop:value=move || token_text.get()
                    on:input=move |ev| token_text.set(event_target_value(&ev))
                />
                <p class="muted small">
                    "The token stays in this tab's session storage and is sent only to the hosts of the chosen endpoint."
                </p>
                <div class="row">
                    <button id="sign-in" class="btn btn-primary" type="submit">"Sign in"</button>
                    <button id="test-connection" class="btn" type="button"
                        disabled=move || testing.get()
                        on:click=move |_| test_connection()>
                        {move || if testing.get() { "Testing…" } else { "Test connection" }}
                    </button>
                </div>
                {move || error.get().map(|message| view! {
                    <p id="sign-in-error" class="error-text" role="alert">{message}</p>
                })}
                {move || test_report.get().map(|(ok, message)| view! {
                    <p id="test-report" class=if ok { "ok-text" } else { "error-text" }>{message}</p>
                })}
            </form>
        </main>
    }
}
