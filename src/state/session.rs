//! The signed-in session: the chosen profile and the token, restored from `sessionStorage` when
//! the tab reloads, and the endpoints derived from them.

use leptos::prelude::*;
use sightline_core::api::auth::Token;
use sightline_core::api::endpoints::{Profile, Service};
use sightline_core::api::error::ApiError;

use crate::client::Endpoint;
use crate::storage::{self, StorageError};

/// A signed-in profile and its token.
#[derive(Clone, PartialEq)]
pub struct Session {
    pub profile: Profile,
    pub token: Token,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile.id)
            .field("token", &self.token)
            .finish()
    }
}

impl Session {
    /// The endpoint serving `service`, if the profile has one.
    ///
    /// # Errors
    /// [`ApiError`] naming the service when the profile has no host for it.
    pub fn endpoint(&self, service: Service) -> Result<Endpoint, ApiError> {
        let base = self.profile.base(service).ok_or_else(|| ApiError::Http {
            host: self.profile.name.clone(),
            status: 0,
            message: format!(
                "the profile {:?} has no {} host",
                self.profile.name,
                service.label()
            ),
        })?;
        Ok(Endpoint::new(base, self.token.clone())?
            .preferring_post(self.profile.prefers_post(service)))
    }
}

/// The session signal, provided at the root of the app.
#[derive(Clone, Copy)]
pub struct SessionState {
    pub session: RwSignal<Option<Session>>,
    /// Set when a host rejected the token (401): the sign-in page says why it is shown.
    pub expired: RwSignal<bool>,
}

impl SessionState {
    /// Keeps the session for this tab and makes it current.
    ///
    /// # Errors
    /// [`StorageError`] when the browser refuses session storage.
    pub fn sign_in(&self, profile: Profile, token: Token) -> Result<(), StorageError> {
        crate::client::early::forget_all();
        storage::save_session(&profile, &token)?;
        storage::remember_profile_id(&profile.id);
        self.expired.set(false);
        self.session.set(Some(Session { profile, token }));
        Ok(())
    }

    /// Forgets the token everywhere.
    pub fn sign_out(&self) {
        crate::client::early::forget_all();
        storage::clear_session();
        self.expired.set(false);
        self.session.set(None);
    }

    /// A host rejected the token: forget it. The sign-in guard then shows the sign-in page and
    /// returns to the same place (path and query) after the next sign-in; nothing else is lost.
    pub fn expire(&self) {
        crate::client::early::forget_all();
        storage::clear_session();
        self.expired.set(true);
        self.session.set(None);
    }
}

/// Restores the session from `sessionStorage` (if any) and provides [`SessionState`].
pub fn provide_session() -> SessionState {
    let restored = storage::load_session()
        .filter(|(profile, _)| profile.validate().is_ok())
        .map(|(profile, token)| Session { profile, token });
    let state = SessionState {
        session: RwSignal::new(restored),
        expired: RwSignal::new(false),
    };
    provide_context(state);
    state
}

/// The [`SessionState`] provided by [`provide_session`].
#[must_use]
pub fn use_session() -> SessionState {
    use_context::<SessionState>().unwrap_or_else(provide_session)
}
