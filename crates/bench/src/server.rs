//! The local server the benchmarks call: a minimal axum app, run in its own process so that the
//! client-side measurements (CPU, memory) see only the client.
//!
//! Routes:
//! - `POST /auth/openapi/v1/oauth/token`: a Partner Portal token (counted);
//! - `GET /user/openapi/user/v1/subordinate_user/{id}`: the docs' response example, verbatim;
//! - `POST /wp-total/{n}/services/openapi/v1.0/authentication/get_token`: a Workplace token (counted);
//! - `GET /wp-total/{n}/services/openapi/v1.0/user/user_list?pageNo&pageSize`: one page of `n`
//!   synthetic Workplace users (the prefix lets each child process pick its total statelessly);
//! - `GET /bench/counters`: `{"ppToken": n, "wpToken": n}`, the token requests served so far.

use std::fmt::Write as _;
use std::io::{BufRead, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

/// The response example of "Query Information of a Subordinate User", verbatim
/// (/work/shared/yeastar-docs/partner-portal-query-subordinate-user.txt).
pub(crate) const SUBORDINATE_USER_EXAMPLE: &str = r#"{
    "code": "success",
    "detailMessage": "",
    "requestId": "8d5872d2a673fbf0b34ea878204933f1",
    "result": {
        "city": "Xiamen",
        "company": "Company Example",
        "country": "Chad",
        "email": "color123@yeastar.com",
        "firstName": "Example",
        "lastName": "LALA",
        "partnerId": "3076915454489739264",
        "phoneNumber": "13600930000",
        "remark": "grrrrrrrrrg",
        "stateProvince": "Fujian",
        "street": "Siming",
        "taxNum": "VAT_number:",
        "userType": "Enduser",
        "zipCode": "361000"
    },
    "status": 200
}"#;

const PP_TOKEN: &str = r#"{"code":"success","detailMessage":"","requestId":"bench-token","result":{"token":"bench-access-token","refreshToken":"bench-refresh-token","expiresIn":"1800","tokenHead":"Bearer "},"status":200}"#;

const WP_TOKEN: &str =
    r#"{"access_token":"bench-access-token","refresh_token":"bench-refresh-token","expires_in":86400}"#;

#[derive(Default)]
struct Counters {
    pp_token: AtomicU64,
    wp_token: AtomicU64,
}

type Shared = Arc<Counters>;

fn json(body: impl Into<axum::body::Body>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body.into()).into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "))
}

async fn pp_token(State(c): State<Shared>) -> Response {
    c.pp_token.fetch_add(1, Ordering::Relaxed);
    json(PP_TOKEN)
}

async fn pp_user(Path(_id): Path<String>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return (StatusCode::UNAUTHORIZED, "missing bearer token").into_response();
    }
    json(SUBORDINATE_USER_EXAMPLE)
}

async fn wp_token(State(c): State<Shared>, Path(_total): Path<u64>) -> Response {
    c.wp_token.fetch_add(1, Ordering::Relaxed);
    json(WP_TOKEN)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageParams {
    page_no: Option<u64>,
    page_size: Option<u64>,
}

async fn wp_users(Path(total): Path<u64>, Query(p): Query<PageParams>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return (StatusCode::UNAUTHORIZED, "missing bearer token").into_response();
    }
    let page_no = p.page_no.unwrap_or(1).max(1);
    let page_size = p.page_size.unwrap_or(50).max(1);
    let start = (page_no - 1).saturating_mul(page_size).min(total);
    let end = start.saturating_add(page_size).min(total);
    json(user_page(page_no, page_size, total, start..end))
}

/// One `user_list` page of synthetic users, shaped like the Workplace docs' `User_Info`.
pub(crate) fn user_page(page_no: u64, page_size: u64, total: u64, ids: std::ops::Range<u64>) -> String {
    let mut s = String::with_capacity(64 + 360 * (ids.end - ids.start) as usize);
    let _ = write!(
        s,
        r#"{{"status":"Success","requestId":"bench-{page_no}","data":{{"pageNo":{page_no},"pageSize":{page_size},"total":{total},"list":["#
    );
    for (i, id) in ids.enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"userId":{},"memberId":{},"inviteStatus":"added","email":"user{id}@example.com","firstName":"First{id}","lastName":"Last{id}","groupIds":[1,{}],"roleName":"User","preferredBuildingName":"HQ","preferredFloorName":"Floor {}","phone":"+1555{id:07}","idCode":"ID{id}"}}"#,
            100_000 + id,
            500_000 + id,
            2 + id % 7,
            1 + id % 12,
        );
    }
    s.push_str("]}}");
    s
}

async fn counters(State(c): State<Shared>) -> Response {
    json(format!(
        r#"{{"ppToken":{},"wpToken":{}}}"#,
        c.pp_token.load(Ordering::Relaxed),
        c.wp_token.load(Ordering::Relaxed)
    ))
}

fn router() -> Router {
    Router::new()
        .route("/auth/openapi/v1/oauth/token", post(pp_token))
        .route("/user/openapi/user/v1/subordinate_user/{id}", get(pp_user))
        .route(
            "/wp-total/{total}/services/openapi/v1.0/authentication/get_token",
            post(wp_token),
        )
        .route("/wp-total/{total}/services/openapi/v1.0/user/user_list", get(wp_users))
        .route("/bench/counters", get(counters))
        .with_state(Arc::new(Counters::default()))
}

/// Serves on `127.0.0.1:port` (0: any free port), prints `listening http://127.0.0.1:PORT` on
/// stdout, and exits when stdin closes (so that it never outlives the driver).
pub(crate) fn serve(port: u16) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| format!("bind 127.0.0.1:{port}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "listening http://{addr}");
            let _ = out.flush();
        }
        std::thread::spawn(|| {
            // Exit when the driver closes our stdin (or dies).
            let mut line = String::new();
            let mut stdin = std::io::stdin().lock();
            while stdin.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                line.clear();
            }
            std::process::exit(0);
        });
        axum::serve(listener, router()).await.map_err(|e| format!("serve: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_decodes_into_the_sdk_user() {
        let v: serde_json::Value = serde_json::from_str(SUBORDINATE_USER_EXAMPLE).unwrap();
        let user: yeastar_partner_portal::users::User = serde_json::from_value(v["result"].clone()).unwrap();
        assert_eq!(user.email.as_deref(), Some("color123@yeastar.com"));
        assert_eq!(user.zip_code.as_deref(), Some("361000"));
    }

    #[test]
    fn user_pages_are_valid_and_sized() {
        let v: serde_json::Value = serde_json::from_str(&user_page(3, 100, 250, 200..250)).unwrap();
        assert_eq!(v["data"]["list"].as_array().unwrap().len(), 50);
        assert_eq!(v["data"]["total"], 250);
        assert_eq!(v["data"]["list"][0]["memberId"], 500_200);
        let empty: serde_json::Value = serde_json::from_str(&user_page(9, 100, 250, 250..250)).unwrap();
        assert!(empty["data"]["list"].as_array().unwrap().is_empty());
    }
}
