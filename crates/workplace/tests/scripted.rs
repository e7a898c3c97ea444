//! Tests with the in-memory `ScriptedHttp` (hosts, validation, token expiry under paused time).

use std::sync::Arc;
use std::time::Duration;

use yeastar_transport::test_util::{RecordedRequest, Reply, ScriptedHttp};
use yeastar_workplace::{
    Client, ClientBuilderExt, CreateGroup, CreateUser, Credentials, Error, ListUsers, Region, Role, UpdateUser,
};

const TOKEN: &str = r#"{"access_token":"tok-1","refresh_token":"ref-1","expires_in":86400}"#;

fn server() -> Arc<ScriptedHttp> {
    Arc::new(ScriptedHttp::new(|req: &RecordedRequest| match req.uri.path() {
        "/services/openapi/v1.0/authentication/get_token" => Reply::json(200, TOKEN),
        "/services/openapi/v1.0/authentication/refresh_token" => Reply::json(
            200,
            r#"{"access_token":"tok-2","refresh_token":"ref-2","expires_in":"86400"}"#,
        ),
        _ => Reply::json(
            200,
            r#"{"data":{"groupId":1,"groupName":"HQ"},"status":"Success","requestId":"r"}"#,
        ),
    }))
}

fn creds() -> Credentials {
    Credentials::client("wp-demo-client", "wp-demo-secret")
}

#[tokio::test]
async fn region_picks_the_host_and_base_url_wins() {
    let eu = Client::builder_for_region(Region::Eu)
        .credentials(creds())
        .build()
        .unwrap();
    assert_eq!(eu.transport().config().base_url, "https://eu.workplace.yeastar.com");
    let eu = Client::builder()
        .region(Region::Eu)
        .credentials(creds())
        .build()
        .unwrap();
    assert_eq!(eu.transport().config().base_url, "https://eu.workplace.yeastar.com");
    let global = Client::builder().credentials(creds()).build().unwrap();
    assert_eq!(global.transport().config().base_url, "https://workplace.yeastar.com");
    let global = Client::builder_for_region(Region::Global)
        .credentials(creds())
        .build()
        .unwrap();
    assert_eq!(global.transport().config().base_url, "https://workplace.yeastar.com");

    // An explicit base URL wins, whichever is called first.
    let custom = Client::builder()
        .base_url("https://proxy.example.com/")
        .region(Region::Eu)
        .credentials(creds())
        .build()
        .unwrap();
    assert_eq!(custom.transport().config().base_url, "https://proxy.example.com");
    let custom = Client::builder_for_region(Region::Eu)
        .base_url("http://127.0.0.1:8080")
        .credentials(creds())
        .build()
        .unwrap();
    assert_eq!(custom.transport().config().base_url, "http://127.0.0.1:8080");
}

#[tokio::test]
async fn eu_requests_go_to_the_eu_host() {
    let http = server();
    let client = Client::builder_for_region(Region::Eu)
        .credentials(creds())
        .http_client(http.clone())
        .build()
        .unwrap();
    client.groups().get(1).await.unwrap();
    let hosts: Vec<_> = http
        .requests()
        .iter()
        .map(|r| format!("{}{}", r.uri.host().unwrap(), r.uri.path()))
        .collect();
    assert_eq!(
        hosts,
        [
            "eu.workplace.yeastar.com/services/openapi/v1.0/authentication/get_token",
            "eu.workplace.yeastar.com/services/openapi/v1.0/user/group_detail/1",
        ]
    );
    assert!(http.requests().iter().all(|r| r.uri.scheme_str() == Some("https")));
}

