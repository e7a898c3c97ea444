//! Partner Portal endpoints, envelopes, validation and paging.

mod common;

use common::{Env, pp_error};
use reqwest::Method;
use serde_json::{Value, json};

const SAVE: &str = "/user/openapi/user/v1/client/save_user";
const EDIT: &str = "/user/openapi/user/v1/client/edit_user";

#[tokio::test]
async fn doc_example_query_subordinate_user() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    let (status, body) = env
        .get("/user/openapi/user/v1/subordinate_user/color123@yeastar.com", &token)
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], "success");
    assert_eq!(body["detailMessage"], "");
    assert_eq!(body["status"], 200);
    assert_eq!(body["requestId"].as_str().unwrap().len(), 32);
    assert_eq!(
        body["result"],
        json!({
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
        })
    );
    // A percent-encoded Yeastar ID reaches the same user.
    let (_, by_escape) = env
        .get("/user/openapi/user/v1/subordinate_user/color123%40yeastar.com", &token)
        .await;
    assert_eq!(by_escape["result"], body["result"]);
    let (status, body) = env
        .get("/user/openapi/user/v1/subordinate_user/ghost@yeastar.com", &token)
        .await;
    assert_eq!(pp_error(status, &body, 404), "user_not_found");
}

#[tokio::test]
async fn the_path_takes_the_yeastar_id_not_the_numeric_partner_id() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    // The documented parameter is the Yeastar ID (the example: an email); numeric ids are undocumented.
    for id in ["3076915454489739264", "not-an-email"] {
        let (status, body) = env
            .get(&format!("/user/openapi/user/v1/subordinate_user/{id}"), &token)
            .await;
        assert_eq!(pp_error(status, &body, 400), "parameter_validation_failed", "{id}");
        assert_eq!(body["result"], json!({"field": "partnerId", "tag": "email"}), "{id}");
    }
    // The same for edit_user's yeastarId: an email, never the numeric id.
    let (status, body) = env
        .call(
            Method::POST,
            EDIT,
            &token,
            Some(json!({"yeastarId": "3076915454489739265", "userType": "Customer", "taxNum": "x"})),
        )
        .await;
    assert_eq!(pp_error(status, &body, 400), "parameter_validation_failed");
    assert_eq!(body["result"], json!({"field": "yeastarId", "tag": "email"}));
    let (_, user) = env
        .get("/user/openapi/user/v1/subordinate_user/yaya@yeastar.com", &token)
        .await;
    assert_eq!(user["result"]["taxNum"], "", "not edited");
}

#[tokio::test]
async fn writes_require_an_application_json_content_type() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    let edit = r#"{"yeastarId":"yaya@yeastar.com","userType":"Customer","taxNum":"1234"}"#;
    for ct in [None, Some("text/plain")] {
        let (status, body) = env.raw(Method::POST, EDIT, &token, ct, edit).await;
        assert_eq!(pp_error(status, &body, 415), "unsupported_media_type", "{ct:?}");
        assert!(
            body["detailMessage"].as_str().unwrap().contains("application/json"),
            "{body}"
        );
        let (status, body) = env
            .raw(Method::POST, SAVE, &token, ct, &new_customer().to_string())
            .await;
        assert_eq!(pp_error(status, &body, 415), "unsupported_media_type", "{ct:?}");
    }
    let (_, list) = env.get("/user/openapi/user/v1/client/partner_list", &token).await;
    assert_eq!(list["result"].as_array().unwrap().len(), 2, "nothing created");
    // The documented header, as the doc example sends it.
    let (status, body) = env
        .raw(Method::POST, EDIT, &token, Some("application/json"), edit)
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn doc_example_edit_subordinate_user() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    let (status, body) = env
        .call(
            Method::POST,
            EDIT,
            &token,
            Some(json!({"yeastarId": "yaya@yeastar.com", "userType": "Customer", "taxNum": "1234"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], "success");
    assert_eq!(body["detailMessage"], "");
    assert_eq!(body["result"], true);
    assert_eq!(body["status"], 200);
    let (_, user) = env
        .get("/user/openapi/user/v1/subordinate_user/yaya@yeastar.com", &token)
        .await;
    assert_eq!(user["result"]["taxNum"], "1234");
    // Omitted fields keep their value.
    assert_eq!(user["result"]["company"], "Yaya Trading");
    assert_eq!(user["result"]["city"], "Shenzhen");
}

#[tokio::test]
async fn edit_requires_customer_and_an_existing_user() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    let (status, body) = env
        .call(
            Method::POST,
            EDIT,
            &token,
            Some(json!({"yeastarId": "yaya@yeastar.com", "userType": "Enduser"})),
        )
        .await;
    assert_eq!(pp_error(status, &body, 400), "parameter_validation_failed");
    assert_eq!(body["result"], json!({"field": "userType", "tag": "oneof"}));
    let (status, body) = env
        .call(
            Method::POST,
            EDIT,
            &token,
            Some(json!({"yeastarId": "ghost@yeastar.com", "userType": "Customer"})),
        )
        .await;
    assert_eq!(pp_error(status, &body, 404), "user_not_found");
    let (status, body) = env.call(Method::GET, EDIT, &token, None).await;
    assert_eq!(pp_error(status, &body, 405), "access_denied");
}

