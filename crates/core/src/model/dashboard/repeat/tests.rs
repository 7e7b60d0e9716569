#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;

fn panel(id: u64, x: u32, y: u32, w: u32, h: u32) -> Panel {
    Panel {
        id: Some(id),
        title: format!("p{id}"),
        grid_pos: Some(GridPos::new(x, y, w, h)),
        ..Panel::default()
    }
}

fn repeated(mut p: Panel, variable: &str) -> Panel {
    p.repeat = Some(variable.to_owned());
    p
}

fn row(id: u64, y: u32) -> Panel {
    Panel {
        kind: PanelKind::Row,
        ..panel(id, 0, y, 24, 1)
    }
}

fn values(names: &[&str]) -> Vec<RepeatValue> {
    names
        .iter()
        .map(|v| RepeatValue {
            value: (*v).to_owned(),
            text: format!("GPU {v}"),
        })
        .collect()
}

/// `gpu` has `gpus` values, `node` has `a` and `b`, anything else has none.
fn lookup(gpus: usize) -> impl Fn(&str) -> Vec<RepeatValue> {
    move |name| match name {
        "gpu" => (0..gpus)
            .map(|g| RepeatValue {
                value: g.to_string(),
                text: format!("GPU {g}"),
            })
            .collect(),
        "node" => values(&["a", "b"]),
        _ => Vec::new(),
    }
}

/// (panel id, x, y, w, h, the values it sees) for each placement, in (y, x) order.
fn drawn(panels: &[Panel], gpus: usize) -> Vec<(u64, u32, u32, u32, u32, Vec<String>)> {
    let mut out: Vec<_> = place(panels, &lookup(gpus))
        .into_iter()
        .map(|p| {
            let g = p.grid;
            let seen = p
                .scopes
                .iter()
                .map(|s| format!("{}={}", s.variable, s.value))
                .collect();
            (panels[p.index].id.unwrap(), g.x, g.y, g.w, g.h, seen)
        })
        .collect();
    out.sort_by_key(|d| (d.2, d.1));
    out
}

