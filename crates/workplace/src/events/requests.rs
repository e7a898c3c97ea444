//! The event-subscription endpoints as request values.

use serde::Serialize;
use serde::de::IgnoredAny;
use yeastar_transport::{Endpoint, Error, Meta, Request, Result, WriteResult};

use super::model::EventType;
use crate::envelope::WorkplaceEnvelope;

/// `POST /services/openapi/v1.0/integration/subscribe`: subscribes to events, which Workplace
/// then POSTs to the **Callback URI** set in the admin portal (Integration > API > Settings;
/// there is no API to set it).
///
/// - [`Subscribe::all`] sends `{"eventTypes":["ALL"]}`.
/// - [`Subscribe::to`] sends the listed types. Checked before sending
///   ([`Error::InvalidInput`] on `eventTypes`, nothing sent): the list must not be empty
///   (Workplace reads an empty list as *every* event, which a list that ended up empty by
///   mistake must not silently become); `ALL` only alone; `WEBHOOK_TEST` is refused (it
///   is sent by the portal's Test button and is not a documented value); a type this SDK
///   does not know is sent as given if it looks like one (`A-Z`, `0-9`, `_`).
///
/// \[UNKNOWN\] whether a second subscription replaces or extends the first (the sandbox
/// replaces it). The answer has no data: the result carries the request id.
///
/// ```
/// use yeastar_workplace::{Endpoint, Error, EventType, Subscribe};
/// // The documentation's example.
/// let subscribe = Subscribe::to([EventType::MeetingCreated, EventType::MeetingUpdated]);
/// // Refused before anything is sent.
/// assert!(matches!(Subscribe::to([]).request(), Err(Error::InvalidInput { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscribe {
    event_types: Vec<EventType>,
}

impl Subscribe {
    /// Every event (`eventTypes: ["ALL"]`).
    pub fn all() -> Self {
        Self {
            event_types: vec![EventType::All],
        }
    }

    /// The events `event_types` (not empty: see the type's docs).
    pub fn to(event_types: impl IntoIterator<Item = EventType>) -> Self {
        Self {
            event_types: event_types.into_iter().collect(),
        }
    }

    /// The event types that will be sent.
    pub fn event_types(&self) -> &[EventType] {
        &self.event_types
    }

    fn check(&self) -> Result<()> {
        let bad = |m: String| Err(Error::invalid_input("eventTypes", m));
        if self.event_types.is_empty() {
            return bad(
                "no event type: Workplace reads an empty list as every event; use Subscribe::all() for that".into(),
            );
        }
        if self.event_types.len() > 1 && self.event_types.contains(&EventType::All) {
            return bad("ALL covers every event: send it alone".into());
        }
        for t in &self.event_types {
            match t {
                EventType::WebhookTest => {
                    return bad(
                        "WEBHOOK_TEST is sent by the admin portal's Test button and cannot be subscribed to".into(),
                    );
                }
                EventType::Unknown(s) => {
                    let looks_like_a_type = !s.is_empty()
                        && s.bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
                    if !looks_like_a_type {
                        return bad(format!(
                            "{s:?} is not an event type (upper-case names such as MEETING_CREATED)"
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl Endpoint for Subscribe {
    type Envelope = WorkplaceEnvelope;
    type Data = Option<IgnoredAny>;
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        self.check()?;
        // Sending the same subscription again leaves the same state: safe to retry.
        Ok(Request::post("/services/openapi/v1.0/integration/subscribe")
            .json(self)
            .idempotent(true))
    }

    fn output(_: Option<IgnoredAny>, meta: &Meta<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_meta(meta))
    }
}

/// `DELETE /services/openapi/v1.0/integration/cancel_subscribe`: cancels **every**
/// subscription (the endpoint takes no parameter); Workplace then sends no more events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CancelSubscription;

impl CancelSubscription {
    /// Cancels every subscription.
    pub fn new() -> Self {
        Self
    }
}

impl Endpoint for CancelSubscription {
    type Envelope = WorkplaceEnvelope;
    type Data = Option<IgnoredAny>;
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        Ok(Request::delete("/services/openapi/v1.0/integration/cancel_subscribe"))
    }

    fn output(_: Option<IgnoredAny>, meta: &Meta<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_meta(meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(s: Subscribe) -> String {
        match s.request() {
            Err(Error::InvalidInput { field, message }) if field == "eventTypes" => message,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bodies() {
        let doc = Subscribe::to([EventType::MeetingCreated, EventType::MeetingUpdated]);
        assert_eq!(
            serde_json::to_value(&doc).unwrap(),
            json!({"eventTypes": ["MEETING_CREATED", "MEETING_UPDATED"]})
        );
        assert_eq!(
            serde_json::to_value(Subscribe::all()).unwrap(),
            json!({"eventTypes": ["ALL"]})
        );
        assert_eq!(
            serde_json::to_value(Subscribe::to(EventType::MEETING)).unwrap()["eventTypes"]
                .as_array()
                .unwrap()
                .len(),
            8
        );
        let r = Subscribe::to([EventType::from("DESK_BOOKED_V2")]).request().unwrap();
        assert!(r.is_idempotent());
        assert_eq!(
            r.path_and_query().unwrap(),
            "/services/openapi/v1.0/integration/subscribe"
        );
    }

    #[test]
    fn bad_lists_are_refused_before_sending() {
        assert!(refused(Subscribe::to([])).contains("Subscribe::all()"));
        assert!(refused(Subscribe::to([EventType::All, EventType::MeetingCreated])).contains("alone"));
        assert!(refused(Subscribe::to([EventType::WebhookTest])).contains("Test button"));
        assert!(refused(Subscribe::to([EventType::from("meeting_created")])).contains("\"meeting_created\""));
        assert!(refused(Subscribe::to([EventType::from("")])).contains("not an event type"));
        assert!(Subscribe::to([EventType::All]).request().is_ok());
    }
}
