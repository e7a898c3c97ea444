//! The order endpoints as request values.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use yeastar_transport::{ApiError, Endpoint, Error, Meta, Product, Request, Result, WriteResult, validate};

use super::model::{OperationType, OrderDetails, OrderPage, ServiceType};
use crate::envelope::{DEFAULT_PAGE_SIZE, PpEnvelope, check_page};
use crate::id::{check_long, check_numeric, is_numeric};
use crate::products::{PurchaseType, check_product_no};

/// `POST` a new order.
pub const CREATE_ORDER_PATH: &str = "/order/openapi/order/v1/save";
/// `GET` one page of the order list.
pub const LIST_ORDERS_PATH: &str = "/order/openapi/order/v1/page";
/// `GET` one order's details.
pub const GET_ORDER_PATH: &str = "/order/openapi/order/v1/get/{id}";

/// The product id of a P-Series Cloud PBX (PCE instance).
pub const CLOUD_PBX_PRODUCT_ID: u32 = 13;
/// The extensions a Cloud PBX plan may be ordered with (documented: 5–500).
pub const CLOUD_PBX_EXTENSIONS: std::ops::RangeInclusive<u32> = 5..=500;

// ---------------------------------------------------------------------------------------------
// Create an order

/// One plan or service of an order (`Service_List`).
///
/// \[I\] The `Service_List` table of the docs was cut off: the fields below come from the
/// purchase tutorials, which name them without saying which object holds them; the SDK puts
/// them in the `serviceList` items. Ids are sent as JSON **strings** (19-digit numbers lose
/// precision as floating point). Unset fields are left out.
///
/// ```
/// use yeastar_partner_portal::{OrderItem, PurchaseType};
/// // The Cloud PBX tutorial: an Enterprise Plan for 20 extensions, billed yearly.
/// let plan = OrderItem::plan("3048571730026938368")
///     .quantity(20)
///     .purchase_type(PurchaseType::Purchase)
///     .billing_model("recurring")
///     .billing_cycle("annually")
///     .multi_cycle(0);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    service_type: ServiceType,
    service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_plan_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purchase_type: Option<PurchaseType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_cycle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    multi_cycle: Option<u32>,
}

impl OrderItem {
    /// A plan (`serviceType: plan`), by plan id.
    pub fn plan(plan_id: impl Into<String>) -> Self {
        Self::new(ServiceType::Plan, plan_id.into())
    }

    /// A service (`serviceType: service`), by service id.
    pub fn service(service_id: impl Into<String>) -> Self {
        Self::new(ServiceType::Service, service_id.into())
    }

    fn new(service_type: ServiceType, service_id: String) -> Self {
        Self {
            service_type,
            service_id,
            connection_plan_id: None,
            quantity: None,
            purchase_type: None,
            billing_model: None,
            billing_cycle: None,
            multi_cycle: None,
        }
    }

    yeastar_transport::setters! {
        /// The plan the service goes with: required on a service ordered together with a plan
        /// (it equals that plan's id), or the current plan when expanding an existing product.
        connection_plan_id: String => "connectionPlanId",
        /// How many (Cloud PBX plan: extensions, 5–500).
        quantity = u32 => "quantity",
        purchase_type: PurchaseType => "purchaseType",
        /// `recurring` in every tutorial.
        billing_model: String => "billingModel",
        /// E.g. `annually`.
        billing_cycle: String => "billingCycle",
        /// The interval of recurring billing (`0` in the tutorials).
        multi_cycle = u32 => "multiCycle",
    }

    /// Whether this item is a plan.
    pub fn is_plan(&self) -> bool {
        self.service_type == ServiceType::Plan
    }
}

/// The Cloud PBX part of an order (`orderPceSpecialRequest`, `PCEorder_Request`): required when
/// purchasing a P-Series Cloud PBX (product 13).
///
/// \[I\] The sub-fields were cut off in the docs; `pbxName`, `regionId` and `pbxSubDomainId`
/// come from the Cloud PBX tutorial (values from [`Regions::list`](crate::Regions::list)). A
/// field the SDK does not name (such as the sub-domain prefix the tutorial mentions) can be
/// added with [`PceOrder::field`].
///
/// ```
/// use yeastar_partner_portal::PceOrder;
/// let pce = PceOrder::new("Acme HQ", "1", "11").field("pbxSubDomain", "acme");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PceOrder {
    pbx_name: String,
    region_id: String,
    pbx_sub_domain_id: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl PceOrder {
    /// A Cloud PBX named `pbx_name` (its name in YCM), in region `region_id`, under the domain
    /// `pbx_sub_domain_id` of that region.
    pub fn new(
        pbx_name: impl Into<String>,
        region_id: impl Into<String>,
        pbx_sub_domain_id: impl Into<String>,
    ) -> Self {
        Self {
            pbx_name: pbx_name.into(),
            region_id: region_id.into(),
            pbx_sub_domain_id: pbx_sub_domain_id.into(),
            extra: Map::new(),
        }
    }

    /// Adds an undocumented field to the block, sent as is. A name the SDK sets itself is
    /// refused when the order is sent.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }
}

