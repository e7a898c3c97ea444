//! Yeastar Central Management: `/dm/open_api/…`.

pub(crate) mod data;
mod subordinates;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, put};
use serde::Deserialize;
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
