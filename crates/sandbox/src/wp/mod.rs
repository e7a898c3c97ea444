//! Yeastar Workplace: `/services/openapi/v1.0/…`.

pub(crate) mod data;
pub(crate) mod events;
mod groups;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get, post, put};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::Product;
use crate::app::App;
use crate::auth::{TokenCall, TokenEndpointCall};
use crate::error::ApiErr;
use crate::extract::PageReq;
use crate::middleware::{Guarded, guard};
use crate::reply::{Answer, Reply};
use crate::state::Db;

/// The Workplace endpoints, as the developer guide lists them. Workplace does not require a
/// `User-Agent`.
pub(crate) fn routes(app: &Arc<App>) -> Router<Arc<App>> {
    let api = Router::new()
        .route("/services/openapi/v1.0/user/user_list", get(users::list))
        .route("/services/openapi/v1.0/user/user_detail/{memberId}", get(users::get))
        .route("/services/openapi/v1.0/user/user_create", post(users::create))
        .route("/services/openapi/v1.0/user/user_update", put(users::update))
        .route(
            "/services/openapi/v1.0/user/user_remove/{memberId}",
            delete(users::remove),
        )
        .route("/services/openapi/v1.0/user/group_list", get(groups::list))
        .route("/services/openapi/v1.0/user/group_detail/{groupId}", get(groups::get))
        .route("/services/openapi/v1.0/user/group_create", post(groups::create))
        .route("/services/openapi/v1.0/user/group_update", put(groups::update))
        .route(
            "/services/openapi/v1.0/user/group_delete/{groupId}",
            delete(groups::delete),
        )
        .route("/services/openapi/v1.0/integration/subscribe", post(events::subscribe))
        .route(
            "/services/openapi/v1.0/integration/cancel_subscribe",
            delete(events::cancel),
        )
        .route_layer(from_fn_with_state(Guarded::new(app, Product::Workplace), guard));
    Router::new()
        .route("/services/openapi/v1.0/authentication/get_token", post(get_token))
        .route(
            "/services/openapi/v1.0/authentication/refresh_token",
            post(refresh_token),
        )
        .merge(api)
}

/// `POST /services/openapi/v1.0/authentication/get_token`: `client_id`, `client_secret`, no
/// grant type; plain JSON `{access_token, refresh_token, expires_in}`.
async fn get_token(call: TokenEndpointCall) -> Answer {
    call.answer(Product::Workplace, TokenCall::WpGet)
}

/// `POST /services/openapi/v1.0/authentication/refresh_token`: `client_id`, `client_secret`
/// and `refresh_token`.
async fn refresh_token(call: TokenEndpointCall) -> Answer {
    call.answer(Product::Workplace, TokenCall::WpRefresh)
}

/// The success envelope: `{data, status: "Success", requestId}` (no `time`).
fn success(db: &mut Db, data: Value) -> Reply {
    Reply::ok(json!({"data": data, "status": "Success", "requestId": db.request_id()}))
}

/// A required id in the body (`memberId`, `groupId` of the updates).
fn body_id(body: &Map<String, Value>, name: &str) -> Result<u64, ApiErr> {
    match body.get(name) {
        None | Some(Value::Null) => Err(ApiErr::required(name)),
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .ok_or_else(|| ApiErr::invalid(name, "number", format!("{name} must be a number"))),
    }
}

/// A list of ids in the body (`groupIds`, `memberIds`).
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

/// Workplace documents no page-size default; the simulator uses 20.
const DEFAULT_PAGE_SIZE: usize = 20;

fn member_not_found(id: u64) -> ApiErr {
    ApiErr::new(
        404,
        crate::error::Code::UserNotFound,
        format!("The member {id} does not exist"),
    )
}

fn group_not_found(id: u64) -> ApiErr {
    ApiErr::new(
        404,
        crate::error::Code::GroupNotFound,
        format!("The group {id} does not exist"),
    )
}

/// Workplace's paging parameters: `pageNo` (default 1), `pageSize` (no documented default: 20).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Paging {
    page_no: Option<String>,
    page_size: Option<String>,
}

impl Paging {
    /// The requested page of `items`, as the list's `data`: `{pageSize, pageNo, total, list}`.
    fn page(&self, items: &[Value]) -> Result<Value, ApiErr> {
        let page = PageReq::parse(
            ("pageNo", self.page_no.as_deref()),
            ("pageSize", self.page_size.as_deref()),
            DEFAULT_PAGE_SIZE,
            None,
        )?;
        Ok(json!({"pageSize": page.size, "pageNo": page.number, "total": items.len(), "list": page.slice(items)}))
    }
}
