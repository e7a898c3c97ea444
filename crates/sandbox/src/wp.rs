//! Workplace endpoints (`/services/openapi/v1.0/…`).

use http::Method;
use serde_json::{Map, Value, json};

use crate::Product;
use crate::auth::{self, TokenCall};
use crate::config::SandboxConfig;
use crate::state::{State, WP_ALL_USERS_GROUP, WpMember};
use crate::util::{ApiErr, PageReq, Reply, Req, is_email, opt_str, req_str};

type Handler = fn(&mut State, &Req) -> Result<Reply, ApiErr>;

/// Workplace documents no page-size default; the simulator uses 20.
const DEFAULT_PAGE_SIZE: usize = 20;

fn success(st: &mut State, data: Value) -> Reply {
    Reply::ok(json!({"data": data, "status": "Success", "requestId": st.request_id()}))
}

pub(crate) fn handle(config: &SandboxConfig, st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let segs = req.seg_strs();
    let Some(["services", "openapi", "v1.0", rest @ ..]) = Some(segs.as_slice()) else {
        return Err(ApiErr::new(404, "NOT_FOUND", format!("No endpoint {}", req.path)));
    };
    let (method, handler): (Method, Handler) = match rest {
        ["authentication", "get_token"] => {
            return auth::token(config, st, Product::Workplace, req, TokenCall::WpGet);
        }
        ["authentication", "refresh_token"] => {
            return auth::token(config, st, Product::Workplace, req, TokenCall::WpRefresh);
        }
        ["user", "user_list"] => (Method::GET, user_list),
        ["user", "user_detail", _] => (Method::GET, user_detail),
        ["user", "user_create"] => (Method::POST, user_create),
        ["user", "user_update"] => (Method::PUT, user_update),
        ["user", "user_remove", _] => (Method::DELETE, user_remove),
        ["user", "group_list"] => (Method::GET, group_list),
        ["user", "group_detail", _] => (Method::GET, group_detail),
        ["user", "group_create"] => (Method::POST, group_create),
        ["user", "group_update"] => (Method::PUT, group_update),
        ["user", "group_delete", _] => (Method::DELETE, group_delete),
        _ => return Err(ApiErr::new(404, "NOT_FOUND", format!("No endpoint {}", req.path))),
    };
    if req.method != method {
        // As in the documentation's error example: HTTP 405, ACCESS_DENIED.
        return Err(ApiErr::method_not_allowed(&req.method));
    }
    auth::authenticate(st, Product::Workplace, req)?;
    handler(st, req)
}

fn path_id(req: &Req, name: &str) -> Result<u64, ApiErr> {
    let raw = req.segs.last().map(String::as_str).unwrap_or("");
    raw.parse()
        .map_err(|_| ApiErr::invalid(name, "number", format!("{name} must be a number: {raw}")))
}

fn body_id(body: &Map<String, Value>, name: &str) -> Result<u64, ApiErr> {
    match body.get(name) {
        None | Some(Value::Null) => Err(ApiErr::required(name)),
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .ok_or_else(|| ApiErr::invalid(name, "number", format!("{name} must be a number"))),
    }
}

