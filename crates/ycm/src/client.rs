//! The YCM client and its product description.

use std::sync::Arc;

use yeastar_transport::{Endpoint, Product, ProductSpec, Result, TokenSource};

use crate::auth::YcmTokenSource;
use crate::envelope::YcmEnvelope;
use crate::subordinates::Subordinates;
use crate::users::Users;

/// Yeastar Central Management, as a product for the transport: its host, token endpoint and
/// client type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ycm;

impl ProductSpec for Ycm {
    const PRODUCT: Product = Product::Ycm;
    const DEFAULT_BASE_URL: &'static str = "https://ycm.yeastar.com";
    type Client = Client;

    fn token_source() -> Arc<dyn TokenSource> {
        YcmTokenSource::shared()
    }
}

/// Builds a YCM [`Client`] (see [`Client::builder`]).
pub type ClientBuilder = yeastar_transport::ClientBuilder<Ycm>;

/// A YCM API client. Cheap to clone: clones share the connection pool and the token cache.
///
/// ```no_run
/// # async fn demo() -> yeastar_ycm::Result<()> {
/// use yeastar_ycm::{Client, Credentials};
/// let client = Client::builder()
///     .credentials(Credentials::client("client-id", "client-secret"))
///     .build()?;
/// let user = client.users().get(13329).await?;
/// println!("{:?}", user.email);
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
    /// A builder with YCM's defaults (`https://ycm.yeastar.com`).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The transport client underneath (configuration, token request count).
    pub fn transport(&self) -> &yeastar_transport::Client {
        &self.inner
    }

    /// Sends any YCM endpoint value (the resource handles do this for you).
    pub async fn send<E: Endpoint<Envelope = YcmEnvelope>>(&self, endpoint: &E) -> Result<E::Output> {
        self.inner.send(endpoint).await
    }

    /// YCM users: query, create, update, delete, subscriptions.
    pub fn users(&self) -> Users<'_> {
        Users::new(self)
    }

    /// The subordinate users of the account.
    pub fn subordinates(&self) -> Subordinates<'_> {
        Subordinates::new(self)
    }
}
