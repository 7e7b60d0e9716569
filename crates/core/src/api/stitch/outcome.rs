//! Combining the two halves of a split query, whatever happened to each, into one result and a
//! note the UI shows beside it ("stitched: …", "legacy host failed: …").
//!
//! A failed half never loses the other: the result then holds what the other host returned,
//! and the note says what is missing.

use crate::api::envelope::Enveloped;
use crate::api::error::ApiError;
use crate::model::civil::CivilDateTime;

/// What happened to a split query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StitchKind {
    /// Both hosts answered; the result joins them.
    Stitched,
    /// The whole range lies before the cut-over; only the legacy host was asked.
    LegacyOnly,
    /// The legacy host failed; the result holds only data from the cut-over on.
    LegacyFailed,
    /// The current host failed; the result holds only data before the cut-over.
    CurrentFailed,
}

/// A per-query note for the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StitchNote {
    pub kind: StitchKind,
    /// One sentence naming the hosts and the dates, e.g.
    /// `stitched: 2024-10-14 → 2024-10-21 from prometheus-legacy.ord1.coreweave.com, …`.
    pub text: String,
}

/// A result that may come from two hosts, with the note saying so.
#[derive(Debug, Clone, PartialEq)]
pub struct Stitched<T> {
    pub answer: T,
    /// `None` when only the current host was involved (nothing to say).
    pub note: Option<StitchNote>,
}

/// One half of a split query: which host, which part of the range, and how it went.
#[derive(Debug, Clone, PartialEq)]
pub struct Half<T> {
    /// The host as named in messages.
    pub host: String,
    /// Start and end of this half, Unix milliseconds.
    pub from_ms: i64,
    pub to_ms: i64,
    pub outcome: Result<T, ApiError>,
}

/// Combines the halves of a split query. `merge(legacy, current)` joins two successful
/// answers. Warnings of both halves are kept (each once).
///
/// # Errors
/// The error of the only half asked, or the current host's error when both failed, or the
/// error `merge` returns.
pub fn combine<T>(
    legacy: Option<Half<Enveloped<T>>>,
    current: Option<Half<Enveloped<T>>>,
    cutover_ms: i64,
    merge: impl FnOnce(T, T) -> Result<T, ApiError>,
) -> Result<Stitched<Enveloped<T>>, ApiError> {
    let cutover = short_time(cutover_ms);
    match (legacy, current) {
        (None, None) => Err(ApiError::Malformed {
            host: String::new(),
            detail: "a split query with no part to run".to_owned(),
        }),
        (None, Some(current)) => current
            .outcome
            .map(|answer| Stitched { answer, note: None }),
        (Some(legacy), None) => {
            let text = format!(
                "from {}: the whole range is before the {cutover} cut-over",
                legacy.host
            );
            legacy.outcome.map(|answer| Stitched {
                answer,
                note: Some(StitchNote {
                    kind: StitchKind::LegacyOnly,
                    text,
                }),
            })
        }
        (Some(legacy), Some(current)) => match (legacy.outcome, current.outcome) {
            (Ok(old), Ok(new)) => {
                let text = format!(
                    "stitched: {} → {cutover} from {}, {cutover} → {} from {}",
                    short_time(legacy.from_ms),
                    legacy.host,
                    short_time(current.to_ms),
                    current.host
                );
                let warnings = extend_unique(old.warnings, new.warnings);
                let infos = extend_unique(old.infos, new.infos);
                Ok(Stitched {
                    answer: Enveloped {
                        data: merge(old.data, new.data)?,
                        warnings,
                        infos,
                    },
                    note: Some(StitchNote {
                        kind: StitchKind::Stitched,
                        text,
                    }),
                })
            }
            (Err(error), Ok(answer)) if !error.is_aborted() => Ok(Stitched {
                answer,
                note: Some(StitchNote {
                    kind: StitchKind::LegacyFailed,
                    text: format!(
                        "legacy host {} failed: {error}; showing data from {cutover} on",
                        legacy.host
                    ),
                }),
            }),
            (Ok(answer), Err(error)) if !error.is_aborted() => Ok(Stitched {
                answer,
                note: Some(StitchNote {
                    kind: StitchKind::CurrentFailed,
                    text: format!(
                        "{} failed: {error}; showing legacy data before {cutover} only",
                        current.host
                    ),
                }),
            }),
            (Err(error), Ok(_)) | (_, Err(error)) => Err(error),
        },
    }
}

fn extend_unique(mut first: Vec<String>, second: Vec<String>) -> Vec<String> {
    for text in second {
        if !first.contains(&text) {
            first.push(text);
        }
    }
    first
}