fn id_list(body: &Map<String, Value>, name: &str, required: bool) -> Result<Vec<u64>, ApiErr> {
    match body.get(name) {
        None | Some(Value::Null) if !required => Ok(Vec::new()),
        Some(Value::Array(items)) if !items.is_empty() || !required => items
            .iter()
            .map(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
            .collect::<Option<Vec<u64>>>()
            .ok_or_else(|| ApiErr::invalid(name, "number", format!("{name} must be an array of numbers"))),
        Some(Value::Array(_)) | None | Some(Value::Null) => Err(ApiErr::required(name)),
        Some(_) => Err(ApiErr::invalid(name, "array", format!("{name} must be an array"))),
    }
}

fn member_not_found(id: u64) -> ApiErr {
    ApiErr::new(404, "USER_NOT_FOUND", format!("The member {id} does not exist"))
}

fn group_not_found(id: u64) -> ApiErr {
    ApiErr::new(404, "GROUP_NOT_FOUND", format!("The group {id} does not exist"))
}

/// Reads and validates the user fields shared by create and update. Omitted optional fields
/// come back as `None`: on update they overwrite the stored values, as Workplace warns.
fn read_member(st: &State, body: &Map<String, Value>, member_id: Option<u64>) -> Result<(WpMember, bool), ApiErr> {
    let email = req_str(body, "email")?;
    if !is_email(&email) {
        return Err(ApiErr::invalid("email", "email", "email must be an email address"));
    }
    if st
        .wp_members
        .values()
        .any(|m| Some(m.member_id) != member_id && m.email.eq_ignore_ascii_case(&email))
    {
        return Err(ApiErr::new(
            400,
            "EMAIL_ALREADY_EXISTS",
            format!("The email {email} is already used"),
        ));
    }
    let first_name = req_str(body, "firstName")?;
    let group_ids = id_list(body, "groupIds", true)?;
    if let Some(missing) = group_ids.iter().find(|g| !st.wp_groups.contains_key(g)) {
        return Err(group_not_found(*missing));
    }
    let role_name = req_str(body, "roleName")?;
    if !st.wp_roles.contains(&role_name.as_str()) {
        return Err(ApiErr::new(
            400,
            "ROLE_NOT_FOUND",
            format!("The role {role_name} does not exist"),
        ));
    }
    let building = req_str(body, "preferredBuildingName")?;
    let Some((_, floors)) = st.wp_buildings.iter().find(|(b, _)| *b == building) else {
        return Err(ApiErr::new(
            400,
            "BUILDING_NOT_FOUND",
            format!("The building {building} does not exist"),
        ));
    };
    let floor = opt_str(body, "preferredFloorName")?.filter(|f| !f.is_empty());
    if let Some(f) = &floor
        && !floors.contains(&f.as_str())
    {
        return Err(ApiErr::new(
            400,
            "FLOOR_NOT_FOUND",
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
    let member = WpMember {
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

fn user_list(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let page = PageReq::parse(req, "pageNo", "pageSize", DEFAULT_PAGE_SIZE, None)?;
    let needle = req.q("query").unwrap_or("").to_lowercase();
    let list: Vec<Value> = st
        .wp_members
        .values()
        .filter(|m| {
            if needle.is_empty() {
                return true;
            }
            let name = format!("{} {}", m.first_name, m.last_name.as_deref().unwrap_or(""));
            let groups = m.group_ids.iter().filter_map(|g| st.wp_groups.get(g));
            [m.email.as_str(), name.as_str(), m.phone.as_deref().unwrap_or("")]
                .into_iter()
                .chain(groups.map(String::as_str))
                .any(|s| s.to_lowercase().contains(&needle))
        })
        .map(WpMember::to_json)
        .collect();
    let data = json!({"pageSize": page.size, "pageNo": page.number, "total": list.len(), "list": page.slice(&list)});
    Ok(success(st, data))
}

fn user_detail(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let id = path_id(req, "memberId")?;
    let member = st.wp_members.get(&id).ok_or_else(|| member_not_found(id))?.to_json();
    Ok(success(st, member))
}

fn user_create(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let body = req.json_object()?;
    let (mut member, send_invite) = read_member(st, &body, None)?;
    member.member_id = st.next_wp_member_id;
    member.user_id = st.next_wp_user_id;
    st.next_wp_member_id += 1;
    st.next_wp_user_id += 1;
    member.invite_status = if send_invite { "invite" } else { "outer" }.into();
    let data = json!({"userId": member.user_id, "memberId": member.member_id});
    st.wp_members.insert(member.member_id, member);
    Ok(success(st, data))
}

fn user_update(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let body = req.json_object()?;
    let id = body_id(&body, "memberId")?;
    let current = st.wp_members.get(&id).ok_or_else(|| member_not_found(id))?.clone();
    let (mut member, send_invite) = read_member(st, &body, Some(id))?;
    // The whole record is replaced; only the ids and the invitation state survive.
    member.user_id = current.user_id;
    member.invite_status = if send_invite && current.invite_status == "outer" {
        "invite".into()
    } else {
        current.invite_status
    };
    st.wp_members.insert(id, member);
    Ok(success(st, json!({"memberId": id})))
}

fn user_remove(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let id = path_id(req, "memberId")?;
    st.wp_members.remove(&id).ok_or_else(|| member_not_found(id))?;
    Ok(success(st, json!({"memberId": id})))
}

fn group_list(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let page = PageReq::parse(req, "pageNo", "pageSize", DEFAULT_PAGE_SIZE, None)?;
    let needle = req.q("groupName").unwrap_or("").to_lowercase();
    let list: Vec<Value> = st
        .wp_groups
        .iter()
        .filter(|(_, name)| name.to_lowercase().contains(&needle))
        .map(|(id, name)| json!({"groupId": id, "groupName": name}))
        .collect();
    let data = json!({"pageSize": page.size, "pageNo": page.number, "total": list.len(), "list": page.slice(&list)});
    Ok(success(st, data))
}

fn group_detail(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let id = path_id(req, "groupId")?;
    let name = st.wp_groups.get(&id).ok_or_else(|| group_not_found(id))?.clone();
    Ok(success(st, json!({"groupId": id, "groupName": name})))
}

fn check_group_name(st: &State, name: &str, except: Option<u64>) -> Result<(), ApiErr> {
    if st.wp_groups.iter().any(|(id, n)| Some(*id) != except && n == name) {
        return Err(ApiErr::new(
            400,
            "GROUP_NAME_ALREADY_EXISTS",
            format!("The group {name} already exists"),
        ));
    }
    Ok(())
}

fn group_create(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let body = req.json_object()?;
    let name = req_str(&body, "groupName")?;
    check_group_name(st, &name, None)?;
    let members = id_list(&body, "memberIds", false)?;
    if let Some(missing) = members.iter().find(|m| !st.wp_members.contains_key(m)) {
        return Err(member_not_found(*missing));
    }
    let id = st.next_wp_group_id;
    st.next_wp_group_id += 1;
    st.wp_groups.insert(id, name);
    for m in members {
        if let Some(member) = st.wp_members.get_mut(&m)
            && !member.group_ids.contains(&id)
        {
            member.group_ids.push(id);
        }
    }
    Ok(success(st, json!({"groupId": id})))
}

fn group_update(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let body = req.json_object()?;
    let id = body_id(&body, "groupId")?;
    let name = req_str(&body, "groupName")?;
    if !st.wp_groups.contains_key(&id) {
        return Err(group_not_found(id));
    }
    check_group_name(st, &name, Some(id))?;
    st.wp_groups.insert(id, name);
    Ok(success(st, json!({"groupId": id})))
}

fn group_delete(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let id = path_id(req, "groupId")?;
    if !st.wp_groups.contains_key(&id) {
        return Err(group_not_found(id));
    }
    if id == WP_ALL_USERS_GROUP || st.wp_members.values().any(|m| m.group_ids.contains(&id)) {
        return Err(ApiErr::new(
            400,
            "GROUP_NOT_EMPTY",
            "Only an empty group can be deleted",
        ));
    }
    st.wp_groups.remove(&id);
    Ok(success(st, json!({"groupId": id})))
}
