//! Which method a query goes out with: a POST form where the profile prefers it and the
//! endpoint allows it, unless the host refused a POST earlier in this tab; then GET.
//!
//! A host that refuses POST (a gateway that allows only GET, a CORS answer that does not list
//! POST or `Content-Type`) costs one failed POST and one GET per tab, not one per query: the
//! refusal is kept in `sessionStorage`, so reloads of the tab (and `early.js`) send GET at once.

use std::cell::RefCell;

use sightline_core::api::request::ApiRequest;

use super::http::Endpoint;
use crate::storage;

thread_local! {
    /// Bases whose POST failed in a way a GET of the same parameters then fixed; read from
    /// `sessionStorage` on first use.
    static REFUSED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

fn with_refused<T>(f: impl FnOnce(&mut Vec<String>) -> T) -> T {
    REFUSED.with_borrow_mut(|refused| f(refused.get_or_insert_with(storage::post_refused_bases)))
}

/// `request` as `endpoint` sends it (see the module comment).
#[must_use]
pub fn wire_request(endpoint: &Endpoint, request: &ApiRequest) -> ApiRequest {
    let prefer = endpoint.prefer_post && !with_refused(|r| r.contains(&endpoint.base));
    request.clone().preferring_post(prefer)
}

/// Remembers that `base` takes queries as GET only, for the rest of this tab.
pub fn remember_refused(base: &str) {
    with_refused(|refused| {
        if !refused.iter().any(|b| b == base) {
            refused.push(base.to_owned());
            storage::save_post_refused_bases(refused);
        }
    });
}
