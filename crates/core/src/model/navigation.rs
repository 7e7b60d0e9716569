//! Safe in-app navigation targets: where to return after sign-in.

/// The path to return to after sign-in, if `next` is a same-origin path of this app.
///
/// Anything that could lead off-site (`//evil.example`, `/\evil`, `https://…`, `javascript:`) or
/// back to the sign-in page itself gives `None`, and the caller falls back to its start page.
#[must_use]
pub fn safe_return_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && !next.starts_with("/sign-in")
        && next.len() <= 8192;
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_in_app_paths_with_queries() {
        assert_eq!(
            safe_return_path("/d/gpu?from=now-6h&var-gpu=0"),
            Some("/d/gpu?from=now-6h&var-gpu=0")
        );
        assert_eq!(safe_return_path("/explore"), Some("/explore"));
    }

    #[test]
    fn refuses_anything_that_can_leave_the_site() {
        for bad in [
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "",
            "explore",
            "/a\\b",
            "/x\n",
            "/sign-in?next=/x",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }
}
