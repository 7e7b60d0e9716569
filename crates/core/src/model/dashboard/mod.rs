//! Dashboard files: a documented subset of Grafana's dashboard JSON model (see
//! `docs/dashboard-format.md`), loaded with every problem reported at once and saved back without
//! losing what Sightline does not understand.
//!
//! ```
//! use sightline_core::model::dashboard::{load, Severity};
//! let loaded = load(r#"{"title": "GPUs", "panels": [{"type": "stat", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}}]}"#);
//! let dashboard = loaded.dashboard.unwrap();
//! assert!(loaded.diagnostics.iter().all(|d| d.severity != Severity::Error));
//! assert_eq!(dashboard.title, "GPUs");
//! let text = dashboard.to_json_pretty();
//! assert_eq!(load(&text).dashboard, Some(dashboard));
//! ```

mod codec;
mod compat;
mod datasource;
mod diagnostics;
mod document;
mod field_config;
mod grid;
pub mod json;
mod layout;
mod links;
mod migrate;
mod node_edit;
mod options;
mod panel;
pub mod repeat;
mod rows;
mod target;
mod templating;

pub use codec::{number_value, Item, SourceForm};
pub use compat::SUPPORTED_VARIABLE_TYPES;
pub use datasource::{
    kind_of_plugin, variable_name, DataSourceKind, DatasourceRef, DatasourceScope,
};
pub use diagnostics::{Diagnostic, DiagnosticKind, JsonPath, PathSegment, Position, Severity};
pub use document::{Dashboard, RefreshText, TimeSetting};
pub use field_config::{
    CustomStyle, FieldColor, FieldConfig, FieldDefaults, ScaleDistribution, Stacking,
    ThresholdStep, Thresholds,
};
pub use grid::{GridPos, GRID_COLUMNS};
pub use json::ParseLimits;
pub use links::Link;
pub use options::{LegendOptions, PanelOptions, ReduceOptions, TooltipOptions};
pub use panel::{Panel, PanelKind};
pub use target::{QueryMode, Target};
pub use templating::{CurrentValue, Templating, TextOrList, VariableModel, VariableOptionModel};

use codec::{Cx, Object, ObjectReader};
use json::{LineIndex, NodeValue};

/// Bounds on what one dashboard file may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub parse: ParseLimits,
    /// Most panels (counting rows and their children).
    pub max_panels: usize,
    /// Most variables.
    pub max_variables: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            parse: ParseLimits::default(),
            max_panels: 10_000,
            max_variables: 1_000,
        }
    }
}

/// A loaded file: the dashboard (unless the file is not a JSON object or is over a limit) and
/// every problem found, errors first, each with its path and position.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub dashboard: Option<Dashboard>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads a dashboard file with the default [`Limits`].
#[must_use]
pub fn load(text: &str) -> Loaded {
    load_with_limits(text, Limits::default())
}

/// Loads a dashboard file: parse, convert legacy forms, read the schema, repair the layout,
/// and report what Sightline does not render.
#[must_use]
pub fn load_with_limits(text: &str, limits: Limits) -> Loaded {
    let mut cx = Cx::default();
    let dashboard = read_dashboard(text, limits, &mut cx);
    let mut diagnostics = cx.diagnostics;
    if diagnostics.iter().any(|d| d.offset.is_some()) {
        let index = LineIndex::new(text);
        for diagnostic in &mut diagnostics {
            diagnostic.position = diagnostic.offset.map(|offset| {
                let (line, column) = index.position(offset);
                Position { line, column }
            });
        }
    }
    crate::sort::sort_by_key(&mut diagnostics, |d| (d.severity, d.offset));
    Loaded {
        dashboard,
        diagnostics,
    }
}

fn read_dashboard(text: &str, limits: Limits, cx: &mut Cx) -> Option<Dashboard> {
    let parsed = match json::parse(text, limits.parse) {
        Ok(parsed) => parsed,
        Err(err) => {
            let diagnostic = Diagnostic::new(
                Severity::Error,
                DiagnosticKind::Syntax,
                JsonPath::root(),
                err.message,
                err.offset,
            );
            cx.diagnostics.push(diagnostic);
            return None;
        }
    };
    for duplicate in parsed.duplicate_keys {
        let message = format!(
            "key {:?} appears more than once; the last value is used",
            duplicate.key
        );
        cx.warn(
            DiagnosticKind::Syntax,
            JsonPath::root(),
            message,
            Some(duplicate.offset),
        );
    }
    let mut root = parsed.root;
    if let NodeValue::Object(members) = &mut root.value {
        let panels = rows::count_panels(members);
        if panels > limits.max_panels {
            let message = format!(
                "the dashboard has {panels} panels; the limit is {}",
                limits.max_panels
            );
            cx.diagnostics.push(Diagnostic::new(
                Severity::Error,
                DiagnosticKind::Syntax,
                JsonPath::root().key("panels"),
                message,
                Some(root.offset),
            ));
            return None;
        }
        let variables = rows::count_variables(members);
        if variables > limits.max_variables {
            let message = format!(
                "the dashboard has {variables} variables; the limit is {}",
                limits.max_variables
            );
            cx.diagnostics.push(Diagnostic::new(
                Severity::Error,
                DiagnosticKind::Syntax,
                JsonPath::root().key("templating"),
                message,
                Some(root.offset),
            ));
            return None;
        }
        migrate::migrate(members, cx);
    }
    let reader = ObjectReader::new(root, JsonPath::root(), cx).ok()?;
    let mut dashboard = Dashboard::read(reader);
    layout::repair(&mut dashboard.panels, cx);
    compat::report(&dashboard, cx);
    Some(dashboard)
}

impl Dashboard {
    /// The dashboard as a JSON value, members in their source order.
    #[must_use]
    pub fn to_value(&self) -> serde_json::Value {
        self.write()
    }

    /// The dashboard as canonical text: two-space indentation, source key order, final newline.
    #[must_use]
    pub fn to_json_pretty(&self) -> String {
        format_value(&self.to_value())
    }

    /// Reads a dashboard from a JSON value (for example one built in code), with diagnostics.
    #[must_use]
    pub fn from_value(value: serde_json::Value) -> Loaded {
        load(&format_value(&value))
    }
}

impl Panel {
    /// The panel as a JSON value, members in their source order (the inspector's "Panel JSON").
    #[must_use]
    pub fn to_value(&self) -> serde_json::Value {
        self.write()
    }

    /// The panel as canonical text.
    #[must_use]
    pub fn to_json_pretty(&self) -> String {
        format_value(&self.to_value())
    }
}

/// Canonical text of any JSON value: two-space indentation and a final newline.
#[must_use]
pub fn format_value(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Reformats JSON text canonically without interpreting it as a dashboard (`sightline fmt`).
///
/// # Errors
/// The syntax error, with its position, when the text is not JSON.
pub fn format_json(text: &str) -> Result<String, Diagnostic> {
    match json::parse(text, ParseLimits::default()) {
        Ok(parsed) => Ok(format_value(&parsed.root.into_value())),
        Err(err) => {
            let (line, column) = LineIndex::new(text).position(err.offset.unwrap_or(0));
            let mut diagnostic = Diagnostic::new(
                Severity::Error,
                DiagnosticKind::Syntax,
                JsonPath::root(),
                err.message,
                err.offset,
            );
            diagnostic.position = Some(Position { line, column });
            Err(diagnostic)
        }
    }
}
