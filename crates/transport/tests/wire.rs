//! Transport behaviour on the wire, against a real loopback HTTP server (httpmock).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use yeastar_transport::{AuthErrorKind, Client, Error, TransportErrorKind};

fn sequence(statuses: &'static [u16], body_ok: &'static str) -> impl Fn(&HttpMockRequest) -> HttpMockResponse {
    let n = Arc::new(AtomicUsize::new(0));
    move |_req| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let status = statuses.get(i).copied().unwrap_or(200);
        let body = if status == 200 {
            ok_json(body_ok)
        } else {
            format!(r#"{{"status":"Failed","requestId":"r{i}","errMsg":"UNAVAILABLE","detailMsg":"try later"}}"#)
        };
        HttpMockResponse::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(body)
            .build()
    }
}

async fn token_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", "client-id-1")
                .form_urlencoded_tuple("client_secret", SECRET);
            then.status(200).body(token_json(ACCESS, 1800));
        })
        .await
}

#[tokio::test]
async fn get_retries_503_twice_then_succeeds() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let thing = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/things/42")
                .header("authorization", format!("Bearer {ACCESS}"))
                .header("accept", "application/json");
            then.respond_with(sequence(&[503, 503], r#"{"id":42}"#));
        })
        .await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    let out = client.send(&GetThing("42".into())).await.unwrap();
    assert_eq!(out, serde_json::json!({"id": 42}));
    thing.assert_calls_async(3).await;
    token.assert_calls_async(1).await;
}

#[tokio::test]
async fn non_idempotent_post_is_never_sent_twice_on_503() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/things")
                .header("content-type", "application/json")
                .json_body(serde_json::json!({"name": "x"}));
            then.respond_with(sequence(&[503, 503], r#"{"id":1}"#));
        })
        .await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    let err = client
        .send(&CreateThing(serde_json::json!({"name": "x"})))
        .await
        .unwrap_err();
    // A 503 after the create was sent: it may have been applied (a proxy's 503 after the
    // backend committed), so the outcome is unknown and the error does not invite a resend.
    assert!(
        matches!(&err, Error::OutcomeUnknown { source, .. } if matches!(**source, Error::Api(_))),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.request_id(), Some("r0"));
    create.assert_calls_async(1).await;
}

#[tokio::test]
async fn retries_exhausted_reports_the_last_error() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let thing = server
        .mock_async(|when, then| {
            when.method(GET).path("/things/1");
            then.respond_with(sequence(&[500, 502, 503, 504], "{}"));
        })
        .await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    let Error::RetriesExhausted { attempts, last, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*attempts, 3);
    assert_eq!(last.status(), Some(503));
    assert_eq!(err.request_id(), Some("r2"));
    assert!(err.to_string().contains("gave up after 3 attempts"), "{err}");
    thing.assert_calls_async(3).await;
}

#[tokio::test]
async fn a_hundred_concurrent_calls_on_a_cold_client_make_one_token_request() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/token");
            then.status(200)
                .body(token_json(ACCESS, 1800))
                .delay(std::time::Duration::from_millis(200));
        })
        .await;
    let thing = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/things/7")
                .header("authorization", format!("Bearer {ACCESS}"));
            then.status(200).body(ok_json("7"));
        })
        .await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    let calls = (0..100).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.send(&GetThing("7".into())).await })
    });
    for h in calls.collect::<Vec<_>>() {
        assert_eq!(h.await.unwrap().unwrap(), serde_json::json!(7));
    }
    token.assert_calls_async(1).await;
    thing.assert_calls_async(100).await;
    assert_eq!(client.token_requests(), 1);
}

#[tokio::test]
async fn a_401_triggers_one_refresh_and_one_replay() {
    let server = MockServer::start_async().await;
    let first = token_mock(&server).await;
    let refresh = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/token")
                .form_urlencoded_tuple("grant_type", "refresh_token")
                .form_urlencoded_tuple("refresh_token", REFRESH);
            then.status(200).body(token_json(ACCESS2, 1800));
        })
        .await;
    let rejected = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/things")
                .header("authorization", format!("Bearer {ACCESS}"));
            then.status(401)
                .body(r#"{"status":"Failed","requestId":"r401","errMsg":"INVALID_TOKEN","detailMsg":"token expired"}"#);
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/things")
                .header("authorization", format!("Bearer {ACCESS2}"))
                .json_body(serde_json::json!({"n": 1}));
            then.status(200).body(ok_json(r#"{"id":9}"#));
        })
        .await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    // A create: replaying after a 401 is safe because the server refused it unprocessed.
    let out = client.send(&CreateThing(serde_json::json!({"n": 1}))).await.unwrap();
    assert_eq!(out["id"], 9);
    first.assert_calls_async(1).await;
    refresh.assert_calls_async(1).await;
    rejected.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_token_rejected_twice_ends_with_an_auth_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/token");
            then.status(200).body(token_json(ACCESS, 1800));
        })
        .await;
    let thing = server
        .mock_async(|when, then| {
            when.method(GET).path("/things/1");
            then.status(401).body(r#"{"status":"Failed","errMsg":"INVALID_TOKEN"}"#);
        })
        .await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("{err}") };
    assert_eq!(auth.kind, AuthErrorKind::TokenRejected);
    assert_eq!(err.status(), Some(401));
    thing.assert_calls_async(2).await;
}

