//! The user endpoints on the wire.

mod common;

use common::*;
use futures_util::StreamExt;
use httpmock::prelude::*;
use serde_json::json;
use yeastar_ycm::{
    CreateUser, DeleteUsers, Error, HighAvailability, ListSubordinates, ListUsers, ResellerPackage, Sort,
    TwoFactorAuthentication, UpdateSubscription, UpdateUser, UserType,
};

#[tokio::test]
async fn get_user_decodes_user_info() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/users/13329")
                .header("authorization", bearer());
            then.status(200).json_body(success(Some(json!({
                "userId": "13329", "company": "Acme", "firstName": "Ada", "lastName": "Lovelace",
                "email": "ada@acme.example", "phone": "1", "mobile": "2", "address": "3", "remark": "4",
                "createdCloudPbx": 2, "userType": "Reseller", "twoFactorAuthenticationEnable": "enable",
                "aFieldFromTheFuture": [1]
            }))));
        })
        .await;
    let user = client(&server).users().get(13329).await.unwrap();
    assert_eq!(user.user_id, Some(13329));
    assert_eq!(user.company.as_deref(), Some("Acme"));
    assert_eq!(user.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(user.created_cloud_pbx, Some(2));
    assert_eq!(user.user_type, Some(UserType::Reseller));
    assert_eq!(
        user.two_factor_authentication_enable,
        Some(TwoFactorAuthentication::Enable)
    );
}

#[tokio::test]
async fn list_users_pages_lazily_across_pages() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut pages = Vec::new();
    for (page, ids) in [(1u64, vec![5u64, 4]), (2, vec![3, 2]), (3, vec![1])] {
        let list: Vec<_> = ids
            .iter()
            .map(|id| json!({"userId": id, "userType": "My Colleague"}))
            .collect();
        pages.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/dm/open_api/v2/users")
                        .header("authorization", bearer())
                        .query_param("pageSize", "2")
                        .query_param("pageNumber", page.to_string())
                        .query_param("sort", "-userId");
                    then.status(200).json_body(success(Some(
                        json!({"pageSize": 2, "pageNumber": page, "total": 5, "list": list}),
                    )));
                })
                .await,
        );
    }
    let client = client(&server);
    let mut items = client
        .users()
        .list(ListUsers::new().page_size(2).sort(Sort::descending("userId")))
        .items();
    // Lazy: only the first page is read for the first item.
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.user_id, Some(5));
    pages[0].assert_calls_async(1).await;
    pages[1].assert_calls_async(0).await;
    // The item stream is a `futures::Stream`.
    let rest: Vec<_> = items.map(|u| u.unwrap().user_id.unwrap()).collect().await;
    assert_eq!(rest, [4, 3, 2, 1]);
    for p in &pages {
        p.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn list_page_size_defaults_to_fifty_and_is_checked() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v2/users")
                .query_param("pageSize", "50")
                .query_param("pageNumber", "1");
            then.status(200).json_body(success(Some(
                json!({"pageSize": 50, "pageNumber": 1, "total": 0, "list": []}),
            )));
        })
        .await;
    let client = client(&server);
    // One page, as asked.
    let page = client
        .send(&ListUsers::new().page_size(50).page_number(1))
        .await
        .unwrap();
    assert_eq!((page.total, page.list.len()), (Some(0), 0));
    // The stream without a page size reads 50 at a time.
    assert!(
        client
            .users()
            .list(ListUsers::new())
            .try_collect()
            .await
            .unwrap()
            .is_empty()
    );
    mock.assert_calls_async(2).await;
    // A page size above 50 or a page 0 is refused before anything is sent.
    for (want, bad) in [
        ("pageSize", ListUsers::new().page_size(500)),
        ("pageNumber", ListUsers::new().page_number(0)),
    ] {
        let err = client.users().list(bad).try_collect().await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == want),
            "{err}"
        );
    }
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn create_reseller_sends_the_documented_fields_and_returns_the_id() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/dm/open_api/v1/users")
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .json_body(json!({
                    "userType": "Reseller", "company": "Acme", "firstName": "Ada", "lastName": "Lovelace",
                    "email": "ada@acme.example", "phone": "+1 555", "remark": "new",
                    "totalExtensions": 100, "totalConcurrentCalls": 30, "totalRecordings": 10, "minimumExtPerPBX": 5,
                    "highAvailability": "subscribed", "totalCustomDomains": 2, "totalUltimatePlan": 1,
                    "totalTranscription": 3, "totalConnections": 4
                }));
            then.status(200).json_body(json!({
                "data": {"userId": 20001}, "requestId": "c1", "status": "Success", "time": 1664437503
            }));
        })
        .await;
    let package = ResellerPackage::new(100, 30, 10, 5)
        .high_availability(HighAvailability::Subscribed)
        .total_custom_domains(2)
        .total_ultimate_plan(1)
        .total_transcription(3)
        .total_connections(4);
    let created = client(&server)
        .users()
        .create(
            CreateUser::reseller("Acme", "Ada", "ada@acme.example", package)
                .last_name("Lovelace")
                .phone("+1 555")
                .remark("new"),
        )
        .await
        .unwrap();
    assert_eq!(created.id, Some(20001));
    assert_eq!(created.request_id.as_deref(), Some("c1"));
    assert!(created.timestamp().is_some());
    create.assert_calls_async(1).await;
}

