//! Yeastar Central Management: `/dm/open_api/…`.

pub(crate) mod data;
mod subordinates;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, put};
use http::HeaderMap;
use serde_json::{Value, json};

use crate::Product;
use crate::app::App;
use crate::auth::{self, TokenCall, TokenRequest};
use crate::extract::FormFields;
use crate::listener::ConnMeta;
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
async fn token(
    State(app): State<Arc<App>>,
    ConnectInfo(conn): ConnectInfo<ConnMeta>,
    headers: HeaderMap,
    form: FormFields,
) -> Answer {
    let req = TokenRequest {
        product: Product::Ycm,
        now: app.now(),
        call: TokenCall::ByGrantType,
        peer: conn.addr.ip(),
        headers: &headers,
        form: &form,
    };
    auth::token(&app.config, &mut app.db(), &req)
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
