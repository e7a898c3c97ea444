//! The onboarding flow end to end against the sandbox: customer, lookups, Cloud PBX create and
//! wait, activation email, resize, read-modify-writes, and the signed webhooks it fires,
//! verified with `webhooks::WebhookReceiver`.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use tokio::sync::mpsc;
use yeastar_sandbox::{DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET, Sandbox, SandboxConfig};
use yeastar_ycm::webhooks::{WebhookEvent, WebhookReceiver};
use yeastar_ycm::{
    Capacity, Client, CreateCloudPbx, CreateCustomer, Credentials, DeleteCustomers, Error, ListCloudPbxs, ListDomains,
    ListFirmware, PbxStatus, PbxType, Placement, Plan, ResizeCloudPbx, Toggle, TrunkDidRelation, WaitOptions,
    YcmErrorExt,
};

const SECRET: &str = "0cU9qkM3vR7yT1wE5aZ8nB2xL6pD4sHj";

/// A webhook endpoint that verifies and reads each delivery with the SDK's receiver.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Result<WebhookEvent, String>>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let verify = WebhookReceiver::new(SECRET);
    let app = Router::new()
        .route(
            "/ycm",
            post(
                |State((tx, verify)): State<(mpsc::UnboundedSender<_>, WebhookReceiver)>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let _ = tx.send(verify.receive(&headers, &body).map_err(|e| e.to_string()));
                    "ok"
                },
            ),
        )
        .with_state((tx, verify));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/ycm", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Result<WebhookEvent, String>>) -> WebhookEvent {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a delivery")
        .expect("the receiver runs")
        .expect("a verified, readable event")
}

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .credentials(Credentials::client(DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET))
        .base_url(sandbox.base_url())
        .allow_insecure_http(true)
        .build()
        .unwrap()
}

/// Short polls: the sandbox provisions in 300 ms here.
fn quick(timeout: Duration) -> WaitOptions {
    WaitOptions::new(timeout)
        .initial_interval(Duration::from_millis(50))
        .max_interval(Duration::from_millis(100))
}

