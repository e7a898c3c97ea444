//! The YCM customer model (`Customer_Info`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yeastar_transport::lenient::{opt_string, opt_u64};

use crate::envelope::PagedList;

/// A YCM customer (`Customer_Info`): the end customer a Cloud PBX is made for. Flat fields, no
/// address object; phone numbers are split four ways; every field may be absent or `null`.
///
/// Fields the SDK does not model are kept in [`Customer::extra`], so that
/// [`Customers::modify`](super::Customers::modify) sends them back unchanged.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// The customer id (`customerId`, a Long; accepted as a number or a numeric string).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<u64>,
    /// First name.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Company name.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Email address.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Business number (`businessNumber`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub business_number: Option<String>,
    /// Mobile number (`mobileNumber`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    /// Home number (`homeNumber`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub home_number: Option<String>,
    /// Fax number (`faxNumber`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub fax_number: Option<String>,
    /// ZIP code (`zipCode`; a number is read as its text).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// Street.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State (`state`, not the Partner Portal's `stateProvince`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Country.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Remark.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// Fields of the answer this SDK version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of customers.
pub type CustomerPage = PagedList<Customer>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_leniently_and_keeps_unknown_fields() {
        let c: Customer = serde_json::from_value(json!({
            "customerId": "50086120", "firstName": "Leo", "zipCode": 361000, "lastName": null,
            "vatNumber": "CN-42", "tags": ["a"]
        }))
        .unwrap();
        assert_eq!(c.customer_id, Some(50086120));
        assert_eq!(c.zip_code.as_deref(), Some("361000"));
        assert_eq!(c.last_name, None);
        assert_eq!(c.extra.get("vatNumber"), Some(&json!("CN-42")));
        assert_eq!(c.extra.get("tags"), Some(&json!(["a"])));
        // Written back with the unknown fields, without nulls.
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"customerId": 50086120, "firstName": "Leo", "zipCode": "361000", "vatNumber": "CN-42", "tags": ["a"]})
        );
    }
}
