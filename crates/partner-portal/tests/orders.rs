//! Products and pricing, orders, regions and purchased products on the wire: method, path,
//! headers, exact bodies, and what comes back (19-digit ids kept exact).

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{TOKEN, client, ok, token_mock};
use httpmock::prelude::*;
use serde_json::json;
use yeastar_partner_portal::{
    ActivationStatus, Client, CreateOrder, Credentials, Error, GetPlanInfo, GetProductOffering, ListLicences,
    ListOrders, ListProducts, ListRegions, OperationType, OrderItem, OrderStatus, PceOrder, PurchaseType,
};
use yeastar_transport::test_util::{Reply, ScriptedHttp};
use yeastar_transport::{TimeoutKind, TransportErrorKind};

const PLAN: &str = "3048571730026938368";
const SERVICE: &str = "3048573759449317376";
/// Bigger than u64::MAX: only exact text reading keeps it.
const HUGE: &str = "18446744073709551616123";

fn json_reply(then: httpmock::Then, body: String) {
    then.status(200).header("content-type", "application/json").body(body);
}

#[tokio::test]
async fn product_list_sends_a_plain_get_and_reads_the_array() {
    let server = MockServer::start_async().await;
    token_mock(&server, TOKEN, "rt").await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/pricing/openapi/purchase/v1/product_list")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_prefix("user-agent", "yeastar-rust/")
                .is_true(|req| req.query_params_map().is_empty());
            json_reply(
                then,
                ok(json!([
                    {"name": "Cloud PBX", "productId": 13, "offeringId": [31, 32]},
                    {"name": "Linkus Cloud Service", "productId": "9"}
                ])),
            );
        })
        .await;
    let products = client(&server)
        .products()
        .list(ListProducts::new())
        .try_collect()
        .await
        .unwrap();
    m.assert_calls_async(1).await;
    assert_eq!(products.len(), 2);
    assert_eq!(
        (
            products[0].product_id,
            products[0].name.as_deref(),
            products[0].offering_id.clone()
        ),
        (Some(13), Some("Cloud PBX"), Some(vec![31, 32]))
    );
    assert_eq!(products[1].product_id, Some(9));
}

#[tokio::test]
async fn offering_and_plan_details_keep_19_digit_ids_exact() {
    let server = MockServer::start_async().await;
    token_mock(&server, TOKEN, "rt").await;
    let offering = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/pricing/openapi/purchase/v1/purchase_product_info")
                .query_param("productId", "11")
                .query_param("productNo", "3658B4311196XXXX")
                .header("authorization", format!("Bearer {TOKEN}"));
            // Raw JSON numbers: one at i64::MAX, one beyond u64.
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"code":"success","detailMessage":"","requestId":"r","status":200,"result":{{
                    "offeringId":"77","planList":[{{"id":9223372036854775807,"name":"Pro","purchaseType":"purchase"}}],
                    "serviceList":[{{"id":{HUGE},"name":"Trial add-on","purchaseType":"trial"}}]}}}}"#
                ));
        })
        .await;
    let plan = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/pricing/openapi/purchase/v1/renew/plan_info/{PLAN}"))
                .query_param("productId", "13")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(200).header("content-type", "application/json").body(format!(
                r#"{{"code":"success","requestId":"r","result":{{"id":{PLAN},"name":"Enterprise Plan","price":"12.00",
                    "currencyCode":"USD","minQuantity":5,"maxQuantity":500}}}}"#
            ));
        })
        .await;
    let add_on = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/pricing/openapi/purchase/v1/trial/add_on_info/{SERVICE}"))
                .query_param("productId", "13");
            json_reply(
                then,
                ok(json!({"id": SERVICE, "name": "Recording Minutes", "trialDays": 30})),
            );
        })
        .await;
    let c = client(&server);
    let o = c
        .products()
        .offering(GetProductOffering::new(11).product_no("3658B4311196XXXX"))
        .await
        .unwrap();
    assert_eq!(o.offering_id.as_deref(), Some("77"));
    assert_eq!(o.plan_list[0].id.as_deref(), Some("9223372036854775807"));
    assert_eq!(o.service_list[0].id.as_deref(), Some(HUGE));
    assert_eq!(o.service_list[0].purchase_type, Some(PurchaseType::Trial));
    let p = c
        .products()
        .plan_info(GetPlanInfo::plan(PurchaseType::Renew, PLAN, 13))
        .await
        .unwrap();
    assert_eq!(p.id.as_deref(), Some(PLAN));
    assert_eq!(
        (p.price.as_deref(), p.min_quantity, p.max_quantity),
        (Some("12.00"), Some(5), Some(500))
    );
    let a = c
        .products()
        .plan_info(GetPlanInfo::add_on(PurchaseType::Trial, SERVICE, 13))
        .await
        .unwrap();
    assert_eq!((a.id.as_deref(), a.trial_days), (Some(SERVICE), Some(30)));
    offering.assert_calls_async(1).await;
    plan.assert_calls_async(1).await;
    add_on.assert_calls_async(1).await;
}

