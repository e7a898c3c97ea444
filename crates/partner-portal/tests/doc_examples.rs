//! The two examples of the Partner Portal doc pages, reproduced exactly.

mod common;

use common::{TOKEN, client, token_mock};
use httpmock::prelude::*;
use yeastar_partner_portal::users::{EditUser, UserType};

/// "Edit a Subordinate User": the request example, byte for byte, and its response example.
#[tokio::test]
async fn edit_user_request_example() {
    let server = MockServer::start_async().await;
    let tokens = token_mock(&server, TOKEN, "rt-1").await;
    let edit = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/user/openapi/user/v1/client/edit_user")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_prefix("user-agent", "yeastar-rust/")
                .json_body(
                    serde_json::json!({"yeastarId": "yaya@yeastar.com", "userType": "Customer", "taxNum": "1234"}),
                )
                // The exact bytes: nothing else is sent (no nulls for unset fields).
                .body(r#"{"yeastarId":"yaya@yeastar.com","userType":"Customer","taxNum":"1234"}"#);
            then.status(200).header("content-type", "application/json").body(
                r#"{
                    "code": "success",
                    "detailMessage": "",
                    "requestId": "99b4f26bbcc625b98e4d4cc8658b3aeb",
                    "result": true,
                    "status": 200
                }"#,
            );
        })
        .await;

    let client = client(&server);
    let done = client
        .users()
        .edit(EditUser::new("yaya@yeastar.com").tax_num("1234"))
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("99b4f26bbcc625b98e4d4cc8658b3aeb"));
    assert_eq!((done.id, done.time, done.already_absent), (None, None, false));
    edit.assert_calls_async(1).await;
    tokens.assert_calls_async(1).await;
}

/// "Query Information of a Subordinate User": the GET path keeps the email as in the docs, and
/// the response example decodes field by field.
#[tokio::test]
async fn query_user_response_example() {
    let server = MockServer::start_async().await;
    token_mock(&server, TOKEN, "rt-1").await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user/openapi/user/v1/subordinate_user/color123@yeastar.com")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_prefix("user-agent", "yeastar-rust/");
            then.status(200).header("content-type", "application/json").body(
                r#"{
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
}"#,
            );
        })
        .await;

    let user = client(&server).users().get("color123@yeastar.com").await.unwrap();
    get.assert_calls_async(1).await;
    assert_eq!(user.city.as_deref(), Some("Xiamen"));
    assert_eq!(user.company.as_deref(), Some("Company Example"));
    assert_eq!(user.country.as_deref(), Some("Chad"));
    assert_eq!(user.email.as_deref(), Some("color123@yeastar.com"));
    assert_eq!(user.first_name.as_deref(), Some("Example"));
    assert_eq!(user.last_name.as_deref(), Some("LALA"));
    assert_eq!(user.partner_id.as_deref(), Some("3076915454489739264"));
    assert_eq!(user.phone_number.as_deref(), Some("13600930000"));
    assert_eq!(user.remark.as_deref(), Some("grrrrrrrrrg"));
    assert_eq!(user.state_province.as_deref(), Some("Fujian"));
    assert_eq!(user.street.as_deref(), Some("Siming"));
    assert_eq!(user.tax_num.as_deref(), Some("VAT_number:"));
    assert_eq!(user.user_type, Some(UserType::Enduser));
    assert_eq!(user.zip_code.as_deref(), Some("361000"));
}
