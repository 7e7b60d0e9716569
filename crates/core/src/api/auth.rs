//! The bearer token, wrapped so that it cannot be printed by accident.
//!
//! `Debug` and `Display` show `Token(…redacted…)`; the secret is only reachable through
//! [`Token::authorization_header`] (for the `Authorization` header) and [`Token::expose`] (for
//! `sessionStorage`). Grep for `expose(` to audit every place the secret goes.

use std::fmt;

/// A bearer token (a CoreWeave API access token or any other bearer secret).
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// Why a pasted token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("paste a token first")]
    Empty,
    #[error("the token contains spaces or control characters; paste only the token itself")]
    InvalidCharacters,
    #[error("the token is longer than 16 KB; check what was pasted")]
    TooLong,
}

impl Token {
    /// Accepts a pasted token: trims whitespace and a leading `Bearer `, and refuses characters that
    /// cannot appear in an HTTP header value.
    ///
    /// # Errors
    /// [`TokenError`] for an empty, oversized or malformed token.
    pub fn parse(pasted: &str) -> Result<Token, TokenError> {
        let mut text = pasted.trim();
        if let Some(rest) = text
            .strip_prefix("Bearer ")
            .or_else(|| text.strip_prefix("bearer "))
        {
            text = rest.trim();
        }
        if text.is_empty() {
            return Err(TokenError::Empty);
        }
        if text.len() > 16 * 1024 {
            return Err(TokenError::TooLong);
        }
        if !text.chars().all(|c| c.is_ascii_graphic()) {
            return Err(TokenError::InvalidCharacters);
        }
        Ok(Token(text.to_owned()))
    }

    /// The `Authorization` header value: `Bearer <token>`.
    #[must_use]
    pub fn authorization_header(&self) -> String {
        format!("Bearer {}", self.0)
    }

    /// The secret itself, for `sessionStorage` only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when `text` contains the secret (used to scrub error texts and exports).
    #[must_use]
    pub fn appears_in(&self, text: &str) -> bool {
        text.contains(&self.0)
    }

    /// `text` with every occurrence of the secret replaced by `…redacted…`.
    #[must_use]
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.0, "…redacted…")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…redacted…)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("…redacted…")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let t = Token::parse("s3cr3t-value").unwrap();
        assert!(!format!("{t:?} {t}").contains("s3cr3t"));
        assert_eq!(t.authorization_header(), "Bearer s3cr3t-value");
    }

    #[test]
    fn pasted_bearer_prefix_and_whitespace_are_removed() {
        assert_eq!(
            Token::parse("  Bearer abc.def \n").unwrap().expose(),
            "abc.def"
        );
    }

    #[test]
    fn refuses_empty_and_malformed_tokens() {
        assert_eq!(Token::parse("  "), Err(TokenError::Empty));
        assert_eq!(Token::parse("a b"), Err(TokenError::InvalidCharacters));
        assert_eq!(Token::parse("a\u{0}b"), Err(TokenError::InvalidCharacters));
        assert_eq!(Token::parse(&"x".repeat(20_000)), Err(TokenError::TooLong));
    }

    #[test]
    fn redact_scrubs_every_occurrence() {
        let t = Token::parse("tok").unwrap();
        assert_eq!(t.redact("a tok b tok"), "a …redacted… b …redacted…");
        assert!(t.appears_in("xtokx"));
    }
}
