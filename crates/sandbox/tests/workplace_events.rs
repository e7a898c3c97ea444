//! Workplace event subscription in the sandbox, and the events it POSTs to the Callback URI.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{Env, WP, wp_error};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use yeastar_sandbox::{SandboxConfig, WpDelivery};

fn subscribe_path() -> String {
    format!("{WP}/integration/subscribe")
}

fn cancel_path() -> String {
    format!("{WP}/integration/cancel_subscribe")
}

/// Asserts Workplace's answer without data.
fn success(status: u16, body: &Value) {
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "Success");
    assert!(body["requestId"].as_str().is_some_and(|s| s.len() == 32), "{body}");
    assert!(body.get("data").is_none(), "{body}");
}

#[tokio::test]
async fn subscribe_replaces_cancel_clears_and_bad_types_are_refused() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    assert_eq!(env.sandbox.workplace_subscription(), None);

    // The documentation's example.
    let (status, body) = env
        .call(
            Method::POST,
            &subscribe_path(),
            &token,
            Some(json!({"eventTypes": ["MEETING_CREATED", "MEETING_UPDATED"]})),
        )
        .await;
    success(status, &body);
    assert_eq!(
        env.sandbox.workplace_subscription(),
        Some(vec!["MEETING_CREATED".into(), "MEETING_UPDATED".into()])
    );

    // Refused, and the subscription is kept.
    for (bad, field) in [
        (
            json!({"eventTypes": ["MEETING_CREATED", "meeting_deleted"]}),
            "eventTypes",
        ),
        (json!({"eventTypes": ["WEBHOOK_TEST"]}), "eventTypes"),
        (json!({"eventTypes": "ALL"}), "eventTypes"),
        (json!({"eventTypes": [7]}), "eventTypes"),
        (json!(["ALL"]), "body"),
    ] {
        let (status, body) = env
            .call(Method::POST, &subscribe_path(), &token, Some(bad.clone()))
            .await;
        assert_eq!(wp_error(status, &body, 400), "PARAMETER_VALIDATION_FAILED", "{bad}");
        assert!(body["detailMsg"].as_str().unwrap().contains(field), "{body}");
    }
    let (status, body) = env
        .raw(
            Method::POST,
            &subscribe_path(),
            &token,
            Some("text/plain"),
            r#"{"eventTypes":["ALL"]}"#,
        )
        .await;
    wp_error(status, &body, 415);
    assert_eq!(env.sandbox.workplace_subscription().unwrap().len(), 2);

    // A second subscription replaces the first; repeats are dropped.
    let (status, body) = env
        .call(
            Method::POST,
            &subscribe_path(),
            &token,
            Some(json!({"eventTypes": ["MEETING_EXTENDED", "MEETING_EXTENDED"]})),
        )
        .await;
    success(status, &body);
    assert_eq!(
        env.sandbox.workplace_subscription(),
        Some(vec!["MEETING_EXTENDED".into()])
    );

    // ALL, an empty list, null or no eventTypes at all: every event.
    for all in [
        Some(json!({"eventTypes": ["ALL"]})),
        Some(json!({"eventTypes": []})),
        Some(json!({"eventTypes": null})),
        Some(json!({})),
        None,
    ] {
        let (status, body) = env.call(Method::POST, &subscribe_path(), &token, all.clone()).await;
        success(status, &body);
        assert_eq!(
            env.sandbox.workplace_subscription(),
            Some(vec!["ALL".into()]),
            "{all:?}"
        );
    }

    let (status, body) = env.call(Method::DELETE, &cancel_path(), &token, None).await;
    success(status, &body);
    assert_eq!(env.sandbox.workplace_subscription(), None);
    // Without a token: refused.
    let (status, body) = env.call(Method::DELETE, &cancel_path(), "nope", None).await;
    wp_error(status, &body, 401);
}

struct Hook {
    tx: mpsc::UnboundedSender<(HeaderMap, Bytes)>,
    /// How many requests to answer 503 before answering 200.
    fail_first: AtomicU32,
}

