//! User groups: `group_list`, `group_detail`, `group_create`, `group_update`, `group_delete`.

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient;
use yeastar_transport::{Endpoint, Error, Page, Pages, Payload, Product, Request, Result};

use crate::users::{check_page_no, check_page_size, null_as_empty};
use crate::{Client, DEFAULT_PAGE_SIZE, WorkplaceEnvelope};

/// A user group. The "All Users" group comes back under the company's name.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// The group id.
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<u64>,
    /// The group name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// One page of `group_list`: `data {pageNo, pageSize, total, list}`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupPage {
    /// The page number returned.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub page_no: Option<u64>,
    /// The page size.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub page_size: Option<u64>,
    /// The number of groups matching.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub total: Option<u64>,
    /// The groups on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub list: Vec<Group>,
}

/// What `group_create`, `group_update` and `group_delete` return: `data {groupId}`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRef {
    /// The group id.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub group_id: Option<u64>,
    /// The request id of the answer (from the envelope, to quote to Yeastar support).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl crate::WriteAnswer for GroupRef {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id;
    }
}

/// `GET /services/openapi/v1.0/user/group_list`: one page of groups.
///
/// [`Groups::list`] turns it into a lazy stream over every page.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListGroups {
    /// The page to read (1-based; default 1).
    pub page_no: Option<u64>,
    /// Groups per page (default [`DEFAULT_PAGE_SIZE`]).
    pub page_size: Option<u64>,
    /// A group-name filter.
    pub group_name: Option<String>,
}

impl ListGroups {
    /// Every group, [`DEFAULT_PAGE_SIZE`] per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only groups whose name matches `name`.
    pub fn group_name(mut self, name: impl Into<String>) -> Self {
        self.group_name = Some(name.into());
        self
    }

    /// Sets the page size.
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Sets the page to read (or to start from, in [`Groups::list`]).
    pub fn page_no(mut self, page_no: u64) -> Self {
        self.page_no = Some(page_no);
        self
    }
}

impl Endpoint for ListGroups {
    type Envelope = WorkplaceEnvelope;
    type Output = GroupPage;

    fn request(&self) -> Result<Request> {
        let page_no = check_page_no(self.page_no)?;
        let page_size = check_page_size(self.page_size)?;
        Ok(Request::get("/services/openapi/v1.0/user/group_list")
            .query("pageNo", page_no)
            .query("pageSize", page_size)
            .query_opt("groupName", self.group_name.as_deref()))
    }

    fn decode(payload: Payload<'_>) -> Result<GroupPage> {
        payload.json()
    }
}

/// `GET /services/openapi/v1.0/user/group_detail/{groupId}`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetGroup {
    /// The group id.
    pub group_id: u64,
}

impl GetGroup {
    /// The group with id `group_id`.
    pub fn new(group_id: u64) -> Self {
        Self { group_id }
    }
}

impl Endpoint for GetGroup {
    type Envelope = WorkplaceEnvelope;
    type Output = Group;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/services/openapi/v1.0/user/group_detail/{groupId}").path_param("groupId", self.group_id))
    }

    fn decode(payload: Payload<'_>) -> Result<Group> {
        payload.json()
    }
}

/// `POST /services/openapi/v1.0/user/group_create`. Not idempotent (never retried once it
/// may have reached the server).
///
/// ```
/// use yeastar_workplace::CreateGroup;
/// let create = CreateGroup::new("Sales").member_ids([54164, 54165]);
/// assert_eq!(create.member_ids, Some(vec![54164, 54165]));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateGroup {
    /// The group name (required).
    pub group_name: String,
    /// Member ids of the users to put in the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_ids: Option<Vec<u64>>,
}

impl CreateGroup {
    /// A group named `group_name`.
    pub fn new(group_name: impl Into<String>) -> Self {
        Self {
            group_name: group_name.into(),
            member_ids: None,
        }
    }

