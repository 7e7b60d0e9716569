//! Panels: their type, position, queries and display settings. Unknown types are kept verbatim.

use serde_json::{Map, Value};

use super::codec::{Object, ObjectReader, ObjectWriter, SourceForm};
use super::datasource::DatasourceRef;
use super::field_config::FieldConfig;
use super::grid::GridPos;
use super::links::Link;
use super::options::PanelOptions;
use super::target::Target;

/// What a panel shows. `graph` and `singlestat` files are converted on load (see `migrate`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum PanelKind {
    #[default]
    Timeseries,
    Table,
    Logs,
    Stat,
    Gauge,
    BarGauge,
    /// Pie or donut (`options.pieType`).
    PieChart,
    /// Counts over time and value buckets (histogram `le` buckets, or calculated).
    Heatmap,
    Text,
    /// A row header; its `panels` hold the children while it is collapsed.
    Row,
    /// A type Sightline does not render (`nodeGraph`, `geomap`…): shown as a placeholder and
    /// written back exactly as read.
    Unsupported(String),
}

impl PanelKind {
    /// The kind of a Grafana `type`.
    #[must_use]
    pub fn from_type(type_name: &str) -> Self {
        match type_name {
            "timeseries" => PanelKind::Timeseries,
            "table" => PanelKind::Table,
            "logs" => PanelKind::Logs,
            "stat" => PanelKind::Stat,
            "gauge" => PanelKind::Gauge,
            "bargauge" => PanelKind::BarGauge,
            "piechart" => PanelKind::PieChart,
            "heatmap" => PanelKind::Heatmap,
            "text" => PanelKind::Text,
            "row" => PanelKind::Row,
            other => PanelKind::Unsupported(other.to_owned()),
        }
    }

    /// The Grafana `type` of this kind.
    #[must_use]
    pub fn type_name(&self) -> &str {
        match self {
            PanelKind::Timeseries => "timeseries",
            PanelKind::Table => "table",
            PanelKind::Logs => "logs",
            PanelKind::Stat => "stat",
            PanelKind::Gauge => "gauge",
            PanelKind::BarGauge => "bargauge",
            PanelKind::PieChart => "piechart",
            PanelKind::Heatmap => "heatmap",
            PanelKind::Text => "text",
            PanelKind::Row => "row",
            PanelKind::Unsupported(name) => name,
        }
    }

    /// Whether the panel runs queries.
    #[must_use]
    pub fn queries_data(&self) -> bool {
        !matches!(
            self,
            PanelKind::Text | PanelKind::Row | PanelKind::Unsupported(_)
        )
    }
}

/// One panel of a dashboard (or a row header).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    pub id: Option<u64>,
    pub kind: PanelKind,
    pub title: String,
    pub description: String,
    pub grid_pos: Option<GridPos>,
    pub datasource: Option<DatasourceRef>,
    pub targets: Vec<Target>,
    pub field_config: Option<FieldConfig>,
    pub options: Option<PanelOptions>,
    pub links: Vec<Link>,
    /// Minimum step for the panel's queries (`30s`, `$interval`).
    pub interval: Option<String>,
    pub max_data_points: Option<u32>,
    /// Repeat for each value of this variable (see `repeat`).
    pub repeat: Option<String>,
    /// `h` (side by side, the default) or `v` (stacked).
    pub repeat_direction: Option<String>,
    /// Copies per row of a horizontal repeat (Grafana's default is 4).
    pub max_per_row: Option<u32>,
    /// Relative time override (`1h`), kept; not applied yet.
    pub time_from: Option<String>,
    pub time_shift: Option<String>,
    /// Rows: whether the row is collapsed (children in `panels`).
    pub collapsed: bool,
    /// Rows: the children while collapsed.
    pub panels: Vec<Panel>,
    /// Members Sightline does not read, in source order, written back unchanged.
    pub extra: Map<String, Value>,
    pub form: SourceForm,
}

impl Object for Panel {
    fn read(mut r: ObjectReader<'_>) -> Self {
        let type_name: String = r.field("type");
        let mut panel = Panel {
            kind: PanelKind::from_type(&type_name),
            id: r.field("id"),
            title: r.field("title"),
            grid_pos: r.child("gridPos"),
            ..Panel::default()
        };
        match panel.kind {
            // Kept verbatim: only what the grid needs is read.
            PanelKind::Unsupported(_) => {}
            PanelKind::Row => {
                panel.collapsed = r.field("collapsed");
                panel.repeat = r.field("repeat");
                panel.panels = r.list("panels");
            }
            _ => {
                panel.description = r.field("description");
                panel.datasource = r.field("datasource");
                panel.targets = r.list("targets");
                panel.field_config = r.child("fieldConfig");
                panel.options = r.child("options");
                panel.links = r.list("links");
                panel.interval = r.field("interval");
                panel.max_data_points = r.field("maxDataPoints");
                panel.repeat = r.field("repeat");
                panel.repeat_direction = r.field("repeatDirection");
                panel.max_per_row = r.field("maxPerRow");
                panel.time_from = r.field("timeFrom");
                panel.time_shift = r.field("timeShift");
            }
        }
        let (extra, form) = r.finish();
        panel.extra = extra;
        panel.form = form;
        panel
    }

    fn write(&self) -> Value {
        let mut w = ObjectWriter::new(&self.form);
        w.field("id", &self.id);
        w.field("type", &self.kind.type_name().to_owned());
        w.field("title", &self.title);
        w.child("gridPos", self.grid_pos.as_ref());
        match self.kind {
            PanelKind::Unsupported(_) => {}
            PanelKind::Row => {
                w.field("collapsed", &self.collapsed);
                w.field("repeat", &self.repeat);
                w.list("panels", &self.panels);
            }
            _ => {
                w.field("description", &self.description);
                w.field("datasource", &self.datasource);
                w.list("targets", &self.targets);
                w.child("fieldConfig", self.field_config.as_ref());
                w.child("options", self.options.as_ref());
                w.list("links", &self.links);
                w.field("interval", &self.interval);
                w.field("maxDataPoints", &self.max_data_points);
                w.field("repeat", &self.repeat);
                w.field("repeatDirection", &self.repeat_direction);
                w.field("maxPerRow", &self.max_per_row);
                w.field("timeFrom", &self.time_from);
                w.field("timeShift", &self.time_shift);
            }
        }
        w.finish(&self.extra)
    }
}

impl Panel {
    /// The `fieldConfig.defaults`, if any.
    #[must_use]
    pub fn defaults(&self) -> Option<&super::field_config::FieldDefaults> {
        self.field_config.as_ref().and_then(|c| c.defaults.as_ref())
    }

    /// The queries that should run (not hidden, with an expression).
    pub fn active_targets(&self) -> impl Iterator<Item = &Target> {
        self.targets
            .iter()
            .filter(|t| !t.hide && !t.expr.trim().is_empty())
    }
}
