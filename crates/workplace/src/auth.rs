//! Access tokens: `POST /services/openapi/v1.0/authentication/get_token` and
//! `…/refresh_token`.
//!
//! The token cache (single flight, refresh before expiry, replay after a rejected token) lives
//! in the transport; this module only knows how to ask Workplace for tokens.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use yeastar_transport::reexports::async_trait;
use yeastar_transport::{
    Client, Endpoint, Error, Grant, Meta, OAuthTokenAnswer, PlainJson, Request, Result, TokenSet, TokenSource,
};

/// The token endpoint path (new tokens from the client credentials).
pub const TOKEN_PATH: &str = "/services/openapi/v1.0/authentication/get_token";

/// The refresh endpoint path (Workplace refreshes on a path of its own).
pub const REFRESH_TOKEN_PATH: &str = "/services/openapi/v1.0/authentication/refresh_token";

/// The documented access-token lifetime (24 hours), used when the answer has no usable
/// `expires_in`.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The documented refresh-token lifetime: 24 hours, like the access token.
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Workplace's token endpoints, as a [`TokenSource`] for the transport's token cache.
///
/// - New tokens: `POST …/get_token`, form `client_id`, `client_secret` (Workplace takes no
///   `grant_type`).
/// - Refresh: `POST …/refresh_token`, form `client_id`, `client_secret`, `refresh_token`.
///
/// Both answer plain JSON `{access_token, refresh_token, expires_in}`, not the Workplace
/// envelope. Only an explicit refusal is final (HTTP 401, OAuth `invalid_client` or
/// `unauthorized_client`, or `errMsg` `INVALID_CLIENT`, see [`ERROR_CODES`](crate::ERROR_CODES)):
/// the same client never sends the secret again. Anything else (a 2xx answer without an
/// `access_token`, such as `{"status":"Failed","errMsg":"SYSTEM_BUSY"}`, or a proxy's HTML
/// page) is an error with the answer's code, retried after a backoff.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkplaceTokenSource;

impl WorkplaceTokenSource {
    /// The token source as the transport wants it.
    pub fn shared() -> Arc<dyn TokenSource> {
        Arc::new(Self)
    }
}

#[async_trait]
impl TokenSource for WorkplaceTokenSource {
    async fn fetch(&self, client: &Client, grant: Grant<'_>) -> Result<TokenSet> {
        client.send(&TokenRequest { grant }).await
    }
}

/// One request to a token endpoint.
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
        f.debug_struct("TokenRequest").field("grant", &grant).finish()
    }
}

impl Endpoint for TokenRequest<'_> {
    type Envelope = PlainJson;
    type Data = OAuthTokenAnswer;
    type Output = TokenSet;

    fn request(&self) -> Result<Request> {
        let request = match self.grant {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => Request::post(TOKEN_PATH).form([("client_id", client_id), ("client_secret", client_secret.expose())]),
            Grant::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            } => Request::post(REFRESH_TOKEN_PATH).form([
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
                ("refresh_token", refresh_token.expose()),
            ]),
            // `Grant` is non-exhaustive; a grant added later is not something this API knows.
            _ => {
                return Err(Error::Config(
                    "Workplace supports only client-credentials and refresh-token grants".into(),
                ));
            }
        };
        // Asking for a token twice is harmless.
        Ok(request.unauthenticated().sensitive().idempotent(true))
    }

    fn output(answer: OAuthTokenAnswer, meta: &Meta<'_>) -> Result<TokenSet> {
        answer.into_token_set(meta, ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yeastar_transport::Secret;

    #[test]
    fn requests_are_sensitive_forms_and_debug_hides_the_secrets() {
        let secret = Secret::new("s3cr3t");
        let rt = Secret::new("rt-123");
        let get = TokenRequest {
            grant: Grant::ClientCredentials {
                client_id: "id",
                client_secret: &secret,
            },
        };
        let r = get.request().unwrap();
        assert_eq!((r.template(), r.is_idempotent()), (TOKEN_PATH, true));
        let refresh = TokenRequest {
            grant: Grant::RefreshToken {
                client_id: "id",
                client_secret: &secret,
                refresh_token: &rt,
            },
        };
        let r2 = refresh.request().unwrap();
        assert_eq!(r2.template(), REFRESH_TOKEN_PATH);
        let shown = format!("{r:?} {r2:?} {get:?} {refresh:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("rt-123"), "{shown}");
        assert_eq!(format!("{refresh:?}"), r#"TokenRequest { grant: "refresh_token" }"#);
    }
}
