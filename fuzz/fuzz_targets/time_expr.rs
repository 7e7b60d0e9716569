//! Fuzz target: Grafana time expressions (`now-6h/d`, RFC 3339, epoch ms). The first line is
//! `from`, the second `to`; 12 bytes after a NUL give "now" and the zone offset. Parsing and
//! resolving never panic (no overflow), and a displayed expression parses back to itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sightline_core::model::time_expr::{RangeExpr, TimeExpr};

fuzz_target!(|data: &[u8]| {
    let (text, clock) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let mut now_bytes = [0u8; 8];
    let mut offset_bytes = [0u8; 4];
    for (i, b) in clock.iter().take(12).enumerate() {
        if i < 8 {
            now_bytes[i] = *b;
        } else {
            offset_bytes[i - 8] = *b;
        }
    }
    let now = i64::from_le_bytes(now_bytes);
    let offset = i32::from_le_bytes(offset_bytes);
    let (from, to) = text.split_once('\n').unwrap_or((text, "now"));
    if let Ok(expr) = from.parse::<TimeExpr>() {
        let shown = expr.to_string();
        assert_eq!(shown.parse::<TimeExpr>().as_ref(), Ok(&expr), "{shown}");
        let zone = move |_| offset;
        let _ = expr.resolve(now, &zone, false);
        let _ = expr.resolve(now, &zone, true);
    }
    if let Ok(range) = RangeExpr::parse(from, to) {
        let zone = move |_| offset;
        let resolved = range.resolve(now, &zone);
        let _ = resolved.span_ms();
    }
});
