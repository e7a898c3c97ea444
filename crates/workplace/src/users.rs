//! Users: `user_list`, `user_detail`, `user_create`, `user_update`, `user_remove`.

use std::fmt;
use yeastar_transport::lenient;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use yeastar_transport::{Endpoint, Error, Page, Pages, Payload, Product, Request, Result};

use crate::{Client, DEFAULT_PAGE_SIZE, Image, WorkplaceEnvelope};

/// Setters for the optional fields shared by [`CreateUser`] and [`UpdateUser`].
macro_rules! optional_setters {
    () => {
        /// Sets the last name.
        pub fn last_name(mut self, v: impl Into<String>) -> Self {
            self.last_name = Some(v.into());
            self
        }

        /// Sets the floor name.
        pub fn preferred_floor_name(mut self, v: impl Into<String>) -> Self {
            self.preferred_floor_name = Some(v.into());
            self
        }

        /// Sets the mobile phone number.
        pub fn phone(mut self, v: impl Into<String>) -> Self {
            self.phone = Some(v.into());
            self
        }

        /// Sets the face image (see [`Image`]).
        pub fn image(mut self, image: Image) -> Self {
            self.image_base64 = Some(image);
            self
        }

        /// Sets the identification code.
        pub fn id_code(mut self, v: impl Into<String>) -> Self {
            self.id_code = Some(v.into());
            self
        }

        /// Whether to send an invitation email.
        pub fn send_invite_email(mut self, send: bool) -> Self {
            self.send_invite_email = Some(send);
            self
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Enums

/// A user's role (`roleName`): a built-in role or the name of a custom role (added in
/// User Management > Role on the Workplace admin portal).
///
/// Serialised as the role name; any name other than the two built-ins reads as
/// [`Role::Custom`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    /// The built-in `Administrator` role.
    Administrator,
    /// The built-in `User` role.
    User,
    /// A custom role, by name.
    Custom(String),
}

impl Role {
    /// The role name as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Role::Administrator => "Administrator",
            Role::User => "User",
            Role::Custom(name) => name,
        }
    }
}

impl From<&str> for Role {
    fn from(s: &str) -> Self {
        match s {
            "Administrator" => Role::Administrator,
            "User" => Role::User,
            other => Role::Custom(other.to_owned()),
        }
    }
}

impl From<String> for Role {
    fn from(s: String) -> Self {
        match s.as_str() {
            "Administrator" => Role::Administrator,
            "User" => Role::User,
            _ => Role::Custom(s),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(Role::from)
    }
}

yeastar_transport::api_enum! {
    /// Whether a user has joined (`inviteStatus`).
    pub enum InviteStatus {
        /// `outer`: not invited, inactive.
        Outer => "outer",
        /// `invite`: invited, not joined yet.
        Invite => "invite",
        /// `added`: joined.
        Added => "added",
    }
}

// ---------------------------------------------------------------------------------------------
// Models

/// A user as `user_list` and `user_detail` return it (`User_Info`).
///
/// Every field is optional, since Yeastar may leave any of them out; ids are read from
/// numbers or numeric strings. Unknown fields are ignored.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The account id (`userId`).
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_id: Option<u64>,
    /// The member id (`memberId`): the id every user and group operation takes.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub member_id: Option<u64>,
    /// Whether the user has joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_status: Option<InviteStatus>,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The groups the user belongs to.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_ids: Option<Vec<u64>>,
    /// The user's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_name: Option<Role>,
    /// The building of the user's workplace, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_building_name: Option<String>,
    /// The floor of the user's workplace, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_floor_name: Option<String>,
    /// Mobile phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Identification code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_code: Option<String>,
}

/// One page of `user_list`: `data {pageNo, pageSize, total, list}`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPage {
    /// The page number returned.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub page_no: Option<u64>,
    /// The page size.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub page_size: Option<u64>,
    /// The number of users matching.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub total: Option<u64>,
    /// The users on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub list: Vec<User>,
}

pub(crate) fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> std::result::Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// What `user_create` returns: `data {userId, memberId}`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedUser {
    /// The new account id.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub user_id: Option<u64>,
    /// The new member id.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub member_id: Option<u64>,
    /// The request id of the answer (from the envelope, to quote to Yeastar support).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// What `user_update` and `user_remove` return: `data {memberId}`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRef {
    /// The member id of the user updated or removed.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub member_id: Option<u64>,
    /// The request id of the answer (from the envelope, to quote to Yeastar support).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl crate::WriteAnswer for CreatedUser {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id;
    }
}

