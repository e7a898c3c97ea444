//! Workplace users: `user_list`, `user_detail`, `user_create`, `user_update`, `user_remove`.

mod model;
mod requests;

use std::fmt;

use yeastar_transport::{Error, Pages, Result, WriteResult};

pub use self::model::{InviteStatus, Role, User, UserIds, UserPage};
use self::requests::ReadForUpdate;
pub use self::requests::{CreateUser, CreatedIds, DeleteUser, GetUser, ListUsers, MemberIdData, UpdateUser};
use crate::client::Client;

/// The users of a [`Client`] (see [`Client::users`]).
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

    /// Queries one user by member id (`GET /services/openapi/v1.0/user/user_detail/{memberId}`).
    pub async fn get(&self, member_id: u64) -> Result<User> {
        self.client.send(&GetUser::new(member_id)).await
    }

    /// Every user matching `query`, as a lazy stream read page by page
    /// (`GET /services/openapi/v1.0/user/user_list`).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_workplace::Client) -> yeastar_workplace::Result<()> {
    /// use yeastar_workplace::ListUsers;
    /// let mut users = client.users().list(ListUsers::new().query("Leo")).items();
    /// while let Some(user) = users.next().await {
    ///     println!("{:?}", user?.email);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, query: ListUsers) -> Pages<User> {
        self.client.pages(query)
    }

    /// Creates a user (`POST /services/openapi/v1.0/user/user_create`); the result carries the
    /// new member id and account id ([`UserIds`]). Never sent twice.
    pub async fn create(&self, user: CreateUser) -> Result<WriteResult<UserIds>> {
        self.client.send(&user).await
    }

    /// Replaces a user with `update` (`PUT /services/openapi/v1.0/user/user_update`, the raw
    /// call: see [`UpdateUser`]); the result carries the member id the API returns.
    pub async fn update(&self, update: UpdateUser) -> Result<WriteResult<u64>> {
        self.client.send(&update).await
    }

    /// Changes some fields of a user and keeps the others.
    ///
    /// Reads the user (`user_detail`), builds the complete [`UpdateUser`] from it
    /// ([`UpdateUser::from_user`]), lets `edit` change it, then sends the whole object
    /// (`user_update`). Changing only the email thus keeps last name, phone, floor, groups, id
    /// code, and the fields this SDK does not model (sent back as read).
    ///
    /// - **Read-modify-write without a version check**: Workplace has no version or ETag, so
    ///   a change made by someone else between the read and the write is overwritten (lost).
    /// - If the user as read lacks a field the update requires, this fails with
    ///   [`Error::InvalidInput`] naming it, and nothing is written.
    /// - If `user_detail` answers for another member than `member_id`, this fails with
    ///   [`Error::Decode`] (a wrong answer), and nothing is written.
    /// - `user_detail` does not return the face image or `sendInviteEmail`; both are omitted
    ///   unless `edit` sets them. By the docs' warning on this call ("parameters not included
    ///   in the request might be set to NULL or reset to default settings") an update without
    ///   `imageBase64` may clear the user's image: set it in `edit` when the user has one.
    /// - `edit` must not change `member_id` (that is refused with [`Error::InvalidInput`]).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_workplace::Client) -> yeastar_workplace::Result<()> {
    /// client.users().modify(54164, |user| {
    ///     user.email = "leo-new-email@yeastar.com".into();
    ///     user.group_ids.push(1000128);
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn modify(&self, member_id: u64, edit: impl FnOnce(&mut UpdateUser)) -> Result<WriteResult<u64>> {
        let (mut current, other_member) = self.client.send(&ReadForUpdate(GetUser::new(member_id))).await?;
        // The id asked for is known even if the answer omits it.
        current.member_id.get_or_insert(member_id);
        if current.member_id != Some(member_id) {
            return Err(other_member);
        }
        let mut update = UpdateUser::from_user(&current)?;
        edit(&mut update);
        if update.member_id != member_id {
            // Writing this user's data onto another member would corrupt that member.
            return Err(Error::invalid_input("memberId", "modify cannot change the member id"));
        }
        self.update(update).await
    }

    /// Deletes a user (`DELETE /services/openapi/v1.0/user/user_remove/{memberId}`). A retry
    /// that finds the user gone (the first attempt deleted it, its answer was lost) is a
    /// success with `already_absent`.
    pub async fn delete(&self, member_id: u64) -> Result<WriteResult<u64>> {
        self.client.send(&DeleteUser::new(member_id)).await
    }
}
