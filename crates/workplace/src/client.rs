//! The Workplace client, its hosts and its product description.

use std::borrow::Cow;
use std::sync::Arc;

use yeastar_transport::{ErrorCodes, Product, ProductSpec, TokenSource};

use crate::auth::WorkplaceTokenSource;
use crate::envelope::WorkplaceEnvelope;
use crate::events::Events;
use crate::groups::Groups;
use crate::users::Users;

/// Yeastar Workplace, as a product for the transport: its host, token endpoint, error codes
/// and client type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Workplace;

/// Workplace's error codes (`errMsg`). Yeastar documents none (the only example is
/// `ACCESS_DENIED`), so these are **inferred**: they are the codes the sandbox answers with.
///
/// - `INVALID_TOKEN`, `TOKEN_EXPIRED`: the access token was rejected (also recognised by
///   HTTP 401): the call is replayed once with a new token;
/// - `INVALID_CLIENT` from a token endpoint: the client credentials were refused (final);
/// - `USER_NOT_FOUND`, `GROUP_NOT_FOUND`: the record does not exist (also HTTP 404);
/// - `TOO_MANY_REQUESTS`: the rate limit was hit (also HTTP 429): retried after a backoff.
pub const ERROR_CODES: ErrorCodes = ErrorCodes::new(
    &["INVALID_TOKEN", "TOKEN_EXPIRED"],
    &["INVALID_CLIENT"],
    &["USER_NOT_FOUND", "GROUP_NOT_FOUND"],
    &["TOO_MANY_REQUESTS"],
);

impl ProductSpec for Workplace {
    const PRODUCT: Product = Product::Workplace;
    const DEFAULT_BASE_URL: &'static str = Region::Global.base_url();
    const ERROR_CODES: ErrorCodes = ERROR_CODES;
    type Client = Client;

    fn token_source() -> Arc<dyn TokenSource> {
        WorkplaceTokenSource::shared()
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

/// Builds a Workplace [`Client`] (see [`Client::builder`] and [`Client::builder_for_region`]).
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

yeastar_transport::product_client! {
    /// A Yeastar Workplace API client. Cheap to clone: clones share the connection pool and the
    /// token cache.
    ///
    /// ```no_run
    /// # async fn demo() -> yeastar_workplace::Result<()> {
    /// use yeastar_workplace::{Client, Credentials};
    /// let client = Client::builder()
    ///     .credentials(Credentials::client("client-id", "client-secret"))
    ///     .build()?;
    /// let user = client.users().get(54164).await?;
    /// println!("{:?}", user.email);
    /// # Ok(()) }
    /// ```
    pub struct Client for Workplace, envelope WorkplaceEnvelope;
}

impl Client {
    /// A builder for the host of `region`.
    pub fn builder_for_region(region: Region) -> ClientBuilder {
        Self::builder().region(region)
    }

    /// Users: get, list, create, update, modify, delete.
    pub fn users(&self) -> Users<'_> {
        Users::new(self)
    }

    /// User groups: get, list, create, update, delete.
    pub fn groups(&self) -> Groups<'_> {
        Groups::new(self)
    }

    /// Event subscription: subscribe, cancel (the events themselves: [`crate::webhooks`]).
    pub fn events(&self) -> Events<'_> {
        Events::new(self)
    }
}
