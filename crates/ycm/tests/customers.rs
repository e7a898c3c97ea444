//! The customer endpoints on the wire, with the doc examples.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use httpmock::prelude::*;
use serde_json::json;
use yeastar_transport::test_util::{Reply, ScriptedHttp};
use yeastar_ycm::{CreateCustomer, DeleteCustomers, Error, ListCustomers, Sort, UpdateCustomer, YcmErrorExt};

#[tokio::test]
async fn list_customers_doc_example_query_and_lazy_pages() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut pages = Vec::new();
    for (page, ids) in [(1u64, vec![50086120u64, 50086121, 50086122]), (2, vec![50086123])] {
        let list: Vec<_> = ids
            .iter()
            .map(|id| json!({"customerId": id, "firstName": "C", "company": "Co", "email": format!("{id}@c.example")}))
            .collect();
        pages.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/dm/open_api/v1/customers")
                        .header("authorization", bearer())
                        .query_param("pageSize", "3")
                        .query_param("pageNumber", page.to_string())
                        .query_param("sort", "customerId");
                    then.status(200).json_body(success(Some(
                        json!({"pageSize": 3, "pageNumber": page, "total": 4, "list": list}),
                    )));
                })
                .await,
        );
    }
    let client = client(&server);
    // The doc example: 3 records per page, page 1, ascending by customer id.
    let query = ListCustomers::new()
        .page_size(3)
        .page_number(1)
        .sort(Sort::ascending("customerId"));
    let page = client.send(&query).await.unwrap();
    assert_eq!((page.total, page.list.len()), (Some(4), 3));
    pages[0].assert_calls_async(1).await;
    pages[1].assert_calls_async(0).await;
    let all = client.customers().list(query).try_collect().await.unwrap();
    let ids: Vec<_> = all.iter().map(|c| c.customer_id.unwrap()).collect();
    assert_eq!(ids, [50086120, 50086121, 50086122, 50086123]);
    pages[0].assert_calls_async(2).await;
    pages[1].assert_calls_async(1).await;
    // Out-of-range pages never reach the server.
    let err = client
        .customers()
        .list(ListCustomers::new().page_size(51))
        .try_collect()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "pageSize"),
        "{err}"
    );
}

#[tokio::test]
async fn get_customer_doc_example() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dm/open_api/v1/customers/50086120")
                .header("authorization", bearer());
            then.status(200).json_body(success(Some(json!({
                "customerId": 50086120, "firstName": "Leo", "lastName": "Ball", "company": "Example Company",
                "email": "leo@example.com", "businessNumber": "0592-5503301", "mobileNumber": "13800000000",
                "homeNumber": null, "faxNumber": "", "zipCode": 361000, "street": "Software Park",
                "city": "Xiamen", "state": "Fujian", "country": "China", "remark": "VIP"
            }))));
        })
        .await;
    let c = client(&server).customers().get(50086120).await.unwrap();
    assert_eq!(c.customer_id, Some(50086120));
    assert_eq!(c.first_name.as_deref(), Some("Leo"));
    assert_eq!(c.business_number.as_deref(), Some("0592-5503301"));
    assert_eq!(c.home_number, None);
    assert_eq!(c.zip_code.as_deref(), Some("361000"));
    assert_eq!(c.state.as_deref(), Some("Fujian"));
    assert!(c.extra.is_empty());
    get.assert_calls_async(1).await;
}

#[tokio::test]
async fn create_customer_doc_example_is_sent_once() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/dm/open_api/v1/customers")
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .body(r#"{"firstName":"Leo","lastName":"Ball","company":"Example Company","email":"leo@example.com"}"#);
            then.status(200)
                .json_body(success(Some(json!({"customerId": 50429525}))));
        })
        .await;
    let client = client(&server);
    let done = client
        .customers()
        .create(CreateCustomer::new("Leo", "Example Company", "leo@example.com").last_name("Ball"))
        .await
        .unwrap();
    assert_eq!(done.id, Some(50429525));
    assert_eq!(done.time, Some(1639012740));
    create.assert_calls_async(1).await;

    // A lost answer is never re-sent: the outcome is unknown.
    let lost = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/dm/open_api/v1/customers")
                .json_body(json!({"firstName":"Amy","company":"Example Company","email":"amy@example.com"}));
            then.status(502).body("<html>Bad Gateway</html>");
        })
        .await;
    let err = client
        .customers()
        .create(CreateCustomer::new("Amy", "Example Company", "amy@example.com"))
        .await
        .unwrap_err();
    assert!(err.outcome_unknown(), "{err}");
    lost.assert_calls_async(1).await;
}

#[tokio::test]
async fn create_customer_refusals_are_typed() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/dm/open_api/v1/customers");
            then.status(400)
                .json_body(failed(1000019, "The email leo@example.com is already used"));
        })
        .await;
    let err = client(&server)
        .customers()
        .create(CreateCustomer::new("Leo", "Example Company", "leo@example.com"))
        .await
        .unwrap_err();
    assert!(err.is_email_already_exists(), "{err}");
    assert!(!err.is_associated_with_cloud_pbx());
}

