//! The Workplace token endpoints.

use std::time::Duration;

use serde::Deserialize;
use yeastar_transport::reexports::{RawValue, async_trait};
use yeastar_transport::{
    Client, Endpoint, Envelope, Grant, Payload, PlainJson, RawResponse, Request, Result, Secret, TokenSet, TokenSource,
};

use yeastar_transport::lenient;

/// How long a Workplace refresh token is valid: 24 hours, like the access token.
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The access-token lifetime assumed when the answer omits `expires_in`.
const DEFAULT_ACCESS_LIFETIME: Duration = REFRESH_TOKEN_LIFETIME;

/// The Workplace token source.
///
/// - `POST /services/openapi/v1.0/authentication/get_token`, form `client_id`, `client_secret`
///   (Workplace takes no `grant_type`);
/// - `POST /services/openapi/v1.0/authentication/refresh_token`, form `client_id`,
///   `client_secret`, `refresh_token`.
///
/// Both answer plain JSON `{access_token, refresh_token, expires_in}`. The transport's token
/// cache decides when to call it.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkplaceTokenSource;

#[async_trait]
impl TokenSource for WorkplaceTokenSource {
    async fn fetch(&self, client: &Client, grant: Grant<'_>) -> Result<TokenSet> {
        let ep = match grant {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => TokenEndpoint {
                path: "/services/openapi/v1.0/authentication/get_token",
                client_id: client_id.to_owned(),
                client_secret: client_secret.clone(),
                refresh_token: None,
            },
            Grant::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            } => TokenEndpoint {
                path: "/services/openapi/v1.0/authentication/refresh_token",
                client_id: client_id.to_owned(),
                client_secret: client_secret.clone(),
                refresh_token: Some(refresh_token.clone()),
            },
            // Grant is non_exhaustive: a grant Workplace does not know is a configuration error.
            _ => {
                return Err(yeastar_transport::Error::Config(
                    "Workplace supports only client-credentials and refresh-token grants".into(),
                ));
            }
        };
        let answer = client.send(&ep).await?;
        let lifetime = answer
            .expires_in
            .filter(|s| *s > 0)
            .map_or(DEFAULT_ACCESS_LIFETIME, Duration::from_secs);
        let mut set = TokenSet::new(answer.access_token, lifetime);
        if let Some(rt) = answer.refresh_token {
            set = set.with_refresh_token(rt, Some(REFRESH_TOKEN_LIFETIME));
        }
        Ok(set)
    }
}

struct TokenEndpoint {
    path: &'static str,
    client_id: String,
    client_secret: Secret,
    refresh_token: Option<Secret>,
}

// No Debug: it holds tokens. They become `Secret`s right after decoding.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    expires_in: Option<u64>,
}

impl Endpoint for TokenEndpoint {
    type Envelope = TokenEnvelope;
    type Output = TokenAnswer;

    fn request(&self) -> Result<Request> {
        let mut fields = vec![
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ];
        if let Some(rt) = &self.refresh_token {
            fields.push(("refresh_token", rt.expose()));
        }
        Ok(Request::post(self.path)
            .form(fields)
            .unauthenticated()
            .sensitive()
            // Asking for a token twice is harmless.
            .idempotent(true))
    }

    fn decode(payload: Payload<'_>) -> Result<Self::Output> {
        payload.json()
    }
}

/// Plain JSON, except that an answer in the Workplace error shape (`"status": "Failed"`,
/// `errMsg`) is an API error even with HTTP 200, so that the token cache sees a refusal.
struct TokenEnvelope;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorShape {
    #[serde(default)]
    status: Option<serde_json::Value>,
    #[serde(default)]
    err_msg: Option<String>,
    #[serde(default)]
    access_token: Option<Box<RawValue>>,
}

impl Envelope for TokenEnvelope {
    fn open<'a>(r: &RawResponse<'a>) -> Result<Payload<'a>> {
        if r.status().is_success()
            && let Ok(shape) = r.parse::<ErrorShape>()
            && shape.access_token.is_none()
            && (shape.err_msg.is_some() || shape.status.as_ref().and_then(|s| s.as_str()) == Some("Failed"))
        {
            return Err(r.undocumented_error().into());
        }
        PlainJson::open(r)
    }
}
