//! YCM users: `/dm/open_api/v1/users` and `/dm/open_api/v2/users`.

use std::fmt;
use std::num::NonZeroU32;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use yeastar_transport::{Endpoint, Error, Pages, Payload, Request, Result};

use crate::client::Client;
use crate::envelope::{WriteResult, YcmEnvelope};
use crate::paging::{DEFAULT_STREAM_PAGE_SIZE, PagedList, Sort, clamp_page_size, pages};
use yeastar_transport::api_enum;
use yeastar_transport::lenient::opt_u64;

api_enum! {
    /// The type of a YCM user (`userType`). The standard edition knows `My Colleague` and
    /// `Reseller`; the BYOI edition `My Colleague` and `Hosting User`.
    ///
    /// ```
    /// use yeastar_ycm::UserType;
    /// assert_eq!(UserType::from("Hosting User"), UserType::HostingUser);
    /// assert_eq!(UserType::Reseller.as_str(), "Reseller");
    /// assert_eq!(UserType::from("Partner"), UserType::Unknown("Partner".into()));
    /// ```
    pub enum UserType {
        /// `My Colleague`: an account of your own organisation.
        MyColleague => "My Colleague",
        /// `Reseller` (standard edition).
        Reseller => "Reseller",
        /// `Hosting User` (BYOI edition).
        HostingUser => "Hosting User",
    }
}

api_enum! {
    /// Whether two-factor authentication is on for a user (`twoFactorAuthenticationEnable`).
    pub enum TwoFactorAuthentication {
        /// `enable`.
        Enable => "enable",
        /// `disable`.
        Disable => "disable",
    }
}

api_enum! {
    /// Whether a reseller package includes high availability (`highAvailability`).
    pub enum HighAvailability {
        /// `subscribed`.
        Subscribed => "subscribed",
        /// `unsubscribed`.
        Unsubscribed => "unsubscribed",
    }
}

/// The most Cloud PBXs a reseller may own (`pbxCreationLimit`).
///
/// On the wire it is an integer, where the empty string `""` means "no limit"; the doc forbids
/// 0, so a limit is a [`NonZeroU32`].
///
/// ```
/// use yeastar_ycm::PbxCreationLimit;
/// assert_eq!(serde_json::to_string(&PbxCreationLimit::Unlimited).unwrap(), r#""""#);
/// assert_eq!(serde_json::to_string(&PbxCreationLimit::new(5).unwrap()).unwrap(), "5");
/// assert!(PbxCreationLimit::new(0).is_err());
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PbxCreationLimit {
    /// No limit (sent as `""`).
    Unlimited,
    /// At most this many PBXs. YCM also refuses a value below the number the reseller
    /// already owns.
    Limit(NonZeroU32),
}

impl PbxCreationLimit {
    /// A limit of `count` PBXs; 0 is refused with [`Error::InvalidInput`] (field
    /// `pbxCreationLimit`), as the doc forbids it.
    pub fn new(count: u32) -> Result<Self> {
        NonZeroU32::new(count).map(Self::Limit).ok_or_else(|| {
            Error::invalid_input(
                "pbxCreationLimit",
                "0 is not allowed: the limit must be at least 1, or unlimited (sent as \"\")",
            )
        })
    }

    /// The limit, or `None` when unlimited.
    pub fn get(self) -> Option<u32> {
        match self {
            Self::Unlimited => None,
            Self::Limit(n) => Some(n.get()),
        }
    }
}

impl From<NonZeroU32> for PbxCreationLimit {
    fn from(n: NonZeroU32) -> Self {
        Self::Limit(n)
    }
}

impl Serialize for PbxCreationLimit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Self::Unlimited => s.serialize_str(""),
            Self::Limit(n) => s.serialize_u32(n.get()),
        }
    }
}

impl<'de> Deserialize<'de> for PbxCreationLimit {
    /// Reads `""` as unlimited, and a positive number or numeric string as a limit.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let n = match Value::deserialize(d)? {
            Value::String(s) if s.trim().is_empty() => return Ok(Self::Unlimited),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        };
        n.and_then(|n| u32::try_from(n).ok())
            .and_then(NonZeroU32::new)
            .map(Self::Limit)
            .ok_or_else(|| D::Error::custom("expected \"\" (no limit) or a positive integer"))
    }
}

