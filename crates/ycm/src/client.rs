//! The YCM client and its product description.

use std::sync::Arc;

use yeastar_transport::{ErrorCodes, Product, ProductSpec, TokenSource};

use crate::auth::YcmTokenSource;
use crate::cloud_pbx::CloudPbxs;
use crate::customers::Customers;
use crate::dids::Dids;
use crate::domains::Domains;
use crate::envelope::YcmEnvelope;
use crate::firmware::Firmware;
use crate::regions::Regions;
use crate::shared_trunks::SharedTrunks;
use crate::subordinates::Subordinates;
use crate::users::Users;

/// Yeastar Central Management, as a product for the transport: its host, token endpoint,
/// documented error codes and client type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ycm;

/// YCM's documented error codes (YCM API guide, "Error Code"): 1000035 TOKEN_EXPIRED and
/// 1000036 INVALID_TOKEN (the call is replayed once with a new token), 1000033 INVALID_CLIENT
/// and 1000002 AUTHENTICATION_FAILED from the token endpoint (final: never asked again, since
/// YCM blocks an IP after repeated failures), 1000005 DATA_NOT_FOUND and 1000015
/// USER_NOT_FOUND, 1000040 RATE_LIMIT_EXCEEDED (retried after a backoff).
pub const ERROR_CODES: ErrorCodes = ErrorCodes::new(
    &["1000035", "1000036"],
    &["1000033", "1000002"],
    &["1000005", "1000015"],
    &["1000040"],
);

impl ProductSpec for Ycm {
    const PRODUCT: Product = Product::Ycm;
    const DEFAULT_BASE_URL: &'static str = "https://ycm.yeastar.com";
    const ERROR_CODES: ErrorCodes = ERROR_CODES;
    type Client = Client;

    fn token_source() -> Arc<dyn TokenSource> {
        YcmTokenSource::shared()
    }
}

/// Builds a YCM [`Client`] (see [`Client::builder`]).
pub type ClientBuilder = yeastar_transport::ClientBuilder<Ycm>;

yeastar_transport::product_client! {
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
    pub struct Client for Ycm, envelope YcmEnvelope;
}

impl Client {
    /// YCM users: query, create, update, delete, subscriptions.
    pub fn users(&self) -> Users<'_> {
        Users::new(self)
    }

    /// The subordinate users of the account.
    pub fn subordinates(&self) -> Subordinates<'_> {
        Subordinates::new(self)
    }

    /// Customers: query, create, update (a full replace), modify, delete.
    pub fn customers(&self) -> Customers<'_> {
        Customers::new(self)
    }

    /// Cloud PBX instances: query, create and wait, update, start, stop, resize, delete,
    /// customers, activation, DID bindings.
    pub fn cloud_pbxs(&self) -> CloudPbxs<'_> {
        CloudPbxs::new(self)
    }

    /// The regions a Cloud PBX can run in.
    pub fn regions(&self) -> Regions<'_> {
        Regions::new(self)
    }

    /// The domain names of regions.
    pub fn domains(&self) -> Domains<'_> {
        Domains::new(self)
    }

    /// The available PBX firmware.
    pub fn firmware(&self) -> Firmware<'_> {
        Firmware::new(self)
    }

    /// Shared trunks (for DID bindings).
    pub fn shared_trunks(&self) -> SharedTrunks<'_> {
        SharedTrunks::new(self)
    }

    /// DID numbers of shared trunks.
    pub fn dids(&self) -> Dids<'_> {
        Dids::new(self)
    }
}
