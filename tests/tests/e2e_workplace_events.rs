//! Workplace events end to end: subscribe through the facade, the sandbox makes a meeting
//! event happen, a local HTTP server reads it with `webhooks::WebhookReceiver`.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{WP, entries, sandbox_with, wp};
use serde_json::json;
use tokio::sync::mpsc;
use yeastar::workplace::webhooks::{WebhookError, WebhookEvent, WebhookReceiver};
use yeastar::workplace::{EventType, Subscribe};
use yeastar_sandbox::{Method, SandboxConfig, WpDelivery};

type Received = Result<WebhookEvent, WebhookError>;

/// An application's webhook endpoint: reads each request with the SDK's receiver, answers
/// 200 for an event and 400 for a body it cannot read.
async fn webhook_server() -> (String, mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = mpsc::unbounded_channel::<Received>();
    let state = Arc::new((WebhookReceiver::new(), tx));
    let app = Router::new()
        .route(
            "/hooks/workplace",
            post(
                |State(state): State<Arc<(WebhookReceiver, mpsc::UnboundedSender<Received>)>>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let (receiver, tx) = &*state;
                    let event = receiver.receive(&headers, &body);
                    let status = if event.is_ok() {
                        StatusCode::OK
                    } else {
                        StatusCode::BAD_REQUEST
                    };
                    let _ = tx.send(event);
                    status
                },
            ),
        )
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/workplace", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

#[tokio::test]
async fn a_subscribed_meeting_event_arrives_typed() {
    let (url, mut rx) = webhook_server().await;
    let sb = sandbox_with(
        SandboxConfig::new()
            .with_wp_callback_uri(url)
            .with_wp_webhook_retry_interval(Duration::from_millis(5)),
    )
    .await;
    let client = wp(&sb);
    let done = client
        .events()
        .subscribe(Subscribe::to([EventType::MeetingCreated, EventType::MeetingCheckedIn]))
        .await
        .unwrap();
    assert!(done.request_id.is_some());
    assert_eq!(
        sb.workplace_subscription(),
        Some(vec!["MEETING_CREATED".into(), "MEETING_CHECKED_IN".into()])
    );
    assert_eq!(
        entries(&sb, &Method::POST, &format!("{WP}/integration/subscribe")).len(),
        1
    );

    // A meeting room is booked (the documentation's example data).
    let outcome = sb
        .emit_workplace_event(
            "MEETING_CREATED",
            json!({"startTime": 1685431800, "endTime": 1685435400, "roomId": 2808,
                   "roomName": "Meeting Room 4", "meetingId": "WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}),
        )
        .await;
    let WpDelivery::Delivered { event_id, attempts: 1 } = outcome else {
        panic!("{outcome:?}")
    };
    let event = rx.try_recv().unwrap().unwrap();
    let WebhookEvent::MeetingCreated(created) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(created.event_id, event_id);
    assert_eq!(created.event_version.as_deref(), Some("1.0"));
    assert!(created.event_created_time.is_some());
    assert_eq!(created.data.meeting_id, "WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd");
    assert_eq!(
        (created.data.room_id, created.data.room_name.as_deref()),
        (Some(2808), Some("Meeting Room 4"))
    );
    assert_eq!(
        (created.data.start_time, created.data.end_time),
        (Some(1685431800), Some(1685435400))
    );

    // Not subscribed: not sent.
    let outcome = sb
        .emit_workplace_event("MEETING_DELETED", json!({"meetingId": "m"}))
        .await;
    assert_eq!(outcome, WpDelivery::NotSubscribed);
    assert!(rx.try_recv().is_err());

    // A body the receiver cannot read is refused (400), so Workplace sends it 3 more times.
    let outcome = sb
        .emit_workplace_event("MEETING_CHECKED_IN", json!({"roomId": 2808}))
        .await;
    assert!(matches!(outcome, WpDelivery::Failed { attempts: 4, .. }), "{outcome:?}");
    for _ in 0..4 {
        assert_eq!(
            rx.try_recv().unwrap(),
            Err(WebhookError::Payload(
                "MEETING_CHECKED_IN: data.meetingId is missing".into()
            ))
        );
    }

    // The Test button, then cancel: nothing more arrives.
    assert!(matches!(
        sb.test_workplace_webhook().await,
        WpDelivery::Delivered { .. }
    ));
    assert!(matches!(rx.try_recv().unwrap(), Ok(WebhookEvent::WebhookTest(_))));
    client.events().cancel().await.unwrap();
    assert_eq!(sb.workplace_subscription(), None);
    let outcome = sb
        .emit_workplace_event("MEETING_CREATED", json!({"meetingId": "m"}))
        .await;
    assert_eq!(outcome, WpDelivery::NotSubscribed);
    assert!(rx.try_recv().is_err());
}
