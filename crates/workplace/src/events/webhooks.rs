//! Workplace webhooks: read the event notifications Workplace POSTs to your Callback URI.
//!
//! The same names as YCM's `yeastar_ycm::webhooks` ([`WebhookReceiver`], [`WebhookEvent`],
//! [`WebhookError`], [`parse_event`]), so that code for one reads like code for the other.
//!
//! **No signature.** Workplace documents no signature, secret or authentication header for
//! its webhook requests (only HTTPS with a valid certificate on your side), so a delivery
//! cannot be verified: anyone who knows the Callback URI can post to it. \[I\] Use an
//! unguessable Callback URI, and treat an event as a hint (read the meeting back through the
//! API before acting on it).
//!
//! **Delivery**: one JSON object per POST; answer `200 OK` within 60 seconds, else (4xx, 5xx,
//! timeout) Workplace sends it again, up to 3 more times at increasing intervals: drop
//! duplicates by [`WebhookEvent::event_id`].
//!
//! ```
//! use yeastar_workplace::webhooks::{HeaderMap, WebhookEvent, WebhookReceiver};
//!
//! let receiver = WebhookReceiver::new();
//! // In your HTTP handler: the headers and the raw body bytes.
//! let body = br#"{"eventId":"26afacee-8a7b-4edd-9e16-5379f2768168","eventCreatedTime":1685430437,
//!   "eventVersion":"1.0","eventType":"MEETING_CREATED","data":{"startTime":1685431800,
//!   "endTime":1685435400,"roomId":2808,"roomName":"Meeting Room 4",
//!   "meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}}"#;
//! match receiver.receive(&HeaderMap::new(), body).unwrap() {
//!     WebhookEvent::MeetingCreated(e) => {
//!         assert_eq!(e.data.room_id, Some(2808));
//!         assert_eq!(e.data.start_time, Some(1685431800));
//!     }
//!     other => panic!("{other:?}"),
//! }
//! // A body that is not an event is refused with a reason, never a panic.
//! assert!(receiver.receive(&HeaderMap::new(), b"[]").is_err());
//! ```

use std::fmt;

use serde::Deserialize;
use serde_json::Value;
use yeastar_transport::lenient::{opt_i64, opt_string};
/// The headers type [`WebhookReceiver::receive`] takes (`http::HeaderMap`, as in axum, hyper
/// and most Rust HTTP servers).
pub use yeastar_transport::reexports::HeaderMap;

pub use super::model::{EventType, MeetingData, MeetingEvent, WebhookEvent};

