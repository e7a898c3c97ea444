//! Token flows of the three products: issue, use, refresh with rotation, expiry, refusals, lockout.

mod common;

use std::time::Duration;

use common::{Env, WP, pp_error, read, wp_error, ycm_error};
use serde_json::{Value, json};
use yeastar_sandbox::{
    DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET, DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET, DEMO_YCM_CLIENT_ID,
    DEMO_YCM_CLIENT_SECRET, Product, SandboxConfig, TokenLifetimes,
};

const PP_USER: &str = "/user/openapi/user/v1/subordinate_user/color123@yeastar.com";
const YCM_USER: &str = "/dm/open_api/v1/users/13329";

#[tokio::test]
async fn pp_token_is_enveloped_with_string_expiry_and_works() {
    let env = Env::start().await;
    let body = env.pp_token_set().await;
    assert_eq!(body["code"], "success");
    assert_eq!(body["detailMessage"], "");
    assert_eq!(body["status"], 200);
    let result = &body["result"];
    assert_eq!(result["expiresIn"], "1800", "expiresIn is a String of seconds");
    assert_eq!(result["tokenHead"], "Bearer ");
    assert!(result["refreshToken"].as_str().is_some_and(|s| s.len() > 20));
    let token = result["token"].as_str().unwrap();
    let (status, user) = env.get(PP_USER, token).await;
    assert_eq!(status, 200, "{user}");
    // A token of one product is worthless at another.
    let (status, body) = env.get(YCM_USER, token).await;
    assert_eq!(ycm_error(status, &body, 401), 1_000_036);
}

#[tokio::test]
async fn ycm_and_wp_tokens_are_plain_oauth_json() {
    let env = Env::start().await;
    let ycm = env.ycm_token_set().await;
    assert_eq!(ycm["token_type"], "bearer");
    assert_eq!(ycm["expires_in"], 1800);
    assert!(
        ycm["jti"].is_string() && ycm["refresh_token"].is_string() && ycm.get("status").is_none(),
        "{ycm}"
    );
    let wp = env.wp_token_set().await;
    assert_eq!(wp["expires_in"], 86400);
    let keys: Vec<&String> = wp.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "{wp}");
}

#[tokio::test]
async fn refresh_tokens_rotate_for_every_product() {
    let env = Env::start().await;
    // PP: grant_type=refresh_token on the same endpoint.
    let rt = env.pp_token_set().await["result"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = "/auth/openapi/v1/oauth/token";
    let (status, body) = env
        .form(path, &[("grant_type", "refresh_token"), ("refresh_token", &rt)])
        .await;
    assert_eq!(status, 200, "{body}");
    let new_rt = body["result"]["refreshToken"].as_str().unwrap();
    assert_ne!(new_rt, rt);
    assert_eq!(env.get(PP_USER, body["result"]["token"].as_str().unwrap()).await.0, 200);
    let (status, body) = env
        .form(path, &[("grant_type", "refresh_token"), ("refresh_token", &rt)])
        .await;
    assert_eq!(pp_error(status, &body, 400), "invalid_grant");

    // YCM: no client credentials needed on refresh.
    let rt = env.ycm_token_set().await["refresh_token"].as_str().unwrap().to_owned();
    let path = "/dm/open_api/oauth/token";
    let (status, body) = env
        .form(path, &[("grant_type", "refresh_token"), ("refresh_token", &rt)])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "bearer");
    let (status, body) = env
        .form(path, &[("grant_type", "refresh_token"), ("refresh_token", &rt)])
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_036);

    // WP: its own endpoint, with client id and secret.
    let rt = env.wp_token_set().await["refresh_token"].as_str().unwrap().to_owned();
    let path = format!("{WP}/authentication/refresh_token");
    let (status, body) = env
        .form(&path, &[("client_id", DEMO_WP_CLIENT_ID), ("refresh_token", &rt)])
        .await;
    assert_eq!(
        wp_error(status, &body, 400),
        "PARAMETER_VALIDATION_FAILED",
        "client_secret is required"
    );
    let full = [
        ("client_id", DEMO_WP_CLIENT_ID),
        ("client_secret", DEMO_WP_CLIENT_SECRET),
        ("refresh_token", &rt),
    ];
    let (status, body) = env.form(&path, &full).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = env.form(&path, &full).await;
    assert_eq!(wp_error(status, &body, 400), "INVALID_GRANT");
}

