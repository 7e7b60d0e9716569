//! The dashboard document: title, time, refresh, variables, panels, links.

use serde_json::Value;

use super::codec::{object_model, Field};
use super::datasource::DatasourceScope;
use super::links::Link;
use super::panel::{Panel, PanelKind};
use super::templating::Templating;

object_model! {
    /// A dashboard: a documented subset of Grafana's dashboard JSON model. Everything else in the
    /// file is kept in `extra` (and in each nested struct's `extra`) and written back unchanged.
    pub struct Dashboard {
        field title: String = "title",
        field uid: Option<String> = "uid",
        field description: String = "description",
        field tags: Vec<String> = "tags",
        /// Default time range, Grafana range syntax (`now-6h` … `now`).
        child time: Option<TimeSetting> = "time",
        /// Auto-refresh interval (`30s`), or off (`""` / `false`).
        field refresh: RefreshText = "refresh",
        /// `browser` (or empty), `utc`, or an IANA zone name.
        field timezone: String = "timezone",
        field schema_version: Option<u32> = "schemaVersion",
        child templating: Option<Templating> = "templating",
        list panels: Vec<Panel> = "panels",
        list links: Vec<Link> = "links",
    }
}

object_model! {
    /// `time`: `{from, to}` in Grafana range syntax (`now-6h`, RFC 3339, epoch ms).
    pub struct TimeSetting {
        field from: String = "from",
        field to: String = "to",
    }
}

/// The `refresh` member: an interval such as `30s`, or empty for off. Grafana also writes `false`
/// for off; that spelling is kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RefreshText(pub String);

impl Field for RefreshText {
    const EXPECTED: &'static str = "an interval such as \"30s\" or false";
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(RefreshText(s.clone())),
            Value::Bool(false) | Value::Null => Some(RefreshText(String::new())),
            _ => None,
        }
    }
    fn encode(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

impl Dashboard {
    /// The variables as stored (empty when there is no `templating`).
    #[must_use]
    pub fn variables(&self) -> &[super::templating::VariableModel] {
        self.templating.as_ref().map_or(&[], |t| t.list.as_slice())
    }

    /// Every panel, depth first: top-level panels and the children of collapsed rows.
    #[must_use]
    pub fn all_panels(&self) -> Vec<&Panel> {
        let mut out = Vec::new();
        for panel in &self.panels {
            out.push(panel);
            out.extend(panel.panels.iter());
        }
        out
    }

    /// The panels that query data, depth first (rows and text panels left out).
    #[must_use]
    pub fn data_panels(&self) -> Vec<&Panel> {
        self.all_panels()
            .into_iter()
            .filter(|p| p.kind.queries_data())
            .collect()
    }

    /// A panel by id, wherever it is. Every panel of a page looks itself up, so this walks the
    /// panels without collecting them (a 10,000-panel file made that quadratic in allocations).
    #[must_use]
    pub fn panel(&self, id: u64) -> Option<&Panel> {
        self.panels
            .iter()
            .flat_map(|p| std::iter::once(p).chain(p.panels.iter()))
            .find(|p| p.id == Some(id))
    }

    /// What `__inputs` and datasource variables say about datasource names.
    #[must_use]
    pub fn datasource_scope(&self) -> DatasourceScope {
        let inputs = self
            .extra
            .get("__inputs")
            .and_then(Value::as_array)
            .map(|inputs| {
                inputs
                    .iter()
                    .filter_map(|input| {
                        let name = input.get("name")?.as_str()?;
                        let plugin = input.get("pluginId")?.as_str()?;
                        Some((name.to_owned(), plugin.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let variables = self
            .variables()
            .iter()
            .filter(|v| v.kind == "datasource")
            .map(|v| (v.name.clone(), v.query_text()))
            .collect();
        DatasourceScope { inputs, variables }
    }

    /// Whether any panel is a row header.
    #[must_use]
    pub fn has_rows(&self) -> bool {
        self.panels.iter().any(|p| p.kind == PanelKind::Row)
    }
}
