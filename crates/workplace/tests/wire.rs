//! Wire tests against a real loopback server (httpmock): method, path, headers, exact bodies.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use httpmock::Method::{DELETE, GET, POST, PUT};
use httpmock::{Mock, MockServer};
use serde_json::json;
use yeastar_workplace::{
    Client, CreateGroup, CreateUser, Credentials, Error, Image, InviteStatus, ListGroups, ListUsers, RetryPolicy, Role,
    UpdateGroup, UpdateUser,
};

const TOKEN_PATH: &str = "/services/openapi/v1.0/authentication/get_token";
const REFRESH_PATH: &str = "/services/openapi/v1.0/authentication/refresh_token";
const DOC_IMAGE: &str = "data:image/png;base64,iVBORw0Kxxxxxxxxxx+ny1BosNNgvBhn1jkKM65fc8EIkWK0iZx6u4pHHi0widJ5f/h4uGkwkr0HHedD/PwCOHV4VyXitAAAAAABJRU5ErkJggg==";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(Credentials::client("wp-client", "wp-secret"))
        .base_url(server.base_url())
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// The token endpoint: form body with client_id and client_secret, and no grant_type.
async fn token_mock(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .header("content-type", "application/x-www-form-urlencoded")
                .header_prefix("user-agent", "yeastar-rust/")
                .header_missing("authorization")
                .form_urlencoded_tuple("client_id", "wp-client")
                .form_urlencoded_tuple("client_secret", "wp-secret")
                .form_urlencoded_tuple_missing("grant_type")
                .body("client_id=wp-client&client_secret=wp-secret");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"access_token": "tok-1", "refresh_token": "ref-1", "expires_in": 86400}));
        })
        .await
}

fn ok(data: serde_json::Value) -> serde_json::Value {
    json!({"data": data, "status": "Success", "requestId": "531c47596e916ba22a0f5ad76df24074"})
}

fn leo() -> serde_json::Value {
    json!({
        "userId": 3000001,
        "memberId": 54164,
        "inviteStatus": "added",
        "email": "leo@yeastar.com",
        "firstName": "Leo",
        "lastName": "Ball",
        "groupIds": [1000127],
        "roleName": "Administrator",
        "preferredBuildingName": "Yeastar",
        "preferredFloorName": "2F",
        "phone": "1325698753",
        "idCode": "XZXXtest6701"
    })
}

#[tokio::test]
async fn doc_example_update_user() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let update = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/services/openapi/v1.0/user/user_update")
                .header("authorization", "Bearer tok-1")
                .header("content-type", "application/json")
                .header_prefix("user-agent", "yeastar-rust/")
                .json_body(json!({
                    "memberId": 54164,
                    "email": "leo-new-email@yeastar.com",
                    "firstName": "Leo",
                    "lastName":"Ball",
                    "groupIds": [
                        1000127
                    ],
                    "roleName": "Administrator",
                    "preferredBuildingName": "Yeastar",
                    "preferredFloorName": "2F",
                    "phone": "1325698753",
                    "imageBase64": "data:image/png;base64,iVBORw0Kxxxxxxxxxx+ny1BosNNgvBhn1jkKM65fc8EIkWK0iZx6u4pHHi0widJ5f/h4uGkwkr0HHedD/PwCOHV4VyXitAAAAAABJRU5ErkJggg==",
                    "idCode": "XZXXtest6701",
                    "sendInviteEmail": true
                }));
            then.status(200).body(
                r#"{
    "data": {
        "memberId": 54164
    },
    "status": "Success",
    "requestId": "531c47596e916ba22a0f5ad76df24074"
}"#,
            );
        })
        .await;

    let client = client(&server);
    let request = UpdateUser::new(
        54164,
        "leo-new-email@yeastar.com",
        "Leo",
        [1000127],
        Role::Administrator,
        "Yeastar",
    )
    .last_name("Ball")
    .preferred_floor_name("2F")
    .phone("1325698753")
    .image(Image::from_data_url_unchecked(DOC_IMAGE))
    .id_code("XZXXtest6701")
    .send_invite_email(true);
    let answer = client.users().update(request).await.unwrap();
    assert_eq!(answer.id, Some(54164));
    assert_eq!(answer.request_id.as_deref(), Some("531c47596e916ba22a0f5ad76df24074"));
    update.assert_calls_async(1).await;
    token.assert_calls_async(1).await;
}

