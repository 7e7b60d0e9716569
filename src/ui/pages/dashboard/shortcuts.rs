//! The dashboard page's keyboard shortcuts (`t z`, `t ←`, `t →`, `d r`, `Esc`, as in Grafana):
//! a window listener that feeds keys typed outside fields and dialogs to [`ShortcutKeys`] and
//! runs the shortcut they complete. Removed when the page unmounts.

use std::cell::RefCell;

use leptos::prelude::*;
use sightline_core::model::shortcuts::{DashboardShortcut, ShortcutKeys};
use wasm_bindgen::JsCast;

use crate::browser::now_ms;

/// Runs `on_shortcut` for each shortcut typed while the page is mounted.
pub fn use_dashboard_shortcuts(on_shortcut: impl Fn(DashboardShortcut) + 'static) {
    let keys = RefCell::new(ShortcutKeys::default());
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.alt_key() || ev.meta_key() || ev.default_prevented() {
            return;
        }
        if typed_into_a_field_or_dialog(&ev) {
            return;
        }
        let done = keys.borrow_mut().press(&ev.key(), now_ms());
        if let Some(shortcut) = done {
            ev.prevent_default();
            on_shortcut(shortcut);
        }
    });
    let handle = send_wrapper::SendWrapper::new(handle);
    on_cleanup(move || handle.take().remove());
}

/// Keys typed into a text field, a menu or a dialog belong to it (Escape closes a dialog, not
/// the full-size panel behind it).
fn typed_into_a_field_or_dialog(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || target
            .closest("[contenteditable], .modal, .dropdown, [role=dialog]")
            .ok()
            .flatten()
            .is_some()
}
