//! YCM onboarding in the sandbox: customers, the Cloud PBX lifecycle, lookups, DIDs, webhooks.

mod common;

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use base64::Engine as _;
use common::{Env, ycm_error};
use hmac::{Hmac, KeyInit, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::mpsc;
use yeastar_sandbox::{ManualClock, SandboxConfig};

const CUSTOMERS: &str = "/dm/open_api/v1/customers";
const PBXS: &str = "/dm/open_api/v1/cloud_pbx/instances";

fn pbx(id: u64) -> String {
    format!("{PBXS}/{id}")
}

/// A create body with every required field (region 3, domain 1 `test.yeastarcloud.com`,
/// firmware 764).
fn create_body(sub_domain: &str, customers: &[u64]) -> Value {
    json!({
        "name": "Acme PBX", "plan": "Enterprise Plan", "extensionCapacity": 20, "concurrentCallCapacity": 5,
        "recordingStatus": "Enabled", "recordingCapacity": 500, "regionId": 3, "subDomain": sub_domain,
        "domainId": 1, "versionId": 764, "type": "Commercial", "customerIds": customers,
        "upgradeInPbx": "Enabled", "im": "Enabled"
    })
}

async fn status_of(env: &Env, token: &str, id: u64) -> String {
    let (status, body) = env.get(&format!("{}/status", pbx(id)), token).await;
    assert_eq!(status, 200, "{body}");
    body["data"]["pbxStatus"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn customers_create_get_replace_list_and_delete() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    // The create example.
    let (status, body) = env
        .call(
            Method::POST,
            CUSTOMERS,
            &token,
            Some(
                json!({"firstName":"Leo","lastName":"Ball","company":"Example Company","email":"leo.b@example.com",
                        "city":"Xiamen"}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body["data"]["customerId"].as_u64().unwrap();
    let (_, body) = env.get(&format!("{CUSTOMERS}/{id}"), &token).await;
    let c = &body["data"];
    assert_eq!((c["customerId"].as_u64(), &c["city"]), (Some(id), &json!("Xiamen")));
    // Every documented field is there, empty ones as null.
    assert_eq!(c.as_object().unwrap().len(), 15, "{c}");
    assert_eq!(c["faxNumber"], Value::Null);

    // Update is a full replace: the omitted city becomes NULL.
    let (status, body) = env
        .call(
            Method::PUT,
            &format!("{CUSTOMERS}/{id}"),
            &token,
            Some(json!({"firstName":"Leo","lastName":"Ball","company":"Example Company","email":"leo.ball2@example.com"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("data").is_none(), "{body}");
    let (_, body) = env.get(&format!("{CUSTOMERS}/{id}"), &token).await;
    assert_eq!(body["data"]["email"], "leo.ball2@example.com");
    assert_eq!(body["data"]["city"], Value::Null);

    // Required fields and the email rules.
    for (missing, want) in [
        (json!({"firstName":"A","email":"a@x.example"}), "company"),
        (json!({"company":"C","email":"a@x.example"}), "firstName"),
        (json!({"firstName":"A","company":"C"}), "email"),
    ] {
        let (status, body) = env.call(Method::POST, CUSTOMERS, &token, Some(missing)).await;
        assert_eq!(ycm_error(status, &body, 400), 1_000_004);
        assert!(body["errmsg"].as_str().unwrap().contains(want), "{body}");
    }
    let (status, body) = env
        .call(
            Method::POST,
            CUSTOMERS,
            &token,
            Some(json!({"firstName":"A","company":"C","email":"LEO@example.com"})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_019);

    // Paging and sort.
    let (_, body) = env
        .get(&format!("{CUSTOMERS}?pageSize=3&pageNumber=1&sort=-customerId"), &token)
        .await;
    assert_eq!(body["data"]["pageSize"], 3);
    assert_eq!(body["data"]["total"], 9);
    assert_eq!(body["data"]["list"][0]["customerId"].as_u64(), Some(id));
    let (status, body) = env.get(&format!("{CUSTOMERS}?pageSize=51"), &token).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);

    // The delete example; then the customers are gone.
    let (status, body) = env
        .call(
            Method::DELETE,
            CUSTOMERS,
            &token,
            Some(json!({"customerIds":[50429525,50429524]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = env.get(&format!("{CUSTOMERS}/50429525"), &token).await;
    assert_eq!(ycm_error(status, &body, 404), 1_000_005);
}

#[tokio::test]
async fn a_customer_still_attached_to_a_pbx_cannot_be_deleted() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    // 50086283 is the customer of PBX 7738 (doc example); 50429525 is free: all or nothing.
    let (status, body) = env
        .call(
            Method::DELETE,
            CUSTOMERS,
            &token,
            Some(json!({"customerIds":[50429525, 50086283]})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 3_000_014);
    assert!(body["errmsg"].as_str().unwrap().contains("7738"), "{body}");
    assert_eq!(env.get(&format!("{CUSTOMERS}/50429525"), &token).await.0, 200);
    // Detached from the PBX (another customer instead), it can go.
    let (status, _) = env
        .call(
            Method::PUT,
            &format!("{}/customers", pbx(7738)),
            &token,
            Some(json!({"customerIds":[50086120]})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = env
        .call(
            Method::DELETE,
            CUSTOMERS,
            &token,
            Some(json!({"customerIds":[50086283]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn pbx_lifecycle_on_a_manual_clock() {
    let clock = ManualClock::new();
    let env = Env::with(
        SandboxConfig::new()
            .with_clock(clock.clone())
            .with_ycm_provisioning_time(Duration::from_secs(60))
            .with_ycm_starting_time(Duration::from_secs(10)),
    )
    .await;
    let token = env.ycm_token().await;
    let (status, body) = env
        .call(Method::POST, PBXS, &token, Some(create_body("acme", &[50086120])))
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body["data"]["cloudPbxId"].as_u64().unwrap();
    let (_, body) = env.get(&pbx(id), &token).await;
    let p = &body["data"];
    assert_eq!(p["pbxStatus"], "Provisioning");
    assert_eq!(p["activationStatus"], "Unactivated");
    assert_eq!(p["url"], "acme.test.yeastarcloud.com");
    assert_eq!(p["region"], "India(Mumbai)");
    assert_eq!(p["version"], "84.8.0.25");
    assert_eq!(
        (p["extensionCapacity"].as_i64(), p["recordingCapacity"].as_i64()),
        (Some(20), Some(500))
    );
    // Stopping or starting while provisioning is refused.
    let (status, body) = env.call(Method::PUT, &format!("{}/stop", pbx(id)), &token, None).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);

    clock.advance(Duration::from_secs(59));
    assert_eq!(status_of(&env, &token, id).await, "Provisioning");
    clock.advance(Duration::from_secs(1));
    assert_eq!(status_of(&env, &token, id).await, "Running");

    // Stop at once; start through Starting.
    assert_eq!(
        env.call(Method::PUT, &format!("{}/stop", pbx(id)), &token, None)
            .await
            .0,
        200
    );
    assert_eq!(status_of(&env, &token, id).await, "Stopped");
    let (status, body) = env.call(Method::PUT, &format!("{}/start", pbx(id)), &token, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body.as_object().unwrap().len(),
        3,
        "{{requestId, status, time}}: {body}"
    );
    assert_eq!(status_of(&env, &token, id).await, "Starting");
    clock.advance(Duration::from_secs(10));
    assert_eq!(status_of(&env, &token, id).await, "Running");

    // Resize: every capacity required; the recording minutes cannot go down.
    let resize = format!("{}/capacity", pbx(id));
    let (status, body) = env
        .call(
            Method::PUT,
            &resize,
            &token,
            Some(json!({"extensionCapacity": 30, "concurrentCallCapacity": 15})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let (status, body) = env
        .call(
            Method::PUT,
            &resize,
            &token,
            Some(json!({"extensionCapacity":30,"concurrentCallCapacity":15,"recordingStatus":"Enabled","recordingCapacity":400})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    assert!(body["errmsg"].as_str().unwrap().contains("reduce"), "{body}");
    let (status, _) = env
        .call(
            Method::PUT,
            &resize,
            &token,
            Some(json!({"extensionCapacity":10,"concurrentCallCapacity":15,"recordingStatus":"Enabled","recordingCapacity":600})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = env.get(&pbx(id), &token).await;
    assert_eq!(
        (
            body["data"]["extensionCapacity"].as_i64(),
            body["data"]["recordingCapacity"].as_i64()
        ),
        (Some(10), Some(600))
    );

    // Activation info of the unactivated PBX; a passwordless URL.
    let (_, body) = env.get(&format!("{}/activation_info", pbx(id)), &token).await;
    assert_eq!(body["data"]["cloudPbxId"].as_u64(), Some(id));
    assert!(
        body["data"]["activationUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://acme.test.yeastarcloud.com/activate?code=")
    );
    let (_, body) = env.get(&format!("{}/activation_info", pbx(7715)), &token).await;
    assert_eq!(
        body["status"], "Failed",
        "an activated PBX has no activation info: {body}"
    );
    let (_, body) = env.get(&format!("{}/password_free_login_url", pbx(id)), &token).await;
    assert!(
        body["data"]["passwordFreeLoginUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://acme.")
    );

    // Delete; then it is gone.
    let (status, _) = env
        .call(Method::DELETE, PBXS, &token, Some(json!({"cloudPbxIds": [id]})))
        .await;
    assert_eq!(status, 200);
    let (status, body) = env.get(&pbx(id), &token).await;
    assert_eq!(ycm_error(status, &body, 404), 1_000_005);
}

#[tokio::test]
async fn create_is_validated_as_the_docs_say() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let mut cases: Vec<(Value, &str)> = Vec::new();
    for key in [
        "name",
        "plan",
        "subDomain",
        "type",
        "customerIds",
        "upgradeInPbx",
        "im",
        "recordingCapacity",
    ] {
        let mut b = create_body("acme2", &[50086120]);
        b.as_object_mut().unwrap().remove(key);
        cases.push((b, key));
    }
    let mut b = create_body("acme.2", &[50086120]);
    cases.push((b.clone(), "subDomain"));
    b = create_body("acme2", &[50086120]);
    b["expirationDate"] = json!(1_767_225_600);
    cases.push((b, "allowRunAfterExpirationDate"));
    b = create_body("acme2", &[50086120]);
    b["domainId"] = json!(3);
    cases.push((b, "domainId"));
    b = create_body("acme2", &[50086120]);
    b["plan"] = json!("Upgrading to Ultimate Plan");
    cases.push((b, "plan"));
    for (body, field) in cases {
        let (status, answer) = env.call(Method::POST, PBXS, &token, Some(body)).await;
        assert_eq!(ycm_error(status, &answer, 400), 1_000_004, "{field}: {answer}");
        assert!(answer["errmsg"].as_str().unwrap().contains(field), "{field}: {answer}");
    }
    // An unknown customer, an unknown region.
    let (status, body) = env
        .call(Method::POST, PBXS, &token, Some(create_body("acme2", &[1])))
        .await;
    assert_eq!(ycm_error(status, &body, 404), 1_000_005);
    // A URL already in use (PBX 42100 is example.test.yeastarcloud.com).
    let (status, body) = env
        .call(Method::POST, PBXS, &token, Some(create_body("Example", &[50086120])))
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_007);
    // Nothing was created.
    let (_, body) = env
        .get("/dm/open_api/v2/cloud_pbx/instances?search=acme2", &token)
        .await;
    assert_eq!(body["data"]["total"], 0);
}

#[tokio::test]
async fn create_can_answer_without_an_id_and_the_pbx_is_found_by_search() {
    let env = Env::with(SandboxConfig::new().with_ycm_create_pbx_answers_id(false)).await;
    let token = env.ycm_token().await;
    let (status, body) = env
        .call(Method::POST, PBXS, &token, Some(create_body("noid", &[50086120])))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("data").is_none(), "{body}");
    let (_, body) = env.get("/dm/open_api/v2/cloud_pbx/instances?search=NOID", &token).await;
    assert_eq!(body["data"]["total"], 1);
    assert_eq!(body["data"]["list"][0]["url"], "noid.test.yeastarcloud.com");
}

#[tokio::test]
async fn list_by_url_and_customers_of_a_pbx() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let (_, body) = env
        .get(
            "/dm/open_api/v2/cloud_pbx/instances?pageSize=2&sort=-cloudPbxId",
            &token,
        )
        .await;
    assert_eq!(body["data"]["pageSize"], 2);
    assert_eq!(body["data"]["total"], 11);
    assert_eq!(body["data"]["list"][0]["cloudPbxId"], 389283);
    let (_, body) = env.get("/dm/open_api/v2/cloud_pbx/instances?sort=name", &token).await;
    assert_eq!(body["status"], "Failed", "{body}");
    // The "Response Results" example, by URL.
    let (_, body) = env
        .get(&format!("{PBXS}/get?url=cloud.example.yeastar.com"), &token)
        .await;
    assert_eq!(body["data"]["cloudPbxId"], 7715);
    assert_eq!(body["data"]["sn"], "3658B4311196XXXX");
    let (status, body) = env.get(&format!("{PBXS}/get?url=nope.example"), &token).await;
    assert_eq!(ycm_error(status, &body, 404), 1_000_005);
    // The customers example of PBX 7738, and the replace example of PBX 41567.
    let (_, body) = env.get(&format!("{}/customers", pbx(7738)), &token).await;
    assert_eq!(body["data"], json!({"customerIds": [50086283]}));
    let (status, _) = env
        .call(
            Method::PUT,
            &format!("{}/customers", pbx(41567)),
            &token,
            Some(json!({"customerIds":[50329411,50086182]})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = env.get(&format!("{}/customers", pbx(41567)), &token).await;
    assert_eq!(body["data"]["customerIds"], json!([50329411, 50086182]));
    for bad in [json!({"customerIds": []}), json!({"customerIds": [1]})] {
        let (_, body) = env
            .call(Method::PUT, &format!("{}/customers", pbx(41567)), &token, Some(bad))
            .await;
        assert_eq!(body["status"], "Failed", "{body}");
    }
    // The activation-email example of PBX 42100.
    let (status, body) = env
        .call(
            Method::POST,
            &format!("{}/activation_email", pbx(42100)),
            &token,
            Some(json!({"customerIds":[50329421,50086182]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["accountList"],
        json!(["raj@example.com", "amy@example.com"])
    );
    let (status, body) = env
        .call(
            Method::POST,
            &format!("{}/activation_email", pbx(42100)),
            &token,
            Some(json!({"customerIds":[50086283]})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    // The update example: disable passwordless login on PBX 42100; every switch required.
    let (status, body) = env
        .call(
            Method::PUT,
            &pbx(42100),
            &token,
            Some(json!({"name": "P", "upgradeInPbx": "Enabled"})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let (status, _) = env
        .call(
            Method::PUT,
            &pbx(42100),
            &token,
            Some(json!({"name":"Example Company PBX","upgradeInPbx":"Enabled","im":"Enabled","passwordlessLogin":"Disabled",
                        "allowSuperiorPasswordlessLogin":"Disabled","pbxApi":"Enabled"})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = env.get(&pbx(42100), &token).await;
    assert_eq!(
        (&body["data"]["passwordlessLogin"], &body["data"]["pbxApi"]),
        (&json!("Disabled"), &json!("Enabled"))
    );
}

#[tokio::test]
async fn lookups_answer_the_doc_examples() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let (_, body) = env.get("/dm/open_api/v1/cluster/regions", &token).await;
    let regions = body["data"].as_array().unwrap();
    assert_eq!(regions[0], json!({"regionId": 1, "region": "China(GuangDong)"}));
    assert_eq!(regions[3], json!({"regionId": 4, "region": "Asia Pacific(Singapore)"}));
    let (_, body) = env.get("/dm/open_api/v1/cluster/domains?regionIds=3,4", &token).await;
    assert_eq!(
        body["data"],
        json!([
            {"regionId": 3, "domainId": 1, "domain": "test.yeastarcloud.com"},
            {"regionId": 3, "domainId": 2, "domain": "test2.yeastarcloud.com"},
            {"regionId": 4, "domainId": 3, "domain": "sg.yeastarcloud.com"}
        ])
    );
    // Percent-encoded commas are the same list.
    let (_, encoded) = env.get("/dm/open_api/v1/cluster/domains?regionIds=3%2C4", &token).await;
    assert_eq!(encoded["data"], body["data"]);
    let (status, body) = env.get("/dm/open_api/v1/cluster/domains", &token).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let (_, body) = env.get("/dm/open_api/v1/firmware?type=pbx&regionIds=16", &token).await;
    assert_eq!(body["data"][0]["versionId"], 764);
    assert_eq!(body["data"][0]["version"], "84.8.0.25");
    let (status, body) = env.get("/dm/open_api/v1/firmware?regionIds=16", &token).await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let (_, body) = env.get("/dm/open_api/v1/shared_trunk/name/acl", &token).await;
    assert_eq!(
        body["data"][0],
        json!({"id": 325, "name": "A1_07L3RG", "type": "register"})
    );
    let (_, body) = env
        .get("/dm/open_api/v1/shared_trunk/pbx/used?cloudPbxId=4769", &token)
        .await;
    assert_eq!(body["data"], json!({"sharedTrunkIds": [6680]}));
    let (_, body) = env
        .get(
            "/dm/open_api/v1/did_management/usable?trunkId=112129&cloudPbxId=358868",
            &token,
        )
        .await;
    assert_eq!(
        body["data"],
        json!([{"id": 1186852, "did": "83", "didName": ""}, {"id": 1186853, "did": "84", "didName": ""}])
    );
    let (_, body) = env.get("/dm/open_api/v1/did_management/4768/did", &token).await;
    assert_eq!(body["data"], json!({"didIds": [2, 3, 8, 9, 10, 11]}));
}

#[tokio::test]
async fn did_bindings_replace_and_clear() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    let path = format!("{}/did", pbx(4808));
    // The example: PBX 4808, trunk 6681, DIDs 50036 and 50044.
    let (status, body) = env
        .call(
            Method::PUT,
            &path,
            &token,
            Some(json!({"trunkDidRelations":[{"trunkId":6681,"didIds":[50036,50044]}]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = env.get("/dm/open_api/v1/did_management/4808/did", &token).await;
    assert_eq!(body["data"]["didIds"], json!([50036, 50044]));
    // Another PBX cannot take them; a DID of another trunk is refused.
    let (status, body) = env
        .call(
            Method::PUT,
            &format!("{}/did", pbx(7715)),
            &token,
            Some(json!({"trunkDidRelations":[{"trunkId":6681,"didIds":[50036]}]})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    let (status, body) = env
        .call(
            Method::PUT,
            &path,
            &token,
            Some(json!({"trunkDidRelations":[{"trunkId":6681,"didIds":[1186852]}]})),
        )
        .await;
    assert_eq!(ycm_error(status, &body, 400), 1_000_004);
    // `[]` clears them all.
    let (status, _) = env
        .call(Method::PUT, &path, &token, Some(json!({"trunkDidRelations": []})))
        .await;
    assert_eq!(status, 200);
    let (_, body) = env.get("/dm/open_api/v1/did_management/4808/did", &token).await;
    assert_eq!(body["data"]["didIds"], json!([]));
}

/// One webhook delivery as a receiver saw it.
#[derive(Debug)]
struct Delivery {
    signature: Option<String>,
    content_type: Option<String>,
    body: Bytes,
}

/// A webhook receiver on a free port, and the deliveries it gets.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Delivery>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State(tx): State<mpsc::UnboundedSender<Delivery>>, headers: HeaderMap, body: Bytes| async move {
                    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_owned);
                    let _ = tx.send(Delivery {
                        signature: header("x-signature"),
                        content_type: header("content-type"),
                        body,
                    });
                    "ok"
                },
            ),
        )
        .with_state(tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Delivery>) -> Delivery {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a webhook delivery")
        .expect("the receiver runs")
}

/// Checks the signature as a receiver must: Base64(HMAC-SHA256(raw body, secret)).
fn verified(d: &Delivery, secret: &str) -> Value {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&d.body);
    let sig = base64::engine::general_purpose::STANDARD
        .decode(d.signature.as_deref().expect("an X-Signature header"))
        .unwrap();
    mac.verify_slice(&sig).expect("the signature matches the body");
    assert_eq!(d.content_type.as_deref(), Some("application/json"));
    serde_json::from_slice(&d.body).unwrap()
}

#[tokio::test]
async fn capacity_and_did_changes_are_posted_signed_to_the_webhook() {
    const SECRET: &str = "2Wq7ZtJ0yB8vK4nR6pL1sD9fH3gX5cMa";
    let (url, mut rx) = receiver().await;
    let env = Env::with(SandboxConfig::new().with_ycm_webhook(url, SECRET)).await;
    let token = env.ycm_token().await;
    let mut body = create_body("hooked", &[50086120]);
    body["transcriptionCapacity"] = json!(200);
    body["trunkDidRelations"] = json!([{"trunkId": 6681, "didIds": [50036]}]);
    let (status, answer) = env.call(Method::POST, PBXS, &token, Some(body)).await;
    assert_eq!(status, 200, "{answer}");
    let id = answer["data"]["cloudPbxId"].as_u64().unwrap();
    let sn = env.get(&pbx(id), &token).await.1["data"]["sn"]
        .as_str()
        .unwrap()
        .to_owned();

    // Creation: capacity assigned, then the DIDs.
    let capacity = verified(&next(&mut rx).await, SECRET);
    let item = &capacity[0];
    assert_eq!(item["sn"], sn.as_str());
    assert_eq!(item["modifier"], "leo@yeastar.com");
    assert!(item["updateTime"].is_i64());
    assert_eq!(
        item["repository"],
        json!({"extensions":"20","transcription":"200","receptionist":"0","concurrentCalls":"5",
               "enableCallRecording":"yes","receptionist_pack":"0","recordingCapacity":"500","transcription_pack":"0"})
    );
    let dids = verified(&next(&mut rx).await, SECRET);
    assert_eq!(dids[0]["event"], "did_change");
    assert_eq!(
        dids[0]["trunkDidInfoList"],
        json!([{"did":"+442079461101","didId":"50036","trunkId":"6681","trunkName":"register_9QX07B"}])
    );

    // A resize, a DID change, a delete.
    let (status, _) = env
        .call(
            Method::PUT,
            &format!("{}/capacity", pbx(id)),
            &token,
            Some(json!({"extensionCapacity":30,"concurrentCallCapacity":15,"recordingStatus":"Disabled","recordingCapacity":600})),
        )
        .await;
    assert_eq!(status, 200);
    let resized = verified(&next(&mut rx).await, SECRET);
    assert_eq!(resized[0]["repository"]["extensions"], "30");
    assert_eq!(resized[0]["repository"]["enableCallRecording"], "no");
    let (status, _) = env
        .call(
            Method::PUT,
            &format!("{}/did", pbx(id)),
            &token,
            Some(json!({"trunkDidRelations":[{"trunkId":6681,"didIds":[50036,50044]}]})),
        )
        .await;
    assert_eq!(status, 200);
    let changed = verified(&next(&mut rx).await, SECRET);
    assert_eq!(changed[0]["trunkDidInfoList"].as_array().unwrap().len(), 2);
    let (status, _) = env
        .call(Method::DELETE, PBXS, &token, Some(json!({"cloudPbxIds":[id]})))
        .await;
    assert_eq!(status, 200);
    let deleted = verified(&next(&mut rx).await, SECRET);
    assert_eq!(deleted[0]["event"], "pce_delete");
    assert_eq!(deleted[0]["sn"], sn.as_str());
    // The DIDs are free again.
    let (_, body) = env
        .get("/dm/open_api/v1/did_management/usable?trunkId=6681", &token)
        .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    // Nothing else was sent.
    assert!(rx.try_recv().is_err());
}
