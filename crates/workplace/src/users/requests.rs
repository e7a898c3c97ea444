//! The Workplace user endpoints as request values.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yeastar_transport::lenient::opt_u64;
use yeastar_transport::{Endpoint, Error, Meta, Request, Result, WriteResult, validate};

use super::model::{Role, User, UserIds, UserPage};
use crate::envelope::{DEFAULT_PAGE_SIZE, WorkplaceEnvelope, check_page};
use crate::image::Image;

// ---------------------------------------------------------------------------------------------
// Query one user

/// `GET /services/openapi/v1.0/user/user_detail/{memberId}`: one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetUser {
    member_id: u64,
}

impl GetUser {
    /// The user with member id `member_id`.
    pub fn new(member_id: u64) -> Self {
        Self { member_id }
    }
}

impl Endpoint for GetUser {
    type Envelope = WorkplaceEnvelope;
    type Data = User;
    type Output = User;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/services/openapi/v1.0/user/user_detail/{memberId}").path_param("memberId", self.member_id))
    }

    fn output(user: User, _: &Meta<'_>) -> Result<User> {
        Ok(user)
    }
}

/// `user_detail` read for a read-modify-write: the user, and the error to report when the
/// answer turns out to be about another member (a [`Error::Decode`] of the answer, built here
/// because only the answer's metadata can build it).
#[derive(Debug)]
pub(crate) struct ReadForUpdate(pub(crate) GetUser);

impl Endpoint for ReadForUpdate {
    type Envelope = WorkplaceEnvelope;
    type Data = User;
    type Output = (User, Error);

    fn request(&self) -> Result<Request> {
        self.0.request()
    }

    fn output(user: User, meta: &Meta<'_>) -> Result<(User, Error)> {
        let other_member = meta.decode_error(
            "memberId",
            "user_detail answered for another member id than the one asked for; nothing was written",
        );
        Ok((user, other_member))
    }
}

// ---------------------------------------------------------------------------------------------
// Query users

/// `GET /services/openapi/v1.0/user/user_list`: users, one page per request.
/// [`Users::list`](super::Users::list) reads every page lazily, [`DEFAULT_PAGE_SIZE`] (50) at
/// a time unless set.
///
/// `pageNo` starts at 1 and `pageSize` at 1 (Workplace documents no maximum): 0 is refused with
/// [`Error::InvalidInput`] before anything is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListUsers {
    page_no: Option<u32>,
    page_size: Option<u32>,
    query: Option<String>,
}

impl ListUsers {
    /// Every user.
    pub fn new() -> Self {
        Self::default()
    }

    yeastar_transport::setters! {
        /// 1-based; for a listing, the first page read.
        page_no = u32 => "pageNo",
        /// At least 1.
        page_size = u32 => "pageSize",
        /// Matched against email, name, mobile number or group name.
        query: String => "query",
    }
}

impl Endpoint for ListUsers {
    type Envelope = WorkplaceEnvelope;
    type Data = UserPage;
    type Output = UserPage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_no, self.page_size)?;
        Ok(Request::get("/services/openapi/v1.0/user/user_list")
            .query_opt("pageNo", self.page_no)
            .query_opt("pageSize", self.page_size)
            .query_opt("query", self.query.as_deref()))
    }

    fn output(page: UserPage, _: &Meta<'_>) -> Result<UserPage> {
        Ok(page)
    }
}

yeastar_transport::list_endpoint!(ListUsers => User, paged(page_no, page_size, DEFAULT_PAGE_SIZE));

// ---------------------------------------------------------------------------------------------
// Create a user

/// `POST /services/openapi/v1.0/user/user_create`: creates a user. Not idempotent: never sent
/// twice by the transport; an answer lost on the way is [`Error::OutcomeUnknown`].
///
/// Required (checked before sending): a valid `email`, `firstName`, at least one group id,
/// `roleName` and `preferredBuildingName`. The answer's ids are a [`UserIds`].
///
/// ```
/// use yeastar_workplace::{CreateUser, Role};
/// let create = CreateUser::new("leo@example.com", "Leo", [1000127], Role::User, "Yeastar")
///     .last_name("Ball")
///     .send_invite_email(true);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUser {
    email: String,
    first_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    group_ids: Vec<u64>,
    role_name: Role,
    preferred_building_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_floor_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(rename = "imageBase64", skip_serializing_if = "Option::is_none")]
    image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_invite_email: Option<bool>,
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
            image: None,
            id_code: None,
            send_invite_email: None,
        }
    }

    yeastar_transport::setters! {
        last_name: String => "lastName",
        preferred_floor_name: String => "preferredFloorName",
        /// The mobile phone number.
        phone: String => "phone",
        /// The face image (see [`Image`]).
        image: Image => "imageBase64",
        id_code: String => "idCode",
        send_invite_email = bool => "sendInviteEmail",
    }
}