#[tokio::test]
async fn validation_errors_send_nothing() {
    let http = server();
    let client = Client::builder()
        .credentials(creds())
        .http_client(http.clone())
        .build()
        .unwrap();
    let users = client.users();
    let cases: Vec<(&str, Error)> = vec![
        (
            "groupIds",
            users
                .update(&UpdateUser::new(1, "a@b.c", "A", [], Role::User, "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "email",
            users
                .update(&UpdateUser::new(1, "", "A", [1], Role::User, "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "firstName",
            users
                .update(&UpdateUser::new(1, "a@b.c", " ", [1], Role::User, "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "preferredBuildingName",
            users
                .update(&UpdateUser::new(1, "a@b.c", "A", [1], Role::User, ""))
                .await
                .unwrap_err(),
        ),
        (
            "roleName",
            users
                .create(&CreateUser::new("a@b.c", "A", [1], "", "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "groupIds",
            users
                .create(&CreateUser::new("a@b.c", "A", [], Role::User, "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "groupName",
            client.groups().create(&CreateGroup::new("  ")).await.unwrap_err(),
        ),
        ("groupName", client.groups().rename(1, "").await.unwrap_err()),
        (
            "pageSize",
            users
                .list(ListUsers::new().page_size(0))
                .try_collect()
                .await
                .unwrap_err(),
        ),
    ];
    for (want, err) in cases {
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == want),
            "{want}: {err}"
        );
    }
    assert_eq!(http.requests().len(), 0, "not even a token request");
}

#[tokio::test(start_paused = true)]
async fn token_is_refreshed_with_the_refresh_token_before_it_expires() {
    let http = server();
    let client = Client::builder()
        .credentials(creds())
        .http_client(http.clone())
        .build()
        .unwrap();
    client.groups().get(1).await.unwrap();
    tokio::time::advance(Duration::from_secs(23 * 3600)).await;
    client.groups().get(1).await.unwrap();
    assert_eq!(http.count("/services/openapi/v1.0/authentication/get_token"), 1);
    assert_eq!(http.count("/services/openapi/v1.0/authentication/refresh_token"), 0);
    // 24 h minus the 5-minute margin: refreshed, with client id and secret (no grant_type).
    tokio::time::advance(Duration::from_secs(3600 - 200)).await;
    client.groups().get(1).await.unwrap();
    let reqs = http.requests();
    let refresh = reqs
        .iter()
        .find(|r| r.uri.path().ends_with("/refresh_token"))
        .expect("a refresh");
    assert_eq!(
        refresh.body_text(),
        "client_id=wp-demo-client&client_secret=wp-demo-secret&refresh_token=ref-1"
    );
    assert_eq!(
        refresh.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(reqs.last().unwrap().header("authorization"), Some("Bearer tok-2"));
}

#[tokio::test(start_paused = true)]
async fn an_invalid_token_errmsg_triggers_one_replay() {
    let http = Arc::new(ScriptedHttp::new(|req: &RecordedRequest| {
        match (req.uri.path(), req.header("authorization")) {
            ("/services/openapi/v1.0/authentication/get_token", _) => Reply::json(200, TOKEN),
            ("/services/openapi/v1.0/authentication/refresh_token", _) => {
                Reply::json(200, r#"{"access_token":"tok-2","expires_in":86400}"#)
            }
            (_, Some("Bearer tok-1")) => Reply::json(
                400,
                r#"{"status":"Failed","requestId":"r","errMsg":"TOKEN_EXPIRED","detailMsg":"access token expired"}"#,
            ),
            _ => Reply::json(200, r#"{"data":{"memberId":9},"status":"Success","requestId":"r"}"#),
        }
    }));
    let client = Client::builder()
        .credentials(creds())
        .http_client(http.clone())
        .build()
        .unwrap();
    let user = client.users().get(9).await.unwrap();
    assert_eq!(user.member_id, Some(9));
    assert_eq!(http.count("/services/openapi/v1.0/user/user_detail/9"), 2);
    assert_eq!(http.count("/services/openapi/v1.0/authentication/refresh_token"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_envelope_from_the_token_endpoint_is_a_refusal() {
    let http = Arc::new(ScriptedHttp::new(|_req: &RecordedRequest| {
        Reply::json(
            200,
            r#"{"status":"Failed","requestId":"r","errMsg":"CLIENT_ID_OR_SECRET_ERROR","detailMsg":"bad"}"#,
        )
    }));
    let client = Client::builder()
        .credentials(creds())
        .http_client(http.clone())
        .build()
        .unwrap();
    for _ in 0..2 {
        let err = client.groups().get(1).await.unwrap_err();
        let Error::Auth(auth) = &err else { panic!("{err}") };
        assert_eq!(
            auth.api.as_ref().and_then(|a| a.code.as_deref()),
            Some("CLIENT_ID_OR_SECRET_ERROR")
        );
        assert!(!format!("{err:?}").contains("wp-demo-secret"));
    }
    assert_eq!(http.requests().len(), 1, "a refusal is final");
}
