//! YCM endpoints.

use http::Method;
use serde_json::{Map, Value, json};

use crate::Product;
use crate::auth::{self, TokenCall};
use crate::config::SandboxConfig;
use crate::state::{State, Subscription, YcmUser};
use crate::util::{ApiErr, PageReq, Reply, Req, is_email, opt_int, opt_str, req_str, unix_now};

type Handler = fn(&mut State, &Req) -> Result<Reply, ApiErr>;

fn success(st: &mut State, data: Option<Value>) -> Reply {
    let mut body = json!({"requestId": st.request_id(), "status": "Success", "time": unix_now()});
    if let Some(data) = data {
        body["data"] = data;
    }
    Reply::ok(body)
}

pub(crate) fn handle(config: &SandboxConfig, st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let segs = req.seg_strs();
    let routes: &[(Method, Handler)] = match segs.as_slice() {
        ["dm", "open_api", "oauth", "token"] => {
            return auth::token(config, st, Product::Ycm, req, TokenCall::ByGrantType);
        }
        // The documented path and the doc example's variant.
        ["dm", "open_api", "v1", "user_info" | "users", "subordinates"] => &[(Method::GET, subordinates)],
        ["dm", "open_api", "v2", "users"] => &[(Method::GET, list_users)],
        ["dm", "open_api", "v1", "users"] => &[(Method::POST, create_user), (Method::DELETE, delete_users)],
        ["dm", "open_api", "v1", "users", _] => &[(Method::GET, get_user), (Method::PUT, update_user)],
        // The update page's example sends the singular `user`.
        ["dm", "open_api", "v1", "user", _] => &[(Method::PUT, update_user)],
        ["dm", "open_api", "v1", "users", _, "subscription_info"] => &[(Method::PUT, update_subscription)],
        _ => return Err(ApiErr::new(404, "NOT_FOUND", format!("No endpoint {}", req.path))),
    };
    let handler = routes
        .iter()
        .find(|(m, _)| *m == req.method)
        .map(|(_, h)| *h)
        .ok_or_else(|| ApiErr::method_not_allowed(&req.method))?;
    auth::authenticate(st, Product::Ycm, req)?;
    handler(st, req)
}

fn path_user_id(req: &Req) -> Result<u64, ApiErr> {
    let raw = &req.segs[4];
    raw.parse()
        .map_err(|_| ApiErr::invalid("userId", "number", format!("userId must be a number: {raw}")))
}

fn user_not_found(id: u64) -> ApiErr {
    ApiErr::not_found(format!("User {id} does not exist"))
}

fn get_user(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let id = path_user_id(req)?;
    let user = st.ycm_users.get(&id).ok_or_else(|| user_not_found(id))?.to_json();
    Ok(success(st, Some(user)))
}

fn list_users(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let page = PageReq::parse(req, "pageNumber", "pageSize", 10, Some(50))?;
    let mut users: Vec<Value> = st.ycm_users.values().map(YcmUser::to_json).collect();
    match req.q("sort").unwrap_or("") {
        "" | "userId" => {}
        "-userId" => users.reverse(),
        other => {
            return Err(ApiErr::invalid(
                "sort",
                "oneof",
                format!("Unsupported sort field: {other}"),
            ));
        }
    }
    let data = json!({
        "pageSize": page.size,
        "pageNumber": page.number,
        "total": users.len(),
        "list": page.slice(&users),
    });
    Ok(success(st, Some(data)))
}

fn check_email_free(st: &State, email: &str, except: Option<u64>) -> Result<(), ApiErr> {
    if !is_email(email) {
        return Err(ApiErr::invalid("email", "email", "email must be an email address"));
    }
    if st
        .ycm_users
        .values()
        .any(|u| Some(u.user_id) != except && u.email.eq_ignore_ascii_case(email))
    {
        return Err(ApiErr::new(
            400,
            "ALREADY_EXISTS",
            format!("The email {email} is already used"),
        ));
    }
    Ok(())
}

fn non_negative(body: &Map<String, Value>, key: &str) -> Result<Option<i64>, ApiErr> {
    match opt_int(body, key)? {
        Some(n) if n < 0 => Err(ApiErr::invalid(key, "min", format!("{key} must not be negative"))),
        other => Ok(other),
    }
}

