//! The YCM customer endpoints as request values.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yeastar_transport::lenient::opt_u64;
use yeastar_transport::{Endpoint, Error, Meta, Request, Result, WriteResult, validate};

use super::model::{Customer, CustomerPage};
use crate::envelope::{DEFAULT_PAGE_SIZE, Sort, YcmEnvelope, check_page};

// ---------------------------------------------------------------------------------------------
// Query one customer

/// `GET /dm/open_api/v1/customers/{customerId}`: one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCustomer {
    customer_id: u64,
}

impl GetCustomer {
    /// The customer `customer_id`.
    pub fn new(customer_id: u64) -> Self {
        Self { customer_id }
    }
}

impl Endpoint for GetCustomer {
    type Envelope = YcmEnvelope;
    type Data = Customer;
    type Output = Customer;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v1/customers/{customerId}").path_param("customerId", self.customer_id))
    }

    fn output(customer: Customer, _: &Meta<'_>) -> Result<Customer> {
        Ok(customer)
    }
}

// ---------------------------------------------------------------------------------------------
// Query all customers

/// `GET /dm/open_api/v1/customers`: customers, one page per request.
/// [`Customers::list`](super::Customers::list) reads every page lazily, [`DEFAULT_PAGE_SIZE`]
/// (50) at a time unless set. No search or filter parameter is documented.
///
/// `pageNumber` starts at 1 and `pageSize` is 1..=50: other values are refused with
/// [`Error::InvalidInput`] before anything is sent.
///
/// ```
/// use yeastar_ycm::{ListCustomers, Sort};
/// // The doc example: 3 records per page, page 1, ascending by customer id.
/// let page = ListCustomers::new().page_size(3).page_number(1).sort(Sort::ascending("customerId"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCustomers {
    page_size: Option<u32>,
    page_number: Option<u32>,
    sort: Option<Sort>,
}

impl ListCustomers {
    /// All customers, in YCM's default order.
    pub fn new() -> Self {
        Self::default()
    }

    yeastar_transport::setters! {
        /// 1..=50.
        page_size = u32 => "pageSize",
        /// 1-based; for a listing, the first page read.
        page_number = u32 => "pageNumber",
        /// A response field, e.g. `Sort::descending("customerId")` or `"-customerId"`.
        sort: Sort => "sort",
    }
}

impl Endpoint for ListCustomers {
    type Envelope = YcmEnvelope;
    type Data = CustomerPage;
    type Output = CustomerPage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_number, self.page_size)?;
        Ok(Request::get("/dm/open_api/v1/customers")
            .query_opt("pageSize", self.page_size)
            .query_opt("pageNumber", self.page_number)
            .query_opt("sort", self.sort.as_ref()))
    }

    fn output(page: CustomerPage, _: &Meta<'_>) -> Result<CustomerPage> {
        Ok(page)
    }
}

yeastar_transport::list_endpoint!(ListCustomers => Customer, paged(page_number, page_size, DEFAULT_PAGE_SIZE));

// ---------------------------------------------------------------------------------------------
// Create a customer

/// The fields of a customer as create and update send them (create: the documented optional
/// fields; update: all of them, plus the fields the SDK does not model).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct OptionalFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    business_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fax_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remark: Option<String>,
}

/// `POST /dm/open_api/v1/customers`: creates a customer; the result carries the new
/// `customerId`. `firstName`, `company` and a valid `email` are required (checked before
/// sending). Not idempotent: never sent twice by the transport; an answer lost on the way is
/// [`Error::OutcomeUnknown`].
///
/// \[I\] A customer email already in use is most likely refused with 1000019
/// EMAIL_ADDRESS_ALREADY_EXISTS ([`YcmErrorExt::is_email_already_exists`](crate::YcmErrorExt::is_email_already_exists)).
///
/// ```
/// use yeastar_ycm::CreateCustomer;
/// // The doc example.
/// let req = CreateCustomer::new("Leo", "Example Company", "leo@example.com").last_name("Ball");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCustomer {
    first_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    company: String,
    email: String,
    #[serde(flatten)]
    rest: OptionalFields,
}

impl CreateCustomer {
    /// A customer with the three required fields.
    pub fn new(first_name: impl Into<String>, company: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            first_name: first_name.into(),
            last_name: None,
            company: company.into(),
            email: email.into(),
            rest: OptionalFields::default(),
        }
    }

    yeastar_transport::setters! {
        last_name: String => "lastName",
    }

    yeastar_transport::setters! {
        on rest;
        business_number: String => "businessNumber",
        mobile_number: String => "mobileNumber",
        home_number: String => "homeNumber",
        fax_number: String => "faxNumber",
        zip_code: String => "zipCode",
        street: String => "street",
        city: String => "city",
        state: String => "state",
        country: String => "country",
        remark: String => "remark",
    }
}

fn check_required(first_name: &str, company: &str, email: &str) -> Result<()> {
    validate::required("firstName", first_name)?;
    validate::required("company", company)?;
    validate::email("email", email)
}

