//! Workplace event subscription (`integration/subscribe`, `integration/cancel_subscribe`) and
//! the webhook deliveries to the Callback URI.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use http::{HeaderMap, header};
use serde_json::{Value, json};

use crate::app::App;
use crate::error::ApiErr;
use crate::reply::{Answer, Reply, unix_now};
use crate::state::Db;

/// The values `eventTypes` accepts (`ALL` and the eight meeting events).
const EVENT_TYPES: [&str; 9] = [
    "ALL",
    "MEETING_CREATED",
    "MEETING_UPDATED",
    "MEETING_DELETED",
    "MEETING_REACHED_START_TIME",
    "MEETING_CHECKED_IN",
    "MEETING_CHECKED_OUT",
    "MEETING_EXTENDED",
    "MEETING_REACHED_END_TIME",
];

/// Workplace's answer without data: `{status, requestId}`.
fn done(db: &mut Db) -> Reply {
    Reply::ok(json!({"status": "Success", "requestId": db.request_id()}))
}

/// The subscribed types from the body: `eventTypes` absent, `null`, empty or with `ALL` is
/// every event (`["ALL"]`); otherwise the documented types, without repeats.
fn event_types(headers: &HeaderMap, body: &Bytes) -> Result<Vec<String>, ApiErr> {
    // `eventTypes` is optional, so an empty body is every event.
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(vec!["ALL".into()]);
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/json"));
    if !json {
        return Err(ApiErr::unsupported_media_type("application/json"));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiErr::invalid("body", "json", format!("The request body is not valid JSON: {e}")))?;
    let Value::Object(body) = value else {
        return Err(ApiErr::invalid(
            "body",
            "object",
            "The request body must be a JSON object",
        ));
    };
    let items = match body.get("eventTypes") {
        None | Some(Value::Null) => return Ok(vec!["ALL".into()]),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ApiErr::invalid("eventTypes", "array", "eventTypes must be an array")),
    };
    let mut types: Vec<String> = Vec::new();
    for item in items {
        let t = item.as_str().filter(|t| EVENT_TYPES.contains(t)).ok_or_else(|| {
            ApiErr::invalid(
                "eventTypes",
                "oneof",
                format!("eventTypes: {item} is not a valid event type"),
            )
        })?;
        if !types.iter().any(|s| s == t) {
            types.push(t.to_owned());
        }
    }
    if types.is_empty() || types.iter().any(|t| t == "ALL") {
        return Ok(vec!["ALL".into()]);
    }
    Ok(types)
}

/// `POST /services/openapi/v1.0/integration/subscribe`: Subscribe to Events. A new
/// subscription replaces the previous one (Workplace does not say).
pub(super) async fn subscribe(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Answer {
    let types = event_types(&headers, &body)?;
    let mut db = app.db();
    db.wp.subscription = Some(types);
    Ok(done(&mut db))
}

/// `DELETE /services/openapi/v1.0/integration/cancel_subscribe`: cancels every subscription.
pub(super) async fn cancel(State(app): State<Arc<App>>) -> Answer {
    let mut db = app.db();
    db.wp.subscription = None;
    Ok(done(&mut db))
}

/// What became of a Workplace event (see
/// [`Sandbox::emit_workplace_event`](crate::Sandbox::emit_workplace_event)).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WpDelivery {
    /// No Callback URI is configured: nothing was sent.
    NoCallbackUri,
    /// Nothing subscribes to this event type: nothing was sent.
    NotSubscribed,
    /// The Callback URI answered `200 OK` at the `attempts`-th attempt.
    Delivered {
        /// The event's `eventId`.
        event_id: String,
        /// 1 for the first attempt.
        attempts: u32,
    },
    /// Every attempt failed (the first and 3 retries).
    Failed {
        /// The event's `eventId`.
        event_id: String,
        /// The attempts made (4).
        attempts: u32,
        /// Why the last attempt failed.
        last_error: String,
    },
}

/// The attempts Workplace makes: the first, then 3 more.
const ATTEMPTS: u32 = 4;

fn http() -> &'static reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    HTTP.get_or_init(|| {
        reqwest::Client::builder()
            .user_agent("Workplace-Webhook")
            // Workplace's documented webhook timeout.
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_default()
    })
}

impl App {
    /// The subscribed event types (`["ALL"]` for every event), or `None`.
    pub(crate) fn wp_subscription(&self) -> Option<Vec<String>> {
        self.db().wp.subscription.clone()
    }

    /// Sends a Workplace event to the Callback URI if its type is subscribed to (`force`: the
    /// Test button, which needs no subscription).
    pub(crate) async fn wp_emit(&self, event_type: &str, data: Value, force: bool) -> WpDelivery {
        let Some(url) = self.config.wp_callback_uri.clone() else {
            return WpDelivery::NoCallbackUri;
        };
        let event_id = {
            let mut db = self.db();
            let subscribed = db
                .wp
                .subscription
                .as_ref()
                .is_some_and(|types| types.iter().any(|t| t == "ALL" || t == event_type));
            if !subscribed && !force {
                return WpDelivery::NotSubscribed;
            }
            let h = db.hex(16);
            format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
        };
        let body = json!({
            "eventId": event_id,
            "eventCreatedTime": unix_now(),
            "eventVersion": "1.0",
            "eventType": event_type,
            "data": data,
        })
        .to_string();
        let mut wait = self.config.wp_webhook_retry_interval;
        let mut last_error = String::new();
        for attempt in 1..=ATTEMPTS {
            if attempt > 1 {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
            }
            let sent = http()
                .post(&url)
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.clone())
                .send()
                .await;
            // Workplace needs a 200 OK; anything else (4xx, 5xx, timeout) is retried.
            match sent {
                Ok(resp) if resp.status() == http::StatusCode::OK => {
                    return WpDelivery::Delivered {
                        event_id,
                        attempts: attempt,
                    };
                }
                Ok(resp) => last_error = format!("HTTP {}", resp.status().as_u16()),
                Err(e) => last_error = e.to_string(),
            }
            tracing::warn!(attempt, error = %last_error, "Workplace event not delivered");
        }
        WpDelivery::Failed {
            event_id,
            attempts: ATTEMPTS,
            last_error,
        }
    }
}
