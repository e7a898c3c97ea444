//! YCM endpoints, envelope, validation and paging.

mod common;

use common::{Env, ycm_error};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn doc_example_update_user_via_the_singular_path() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let (status, body) = env
        .call(
            Method::PUT,
            "/dm/open_api/v1/user/13329",
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
        assert_eq!(ycm_error(status, &body, 400), 40002, "{bad}");
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
    assert_eq!(ycm_error(status, &body, 400), 40002);
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
    assert_eq!(ycm_error(status, &body, 400), 40003);
    let (status, body) = env
        .call(Method::PUT, "/dm/open_api/v1/users/99999", &token, Some(json!({})))
        .await;
    assert_eq!(ycm_error(status, &body, 404), 60001);
    let (status, body) = env.get("/dm/open_api/v1/users/99999", &token).await;
    assert_eq!(ycm_error(status, &body, 404), 60001);
    let (status, body) = env.call(Method::PATCH, path, &token, None).await;
    assert_eq!(ycm_error(status, &body, 405), 10005);
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
    assert_eq!(ycm_error(status, &body, 400), 40002);
    let (status, _) = env.get("/dm/open_api/v2/users?pageSize=50", &token).await;
    assert_eq!(status, 200);
    let (status, body) = env.get("/dm/open_api/v2/users?sort=email", &token).await;
    assert_eq!(ycm_error(status, &body, 400), 40002);
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
    assert_eq!(ycm_error(status, &body, 400), 40003);
    for (field, value) in [
        ("userType", json!("Customer")),
        ("company", Value::Null),
        ("firstName", Value::Null),
        ("email", json!("nope")),
        ("totalExtensions", Value::Null),
        ("minimumExtPerPBX", Value::Null),
        ("totalRecordings", json!(-1)),
        ("highAvailability", json!("maybe")),
    ] {
        let mut body = reseller();
        body["email"] = json!("other@fresh.example");
        if value.is_null() {
            body.as_object_mut().unwrap().remove(field);
        } else {
            body[field] = value;
        }
        let (status, resp) = env
            .call(Method::POST, "/dm/open_api/v1/users", &token, Some(body))
            .await;
        assert_eq!(ycm_error(status, &resp, 400), 40002, "{field}");
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
    assert_eq!(ycm_error(status, &body, 400), 40002, "13330 is a colleague");
    let (status, body) = env
        .call(Method::DELETE, path, &token, Some(json!({"userIds": [13331]})))
        .await;
    assert_eq!(ycm_error(status, &body, 400), 40002);
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

#[tokio::test]
async fn subscription_totals_cannot_be_reduced() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let path = "/dm/open_api/v1/users/13329/subscription_info";
    let (status, body) = env
        .call(Method::PUT, path, &token, Some(json!({"totalExtensions": 200})))
        .await;
    assert_eq!(ycm_error(status, &body, 400), 40002, "minimumExtPerPbx is required");
    let (status, body) = env
        .call(
            Method::PUT,
            path,
            &token,
            Some(json!({"minimumExtPerPbx": 5, "totalExtensions": 99})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 40002);
    let (status, body) = env
        .call(
            Method::PUT,
            path,
            &token,
            Some(json!({"minimumExtPerPbx": 5, "totalExtensions": 200})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = env
        .call(
            Method::PUT,
            path,
            &token,
            Some(json!({"minimumExtPerPbx": 5, "totalExtensions": 150})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 40002, "200 is the new floor");
    let (status, body) = env
        .call(
            Method::PUT,
            "/dm/open_api/v1/users/13330/subscription_info",
            &token,
            Some(json!({"minimumExtPerPbx": 1})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 40002, "not a reseller");
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
        .get("/dm/open_api/v1/users/subordinates?query=cloudvoice", &token)
        .await;
    assert_eq!(body["data"]["total"], 1);
    assert_eq!(body["data"]["list"][0]["userId"], 13332);
}