/// `POST /order/openapi/order/v1/save`: creates an order for a plan or service.
///
/// Required: `operationType`, `productId`, `billingId` (a billing contact's id, sent as a JSON
/// number: the API types it Long) and at least one item. Checked before sending, so that
/// nothing is sent when it would be refused or would order the wrong thing:
///
/// - `billingId` is a number that fits a Long, and the plan and service ids are made of digits;
/// - a service ordered together with a plan has `connectionPlanId` equal to that plan's id;
/// - a switch or a renewal names the existing product (`productNo`, its SN), and so does any
///   order for Linkus Cloud Service (9) or P-Series Plan for Appliance Edition (11), bought per device;
/// - buying a Cloud PBX plan (product 13, `purchase_plan`) carries the [`PceOrder`] block and
///   orders 5–500 extensions.
///
/// **Never sent twice**: an order costs money. A create whose answer was lost (timeout,
/// connection reset, HTTP 5xx after sending) is [`Error::OutcomeUnknown`]: look at the order
/// list before ordering again.
///
/// ```
/// use yeastar_partner_portal::{CreateOrder, OperationType, OrderItem, PceOrder, PurchaseType};
/// // The Cloud PBX tutorial: a new PCE with the Enterprise Plan, 20 extensions, for a customer.
/// let order = CreateOrder::new(OperationType::PurchasePlan, 13, "3081512345678901248")
///     .assign_id("3076915454489739264")
///     .item(
///         OrderItem::plan("3048571730026938368")
///             .quantity(20)
///             .purchase_type(PurchaseType::Purchase)
///             .billing_model("recurring")
///             .billing_cycle("annually")
///             .multi_cycle(0),
///     )
///     .pce(PceOrder::new("Acme HQ", "1", "11"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrder {
    operation_type: OperationType,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_no: Option<String>,
    product_id: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    assign_id: Option<String>,
    #[serde(serialize_with = "as_number")]
    billing_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    po_number: Option<String>,
    service_list: Vec<OrderItem>,
    #[serde(rename = "orderPceSpecialRequest", skip_serializing_if = "Option::is_none")]
    pce: Option<PceOrder>,
}

/// A digits-only id as a JSON number (checked in `request` before the body is built).
fn as_number<S: Serializer>(id: &str, s: S) -> std::result::Result<S::Ok, S::Error> {
    let n: u64 = id.parse().map_err(serde::ser::Error::custom)?;
    s.serialize_u64(n)
}

impl CreateOrder {
    /// An order of product `product_id`, invoiced to billing contact `billing_id`; add its
    /// items with [`CreateOrder::item`].
    pub fn new(operation_type: OperationType, product_id: u32, billing_id: impl Into<String>) -> Self {
        Self {
            operation_type,
            product_no: None,
            product_id,
            assign_id: None,
            billing_id: billing_id.into(),
            po_number: None,
            service_list: Vec::new(),
            pce: None,
        }
    }

    /// Adds a plan or service.
    pub fn item(mut self, item: OrderItem) -> Self {
        self.service_list.push(item);
        self
    }

    /// Sets the Cloud PBX block (`orderPceSpecialRequest`).
    pub fn pce(mut self, pce: PceOrder) -> Self {
        self.pce = Some(pce);
        self
    }

    yeastar_transport::setters! {
        /// The existing product's SN; required for switches and renewals.
        product_no: String => "productNo",
        /// The subordinate user (customer) the product is for: its `partnerId`.
        assign_id: String => "assignId",
        po_number: String => "poNumber",
    }

    /// The items, as they will be sent.
    pub fn items(&self) -> &[OrderItem] {
        &self.service_list
    }