/// A YCM user (`User_Info`). Every field is optional: YCM may leave any out.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The user id (`userId`, a Long; accepted as a number or a numeric string).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u64>,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Mobile number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// How many Cloud PBXs the user created (`createdCloudPbx`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub created_cloud_pbx: Option<u64>,
    /// How many resellers a hosting user created (`createdReseller`, BYOI edition).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub created_reseller: Option<u64>,
    /// The user type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    /// Whether two-factor authentication is on (`twoFactorAuthenticationEnable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_authentication_enable: Option<TwoFactorAuthentication>,
}

/// One page of users.
pub type UserPage = PagedList<User>;

// ---------------------------------------------------------------------------------------------
// Query one user

/// `GET /dm/open_api/v1/users/{userId}`: one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUser {
    user_id: u64,
}

impl GetUser {
    /// The user `user_id`.
    pub fn new(user_id: u64) -> Self {
        Self { user_id }
    }
}

impl Endpoint for GetUser {
    type Envelope = YcmEnvelope;
    type Output = User;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v1/users/{userId}").path_param("userId", self.user_id))
    }

    fn decode(payload: Payload<'_>) -> Result<User> {
        payload.json()
    }
}

// ---------------------------------------------------------------------------------------------
// Query all users

/// `GET /dm/open_api/v2/users`: one page of users. For every user, use
/// [`Users::list`], which pages lazily.
///
/// `pageSize` is clamped to 1..=[`MAX_PAGE_SIZE`](crate::MAX_PAGE_SIZE) (50) and `pageNumber`
/// to at least 1, rather than refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListUsers {
    page_size: Option<u32>,
    page_number: Option<u32>,
    sort: Option<Sort>,
}

impl ListUsers {
    /// All users, in YCM's default order and page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Items per page (`pageSize`, 1..=50; larger values are clamped to 50).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(clamp_page_size(size));
        self
    }

    /// The page to read (`pageNumber`, 1-based; for [`Users::list`], the first page read).
    pub fn page_number(mut self, page: u32) -> Self {
        self.page_number = Some(page.max(1));
        self
    }

    /// The sort order (`sort`), e.g. `Sort::descending("userId")`.
    pub fn sort(mut self, sort: impl Into<Sort>) -> Self {
        self.sort = Some(sort.into());
        self
    }
}

impl Endpoint for ListUsers {
    type Envelope = YcmEnvelope;
    type Output = UserPage;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v2/users")
            .query_opt("pageSize", self.page_size.map(clamp_page_size))
            .query_opt("pageNumber", self.page_number.map(|p| p.max(1)))
            .query_opt("sort", self.sort.as_ref()))
    }

    fn decode(payload: Payload<'_>) -> Result<UserPage> {
        payload.json()
    }
}

// ---------------------------------------------------------------------------------------------
// Create a user

/// The service package of a reseller or hosting user, sent when it is created. The four
/// counts of [`ResellerPackage::new`] are required by YCM; the rest are optional.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResellerPackage {
    /// Total extensions (`totalExtensions`).
    pub total_extensions: u32,
    /// Total concurrent calls (`totalConcurrentCalls`).
    pub total_concurrent_calls: u32,
    /// Total recordings (`totalRecordings`).
    pub total_recordings: u32,
    /// Minimum extensions per PBX (`minimumExtPerPBX`, spelled so on create).
    #[serde(rename = "minimumExtPerPBX")]
    pub minimum_ext_per_pbx: u32,
    /// Ultimate-plan PBXs (`totalUltimatePlan`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_ultimate_plan: Option<u32>,
    /// High availability (`highAvailability`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high_availability: Option<HighAvailability>,
    /// Custom domains (`totalCustomDomains`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_custom_domains: Option<u32>,
    /// Transcription (`totalTranscription`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_transcription: Option<u32>,
    /// Connections (`totalConnections`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_connections: Option<u32>,
}

impl ResellerPackage {
    /// A package with the four required counts.
    pub fn new(
        total_extensions: u32,
        total_concurrent_calls: u32,
        total_recordings: u32,
        minimum_ext_per_pbx: u32,
    ) -> Self {
        Self {
            total_extensions,
            total_concurrent_calls,
            total_recordings,
            minimum_ext_per_pbx,
            total_ultimate_plan: None,
            high_availability: None,
            total_custom_domains: None,
            total_transcription: None,
            total_connections: None,
        }
    }

