//! Access tokens: `POST /auth/openapi/v1/oauth/token`.
//!
//! The client asks for, caches and refreshes tokens by itself (the cache lives in the transport);
//! this module only describes the token endpoint. Nothing here needs calling directly.

use std::time::Duration;

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use yeastar_transport::reexports::async_trait;
use yeastar_transport::{Endpoint, Grant, Payload, Request, Result, Secret, TokenSet, TokenSource};

use crate::envelope::PpEnvelope;

/// The token endpoint path.
pub const TOKEN_PATH: &str = "/auth/openapi/v1/oauth/token";

/// The `grant_type` for a new token from client credentials (Partner Portal's own name).
pub const GRANT_PP_CREDENTIALS: &str = "pp_credentials";

/// The `grant_type` for a new token from a refresh token.
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";

/// Access-token lifetime assumed when `expiresIn` is missing, zero or unreadable (the
/// documented lifetime: 30 minutes).
pub const DEFAULT_ACCESS_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Refresh-token lifetime (documented: 15 days; the API does not send it).
pub const REFRESH_LIFETIME: Duration = Duration::from_secs(15 * 24 * 60 * 60);

/// The Partner Portal token endpoint, as a [`TokenSource`] for the transport's token cache.
///
/// - Client credentials: form body `client_id`, `client_secret`, `grant_type=pp_credentials`.
/// - Refresh: form body `grant_type=refresh_token`, `refresh_token` (the documented refresh body
///   carries no client credentials, so none are sent).
///
/// The answer is the usual envelope with `result: {token, refreshToken, expiresIn, tokenHead}`;
/// `expiresIn` is documented as a *string* of seconds (a number is accepted too). `tokenHead` is
/// ignored: the documented header format is `Authorization: Bearer {token}`.
///
/// A refusal (any `code` other than `success` with a non-transient HTTP status) comes back as
/// [`Error::Api`](yeastar_transport::Error::Api), so the cache does not ask again with the same
/// credentials, and falls back to the client credentials when a refresh token is refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct PpTokenSource;

#[async_trait]
impl TokenSource for PpTokenSource {
    async fn fetch(&self, client: &yeastar_transport::Client, grant: Grant<'_>) -> Result<TokenSet> {
        let endpoint = match grant {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => TokenRequest::Credentials {
                client_id: client_id.to_owned(),
                client_secret: client_secret.clone(),
            },
            Grant::RefreshToken { refresh_token, .. } => TokenRequest::Refresh {
                refresh_token: refresh_token.clone(),
            },
            // `Grant` is non-exhaustive; a grant added later is not something this API knows.
            _ => {
                return Err(yeastar_transport::Error::Config(
                    "unsupported grant for the Partner Portal token endpoint".into(),
                ));
            }
        };
        let tokens = client.send(&endpoint).await?;
        Ok(tokens.into_token_set())
    }
}

/// One request to the token endpoint.
#[derive(Debug)]
enum TokenRequest {
    Credentials { client_id: String, client_secret: Secret },
    Refresh { refresh_token: Secret },
}

impl Endpoint for TokenRequest {
    type Envelope = PpEnvelope;
    type Output = TokenDetails;

    fn request(&self) -> Result<Request> {
        let request = Request::post(TOKEN_PATH);
        let request = match self {
            TokenRequest::Credentials {
                client_id,
                client_secret,
            } => request.form([
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.expose()),
                ("grant_type", GRANT_PP_CREDENTIALS),
            ]),
            TokenRequest::Refresh { refresh_token } => request.form([
                ("grant_type", GRANT_REFRESH_TOKEN),
                ("refresh_token", refresh_token.expose()),
            ]),
        };
        // Asking for a token twice is harmless, so transient failures may be retried.
        Ok(request.unauthenticated().sensitive().idempotent(true))
    }

    fn decode(payload: Payload<'_>) -> Result<TokenDetails> {
        payload.json()
    }
}

/// `Token_Details`. The tokens become [`Secret`]s as soon as they are read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenDetails {
    #[serde(deserialize_with = "non_empty_secret")]
    token: Secret,
    #[serde(default, deserialize_with = "opt_secret")]
    refresh_token: Option<Secret>,
    #[serde(default, deserialize_with = "expires_in")]
    expires_in: Option<Duration>,
}

impl TokenDetails {
    fn into_token_set(self) -> TokenSet {
        let lifetime = self.expires_in.unwrap_or(DEFAULT_ACCESS_LIFETIME);
        let set = TokenSet::new(self.token, lifetime);
        match self.refresh_token {
            Some(rt) => set.with_refresh_token(rt, Some(REFRESH_LIFETIME)),
            None => set,
        }
    }
}

fn non_empty_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(serde::de::Error::custom("the access token is empty"));
    }
    Ok(Secret::new(s))
}

fn opt_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .filter(|s| !s.is_empty())
        .map(Secret::new))
}

/// `expiresIn`: a string of seconds per the docs, a number tolerated. Missing, zero, negative
/// or unreadable values give `None` (the documented 30 minutes then apply): a zero lifetime would
/// make the cache ask for a new token on every call.
fn expires_in<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    Ok(parse_expires_in(
        &Option::<Value>::deserialize(d)?.unwrap_or(Value::Null),
    ))
}

fn parse_expires_in(v: &Value) -> Option<Duration> {
    let secs = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }?;
    (secs.is_finite() && (1.0..1e9).contains(&secs)).then(|| Duration::from_secs(secs as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expires_in_is_a_string_or_a_number() {
        assert_eq!(parse_expires_in(&json!("1800")), Some(Duration::from_secs(1800)));
        assert_eq!(parse_expires_in(&json!(" 600 ")), Some(Duration::from_secs(600)));
        assert_eq!(parse_expires_in(&json!(1799)), Some(Duration::from_secs(1799)));
        assert_eq!(parse_expires_in(&json!(1799.6)), Some(Duration::from_secs(1799)));
        for bad in [json!("abc"), json!(""), json!("0"), json!(-5), json!(null), json!(true)] {
            assert_eq!(parse_expires_in(&bad), None, "{bad}");
        }
    }

    #[test]
    fn token_details_default_lifetime_and_refresh_lifetime() {
        let d: TokenDetails = serde_json::from_value(
            json!({"token": "t", "refreshToken": "r", "expiresIn": "soon", "tokenHead": "Bearer "}),
        )
        .unwrap();
        let set = d.into_token_set();
        assert_eq!(set.expires_in, DEFAULT_ACCESS_LIFETIME);
        assert_eq!(set.access_token.expose(), "t");
        assert_eq!(set.refresh_token.as_ref().map(Secret::expose), Some("r"));
        assert_eq!(set.refresh_expires_in, Some(REFRESH_LIFETIME));

        let d: TokenDetails = serde_json::from_value(json!({"token": "t", "refreshToken": ""})).unwrap();
        let set = d.into_token_set();
        assert!(set.refresh_token.is_none());
        assert_eq!(set.expires_in, DEFAULT_ACCESS_LIFETIME);

        assert!(serde_json::from_value::<TokenDetails>(json!({"token": ""})).is_err());
        assert!(serde_json::from_value::<TokenDetails>(json!({"refreshToken": "r"})).is_err());
    }

    #[test]
    fn token_requests_are_sensitive_forms() {
        let req = TokenRequest::Credentials {
            client_id: "id".into(),
            client_secret: Secret::new("s3cret"),
        }
        .request()
        .unwrap();
        assert!(req.is_idempotent());
        assert!(!format!("{req:?}").contains("s3cret"));
        assert_eq!(req.path_and_query().unwrap(), TOKEN_PATH);
    }
}
