//! The chart legend: a list, or a table with calculations (min, max, mean, last…). Click a
//! series to isolate it, Ctrl/Cmd-click to toggle it.

use std::collections::BTreeSet;

use leptos::prelude::*;
use sightline_core::model::reduce::Reducer;
use sightline_core::model::units::format_value;

use super::paint::color_of;
use super::ChartInput;

/// How the legend is shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LegendMode {
    #[default]
    List,
    /// A table with one column per calculation.
    Table(Vec<Reducer>),
    Hidden,
}

/// Applies a legend click to the hidden set: isolate, or toggle with a modifier key.
pub fn apply_click(hidden: &mut BTreeSet<usize>, count: usize, index: usize, toggle: bool) {
    if toggle {
        if !hidden.remove(&index) {
            hidden.insert(index);
        }
        return;
    }
    let isolated = hidden.len() + 1 == count && !hidden.contains(&index);
    hidden.clear();
    if !isolated {
        hidden.extend((0..count).filter(|i| *i != index));
    }
}

/// The legend of a chart.
///
/// Its rows are drawn by one closure that reads both the data and the hidden set: a reactive
/// class on each row would subscribe every row ever drawn to the chart's long-lived hidden set,
/// and Leptos keeps a disposed subscriber's allocation in a live signal's list (a leak of one
/// row's worth per refresh, found with the memory figure of `cargo xtask bench`).
#[component]
pub fn Legend(
    input: Signal<Option<ChartInput>>,
    hidden: RwSignal<BTreeSet<usize>>,
    mode: LegendMode,
) -> impl IntoView {
    let click = move |index: usize, ev: web_sys::MouseEvent| {
        let count = input.with_untracked(|i| i.as_ref().map_or(0, |i| i.series.len()));
        hidden.update(|h| apply_click(h, count, index, ev.ctrl_key() || ev.meta_key()));
    };
    let entry = move |input: &ChartInput, index: usize| {
        let color = color_of(input, index).hex();
        let name = input.names.get(index).cloned().unwrap_or_default();
        (color, name)
    };
    match mode {
        LegendMode::Hidden => ().into_any(),
        LegendMode::List => view! {
            <ul class="legend">
                {move || hidden.with(|hidden| input.with(|input| {
                    let Some(input) = input else { return Vec::new() };
                    (0..input.series.len()).filter(|i| input.in_legend(*i)).map(|index| {
                        let (color, name) = entry(input, index);
                        view! {
                            <li class="legend-item"
                                class:legend-hidden=hidden.contains(&index)
                                title="Click to isolate, Ctrl/Cmd-click to toggle"
                                on:click=move |ev| click(index, ev)>
                                <span class="swatch" style:background-color=color></span>
                                <span class="legend-name">{name}</span>
                            </li>
                        }
                    }).collect::<Vec<_>>()
                }))}
            </ul>
        }
        .into_any(),
        LegendMode::Table(calcs) => {
            let headers = calcs.clone();
            view! {
                <div class="legend-table-wrap">
                    <table class="legend-table">
                        <thead><tr>
                            <th class="legend-name-col">"Name"</th>
                            {headers.iter().map(|c| view! { <th>{c.label()}</th> }).collect::<Vec<_>>()}
                        </tr></thead>
                        <tbody>
                            {move || hidden.with(|hidden| input.with(|input| {
                                let Some(input) = input else { return Vec::new() };
                                (0..input.series.len()).filter(|i| input.in_legend(*i)).map(|index| {
                                    let (color, name) = entry(input, index);
                                    let values = &input.series[index].values;
                                    let cells: Vec<String> = calcs.iter().map(|c| c.apply(values)
                                        .map_or_else(|| "–".to_owned(), |v| format_value(v, input.unit_of(index), input.decimals)))
                                        .collect();
                                    view! {
                                        <tr class="legend-row"
                                            class:legend-hidden=hidden.contains(&index)
                                            on:click=move |ev| click(index, ev)>
                                            <td class="legend-name-col">
                                                <div class="legend-name-cell">
                                                    <span class="swatch" style:background-color=color></span>
                                                    <span class="legend-name">{name}</span>
                                                </div>
                                            </td>
                                            {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect::<Vec<_>>()}
                                        </tr>
                                    }
                                }).collect::<Vec<_>>()
                            }))}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn click_isolates_then_restores_and_modifier_toggles() {
        let mut hidden = BTreeSet::new();
        apply_click(&mut hidden, 3, 1, false);
        assert_eq!(hidden, BTreeSet::from([0, 2]));
        apply_click(&mut hidden, 3, 1, false);
        assert!(hidden.is_empty());
        apply_click(&mut hidden, 3, 2, true);
        assert_eq!(hidden, BTreeSet::from([2]));
        apply_click(&mut hidden, 3, 2, true);
        assert!(hidden.is_empty());
    }
}
