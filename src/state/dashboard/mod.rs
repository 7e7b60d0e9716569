//! The state of an open dashboard: the (possibly edited) document, the time range and zone, the
//! refresh interval, the variables, and the "now" every panel evaluates against. Panels read it
//! through [`use_dashboard`]; the URL mirrors it in Grafana's form ([`url`]), and unsaved edits
//! are kept as a draft for the tab ([`keep_drafts`]).

pub mod early;
pub mod limiter;
pub mod panel_data;
pub mod url;
pub mod variables;

use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::model::dashboard::{load, Dashboard, Panel};
use sightline_core::model::interpolate::{interpolate, Scope, VariableValue};
use sightline_core::model::refresh::Refresh;
use sightline_core::model::time_expr::{RangeExpr, TimeExpr};
use sightline_core::model::time_override::{panel_time, OverrideContext, PanelTime};
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::timezone::TimeZone;
use sightline_core::model::url_state::UrlState;

use crate::browser::{current_path_and_query, now_ms, zone_offset};
use crate::state::catalog::{find, Source};
use crate::state::session::SessionState;
use crate::storage::drafts;
use limiter::{Limiter, DEFAULT_MAX_IN_FLIGHT};
pub use variables::VariableState;

/// Everything a dashboard page shares with its panels.
#[derive(Clone, Copy)]
pub struct DashboardState {
    /// The dashboard as shown (edits apply here first).
    pub dashboard: RwSignal<Dashboard>,
    /// Where it came from (a built-in or the library).
    pub source: StoredValue<Source>,
    /// Edits not saved to the library yet.
    pub dirty: RwSignal<bool>,
    /// The dashboard shown is this tab's draft (unsaved edits kept across a sign-in).
    pub from_draft: RwSignal<bool>,
    /// The range as written (`now-6h`, `now`).
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
    pub timezone: RwSignal<TimeZone>,
    pub refresh: RwSignal<Refresh>,
    /// The instant "now" means for the current evaluation; moved forward by refreshes.
    pub now_ms: RwSignal<i64>,
    /// Each variable's options and selection, in file order.
    pub variables: RwSignal<Vec<VariableState>>,
    /// False until every variable is resolved (panels wait for it).
    pub variables_ready: RwSignal<bool>,
    /// Selections asked for by the URL or the user, by variable name.
    pub wanted: RwSignal<Vec<(String, Vec<String>)>>,
    /// Panel requests in flight (auto-refresh skips a tick while any runs).
    pub in_flight: RwSignal<u32>,
    /// Panel requests finished since the page opened (answered, failed or superseded): the
    /// grid mounts the panels below the top rows once the first is over.
    pub settled: RwSignal<u32>,
    /// Bumped to make every panel query again without moving the range (Retry, Refresh now).
    pub generation: RwSignal<u64>,
    /// The page's request cap.
    pub limiter: StoredValue<Limiter>,
}