#[tokio::test]
async fn onboard_a_customer_end_to_end() {
    let (url, mut events) = receiver().await;
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .with_ycm_provisioning_time(Duration::from_millis(300))
            .with_ycm_webhook(url, SECRET),
    )
    .await
    .unwrap();
    let client = client(&sandbox);

    let customer = client
        .customers()
        .create(CreateCustomer::new("Ada", "Analytical Engines Ltd", "ada@engines.example").city("London"))
        .await
        .unwrap()
        .id
        .unwrap();
    let regions = client.regions().list().await.unwrap();
    let region = regions
        .iter()
        .find(|r| r.region.as_deref() == Some("India(Mumbai)"))
        .and_then(|r| r.region_id)
        .unwrap();
    let domain = client.domains().list(ListDomains::new([region])).await.unwrap()[0]
        .domain_id
        .unwrap();
    let firmware = client
        .firmware()
        .list(ListFirmware::new().region_ids([region]))
        .await
        .unwrap()[0]
        .version_id
        .unwrap();
    let trunk = client.shared_trunks().list().await.unwrap()[2].id.unwrap();
    let dids = client
        .dids()
        .usable(yeastar_ycm::ListUsableDids::new(6681))
        .await
        .unwrap();
    let created = client
        .cloud_pbxs()
        .create(
            CreateCloudPbx::new(
                "Analytical PBX",
                "engines",
                Placement::new(region, domain, firmware),
                Plan::UltimatePlan,
                PbxType::Trial,
                Capacity::new(10, 4, Toggle::Enabled, 100),
                [customer],
            )
            .expiration_date(1_893_456_000)
            .allow_run_after_expiration_date(false)
            .trunk_did_relations(vec![TrunkDidRelation::new(6681, dids.iter().filter_map(|d| d.id))])
            .upgrade_in_pbx(Toggle::Enabled)
            .im(Toggle::Disabled),
        )
        .await
        .unwrap();
    assert!(trunk > 0);
    let id = created.id.expect("the sandbox answers the id");
    assert_eq!(
        client.cloud_pbxs().status(id).await.unwrap().pbx_status,
        Some(PbxStatus::Provisioning)
    );
    let pbx = client
        .cloud_pbxs()
        .wait_for(id, PbxStatus::Running, quick(Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(pbx.pbx_status, Some(PbxStatus::Running));
    assert_eq!(pbx.url.as_deref(), Some("engines.test.yeastarcloud.com"));
    assert_eq!(pbx.plan, Some(Plan::UltimatePlan));
    assert_eq!(pbx.transcription_capacity_plan, Some(240));

    // The webhooks of the creation, verified and typed.
    let WebhookEvent::CapacityChange(c) = next(&mut events).await else {
        panic!("capacity first")
    };
    assert_eq!(c[0].sn, pbx.sn);
    assert_eq!(c[0].repository.extensions, Some(10));
    let WebhookEvent::DidChange(d) = next(&mut events).await else {
        panic!("then the DIDs")
    };
    assert_eq!(d[0].trunk_did_info_list.len(), 2);

    // Activation email, resize through a read-modify-write, and read back.
    let sent = client
        .cloud_pbxs()
        .send_activation_emails(id, [customer])
        .await
        .unwrap();
    assert_eq!(sent, ["ada@engines.example"]);
    let info = client.cloud_pbxs().activation_info(id).await.unwrap();
    assert!(
        info.activation_url
            .unwrap()
            .starts_with("https://engines.test.yeastarcloud.com/")
    );
    client
        .cloud_pbxs()
        .modify_capacity(id, |c| c.extension_capacity = 25)
        .await
        .unwrap();
    let WebhookEvent::CapacityChange(c) = next(&mut events).await else {
        panic!("resize")
    };
    assert_eq!(c[0].repository.extensions, Some(25));
    assert_eq!(c[0].repository.recording_capacity, Some(100));
    let pbx = client.cloud_pbxs().get(id).await.unwrap();
    assert_eq!((pbx.extension_capacity, pbx.recording_capacity), (Some(25), Some(100)));
    // A reduction of the recording minutes is refused by the sandbox, as by YCM ...
    let err = client
        .cloud_pbxs()
        .resize(ResizeCloudPbx::new(id, Capacity::new(25, 4, Toggle::Enabled, 50)))
        .await
        .unwrap_err();
    assert!(err.is_invalid_parameter(), "{err}");
    // ... and by the read-modify-write before sending, since it knows the current minutes.
    let err = client
        .cloud_pbxs()
        .modify_capacity(id, |c| c.recording_capacity = 50)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    let pbx = client.cloud_pbxs().get(id).await.unwrap();
    assert_eq!(pbx.recording_capacity, Some(100));

    // Switches and customer fields through read-modify-writes keep the rest.
    client
        .cloud_pbxs()
        .modify(id, |u| u.passwordless_login = Some(Toggle::Enabled))
        .await
        .unwrap();
    let pbx = client.cloud_pbxs().get(id).await.unwrap();
    assert_eq!(
        (pbx.passwordless_login, pbx.im),
        (Some(Toggle::Enabled), Some(Toggle::Disabled))
    );
    client
        .customers()
        .modify(customer, |c| c.remark = Some("onboarded".into()))
        .await
        .unwrap();
    let c = client.customers().get(customer).await.unwrap();
    assert_eq!(
        (c.city.as_deref(), c.remark.as_deref()),
        (Some("London"), Some("onboarded"))
    );

    // The customer cannot go while it is on the PBX.
    let err = client
        .customers()
        .delete(DeleteCustomers::new([customer]))
        .await
        .unwrap_err();
    assert!(err.is_associated_with_cloud_pbx(), "{err}");
    client.cloud_pbxs().add_customers(id, [50086120]).await.unwrap();
    client.cloud_pbxs().remove_customers(id, [customer]).await.unwrap();
    assert_eq!(client.cloud_pbxs().customers(id).await.unwrap(), [50086120]);
    client
        .customers()
        .delete(DeleteCustomers::new([customer]))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_create_without_an_id_in_the_answer_is_found_by_its_sub_domain() {
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .with_ycm_create_pbx_answers_id(false)
            .with_ycm_provisioning_time(Duration::ZERO),
    )
    .await
    .unwrap();
    let client = client(&sandbox);
    let created = client
        .cloud_pbxs()
        .create(
            CreateCloudPbx::new(
                "Found PBX",
                "found",
                Placement::new(3, 1, 764),
                Plan::EnterprisePlan,
                PbxType::Commercial,
                Capacity::new(5, 2, Toggle::Disabled, 0),
                [50086120],
            )
            .upgrade_in_pbx(Toggle::Disabled)
            .im(Toggle::Enabled),
        )
        .await
        .unwrap();
    let id = created.id.expect("found by the search fallback");
    let listed = client
        .cloud_pbxs()
        .list(ListCloudPbxs::new().search("found"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].cloud_pbx_id, Some(id));
    assert_eq!(
        client
            .cloud_pbxs()
            .wait_until_running(id, Duration::from_secs(5))
            .await
            .unwrap()
            .cloud_pbx_id,
        Some(id)
    );
}
