//! The envelope's error side: Failed on HTTP 200, undocumented shapes, non-JSON answers.

mod common;

use common::*;
use httpmock::prelude::*;
use yeastar_ycm::{Error, UpdateUser};

async fn get_error(status: u16, body: &'static str) -> (Error, usize) {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dm/open_api/v1/users/9");
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let err = client(&server).users().get(9).await.unwrap_err();
    (err, mock.calls_async().await)
}

#[tokio::test]
async fn a_failed_envelope_on_http_200_is_an_error_with_the_request_id() {
    let (err, calls) = get_error(200, r#"{"requestId":"f00dcafe","status":"Failed","time":1664437503}"#).await;
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err}")
    };
    assert_eq!(api.status, 200);
    assert_eq!(err.request_id(), Some("f00dcafe"));
    assert!(err.to_string().contains("f00dcafe"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(calls, 1, "an API refusal is not retried");
}

#[tokio::test]
async fn the_capitalised_status_key_of_the_doc_table_is_understood() {
    let (err, _) = get_error(200, r#"{"requestId":"r2","Status":"Failed","time":1}"#).await;
    assert_eq!(err.request_id(), Some("r2"));

    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(PUT).path("/dm/open_api/v1/users/9");
            then.status(200)
                .body(r#"{"requestId":"r3","Status":"Success","time":1}"#);
        })
        .await;
    let ok = client(&server)
        .users()
        .update(UpdateUser::new(9).remark("x"))
        .await
        .unwrap();
    assert_eq!(ok.request_id.as_deref(), Some("r3"));
}

#[tokio::test]
async fn an_undocumented_error_shape_still_reads_well() {
    let (err, _) = get_error(
        400,
        r#"{"requestId":"e1","status":"Failed","time":1,"errcode":10002,"errmsg":"The user does not exist"}"#,
    )
    .await;
    let api = err.api_error().expect("an API error");
    assert_eq!(api.code.as_deref(), Some("10002"));
    assert_eq!(api.message.as_deref(), Some("The user does not exist"));
    assert!(api.raw_body.as_deref().unwrap().contains("10002"));
    assert_eq!(
        err.to_string(),
        "YCM API error 10002 (HTTP 400): The user does not exist (request id e1)"
    );

    // Nested somewhere else, with keys nobody documented.
    let (err, _) = get_error(
        422,
        r#"{"status":"Failed","requestId":"e2","error":{"errorCode":"PARAM_INVALID","msg":"email is invalid"}}"#,
    )
    .await;
    let shown = err.to_string();
    assert!(
        shown.contains("PARAM_INVALID") && shown.contains("email is invalid") && shown.contains("e2"),
        "{shown}"
    );

    // Nothing recognisable at all: still an API error with the status and the raw body.
    let (err, _) = get_error(409, r#"{"weird":[1,2,3]}"#).await;
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, 409);
    assert!(api.raw_body.as_deref().unwrap().contains("weird"));
    assert!(err.to_string().contains("409"), "{err}");
}

#[tokio::test]
async fn an_html_page_is_an_unexpected_response_with_its_status() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dm/open_api/v1/users/9");
            then.status(502)
                .header("content-type", "text/html")
                .body("<html><body>Bad Gateway</body></html>");
        })
        .await;
    let err = client(&server).users().get(9).await.unwrap_err();
    let Error::RetriesExhausted { last, .. } = &err else {
        panic!("{err}")
    };
    assert!(matches!(**last, Error::UnexpectedResponse(_)), "{last}");
    assert_eq!(err.status(), Some(502));
    assert!(err.to_string().contains("Bad Gateway"), "{err}");
    mock.assert_calls_async(3).await;

    // On a non-retryable status there is one attempt, and the same kind of error.
    let (err, calls) = get_error(404, "<html>Not Found</html>").await;
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err}");
    assert_eq!((err.status(), calls), (Some(404), 1));
}

#[tokio::test]
async fn bad_data_names_the_json_path() {
    let (err, _) = get_error(200, r#"{"requestId":"r","status":"Success","data":{"userId":"abc"}}"#).await;
    let Error::Decode(d) = &err else { panic!("{err}") };
    assert_eq!(d.path, "data.userId");
    assert_eq!(err.request_id(), Some("r"));
}
