//! Partner Portal orders and purchased products (licences).
//!
//! A new order is `pending` for the configured processing time (on the sandbox's clock), then
//! `succeed`; a succeeded `purchase_plan` / `trial_plan` creates the purchased product (a
//! licence with a new SN). Orders are settled lazily, when an order or licence endpoint is
//! called.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::catalog::{REGIONS, req_u64};
use super::data::Data;
use super::success;
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{JsonObject, PageReq, PathParam, Q, opt_str, req_str};
use crate::reply::{Answer, unix_now};

const OPERATIONS: &[&str] = &[
    "trial_plan",
    "trial_service",
    "purchase_plan",
    "purchase_service",
    "switch_plan",
    "switchTrial_plan",
    "renew_plan",
    "renew_service",
];
const PURCHASE_TYPES: &[&str] = &["purchase", "renew", "switch", "trial"];

/// An order.
#[derive(Debug, Clone)]
pub(crate) struct OrderRec {
    pub(crate) id: u64,
    pub(crate) order_no: u64,
    pub(crate) operation_type: String,
    pub(crate) product_id: u64,
    pub(crate) product_no: Option<String>,
    pub(crate) po_number: String,
    pub(crate) status: &'static str,
    /// Unix milliseconds.
    pub(crate) create_time: i64,
    pub(crate) settle_at: Option<Instant>,
    pub(crate) total_cents: u64,
    pub(crate) pbx_name: Option<String>,
}

/// A purchased product.
#[derive(Debug, Clone)]
pub(crate) struct LicenceRec {
    pub(crate) product_no: String,
    pub(crate) product_id: u64,
    pub(crate) product_name: String,
    pub(crate) activation_code: String,
    pub(crate) activation_status: &'static str,
    pub(crate) comment: String,
    pub(crate) create_time: i64,
}

impl LicenceRec {
    fn to_json(&self) -> Value {
        json!({
            "activationCode": self.activation_code,
            "activationStatus": self.activation_status,
            "comment": self.comment,
            "createTime": self.create_time,
            "productId": self.product_id,
            "productName": self.product_name,
            "productNo": self.product_no,
        })
    }
}

impl OrderRec {
    fn info(&self) -> Value {
        json!({
            "createTime": self.create_time,
            "currencyCode": "USD",
            "customReferenceNo": self.po_number,
            "id": self.id.to_string(),
            "invoiceNo": if self.status == "succeed" { format!("INV{}", self.order_no) } else { String::new() },
            "operationType": self.operation_type,
            "orderNo": self.order_no.to_string(),
            "orderStatus": self.status,
            "poNumber": self.po_number,
            "productId": self.product_id.to_string(),
        })
    }
}

impl Data {
    /// Moves every order due by `now` from `pending` to `succeed`, creating its licence.
    pub(crate) fn settle_orders(&mut self, now: Instant) {
        let mut created = Vec::new();
        for order in self.orders.iter_mut() {
            if order.settle_at.is_some_and(|at| at <= now) {
                order.settle_at = None;
                order.status = "succeed";
                if matches!(order.operation_type.as_str(), "purchase_plan" | "trial_plan") && order.product_no.is_none()
                {
                    let sn = format!("3658B{:011X}", order.id % 0x0FFF_FFFF_FFFF);
                    order.product_no = Some(sn.clone());
                    created.push(LicenceRec {
                        product_no: sn,
                        product_id: order.product_id,
                        product_name: String::new(),
                        activation_code: String::new(),
                        activation_status: "unactivated",
                        comment: order.pbx_name.clone().unwrap_or_default(),
                        create_time: order.create_time,
                    });
                }
            }
        }
        for mut l in created {
            l.product_name = self
                .product(l.product_id)
                .map(|p| p.name.to_owned())
                .unwrap_or_default();
            self.licences.push(l);
        }
    }

