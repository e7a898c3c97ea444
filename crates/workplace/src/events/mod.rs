//! Workplace events: subscribe to and cancel webhook event notifications (`integration/…`),
//! and read the events Workplace POSTs ([`webhooks`]).
//!
//! 1. In the Workplace admin portal (Integration > API > Settings), set the **Callback URI**:
//!    the URL of your webhook (HTTPS with a valid certificate). There is no API for this; the
//!    portal's Test button sends a `WEBHOOK_TEST` event to it.
//! 2. Subscribe ([`Events::subscribe`]) to some or all of the eight meeting events.
//! 3. Read each delivery with a [`WebhookReceiver`](webhooks::WebhookReceiver) in your HTTP
//!    server, and answer `200 OK` within 60 seconds.
//!
//! Workplace documents no endpoint that lists the current subscriptions, and no webhook
//! signature (see [`webhooks`]).
//!
//! ```no_run
//! use yeastar_workplace::{EventType, Subscribe};
//!
//! # async fn demo(client: yeastar_workplace::Client) -> yeastar_workplace::Result<()> {
//! client
//!     .events()
//!     .subscribe(Subscribe::to([EventType::MeetingCreated, EventType::MeetingDeleted]))
//!     .await?;
//! // … later: no more events.
//! client.events().cancel().await?;
//! # Ok(()) }
//! ```

mod model;
mod requests;
pub mod webhooks;

use std::fmt;

use yeastar_transport::{Result, WriteResult};

pub use self::model::{EventType, MeetingData, MeetingEvent, WebhookEvent};
pub use self::requests::{CancelSubscription, Subscribe};
use crate::client::Client;

/// The event subscription of a [`Client`] (see [`Client::events`]).
#[derive(Clone, Copy)]
pub struct Events<'a> {
    client: &'a Client,
}

impl fmt::Debug for Events<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events").finish_non_exhaustive()
    }
}

impl<'a> Events<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Subscribes to events (`POST /services/openapi/v1.0/integration/subscribe`); see
    /// [`Subscribe`] for what is checked before sending.
    pub async fn subscribe(&self, subscribe: Subscribe) -> Result<WriteResult> {
        self.client.send(&subscribe).await
    }

    /// Cancels **every** subscription (`DELETE /services/openapi/v1.0/integration/cancel_subscribe`).
    pub async fn cancel(&self) -> Result<WriteResult> {
        self.client.send(&CancelSubscription::new()).await
    }
}