/// `data: {customerId}` of a create.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
pub struct CreatedCustomer {
    #[serde(rename = "customerId", default, deserialize_with = "opt_u64")]
    customer_id: Option<u64>,
}

impl Endpoint for CreateCustomer {
    type Envelope = YcmEnvelope;
    type Data = CreatedCustomer;
    type Output = WriteResult<u64>;

    fn request(&self) -> Result<Request> {
        check_required(&self.first_name, &self.company, &self.email)?;
        Ok(Request::post("/dm/open_api/v1/customers").json(self))
    }

    fn output(data: CreatedCustomer, meta: &Meta<'_>) -> Result<WriteResult<u64>> {
        let id = data
            .customer_id
            .ok_or_else(|| meta.decode_error("customerId", "the new customer's id is missing"))?;
        Ok(WriteResult::from_meta(meta).with_id(Some(id)))
    }
}

// ---------------------------------------------------------------------------------------------
// Update a customer

/// `PUT /dm/open_api/v1/customers/{customerId}`: **replaces** a customer.
///
/// YCM: "Parameters not present in the request will be set to NULL." So this value carries the
/// whole record: the three required fields, every optional field you want to keep, and
/// [`UpdateCustomer::extra`] for fields this SDK does not model. Fields left `None` are
/// omitted, and YCM empties them. To change a few fields of an existing customer, use
/// [`Customers::modify`](super::Customers::modify), which starts from the customer as read.
///
/// ```
/// use yeastar_ycm::UpdateCustomer;
/// // The doc example changes the email of customer 50329401.
/// let mut update = UpdateCustomer::new(50329401, "Leo", "Example Company", "leo.ball@example.com");
/// update.last_name = Some("Ball".into());
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCustomer {
    /// The customer to replace (the path parameter).
    #[serde(skip)]
    pub customer_id: u64,
    /// First name (required).
    pub first_name: String,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Company name (required).
    pub company: String,
    /// Email address (required).
    pub email: String,
    /// Business number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_number: Option<String>,
    /// Mobile number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    /// Home number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_number: Option<String>,
    /// Fax number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fax_number: Option<String>,
    /// ZIP code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// Street.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// Fields this SDK does not model, sent as they are (a read-modify-write fills them from
    /// [`Customer::extra`]). They never override the fields above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UpdateCustomer {
    /// A replacement of customer `customer_id` with the three required fields and nothing else
    /// (every other field is emptied by YCM).
    pub fn new(
        customer_id: u64,
        first_name: impl Into<String>,
        company: impl Into<String>,
        email: impl Into<String>,
    ) -> Self {
        Self {
            customer_id,
            first_name: first_name.into(),
            last_name: None,
            company: company.into(),
            email: email.into(),
            business_number: None,
            mobile_number: None,
            home_number: None,
            fax_number: None,
            zip_code: None,
            street: None,
            city: None,
            state: None,
            country: None,
            remark: None,
            extra: Map::new(),
        }
    }

    /// The replacement that writes `customer` back as it was read (the start of a
    /// read-modify-write), fields the SDK does not model included. A required field missing
    /// from `customer` is left empty, and sending the update then fails with
    /// [`Error::InvalidInput`] naming it, unless you fill it in.
    pub fn from_customer(customer_id: u64, customer: &Customer) -> Self {
        let mut extra = customer.extra.clone();
        // The id travels in the path; the modelled fields below always win over `extra`.
        extra.remove("customerId");
        Self {
            customer_id,
            first_name: customer.first_name.clone().unwrap_or_default(),
            last_name: customer.last_name.clone(),
            company: customer.company.clone().unwrap_or_default(),
            email: customer.email.clone().unwrap_or_default(),
            business_number: customer.business_number.clone(),
            mobile_number: customer.mobile_number.clone(),
            home_number: customer.home_number.clone(),
            fax_number: customer.fax_number.clone(),
            zip_code: customer.zip_code.clone(),
            street: customer.street.clone(),
            city: customer.city.clone(),
            state: customer.state.clone(),
            country: customer.country.clone(),
            remark: customer.remark.clone(),
            extra,
        }
    }

    /// The body: the modelled fields in the documented order, then the unmodelled ones. An
    /// unmodelled field never overrides a modelled one, even one set to `None` (omitted on
    /// purpose, e.g. by a model of another SDK version that had it in `extra`).
    fn body(&self) -> Self {
        let mut body = self.clone();
        body.extra.retain(|key, _| !MODELLED.contains(&key.as_str()));
        body
    }
}

/// The API names of the modelled fields (see [`UpdateCustomer::body`]).
const MODELLED: &[&str] = &[
    "customerId",
    "firstName",
    "lastName",
    "company",
    "email",
    "businessNumber",
    "mobileNumber",
    "homeNumber",
    "faxNumber",
    "zipCode",
    "street",
    "city",
    "state",
    "country",
    "remark",
];