#[tokio::test]
async fn modify_reads_then_writes_the_whole_user() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let read = Arc::new(AtomicBool::new(false));
    let read_flag = read.clone();
    let get = server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/services/openapi/v1.0/user/user_detail/54164")
                .header("authorization", "Bearer tok-1");
            let body = ok(leo()).to_string();
            then.respond_with(move |_| {
                read_flag.store(true, Ordering::SeqCst);
                httpmock::HttpMockResponse::builder()
                    .status(200)
                    .body(body.clone())
                    .build()
            });
        })
        .await;
    let read_seen = read.clone();
    let put = server
        .mock_async(move |when, then| {
            when.method(PUT)
                .path("/services/openapi/v1.0/user/user_update")
                // The write must follow the read.
                .is_true(move |_| read_seen.load(Ordering::SeqCst))
                .json_body(json!({
                    "memberId": 54164,
                    "email": "leo-new-email@yeastar.com",
                    "firstName": "Leo",
                    "lastName": "Ball",
                    "groupIds": [1000127],
                    "roleName": "Administrator",
                    "preferredBuildingName": "Yeastar",
                    "preferredFloorName": "2F",
                    "phone": "1325698753",
                    "idCode": "XZXXtest6701"
                }));
            then.status(200).json_body(ok(json!({"memberId": 54164})));
        })
        .await;

    let client = client(&server);
    let answer = client
        .users()
        .modify(54164, |user| user.email = "leo-new-email@yeastar.com".into())
        .await
        .unwrap();
    assert_eq!(answer.id, Some(54164));
    assert_eq!(answer.request_id.as_deref(), Some("531c47596e916ba22a0f5ad76df24074"));
    get.assert_calls_async(1).await;
    put.assert_calls_async(1).await;
}

#[tokio::test]
async fn modify_refuses_to_send_a_partial_user() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut partial = leo();
    partial.as_object_mut().unwrap().remove("preferredBuildingName");
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path("/services/openapi/v1.0/user/user_detail/54164");
            then.status(200).json_body(ok(partial));
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT);
            then.status(200).json_body(ok(json!({"memberId": 54164})));
        })
        .await;

    let err = client(&server)
        .users()
        .modify(54164, |user| user.phone = Some("1".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "preferredBuildingName"),
        "{err}"
    );
    get.assert_calls_async(1).await;
    put.assert_calls_async(0).await;
}

#[tokio::test]
async fn token_flow_and_refresh_after_a_rejected_token() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let refresh = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(REFRESH_PATH)
                .header("content-type", "application/x-www-form-urlencoded")
                .header_missing("authorization")
                .form_urlencoded_tuple_missing("grant_type")
                .body("client_id=wp-client&client_secret=wp-secret&refresh_token=ref-1");
            then.status(200)
                .json_body(json!({"access_token": "tok-2", "refresh_token": "ref-2", "expires_in": 86400}));
        })
        .await;
    // The first token is refused (as after a Client Secret regeneration).
    let rejected = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/services/openapi/v1.0/user/group_detail/1000127")
                .header("authorization", "Bearer tok-1");
            then.status(401).json_body(json!({
                "status": "Failed", "requestId": "r-401", "errMsg": "INVALID_TOKEN", "detailMsg": "token invalid"
            }));
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/services/openapi/v1.0/user/group_detail/1000127")
                .header("authorization", "Bearer tok-2");
            then.status(200)
                .json_body(ok(json!({"groupId": "1000127", "groupName": "Yeastar"})));
        })
        .await;

    let client = client(&server);
    let group = client.groups().get(1000127).await.unwrap();
    assert_eq!(group.group_id, Some(1000127));
    assert_eq!(group.group_name.as_deref(), Some("Yeastar"));
    token.assert_calls_async(1).await;
    rejected.assert_calls_async(1).await;
    refresh.assert_calls_async(1).await;
    accepted.assert_calls_async(1).await;
    assert_eq!(client.transport().token_requests(), 2);

    // The new token is cached: no further token request.
    client.groups().get(1000127).await.unwrap();
    accepted.assert_calls_async(2).await;
    assert_eq!(client.transport().token_requests(), 2);
}

