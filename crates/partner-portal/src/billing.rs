//! Billing contacts.

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient;
use yeastar_transport::{Endpoint, Payload, Request, Result};

use crate::client::Client;
use crate::de;
use crate::envelope::PpEnvelope;

/// `GET` the billing contact list.
pub const LIST_BILLING_CONTACTS_PATH: &str = "/user/openapi/user/v1/client/billing_contact_list";

/// A billing contact (`Contact_Info`). Every field may be missing or empty.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BillingContact {
    /// The contact's id (`billingContactId`; a string here, while orders take it as a number).
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub billing_contact_id: Option<String>,
    /// Email address.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    /// Company.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// First name.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Phone number.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Country.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// State / province.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub state_province: Option<String>,
    /// City.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Street.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// ZIP / postal code.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// Tax identification number.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub tax_num: Option<String>,
    /// Remark.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// Query the billing contact list: `GET /user/openapi/user/v1/client/billing_contact_list`
/// (not paged).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListBillingContacts;

impl Endpoint for ListBillingContacts {
    type Envelope = PpEnvelope;
    type Output = Vec<BillingContact>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get(LIST_BILLING_CONTACTS_PATH))
    }

    /// Accepts an array, a single object, `null`, or an object wrapping the array.
    fn decode(payload: Payload<'_>) -> Result<Vec<BillingContact>> {
        payload.json::<de::Listish<BillingContact>>().map(|l| l.0)
    }
}

/// Billing operations; from [`Client::billing`].
#[derive(Debug, Clone, Copy)]
pub struct Billing<'a> {
    client: &'a Client,
}

impl<'a> Billing<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Lists the billing contacts.
    pub async fn contacts(&self) -> Result<Vec<BillingContact>> {
        self.client.send(&ListBillingContacts).await
    }
}