    fn check(&self) -> Result<()> {
        if let OperationType::Unknown(op) = &self.operation_type {
            validate::required("operationType", op)?;
        }
        check_long("billingId", &self.billing_id)?;
        if let Some(assign) = &self.assign_id {
            validate::required("assignId", assign)?;
        }
        if self.service_list.is_empty() {
            return Err(Error::invalid_input(
                "serviceList",
                "an order needs at least one plan or service",
            ));
        }
        let plans: Vec<&str> = self
            .service_list
            .iter()
            .filter(|i| i.is_plan())
            .map(|i| i.service_id.as_str())
            .collect();
        for item in &self.service_list {
            check_numeric("serviceId", &item.service_id)?;
            match &item.connection_plan_id {
                Some(p) => check_numeric("connectionPlanId", p)?,
                None if !item.is_plan() && !plans.is_empty() => {
                    return Err(Error::invalid_input(
                        "connectionPlanId",
                        "a service ordered together with a plan needs connectionPlanId (the plan's id)",
                    ));
                }
                None => {}
            }
            if let Some(p) = &item.connection_plan_id
                && !item.is_plan()
                && !plans.is_empty()
                && !plans.contains(&p.as_str())
            {
                return Err(Error::invalid_input(
                    "connectionPlanId",
                    format!("connectionPlanId {p} is not the id of the plan in this order"),
                ));
            }
        }
        if self.operation_type.needs_existing_product() && !validate::is_filled(self.product_no.as_deref()) {
            return Err(Error::invalid_input(
                "productNo",
                format!("{} needs the existing product's SN (productNo)", self.operation_type),
            ));
        }
        // Linkus Cloud Service and the Appliance Edition plan attach to a device that exists.
        check_product_no(self.product_id, self.product_no.as_deref())?;
        let new_cloud_pbx =
            self.product_id == CLOUD_PBX_PRODUCT_ID && self.operation_type == OperationType::PurchasePlan;
        if new_cloud_pbx {
            let Some(pce) = &self.pce else {
                return Err(Error::invalid_input(
                    "orderPceSpecialRequest",
                    "purchasing a Cloud PBX plan (product 13) needs the Cloud PBX block (pbxName, regionId, pbxSubDomainId)",
                ));
            };
            for item in self.service_list.iter().filter(|i| i.is_plan()) {
                match item.quantity {
                    Some(q) if CLOUD_PBX_EXTENSIONS.contains(&q) => {}
                    other => {
                        return Err(Error::invalid_input(
                            "quantity",
                            format!("a Cloud PBX plan is ordered for 5 to 500 extensions, got {other:?}"),
                        ));
                    }
                }
            }
            validate::required("pbxName", &pce.pbx_name)?;
            validate::required("regionId", &pce.region_id)?;
            validate::required("pbxSubDomainId", &pce.pbx_sub_domain_id)?;
        }
        if let Some(pce) = &self.pce
            && let Some(name) = ["pbxName", "regionId", "pbxSubDomainId"]
                .into_iter()
                .find(|k| pce.extra.contains_key(*k))
        {
            return Err(Error::invalid_input(
                name,
                format!("{name} is set by PceOrder::new, not by field()"),
            ));
        }
        Ok(())
    }
}

impl Endpoint for CreateOrder {
    type Envelope = PpEnvelope;
    type Data = OrderCreated;
    type Output = WriteResult<String>;

    fn request(&self) -> Result<Request> {
        self.check()?;
        // An order must never be replayed: a second one would be billed.
        Ok(Request::post(CREATE_ORDER_PATH).json(self).idempotent(false))
    }

    fn output(created: OrderCreated, meta: &Meta<'_>) -> Result<WriteResult<String>> {
        created.into_write(meta)
    }
}

/// The `result` of a create-order call. \[UNKNOWN\] in the docs (cut off): read as the new
/// order's id when it is a string or an integer (kept exact), or an object holding `id`,
/// `orderId` or `orderNo`; `true` is a success without an id; `false` is an error.
#[doc(hidden)]
#[derive(Debug)]
pub struct OrderCreated(Option<Value>, Option<String>);

impl<'de> Deserialize<'de> for OrderCreated {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let raw = Option::<Box<yeastar_transport::reexports::RawValue>>::deserialize(d)?;
        let Some(raw) = raw else {
            return Ok(OrderCreated(None, None));
        };
        let text = raw.get().trim();
        if is_numeric(text) {
            // An integer id, from its raw digits.
            return Ok(OrderCreated(None, Some(text.to_owned())));
        }
        #[derive(Deserialize)]
        struct Ids {
            #[serde(default, deserialize_with = "crate::id::opt_id")]
            id: Option<String>,
            #[serde(default, rename = "orderId", deserialize_with = "crate::id::opt_id")]
            order_id: Option<String>,
            #[serde(default, rename = "orderNo", deserialize_with = "crate::id::opt_id")]
            order_no: Option<String>,
        }
        if text.starts_with('{') {
            let ids: Ids = serde_json::from_str(text).map_err(D::Error::custom)?;
            return Ok(OrderCreated(None, ids.id.or(ids.order_id).or(ids.order_no)));
        }
        let value: Value = serde_json::from_str(text).map_err(D::Error::custom)?;
        match value {
            Value::String(s) if !s.trim().is_empty() => Ok(OrderCreated(None, Some(s))),
            other => Ok(OrderCreated(Some(other), None)),
        }
    }
}