#[tokio::test]
async fn wrong_credentials_make_exactly_one_token_request_across_ten_calls() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/token");
            then.status(401)
                .body(r#"{"error":"invalid_client","error_description":"Bad client credentials"}"#);
        })
        .await;
    let thing = server
        .mock_async(|when, then| {
            when.method(GET).path("/things/1");
            then.status(200).body(ok_json("1"));
        })
        .await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    let mut handles = Vec::new();
    for i in 0..10 {
        let c = client.clone();
        if i < 5 {
            handles.push(tokio::spawn(async move { c.send(&GetThing("1".into())).await }));
        } else {
            let r = c.send(&GetThing("1".into())).await;
            handles.push(tokio::spawn(async move { r }));
        }
    }
    for h in handles {
        let err = h.await.unwrap().unwrap_err();
        let Error::Auth(auth) = &err else { panic!("{err}") };
        assert_eq!(auth.kind, AuthErrorKind::CredentialsRejected);
        assert_eq!(
            auth.api.as_ref().and_then(|a| a.code.as_deref()),
            Some("invalid_client")
        );
        assert!(!err.to_string().contains(SECRET));
    }
    token.assert_calls_async(1).await;
    thing.assert_calls_async(0).await;
}

#[tokio::test]
async fn hostile_path_ids_arrive_as_one_encoded_segment() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    for (id, encoded) in [
        ("a/b", "a%2Fb"),
        ("../x", "..%2Fx"),
        ("a?b#c", "a%3Fb%23c"),
        ("100%", "100%25"),
        ("名前", "%E5%90%8D%E5%89%8D"),
        ("color123@yeastar.com", "color123@yeastar.com"),
    ] {
        let expected = format!("/things/{encoded}");
        let raw = expected.clone();
        let mock = server
            .mock_async(move |when, then| {
                when.method(GET).is_true(move |req| req.uri().path() == raw);
                then.status(200).body(ok_json("true"));
            })
            .await;
        client
            .send(&GetThing(id.into()))
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        mock.assert_calls_async(1).await;
        // The one segment decodes back to the id.
        let segment = expected.trim_start_matches("/things/");
        assert!(!segment.contains('/'));
        assert_eq!(percent_encoding::percent_decode_str(segment).decode_utf8().unwrap(), id);
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_and_not_retried() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let big = server
        .mock_async(|when, then| {
            when.method(GET).path("/things/big");
            then.status(200).body(ok_json(&format!("\"{}\"", "x".repeat(10_000))));
        })
        .await;
    let client: Client = builder(&server.base_url()).max_body_bytes(4096).build().unwrap();
    let err = client.send(&GetThing("big".into())).await.unwrap_err();
    let Error::Transport(t) = &err else { panic!("{err}") };
    assert_eq!(t.kind, TransportErrorKind::BodyTooLarge);
    assert!(err.to_string().contains("4096"), "{err}");
    big.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_502_html_page_from_a_proxy_is_a_clear_error_with_its_status() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let page = server
        .mock_async(|when, then| {
            when.method(GET).path("/things/1");
            then.status(502)
                .header("content-type", "text/html")
                .body("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
        })
        .await;
    let client: Client = builder(&server.base_url())
        .retry(yeastar_transport::RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err}")
    };
    assert_eq!(u.status, 502);
    assert_eq!(u.content_type.as_deref(), Some("text/html"));
    assert!(err.to_string().contains("HTTP 502"), "{err}");
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
    page.assert_calls_async(1).await;

    // With retries on (the default), a GET retries the proxy page and reports it at the end.
    let client: Client = builder(&server.base_url()).build().unwrap();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    page.assert_calls_async(4).await;
}

#[tokio::test]
async fn empty_body_and_wrong_types_are_clear_errors() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/things/empty");
            then.status(200);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/things/typed");
            then.status(200)
                .body(r#"{"data":{"id":"x"},"status":"Success","requestId":"rq"}"#);
        })
        .await;
    let client: Client = builder(&server.base_url()).build().unwrap();
    let err = client.send(&GetThing("empty".into())).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedResponse(u) if u.status == 200 && u.excerpt.is_empty()),
        "{err}"
    );

    #[derive(serde::Deserialize)]
    struct D {
        id: u64,
    }
    struct Typed;
    impl yeastar_transport::Endpoint for Typed {
        type Envelope = TestEnvelope;
        type Data = D;
        type Output = u64;
        fn request(&self) -> yeastar_transport::Result<yeastar_transport::Request> {
            Ok(yeastar_transport::Request::get("/things/typed"))
        }
        fn output(d: D, _: &yeastar_transport::Meta<'_>) -> yeastar_transport::Result<u64> {
            Ok(d.id)
        }
    }
    let err = client.send(&Typed).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err}") };
    assert_eq!(d.path, "data.id");
    assert_eq!(d.request_id.as_deref(), Some("rq"));
}

#[tokio::test]
async fn user_agent_is_always_sent_with_the_app_name() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/token")
                .header("user-agent", "yeastar-rust/0.1.0 acme-onboarding/2.1");
            then.status(200).body(token_json(ACCESS, 1800));
        })
        .await;
    let thing = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/things/1")
                .header("user-agent", "yeastar-rust/0.1.0 acme-onboarding/2.1");
            then.status(200).body(ok_json("1"));
        })
        .await;
    let client: Client = builder(&server.base_url())
        .app_name("acme-onboarding/2.1")
        .build()
        .unwrap();
    client.send(&GetThing("1".into())).await.unwrap();
    token.assert_calls_async(1).await;
    thing.assert_calls_async(1).await;
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_a_create_and_reported_clearly() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client: Client = builder(&format!("http://127.0.0.1:{port}"))
        .credentials(yeastar_transport::Credentials::access_token(ACCESS))
        .build()
        .unwrap();
    let err = client.send(&CreateThing(serde_json::json!({}))).await.unwrap_err();
    let Error::RetriesExhausted { attempts, last, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*attempts, 3);
    assert!(
        matches!(&**last, Error::Transport(t) if t.kind == TransportErrorKind::Connect),
        "{last}"
    );
    assert!(err.to_string().to_lowercase().contains("connect"), "{err}");
}