#[tokio::test]
async fn access_tokens_expire_and_refresh_tokens_outlive_them() {
    let short = TokenLifetimes::new(Duration::from_millis(150), Duration::from_secs(30));
    let env = Env::with(SandboxConfig::default().with_all_token_lifetimes(short)).await;
    let pp = env.pp_token_set().await;
    assert_eq!(pp["result"]["expiresIn"], "1", "rounded up to whole seconds");
    let wp = env.wp_token_set().await;
    let ycm = env.ycm_token().await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let (status, body) = env.get(PP_USER, pp["result"]["token"].as_str().unwrap()).await;
    assert_eq!(pp_error(status, &body, 401), "invalid_token");
    let (status, body) = env.get(YCM_USER, &ycm).await;
    assert_eq!(ycm_error(status, &body, 401), 1_000_035);
    let (status, body) = env
        .get(
            &format!("{WP}/user/user_detail/54164"),
            wp["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(wp_error(status, &body, 401), "TOKEN_EXPIRED");

    let rt = wp["refresh_token"].as_str().unwrap();
    let path = format!("{WP}/authentication/refresh_token");
    let (status, body) = env
        .form(
            &path,
            &[
                ("client_id", DEMO_WP_CLIENT_ID),
                ("client_secret", DEMO_WP_CLIENT_SECRET),
                ("refresh_token", rt),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = env
        .get(
            &format!("{WP}/user/user_detail/54164"),
            body["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn refresh_tokens_expire_too() {
    let short = TokenLifetimes::new(Duration::from_millis(50), Duration::from_millis(100));
    let env = Env::with(SandboxConfig::default().with_token_lifetimes(Product::Ycm, short)).await;
    let rt = env.ycm_token_set().await["refresh_token"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let (status, body) = env
        .form(
            "/dm/open_api/oauth/token",
            &[("grant_type", "refresh_token"), ("refresh_token", &rt)],
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_035);
    assert!(body["errmsg"].as_str().unwrap().contains("expired"), "{body}");
}

#[tokio::test]
async fn expire_access_tokens_forces_the_refresh_path() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    assert_eq!(env.get(YCM_USER, &token).await.0, 200);
    env.sandbox.expire_access_tokens();
    let (status, body) = env.get(YCM_USER, &token).await;
    assert_eq!(ycm_error(status, &body, 401), 1_000_035);
}

#[tokio::test]
async fn unknown_and_missing_tokens_are_refused_in_each_envelope() {
    let env = Env::start().await;
    let (status, body) = env.get(PP_USER, "nope").await;
    assert_eq!(pp_error(status, &body, 401), "invalid_token");
    let (status, body) = read(env.http.get(env.url(YCM_USER)).send().await.unwrap()).await;
    assert_eq!(ycm_error(status, &body, 401), 1_000_036);
    let (status, body) = env.get(&format!("{WP}/user/user_list"), "nope").await;
    assert_eq!(wp_error(status, &body, 401), "INVALID_TOKEN");
}

#[tokio::test]
async fn workplace_accepts_the_token_as_a_query_parameter() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let url = format!(
        "{}?access_token={token}",
        env.url(&format!("{WP}/user/user_detail/54164"))
    );
    let (status, body) = read(env.http.get(url).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let entry = env.sandbox.journal().pop().unwrap();
    assert_eq!(entry.query.as_deref(), Some("access_token=%5Bredacted%5D"));
}

#[tokio::test]
async fn wrong_credentials_are_refused_in_each_envelope() {
    let env = Env::start().await;
    let (status, body) = env
        .form(
            "/auth/openapi/v1/oauth/token",
            &[
                ("client_id", DEMO_PP_CLIENT_ID),
                ("client_secret", "wrong"),
                ("grant_type", "pp_credentials"),
            ],
        )
        .await;
    assert_eq!(pp_error(status, &body, 401), "invalid_client");
    let (status, body) = env
        .form(
            "/auth/openapi/v1/oauth/token",
            &[("client_id", DEMO_PP_CLIENT_ID), ("client_secret", "x")],
        )
        .await;
    assert_eq!(pp_error(status, &body, 400), "parameter_validation_failed");
    assert_eq!(body["result"]["field"], "grant_type");
    let (status, body) = env
        .form(
            "/dm/open_api/oauth/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "who"),
                ("client_secret", "x"),
            ],
        )
        .await;
    assert_eq!(ycm_error(status, &body, 401), 1_000_033);
    let (status, body) = env
        .form(
            &format!("{WP}/authentication/get_token"),
            &[("client_id", DEMO_WP_CLIENT_ID), ("client_secret", "x")],
        )
        .await;
    assert_eq!(wp_error(status, &body, 401), "INVALID_CLIENT");
}

fn multipart(fields: &[(&str, &str)]) -> reqwest::multipart::Form {
    fields.iter().fold(reqwest::multipart::Form::new(), |form, (k, v)| {
        form.text(k.to_string(), v.to_string())
    })
}

#[tokio::test]
async fn token_endpoints_take_the_documented_form_types() {
    let env = Env::start().await;
    let pp_path = "/auth/openapi/v1/oauth/token";
    let pp = [
        ("client_id", DEMO_PP_CLIENT_ID),
        ("client_secret", DEMO_PP_CLIENT_SECRET),
        ("grant_type", "pp_credentials"),
    ];
    let ycm_path = "/dm/open_api/oauth/token";
    let ycm = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_YCM_CLIENT_ID),
        ("client_secret", DEMO_YCM_CLIENT_SECRET),
    ];
    let wp_path = format!("{WP}/authentication/get_token");
    let wp = [
        ("client_id", DEMO_WP_CLIENT_ID),
        ("client_secret", DEMO_WP_CLIENT_SECRET),
    ];
    // Partner Portal: multipart/form-data or urlencoded.
    let resp = env
        .http
        .post(env.url(pp_path))
        .multipart(multipart(&pp))
        .send()
        .await
        .unwrap();
    let (status, body) = read(resp).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["result"]["token"].is_string(), "{body}");
    assert_eq!(env.form(pp_path, &pp).await.0, 200);
    // YCM and Workplace: urlencoded only.
    for (path, fields) in [(ycm_path, &ycm[..]), (wp_path.as_str(), &wp[..])] {
        let resp = env
            .http
            .post(env.url(path))
            .multipart(multipart(fields))
            .send()
            .await
            .unwrap();
        let (status, body) = read(resp).await;
        assert_eq!(status, 415, "{path}: {body}");
        assert_eq!(env.form(path, fields).await.0, 200, "{path}");
    }
    // JSON or no Content-Type: refused everywhere, in each envelope.
    let json_body = json!({"client_id": DEMO_WP_CLIENT_ID, "client_secret": DEMO_WP_CLIENT_SECRET});
    let resp = env.http.post(env.url(&wp_path)).json(&json_body).send().await.unwrap();
    let (status, body) = read(resp).await;
    assert_eq!(wp_error(status, &body, 415), "UNSUPPORTED_MEDIA_TYPE");
    assert!(
        body["detailMsg"]
            .as_str()
            .unwrap()
            .contains("application/x-www-form-urlencoded"),
        "{body}"
    );
    let urlencoded = "grant_type=client_credentials&client_id=ycm-demo-client&client_secret=ycm-demo-secret";
    let resp = env.http.post(env.url(ycm_path)).body(urlencoded).send().await.unwrap();
    let (status, body) = read(resp).await;
    assert_eq!(ycm_error(status, &body, 415), 1_000_004);
    let resp = env
        .http
        .post(env.url(pp_path))
        .json(&json!({"client_id": DEMO_PP_CLIENT_ID}))
        .send()
        .await
        .unwrap();
    let (status, body) = read(resp).await;
    assert_eq!(pp_error(status, &body, 415), "unsupported_media_type");
    assert!(
        body["detailMessage"].as_str().unwrap().contains("multipart/form-data"),
        "{body}"
    );
}

#[tokio::test]
async fn ycm_token_answers_carry_only_the_documented_fields() {
    let env = Env::start().await;
    let issued = env.ycm_token_set().await;
    let mut keys: Vec<&str> = issued.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["access_token", "expires_in", "jti", "refresh_token", "token_type"],
        "{issued}"
    );
    let (status, refreshed) = env
        .form(
            "/dm/open_api/oauth/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", issued["refresh_token"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{refreshed}");
    let mut keys: Vec<&str> = refreshed.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["access_token", "expires_in", "refresh_token", "token_type"],
        "the refresh answer documents no jti: {refreshed}"
    );
}

#[tokio::test]
async fn ycm_blocks_the_ip_after_six_bad_secrets_until_unblocked() {
    let env = Env::start().await;
    let path = "/dm/open_api/oauth/token";
    let bad = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_YCM_CLIENT_ID),
        ("client_secret", "bad"),
    ];
    let good = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_YCM_CLIENT_ID),
        ("client_secret", DEMO_YCM_CLIENT_SECRET),
    ];
    // Five failures, then a success: the streak is broken.
    for _ in 0..5 {
        let (status, body) = env.form(path, &bad).await;
        assert_eq!(ycm_error(status, &body, 401), 1_000_033);
    }
    assert_eq!(env.form(path, &good).await.0, 200);
    // Six in a row: more than 5, blocked — even the right secret is refused now.
    for _ in 0..6 {
        let (status, body) = env.form(path, &bad).await;
        assert_eq!(ycm_error(status, &body, 401), 1_000_033);
    }
    let (status, body) = env.form(path, &good).await;
    assert_eq!(ycm_error(status, &body, 403), 1_000_002);
    // Other products are not affected.
    env.pp_token().await;
    env.sandbox.unblock_all();
    assert_eq!(env.form(path, &good).await.0, 200);
}