    fn find_order(&self, id: u64) -> Result<&OrderRec, ApiErr> {
        self.orders
            .iter()
            .find(|o| o.id == id || o.order_no == id)
            .ok_or_else(|| ApiErr::new(404, Code::OrderNotFound, format!("Order {id} not found")))
    }
}

/// A Long field that may come as a number or a numeric string.
fn long(body: &Map<String, Value>, key: &str, required: bool) -> Result<Option<u64>, ApiErr> {
    match body.get(key) {
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(ApiErr::required(key)),
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .map(Some)
            .ok_or_else(|| ApiErr::invalid(key, "number", format!("{key} must be a number"))),
    }
}

struct Item {
    plan: bool,
    id: u64,
    connection: Option<u64>,
    quantity: u64,
}

fn read_items(body: &Map<String, Value>) -> Result<Vec<Item>, ApiErr> {
    let Some(Value::Array(list)) = body.get("serviceList") else {
        return Err(match body.get("serviceList") {
            None | Some(Value::Null) => ApiErr::required("serviceList"),
            Some(_) => ApiErr::invalid("serviceList", "array", "serviceList must be an array"),
        });
    };
    if list.is_empty() {
        return Err(ApiErr::invalid("serviceList", "min", "serviceList must not be empty"));
    }
    list.iter()
        .map(|v| {
            let Value::Object(o) = v else {
                return Err(ApiErr::invalid(
                    "serviceList",
                    "object",
                    "serviceList items must be objects",
                ));
            };
            let kind = req_str(o, "serviceType")?;
            if kind != "plan" && kind != "service" {
                return Err(ApiErr::invalid(
                    "serviceType",
                    "oneof",
                    "serviceType must be plan or service",
                ));
            }
            if let Some(t) = opt_str(o, "purchaseType")?
                && !PURCHASE_TYPES.contains(&t.as_str())
            {
                return Err(ApiErr::invalid(
                    "purchaseType",
                    "oneof",
                    format!("Unknown purchaseType {t}"),
                ));
            }
            Ok(Item {
                plan: kind == "plan",
                id: long(o, "serviceId", true)?.unwrap_or_default(),
                connection: long(o, "connectionPlanId", false)?,
                quantity: long(o, "quantity", false)?.unwrap_or(1),
            })
        })
        .collect()
}

