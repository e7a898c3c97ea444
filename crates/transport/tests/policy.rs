//! Retry policy, per-call options and the outcome of writes whose answer was lost (issues 12
//! items 3, 7, 8 and 13 items 3, 4), under paused tokio time.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use tokio::time::Instant;
use yeastar_transport::test_util::{Reply, ScriptedHttp};
use yeastar_transport::{CallOptions, Client, Error, Jitter, RetryPolicy, TimeoutKind, TransportErrorKind};

fn client(http: &Arc<ScriptedHttp>, retry: RetryPolicy) -> Client {
    builder("https://workplace.example")
        .http_client(http.clone())
        .retry(retry)
        .build()
        .unwrap()
}

fn token(req: &yeastar_transport::test_util::RecordedRequest) -> Reply {
    let _ = req;
    Reply::json(200, token_json(ACCESS, 1800))
}

/// Answers the first `fail` calls to `/things/..` with `first`, the rest with `then`.
fn script(first: Reply, fail: usize, then: Reply) -> Arc<ScriptedHttp> {
    let n = AtomicUsize::new(0);
    Arc::new(ScriptedHttp::new(move |req| match req.uri.path() {
        "/token" => token(req),
        _ if n.fetch_add(1, Ordering::SeqCst) < fail => first.clone(),
        _ => then.clone(),
    }))
}

const NOT_FOUND: &str = r#"{"status":"Failed","errMsg":"NOT_FOUND","detailMsg":"no such thing","requestId":"r-nf"}"#;

#[tokio::test(start_paused = true)]
async fn item_12_07_a_retried_delete_that_finds_nothing_was_deleted_by_the_first_attempt() {
    for lost in [
        Reply::json(503, "{}"),
        Reply::Fail(TransportErrorKind::Io),
        Reply::json(200, ok_json("null")).after(Duration::from_secs(3600)),
    ] {
        let http = script(lost, 1, Reply::json(404, NOT_FOUND));
        let client = builder("https://workplace.example")
            .http_client(http.clone())
            .attempt_timeout(Duration::from_secs(5))
            .retry(RetryPolicy::default().with_jitter(Jitter::fixed(0.0)).with_initial_backoff(Duration::from_millis(1)))
            .build()
            .unwrap();
        let done = client.send(&DeleteThing("7".into())).await.unwrap();
        assert!(done.already_absent);
        assert_eq!(done.request_id.as_deref(), Some("r-nf"));
        assert_eq!(http.count("/things/7"), 2);
    }
    // Not found on the first attempt: it was never there, which is an error.
    let http = script(Reply::json(404, NOT_FOUND), 1, Reply::json(200, ok_json("null")));
    let err = client(&http, RetryPolicy::default()).send(&DeleteThing("7".into())).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    // Not found after a retry whose first attempt certainly did nothing (429): also an error.
    let http = script(Reply::json(429, "{}"), 1, Reply::json(404, NOT_FOUND));
    let err = client(&http, RetryPolicy::default()).send(&DeleteThing("7".into())).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test(start_paused = true)]
async fn item_12_08_a_create_whose_answer_was_lost_does_not_invite_a_resend() {
    for lost in [
        Reply::Fail(TransportErrorKind::Io),
        Reply::json(502, "<html>Bad Gateway</html>"),
        Reply::json(504, "{}"),
        Reply::json(200, ok_json("1")).after(Duration::from_secs(3600)),
    ] {
        let http = script(lost, 1, Reply::json(200, ok_json("1")));
        let client = builder("https://workplace.example")
            .http_client(http.clone())
            .attempt_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let err = client.send(&CreateThing(serde_json::json!({}))).await.unwrap_err();
        assert!(err.outcome_unknown(), "{err}");
        assert!(!err.is_retryable(), "{err}");
        assert!(err.to_string().contains("may have taken effect"), "{err}");
        assert_eq!(http.count("/things"), 1);
    }
    // Refused before it left: retried, and never "unknown".
    let http = script(Reply::Fail(TransportErrorKind::Connect), 5, Reply::json(200, ok_json("1")));
    let err = client(&http, RetryPolicy::default()).send(&CreateThing(serde_json::json!({}))).await.unwrap_err();
    assert!(!err.outcome_unknown() && err.is_retryable(), "{err}");
    assert_eq!(http.count("/things"), 3);
}

#[tokio::test(start_paused = true)]
async fn item_12_03_callers_with_short_per_call_timeouts_share_one_flight() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => Reply::json(401, r#"{"error":"invalid_client"}"#).after(Duration::from_secs(5)),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = client(&http, RetryPolicy::default());
    let hurried = client.with_options(CallOptions::new().total_timeout(Duration::from_secs(1)));
    let calls: Vec<_> = (0..6)
        .map(|_| {
            let c = hurried.clone();
            tokio::spawn(async move { c.send(&GetThing("1".into())).await })
        })
        .collect();
    for c in calls {
        let err = c.await.unwrap().unwrap_err();
        assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Total, .. }), "{err}");
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert!(matches!(client.send(&GetThing("1".into())).await, Err(Error::Auth(_))));
    assert_eq!(http.count("/token"), 1);
}

#[tokio::test(start_paused = true)]
async fn item_13_03_per_call_options_override_timeouts_and_retries_and_share_the_cache() {
    let http = script(Reply::json(503, "{}"), 100, Reply::json(200, ok_json("1")));
    let client = client(&http, RetryPolicy::default().with_jitter(Jitter::fixed(0.0)).with_initial_backoff(Duration::from_millis(1)));
    client.send(&GetThing("1".into())).await.unwrap_err();
    assert_eq!(http.count("/things/1"), 3);
    let patient = client.with_options(CallOptions::new().retry(
        RetryPolicy::default().with_max_attempts(6).with_jitter(Jitter::fixed(0.0)).with_initial_backoff(Duration::from_millis(1)),
    ));
    patient.send(&GetThing("1".into())).await.unwrap_err();
    assert_eq!(http.count("/things/1"), 9);
    assert_eq!(http.count("/token"), 1, "one token cache for both");
    // The original client keeps its own settings.
    client.send(&GetThing("1".into())).await.unwrap_err();
    assert_eq!(http.count("/things/1"), 12);
    // Invalid options fail each call before anything is sent.
    let broken = client.with_options(CallOptions::new().attempt_timeout(Duration::ZERO));
    assert!(matches!(broken.send(&GetThing("1".into())).await, Err(Error::Config(_))));
    assert_eq!(http.count("/things/1"), 12);
}

#[tokio::test(start_paused = true)]
async fn item_13_04_backoff_waits_are_exact_with_an_injected_jitter() {
    let http = script(Reply::json(503, "{}"), 100, Reply::json(200, ok_json("1")));
    let policy = RetryPolicy::default()
        .with_max_attempts(4)
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(300))
        .with_jitter(Jitter::fixed(0.5));
    let client = client(&http, policy);
    client.send(&GetThing("warm".into())).await.unwrap_err();
    let start = Instant::now();
    client.send(&GetThing("1".into())).await.unwrap_err();
    // 0.5 × (100 + 200 + 300 capped) ms.
    assert_eq!(start.elapsed(), Duration::from_millis(300));
}

#[test]
fn item_13_04_zero_or_inverted_backoff_is_refused_at_build() {
    for policy in [
        RetryPolicy::default().with_initial_backoff(Duration::ZERO),
        RetryPolicy::default().with_initial_backoff(Duration::from_secs(5)).with_max_backoff(Duration::from_secs(1)),
        RetryPolicy::default().with_max_attempts(0),
    ] {
        let err = builder("https://workplace.example").retry(policy).build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
    }
}
