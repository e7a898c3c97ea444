//! The subordinate-user endpoints as request values.

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::opt_bool;
use yeastar_transport::{ApiError, Endpoint, Error, Meta, Product, Request, Result, WriteResult, validate};

use super::model::{TaxType, User, UserType};
use crate::envelope::{ItemList, PpEnvelope};

/// `GET` one subordinate user; `{partnerId}` is the user's Yeastar ID.
pub const GET_USER_PATH: &str = "/user/openapi/user/v1/subordinate_user/{partnerId}";
/// `GET` the subordinate user list.
pub const LIST_USERS_PATH: &str = "/user/openapi/user/v1/client/partner_list";
/// `POST` a new subordinate user.
pub const CREATE_USER_PATH: &str = "/user/openapi/user/v1/client/save_user";
/// `POST` changes to a subordinate user.
pub const EDIT_USER_PATH: &str = "/user/openapi/user/v1/client/edit_user";

// ---------------------------------------------------------------------------------------------
// Query one user

/// `GET /user/openapi/user/v1/subordinate_user/{partnerId}`: one subordinate user.
///
/// The path value is the user's Yeastar ID (an email, as in the docs' example); it is
/// percent-encoded as exactly one path segment, so no value can change the path. It is not
/// required to look like an email, because whether the numeric `partnerId` also works is not
/// documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUser {
    partner_id: String,
}

impl GetUser {
    /// The user with Yeastar ID `partner_id`.
    pub fn new(partner_id: impl Into<String>) -> Self {
        Self {
            partner_id: partner_id.into(),
        }
    }
}

impl Endpoint for GetUser {
    type Envelope = PpEnvelope;
    type Data = User;
    type Output = User;

    fn request(&self) -> Result<Request> {
        validate::required("partnerId", &self.partner_id)?;
        Ok(Request::get(GET_USER_PATH).path_param("partnerId", &self.partner_id))
    }

    fn output(user: User, _: &Meta<'_>) -> Result<User> {
        Ok(user)
    }
}

// ---------------------------------------------------------------------------------------------
// Query the user list

/// `GET /user/openapi/user/v1/client/partner_list`: every subordinate user. The endpoint is
/// not paged: [`Users::list`](super::Users::list) reads it as a single page.
///
/// The docs type the result as `Object<User_Info>` without an example, so an array, a single
/// object and an object wrapping the array (`results`, `list`) are all accepted; `null`, `{}`
/// and `{"total":0,"list":null}` are no users (never one blank user).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListUsers {
    _private: (),
}

impl ListUsers {
    /// Every subordinate user.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Endpoint for ListUsers {
    type Envelope = PpEnvelope;
    type Data = ItemList<User>;
    type Output = Vec<User>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get(LIST_USERS_PATH))
    }

    fn output(list: ItemList<User>, _: &Meta<'_>) -> Result<Vec<User>> {
        Ok(list.0)
    }
}

yeastar_transport::list_endpoint!(ListUsers => User, unpaged);

// ---------------------------------------------------------------------------------------------
// Create and edit

/// The optional profile fields shared by [`CreateUser`] and [`EditUser`]; unset fields are
/// left out of the request (never sent as `null`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_province: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_type: Option<TaxType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_num: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remark: Option<String>,
}

/// `POST /user/openapi/user/v1/client/save_user`: creates a subordinate user (customer).
///
/// Required: `yeastarId` (an email), `company`, `country` (a country *name* from
/// [`countries`](crate::Client::countries)), and at least one of `firstName` / `lastName`; all
/// are checked before sending. `userType: "Customer"` is added by the SDK.
///
/// Not idempotent: the request is never sent twice, even on a transient failure (a second send
/// could create a second user or fail as a duplicate); an answer lost on the way is
/// [`Error::OutcomeUnknown`]. The API answers `result: true` or `false`; see [`Users::create`](super::Users::create).
///
/// ```
/// use yeastar_partner_portal::{CreateUser, TaxType};
/// let user = CreateUser::new("new.customer@example.com", "Example Ltd", "Chad")
///     .first_name("Ada")
///     .tax_type(TaxType::VatNumber)
///     .tax_num("1234")
///     .send_user_activation_email(true);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUser {
    yeastar_id: String,
    user_type: UserType,
    company: String,
    country: String,
    #[serde(flatten)]
    profile: Profile,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_user_activation_email: Option<bool>,
}

impl CreateUser {
    /// A new customer with Yeastar ID `yeastar_id` (an email); set a first or a last name
    /// before sending.
    pub fn new(yeastar_id: impl Into<String>, company: impl Into<String>, country: impl Into<String>) -> Self {
        Self {
            yeastar_id: yeastar_id.into(),
            user_type: UserType::Customer,
            company: company.into(),
            country: country.into(),
            profile: Profile::default(),
            send_user_activation_email: None,
        }
    }

    yeastar_transport::setters! {
        on profile;
        /// `firstName` or `lastName` is required.
        first_name: String => "firstName",
        /// `firstName` or `lastName` is required.
        last_name: String => "lastName",
        phone_number: String => "phoneNumber",
        state_province: String => "stateProvince",
        city: String => "city",
        street: String => "street",
        zip_code: String => "zipCode",
        tax_type: TaxType => "taxType",
        tax_num: String => "taxNum",
        remark: String => "remark",
    }

