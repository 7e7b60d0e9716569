//! Dashboard and panel links. Only `http(s)` and relative URLs are ever followed.

use super::codec::object_model;

object_model! {
    /// A link in the dashboard header or a panel's corner menu.
    pub struct Link {
        field title: String = "title",
        /// `link` (a URL) or `dashboards` (by tags; shown but not resolved).
        field link_type: String = "type",
        field url: String = "url",
        field tooltip: String = "tooltip",
        field tags: Vec<String> = "tags",
        field as_dropdown: bool = "asDropdown",
        field target_blank: bool = "targetBlank",
        field include_vars: bool = "includeVars",
        field keep_time: bool = "keepTime",
        field icon: String = "icon",
    }
}

impl Link {
    /// The URL if it is safe to follow: `http(s)://…` or a path on this site (no `javascript:`).
    #[must_use]
    pub fn safe_url(&self) -> Option<&str> {
        let url = self.url.trim();
        let lower = url.to_ascii_lowercase();
        let ok = lower.starts_with("http://")
            || lower.starts_with("https://")
            || (url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\"))
            || (url.starts_with('?') || url.starts_with('#'));
        (ok && !url.chars().any(char::is_control)).then_some(url)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_local_links_are_followed() {
        let link = |url: &str| Link {
            url: url.to_owned(),
            ..Link::default()
        };
        assert_eq!(
            link("https://example.org/x").safe_url(),
            Some("https://example.org/x")
        );
        assert_eq!(link("/d/abc?var-x=1").safe_url(), Some("/d/abc?var-x=1"));
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "data:text/html,x",
            "vbscript:x",
            "",
        ] {
            assert_eq!(link(bad).safe_url(), None, "{bad}");
        }
    }
}
