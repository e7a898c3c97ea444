//! Purchased products ("licences"): list per product (paged), details, and the activation
//! code of a P-Series Software Edition.

mod model;
mod requests;

use std::fmt;

use yeastar_transport::{Pages, Result};

pub use self::model::{ActivationCode, ActivationStatus, Licence, LicencePage};
pub use self::requests::{
    ACTIVATION_CODE_PATH, GET_LICENCE_PATH, GetActivationCode, GetLicence, LIST_LICENCES_PATH, ListLicences,
    SOFTWARE_EDITION_PRODUCT_ID,
};
use crate::client::Client;

/// The purchased products of a [`Client`] (see [`Client::licences`]).
#[derive(Clone, Copy)]
pub struct Licences<'a> {
    client: &'a Client,
}

impl fmt::Debug for Licences<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Licences").finish_non_exhaustive()
    }
}

impl<'a> Licences<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// The purchased products of one product, as a lazy stream read page by page
    /// (`GET /product/openapi/instance_product/v1/client/instance_product_list`).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_partner_portal::Client) -> yeastar_partner_portal::Result<()> {
    /// use yeastar_partner_portal::ListLicences;
    /// let pbxs = client.licences().list(ListLicences::new(13)).try_collect().await?;
    /// for l in pbxs {
    ///     println!("{:?} {:?}", l.product_no, l.activation_status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, query: ListLicences) -> Pages<Licence> {
        self.client.pages(query)
    }

    /// One purchased product, by SN and product id
    /// (`GET /product/openapi/instance_product/v1/detail`).
    pub async fn get(&self, product_no: impl Into<String>, product_id: u32) -> Result<Licence> {
        self.client.send(&GetLicence::new(product_no, product_id)).await
    }

    /// The activation code of a P-Series Software Edition, by SN
    /// (`GET /product/openapi/instance_product/v1/activation_code`).
    pub async fn activation_code(&self, product_no: impl Into<String>) -> Result<ActivationCode> {
        self.client.send(&GetActivationCode::new(product_no)).await
    }
}
