//! YCM endpoints, envelope, validation and paging.

mod common;

use common::{Env, ycm_error};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn doc_example_update_user() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let (status, body) = env
        .call(
            Method::PUT,
            "/dm/open_api/v1/users/13329",
            &token,
            Some(json!({"company": "New Company Name"})),
        )
        .await;
    assert_eq!(status, 200);
    // {requestId, status, time} and no data.
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 3, "{body}");
    assert_eq!(body["status"], "Success");
    assert!(body["requestId"].is_string());
    let time = body["time"].as_i64().unwrap();
    assert!(
        (1_600_000_000..10_000_000_000).contains(&time),
        "seconds, not millis: {time}"
    );
    let (status, body) = env.get("/dm/open_api/v1/users/13329", &token).await;
    assert_eq!(status, 200);
    let user = &body["data"];
    assert_eq!(user["company"], "New Company Name");
    assert_eq!(user["userType"], "Reseller");
    assert_eq!(user["createdCloudPbx"], 2);
    assert_eq!(user["pbxCreationLimit"], "");
    // Omitted fields keep their value.
    assert_eq!(user["firstName"], "Rita");
}

#[tokio::test]
async fn only_documented_paths_are_served_not_the_doc_example_typos() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    // The update page's example sends the singular `user`; the documented path is `users`.
    let (status, body) = env
        .call(
            Method::PUT,
            "/dm/open_api/v1/user/13329",
            &token,
            Some(json!({"company": "Typo Inc."})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 404), 1_000_005);
    assert!(
        body["errmsg"].as_str().unwrap().contains("/dm/open_api/v1/user/13329"),
        "{body}"
    );
    assert_eq!(
        env.get("/dm/open_api/v1/users/13329", &token).await.1["data"]["company"],
        "Old Company Name"
    );
    // The subordinates example uses `/v1/users/subordinates`; documented: `/v1/user_info/subordinates`.
    let (status, body) = env.get("/dm/open_api/v1/users/subordinates", &token).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    assert!(body["errmsg"].as_str().unwrap().contains("userId"), "{body}");
}

#[tokio::test]
async fn json_writes_require_an_application_json_content_type() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let user = "/dm/open_api/v1/users/13329";
    for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let (status, body) = env.raw(Method::PUT, user, &token, ct, r#"{"company":"Sneaky"}"#).await;
        assert_eq!(ycm_error(status, &body, 415), 1_000_004);
        assert!(
            body["errmsg"].as_str().unwrap().contains("application/json"),
            "{ct:?}: {body}"
        );
    }
    let (status, body) = env
        .raw(
            Method::DELETE,
            "/dm/open_api/v1/users",
            &token,
            Some("text/plain"),
            r#"{"userType":"My Colleague","userIds":[13330]}"#,
        )
        .await;
    assert_eq!(ycm_error(status, &body, 415), 1_000_004);
    assert_eq!(
        env.get("/dm/open_api/v1/users/13330", &token).await.0,
        200,
        "not deleted"
    );
    assert_eq!(env.get(user, &token).await.1["data"]["company"], "Old Company Name");
    let (status, _) = env
        .raw(
            Method::PUT,
            user,
            &token,
            Some("application/json;charset=UTF-8"),
            r#"{"company":"Fine"}"#,
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn pbx_creation_limit_rules() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let put = |limit: Value| {
        let env = &env;
        let token = token.clone();
        async move {
            env.call(
                Method::PUT,
                "/dm/open_api/v1/users/13329",
                &token,
                Some(json!({"pbxCreationLimit": limit})),
            )
            .await
        }
    };
    for bad in [json!(0), json!(1), json!("abc"), json!(true)] {
        let (status, body) = put(bad.clone()).await;
        assert_eq!(ycm_error(status, &body, 400), 1_000_004, "{bad}");
    }
    assert_eq!(put(json!(2)).await.0, 200);
    assert_eq!(
        env.get("/dm/open_api/v1/users/13329", &token).await.1["data"]["pbxCreationLimit"],
        2
    );
    assert_eq!(put(json!("")).await.0, 200);
    assert_eq!(
        env.get("/dm/open_api/v1/users/13329", &token).await.1["data"]["pbxCreationLimit"],
        ""
    );
}

