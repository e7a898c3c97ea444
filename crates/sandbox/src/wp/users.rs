//! Workplace users (members).

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::data::{Data, Member};
use super::{Paging, body_id, group_not_found, id_list, member_not_found, success};
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{JsonObject, PathParam, Q, is_email, opt_str, req_str};
use crate::reply::Answer;

impl Data {
    /// Reads and validates the user fields shared by create and update. Omitted optional fields
    /// come back as `None`: on update they overwrite the stored values, as Workplace warns.
    fn read_member(&self, body: &Map<String, Value>, member_id: Option<u64>) -> Result<(Member, bool), ApiErr> {
        let email = req_str(body, "email")?;
        if !is_email(&email) {
            return Err(ApiErr::invalid("email", "email", "email must be an email address"));
        }
        if self
            .members
            .values()
            .any(|m| Some(m.member_id) != member_id && m.email.eq_ignore_ascii_case(&email))
        {
            return Err(ApiErr::new(
                400,
                Code::EmailAlreadyExists,
                format!("The email {email} is already used"),
            ));
        }
        let first_name = req_str(body, "firstName")?;
        let group_ids = id_list(body, "groupIds", true)?;
        if let Some(missing) = group_ids.iter().find(|g| !self.groups.contains_key(g)) {
            return Err(group_not_found(*missing));
        }
        let role_name = req_str(body, "roleName")?;
        if !self.roles.contains(&role_name.as_str()) {
            return Err(ApiErr::new(
                400,
                Code::RoleNotFound,
                format!("The role {role_name} does not exist"),
            ));
        }
        let building = req_str(body, "preferredBuildingName")?;
        let Some((_, floors)) = self.buildings.iter().find(|(b, _)| *b == building) else {
            return Err(ApiErr::new(
                400,
                Code::BuildingNotFound,
                format!("The building {building} does not exist"),
            ));
        };
        let floor = opt_str(body, "preferredFloorName")?.filter(|f| !f.is_empty());
        if let Some(f) = &floor
            && !floors.contains(&f.as_str())
        {
            return Err(ApiErr::new(
                400,
                Code::FloorNotFound,
                format!("The floor {f} does not exist in {building}"),
            ));
        }
        let send_invite = match body.get("sendInviteEmail") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(ApiErr::invalid(
                    "sendInviteEmail",
                    "boolean",
                    "sendInviteEmail must be a boolean",
                ));
            }
        };
        let member = Member {
            user_id: 0,
            member_id: member_id.unwrap_or(0),
            invite_status: String::new(),
            email,
            first_name,
            last_name: opt_str(body, "lastName")?,
            group_ids,
            role_name,
            preferred_building_name: building,
            preferred_floor_name: floor,
            phone: opt_str(body, "phone")?,
            image_base64: opt_str(body, "imageBase64")?,
            id_code: opt_str(body, "idCode")?,
        };
        Ok((member, send_invite))
    }
}

/// The query of `GET /services/openapi/v1.0/user/user_list`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    query: Option<String>,
}

/// `GET /services/openapi/v1.0/user/user_list`: Query Multiple Users (`query` matches email,
/// name, mobile or group name).
pub(super) async fn list(State(app): State<Arc<App>>, Q(q): Q<ListQuery>) -> Answer {
    let needle = q.query.unwrap_or_default().to_lowercase();
    let mut db = app.db();
    let wp = &db.wp;
    let list: Vec<Value> = wp
        .members
        .values()
        .filter(|m| {
            if needle.is_empty() {
                return true;
            }
            let name = format!("{} {}", m.first_name, m.last_name.as_deref().unwrap_or(""));
            let groups = m.group_ids.iter().filter_map(|g| wp.groups.get(g));
            [m.email.as_str(), name.as_str(), m.phone.as_deref().unwrap_or("")]
                .into_iter()
                .chain(groups.map(String::as_str))
                .any(|s| s.to_lowercase().contains(&needle))
        })
        .map(Member::to_json)
        .collect();
    let data = q.paging.page(&list)?;
    Ok(success(&mut db, data))
}

/// `GET /services/openapi/v1.0/user/user_detail/{memberId}`: Query a Specific User.
pub(super) async fn get(State(app): State<Arc<App>>, member_id: PathParam) -> Answer {
    let id = member_id.number("memberId")?;
    let mut db = app.db();
    let member = db.wp.members.get(&id).ok_or_else(|| member_not_found(id))?.to_json();
    Ok(success(&mut db, member))
}

/// `POST /services/openapi/v1.0/user/user_create`: Create a User; `data: {userId, memberId}`.
pub(super) async fn create(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let mut db = app.db();
    let (mut member, send_invite) = db.wp.read_member(&body, None)?;
    let wp = &mut db.wp;
    member.member_id = wp.next_member_id;
    member.user_id = wp.next_user_id;
    wp.next_member_id += 1;
    wp.next_user_id += 1;
    member.invite_status = if send_invite { "invite" } else { "outer" }.into();
    let data = json!({"userId": member.user_id, "memberId": member.member_id});
    wp.members.insert(member.member_id, member);
    Ok(success(&mut db, data))
}

/// `PUT /services/openapi/v1.0/user/user_update` (the member id in the body): Update a User.
/// The whole record is replaced: omitted fields are reset, as the docs warn.
pub(super) async fn update(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let id = body_id(&body, "memberId")?;
    let mut db = app.db();
    let current = db.wp.members.get(&id).ok_or_else(|| member_not_found(id))?.clone();
    let (mut member, send_invite) = db.wp.read_member(&body, Some(id))?;
    // Only the ids and the invitation state survive.
    member.user_id = current.user_id;
    member.invite_status = if send_invite && current.invite_status == "outer" {
        "invite".into()
    } else {
        current.invite_status
    };
    db.wp.members.insert(id, member);
    Ok(success(&mut db, json!({"memberId": id})))
}

/// `DELETE /services/openapi/v1.0/user/user_remove/{memberId}`: Delete a User.
pub(super) async fn remove(State(app): State<Arc<App>>, member_id: PathParam) -> Answer {
    let id = member_id.number("memberId")?;
    let mut db = app.db();
    db.wp.members.remove(&id).ok_or_else(|| member_not_found(id))?;
    Ok(success(&mut db, json!({"memberId": id})))
}