/// A webhook receiver that records each request.
async fn receiver(fail_first: u32) -> (String, mpsc::UnboundedReceiver<(HeaderMap, Bytes)>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let hook = Arc::new(Hook {
        tx,
        fail_first: AtomicU32::new(fail_first),
    });
    let app = Router::new()
        .route(
            "/wp-hook",
            post(
                |State(hook): State<Arc<Hook>>, headers: HeaderMap, body: Bytes| async move {
                    let _ = hook.tx.send((headers, body));
                    let failing = hook
                        .fail_first
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                    if failing {
                        StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        StatusCode::OK
                    }
                },
            ),
        )
        .with_state(hook);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wp-hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

fn config(url: String) -> SandboxConfig {
    SandboxConfig::new()
        .with_wp_callback_uri(url)
        .with_wp_webhook_retry_interval(Duration::from_millis(5))
}

async fn subscribe(env: &Env, types: Value) {
    let token = env.wp_token().await;
    let (status, body) = env
        .call(
            Method::POST,
            &subscribe_path(),
            &token,
            Some(json!({"eventTypes": types})),
        )
        .await;
    success(status, &body);
}

const DELETED: &str = r#"{"roomId":2808,"roomName":"Meeting Room 4","meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}"#;

#[tokio::test]
async fn subscribed_events_are_posted_and_retried_with_the_same_id() {
    let (url, mut rx) = receiver(2).await;
    let env = Env::with(config(url)).await;
    let data: Value = serde_json::from_str(DELETED).unwrap();

    // Not subscribed yet: nothing is sent.
    assert_eq!(
        env.sandbox.emit_workplace_event("MEETING_DELETED", data.clone()).await,
        WpDelivery::NotSubscribed
    );
    subscribe(&env, json!(["MEETING_DELETED"])).await;
    assert_eq!(
        env.sandbox.emit_workplace_event("MEETING_CREATED", json!({})).await,
        WpDelivery::NotSubscribed
    );
    assert!(rx.try_recv().is_err());

    // Two 503s, then 200: three attempts, one event id.
    let outcome = env.sandbox.emit_workplace_event("MEETING_DELETED", data.clone()).await;
    let WpDelivery::Delivered { event_id, attempts } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(attempts, 3);
    let mut bodies = Vec::new();
    while let Ok((headers, body)) = rx.try_recv() {
        assert_eq!(headers["content-type"], "application/json");
        bodies.push(serde_json::from_slice::<Value>(&body).unwrap());
    }
    assert_eq!(bodies.len(), 3);
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
    let event = &bodies[0];
    assert_eq!(event["eventId"], event_id.as_str());
    assert_eq!(event_id.len(), 36);
    assert_eq!(event_id.matches('-').count(), 4);
    assert!(event["eventCreatedTime"].as_i64().unwrap() > 1_685_430_437);
    assert_eq!(event["eventVersion"], "1.0");
    assert_eq!(event["eventType"], "MEETING_DELETED");
    assert_eq!(event["data"], data);
    assert_eq!(event.as_object().unwrap().len(), 5);

    // The Test button needs no subscription.
    let outcome = env.sandbox.test_workplace_webhook().await;
    assert!(
        matches!(outcome, WpDelivery::Delivered { attempts: 1, .. }),
        "{outcome:?}"
    );
    let (_, body) = rx.try_recv().unwrap();
    let test: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (&test["eventType"], &test["data"]),
        (&json!("WEBHOOK_TEST"), &json!({}))
    );

    // Cancelled: nothing more.
    let token = env.wp_token().await;
    env.call(Method::DELETE, &cancel_path(), &token, None).await;
    assert_eq!(
        env.sandbox.emit_workplace_event("MEETING_DELETED", data).await,
        WpDelivery::NotSubscribed
    );
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_gets_four_attempts() {
    let (url, mut rx) = receiver(u32::MAX).await;
    let env = Env::with(config(url)).await;
    subscribe(&env, json!(["ALL"])).await;
    let outcome = env
        .sandbox
        .emit_workplace_event("MEETING_EXTENDED", json!({"meetingId": "m"}))
        .await;
    let WpDelivery::Failed {
        attempts, last_error, ..
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!((attempts, last_error.as_str()), (4, "HTTP 503"));
    let mut n = 0;
    while rx.try_recv().is_ok() {
        n += 1;
    }
    assert_eq!(n, 4);
}

#[tokio::test]
async fn without_a_callback_uri_nothing_is_sent() {
    let env = Env::start().await;
    subscribe(&env, json!(["ALL"])).await;
    assert_eq!(
        env.sandbox.emit_workplace_event("MEETING_CREATED", json!({})).await,
        WpDelivery::NoCallbackUri
    );
    assert_eq!(env.sandbox.test_workplace_webhook().await, WpDelivery::NoCallbackUri);
}
