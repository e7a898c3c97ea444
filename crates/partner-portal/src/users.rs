//! Subordinate users (the partner's customers): query one, list, create, edit.
//!
//! Partner Portal has no delete: removing a customer goes through the Yeastar account manager.

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient;
use yeastar_transport::{Endpoint, Payload, Request, Result};

use crate::client::Client;
use crate::de;
use crate::envelope::PpEnvelope;
use yeastar_transport::validate;

/// `GET` one subordinate user; `{partnerId}` is the user's Yeastar ID.
pub const GET_USER_PATH: &str = "/user/openapi/user/v1/subordinate_user/{partnerId}";
/// `GET` the subordinate user list.
pub const LIST_USERS_PATH: &str = "/user/openapi/user/v1/client/partner_list";
/// `POST` a new subordinate user.
pub const CREATE_USER_PATH: &str = "/user/openapi/user/v1/client/save_user";
/// `POST` changes to a subordinate user.
pub const EDIT_USER_PATH: &str = "/user/openapi/user/v1/client/edit_user";

yeastar_transport::api_enum! {
    /// A user type.
    ///
    /// Users are written as [`UserType::Customer`] (the only value create and edit accept; the
    /// SDK sends it for you) and read back as [`UserType::Enduser`].
    pub enum UserType {
        /// `Enduser`: how customers read back on the list and detail endpoints.
        Enduser => "Enduser",
        /// `Customer`: the type sent on create and edit.
        Customer => "Customer",
    }
}

yeastar_transport::api_enum! {
    /// The kind of tax number in [`UserProfile::tax_num`].
    pub enum TaxType {
        /// `VAT_number`.
        VatNumber => "VAT_number",
        /// `Tax_ID`.
        TaxId => "Tax_ID",
        /// `TIN_number`.
        TinNumber => "TIN_number",
        /// `RUC` (Peru).
        Ruc => "RUC",
        /// `CUIT` (Argentina).
        Cuit => "CUIT",
    }
}

/// A subordinate user as the API returns it (`User_Info`).
///
/// Every field may be missing or empty; empty strings are kept as they came (`Some("")`),
/// except `userType`, where an empty value reads as `None`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    /// The user's unique ID (`partnerId`, a 19-digit number sent as a string).
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// Email address (the Yeastar ID).
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// User type; customers read back as [`UserType::Enduser`].
    #[serde(deserialize_with = "de::opt_enum", skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
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
    /// Country (a name from the country list).
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
    /// Tax identification number (as the API returns it, e.g. `VAT_number:` in the docs' example).
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub tax_num: Option<String>,
    /// Remark.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// The optional profile fields shared by [`CreateUser`] and [`EditUser`]; unset fields are
/// left out of the request (never sent as `null`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    /// `firstName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// `lastName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `phoneNumber`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// `stateProvince`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_province: Option<String>,
    /// `city`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `street`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// `zipCode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// `taxType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_type: Option<TaxType>,
    /// `taxNum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_num: Option<String>,
    /// `remark`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// Builder-style setters for the [`UserProfile`] fields of a request.
