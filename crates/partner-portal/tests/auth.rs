//! The token flow: form bodies, caching, refresh on a rejected token, refusals, expiry.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{CLIENT_ID, CLIENT_SECRET, client, ok, token_mock};
use httpmock::prelude::*;
use yeastar_partner_portal::{Client, Credentials, Error};
use yeastar_transport::AuthErrorKind;
use yeastar_transport::test_util::{Reply, ScriptedHttp};

const USER_PATH: &str = "/user/openapi/user/v1/subordinate_user/color123@yeastar.com";

fn user_json() -> String {
    ok(serde_json::json!({"email": "color123@yeastar.com", "userType": "Enduser"}))
}

/// The user endpoint answering the user to requests that carry `Bearer {token}`.
async fn user_mock<'a>(server: &'a MockServer, token: &str) -> httpmock::Mock<'a> {
    let auth = format!("Bearer {token}");
    server
        .mock_async(|when, then| {
            when.method(GET).path(USER_PATH).header("authorization", auth);
            then.status(200).body(user_json());
        })
        .await
}

/// One token request (form-encoded, with the User-Agent), then the token is reused.
#[tokio::test]
async fn token_is_requested_once_with_the_documented_form() {
    let server = MockServer::start_async().await;
    let tokens = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/openapi/v1/oauth/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .header_prefix("user-agent", "yeastar-rust/")
                .header_missing("authorization")
                .form_urlencoded_tuple("grant_type", "pp_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET);
            then.status(200)
                .header("content-type", "application/json")
                .body(ok(serde_json::json!({
                    "token": "tok-A",
                    "refreshToken": "rt-A",
                    "expiresIn": "1800",
                    "tokenHead": "Bearer "
                })));
        })
        .await;
    let api = user_mock(&server, "tok-A").await;

    let client = client(&server);
    for _ in 0..3 {
        let user = client.users().get("color123@yeastar.com").await.unwrap();
        assert_eq!(user.email.as_deref(), Some("color123@yeastar.com"));
    }
    tokens.assert_calls_async(1).await;
    api.assert_calls_async(3).await;
    assert_eq!(client.transport().token_requests(), 1);
}

/// A rejected token (Spring's `invalid_token`, here even with HTTP 200) is refreshed with
/// `grant_type=refresh_token` and the call replayed once with the new token.
#[tokio::test]
async fn expired_token_code_refreshes_with_the_refresh_token_and_replays() {
    let server = MockServer::start_async().await;
    let first = token_mock(&server, "tok-1", "rt-1").await;
    let refresh = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/openapi/v1/oauth/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .header_prefix("user-agent", "yeastar-rust/")
                .form_urlencoded_tuple("grant_type", "refresh_token")
                .form_urlencoded_tuple("refresh_token", "rt-1")
                // The documented refresh body holds only these two fields.
                .is_true(|req| !req.body_string().contains("client_secret"));
            then.status(200).body(ok(serde_json::json!({
                "token": "tok-2",
                "refreshToken": "rt-2",
                "expiresIn": 1800,
                "tokenHead": "Bearer "
            })));
        })
        .await;
    let rejected = server
        .mock_async(|when, then| {
            when.method(GET).path(USER_PATH).header("authorization", "Bearer tok-1");
            then.status(200).body(
                r#"{"code":"invalid_token","detailMessage":"access token expired","requestId":"r","result":null,"status":401}"#,
            );
        })
        .await;
    let accepted = user_mock(&server, "tok-2").await;

    let client = client(&server);
    let user = client.users().get("color123@yeastar.com").await.unwrap();
    assert_eq!(user.email.as_deref(), Some("color123@yeastar.com"));
    first.assert_calls_async(1).await;
    refresh.assert_calls_async(1).await;
    rejected.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
}

/// HTTP 401 also triggers the refresh; a refused refresh token falls back to the client credentials.
#[tokio::test]
async fn http_401_refreshes_and_a_refused_refresh_falls_back_to_credentials() {
    let server = MockServer::start_async().await;
    let refresh = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/openapi/v1/oauth/token")
                .form_urlencoded_tuple("grant_type", "refresh_token");
            then.status(400).body(
                r#"{"code":"invalid_refresh_token","detailMessage":"refresh token revoked","requestId":"r","result":null,"status":400}"#,
            );
        })
        .await;
    let counter = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = counter.clone();
    let credentials = server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/auth/openapi/v1/oauth/token")
                .form_urlencoded_tuple("grant_type", "pp_credentials");
            then.respond_with(move |_| {
                let n = c.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                httpmock::HttpMockResponse::builder()
                    .status(200)
                    .body(ok(serde_json::json!({"token": format!("tok-{n}"), "refreshToken": format!("rt-{n}"), "expiresIn": "1800"})))
                    .build()
            });
        })
        .await;
    let rejected = server
        .mock_async(|when, then| {
            when.method(GET).path(USER_PATH).header("authorization", "Bearer tok-1");
            then.status(401)
                .body(r#"{"code":"unauthorized","detailMessage":"","requestId":"r","status":401}"#);
        })
        .await;
    let accepted = user_mock(&server, "tok-2").await;

    client(&server).users().get("color123@yeastar.com").await.unwrap();
    refresh.assert_calls_async(1).await;
    credentials.assert_calls_async(2).await;
    rejected.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
}