    /// Sets `totalUltimatePlan`.
    pub fn total_ultimate_plan(mut self, n: u32) -> Self {
        self.total_ultimate_plan = Some(n);
        self
    }

    /// Sets `highAvailability`.
    pub fn high_availability(mut self, ha: HighAvailability) -> Self {
        self.high_availability = Some(ha);
        self
    }

    /// Sets `totalCustomDomains`.
    pub fn total_custom_domains(mut self, n: u32) -> Self {
        self.total_custom_domains = Some(n);
        self
    }

    /// Sets `totalTranscription`.
    pub fn total_transcription(mut self, n: u32) -> Self {
        self.total_transcription = Some(n);
        self
    }

    /// Sets `totalConnections`.
    pub fn total_connections(mut self, n: u32) -> Self {
        self.total_connections = Some(n);
        self
    }
}

/// `POST /dm/open_api/v1/users`: creates a user. Not idempotent: never retried after the
/// request may have reached YCM.
///
/// Checked before sending: `firstName` and `email` are not blank (and the email has an `@`);
/// a `Reseller` or `Hosting User` has a `company` and a [`ResellerPackage`].
///
/// ```
/// use yeastar_ycm::{CreateUser, ResellerPackage};
/// let req = CreateUser::reseller("Acme", "Ada", "ada@acme.example", ResellerPackage::new(100, 20, 10, 5))
///     .last_name("Lovelace");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUser {
    user_type: UserType,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<String>,
    first_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remark: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    package: Option<ResellerPackage>,
}