impl crate::WriteAnswer for UserRef {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id;
    }
}

// ---------------------------------------------------------------------------------------------
// Endpoints

/// `GET /services/openapi/v1.0/user/user_list`: one page of users.
///
/// [`Users::list`] turns it into a lazy stream over every page.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListUsers {
    /// The page to read (1-based; default 1).
    pub page_no: Option<u64>,
    /// Users per page (default [`DEFAULT_PAGE_SIZE`]).
    pub page_size: Option<u64>,
    /// A filter matched against email, name, mobile number or group name.
    pub query: Option<String>,
}

impl ListUsers {
    /// Every user, [`DEFAULT_PAGE_SIZE`] per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only users whose email, name, mobile number or group name matches `query`.
    pub fn query(mut self, query: impl Into<String>) -> Self {
        self.query = Some(query.into());
        self
    }

    /// Sets the page size.
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Sets the page to read (or to start from, in [`Users::list`]).
    pub fn page_no(mut self, page_no: u64) -> Self {
        self.page_no = Some(page_no);
        self
    }
}

impl Endpoint for ListUsers {
    type Envelope = WorkplaceEnvelope;
    type Output = UserPage;

    fn request(&self) -> Result<Request> {
        let page_no = check_page_no(self.page_no)?;
        let page_size = check_page_size(self.page_size)?;
        Ok(Request::get("/services/openapi/v1.0/user/user_list")
            .query("pageNo", page_no)
            .query("pageSize", page_size)
            .query_opt("query", self.query.as_deref()))
    }

    fn decode(payload: Payload<'_>) -> Result<UserPage> {
        payload.json()
    }
}

pub(crate) fn check_page_no(page_no: Option<u64>) -> Result<u64> {
    match page_no {
        Some(0) => Err(Error::invalid_input("pageNo", "pages are numbered from 1")),
        other => Ok(other.unwrap_or(1)),
    }
}

pub(crate) fn check_page_size(page_size: Option<u64>) -> Result<u64> {
    match page_size {
        Some(0) => Err(Error::invalid_input("pageSize", "must be at least 1")),
        other => Ok(other.unwrap_or(DEFAULT_PAGE_SIZE)),
    }
}

/// `GET /services/openapi/v1.0/user/user_detail/{memberId}`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetUser {
    /// The member id.
    pub member_id: u64,
}

impl GetUser {
    /// The user with member id `member_id`.
    pub fn new(member_id: u64) -> Self {
        Self { member_id }
    }
}

impl Endpoint for GetUser {
    type Envelope = WorkplaceEnvelope;
    type Output = User;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/services/openapi/v1.0/user/user_detail/{memberId}").path_param("memberId", self.member_id))
    }

    fn decode(payload: Payload<'_>) -> Result<User> {
        payload.json()
    }
}

/// `DELETE /services/openapi/v1.0/user/user_remove/{memberId}`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoveUser {
    /// The member id.
    pub member_id: u64,
}

impl RemoveUser {
    /// Removes the user with member id `member_id`.
    pub fn new(member_id: u64) -> Self {
        Self { member_id }
    }
}

impl Endpoint for RemoveUser {
    type Envelope = WorkplaceEnvelope;
    type Output = UserRef;

    fn request(&self) -> Result<Request> {
        Ok(
            Request::delete("/services/openapi/v1.0/user/user_remove/{memberId}")
                .path_param("memberId", self.member_id),
        )
    }

    fn decode(payload: Payload<'_>) -> Result<UserRef> {
        crate::decode_write(&payload)
    }
}

