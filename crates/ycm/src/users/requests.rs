//! The YCM user endpoints as request values.

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::opt_u64;
use yeastar_transport::{Endpoint, Error, Meta, Request, Result, WriteResult, validate};

use super::model::{
    HighAvailability, PbxCreationLimit, ResellerPackage, TwoFactorAuthentication, User, UserPage, UserType,
};
use crate::envelope::{DEFAULT_PAGE_SIZE, Sort, YcmEnvelope, check_page};

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
    type Data = User;
    type Output = User;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v1/users/{userId}").path_param("userId", self.user_id))
    }

    fn output(user: User, _: &Meta<'_>) -> Result<User> {
        Ok(user)
    }
}

// ---------------------------------------------------------------------------------------------
// Query all users

/// `GET /dm/open_api/v2/users`: users, one page per request. [`Users::list`](super::Users::list)
/// reads every page lazily, [`DEFAULT_PAGE_SIZE`] (50) at a time unless set.
///
/// `pageNumber` starts at 1 and `pageSize` is 1..=50: other values are refused with
/// [`Error::InvalidInput`] before anything is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListUsers {
    page_size: Option<u32>,
    page_number: Option<u32>,
    sort: Option<Sort>,
}

impl ListUsers {
    /// All users, in YCM's default order.
    pub fn new() -> Self {
        Self::default()
    }

    yeastar_transport::setters! {
        /// 1..=50.
        page_size = u32 => "pageSize",
        /// 1-based; for a listing, the first page read.
        page_number = u32 => "pageNumber",
        /// E.g. `Sort::descending("userId")` or `"-userId"`.
        sort: Sort => "sort",
    }
}

impl Endpoint for ListUsers {
    type Envelope = YcmEnvelope;
    type Data = UserPage;
    type Output = UserPage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_number, self.page_size)?;
        Ok(Request::get("/dm/open_api/v2/users")
            .query_opt("pageSize", self.page_size)
            .query_opt("pageNumber", self.page_number)
            .query_opt("sort", self.sort.as_ref()))
    }

    fn output(page: UserPage, _: &Meta<'_>) -> Result<UserPage> {
        Ok(page)
    }
}

yeastar_transport::list_endpoint!(ListUsers => User, paged(page_number, page_size, DEFAULT_PAGE_SIZE));

// ---------------------------------------------------------------------------------------------
// Create a user

