//! `yeastar pp product|order|licence` against the sandbox: the request sent (journal), the
//! output, and validation before sending.

mod common;

use std::time::Duration;

use common::{P, Sb, TempDir};
use serde_json::{Value, json};
use yeastar_sandbox::SandboxConfig;

const PLAN: &str = "3048571730026938368";
const RECORDING: &str = "3048573759449317376";

fn sb() -> Sb {
    // Orders settle at once, so that the licence can be read right after the order.
    Sb::start_with(SandboxConfig::new().with_pp_order_processing_time(Duration::ZERO))
}

#[test]
fn order_a_cloud_pbx_from_flags_then_list_its_licence() {
    let sb = sb();
    let products = sb.run(P::Pp, &["pp", "product", "list"]).ok();
    assert!(
        products.as_array().unwrap().iter().any(|p| p["productId"] == 13),
        "{products}"
    );
    let before = sb.run(P::Pp, &["pp", "licence", "list", "--product-id", "13"]).ok();

    sb.clear();
    let out = sb
        .run(
            P::Pp,
            &[
                "pp",
                "order",
                "create",
                "--operation",
                "purchase_plan",
                "--product-id",
                "13",
                "--billing-id",
                "3081512345678901248",
                "--assign-id",
                "3076915454489739264",
                "--plan",
                &format!("{PLAN}:20"),
                "--service",
                &format!("{RECORDING}:1000"),
                "--purchase-type",
                "purchase",
                "--billing-model",
                "recurring",
                "--billing-cycle",
                "annually",
                "--multi-cycle",
                "0",
                "--pbx-name",
                "Acme HQ",
                "--region-id",
                "1",
                "--domain-id",
                "11",
            ],
        )
        .ok();
    let id = out["id"].as_str().expect("the order id").to_owned();
    let calls = sb.api_calls();
    assert_eq!(calls.len(), 1, "sent once: {calls:#?}");
    let sent: Value = serde_json::from_str(&calls[0].body).unwrap();
    let item = |kind: &str, id: &str, qty: u32| {
        let mut v = json!({"serviceType": kind, "serviceId": id, "quantity": qty, "purchaseType": "purchase",
                           "billingModel": "recurring", "billingCycle": "annually", "multiCycle": 0});
        if kind == "service" {
            v["connectionPlanId"] = json!(PLAN);
        }
        v
    };
    assert_eq!(
        sent,
        json!({"operationType": "purchase_plan", "productId": 13, "assignId": "3076915454489739264",
               "billingId": 3081512345678901248u64,
               "serviceList": [item("plan", PLAN, 20), item("service", RECORDING, 1000)],
               "orderPceSpecialRequest": {"pbxName": "Acme HQ", "regionId": "1", "pbxSubDomainId": "11"}})
    );
    assert_eq!(
        (calls[0].method.as_str(), calls[0].path.as_str()),
        ("POST", "/order/openapi/order/v1/save")
    );

    let order = sb.run(P::Pp, &["pp", "order", "get", &id]).ok();
    assert_eq!(order["orderInformation"]["orderStatus"], "succeed");
    let sn = order["basicInformation"]["productNo"].as_str().unwrap().to_owned();
    let orders = sb.run(P::Pp, &["pp", "order", "list"]).ok();
    assert_eq!(orders[0]["id"], json!(id));

    let after = sb.run(P::Pp, &["pp", "licence", "list", "--product-id", "13"]).ok();
    assert_eq!(after.as_array().unwrap().len(), before.as_array().unwrap().len() + 1);
    assert!(after.as_array().unwrap().iter().any(|l| l["productNo"] == json!(sn)));
    let licence = sb.run(P::Pp, &["pp", "licence", "get", &sn, "--product-id", "13"]).ok();
    assert_eq!(licence["comment"], "Acme HQ");
    // CSV works on these lists like on the others.
    let csv = sb.run(P::Pp, &["pp", "licence", "list", "--product-id", "13", "-o", "csv"]);
    assert_eq!(csv.code, 0, "{csv:#?}");
    assert!(
        csv.stdout
            .starts_with("productNo,productId,productName,activationStatus,comment"),
        "{csv:#?}"
    );
}

#[test]
fn order_from_a_json_file_and_refusals_before_sending() {
    let sb = sb();
    let dir = TempDir::new("order");
    let file = dir.path().join("order.json");
    std::fs::write(
        &file,
        json!({"operationType": "purchase_service", "productId": 12, "productNo": "365800000000PSE1",
               "billingId": "3081512345678901248",
               "serviceList": [{"serviceType": "service", "serviceId": 3046312757961588736u64,
                                "connectionPlanId": "3046312447310462976", "quantity": 4,
                                "purchaseType": "purchase"}]})
        .to_string(),
    )
    .unwrap();
    sb.clear();
    let out = sb
        .run(P::Pp, &["pp", "order", "create", "--file", file.to_str().unwrap()])
        .ok();
    assert!(out["id"].is_string(), "{out}");
    let sent: Value = serde_json::from_str(&sb.last_call().body).unwrap();
    assert_eq!(
        sent["serviceList"][0]["serviceId"], "3046312757961588736",
        "ids go out exact"
    );
    assert_eq!(sent["billingId"], json!(3081512345678901248u64));

    // A Cloud PBX plan without the PBX block: refused by the SDK, nothing sent.
    sb.clear();
    let r = sb.run(
        P::Pp,
        &[
            "pp",
            "order",
            "create",
            "--operation",
            "purchase_plan",
            "--product-id",
            "13",
            "--billing-id",
            "3081512345678901248",
            "--plan",
            &format!("{PLAN}:20"),
        ],
    );
    r.fails(2);
    assert!(r.stderr.contains("orderPceSpecialRequest"), "{r:#?}");
    assert!(sb.api_calls().is_empty());
    let r = sb.run(
        P::Pp,
        &[
            "pp",
            "order",
            "create",
            "--operation",
            "purchase_plan",
            "--product-id",
            "13",
            "--billing-id",
            "3081512345678901248",
            "--plan",
            "x:y",
        ],
    );
    r.fails(2);
    assert!(sb.api_calls().is_empty());
}
