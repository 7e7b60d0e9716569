//! Fuzz target: the Prometheus answer decoders (query, series, labels and label values,
//! metadata, rules, exemplars, format_query). Any body decodes or gives an error; never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sightline_core::api::prometheus as prom;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(response) = prom::decode_query("fuzz", body) {
        let _ = response.data.result_type();
        for series in response.data.into_series() {
            let _ = series.labels.format_legend("{{a}} {{__name__}}");
        }
    }
    let _ = prom::decode_series("fuzz", body);
    let _ = prom::decode_names("fuzz", body);
    let _ = prom::decode_metadata("fuzz", body);
    let _ = prom::decode_rules("fuzz", body);
    let _ = prom::decode_exemplars("fuzz", body);
    let _ = prom::decode_format_query("fuzz", body);
});
