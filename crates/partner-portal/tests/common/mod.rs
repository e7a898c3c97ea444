//! Shared helpers for the integration tests (httpmock servers with a Partner Portal token endpoint).
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use httpmock::Mock;
use httpmock::prelude::*;
use yeastar_partner_portal::{Client, Credentials, RetryPolicy};

pub const CLIENT_ID: &str = "pp-test-client";
pub const CLIENT_SECRET: &str = "pp-test-secret";
pub const TOKEN: &str = "tok-1";

/// A success envelope around `result`.
pub fn ok(result: serde_json::Value) -> String {
    serde_json::json!({
        "code": "success",
        "detailMessage": "",
        "requestId": "req-ok",
        "result": result,
        "status": 200
    })
    .to_string()
}

/// The token endpoint answering the client-credentials grant with `token`.
pub async fn token_mock<'a>(server: &'a MockServer, token: &str, refresh: &str) -> Mock<'a> {
    let body = ok(serde_json::json!({
        "token": token,
        "refreshToken": refresh,
        "expiresIn": "1800",
        "tokenHead": "Bearer "
    }));
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/openapi/v1/oauth/token")
                .form_urlencoded_tuple("grant_type", "pp_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
            then.status(200).header("content-type", "application/json").body(body);
        })
        .await
}

/// A client pointed at `server`, with fast retries (real time: httpmock uses real sockets).
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(Credentials::client(CLIENT_ID, CLIENT_SECRET))
        .base_url(server.base_url())
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .expect("client")
}
