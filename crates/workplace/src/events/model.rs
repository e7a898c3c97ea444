//! Event types and the typed payloads of Workplace's webhook events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yeastar_transport::api_enum;
use yeastar_transport::lenient::{opt_i64, opt_string, opt_u64};

api_enum! {
    /// A Workplace event type: the values of `eventTypes` in a subscription, and of
    /// `eventType` in a delivery.
    pub enum EventType {
        /// `ALL`: every event (subscriptions only; never the type of a delivery).
        All => "ALL",
        /// `MEETING_CREATED`: a meeting room is booked.
        MeetingCreated => "MEETING_CREATED",
        /// `MEETING_UPDATED`: the details of a booking changed. When its **time** changes,
        /// Workplace sends `MEETING_DELETED` then `MEETING_CREATED` instead.
        MeetingUpdated => "MEETING_UPDATED",
        /// `MEETING_DELETED`: a booking is cancelled.
        MeetingDeleted => "MEETING_DELETED",
        /// `MEETING_REACHED_START_TIME`: a meeting reached its start time and nobody checked in.
        MeetingReachedStartTime => "MEETING_REACHED_START_TIME",
        /// `MEETING_CHECKED_IN`: someone checked in to a meeting.
        MeetingCheckedIn => "MEETING_CHECKED_IN",
        /// `MEETING_CHECKED_OUT`: a meeting was ended (checked out).
        MeetingCheckedOut => "MEETING_CHECKED_OUT",
        /// `MEETING_EXTENDED`: a meeting was extended.
        MeetingExtended => "MEETING_EXTENDED",
        /// `MEETING_REACHED_END_TIME`: a meeting reached its end time and nobody checked out.
        MeetingReachedEndTime => "MEETING_REACHED_END_TIME",
        /// `WEBHOOK_TEST`: sent by the **Test** button next to the Callback URI in the admin
        /// portal. Not a value of `eventTypes`: it cannot be subscribed to.
        WebhookTest => "WEBHOOK_TEST",
    }
}

impl EventType {
    /// The eight meeting events, the documented values of `eventTypes` besides `ALL`.
    pub const MEETING: [EventType; 8] = [
        EventType::MeetingCreated,
        EventType::MeetingUpdated,
        EventType::MeetingDeleted,
        EventType::MeetingReachedStartTime,
        EventType::MeetingCheckedIn,
        EventType::MeetingCheckedOut,
        EventType::MeetingExtended,
        EventType::MeetingReachedEndTime,
    ];
}

/// The `data` of a meeting event. Every meeting event carries `roomId`, `roomName` and
/// `meetingId`; the times depend on the event (each field says which events document it).
///
/// Numbers are read from numbers or numeric strings. Fields this SDK does not model are kept
/// in [`other`](Self::other).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingData {
    /// The meeting's id (`meetingId`, a string such as `WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd`).
    /// Required: a meeting event without it is refused with
    /// [`WebhookError::Payload`](crate::events::webhooks::WebhookError::Payload).
    #[serde(default, deserialize_with = "required_text")]
    pub meeting_id: String,
    /// The meeting room's id (`roomId`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub room_id: Option<u64>,
    /// The meeting room's name (`roomName`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub room_name: Option<String>,
    /// The meeting's start, Unix seconds (`startTime`: `MEETING_CREATED`, `MEETING_UPDATED`,
    /// `MEETING_REACHED_START_TIME`).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    /// The meeting's end, Unix seconds (`endTime`: `MEETING_CREATED`, `MEETING_UPDATED`,
    /// `MEETING_REACHED_END_TIME`, and for `MEETING_EXTENDED` the end after the extension).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    /// When someone checked in, Unix seconds (`checkedInTime`: `MEETING_CHECKED_IN`).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub checked_in_time: Option<i64>,
    /// When the meeting was checked out, Unix seconds (`endedTime`: `MEETING_CHECKED_OUT`).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub ended_time: Option<i64>,
    /// Fields of `data` this SDK does not model, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A string (or a number, kept as its text); absent or `null` reads as empty, which the
/// parser refuses with the field's name.
fn required_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string(d)?.unwrap_or_default())
}

