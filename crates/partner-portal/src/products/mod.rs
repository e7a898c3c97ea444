//! Products and pricing: the products the account may subscribe to, the plans and services of
//! a product, and the detail of a plan or add-on for a trial, a subscription or a renewal.

mod model;
mod requests;

use std::fmt;

use yeastar_transport::{Pages, Result};

pub use self::model::{PlanInfo, PricingItem, Product, ProductOffering, PurchaseType};
pub(crate) use self::requests::check_product_no;
pub use self::requests::{
    ADD_ON_INFO_PATH, GetPlanInfo, GetProductOffering, LIST_PRODUCTS_PATH, ListProducts, PLAN_INFO_PATH,
    PRODUCT_OFFERING_PATH,
};
use crate::client::Client;

/// The purchase catalogue of a [`Client`] (see [`Client::products`]).
#[derive(Clone, Copy)]
pub struct Products<'a> {
    client: &'a Client,
}

impl fmt::Debug for Products<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Products").finish_non_exhaustive()
    }
}

impl<'a> Products<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// The products the account may subscribe to
    /// (`GET /pricing/openapi/purchase/v1/product_list`); not paged: the stream reads one page.
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_partner_portal::Client) -> yeastar_partner_portal::Result<()> {
    /// use yeastar_partner_portal::ListProducts;
    /// for p in client.products().list(ListProducts::new()).try_collect().await? {
    ///     println!("{:?} {:?}", p.product_id, p.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, query: ListProducts) -> Pages<Product> {
        self.client.pages(query)
    }

    /// The plans and services of one product
    /// (`GET /pricing/openapi/purchase/v1/purchase_product_info`).
    pub async fn offering(&self, query: GetProductOffering) -> Result<ProductOffering> {
        self.client.send(&query).await
    }

    /// One plan or add-on for a trial, a subscription or a renewal
    /// (`GET /pricing/openapi/purchase/v1/{type}/plan_info/{id}` or `…/add_on_info/{id}`).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_partner_portal::Client) -> yeastar_partner_portal::Result<()> {
    /// use yeastar_partner_portal::{GetPlanInfo, PurchaseType};
    /// let plan = client
    ///     .products()
    ///     .plan_info(GetPlanInfo::plan(PurchaseType::Purchase, "3048571730026938368", 13))
    ///     .await?;
    /// println!("{:?} {:?} {:?}", plan.name, plan.price, plan.currency_code);
    /// # Ok(()) }
    /// ```
    pub async fn plan_info(&self, query: GetPlanInfo) -> Result<PlanInfo> {
        self.client.send(&query).await
    }
}
