//! Subscription products, their plans and services, and plan / add-on details.

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::{opt_i64, opt_string, opt_u64, opt_u64_vec};

use crate::id::opt_id;

yeastar_transport::api_enum! {
    /// What a plan or service is offered for (`purchaseType`), and the kind of detail to query
    /// (the `{trial|purchase|renew}` path segment of the plan and add-on endpoints).
    pub enum PurchaseType {
        /// `purchase`: a subscription.
        Purchase => "purchase",
        /// `renew`: a renewal.
        Renew => "renew",
        /// `switch`: a plan switch (orders only).
        Switch => "switch",
        /// `trial`: a trial (services of a trial plan come back as `trial`).
        Trial => "trial",
    }
}

/// A product the account may subscribe to (`Product_Info` of
/// `GET /pricing/openapi/purchase/v1/product_list`).
///
/// Documented product ids: 9 Linkus Cloud Service, 11 P-Series Plan for Appliance Edition,
/// 12 Software PBX (P-Series Software Edition), 13 Cloud PBX (PCE instance), 14 P-Series
/// Turnkey Package, 19 Add-on Service.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Product {
    /// The product id (`productId`), what the other purchase endpoints take.
    #[serde(deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub product_id: Option<u64>,
    /// The product name.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The offering ids (`offeringId`; only on the newer version of the page).
    #[serde(deserialize_with = "opt_u64_vec", skip_serializing_if = "Option::is_none")]
    pub offering_id: Option<Vec<u64>>,
}

/// A plan or a service of a product, as listed by
/// `GET /pricing/openapi/purchase/v1/purchase_product_info`.
///
/// \[I\] Only `offeringId` and the note on `purchaseType` of that page are visible; the item
/// field names here (`id`, `name`, `purchaseType`) are **inferred** and read leniently. Ids are
/// 19-digit numbers: kept as exact strings.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PricingItem {
    /// The plan id (`pricingPlanId` of the plan endpoints) or service id (`pricingServiceId`),
    /// which orders take as `serviceId`. \[I\]
    #[serde(deserialize_with = "opt_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name (e.g. "Enterprise Plan", "Extension Expansion"). \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `purchase`, or `trial` for the services of a trial plan (documented).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchase_type: Option<PurchaseType>,
}

/// The plans and services the account may subscribe to or try for one product (`Details`).
///
/// \[I\] `offeringId` is documented; `productId`, `productName`, `planList` and `serviceList`
/// are **inferred** (the rest of the page was not visible).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProductOffering {
    /// The product's offering id (`offeringId`, a String).
    #[serde(deserialize_with = "opt_id", skip_serializing_if = "Option::is_none")]
    pub offering_id: Option<String>,
    /// The product id. \[I\]
    #[serde(deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub product_id: Option<u64>,
    /// The product name. \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// The plans (`planList`). \[I\]
    #[serde(deserialize_with = "yeastar_transport::lenient::vec_or_null")]
    pub plan_list: Vec<PricingItem>,
    /// The services (add-ons) (`serviceList`). \[I\]
    #[serde(deserialize_with = "yeastar_transport::lenient::vec_or_null")]
    pub service_list: Vec<PricingItem>,
}

/// A plan or add-on (service) as the detail endpoints answer it (`Plan_Info`).
///
/// \[I\] The fields of `Plan_Info` were cut off in the docs: every field here is **inferred**
/// and read leniently (prices are kept as the text the API sent, never as floating point).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PlanInfo {
    /// The plan or service id. \[I\]
    #[serde(deserialize_with = "opt_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name. \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `recurring`, … \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub billing_model: Option<String>,
    /// `annually`, … \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<String>,
    /// `USD` or `RMB` (the currencies of the order list). \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// The unit price, as sent. \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// The smallest quantity that can be ordered (5 extensions for a Cloud PBX plan). \[I\]
    #[serde(deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub min_quantity: Option<u64>,
    /// The largest quantity that can be ordered (500 extensions for a Cloud PBX plan). \[I\]
    #[serde(deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub max_quantity: Option<u64>,
    /// For a trial: its length in days. \[I\]
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub trial_days: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_exact_and_fields_are_lenient() {
        let o: ProductOffering = serde_json::from_str(
            r#"{"offeringId":77,"productId":"13","planList":[{"id":3048571730026938368,"name":"Enterprise Plan",
                "purchaseType":"purchase"}],"serviceList":null,"unknown":{"x":1}}"#,
        )
        .unwrap();
        assert_eq!(o.offering_id.as_deref(), Some("77"));
        assert_eq!(o.product_id, Some(13));
        assert_eq!(o.plan_list[0].id.as_deref(), Some("3048571730026938368"));
        assert_eq!(o.plan_list[0].purchase_type, Some(PurchaseType::Purchase));
        assert!(o.service_list.is_empty());
        let p: PlanInfo =
            serde_json::from_str(r#"{"id":"18446744073709551616","price":12.50,"maxQuantity":"500"}"#).unwrap();
        assert_eq!(p.id.as_deref(), Some("18446744073709551616"));
        assert_eq!(p.price.as_deref(), Some("12.5"));
        assert_eq!(p.max_quantity, Some(500));
    }
}
