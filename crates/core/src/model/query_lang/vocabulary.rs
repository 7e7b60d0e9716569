//! The words of PromQL and LogQL: functions, aggregations, keywords and LogQL pipeline stages,
//! each with a one-line description for autocomplete.

/// Which language a query is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    PromQL,
    LogQL,
}

/// PromQL aggregation operators.
pub const PROMQL_AGGREGATIONS: [(&str, &str); 14] = [
    ("sum", "Sum over dimensions"),
    ("avg", "Average over dimensions"),
    ("min", "Minimum over dimensions"),
    ("max", "Maximum over dimensions"),
    ("count", "Count of elements in the vector"),
    ("count_values", "Count of elements with the same value"),
    ("group", "All values in the resulting vector are 1"),
    ("stddev", "Population standard deviation over dimensions"),
    ("stdvar", "Population standard variance over dimensions"),
    ("topk", "Largest k elements by sample value"),
    ("bottomk", "Smallest k elements by sample value"),
    ("quantile", "φ-quantile (0 ≤ φ ≤ 1) over dimensions"),
    ("limitk", "Sample k elements"),
    ("limit_ratio", "Sample a ratio of elements"),
];

/// PromQL functions.
pub const PROMQL_FUNCTIONS: [(&str, &str); 53] = [
    ("abs", "Absolute value"),
    ("absent", "1-element vector when the input has no elements"),
    (
        "absent_over_time",
        "1-element vector when the range has no samples",
    ),
    ("ceil", "Round up to the nearest integer"),
    ("changes", "Number of times the value changed in the range"),
    ("clamp", "Clamp values between min and max"),
    ("clamp_max", "Clamp values to a maximum"),
    ("clamp_min", "Clamp values to a minimum"),
    ("day_of_month", "Day of the month (UTC)"),
    ("day_of_week", "Day of the week (UTC)"),
    ("day_of_year", "Day of the year (UTC)"),
    ("days_in_month", "Days in the month (UTC)"),
    ("delta", "Difference between first and last value (gauges)"),
    (
        "deriv",
        "Per-second derivative by linear regression (gauges)",
    ),
    ("exp", "Exponential function"),
    ("floor", "Round down to the nearest integer"),
    ("histogram_avg", "Average of native histogram observations"),
    ("histogram_count", "Count of native histogram observations"),
    (
        "histogram_fraction",
        "Fraction of observations between two values",
    ),
    ("histogram_quantile", "φ-quantile from histogram buckets"),
    ("histogram_sum", "Sum of native histogram observations"),
    (
        "holt_winters",
        "Smoothed value (double exponential smoothing)",
    ),
    ("hour", "Hour of the day (UTC)"),
    ("idelta", "Difference between the last two samples"),
    ("increase", "Increase of a counter over the range"),
    ("irate", "Per-second rate from the last two samples"),
    ("label_join", "Join label values into a new label"),
    (
        "label_replace",
        "Regex-replace a label value into a new label",
    ),
    ("ln", "Natural logarithm"),
    ("log2", "Binary logarithm"),
    ("log10", "Decimal logarithm"),
    ("minute", "Minute of the hour (UTC)"),
    ("month", "Month of the year (UTC)"),
    ("predict_linear", "Predicted value t seconds from now"),
    ("rate", "Per-second average rate of increase of a counter"),
    ("resets", "Number of counter resets in the range"),
    ("round", "Round to the nearest multiple"),
    ("scalar", "The single element as a scalar"),
    ("sgn", "Sign of each value"),
    ("sort", "Sort ascending by value"),
    ("sort_desc", "Sort descending by value"),
    ("sqrt", "Square root"),
    ("time", "Evaluation time in seconds"),
    ("timestamp", "Timestamp of each sample"),
    ("vector", "The scalar as a vector without labels"),
    ("year", "Year (UTC)"),
    ("avg_over_time", "Average of all points in the range"),
    ("min_over_time", "Minimum of all points in the range"),
    ("max_over_time", "Maximum of all points in the range"),
    ("sum_over_time", "Sum of all points in the range"),
    ("count_over_time", "Count of all points in the range"),
    (
        "quantile_over_time",
        "φ-quantile of the points in the range",
    ),
    ("last_over_time", "Most recent point in the range"),
];

/// PromQL keywords (modifiers, set operators, grouping).
pub const PROMQL_KEYWORDS: [&str; 12] = [
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "offset",
    "bool",
    "and",
    "or",
    "unless",
    "atan2",
];

