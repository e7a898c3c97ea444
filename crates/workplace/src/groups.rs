//! User groups: `group_list`, `group_detail`, `group_create`, `group_update`, `group_delete`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::opt_u64;
use yeastar_transport::{Endpoint, Meta, Pages, Request, Result, WriteResult, validate};

use crate::client::Client;
use crate::envelope::{DEFAULT_PAGE_SIZE, PagedList, WorkplaceEnvelope, check_page};

/// A user group. The "All Users" group comes back under the company's name.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// The group id (`groupId`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub group_id: Option<u64>,
    /// The group name (`groupName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// One page of groups.
pub type GroupPage = PagedList<Group>;

// ---------------------------------------------------------------------------------------------
// Query

/// `GET /services/openapi/v1.0/user/group_detail/{groupId}`: one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetGroup {
    group_id: u64,
}

impl GetGroup {
    /// The group `group_id`.
    pub fn new(group_id: u64) -> Self {
        Self { group_id }
    }
}

impl Endpoint for GetGroup {
    type Envelope = WorkplaceEnvelope;
    type Data = Group;
    type Output = Group;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/services/openapi/v1.0/user/group_detail/{groupId}").path_param("groupId", self.group_id))
    }

    fn output(group: Group, _: &Meta<'_>) -> Result<Group> {
        Ok(group)
    }
}

/// `GET /services/openapi/v1.0/user/group_list`: groups, one page per request.
/// [`Groups::list`] reads every page lazily, [`DEFAULT_PAGE_SIZE`] (50) at a time unless set.
///
/// `pageNo` starts at 1 and `pageSize` at 1 (Workplace documents no maximum): 0 is refused with
/// [`Error::InvalidInput`](yeastar_transport::Error::InvalidInput) before anything is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListGroups {
    page_no: Option<u32>,
    page_size: Option<u32>,
    group_name: Option<String>,
}

impl ListGroups {
    /// Every group.
    pub fn new() -> Self {
        Self::default()
    }

    yeastar_transport::setters! {
        /// 1-based; for a listing, the first page read.
        page_no = u32 => "pageNo",
        /// At least 1.
        page_size = u32 => "pageSize",
        /// A group-name filter.
        group_name: String => "groupName",
    }
}

impl Endpoint for ListGroups {
    type Envelope = WorkplaceEnvelope;
    type Data = GroupPage;
    type Output = GroupPage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_no, self.page_size)?;
        Ok(Request::get("/services/openapi/v1.0/user/group_list")
            .query_opt("pageNo", self.page_no)
            .query_opt("pageSize", self.page_size)
            .query_opt("groupName", self.group_name.as_deref()))
    }

    fn output(page: GroupPage, _: &Meta<'_>) -> Result<GroupPage> {
        Ok(page)
    }
}

yeastar_transport::list_endpoint!(ListGroups => Group, paged(page_no, page_size, DEFAULT_PAGE_SIZE));

// ---------------------------------------------------------------------------------------------
// Writes

/// `data: {groupId}` of the group writes.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupIdData {
    #[serde(default, deserialize_with = "opt_u64")]
    group_id: Option<u64>,
}

fn group_written(data: Option<GroupIdData>, meta: &Meta<'_>) -> WriteResult<u64> {
    WriteResult::from_meta(meta).with_id(data.and_then(|d| d.group_id))
}

/// `POST /services/openapi/v1.0/user/group_create`: creates a group; the result carries the
/// new `groupId`. Not idempotent: never sent twice by the transport; an answer lost on the way
/// is [`Error::OutcomeUnknown`](yeastar_transport::Error::OutcomeUnknown).
///
/// ```
/// use yeastar_workplace::CreateGroup;
/// let create = CreateGroup::new("Sales").member_ids([54164, 54165]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateGroup {
    group_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_ids: Option<Vec<u64>>,
}

impl CreateGroup {
    /// A group named `group_name`.
    pub fn new(group_name: impl Into<String>) -> Self {
        Self {
            group_name: group_name.into(),
            member_ids: None,
        }
    }

    yeastar_transport::setters! {
        /// The member ids of the users to put in the group.
        member_ids: Vec<u64> => "memberIds",
    }
}

impl Endpoint for CreateGroup {
    type Envelope = WorkplaceEnvelope;
    type Data = GroupIdData;
    type Output = WriteResult<u64>;