/// The Cloud PBX tutorial's order, as the SDK sends it: exact bytes, ids as strings,
/// `billingId` as a number, nothing unset.
#[tokio::test]
async fn create_order_sends_the_exact_body_once_and_reads_the_id() {
    let server = MockServer::start_async().await;
    token_mock(&server, TOKEN, "rt").await;
    let body = format!(
        concat!(
            r#"{{"operationType":"purchase_plan","productId":13,"assignId":"3076915454489739264","#,
            r#""billingId":3081512345678901248,"poNumber":"PO-1","serviceList":["#,
            r#"{{"serviceType":"plan","serviceId":"{plan}","quantity":20,"purchaseType":"purchase","#,
            r#""billingModel":"recurring","billingCycle":"annually","multiCycle":0}},"#,
            r#"{{"serviceType":"service","serviceId":"{service}","connectionPlanId":"{plan}","quantity":1000,"#,
            r#""purchaseType":"purchase"}}],"#,
            r#""orderPceSpecialRequest":{{"pbxName":"Acme HQ","regionId":"1","pbxSubDomainId":"11","pbxSubDomain":"acme"}}}}"#
        ),
        plan = PLAN,
        service = SERVICE
    );
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/order/openapi/order/v1/save")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_prefix("user-agent", "yeastar-rust/")
                .body(body.clone());
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"code":"success","detailMessage":"","requestId":"ord-1","result":{HUGE},"status":200}}"#
                ));
        })
        .await;
    let order = CreateOrder::new(OperationType::PurchasePlan, 13, "3081512345678901248")
        .assign_id("3076915454489739264")
        .po_number("PO-1")
        .item(
            OrderItem::plan(PLAN)
                .quantity(20)
                .purchase_type(PurchaseType::Purchase)
                .billing_model("recurring")
                .billing_cycle("annually")
                .multi_cycle(0),
        )
        .item(
            OrderItem::service(SERVICE)
                .connection_plan_id(PLAN)
                .quantity(1000)
                .purchase_type(PurchaseType::Purchase),
        )
        .pce(PceOrder::new("Acme HQ", "1", "11").field("pbxSubDomain", "acme"));
    let done = client(&server).orders().create(order).await.unwrap();
    m.assert_calls_async(1).await;
    assert_eq!(done.id.as_deref(), Some(HUGE));
    assert_eq!(done.request_id.as_deref(), Some("ord-1"));
}

#[tokio::test]
async fn an_invalid_order_is_refused_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let tokens = token_mock(&server, TOKEN, "rt").await;
    let any = server.mock_async(|when, then| {
        when.any_request();
        then.status(500);
    });
    let any = any.await;
    let err = client(&server)
        .orders()
        .create(CreateOrder::new(OperationType::PurchasePlan, 13, "1").item(OrderItem::plan(PLAN).quantity(20)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "orderPceSpecialRequest"),
        "{err}"
    );
    any.assert_calls_async(0).await;
    tokens.assert_calls_async(0).await;
}

fn scripted_client(http: Arc<ScriptedHttp>) -> Client {
    Client::builder()
        .credentials(Credentials::client("id", "secret"))
        .base_url("https://openapi.partner.example")
        .http_client(http)
        .attempt_timeout(Duration::from_secs(5))
        .total_timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

fn token_reply() -> Reply {
    Reply::json(
        200,
        ok(json!({"token": "t", "refreshToken": "r", "expiresIn": "1800", "tokenHead": "Bearer "})),
    )
}

fn minimal_order() -> CreateOrder {
    CreateOrder::new(OperationType::PurchaseService, 14, "3081512345678901248")
        .item(OrderItem::service(SERVICE).quantity(10))
}

/// An order whose answer never came (timeout after sending) is sent once: OutcomeUnknown.
#[tokio::test(start_paused = true)]
async fn a_create_that_timed_out_is_not_resent() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/auth/openapi/v1/oauth/token" => token_reply(),
        _ => Reply::json(200, ok(json!("1"))).after(Duration::from_secs(3600)),
    }));
    let err = scripted_client(http.clone())
        .orders()
        .create(minimal_order())
        .await
        .unwrap_err();
    let Error::OutcomeUnknown { source, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        matches!(
            **source,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.outcome_unknown() && !err.is_retryable());
    assert_eq!(http.count("/order/openapi/order/v1/save"), 1);
}