/// Wrong credentials: an Auth error carrying the API's code, asked only once, no secret leaked.
#[tokio::test]
async fn refused_credentials_are_final_and_never_leak() {
    let server = MockServer::start_async().await;
    let tokens = server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/openapi/v1/oauth/token");
            then.status(400).body(
                r#"{"code":"invalid_client","detailMessage":"Bad client credentials","requestId":"rq-9","result":null,"status":400}"#,
            );
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET).path(USER_PATH);
            then.status(200).body(user_json());
        })
        .await;
    let client = client(&server);
    for _ in 0..2 {
        let err = client.users().get("color123@yeastar.com").await.unwrap_err();
        let Error::Auth(auth) = &err else { panic!("{err}") };
        assert_eq!(auth.kind, AuthErrorKind::CredentialsRejected);
        let api = err.api_error().expect("api error inside");
        assert_eq!(api.code.as_deref(), Some("invalid_client"));
        assert_eq!(api.request_id.as_deref(), Some("rq-9"));
        let shown = format!("{err} {err:?} {client:?}");
        assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    }
    tokens.assert_calls_async(1).await;
    api.assert_calls_async(0).await;
}

/// A static access token is sent as is, and a rejection ends the call (nothing to refresh).
#[tokio::test]
async fn static_access_token_is_used_verbatim() {
    let server = MockServer::start_async().await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(USER_PATH)
                .header("authorization", "Bearer ready-token");
            then.status(200)
                .body(r#"{"code":"invalid_token","detailMessage":"bad token","requestId":"r","status":200}"#);
        })
        .await;
    let client = Client::builder()
        .credentials(Credentials::access_token("ready-token"))
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = client.users().get("color123@yeastar.com").await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("{err}") };
    assert_eq!(auth.kind, AuthErrorKind::TokenRejected);
    api.assert_calls_async(1).await;
}

fn scripted_token_server() -> Arc<ScriptedHttp> {
    Arc::new(ScriptedHttp::new(|req| {
        let body = req.body_text();
        match req.uri.path() {
            "/auth/openapi/v1/oauth/token" if body.contains("grant_type=pp_credentials") => Reply::json(
                200,
                ok(
                    serde_json::json!({"token": "tok-cc", "refreshToken": "rt-cc", "expiresIn": "600", "tokenHead": "Bearer "}),
                ),
            ),
            "/auth/openapi/v1/oauth/token" if body == "grant_type=refresh_token&refresh_token=rt-cc" => Reply::json(
                200,
                ok(serde_json::json!({"token": "tok-rt", "refreshToken": "rt-rt", "expiresIn": "1800"})),
            ),
            "/auth/openapi/v1/oauth/token" => Reply::json(400, r#"{"code":"bad_grant","status":400}"#),
            _ => Reply::json(200, user_json()),
        }
    }))
}

/// `expiresIn: "600"` (a string) sets the lifetime: no refresh at 8 minutes, a refresh-token
/// refresh before 10 minutes (paused time, no real waiting). The 30-minute default would not
/// refresh at all here. The token due for refresh is still valid, so the call uses it at once
/// and the refresh runs in the background; the next call uses the new token.
#[tokio::test(start_paused = true)]
async fn expires_in_string_drives_the_refresh_before_expiry() {
    let http = scripted_token_server();
    let client = Client::builder()
        .credentials(Credentials::client(CLIENT_ID, CLIENT_SECRET))
        .base_url("http://127.0.0.1:9")
        .http_client(http.clone())
        .build()
        .unwrap();
    let users = client.users();
    users.get("color123@yeastar.com").await.unwrap();
    tokio::time::advance(Duration::from_secs(8 * 60)).await;
    users.get("color123@yeastar.com").await.unwrap();
    assert_eq!(
        client.transport().token_requests(),
        1,
        "still within the 600 s lifetime"
    );
    tokio::time::advance(Duration::from_secs(90)).await;
    users.get("color123@yeastar.com").await.unwrap();
    // Let the background refresh finish (paused time: no real waiting).
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(client.transport().token_requests(), 2);
    users.get("color123@yeastar.com").await.unwrap();
    assert_eq!(client.transport().token_requests(), 2);

    let requests = http.requests();
    let auths: Vec<_> = requests
        .iter()
        .filter(|r| r.uri.path() == USER_PATH)
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        auths,
        ["Bearer tok-cc", "Bearer tok-cc", "Bearer tok-cc", "Bearer tok-rt"]
    );
    let token_bodies: Vec<_> = requests
        .iter()
        .filter(|r| r.uri.path() == "/auth/openapi/v1/oauth/token")
        .map(|r| r.body_text())
        .collect();
    assert_eq!(
        token_bodies,
        [
            format!("client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}&grant_type=pp_credentials"),
            "grant_type=refresh_token&refresh_token=rt-cc".to_owned(),
        ]
    );
}

