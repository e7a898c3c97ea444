//! Subordinate users of the account: `GET /dm/open_api/v1/user_info/subordinates`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::opt_u64;
use yeastar_transport::{Endpoint, Meta, Pages, Request, Result};

use crate::client::Client;
use crate::envelope::{DEFAULT_PAGE_SIZE, PagedList, YcmEnvelope, check_page};

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

    yeastar_transport::setters! {
        /// 1..=50.
        page_size = u32 => "pageSize",
        /// 1-based; for a listing, the first page read.
        page_number = u32 => "pageNumber",
        /// A fuzzy keyword (name or email).
        query: String => "query",
    }
}

impl Endpoint for ListSubordinates {
    type Envelope = YcmEnvelope;
    type Data = SubordinatePage;
    type Output = SubordinatePage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_number, self.page_size)?;
        Ok(Request::get("/dm/open_api/v1/user_info/subordinates")
            .query_opt("pageSize", self.page_size)
            .query_opt("pageNumber", self.page_number)
            .query_opt("query", self.query.as_deref().filter(|q| !q.is_empty())))
    }

    fn output(page: SubordinatePage, _: &Meta<'_>) -> Result<SubordinatePage> {
        Ok(page)
    }
}

yeastar_transport::list_endpoint!(ListSubordinates => Subordinate, paged(page_number, page_size, DEFAULT_PAGE_SIZE));

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

    /// Every subordinate user matching `query`, as a lazy stream read page by page
    /// (`GET /dm/open_api/v1/user_info/subordinates`).
    pub fn list(&self, query: ListSubordinates) -> Pages<Subordinate> {
        self.client.pages(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string() {
        let r = ListSubordinates::new().query("ac me").page_size(5).request().unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/dm/open_api/v1/user_info/subordinates?pageSize=5&query=ac+me"
        );
        assert!(ListSubordinates::new().page_size(0).request().is_err());
    }
}