/// An order whose connection broke after sending is sent once: OutcomeUnknown. A read on the
/// same failure is retried (the contrast shows the policy is per endpoint).
#[tokio::test(start_paused = true)]
async fn a_create_whose_connection_reset_is_not_resent() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/auth/openapi/v1/oauth/token" => token_reply(),
        _ => Reply::Fail(TransportErrorKind::Io),
    }));
    let c = scripted_client(http.clone());
    let err = c.orders().create(minimal_order()).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown { source, .. } if matches!(&**source, Error::Transport(t) if t.kind == TransportErrorKind::Io)),
        "{err}"
    );
    assert_eq!(http.count("/order/openapi/order/v1/save"), 1);
    assert!(c.orders().get("1").await.is_err());
    assert_eq!(http.count("/order/openapi/order/v1/get/1"), 3);
}

#[tokio::test]
async fn order_list_pages_and_details_decode() {
    let server = MockServer::start_async().await;
    token_mock(&server, TOKEN, "rt").await;
    let order = |id: &str, status: &str| {
        json!({"createTime": 1_700_000_000_000i64, "currencyCode": "USD", "customReferenceNo": "", "id": id,
               "invoiceNo": "", "orderNo": id, "orderStatus": status})
    };
    let p1 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/order/openapi/order/v1/page")
                .query_param("pageNo", "1")
                .query_param("pageSize", "2")
                .query_param("sort", "id");
            json_reply(
                then,
                ok(json!({"count": 3, "pageNo": 1, "pageSize": 2, "total": 3, "totalPage": 2,
                          "results": [order("3100000000000000001", "succeed"), order("3100000000000000002", "pending")]})),
            );
        })
        .await;
    let p2 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/order/openapi/order/v1/page")
                .query_param("pageNo", "2")
                .query_param("pageSize", "2");
            json_reply(
                then,
                ok(
                    json!({"count": 3, "pageNo": 2, "pageSize": 2, "total": 3, "totalPage": 2,
                          "results": [order("3100000000000000003", "refunded")]}),
                ),
            );
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path("/order/openapi/order/v1/get/3100000000000000001");
            json_reply(
                then,
                ok(json!({"basicInformation": {"productId": "13", "productName": "Cloud PBX", "productNo": "36580000000001KH"},
                          "billingInformation": {"emailAddress": "billing@partner-example.com"},
                          "orderInformation": order("3100000000000000001", "succeed"),
                          "orderSummary": {"totalPrice": "240.00"}})),
            );
        })
        .await;
    let c = client(&server);
    let all = c
        .orders()
        .list(ListOrders::new().page_size(2).sort("id"))
        .try_collect()
        .await
        .unwrap();
    let statuses: Vec<_> = all.iter().map(|o| o.order_status.clone().unwrap()).collect();
    assert_eq!(
        statuses,
        [OrderStatus::Succeed, OrderStatus::Pending, OrderStatus::Refunded]
    );
    assert_eq!(all[2].id.as_deref(), Some("3100000000000000003"));
    p1.assert_calls_async(1).await;
    p2.assert_calls_async(1).await;
    let d = c.orders().get("3100000000000000001").await.unwrap();
    assert_eq!(d.basic_information.product_no.as_deref(), Some("36580000000001KH"));
    assert_eq!(d.order_information.order_status, Some(OrderStatus::Succeed));
    assert_eq!(d.order_summary["totalPrice"], "240.00");
    get.assert_calls_async(1).await;
    // Not a number: refused before sending.
    assert!(matches!(c.orders().get("PO 1").await, Err(Error::InvalidInput { .. })));
}