/// A missing or unreadable `expiresIn` means the documented 30 minutes.
#[tokio::test(start_paused = true)]
async fn unreadable_expires_in_defaults_to_thirty_minutes() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/auth/openapi/v1/oauth/token" => {
            Reply::json(200, ok(serde_json::json!({"token": "t", "expiresIn": "half an hour"})))
        }
        _ => Reply::json(200, user_json()),
    }));
    let client = Client::builder()
        .credentials(Credentials::client(CLIENT_ID, CLIENT_SECRET))
        .base_url("http://127.0.0.1:9")
        .http_client(http.clone())
        .build()
        .unwrap();
    client.users().get("color123@yeastar.com").await.unwrap();
    tokio::time::advance(Duration::from_secs(26 * 60)).await;
    client.users().get("color123@yeastar.com").await.unwrap();
    assert_eq!(client.transport().token_requests(), 1);
    tokio::time::advance(Duration::from_secs(4 * 60)).await;
    client.users().get("color123@yeastar.com").await.unwrap();
    assert_eq!(client.transport().token_requests(), 2);
}

/// A `success` answer without a token is not a refusal: an ordinary API error, remembered for
/// the backoff interval (no second request meanwhile), then asked again.
#[tokio::test(start_paused = true)]
async fn a_success_without_a_token_is_a_transient_api_error() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/auth/openapi/v1/oauth/token" => Reply::json(
            200,
            r#"{"code":"success","detailMessage":"","requestId":"rq-empty","result":{"tokenHead":"Bearer "},"status":200}"#,
        ),
        _ => Reply::json(200, user_json()),
    }));
    let client = Client::builder()
        .credentials(Credentials::client(CLIENT_ID, CLIENT_SECRET))
        .base_url("http://127.0.0.1:9")
        .http_client(http.clone())
        .build()
        .unwrap();
    for _ in 0..2 {
        let err = client.users().get("color123@yeastar.com").await.unwrap_err();
        let Error::Api(api) = &err else {
            panic!("not final, an API error: {err}")
        };
        assert_eq!((api.status, api.code.as_deref()), (200, None));
        assert_eq!(api.request_id.as_deref(), Some("rq-empty"));
        assert!(
            api.message.as_deref().unwrap().contains("without an access token"),
            "{err}"
        );
        assert!(api.raw_body.is_none(), "a token answer is never copied into an error");
    }
    assert_eq!(http.count("/auth/openapi/v1/oauth/token"), 1);
    assert_eq!(http.count(USER_PATH), 0);
    tokio::time::advance(Duration::from_secs(2)).await;
    assert!(client.users().get("color123@yeastar.com").await.is_err());
    assert_eq!(
        http.count("/auth/openapi/v1/oauth/token"),
        2,
        "asked again after the backoff"
    );
}

/// Calls can be spawned on a multi-thread runtime: the futures of `Client::send` (returned
/// as `impl Future`, so `Send` is not written in its signature) and of a resource method are
/// `Send`. Each spawned call is answered, and the token is fetched once for all of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_spawned_on_worker_threads_share_one_token() {
    let server = MockServer::start_async().await;
    let tokens = token_mock(&server, "tok-A", "rt-A").await;
    let api = user_mock(&server, "tok-A").await;
    let client = client(&server);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                client
                    .send(&yeastar_partner_portal::GetUser::new("color123@yeastar.com"))
                    .await
            } else {
                client.users().get("color123@yeastar.com").await
            }
        }));
    }
    for task in tasks {
        let user = task.await.unwrap().unwrap();
        assert_eq!(user.email.as_deref(), Some("color123@yeastar.com"));
    }
    tokens.assert_calls_async(1).await;
    api.assert_calls_async(8).await;
}