fn required_count(body: &Map<String, Value>, keys: &[&str]) -> Result<i64, ApiErr> {
    for key in keys {
        if let Some(n) = non_negative(body, key)? {
            return Ok(n);
        }
    }
    Err(ApiErr::required(keys[0]))
}

fn high_availability(body: &Map<String, Value>) -> Result<Option<String>, ApiErr> {
    let ha = opt_str(body, "highAvailability")?;
    if let Some(v) = &ha
        && v != "subscribed"
        && v != "unsubscribed"
    {
        return Err(ApiErr::invalid(
            "highAvailability",
            "oneof",
            "highAvailability must be subscribed or unsubscribed",
        ));
    }
    Ok(ha)
}

fn create_user(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let body = req.json_object()?;
    let user_type = req_str(&body, "userType")?;
    if user_type != "Reseller" {
        return Err(ApiErr::invalid("userType", "oneof", "userType must be Reseller"));
    }
    let company = req_str(&body, "company")?;
    let first_name = req_str(&body, "firstName")?;
    let email = req_str(&body, "email")?;
    check_email_free(st, &email, None)?;
    let subscription = Subscription {
        total_extensions: required_count(&body, &["totalExtensions"])?,
        total_concurrent_calls: required_count(&body, &["totalConcurrentCalls"])?,
        total_recordings: required_count(&body, &["totalRecordings"])?,
        // Create documents `minimumExtPerPBX`, the subscription update `minimumExtPerPbx`.
        minimum_ext_per_pbx: required_count(&body, &["minimumExtPerPBX", "minimumExtPerPbx"])?,
        high_availability: high_availability(&body)?,
        total_custom_domains: non_negative(&body, "totalCustomDomains")?,
    };
    for key in ["totalUltimatePlan", "totalTranscription", "totalConnections"] {
        non_negative(&body, key)?;
    }
    let s = |k: &str| opt_str(&body, k).map(Option::unwrap_or_default);
    let user_id = st.next_ycm_user_id;
    st.next_ycm_user_id += 1;
    let user = YcmUser {
        user_id,
        company,
        first_name,
        last_name: s("lastName")?,
        email,
        phone: s("phone")?,
        mobile: s("mobile")?,
        address: s("address")?,
        remark: s("remark")?,
        created_cloud_pbx: 0,
        user_type,
        two_factor: "disable".into(),
        pbx_creation_limit: None,
        subscription: Some(subscription),
    };
    st.ycm_users.insert(user_id, user);
    Ok(success(st, Some(json!({"userId": user_id}))))
}

fn update_user(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let id = path_user_id(req)?;
    let body = req.json_object()?;
    let current = st.ycm_users.get(&id).ok_or_else(|| user_not_found(id))?.clone();
    let mut user = current.clone();
    for key in [
        "company",
        "firstName",
        "lastName",
        "email",
        "phone",
        "mobile",
        "address",
        "remark",
    ] {
        let Some(v) = opt_str(&body, key)? else { continue };
        let slot = match key {
            "company" => &mut user.company,
            "firstName" => &mut user.first_name,
            "lastName" => &mut user.last_name,
            "email" => {
                check_email_free(st, &v, Some(id))?;
                &mut user.email
            }
            "phone" => &mut user.phone,
            "mobile" => &mut user.mobile,
            "address" => &mut user.address,
            _ => &mut user.remark,
        };
        *slot = v;
    }
    if let Some(v) = opt_str(&body, "twoFactorAuthenticationEnable")? {
        if v != "disable" {
            return Err(ApiErr::invalid(
                "twoFactorAuthenticationEnable",
                "oneof",
                "twoFactorAuthenticationEnable only accepts disable",
            ));
        }
        user.two_factor = v;
    }
    match body.get("pbxCreationLimit") {
        None | Some(Value::Null) => {}
        // It only takes effect for a reseller.
        Some(_) if user.user_type != "Reseller" => {}
        Some(Value::String(s)) if s.is_empty() => user.pbx_creation_limit = None,
        Some(v) => {
            let n = match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            }
            .ok_or_else(|| {
                ApiErr::invalid(
                    "pbxCreationLimit",
                    "number",
                    "pbxCreationLimit must be an integer or \"\"",
                )
            })?;
            if n == 0 || n < user.created_cloud_pbx {
                return Err(ApiErr::invalid(
                    "pbxCreationLimit",
                    "min",
                    format!(
                        "pbxCreationLimit must not be 0 and must be at least the {} Cloud PBXs the user owns",
                        user.created_cloud_pbx
                    ),
                ));
            }
            user.pbx_creation_limit = Some(n);
        }
    }
    st.ycm_users.insert(id, user);
    Ok(success(st, None))
}

