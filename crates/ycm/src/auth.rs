//! Access tokens: `POST /dm/open_api/oauth/token`.
//!
//! The token cache (single flight, refresh before expiry, replay after a rejected token) lives
//! in the transport; this module only knows how to ask YCM for tokens.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;
use yeastar_transport::{
    ApiError, Endpoint, Error, Grant, Payload, PlainJson, Product, Request, Result, Secret, TokenSet, TokenSource,
};

use yeastar_transport::lenient::opt_u64;

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
/// row, so every refusal is reported as [`Error::Api`], which the cache treats as final: a
/// refused client-credentials request is never sent again by the same client. That includes an
/// HTTP 4xx whose body is not JSON, and a 2xx answer without an `access_token`.
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

    fn decode(payload: Payload<'_>) -> Result<TokenSet> {
        let body: TokenBody = payload.json()?;
        let Some(access_token) = body.access_token.filter(|t| !t.is_empty()) else {
            return Err(body.error.into_api_error().into());
        };
        let expires_in = body
            .expires_in
            .filter(|s| *s > 0)
            .map(Duration::from_secs)
            .unwrap_or(ACCESS_TOKEN_LIFETIME);
        let mut set = TokenSet::new(Secret::new(access_token), expires_in);
        if let Some(rt) = body.refresh_token {
            set = set.with_refresh_token(Secret::new(rt), Some(REFRESH_TOKEN_LIFETIME));
        }
        Ok(set)
    }
}

/// The token answer. Tokens go into [`Secret`]s right away; `Debug` is not derived so that
/// they can never be printed.
#[derive(Deserialize)]
struct TokenBody {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default, deserialize_with = "opt_u64")]
    expires_in: Option<u64>,
    #[serde(flatten)]
    error: TokenError,
}

/// Error fields that may come with a 2xx answer that has no token.
#[derive(Deserialize, Default)]
struct TokenError {
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    errcode: Option<Value>,
    #[serde(default)]
    error_description: Option<Value>,
    #[serde(default)]
    message: Option<Value>,
    #[serde(default)]
    msg: Option<Value>,
    #[serde(default)]
    errmsg: Option<Value>,
    #[serde(default, rename = "requestId")]
    request_id: Option<Value>,
}

fn text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

impl TokenError {
    fn into_api_error(self) -> ApiError {
        // The transport's payload does not expose the HTTP status; a 2xx answer is reported as 200.
        let mut e = ApiError::new(Product::Ycm, 200);
        if let Some(code) = text(&self.error).or(text(&self.code)).or(text(&self.errcode)) {
            e = e.with_code(code);
        }
        let message = text(&self.error_description)
            .or(text(&self.message))
            .or(text(&self.msg))
            .or(text(&self.errmsg))
            .unwrap_or_else(|| "the token endpoint answered without an access_token".to_owned());
        e = e.with_message(message);
        if let Some(id) = text(&self.request_id) {
            e = e.with_request_id(id);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn error_fields_of_a_tokenless_answer() {
        let body: TokenBody =
            serde_json::from_str(r#"{"error":"invalid_client","error_description":"Bad client credentials"}"#).unwrap();
        assert!(body.access_token.is_none());
        let e = body.error.into_api_error();
        assert_eq!(e.code.as_deref(), Some("invalid_client"));
        assert_eq!(e.message.as_deref(), Some("Bad client credentials"));
        let body: TokenBody = serde_json::from_str(r#"{"status":"Failed"}"#).unwrap();
        assert!(
            body.error
                .into_api_error()
                .message
                .unwrap()
                .contains("without an access_token")
        );
    }
}
