//! Subordinate users of the account: `GET /dm/open_api/v1/user_info/subordinates`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::{Endpoint, Pages, Payload, Request, Result};

use crate::client::Client;
use crate::envelope::YcmEnvelope;
use crate::paging::{DEFAULT_STREAM_PAGE_SIZE, PagedList, clamp_page_size, pages};
use yeastar_transport::lenient::opt_u64;

/// A subordinate user.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subordinate {
    /// The user id (`userId`, a Long; accepted as a number or a numeric string).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u64>,
    /// The user name (`userName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The email (`userEmail`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
}

/// One page of subordinate users.
pub type SubordinatePage = PagedList<Subordinate>;

/// `GET /dm/open_api/v1/user_info/subordinates`: one page of subordinate users. For all of
/// them, use [`Subordinates::list`], which pages lazily.
///
/// `pageSize` is clamped to 1..=50 and `pageNumber` to at least 1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListSubordinates {
    page_size: Option<u32>,
    page_number: Option<u32>,
    query: Option<String>,
}

impl ListSubordinates {
    /// Every subordinate user.
    pub fn new() -> Self {
        Self::default()
    }

    /// Items per page (`pageSize`, 1..=50; larger values are clamped to 50).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(clamp_page_size(size));
        self
    }

    /// The page to read (`pageNumber`, 1-based; for [`Subordinates::list`], the first page read).
    pub fn page_number(mut self, page: u32) -> Self {
        self.page_number = Some(page.max(1));
        self
    }

    /// A fuzzy search keyword (`query`).
    pub fn query(mut self, keyword: impl Into<String>) -> Self {
        self.query = Some(keyword.into());
        self
    }
}

impl Endpoint for ListSubordinates {
    type Envelope = YcmEnvelope;
    type Output = SubordinatePage;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v1/user_info/subordinates")
            .query_opt("pageSize", self.page_size.map(clamp_page_size))
            .query_opt("pageNumber", self.page_number.map(|p| p.max(1)))
            .query_opt("query", self.query.as_deref().filter(|q| !q.is_empty())))
    }

    fn decode(payload: Payload<'_>) -> Result<SubordinatePage> {
        payload.json()
    }
}

/// The subordinate users of a [`Client`] (see [`Client::subordinates`]).
#[derive(Clone, Copy)]
pub struct Subordinates<'a> {
    client: &'a Client,
}

impl fmt::Debug for Subordinates<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subordinates").finish_non_exhaustive()
    }
}

impl<'a> Subordinates<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Every subordinate user matching `query`, as a lazy stream read page by page. Without
    /// a page size, pages of [`DEFAULT_STREAM_PAGE_SIZE`] (50) are read.
    pub fn list(&self, query: ListSubordinates) -> Pages<Subordinate> {
        let size = query.page_size.unwrap_or(DEFAULT_STREAM_PAGE_SIZE);
        let first = query.page_number.unwrap_or(1);
        pages(self.client, first, size, move |page_no| {
            query.clone().page_size(size).page_number(page_no)
        })
    }

    /// One page of subordinate users, as asked.
    pub async fn list_page(&self, query: &ListSubordinates) -> Result<SubordinatePage> {
        self.client.send(query).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string() {
        let r = ListSubordinates::new().query("ac me").page_size(0).request().unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/dm/open_api/v1/user_info/subordinates?pageSize=1&query=ac+me"
        );
    }
}
