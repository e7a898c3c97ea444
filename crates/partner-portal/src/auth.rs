//! Access tokens: `POST /auth/openapi/v1/oauth/token`.
//!
//! The token cache (single flight, refresh before expiry, replay after a rejected token) lives
//! in the transport; this module only knows how to ask Partner Portal for tokens.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use yeastar_transport::reexports::async_trait;
use yeastar_transport::{Endpoint, Error, Grant, Meta, Request, Result, Secret, TokenSet, TokenSource};

use crate::envelope::PpEnvelope;

/// The token endpoint path.
pub const TOKEN_PATH: &str = "/auth/openapi/v1/oauth/token";

/// The documented access-token lifetime (30 minutes), used when the answer has no usable
/// `expiresIn`.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// The documented refresh-token lifetime (15 days; the API does not send it).
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 24 * 60 * 60);

/// The `grant_type` for a new token from client credentials (Partner Portal's own name).
const GRANT_PP_CREDENTIALS: &str = "pp_credentials";

/// Partner Portal's token endpoint, as a [`TokenSource`] for the transport's token cache.
///
/// - New tokens: form `client_id`, `client_secret`, `grant_type=pp_credentials`.
/// - Refresh: form `grant_type=refresh_token&refresh_token=…`; the documented refresh body
///   carries no client credentials, so none are sent.
///
/// The answer is the usual envelope with `result: {token, refreshToken, expiresIn, tokenHead}`;
/// `expiresIn` is documented as a *string* of seconds (a number is accepted too). `tokenHead` is
/// ignored: the documented header format is `Authorization: Bearer {token}`.
///
/// Only an explicit refusal is final (HTTP 401, OAuth `invalid_client` or
/// `unauthorized_client`): the same client never sends the secret again. Anything else (a
/// `success` answer without a token, a proxy's HTML page) is an error retried after a backoff.
#[derive(Debug, Clone, Copy, Default)]
pub struct PpTokenSource;

impl PpTokenSource {
    /// The token source as the transport wants it.
    pub fn shared() -> Arc<dyn TokenSource> {
        Arc::new(Self)
    }
}

#[async_trait]
impl TokenSource for PpTokenSource {
    async fn fetch(&self, client: &yeastar_transport::Client, grant: Grant<'_>) -> Result<TokenSet> {
        client.send(&TokenRequest { grant }).await
    }
}

/// One request to the token endpoint.
struct TokenRequest<'a> {
    grant: Grant<'a>,
}

impl fmt::Debug for TokenRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant = match self.grant {
            Grant::ClientCredentials { .. } => GRANT_PP_CREDENTIALS,
            Grant::RefreshToken { .. } => "refresh_token",
            _ => "other",
        };
        f.debug_struct("TokenRequest").field("grant_type", &grant).finish()
    }
}

impl Endpoint for TokenRequest<'_> {
    type Envelope = PpEnvelope;
    type Data = TokenDetails;
    type Output = TokenSet;

    fn request(&self) -> Result<Request> {
        let request = Request::post(TOKEN_PATH)
            .unauthenticated()
            .sensitive()
            // Asking for a token twice is harmless, so transient failures may be retried.
            .idempotent(true);
        Ok(match self.grant {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => request.form([
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
                ("grant_type", GRANT_PP_CREDENTIALS),
            ]),
            Grant::RefreshToken { refresh_token, .. } => request.form([
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.expose()),
            ]),
            // `Grant` is non-exhaustive; a grant added later is not something this API knows.
            _ => {
                return Err(Error::Config(
                    "Partner Portal supports only client-credentials and refresh-token grants".into(),
                ));
            }
        })
    }

    fn output(details: TokenDetails, meta: &Meta<'_>) -> Result<TokenSet> {
        TokenSet::from_answer(
            meta,
            details.token,
            details.expires_in,
            ACCESS_TOKEN_LIFETIME,
            details.refresh_token,
            REFRESH_TOKEN_LIFETIME,
        )
    }
}

/// `Token_Details`. The tokens become [`Secret`]s as soon as they are read; `Debug` is not
/// derived.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenDetails {
    #[serde(default)]
    token: Option<Secret>,
    #[serde(default)]
    refresh_token: Option<Secret>,
    /// A string of seconds per the docs, a number tolerated; unusable values give the
    /// documented 30 minutes (the transport's one rule for token lifetimes).
    #[serde(default, deserialize_with = "yeastar_transport::lenient::opt_lifetime")]
    expires_in: Option<Duration>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn expires_in_is_a_string_or_a_number() {
        let read = |v: Value| {
            serde_json::from_value::<TokenDetails>(json!({"token": "t", "expiresIn": v}))
                .unwrap()
                .expires_in
        };
        assert_eq!(read(json!("1800")), Some(Duration::from_secs(1800)));
        assert_eq!(read(json!(" 600 ")), Some(Duration::from_secs(600)));
        assert_eq!(read(json!(1799)), Some(Duration::from_secs(1799)));
        assert_eq!(read(json!(1799.6)), Some(Duration::from_secs(1799)));
        for bad in [json!("abc"), json!(""), json!("0"), json!(-5), json!(null), json!(true)] {
            assert_eq!(read(bad.clone()), None, "{bad}");
        }
    }

    #[test]
    fn token_requests_are_sensitive_forms_and_debug_hides_secrets() {
        let secret = Secret::new("s3cret");
        let rt = Secret::new("rt-123");
        let req = TokenRequest {
            grant: Grant::ClientCredentials {
                client_id: "id",
                client_secret: &secret,
            },
        };
        let built = req.request().unwrap();
        assert!(built.is_idempotent());
        assert_eq!(built.path_and_query().unwrap(), TOKEN_PATH);
        assert!(!format!("{built:?} {req:?}").contains("s3cret"));
        let refresh = TokenRequest {
            grant: Grant::RefreshToken {
                client_id: "id",
                client_secret: &secret,
                refresh_token: &rt,
            },
        };
        assert_eq!(
            format!("{refresh:?}"),
            r#"TokenRequest { grant_type: "refresh_token" }"#
        );
        assert!(!format!("{:?}", refresh.request().unwrap()).contains("rt-123"));
    }
}
