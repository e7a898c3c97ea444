//! Tokens: the form bodies, refresh, refusals (never repeated), rejected access tokens.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use httpmock::prelude::*;
use serde_json::json;
use yeastar_transport::AuthErrorKind;
use yeastar_transport::test_util::{RecordedRequest, Reply, ScriptedHttp};
use yeastar_ycm::{Client, Credentials, Error, ListUsers, UpdateUser};

fn user_json(id: u64) -> String {
    json!({"data": {"userId": id, "email": "a@b.c"}, "requestId": "r", "status": "Success", "time": 1}).to_string()
}

#[tokio::test]
async fn client_credentials_form_body_and_one_token_for_many_calls() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/users/7")
                .header("authorization", bearer())
                .header_exists("user-agent");
            then.status(200).body(user_json(7));
        })
        .await;
    let client = client(&server);
    for _ in 0..3 {
        assert_eq!(client.users().get(7).await.unwrap().user_id, Some(7));
    }
    token.assert_calls_async(1).await;
    get.assert_calls_async(3).await;
    assert_eq!(client.transport().token_requests(), 1);
}

#[tokio::test]
async fn token_request_body_is_exactly_the_documented_form() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        TOKEN_PATH => Reply::json(
            200,
            r#"{"access_token":"at-1","refresh_token":"rt-1","token_type":"bearer","expires_in":1800,"jti":"j"}"#,
        ),
        _ => Reply::json(200, user_json(1)),
    }));
    let client = scripted_client(&http);
    client.users().get(1).await.unwrap();
    let reqs = http.requests();
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(
        reqs[0].body_text(),
        format!("grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}")
    );
    assert_eq!(
        reqs[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(reqs[0].header("authorization").is_none());
    assert!(reqs[0].header("user-agent").is_some());
    assert_eq!(reqs[1].header("authorization"), Some("Bearer at-1"));
}

fn scripted_client(http: &Arc<ScriptedHttp>) -> Client {
    Client::builder()
        .credentials(Credentials::client(CLIENT_ID, CLIENT_SECRET))
        .base_url("https://ycm.example.test")
        .http_client(http.clone())
        .build()
        .unwrap()
}

/// Hands out `at-1`/`rt-1`, then `at-2`/`rt-2`, …
fn token_counter() -> impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static {
    let n = AtomicUsize::new(0);
    move |req: &RecordedRequest| {
        if req.uri.path() == TOKEN_PATH {
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(
                200,
                format!(
                    r#"{{"access_token":"at-{i}","refresh_token":"rt-{i}","token_type":"bearer","expires_in":1800,"jti":"j{i}"}}"#
                ),
            );
        }
        Reply::json(200, user_json(1))
    }
}

#[tokio::test(start_paused = true)]
async fn refresh_sends_only_the_refresh_token() {
    let http = Arc::new(ScriptedHttp::new(token_counter()));
    let client = scripted_client(&http);
    client.users().get(1).await.unwrap();
    // Past the refresh margin (10% of 30 min) but before expiry.
    tokio::time::advance(Duration::from_secs(1700)).await;
    // Still valid: used at once, refreshed in the background.
    client.users().get(1).await.unwrap();
    assert_eq!(
        http.requests().last().unwrap().header("authorization"),
        Some("Bearer at-1")
    );
    tokio::time::sleep(Duration::from_millis(1)).await;
    client.users().get(1).await.unwrap();

    let reqs = http.requests();
    let tokens: Vec<_> = reqs.iter().filter(|r| r.uri.path() == TOKEN_PATH).collect();
    assert_eq!(tokens.len(), 2);
    // As in the doc's refresh example: no client credentials.
    assert_eq!(tokens[1].body_text(), "grant_type=refresh_token&refresh_token=rt-1");
    assert_eq!(reqs.last().unwrap().header("authorization"), Some("Bearer at-2"));
}

#[tokio::test]
async fn wrong_credentials_cause_exactly_one_token_request() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(401)
                .header("content-type", "application/json")
                .json_body(json!({"error": "invalid_client", "error_description": "Bad client credentials"}));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.path_prefix("/dm/open_api/v");
            then.status(200).body(user_json(1));
        })
        .await;
    let client = client(&server);
    let errors = [
        client.users().get(1).await.unwrap_err(),
        client
            .users()
            .update(UpdateUser::new(1).company("x"))
            .await
            .unwrap_err(),
        client.users().list(ListUsers::new()).try_collect().await.unwrap_err(),
        client.users().get(2).await.unwrap_err(),
    ];
    for err in &errors {
        match err {
            Error::Auth(a) => assert_eq!(a.kind, AuthErrorKind::CredentialsRejected),
            other => panic!("expected an auth error, got {other}"),
        }
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(CLIENT_SECRET), "{shown}");
        assert!(shown.contains("Bad client credentials"), "{shown}");
    }
    token.assert_calls_async(1).await;
    api.assert_calls_async(0).await;
}

/// A WAF's HTML 403 on the token endpoint is not a refusal of the credentials (issue 12.5):
/// it is remembered for a backoff interval, then asked again.
#[tokio::test(start_paused = true)]
async fn a_waf_page_on_the_token_endpoint_is_transient_not_final() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        TOKEN_PATH => Reply::raw(403, "<html>Forbidden</html>").with_header("content-type", "text/html"),
        _ => Reply::json(200, user_json(1)),
    }));
    let client = scripted_client(&http);
    for _ in 0..3 {
        let err = client.users().get(1).await.unwrap_err();
        assert!(matches!(&err, Error::UnexpectedResponse(u) if u.status == 403), "{err}");
    }
    assert_eq!(http.count(TOKEN_PATH), 1, "remembered during the backoff interval");
    tokio::time::advance(Duration::from_secs(1)).await;
    client.users().get(1).await.unwrap_err();
    assert_eq!(http.count(TOKEN_PATH), 2, "asked again after it");
}

