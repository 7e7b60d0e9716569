//! The table transformations people use to tidy a table panel (Grafana's `transformations`):
//! `organize` (hide, rename and reorder columns) and `filterFieldsByName` (keep or drop columns
//! by name or pattern), applied in file order to the columns of [`Table`].

use regex_lite::Regex;
use serde_json::Value;

use super::table::Table;

/// The transformation ids applied; others are kept in the file and reported on load.
pub const APPLIED_TRANSFORMATIONS: [&str; 2] = ["organize", "filterFieldsByName"];

/// One transformation of a table's columns.
#[derive(Debug, Clone)]
pub enum TableTransform {
    /// `organize`: hide (`excludeByName`), put in order (`indexByName`; columns without an index
    /// follow in their order), and rename (`renameByName`).
    Organize {
        exclude: Vec<String>,
        order: Vec<(String, i64)>,
        rename: Vec<(String, String)>,
    },
    /// `filterFieldsByName`: keep the columns named in `include` (or matching its pattern), then
    /// drop those named in `exclude` (or matching its pattern).
    Filter {
        include: Option<NameSet>,
        exclude: Option<NameSet>,
    },
}

/// Column names given as a list and/or a regex.
#[derive(Debug, Clone)]
pub struct NameSet {
    pub names: Vec<String>,
    pub pattern: Option<Regex>,
}

impl NameSet {
    fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
            || self.pattern.as_ref().is_some_and(|p| p.is_match(name))
    }

    fn read(value: Option<&Value>) -> Option<NameSet> {
        let value = value?;
        let names: Vec<String> = value
            .get("names")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let pattern = value
            .get("pattern")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
            .and_then(|p| Regex::new(&format!("^(?:{p})$")).ok());
        (!names.is_empty() || pattern.is_some()).then_some(NameSet { names, pattern })
    }
}

/// The transformations of a panel's `transformations` array that apply to tables; `disabled`
/// ones and other kinds are left out.
#[must_use]
pub fn parse_transforms(value: &Value) -> Vec<TableTransform> {
    value
        .as_array()
        .map(|list| list.iter().filter_map(parse_transform).collect())
        .unwrap_or_default()
}

