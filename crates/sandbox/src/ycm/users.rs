//! YCM users: list, get, create, update, delete, and a reseller's subscription.

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::data::{Data, Subscription, User};
use super::{Paging, success};
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{JsonObject, PathParam, Q, is_email, opt_int, opt_str, req_str};
use crate::reply::Answer;

fn user_not_found(id: u64) -> ApiErr {
    ApiErr::new(404, Code::UserNotFound, format!("User {id} does not exist"))
}

impl Data {
    fn user(&self, id: u64) -> Result<&User, ApiErr> {
        self.users.get(&id).ok_or_else(|| user_not_found(id))
    }

    fn check_email_free(&self, email: &str, except: Option<u64>) -> Result<(), ApiErr> {
        if !is_email(email) {
            return Err(ApiErr::invalid("email", "email", "email must be an email address"));
        }
        if self
            .users
            .values()
            .any(|u| Some(u.user_id) != except && u.email.eq_ignore_ascii_case(email))
        {
            return Err(ApiErr::new(
                400,
                Code::EmailAlreadyExists,
                format!("The email {email} is already used"),
            ));
        }
        Ok(())
    }
}

/// The query of `GET /dm/open_api/v2/users`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    sort: Option<String>,
}

/// `GET /dm/open_api/v2/users`: Query All the YCM Users (pages of 10, at most 50; `sort`
/// `userId`/`-userId`).
pub(super) async fn list(State(app): State<Arc<App>>, Q(q): Q<ListQuery>) -> Answer {
    let mut db = app.db();
    let mut users: Vec<Value> = db.ycm.users.values().map(User::to_json).collect();
    super::sort_by_id(&mut users, q.sort.as_deref(), "userId")?;
    let data = q.paging.page(&users)?;
    Ok(success(&mut db, Some(data)))
}

/// `GET /dm/open_api/v1/users/{userId}`: Query a Specific YCM User.
pub(super) async fn get(State(app): State<Arc<App>>, user_id: PathParam) -> Answer {
    let id = user_id.number("userId")?;
    let mut db = app.db();
    let user = db.ycm.user(id)?.to_json();
    Ok(success(&mut db, Some(user)))
}

fn non_negative(body: &Map<String, Value>, key: &str) -> Result<Option<i64>, ApiErr> {
    match opt_int(body, key)? {
        Some(n) if n < 0 => Err(ApiErr::invalid(key, "min", format!("{key} must not be negative"))),
        other => Ok(other),
    }
}

fn required_count(body: &Map<String, Value>, key: &str) -> Result<i64, ApiErr> {
    non_negative(body, key)?.ok_or_else(|| ApiErr::required(key))
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

/// `POST /dm/open_api/v1/users`: Create a YCM User (a reseller with its package); answers
/// `data: {userId}`.
pub(super) async fn create(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let user_type = req_str(&body, "userType")?;
    if user_type != "Reseller" {
        return Err(ApiErr::invalid("userType", "oneof", "userType must be Reseller"));
    }
    let company = req_str(&body, "company")?;
    let first_name = req_str(&body, "firstName")?;
    let email = req_str(&body, "email")?;
    let mut db = app.db();
    db.ycm.check_email_free(&email, None)?;
    let subscription = Subscription {
        total_extensions: required_count(&body, "totalExtensions")?,
        total_concurrent_calls: required_count(&body, "totalConcurrentCalls")?,
        total_recordings: required_count(&body, "totalRecordings")?,
        // Create documents `minimumExtPerPBX`, the subscription update `minimumExtPerPbx`.
        minimum_ext_per_pbx: required_count(&body, "minimumExtPerPBX")?,
        high_availability: high_availability(&body)?,
        total_custom_domains: non_negative(&body, "totalCustomDomains")?,
    };
    for key in ["totalUltimatePlan", "totalTranscription", "totalConnections"] {
        non_negative(&body, key)?;
    }
    let s = |k: &str| opt_str(&body, k).map(Option::unwrap_or_default);
    let user_id = db.ycm.next_user_id;
    let user = User {
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
    db.ycm.next_user_id += 1;
    db.ycm.users.insert(user_id, user);
    Ok(success(&mut db, Some(json!({"userId": user_id}))))
}

/// `PUT /dm/open_api/v1/users/{userId}`: Update the Information of a YCM User; omitted fields
/// keep their value.
pub(super) async fn update(State(app): State<Arc<App>>, user_id: PathParam, JsonObject(body): JsonObject) -> Answer {
    let id = user_id.number("userId")?;
    let mut db = app.db();
    let mut user = db.ycm.user(id)?.clone();
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
                db.ycm.check_email_free(&v, Some(id))?;
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
    db.ycm.users.insert(id, user);
    Ok(success(&mut db, None))
}

/// `DELETE /dm/open_api/v1/users` with a JSON body `{userType, userIds}`: Delete YCM Users,
/// all or nothing.
pub(super) async fn delete(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
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
    let mut db = app.db();
    // All or nothing: check every id first.
    for id in &ids {
        let user = db.ycm.user(*id)?;
        if user.user_type != user_type {
            return Err(ApiErr::invalid(
                "userIds",
                "userType",
                format!("User {id} is not a {user_type}"),
            ));
        }
        if user.created_cloud_pbx > 0 {
            return Err(ApiErr::new(
                400,
                Code::UserAssociatedCloudPbx,
                format!(
                    "User {id} has {} associated Cloud PBXs and cannot be deleted",
                    user.created_cloud_pbx
                ),
            ));
        }
    }
    for id in &ids {
        db.ycm.users.remove(id);
    }
    Ok(success(&mut db, None))
}

/// `PUT /dm/open_api/v1/users/{userId}/subscription_info`: Update the Subscription of a YCM
/// User (a reseller's package). `totalExtensions`, `totalConcurrentCalls`, `totalRecordings`
/// and `minimumExtPerPbx` are required; only the recording minutes cannot be reduced.
pub(super) async fn update_subscription(
    State(app): State<Arc<App>>,
    user_id: PathParam,
    JsonObject(body): JsonObject,
) -> Answer {
    let id = user_id.number("userId")?;
    let mut db = app.db();
    let user = db.ycm.user(id)?;
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
    // All four are required (the create's `minimumExtPerPBX` spelling is not accepted here).
    sub.total_extensions = required_count(&body, "totalExtensions")?;
    sub.total_concurrent_calls = required_count(&body, "totalConcurrentCalls")?;
    let recordings = required_count(&body, "totalRecordings")?;
    sub.minimum_ext_per_pbx = required_count(&body, "minimumExtPerPbx")?;
    // The docs forbid reducing the recording minutes only.
    if recordings < sub.total_recordings {
        return Err(ApiErr::invalid(
            "totalRecordings",
            "min",
            format!("totalRecordings cannot be reduced below {}", sub.total_recordings),
        ));
    }
    sub.total_recordings = recordings;
    if let Some(ha) = high_availability(&body)? {
        sub.high_availability = Some(ha);
    }
    if let Some(n) = non_negative(&body, "totalCustomDomains")? {
        sub.total_custom_domains = Some(n);
    }
    if let Some(user) = db.ycm.users.get_mut(&id) {
        user.subscription = Some(sub);
    }
    Ok(success(&mut db, None))
}
