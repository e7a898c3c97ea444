//! The order model: `Order_Info`, the order details and their enums.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yeastar_transport::lenient::{opt_i64, opt_string};

use crate::envelope::PagedList;
use crate::id::opt_id;

yeastar_transport::api_enum! {
    /// What an order does (`operationType`).
    pub enum OperationType {
        /// `trial_plan`.
        TrialPlan => "trial_plan",
        /// `trial_service`.
        TrialService => "trial_service",
        /// `purchase_plan`.
        PurchasePlan => "purchase_plan",
        /// `purchase_service`.
        PurchaseService => "purchase_service",
        /// `switch_plan`.
        SwitchPlan => "switch_plan",
        /// `switchTrial_plan`.
        SwitchTrialPlan => "switchTrial_plan",
        /// `renew_plan`.
        RenewPlan => "renew_plan",
        /// `renew_service`.
        RenewService => "renew_service",
    }
}

impl OperationType {
    /// Whether the operation changes a product that exists already (and so needs its SN,
    /// `productNo`): switches and renewals.
    pub fn needs_existing_product(&self) -> bool {
        matches!(
            self,
            OperationType::SwitchPlan
                | OperationType::SwitchTrialPlan
                | OperationType::RenewPlan
                | OperationType::RenewService
        )
    }
}

yeastar_transport::api_enum! {
    /// Whether an order item is a plan or a service (`serviceType`).
    pub enum ServiceType {
        /// `plan`.
        Plan => "plan",
        /// `service`.
        Service => "service",
    }
}

yeastar_transport::api_enum! {
    /// The status of an order (`orderStatus`). The docs' list was cut off after `refunded`
    /// (a value beginning with `con…` follows): unknown values are kept verbatim.
    pub enum OrderStatus {
        /// `succeed`: paid and delivered; the purchased product (licence) exists.
        Succeed => "succeed",
        /// `failed`.
        Failed => "failed",
        /// `pending`.
        Pending => "pending",
        /// `invalid`.
        Invalid => "invalid",
        /// `cancelled`.
        Cancelled => "cancelled",
        /// `refunded`.
        Refunded => "refunded",
    }
}

impl OrderStatus {
    /// Whether the order has reached an end (anything but `pending` and values this SDK does
    /// not know).
    pub fn is_final(&self) -> bool {
        !matches!(self, OrderStatus::Pending | OrderStatus::Unknown(_))
    }
}

/// An order as the order list and the order details answer it (`Order_Info`). Ids are kept as
/// exact strings (19-digit numbers).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Order {
    /// The order's unique id (`id`, a String).
    #[serde(deserialize_with = "opt_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The order number (`orderNo`).
    #[serde(deserialize_with = "opt_id", skip_serializing_if = "Option::is_none")]
    pub order_no: Option<String>,
    /// The status (`orderStatus`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_status: Option<OrderStatus>,
    /// When it was created (`createTime`, a Long; \[I\] Unix milliseconds or seconds).
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub create_time: Option<i64>,
    /// `USD` or `RMB` (`currencyCode`).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// The customer's reference (`customReferenceNo`).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub custom_reference_no: Option<String>,
    /// The invoice number (`invoiceNo`).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub invoice_no: Option<String>,
    /// The product ordered (`productId`). \[I\] Not in the visible part of `Order_Info`.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The operation (`operationType`). \[I\] Not in the visible part of `Order_Info`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_type: Option<OperationType>,
    /// The purchase order number sent with the order (`poNumber`). \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
}

/// One page of orders.
pub type OrderPage = PagedList<Order>;

/// The product part of the order details (`Basic_Info`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderProduct {
    /// The product id (`productId`, a **String** here: "9", "11", "12", "13").
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The product name (`productName`).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// The device or instance SN (`productNo`): what the licence queries take.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub product_no: Option<String>,
}

/// `GET /order/openapi/order/v1/get/{id}`: one order's details.
///
/// `basicInformation` and `orderInformation` are typed; the billing information and the order
/// summary, whose fields the docs do not show, are kept as JSON objects.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderDetails {
    /// The product (`basicInformation`).
    pub basic_information: OrderProduct,
    /// The billing contact (`billingInformation`), as sent.
    #[serde(skip_serializing_if = "Map::is_empty", deserialize_with = "object_or_null")]
    pub billing_information: Map<String, Value>,
    /// The order (`orderInformation`).
    pub order_information: Order,
    /// Amounts (`orderSummary`), as sent.
    #[serde(skip_serializing_if = "Map::is_empty", deserialize_with = "object_or_null")]
    pub order_summary: Map<String, Value>,
}

fn object_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    Ok(Option::<Map<String, Value>>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ids_are_exact_and_statuses_open() {
        let o: Order = serde_json::from_str(
            r#"{"id":18446744073709551617,"orderNo":"3100000000000000001","orderStatus":"confirmed",
                "createTime":1700000000000,"currencyCode":"USD"}"#,
        )
        .unwrap();
        assert_eq!(o.id.as_deref(), Some("18446744073709551617"));
        assert_eq!(o.order_status, Some(OrderStatus::Unknown("confirmed".into())));
        assert!(!OrderStatus::Pending.is_final() && OrderStatus::Succeed.is_final());
        let d: OrderDetails = serde_json::from_str(
            r#"{"basicInformation":{"productId":13,"productNo":"SN1"},"billingInformation":null,
                "orderInformation":{"id":"1","orderStatus":"succeed"},"orderSummary":{"total":"99.00"}}"#,
        )
        .unwrap();
        assert_eq!(d.basic_information.product_id.as_deref(), Some("13"));
        assert_eq!(d.order_information.order_status, Some(OrderStatus::Succeed));
        assert_eq!(d.order_summary["total"], "99.00");
    }
}