impl OrderCreated {
    fn into_write(self, meta: &Meta<'_>) -> Result<WriteResult<String>> {
        match (self.0, self.1) {
            (_, Some(id)) => Ok(WriteResult::from_meta(meta).with_id(Some(id))),
            (Some(Value::Bool(false)), None) => {
                let mut e = ApiError::new(Product::PartnerPortal, meta.status().as_u16())
                    .with_message("the order answered `result: false` with code `success`: no order was made");
                if let Some(id) = meta.request_id() {
                    e = e.with_request_id(id);
                }
                Err(e.into())
            }
            // `true`, `null`, `{}`: made, no id given.
            (_, None) => Ok(WriteResult::from_meta(meta)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Order list and details

/// `GET /order/openapi/order/v1/page?pageNo&pageSize&sort`: orders, one page per request.
/// [`Orders::list`](super::Orders::list) reads every page lazily, [`DEFAULT_PAGE_SIZE`] (25) at
/// a time unless set. Page 0 and size 0 are refused before sending.
///
/// ```
/// use yeastar_partner_portal::ListOrders;
/// // The docs' example asks for 3 orders per page, sorted by id.
/// let q = ListOrders::new().page_size(3).sort("id");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOrders {
    page_no: Option<u32>,
    page_size: Option<u32>,
    sort: Option<String>,
}

impl ListOrders {
    /// Every order, in the server's order.
    pub fn new() -> Self {
        Self::default()
    }

    yeastar_transport::setters! {
        /// 1-based; for a listing, the first page read.
        page_no = u32 => "pageNo",
        /// At least 1 (default 25).
        page_size = u32 => "pageSize",
        /// A field name, as in the docs' example (`id`); the accepted values are not documented.
        sort: String => "sort",
    }
}

impl Endpoint for ListOrders {
    type Envelope = PpEnvelope;
    type Data = Option<OrderPage>;
    type Output = OrderPage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_no, self.page_size)?;
        Ok(Request::get(LIST_ORDERS_PATH)
            .query_opt("pageNo", self.page_no)
            .query_opt("pageSize", self.page_size)
            .query_opt("sort", self.sort.as_deref().filter(|s| !s.is_empty())))
    }

    fn output(page: Option<OrderPage>, _: &Meta<'_>) -> Result<OrderPage> {
        Ok(page.unwrap_or_default())
    }
}

yeastar_transport::list_endpoint!(ListOrders => super::model::Order, paged(page_no, page_size, DEFAULT_PAGE_SIZE));

/// `GET /order/openapi/order/v1/get/{id}`: one order, by its unique id or its order number
/// (the API types the path value Long: it must be digits, checked before sending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrder {
    id: String,
}

impl GetOrder {
    /// The order `id` (its `id` or `orderNo`).
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into() }
    }
}

impl Endpoint for GetOrder {
    type Envelope = PpEnvelope;
    type Data = OrderDetails;
    type Output = OrderDetails;

    fn request(&self) -> Result<Request> {
        check_long("id", &self.id)?;
        Ok(Request::get(GET_ORDER_PATH).path_param("id", &self.id))
    }

