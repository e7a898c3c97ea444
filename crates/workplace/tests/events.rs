//! Event subscription on the wire (httpmock): method, path, headers, exact bodies; the doc
//! examples reproduced.

use std::time::Duration;

use httpmock::Method::{DELETE, POST};
use httpmock::{Mock, MockServer};
use serde_json::json;
use yeastar_workplace::{Client, Credentials, Error, EventType, RetryPolicy, Subscribe};

const TOKEN_PATH: &str = "/services/openapi/v1.0/authentication/get_token";
const SUBSCRIBE: &str = "/services/openapi/v1.0/integration/subscribe";
const CANCEL: &str = "/services/openapi/v1.0/integration/cancel_subscribe";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(Credentials::client("wp-client", "wp-secret"))
        .base_url(server.base_url())
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}

async fn token_mock(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(200)
                .json_body(json!({"access_token": "tok-1", "refresh_token": "ref-1", "expires_in": 86400}));
        })
        .await
}

/// The "Subscribe to Events" example: `{"eventTypes":["MEETING_CREATED","MEETING_UPDATED"]}`
/// → `{"status":"Success","requestId":…}` (no data).
#[tokio::test]
async fn doc_example_subscribe() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let subscribe = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(SUBSCRIBE)
                .header("authorization", "Bearer tok-1")
                .header("content-type", "application/json")
                .header_prefix("user-agent", "yeastar-rust/")
                .query_param_count(".*", ".*", 0)
                .body(r#"{"eventTypes":["MEETING_CREATED","MEETING_UPDATED"]}"#);
            then.status(200).body(
                r#"{
    "status": "Success",
    "requestId": "c136d042add437"
}"#,
            );
        })
        .await;
    let done = client(&server)
        .events()
        .subscribe(Subscribe::to([EventType::MeetingCreated, EventType::MeetingUpdated]))
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("c136d042add437"));
    assert_eq!((done.id, done.already_absent), (None, false));
    subscribe.assert_calls_async(1).await;
}

#[tokio::test]
async fn subscribe_all_sends_all_and_every_documented_type_is_spelled_as_documented() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let all = server
        .mock_async(|when, then| {
            when.method(POST).path(SUBSCRIBE).body(r#"{"eventTypes":["ALL"]}"#);
            then.status(200)
                .json_body(json!({"status": "Success", "requestId": "r-all"}));
        })
        .await;
    let each = server
        .mock_async(|when, then| {
            when.method(POST).path(SUBSCRIBE).json_body(json!({"eventTypes": [
                "MEETING_CREATED", "MEETING_UPDATED", "MEETING_DELETED", "MEETING_REACHED_START_TIME",
                "MEETING_CHECKED_IN", "MEETING_CHECKED_OUT", "MEETING_EXTENDED", "MEETING_REACHED_END_TIME"
            ]}));
            then.status(200)
                .json_body(json!({"status": "Success", "requestId": "r-each"}));
        })
        .await;
    let client = client(&server);
    let done = client.events().subscribe(Subscribe::all()).await.unwrap();
    assert_eq!(done.request_id.as_deref(), Some("r-all"));
    let done = client
        .events()
        .subscribe(Subscribe::to(EventType::MEETING))
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("r-each"));
    all.assert_calls_async(1).await;
    each.assert_calls_async(1).await;
}

/// The "Cancel Event Subscriptions" example: DELETE without parameters or body.
#[tokio::test]
async fn doc_example_cancel() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let cancel = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(CANCEL)
                .header("authorization", "Bearer tok-1")
                .header_missing("content-type")
                .query_param_count(".*", ".*", 0)
                .body("");
            then.status(200).body(
                r#"{
    "status": "Success",
    "requestId": "c5cd5265520a3a192bfd215818cebccf"
}"#,
            );
        })
        .await;
    let done = client(&server).events().cancel().await.unwrap();
    assert_eq!(done.request_id.as_deref(), Some("c5cd5265520a3a192bfd215818cebccf"));
    cancel.assert_calls_async(1).await;
}

#[tokio::test]
async fn bad_subscriptions_send_nothing() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let subscribe = server
        .mock_async(|when, then| {
            when.method(POST).path(SUBSCRIBE);
            then.status(200)
                .json_body(json!({"status": "Success", "requestId": "r"}));
        })
        .await;
    let client = client(&server);
    for bad in [
        Subscribe::to([]),
        Subscribe::to([EventType::All, EventType::MeetingDeleted]),
        Subscribe::to([EventType::WebhookTest]),
        Subscribe::to([EventType::from("meeting created")]),
    ] {
        let err = client.events().subscribe(bad.clone()).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == "eventTypes"),
            "{bad:?}: {err}"
        );
    }
    subscribe.assert_calls_async(0).await;
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn failures_are_api_errors_and_a_subscription_is_retried() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let busy = server
        .mock_async(|when, then| {
            when.method(POST).path(SUBSCRIBE);
            then.status(503)
                .json_body(json!({"status": "Failed", "errMsg": "SERVICE_UNAVAILABLE"}));
        })
        .await;
    let client = client(&server);
    // Subscribing twice leaves the same state: a transient failure is retried (3 attempts).
    let err = client.events().subscribe(Subscribe::all()).await.unwrap_err();
    assert!(matches!(err, Error::RetriesExhausted { attempts: 3, .. }), "{err}");
    busy.assert_calls_async(3).await;
    busy.delete_async().await;

    let refused = server
        .mock_async(|when, then| {
            when.method(DELETE).path(CANCEL);
            then.status(200).json_body(json!({
                "status": "Failed", "requestId": "r9", "errMsg": "ACCESS_DENIED", "detailMsg": "no API access"
            }));
        })
        .await;
    let err = client.events().cancel().await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(
        (api.code.as_deref(), api.message.as_deref(), api.request_id.as_deref()),
        (Some("ACCESS_DENIED"), Some("no API access"), Some("r9"))
    );
    refused.assert_calls_async(1).await;
}