/// `data: {userId, memberId}` of a create (see [`CreateUser`]).
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedIds {
    #[serde(default, deserialize_with = "opt_u64")]
    user_id: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    member_id: Option<u64>,
}

impl Endpoint for CreateUser {
    type Envelope = WorkplaceEnvelope;
    type Data = CreatedIds;
    type Output = WriteResult<UserIds>;

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

    fn output(data: CreatedIds, meta: &Meta<'_>) -> Result<WriteResult<UserIds>> {
        let member_id = data
            .member_id
            .ok_or_else(|| meta.decode_error("memberId", "the new user's member id is missing"))?;
        let ids = UserIds {
            member_id,
            user_id: data.user_id,
        };
        Ok(WriteResult::from_meta(meta).with_id(Some(ids)))
    }
}

// ---------------------------------------------------------------------------------------------
// Update a user

/// `PUT /services/openapi/v1.0/user/user_update`: replaces the **whole** user.
///
/// Yeastar warns that fields left out "might be set to NULL or reset to default settings", so
/// this type cannot be built without every required field, and every optional field you leave
/// `None` is omitted and may be reset. To change a few fields of an existing user, use
/// [`Users::modify`](super::Users::modify), which starts from the user's current values
/// (including the fields this SDK does not model, which [`UpdateUser::from_user`] carries over).
///
/// The fields are public so that `modify` can hand the complete value to your closure.
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
    /// Face image (`imageBase64`). `user_detail` does not return the image, so
    /// [`Users::modify`](super::Users::modify) leaves this `None` (omitted) unless you set it.
    #[serde(rename = "imageBase64", skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Identification code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_code: Option<String>,
    /// Whether to send an invitation email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_invite_email: Option<bool>,
    /// Fields of the user as read that this SDK does not model, sent back verbatim.
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// The body keys of [`UpdateUser`]: an unknown field of the same name is never sent twice.
const UPDATE_KEYS: [&str; 12] = [
    "memberId",
    "email",
    "firstName",
    "lastName",
    "groupIds",
    "roleName",
    "preferredBuildingName",
    "preferredFloorName",
    "phone",
    "imageBase64",
    "idCode",
    "sendInviteEmail",
];

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
            image: None,
            id_code: None,
            send_invite_email: None,
            extra: Map::new(),
        }
    }

    /// The complete update that rewrites `user` as it is (the start of a read-modify-write).
    ///
    /// Every field of `user` the update has is copied, and so are the fields the SDK does not
    /// model ([`User::extra`]), so that writing the update back loses nothing the read showed.
    /// `sendInviteEmail` is never copied (it is an action, not data), and the face image only
    /// when the answer held one.
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
        let mut extra = user.extra.clone();
        let image = match extra.remove("imageBase64") {
            Some(Value::String(s)) if !s.is_empty() => Some(Image::from_data_url_unchecked(s)),
            _ => None,
        };
        extra.retain(|k, _| !UPDATE_KEYS.contains(&k.as_str()));
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
            image,
            id_code: user.id_code.clone(),
            send_invite_email: None,
            extra,
        })
    }

    yeastar_transport::setters! {
        last_name: String => "lastName",
        preferred_floor_name: String => "preferredFloorName",
        /// The mobile phone number.
        phone: String => "phone",
        /// The face image (see [`Image`]).
        image: Image => "imageBase64",
        id_code: String => "idCode",
        send_invite_email = bool => "sendInviteEmail",
    }
}

impl TryFrom<&User> for UpdateUser {
    type Error = Error;
    fn try_from(user: &User) -> Result<Self> {
        Self::from_user(user)
    }
}

/// `data: {memberId}` of an update or a delete.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberIdData {
    #[serde(default, deserialize_with = "opt_u64")]
    member_id: Option<u64>,
}

fn member_written(data: Option<MemberIdData>, meta: &Meta<'_>) -> WriteResult<u64> {
    WriteResult::from_meta(meta).with_id(data.and_then(|d| d.member_id))
}

