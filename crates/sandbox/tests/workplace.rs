//! Workplace endpoints, envelope, validation, replace-on-update and paging.

mod common;

use common::{Env, WP, wp_error};
use reqwest::Method;
use serde_json::{Value, json};

fn doc_update() -> Value {
    json!({
        "memberId": 54164,
        "email": "leo-new-email@yeastar.com",
        "firstName": "Leo",
        "lastName":"Ball",
        "groupIds": [1000127],
        "roleName": "Administrator",
        "preferredBuildingName": "Yeastar",
        "preferredFloorName": "2F",
        "phone": "1325698753",
        "imageBase64": "data:image/png;base64,iVBORw0Kxxxxxxxxxx+ny1BosNNgvBhn1jkKM65fc8EIkWK0iZx6u4pHHi0widJ5f/h4uGkwkr0HHedD/PwCOHV4VyXitAAAAAABJRU5ErkJggg==",
        "idCode": "XZXXtest6701",
        "sendInviteEmail": true
    })
}

#[tokio::test]
async fn doc_example_update_user() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let (status, body) = env
        .call(
            Method::PUT,
            &format!("{WP}/user/user_update"),
            &token,
            Some(doc_update()),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"], json!({"memberId": 54164}));
    assert_eq!(body["status"], "Success");
    assert!(body["requestId"].is_string());
    assert!(body.get("time").is_none());
    let (_, user) = env.get(&format!("{WP}/user/user_detail/54164"), &token).await;
    let user = &user["data"];
    assert_eq!(user["email"], "leo-new-email@yeastar.com");
    assert_eq!(user["lastName"], "Ball");
    assert_eq!(user["idCode"], "XZXXtest6701");
    assert_eq!(user["inviteStatus"], "added");
    assert!(user["userId"].as_u64().unwrap() > 1 << 40);
}

#[tokio::test]
async fn seeded_member_matches_the_docs() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let (status, body) = env.get(&format!("{WP}/user/user_detail/54164"), &token).await;
    assert_eq!(status, 200);
    let mut user = body["data"].clone();
    user.as_object_mut().unwrap().remove("userId");
    assert_eq!(
        user,
        json!({
            "memberId": 54164, "inviteStatus": "added", "email": "leo@yeastar.com", "firstName": "Leo",
            "lastName": "Ball", "groupIds": [1000127], "roleName": "Administrator",
            "preferredBuildingName": "Yeastar", "preferredFloorName": "2F", "phone": "1325698753",
            "idCode": "XZXXtest6701"
        })
    );
}

#[tokio::test]
async fn an_update_that_omits_fields_resets_them() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let bare = json!({
        "memberId": 54164, "email": "leo@yeastar.com", "firstName": "Leo", "groupIds": [1000127],
        "roleName": "Administrator", "preferredBuildingName": "Yeastar"
    });
    let (status, body) = env
        .call(Method::PUT, &format!("{WP}/user/user_update"), &token, Some(bare))
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, user) = env.get(&format!("{WP}/user/user_detail/54164"), &token).await;
    let user = &user["data"];
    for lost in ["lastName", "preferredFloorName", "phone", "idCode"] {
        assert_eq!(user[lost], Value::Null, "{lost} was reset");
    }
    assert_eq!(user["firstName"], "Leo");
}