#[tokio::test]
async fn lockout_can_be_disabled() {
    let env = Env::with(SandboxConfig::default().with_ycm_lockout_threshold(None)).await;
    let bad = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_YCM_CLIENT_ID),
        ("client_secret", "bad"),
    ];
    for _ in 0..10 {
        assert_eq!(env.form("/dm/open_api/oauth/token", &bad).await.0, 401);
    }
    env.ycm_token().await;
}

#[tokio::test]
async fn pp_and_ycm_require_a_user_agent_but_workplace_does_not() {
    let env = Env::start().await;
    let bare = reqwest::Client::new();
    let pp = [
        ("client_id", DEMO_PP_CLIENT_ID),
        ("client_secret", "x"),
        ("grant_type", "pp_credentials"),
    ];
    let (status, body) = read(
        bare.post(env.url("/auth/openapi/v1/oauth/token"))
            .form(&pp)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(pp_error(status, &body, 400), "user_agent_required");
    let token = env.ycm_token().await;
    let (status, body) = read(bare.get(env.url(YCM_USER)).bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let wp = [
        ("client_id", DEMO_WP_CLIENT_ID),
        ("client_secret", DEMO_WP_CLIENT_SECRET),
    ];
    let (status, _) = read(
        bare.post(env.url(&format!("{WP}/authentication/get_token")))
            .form(&wp)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn http_basic_client_authentication_is_accepted() {
    let env = Env::start().await;
    let resp = env
        .http
        .post(env.url("/dm/open_api/oauth/token"))
        .basic_auth(DEMO_YCM_CLIENT_ID, Some(DEMO_YCM_CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let (status, body): (u16, Value) = read(resp).await;
    assert_eq!(status, 200, "{body}");
}
