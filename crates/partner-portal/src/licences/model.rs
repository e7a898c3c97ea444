//! Purchased products ("licences") and the P-Series Software Edition activation code.

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::{opt_i64, opt_string};

use crate::envelope::PagedList;

yeastar_transport::api_enum! {
    /// Whether a purchased product has been activated (`activationStatus`).
    pub enum ActivationStatus {
        /// `unknown`: Partner Portal does not know (not to be confused with a value this SDK
        /// does not know, which is `Unknown(..)`).
        Undetermined => "unknown",
        /// `unactivated`.
        Unactivated => "unactivated",
        /// `activated`.
        Activated => "activated",
    }
}

/// A purchased product, a "licence" (`Product_Info` of the product list, and the product
/// details).
///
/// The docs' field list was cut off after `comment`: `productNo`, `productId` and
/// `productName` are **inferred** \[I\] (the order details name them so, and the product
/// detail endpoint takes `productNo` and `productId`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Licence {
    /// The device or instance SN (`productNo`). \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub product_no: Option<String>,
    /// The product id (`productId`). \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The product name (`productName`). \[I\]
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// The activation code (`activationCode`).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub activation_code: Option<String>,
    /// `unknown`, `unactivated` or `activated` (`activationStatus`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation_status: Option<ActivationStatus>,
    /// The comment.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When it was created (`createTime`; product details).
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub create_time: Option<i64>,
    /// The current plan, returned only while a plan switch is pending (`currentPlan`; product
    /// details).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub current_plan: Option<String>,
    /// When the current plan expires, only while a plan switch is pending
    /// (`currentPlanExpireDate`, a String; product details).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub current_plan_expire_date: Option<String>,
}

/// One page of purchased products.
pub type LicencePage = PagedList<Licence>;

/// The activation code of a P-Series Software Edition (for online activation only).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ActivationCode {
    /// The code.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// When it was generated (`generateTime`, a Long).
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub generate_time: Option<i64>,
}
