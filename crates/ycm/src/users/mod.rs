//! YCM users: `/dm/open_api/v1/users` and `/dm/open_api/v2/users`.

mod model;
mod requests;

use std::fmt;

use yeastar_transport::{Pages, Result, WriteResult};

pub use self::model::{
    HighAvailability, PbxCreationLimit, ResellerPackage, TwoFactorAuthentication, User, UserPage, UserType,
};
pub use self::requests::{CreateUser, CreatedId, DeleteUsers, GetUser, ListUsers, UpdateSubscription, UpdateUser};
use crate::client::Client;

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
    /// (`GET /dm/open_api/v2/users`).
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
        self.client.pages(query)
    }

    /// Creates a user (`POST /dm/open_api/v1/users`); the result carries the new id.
    pub async fn create(&self, user: CreateUser) -> Result<WriteResult<u64>> {
        self.client.send(&user).await
    }

    /// Updates a user (`PUT /dm/open_api/v1/users/{userId}`).
    pub async fn update(&self, update: UpdateUser) -> Result<WriteResult> {
        self.client.send(&update).await
    }

    /// Deletes users of one type (`DELETE /dm/open_api/v1/users`).
    pub async fn delete(&self, delete: DeleteUsers) -> Result<WriteResult> {
        self.client.send(&delete).await
    }

    /// Updates a user's subscription (`PUT /dm/open_api/v1/users/{userId}/subscription_info`).
    pub async fn update_subscription(&self, update: UpdateSubscription) -> Result<WriteResult> {
        self.client.send(&update).await
    }
}
