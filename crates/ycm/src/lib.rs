//! Typed client for the Yeastar Central Management (YCM) OpenAPI: access tokens and the whole
//! YCM user API.
//!
//! ```no_run
//! use yeastar_ycm::{Client, Credentials, ListUsers, PbxCreationLimit, UpdateUser};
//!
//! # async fn demo() -> yeastar_ycm::Result<()> {
//! let client = Client::builder()
//!     .credentials(Credentials::client("client-id", "client-secret"))
//!     .build()?;
//!
//! // PUT /dm/open_api/v1/users/13329 {"company":"New Company Name"}
//! let done = client
//!     .users()
//!     .update(UpdateUser::new(13329).company("New Company Name"))
//!     .await?;
//! println!("request {:?} at {:?}", done.request_id, done.timestamp());
//!
//! // A reseller without a PBX creation limit, and without two-factor authentication.
//! client
//!     .users()
//!     .update(
//!         UpdateUser::new(13329)
//!             .pbx_creation_limit(PbxCreationLimit::Unlimited)
//!             .disable_two_factor_authentication(),
//!     )
//!     .await?;
//!
//! // Every user, read lazily 50 at a time.
//! let mut users = client.users().list(ListUsers::new()).items();
//! while let Some(user) = users.next().await {
//!     let user = user?;
//!     println!("{:?} {:?} {:?}", user.user_id, user.user_type, user.email);
//! }
//! # Ok(()) }
//! ```
//!
//! # What the crate handles for you
//! - **Tokens** ([`YcmTokenSource`]): `POST /dm/open_api/oauth/token` with the client
//!   credentials, then refresh tokens (15 days); the transport caches them, refreshes them
//!   before expiry and replays a call once after a rejected token. YCM blocks an IP after more
//!   than 5 failed authentications in a row, so a refused token request is never sent again by
//!   the same client: fix the credentials and build a new one.
//! - **The envelope** ([`YcmEnvelope`]): `{data, requestId, status, time}`. Only
//!   `status: "Success"` is a success; `"Failed"` is an [`Error::Api`] even on HTTP 200, with
//!   the request id to quote to Yeastar support. The documented error codes are read into
//!   [`ApiError::kind`]: 1000035/1000036 (token rejected: refreshed and replayed once),
//!   1000005/1000015 (not found), 1000040 (rate limit: retried after a backoff). Writes answer
//!   a [`WriteResult`] (request id, server time, the new id for creates).
//! - **Retries**: reads, updates and deletes are retried on transient failures; creates are
//!   never sent twice, and a create whose answer was lost is [`Error::OutcomeUnknown`].
//! - **Paging**: listings are lazy [`Pages`] streams, [`DEFAULT_PAGE_SIZE`] (50) items per
//!   page unless set; a page size above [`MAX_PAGE_SIZE`] (50) or a page 0 is refused.
//!
//! # Endpoints
//! | Operation | Call | Endpoint value |
//! |---|---|---|
//! | `GET /dm/open_api/v1/users/{userId}` | [`Users::get`] | [`GetUser`] |
//! | `GET /dm/open_api/v2/users` | [`Users::list`] | [`ListUsers`] |
//! | `POST /dm/open_api/v1/users` | [`Users::create`] | [`CreateUser`] |
//! | `PUT /dm/open_api/v1/users/{userId}` | [`Users::update`] | [`UpdateUser`] |
//! | `DELETE /dm/open_api/v1/users` | [`Users::delete`] | [`DeleteUsers`] |
//! | `PUT /dm/open_api/v1/users/{userId}/subscription_info` | [`Users::update_subscription`] | [`UpdateSubscription`] |
//! | `GET /dm/open_api/v1/user_info/subordinates` | [`Subordinates::list`] | [`ListSubordinates`] |

mod auth;
mod client;
mod envelope;
pub mod subordinates;
pub mod users;

pub use crate::auth::{ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME, TOKEN_PATH, YcmTokenSource};
pub use crate::client::{Client, ClientBuilder, ERROR_CODES, Ycm};
pub use crate::envelope::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PagedList, Sort, YcmEnvelope};
pub use crate::subordinates::{ListSubordinates, Subordinate, SubordinatePage, Subordinates};
pub use crate::users::{
    CreateUser, DeleteUsers, GetUser, HighAvailability, ListUsers, PbxCreationLimit, ResellerPackage,
    TwoFactorAuthentication, UpdateSubscription, UpdateUser, User, UserPage, UserType, Users,
};
pub use yeastar_transport::common::*;
