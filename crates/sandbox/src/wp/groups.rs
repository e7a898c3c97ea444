//! Workplace user groups.

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::data::{ALL_USERS_GROUP, Data};
use super::{Paging, body_id, group_not_found, id_list, member_not_found, success};
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{JsonObject, PathParam, Q, req_str};
use crate::reply::Answer;

impl Data {
    fn check_group_name(&self, name: &str, except: Option<u64>) -> Result<(), ApiErr> {
        if self.groups.iter().any(|(id, n)| Some(*id) != except && n == name) {
            return Err(ApiErr::new(
                400,
                Code::GroupNameAlreadyExists,
                format!("The group {name} already exists"),
            ));
        }
        Ok(())
    }
}

/// The query of `GET /services/openapi/v1.0/user/group_list`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    group_name: Option<String>,
}

/// `GET /services/openapi/v1.0/user/group_list`: Query Multiple User Groups (the "All Users"
/// group under the company name).
pub(super) async fn list(State(app): State<Arc<App>>, Q(q): Q<ListQuery>) -> Answer {
    let needle = q.group_name.unwrap_or_default().to_lowercase();
    let mut db = app.db();
    let list: Vec<Value> = db
        .wp
        .groups
        .iter()
        .filter(|(_, name)| name.to_lowercase().contains(&needle))
        .map(|(id, name)| json!({"groupId": id, "groupName": name}))
        .collect();
    let data = q.paging.page(&list)?;
    Ok(success(&mut db, data))
}

/// `GET /services/openapi/v1.0/user/group_detail/{groupId}`: Query a Specific User Group.
pub(super) async fn get(State(app): State<Arc<App>>, group_id: PathParam) -> Answer {
    let id = group_id.number("groupId")?;
    let mut db = app.db();
    let name = db.wp.groups.get(&id).ok_or_else(|| group_not_found(id))?.clone();
    Ok(success(&mut db, json!({"groupId": id, "groupName": name})))
}

/// `POST /services/openapi/v1.0/user/group_create`: Create a User Group; `data: {groupId}`.
pub(super) async fn create(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let name = req_str(&body, "groupName")?;
    let members = id_list(&body, "memberIds", false)?;
    let mut db = app.db();
    let wp = &mut db.wp;
    wp.check_group_name(&name, None)?;
    if let Some(missing) = members.iter().find(|m| !wp.members.contains_key(m)) {
        return Err(member_not_found(*missing));
    }
    let id = wp.next_group_id;
    wp.next_group_id += 1;
    wp.groups.insert(id, name);
    for m in members {
        if let Some(member) = wp.members.get_mut(&m)
            && !member.group_ids.contains(&id)
        {
            member.group_ids.push(id);
        }
    }
    Ok(success(&mut db, json!({"groupId": id})))
}

/// `PUT /services/openapi/v1.0/user/group_update` (the group id in the body): rename a group.
pub(super) async fn update(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let id = body_id(&body, "groupId")?;
    let name = req_str(&body, "groupName")?;
    let mut db = app.db();
    if !db.wp.groups.contains_key(&id) {
        return Err(group_not_found(id));
    }
    db.wp.check_group_name(&name, Some(id))?;
    db.wp.groups.insert(id, name);
    Ok(success(&mut db, json!({"groupId": id})))
}

/// `DELETE /services/openapi/v1.0/user/group_delete/{groupId}`: Delete a User Group; only an
/// empty group can be deleted (never "All Users").
pub(super) async fn delete(State(app): State<Arc<App>>, group_id: PathParam) -> Answer {
    let id = group_id.number("groupId")?;
    let mut db = app.db();
    if !db.wp.groups.contains_key(&id) {
        return Err(group_not_found(id));
    }
    if id == ALL_USERS_GROUP || db.wp.members.values().any(|m| m.group_ids.contains(&id)) {
        return Err(ApiErr::new(
            400,
            Code::GroupNotEmpty,
            "Only an empty group can be deleted",
        ));
    }
    db.wp.groups.remove(&id);
    Ok(success(&mut db, json!({"groupId": id})))
}
