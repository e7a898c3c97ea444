//! Subordinate users (the partner's customers): query one, list, create, edit.
//!
//! Partner Portal has no delete: removing a customer goes through the Yeastar account manager.

mod model;
mod requests;

use std::fmt;

use yeastar_transport::{Pages, Result, WriteResult};

pub use self::model::{TaxType, User, UserType};
pub use self::requests::{
    CREATE_USER_PATH, CreateUser, EDIT_USER_PATH, EditUser, GET_USER_PATH, GetUser, LIST_USERS_PATH, ListUsers,
    ResultFlag,
};
use crate::client::Client;

/// The subordinate users of a [`Client`] (see [`Client::users`]).
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

    /// Queries one subordinate user by Yeastar ID (email address)
    /// (`GET /user/openapi/user/v1/subordinate_user/{partnerId}`).
    pub async fn get(&self, yeastar_id: impl Into<String>) -> Result<User> {
        self.client.send(&GetUser::new(yeastar_id)).await
    }

    /// Every subordinate user (`GET /user/openapi/user/v1/client/partner_list`). The endpoint
    /// is not paged: the stream reads one page.
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_partner_portal::Client) -> yeastar_partner_portal::Result<()> {
    /// use yeastar_partner_portal::ListUsers;
    /// let users = client.users().list(ListUsers::new()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self, query: ListUsers) -> Pages<User> {
        self.client.pages(query)
    }

    /// Creates a subordinate user (customer) (`POST /user/openapi/user/v1/client/save_user`).
    /// Never sent twice.
    ///
    /// The API answers `result: true` (created: the [`WriteResult`] carries the request id) or
    /// `result: false` with code `success`, which the docs leave unexplained: the SDK reports
    /// it as an [`Error::Api`](yeastar_transport::Error::Api) (HTTP status and request id, no code), because the user was not
    /// created.
    pub async fn create(&self, user: CreateUser) -> Result<WriteResult> {
        self.client.send(&user).await
    }

    /// Edits a subordinate user (`POST /user/openapi/user/v1/client/edit_user`). Retried on
    /// transient failures. `result: false` is an [`Error::Api`](yeastar_transport::Error::Api), as for [`Users::create`].
    pub async fn edit(&self, edit: EditUser) -> Result<WriteResult> {
        self.client.send(&edit).await
    }
}
