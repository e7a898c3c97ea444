//! Yeastar Partner Portal: `/auth/openapi/…` and `/{module}/openapi/…`.

mod billing;
mod catalog;
mod countries;
pub(crate) mod data;
mod orders;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::Product;
use crate::app::App;
use crate::auth::{TokenCall, TokenEndpointCall};
use crate::extract::{PathParam, Q};
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
        .route("/pricing/openapi/purchase/v1/product_list", get(catalog::products))
        .route(
            "/pricing/openapi/purchase/v1/purchase_product_info",
            get(catalog::offering),
        )
        .merge(pricing_details())
        .route("/order/openapi/order/v1/save", post(orders::create))
        .route("/order/openapi/order/v1/page", get(orders::list))
        .route("/order/openapi/order/v1/get/{id}", get(orders::get))
        .route("/product/openapi/instance/v1/region_list", get(catalog::regions))
        .route(
            "/product/openapi/instance_product/v1/client/instance_product_list",
            get(orders::licences),
        )
        .route("/product/openapi/instance_product/v1/detail", get(orders::licence))
        .route(
            "/product/openapi/instance_product/v1/activation_code",
            get(orders::activation_code),
        )
        .route_layer(from_fn_with_state(Guarded::new(app, Product::PartnerPortal), guard));
    Router::new()
        .route("/auth/openapi/v1/oauth/token", post(token))
        .merge(api)
        .layer(from_fn(require_user_agent))
}

/// The six plan / add-on detail endpoints (`{trial|purchase|renew}` × `plan_info|add_on_info`),
/// one route each.
fn pricing_details() -> Router<Arc<App>> {
    macro_rules! detail {
        ($router:expr, $kind:literal, $what:literal, $plan:expr, $param:literal) => {
            $router.route(
                concat!(
                    "/pricing/openapi/purchase/v1/",
                    $kind,
                    "/",
                    $what,
                    "/{",
                    $param,
                    "}"
                ),
                get(
                    |State(app): State<Arc<App>>, id: PathParam, Q(q): Q<catalog::ProductQuery>| async move {
                        catalog::plan_info(app, id, q, $kind, $plan).await
                    },
                ),
            )
        };
    }
    let r = Router::new();
    let r = detail!(r, "trial", "plan_info", true, "pricingPlanId");
    let r = detail!(r, "purchase", "plan_info", true, "pricingPlanId");
    let r = detail!(r, "renew", "plan_info", true, "pricingPlanId");
    let r = detail!(r, "trial", "add_on_info", false, "pricingServiceId");
    let r = detail!(r, "purchase", "add_on_info", false, "pricingServiceId");
    detail!(r, "renew", "add_on_info", false, "pricingServiceId")
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
