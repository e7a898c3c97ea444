//! The Workplace user model: `User_Info`, its enums, and the ids a create returns.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yeastar_transport::api_enum;
use yeastar_transport::lenient::{opt_u64, opt_u64_vec};

use crate::envelope::PagedList;

api_enum! {
    /// A user's role (`roleName`): a built-in role, or the name of a custom role (added in
    /// User Management > Role on the Workplace admin portal).
    ///
    /// A custom role is [`Role::Unknown`] with its name: write it as `Role::from("Front Desk")`;
    /// it is sent and read back verbatim.
    ///
    /// ```
    /// use yeastar_workplace::Role;
    /// assert_eq!(Role::from("Administrator"), Role::Administrator);
    /// assert_eq!(Role::from("Front Desk"), Role::Unknown("Front Desk".into()));
    /// assert_eq!(Role::from("Front Desk").as_str(), "Front Desk");
    /// ```
    pub enum Role {
        /// The built-in `Administrator` role.
        Administrator => "Administrator",
        /// The built-in `User` role.
        User => "User",
    }
}

api_enum! {
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

/// A user as `user_list` and `user_detail` return it (`User_Info`).
///
/// Every field is optional, since Yeastar may leave any of them out; ids are read from
/// numbers or numeric strings. Fields this version of the SDK does not know are kept in
/// [`User::extra`], so that [`Users::modify`](crate::Users::modify) sends them back.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The account id (`userId`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u64>,
    /// The member id (`memberId`): the id every user and group operation takes.
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
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
    #[serde(default, deserialize_with = "opt_u64_vec", skip_serializing_if = "Option::is_none")]
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
    /// The fields of the answer this version of the SDK does not model, verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of users.
pub type UserPage = PagedList<User>;

/// The ids of a user created by `user_create` (`data: {userId, memberId}`), the `id` of its
/// [`WriteResult`](yeastar_transport::WriteResult).
///
/// Workplace returns two ids: the member id, which every later user and group operation
/// takes (and which the SDK therefore requires in the answer), and the account id.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIds {
    /// The new member id (`memberId`).
    pub member_id: u64,
    /// The new account id (`userId`), when the answer has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u64>,
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
            (Role::Unknown("Front Desk".into()), "Front Desk"),
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
    fn unknown_fields_are_kept_and_written_back() {
        let v = json!({"memberId": "54164", "email": "leo@yeastar.com", "departmentId": 7,
                       "badge": {"color": "blue"}});
        let user: User = serde_json::from_value(v).unwrap();
        assert_eq!(user.member_id, Some(54164));
        assert_eq!(
            Value::Object(user.extra.clone()),
            json!({"departmentId": 7, "badge": {"color": "blue"}})
        );
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"memberId": 54164, "email": "leo@yeastar.com", "departmentId": 7, "badge": {"color": "blue"}})
        );
    }
}
