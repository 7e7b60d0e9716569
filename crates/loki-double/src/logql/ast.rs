//! The LogQL syntax tree the double understands.

use regex::Regex;

/// A label or line match operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    Eq,
    Neq,
    Re,
    Nre,
}

impl MatchOp {
    /// The operator as written in LogQL.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Eq => "=",
            MatchOp::Neq => "!=",
            MatchOp::Re => "=~",
            MatchOp::Nre => "!~",
        }
    }
}

/// `name op "value"`; regexes are anchored (`^(?:v)$`) like Prometheus matchers.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub name: String,
    pub op: MatchOp,
    pub value: String,
    pub regex: Option<Regex>,
}

impl Matcher {
    /// True if a label with this value (`""` when absent) matches.
    #[must_use]
    pub fn matches(&self, value: &str) -> bool {
        match self.op {
            MatchOp::Eq => value == self.value,
            MatchOp::Neq => value != self.value,
            MatchOp::Re => self.regex.as_ref().is_some_and(|r| r.is_match(value)),
            MatchOp::Nre => !self.regex.as_ref().is_some_and(|r| r.is_match(value)),
        }
    }
}

/// Line filter operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineOp {
    Contains,
    NotContains,
    Matches,
    NotMatches,
}

impl LineOp {
    /// The operator as written in LogQL.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LineOp::Contains => "|=",
            LineOp::NotContains => "!=",
            LineOp::Matches => "|~",
            LineOp::NotMatches => "!~",
        }
    }
}

/// `|= "a" or "b"`: the line passes if any alternative matches (all, for negations).
#[derive(Debug, Clone)]
pub struct LineFilter {
    pub op: LineOp,
    pub values: Vec<String>,
    pub regexes: Vec<Regex>,
}

/// Comparison operators of numeric label filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
}

impl CmpOp {
    /// The operator as written in LogQL.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Neq => "!=",
            CmpOp::Gt => ">",
            CmpOp::Gte => ">=",
            CmpOp::Lt => "<",
            CmpOp::Lte => "<=",
        }
    }

    /// Applies the comparison.
    #[must_use]
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Neq => a != b,
            CmpOp::Gt => a > b,
            CmpOp::Gte => a >= b,
            CmpOp::Lt => a < b,
            CmpOp::Lte => a <= b,
        }
    }
}

/// What a numeric label filter compares against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumericLiteral {
    Number(f64),
    /// ns
    Duration(i64),
    Bytes(u64),
}

/// Label filter expressions after `|`.
#[derive(Debug, Clone)]
pub enum LabelFilter {
    Match(Matcher),
    Numeric {
        name: String,
        op: CmpOp,
        value: NumericLiteral,
    },
    And(Box<LabelFilter>, Box<LabelFilter>),
    Or(Box<LabelFilter>, Box<LabelFilter>),
}

/// `label="path"` parameters of `| json` / `| logfmt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    pub label: String,
    pub path: String,
}

/// `| drop` / `| keep` items: a name, or a name with a matcher.
#[derive(Debug, Clone)]
pub enum LabelRef {
    Name(String),
    Matching(Matcher),
}

/// `| label_format` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelFormat {
    Rename { to: String, from: String },
    Template { to: String, template: String },
}

/// One pipeline stage.
#[derive(Debug, Clone)]
pub enum Stage {
    Line(LineFilter),
    Json(Vec<Extraction>),
    Logfmt {
        params: Vec<Extraction>,
        strict: bool,
        keep_empty: bool,
    },
    Filter(LabelFilter),
    LineFormat(String),
    LabelFormat(Vec<LabelFormat>),
    Drop(Vec<LabelRef>),
    Keep(Vec<LabelRef>),
    Decolorize,
}

/// A log query: a selector and its pipeline.
#[derive(Debug, Clone)]
pub struct LogExpr {
    pub matchers: Vec<Matcher>,
    pub stages: Vec<Stage>,
}