    fn output(details: OrderDetails, _: &Meta<'_>) -> Result<OrderDetails> {
        Ok(details)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body<E: Endpoint>(ep: &E) -> Value {
        serde_json::from_slice(ep.request().unwrap().json_body().unwrap()).unwrap()
    }

    fn created(json: &str) -> OrderCreated {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_minimal_order_carries_only_what_is_set() {
        let order = CreateOrder::new(OperationType::PurchaseService, 14, "3081512345678901248")
            .item(OrderItem::service("3048573516041273344").quantity(10));
        assert_eq!(
            body(&order),
            json!({"operationType": "purchase_service", "productId": 14, "billingId": 3081512345678901248u64,
                   "serviceList": [{"serviceType": "service", "serviceId": "3048573516041273344", "quantity": 10}]})
        );
        assert!(!order.request().unwrap().is_idempotent());
    }

    #[test]
    fn bad_orders_are_refused_before_sending() {
        let plan = || OrderItem::plan("3048571730026938368").quantity(20);
        let pce = || PceOrder::new("HQ", "1", "11");
        let cases = [
            (
                CreateOrder::new(OperationType::PurchasePlan, 14, "12x").item(plan()),
                "billingId",
            ),
            (
                CreateOrder::new(OperationType::PurchasePlan, 14, "99999999999999999999").item(plan()),
                "billingId",
            ),
            (CreateOrder::new(OperationType::PurchasePlan, 14, "1"), "serviceList"),
            (
                CreateOrder::new(OperationType::PurchasePlan, 14, "1").item(OrderItem::plan("3.5e18")),
                "serviceId",
            ),
            (
                CreateOrder::new(OperationType::PurchasePlan, 14, "1")
                    .item(plan())
                    .item(OrderItem::service("3048573516041273344")),
                "connectionPlanId",
            ),
            (
                CreateOrder::new(OperationType::PurchasePlan, 14, "1")
                    .item(plan())
                    .item(OrderItem::service("3048573516041273344").connection_plan_id("3048572026291630080")),
                "connectionPlanId",
            ),
            (
                CreateOrder::new(OperationType::RenewPlan, 13, "1").item(plan()),
                "productNo",
            ),
            // Bought for an existing device: the SN is needed whatever the operation.
            (
                CreateOrder::new(OperationType::PurchasePlan, 11, "1").item(plan()),
                "productNo",
            ),
            (
                CreateOrder::new(OperationType::PurchaseService, 9, "1")
                    .item(OrderItem::service("3048573516041273344")),
                "productNo",
            ),
            // One above a Java Long's maximum (it fits a u64).
            (
                CreateOrder::new(OperationType::PurchasePlan, 14, "9223372036854775808").item(plan()),
                "billingId",
            ),
            (
                CreateOrder::new(OperationType::PurchasePlan, 13, "1").item(plan()),
                "orderPceSpecialRequest",
            ),
            (
                CreateOrder::new(OperationType::PurchasePlan, 13, "1")
                    .item(OrderItem::plan("3048571730026938368").quantity(4))
                    .pce(pce()),
                "quantity",
            ),
            (
                CreateOrder::new(OperationType::PurchasePlan, 13, "1")
                    .item(OrderItem::plan("3048571730026938368"))
                    .pce(pce()),
                "quantity",
            ),
            (
                CreateOrder::new(OperationType::PurchasePlan, 13, "1")
                    .item(plan())
                    .pce(PceOrder::new("", "1", "11")),
                "pbxName",
            ),
            (
                CreateOrder::new(OperationType::PurchasePlan, 13, "1")
                    .item(plan())
                    .pce(pce().field("regionId", "2")),
                "regionId",
            ),
        ];
        for (order, field) in cases {
            match order.request() {
                Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field, "{order:?}"),
                other => panic!("{order:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_create_answer_is_read_whatever_its_shape() {
        assert_eq!(
            created("18446744073709551617").1.as_deref(),
            Some("18446744073709551617")
        );
        assert_eq!(created(r#""PO123""#).1.as_deref(), Some("PO123"));
        assert_eq!(
            created(r#"{"orderId":3100000000000000001,"x":1}"#).1.as_deref(),
            Some("3100000000000000001")
        );
        assert_eq!(created(r#"{"id":"7","orderNo":"8"}"#).1.as_deref(), Some("7"));
        assert!(matches!(created("true"), OrderCreated(Some(Value::Bool(true)), None)));
        assert!(matches!(created("false"), OrderCreated(Some(Value::Bool(false)), None)));
        assert!(matches!(created("null"), OrderCreated(None, None)));
        assert_eq!(
            GetOrder::new("3100000000000000001")
                .request()
                .unwrap()
                .path_and_query()
                .unwrap(),
            "/order/openapi/order/v1/get/3100000000000000001"
        );
        assert!(GetOrder::new("../x").request().is_err());
        assert!(GetOrder::new("9223372036854775807").request().is_ok());
        assert!(matches!(
            GetOrder::new("9223372036854775808").request(),
            Err(Error::InvalidInput { field, .. }) if field == "id"
        ));
        // With its SN, an order for a device's plan passes.
        let order = CreateOrder::new(OperationType::PurchasePlan, 11, "9223372036854775807")
            .product_no("36580000000001KH")
            .item(OrderItem::plan("3048571730026938368"));
        assert_eq!(body(&order)["productNo"], "36580000000001KH");
    }
}
