//! What a user can do about a failed call: one [`Suggestion`] per kind of remedy, recognised
//! from the status and from the texts Prometheus and Loki put in their error bodies.

/// A remedy the UI can show next to an error (and act on: a button, a link to sign-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Suggestion {
    /// The host did not answer a cross-origin call: switch to a same-origin proxy profile.
    UseProxyMode,
    /// The token was rejected: sign in again (keeping the user's place).
    SignInAgain,
    /// The token lacks the Observability Viewer role.
    AskForViewerRole,
    /// The query text is wrong: edit it.
    FixQuery,
    /// Too many points per series (the 11,000 rule): raise the step.
    RaiseStep,
    /// The query ran too long or loaded too much: narrow the range or raise the step.
    NarrowRangeOrRaiseStep,
    /// The range is longer than the host allows (`max_query_length`).
    NarrowRange,
    /// More log lines were asked for than the host allows (`max_entries_limit_per_query`).
    LowerLineLimit,
    /// The query matches too many series or streams.
    AddLabelMatchers,
    /// The range reaches back further than the host keeps data (`max_query_lookback`; some log
    /// types expire after two weeks).
    OutsideRetention,
    /// Loki refuses log (non-metric) queries as instant queries.
    UseRangeQuery,
    /// Overloaded or rate limited: try again in a moment.
    RetryLater,
    /// The host does not offer this endpoint.
    NotOnThisHost,
}

impl Suggestion {
    /// The advice as a sentence.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Suggestion::UseProxyMode => {
                "If the host is up, choose a profile in proxy mode (a same-origin path that this \
                 site's server forwards)."
            }
            Suggestion::SignInAgain => "Sign in again with a current token.",
            Suggestion::AskForViewerRole => {
                "Ask an administrator for the Observability Viewer role."
            }
            Suggestion::FixQuery => "Check the query text.",
            Suggestion::RaiseStep => {
                "Raise the step (or the panel's min interval): at most 11,000 points per series \
                 are allowed."
            }
            Suggestion::NarrowRangeOrRaiseStep => "Narrow the time range or raise the step.",
            Suggestion::NarrowRange => "Narrow the time range: the host limits how long a query may be.",
            Suggestion::LowerLineLimit => {
                "Ask for fewer log lines (a smaller line limit) or narrow the time range."
            }
            Suggestion::AddLabelMatchers => {
                "Add label matchers or aggregate (for example sum by (…)) so that fewer series match."
            }
            Suggestion::OutsideRetention => {
                "The host no longer keeps data that old (some log types expire after two weeks): \
                 choose a more recent range."
            }
            Suggestion::UseRangeQuery => "Run log queries as range queries.",
            Suggestion::RetryLater => "Try again in a moment.",
            Suggestion::NotOnThisHost => "This host does not offer that feature.",
        }
    }

    /// Recognises a remedy in the text of a 4xx/5xx answer (Prometheus JSON `error`, Loki
    /// `text/plain` body).
    #[must_use]
    pub fn for_bad_query(message: &str) -> Option<Suggestion> {
        let lower = message.to_ascii_lowercase();
        let has = |needle: &str| lower.contains(needle);
        if has("exceeded maximum resolution") || has("increasing the value of the step") {
            Some(Suggestion::RaiseStep)
        } else if has("max entries limit") {
            Some(Suggestion::LowerLineLimit)
        } else if has("maximum number of series")
            || has("maximum of series")
            || has("max_query_series")
            || has("series limit")
            || has("too many series")
            || has("stream matchers")
        {
            Some(Suggestion::AddLabelMatchers)
        } else if has("query time range exceeds the limit") || has("query length") {
            Some(Suggestion::NarrowRange)
        } else if has("no longer available") || has("max_query_lookback") {
            Some(Suggestion::OutsideRetention)
        } else if has("log queries are not supported as an instant query") {
            Some(Suggestion::UseRangeQuery)
        } else if has("timed out")
            || has("timeout")
            || has("too many samples")
            || has("decrease the duration")
            || has("context deadline exceeded")
        {
            Some(Suggestion::NarrowRangeOrRaiseStep)
        } else {
            None
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_limits_of_prometheus_and_loki() {
        let cases = [
            ("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)", Suggestion::RaiseStep),
            ("max entries limit per query exceeded, limit > max_entries_limit (10000 > 5000)", Suggestion::LowerLineLimit),
            ("maximum number of series (500) reached for a single query; consider reducing query cardinality", Suggestion::AddLabelMatchers),
            ("the query time range exceeds the limit (query length: 800h0m0s, limit: 721h0m0s)", Suggestion::NarrowRange),
            ("this data is no longer available, it is past now - max_query_lookback (336h0m0s)", Suggestion::OutsideRetention),
            ("log queries are not supported as an instant query type, please change your query to a range query type", Suggestion::UseRangeQuery),
            ("request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed", Suggestion::NarrowRangeOrRaiseStep),
            ("query processing would load too many samples into memory in query execution", Suggestion::NarrowRangeOrRaiseStep),
        ];
        for (message, expected) in cases {
            assert_eq!(
                Suggestion::for_bad_query(message),
                Some(expected),
                "{message}"
            );
        }
        assert_eq!(
            Suggestion::for_bad_query("1:5: parse error: unexpected end of input"),
            None
        );
    }
}
