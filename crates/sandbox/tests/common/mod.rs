//! Helpers shared by the integration tests: a started sandbox and a raw reqwest client.
#![allow(dead_code, unreachable_pub)]

use serde_json::Value;
use yeastar_sandbox::{
    DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET, DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET, DEMO_YCM_CLIENT_ID,
    DEMO_YCM_CLIENT_SECRET, Sandbox, SandboxConfig,
};

pub const WP: &str = "/services/openapi/v1.0";

pub struct Env {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
    pub base: String,
}

impl Env {
    pub async fn start() -> Self {
        Self::with(SandboxConfig::default()).await
    }

    pub async fn with(config: SandboxConfig) -> Self {
        let sandbox = Sandbox::start(config).await.expect("sandbox starts");
        let base = sandbox.base_url();
        let http = reqwest::Client::builder().user_agent("OpenAPI").build().unwrap();
        Self { sandbox, http, base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn form(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let resp = self.http.post(self.url(path)).form(form).send().await.unwrap();
        read(resp).await
    }

    pub async fn pp_token_set(&self) -> Value {
        let (status, body) = self
            .form(
                "/auth/openapi/v1/oauth/token",
                &[
                    ("client_id", DEMO_PP_CLIENT_ID),
                    ("client_secret", DEMO_PP_CLIENT_SECRET),
                    ("grant_type", "pp_credentials"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    pub async fn pp_token(&self) -> String {
        self.pp_token_set().await["result"]["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn ycm_token_set(&self) -> Value {
        let (status, body) = self
            .form(
                "/dm/open_api/oauth/token",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", DEMO_YCM_CLIENT_ID),
                    ("client_secret", DEMO_YCM_CLIENT_SECRET),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    pub async fn ycm_token(&self) -> String {
        self.ycm_token_set().await["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn wp_token_set(&self) -> Value {
        let (status, body) = self
            .form(
                &format!("{WP}/authentication/get_token"),
                &[
                    ("client_id", DEMO_WP_CLIENT_ID),
                    ("client_secret", DEMO_WP_CLIENT_SECRET),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    pub async fn wp_token(&self) -> String {
        self.wp_token_set().await["access_token"].as_str().unwrap().to_owned()
    }

    /// A call with a bearer token and an optional JSON body.
    pub async fn call(&self, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
        let mut rb = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(body) = body {
            rb = rb.json(&body);
        }
        read(rb.send().await.unwrap()).await
    }

    /// A call with a bearer token, a raw body and the given `Content-Type` (none if `None`).
    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        content_type: Option<&str>,
        body: &str,
    ) -> (u16, Value) {
        let mut rb = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .body(body.to_owned());
        if let Some(ct) = content_type {
            rb = rb.header("content-type", ct);
        }
        read(rb.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }
}

pub async fn read(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

/// Asserts a PP error envelope and returns its code.
pub fn pp_error(status: u16, body: &Value, expected_status: u16) -> String {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["status"], expected_status, "{body}");
    assert!(body["requestId"].as_str().is_some_and(|s| !s.is_empty()), "{body}");
    assert!(body["detailMessage"].as_str().is_some_and(|s| !s.is_empty()), "{body}");
    body["code"].as_str().unwrap().to_owned()
}

/// Asserts a YCM error envelope and returns its errcode.
pub fn ycm_error(status: u16, body: &Value, expected_status: u16) -> i64 {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["status"], "Failed", "{body}");
    assert!(
        body["requestId"].is_string() && body["time"].is_i64() && body["errmsg"].is_string(),
        "{body}"
    );
    body["errcode"].as_i64().unwrap()
}

/// Asserts a Workplace error envelope and returns its errMsg.
pub fn wp_error(status: u16, body: &Value, expected_status: u16) -> String {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["status"], "Failed", "{body}");
    assert!(body["requestId"].is_string() && body["detailMsg"].is_string(), "{body}");
    body["errMsg"].as_str().unwrap().to_owned()
}
