//! The time picker: quick ranges, relative or absolute `from`/`to` in Grafana's syntax
//! (`now-6h`, `now/d`, `2026-11-23 10:00:00`), the time zone, zoom out and shift.

use leptos::prelude::*;
use sightline_core::model::shortcuts::{keys_of, DashboardShortcut};
use sightline_core::model::time_expr::RangeExpr;
use sightline_core::model::timezone::TimeZone;

/// A quick range: label, from, to.
pub const QUICK_RANGES: [(&str, &str, &str); 16] = [
    ("Last 5 minutes", "now-5m", "now"),
    ("Last 15 minutes", "now-15m", "now"),
    ("Last 30 minutes", "now-30m", "now"),
    ("Last 1 hour", "now-1h", "now"),
    ("Last 3 hours", "now-3h", "now"),
    ("Last 6 hours", "now-6h", "now"),
    ("Last 12 hours", "now-12h", "now"),
    ("Last 24 hours", "now-24h", "now"),
    ("Last 2 days", "now-2d", "now"),
    ("Last 7 days", "now-7d", "now"),
    ("Last 14 days", "now-14d", "now"),
    ("Last 30 days", "now-30d", "now"),
    ("Today so far", "now/d", "now"),
    ("Yesterday", "now-1d/d", "now-1d/d"),
    ("This week so far", "now/w", "now"),
    ("Previous week", "now-1w/w", "now-1w/w"),
];

/// Time zones offered besides free text.
const ZONES: [&str; 8] = [
    "browser",
    "utc",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Rome",
    "Asia/Tokyo",
    "Australia/Sydney",
];

/// What the picker button says for `from`/`to`.
#[must_use]
pub fn range_label(from: &str, to: &str) -> String {
    QUICK_RANGES
        .iter()
        .find(|(_, f, t)| *f == from && *t == to)
        .map_or_else(
            || format!("{from} to {to}"),
            |(label, _, _)| (*label).to_owned(),
        )
}

/// The time picker. `from`/`to` are Grafana range expressions; `on_change` receives new ones
/// (already checked to parse).
#[component]
pub fn TimePicker(
    from: Signal<String>,
    to: Signal<String>,
    timezone: Signal<TimeZone>,
    #[prop(into)] on_change: Callback<(String, String)>,
    #[prop(into)] on_zone: Callback<TimeZone>,
    /// Zoom out (double the range around its centre).
    #[prop(into)]
    on_zoom_out: Callback<()>,
    /// Move the range back (-1) or forward (+1) by half its length.
    #[prop(into)]
    on_shift: Callback<i32>,
    /// Whether the page has the keyboard shortcuts (the dashboard): the buttons' tooltips say them.
    #[prop(optional)]
    shortcuts: bool,
) -> impl IntoView {
    let hint = move |text: &str, shortcut: DashboardShortcut| {
        if shortcuts {
            format!("{text} ({})", keys_of(shortcut))
        } else {
            text.to_owned()
        }
    };
    let open = RwSignal::new(false);
    let draft_from = RwSignal::new(String::new());
    let draft_to = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let toggle = move |_| {
        if !open.get_untracked() {
            draft_from.set(from.get_untracked());
            draft_to.set(to.get_untracked());
            error.set(None);
        }
        open.update(|o| *o = !*o);
    };
    let apply = move || {
        let (f, t) = (draft_from.get_untracked(), draft_to.get_untracked());
        match RangeExpr::parse(f.trim(), t.trim()) {
            Ok(_) => {
                on_change.run((f.trim().to_owned(), t.trim().to_owned()));
                open.set(false);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <div class="time-picker">
            <button class="btn btn-icon" title=hint("Move back", DashboardShortcut::ShiftBack) aria-label="Move the time range back" on:click=move |_| on_shift.run(-1)>"‹"</button>
            <button id="time-picker-button" class="btn" on:click=toggle title="Time range">
                <span class="clock">"◷ "</span>{move || range_label(&from.get(), &to.get())}
            </button>
            <button class="btn btn-icon" title=hint("Move forward", DashboardShortcut::ShiftForward) aria-label="Move the time range forward" on:click=move |_| on_shift.run(1)>"›"</button>
            <button class="btn btn-icon" title=hint("Zoom out: double the range", DashboardShortcut::ZoomOut) aria-label="Zoom out" on:click=move |_| on_zoom_out.run(())>"⊖"</button>
            <Show when=move || open.get()>
                <div class="dropdown time-dropdown" role="dialog" aria-label="Time range">
                    <form class="time-absolute" on:submit=move |ev| { ev.prevent_default(); apply(); }>
                        <h2>"Time range"</h2>
                        <label for="time-from">"From"</label>
                        <input id="time-from" prop:value=move || draft_from.get() on:input=move |ev| draft_from.set(event_target_value(&ev))/>
                        <label for="time-to">"To"</label>
                        <input id="time-to" prop:value=move || draft_to.get() on:input=move |ev| draft_to.set(event_target_value(&ev))/>
                        <p class="muted small">"e.g. now-6h, now/d, now-1d/d, 2026-11-23 10:00:00, 1732350000000"</p>
                        {move || error.get().map(|e| view! { <p class="error-text small" role="alert">{e}</p> })}
                        <button id="time-apply" class="btn btn-primary" type="submit">"Apply time range"</button>
                        <label for="time-zone">"Time zone"</label>
                        <select id="time-zone" on:change=move |ev| {
                            if let Ok(zone) = event_target_value(&ev).parse::<TimeZone>() {
                                on_zone.run(zone);
                            }
                        }>
                            {ZONES.iter().map(|z| {
                                let zone = (*z).to_owned();
                                let selected = move || timezone.get().to_string() == zone;
                                view! { <option value=*z selected=selected>{*z}</option> }
                            }).collect::<Vec<_>>()}
                            {move || {
                                let current = timezone.get().to_string();
                                (!ZONES.contains(&current.as_str())).then(|| view! { <option value=current.clone() selected=true>{current.clone()}</option> })
                            }}
                        </select>
                    </form>
                    <ul class="quick-ranges">
                        {QUICK_RANGES.iter().map(|(label, f, t)| {
                            let (f, t) = ((*f).to_owned(), (*t).to_owned());
                            let (fc, tc) = (f.clone(), t.clone());
                            view! {
                                <li>
                                    <button class="link-button" class:active=move || from.get() == fc && to.get() == tc
                                        on:click=move |_| { on_change.run((f.clone(), t.clone())); open.set(false); }>
                                        {*label}
                                    </button>
                                </li>
                            }
                        }).collect::<Vec<_>>()}
                    </ul>
                </div>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quick_range_parses_and_labels_itself() {
        for (label, from, to) in QUICK_RANGES {
            assert!(RangeExpr::parse(from, to).is_ok(), "{from} {to}");
            assert_eq!(range_label(from, to), label);
        }
        assert_eq!(range_label("now-90m", "now"), "now-90m to now");
    }
}