#[tokio::test]
async fn regions_licences_and_activation_codes() {
    let server = MockServer::start_async().await;
    token_mock(&server, TOKEN, "rt").await;
    let regions = server
        .mock_async(|when, then| {
            when.method(GET).path("/product/openapi/instance/v1/region_list");
            json_reply(
                then,
                ok(json!([{"id": "1", "name": "Europe (Frankfurt)",
                           "region": [{"pbxSubDomain": ["eu.yeastarcloud.com"], "pbxSubDomainId": "11"}]}])),
            );
        })
        .await;
    let licences = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/product/openapi/instance_product/v1/client/instance_product_list")
                .query_param("pageSize", "25")
                .query_param("pageNo", "1")
                .query_param("productId", "13");
            json_reply(
                then,
                ok(
                    json!({"count": 1, "pageNo": 1, "pageSize": 25, "total": 1, "totalPage": 1,
                          "results": [{"activationCode": "", "activationStatus": "activated", "comment": "HQ",
                                       "productNo": "36580000000001KH", "productId": 13}]}),
                ),
            );
        })
        .await;
    let detail = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/product/openapi/instance_product/v1/detail")
                .query_param("productNo", "36580000000001KH")
                .query_param("productId", "13");
            json_reply(
                then,
                ok(
                    json!({"activationCode": "", "activationStatus": "unknown", "createTime": 1_700_000_000_000i64,
                          "currentPlan": "Enterprise Plan", "currentPlanExpireDate": "2027-01-01"}),
                ),
            );
        })
        .await;
    let code = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/product/openapi/instance_product/v1/activation_code")
                .query_param("productNo", "PSE-1")
                .query_param("productId", "12");
            json_reply(
                then,
                ok(json!({"code": "ABCD-EFGH", "generateTime": 1_700_000_000_000i64})),
            );
        })
        .await;
    let c = client(&server);
    let r = c.regions().list(ListRegions::new()).try_collect().await.unwrap();
    assert_eq!(r[0].id.as_deref(), Some("1"));
    assert_eq!(r[0].region[0].pbx_sub_domain_id.as_deref(), Some("11"));
    assert_eq!(r[0].region[0].pbx_sub_domain, ["eu.yeastarcloud.com"]);
    let l = c.licences().list(ListLicences::new(13)).try_collect().await.unwrap();
    assert_eq!(l[0].activation_status, Some(ActivationStatus::Activated));
    assert_eq!(l[0].product_id.as_deref(), Some("13"));
    let d = c.licences().get("36580000000001KH", 13).await.unwrap();
    assert_eq!(d.activation_status, Some(ActivationStatus::Undetermined));
    assert_eq!(d.current_plan_expire_date.as_deref(), Some("2027-01-01"));
    let a = c.licences().activation_code("PSE-1").await.unwrap();
    assert_eq!(
        (a.code.as_deref(), a.generate_time),
        (Some("ABCD-EFGH"), Some(1_700_000_000_000))
    );
    for m in [regions, licences, detail, code] {
        m.assert_calls_async(1).await;
    }
    assert!(matches!(
        c.licences().get(" ", 13).await,
        Err(Error::InvalidInput { .. })
    ));
}

/// The docs' Query Order List example: the request line of "Request Structure"
/// (`GET /order/openapi/order/v1/page?pageNo=1&pageSize=3&sort=id`) and the answer of
/// "Response Results" (117 orders, 39 pages of 3), with three orders for the docs' "order details".
#[tokio::test]
async fn order_list_doc_example() {
    let server = MockServer::start_async().await;
    token_mock(&server, TOKEN, "rt").await;
    let order = |n: u32| {
        json!({"createTime": 1_700_000_000_000i64, "currencyCode": "USD", "customReferenceNo": "", "id": format!("31000000000000000{n:02}"),
               "invoiceNo": "", "orderNo": format!("PO{n}"), "orderStatus": "succeed"})
    };
    let page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/order/openapi/order/v1/page")
                .header("authorization", format!("Bearer {TOKEN}"))
                .is_true(|req| req.uri().query() == Some("pageNo=1&pageSize=3&sort=id"));
            then.status(200).header("content-type", "application/json").body(
                json!({"code": "success", "detailMessage": "", "requestId": "7249dc2422a5b3192c06b00fa77d31a2",
                       "result": {"count": 117, "pageNo": 1, "pageSize": 3, "results": [order(1), order(2), order(3)],
                                  "total": 117, "totalPage": 39},
                       "status": 200})
                .to_string(),
            );
        })
        .await;
    let c = client(&server);
    let got = c
        .send(&ListOrders::new().page_no(1).page_size(3).sort("id"))
        .await
        .unwrap();
    page.assert_calls_async(1).await;
    assert_eq!(
        (got.count, got.page_no, got.page_size, got.total, got.total_page),
        (Some(117), Some(1), Some(3), Some(117), Some(39))
    );
    let numbers: Vec<_> = got.results.iter().map(|o| o.order_no.clone().unwrap()).collect();
    assert_eq!(numbers, ["PO1", "PO2", "PO3"]);
}