impl CreateUser {
    /// A user of `user_type` with the always-required fields.
    pub fn new(user_type: UserType, first_name: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            user_type,
            company: None,
            first_name: first_name.into(),
            last_name: None,
            email: email.into(),
            phone: None,
            mobile: None,
            address: None,
            remark: None,
            package: None,
        }
    }

    /// A reseller with everything YCM requires for one.
    pub fn reseller(
        company: impl Into<String>,
        first_name: impl Into<String>,
        email: impl Into<String>,
        package: ResellerPackage,
    ) -> Self {
        Self::new(UserType::Reseller, first_name, email)
            .company(company)
            .package(package)
    }

    /// Sets `company` (required for resellers and hosting users).
    pub fn company(mut self, v: impl Into<String>) -> Self {
        self.company = Some(v.into());
        self
    }

    /// Sets `lastName`.
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.last_name = Some(v.into());
        self
    }

    /// Sets `phone`.
    pub fn phone(mut self, v: impl Into<String>) -> Self {
        self.phone = Some(v.into());
        self
    }

    /// Sets `mobile`.
    pub fn mobile(mut self, v: impl Into<String>) -> Self {
        self.mobile = Some(v.into());
        self
    }

    /// Sets `address`.
    pub fn address(mut self, v: impl Into<String>) -> Self {
        self.address = Some(v.into());
        self
    }

    /// Sets `remark`.
    pub fn remark(mut self, v: impl Into<String>) -> Self {
        self.remark = Some(v.into());
        self
    }

    /// Sets the service package (required for resellers and hosting users).
    pub fn package(mut self, package: ResellerPackage) -> Self {
        self.package = Some(package);
        self
    }

    fn validate(&self) -> Result<()> {
        if self.first_name.trim().is_empty() {
            return Err(Error::invalid_input("firstName", "is required"));
        }
        yeastar_transport::validate::email("email", self.email.trim())?;
        if matches!(self.user_type, UserType::Reseller | UserType::HostingUser) {
            if self.company.as_deref().is_none_or(|c| c.trim().is_empty()) {
                return Err(Error::invalid_input(
                    "company",
                    format!("is required for a {}", self.user_type),
                ));
            }
            if self.package.is_none() {
                return Err(Error::invalid_input(
                    "totalExtensions",
                    format!(
                        "a {} needs a package (totalExtensions, totalConcurrentCalls, totalRecordings, \
                         minimumExtPerPBX): use CreateUser::package",
                        self.user_type
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Endpoint for CreateUser {
    type Envelope = YcmEnvelope;
    type Output = CreatedUser;

    fn request(&self) -> Result<Request> {
        self.validate()?;
        Ok(Request::post("/dm/open_api/v1/users").idempotent(false).json(self))
    }

    fn decode(payload: Payload<'_>) -> Result<CreatedUser> {
        #[derive(Deserialize)]
        struct Data {
            #[serde(rename = "userId", deserialize_with = "required_u64")]
            user_id: u64,
        }
        let data: Data = payload.json()?;
        Ok(CreatedUser {
            user_id: data.user_id,
            result: WriteResult::from_payload(&payload),
        })
    }
}

fn required_u64<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<u64, D::Error> {
    opt_u64(d)?.ok_or_else(|| serde::de::Error::custom("the user id is missing"))
}

/// The answer of [`CreateUser`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedUser {
    /// The new user's id (`data.userId`).
    pub user_id: u64,
    /// Request id and server time (serialised inline: `{userId, requestId, time}`).
    #[serde(flatten)]
    pub result: WriteResult,
}

impl CreatedUser {
    /// The server time as a timestamp.
    pub fn timestamp(&self) -> Option<SystemTime> {
        self.result.timestamp()
    }
}

// ---------------------------------------------------------------------------------------------
// Update a user

/// `PUT /dm/open_api/v1/users/{userId}`: updates a user. Every field is optional; fields left
/// unset are not sent (and so left unchanged).
///
/// ```
/// use yeastar_ycm::{PbxCreationLimit, UpdateUser};
/// let req = UpdateUser::new(13329)
///     .company("New Company Name")
///     .disable_two_factor_authentication()
///     .pbx_creation_limit(PbxCreationLimit::Unlimited);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateUser {
    user_id: u64,
    body: UpdateUserBody,
    pbx_creation_limit: Option<LimitInput>,
}

/// The limit as the caller gave it; a raw 0 is refused when the request is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LimitInput {
    Checked(PbxCreationLimit),
    Count(u32),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateUserBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remark: Option<String>,
    // The only valid value is "disable", so it is a flag set by a method, not a free string.
    #[serde(skip_serializing_if = "Option::is_none")]
    two_factor_authentication_enable: Option<TwoFactorAuthentication>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pbx_creation_limit: Option<PbxCreationLimit>,
}

impl UpdateUser {
    /// An update of user `user_id` that changes nothing yet.
    pub fn new(user_id: u64) -> Self {
        Self {
            user_id,
            body: UpdateUserBody::default(),
            pbx_creation_limit: None,
        }
    }

    /// Sets `company`.
    pub fn company(mut self, v: impl Into<String>) -> Self {
        self.body.company = Some(v.into());
        self
    }

    /// Sets `firstName`.
    pub fn first_name(mut self, v: impl Into<String>) -> Self {
        self.body.first_name = Some(v.into());
        self
    }

    /// Sets `lastName`.
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.body.last_name = Some(v.into());
        self
    }

    /// Sets `email`.
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.body.email = Some(v.into());
        self
    }

    /// Sets `phone`.
    pub fn phone(mut self, v: impl Into<String>) -> Self {
        self.body.phone = Some(v.into());
        self
    }

    /// Sets `mobile`.
    pub fn mobile(mut self, v: impl Into<String>) -> Self {
        self.body.mobile = Some(v.into());
        self
    }

    /// Sets `address`.
    pub fn address(mut self, v: impl Into<String>) -> Self {
        self.body.address = Some(v.into());
        self
    }

    /// Sets `remark`.
    pub fn remark(mut self, v: impl Into<String>) -> Self {
        self.body.remark = Some(v.into());
        self
    }

    /// Turns two-factor authentication off for the user (`"twoFactorAuthenticationEnable":
    /// "disable"`, the only value the API accepts; it cannot be turned on through the API).
    pub fn disable_two_factor_authentication(mut self) -> Self {
        self.body.two_factor_authentication_enable = Some(TwoFactorAuthentication::Disable);
        self
    }

    /// Sets `pbxCreationLimit` (effective for resellers only).
    pub fn pbx_creation_limit(mut self, limit: PbxCreationLimit) -> Self {
        self.pbx_creation_limit = Some(LimitInput::Checked(limit));
        self
    }

    /// Sets `pbxCreationLimit` to `count` PBXs. 0 is not allowed: sending the request then
    /// fails with [`Error::InvalidInput`] (field `pbxCreationLimit`) and nothing is sent.
    pub fn pbx_creation_limit_count(mut self, count: u32) -> Self {
        self.pbx_creation_limit = Some(LimitInput::Count(count));
        self
    }

    /// Removes the reseller's PBX creation limit (`"pbxCreationLimit": ""`).
    pub fn unlimited_pbx_creation(self) -> Self {
        self.pbx_creation_limit(PbxCreationLimit::Unlimited)
    }
}

impl Endpoint for UpdateUser {
    type Envelope = YcmEnvelope;
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        let mut body = self.body.clone();
        body.pbx_creation_limit = match self.pbx_creation_limit {
            None => None,
            Some(LimitInput::Checked(l)) => Some(l),
            Some(LimitInput::Count(n)) => Some(PbxCreationLimit::new(n)?),
        };
        Ok(Request::put("/dm/open_api/v1/users/{userId}")
            .path_param("userId", self.user_id)
            .json(&body))
    }

    fn decode(payload: Payload<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_payload(&payload))
    }
}

