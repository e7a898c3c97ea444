//! The Partner Portal client.

use yeastar_transport::{Endpoint, Result};

use crate::PartnerPortal;
use crate::billing::Billing;
use crate::countries::Countries;
use crate::envelope::PpEnvelope;
use crate::users::Users;

/// Builds a [`Client`]: `Client::builder().credentials(..).build()`.
///
/// See [`yeastar_transport::ClientBuilder`] for every option (base URL, app name, timeouts,
/// retries, token store).
pub type ClientBuilder = yeastar_transport::ClientBuilder<PartnerPortal>;

/// A Partner Portal client. Cheap to clone: clones share the connection pool and the token
/// cache.
///
/// ```no_run
/// # async fn demo() -> yeastar_partner_portal::Result<()> {
/// use yeastar_partner_portal::{Client, Credentials};
/// let client = Client::builder()
///     .credentials(Credentials::client("client-id", "client-secret"))
///     .build()?;
/// let user = client.users().get("color123@yeastar.com").await?;
/// println!("{:?} {:?}", user.first_name, user.company);
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
    /// A builder with the Partner Portal defaults (`https://openapi.partner.yeastar.com`).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The underlying transport client (configuration, token request count).
    pub fn transport(&self) -> &yeastar_transport::Client {
        &self.inner
    }

    /// Sends any Partner Portal endpoint value (for example [`users::GetUser`](crate::users::GetUser)).
    pub async fn send<E: Endpoint<Envelope = PpEnvelope>>(&self, endpoint: &E) -> Result<E::Output> {
        self.inner.send(endpoint).await
    }

    /// Subordinate users (customers): get, list, create, edit.
    pub fn users(&self) -> Users<'_> {
        Users::new(self)
    }

    /// Billing contacts.
    pub fn billing(&self) -> Billing<'_> {
        Billing::new(self)
    }

    /// The country list.
    pub fn countries(&self) -> Countries<'_> {
        Countries::new(self)
    }
}
