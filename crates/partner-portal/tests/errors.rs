//! Error envelopes, retry safety (create vs edit), client-side validation, hostile path values.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{client, ok, token_mock};
use httpmock::prelude::*;
use yeastar_partner_portal::users::{CreateUser, EditUser, TaxType};
use yeastar_partner_portal::{Error, ListUsers};

const CREATE: &str = "/user/openapi/user/v1/client/save_user";
const EDIT: &str = "/user/openapi/user/v1/client/edit_user";

/// `parameter_validation_failed` with field details in `result`: every part is kept.
#[tokio::test]
async fn validation_error_envelope_is_decoded() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path(CREATE);
            then.status(400).header("content-type", "application/json").body(
                r#"{"code":"parameter_validation_failed","detailMessage":"country is invalid","requestId":"7249dc0e1f","result":{"field":"country","tag":"country_name"},"status":400}"#,
            );
        })
        .await;
    let err = client(&server)
        .users()
        .create(CreateUser::new("new@example.com", "Example Ltd", "Atlantis").last_name("Lovelace"))
        .await
        .unwrap_err();
    create.assert_calls_async(1).await;
    let Error::Api(api) = &err else { panic!("{err}") };
    assert_eq!(api.code.as_deref(), Some("parameter_validation_failed"));
    assert_eq!(api.message.as_deref(), Some("country is invalid"));
    assert_eq!(api.request_id.as_deref(), Some("7249dc0e1f"));
    assert_eq!(api.status, 400);
    assert_eq!(
        api.details,
        Some(serde_json::json!({"field": "country", "tag": "country_name"}))
    );
    assert!(!err.is_retryable());
    let shown = err.to_string();
    assert!(
        shown.contains("parameter_validation_failed") && shown.contains("7249dc0e1f"),
        "{shown}"
    );
}

/// A non-success code with HTTP 200 is still an error, and so is a success code with
/// `result: false` (the change was not made), with the answer's request id.
#[tokio::test]
async fn http_200_error_codes_and_false_results() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(EDIT).json_body_includes(r#"{"yeastarId":"gone@example.com"}"#);
            then.status(200).body(
                r#"{"code":"user_not_exist","detailMessage":"The user does not exist","requestId":"r-404","result":[{"field":"yeastarId"}],"status":200}"#,
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(EDIT)
                .json_body_includes(r#"{"yeastarId":"same@example.com"}"#);
            then.status(200).body(ok(serde_json::json!(false)));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(CREATE);
            then.status(200).body(ok(serde_json::json!(false)));
        })
        .await;
    let client = client(&server);
    let err = client
        .users()
        .edit(EditUser::new("gone@example.com").city("Xiamen"))
        .await
        .unwrap_err();
    let api = err.api_error().expect("api error");
    assert_eq!((api.code.as_deref(), api.status), (Some("user_not_exist"), 200));
    assert_eq!(api.details, Some(serde_json::json!([{"field": "yeastarId"}])));
    for err in [
        client
            .users()
            .edit(EditUser::new("same@example.com").city("Xiamen"))
            .await
            .unwrap_err(),
        client
            .users()
            .create(CreateUser::new("new@example.com", "Co", "Chad").first_name("A"))
            .await
            .unwrap_err(),
    ] {
        let Error::Api(api) = &err else { panic!("{err}") };
        assert_eq!((api.status, api.code.as_deref()), (200, None));
        assert_eq!(api.request_id.as_deref(), Some("req-ok"));
        assert!(api.message.as_deref().unwrap().contains("result: false"), "{err}");
        assert!(!err.is_retryable() && !err.outcome_unknown(), "{err}");
    }
}

/// A success code with no `result` at all is a decoding error, not a write.
#[tokio::test]
async fn a_write_without_a_result_is_a_decode_error() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let edit = server
        .mock_async(|when, then| {
            when.method(POST).path(EDIT);
            then.status(200)
                .body(r#"{"code":"success","detailMessage":"","requestId":"r-n","status":200}"#);
        })
        .await;
    let err = client(&server)
        .users()
        .edit(EditUser::new("yaya@yeastar.com").city("Xiamen"))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err}") };
    assert_eq!((d.path.as_str(), d.request_id.as_deref()), ("result", Some("r-n")));
    edit.assert_calls_async(1).await;
}

/// A proxy's HTML page is reported with its status, not as a decoding puzzle.
#[tokio::test]
async fn html_from_a_proxy_is_an_unexpected_response() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/user/openapi/user/v1/client/partner_list");
            then.status(403)
                .header("content-type", "text/html")
                .body("<html>Forbidden: IP not allowed</html>");
        })
        .await;
    let err = client(&server)
        .users()
        .list(ListUsers::new())
        .try_collect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err}");
    assert_eq!(err.status(), Some(403));
}

fn unavailable() -> String {
    r#"{"code":"service_unavailable","detailMessage":"try later","requestId":"r503","result":null,"status":503}"#.into()
}