/// Why a webhook delivery was refused.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// The body is not a Workplace event: not JSON, not an object, no `eventType`, or a
    /// documented event with a field missing or of the wrong type (the message names it).
    Payload(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::Payload(m) => write!(f, "the webhook body cannot be read: {m}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// The outer event object of a meeting event.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Outer {
    #[serde(default, deserialize_with = "opt_string")]
    event_id: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    event_created_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    event_version: Option<String>,
    #[serde(default)]
    data: Option<MeetingData>,
}

/// Reads a webhook body: one JSON object `{eventId, eventCreatedTime, eventVersion,
/// eventType, data}`.
///
/// - A documented meeting event becomes its variant; it needs `eventId`, `data` and
///   `data.meetingId` (else [`WebhookError::Payload`] naming the event and the field).
/// - `WEBHOOK_TEST` is kept whole (its payload is not documented).
/// - Another `eventType` is [`WebhookEvent::Unknown`], with the whole body.
/// - A body that is not a JSON object, or has no `eventType` string, is refused.
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| WebhookError::Payload(e.to_string()))?;
    let Some(object) = value.as_object() else {
        return Err(WebhookError::Payload("the body is not a JSON object".into()));
    };
    let event_type = match object.get("eventType") {
        Some(Value::String(t)) if !t.is_empty() => t.clone(),
        _ => return Err(WebhookError::Payload("the event has no eventType".into())),
    };
    let wrap: fn(MeetingEvent) -> WebhookEvent = match EventType::from(event_type.as_str()) {
        EventType::MeetingCreated => WebhookEvent::MeetingCreated,
        EventType::MeetingUpdated => WebhookEvent::MeetingUpdated,
        EventType::MeetingDeleted => WebhookEvent::MeetingDeleted,
        EventType::MeetingReachedStartTime => WebhookEvent::MeetingReachedStartTime,
        EventType::MeetingCheckedIn => WebhookEvent::MeetingCheckedIn,
        EventType::MeetingCheckedOut => WebhookEvent::MeetingCheckedOut,
        EventType::MeetingExtended => WebhookEvent::MeetingExtended,
        EventType::MeetingReachedEndTime => WebhookEvent::MeetingReachedEndTime,
        EventType::WebhookTest => return Ok(WebhookEvent::WebhookTest(value)),
        // `ALL` names no delivery; treat it like any type this version does not know.
        _ => return Ok(WebhookEvent::Unknown { event_type, raw: value }),
    };
    let bad = |m: String| WebhookError::Payload(format!("{event_type}: {m}"));
    let outer = Outer::deserialize(&value).map_err(|e| bad(e.to_string()))?;
    let event_id = outer
        .event_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| bad("eventId is missing".into()))?;
    let data = outer.data.ok_or_else(|| bad("data is missing".into()))?;
    if data.meeting_id.is_empty() {
        return Err(bad("data.meetingId is missing".into()));
    }
    Ok(wrap(MeetingEvent {
        event_id,
        event_created_time: outer.event_created_time,
        event_version: outer.event_version,
        data,
    }))
}

/// Reads Workplace webhook deliveries; usable from any HTTP server.
///
/// Hand it the headers and the **raw** body bytes. Workplace documents no signature or
/// authentication header, so there is no secret and the headers are not checked (they are
/// taken so that the call has the shape of YCM's receiver); see the [module](self) docs.
#[derive(Debug, Clone, Default)]
pub struct WebhookReceiver {
    _private: (),
}