#[tokio::test]
async fn create_with_missing_fields_sends_nothing() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/dm/open_api/v1/users");
            then.status(200).json_body(success(Some(json!({"userId": 1}))));
        })
        .await;
    let client = client(&server);
    let no_package = CreateUser::new(UserType::Reseller, "Ada", "ada@acme.example").company("Acme");
    let err = client.users().create(no_package).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "totalExtensions"),
        "{err}"
    );
    let no_company =
        CreateUser::new(UserType::Reseller, "Ada", "ada@acme.example").package(ResellerPackage::new(1, 1, 1, 1));
    let err = client.users().create(no_company).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "company"),
        "{err}"
    );
    create.assert_calls_async(0).await;
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_is_not_retried_on_503_but_update_is() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/dm/open_api/v1/users");
            then.status(503)
                .json_body(json!({"requestId": "x", "status": "Failed"}));
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method(PUT).path("/dm/open_api/v1/users/1");
            then.status(503)
                .json_body(json!({"requestId": "x", "status": "Failed"}));
        })
        .await;
    let client = client(&server);
    let err = client
        .users()
        .create(CreateUser::new(UserType::MyColleague, "Ada", "ada@acme.example"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    create.assert_calls_async(1).await;

    let err = client.users().update(UpdateUser::new(1).remark("r")).await.unwrap_err();
    assert!(matches!(err, Error::RetriesExhausted { attempts: 3, .. }), "{err}");
    update.assert_calls_async(3).await;
}

#[tokio::test]
async fn delete_users_sends_a_json_body() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/dm/open_api/v1/users")
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .body(r#"{"userType":"Reseller","userIds":[13329,13330]}"#);
            then.status(200)
                .json_body(json!({"requestId": "d1", "status": "Success", "time": 1664437503}));
        })
        .await;
    let client = client(&server);
    let done = client
        .users()
        .delete(DeleteUsers::new(UserType::Reseller, [13329, 13330]))
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("d1"));
    delete.assert_calls_async(1).await;

    let err = client
        .users()
        .delete(DeleteUsers::new(UserType::Reseller, []))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "userIds"),
        "{err}"
    );
    delete.assert_calls_async(1).await;
}