/// A create is never sent twice, even on 503 (its outcome is unknown).
#[tokio::test]
async fn create_is_never_retried_on_503() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(CREATE)
                .header("content-type", "application/json")
                .json_body(serde_json::json!({
                    "yeastarId": "new@example.com",
                    "userType": "Customer",
                    "company": "Example Ltd",
                    "country": "Chad",
                    "firstName": "Ada",
                    "taxType": "VAT_number",
                    "taxNum": "1234",
                    "sendUserActivationEmail": true
                }));
            then.status(503).body(unavailable());
        })
        .await;
    let err = client(&server)
        .users()
        .create(
            CreateUser::new("new@example.com", "Example Ltd", "Chad")
                .first_name("Ada")
                .tax_type(TaxType::VatNumber)
                .tax_num("1234")
                .send_user_activation_email(true),
        )
        .await
        .unwrap_err();
    create.assert_calls_async(1).await;
    // A 503 after sending may have taken effect: the outcome is unknown, never resent.
    let Error::OutcomeUnknown { source, .. } = &err else {
        panic!("expected an unknown outcome around the single attempt: {err}")
    };
    let Error::Api(api) = source.as_ref() else {
        panic!("{err}")
    };
    assert_eq!((api.status, api.code.as_deref()), (503, Some("service_unavailable")));
    assert!(err.outcome_unknown() && !err.is_retryable());
}

/// An edit (declared idempotent) is retried after a 503 and succeeds.
#[tokio::test]
async fn edit_is_retried_on_503() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let edit = server
        .mock_async(move |when, then| {
            when.method(POST).path(EDIT).json_body(
                serde_json::json!({"yeastarId": "yaya@yeastar.com", "userType": "Customer", "company": "New Co"}),
            );
            then.respond_with(move |_| {
                let n = c.fetch_add(1, Ordering::SeqCst);
                let builder = httpmock::HttpMockResponse::builder().header("content-type", "application/json");
                if n == 0 {
                    builder.status(503).body(unavailable()).build()
                } else {
                    builder.status(200).body(ok(serde_json::json!(true))).build()
                }
            });
        })
        .await;
    let done = client(&server)
        .users()
        .edit(EditUser::new("yaya@yeastar.com").company("New Co"))
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("req-ok"));
    edit.assert_calls_async(2).await;
}

/// Bad input is refused before anything is sent: no token request, no API call.
#[tokio::test]
async fn validation_errors_send_nothing() {
    let server = MockServer::start_async().await;
    let tokens = token_mock(&server, "tok-1", "rt-1").await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/user/");
            then.status(200).body(ok(serde_json::json!(true)));
        })
        .await;
    let client = client(&server);
    let users = client.users();

    let cases: Vec<(&str, Error)> = vec![
        (
            "yeastarId",
            users
                .edit(EditUser::new("not-an-email").tax_num("1"))
                .await
                .unwrap_err(),
        ),
        (
            "yeastarId",
            users.edit(EditUser::new("ya ya@yeastar.com")).await.unwrap_err(),
        ),
        ("yeastarId", users.edit(EditUser::new("")).await.unwrap_err()),
        (
            "yeastarId",
            users
                .create(CreateUser::new("a@b@c.com", "Co", "Chad").first_name("A"))
                .await
                .unwrap_err(),
        ),
        (
            "firstName",
            users
                .create(CreateUser::new("ok@example.com", "Co", "Chad"))
                .await
                .unwrap_err(),
        ),
        (
            "firstName",
            users
                .create(
                    CreateUser::new("ok@example.com", "Co", "Chad")
                        .first_name(" ")
                        .last_name(""),
                )
                .await
                .unwrap_err(),
        ),
        (
            "company",
            users
                .create(CreateUser::new("ok@example.com", "  ", "Chad").first_name("A"))
                .await
                .unwrap_err(),
        ),
        (
            "country",
            users
                .create(CreateUser::new("ok@example.com", "Co", "").last_name("L"))
                .await
                .unwrap_err(),
        ),
        ("partnerId", users.get("").await.unwrap_err()),
        ("partnerId", users.get("   ").await.unwrap_err()),
        ("partnerId", users.get("..").await.unwrap_err()),
    ];
    for (want, err) in &cases {
        let Error::InvalidInput { field, .. } = err else {
            panic!("{err}")
        };
        assert_eq!(field, want, "{err}");
    }
    any.assert_calls_async(0).await;
    tokens.assert_calls_async(0).await;
}

/// Odd and hostile Yeastar IDs stay one path segment (raw path checked on the server side).
#[tokio::test]
async fn hostile_ids_stay_in_one_path_segment() {
    let server = MockServer::start_async().await;
    token_mock(&server, "tok-1", "rt-1").await;
    let client = client(&server);
    for (id, raw) in [
        ("color123@yeastar.com", "color123@yeastar.com"),
        ("a/b@yeastar.com", "a%2Fb@yeastar.com"),
        (
            "../../auth/openapi/v1/oauth/token",
            "..%2F..%2Fauth%2Fopenapi%2Fv1%2Foauth%2Ftoken",
        ),
        ("x?admin=1#frag@y.com", "x%3Fadmin%3D1%23frag@y.com"),
        ("100%@y.com", "100%25@y.com"),
        ("a b+c@y.com", "a%20b%2Bc@y.com"),
        ("名前@例え.jp", "%E5%90%8D%E5%89%8D@%E4%BE%8B%E3%81%88.jp"),
        ("3076915454489739264", "3076915454489739264"),
        (".", ""),
    ] {
        if raw.is_empty() {
            assert!(
                matches!(client.users().get(id).await, Err(Error::InvalidInput { .. })),
                "{id}"
            );
            continue;
        }
        let path = format!("/user/openapi/user/v1/subordinate_user/{raw}");
        let mock = server
            .mock_async(|when, then| {
                when.method(GET).path(path.as_str());
                then.status(200).body(ok(serde_json::json!({"email": id})));
            })
            .await;
        let user = client.users().get(id).await.unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(user.email.as_deref(), Some(id));
        mock.assert_calls_async(1).await;
        mock.delete_async().await;
    }
}