impl DashboardState {
    /// State for `dashboard`, with the time range, zone, refresh and variables from `url` where
    /// it sets them, else from the file.
    #[must_use]
    pub fn new(dashboard: Dashboard, source: Source, url: &UrlState) -> Self {
        let (file_from, file_to) = dashboard
            .time
            .as_ref()
            .map_or(("now-6h".to_owned(), "now".to_owned()), |t| {
                (t.from.clone(), t.to.clone())
            });
        let (from, to) = match (&url.from, &url.to) {
            (Some(f), Some(t)) if RangeExpr::parse(f, t).is_ok() => (f.clone(), t.clone()),
            _ if RangeExpr::parse(&file_from, &file_to).is_ok() => (file_from, file_to),
            _ => ("now-6h".to_owned(), "now".to_owned()),
        };
        let timezone = url
            .timezone
            .as_deref()
            .or(Some(dashboard.timezone.as_str()))
            .and_then(|z| z.parse().ok())
            .unwrap_or_default();
        let refresh = url
            .refresh
            .as_deref()
            .unwrap_or(dashboard.refresh.0.as_str())
            .parse()
            .unwrap_or_default();
        // The first "now" is the one `early.js` sent this page's requests at, if it did: the
        // panels then build the very URLs it asked for, and take their answers.
        let page = current_path_and_query();
        let now = crate::client::early::take_page_now(&page).unwrap_or_else(now_ms);
        early::begin(page, now);
        DashboardState {
            dashboard: RwSignal::new(dashboard),
            source: StoredValue::new(source),
            dirty: RwSignal::new(false),
            from_draft: RwSignal::new(false),
            from: RwSignal::new(from),
            to: RwSignal::new(to),
            timezone: RwSignal::new(timezone),
            refresh: RwSignal::new(refresh),
            now_ms: RwSignal::new(now),
            variables: RwSignal::new(Vec::new()),
            variables_ready: RwSignal::new(false),
            wanted: RwSignal::new(url.variables.clone()),
            in_flight: RwSignal::new(0),
            settled: RwSignal::new(0),
            generation: RwSignal::new(0),
            limiter: StoredValue::new(Limiter::new(DEFAULT_MAX_IN_FLIGHT)),
        }
    }

    /// The absolute range at the current "now" (falls back to the last 6 hours if the
    /// expressions stopped parsing).
    #[must_use]
    pub fn range(&self) -> TimeRange {
        let expr = RangeExpr::parse(&self.from.get(), &self.to.get())
            .unwrap_or_else(|_| RangeExpr::last_6_hours());
        let zone = self.timezone.get();
        expr.resolve(self.now_ms.get(), &|t| zone_offset(&zone, t))
    }

    /// The "now" `panel`'s requests may be recorded under for the next full load
    /// ([`early`]): when its range keeps a fixed distance from "now" (no `now/d`, no absolute
    /// range, no `timeFrom`/`timeShift` of its own).
    #[must_use]
    pub fn early_now(&self, panel: &Panel) -> Option<i64> {
        self.early_range_now()
            .filter(|_| panel.time_from.is_none() && panel.time_shift.is_none())
    }

    /// The "now" requests over the dashboard's own range (its variables') may be recorded
    /// under ([`early`]): when that range keeps a fixed distance from "now".
    #[must_use]
    pub fn early_range_now(&self) -> Option<i64> {
        RangeExpr::parse(&self.from.get_untracked(), &self.to.get_untracked())
            .is_ok_and(|r| r.follows_now())
            .then(|| self.now_ms.get_untracked())
    }

    /// The range `panel` shows (its `timeFrom` / `timeShift` applied, interpolated with
    /// `variables`) and what its header says about it.
    #[must_use]
    pub fn panel_time(&self, panel: &Panel, variables: &[(String, VariableValue)]) -> PanelTime {
        let range = self.range();
        if panel.time_from.is_none() && panel.time_shift.is_none() {
            return PanelTime {
                range,
                label: None,
                problem: None,
            };
        }
        let scope = Scope {
            variables,
            builtins: None,
        };
        let text = |t: &Option<String>| t.as_deref().map(|t| interpolate(t, &scope));
        let (time_from, time_shift) = (text(&panel.time_from), text(&panel.time_shift));
        let relative = self
            .from
            .with(|from| from.parse::<TimeExpr>().is_ok_and(|f| f.is_relative()));
        let zone = self.timezone.get();
        let offset_at = |t: i64| zone_offset(&zone, t);
        let context = OverrideContext {
            range,
            relative,
            now_ms: self.now_ms.get(),
            offset_at: &offset_at,
        };
        panel_time(time_from.as_deref(), time_shift.as_deref(), &context)
    }

    /// Sets a new range (from the picker or a zoom) and evaluates it now.
    pub fn set_range(&self, from: String, to: String) {
        self.from.set(from);
        self.to.set(to);
        self.now_ms.set(now_ms());
    }

    /// Sets an absolute range in Unix milliseconds (drag-to-zoom, shift, zoom out).
    pub fn set_absolute(&self, range: TimeRange) {
        self.set_range(range.from_ms.to_string(), range.to_ms.to_string());
    }