/// A date for a note: `2024-10-21` at midnight UTC, else `2024-10-21 13:45 UTC` (with seconds
/// when they are not zero).
#[must_use]
pub fn short_time(ms: i64) -> String {
    let t = CivilDateTime::from_millis(ms, 0);
    let date = format!("{:04}-{:02}-{:02}", t.year, t.month, t.day);
    match (t.hour, t.minute, t.second) {
        (0, 0, 0) => date,
        (h, m, 0) => format!("{date} {h:02}:{m:02} UTC"),
        (h, m, s) => format!("{date} {h:02}:{m:02}:{s:02} UTC"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;
    const CUTOVER: i64 = 1_729_468_800_000; // 2024-10-21

    fn answer(data: Vec<i64>, warning: &str) -> Enveloped<Vec<i64>> {
        Enveloped {
            data,
            warnings: if warning.is_empty() {
                vec![]
            } else {
                vec![warning.to_owned()]
            },
            infos: vec![],
        }
    }

    fn half(
        host: &str,
        from_ms: i64,
        to_ms: i64,
        outcome: Result<Enveloped<Vec<i64>>, ApiError>,
    ) -> Option<Half<Enveloped<Vec<i64>>>> {
        Some(Half {
            host: host.into(),
            from_ms,
            to_ms,
            outcome,
        })
    }

    fn concat(mut a: Vec<i64>, b: Vec<i64>) -> Result<Vec<i64>, ApiError> {
        a.extend(b);
        Ok(a)
    }

    #[test]
    fn both_halves_are_joined_and_the_note_names_hosts_and_dates() {
        let out = combine(
            half(
                "prometheus-legacy.ord1.coreweave.com",
                CUTOVER - 7 * DAY,
                CUTOVER - 1,
                Ok(answer(vec![1], "w")),
            ),
            half(
                "observe.coreweave.com",
                CUTOVER,
                CUTOVER + 7 * DAY,
                Ok(answer(vec![2], "w")),
            ),
            CUTOVER,
            concat,
        )
        .unwrap();
        assert_eq!(out.answer.data, vec![1, 2]);
        assert_eq!(out.answer.warnings, vec!["w"]);
        let note = out.note.unwrap();
        assert_eq!(note.kind, StitchKind::Stitched);
        assert_eq!(
            note.text,
            "stitched: 2024-10-14 → 2024-10-21 from prometheus-legacy.ord1.coreweave.com, \
             2024-10-21 → 2024-10-28 from observe.coreweave.com"
        );
    }

    #[test]
    fn a_failed_legacy_half_keeps_the_current_half_and_says_so() {
        let failure = ApiError::Unavailable {
            host: "legacy.example".into(),
            status: 502,
            retry_after_s: None,
            message: "Bad Gateway".into(),
        };
        let out = combine(
            half("legacy.example", CUTOVER - DAY, CUTOVER - 1, Err(failure)),
            half(
                "current.example",
                CUTOVER,
                CUTOVER + DAY,
                Ok(answer(vec![2], "")),
            ),
            CUTOVER,
            concat,
        )
        .unwrap();
        assert_eq!(out.answer.data, vec![2]);
        let note = out.note.unwrap();
        assert_eq!(note.kind, StitchKind::LegacyFailed);
        assert!(
            note.text.starts_with(
                "legacy host legacy.example failed: legacy.example is unavailable (502)"
            ),
            "{}",
            note.text
        );
        assert!(
            note.text.ends_with("showing data from 2024-10-21 on"),
            "{}",
            note.text
        );
    }

    #[test]
    fn a_failed_current_half_keeps_the_legacy_half() {
        let out = combine(
            half(
                "legacy.example",
                CUTOVER - DAY,
                CUTOVER - 1,
                Ok(answer(vec![1], "")),
            ),
            half(
                "current.example",
                CUTOVER,
                CUTOVER + DAY,
                Err(ApiError::Unreachable {
                    host: "current.example".into(),
                }),
            ),
            CUTOVER,
            concat,
        )
        .unwrap();
        assert_eq!(out.note.unwrap().kind, StitchKind::CurrentFailed);
    }

    #[test]
    fn both_failed_or_superseded_is_an_error() {
        let both = combine(
            half("l", 0, 1, Err(ApiError::Unreachable { host: "l".into() })),
            half("c", 1, 2, Err(ApiError::Unreachable { host: "c".into() })),
            CUTOVER,
            concat,
        );
        assert_eq!(
            both.unwrap_err(),
            ApiError::Unreachable { host: "c".into() }
        );
        let aborted = combine(
            half("l", 0, 1, Err(ApiError::Aborted)),
            half("c", 1, 2, Ok(answer(vec![], ""))),
            CUTOVER,
            concat,
        );
        assert_eq!(aborted.unwrap_err(), ApiError::Aborted);
    }

    #[test]
    fn legacy_only_and_current_only() {
        let legacy = combine(
            half("l", 0, 1, Ok(answer(vec![1], ""))),
            None,
            CUTOVER,
            concat,
        )
        .unwrap();
        assert_eq!(legacy.note.unwrap().kind, StitchKind::LegacyOnly);
        let current = combine(
            None,
            half("c", 1, 2, Ok(answer(vec![2], ""))),
            CUTOVER,
            concat,
        )
        .unwrap();
        assert_eq!(current.note, None);
    }

    #[test]
    fn short_times_drop_midnight_and_zero_seconds() {
        assert_eq!(short_time(CUTOVER), "2024-10-21");
        assert_eq!(
            short_time(CUTOVER + 13 * 3_600_000 + 45 * 60_000),
            "2024-10-21 13:45 UTC"
        );
        assert_eq!(short_time(CUTOVER + 5_000), "2024-10-21 00:00:05 UTC");
    }
}