impl Endpoint for UpdateCustomer {
    type Envelope = YcmEnvelope;
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        check_required(&self.first_name, &self.company, &self.email)?;
        Ok(Request::put("/dm/open_api/v1/customers/{customerId}")
            .path_param("customerId", self.customer_id)
            .json(&self.body()))
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_meta(meta))
    }
}

// ---------------------------------------------------------------------------------------------
// Delete customers

/// `DELETE /dm/open_api/v1/customers` with the JSON body `{customerIds}`: deletes customers.
/// An empty id list is refused before sending. YCM refuses to delete a customer associated
/// with a P-Series Cloud PBX: remove it from the PBX first
/// ([`CloudPbxs::remove_customers`](crate::CloudPbxs::remove_customers)) or delete the PBX.
/// When a retry (after a lost answer) finds the customers gone, the result says so with
/// `already_absent`.
///
/// ```
/// use yeastar_ycm::DeleteCustomers;
/// // The doc example: {"customerIds":[50429525,50429524]}
/// let req = DeleteCustomers::new([50429525, 50429524]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteCustomers {
    customer_ids: Vec<u64>,
}

impl DeleteCustomers {
    /// Deletes the customers `customer_ids`.
    pub fn new(customer_ids: impl IntoIterator<Item = u64>) -> Self {
        Self {
            customer_ids: customer_ids.into_iter().collect(),
        }
    }
}

impl Endpoint for DeleteCustomers {
    type Envelope = YcmEnvelope;
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        if self.customer_ids.is_empty() {
            return Err(Error::invalid_input(
                "customerIds",
                "at least one customer id is required",
            ));
        }
        Ok(Request::delete("/dm/open_api/v1/customers").json(self))
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_meta(meta))
    }

    fn already_absent(&self, meta: &Meta<'_>) -> Option<WriteResult> {
        Some(WriteResult::already_absent(meta, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body<E: Endpoint>(ep: &E) -> Value {
        serde_json::from_slice(ep.request().unwrap().json_body().unwrap()).unwrap()
    }

    fn field<E: Endpoint>(ep: &E) -> String {
        match ep.request().unwrap_err() {
            Error::InvalidInput { field, .. } => field,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn create_requires_first_name_company_and_a_valid_email() {
        assert_eq!(field(&CreateCustomer::new(" ", "Acme", "a@b.example")), "firstName");
        assert_eq!(field(&CreateCustomer::new("Leo", "", "a@b.example")), "company");
        assert_eq!(field(&CreateCustomer::new("Leo", "Acme", "nope")), "email");
        // Checked as it would be sent: padding is refused, not sent.
        assert_eq!(field(&CreateCustomer::new("Leo", "Acme", " leo@b.example ")), "email");
        let full = CreateCustomer::new("Leo", "Acme", "a@b.example")
            .last_name("Ball")
            .business_number("1")
            .mobile_number("2")
            .home_number("3")
            .fax_number("4")
            .zip_code("5")
            .street("6")
            .city("7")
            .state("8")
            .country("9")
            .remark("10");
        assert!(!full.request().unwrap().is_idempotent());
        assert_eq!(
            body(&full),
            json!({"firstName":"Leo","lastName":"Ball","company":"Acme","email":"a@b.example","businessNumber":"1",
                   "mobileNumber":"2","homeNumber":"3","faxNumber":"4","zipCode":"5","street":"6","city":"7",
                   "state":"8","country":"9","remark":"10"})
        );
    }

    #[test]
    fn update_keeps_unknown_fields_but_never_lets_them_override() {
        let customer: Customer = serde_json::from_value(json!({
            "customerId": 7, "firstName": "Leo", "company": "Acme", "email": "leo@acme.example",
            "city": "Xiamen", "vatNumber": "CN-1"
        }))
        .unwrap();
        let mut update = UpdateCustomer::from_customer(7, &customer);
        update.city = None;
        update.extra.insert("city".into(), json!("Smuggled"));
        update.extra.insert("email".into(), json!("smuggled@x.example"));
        assert_eq!(
            body(&update),
            json!({"firstName":"Leo","company":"Acme","email":"leo@acme.example","vatNumber":"CN-1"})
        );
        // A required field missing from the record read is reported, nothing is sent.
        let partial: Customer = serde_json::from_value(json!({"firstName": "Leo", "email": "l@a.example"})).unwrap();
        assert_eq!(field(&UpdateCustomer::from_customer(7, &partial)), "company");
        assert_eq!(
            field(&UpdateCustomer::new(7, "Leo", "Acme", "leo@acme.example\t")),
            "email"
        );
    }

    #[test]
    fn delete_needs_ids() {
        assert_eq!(field(&DeleteCustomers::new([])), "customerIds");
        assert_eq!(
            body(&DeleteCustomers::new([50429525, 50429524])),
            json!({"customerIds":[50429525,50429524]})
        );
    }
}
