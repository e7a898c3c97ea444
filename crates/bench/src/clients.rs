//! The two sides compared: the SDK client, and bare reqwest with the same pool settings
//! decoding the same JSON envelope into the same struct.

use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use serde::Deserialize;
use yeastar_partner_portal::Credentials;
use yeastar_partner_portal::users::User;

/// The Yeastar ID queried in every call (the docs' example).
pub(crate) const YEASTAR_ID: &str = "color123@yeastar.com";
/// Demo credentials for the local server (it accepts anything).
pub(crate) const CLIENT_ID: &str = "bench-client";
const CLIENT_SECRET: &str = "bench-secret";

/// The SDK's default connect timeout, used by the bare side too.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A Partner Portal SDK client for the local server.
pub(crate) fn sdk_client(base_url: &str) -> Result<yeastar_partner_portal::Client, String> {
    yeastar_partner_portal::Client::builder()
        .base_url(base_url)
        .credentials(Credentials::client(CLIENT_ID, CLIENT_SECRET))
        .build()
        .map_err(|e| format!("SDK client: {e}"))
}

/// One SDK call.
pub(crate) async fn sdk_get(client: &yeastar_partner_portal::Client) -> Result<User, String> {
    client
        .users()
        .get(YEASTAR_ID)
        .await
        .map_err(|e| format!("SDK call: {e}"))
}

/// The Partner Portal envelope, decoded by hand.
#[derive(Deserialize)]
struct Envelope<T> {
    code: String,
    #[serde(default, rename = "detailMessage")]
    detail_message: String,
    result: Option<T>,
}

#[derive(Deserialize)]
struct TokenResult {
    token: String,
}

/// Bare reqwest: what a careful user would write without the SDK.
#[derive(Debug, Clone)]
pub(crate) struct Bare {
    client: reqwest::Client,
    url: String,
    user_agent: HeaderValue,
    auth: HeaderValue,
}

impl Bare {
    /// The same pool settings as the SDK's `ReqwestHttp` (connect timeout, no redirects,
    /// keep-alive with a 60 s idle timeout); fetches one access token.
    pub(crate) async fn connect(base_url: &str) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| format!("bare client: {e}"))?;
        let user_agent = HeaderValue::from_static(yeastar_transport::DEFAULT_USER_AGENT);
        let body = format!("client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}&grant_type=pp_credentials");
        let resp = client
            .post(format!("{base_url}/auth/openapi/v1/oauth/token"))
            .header(USER_AGENT, user_agent.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("bare token: {e}"))?;
        let bytes = resp.bytes().await.map_err(|e| format!("bare token body: {e}"))?;
        let env: Envelope<TokenResult> = serde_json::from_slice(&bytes).map_err(|e| format!("bare token: {e}"))?;
        let token = env
            .result
            .filter(|_| env.code == "success")
            .ok_or_else(|| format!("bare token refused: {}", env.detail_message))?
            .token;
        let auth = HeaderValue::try_from(format!("Bearer {token}")).map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            url: format!("{base_url}/user/openapi/user/v1/subordinate_user/{YEASTAR_ID}"),
            user_agent,
            auth,
        })
    }

    /// One bare call: same headers as the SDK, whole body read, envelope checked, `result`
    /// decoded into the SDK's `User`.
    pub(crate) async fn get(&self) -> Result<User, String> {
        let resp = self
            .client
            .get(&self.url)
            .header(USER_AGENT, self.user_agent.clone())
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, self.auth.clone())
            .send()
            .await
            .map_err(|e| format!("bare call: {e}"))?;
        let bytes = resp.bytes().await.map_err(|e| format!("bare body: {e}"))?;
        let env: Envelope<User> = serde_json::from_slice(&bytes).map_err(|e| format!("bare decode: {e}"))?;
        if env.code != "success" {
            return Err(format!("bare call failed: {} {}", env.code, env.detail_message));
        }
        env.result.ok_or_else(|| "bare call: no result".to_owned())
    }

    /// [`Bare::get`] under a time limit, as the SDK runs each attempt (a tokio timer per call):
    /// what that guarantee alone costs.
    pub(crate) async fn get_within(&self, limit: Duration) -> Result<User, String> {
        tokio::time::timeout(limit, self.get())
            .await
            .map_err(|_| "bare call: timed out".to_owned())?
    }
}