    fn request(&self) -> Result<Request> {
        validate::required("groupName", &self.group_name)?;
        Ok(Request::post("/services/openapi/v1.0/user/group_create")
            .json(self)
            .idempotent(false))
    }

    fn output(data: GroupIdData, meta: &Meta<'_>) -> Result<WriteResult<u64>> {
        let id = data
            .group_id
            .ok_or_else(|| meta.decode_error("groupId", "the new group's id is missing"))?;
        Ok(WriteResult::from_meta(meta).with_id(Some(id)))
    }
}

/// `PUT /services/openapi/v1.0/user/group_update`: renames a group (both fields required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateGroup {
    group_id: u64,
    group_name: String,
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
    type Data = Option<GroupIdData>;
    type Output = WriteResult<u64>;

    fn request(&self) -> Result<Request> {
        validate::required("groupName", &self.group_name)?;
        Ok(Request::put("/services/openapi/v1.0/user/group_update").json(self))
    }

    fn output(data: Option<GroupIdData>, meta: &Meta<'_>) -> Result<WriteResult<u64>> {
        Ok(group_written(data, meta))
    }
}

/// `DELETE /services/openapi/v1.0/user/group_delete/{groupId}`. Only an **empty** group can be
/// deleted: remove its users first (Workplace answers an error otherwise). When a retry (after
/// a lost answer) finds the group gone, the result says so with `already_absent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteGroup {
    group_id: u64,
}

impl DeleteGroup {
    /// Deletes group `group_id`.
    pub fn new(group_id: u64) -> Self {
        Self { group_id }
    }
}

impl Endpoint for DeleteGroup {
    type Envelope = WorkplaceEnvelope;
    type Data = Option<GroupIdData>;
    type Output = WriteResult<u64>;

    fn request(&self) -> Result<Request> {
        Ok(Request::delete("/services/openapi/v1.0/user/group_delete/{groupId}").path_param("groupId", self.group_id))
    }

    fn output(data: Option<GroupIdData>, meta: &Meta<'_>) -> Result<WriteResult<u64>> {
        Ok(group_written(data, meta))
    }

    fn already_absent(&self, meta: &Meta<'_>) -> Option<WriteResult<u64>> {
        Some(WriteResult::already_absent(meta, Some(self.group_id)))
    }
}

// ---------------------------------------------------------------------------------------------
// Handle

/// The user groups of a [`Client`] (see [`Client::groups`]).
#[derive(Clone, Copy)]
pub struct Groups<'a> {
    client: &'a Client,
}

impl fmt::Debug for Groups<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Groups").finish_non_exhaustive()
    }
}

impl<'a> Groups<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Queries one group (`GET /services/openapi/v1.0/user/group_detail/{groupId}`).
    pub async fn get(&self, group_id: u64) -> Result<Group> {
        self.client.send(&GetGroup::new(group_id)).await
    }

    /// Every group matching `query`, as a lazy stream read page by page
    /// (`GET /services/openapi/v1.0/user/group_list`).
    pub fn list(&self, query: ListGroups) -> Pages<Group> {
        self.client.pages(query)
    }

    /// Creates a group (`POST /services/openapi/v1.0/user/group_create`); the result carries
    /// the new group id. Never sent twice.
    pub async fn create(&self, group: CreateGroup) -> Result<WriteResult<u64>> {
        self.client.send(&group).await
    }

    /// Renames a group (`PUT /services/openapi/v1.0/user/group_update`).
    pub async fn update(&self, update: UpdateGroup) -> Result<WriteResult<u64>> {
        self.client.send(&update).await
    }

    /// Deletes an empty group (`DELETE /services/openapi/v1.0/user/group_delete/{groupId}`). A
    /// retry that finds the group gone is a success with `already_absent`.
    pub async fn delete(&self, group_id: u64) -> Result<WriteResult<u64>> {
        self.client.send(&DeleteGroup::new(group_id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_groups_query() {
        let r = ListGroups::new()
            .group_name("Sales EMEA")
            .page_size(5)
            .request()
            .unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/services/openapi/v1.0/user/group_list?pageSize=5&groupName=Sales+EMEA"
        );
        assert!(ListGroups::new().page_no(0).request().is_err());
        assert_eq!(
            serde_json::to_value(CreateGroup::new("Sales")).unwrap(),
            serde_json::json!({"groupName": "Sales"})
        );
    }
}
