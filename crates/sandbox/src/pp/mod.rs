//! Yeastar Partner Portal: `/auth/openapi/…` and `/{module}/openapi/…`.

mod billing;
mod countries;
pub(crate) mod data;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::Product;
use crate::app::App;
use crate::auth::{TokenCall, TokenEndpointCall};
use crate::middleware::{Guarded, guard, require_user_agent};
use crate::reply::{Answer, Reply};
use crate::state::Db;

/// The Partner Portal endpoints, as the developer guide lists them.
pub(crate) fn routes(app: &Arc<App>) -> Router<Arc<App>> {
    let api = Router::new()
        .route("/user/openapi/user/v1/client/partner_list", get(users::list))
        .route("/user/openapi/user/v1/subordinate_user/{partnerId}", get(users::get))
        .route("/user/openapi/user/v1/client/save_user", post(users::create))
        .route("/user/openapi/user/v1/client/edit_user", post(users::edit))
        .route("/user/openapi/user/v1/client/billing_contact_list", get(billing::list))
        .route("/user/openapi/area/v1/page", get(countries::list))
        .route_layer(from_fn_with_state(Guarded::new(app, Product::PartnerPortal), guard));
    Router::new()
        .route("/auth/openapi/v1/oauth/token", post(token))
        .merge(api)
        .layer(from_fn(require_user_agent))
}

/// `POST /auth/openapi/v1/oauth/token`: request (`grant_type=pp_credentials`) or refresh
/// (`grant_type=refresh_token`) an access token; the answer is enveloped.
async fn token(call: TokenEndpointCall) -> Answer {
    call.answer(Product::PartnerPortal, TokenCall::ByGrantType)
}

/// The success envelope: `{code: "success", detailMessage: "", requestId, result, status: 200}`.
fn success(db: &mut Db, result: Value) -> Reply {
    Reply::ok(json!({
        "code": "success",
        "detailMessage": "",
        "requestId": db.request_id(),
        "result": result,
        "status": 200,
    }))
}
