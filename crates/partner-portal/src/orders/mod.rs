//! Orders: create (plans and services, with the Cloud PBX block), list (paged), details.

mod model;
mod requests;

use std::fmt;

use yeastar_transport::{Pages, Result, WriteResult};

pub use self::model::{OperationType, Order, OrderDetails, OrderPage, OrderProduct, OrderStatus, ServiceType};
pub use self::requests::{
    CLOUD_PBX_EXTENSIONS, CLOUD_PBX_PRODUCT_ID, CREATE_ORDER_PATH, CreateOrder, GET_ORDER_PATH, GetOrder,
    LIST_ORDERS_PATH, ListOrders, OrderCreated, OrderItem, PceOrder,
};
use crate::client::Client;

/// The orders of a [`Client`] (see [`Client::orders`]).
#[derive(Clone, Copy)]
pub struct Orders<'a> {
    client: &'a Client,
}

impl fmt::Debug for Orders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Orders").finish_non_exhaustive()
    }
}

impl<'a> Orders<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Creates an order (`POST /order/openapi/order/v1/save`). **Never sent twice**; an answer
    /// lost on the way is [`Error::OutcomeUnknown`](yeastar_transport::Error::OutcomeUnknown).
    /// The result carries the new order's id when the API returns one (the answer is not
    /// documented; see [`OrderCreated`]).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_partner_portal::Client) -> yeastar_partner_portal::Result<()> {
    /// use yeastar_partner_portal::{CreateOrder, OperationType, OrderItem, PceOrder, PurchaseType};
    /// let done = client
    ///     .orders()
    ///     .create(
    ///         CreateOrder::new(OperationType::PurchasePlan, 13, "3081512345678901248")
    ///             .item(OrderItem::plan("3048571730026938368").quantity(20).purchase_type(PurchaseType::Purchase))
    ///             .pce(PceOrder::new("Acme HQ", "1", "11")),
    ///     )
    ///     .await?;
    /// println!("order {:?} (request {:?})", done.id, done.request_id);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, order: CreateOrder) -> Result<WriteResult<String>> {
        self.client.send(&order).await
    }

    /// Every order, as a lazy stream read page by page (`GET /order/openapi/order/v1/page`).
    pub fn list(&self, query: ListOrders) -> Pages<Order> {
        self.client.pages(query)
    }

    /// One order's details, by its id or order number (`GET /order/openapi/order/v1/get/{id}`).
    pub async fn get(&self, id: impl Into<String>) -> Result<OrderDetails> {
        self.client.send(&GetOrder::new(id)).await
    }
}