/// Range aggregations over a log range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeOp {
    Count,
    Rate,
    Bytes,
    BytesRate,
    Absent,
    Sum,
    Avg,
    Min,
    Max,
    First,
    Last,
    Stddev,
    Stdvar,
    Quantile,
    RateCounter,
}

impl RangeOp {
    /// All range functions with their LogQL names.
    pub const ALL: [(RangeOp, &'static str); 15] = [
        (RangeOp::Count, "count_over_time"),
        (RangeOp::Rate, "rate"),
        (RangeOp::Bytes, "bytes_over_time"),
        (RangeOp::BytesRate, "bytes_rate"),
        (RangeOp::Absent, "absent_over_time"),
        (RangeOp::Sum, "sum_over_time"),
        (RangeOp::Avg, "avg_over_time"),
        (RangeOp::Min, "min_over_time"),
        (RangeOp::Max, "max_over_time"),
        (RangeOp::First, "first_over_time"),
        (RangeOp::Last, "last_over_time"),
        (RangeOp::Stddev, "stddev_over_time"),
        (RangeOp::Stdvar, "stdvar_over_time"),
        (RangeOp::Quantile, "quantile_over_time"),
        (RangeOp::RateCounter, "rate_counter"),
    ];

    /// The function name.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(op, _)| *op == self)
            .map_or("?", |(_, n)| n)
    }

    /// True for the functions that need `| unwrap`.
    #[must_use]
    pub fn needs_unwrap(self) -> bool {
        !matches!(
            self,
            RangeOp::Count | RangeOp::Rate | RangeOp::Bytes | RangeOp::BytesRate | RangeOp::Absent
        )
    }
}

/// `| unwrap label` or `| unwrap duration(label)` / `bytes(label)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwrap {
    pub label: String,
    pub conversion: Option<String>,
}

/// Vector aggregations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorOp {
    Sum,
    Avg,
    Min,
    Max,
    Count,
    Stddev,
    Stdvar,
    Topk,
    Bottomk,
    Sort,
    SortDesc,
}

impl VectorOp {
    /// All vector aggregations with their names.
    pub const ALL: [(VectorOp, &'static str); 11] = [
        (VectorOp::Sum, "sum"),
        (VectorOp::Avg, "avg"),
        (VectorOp::Min, "min"),
        (VectorOp::Max, "max"),
        (VectorOp::Count, "count"),
        (VectorOp::Stddev, "stddev"),
        (VectorOp::Stdvar, "stdvar"),
        (VectorOp::Topk, "topk"),
        (VectorOp::Bottomk, "bottomk"),
        (VectorOp::Sort, "sort"),
        (VectorOp::SortDesc, "sort_desc"),
    ];

    /// The function name.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(op, _)| *op == self)
            .map_or("?", |(_, n)| n)
    }
}

/// `by (…)` or `without (…)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    pub without: bool,
    pub labels: Vec<String>,
}

/// Arithmetic and comparison operators between metric expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Cmp(CmpOp),
}

impl BinOp {
    /// The operator as written.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::Cmp(op) => op.as_str(),
        }
    }
}

/// Metric (sample) expressions.
#[derive(Debug, Clone)]
pub enum MetricExpr {
    Range {
        op: RangeOp,
        param: Option<f64>,
        log: LogExpr,
        range_ns: i64,
        offset_ns: i64,
        unwrap: Option<Unwrap>,
        grouping: Option<Grouping>,
    },
    Vector {
        op: VectorOp,
        param: Option<f64>,
        grouping: Option<Grouping>,
        inner: Box<MetricExpr>,
    },
    Binary {
        op: BinOp,
        return_bool: bool,
        lhs: Box<MetricExpr>,
        rhs: Box<MetricExpr>,
    },
    Literal(f64),
}

/// A whole query.
#[derive(Debug, Clone)]
pub enum Expr {
    Log(LogExpr),
    Metric(MetricExpr),
}
