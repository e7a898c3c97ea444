//! `PUT /dm/open_api/v1/users/{userId}`: the doc example and the special fields.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use httpmock::prelude::*;
use serde_json::json;
use yeastar_ycm::{Error, PbxCreationLimit, UpdateUser};

/// The doc's example, reproduced exactly (with the documented path `/v1/users/{userId}`, not
/// the example's `/v1/user/13329`).
#[tokio::test]
async fn doc_example_update_company() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let update = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/dm/open_api/v1/users/13329")
                .header("authorization", bearer())
                .header_prefix("user-agent", "yeastar-rust/")
                .header("content-type", "application/json")
                .body(r#"{"company":"New Company Name"}"#);
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"requestId":"bed793ceb96f19a58177b53a3097a1d8","status":"Success","time":1664437503}"#);
        })
        .await;

    let client = client(&server);
    let result = client
        .users()
        .update(UpdateUser::new(13329).company("New Company Name"))
        .await
        .unwrap();

    assert_eq!(result.request_id.as_deref(), Some("bed793ceb96f19a58177b53a3097a1d8"));
    assert_eq!(result.time, Some(1664437503));
    assert_eq!(
        result.timestamp(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1664437503))
    );
    update.assert_calls_async(1).await;
    token.assert_calls_async(1).await;
}

async fn expect_body(body: serde_json::Value, update: UpdateUser) {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/dm/open_api/v1/users/42")
                .header("authorization", bearer())
                .json_body(body);
            then.status(200)
                .json_body(json!({"requestId": "r", "status": "Success", "time": 1}));
        })
        .await;
    client(&server).users().update(update).await.unwrap();
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn unlimited_pbx_creation_sends_an_empty_string() {
    expect_body(
        json!({"pbxCreationLimit": ""}),
        UpdateUser::new(42).pbx_creation_limit(PbxCreationLimit::Unlimited),
    )
    .await;
    expect_body(
        json!({"pbxCreationLimit": ""}),
        UpdateUser::new(42).unlimited_pbx_creation(),
    )
    .await;
}

#[tokio::test]
async fn pbx_creation_limit_of_five_sends_five() {
    expect_body(
        json!({"pbxCreationLimit": 5}),
        UpdateUser::new(42).pbx_creation_limit_count(5),
    )
    .await;
    expect_body(
        json!({"pbxCreationLimit": 5, "remark": "vip"}),
        UpdateUser::new(42)
            .remark("vip")
            .pbx_creation_limit(PbxCreationLimit::new(5).unwrap()),
    )
    .await;
}

#[tokio::test]
async fn pbx_creation_limit_of_zero_sends_nothing() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"status": "Success"}));
        })
        .await;
    let err = client(&server)
        .users()
        .update(UpdateUser::new(42).company("x").pbx_creation_limit_count(0))
        .await
        .unwrap_err();
    match &err {
        Error::InvalidInput { field, .. } => assert_eq!(field, "pbxCreationLimit"),
        other => panic!("expected invalid input, got {other}"),
    }
    any.assert_calls_async(0).await;
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn disabling_two_factor_authentication_sends_disable() {
    expect_body(
        json!({"twoFactorAuthenticationEnable": "disable"}),
        UpdateUser::new(42).disable_two_factor_authentication(),
    )
    .await;
}

#[tokio::test]
async fn every_field_by_its_api_name_and_nothing_unset() {
    expect_body(
        json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "phone": "+1 555",
               "mobile": "+1 556", "address": "1 Main St"}),
        UpdateUser::new(42)
            .first_name("Ada")
            .last_name("Lovelace")
            .email("ada@example.com")
            .phone("+1 555")
            .mobile("+1 556")
            .address("1 Main St"),
    )
    .await;
}