    /// Re-evaluates "now" and queries every panel again.
    pub fn refresh_now(&self) {
        self.now_ms.set(now_ms());
        self.generation.update(|g| *g += 1);
    }

    /// The values interpolation uses, by variable name.
    #[must_use]
    pub fn variable_values(&self) -> Arc<Vec<(String, VariableValue)>> {
        Arc::new(
            self.variables
                .get()
                .iter()
                .map(|v| (v.variable.name.clone(), v.value()))
                .collect(),
        )
    }

    /// Selects `values` for variable `name`; dependent variables are resolved again.
    pub fn select(&self, name: &str, values: Vec<String>) {
        self.wanted
            .update(|wanted| match wanted.iter_mut().find(|(n, _)| n == name) {
                Some((_, v)) => *v = values,
                None => wanted.push((name.to_owned(), values)),
            });
    }

    /// Applies an edit to the dashboard and marks it unsaved.
    pub fn edit(&self, f: impl FnOnce(&mut Dashboard)) {
        self.dashboard.update(f);
        self.dirty.set(true);
    }

    /// The uid the dashboard was opened under (`/d/<uid>`), also its library and draft key.
    #[must_use]
    pub fn uid(&self) -> String {
        self.source.with_value(|source| match source {
            Source::Builtin(uid) => (*uid).to_owned(),
            Source::Library(id) => id.clone(),
        })
    }

    /// Records a save to the library: no unsaved edits, no draft, and the library copy is now
    /// where the dashboard comes from.
    pub fn mark_saved(&self) {
        let uid = self.uid();
        self.source.set_value(Source::Library(uid));
        self.from_draft.set(false);
        self.dirty.set(false);
    }

    /// Drops the unsaved edits: forgets the draft and shows the dashboard as last saved (or as
    /// built in).
    pub fn discard_draft(&self) {
        let uid = self.uid();
        drafts::draft_delete(&uid);
        if let Some(found) = find(&uid) {
            if let Some(dashboard) = found.loaded.dashboard {
                self.source.set_value(found.source);
                self.dashboard.set(dashboard);
            }
        }
        self.from_draft.set(false);
        self.dirty.set(false);
    }
}

/// Opens this tab's draft of the dashboard if there is one (shown as unsaved), then keeps the
/// draft in step with the edits: written while there are unsaved edits, removed once saved or
/// discarded. This is what lets a user sign in again after a 401 without losing an edit.
pub fn keep_drafts(state: DashboardState, session: SessionState) {
    let uid = state.uid();
    if let Some(draft) = drafts::draft_get(&uid) {
        let loaded = load(&draft.text);
        match loaded.dashboard {
            Some(dashboard) if !loaded.has_errors() => {
                state.dashboard.set(dashboard);
                state.from_draft.set(true);
                state.dirty.set(true);
            }
            _ => drafts::draft_delete(&uid),
        }
    }
    Effect::new(move |_| {
        if !state.dirty.get() {
            drafts::draft_delete(&uid);
            return;
        }
        let text = state.dashboard.with(Dashboard::to_json_pretty);
        let Some(token) = session
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
        else {
            return;
        };
        let draft = drafts::Draft {
            uid: uid.clone(),
            saved_ms: now_ms(),
            text,
        };
        // A draft that cannot be kept (token inside, storage full) only loses the safety net;
        // the edit itself stays on the page and Save reports the same problem.
        let _ = drafts::draft_put(&draft, &token);
    });
}

/// Provides a [`DashboardState`] to the panels below.
pub fn provide_dashboard(state: DashboardState) {
    provide_context(state);
}

/// The [`DashboardState`] of the page.
///
/// # Panics
/// Outside a dashboard page (a programming error, not something a user can trigger).
#[must_use]
pub fn use_dashboard() -> DashboardState {
    use_context::<DashboardState>().unwrap_or_else(|| {
        panic!("use_dashboard() called outside a dashboard page");
    })
}
