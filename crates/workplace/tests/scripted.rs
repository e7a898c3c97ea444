//! Tests with the in-memory `ScriptedHttp` (hosts, validation, token expiry under paused time).

use std::sync::Arc;
use std::time::Duration;

use yeastar_transport::test_util::{RecordedRequest, Reply, ScriptedHttp};
use yeastar_workplace::{
    Client, ClientBuilderExt, CreateGroup, CreateUser, Credentials, Error, ListGroups, ListUsers, Region, Role,
    UpdateGroup, UpdateUser,
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
                .update(UpdateUser::new(1, "a@b.c", "A", [], Role::User, "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "email",
            users
                .update(UpdateUser::new(1, "", "A", [1], Role::User, "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "firstName",
            users
                .update(UpdateUser::new(1, "a@b.c", " ", [1], Role::User, "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "preferredBuildingName",
            users
                .update(UpdateUser::new(1, "a@b.c", "A", [1], Role::User, ""))
                .await
                .unwrap_err(),
        ),
        (
            "roleName",
            users
                .create(CreateUser::new("a@b.c", "A", [1], "", "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "groupIds",
            users
                .create(CreateUser::new("a@b.c", "A", [], Role::User, "HQ"))
                .await
                .unwrap_err(),
        ),
        (
            "groupName",
            client.groups().create(CreateGroup::new("  ")).await.unwrap_err(),
        ),
        (
            "groupName",
            client.groups().update(UpdateGroup::new(1, "")).await.unwrap_err(),
        ),
        (
            "pageSize",
            users
                .list(ListUsers::new().page_size(0))
                .try_collect()
                .await
                .unwrap_err(),
        ),
        ("pageNo", client.send(&ListUsers::new().page_no(0)).await.unwrap_err()),
    ];
    for (want, err) in cases {
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == want),
            "{want}: {err}"
        );
    }
    // A listing that starts at page 0 fails before reading anything, naming Workplace's field.
    let err = client
        .groups()
        .list(ListGroups::new().page_no(0))
        .try_collect()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "pageNo"),
        "{err}"
    );
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
    // The old token is still valid, so this call uses it and the refresh runs in the
    // background; the next call uses the new token.
    tokio::time::advance(Duration::from_secs(3600 - 200)).await;
    client.groups().get(1).await.unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;
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

/// Workplace's token endpoints answer plain JSON; a 2xx answer in the error shape is read for
/// its `errMsg`. `INVALID_CLIENT` (the code the sandbox answers) is a refusal: final, never
/// asked again with the same secret.
#[tokio::test(start_paused = true)]
async fn an_invalid_client_errmsg_from_the_token_endpoint_is_a_refusal() {
    let http = Arc::new(ScriptedHttp::new(|_req: &RecordedRequest| {
        Reply::json(
            200,
            r#"{"status":"Failed","requestId":"r","errMsg":"INVALID_CLIENT","detailMsg":"bad"}"#,
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
            Some("INVALID_CLIENT")
        );
        assert!(!format!("{err:?}").contains("wp-demo-secret"));
        tokio::time::advance(Duration::from_secs(120)).await;
    }
    assert_eq!(http.requests().len(), 1, "a refusal is final");
}

/// Issue 12 item 5: a 2xx answer without a token and with a code that is no refusal (here
/// `SYSTEM_BUSY`) is an ordinary API error: not final, not re-sent on every call either, but
/// remembered for the backoff interval and asked again after it.
#[tokio::test(start_paused = true)]
async fn an_unrecognised_2xx_answer_without_a_token_is_transient() {
    let http = Arc::new(ScriptedHttp::new(|_req: &RecordedRequest| {
        Reply::json(
            200,
            r#"{"status":"Failed","requestId":"r-busy","errMsg":"SYSTEM_BUSY","detailMsg":"try later"}"#,
        )
    }));
    let client = Client::builder()
        .credentials(creds())
        .http_client(http.clone())
        .build()
        .unwrap();
    for _ in 0..3 {
        let err = client.groups().get(1).await.unwrap_err();
        let Error::Api(api) = &err else {
            panic!("an API error, not a refusal: {err}")
        };
        assert_eq!(
            (api.status, api.code.as_deref(), api.request_id.as_deref()),
            (200, Some("SYSTEM_BUSY"), Some("r-busy"))
        );
        assert!(api.raw_body.is_none(), "a token answer is never copied into an error");
    }
    assert_eq!(http.requests().len(), 1, "remembered during the backoff");
    tokio::time::advance(Duration::from_secs(2)).await;
    assert!(client.groups().get(1).await.is_err());
    assert_eq!(http.requests().len(), 2, "asked again after the backoff");
}

/// A server whose delete endpoints answer 503 to the first attempt (the delete took effect, its
/// answer was lost) and `not_found` with HTTP `status` to every later one.
fn lost_delete_answer(status: u16, not_found: &'static str) -> Arc<ScriptedHttp> {
    let deletes = std::sync::atomic::AtomicUsize::new(0);
    Arc::new(ScriptedHttp::new(move |req: &RecordedRequest| match req.uri.path() {
        "/services/openapi/v1.0/authentication/get_token" => Reply::json(200, TOKEN),
        _ if deletes.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 => Reply::json(
            503,
            r#"{"status":"Failed","requestId":"r-503","errMsg":"SERVICE_UNAVAILABLE","detailMsg":"busy"}"#,
        ),
        _ => Reply::json(status, not_found),
    }))
}

fn scripted_client(http: &Arc<ScriptedHttp>) -> Client {
    Client::builder()
        .credentials(creds())
        .http_client(http.clone())
        .build()
        .unwrap()
}

const USER_GONE: &str = r#"{"status":"Failed","requestId":"r-404","errMsg":"USER_NOT_FOUND","detailMsg":"The member 54165 does not exist"}"#;
const GROUP_GONE: &str =
    r#"{"status":"Failed","requestId":"r-404","errMsg":"GROUP_NOT_FOUND","detailMsg":"The group 7 does not exist"}"#;

/// Issue 12 item 7: a delete retried after a lost answer (503) that finds the record gone is a
/// success marked `already_absent`, for users (`user_remove`) and groups (`group_delete`).
#[tokio::test(start_paused = true)]
async fn a_retried_delete_that_finds_the_record_gone_is_a_success() {
    let http = lost_delete_answer(404, USER_GONE);
    let done = scripted_client(&http).users().delete(54165).await.unwrap();
    assert!(done.already_absent, "{done:?}");
    assert_eq!((done.id, done.request_id.as_deref()), (Some(54165), Some("r-404")));
    assert_eq!(http.count("/services/openapi/v1.0/user/user_remove/54165"), 2);

    let http = lost_delete_answer(404, GROUP_GONE);
    let done = scripted_client(&http).groups().delete(7).await.unwrap();
    assert!(done.already_absent, "{done:?}");
    assert_eq!(done.id, Some(7));
    assert_eq!(http.count("/services/openapi/v1.0/user/group_delete/7"), 2);

    // The not-found code alone (HTTP 200 with `status: Failed`) is enough.
    let http = lost_delete_answer(200, USER_GONE);
    let done = scripted_client(&http).users().delete(54165).await.unwrap();
    assert!(done.already_absent, "{done:?}");
    assert_eq!(http.count("/services/openapi/v1.0/user/user_remove/54165"), 2);
}

/// A first attempt that answers not-found is an error: nothing says the SDK deleted anything.
#[tokio::test(start_paused = true)]
async fn a_delete_that_finds_nothing_at_once_is_an_error() {
    for (body, path) in [
        (USER_GONE, "/services/openapi/v1.0/user/user_remove/54165"),
        (GROUP_GONE, "/services/openapi/v1.0/user/group_delete/7"),
    ] {
        let http = Arc::new(ScriptedHttp::new(move |req: &RecordedRequest| match req.uri.path() {
            "/services/openapi/v1.0/authentication/get_token" => Reply::json(200, TOKEN),
            _ => Reply::json(404, body),
        }));
        let client = scripted_client(&http);
        let err = if path.contains("user_remove") {
            client.users().delete(54165).await.unwrap_err()
        } else {
            client.groups().delete(7).await.unwrap_err()
        };
        assert!(err.is_not_found(), "{err}");
        assert!(matches!(&err, Error::Api(_)), "{err}");
        assert_eq!(http.count(path), 1, "a 404 is not retried");
    }
}
