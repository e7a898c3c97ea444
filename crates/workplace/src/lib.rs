//! Typed client for the [Yeastar Workplace OpenAPI](https://help.yeastar.com/en/workplace/developer-guide/):
//! access tokens, users, user groups, and event subscriptions with their webhooks.
//!
//! ```no_run
//! use yeastar_workplace::{Client, Credentials, ListUsers, Region};
//!
//! # async fn demo() -> yeastar_workplace::Result<()> {
//! let client = Client::builder_for_region(Region::Eu)
//!     .credentials(Credentials::client("client-id", "client-secret"))
//!     .build()?;
//!
//! // Change one field; last name, phone, floor, groups, id code (and the fields this SDK does
//! // not know) are kept; the face image cannot be read back (see below).
//! let done = client
//!     .users()
//!     .modify(54164, |user| user.email = "leo-new-email@yeastar.com".into())
//!     .await?;
//! println!("request {:?}", done.request_id);
//!
//! // Every user, page by page, lazily.
//! let mut users = client.users().list(ListUsers::new().query("Leo")).items();
//! while let Some(user) = users.next().await {
//!     let user = user?;
//!     println!("{:?} {:?}", user.member_id, user.email);
//! }
//! # Ok(()) }
//! ```
//!
//! # What the crate handles for you
//! - **Tokens** ([`WorkplaceTokenSource`]): `POST …/authentication/get_token` with the client
//!   credentials, then `…/refresh_token` (both tokens last 24 hours); the transport caches
//!   them, refreshes them before expiry and replays a call once after a rejected token. An
//!   explicit refusal of the credentials is final.
//! - **The envelope** ([`WorkplaceEnvelope`]): `{data, status, requestId}`, errors
//!   `{status: "Failed", errMsg, detailMsg}` as [`Error::Api`] (even on HTTP 200). Workplace
//!   documents no error codes; the ones the SDK reads are in [`ERROR_CODES`] (inferred). Writes
//!   answer a [`WriteResult`] (request id and the id the API returns: [`UserIds`] for a new
//!   user, the member id or group id otherwise).
//! - **Retries**: reads, updates and deletes are retried on transient failures; creates are
//!   never sent twice, and a create whose answer was lost is [`Error::OutcomeUnknown`]. A
//!   retried delete that finds the record gone is a success with `already_absent`.
//! - **Paging**: listings are lazy [`Pages`] streams, [`DEFAULT_PAGE_SIZE`] (50) items per page
//!   unless set; page 0 and size 0 are refused ([`MAX_PAGE_SIZE`]: Workplace documents no
//!   maximum).
//!
//! # Updates keep what can be read
//!
//! `PUT /services/openapi/v1.0/user/user_update` replaces the whole user: Yeastar warns that
//! "parameters not included in the request might be set to NULL or reset to default settings".
//! This crate therefore offers two ways to update a user:
//!
//! - [`UpdateUser`], the raw call, whose constructor demands every field the API requires, so a
//!   partial update cannot be written by accident;
//! - [`Users::modify`], which reads the user, lets you change what you want on a complete
//!   [`UpdateUser`] value, and sends it back whole, unknown fields included (read-modify-write,
//!   see its docs for the caveats).
//!
//! One thing cannot be kept: the face image, which `user_detail` does not return. An update
//! without `imageBase64` falls under the warning above and may clear it (the sandbox clears
//! it); set it on the update when the user has one (`wp user update` warns about this).
//!
//! # Hosts
//!
//! Accounts registered in Europe live on `https://eu.workplace.yeastar.com`; pick it with
//! [`Client::builder_for_region`] or [`ClientBuilderExt::region`]. An explicit
//! [`base_url`](yeastar_transport::ClientBuilder::base_url) always wins over the region.
//!
//! # Endpoints
//! | Operation | Call | Endpoint value |
//! |---|---|---|
//! | `GET /services/openapi/v1.0/user/user_detail/{memberId}` | [`Users::get`] | [`GetUser`] |
//! | `GET /services/openapi/v1.0/user/user_list` | [`Users::list`] | [`ListUsers`] |
//! | `POST /services/openapi/v1.0/user/user_create` | [`Users::create`] | [`CreateUser`] |
//! | `PUT /services/openapi/v1.0/user/user_update` | [`Users::update`], [`Users::modify`] | [`UpdateUser`] |
//! | `DELETE /services/openapi/v1.0/user/user_remove/{memberId}` | [`Users::delete`] | [`DeleteUser`] |
//! | `GET /services/openapi/v1.0/user/group_detail/{groupId}` | [`Groups::get`] | [`GetGroup`] |
//! | `GET /services/openapi/v1.0/user/group_list` | [`Groups::list`] | [`ListGroups`] |
//! | `POST /services/openapi/v1.0/user/group_create` | [`Groups::create`] | [`CreateGroup`] |
//! | `PUT /services/openapi/v1.0/user/group_update` | [`Groups::update`] | [`UpdateGroup`] |
//! | `DELETE /services/openapi/v1.0/user/group_delete/{groupId}` | [`Groups::delete`] | [`DeleteGroup`] |
//! | `POST /services/openapi/v1.0/integration/subscribe` | [`Events::subscribe`] | [`Subscribe`] |
//! | `DELETE /services/openapi/v1.0/integration/cancel_subscribe` | [`Events::cancel`] | [`CancelSubscription`] |
//!
//! # Events
//!
//! Workplace POSTs meeting events (`MEETING_CREATED`, …) to the Callback URI set in its admin
//! portal, once subscribed through [`Events::subscribe`]; [`webhooks`] reads them (the same
//! names as YCM's webhooks). See [`events`].

mod auth;
mod client;
mod envelope;
pub mod events;
pub mod groups;
mod image;
pub mod users;

pub use crate::auth::{
    ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME, REFRESH_TOKEN_PATH, TOKEN_PATH, WorkplaceTokenSource,
};
pub use crate::client::{Client, ClientBuilder, ClientBuilderExt, ERROR_CODES, Region, Workplace};
pub use crate::envelope::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PagedList, WorkplaceEnvelope};
pub use crate::events::{
    CancelSubscription, EventType, Events, MeetingData, MeetingEvent, Subscribe, WebhookEvent, webhooks,
};
pub use crate::groups::{CreateGroup, DeleteGroup, GetGroup, Group, GroupPage, Groups, ListGroups, UpdateGroup};
pub use crate::image::{Image, ImageFormat, MAX_IMAGE_BYTES};
pub use crate::users::{
    CreateUser, DeleteUser, GetUser, InviteStatus, ListUsers, Role, UpdateUser, User, UserIds, UserPage, Users,
};
pub use yeastar_transport::common::*;
