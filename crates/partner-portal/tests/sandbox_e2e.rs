//! Orders and licences end to end against the sandbox: list products → plan detail → region →
//! create an order → list and read it while pending and after it succeeds → its licence appears.

use std::time::Duration;

use yeastar_partner_portal::{
    Client, CreateOrder, Credentials, Error, GetPlanInfo, GetProductOffering, ListLicences, ListOrders, ListProducts,
    ListRegions, OperationType, OrderItem, OrderStatus, PceOrder, PurchaseType,
};
use yeastar_sandbox::{DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET, ManualClock, Sandbox, SandboxConfig};

const BILLING_ID: &str = "3081512345678901248";
const PARTNER_ID: &str = "3076915454489739264";

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .credentials(Credentials::client(DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET))
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn order_a_cloud_pbx_and_read_its_licence() {
    let clock = ManualClock::new();
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .with_clock(clock.clone())
            .with_pp_order_processing_time(Duration::from_secs(60)),
    )
    .await
    .unwrap();
    let client = client(&sandbox);

    let products = client.products().list(ListProducts::new()).try_collect().await.unwrap();
    let cloud_pbx = products
        .iter()
        .find(|p| p.product_id == Some(13))
        .expect("Cloud PBX on sale");
    assert_eq!(cloud_pbx.name.as_deref(), Some("Cloud PBX"));

    let offering = client.products().offering(GetProductOffering::new(13)).await.unwrap();
    let enterprise = offering
        .plan_list
        .iter()
        .find(|p| p.name.as_deref() == Some("Enterprise Plan"))
        .unwrap();
    // Sent as a JSON number by the sandbox; read back with every digit.
    let plan_id = enterprise.id.clone().unwrap();
    assert_eq!(plan_id, "3048571730026938368");
    let recording = offering
        .service_list
        .iter()
        .find(|s| s.name.as_deref() == Some("Recording Minutes"))
        .unwrap()
        .id
        .clone()
        .unwrap();
    let plan = client
        .products()
        .plan_info(GetPlanInfo::plan(PurchaseType::Purchase, &plan_id, 13))
        .await
        .unwrap();
    assert_eq!((plan.min_quantity, plan.max_quantity), (Some(5), Some(500)));
    assert_eq!(plan.id.as_deref(), Some(plan_id.as_str()));

    let regions = client.regions().list(ListRegions::new()).try_collect().await.unwrap();
    let region = &regions[0];
    let domain = region.region[0].pbx_sub_domain_id.clone().unwrap();

    let before = client
        .licences()
        .list(ListLicences::new(13))
        .try_collect()
        .await
        .unwrap();
    let order = CreateOrder::new(OperationType::PurchasePlan, 13, BILLING_ID)
        .assign_id(PARTNER_ID)
        .po_number("PO-2026-1")
        .item(
            OrderItem::plan(&plan_id)
                .quantity(20)
                .purchase_type(PurchaseType::Purchase)
                .billing_model("recurring")
                .billing_cycle("annually")
                .multi_cycle(0),
        )
        .item(
            OrderItem::service(&recording)
                .connection_plan_id(&plan_id)
                .quantity(1000)
                .purchase_type(PurchaseType::Purchase),
        )
        .pce(PceOrder::new("Acme HQ", region.id.clone().unwrap(), domain));
    let done = client.orders().create(order).await.unwrap();
    let id = done.id.expect("the new order's id");
    assert!(id.len() >= 19, "{id}");
    assert_eq!(
        sandbox.journal_count(
            &yeastar_transport::reexports::Method::POST,
            "/order/openapi/order/v1/save"
        ),
        1
    );

    // Pending: listed, no licence yet.
    let details = client.orders().get(&id).await.unwrap();
    assert_eq!(details.order_information.order_status, Some(OrderStatus::Pending));
    assert_eq!(details.basic_information.product_id.as_deref(), Some("13"));
    let listed = client
        .orders()
        .list(ListOrders::new().page_size(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id.as_deref(), Some(id.as_str()));
    assert_eq!(
        client
            .licences()
            .list(ListLicences::new(13))
            .try_collect()
            .await
            .unwrap()
            .len(),
        before.len()
    );

    // Processed: succeeded, and the licence is there under the SN the order names.
    clock.advance(Duration::from_secs(61));
    let details = client.orders().get(&id).await.unwrap();
    assert_eq!(details.order_information.order_status, Some(OrderStatus::Succeed));
    let sn = details.basic_information.product_no.clone().unwrap();
    assert!(!sn.is_empty());
    let after = client
        .licences()
        .list(ListLicences::new(13).page_size(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(after.len(), before.len() + 1);
    let licence = client.licences().get(&sn, 13).await.unwrap();
    assert_eq!(licence.product_no.as_deref(), Some(sn.as_str()));
    assert_eq!(licence.comment.as_deref(), Some("Acme HQ"));

    // A renewal of that PBX needs its SN; the sandbox knows it now.
    let renew = CreateOrder::new(OperationType::RenewPlan, 13, BILLING_ID)
        .product_no(&sn)
        .item(
            OrderItem::plan(&plan_id)
                .quantity(20)
                .purchase_type(PurchaseType::Renew),
        );
    assert!(client.orders().create(renew).await.unwrap().id.is_some());
}

#[tokio::test]
async fn the_sandbox_refuses_what_the_api_would() {
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let client = client(&sandbox);
    // A plan that is not sold for this product: the sandbox's 400, with the field.
    let err = client
        .orders()
        .create(
            CreateOrder::new(OperationType::PurchasePlan, 14, BILLING_ID)
                .item(OrderItem::plan("3048571730026938368").purchase_type(PurchaseType::Purchase)),
        )
        .await
        .unwrap_err();
    let api = err.api_error().expect("api error");
    assert_eq!(
        (api.status, api.code.as_deref()),
        (400, Some("parameter_validation_failed"))
    );
    // An unknown licence and order are not found.
    let err = client.licences().get("NOPE", 13).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let err = client.orders().get("42").await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    // The seeded Software Edition has an activation code.
    let code = client.licences().activation_code("365800000000PSE1").await.unwrap();
    assert_eq!(code.code.as_deref(), Some("PSE1-7Q2M-9K4D"));
    assert!(matches!(
        client
            .licences()
            .list(ListLicences::new(13).page_size(0))
            .try_collect()
            .await,
        Err(Error::InvalidInput { .. })
    ));
}
