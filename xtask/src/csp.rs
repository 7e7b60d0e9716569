//! The strict Content-Security-Policy of `index.html`: no inline script (the app's loader is its
//! own file), and the configured API hosts in `connect-src`, written into a `<meta>` tag.

/// The directives Sightline ships. `connect_sources` are the origins of the configured hosts.
#[must_use]
pub fn policy(connect_sources: &[String], for_meta: bool) -> String {
    let mut connect = vec!["'self'".to_owned()];
    connect.extend(connect_sources.iter().cloned());
    let mut directives = vec![
        "default-src 'self'".to_owned(),
        "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
        "style-src 'self'".to_owned(),
        "img-src 'self' data: blob:".to_owned(),
        format!("connect-src {}", connect.join(" ")),
        "object-src 'none'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'self'".to_owned(),
    ];
    if !for_meta {
        // Only honoured as an HTTP header (browsers ignore it in <meta>).
        directives.push("frame-ancestors 'none'".to_owned());
    }
    directives.join("; ")
}

/// Inserts the CSP `<meta>` right after `<meta charset…>` (or at the start of `<head>`).
#[must_use]
pub fn insert_policy_meta(html: &str, policy: &str) -> String {
    let tag = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">");
    let anchor = ["<meta charset=utf-8>", "<meta charset=\"utf-8\">", "<head>"]
        .iter()
        .find_map(|a| html.find(a).map(|i| i + a.len()));
    match anchor {
        Some(i) => format!("{}{tag}{}", &html[..i], &html[i..]),
        None => format!("{tag}{html}"),
    }
}

/// The `connect-src` sources a `config.json` needs: the distinct origins (`scheme://host[:port]`)
/// of its absolute URLs, plus `https:` and `http:` when it offers a "custom URL" profile (the
/// user types the host at sign-in, so it cannot be listed in advance; deployments that want the
/// tight list drop that profile).
#[must_use]
pub fn config_origins(config: &serde_json::Value) -> Vec<String> {
    let mut origins: Vec<String> = Vec::new();
    let profiles = config["profiles"].as_array().cloned().unwrap_or_default();
    if profiles.iter().any(|p| p["custom"].as_bool() == Some(true)) {
        origins.push("https:".to_owned());
        origins.push("http:".to_owned());
    }
    for profile in profiles {
        for field in [
            "metrics",
            "logs",
            "audit_logs",
            "legacy_metrics",
            "legacy_logs",
        ] {
            if let Some(url) = profile[field].as_str() {
                if let Some((scheme, rest)) = url.split_once("://") {
                    let authority = rest.split('/').next().unwrap_or_default();
                    let origin = format!(
                        "{}://{}",
                        scheme.to_ascii_lowercase(),
                        authority.to_ascii_lowercase()
                    );
                    if !origins.contains(&origin) {
                        origins.push(origin);
                    }
                }
            }
        }
    }
    origins
}

/// A short stable hash for file names (FNV-1a, 64 bit).
#[must_use]
pub fn short_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_HTML: &str = "<!doctype html><html lang=en><meta charset=utf-8><title>S</title><script type=module>import init from '/app.js';\nawait init();</script><link rel=modulepreload href=/app.js></head><body></body></html>";

    #[test]
    fn policy_meta_goes_after_the_charset() {
        let html = insert_policy_meta(TRUNK_HTML, "default-src 'self'");
        assert!(html.contains("<meta charset=utf-8><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">"));
    }

    #[test]
    fn policy_lists_configured_origins_and_locks_everything_else() {
        let config = serde_json::json!({"profiles": [
            {"metrics": "https://Observe.CoreWeave.com/", "logs": "https://observe.coreweave.com"},
            {"metrics": "/observe/global"},
            {"legacy_metrics": "http://127.0.0.1:9406"}
        ]});
        let origins = config_origins(&config);
        assert_eq!(
            origins,
            vec!["https://observe.coreweave.com", "http://127.0.0.1:9406"]
        );
        let p = policy(&origins, true);
        assert!(
            p.contains("connect-src 'self' https://observe.coreweave.com http://127.0.0.1:9406")
        );
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(p.contains("object-src 'none'") && p.contains("base-uri 'none'"));
        assert!(
            !p.contains("frame-ancestors"),
            "ignored in <meta>, so only in the header form"
        );
        assert!(policy(&origins, false).contains("frame-ancestors 'none'"));
    }

    #[test]
    fn a_custom_url_profile_opens_connect_src_to_typed_hosts() {
        let config =
            serde_json::json!({"profiles": [{"metrics": "https://a.example"}, {"custom": true}]});
        assert_eq!(
            config_origins(&config),
            vec!["https:", "http:", "https://a.example"]
        );
    }
}