fn parse_transform(value: &Value) -> Option<TableTransform> {
    if value.get("disabled").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let options = value.get("options").cloned().unwrap_or(Value::Null);
    let map = |key: &str| -> Vec<(String, Value)> {
        options
            .get(key)
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    match value.get("id")?.as_str()? {
        "organize" => Some(TableTransform::Organize {
            exclude: map("excludeByName")
                .into_iter()
                .filter(|(_, hidden)| hidden.as_bool() == Some(true))
                .map(|(name, _)| name)
                .collect(),
            order: map("indexByName")
                .into_iter()
                .filter_map(|(name, index)| Some((name, index.as_i64()?)))
                .collect(),
            rename: map("renameByName")
                .into_iter()
                .filter_map(|(name, to)| {
                    Some((name, to.as_str().filter(|t| !t.is_empty())?.to_owned()))
                })
                .collect(),
        }),
        "filterFieldsByName" => Some(TableTransform::Filter {
            include: NameSet::read(options.get("include")),
            exclude: NameSet::read(options.get("exclude")),
        }),
        _ => None,
    }
}

impl Table {
    /// The table with `transforms` applied to its columns, in order.
    #[must_use]
    pub fn transformed(mut self, transforms: &[TableTransform]) -> Table {
        for transform in transforms {
            let names: Vec<String> = self.columns.iter().map(|c| c.name.clone()).collect();
            let keep: Vec<usize> = match transform {
                TableTransform::Organize { exclude, order, .. } => {
                    let mut kept: Vec<usize> = (0..names.len())
                        .filter(|&i| !exclude.contains(&names[i]))
                        .collect();
                    let position = |i: &usize| {
                        order
                            .iter()
                            .find(|(n, _)| *n == names[*i])
                            .map_or(i64::MAX, |(_, at)| *at)
                    };
                    crate::sort::sort_by_key(&mut kept, position);
                    kept
                }
                TableTransform::Filter { include, exclude } => (0..names.len())
                    .filter(|&i| include.as_ref().is_none_or(|set| set.contains(&names[i])))
                    .filter(|&i| !exclude.as_ref().is_some_and(|set| set.contains(&names[i])))
                    .collect(),
            };
            self.columns = keep.iter().map(|&i| self.columns[i].clone()).collect();
            for row in &mut self.rows {
                *row = keep.iter().map(|&i| row[i].clone()).collect();
            }
            if let TableTransform::Organize { rename, .. } = transform {
                for column in &mut self.columns {
                    if let Some((_, to)) = rename.iter().find(|(from, _)| *from == column.name) {
                        column.name.clone_from(to);
                    }
                }
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;
    use crate::model::frame::{Labels, Series};
    use crate::model::reduce::Reducer;
    use crate::model::table::{from_series, Cell};

    fn table() -> Table {
        let series = |pod: &str, node: &str, value: f64| Series {
            labels: Labels::new(vec![
                ("pod".to_owned(), pod.to_owned()),
                ("node".to_owned(), node.to_owned()),
                ("instance".to_owned(), "10.0.0.1:9400".to_owned()),
            ]),
            times_ms: vec![1000],
            values: vec![value],
        };
        from_series(
            &[series("a", "n1", 50.0), series("b", "n2", 75.0)],
            Reducer::LastNotNull,
        )
    }

    fn names(t: &Table) -> Vec<&str> {
        t.columns.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn organize_hides_orders_and_renames_columns_and_their_cells() {
        let transforms = parse_transforms(&json!([{"id": "organize", "options": {
            "excludeByName": {"Time": true, "instance": true, "node": false},
            "indexByName": {"Value": 0, "pod": 1},
            "renameByName": {"Value": "Utilisation", "pod": "Pod", "node": ""}}}]));
        let t = table().transformed(&transforms);
        assert_eq!(names(&t), vec!["Utilisation", "Pod", "node"]);
        assert_eq!(
            t.rows[1],
            vec![
                Cell::Number(75.0),
                Cell::Text("b".into()),
                Cell::Text("n2".into())
            ]
        );
        assert_eq!(t.series_index, vec![0, 1]);
    }

    #[test]
    fn filter_keeps_named_or_matching_columns_then_drops_excluded_ones() {
        let keep = parse_transforms(&json!([{"id": "filterFieldsByName", "options": {
            "include": {"names": ["pod", "Value"], "pattern": "no.*"}}}]));
        assert_eq!(
            names(&table().transformed(&keep)),
            vec!["node", "pod", "Value"]
        );
        let drop = parse_transforms(&json!([{"id": "filterFieldsByName", "options": {
            "exclude": {"pattern": "Time|instance"}}}]));
        assert_eq!(
            names(&table().transformed(&drop)),
            vec!["node", "pod", "Value"]
        );
    }

    #[test]
    fn loading_reports_transformations_a_panel_does_not_apply() {
        let text = r#"{"panels": [
            {"id": 1, "type": "table", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
             "transformations": [{"id": "organize", "options": {}}, {"id": "merge", "options": {}}]},
            {"id": 2, "type": "timeseries", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8},
             "transformations": [{"id": "organize", "options": {}}]}]}"#;
        let loaded = crate::model::dashboard::load(text);
        let paths: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| d.path.to_string())
            .collect();
        assert_eq!(
            paths,
            vec![
                "panels[0].transformations[1]",
                "panels[1].transformations[0]"
            ]
        );
    }

    #[test]
    fn other_and_disabled_transformations_are_left_out() {
        let transforms = parse_transforms(&json!([
            {"id": "merge", "options": {}},
            {"id": "organize", "disabled": true, "options": {"excludeByName": {"pod": true}}},
            "nonsense"
        ]));
        assert!(transforms.is_empty());
        assert_eq!(
            names(&table().transformed(&transforms)),
            vec!["Time", "instance", "node", "pod", "Value"]
        );
    }
}