// ---------------------------------------------------------------------------------------------
// Delete users

/// `DELETE /dm/open_api/v1/users` with the JSON body `{userType, userIds}`: deletes users of
/// one type. An empty id list is refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteUsers {
    user_type: UserType,
    user_ids: Vec<u64>,
}

impl DeleteUsers {
    /// Deletes the users `user_ids`, all of type `user_type`.
    pub fn new(user_type: UserType, user_ids: impl IntoIterator<Item = u64>) -> Self {
        Self {
            user_type,
            user_ids: user_ids.into_iter().collect(),
        }
    }
}

impl Endpoint for DeleteUsers {
    type Envelope = YcmEnvelope;
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        if self.user_ids.is_empty() {
            return Err(Error::invalid_input("userIds", "at least one user id is required"));
        }
        Ok(Request::delete("/dm/open_api/v1/users").json(self))
    }

    fn decode(payload: Payload<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_payload(&payload))
    }
}

// ---------------------------------------------------------------------------------------------
// Update the subscription of a user

/// `PUT /dm/open_api/v1/users/{userId}/subscription_info`: changes a reseller's or hosting
/// user's package. YCM does not allow the totals to be reduced.
///
/// Note the spelling `minimumExtPerPbx` here, unlike `minimumExtPerPBX` on create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSubscription {
    user_id: u64,
    body: SubscriptionBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    total_extensions: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_concurrent_calls: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_recordings: Option<u32>,
    minimum_ext_per_pbx: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_availability: Option<HighAvailability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_custom_domains: Option<u32>,
}

impl UpdateSubscription {
    /// An update of user `user_id` with the required `minimumExtPerPbx`.
    pub fn new(user_id: u64, minimum_ext_per_pbx: u32) -> Self {
        Self {
            user_id,
            body: SubscriptionBody {
                total_extensions: None,
                total_concurrent_calls: None,
                total_recordings: None,
                minimum_ext_per_pbx,
                high_availability: None,
                total_custom_domains: None,
            },
        }
    }

    /// Sets `totalExtensions`.
    pub fn total_extensions(mut self, n: u32) -> Self {
        self.body.total_extensions = Some(n);
        self
    }

    /// Sets `totalConcurrentCalls`.
    pub fn total_concurrent_calls(mut self, n: u32) -> Self {
        self.body.total_concurrent_calls = Some(n);
        self
    }

    /// Sets `totalRecordings`.
    pub fn total_recordings(mut self, n: u32) -> Self {
        self.body.total_recordings = Some(n);
        self
    }

    /// Sets `highAvailability`.
    pub fn high_availability(mut self, ha: HighAvailability) -> Self {
        self.body.high_availability = Some(ha);
        self
    }

    /// Sets `totalCustomDomains`.
    pub fn total_custom_domains(mut self, n: u32) -> Self {
        self.body.total_custom_domains = Some(n);
        self
    }
}

impl Endpoint for UpdateSubscription {
    type Envelope = YcmEnvelope;
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        Ok(Request::put("/dm/open_api/v1/users/{userId}/subscription_info")
            .path_param("userId", self.user_id)
            .json(&self.body))
    }

    fn decode(payload: Payload<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_payload(&payload))
    }
}