#[tokio::test]
async fn refused_credentials_are_an_auth_error_without_secrets() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(400).json_body(json!({
                "status": "Failed", "requestId": "r-bad", "errMsg": "INVALID_CLIENT", "detailMsg": "client secret wrong"
            }));
        })
        .await;
    let client = client(&server);
    let err = client.users().get(1).await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("{err}") };
    assert_eq!(
        auth.api.as_ref().and_then(|a| a.code.as_deref()),
        Some("INVALID_CLIENT")
    );
    assert!(!format!("{err} {err:?} {client:?}").contains("wp-secret"));
    // Refused once, never asked again with the same credentials.
    assert!(client.users().get(1).await.is_err());
    token.assert_calls_async(1).await;
}

#[tokio::test]
async fn error_envelope_405_is_an_api_error() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT).path("/services/openapi/v1.0/user/user_update");
            then.status(405).header("content-type", "application/json").body(
                r#"{"status":"Failed","requestId":"7879eec4b2b04b4f","errMsg":"ACCESS_DENIED","detailMsg":"Request method 'PUT' not supported"}"#,
            );
        })
        .await;
    let err = client(&server)
        .users()
        .update(UpdateUser::new(1, "a@b.c", "A", [1], Role::User, "HQ"))
        .await
        .unwrap_err();
    let Error::Api(api) = &err else { panic!("{err}") };
    assert_eq!(api.status, 405);
    assert_eq!(api.code.as_deref(), Some("ACCESS_DENIED"));
    assert_eq!(api.message.as_deref(), Some("Request method 'PUT' not supported"));
    assert_eq!(api.request_id.as_deref(), Some("7879eec4b2b04b4f"));
    assert_eq!(err.request_id(), Some("7879eec4b2b04b4f"));
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(
        text.contains("ACCESS_DENIED") && text.contains("7879eec4b2b04b4f"),
        "{text}"
    );
    put.assert_calls_async(1).await;
}

#[tokio::test]
async fn failed_status_on_http_200_and_html_are_errors() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/services/openapi/v1.0/user/group_delete/7");
            then.status(200).json_body(json!({
                "status": "Failed", "requestId": "r-del", "errMsg": "GROUP_NOT_EMPTY", "detailMsg": "group has members"
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/services/openapi/v1.0/user/group_detail/8");
            then.status(502)
                .header("content-type", "text/html")
                .body("<html>Bad Gateway</html>");
        })
        .await;
    let client = Client::builder()
        .credentials(Credentials::client("wp-client", "wp-secret"))
        .base_url(server.base_url())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.groups().delete(7).await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!((api.status, api.code.as_deref()), (200, Some("GROUP_NOT_EMPTY")));
    let err = client.groups().get(8).await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err}");
    assert_eq!(err.status(), Some(502));
}