fn new_customer() -> Value {
    json!({
        "yeastarId": "new.customer@example.com",
        "userType": "Customer",
        "company": "New Customer Ltd.",
        "country": "Germany",
        "lastName": "Neu",
        "city": "Berlin",
        "taxType": "VAT_number",
        "taxNum": "DE123",
        "sendUserActivationEmail": false
    })
}

#[tokio::test]
async fn save_user_creates_an_enduser_once() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    let (status, body) = env.call(Method::POST, SAVE, &token, Some(new_customer())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"], true);
    let (_, user) = env
        .get(
            "/user/openapi/user/v1/subordinate_user/new.customer@example.com",
            &token,
        )
        .await;
    let user = &user["result"];
    assert_eq!(user["userType"], "Enduser", "written Customer, read Enduser");
    assert_eq!(user["company"], "New Customer Ltd.");
    assert_eq!(user["firstName"], "");
    assert!(user["partnerId"].as_str().unwrap().parse::<u64>().is_ok());
    let (status, body) = env.call(Method::POST, SAVE, &token, Some(new_customer())).await;
    assert_eq!(pp_error(status, &body, 400), "user_already_exists");
    let (_, list) = env.get("/user/openapi/user/v1/client/partner_list", &token).await;
    assert_eq!(list["result"].as_array().unwrap().len(), 3);
    assert_eq!(env.sandbox.journal_count(&Method::POST, SAVE), 2);
}

#[tokio::test]
async fn save_user_validation() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    let cases: &[(&str, Value, &str)] = &[
        ("userType", json!("Enduser"), "oneof"),
        ("userType", Value::Null, "required"),
        ("yeastarId", json!("not-an-email"), "email"),
        ("company", json!(""), "required"),
        ("country", json!("Atlantis"), "country"),
        ("taxType", json!("SSN"), "oneof"),
        ("sendUserActivationEmail", json!("yes"), "boolean"),
    ];
    for (field, value, tag) in cases {
        let mut body = new_customer();
        if value.is_null() {
            body.as_object_mut().unwrap().remove(*field);
        } else {
            body[*field] = value.clone();
        }
        let (status, resp) = env.call(Method::POST, SAVE, &token, Some(body)).await;
        assert_eq!(pp_error(status, &resp, 400), "parameter_validation_failed", "{field}");
        assert_eq!(resp["result"], json!({"field": field, "tag": tag}), "{field}");
    }
    let mut body = new_customer();
    body.as_object_mut().unwrap().remove("lastName");
    let (status, resp) = env.call(Method::POST, SAVE, &token, Some(body)).await;
    pp_error(status, &resp, 400);
    assert_eq!(resp["result"]["tag"], "required_without");
    let resp = env
        .http
        .post(env.url(SAVE))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, resp) = common::read(resp).await;
    assert_eq!(pp_error(status, &resp, 400), "parameter_validation_failed");
}

#[tokio::test]
async fn lists_of_users_and_billing_contacts() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    let (status, body) = env.get("/user/openapi/user/v1/client/partner_list", &token).await;
    assert_eq!(status, 200);
    let emails: Vec<&str> = body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["color123@yeastar.com", "yaya@yeastar.com"]);
    let (status, body) = env
        .get("/user/openapi/user/v1/client/billing_contact_list", &token)
        .await;
    assert_eq!(status, 200);
    let contact = &body["result"][0];
    assert!(
        contact["billingContactId"].is_string() && contact["emailAddress"].is_string(),
        "{contact}"
    );
}

#[tokio::test]
async fn country_list_pages_sorts_and_filters() {
    let env = Env::start().await;
    let token = env.pp_token().await;
    let (status, body) = env.get("/user/openapi/area/v1/page", &token).await;
    assert_eq!(status, 200);
    let r = &body["result"];
    let total = r["total"].as_u64().unwrap();
    assert!(total >= 30);
    assert_eq!(r["count"], total);
    assert_eq!(r["pageNo"], 1);
    assert_eq!(r["pageSize"], 25);
    assert_eq!(r["results"].as_array().unwrap().len(), 25);
    assert_eq!(r["totalPage"], total.div_ceil(25));

    let (_, body) = env
        .get("/user/openapi/area/v1/page?pageNo=2&pageSize=3&sort=name", &token)
        .await;
    let names: Vec<&str> = body["result"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Belgium", "Brazil", "Canada"]);
    assert_eq!(body["result"]["totalPage"], total.div_ceil(3));

    let (_, body) = env
        .get("/user/openapi/area/v1/page?sort=-name&pageSize=1", &token)
        .await;
    assert_eq!(body["result"]["results"][0]["name"], "Vietnam");

    let (_, body) = env.get("/user/openapi/area/v1/page?name=united", &token).await;
    let names: Vec<&str> = body["result"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["United Arab Emirates", "United Kingdom", "United States"]);
    assert_eq!(body["result"]["total"], 3);
    let chad = env.get("/user/openapi/area/v1/page?name=Chad", &token).await.1;
    assert_eq!(
        chad["result"]["results"][0],
        json!({"code": "TD", "id": chad["result"]["results"][0]["id"], "name": "Chad"})
    );

    let (status, body) = env.get("/user/openapi/area/v1/page?pageNo=0", &token).await;
    assert_eq!(pp_error(status, &body, 400), "parameter_validation_failed");
    let (status, body) = env.get("/user/openapi/area/v1/page?sort=code", &token).await;
    assert_eq!(pp_error(status, &body, 400), "parameter_validation_failed");
}