/// LogQL range and vector functions.
pub const LOGQL_FUNCTIONS: [(&str, &str); 31] = [
    (
        "count_over_time",
        "Number of entries per stream in the range",
    ),
    ("rate", "Entries per second per stream"),
    ("bytes_over_time", "Bytes used by each stream in the range"),
    ("bytes_rate", "Bytes per second per stream"),
    (
        "absent_over_time",
        "1-element vector when the range has no entries",
    ),
    ("sum_over_time", "Sum of unwrapped values in the range"),
    ("avg_over_time", "Average of unwrapped values in the range"),
    ("max_over_time", "Maximum of unwrapped values in the range"),
    ("min_over_time", "Minimum of unwrapped values in the range"),
    ("first_over_time", "First unwrapped value in the range"),
    ("last_over_time", "Last unwrapped value in the range"),
    ("stdvar_over_time", "Variance of unwrapped values"),
    ("stddev_over_time", "Standard deviation of unwrapped values"),
    ("quantile_over_time", "φ-quantile of unwrapped values"),
    ("rate_counter", "Per-second rate of an unwrapped counter"),
    ("sum", "Sum over labels"),
    ("avg", "Average over labels"),
    ("min", "Minimum over labels"),
    ("max", "Maximum over labels"),
    ("count", "Number of elements"),
    ("stddev", "Standard deviation over labels"),
    ("stdvar", "Variance over labels"),
    ("topk", "Largest k elements"),
    ("bottomk", "Smallest k elements"),
    ("sort", "Sort ascending by value"),
    ("sort_desc", "Sort descending by value"),
    (
        "label_replace",
        "Regex-replace a label value into a new label",
    ),
    ("vector", "The scalar as a vector"),
    ("duration", "Unwrap conversion: a duration in seconds"),
    ("bytes", "Unwrap conversion: a byte size"),
    ("ip", "Matches IP addresses and CIDR ranges"),
];

/// LogQL pipeline stages that follow `|`.
pub const LOGQL_STAGES: [(&str, &str); 10] = [
    ("json", "Extract JSON members as labels"),
    ("logfmt", "Extract logfmt pairs as labels"),
    ("pattern", "Extract fields with a <_> pattern"),
    ("regexp", "Extract named regex groups"),
    ("unpack", "Unpack a line packed by Promtail"),
    ("line_format", "Rewrite the line with a template"),
    ("label_format", "Rename or template labels"),
    ("drop", "Drop labels"),
    ("keep", "Keep only these labels"),
    ("decolorize", "Strip ANSI colour codes"),
];

/// LogQL keywords.
pub const LOGQL_KEYWORDS: [&str; 11] = [
    "by",
    "without",
    "on",
    "ignoring",
    "offset",
    "bool",
    "and",
    "or",
    "unless",
    "unwrap",
    "group_left",
];

/// Keywords that open a parenthesised list of label names.
pub const GROUPING_KEYWORDS: [&str; 6] = [
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];

/// Whether `word` is a keyword of `language`.
#[must_use]
pub fn is_keyword(language: Language, word: &str) -> bool {
    match language {
        Language::PromQL => PROMQL_KEYWORDS.contains(&word),
        Language::LogQL => LOGQL_KEYWORDS.contains(&word) || word == "group_right",
    }
}

/// Whether `word` is a function or aggregation of `language`.
#[must_use]
pub fn is_function(language: Language, word: &str) -> bool {
    match language {
        Language::PromQL => {
            PROMQL_FUNCTIONS.iter().any(|(f, _)| *f == word)
                || PROMQL_AGGREGATIONS.iter().any(|(f, _)| *f == word)
        }
        Language::LogQL => LOGQL_FUNCTIONS.iter().any(|(f, _)| *f == word),
    }
}

/// The description of a function, aggregation or stage.
#[must_use]
pub fn describe(language: Language, word: &str) -> Option<&'static str> {
    let lists: &[&[(&str, &str)]] = match language {
        Language::PromQL => &[&PROMQL_FUNCTIONS, &PROMQL_AGGREGATIONS],
        Language::LogQL => &[&LOGQL_FUNCTIONS, &LOGQL_STAGES],
    };
    lists
        .iter()
        .flat_map(|list| list.iter())
        .find(|(name, _)| *name == word)
        .map(|(_, doc)| *doc)
}