#[tokio::test]
async fn create_user_validates_and_returns_ids() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let path = format!("{WP}/user/user_create");
    let good = json!({
        "email": "new@yeastar.com", "firstName": "New", "groupIds": [1000127, 1000128],
        "roleName": "Receptionist", "preferredBuildingName": "Annex", "preferredFloorName": "G"
    });
    let cases: &[(&str, Value, u16, &str)] = &[
        ("email", Value::Null, 400, "PARAMETER_VALIDATION_FAILED"),
        ("email", json!("leo@yeastar.com"), 400, "EMAIL_ALREADY_EXISTS"),
        ("firstName", Value::Null, 400, "PARAMETER_VALIDATION_FAILED"),
        ("groupIds", json!([]), 400, "PARAMETER_VALIDATION_FAILED"),
        ("groupIds", json!([42]), 404, "GROUP_NOT_FOUND"),
        ("roleName", json!("Boss"), 400, "ROLE_NOT_FOUND"),
        ("preferredBuildingName", json!("Tower"), 400, "BUILDING_NOT_FOUND"),
        ("preferredFloorName", json!("2F"), 400, "FLOOR_NOT_FOUND"),
        ("sendInviteEmail", json!("yes"), 400, "PARAMETER_VALIDATION_FAILED"),
    ];
    for (field, value, status, code) in cases {
        let mut body = good.clone();
        if value.is_null() {
            body.as_object_mut().unwrap().remove(*field);
        } else {
            body[*field] = value.clone();
        }
        let (s, resp) = env.call(Method::POST, &path, &token, Some(body)).await;
        assert_eq!(wp_error(s, &resp, *status), *code, "{field}");
    }
    let (status, body) = env.call(Method::POST, &path, &token, Some(good)).await;
    assert_eq!(status, 200, "{body}");
    let member_id = body["data"]["memberId"].as_u64().unwrap();
    assert!(body["data"]["userId"].as_u64().is_some());
    let (_, user) = env.get(&format!("{WP}/user/user_detail/{member_id}"), &token).await;
    assert_eq!(user["data"]["inviteStatus"], "outer");
    assert_eq!(user["data"]["groupIds"], json!([1000127, 1000128]));
    assert_eq!(env.sandbox.journal_count(&Method::POST, &path), cases.len() + 1);
}

#[tokio::test]
async fn user_list_pages_and_queries() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let (status, body) = env
        .get(&format!("{WP}/user/user_list?pageNo=1&pageSize=1"), &token)
        .await;
    assert_eq!(status, 200);
    let data = &body["data"];
    assert_eq!(
        (
            data["pageNo"].as_u64(),
            data["pageSize"].as_u64(),
            data["total"].as_u64()
        ),
        (Some(1), Some(1), Some(2))
    );
    assert_eq!(data["list"].as_array().unwrap().len(), 1);
    for (query, expect) in [
        ("leo@", 54164),
        ("amy chen", 54165),
        ("1325698754", 54165),
        ("sales", 54165),
    ] {
        let (_, body) = env.get(&format!("{WP}/user/user_list?query={query}"), &token).await;
        assert_eq!(body["data"]["total"], 1, "{query}");
        assert_eq!(body["data"]["list"][0]["memberId"], expect, "{query}");
    }
    let (_, body) = env
        .get(&format!("{WP}/user/user_list?query=Yeastar%20Demo"), &token)
        .await;
    assert_eq!(body["data"]["total"], 2, "group name of All Users");
}

