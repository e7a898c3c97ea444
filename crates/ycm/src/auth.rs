//! Access tokens: `POST /dm/open_api/oauth/token`.
//!
//! The token cache (single flight, refresh before expiry, replay after a rejected token) lives
//! in the transport; this module only knows how to ask YCM for tokens.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use yeastar_transport::{
    Endpoint, Error, Grant, Meta, OAuthTokenAnswer, PlainJson, Request, Result, TokenSet, TokenSource,
};

/// The token endpoint path.
pub const TOKEN_PATH: &str = "/dm/open_api/oauth/token";

/// The documented access-token lifetime, used when the answer has no usable `expires_in`.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// The documented refresh-token lifetime (15 days).
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 24 * 60 * 60);

/// YCM's token endpoint, as a [`TokenSource`] for the transport's token cache.
///
/// - New tokens: form `grant_type=client_credentials&client_id=…&client_secret=…`.
/// - Refresh: form `grant_type=refresh_token&refresh_token=…`; as in the doc's example, no
///   client credentials are sent with it.
///
/// The answer is plain OAuth JSON (`access_token`, `refresh_token`, `token_type`, `expires_in`,
/// `jti`), not the YCM envelope. YCM blocks an IP after more than 5 failed authentications in a
/// row, so an explicit refusal (HTTP 401, OAuth `invalid_client`, YCM's 1000033 INVALID_CLIENT
/// or 1000002 AUTHENTICATION_FAILED) is final: the same client never sends the secret again.
/// Anything else (a 2xx answer without an `access_token`, a proxy's HTML page) is reported as
/// an error with the answer's code and retried after a backoff.
#[derive(Debug, Default, Clone, Copy)]
pub struct YcmTokenSource;

impl YcmTokenSource {
    /// The token source as the transport wants it.
    pub fn shared() -> Arc<dyn TokenSource> {
        Arc::new(Self)
    }
}

#[async_trait]
impl TokenSource for YcmTokenSource {
    async fn fetch(&self, client: &yeastar_transport::Client, grant: Grant<'_>) -> Result<TokenSet> {
        let endpoint = TokenRequest { grant };
        client.send(&endpoint).await
    }
}

/// One request to the token endpoint.
struct TokenRequest<'a> {
    grant: Grant<'a>,
}

impl fmt::Debug for TokenRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant = match self.grant {
            Grant::ClientCredentials { .. } => "client_credentials",
            Grant::RefreshToken { .. } => "refresh_token",
            _ => "other",
        };
        f.debug_struct("TokenRequest").field("grant_type", &grant).finish()
    }
}

impl Endpoint for TokenRequest<'_> {
    type Envelope = PlainJson;
    type Data = OAuthTokenAnswer;
    type Output = TokenSet;

    fn request(&self) -> Result<Request> {
        let request = Request::post(TOKEN_PATH)
            .unauthenticated()
            .sensitive()
            // Asking again after a transient failure is harmless; a refusal is never retried
            // because 4xx statuses are not retryable.
            .idempotent(true);
        Ok(match self.grant {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => request.form([
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
            ]),
            Grant::RefreshToken { refresh_token, .. } => request.form([
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.expose()),
            ]),
            _ => {
                return Err(Error::Config(
                    "YCM supports only client-credentials and refresh-token grants".into(),
                ));
            }
        })
    }

    fn output(answer: OAuthTokenAnswer, meta: &Meta<'_>) -> Result<TokenSet> {
        answer.into_token_set(meta, ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yeastar_transport::Secret;

    fn grant_body(grant: Grant<'_>) -> String {
        let r = TokenRequest { grant }.request().unwrap();
        assert_eq!(r.method(), "POST");
        assert_eq!(r.template(), TOKEN_PATH);
        assert!(r.is_idempotent());
        assert!(r.json_body().is_none());
        format!("{r:?}")
    }

    #[test]
    fn debug_hides_the_secrets() {
        let secret = Secret::new("s3cr3t");
        let rt = Secret::new("rt-123");
        let d = grant_body(Grant::ClientCredentials {
            client_id: "id",
            client_secret: &secret,
        });
        assert!(!d.contains("s3cr3t"));
        let d = grant_body(Grant::RefreshToken {
            client_id: "id",
            client_secret: &secret,
            refresh_token: &rt,
        });
        assert!(!d.contains("rt-123") && !d.contains("s3cr3t"));
        let ep = TokenRequest {
            grant: Grant::RefreshToken {
                client_id: "id",
                client_secret: &secret,
                refresh_token: &rt,
            },
        };
        assert_eq!(format!("{ep:?}"), r#"TokenRequest { grant_type: "refresh_token" }"#);
    }
}