/// YCM's documented refusal codes (1000033 INVALID_CLIENT) are final.
#[tokio::test(start_paused = true)]
async fn the_documented_invalid_client_code_is_final() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        TOKEN_PATH => Reply::json(400, r#"{"errcode":1000033,"errmsg":"INVALID_CLIENT"}"#),
        _ => Reply::json(200, user_json(1)),
    }));
    let client = scripted_client(&http);
    for _ in 0..6 {
        let err = client.users().get(1).await.unwrap_err();
        assert!(
            matches!(&err, Error::Auth(a) if a.kind == AuthErrorKind::CredentialsRejected),
            "{err}"
        );
        tokio::time::advance(Duration::from_secs(120)).await;
    }
    assert_eq!(http.count(TOKEN_PATH), 1);
}

#[tokio::test]
async fn a_2xx_answer_without_a_token_is_a_refusal() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(200)
                .json_body(json!({"requestId": "r9", "status": "Failed", "errmsg": "API Authentication Blocked Out"}));
        })
        .await;
    let client = client(&server);
    for _ in 0..2 {
        let err = client.users().get(1).await.unwrap_err();
        assert!(err.to_string().contains("API Authentication Blocked Out"), "{err}");
        assert_eq!(err.request_id(), Some("r9"));
    }
    token.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_transient_token_failure_is_retried() {
    let server = MockServer::start_async().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let token = server
        .mock_async(move |when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.respond_with(move |_| {
                if c.fetch_add(1, Ordering::SeqCst) == 0 {
                    httpmock::HttpMockResponse::builder().status(503).body("busy").build()
                } else {
                    httpmock::HttpMockResponse::builder()
                        .status(200)
                        .body(json!({"access_token": ACCESS_TOKEN, "expires_in": 1800}).to_string())
                        .build()
                }
            });
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/users/1")
                .header("authorization", bearer());
            then.status(200).body(user_json(1));
        })
        .await;
    client(&server).users().get(1).await.unwrap();
    token.assert_calls_async(2).await;
}

/// A 401 on a call: the token is refreshed and the call replayed once.
#[tokio::test(start_paused = true)]
async fn a_rejected_access_token_is_refreshed_and_the_call_replayed() {
    let counter = token_counter();
    let http = Arc::new(ScriptedHttp::new(move |req| {
        if req.uri.path() != TOKEN_PATH && req.header("authorization") == Some("Bearer at-1") {
            return Reply::json(
                401,
                r#"{"error":"invalid_token","error_description":"Access token expired"}"#,
            );
        }
        counter(req)
    }));
    let client = scripted_client(&http);
    assert_eq!(client.users().get(1).await.unwrap().user_id, Some(1));
    let paths: Vec<_> = http.requests().iter().map(|r| r.uri.path().to_owned()).collect();
    assert_eq!(
        paths,
        [
            TOKEN_PATH,
            "/dm/open_api/v1/users/1",
            TOKEN_PATH,
            "/dm/open_api/v1/users/1"
        ]
    );
}

/// The same on HTTP 200 with a Failed envelope carrying YCM's documented token codes
/// (1000035 TOKEN_EXPIRED, 1000036 INVALID_TOKEN); words in a message mean nothing.
#[tokio::test(start_paused = true)]
async fn a_documented_token_code_inside_a_failed_envelope_also_triggers_the_replay() {
    for code in ["1000035", "1000036"] {
        let counter = token_counter();
        let http = Arc::new(ScriptedHttp::new(move |req| {
            if req.uri.path() != TOKEN_PATH && req.header("authorization") == Some("Bearer at-1") {
                return Reply::json(
                    200,
                    format!(r#"{{"requestId":"r","status":"Failed","errcode":{code},"errmsg":"TOKEN"}}"#),
                );
            }
            counter(req)
        }));
        let client = scripted_client(&http);
        client.users().get(1).await.unwrap();
        assert_eq!(http.count(TOKEN_PATH), 2);
        assert_eq!(http.count("/dm/open_api/v1/users/1"), 2);
    }
    // A message about a token without the code is an ordinary error: no refresh.
    let counter = token_counter();
    let http = Arc::new(ScriptedHttp::new(move |req| {
        if req.uri.path() != TOKEN_PATH {
            return Reply::json(
                200,
                r#"{"requestId":"r","status":"Failed","errcode":1000004,"errmsg":"invalid token field"}"#,
            );
        }
        counter(req)
    }));
    let client = scripted_client(&http);
    let err = client.users().get(1).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api(a) if a.code.as_deref() == Some("1000004")),
        "{err}"
    );
    assert_eq!(http.count(TOKEN_PATH), 1);
}

/// A ready access token is used as is; a rejected one ends the call (nothing to refresh).
#[tokio::test(start_paused = true)]
async fn a_static_access_token() {
    let http = Arc::new(ScriptedHttp::new(|req| {
        if req.header("authorization") == Some("Bearer static-token") {
            Reply::json(200, user_json(5))
        } else {
            Reply::json(401, "{}")
        }
    }));
    let client = Client::builder()
        .credentials(Credentials::access_token("static-token"))
        .http_client(http.clone())
        .build()
        .unwrap();
    assert_eq!(client.users().get(5).await.unwrap().user_id, Some(5));
    assert_eq!(http.count(TOKEN_PATH), 0);
    assert_eq!(http.requests()[0].uri.host(), Some("ycm.yeastar.com"));
}
