//! Fuzz target: the Loki answer decoders (query and query_range with streams or samples,
//! index volume, series, labels, index stats, format_query). Never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sightline_core::api::loki;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(response) = loki::decode_query("fuzz", body) {
        let _ = response.data.result.result_type();
        let _ = loki::entry_count(response.data.result.streams());
    }
    let _ = loki::decode_volume("fuzz", body);
    let _ = loki::decode_series("fuzz", body);
    let _ = loki::decode_names("fuzz", body);
    let _ = loki::decode_index_stats("fuzz", body);
    let _ = loki::decode_format_query("fuzz", body);
});
