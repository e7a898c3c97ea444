//! Shared helpers of the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use httpmock::prelude::*;
use serde_json::{Value, json};
use yeastar_ycm::{Client, Credentials, RetryPolicy};

pub const CLIENT_ID: &str = "kp9yyntmuesuk5joWvMkTbCBxqO6LKRh";
pub const CLIENT_SECRET: &str = "client-secret-value";
pub const ACCESS_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.access-1";
pub const REFRESH_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.refresh-1";
pub const TOKEN_PATH: &str = "/dm/open_api/oauth/token";

/// A token endpoint that accepts the test credentials (and checks the form body).
pub async fn token_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .header("content-type", "application/x-www-form-urlencoded")
                .header_exists("user-agent")
                .header_missing("authorization")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({
                    "access_token": ACCESS_TOKEN,
                    "refresh_token": REFRESH_TOKEN,
                    "token_type": "bearer",
                    "expires_in": 1799,
                    "jti": "8cc25705-2f85-4577-9afc-469edbf7f485"
                }));
        })
        .await
}

/// A client for `server`, with fast retries.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(Credentials::client(CLIENT_ID, CLIENT_SECRET))
        .base_url(server.base_url())
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// `Authorization: Bearer {ACCESS_TOKEN}`.
pub fn bearer() -> String {
    format!("Bearer {ACCESS_TOKEN}")
}

/// A success envelope.
pub fn success(data: Option<Value>) -> Value {
    let mut v = json!({"requestId": "5ed01d8b-7f0c-4d4f-a3f4-5b8b2b1f0e11", "status": "Success", "time": 1639012740});
    if let Some(d) = data {
        v["data"] = d;
    }
    v
}

/// A write's answer `{requestId, status: "Success", time}`, as the doc examples show it.
pub fn written(request_id: &str, time: i64) -> Value {
    json!({"requestId": request_id, "status": "Success", "time": time})
}

/// A YCM error answer with `errcode` (the key is undocumented; the sandbox and the P-Series
/// API use it).
pub fn failed(errcode: i64, message: &str) -> Value {
    json!({"requestId": "e0e0e0e0", "status": "Failed", "time": 1664270677, "errcode": errcode, "errmsg": message})
}

/// A client on an in-memory server (paused-time tests), with an access token so that no
/// token request is made.
pub fn scripted_client(http: std::sync::Arc<yeastar_transport::test_util::ScriptedHttp>) -> Client {
    Client::builder()
        .credentials(Credentials::access_token(ACCESS_TOKEN))
        .base_url("https://ycm.test")
        .http_client(http)
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}