impl Endpoint for UpdateUser {
    type Envelope = WorkplaceEnvelope;
    type Data = Option<MemberIdData>;
    type Output = WriteResult<u64>;

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

    fn output(data: Option<MemberIdData>, meta: &Meta<'_>) -> Result<WriteResult<u64>> {
        Ok(member_written(data, meta))
    }
}

fn check_required(email: &str, first_name: &str, group_ids: &[u64], role: &Role, building: &str) -> Result<()> {
    validate::email("email", email)?;
    validate::required("firstName", first_name)?;
    if group_ids.is_empty() {
        return Err(Error::invalid_input("groupIds", "at least one group is required"));
    }
    validate::required("roleName", role.as_str())?;
    validate::required("preferredBuildingName", building)
}

// ---------------------------------------------------------------------------------------------
// Delete a user

/// `DELETE /services/openapi/v1.0/user/user_remove/{memberId}`: deletes a user (Workplace
/// calls it "remove"). When a retry (after a lost answer) finds the user gone, the result says
/// so with `already_absent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteUser {
    member_id: u64,
}

impl DeleteUser {
    /// Deletes the user with member id `member_id`.
    pub fn new(member_id: u64) -> Self {
        Self { member_id }
    }
}

impl Endpoint for DeleteUser {
    type Envelope = WorkplaceEnvelope;
    type Data = Option<MemberIdData>;
    type Output = WriteResult<u64>;

    fn request(&self) -> Result<Request> {
        Ok(
            Request::delete("/services/openapi/v1.0/user/user_remove/{memberId}")
                .path_param("memberId", self.member_id),
        )
    }

    fn output(data: Option<MemberIdData>, meta: &Meta<'_>) -> Result<WriteResult<u64>> {
        Ok(member_written(data, meta))
    }

    fn already_absent(&self, meta: &Meta<'_>) -> Option<WriteResult<u64>> {
        Some(WriteResult::already_absent(meta, Some(self.member_id)))
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
    fn optional_fields_are_omitted_not_null() {
        let update = UpdateUser::new(7, "a@b.c", "A", [1, 2], Role::User, "HQ");
        assert_eq!(
            body(&update),
            json!({"memberId": 7, "email": "a@b.c", "firstName": "A", "groupIds": [1, 2],
                   "roleName": "User", "preferredBuildingName": "HQ"})
        );
        let create = CreateUser::new("a@b.c", "A", [1], Role::Administrator, "HQ");
        assert_eq!(
            body(&create),
            json!({"email": "a@b.c", "firstName": "A", "groupIds": [1],
                   "roleName": "Administrator", "preferredBuildingName": "HQ"})
        );
        assert!(!create.request().unwrap().is_idempotent());
        // The email is checked as it would be sent: padding is refused, not sent.
        for padded in [
            CreateUser::new(" a@b.c", "A", [1], Role::User, "HQ").request(),
            UpdateUser::new(7, "a@b.c ", "A", [1], Role::User, "HQ").request(),
        ] {
            assert!(
                matches!(padded, Err(Error::InvalidInput { ref field, .. }) if field == "email"),
                "{padded:?}"
            );
        }
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

    #[test]
    fn from_user_carries_unknown_fields_but_never_an_action_or_a_duplicate() {
        let user: User = serde_json::from_value(json!({
            "userId": 1, "inviteStatus": "added", "memberId": 5, "email": "a@b.c", "firstName": "A",
            "groupIds": [1], "roleName": "User", "preferredBuildingName": "HQ",
            "departmentId": 7, "sendInviteEmail": true, "imageBase64": "data:image/png;base64,AAAA"
        }))
        .unwrap();
        let update = UpdateUser::from_user(&user).unwrap();
        assert_eq!(
            body(&update),
            json!({"memberId": 5, "email": "a@b.c", "firstName": "A", "groupIds": [1], "roleName": "User",
                   "preferredBuildingName": "HQ", "imageBase64": "data:image/png;base64,AAAA", "departmentId": 7})
        );
        // A new image replaces the one read; the key is sent once.
        let png = Image::from_data_url_unchecked("data:image/png;base64,BBBB");
        let text = String::from_utf8(update.image(png).request().unwrap().json_body().unwrap().to_vec()).unwrap();
        assert_eq!(text.matches("imageBase64").count(), 1, "{text}");
        assert!(text.contains("BBBB"), "{text}");
    }
}