/// `POST /services/openapi/v1.0/user/user_create`.
///
/// Not idempotent: it is never retried after the request may have reached the server, so a
/// user is never created twice by the SDK.
///
/// ```
/// use yeastar_workplace::{CreateUser, Role};
/// let create = CreateUser::new("leo@example.com", "Leo", [1000127], Role::User, "Yeastar")
///     .last_name("Ball")
///     .send_invite_email(true);
/// assert_eq!(create.email, "leo@example.com");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUser {
    /// Email address (required).
    pub email: String,
    /// First name (required).
    pub first_name: String,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Group ids (required, at least one).
    pub group_ids: Vec<u64>,
    /// Role (required).
    pub role_name: Role,
    /// Building name (required).
    pub preferred_building_name: String,
    /// Floor name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_floor_name: Option<String>,
    /// Mobile phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Face image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_base64: Option<Image>,
    /// Identification code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_code: Option<String>,
    /// Whether to send an invitation email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_invite_email: Option<bool>,
}

impl CreateUser {
    /// A new user with every required field.
    pub fn new(
        email: impl Into<String>,
        first_name: impl Into<String>,
        group_ids: impl IntoIterator<Item = u64>,
        role_name: impl Into<Role>,
        preferred_building_name: impl Into<String>,
    ) -> Self {
        Self {
            email: email.into(),
            first_name: first_name.into(),
            last_name: None,
            group_ids: group_ids.into_iter().collect(),
            role_name: role_name.into(),
            preferred_building_name: preferred_building_name.into(),
            preferred_floor_name: None,
            phone: None,
            image_base64: None,
            id_code: None,
            send_invite_email: None,
        }
    }

    optional_setters!();
}

impl Endpoint for CreateUser {
    type Envelope = WorkplaceEnvelope;
    type Output = CreatedUser;

    fn request(&self) -> Result<Request> {
        check_required(
            &self.email,
            &self.first_name,
            &self.group_ids,
            &self.role_name,
            &self.preferred_building_name,
        )?;
        Ok(Request::post("/services/openapi/v1.0/user/user_create")
            .json(self)
            .idempotent(false))
    }

    fn decode(payload: Payload<'_>) -> Result<CreatedUser> {
        crate::decode_write(&payload)
    }
}

/// `PUT /services/openapi/v1.0/user/user_update`: replaces the **whole** user.
///
/// Yeastar warns that fields left out "might be set to NULL or reset to default settings", so
/// this type cannot be built without every required field, and every optional field you leave
/// `None` is omitted and may be reset. To change a few fields of an existing user, use
/// [`Users::modify`], which starts from the user's current values.
///
/// ```
/// use yeastar_workplace::{Role, UpdateUser};
/// let update = UpdateUser::new(54164, "leo-new-email@yeastar.com", "Leo", [1000127], Role::Administrator, "Yeastar")
///     .last_name("Ball")
///     .preferred_floor_name("2F")
///     .phone("1325698753")
///     .id_code("XZXXtest6701");
/// assert_eq!(update.member_id, 54164);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUser {
    /// The member id of the user (required; the id goes in the body).
    pub member_id: u64,
    /// Email address (required).
    pub email: String,
    /// First name (required).
    pub first_name: String,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Group ids (required, at least one).
    pub group_ids: Vec<u64>,
    /// Role (required).
    pub role_name: Role,
    /// Building name (required).
    pub preferred_building_name: String,
    /// Floor name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_floor_name: Option<String>,
    /// Mobile phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Face image. `user_detail` does not return the image, so [`Users::modify`] leaves this
    /// `None` (omitted) unless you set it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_base64: Option<Image>,
    /// Identification code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_code: Option<String>,
    /// Whether to send an invitation email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_invite_email: Option<bool>,
}

impl UpdateUser {
    /// A complete update with every required field; add the optional ones with the setters.
    pub fn new(
        member_id: u64,
        email: impl Into<String>,
        first_name: impl Into<String>,
        group_ids: impl IntoIterator<Item = u64>,
        role_name: impl Into<Role>,
        preferred_building_name: impl Into<String>,
    ) -> Self {
        Self {
            member_id,
            email: email.into(),
            first_name: first_name.into(),
            last_name: None,
            group_ids: group_ids.into_iter().collect(),
            role_name: role_name.into(),
            preferred_building_name: preferred_building_name.into(),
            preferred_floor_name: None,
            phone: None,
            image_base64: None,
            id_code: None,
            send_invite_email: None,
        }
    }

