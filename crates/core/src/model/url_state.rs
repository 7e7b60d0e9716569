//! Dashboard state in the URL, in Grafana's form:
//! `?from=now-6h&to=now&var-gpu=0&var-gpu=1&refresh=30s&timezone=utc` (`tz` is read too).
//!
//! Values are kept as text here; `time_expr`, `refresh` and `timezone` give them meaning.
//! Parameters Sightline does not use (`orgId`, `viewPanel`…) are kept and written back.

/// The state a dashboard URL carries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlState {
    pub from: Option<String>,
    pub to: Option<String>,
    /// `var-NAME` values in order of first appearance; a name may carry several values.
    pub variables: Vec<(String, Vec<String>)>,
    pub refresh: Option<String>,
    pub timezone: Option<String>,
    /// Other parameters, in order.
    pub other: Vec<(String, String)>,
}

/// The prefix of variable parameters.
pub const VARIABLE_PREFIX: &str = "var-";

/// Most parameters read from one URL (the rest are ignored).
const MAX_PARAMS: usize = 1_000;

impl UrlState {
    /// Reads a query string, with or without the leading `?`.
    #[must_use]
    pub fn parse(query: &str) -> Self {
        let mut state = UrlState::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()).take(MAX_PARAMS) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (key, value) = (decode(key), decode(value));
            match key.as_str() {
                "from" => state.from = Some(value),
                "to" => state.to = Some(value),
                "refresh" => state.refresh = Some(value),
                "timezone" | "tz" => state.timezone = Some(value),
                _ => match key.strip_prefix(VARIABLE_PREFIX) {
                    Some(name) if !name.is_empty() => state.add_variable_value(name, value),
                    _ => state.other.push((key, value)),
                },
            }
        }
        state
    }

    fn add_variable_value(&mut self, name: &str, value: String) {
        match self.variables.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value),
            None => self.variables.push((name.to_owned(), vec![value])),
        }
    }

    /// The values of `var-NAME`, if the URL sets it.
    #[must_use]
    pub fn variable(&self, name: &str) -> Option<&[String]> {
        self.variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, values)| values.as_slice())
    }

    /// Writes the query string (without `?`): from, to, timezone, variables, refresh, then others.
    #[must_use]
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(String, &str)> = Vec::new();
        if let Some(from) = &self.from {
            pairs.push(("from".to_owned(), from));
        }
        if let Some(to) = &self.to {
            pairs.push(("to".to_owned(), to));
        }
        if let Some(zone) = &self.timezone {
            pairs.push(("timezone".to_owned(), zone));
        }
        for (name, values) in &self.variables {
            for value in values {
                pairs.push((format!("{VARIABLE_PREFIX}{name}"), value));
            }
        }
        if let Some(refresh) = &self.refresh {
            pairs.push(("refresh".to_owned(), refresh));
        }
        for (key, value) in &self.other {
            pairs.push((key.clone(), value));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes everything except RFC 3986 unreserved characters (and `$`, which Grafana
/// leaves readable in `$__all`).
#[must_use]
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'$') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` and `+` (space); malformed escapes are kept as text.
#[must_use]
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_grafana_dashboard_urls() {
        let state = UrlState::parse("?orgId=1&from=now-6h&to=now&var-gpu=0&var-gpu=1&refresh=30s&tz=Europe%2FBerlin&var-host=a+b");
        assert_eq!(state.from.as_deref(), Some("now-6h"));
        assert_eq!(state.to.as_deref(), Some("now"));
        assert_eq!(
            state.variable("gpu"),
            Some(&["0".to_owned(), "1".to_owned()][..])
        );
        assert_eq!(state.variable("host"), Some(&["a b".to_owned()][..]));
        assert_eq!(state.refresh.as_deref(), Some("30s"));
        assert_eq!(state.timezone.as_deref(), Some("Europe/Berlin"));
        assert_eq!(state.other, vec![("orgId".to_owned(), "1".to_owned())]);
    }

    #[test]
    fn writes_grafana_form() {
        let state = UrlState {
            from: Some("now-6h".into()),
            to: Some("now".into()),
            variables: vec![
                ("gpu".into(), vec!["0".into(), "1".into()]),
                ("x".into(), vec!["$__all".into()]),
            ],
            refresh: Some("30s".into()),
            ..UrlState::default()
        };
        assert_eq!(
            state.to_query(),
            "from=now-6h&to=now&var-gpu=0&var-gpu=1&var-x=$__all&refresh=30s"
        );
    }

    #[test]
    fn malformed_escapes_are_kept() {
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%e2%82%ac"), "€");
    }

    proptest! {
        #[test]
        fn build_then_parse_round_trips(
            from in "\\PC{0,12}",
            vars in prop::collection::vec(("[a-z][a-z0-9_]{0,6}", prop::collection::vec("\\PC{0,8}", 1..3)), 0..4),
            other in prop::collection::vec(("[a-zA-Z]{1,6}", "\\PC{0,8}"), 0..3),
        ) {
            let mut state = UrlState { from: Some(from), ..UrlState::default() };
            for (name, values) in vars {
                for value in values {
                    state.add_variable_value(&name, value);
                }
            }
            state.other = other.into_iter().filter(|(k, _)| !["from", "to", "refresh", "timezone", "tz"].contains(&k.as_str())).collect();
            prop_assert_eq!(UrlState::parse(&state.to_query()), state);
        }
    }
}