/// `POST /dm/open_api/v1/users`: creates a user. Not idempotent: never sent twice by the
/// transport; an answer lost on the way is [`Error::OutcomeUnknown`].
///
/// What each edition allows (checked before sending):
///
/// | `userType` | edition | `company` | package |
/// |---|---|---|---|
/// | `Reseller` | standard | required | [`ResellerPackage`] required |
/// | `Hosting User` | BYOI | required | required, without `totalUltimatePlan`, `totalTranscription`, `totalConnections` |
/// | `My Colleague` | BYOI | optional | none |
///
/// `firstName` and a valid `email` are always required.
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

    /// A reseller (standard edition) with everything YCM requires for one.
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

    /// A hosting user (BYOI edition) with everything YCM requires for one.
    pub fn hosting_user(
        company: impl Into<String>,
        first_name: impl Into<String>,
        email: impl Into<String>,
        package: ResellerPackage,
    ) -> Self {
        Self::new(UserType::HostingUser, first_name, email)
            .company(company)
            .package(package)
    }

    /// A colleague (BYOI edition).
    pub fn colleague(first_name: impl Into<String>, email: impl Into<String>) -> Self {
        Self::new(UserType::MyColleague, first_name, email)
    }

    yeastar_transport::setters! {
        /// Required for resellers and hosting users.
        company: String => "company",
        last_name: String => "lastName",
        phone: String => "phone",
        mobile: String => "mobile",
        address: String => "address",
        remark: String => "remark",
        /// The reseller or hosting package (`totalExtensions`, …).
        package: ResellerPackage => "totalExtensions, totalConcurrentCalls, totalRecordings, minimumExtPerPBX, …",
    }

    fn validate(&self) -> Result<()> {
        validate::required("firstName", &self.first_name)?;
        validate::email("email", &self.email)?;
        let kind = match &self.user_type {
            UserType::Unknown(other) => {
                return Err(Error::invalid_input(
                    "userType",
                    format!("{other:?} cannot be created: use Reseller, Hosting User or My Colleague"),
                ));
            }
            t => t,
        };
        let needs_package = matches!(kind, UserType::Reseller | UserType::HostingUser);
        if needs_package && !validate::is_filled(self.company.as_deref()) {
            return Err(Error::invalid_input("company", format!("is required for a {kind}")));
        }
        match (&self.package, needs_package) {
            (None, true) => Err(Error::invalid_input(
                "totalExtensions",
                format!(
                    "a {kind} needs a package (totalExtensions, totalConcurrentCalls, totalRecordings, \
                     minimumExtPerPBX): use CreateUser::package"
                ),
            )),
            (Some(_), false) => Err(Error::invalid_input(
                "totalExtensions",
                "a colleague has no package: the package fields are only for resellers and hosting users",
            )),
            (Some(p), true) if *kind == UserType::HostingUser => {
                let standard_only = [
                    ("totalUltimatePlan", p.total_ultimate_plan.is_some()),
                    ("totalTranscription", p.total_transcription.is_some()),
                    ("totalConnections", p.total_connections.is_some()),
                ];
                match standard_only.iter().find(|(_, set)| *set) {
                    Some((field, _)) => Err(Error::invalid_input(
                        *field,
                        "is not part of a hosting package (BYOI edition); only resellers have it",
                    )),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }
}

/// `data: {userId}` of a create (see [`CreateUser`]).
#[doc(hidden)]
#[derive(Debug, Deserialize)]
pub struct CreatedId {
    #[serde(rename = "userId", default, deserialize_with = "opt_u64")]
    user_id: Option<u64>,
}

impl Endpoint for CreateUser {
    type Envelope = YcmEnvelope;
    type Data = CreatedId;
    type Output = WriteResult<u64>;

    fn request(&self) -> Result<Request> {
        self.validate()?;
        Ok(Request::post("/dm/open_api/v1/users").json(self))
    }

    fn output(data: CreatedId, meta: &Meta<'_>) -> Result<WriteResult<u64>> {
        let id = data
            .user_id
            .ok_or_else(|| meta.decode_error("userId", "the new user's id is missing"))?;
        Ok(WriteResult::from_meta(meta).with_id(Some(id)))
    }
}

// ---------------------------------------------------------------------------------------------
// Update a user

/// `PUT /dm/open_api/v1/users/{userId}`: updates a user. Every field is optional; fields left
/// unset are not sent (and so left unchanged). An email, when set, is checked like on create.
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

    yeastar_transport::setters! {
        on body;
        company: String => "company",
        first_name: String => "firstName",
        last_name: String => "lastName",
        email: String => "email",
        phone: String => "phone",
        mobile: String => "mobile",
        address: String => "address",
        remark: String => "remark",
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
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        if let Some(email) = &self.body.email {
            validate::email("email", email)?;
        }
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

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_meta(meta))
    }
}

// ---------------------------------------------------------------------------------------------
// Delete users

/// `DELETE /dm/open_api/v1/users` with the JSON body `{userType, userIds}`: deletes users of
/// one type. An empty id list is refused before sending. When a retry (after a lost answer)
/// finds the users gone, the result says so with `already_absent`.
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
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        if self.user_ids.is_empty() {
            return Err(Error::invalid_input("userIds", "at least one user id is required"));
        }
        Ok(Request::delete("/dm/open_api/v1/users").json(self))
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_meta(meta))
    }

    fn already_absent(&self, meta: &Meta<'_>) -> Option<WriteResult> {
        Some(WriteResult::already_absent(meta, None))
    }
}

// ---------------------------------------------------------------------------------------------
// Update the subscription of a user

/// `PUT /dm/open_api/v1/users/{userId}/subscription_info`: changes a reseller's or hosting
/// user's package. The docs mark all four counts required; YCM refuses a reduction of the
/// recording minutes (`totalRecordings`).
///
/// Note the spelling `minimumExtPerPbx` here, unlike `minimumExtPerPBX` on create.
///
/// ```
/// use yeastar_ycm::UpdateSubscription;
/// let req = UpdateSubscription::new(13329, 120, 60, 600, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSubscription {
    user_id: u64,
    body: SubscriptionBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionBody {
    total_extensions: u32,
    total_concurrent_calls: u32,
    total_recordings: u32,
    minimum_ext_per_pbx: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_availability: Option<HighAvailability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_custom_domains: Option<u32>,
}