    /// The complete update that rewrites `user` as it is (the start of a read-modify-write).
    ///
    /// Fails with [`Error::InvalidInput`] naming the field when `user` lacks a field the
    /// update requires (`memberId`, `email`, `firstName`, `groupIds`, `roleName`,
    /// `preferredBuildingName`): sending a partial update could reset data, so nothing is sent.
    pub fn from_user(user: &User) -> Result<Self> {
        fn need<T: Clone>(v: &Option<T>, field: &str) -> Result<T> {
            v.clone().ok_or_else(|| {
                Error::invalid_input(
                    field,
                    "missing from the user as read from user_detail; refusing to send a partial update \
                     (fields left out may be reset)",
                )
            })
        }
        Ok(Self {
            member_id: need(&user.member_id, "memberId")?,
            email: need(&user.email, "email")?,
            first_name: need(&user.first_name, "firstName")?,
            last_name: user.last_name.clone(),
            group_ids: need(&user.group_ids, "groupIds")?,
            role_name: need(&user.role_name, "roleName")?,
            preferred_building_name: need(&user.preferred_building_name, "preferredBuildingName")?,
            preferred_floor_name: user.preferred_floor_name.clone(),
            phone: user.phone.clone(),
            image_base64: None,
            id_code: user.id_code.clone(),
            send_invite_email: None,
        })
    }

    optional_setters!();
}

impl TryFrom<&User> for UpdateUser {
    type Error = Error;
    fn try_from(user: &User) -> Result<Self> {
        Self::from_user(user)
    }
}

impl Endpoint for UpdateUser {
    type Envelope = WorkplaceEnvelope;
    type Output = UserRef;

    fn request(&self) -> Result<Request> {
        check_required(
            &self.email,
            &self.first_name,
            &self.group_ids,
            &self.role_name,
            &self.preferred_building_name,
        )?;
        Ok(Request::put("/services/openapi/v1.0/user/user_update").json(self))
    }

    fn decode(payload: Payload<'_>) -> Result<UserRef> {
        crate::decode_write(&payload)
    }
}