#[tokio::test]
async fn update_customer_doc_example_sends_the_whole_record() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/dm/open_api/v1/customers/50329401")
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .body(r#"{"firstName":"Leo","lastName":"Ball","company":"Example Company","email":"leo.ball@example.com"}"#);
            then.status(200).json_body(written("b7e5d1e3f0a0c8b6", 1664270601));
        })
        .await;
    let mut update = UpdateCustomer::new(50329401, "Leo", "Example Company", "leo.ball@example.com");
    update.last_name = Some("Ball".into());
    let done = client(&server).customers().update(update).await.unwrap();
    assert_eq!(done.request_id.as_deref(), Some("b7e5d1e3f0a0c8b6"));
    put.assert_calls_async(1).await;
}

/// The promise of `modify`: a full replace that changes one field and keeps every other one,
/// unmodelled fields included, exactly.
#[tokio::test]
async fn modify_keeps_every_field_it_does_not_change() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path("/dm/open_api/v1/customers/50329401");
            then.status(200).json_body(success(Some(json!({
                "customerId": 50329401, "firstName": "Leo", "lastName": "Ball", "company": "Example Company",
                "email": "leo@example.com", "mobileNumber": "13800000000", "zipCode": "361000",
                "city": "Xiamen", "country": "China", "remark": null,
                "vatNumber": "CN-9135", "billing": {"cycle": "monthly", "day": 1}
            }))));
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/dm/open_api/v1/customers/50329401")
                .json_body(json!({
                    "firstName": "Leo", "lastName": "Ball", "company": "Example Company",
                    "email": "leo.ball@example.com", "mobileNumber": "13800000000", "zipCode": "361000",
                    "city": "Xiamen", "country": "China",
                    "vatNumber": "CN-9135", "billing": {"cycle": "monthly", "day": 1}
                }));
            then.status(200).json_body(written("r", 1));
        })
        .await;
    let done = client(&server)
        .customers()
        .modify(50329401, |c| c.email = "leo.ball@example.com".into())
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("r"));
    get.assert_calls_async(1).await;
    put.assert_calls_async(1).await;
}

#[tokio::test]
async fn modify_refuses_to_blank_a_required_field_or_move_the_record() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dm/open_api/v1/customers/7");
            then.status(200).json_body(success(Some(
                json!({"customerId": 7, "firstName": "Leo", "email": "leo@example.com"}),
            )));
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT);
            then.status(200).json_body(written("r", 1));
        })
        .await;
    let client = client(&server);
    let err = client
        .customers()
        .modify(7, |c| c.remark = Some("x".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "company"),
        "{err}"
    );
    let err = client.customers().modify(7, |c| c.customer_id = 8).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { ref field, .. } if field == "customerId"),
        "{err}"
    );
    put.assert_calls_async(0).await;
    // Filling in the missing field makes it go through.
    client
        .customers()
        .modify(7, |c| c.company = "Example Company".into())
        .await
        .unwrap();
    put.assert_calls_async(1).await;
}

#[tokio::test]
async fn delete_customers_doc_example() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/dm/open_api/v1/customers")
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .body(r#"{"customerIds":[50429525,50429524]}"#);
            then.status(200)
                .body(r#"{"requestId":"15eba94d-c5b2-47c4-bdcc-109322195bea","status":"Success","time":1664270677}"#);
        })
        .await;
    let done = client(&server)
        .customers()
        .delete(DeleteCustomers::new([50429525, 50429524]))
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("15eba94d-c5b2-47c4-bdcc-109322195bea"));
    assert_eq!(done.time, Some(1664270677));
    assert!(!done.already_absent);
    delete.assert_calls_async(1).await;
}

#[tokio::test]
async fn delete_of_a_customer_with_a_pbx_is_a_typed_refusal() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/dm/open_api/v1/customers");
            then.status(400)
                .json_body(failed(3000014, "Customer 50086283 is associated with a Cloud PBX"));
        })
        .await;
    let err = client(&server)
        .customers()
        .delete(DeleteCustomers::new([50086283]))
        .await
        .unwrap_err();
    assert!(err.is_associated_with_cloud_pbx(), "{err}");
    delete.assert_calls_async(1).await;
}

#[tokio::test(start_paused = true)]
async fn a_retried_delete_that_finds_the_customers_gone_reports_already_absent() {
    let deletes = Arc::new(AtomicUsize::new(0));
    let seen = deletes.clone();
    let http = Arc::new(ScriptedHttp::new(move |req| {
        assert_eq!(req.uri.path(), "/dm/open_api/v1/customers");
        assert_eq!(req.body_text(), r#"{"customerIds":[50429525]}"#);
        match seen.fetch_add(1, Ordering::SeqCst) {
            // The first answer is lost (a gateway error after the delete happened).
            0 => Reply::raw(503, "upstream timeout"),
            _ => Reply::json(404, failed(1000005, "Customer 50429525 does not exist").to_string()),
        }
    }));
    let done = scripted_client(http.clone())
        .customers()
        .delete(DeleteCustomers::new([50429525]))
        .await
        .unwrap();
    assert!(done.already_absent);
    assert_eq!(deletes.load(Ordering::SeqCst), 2);
}
