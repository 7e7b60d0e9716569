//! The Prometheus HTTP API (`/api/v1/...`): request builders and typed response decoding.
//!
//! Works with Prometheus, Thanos, Mimir, VictoriaMetrics and CoreWeave's observe hosts, which all
//! serve this API. See `docs/observe-reference.md` for the rules encoded here.
//!
//! | endpoint | builder | decoder |
//! |---|---|---|
//! | `query` | [`instant_query`], [`instant_query_with`] | [`decode_query`] |
//! | `query_range` | [`query_range`], [`query_range_with`] | [`decode_query`] |
//! | `series` | [`series`] | [`decode_series`] |
//! | `labels` | [`labels`] | [`decode_names`] |
//! | `label/<name>/values` | [`label_values`] (GET only, `U__` escaping) | [`decode_names`] |
//! | `query_exemplars` | [`query_exemplars`] | [`decode_exemplars`] |
//! | `metadata` | [`metadata`] (GET only) | [`decode_metadata`] |
//! | `rules` | [`rules`] (GET only, `group_next_token` paging) | [`decode_rules`] |
//! | `format_query` | [`format_query`] | [`decode_format_query`] |
//! | `parse_query` | [`parse_query`] | [`decode_parse_query`] |
//! | `status/buildinfo` | [`build_info`] | [`decode_build_info`] |

pub mod answers;
pub mod decode;
pub mod label_name;
pub mod metadata_requests;
pub mod requests;
pub mod rules;
pub mod samples;

pub use answers::*;
pub use decode::{decode_query, PromData, PromResponse};
pub use label_name::escape_label_name;
pub use metadata_requests::*;
pub use requests::*;
pub use rules::{decode_rules, RulesData};
pub use samples::{HistogramBucket, HistogramSeries, NativeHistogram};