// ---------------------------------------------------------------------------------------------
// The handle

/// The YCM user API of a [`Client`] (see [`Client::users`]).
#[derive(Clone, Copy)]
pub struct Users<'a> {
    client: &'a Client,
}

impl fmt::Debug for Users<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Users").finish_non_exhaustive()
    }
}

impl<'a> Users<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Queries one user (`GET /dm/open_api/v1/users/{userId}`).
    pub async fn get(&self, user_id: u64) -> Result<User> {
        self.client.send(&GetUser::new(user_id)).await
    }

    /// Every user matching `query`, as a lazy stream read page by page
    /// (`GET /dm/open_api/v2/users`). Without a page size, pages of
    /// [`DEFAULT_STREAM_PAGE_SIZE`] (50) are read.
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_ycm::Client) -> yeastar_ycm::Result<()> {
    /// use yeastar_ycm::{ListUsers, Sort};
    /// let mut users = client.users().list(ListUsers::new().sort(Sort::descending("userId"))).items();
    /// while let Some(user) = users.next().await {
    ///     println!("{:?}", user?.email);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, query: ListUsers) -> Pages<User> {
        let size = query.page_size.unwrap_or(DEFAULT_STREAM_PAGE_SIZE);
        let first = query.page_number.unwrap_or(1);
        pages(self.client, first, size, move |page_no| {
            query.clone().page_size(size).page_number(page_no)
        })
    }

    /// Every user, read lazily page by page.
    pub fn all(&self) -> Pages<User> {
        self.list(ListUsers::new())
    }

    /// One page of users, as asked.
    pub async fn list_page(&self, query: &ListUsers) -> Result<UserPage> {
        self.client.send(query).await
    }

    /// Creates a user (`POST /dm/open_api/v1/users`); returns its id. Never retried once the
    /// request may have reached YCM.
    pub async fn create(&self, user: CreateUser) -> Result<CreatedUser> {
        self.client.send(&user).await
    }

    /// Updates a user (`PUT /dm/open_api/v1/users/{userId}`).
    pub async fn update(&self, update: UpdateUser) -> Result<WriteResult> {
        self.client.send(&update).await
    }

    /// Deletes users of one type (`DELETE /dm/open_api/v1/users`).
    pub async fn delete(&self, user_type: UserType, user_ids: impl IntoIterator<Item = u64>) -> Result<WriteResult> {
        self.client.send(&DeleteUsers::new(user_type, user_ids)).await
    }

    /// Updates a user's subscription (`PUT /dm/open_api/v1/users/{userId}/subscription_info`).
    pub async fn update_subscription(&self, update: UpdateSubscription) -> Result<WriteResult> {
        self.client.send(&update).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body<E: Endpoint>(ep: &E) -> Value {
        serde_json::from_slice(ep.request().unwrap().json_body().unwrap()).unwrap()
    }

    #[test]
    fn enums_round_trip_and_keep_unknown_values() {
        for (t, s) in [
            (UserType::MyColleague, "My Colleague"),
            (UserType::Reseller, "Reseller"),
            (UserType::HostingUser, "Hosting User"),
            (UserType::Unknown("Distributor".into()), "Distributor"),
        ] {
            assert_eq!(serde_json::to_value(&t).unwrap(), json!(s));
            assert_eq!(serde_json::from_value::<UserType>(json!(s)).unwrap(), t);
            assert_eq!(t.to_string(), s);
        }
        assert_eq!(
            serde_json::from_value::<TwoFactorAuthentication>(json!("enable")).unwrap(),
            TwoFactorAuthentication::Enable
        );
        assert_eq!(
            serde_json::from_value::<TwoFactorAuthentication>(json!(true)).unwrap(),
            TwoFactorAuthentication::Unknown("true".into())
        );
        assert_eq!(
            serde_json::to_value(HighAvailability::Subscribed).unwrap(),
            json!("subscribed")
        );
    }

    #[test]
    fn pbx_creation_limit_wire_format() {
        assert_eq!(serde_json::to_value(PbxCreationLimit::Unlimited).unwrap(), json!(""));
        assert_eq!(
            serde_json::to_value(PbxCreationLimit::new(5).unwrap()).unwrap(),
            json!(5)
        );
        for (v, want) in [
            (json!(""), PbxCreationLimit::Unlimited),
            (json!(7), PbxCreationLimit::new(7).unwrap()),
            (json!("7"), PbxCreationLimit::new(7).unwrap()),
        ] {
            assert_eq!(serde_json::from_value::<PbxCreationLimit>(v).unwrap(), want);
        }
        for bad in [json!(0), json!("0"), json!(-1), json!("x"), json!(1.5), json!(u64::MAX)] {
            assert!(
                serde_json::from_value::<PbxCreationLimit>(bad.clone()).is_err(),
                "{bad}"
            );
        }
        let err = PbxCreationLimit::new(0).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == "pbxCreationLimit"),
            "{err}"
        );
        assert_eq!(PbxCreationLimit::Unlimited.get(), None);
    }

    #[test]
    fn update_user_sends_only_what_is_set() {
        assert_eq!(body(&UpdateUser::new(1)), json!({}));
        let full = UpdateUser::new(1)
            .company("c")
            .first_name("f")
            .last_name("l")
            .email("e@x")
            .phone("p")
            .mobile("m")
            .address("a")
            .remark("r")
            .disable_two_factor_authentication()
            .pbx_creation_limit_count(3);
        assert_eq!(
            body(&full),
            json!({"company":"c","firstName":"f","lastName":"l","email":"e@x","phone":"p","mobile":"m",
                   "address":"a","remark":"r","twoFactorAuthenticationEnable":"disable","pbxCreationLimit":3})
        );
        let err = UpdateUser::new(1).pbx_creation_limit_count(0).request().unwrap_err();
        assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "pbxCreationLimit"));
    }

    #[test]
    fn user_decodes_leniently() {
        let u: User = serde_json::from_value(json!({
            "userId": "13329", "company": "Acme", "createdCloudPbx": "2", "userType": "Hosting User",
            "twoFactorAuthenticationEnable": "disable", "somethingNew": {"x": 1}, "remark": null
        }))
        .unwrap();
        assert_eq!(u.user_id, Some(13329));
        assert_eq!(u.created_cloud_pbx, Some(2));
        assert_eq!(u.user_type, Some(UserType::HostingUser));
        assert_eq!(
            u.two_factor_authentication_enable,
            Some(TwoFactorAuthentication::Disable)
        );
        assert_eq!(u.remark, None);
    }

    #[test]
    fn create_user_validation() {
        let pkg = ResellerPackage::new(100, 20, 10, 5);
        let ok = CreateUser::reseller("Acme", "Ada", "ada@acme.example", pkg.clone());
        assert!(!ok.request().unwrap().is_idempotent());
        let field = |c: CreateUser| match c.request().unwrap_err() {
            Error::InvalidInput { field, .. } => field,
            other => panic!("{other}"),
        };
        assert_eq!(
            field(CreateUser::reseller("Acme", " ", "a@b.example", pkg.clone())),
            "firstName"
        );
        assert_eq!(field(CreateUser::reseller("Acme", "Ada", "nope", pkg.clone())), "email");
        assert_eq!(
            field(CreateUser::new(UserType::Reseller, "Ada", "a@b.example").package(pkg)),
            "company"
        );
        assert_eq!(
            field(CreateUser::new(UserType::HostingUser, "Ada", "a@b.example").company("Acme")),
            "totalExtensions"
        );
        // A colleague needs neither company nor package.
        assert!(
            CreateUser::new(UserType::MyColleague, "Ada", "a@b.example")
                .request()
                .is_ok()
        );
    }

    #[test]
    fn list_users_query() {
        let r = ListUsers::new()
            .page_size(80)
            .page_number(0)
            .sort("-userId")
            .request()
            .unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/dm/open_api/v2/users?pageSize=50&pageNumber=1&sort=-userId"
        );
        assert_eq!(
            ListUsers::new().request().unwrap().path_and_query().unwrap(),
            "/dm/open_api/v2/users"
        );
    }

    #[test]
    fn delete_needs_ids() {
        let err = DeleteUsers::new(UserType::Reseller, []).request().unwrap_err();
        assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "userIds"));
        assert_eq!(
            body(&DeleteUsers::new(UserType::MyColleague, [1, 2])),
            json!({"userType":"My Colleague","userIds":[1,2]})
        );
    }
}
