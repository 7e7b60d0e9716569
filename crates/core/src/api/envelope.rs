//! The JSON envelope shared by Prometheus and Loki, `{status, data, errorType, error, warnings,
//! infos}`, decoded around any `data` decoder, and the helpers every decoder uses.
//!
//! `data` is handed to a [`DeserializeSeed`] while the body is parsed, so no intermediate
//! `serde_json::Value` is built. Unknown fields are skipped; `data` in an error body is ignored
//! whatever its shape.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};

use crate::api::error::{excerpt, ApiError};
use crate::api::wire::Key;

/// A successful answer: its data plus the warnings and infos the server attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Enveloped<T> {
    pub data: T,
    /// The request ran, but the data may be partial (e.g. "results truncated due to limit").
    /// Keep the data and show a badge.
    pub warnings: Vec<String>,
    /// Advisory hints, possibly false positives (Prometheus `infos`).
    pub infos: Vec<String>,
}

impl<T> Enveloped<T> {
    /// The same warnings and infos around other data.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Enveloped<U> {
        Enveloped {
            data: f(self.data),
            warnings: self.warnings,
            infos: self.infos,
        }
    }
}

/// Decodes a 2xx body `{status, data, …}`, handing `data` to `seed`.
///
/// # Errors
/// [`ApiError::Malformed`] for truncated or invalid JSON or a missing `data`, and
/// [`ApiError::BadQuery`] when a 2xx body nevertheless says `"status":"error"`.
pub fn decode_envelope<S, T>(host: &str, body: &str, seed: S) -> Result<Enveloped<T>, ApiError>
where
    S: for<'de> DeserializeSeed<'de, Value = T>,
{
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let envelope = EnvelopeSeed { data: seed }
        .deserialize(&mut deserializer)
        .and_then(|e| deserializer.end().map(|()| e))
        .map_err(|e| malformed(host, body, &e))?;
    if envelope.status != "success" {
        return Err(ApiError::BadQuery {
            host: host.to_owned(),
            status: 200,
            error_type: envelope.error_type.unwrap_or_default(),
            message: envelope
                .error
                .unwrap_or_else(|| format!("status was {:?}, not \"success\"", envelope.status)),
        });
    }
    let data = envelope.data.ok_or_else(|| ApiError::Malformed {
        host: host.to_owned(),
        detail: "the response has no \"data\"".to_owned(),
    })?;
    Ok(Enveloped {
        data,
        warnings: envelope.warnings,
        infos: envelope.infos,
    })
}

/// Decodes an envelope whose `data` is a plain serde type (lists of names, metadata, rules…).
/// A `null` data decodes as `T::default()`, which is what Loki sends for an empty label list.
///
/// # Errors
/// As [`decode_envelope`].
pub fn decode_envelope_of<T: DeserializeOwned + Default>(
    host: &str,
    body: &str,
) -> Result<Enveloped<T>, ApiError> {
    decode_envelope(host, body, PhantomData::<Option<T>>).map(|e| e.map(Option::unwrap_or_default))
}

/// Decodes a body without an envelope (Loki's `index/stats`).
///
/// # Errors
/// [`ApiError::Malformed`] for truncated or invalid JSON.
pub fn decode_bare<T: DeserializeOwned>(host: &str, body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body).map_err(|e| malformed(host, body, &e))
}

/// A readable description of a JSON decode failure, telling truncation apart from bad syntax.
pub(crate) fn malformed(host: &str, body: &str, error: &serde_json::Error) -> ApiError {
    let detail = if error.is_eof() {
        format!(
            "the JSON ends early (after {} bytes); the response was cut off",
            body.len()
        )
    } else if body.trim_start().starts_with('<') {
        format!("expected JSON but got an HTML page: {}", excerpt(body))
    } else if body.trim().is_empty() {
        "the body is empty".to_owned()
    } else {
        format!("invalid JSON: {error}")
    };
    ApiError::Malformed {
        host: host.to_owned(),
        detail,
    }
}

struct Envelope<T> {
    status: String,
    data: Option<T>,
    error_type: Option<String>,
    error: Option<String>,
    warnings: Vec<String>,
    infos: Vec<String>,
}

struct EnvelopeSeed<S> {
    data: S,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for EnvelopeSeed<S> {
    type Value = Envelope<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for EnvelopeSeed<S> {
    type Value = Envelope<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an API response object with \"status\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seed = Some(self.data);
        let mut envelope = Envelope {
            status: String::new(),
            data: None,
            error_type: None,
            error: None,
            warnings: Vec::new(),
            infos: Vec::new(),
        };
        while let Some(key) = map.next_key::<Key>()? {
            match key.as_str() {
                "status" => envelope.status = map.next_value()?,
                // Error bodies may carry data of any shape; only decode it on success.
                "data" if envelope.status == "error" => {
                    map.next_value::<IgnoredAny>()?;
                }
                "data" => {
                    let seed = seed
                        .take()
                        .ok_or_else(|| de::Error::duplicate_field("data"))?;
                    envelope.data = Some(map.next_value_seed(seed)?);
                }
                "errorType" => envelope.error_type = map.next_value()?,
                "error" => envelope.error = map.next_value()?,
                "warnings" => {
                    envelope.warnings = map.next_value::<Option<_>>()?.unwrap_or_default()
                }
                "infos" => envelope.infos = map.next_value::<Option<_>>()?.unwrap_or_default(),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if envelope.status.is_empty() {
            return Err(de::Error::missing_field("status"));
        }
        Ok(envelope)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HOST: &str = "h.example";

    #[test]
    fn null_data_is_an_empty_list() {
        let answer =
            decode_envelope_of::<Vec<String>>(HOST, r#"{"status":"success","data":null}"#).unwrap();
        assert!(answer.data.is_empty());
    }

    #[test]
    fn missing_data_is_malformed_and_missing_status_too() {
        assert!(matches!(
            decode_envelope_of::<Vec<String>>(HOST, r#"{"status":"success"}"#),
            Err(ApiError::Malformed { .. })
        ));
        assert!(matches!(
            decode_envelope_of::<Vec<String>>(HOST, r#"{"data":[]}"#),
            Err(ApiError::Malformed { .. })
        ));
    }

    #[test]
    fn an_empty_body_says_so() {
        let err = decode_envelope_of::<Vec<String>>(HOST, "").unwrap_err();
        assert!(
            err.to_string().contains("cut off") || err.to_string().contains("empty"),
            "{err}"
        );
    }

    #[test]
    fn escaped_keys_still_match() {
        let answer =
            decode_envelope_of::<Vec<String>>(HOST, r#"{"st\u0061tus":"success","data":["a"]}"#)
                .unwrap();
        assert_eq!(answer.data, vec!["a"]);
    }
}
