//! The examples run end to end against an in-process sandbox: the same code as `cargo run
//! --example …`, with a sandbox that provisions a Cloud PBX in milliseconds.
#![cfg(feature = "ycm")]

#[path = "../examples/onboard_customer.rs"]
#[allow(dead_code)]
mod onboard_customer;

use std::time::Duration;

use serde_json::json;
use yeastar::ycm::{Client, Credentials, PbxStatus, WaitOptions};
use yeastar_sandbox::{DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET, Sandbox, SandboxConfig};

#[tokio::test]
async fn onboard_customer_creates_waits_emails_resizes_and_reads_back() {
    let sandbox = Sandbox::start(SandboxConfig::new().with_ycm_provisioning_time(Duration::from_millis(200)))
        .await
        .unwrap();
    let client = Client::builder()
        .credentials(Credentials::client(DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET))
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let wait = WaitOptions::new(Duration::from_secs(10))
        .initial_interval(Duration::from_millis(20))
        .max_interval(Duration::from_millis(50));

    let done = onboard_customer::onboard(&client, "analytical", wait).await.unwrap();

    let customer = done.customer.customer_id.unwrap();
    assert_eq!(done.customer.email.as_deref(), Some("ada@engines.example"));
    assert_eq!(done.customer.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(done.pbx.pbx_status, Some(PbxStatus::Running));
    assert_eq!(done.pbx.url.as_deref(), Some("analytical.gd.yeastarcloud.cn"));
    // Resized: extensions and calls changed, the recording kept.
    assert_eq!(
        (
            done.pbx.extension_capacity,
            done.pbx.concurrent_call_capacity,
            done.pbx.recording_capacity
        ),
        (Some(20), Some(8), Some(100))
    );
    assert_eq!(done.pbx_customers, [customer]);
    assert_eq!(done.activation_emails, ["ada@engines.example"]);
    let id = done.pbx.cloud_pbx_id.unwrap();
    let summary = done.to_string();
    assert!(summary.contains("analytical.gd.yeastarcloud.cn, Running"), "{summary}");
    assert!(
        summary.contains("20 extensions, 8 concurrent calls, 100 recording minutes"),
        "{summary}"
    );

    // On the wire: each write once, with the documented bodies; polls while provisioning.
    let journal = sandbox.journal();
    let writes: Vec<(String, String, serde_json::Value)> = journal
        .iter()
        .filter(|e| e.method != "GET" && !e.path.contains("oauth"))
        .map(|e| (e.method.clone(), e.path.clone(), e.json().unwrap()))
        .collect();
    let base = "/dm/open_api/v1/cloud_pbx/instances";
    assert_eq!(
        writes,
        [
            (
                "POST".into(),
                "/dm/open_api/v1/customers".into(),
                json!({"firstName": "Ada", "lastName": "Lovelace", "company": "Analytical Engines Ltd",
                       "email": "ada@engines.example", "city": "London"})
            ),
            (
                "POST".into(),
                base.into(),
                json!({"name": "Analytical Engines PBX", "plan": "Enterprise Plan", "extensionCapacity": 10,
                       "concurrentCallCapacity": 4, "recordingStatus": "Enabled", "recordingCapacity": 100,
                       "regionId": 1, "subDomain": "analytical", "domainId": 5, "versionId": 764, "type": "Trial",
                       "customerIds": [customer], "upgradeInPbx": "Enabled", "im": "Enabled"})
            ),
            (
                "POST".into(),
                format!("{base}/{id}/activation_email"),
                json!({"customerIds": [customer]})
            ),
            (
                "PUT".into(),
                format!("{base}/{id}/capacity"),
                json!({"extensionCapacity": 20, "concurrentCallCapacity": 8, "recordingStatus": "Enabled",
                       "recordingCapacity": 100})
            ),
        ]
    );
    let status = format!("{base}/{id}/status");
    assert!(journal.iter().filter(|e| e.path == status).count() >= 2);
}
