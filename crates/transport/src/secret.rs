//! A string that must never be printed: client secrets, access and refresh tokens.

use std::fmt;

/// A secret string (client secret, access token, refresh token).
///
/// `Debug` and `Display` print `[redacted]`; the value is only reachable through
/// [`Secret::expose`], so a secret cannot end up in a log line or an error message by accident.
///
/// The `Secret`'s own buffer is overwritten with zeros when it is dropped (best effort). Copies
/// made to use the secret on the wire are **not** zeroed: the `Authorization` header value
/// built from an access token (kept while the token is cached, marked sensitive so that it is
/// never printed), the form bodies of token requests (client secret, refresh token), the
/// response bodies that carried new tokens, and whatever the HTTP stack (reqwest, hyper,
/// rustls) buffers. Zeroing protects against a later read of freed memory in this process, not
/// against a memory dump while the client is in use.
///
/// ```
/// use yeastar_transport::Secret;
/// let s = Secret::new("hunter2");
/// assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself. Call this only where the value goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Reads a secret from a JSON string (token responses), so it is never held in a plain `String`.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort: overwrite the bytes before the allocation is freed. `take` leaves an
        // empty string behind, and the zeroed Vec is dropped right after.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Secret::new("tok-123");
        assert!(!format!("{s:?}").contains("tok-123"));
        assert!(!format!("{s}").contains("tok-123"));
        assert!(!format!("{:#?}", Some(s.clone())).contains("tok-123"));
        assert_eq!(s.expose(), "tok-123");
    }

    #[test]
    fn deserialises_from_a_json_string() {
        let s: Secret = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(s.expose(), "abc");
        assert!(serde_json::from_str::<Secret>("42").is_err());
    }
}