fn delete_users(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let body = req.json_object()?;
    let user_type = req_str(&body, "userType")?;
    if user_type != "Reseller" && user_type != "My Colleague" {
        return Err(ApiErr::invalid(
            "userType",
            "oneof",
            "userType must be My Colleague or Reseller",
        ));
    }
    let ids: Vec<u64> = match body.get("userIds") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
            .collect::<Option<_>>()
            .ok_or_else(|| ApiErr::invalid("userIds", "number", "userIds must be numbers"))?,
        _ => return Err(ApiErr::required("userIds")),
    };
    // All or nothing: check every id first.
    for id in &ids {
        let user = st.ycm_users.get(id).ok_or_else(|| user_not_found(*id))?;
        if user.user_type != user_type {
            return Err(ApiErr::invalid(
                "userIds",
                "userType",
                format!("User {id} is not a {user_type}"),
            ));
        }
    }
    for id in &ids {
        st.ycm_users.remove(id);
    }
    Ok(success(st, None))
}

fn update_subscription(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let id = path_user_id(req)?;
    let body = req.json_object()?;
    let user = st.ycm_users.get(&id).ok_or_else(|| user_not_found(id))?;
    let mut sub = match (&user.subscription, user.user_type.as_str()) {
        (Some(sub), "Reseller") => sub.clone(),
        _ => {
            return Err(ApiErr::invalid(
                "userId",
                "userType",
                "Only a reseller has a subscription",
            ));
        }
    };
    sub.minimum_ext_per_pbx = required_count(&body, &["minimumExtPerPbx", "minimumExtPerPBX"])?;
    for (key, slot) in [
        ("totalExtensions", &mut sub.total_extensions),
        ("totalConcurrentCalls", &mut sub.total_concurrent_calls),
        ("totalRecordings", &mut sub.total_recordings),
    ] {
        if let Some(n) = non_negative(&body, key)? {
            if n < *slot {
                return Err(ApiErr::invalid(
                    key,
                    "min",
                    format!("{key} cannot be reduced below {slot}"),
                ));
            }
            *slot = n;
        }
    }
    if let Some(ha) = high_availability(&body)? {
        sub.high_availability = Some(ha);
    }
    if let Some(n) = non_negative(&body, "totalCustomDomains")? {
        sub.total_custom_domains = Some(n);
    }
    if let Some(user) = st.ycm_users.get_mut(&id) {
        user.subscription = Some(sub);
    }
    Ok(success(st, None))
}

fn subordinates(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let page = PageReq::parse(req, "pageNumber", "pageSize", 10, Some(50))?;
    let needle = req.q("query").unwrap_or("").to_lowercase();
    let list: Vec<Value> = st
        .ycm_users
        .values()
        .filter(|u| u.user_type == "Reseller")
        .map(|u| {
            (
                u.user_id,
                format!("{} {}", u.first_name, u.last_name).trim().to_owned(),
                u.email.clone(),
            )
        })
        .filter(|(id, name, email)| {
            needle.is_empty()
                || id.to_string().contains(&needle)
                || name.to_lowercase().contains(&needle)
                || email.to_lowercase().contains(&needle)
        })
        .map(|(id, name, email)| json!({"userId": id, "userName": name, "userEmail": email}))
        .collect();
    let data = json!({
        "pageSize": page.size,
        "pageNumber": page.number,
        "total": list.len(),
        "list": page.slice(&list),
    });
    Ok(success(st, Some(data)))
}
