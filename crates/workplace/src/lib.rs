//! Client for the [Yeastar Workplace OpenAPI](https://help.yeastar.com/en/workplace/developer-guide/):
//! access tokens, users and user groups.
//!
//! Built on [`yeastar_transport`], which handles HTTP, the token cache (fetched on first use,
//! refreshed before expiry, replayed once on a rejected token), retries, timeouts and tracing.
//!
//! # Updates never wipe data
//!
//! `PUT /services/openapi/v1.0/user/user_update` replaces the whole user: Yeastar warns that
//! "parameters not included in the request might be set to NULL or reset to default settings".
//! This crate therefore offers two ways to update a user:
//!
//! - [`UpdateUser`], the raw call, whose constructor demands every field the API requires, so a
//!   partial update cannot be written by accident;
//! - [`Users::modify`], which reads the user, lets you change what you want on a complete
//!   [`UpdateUser`] value, and sends it back whole (read-modify-write, see its docs for the
//!   caveats).
//!
//! # Example
//!
//! ```no_run
//! use yeastar_workplace::{Client, Credentials, ListUsers, Region};
//!
//! # async fn demo() -> Result<(), yeastar_workplace::Error> {
//! let client = Client::builder_for_region(Region::Eu)
//!     .credentials(Credentials::client("client-id", "client-secret"))
//!     .build()?;
//!
//! // Change one field; last name, phone, floor, groups and id code are kept.
//! client
//!     .users()
//!     .modify(54164, |user| user.email = "leo-new-email@yeastar.com".into())
//!     .await?;
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
//! # Hosts
//!
//! Accounts registered in Europe live on `https://eu.workplace.yeastar.com`; pick it with
//! [`Client::builder_for_region`] or [`ClientBuilderExt::region`]. An explicit
//! [`base_url`](yeastar_transport::ClientBuilder::base_url) always wins over the region.

mod auth;
mod envelope;
mod groups;
mod image;
mod users;

use std::borrow::Cow;
use std::sync::Arc;

pub use yeastar_transport::{
    ApiError, AuthError, AuthErrorKind, Credentials, Endpoint, Error, Items, Page, Pages, Payload, Request, Result,
    RetryPolicy, Secret, Timeouts,
};

pub use crate::auth::{REFRESH_TOKEN_LIFETIME, WorkplaceTokenSource};
pub use crate::envelope::WorkplaceEnvelope;
pub use crate::groups::{
    CreateGroup, DeleteGroup, GetGroup, Group, GroupPage, GroupRef, Groups, ListGroups, UpdateGroup,
};
pub use crate::image::{Image, ImageFormat, MAX_IMAGE_BYTES};
pub use crate::users::{
    CreateUser, CreatedUser, GetUser, InviteStatus, ListUsers, RemoveUser, Role, UpdateUser, User, UserPage, UserRef,
    Users,
};

/// A write's answer, which also carries the envelope's request id.
pub(crate) trait WriteAnswer: serde::de::DeserializeOwned {
    fn set_request_id(&mut self, id: Option<String>);
}

/// Decodes a write's `data` and attaches the request id of the envelope.
pub(crate) fn decode_write<T: WriteAnswer>(payload: &Payload<'_>) -> Result<T> {
    let mut answer: T = payload.json()?;
    answer.set_request_id(payload.request_id().map(str::to_owned));
    Ok(answer)
}

/// The page size used by listings when the caller sets none (Yeastar documents no default).
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// The Yeastar Workplace product, as the transport sees it.
#[derive(Debug, Clone, Copy)]
pub struct Workplace;

impl yeastar_transport::ProductSpec for Workplace {
    const PRODUCT: yeastar_transport::Product = yeastar_transport::Product::Workplace;
    const DEFAULT_BASE_URL: &'static str = Region::Global.base_url();
    type Client = Client;

    fn token_source() -> Arc<dyn yeastar_transport::TokenSource> {
        Arc::new(WorkplaceTokenSource)
    }
}

/// Where a Workplace account is hosted.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    /// `https://workplace.yeastar.com` (the default).
    #[default]
    Global,
    /// `https://eu.workplace.yeastar.com`, for accounts registered in Europe.
    Eu,
}

impl Region {
    /// The production base URL of the region.
    pub const fn base_url(self) -> &'static str {
        match self {
            Region::Global => "https://workplace.yeastar.com",
            Region::Eu => "https://eu.workplace.yeastar.com",
        }
    }
}

/// The builder of a Workplace [`Client`].
pub type ClientBuilder = yeastar_transport::ClientBuilder<Workplace>;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::ClientBuilder {}
}

/// Workplace settings on the [`ClientBuilder`].
pub trait ClientBuilderExt: sealed::Sealed + Sized {
    /// Uses the host of `region`. An explicit
    /// [`base_url`](yeastar_transport::ClientBuilder::base_url) wins, whichever is called first.
    fn region(self, region: Region) -> Self;
}

impl ClientBuilderExt for ClientBuilder {
    fn region(self, region: Region) -> Self {
        // Only the default changes, so that a base_url set before or after still wins.
        self.default_base_url(Cow::Borrowed(region.base_url()))
    }
}

/// A Yeastar Workplace client. Cheap to clone; clones share connections and the token cache.
///
/// ```no_run
/// # fn demo() -> Result<(), yeastar_workplace::Error> {
/// use yeastar_workplace::{Client, Credentials};
/// let client = Client::builder()
///     .credentials(Credentials::client("client-id", "client-secret"))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: yeastar_transport::Client,
}

impl From<yeastar_transport::Client> for Client {
    fn from(inner: yeastar_transport::Client) -> Self {
        Self { inner }
    }
}

impl Client {
    /// A builder for the global host (`https://workplace.yeastar.com`).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A builder for the host of `region`.
    pub fn builder_for_region(region: Region) -> ClientBuilder {
        ClientBuilder::new().region(region)
    }

    /// The transport client underneath (configuration, token statistics, raw requests).
    pub fn transport(&self) -> &yeastar_transport::Client {
        &self.inner
    }

    /// Sends any Workplace endpoint.
    pub async fn send<E: Endpoint<Envelope = WorkplaceEnvelope>>(&self, endpoint: &E) -> Result<E::Output> {
        self.inner.send(endpoint).await
    }

    /// Users: list, read, create, update, modify, remove.
    pub fn users(&self) -> Users<'_> {
        Users::new(self)
    }

    /// User groups: list, read, create, rename, delete.
    pub fn groups(&self) -> Groups<'_> {
        Groups::new(self)
    }
}
