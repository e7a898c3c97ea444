//! Partner Portal products and pricing, the region list, and their seed: the documented product
//! ids and the Cloud PBX plan and service ids of the PCE tutorial (19-digit numbers, sent as
//! JSON numbers as a Java `Long` would be).

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::success;
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{PathParam, Q};
use crate::reply::Answer;

/// A plan or service on sale.
#[derive(Debug, Clone)]
pub(crate) struct Offer {
    pub(crate) id: u64,
    pub(crate) name: &'static str,
    pub(crate) plan: bool,
    /// Unit price in USD cents.
    pub(crate) cents: u64,
    pub(crate) min: u64,
    pub(crate) max: u64,
}

/// A product on sale.
#[derive(Debug, Clone)]
pub(crate) struct CatalogProduct {
    pub(crate) id: u64,
    pub(crate) name: &'static str,
    pub(crate) offering_id: u64,
    pub(crate) offers: Vec<Offer>,
}

const fn offer(id: u64, name: &'static str, plan: bool, cents: u64, min: u64, max: u64) -> Offer {
    Offer {
        id,
        name,
        plan,
        cents,
        min,
        max,
    }
}

/// The seeded catalogue (product ids as documented; Cloud PBX ids from the PCE tutorial).
pub(crate) fn seed() -> Vec<CatalogProduct> {
    let p = |id, name, offering_id, offers| CatalogProduct {
        id,
        name,
        offering_id,
        offers,
    };
    vec![
        p(
            9,
            "Linkus Cloud Service",
            3041,
            vec![offer(
                3042615011860135936,
                "Linkus Cloud Service Plan",
                true,
                9900,
                1,
                1,
            )],
        ),
        p(
            11,
            "P-Series Plan for Appliance Edition",
            3043,
            vec![
                offer(3044102318590214144, "Enterprise Plan", true, 29900, 1, 1),
                offer(3044102563000696832, "Ultimate Plan", true, 49900, 1, 1),
            ],
        ),
        p(
            12,
            "Software PBX",
            3045,
            vec![
                offer(3046312447310462976, "Enterprise Plan", true, 1200, 10, 10000),
                offer(3046312757961588736, "Concurrent Call Expansion", false, 600, 1, 1000),
            ],
        ),
        p(
            13,
            "Cloud PBX",
            3047,
            vec![
                offer(3048571730026938368, "Enterprise Plan", true, 1200, 5, 500),
                offer(3048572026291630080, "Ultimate Plan", true, 1800, 5, 500),
                offer(3048573516041273344, "Extension Expansion", false, 1200, 1, 495),
                offer(3048573759449317376, "Recording Minutes", false, 1, 100, 100000),
                offer(3048573935752720384, "High Availability", false, 300, 5, 500),
            ],
        ),
        p(
            14,
            "P-Series Turnkey Package",
            3049,
            vec![offer(3050118265376210944, "Turnkey Package", true, 59900, 1, 1)],
        ),
        p(
            19,
            "Add-on Service",
            3051,
            vec![offer(3052037731440185344, "YCM White Label", false, 99900, 1, 1)],
        ),
    ]
}

/// A region's domains: `(pbxSubDomainId, [pbxSubDomain])`.
type Domains = &'static [(&'static str, &'static [&'static str])];

/// The regions a Cloud PBX can be ordered in: `(id, name, domains)`.
pub(crate) const REGIONS: &[(&str, &str, Domains)] = &[
    (
        "1",
        "Europe (Frankfurt)",
        &[("11", &["eu.yeastarcloud.com"]), ("12", &["eu1.ycmcloud.com"])],
    ),
    ("2", "United States (Virginia)", &[("21", &["us.yeastarcloud.com"])]),
    ("3", "Asia Pacific (Singapore)", &[("31", &["sg.yeastarcloud.com"])]),
];

impl super::data::Data {
    pub(crate) fn product(&self, id: u64) -> Result<&CatalogProduct, ApiErr> {
        self.catalog
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiErr::new(404, Code::ProductNotFound, format!("Product {id} is not available")))
    }
}

/// A required integer query parameter.
pub(super) fn req_u64(name: &str, value: Option<&str>) -> Result<u64, ApiErr> {
    match value {
        None | Some("") => Err(ApiErr::required(name)),
        Some(v) => v
            .parse()
            .map_err(|_| ApiErr::invalid(name, "number", format!("{name} must be a number: {v}"))),
    }
}

