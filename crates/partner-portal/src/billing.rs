//! Billing contacts: `GET /user/openapi/user/v1/client/billing_contact_list`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient;
use yeastar_transport::{Endpoint, Meta, Pages, Request, Result};

use crate::client::Client;
use crate::envelope::{ItemList, PpEnvelope};

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

/// `GET /user/openapi/user/v1/client/billing_contact_list`: every billing contact. The
/// endpoint is not paged: [`BillingContacts::list`] reads it as a single page.
///
/// Like the user list, the result is read tolerantly: an array, a single object or an object
/// wrapping the array; `null` and `{}` are no contacts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListBillingContacts {
    _private: (),
}

impl ListBillingContacts {
    /// Every billing contact.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Endpoint for ListBillingContacts {
    type Envelope = PpEnvelope;
    type Data = ItemList<BillingContact>;
    type Output = Vec<BillingContact>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get(LIST_BILLING_CONTACTS_PATH))
    }

    fn output(list: ItemList<BillingContact>, _: &Meta<'_>) -> Result<Vec<BillingContact>> {
        Ok(list.0)
    }
}

yeastar_transport::list_endpoint!(ListBillingContacts => BillingContact, unpaged);

/// The billing contacts of a [`Client`] (see [`Client::billing_contacts`]).
#[derive(Clone, Copy)]
pub struct BillingContacts<'a> {
    client: &'a Client,
}

impl fmt::Debug for BillingContacts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BillingContacts").finish_non_exhaustive()
    }
}

impl<'a> BillingContacts<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Every billing contact (`GET /user/openapi/user/v1/client/billing_contact_list`). The
    /// endpoint is not paged: the stream reads one page.
    pub fn list(&self, query: ListBillingContacts) -> Pages<BillingContact> {
        self.client.pages(query)
    }
}