    /// Puts these users (member ids) in the group.
    pub fn member_ids(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.member_ids = Some(ids.into_iter().collect());
        self
    }
}

impl Endpoint for CreateGroup {
    type Envelope = WorkplaceEnvelope;
    type Output = GroupRef;

    fn request(&self) -> Result<Request> {
        check_name(&self.group_name)?;
        Ok(Request::post("/services/openapi/v1.0/user/group_create")
            .json(self)
            .idempotent(false))
    }

    fn decode(payload: Payload<'_>) -> Result<GroupRef> {
        crate::decode_write(&payload)
    }
}

/// `PUT /services/openapi/v1.0/user/group_update`: renames a group.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateGroup {
    /// The group id (required).
    pub group_id: u64,
    /// The new name (required).
    pub group_name: String,
}

impl UpdateGroup {
    /// Renames group `group_id` to `group_name`.
    pub fn new(group_id: u64, group_name: impl Into<String>) -> Self {
        Self {
            group_id,
            group_name: group_name.into(),
        }
    }
}

impl Endpoint for UpdateGroup {
    type Envelope = WorkplaceEnvelope;
    type Output = GroupRef;

    fn request(&self) -> Result<Request> {
        check_name(&self.group_name)?;
        Ok(Request::put("/services/openapi/v1.0/user/group_update").json(self))
    }

    fn decode(payload: Payload<'_>) -> Result<GroupRef> {
        crate::decode_write(&payload)
    }
}

/// `DELETE /services/openapi/v1.0/user/group_delete/{groupId}`. Only an **empty** group can be
/// deleted: remove its users first (Workplace answers an error otherwise).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteGroup {
    /// The group id.
    pub group_id: u64,
}

impl DeleteGroup {
    /// Deletes group `group_id`.
    pub fn new(group_id: u64) -> Self {
        Self { group_id }
    }
}

impl Endpoint for DeleteGroup {
    type Envelope = WorkplaceEnvelope;
    type Output = GroupRef;

    fn request(&self) -> Result<Request> {
        Ok(Request::delete("/services/openapi/v1.0/user/group_delete/{groupId}").path_param("groupId", self.group_id))
    }

    fn decode(payload: Payload<'_>) -> Result<GroupRef> {
        crate::decode_write(&payload)
    }
}

fn check_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid_input("groupName", "must not be empty"));
    }
    Ok(())
}

/// User groups of a Workplace account. Get one from [`Client::groups`].
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    client: &'a Client,
}

impl<'a> Groups<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Every group matching `params`, as a lazy stream of pages (use `.items()` for groups).
    pub fn list(&self, params: ListGroups) -> Pages<Group> {
        let client = self.client.clone();
        let first = params.page_no.unwrap_or(1);
        let size = params.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        Pages::new(Product::Workplace, first, size, move |page_no| {
            let client = client.clone();
            let ep = ListGroups {
                page_no: Some(page_no),
                ..params.clone()
            };
            async move {
                let page = client.send(&ep).await?;
                Ok(Page::new(page.list).with_page_no(page.page_no).with_total(page.total))
            }
        })
    }

    /// One group, by id.
    pub async fn get(&self, group_id: u64) -> Result<Group> {
        self.client.send(&GetGroup::new(group_id)).await
    }

    /// Creates a group. Never retried once it may have reached the server.
    pub async fn create(&self, group: &CreateGroup) -> Result<GroupRef> {
        self.client.send(group).await
    }

    /// Renames a group.
    pub async fn rename(&self, group_id: u64, group_name: impl Into<String>) -> Result<GroupRef> {
        self.client.send(&UpdateGroup::new(group_id, group_name)).await
    }

    /// Deletes a group. Only an empty group can be deleted.
    pub async fn delete(&self, group_id: u64) -> Result<GroupRef> {
        self.client.send(&DeleteGroup::new(group_id)).await
    }
}