/// `productNo` is required for Linkus (9) and Appliance Edition (11) pricing queries.
fn check_product_no(product_id: u64, product_no: Option<&str>) -> Result<(), ApiErr> {
    if [9, 11].contains(&product_id) && product_no.is_none_or(|n| n.trim().is_empty()) {
        return Err(ApiErr::required("productNo"));
    }
    Ok(())
}

/// `GET /pricing/openapi/purchase/v1/product_list`: an array of `{name, productId, offeringId}`.
pub(super) async fn products(State(app): State<Arc<App>>) -> Answer {
    let mut db = app.db();
    let list: Vec<Value> = db
        .pp
        .catalog
        .iter()
        .map(|p| json!({"name": p.name, "productId": p.id, "offeringId": [p.offering_id]}))
        .collect();
    Ok(success(&mut db, Value::Array(list)))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProductQuery {
    product_id: Option<String>,
    product_no: Option<String>,
}

fn item(o: &Offer, purchase_type: &str) -> Value {
    json!({"id": o.id, "name": o.name, "purchaseType": purchase_type})
}

/// `GET /pricing/openapi/purchase/v1/purchase_product_info?productId&productNo`.
pub(super) async fn offering(State(app): State<Arc<App>>, Q(q): Q<ProductQuery>) -> Answer {
    let id = req_u64("productId", q.product_id.as_deref())?;
    check_product_no(id, q.product_no.as_deref())?;
    let mut db = app.db();
    let p = db.pp.product(id)?;
    let result = json!({
        "offeringId": p.offering_id.to_string(),
        "productId": p.id,
        "productName": p.name,
        "planList": p.offers.iter().filter(|o| o.plan).map(|o| item(o, "purchase")).collect::<Vec<_>>(),
        "serviceList": p.offers.iter().filter(|o| !o.plan).map(|o| item(o, "purchase")).collect::<Vec<_>>(),
    });
    Ok(success(&mut db, result))
}

/// `GET /pricing/openapi/purchase/v1/{trial|purchase|renew}/{plan_info|add_on_info}/{id}`.
pub(super) async fn plan_info(
    app: Arc<App>,
    id: PathParam,
    q: ProductQuery,
    purchase_type: &'static str,
    plan: bool,
) -> Answer {
    let name = if plan { "pricingPlanId" } else { "pricingServiceId" };
    let offer_id = id.number(name)?;
    let product_id = req_u64("productId", q.product_id.as_deref())?;
    check_product_no(product_id, q.product_no.as_deref())?;
    let mut db = app.db();
    let o = db
        .pp
        .product(product_id)?
        .offers
        .iter()
        .find(|o| o.id == offer_id && o.plan == plan)
        .cloned()
        .ok_or_else(|| {
            ApiErr::new(
                404,
                Code::ProductNotFound,
                format!("{name} {offer_id} is not offered for product {product_id}"),
            )
        })?;
    let trial = purchase_type == "trial";
    let cents = if trial { 0 } else { o.cents };
    let mut result = json!({
        "id": o.id,
        "name": o.name,
        "billingModel": "recurring",
        "billingCycle": "annually",
        "currencyCode": "USD",
        "price": format!("{}.{:02}", cents / 100, cents % 100),
        "minQuantity": o.min,
        "maxQuantity": o.max,
    });
    if trial {
        result["trialDays"] = json!(30);
    }
    Ok(success(&mut db, result))
}

/// `GET /product/openapi/instance/v1/region_list`: `[{id, name, region: [{pbxSubDomain, pbxSubDomainId}]}]`.
pub(super) async fn regions(State(app): State<Arc<App>>) -> Answer {
    let mut db = app.db();
    let list: Vec<Value> = REGIONS
        .iter()
        .map(|(id, name, domains)| {
            let domains: Vec<Value> = domains
                .iter()
                .map(|(d, names)| json!({"pbxSubDomain": names, "pbxSubDomainId": d}))
                .collect();
            json!({"id": id, "name": name, "region": domains})
        })
        .collect();
    Ok(success(&mut db, Value::Array(list)))
}