macro_rules! profile_setters {
    ($($(#[$doc:meta])* $field:ident: $ty:ty,)+) => {
        $(
            $(#[$doc])*
            pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                self.profile.$field = Some(value.into());
                self
            }
        )+
    };
}

macro_rules! all_profile_setters {
    () => {
        profile_setters! {
            /// Sets `firstName`.
            first_name: String,
            /// Sets `lastName`.
            last_name: String,
            /// Sets `phoneNumber`.
            phone_number: String,
            /// Sets `stateProvince`.
            state_province: String,
            /// Sets `city`.
            city: String,
            /// Sets `street`.
            street: String,
            /// Sets `zipCode`.
            zip_code: String,
            /// Sets `taxType`.
            tax_type: TaxType,
            /// Sets `taxNum`.
            tax_num: String,
            /// Sets `remark`.
            remark: String,
        }
    };
}

/// Query one subordinate user: `GET /user/openapi/user/v1/subordinate_user/{partnerId}`.
///
/// The path value is the user's Yeastar ID (an email, as in the docs' example); it is
/// percent-encoded as exactly one path segment, so no value can change the path. It is not
/// required to look like an email, because whether the numeric `partnerId` also works is not
/// documented.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUser {
    /// The user's Yeastar ID.
    pub partner_id: String,
}

impl GetUser {
    /// Queries the user with Yeastar ID `partner_id`.
    pub fn new(partner_id: impl Into<String>) -> Self {
        Self {
            partner_id: partner_id.into(),
        }
    }
}

impl Endpoint for GetUser {
    type Envelope = PpEnvelope;
    type Output = User;

    fn request(&self) -> Result<Request> {
        validate::required("partnerId", &self.partner_id)?;
        Ok(Request::get(GET_USER_PATH).path_param("partnerId", &self.partner_id))
    }

    fn decode(payload: Payload<'_>) -> Result<User> {
        payload.json()
    }
}

/// Query the subordinate user list: `GET /user/openapi/user/v1/client/partner_list` (not paged).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListUsers;

impl Endpoint for ListUsers {
    type Envelope = PpEnvelope;
    type Output = Vec<User>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get(LIST_USERS_PATH))
    }

    /// The docs type the result as `Object<User_Info>` without an example, so an array, a single
    /// object, `null` and an object wrapping the array (`results`, `list`) are all accepted.
    fn decode(payload: Payload<'_>) -> Result<Vec<User>> {
        payload.json::<de::Listish<User>>().map(|l| l.0)
    }
}

/// Create a subordinate user (customer): `POST /user/openapi/user/v1/client/save_user`.
///
/// Required: `yeastarId` (an email), `company`, `country` (a country *name* from
/// [`countries`](crate::Client::countries)), and at least one of `firstName` / `lastName`; all
/// are checked before sending. `userType: "Customer"` is added by the SDK.
///
/// Not idempotent: the request is never sent twice, even on a transient failure (a second send
/// could create a second user or fail as a duplicate).
///
/// ```
/// use yeastar_partner_portal::users::{CreateUser, TaxType};
/// let user = CreateUser::new("new.customer@example.com", "Example Ltd", "Chad")
///     .first_name("Ada")
///     .tax_type(TaxType::VatNumber)
///     .tax_num("1234")
///     .send_user_activation_email(true);
/// assert_eq!(user.profile.first_name.as_deref(), Some("Ada"));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateUser {
    /// `yeastarId`: the new user's Yeastar ID (email address).
    pub yeastar_id: String,
    /// `company`.
    pub company: String,
    /// `country`: a country name, as in the country list.
    pub country: String,
    /// The optional profile fields (`firstName` or `lastName` is required).
    pub profile: UserProfile,
    /// `sendUserActivationEmail`.
    pub send_user_activation_email: Option<bool>,
}

impl CreateUser {
    /// A new customer; set a first or a last name before sending.
    pub fn new(yeastar_id: impl Into<String>, company: impl Into<String>, country: impl Into<String>) -> Self {
        Self {
            yeastar_id: yeastar_id.into(),
            company: company.into(),
            country: country.into(),
            profile: UserProfile::default(),
            send_user_activation_email: None,
        }
    }

    all_profile_setters!();

    /// Sets `sendUserActivationEmail`.
    pub fn send_user_activation_email(mut self, send: bool) -> Self {
        self.send_user_activation_email = Some(send);
        self
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateWire<'a> {
    yeastar_id: &'a str,
    user_type: UserType,
    company: &'a str,
    country: &'a str,
    #[serde(flatten)]
    profile: &'a UserProfile,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_user_activation_email: Option<bool>,
}

impl Endpoint for CreateUser {
    type Envelope = PpEnvelope;
    type Output = bool;