#[tokio::test]
async fn remove_user() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let (status, body) = env
        .call(Method::DELETE, &format!("{WP}/user/user_remove/54165"), &token, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["memberId"], 54165);
    let (status, body) = env.get(&format!("{WP}/user/user_detail/54165"), &token).await;
    assert_eq!(wp_error(status, &body, 404), "USER_NOT_FOUND");
    // The Sales group is now empty and can go.
    let (status, _) = env
        .call(Method::DELETE, &format!("{WP}/user/group_delete/1000128"), &token, None)
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn groups_lifecycle() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let (status, body) = env.get(&format!("{WP}/user/group_list"), &token).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["total"], 2);
    assert_eq!(
        body["data"]["list"][0],
        json!({"groupId": 1000127, "groupName": "Yeastar Demo Co."})
    );
    let (_, body) = env.get(&format!("{WP}/user/group_list?groupName=sal"), &token).await;
    assert_eq!(
        body["data"]["list"],
        json!([{"groupId": 1000128, "groupName": "Sales"}])
    );

    let (status, body) = env
        .call(
            Method::POST,
            &format!("{WP}/user/group_create"),
            &token,
            Some(json!({"groupName": "Ops", "memberIds": [54164]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body["data"]["groupId"].as_u64().unwrap();
    let (_, leo) = env.get(&format!("{WP}/user/user_detail/54164"), &token).await;
    assert!(leo["data"]["groupIds"].as_array().unwrap().contains(&json!(id)));
    let (status, body) = env
        .call(
            Method::POST,
            &format!("{WP}/user/group_create"),
            &token,
            Some(json!({"groupName": "Sales"})),
        )
        .await;
    assert_eq!(wp_error(status, &body, 400), "GROUP_NAME_ALREADY_EXISTS");

    let (status, body) = env
        .call(
            Method::PUT,
            &format!("{WP}/user/group_update"),
            &token,
            Some(json!({"groupId": id, "groupName": "Operations"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["groupId"], id);
    let (_, body) = env.get(&format!("{WP}/user/group_detail/{id}"), &token).await;
    assert_eq!(body["data"], json!({"groupId": id, "groupName": "Operations"}));

    let (status, body) = env
        .call(Method::DELETE, &format!("{WP}/user/group_delete/{id}"), &token, None)
        .await;
    assert_eq!(wp_error(status, &body, 400), "GROUP_NOT_EMPTY");
    let (status, body) = env
        .call(Method::DELETE, &format!("{WP}/user/group_delete/1000127"), &token, None)
        .await;
    assert_eq!(wp_error(status, &body, 400), "GROUP_NOT_EMPTY");
    let (status, body) = env
        .call(
            Method::POST,
            &format!("{WP}/user/group_create"),
            &token,
            Some(json!({"groupName": "Empty"})),
        )
        .await;
    assert_eq!(status, 200);
    let empty = body["data"]["groupId"].as_u64().unwrap();
    let (status, body) = env
        .call(Method::DELETE, &format!("{WP}/user/group_delete/{empty}"), &token, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["groupId"], empty);
    let (status, body) = env.get(&format!("{WP}/user/group_detail/{empty}"), &token).await;
    assert_eq!(wp_error(status, &body, 404), "GROUP_NOT_FOUND");
}

#[tokio::test]
async fn writes_require_an_application_json_content_type() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let create = format!("{WP}/user/user_create");
    let body = json!({"email": "ct@yeastar.com", "firstName": "Ct", "groupIds": [1000127],
        "roleName": "User", "preferredBuildingName": "Yeastar"})
    .to_string();
    for ct in [None, Some("text/plain")] {
        let (status, resp) = env.raw(Method::POST, &create, &token, ct, &body).await;
        assert_eq!(wp_error(status, &resp, 415), "UNSUPPORTED_MEDIA_TYPE", "{ct:?}");
        assert!(
            resp["detailMsg"].as_str().unwrap().contains("application/json"),
            "{resp}"
        );
    }
    let (status, resp) = env
        .raw(
            Method::PUT,
            &format!("{WP}/user/group_update"),
            &token,
            Some("text/plain"),
            r#"{"groupId":1000128,"groupName":"Renamed"}"#,
        )
        .await;
    assert_eq!(wp_error(status, &resp, 415), "UNSUPPORTED_MEDIA_TYPE");
    assert_eq!(
        env.get(&format!("{WP}/user/group_detail/1000128"), &token).await.1["data"]["groupName"],
        "Sales"
    );
    assert_eq!(
        env.get(&format!("{WP}/user/user_list"), &token).await.1["data"]["total"],
        2
    );
    let (status, resp) = env
        .raw(Method::POST, &create, &token, Some("application/json"), &body)
        .await;
    assert_eq!(status, 200, "{resp}");
}

#[tokio::test]
async fn wrong_method_is_access_denied_like_the_doc() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let (status, body) = env
        .call(Method::PUT, &format!("{WP}/user/user_list"), &token, None)
        .await;
    assert_eq!(wp_error(status, &body, 405), "ACCESS_DENIED");
    assert_eq!(body["detailMsg"], "Request method 'PUT' not supported");
    let (status, body) = env.get(&format!("{WP}/user/nothing"), &token).await;
    assert_eq!(wp_error(status, &body, 404), "NOT_FOUND");
}