fn sees(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn a_panel_without_repeat_is_placed_where_the_file_says() {
    let panels = vec![panel(1, 0, 0, 12, 8), panel(2, 12, 0, 12, 8)];
    assert_eq!(
        drawn(&panels, 4),
        vec![(1, 0, 0, 12, 8, vec![]), (2, 12, 0, 12, 8, vec![])]
    );
}

#[test]
fn horizontal_copies_fill_rows_of_max_per_row_and_push_what_is_below_down() {
    let panels = vec![repeated(panel(1, 6, 2, 6, 4), "gpu"), panel(2, 0, 6, 24, 3)];
    let got = drawn(&panels, 6);
    let positions: Vec<_> = got.iter().map(|d| (d.0, d.1, d.2, d.3, d.4)).collect();
    assert_eq!(
        positions,
        vec![
            (1, 0, 2, 6, 4),
            (1, 6, 2, 6, 4),
            (1, 12, 2, 6, 4),
            (1, 18, 2, 6, 4),
            (1, 0, 6, 6, 4),
            (1, 6, 6, 6, 4),
            (2, 0, 10, 24, 3),
        ]
    );
    let seen: Vec<_> = got.iter().map(|d| d.5.clone()).collect();
    assert_eq!(seen[0], sees(&["gpu=0"]));
    assert_eq!(seen[5], sees(&["gpu=5"]));
    assert!(seen[6].is_empty());
}

#[test]
fn fewer_copies_than_max_per_row_share_the_width_and_fill_it() {
    let panels = vec![repeated(panel(1, 0, 0, 8, 4), "gpu")];
    let widths = |gpus: usize, max: Option<u32>| {
        let mut panels = panels.clone();
        panels[0].max_per_row = max;
        drawn(&panels, gpus)
            .iter()
            .map(|d| (d.1, d.3))
            .collect::<Vec<_>>()
    };
    assert_eq!(widths(3, None), vec![(0, 8), (8, 8), (16, 8)]);
    assert_eq!(
        widths(5, Some(6)),
        vec![(0, 5), (5, 5), (10, 5), (15, 5), (20, 4)]
    );
    assert_eq!(widths(1, None), vec![(0, 24)]);
    // Nonsense `maxPerRow` values stay within the grid.
    assert_eq!(widths(2, Some(0)), vec![(0, 12), (12, 12)]);
    assert_eq!(widths(30, Some(99)).len(), 30);
    assert!(widths(30, Some(99)).iter().all(|&(x, w)| w == 1 && x < 24));
}

#[test]
fn vertical_copies_stack_at_the_panels_width_beside_its_neighbour() {
    let mut source = repeated(panel(1, 0, 0, 12, 4), "gpu");
    source.repeat_direction = Some("v".to_owned());
    let panels = vec![source, panel(2, 12, 0, 12, 4), panel(3, 0, 4, 24, 2)];
    let positions: Vec<_> = drawn(&panels, 3)
        .iter()
        .map(|d| (d.0, d.1, d.2, d.3, d.4))
        .collect();
    assert_eq!(
        positions,
        vec![
            (1, 0, 0, 12, 4),
            (2, 12, 0, 12, 4),
            (1, 0, 4, 12, 4),
            (1, 0, 8, 12, 4),
            (3, 0, 12, 24, 2),
        ]
    );
}

#[test]
fn a_panel_beside_a_horizontal_repeat_moves_below_the_copies() {
    let panels = vec![
        repeated(panel(1, 0, 0, 12, 4), "gpu"),
        panel(2, 12, 0, 12, 4),
        panel(3, 0, 4, 24, 2),
    ];
    let positions: Vec<_> = drawn(&panels, 2)
        .iter()
        .map(|d| (d.0, d.1, d.2, d.3, d.4))
        .collect();
    assert_eq!(
        positions,
        vec![
            (1, 0, 0, 12, 4),
            (1, 12, 0, 12, 4),
            (2, 12, 4, 12, 4),
            (3, 0, 8, 24, 2)
        ]
    );
}

/// A row repeated per node over a panel repeated per GPU, then a plain row and panel below.
fn node_row_of_gpu_panels() -> Vec<Panel> {
    vec![
        repeated(row(1, 0), "node"),
        repeated(panel(2, 0, 1, 12, 4), "gpu"),
        row(3, 5),
        panel(4, 0, 6, 24, 3),
    ]
}

#[test]
fn a_repeated_row_repeats_its_panels_and_scopes_them_with_its_value() {
    let panels = node_row_of_gpu_panels();
    assert_eq!(
        drawn(&panels, 2),
        vec![
            (1, 0, 0, 24, 1, sees(&["node=a"])),
            (2, 0, 1, 12, 4, sees(&["node=a", "gpu=0"])),
            (2, 12, 1, 12, 4, sees(&["node=a", "gpu=1"])),
            (1, 0, 5, 24, 1, sees(&["node=b"])),
            (2, 0, 6, 12, 4, sees(&["node=b", "gpu=0"])),
            (2, 12, 6, 12, 4, sees(&["node=b", "gpu=1"])),
            (3, 0, 10, 24, 1, vec![]),
            (4, 0, 11, 24, 3, vec![]),
        ]
    );
}

#[test]
fn a_folded_copy_of_a_repeated_row_keeps_its_header_and_what_is_below_moves_up() {
    let panels = node_row_of_gpu_panels();
    let fold_a = |id: u64, value: &str| id == 1 && value == "a";
    let placed: Vec<_> = place_folding(&panels, &lookup(2), &fold_a)
        .into_iter()
        .map(|p| {
            let scope: Vec<String> = p.scopes.iter().map(|s| s.value.clone()).collect();
            (
                panels[p.index].id.unwrap(),
                p.grid.x,
                p.grid.y,
                scope,
                p.folded,
            )
        })
        .collect();
    assert_eq!(
        placed,
        vec![
            (1, 0, 0, sees(&["a"]), Some(2)),
            (1, 0, 1, sees(&["b"]), None),
            (2, 0, 2, sees(&["b", "0"]), None),
            (2, 12, 2, sees(&["b", "1"]), None),
            (3, 0, 6, vec![], None),
            (4, 0, 7, vec![], None),
        ]
    );
    // A row the file folds is folded for every copy, whatever the view state says.
    let mut header = repeated(row(1, 0), "node");
    header.collapsed = true;
    header.panels = vec![panel(2, 0, 1, 24, 4)];
    let file_folded = vec![header, panel(3, 0, 1, 24, 4)];
    assert!(place_folding(&file_folded, &lookup(2), &fold_a)
        .iter()
        .all(|p| p.folded.is_none()));
    // Another row's id or another value folds nothing.
    let unrelated = |id: u64, value: &str| id == 3 || value == "c";
    assert_eq!(
        place_folding(&panels, &lookup(2), &unrelated),
        place(&panels, &lookup(2))
    );
}

#[test]
fn a_collapsed_repeated_row_shows_one_header_per_value() {
    let mut header = repeated(row(1, 0), "node");
    header.collapsed = true;
    header.panels = vec![panel(2, 0, 1, 24, 4)];
    let panels = vec![header, panel(3, 0, 1, 24, 4)];
    let positions: Vec<_> = drawn(&panels, 2)
        .iter()
        .map(|d| (d.0, d.2, d.5.clone()))
        .collect();
    assert_eq!(
        positions,
        vec![
            (1, 0, sees(&["node=a"])),
            (1, 1, sees(&["node=b"])),
            (3, 2, vec![])
        ]
    );
}

#[test]
fn a_variable_without_values_draws_the_panel_once_unscoped() {
    let panels = vec![
        repeated(panel(1, 0, 0, 12, 4), "missing"),
        panel(2, 0, 4, 12, 4),
    ];
    assert_eq!(
        drawn(&panels, 0),
        vec![(1, 0, 0, 12, 4, vec![]), (2, 0, 4, 12, 4, vec![])]
    );
    let panels = vec![repeated(panel(1, 0, 0, 12, 4), "gpu")];
    assert_eq!(drawn(&panels, 0), vec![(1, 0, 0, 12, 4, vec![])]);
}

#[test]
fn grafanas_saved_copies_are_drawn_from_their_source_but_orphans_are_kept() {
    let mut copy = panel(7, 12, 0, 12, 4);
    copy.extra
        .insert("repeatPanelId".to_owned(), serde_json::json!(1));
    let mut orphan = panel(8, 0, 4, 12, 4);
    orphan
        .extra
        .insert("repeatPanelId".to_owned(), serde_json::json!(99));
    let panels = vec![repeated(panel(1, 0, 0, 12, 4), "gpu"), copy, orphan];
    let ids: Vec<u64> = drawn(&panels, 2).iter().map(|d| d.0).collect();
    assert_eq!(ids, vec![1, 1, 8]);
}

#[test]
fn a_dollar_in_the_repeat_name_is_accepted() {
    let p = repeated(panel(1, 0, 0, 12, 4), " $gpu ");
    assert_eq!(p.repeat_variable(), Some("gpu"));
    assert_eq!(repeated(panel(1, 0, 0, 1, 1), "").repeat_variable(), None);
}

#[test]
fn a_copy_sees_its_variable_as_its_one_value() {
    let all = VariableValue {
        values: vec!["0".into(), "1".into()],
        texts: vec!["0".into(), "1".into()],
        is_all: true,
        all_value: Some(".*".into()),
        multi_or_all: true,
    };
    let variables = vec![
        ("gpu".to_owned(), all),
        ("node".to_owned(), VariableValue::single("a")),
    ];
    let scope = RepeatScope {
        variable: "gpu".into(),
        value: "1".into(),
        text: "GPU 1".into(),
    };
    let scoped = scoped_variables(&variables, &[scope]);
    assert_eq!(scoped[0].1.values, vec!["1".to_owned()]);
    assert_eq!(scoped[0].1.texts, vec!["GPU 1".to_owned()]);
    assert!(!scoped[0].1.is_all && scoped[0].1.all_value.is_none() && scoped[0].1.multi_or_all);
    assert_eq!(scoped[1], variables[1]);
}

#[test]
fn a_thousand_copies_place_quickly_without_overlap() {
    let panels = vec![repeated(panel(1, 0, 0, 6, 3), "gpu"), panel(2, 0, 3, 24, 4)];
    let placed = place(&panels, &lookup(1000));
    assert_eq!(placed.len(), 1001);
    let below = placed.iter().find(|p| p.index == 1).unwrap();
    assert_eq!(below.grid.y, 750);
}

proptest! {
    #[test]
    fn placements_never_overlap_and_every_value_gets_a_copy(
        layout in prop::collection::vec((0u32..24, 0u32..6, 1u32..=24, 1u32..6, 0u8..4, any::<bool>(), 0u32..6), 1..16),
        gpus in 0usize..7,
    ) {
        // Panels stacked without overlap, as loading leaves them; some repeat, some are rows.
        let mut panels = Vec::new();
        let mut y = 0;
        let mut expected = 0;
        let mut rows_repeat = 1;
        for (i, &(x, _, w, h, kind, vertical, max)) in layout.iter().enumerate() {
            let id = i as u64 + 1;
            let w = w.min(24 - x.min(23));
            let mut p = panel(id, x.min(23), y, w, h);
            match kind {
                0 => {
                    p = repeated(row(id, y), if vertical { "node" } else { "none" });
                    rows_repeat = if vertical { 2 } else { 1 };
                    expected += rows_repeat;
                    y += 1;
                    panels.push(p);
                    continue;
                }
                1 => {
                    p = repeated(p, "gpu");
                    p.repeat_direction = vertical.then(|| "v".to_owned());
                    p.max_per_row = Some(max);
                    expected += rows_repeat * gpus.max(1);
                }
                _ => expected += rows_repeat,
            }
            y += h;
            panels.push(p);
        }
        let placed = place(&panels, &lookup(gpus));
        prop_assert_eq!(placed.len(), expected);
        for (i, a) in placed.iter().enumerate() {
            prop_assert!(a.grid.x + a.grid.w <= GRID_COLUMNS);
            for b in &placed[i + 1..] {
                prop_assert!(!a.grid.overlaps(&b.grid), "{:?} {:?}", a, b);
            }
        }
    }
}

#[test]
fn loading_warns_only_about_repeats_over_a_variable_the_file_lacks() {
    let text = r#"{"templating": {"list": [{"name": "gpu", "type": "custom", "query": "0,1"}]},
        "panels": [
          {"id": 1, "type": "stat", "repeat": "gpu", "repeatDirection": "v", "maxPerRow": 3,
           "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}},
          {"id": 2, "type": "stat", "repeat": "nope", "gridPos": {"x": 6, "y": 0, "w": 6, "h": 4}}]}"#;
    let loaded = crate::model::dashboard::load(text);
    let repeat_warnings: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.path.to_string().ends_with("repeat"))
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect();
    assert_eq!(
        repeat_warnings,
        vec!["panels[1].repeat: repeats for $nope, which is not a variable of this dashboard; it is shown once"]
    );
    let dashboard = loaded.dashboard.unwrap();
    assert!(dashboard.panels[0].repeats_vertically());
    assert_eq!(dashboard.panels[0].max_per_row(), 3);
    let saved = dashboard.to_json_pretty();
    assert!(
        saved.contains("\"repeatDirection\": \"v\"") && saved.contains("\"maxPerRow\": 3"),
        "{saved}"
    );
}
