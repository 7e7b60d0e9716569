//! `templating.list`: the dashboard's variables as stored. Their meaning (what to query, how to
//! interpolate) lives in `model::variables` and `model::interpolate`.

use serde_json::Value;

use super::codec::{object_model, Field};
use super::datasource::DatasourceRef;

object_model! {
    /// `templating`: `{list: [...]}`.
    pub struct Templating {
        list list: Vec<VariableModel> = "list",
    }
}

object_model! {
    /// One variable as stored in the file.
    pub struct VariableModel {
        /// `query`, `custom`, `constant`, `textbox`, `interval`, `datasource`, `adhoc`…
        field kind: String = "type",
        field name: String = "name",
        field label: Option<String> = "label",
        field description: Option<String> = "description",
        /// 0 = shown, 1 = label hidden, 2 = variable hidden.
        field hide: Option<u32> = "hide",
        /// Query text (or `{query: …}` object), custom values, constant, textbox default,
        /// interval list or datasource plugin id, depending on `type`.
        field query: Value = "query",
        field definition: Option<String> = "definition",
        field datasource: Option<DatasourceRef> = "datasource",
        /// `/regex/` that filters (and with a capture group, extracts) query results.
        field regex: Option<String> = "regex",
        /// 0 none, 1 alphabetical asc, 2 desc, 3 numerical asc, 4 desc, 5/6 case-insensitive.
        field sort: Option<u32> = "sort",
        field multi: bool = "multi",
        field include_all: bool = "includeAll",
        /// Value used for "All" instead of every option, e.g. `.*`.
        field all_value: Option<String> = "allValue",
        child current: Option<CurrentValue> = "current",
        list options: Vec<VariableOptionModel> = "options",
        /// Interval variables: offer `auto`.
        field auto: bool = "auto",
        field auto_count: Option<u32> = "auto_count",
        field auto_min: Option<String> = "auto_min",
        field skip_url_sync: bool = "skipUrlSync",
    }
}

object_model! {
    /// The selected value(s) saved with the dashboard.
    pub struct CurrentValue {
        field text: TextOrList = "text",
        field value: TextOrList = "value",
        field selected: Option<bool> = "selected",
    }
}

object_model! {
    /// A stored option (custom and interval variables keep their options in the file).
    pub struct VariableOptionModel {
        field text: TextOrList = "text",
        field value: TextOrList = "value",
        field selected: bool = "selected",
    }
}

/// A string, or a list of strings for multi-value selections.
#[derive(Debug, Clone, PartialEq)]
pub enum TextOrList {
    One(String),
    Many(Vec<String>),
}

impl Default for TextOrList {
    fn default() -> Self {
        TextOrList::One(String::new())
    }
}

impl TextOrList {
    /// The values as a list.
    #[must_use]
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            TextOrList::One(s) => vec![s.clone()],
            TextOrList::Many(list) => list.clone(),
        }
    }
}

impl Field for TextOrList {
    const EXPECTED: &'static str = "a string or a list of strings";
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(TextOrList::One(s.clone())),
            Value::Array(_) => Vec::<String>::decode(value).map(TextOrList::Many),
            // Numbers and booleans appear in hand-written files; read them as their text.
            Value::Number(n) => Some(TextOrList::One(n.to_string())),
            Value::Bool(b) => Some(TextOrList::One(b.to_string())),
            _ => None,
        }
    }
    fn encode(&self) -> Option<Value> {
        Some(match self {
            TextOrList::One(s) => Value::String(s.clone()),
            TextOrList::Many(list) => {
                Value::Array(list.iter().cloned().map(Value::String).collect())
            }
        })
    }
}

impl VariableModel {
    /// The query text: `query` as a string, or `query.query` / `definition` of object forms.
    #[must_use]
    pub fn query_text(&self) -> String {
        match &self.query {
            Value::String(s) => s.clone(),
            Value::Object(map) => map
                .get("query")
                .or_else(|| map.get("expr"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| self.definition.clone())
                .unwrap_or_default(),
            Value::Number(n) => n.to_string(),
            _ => self.definition.clone().unwrap_or_default(),
        }
    }
}