impl UpdateSubscription {
    /// A new package for user `user_id`, with the four counts the API requires.
    pub fn new(
        user_id: u64,
        total_extensions: u32,
        total_concurrent_calls: u32,
        total_recordings: u32,
        minimum_ext_per_pbx: u32,
    ) -> Self {
        Self {
            user_id,
            body: SubscriptionBody {
                total_extensions,
                total_concurrent_calls,
                total_recordings,
                minimum_ext_per_pbx,
                high_availability: None,
                total_custom_domains: None,
            },
        }
    }

    yeastar_transport::setters! {
        on body;
        high_availability: HighAvailability => "highAvailability",
        total_custom_domains = u32 => "totalCustomDomains",
    }
}

impl Endpoint for UpdateSubscription {
    type Envelope = YcmEnvelope;
    type Data = ();
    type Output = WriteResult;

    fn request(&self) -> Result<Request> {
        Ok(Request::put("/dm/open_api/v1/users/{userId}/subscription_info")
            .path_param("userId", self.user_id)
            .json(&self.body))
    }

    fn output((): (), meta: &Meta<'_>) -> Result<WriteResult> {
        Ok(WriteResult::from_meta(meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use serde_json::json;

    fn body<E: Endpoint>(ep: &E) -> Value {
        serde_json::from_slice(ep.request().unwrap().json_body().unwrap()).unwrap()
    }

    #[test]
    fn update_user_sends_only_what_is_set() {
        assert_eq!(body(&UpdateUser::new(1)), json!({}));
        let full = UpdateUser::new(1)
            .company("c")
            .first_name("f")
            .last_name("l")
            .email("e@x.example")
            .phone("p")
            .mobile("m")
            .address("a")
            .remark("r")
            .disable_two_factor_authentication()
            .pbx_creation_limit_count(3);
        assert_eq!(
            body(&full),
            json!({"company":"c","firstName":"f","lastName":"l","email":"e@x.example","phone":"p","mobile":"m",
                   "address":"a","remark":"r","twoFactorAuthenticationEnable":"disable","pbxCreationLimit":3})
        );
        let err = UpdateUser::new(1).pbx_creation_limit_count(0).request().unwrap_err();
        assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "pbxCreationLimit"));
        // The email is checked like on create.
        for bad in ["not-an-email", " e@x.example"] {
            let err = UpdateUser::new(1).email(bad).request().unwrap_err();
            assert!(
                matches!(err, Error::InvalidInput { ref field, .. } if field == "email"),
                "{err}"
            );
        }
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
        // Checked as it would be sent: padding is refused, not sent.
        assert_eq!(
            field(CreateUser::reseller("Acme", "Ada", "ada@acme.example ", pkg.clone())),
            "email"
        );
        assert_eq!(
            field(CreateUser::new(UserType::Reseller, "Ada", "a@b.example").package(pkg.clone())),
            "company"
        );
        assert_eq!(
            field(CreateUser::new(UserType::HostingUser, "Ada", "a@b.example").company("Acme")),
            "totalExtensions"
        );
        // A colleague (BYOI) needs neither company nor package, and may not have a package.
        assert!(CreateUser::colleague("Ada", "a@b.example").request().is_ok());
        assert_eq!(
            field(CreateUser::colleague("Ada", "a@b.example").package(pkg.clone())),
            "totalExtensions"
        );
        // A hosting package (BYOI) has no standard-edition counts.
        assert!(
            CreateUser::hosting_user("Acme", "Ada", "a@b.example", pkg.clone())
                .request()
                .is_ok()
        );
        assert_eq!(
            field(CreateUser::hosting_user(
                "Acme",
                "Ada",
                "a@b.example",
                pkg.clone().total_transcription(5)
            )),
            "totalTranscription"
        );
        assert!(
            CreateUser::reseller("Acme", "Ada", "a@b.example", pkg.clone().total_transcription(5))
                .request()
                .is_ok()
        );
        // Only the documented types can be created.
        assert_eq!(
            field(CreateUser::new(
                UserType::Unknown("Distributor".into()),
                "Ada",
                "a@b.example"
            )),
            "userType"
        );
    }

    #[test]
    fn list_users_query() {
        let r = ListUsers::new()
            .page_size(50)
            .page_number(2)
            .sort("-userId")
            .request()
            .unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/dm/open_api/v2/users?pageSize=50&pageNumber=2&sort=-userId"
        );
        // Out-of-range pages are refused, not clamped.
        for bad in [ListUsers::new().page_size(80), ListUsers::new().page_number(0)] {
            assert!(matches!(bad.request(), Err(Error::InvalidInput { .. })));
        }
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
