//! Yeastar Central Management: `/dm/open_api/…`.

mod cloud_pbx;
mod customers;
pub(crate) mod data;
mod lookups;
mod subordinates;
mod users;
mod webhook;

use std::sync::Arc;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::Map;
use serde_json::{Value, json};

use crate::Product;
use crate::app::App;
use crate::auth::{TokenCall, TokenEndpointCall};
use crate::error::ApiErr;
use crate::extract::PageReq;
use crate::middleware::{Guarded, guard, require_user_agent};
use crate::reply::{Answer, Reply, unix_now};
use crate::state::Db;

/// The YCM endpoints, as the API guide lists them. The doc examples' variants of two paths
/// (`PUT /dm/open_api/v1/user/{userId}`, `GET /dm/open_api/v1/users/subordinates`) are typos
/// and are not served.
pub(crate) fn routes(app: &Arc<App>) -> Router<Arc<App>> {
    let api = Router::new()
        .route("/dm/open_api/v2/users", get(users::list))
        .route("/dm/open_api/v1/users", post(users::create).delete(users::delete))
        .route("/dm/open_api/v1/users/{userId}", get(users::get).put(users::update))
        .route(
            "/dm/open_api/v1/users/{userId}/subscription_info",
            put(users::update_subscription),
        )
        .route("/dm/open_api/v1/user_info/subordinates", get(subordinates::list))
        .route(
            "/dm/open_api/v1/customers",
            get(customers::list).post(customers::create).delete(customers::delete),
        )
        .route(
            "/dm/open_api/v1/customers/{customerId}",
            get(customers::get).put(customers::update),
        )
        .route("/dm/open_api/v2/cloud_pbx/instances", get(cloud_pbx::list))
        .route(
            "/dm/open_api/v1/cloud_pbx/instances",
            post(cloud_pbx::create).delete(cloud_pbx::delete),
        )
        .route("/dm/open_api/v1/cloud_pbx/instances/get", get(cloud_pbx::get_by_url))
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}",
            get(cloud_pbx::get).put(cloud_pbx::update),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/status",
            get(cloud_pbx::status),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/activation_info",
            get(cloud_pbx::activation_info),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/start",
            put(cloud_pbx::start),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/stop",
            put(cloud_pbx::stop),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/capacity",
            put(cloud_pbx::resize),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/customers",
            get(cloud_pbx::customers).put(cloud_pbx::update_customers),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/activation_email",
            post(cloud_pbx::activation_email),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/password_free_login_url",
            get(cloud_pbx::login_url),
        )
        .route(
            "/dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}/did",
            put(cloud_pbx::update_dids),
        )
        .route("/dm/open_api/v1/cluster/regions", get(lookups::regions))
        .route("/dm/open_api/v1/cluster/domains", get(lookups::domains))
        .route("/dm/open_api/v1/firmware", get(lookups::firmware))
        .route("/dm/open_api/v1/shared_trunk/name/acl", get(lookups::shared_trunks))
        .route("/dm/open_api/v1/shared_trunk/pbx/used", get(lookups::used_trunks))
        .route("/dm/open_api/v1/did_management/usable", get(lookups::usable_dids))
        .route(
            "/dm/open_api/v1/did_management/{cloudPbxId}/did",
            get(lookups::assigned_dids),
        )
        .route_layer(from_fn_with_state(Guarded::new(app, Product::Ycm), guard));
    Router::new()
        .route("/dm/open_api/oauth/token", post(token))
        .merge(api)
        .layer(from_fn(require_user_agent))
}

/// `POST /dm/open_api/oauth/token`: request (`grant_type=client_credentials`) or refresh
/// (`grant_type=refresh_token`) an access token; plain OAuth JSON, not the YCM envelope.
async fn token(call: TokenEndpointCall) -> Answer {
    call.answer(Product::Ycm, TokenCall::ByGrantType)
}

/// The success envelope: `{requestId, status: "Success", time, data?}` (writes that return
/// nothing omit `data`).
fn success(db: &mut Db, data: Option<Value>) -> Reply {
    let mut body = json!({"requestId": db.request_id(), "status": "Success", "time": unix_now()});
    if let Some(data) = data {
        body["data"] = data;
    }
    Reply::ok(body)
}

/// YCM's paging parameters: `pageNumber` (default 1), `pageSize` (default 10, at most 50).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Paging {
    page_number: Option<String>,
    page_size: Option<String>,
}

impl Paging {
    /// The requested page of `items`, as the list's `data`: `{pageSize, pageNumber, total, list}`.
    fn page(&self, items: &[Value]) -> Result<Value, ApiErr> {
        let page = PageReq::parse(
            ("pageNumber", self.page_number.as_deref()),
            ("pageSize", self.page_size.as_deref()),
            10,
            Some(50),
        )?;
        Ok(json!({"pageSize": page.size, "pageNumber": page.number, "total": items.len(), "list": page.slice(items)}))
    }
}

/// A required, non-empty array of ids (numbers, or numeric strings) in a JSON body.
fn ids(body: &Map<String, Value>, key: &str) -> Result<Vec<u64>, ApiErr> {
    match body.get(key) {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
            .collect::<Option<_>>()
            .ok_or_else(|| ApiErr::invalid(key, "number", format!("{key} must be integers"))),
        _ => Err(ApiErr::required(key)),
    }
}

/// Applies YCM's `sort` by a list's id field to a list in id order: none or `id` keeps it,
/// `-id` reverses it, anything else is refused as YCM refuses it.
fn sort_by_id(list: &mut [Value], sort: Option<&str>, id_field: &str) -> Result<(), ApiErr> {
    match sort.unwrap_or("") {
        "" => Ok(()),
        s if s == id_field => Ok(()),
        s if s.strip_prefix('-') == Some(id_field) => {
            list.reverse();
            Ok(())
        }
        other => Err(ApiErr::invalid(
            "sort",
            "oneof",
            format!("Unsupported sort field: {other}"),
        )),
    }
}
