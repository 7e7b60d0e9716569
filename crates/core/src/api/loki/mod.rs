//! The Loki HTTP API (`/loki/api/v1/...`): request builders, typed decoding, paging and merging.
//!
//! Works with Loki and CoreWeave's observe hosts. See `docs/observe-reference.md` for the rules
//! encoded here (nanosecond string timestamps, exclusive `end`, `text/plain` errors, limits).
//!
//! | endpoint | builder | decoder |
//! |---|---|---|
//! | `query_range` | [`query_range`] ([`LogQuery`]) | [`decode_query`] |
//! | `query` | [`instant_query`] | [`decode_query`] |
//! | `labels` | [`labels`] | [`decode_names`] |
//! | `label/<name>/values` | [`label_values`] | [`decode_names`] |
//! | `series` | [`series`] | [`decode_series`] |
//! | `index/stats` | [`index_stats`] | [`decode_index_stats`] (no envelope) |
//! | `index/volume` | [`index_volume`] ([`VolumeQuery`]) | [`decode_volume`] |
//! | `index/volume_range` | [`index_volume_range`] | [`decode_volume`] |
//! | `format_query` | [`format_query`] | [`decode_format_query`] |
//!
//! Paging ("load older" / "load newer") is [`LogPager`]; merging pages or hosts is
//! [`merge_streams`].

pub mod answers;
pub mod decode;
pub mod index_requests;
pub mod limits;
pub mod merge;
pub mod paging;
pub mod requests;
pub mod stats;
pub mod streams;
pub mod time;

pub use answers::{decode_format_query, decode_index_stats, decode_names, decode_series};
pub use decode::{decode_query, decode_volume, LokiQueryData, LokiResponse, LokiResult};
pub use index_requests::{
    index_stats, index_volume, index_volume_range, label_values, labels, series, VolumeAggregation,
    VolumeQuery,
};
pub use limits::{default_step, LogLimits, DEFAULT_LINE_LIMIT, UPSTREAM_MAX_ENTRIES};
pub use merge::{merge_streams, trim_to_limit};
pub use paging::{newer_page, older_page, LogPager, PageOutcome};
pub use requests::{
    format_query, instant_query, query_range, LogQuery, CATEGORIZE_LABELS, ENCODING_FLAGS_HEADER,
};
pub use stats::{IndexStats, QueryStats, StatsSummary};
pub use streams::{entry_count, LogEntry, LogStream};
pub use time::{loki_time_text, Direction, LogRange, NS_PER_MS};