#[tokio::test]
async fn users_are_paged_lazily() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut pages = Vec::new();
    for (page_no, ids) in [(1u64, vec![1u64, 2]), (2, vec![3, 4]), (3, vec![5])] {
        let list: Vec<_> = ids
            .iter()
            .map(|id| json!({"memberId": id.to_string(), "email": format!("u{id}@x.com"), "inviteStatus": "invite"}))
            .collect();
        pages.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/services/openapi/v1.0/user/user_list")
                        .query_param("pageNo", page_no.to_string())
                        .query_param("pageSize", "2")
                        .query_param("query", "yeastar group");
                    then.status(200).json_body(ok(json!({
                        "pageNo": page_no, "pageSize": 2, "total": 5, "list": list
                    })));
                })
                .await,
        );
    }
    let client = client(&server);
    let mut items = client
        .users()
        .list(ListUsers::new().query("yeastar group").page_size(2))
        .items();
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.member_id, Some(1));
    assert_eq!(first.invite_status, Some(InviteStatus::Invite));
    pages[1].assert_calls_async(0).await; // lazy: page 2 not read yet
    let rest = items.try_collect().await.unwrap();
    let ids: Vec<_> = rest.iter().map(|u| u.member_id.unwrap()).collect();
    assert_eq!(ids, vec![2, 3, 4, 5]);
    for p in &pages {
        p.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn groups_are_paged_with_the_name_filter() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let page = |page_no: u64, list: serde_json::Value| {
        let server = &server;
        async move {
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/services/openapi/v1.0/user/group_list")
                        .query_param("pageNo", page_no.to_string())
                        .query_param("pageSize", "50")
                        .query_param("groupName", "Sales");
                    then.status(200).json_body(ok(
                        json!({"pageNo": page_no, "pageSize": 50, "total": 51, "list": list}),
                    ));
                })
                .await
        }
    };
    let full: Vec<_> = (0..50)
        .map(|i| json!({"groupId": i, "groupName": format!("Sales {i}")}))
        .collect();
    let p1 = page(1, json!(full)).await;
    let p2 = page(2, json!([{"groupId": 50, "groupName": "Sales 50"}])).await;
    let all = client(&server)
        .groups()
        .list(ListGroups::new().group_name("Sales"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 51);
    assert_eq!(all[50].group_name.as_deref(), Some("Sales 50"));
    p1.assert_calls_async(1).await;
    p2.assert_calls_async(1).await;
}

#[tokio::test]
async fn create_user_is_not_retried_on_503() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/services/openapi/v1.0/user/user_create");
            then.status(503)
                .json_body(json!({"status": "Failed", "errMsg": "SERVICE_UNAVAILABLE"}));
        })
        .await;
    let detail = server
        .mock_async(|when, then| {
            when.method(GET).path("/services/openapi/v1.0/user/user_detail/5");
            then.status(503)
                .json_body(json!({"status": "Failed", "errMsg": "SERVICE_UNAVAILABLE"}));
        })
        .await;
    let client = client(&server);
    let err = client
        .users()
        .create(CreateUser::new("a@b.c", "A", [1], Role::User, "HQ"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    // Sent once; a 503 after sending may have taken effect: the outcome is unknown.
    assert!(err.outcome_unknown() && !err.is_retryable(), "{err}");
    create.assert_calls_async(1).await;
    // A GET with the same answer is retried (3 attempts by default).
    let err = client.users().get(5).await.unwrap_err();
    assert!(matches!(err, Error::RetriesExhausted { attempts: 3, .. }), "{err}");
    detail.assert_calls_async(3).await;
}

#[tokio::test]
async fn create_update_and_delete_bodies() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create_user = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/services/openapi/v1.0/user/user_create")
                .header("authorization", "Bearer tok-1")
                .json_body(json!({
                    "email": "kim@yeastar.com", "firstName": "Kim", "groupIds": [1000127, 1000128],
                    "roleName": "Front Desk", "preferredBuildingName": "Yeastar", "sendInviteEmail": false
                }));
            then.status(200)
                .json_body(ok(json!({"userId": 3000002, "memberId": "54165"})));
        })
        .await;
    let remove_user = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/services/openapi/v1.0/user/user_remove/54165");
            then.status(200).json_body(ok(json!({"memberId": 54165})));
        })
        .await;
    let create_group = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/services/openapi/v1.0/user/group_create")
                .json_body(json!({"groupName": "Sales", "memberIds": [54164, 54165]}));
            then.status(200).json_body(ok(json!({"groupId": 1000130})));
        })
        .await;
    let update_group = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/services/openapi/v1.0/user/group_update")
                .json_body(json!({"groupId": 1000130, "groupName": "Sales EMEA"}));
            then.status(200).json_body(ok(json!({"groupId": 1000130})));
        })
        .await;
    let delete_group = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/services/openapi/v1.0/user/group_delete/1000130");
            then.status(200).json_body(ok(json!({"groupId": 1000130})));
        })
        .await;

    let client = client(&server);
    let created = client
        .users()
        .create(
            CreateUser::new("kim@yeastar.com", "Kim", [1000127, 1000128], "Front Desk", "Yeastar")
                .send_invite_email(false),
        )
        .await
        .unwrap();
    let ids = created.id.unwrap();
    assert_eq!((ids.member_id, ids.user_id), (54165, Some(3000002)));
    assert_eq!(created.request_id.as_deref(), Some("531c47596e916ba22a0f5ad76df24074"));
    let deleted = client.users().delete(54165).await.unwrap();
    assert_eq!((deleted.id, deleted.already_absent), (Some(54165), false));
    let group = client
        .groups()
        .create(CreateGroup::new("Sales").member_ids([54164, 54165]))
        .await
        .unwrap();
    assert_eq!(group.id, Some(1000130));
    assert_eq!(
        client
            .groups()
            .update(UpdateGroup::new(1000130, "Sales EMEA"))
            .await
            .unwrap()
            .id,
        Some(1000130)
    );
    assert_eq!(client.groups().delete(1000130).await.unwrap().id, Some(1000130));
    for m in [&create_user, &remove_user, &create_group, &update_group, &delete_group] {
        m.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn user_detail_is_decoded() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/services/openapi/v1.0/user/user_detail/54164");
            let mut user = leo();
            user["roleName"] = json!("Front Desk");
            user["inviteStatus"] = json!("suspended");
            user["futureField"] = json!({"x": 1});
            then.status(200).json_body(ok(user));
        })
        .await;
    let user = client(&server).users().get(54164).await.unwrap();
    assert_eq!(user.user_id, Some(3000001));
    assert_eq!(user.member_id, Some(54164));
    assert_eq!(user.role_name, Some(Role::Unknown("Front Desk".into())));
    assert_eq!(user.invite_status, Some(InviteStatus::Unknown("suspended".into())));
    assert_eq!(user.group_ids, Some(vec![1000127]));
    assert_eq!(user.id_code.as_deref(), Some("XZXXtest6701"));
}