/// One meeting event: the outer event object and its `data`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingEvent {
    /// The event's unique id (`eventId`, a UUID). Workplace retries a delivery that failed
    /// (up to 3 more times): \[I\] a retry carries the same id, so use it to drop duplicates.
    pub event_id: String,
    /// When the event happened, Unix seconds (`eventCreatedTime`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_created_time: Option<i64>,
    /// The API version of the payload (`eventVersion`, `"1.0"` in the documentation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// The meeting (`data`).
    pub data: MeetingData,
}

/// A Workplace webhook delivery, told apart by its `eventType`.
///
/// The names match YCM's [`WebhookEvent`](https://docs.rs/yeastar-ycm) (`yeastar_ycm::webhooks`):
/// one variant per documented event, and a variant that keeps what this SDK version does not
/// know.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookEvent {
    /// `MEETING_CREATED` (`startTime`, `endTime`, room, meeting).
    MeetingCreated(MeetingEvent),
    /// `MEETING_UPDATED` (`startTime`, `endTime`, room, meeting).
    MeetingUpdated(MeetingEvent),
    /// `MEETING_DELETED` (room, meeting).
    MeetingDeleted(MeetingEvent),
    /// `MEETING_REACHED_START_TIME` (`startTime`, room, meeting): nobody checked in yet.
    MeetingReachedStartTime(MeetingEvent),
    /// `MEETING_CHECKED_IN` (`checkedInTime`, room, meeting).
    MeetingCheckedIn(MeetingEvent),
    /// `MEETING_CHECKED_OUT` (`endedTime`, room, meeting).
    MeetingCheckedOut(MeetingEvent),
    /// `MEETING_EXTENDED` (`endTime` after the extension, room, meeting).
    MeetingExtended(MeetingEvent),
    /// `MEETING_REACHED_END_TIME` (`endTime`, room, meeting): nobody checked out.
    MeetingReachedEndTime(MeetingEvent),
    /// `WEBHOOK_TEST`, from the admin portal's Test button. Its payload is not documented:
    /// the whole body is kept as JSON.
    WebhookTest(Value),
    /// An event type this SDK version does not know: its `eventType` and the whole body.
    Unknown {
        /// The `eventType` as sent.
        event_type: String,
        /// The whole body.
        raw: Value,
    },
}

impl WebhookEvent {
    /// The event's type (`eventType`).
    pub fn event_type(&self) -> EventType {
        match self {
            WebhookEvent::MeetingCreated(_) => EventType::MeetingCreated,
            WebhookEvent::MeetingUpdated(_) => EventType::MeetingUpdated,
            WebhookEvent::MeetingDeleted(_) => EventType::MeetingDeleted,
            WebhookEvent::MeetingReachedStartTime(_) => EventType::MeetingReachedStartTime,
            WebhookEvent::MeetingCheckedIn(_) => EventType::MeetingCheckedIn,
            WebhookEvent::MeetingCheckedOut(_) => EventType::MeetingCheckedOut,
            WebhookEvent::MeetingExtended(_) => EventType::MeetingExtended,
            WebhookEvent::MeetingReachedEndTime(_) => EventType::MeetingReachedEndTime,
            WebhookEvent::WebhookTest(_) => EventType::WebhookTest,
            WebhookEvent::Unknown { event_type, .. } => EventType::Unknown(event_type.clone()),
        }
    }

    /// The meeting event, for the eight meeting variants.
    pub fn meeting(&self) -> Option<&MeetingEvent> {
        match self {
            WebhookEvent::MeetingCreated(m)
            | WebhookEvent::MeetingUpdated(m)
            | WebhookEvent::MeetingDeleted(m)
            | WebhookEvent::MeetingReachedStartTime(m)
            | WebhookEvent::MeetingCheckedIn(m)
            | WebhookEvent::MeetingCheckedOut(m)
            | WebhookEvent::MeetingExtended(m)
            | WebhookEvent::MeetingReachedEndTime(m) => Some(m),
            WebhookEvent::WebhookTest(_) | WebhookEvent::Unknown { .. } => None,
        }
    }

    /// The event's id (`eventId`), to drop the duplicates of a retried delivery; `None` when
    /// a test or unknown event has none.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            WebhookEvent::WebhookTest(raw) | WebhookEvent::Unknown { raw, .. } => {
                raw.get("eventId").and_then(Value::as_str)
            }
            other => other.meeting().map(|m| m.event_id.as_str()),
        }
    }
}