/// `POST /order/openapi/order/v1/save`: Create an Order; `result` is the new order's id.
pub(super) async fn create(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let op = req_str(&body, "operationType")?;
    if !OPERATIONS.contains(&op.as_str()) {
        return Err(ApiErr::invalid(
            "operationType",
            "oneof",
            format!("Unknown operationType {op}"),
        ));
    }
    let product_id = long(&body, "productId", true)?.unwrap_or_default();
    let billing_id = long(&body, "billingId", true)?.unwrap_or_default();
    let product_no = opt_str(&body, "productNo")?.filter(|s| !s.is_empty());
    let assign_id = opt_str(&body, "assignId")?.filter(|s| !s.is_empty());
    let po_number = opt_str(&body, "poNumber")?.unwrap_or_default();
    let items = read_items(&body)?;
    let now = app.now();
    let mut db = app.db();
    db.pp.settle_orders(now);
    let pp = &db.pp;
    let product = pp.product(product_id)?;
    if !pp
        .billing_contacts
        .iter()
        .any(|c| c["billingContactId"].as_str() == Some(billing_id.to_string().as_str()))
    {
        return Err(ApiErr::invalid(
            "billingId",
            "exists",
            format!("Unknown billing contact {billing_id}"),
        ));
    }
    if let Some(a) = &assign_id
        && !pp.users.iter().any(|u| &u.partner_id == a)
    {
        return Err(ApiErr::new(
            404,
            Code::UserNotFound,
            format!("Subordinate user {a} not found"),
        ));
    }
    let existing = matches!(
        op.as_str(),
        "switch_plan" | "switchTrial_plan" | "renew_plan" | "renew_service"
    );
    match &product_no {
        None if existing => return Err(ApiErr::required("productNo")),
        Some(sn)
            if !pp
                .licences
                .iter()
                .any(|l| &l.product_no == sn && l.product_id == product_id) =>
        {
            return Err(ApiErr::new(
                404,
                Code::ProductNotFound,
                format!("Product {sn} not found"),
            ));
        }
        _ => {}
    }
    let plans: Vec<u64> = items.iter().filter(|i| i.plan).map(|i| i.id).collect();
    let mut total = 0;
    for item in &items {
        let offer = product
            .offers
            .iter()
            .find(|o| o.id == item.id && o.plan == item.plan)
            .ok_or_else(|| {
                ApiErr::invalid(
                    "serviceId",
                    "exists",
                    format!("{} is not offered for product {product_id}", item.id),
                )
            })?;
        if !item.plan && !plans.is_empty() && item.connection.is_none_or(|c| !plans.contains(&c)) {
            return Err(ApiErr::invalid(
                "connectionPlanId",
                "required",
                "connectionPlanId must be the plan ordered with the service",
            ));
        }
        if item.quantity < offer.min || item.quantity > offer.max {
            return Err(ApiErr::invalid(
                "quantity",
                "range",
                format!("quantity must be {} to {}", offer.min, offer.max),
            ));
        }
        total += offer.cents * item.quantity;
    }
    let mut pbx_name = None;
    if product_id == 13 && op == "purchase_plan" {
        let Some(Value::Object(pce)) = body.get("orderPceSpecialRequest") else {
            return Err(ApiErr::required("orderPceSpecialRequest"));
        };
        let name = req_str(pce, "pbxName")?;
        let region = req_str(pce, "regionId")?;
        let domain = req_str(pce, "pbxSubDomainId")?;
        let Some((_, _, domains)) = REGIONS.iter().find(|(id, _, _)| *id == region) else {
            return Err(ApiErr::invalid(
                "regionId",
                "exists",
                format!("Unknown region {region}"),
            ));
        };
        if !domains.iter().any(|(d, _)| *d == domain) {
            return Err(ApiErr::invalid(
                "pbxSubDomainId",
                "exists",
                format!("Domain {domain} is not in region {region}"),
            ));
        }
        pbx_name = Some(name);
    }
    let settle_at = now + app.config.pp_order_processing;
    let pp = &mut db.pp;
    pp.next_order_id += 1;
    let id = pp.next_order_id;
    pp.orders.push(OrderRec {
        id,
        order_no: 20_261_201_000_000 + (id % 1_000_000),
        operation_type: op,
        product_id,
        product_no,
        po_number,
        status: "pending",
        create_time: unix_now() * 1000,
        settle_at: Some(settle_at),
        total_cents: total,
        pbx_name,
    });
    pp.settle_orders(now);
    Ok(success(&mut db, json!(id)))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageQuery {
    page_no: Option<String>,
    page_size: Option<String>,
    sort: Option<String>,
    product_id: Option<String>,
    product_no: Option<String>,
}

fn page(q: &PageQuery, items: &[Value]) -> Result<Value, ApiErr> {
    let page = PageReq::parse(
        ("pageNo", q.page_no.as_deref()),
        ("pageSize", q.page_size.as_deref()),
        25,
        None,
    )?;
    let total = items.len();
    Ok(
        json!({"count": total, "pageNo": page.number, "pageSize": page.size, "results": page.slice(items),
              "total": total, "totalPage": total.div_ceil(page.size)}),
    )
}

/// `GET /order/openapi/order/v1/page?pageNo&pageSize&sort`: newest first unless `sort=id`.
pub(super) async fn list(State(app): State<Arc<App>>, Q(q): Q<PageQuery>) -> Answer {
    let now = app.now();
    let mut db = app.db();
    db.pp.settle_orders(now);
    let mut orders: Vec<&OrderRec> = db.pp.orders.iter().collect();
    match q.sort.as_deref() {
        None | Some("") | Some("-id") => orders.sort_by_key(|o| std::cmp::Reverse(o.id)),
        Some("id") => orders.sort_by_key(|o| o.id),
        Some(other) => return Err(ApiErr::invalid("sort", "oneof", format!("Cannot sort by {other}"))),
    }
    let items: Vec<Value> = orders.iter().map(|o| o.info()).collect();
    let result = page(&q, &items)?;
    Ok(success(&mut db, result))
}

/// `GET /order/openapi/order/v1/get/{id}`: by id or order number.
pub(super) async fn get(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("id")?;
    let now = app.now();
    let mut db = app.db();
    db.pp.settle_orders(now);
    let o = db.pp.find_order(id)?.clone();
    let product_name = db.pp.product(o.product_id).map(|p| p.name).unwrap_or_default();
    let billing = db.pp.billing_contacts.first().cloned().unwrap_or_default();
    let total = format!("{}.{:02}", o.total_cents / 100, o.total_cents % 100);
    let result = json!({
        "basicInformation": {"productId": o.product_id.to_string(), "productName": product_name,
                             "productNo": o.product_no.clone().unwrap_or_default()},
        "billingInformation": billing,
        "orderInformation": o.info(),
        "orderSummary": {"currencyCode": "USD", "totalPrice": total},
    });
    Ok(success(&mut db, result))
}

/// `GET /product/openapi/instance_product/v1/client/instance_product_list?pageSize&pageNo&productId`.
pub(super) async fn licences(State(app): State<Arc<App>>, Q(q): Q<PageQuery>) -> Answer {
    let product_id = req_u64("productId", q.product_id.as_deref())?;
    let now = app.now();
    let mut db = app.db();
    db.pp.settle_orders(now);
    let items: Vec<Value> = db
        .pp
        .licences
        .iter()
        .filter(|l| l.product_id == product_id)
        .map(LicenceRec::to_json)
        .collect();
    let result = page(&q, &items)?;
    Ok(success(&mut db, result))
}

fn find_licence<'a>(data: &'a Data, q: &PageQuery) -> Result<&'a LicenceRec, ApiErr> {
    let product_id = req_u64("productId", q.product_id.as_deref())?;
    let sn = q
        .product_no
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiErr::required("productNo"))?;
    data.licences
        .iter()
        .find(|l| l.product_no == sn && l.product_id == product_id)
        .ok_or_else(|| ApiErr::new(404, Code::ProductNotFound, format!("Product {sn} not found")))
}

/// `GET /product/openapi/instance_product/v1/detail?productNo&productId`.
pub(super) async fn licence(State(app): State<Arc<App>>, Q(q): Q<PageQuery>) -> Answer {
    let now = app.now();
    let mut db = app.db();
    db.pp.settle_orders(now);
    let l = find_licence(&db.pp, &q)?.to_json();
    Ok(success(&mut db, l))
}

/// `GET /product/openapi/instance_product/v1/activation_code?productNo&productId=12`: P-Series
/// Software Edition only.
pub(super) async fn activation_code(State(app): State<Arc<App>>, Q(q): Q<PageQuery>) -> Answer {
    if req_u64("productId", q.product_id.as_deref())? != 12 {
        return Err(ApiErr::invalid(
            "productId",
            "oneof",
            "Activation codes exist for P-Series Software Edition (12) only",
        ));
    }
    let now = app.now();
    let mut db = app.db();
    db.pp.settle_orders(now);
    let l = find_licence(&db.pp, &q)?;
    let code = if l.activation_code.is_empty() {
        format!("{}-ACT", l.product_no)
    } else {
        l.activation_code.clone()
    };
    let result = json!({"code": code, "generateTime": l.create_time});
    Ok(success(&mut db, result))
}