fn check_required(email: &str, first_name: &str, group_ids: &[u64], role: &Role, building: &str) -> Result<()> {
    yeastar_transport::validate::email("email", email.trim())?;
    if first_name.trim().is_empty() {
        return Err(Error::invalid_input("firstName", "must not be empty"));
    }
    if group_ids.is_empty() {
        return Err(Error::invalid_input("groupIds", "at least one group is required"));
    }
    if role.as_str().trim().is_empty() {
        return Err(Error::invalid_input("roleName", "must not be empty"));
    }
    if building.trim().is_empty() {
        return Err(Error::invalid_input("preferredBuildingName", "must not be empty"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Handle

/// Users of a Workplace account. Get one from [`Client::users`].
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    client: &'a Client,
}

impl<'a> Users<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Every user matching `params`, as a lazy stream of pages (use `.items()` for users).
    /// Pages are read from `params.page_no` (default 1) on, `params.page_size` at a time.
    pub fn list(&self, params: ListUsers) -> Pages<User> {
        let client = self.client.clone();
        let first = params.page_no.unwrap_or(1);
        let size = params.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        Pages::new(Product::Workplace, first, size, move |page_no| {
            let client = client.clone();
            let ep = ListUsers {
                page_no: Some(page_no),
                ..params.clone()
            };
            async move {
                let page = client.send(&ep).await?;
                Ok(Page::new(page.list).with_page_no(page.page_no).with_total(page.total))
            }
        })
    }

    /// One user, by member id.
    pub async fn get(&self, member_id: u64) -> Result<User> {
        self.client.send(&GetUser::new(member_id)).await
    }

    /// Creates a user. Never retried once it may have reached the server.
    pub async fn create(&self, user: &CreateUser) -> Result<CreatedUser> {
        self.client.send(user).await
    }

    /// Replaces a user with `update` (the raw call: see [`UpdateUser`]).
    pub async fn update(&self, update: &UpdateUser) -> Result<UserRef> {
        self.client.send(update).await
    }

    /// Changes some fields of a user and keeps the others.
    ///
    /// Reads the user (`user_detail`), builds the complete [`UpdateUser`] from it, lets `edit`
    /// change it, then sends the whole object (`user_update`). Changing only the email thus
    /// keeps last name, phone, floor, groups and id code.
    ///
    /// - **Read-modify-write without a version check**: Workplace has no version or ETag, so
    ///   a change made by someone else between the read and the write is overwritten (lost).
    /// - If the user as read lacks a field the update requires, this fails with
    ///   [`Error::InvalidInput`] naming it, and nothing is written.
    /// - `user_detail` does not return the face image or `sendInviteEmail`; both are omitted
    ///   unless `edit` sets them. Whether Workplace keeps an image when `imageBase64` is
    ///   omitted is not documented.
    /// - Fields the SDK does not model are not sent back.
    /// - `edit` must not change `member_id` (that is refused).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_workplace::Client) -> Result<(), yeastar_workplace::Error> {
    /// client.users().modify(54164, |user| {
    ///     user.email = "leo-new-email@yeastar.com".into();
    ///     user.group_ids.push(1000128);
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn modify(&self, member_id: u64, edit: impl FnOnce(&mut UpdateUser)) -> Result<UserRef> {
        let mut current = self.get(member_id).await?;
        // The id we asked for is known even if the answer omits it.
        current.member_id.get_or_insert(member_id);
        if current.member_id != Some(member_id) {
            return Err(Error::invalid_input(
                "memberId",
                "user_detail answered for another member id; nothing was written",
            ));
        }
        let mut update = UpdateUser::from_user(&current)?;
        edit(&mut update);
        if update.member_id != member_id {
            // Writing this user's data onto another member would corrupt that member.
            return Err(Error::invalid_input("memberId", "modify cannot change the member id"));
        }
        self.update(&update).await
    }

    /// Removes a user.
    pub async fn remove(&self, member_id: u64) -> Result<UserRef> {
        self.client.send(&RemoveUser::new(member_id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enums_round_trip_through_their_api_strings() {
        for (role, s) in [
            (Role::Administrator, "Administrator"),
            (Role::User, "User"),
            (Role::Custom("Front Desk".into()), "Front Desk"),
        ] {
            assert_eq!(serde_json::to_value(&role).unwrap(), json!(s));
            assert_eq!(serde_json::from_value::<Role>(json!(s)).unwrap(), role);
            assert_eq!(role.as_str(), s);
        }
        assert_eq!(Role::from("User".to_owned()), Role::User);
        for (status, s) in [
            (InviteStatus::Outer, "outer"),
            (InviteStatus::Invite, "invite"),
            (InviteStatus::Added, "added"),
            (InviteStatus::Unknown("disabled".into()), "disabled"),
        ] {
            assert_eq!(serde_json::to_value(&status).unwrap(), json!(s));
            assert_eq!(serde_json::from_value::<InviteStatus>(json!(s)).unwrap(), status);
        }
    }

    #[test]
    fn optional_fields_are_omitted_not_null() {
        let update = UpdateUser::new(7, "a@b.c", "A", [1, 2], Role::User, "HQ");
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({"memberId": 7, "email": "a@b.c", "firstName": "A", "groupIds": [1, 2],
                   "roleName": "User", "preferredBuildingName": "HQ"})
        );
        let create = CreateUser::new("a@b.c", "A", [1], Role::Administrator, "HQ");
        assert_eq!(
            serde_json::to_value(&create).unwrap(),
            json!({"email": "a@b.c", "firstName": "A", "groupIds": [1],
                   "roleName": "Administrator", "preferredBuildingName": "HQ"})
        );
    }

    #[test]
    fn from_user_needs_every_required_field() {
        let full: User = serde_json::from_value(json!({
            "userId": 1, "memberId": "54164", "email": "leo@yeastar.com", "firstName": "Leo",
            "groupIds": [1000127], "roleName": "User", "preferredBuildingName": "Yeastar", "phone": "1"
        }))
        .unwrap();
        let update = UpdateUser::from_user(&full).unwrap();
        assert_eq!(update.member_id, 54164);
        assert_eq!(update.phone.as_deref(), Some("1"));
        assert_eq!(update.last_name, None);
        for field in [
            "memberId",
            "email",
            "firstName",
            "groupIds",
            "roleName",
            "preferredBuildingName",
        ] {
            let mut v = serde_json::to_value(&full).unwrap();
            v.as_object_mut().unwrap().remove(field);
            let user: User = serde_json::from_value(v).unwrap();
            let err = UpdateUser::try_from(&user).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field: f, .. } if f == field),
                "{field}: {err}"
            );
        }
    }
}
