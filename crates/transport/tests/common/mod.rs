//! A minimal product used to test the transport on its own: an envelope like Workplace's and a
//! plain OAuth token endpoint at `/token`.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use yeastar_transport::reexports::{RawValue, async_trait};
use yeastar_transport::{
    Client, ClientBuilder, Credentials, Endpoint, Envelope, ErrorCodes, Grant, Meta, Payload, PlainJson, Product,
    ProductSpec, RawResponse, Request, Result, RetryPolicy, TokenSet, TokenSource,
};

pub const SECRET: &str = "client-secret-XYZ";
pub const ACCESS: &str = "access-token-AAA";
pub const ACCESS2: &str = "access-token-BBB";
pub const REFRESH: &str = "refresh-token-RRR";

#[derive(Debug)]
pub struct TestProduct;

impl ProductSpec for TestProduct {
    const PRODUCT: Product = Product::Workplace;
    const DEFAULT_BASE_URL: &'static str = "https://workplace.example";
    type Client = Client;
    const ERROR_CODES: ErrorCodes = ErrorCodes::new(&["TOKEN_EXPIRED"], &["INVALID_CLIENT"], &["NOT_FOUND"], &["RATE"]);
    fn token_source() -> Arc<dyn TokenSource> {
        Arc::new(TestTokens)
    }
}

#[derive(Debug)]
pub struct TestTokens;

#[derive(Deserialize)]
pub struct TokenJson {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: u64,
}

struct TokenEndpoint<'a>(Grant<'a>);

impl Endpoint for TokenEndpoint<'_> {
    type Envelope = PlainJson;
    type Data = TokenJson;
    type Output = TokenSet;
    fn request(&self) -> Result<Request> {
        let req = Request::post("/token").unauthenticated().sensitive().idempotent(true);
        Ok(match self.0 {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => req.form([
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
                ("grant_type", "client_credentials"),
            ]),
            Grant::RefreshToken { refresh_token, .. } => req.form([
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.expose()),
            ]),
            _ => unreachable!(),
        })
    }
    fn output(t: TokenJson, _: &Meta<'_>) -> Result<TokenSet> {
        let set = TokenSet::new(t.access_token, Duration::from_secs(t.expires_in));
        Ok(match t.refresh_token {
            Some(rt) => set.with_refresh_token(rt, Some(Duration::from_secs(86400))),
            None => set,
        })
    }
}

#[async_trait]
impl TokenSource for TestTokens {
    async fn fetch(&self, client: &Client, grant: Grant<'_>) -> Result<TokenSet> {
        client.send(&TokenEndpoint(grant)).await
    }
}

/// `{data, status, requestId, errMsg, detailMsg}`.
#[derive(Debug)]
pub struct TestEnvelope;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Env<'a> {
    #[serde(borrow)]
    data: Option<&'a RawValue>,
    status: Option<String>,
    request_id: Option<String>,
    err_msg: Option<String>,
    detail_msg: Option<String>,
}

impl Envelope for TestEnvelope {
    fn open<'a>(r: &RawResponse<'a>) -> Result<Payload<'a>> {
        let env: Env<'a> = r.parse()?;
        if env.status.as_deref() == Some("Success") && r.status().is_success() {
            return Ok(Payload::new(*r, env.data, "data").with_request_id(env.request_id));
        }
        let mut e = r.api_error();
        if let Some(c) = env.err_msg {
            e = e.with_code(c);
        }
        if let Some(m) = env.detail_msg {
            e = e.with_message(m);
        }
        if let Some(id) = env.request_id {
            e = e.with_request_id(id);
        }
        Err(e.into())
    }
}

/// GET /things/{id}
#[derive(Debug)]
pub struct GetThing(pub String);

impl Endpoint for GetThing {
    type Envelope = TestEnvelope;
    type Data = serde_json::Value;
    type Output = serde_json::Value;
    fn request(&self) -> Result<Request> {
        Ok(Request::get("/things/{id}").path_param("id", &self.0))
    }
    fn output(data: serde_json::Value, _: &Meta<'_>) -> Result<serde_json::Value> {
        Ok(data)
    }
}

/// POST /things (a create: not idempotent)
#[derive(Debug)]
pub struct CreateThing(pub serde_json::Value);

impl Endpoint for CreateThing {
    type Envelope = TestEnvelope;
    type Data = serde_json::Value;
    type Output = serde_json::Value;
    fn request(&self) -> Result<Request> {
        Ok(Request::post("/things").json(&self.0))
    }
    fn output(data: serde_json::Value, _: &Meta<'_>) -> Result<serde_json::Value> {
        Ok(data)
    }
}

pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().with_initial_backoff(Duration::from_millis(1))
}

pub fn builder(base_url: &str) -> ClientBuilder<TestProduct> {
    ClientBuilder::<TestProduct>::new()
        .base_url(base_url)
        .credentials(Credentials::client("client-id-1", SECRET))
        .retry(fast_retry())
}

pub fn token_json(access: &str, expires_in: u64) -> String {
    format!(r#"{{"access_token":"{access}","refresh_token":"{REFRESH}","expires_in":{expires_in}}}"#)
}

pub fn ok_json(data: &str) -> String {
    format!(r#"{{"data":{data},"status":"Success","requestId":"req-1"}}"#)
}

/// DELETE /things/{id}: a delete that reports a record already gone after a lost answer.
#[derive(Debug)]
pub struct DeleteThing(pub String);

impl Endpoint for DeleteThing {
    type Envelope = TestEnvelope;
    type Data = ();
    type Output = yeastar_transport::WriteResult;
    fn request(&self) -> Result<Request> {
        Ok(Request::delete("/things/{id}").path_param("id", &self.0))
    }
    fn output((): (), meta: &Meta<'_>) -> Result<yeastar_transport::WriteResult> {
        Ok(yeastar_transport::WriteResult::from_meta(meta))
    }
    fn already_absent(&self, meta: &Meta<'_>) -> Option<yeastar_transport::WriteResult> {
        Some(yeastar_transport::WriteResult::already_absent(meta, None))
    }
}
