//! The Partner Portal client and its product description.

use std::sync::Arc;

use yeastar_transport::{ErrorCodes, Product, ProductSpec, TokenSource};

use crate::auth::PpTokenSource;
use crate::billing::BillingContacts;
use crate::countries::Countries;
use crate::envelope::PpEnvelope;
use crate::licences::Licences;
use crate::orders::Orders;
use crate::products::Products;
use crate::regions::Regions;
use crate::users::Users;

/// Yeastar Partner Portal, as a product for the transport: its host, token endpoint, error
/// codes and client type.
#[derive(Debug, Clone, Copy, Default)]
pub struct PartnerPortal;

/// Partner Portal's error codes. Partner Portal publishes no error-code list, so:
///
/// - a rejected access token is recognised by HTTP 401 and Spring's OAuth `invalid_token`,
///   refused client credentials by HTTP 401 and OAuth `invalid_client` / `unauthorized_client`:
///   the transport knows those itself;
/// - `user_not_found`, `order_not_found`, `product_not_found` (not found) and
///   `too_many_requests` (rate limit) are **inferred**: they are the codes the sandbox answers
///   with (the lower-case names of its errors), not documented by Yeastar. Each comes with its
///   HTTP status (404, 429), which alone suffices.
pub const ERROR_CODES: ErrorCodes = ErrorCodes::new(
    &[],
    &[],
    &["user_not_found", "order_not_found", "product_not_found"],
    &["too_many_requests"],
);

impl ProductSpec for PartnerPortal {
    const PRODUCT: Product = Product::PartnerPortal;
    const DEFAULT_BASE_URL: &'static str = "https://openapi.partner.yeastar.com";
    const ERROR_CODES: ErrorCodes = ERROR_CODES;
    type Client = Client;

    fn token_source() -> Arc<dyn TokenSource> {
        PpTokenSource::shared()
    }
}

/// Builds a Partner Portal [`Client`] (see [`Client::builder`]).
pub type ClientBuilder = yeastar_transport::ClientBuilder<PartnerPortal>;

yeastar_transport::product_client! {
    /// A Partner Portal API client. Cheap to clone: clones share the connection pool and the
    /// token cache.
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
    pub struct Client for PartnerPortal, envelope PpEnvelope;
}

impl Client {
    /// Subordinate users (customers): get, list, create, edit.
    pub fn users(&self) -> Users<'_> {
        Users::new(self)
    }

    /// Billing contacts: list.
    pub fn billing_contacts(&self) -> BillingContacts<'_> {
        BillingContacts::new(self)
    }

    /// The country list.
    pub fn countries(&self) -> Countries<'_> {
        Countries::new(self)
    }

    /// Products and pricing: available products, plans and services, plan and add-on details.
    pub fn products(&self) -> Products<'_> {
        Products::new(self)
    }

    /// Orders: create, list, details.
    pub fn orders(&self) -> Orders<'_> {
        Orders::new(self)
    }

    /// The regions and domains a Cloud PBX can be ordered in.
    pub fn regions(&self) -> Regions<'_> {
        Regions::new(self)
    }

    /// Purchased products ("licences"): list, details, Software Edition activation code.
    pub fn licences(&self) -> Licences<'_> {
        Licences::new(self)
    }
}