/// Issue 13 item 10: `modify` does not drop what it cannot see. Fields of `user_detail` the
/// SDK does not model are sent back in the PUT exactly as read, next to the changed field.
#[tokio::test]
async fn modify_sends_back_fields_the_sdk_does_not_model() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut user = leo();
    user["departmentId"] = json!(4021);
    user["customFields"] = json!({"badge": "B-17", "shift": ["early", "late"]});
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path("/services/openapi/v1.0/user/user_detail/54164");
            then.status(200).json_body(ok(user));
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/services/openapi/v1.0/user/user_update")
                .header("content-type", "application/json")
                .json_body(json!({
                    "memberId": 54164,
                    "email": "leo@yeastar.com",
                    "firstName": "Leo",
                    "lastName": "Ball",
                    "groupIds": [1000127],
                    "roleName": "Administrator",
                    "preferredBuildingName": "Yeastar",
                    "preferredFloorName": "2F",
                    "phone": "+44 20 7946 0000",
                    "idCode": "XZXXtest6701",
                    "departmentId": 4021,
                    "customFields": {"badge": "B-17", "shift": ["early", "late"]}
                }));
            then.status(200).json_body(ok(json!({"memberId": 54164})));
        })
        .await;
    client(&server)
        .users()
        .modify(54164, |u| u.phone = Some("+44 20 7946 0000".into()))
        .await
        .unwrap();
    get.assert_calls_async(1).await;
    put.assert_calls_async(1).await;
}

/// An answer for another member is a wrong answer (`Error::Decode` naming `data.memberId`,
/// with the request id), not a caller mistake: nothing is written.
#[tokio::test]
async fn modify_refuses_an_answer_for_another_member() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut other = leo();
    other["memberId"] = json!(54165);
    server
        .mock_async(|when, then| {
            when.method(GET).path("/services/openapi/v1.0/user/user_detail/54164");
            then.status(200).json_body(ok(other));
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT);
            then.status(200).json_body(ok(json!({"memberId": 54165})));
        })
        .await;
    let err = client(&server)
        .users()
        .modify(54164, |u| u.phone = Some("1".into()))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.path, "data.memberId");
    assert_eq!(d.status, 200);
    assert_eq!(err.request_id(), Some("531c47596e916ba22a0f5ad76df24074"));
    put.assert_calls_async(0).await;
}