impl WebhookReceiver {
    /// A receiver.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the event of a request ([`parse_event`]).
    pub fn receive(&self, headers: &HeaderMap, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        let _ = headers;
        parse_event(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROOM_4: &str = "Meeting Room 4";
    const MEETING: &str = "WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd";

    fn meeting(body: &str) -> (EventType, MeetingEvent) {
        let event = parse_event(body.as_bytes()).unwrap();
        (event.event_type(), event.meeting().unwrap().clone())
    }

    /// The "Event example" of each of the eight meeting event pages, verbatim.
    #[test]
    fn the_documented_examples_read() {
        let (t, e) = meeting(
            r#"{
  "eventId": "26afacee-8a7b-4edd-9e16-5379f2768168",
  "eventCreatedTime": 1685430437,
  "eventVersion": "1.0",
  "eventType": "MEETING_CREATED",
  "data": {
    "startTime": 1685431800,
    "endTime": 1685435400,
    "roomId": 2808,
    "roomName": "Meeting Room 4",
    "meetingId": "WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"
  }
}"#,
        );
        assert_eq!(t, EventType::MeetingCreated);
        assert_eq!(e.event_id, "26afacee-8a7b-4edd-9e16-5379f2768168");
        assert_eq!(e.event_created_time, Some(1685430437));
        assert_eq!(e.event_version.as_deref(), Some("1.0"));
        assert_eq!(
            (e.data.start_time, e.data.end_time),
            (Some(1685431800), Some(1685435400))
        );
        assert_eq!(e.data.room_id, Some(2808));
        assert_eq!(e.data.room_name.as_deref(), Some(ROOM_4));
        assert_eq!(e.data.meeting_id, MEETING);
        assert!(e.data.other.is_empty());

        let (t, e) = meeting(
            r#"{"eventId":"b18905c2-08bc-45d7-adf7-6bb361b2cbf4","eventCreatedTime":1685430499,"eventVersion":"1.0",
            "eventType":"MEETING_UPDATED","data":{"startTime":1685431800,"endTime":1685435400,"roomId":2808,
            "roomName":"Meeting Room 4","meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}}"#,
        );
        assert_eq!((t, e.event_created_time), (EventType::MeetingUpdated, Some(1685430499)));
        assert_eq!(
            (e.data.start_time, e.data.end_time),
            (Some(1685431800), Some(1685435400))
        );

        let (t, e) = meeting(
            r#"{"eventId":"8f4fde98-25c9-4d52-b652-f7f0c7c7c9f6","eventCreatedTime":1685430525,"eventVersion":"1.0",
            "eventType":"MEETING_DELETED","data":{"roomId":2808,"roomName":"Meeting Room 4",
            "meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}}"#,
        );
        assert_eq!(
            (t, e.event_id.as_str()),
            (EventType::MeetingDeleted, "8f4fde98-25c9-4d52-b652-f7f0c7c7c9f6")
        );
        assert_eq!(
            (e.data.start_time, e.data.end_time, e.data.room_id),
            (None, None, Some(2808))
        );

        let (t, e) = meeting(
            r#"{"eventId":"05e1fcc2-7ee0-4329-b21d-6df6b76a177e","eventCreatedTime":1685433600,"eventVersion":"1.0",
            "eventType":"MEETING_REACHED_START_TIME","data":{"startTime":1685433600,"roomId":2808,
            "roomName":"Meeting Room 4","meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}}"#,
        );
        assert_eq!(
            (t, e.data.start_time),
            (EventType::MeetingReachedStartTime, Some(1685433600))
        );

        let (t, e) = meeting(
            r#"{"eventId":"f477a44b-dc7b-4635-a5cb-dd3324c7766e","eventCreatedTime":1685432431,"eventVersion":"1.0",
            "eventType":"MEETING_CHECKED_IN","data":{"checkedInTime":1685432431,"roomId":2808,
            "roomName":"Meeting Room 4","meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}}"#,
        );
        assert_eq!(
            (t, e.data.checked_in_time),
            (EventType::MeetingCheckedIn, Some(1685432431))
        );

        let (t, e) = meeting(
            r#"{"eventId":"e346b29a-634f-4a31-b57b-840df9011f57","eventCreatedTime":1685433085,"eventVersion":"1.0",
            "eventType":"MEETING_CHECKED_OUT","data":{"endedTime":1685433085,"roomId":2808,
            "roomName":"Meeting Room 4","meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}}"#,
        );
        assert_eq!((t, e.data.ended_time), (EventType::MeetingCheckedOut, Some(1685433085)));

        let (t, e) = meeting(
            r#"{"eventId":"1b9c0a71-5f7b-49eb-8b98-c2ea598bb8e5","eventCreatedTime":1685432890,"eventVersion":"1.0",
            "eventType":"MEETING_EXTENDED","data":{"endTime":1685435400,"roomId":2808,
            "roomName":"Meeting Room 4","meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}}"#,
        );
        assert_eq!((t, e.data.end_time), (EventType::MeetingExtended, Some(1685435400)));

        let (t, e) = meeting(
            r#"{"eventId":"8e399361-d0ea-4a35-a77e-bec393163510","eventCreatedTime":1685435400,"eventVersion":"1.0",
            "eventType":"MEETING_REACHED_END_TIME","data":{"endTime":1685435400,"roomId":2807,
            "roomName":"Meeting Room 3","meetingId":"WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}}"#,
        );
        assert_eq!(
            (t, e.data.end_time),
            (EventType::MeetingReachedEndTime, Some(1685435400))
        );
        assert_eq!(
            (e.data.room_id, e.data.room_name.as_deref()),
            (Some(2807), Some("Meeting Room 3"))
        );
    }

    #[test]
    fn numbers_as_strings_and_unmodelled_fields() {
        let body = json!({
            "eventId": "e1", "eventCreatedTime": "1685430437", "eventType": "MEETING_CREATED",
            "data": {"startTime": "1685431800", "endTime": 1685435400, "roomId": "2808",
                     "meetingId": 76476, "subject": "Weekly"}
        });
        let (_, e) = meeting(&body.to_string());
        assert_eq!(e.event_created_time, Some(1685430437));
        assert_eq!((e.data.start_time, e.data.room_id), (Some(1685431800), Some(2808)));
        // A number where a string is documented is kept as its text.
        assert_eq!(e.data.meeting_id, "76476");
        assert_eq!(e.data.other.get("subject"), Some(&json!("Weekly")));
        assert_eq!(e.event_version, None);
    }

    #[test]
    fn unknown_types_and_the_test_event_are_kept_whole() {
        let body = json!({"eventId": "u1", "eventType": "DESK_BOOKED", "data": {"deskId": 7}});
        let event = parse_event(body.to_string().as_bytes()).unwrap();
        assert_eq!(
            event,
            WebhookEvent::Unknown {
                event_type: "DESK_BOOKED".into(),
                raw: body.clone()
            }
        );
        assert_eq!(event.event_type(), EventType::Unknown("DESK_BOOKED".into()));
        assert_eq!(event.event_id(), Some("u1"));
        // The test event's payload is not documented: any object with the type is accepted.
        let test = json!({"eventType": "WEBHOOK_TEST"});
        let event = parse_event(test.to_string().as_bytes()).unwrap();
        assert_eq!(event, WebhookEvent::WebhookTest(test));
        assert_eq!((event.event_id(), event.meeting()), (None, None));
    }

    #[test]
    fn bad_bodies_are_clear_errors() {
        let err = |body: &str| match parse_event(body.as_bytes()) {
            Err(WebhookError::Payload(m)) => m,
            other => panic!("{body}: {other:?}"),
        };
        assert!(err("not json").contains("expected"), "{}", err("not json"));
        assert_eq!(err("[]"), "the body is not a JSON object");
        assert_eq!(err(r#"{"eventId":"x"}"#), "the event has no eventType");
        assert_eq!(err(r#"{"eventType":7}"#), "the event has no eventType");
        assert_eq!(
            err(r#"{"eventType":"MEETING_DELETED","data":{"meetingId":"m"}}"#),
            "MEETING_DELETED: eventId is missing"
        );
        assert_eq!(
            err(r#"{"eventId":"e","eventType":"MEETING_DELETED"}"#),
            "MEETING_DELETED: data is missing"
        );
        assert_eq!(
            err(r#"{"eventId":"e","eventType":"MEETING_DELETED","data":{"roomId":1,"meetingId":null}}"#),
            "MEETING_DELETED: data.meetingId is missing"
        );
        let m = err(r#"{"eventId":"e","eventType":"MEETING_EXTENDED","data":{"meetingId":"m","endTime":"soon"}}"#);
        assert!(m.starts_with("MEETING_EXTENDED: ") && m.contains("soon"), "{m}");
        let m = err(r#"{"eventId":"e","eventType":"MEETING_EXTENDED","data":[1]}"#);
        assert!(m.starts_with("MEETING_EXTENDED: "), "{m}");
        assert!(
            WebhookError::Payload("x".into())
                .to_string()
                .contains("cannot be read: x")
        );
    }

    #[test]
    fn the_receiver_reads_the_body() {
        let body = br#"{"eventId":"e","eventType":"MEETING_CHECKED_OUT","data":{"meetingId":"m","endedTime":5}}"#;
        let event = WebhookReceiver::new().receive(&HeaderMap::new(), body).unwrap();
        assert_eq!(event.meeting().unwrap().data.ended_time, Some(5));
        assert_eq!(event.event_id(), Some("e"));
    }
}