#[tokio::test]
async fn update_validation_and_unknown_users() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let path = "/dm/open_api/v1/users/13329";
    let (status, body) = env
        .call(
            Method::PUT,
            path,
            &token,
            Some(json!({"twoFactorAuthenticationEnable": "enable"})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let (status, _) = env
        .call(
            Method::PUT,
            path,
            &token,
            Some(json!({"twoFactorAuthenticationEnable": "disable"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        env.get(path, &token).await.1["data"]["twoFactorAuthenticationEnable"],
        "disable"
    );
    let (status, body) = env
        .call(
            Method::PUT,
            path,
            &token,
            Some(json!({"email": "colin@yeastar-demo.com"})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_019);
    let (status, body) = env
        .call(Method::PUT, "/dm/open_api/v1/users/99999", &token, Some(json!({})))
        .await;
    assert_eq!(ycm_error(status, &body, 404), 1_000_015);
    let (status, body) = env.get("/dm/open_api/v1/users/99999", &token).await;
    assert_eq!(ycm_error(status, &body, 404), 1_000_015);
    let (status, body) = env.call(Method::PATCH, path, &token, None).await;
    assert_eq!(ycm_error(status, &body, 405), 1_000_042);
}

#[tokio::test]
async fn list_users_pages_and_sorts() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let (status, body) = env.get("/dm/open_api/v2/users", &token).await;
    assert_eq!(status, 200);
    let data = &body["data"];
    assert_eq!(
        (
            data["pageSize"].as_u64(),
            data["pageNumber"].as_u64(),
            data["total"].as_u64()
        ),
        (Some(10), Some(1), Some(5))
    );
    let (_, body) = env
        .get("/dm/open_api/v2/users?pageSize=2&pageNumber=3&sort=-userId", &token)
        .await;
    let ids: Vec<u64> = body["data"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userId"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [13329]);
    assert_eq!(body["data"]["total"], 5);
    let (status, body) = env.get("/dm/open_api/v2/users?pageSize=51", &token).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let (status, _) = env.get("/dm/open_api/v2/users?pageSize=50", &token).await;
    assert_eq!(status, 200);
    let (status, body) = env.get("/dm/open_api/v2/users?sort=email", &token).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let types: Vec<String> = env.get("/dm/open_api/v2/users", &token).await.1["data"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userType"].as_str().unwrap().to_owned())
        .collect();
    assert!(types.contains(&"My Colleague".to_owned()) && types.contains(&"Reseller".to_owned()));
}

fn reseller() -> Value {
    json!({
        "userType": "Reseller",
        "company": "Fresh Reseller",
        "firstName": "Fred",
        "email": "fred@fresh.example",
        "totalExtensions": 50,
        "totalConcurrentCalls": 10,
        "totalRecordings": 5,
        "minimumExtPerPBX": 5,
        "highAvailability": "unsubscribed"
    })
}

#[tokio::test]
async fn create_user_returns_the_new_id_and_validates() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let (status, body) = env
        .call(Method::POST, "/dm/open_api/v1/users", &token, Some(reseller()))
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body["data"]["userId"].as_u64().unwrap();
    let (_, user) = env.get(&format!("/dm/open_api/v1/users/{id}"), &token).await;
    assert_eq!(user["data"]["email"], "fred@fresh.example");
    assert_eq!(user["data"]["createdCloudPbx"], 0);
    let (status, body) = env
        .call(Method::POST, "/dm/open_api/v1/users", &token, Some(reseller()))
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_019);
    for (field, value) in [
        ("userType", json!("Customer")),
        ("company", Value::Null),
        ("firstName", Value::Null),
        ("email", json!("nope")),
        ("totalExtensions", Value::Null),
        ("minimumExtPerPBX", Value::Null),
        // The subscription update's spelling is not the create's.
        ("minimumExtPerPBX", json!("use minimumExtPerPbx")),
        ("totalRecordings", json!(-1)),
        ("highAvailability", json!("maybe")),
    ] {
        let mut body = reseller();
        body["email"] = json!("other@fresh.example");
        if value == "use minimumExtPerPbx" {
            let n = body.as_object_mut().unwrap().remove(field).unwrap();
            body["minimumExtPerPbx"] = n;
        } else if value.is_null() {
            body.as_object_mut().unwrap().remove(field);
        } else {
            body[field] = value;
        }
        let (status, resp) = env
            .call(Method::POST, "/dm/open_api/v1/users", &token, Some(body))
            .await;
        assert_eq!(ycm_error(status, &resp, 400), 1_000_004, "{field}");
    }
}

#[tokio::test]
async fn delete_users_with_a_json_body() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let path = "/dm/open_api/v1/users";
    let (status, body) = env
        .call(
            Method::DELETE,
            path,
            &token,
            Some(json!({"userType": "Reseller", "userIds": [13330]})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004, "13330 is a colleague");
    let (status, body) = env
        .call(Method::DELETE, path, &token, Some(json!({"userIds": [13331]})))
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let (status, body) = env
        .call(
            Method::DELETE,
            path,
            &token,
            Some(json!({"userType": "My Colleague", "userIds": [13330, 13333]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("data").is_none());
    assert_eq!(env.get("/dm/open_api/v1/users/13330", &token).await.0, 404);
    assert_eq!(env.get("/dm/open_api/v2/users", &token).await.1["data"]["total"], 3);
}

fn package(ext: i64, calls: i64, recordings: i64, min: i64) -> Value {
    json!({"totalExtensions": ext, "totalConcurrentCalls": calls, "totalRecordings": recordings, "minimumExtPerPbx": min})
}

#[tokio::test]
async fn subscription_update_requires_the_four_totals() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let path = "/dm/open_api/v1/users/13329/subscription_info";
    for missing in [
        "totalExtensions",
        "totalConcurrentCalls",
        "totalRecordings",
        "minimumExtPerPbx",
    ] {
        let mut body = package(120, 60, 20, 6);
        body.as_object_mut().unwrap().remove(missing);
        let (status, resp) = env.call(Method::PUT, path, &token, Some(body)).await;
        assert_eq!(ycm_error(status, &resp, 400), 1_000_004);
        assert!(resp["errmsg"].as_str().unwrap().contains(missing), "{missing}: {resp}");
    }
    // The create's spelling `minimumExtPerPBX` is not the update's.
    let mut body = package(120, 60, 20, 6);
    body.as_object_mut().unwrap().remove("minimumExtPerPbx");
    body["minimumExtPerPBX"] = json!(6);
    let (status, resp) = env.call(Method::PUT, path, &token, Some(body)).await;
    assert_eq!(ycm_error(status, &resp, 400), 1_000_004);
    assert!(resp["errmsg"].as_str().unwrap().contains("minimumExtPerPbx"), "{resp}");
    let (status, resp) = env
        .call(Method::PUT, path, &token, Some(json!({"minimumExtPerPbx": 6})))
        .await;
    assert_eq!(ycm_error(status, &resp, 400), 1_000_004);
    let (status, resp) = env
        .call(
            Method::PUT,
            "/dm/open_api/v1/users/13330/subscription_info",
            &token,
            Some(package(1, 1, 1, 1)),
        )
        .await;
    assert_eq!(ycm_error(status, &resp, 400), 1_000_004);
    assert!(
        resp["errmsg"].as_str().unwrap().contains("reseller"),
        "not a reseller: {resp}"
    );
}

#[tokio::test]
async fn only_recording_minutes_cannot_be_reduced() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let path = "/dm/open_api/v1/users/13329/subscription_info";
    // Seeded: 100 extensions, 50 concurrent calls, 20 recording minutes, 5 per PBX.
    let (status, body) = env.call(Method::PUT, path, &token, Some(package(80, 40, 20, 2))).await;
    assert_eq!(status, 200, "extensions and calls may go down: {body}");
    let (status, body) = env.call(Method::PUT, path, &token, Some(package(80, 40, 19, 2))).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    assert!(body["errmsg"].as_str().unwrap().contains("totalRecordings"), "{body}");
    let (status, body) = env.call(Method::PUT, path, &token, Some(package(80, 40, 30, 2))).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = env.call(Method::PUT, path, &token, Some(package(80, 40, 25, 2))).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    assert!(
        body["errmsg"].as_str().unwrap().contains("30"),
        "30 is the new floor: {body}"
    );
}

#[tokio::test]
async fn a_user_with_cloud_pbxs_cannot_be_deleted() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let path = "/dm/open_api/v1/users";
    // 13331 owns no Cloud PBX, 13329 owns 2: all or nothing, so neither goes.
    let (status, body) = env
        .call(
            Method::DELETE,
            path,
            &token,
            Some(json!({"userType": "Reseller", "userIds": [13331, 13329]})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 3_000_014, "USER_ASSOCIATED_CLOUD_PBX");
    assert!(body["errmsg"].as_str().unwrap().contains("13329"), "{body}");
    assert_eq!(env.get("/dm/open_api/v1/users/13331", &token).await.0, 200);
    assert_eq!(env.get("/dm/open_api/v1/users/13329", &token).await.0, 200);
    // An unknown id: USER_NOT_FOUND, nothing deleted.
    let (status, body) = env
        .call(
            Method::DELETE,
            path,
            &token,
            Some(json!({"userType": "Reseller", "userIds": [13331, 99999]})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 404), 1_000_015);
    assert_eq!(env.get("/dm/open_api/v1/users/13331", &token).await.0, 200);
    let (status, _) = env
        .call(
            Method::DELETE,
            path,
            &token,
            Some(json!({"userType": "Reseller", "userIds": [13331]})),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn subordinates_are_paged_and_filtered() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let (status, body) = env
        .get("/dm/open_api/v1/user_info/subordinates?pageSize=2", &token)
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["total"], 3);
    assert_eq!(body["data"]["list"].as_array().unwrap().len(), 2);
    assert_eq!(
        body["data"]["list"][0],
        json!({"userId": 13329, "userName": "Rita Reseller", "userEmail": "rita.reseller@example.com"})
    );
    let (_, body) = env
        .get("/dm/open_api/v1/user_info/subordinates?query=cloudvoice", &token)
        .await;
    assert_eq!(body["data"]["total"], 1);
    assert_eq!(body["data"]["list"][0]["userId"], 13332);
}
