//! `wait_until_running` / `wait_for` under paused tokio time.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::json;
use tokio::time::Instant;
use yeastar_transport::test_util::{Reply, ScriptedHttp};
use yeastar_ycm::{PbxStatus, WaitError, WaitOptions};

const STATUS: &str = "/dm/open_api/v1/cloud_pbx/instances/42100/status";
const PBX: &str = "/dm/open_api/v1/cloud_pbx/instances/42100";

fn status(s: &str) -> Reply {
    Reply::json(
        200,
        success(Some(
            json!({"cloudPbxId": 42100, "pbxStatus": s, "activationStatus": "Unactivated"}),
        ))
        .to_string(),
    )
}

/// A server whose status answers come from `script` in turn (the last one repeats), with the
/// (paused) time of every status query.
fn server(script: Vec<Reply>) -> (Arc<ScriptedHttp>, Arc<Mutex<Vec<Duration>>>) {
    let start = Instant::now();
    let times = Arc::new(Mutex::new(Vec::new()));
    let seen = times.clone();
    let next = AtomicUsize::new(0);
    let http = ScriptedHttp::new(move |req| match req.uri.path() {
        STATUS => {
            seen.lock().unwrap().push(start.elapsed());
            let i = next.fetch_add(1, Ordering::SeqCst).min(script.len() - 1);
            script[i].clone()
        }
        PBX => Reply::json(
            200,
            success(Some(
                json!({"cloudPbxId": 42100, "pbxStatus": "Running", "name": "Acme"}),
            ))
            .to_string(),
        ),
        other => Reply::json(404, failed(1000005, other).to_string()),
    });
    (Arc::new(http), times)
}

#[tokio::test(start_paused = true)]
async fn waits_with_backoff_until_running_then_reads_the_pbx() {
    let (http, times) = server(vec![
        status("Provisioning"),
        status("Provisioning"),
        status("Provisioning"),
        status("Running"),
    ]);
    let client = scripted_client(http.clone());
    let pbx = client
        .cloud_pbxs()
        .wait_until_running(42100, Duration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(pbx.name.as_deref(), Some("Acme"));
    // At once, then after 2 s, 4 s and 8 s.
    let secs: Vec<u64> = times.lock().unwrap().iter().map(Duration::as_secs).collect();
    assert_eq!(secs, [0, 2, 6, 14]);
    assert_eq!(http.count(PBX), 1);
}

#[tokio::test(start_paused = true)]
async fn a_timeout_says_the_last_status_seen() {
    let (http, times) = server(vec![status("Provisioning"), status("Starting")]);
    let client = scripted_client(http.clone());
    let options = WaitOptions::new(Duration::from_secs(60)).max_interval(Duration::from_secs(20));
    let err = client
        .cloud_pbxs()
        .wait_for(42100, PbxStatus::Running, options)
        .await
        .unwrap_err();
    let WaitError::TimedOut {
        cloud_pbx_id,
        target,
        last_status,
        waited,
        polls,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!((*cloud_pbx_id, target), (42100, &PbxStatus::Running));
    assert_eq!(last_status, &Some(PbxStatus::Starting));
    assert_eq!(*waited, Duration::from_secs(60));
    // Pauses of 2, 4, 8, 16 and 20 s (the cap), then a last poll at the deadline.
    let secs: Vec<u64> = times.lock().unwrap().iter().map(Duration::as_secs).collect();
    assert_eq!(secs, [0, 2, 6, 14, 30, 50, 60]);
    assert_eq!(*polls, 7);
    assert_eq!(
        err.to_string(),
        "Cloud PBX 42100 was not Running after 60s: last status Starting (7 status queries)"
    );
    assert_eq!(http.count(PBX), 0);
    // As a plain SDK error it is a timeout.
    let plain: yeastar_ycm::Error = err.into();
    assert!(matches!(plain, yeastar_ycm::Error::Timeout { .. }), "{plain}");
}

#[tokio::test(start_paused = true)]
async fn transient_failures_are_polled_through_and_errors_end_the_wait() {
    let (http, _) = server(vec![status("Provisioning"), Reply::raw(503, "busy"), status("Running")]);
    let client = scripted_client(http);
    client
        .cloud_pbxs()
        .wait_until_running(42100, Duration::from_secs(600))
        .await
        .unwrap();

    let (http, times) = server(vec![Reply::json(404, failed(1000005, "no such PBX").to_string())]);
    let client = scripted_client(http);
    let err = client
        .cloud_pbxs()
        .wait_until_running(42100, Duration::from_secs(600))
        .await
        .unwrap_err();
    let WaitError::Call(inner) = &err else { panic!("{err}") };
    assert!(inner.is_not_found(), "{inner}");
    assert_eq!(times.lock().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_timeout_too_long_for_the_clock_waits_instead_of_panicking() {
    // `Instant + Duration::MAX` overflows: the wait is capped (at a year), not a panic.
    let (http, times) = server(vec![status("Provisioning"), status("Running")]);
    let client = scripted_client(http.clone());
    let pbx = client
        .cloud_pbxs()
        .wait_until_running(42100, Duration::MAX)
        .await
        .unwrap();
    assert_eq!(pbx.name.as_deref(), Some("Acme"));
    assert_eq!(times.lock().unwrap().len(), 2);
}
