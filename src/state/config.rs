//! The deploy-time `config.json`, fetched once (without credentials) when the app starts.

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sightline_core::api::endpoints::DeployConfig;

/// The config as loaded: `None` while loading, then the parsed config or a readable error.
#[derive(Clone, Copy)]
pub struct ConfigState {
    pub config: RwSignal<Option<Result<DeployConfig, String>>>,
}

/// Starts loading `config.json` and provides [`ConfigState`] to the component tree.
pub fn provide_config() -> ConfigState {
    let state = ConfigState {
        config: RwSignal::new(None),
    };
    spawn_local(async move {
        state.config.set(Some(load_config().await));
    });
    provide_context(state);
    state
}

/// Provides an already known config (component tests, embedding).
pub fn provide_config_value(config: DeployConfig) -> ConfigState {
    let state = ConfigState {
        config: RwSignal::new(Some(Ok(config))),
    };
    provide_context(state);
    state
}

/// The [`ConfigState`] of the app (loading it if nothing provided one).
#[must_use]
pub fn use_config() -> ConfigState {
    use_context::<ConfigState>().unwrap_or_else(provide_config)
}

async fn load_config() -> Result<DeployConfig, String> {
    let response = Request::get("/config.json")
        .send()
        .await
        .map_err(|e| format!("config.json could not be loaded: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "config.json could not be loaded: the server answered {}",
            response.status()
        ));
    }
    let text = response
        .text()
        .await
        .map_err(|e| format!("config.json could not be read: {e}"))?;
    DeployConfig::parse(&text).map_err(|e| e.to_string())
}