    fn request(&self) -> Result<Request> {
        validate::email("yeastarId", &self.yeastar_id)?;
        validate::required("company", &self.company)?;
        validate::required("country", &self.country)?;
        if !validate::is_filled(self.profile.first_name.as_deref())
            && !validate::is_filled(self.profile.last_name.as_deref())
        {
            return Err(yeastar_transport::Error::invalid_input(
                "firstName",
                "a first name or a last name is required to create a user",
            ));
        }
        let body = CreateWire {
            yeastar_id: &self.yeastar_id,
            user_type: UserType::Customer,
            company: &self.company,
            country: &self.country,
            profile: &self.profile,
            send_user_activation_email: self.send_user_activation_email,
        };
        // A create must never be replayed.
        Ok(Request::post(CREATE_USER_PATH).json(&body).idempotent(false))
    }

    fn decode(payload: Payload<'_>) -> Result<bool> {
        decode_flag(payload)
    }
}

/// Edit a subordinate user: `POST /user/openapi/user/v1/client/edit_user`.
///
/// The user is identified by `yeastarId` (checked to be an email before sending); only the
/// fields set are sent. `userType: "Customer"` is added by the SDK. The call only sets fields,
/// so it is declared idempotent and retried on transient failures.
///
/// ```
/// use yeastar_partner_portal::users::EditUser;
/// let edit = EditUser::new("yaya@yeastar.com").tax_num("1234");
/// assert_eq!(edit.profile.tax_num.as_deref(), Some("1234"));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditUser {
    /// `yeastarId`: the Yeastar ID (email address) of the user to edit.
    pub yeastar_id: String,
    /// `company`.
    pub company: Option<String>,
    /// The optional profile fields.
    pub profile: UserProfile,
}

impl EditUser {
    /// Changes to the user with Yeastar ID `yeastar_id`; set the fields to change.
    pub fn new(yeastar_id: impl Into<String>) -> Self {
        Self {
            yeastar_id: yeastar_id.into(),
            company: None,
            profile: UserProfile::default(),
        }
    }

    /// Sets `company`.
    pub fn company(mut self, company: impl Into<String>) -> Self {
        self.company = Some(company.into());
        self
    }

    all_profile_setters!();
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EditWire<'a> {
    yeastar_id: &'a str,
    user_type: UserType,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<&'a str>,
    #[serde(flatten)]
    profile: &'a UserProfile,
}

impl Endpoint for EditUser {
    type Envelope = PpEnvelope;
    type Output = bool;

    fn request(&self) -> Result<Request> {
        validate::email("yeastarId", &self.yeastar_id)?;
        let body = EditWire {
            yeastar_id: &self.yeastar_id,
            user_type: UserType::Customer,
            company: self.company.as_deref(),
            profile: &self.profile,
        };
        // Setting the same fields twice gives the same result.
        Ok(Request::post(EDIT_USER_PATH).json(&body).idempotent(true))
    }

    fn decode(payload: Payload<'_>) -> Result<bool> {
        decode_flag(payload)
    }
}

#[derive(Deserialize)]
struct Flag(#[serde(deserialize_with = "lenient::opt_bool")] Option<bool>);

/// `result: Boolean` of the write endpoints.
fn decode_flag(payload: Payload<'_>) -> Result<bool> {
    payload
        .json::<Flag>()?
        .0
        .ok_or_else(|| payload.decode_error("", "expected a boolean result, found none"))
}

/// Subordinate-user operations; from [`Client::users`].
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    client: &'a Client,
}

impl<'a> Users<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Queries one subordinate user by Yeastar ID (email address).
    pub async fn get(&self, yeastar_id: impl Into<String>) -> Result<User> {
        self.client.send(&GetUser::new(yeastar_id)).await
    }

    /// Lists all subordinate users (the endpoint is not paged).
    pub async fn list(&self) -> Result<Vec<User>> {
        self.client.send(&ListUsers).await
    }

    /// Creates a subordinate user (customer); returns the API's `result` flag. Never retried.
    pub async fn create(&self, user: CreateUser) -> Result<bool> {
        self.client.send(&user).await
    }

    /// Edits a subordinate user; returns the API's `result` flag. Retried on transient failures.
    pub async fn edit(&self, edit: EditUser) -> Result<bool> {
        self.client.send(&edit).await
    }
}