#[tokio::test]
async fn update_subscription_spells_minimum_ext_per_pbx_its_own_way() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/dm/open_api/v1/users/13329/subscription_info")
                .header("authorization", bearer())
                .json_body(json!({
                    "minimumExtPerPbx": 4, "totalExtensions": 200, "totalConcurrentCalls": 40,
                    "totalRecordings": 20, "highAvailability": "unsubscribed", "totalCustomDomains": 1
                }));
            then.status(200)
                .json_body(json!({"requestId": "s1", "status": "Success", "time": 1}));
        })
        .await;
    let done = client(&server)
        .users()
        .update_subscription(
            UpdateSubscription::new(13329, 200, 40, 20, 4)
                .high_availability(HighAvailability::Unsubscribed)
                .total_custom_domains(1),
        )
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("s1"));
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn subordinates_are_paged_with_the_query_filter() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut mocks = Vec::new();
    for page in 1u64..=2 {
        let list = if page == 1 {
            json!([{"userId": 1, "userName": "Ada", "userEmail": "ada@x"}, {"userId": "2", "userName": "Bob"}])
        } else {
            json!([{"userId": 3, "userName": "Cy", "userEmail": "cy@x"}])
        };
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/dm/open_api/v1/user_info/subordinates")
                        .query_param("pageSize", "2")
                        .query_param("pageNumber", page.to_string())
                        .query_param("query", "acme");
                    then.status(200).json_body(success(Some(
                        json!({"pageSize": 2, "pageNumber": page, "total": 3, "list": list}),
                    )));
                })
                .await,
        );
    }
    let all = client(&server)
        .subordinates()
        .list(ListSubordinates::new().page_size(2).query("acme"))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|s| s.user_id.unwrap()).collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(all[1].user_email, None);
    assert_eq!(all[2].user_name.as_deref(), Some("Cy"));
    for m in &mocks {
        m.assert_calls_async(1).await;
    }
}

/// Issue 12 item 7 (YCM users): the first `DELETE /dm/open_api/v1/users` took effect but its
/// answer was lost (a gateway's 503); the retry finds the users gone and YCM says so with its
/// documented not-found codes (1000015 USER_NOT_FOUND, as the sandbox answers, or 1000005
/// DATA_NOT_FOUND), with HTTP 404 or 200. That is a success marked `already_absent`, with the
/// retry's request id; a not-found answer to the FIRST attempt stays an error.
#[tokio::test(start_paused = true)]
async fn a_retried_user_delete_that_finds_the_users_gone_reports_already_absent() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use yeastar_transport::test_util::{Reply, ScriptedHttp};

    let server = |first_lost: bool, status: u16, errcode: i64| {
        let deletes = Arc::new(AtomicUsize::new(0));
        let seen = deletes.clone();
        let http = Arc::new(ScriptedHttp::new(move |req| {
            assert_eq!(
                (req.method.as_str(), req.uri.path()),
                ("DELETE", "/dm/open_api/v1/users")
            );
            assert_eq!(req.body_text(), r#"{"userType":"Reseller","userIds":[13400]}"#);
            if seen.fetch_add(1, Ordering::SeqCst) == 0 && first_lost {
                return Reply::raw(503, "upstream timeout");
            }
            let mut body = failed(errcode, "User 13400 does not exist");
            body["requestId"] = json!("r-gone");
            Reply::json(status, body.to_string())
        }));
        (http, deletes)
    };
    for (status, errcode) in [(404, 1_000_015), (200, 1_000_015), (404, 1_000_005)] {
        let (http, deletes) = server(true, status, errcode);
        let done = scripted_client(http)
            .users()
            .delete(DeleteUsers::new(UserType::Reseller, [13400]))
            .await
            .unwrap_or_else(|e| panic!("HTTP {status} errcode {errcode}: {e}"));
        assert!(done.already_absent, "{done:?}");
        assert_eq!(done.request_id.as_deref(), Some("r-gone"));
        assert_eq!(deletes.load(Ordering::SeqCst), 2, "one retry");
    }
    // Not found at the first attempt: nothing says this call deleted anything.
    let (http, deletes) = server(false, 404, 1_000_015);
    let err = scripted_client(http)
        .users()
        .delete(DeleteUsers::new(UserType::Reseller, [13400]))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.api_error().and_then(|a| a.code.as_deref()), Some("1000015"));
    assert_eq!(deletes.load(Ordering::SeqCst), 1);
}