    yeastar_transport::setters! {
        send_user_activation_email = bool => "sendUserActivationEmail",
    }
}

impl Endpoint for CreateUser {
    type Envelope = PpEnvelope;
    type Data = ResultFlag;
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        validate::email("yeastarId", &self.yeastar_id)?;
        validate::required("company", &self.company)?;
        validate::required("country", &self.country)?;
        if !validate::is_filled(self.profile.first_name.as_deref())
            && !validate::is_filled(self.profile.last_name.as_deref())
        {
            return Err(Error::invalid_input(
                "firstName",
                "a first name or a last name is required to create a user",
            ));
        }
        // A create must never be replayed.
        Ok(Request::post(CREATE_USER_PATH).json(self).idempotent(false))
    }

    fn output(flag: ResultFlag, meta: &Meta<'_>) -> Result<WriteResult> {
        flag.into_write(meta, "create")
    }
}

/// `POST /user/openapi/user/v1/client/edit_user`: changes a subordinate user.
///
/// The user is identified by `yeastarId` (checked to be an email before sending); only the
/// fields set are sent. `userType: "Customer"` is added by the SDK. The call only sets fields,
/// so it is declared idempotent and retried on transient failures. The API answers
/// `result: true` or `false`; see [`Users::edit`](super::Users::edit).
///
/// ```
/// use yeastar_partner_portal::EditUser;
/// let edit = EditUser::new("yaya@yeastar.com").tax_num("1234");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditUser {
    yeastar_id: String,
    user_type: UserType,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<String>,
    #[serde(flatten)]
    profile: Profile,
}

impl EditUser {
    /// Changes to the user with Yeastar ID `yeastar_id`; set the fields to change.
    pub fn new(yeastar_id: impl Into<String>) -> Self {
        Self {
            yeastar_id: yeastar_id.into(),
            user_type: UserType::Customer,
            company: None,
            profile: Profile::default(),
        }
    }

    yeastar_transport::setters! {
        company: String => "company",
    }

    yeastar_transport::setters! {
        on profile;
        first_name: String => "firstName",
        last_name: String => "lastName",
        phone_number: String => "phoneNumber",
        state_province: String => "stateProvince",
        city: String => "city",
        street: String => "street",
        zip_code: String => "zipCode",
        tax_type: TaxType => "taxType",
        tax_num: String => "taxNum",
        remark: String => "remark",
    }
}

impl Endpoint for EditUser {
    type Envelope = PpEnvelope;
    type Data = ResultFlag;
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        validate::email("yeastarId", &self.yeastar_id)?;
        // Setting the same fields twice gives the same result.
        Ok(Request::post(EDIT_USER_PATH).json(self).idempotent(true))
    }

    fn output(flag: ResultFlag, meta: &Meta<'_>) -> Result<WriteResult> {
        flag.into_write(meta, "edit")
    }
}

/// `result: Boolean` of the write endpoints (`true`/`false`, or their string forms).
#[doc(hidden)]
#[derive(Debug, Deserialize)]
pub struct ResultFlag(#[serde(deserialize_with = "opt_bool")] Option<bool>);

impl ResultFlag {
    /// `true` is the write; `false` an [`Error::Api`] with the answer's status and request id;
    /// none at all a [`Error::Decode`].
    fn into_write(self, meta: &Meta<'_>, what: &str) -> Result<WriteResult> {
        match self.0 {
            Some(true) => Ok(WriteResult::from_meta(meta)),
            Some(false) => {
                let mut e = ApiError::new(Product::PartnerPortal, meta.status().as_u16()).with_message(format!(
                    "the {what} answered `result: false` with code `success`: the change was not made"
                ));
                if let Some(id) = meta.request_id() {
                    e = e.with_request_id(id);
                }
                Err(e.into())
            }
            None => Err(meta.decode_error("", "expected a boolean result, found none")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn body<E: Endpoint>(ep: &E) -> Value {
        serde_json::from_slice(ep.request().unwrap().json_body().unwrap()).unwrap()
    }

    #[test]
    fn bodies_carry_only_what_is_set() {
        assert_eq!(
            body(&EditUser::new("a@b.example")),
            json!({"yeastarId": "a@b.example", "userType": "Customer"})
        );
        let full = EditUser::new("a@b.example")
            .company("c")
            .first_name("f")
            .last_name("l")
            .phone_number("p")
            .state_province("s")
            .city("ci")
            .street("st")
            .zip_code("z")
            .tax_type(TaxType::Cuit)
            .tax_num("t")
            .remark("r");
        assert_eq!(
            body(&full),
            json!({"yeastarId": "a@b.example", "userType": "Customer", "company": "c", "firstName": "f",
                   "lastName": "l", "phoneNumber": "p", "stateProvince": "s", "city": "ci", "street": "st",
                   "zipCode": "z", "taxType": "CUIT", "taxNum": "t", "remark": "r"})
        );
        let create = CreateUser::new("a@b.example", "Co", "Chad")
            .last_name("L")
            .send_user_activation_email(false);
        assert_eq!(
            body(&create),
            json!({"yeastarId": "a@b.example", "userType": "Customer", "company": "Co", "country": "Chad",
                   "lastName": "L", "sendUserActivationEmail": false})
        );
        assert!(!create.request().unwrap().is_idempotent());
        assert!(EditUser::new("a@b.example").request().unwrap().is_idempotent());
    }
}
