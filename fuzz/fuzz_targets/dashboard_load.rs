//! Fuzz target: the dashboard loader. Any text loads or reports errors (never panics); a loaded
//! dashboard saves and loads back to the same dashboard, and its variables can be ordered.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sightline_core::model::dashboard::load;
use sightline_core::model::variables::{resolution_order, variables_of};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = load(text);
    match loaded.dashboard {
        Some(dashboard) => {
            let saved = dashboard.to_json_pretty();
            let again = load(&saved);
            assert_eq!(
                again.dashboard.as_ref(),
                Some(&dashboard),
                "save → load changed it"
            );
            let _ = resolution_order(&variables_of(&dashboard));
        }
        None => assert!(loaded.has_errors(), "no dashboard and no error"),
    }
});
