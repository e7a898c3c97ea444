//! Time-dependent behaviour under paused tokio time, with the in-memory `ScriptedHttp`.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use tokio::time::Instant;
use yeastar_transport::test_util::{Reply, ScriptedHttp};
use yeastar_transport::{Client, Credentials, Error, RetryPolicy, TimeoutKind, TransportErrorKind};

fn client_with(http: Arc<ScriptedHttp>, retry: RetryPolicy) -> Client {
    builder("https://workplace.example")
        .http_client(http)
        .retry(retry)
        .build()
        .unwrap()
}

/// A token endpoint issuing `ACCESS` (then `ACCESS2` on refresh) valid for `lifetime` seconds.
fn token_reply(req: &yeastar_transport::test_util::RecordedRequest, lifetime: u64) -> Reply {
    if req.body_text().contains("grant_type=refresh_token") {
        Reply::json(200, token_json(ACCESS2, lifetime))
    } else {
        Reply::json(200, token_json(ACCESS, lifetime))
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_is_waited_exactly() {
    let n = Arc::new(AtomicUsize::new(0));
    let http = Arc::new(ScriptedHttp::new({
        let n = n.clone();
        move |req| match req.uri.path() {
            "/token" => token_reply(req, 1800),
            _ if n.fetch_add(1, Ordering::SeqCst) == 0 => {
                Reply::json(429, r#"{"status":"Failed","errMsg":"TOO_MANY_REQUESTS"}"#).with_header("retry-after", "7")
            }
            _ => Reply::json(200, ok_json("1")),
        }
    }));
    // A huge backoff proves the wait came from Retry-After, not from the backoff.
    let retry = RetryPolicy::default()
        .with_initial_backoff(Duration::from_secs(60))
        .with_max_backoff(Duration::from_secs(60));
    let client = client_with(http.clone(), retry);
    let start = Instant::now();
    // A create: 429 means "not processed", so even a create is retried.
    client.send(&CreateThing(serde_json::json!({}))).await.unwrap();
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_secs(7) && waited < Duration::from_millis(7100),
        "{waited:?}"
    );
    assert_eq!(http.count("/things"), 2);
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_http_date_is_honoured() {
    let n = Arc::new(AtomicUsize::new(0));
    let http = Arc::new(ScriptedHttp::new({
        let n = n.clone();
        move |req| match req.uri.path() {
            "/token" => token_reply(req, 1800),
            _ if n.fetch_add(1, Ordering::SeqCst) == 0 => {
                // Paused tokio time does not move the wall clock: the date is 30 s ahead of it.
                let at = std::time::SystemTime::now() + Duration::from_secs(30);
                Reply::json(503, "{}").with_header("retry-after", &httpdate::fmt_http_date(at))
            }
            _ => Reply::json(200, ok_json("1")),
        }
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    let start = Instant::now();
    client.send(&GetThing("1".into())).await.unwrap();
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_secs(28) && waited <= Duration::from_secs(31),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_ends_retries_with_the_hint_on_the_error() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => token_reply(req, 1800),
        _ => Reply::json(429, r#"{"status":"Failed","errMsg":"RATE_LIMITED"}"#).with_header("retry-after", "600"),
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    let api = err.api_error().expect("api error");
    assert_eq!(api.retry_after, Some(Duration::from_secs(600)));
    assert_eq!(http.count("/things/1"), 1);
}

#[tokio::test(start_paused = true)]
async fn attempt_timeouts_are_retried_for_gets_but_not_for_creates() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => token_reply(req, 1800),
        _ => Reply::json(200, ok_json("1")).after(Duration::from_secs(3600)),
    }));
    let client = builder("https://workplace.example")
        .http_client(http.clone())
        .attempt_timeout(Duration::from_secs(5))
        .total_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    let Error::RetriesExhausted { attempts: 3, last, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        matches!(
            **last,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                ..
            }
        ),
        "{last}"
    );
    assert_eq!(http.count("/things/1"), 3);

    // The create was sent and its answer never came: its outcome is unknown, not retryable.
    let err = client.send(&CreateThing(serde_json::json!({}))).await.unwrap_err();
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
    assert_eq!(http.count("/things"), 1);
}

#[tokio::test(start_paused = true)]
async fn the_total_timeout_bounds_every_call() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => token_reply(req, 1800),
        _ => Reply::json(503, "{}").after(Duration::from_secs(8)),
    }));
    let client = builder("https://workplace.example")
        .http_client(http.clone())
        .retry(RetryPolicy::default().with_max_attempts(100))
        .total_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert!(start.elapsed() <= Duration::from_secs(20), "{:?}", start.elapsed());
    assert!(
        matches!(err, Error::Timeout { .. } | Error::RetriesExhausted { .. }),
        "{err}"
    );
    assert!(http.count("/things/1") <= 3);
}

#[tokio::test(start_paused = true)]
async fn broken_connections_are_retried_only_when_idempotent() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => token_reply(req, 1800),
        _ => Reply::Fail(TransportErrorKind::Io),
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    assert!(client.send(&GetThing("1".into())).await.is_err());
    assert_eq!(http.count("/things/1"), 3);
    let err = client.send(&CreateThing(serde_json::json!({}))).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown { source, .. } if matches!(&**source, Error::Transport(t) if t.kind == TransportErrorKind::Io)),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(http.count("/things"), 1);
}

#[tokio::test(start_paused = true)]
async fn tokens_are_refreshed_before_expiry_with_the_refresh_token() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => token_reply(req, 1800),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    client.send(&GetThing("1".into())).await.unwrap();
    // 1800 s lifetime → refreshed 180 s (10%) before expiry.
    tokio::time::advance(Duration::from_secs(1800 - 181)).await;
    client.send(&GetThing("1".into())).await.unwrap();
    assert_eq!(http.count("/token"), 1, "still fresh");
    tokio::time::advance(Duration::from_secs(2)).await;
    // Due for refresh but valid: this call goes on with the current token at once, and the
    // refresh runs in the background.
    client.send(&GetThing("1".into())).await.unwrap();
    let last = http.requests().into_iter().last().unwrap();
    assert_eq!(last.header("authorization"), Some(format!("Bearer {ACCESS}").as_str()));
    tokio::time::sleep(Duration::from_millis(1)).await;
    client.send(&GetThing("1".into())).await.unwrap();
    let reqs = http.requests();
    let tokens: Vec<_> = reqs.iter().filter(|r| r.uri.path() == "/token").collect();
    assert_eq!(tokens.len(), 2);
    assert_eq!(
        tokens[1].body_text(),
        format!("grant_type=refresh_token&refresh_token={REFRESH}")
    );
    let last = reqs.last().unwrap();
    assert_eq!(last.header("authorization"), Some(format!("Bearer {ACCESS2}").as_str()));
}

#[tokio::test(start_paused = true)]
async fn a_refused_refresh_falls_back_to_client_credentials() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" if req.body_text().contains("refresh_token") => Reply::json(400, r#"{"error":"invalid_grant"}"#),
        "/token" => Reply::json(200, token_json(ACCESS, 1800)),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    client.send(&GetThing("1".into())).await.unwrap();
    tokio::time::advance(Duration::from_secs(1800)).await;
    client.send(&GetThing("1".into())).await.unwrap();
    let bodies: Vec<_> = http
        .requests()
        .iter()
        .filter(|r| r.uri.path() == "/token")
        .map(|r| r.body_text())
        .collect();
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert!(bodies[1].starts_with("grant_type=refresh_token"));
    assert!(bodies[2].contains("grant_type=client_credentials"));
    assert_eq!(client.token_requests(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_transient_refresh_failure_keeps_the_valid_token_in_use() {
    let fail_refresh = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let http = Arc::new(ScriptedHttp::new({
        let fail = fail_refresh.clone();
        move |req| match req.uri.path() {
            "/token" if fail.load(Ordering::SeqCst) => Reply::json(503, "{}"),
            "/token" => token_reply(req, 1800),
            _ => Reply::json(200, ok_json("1")),
        }
    }));
    let client = client_with(http.clone(), RetryPolicy::disabled());
    client.send(&GetThing("1".into())).await.unwrap();
    fail_refresh.store(true, Ordering::SeqCst);
    tokio::time::advance(Duration::from_secs(1700)).await; // due for refresh, still valid
    client.send(&GetThing("1".into())).await.unwrap();
    let last = http.requests().into_iter().last().unwrap();
    assert_eq!(last.header("authorization"), Some(format!("Bearer {ACCESS}").as_str()));
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert_eq!(http.count("/token"), 2, "one refresh attempted");

    // Once the token has expired, the failure surfaces (and is not cached as final).
    tokio::time::advance(Duration::from_secs(200)).await;
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    fail_refresh.store(false, Ordering::SeqCst);
    // The second failure in a row is remembered for 2 s; after that the next call asks again.
    client.send(&GetThing("1".into())).await.unwrap_err();
    tokio::time::advance(Duration::from_secs(2)).await;
    client.send(&GetThing("1".into())).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_static_token_is_used_as_is_and_never_refreshed() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.header("authorization") {
        Some("Bearer static-1") if req.uri.path() == "/things/ok" => Reply::json(200, ok_json("1")),
        _ => Reply::json(401, r#"{"status":"Failed","errMsg":"TOKEN_EXPIRED"}"#),
    }));
    let client = builder("https://workplace.example")
        .credentials(Credentials::access_token("static-1"))
        .http_client(http.clone())
        .build()
        .unwrap();
    client.send(&GetThing("ok".into())).await.unwrap();
    let err = client.send(&GetThing("gone".into())).await.unwrap_err();
    assert!(
        matches!(&err, Error::Auth(a) if a.kind == yeastar_transport::AuthErrorKind::TokenRejected),
        "{err}"
    );
    assert_eq!(http.count("/token"), 0);
    assert_eq!(http.count("/things/gone"), 1);
    assert_eq!(client.token_requests(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_product_token_error_code_on_http_200_also_triggers_refresh_and_replay() {
    let n = Arc::new(AtomicUsize::new(0));
    let http = Arc::new(ScriptedHttp::new({
        let n = n.clone();
        move |req| match req.uri.path() {
            "/token" => token_reply(req, 1800),
            _ if n.fetch_add(1, Ordering::SeqCst) == 0 => {
                Reply::json(200, r#"{"status":"Failed","errMsg":"TOKEN_EXPIRED"}"#)
            }
            _ => Reply::json(200, ok_json("2")),
        }
    }));
    let client = client_with(http.clone(), RetryPolicy::disabled());
    assert_eq!(client.send(&GetThing("1".into())).await.unwrap(), serde_json::json!(2));
    assert_eq!(http.count("/token"), 2);
}

#[tokio::test(start_paused = true)]
async fn callers_waiting_on_a_failing_token_flight_share_its_error() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => Reply::json(503, "{}").after(Duration::from_millis(50)),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.send(&GetThing("1".into())).await })
        })
        .collect();
    for h in calls {
        let err = h.await.unwrap().unwrap_err();
        assert_eq!(err.status(), Some(503), "{err}");
    }
    // One flight (with its own 3 attempts), not one per caller.
    assert_eq!(http.count("/token"), 3);
    assert_eq!(http.count("/things/1"), 0);
    // The failure is remembered for a backoff interval (1 s after the first failure) ...
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(http.count("/token"), 3);
    // ... and is not final: after it, a call asks again.
    tokio::time::advance(Duration::from_secs(1)).await;
    client.send(&GetThing("1".into())).await.unwrap_err();
    assert_eq!(http.count("/token"), 6);
}

#[tokio::test(start_paused = true)]
async fn a_huge_expires_in_is_clamped_not_a_panic() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => Reply::json(200, token_json(ACCESS, u64::MAX)),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    client.send(&GetThing("1".into())).await.unwrap();
    tokio::time::advance(Duration::from_secs(365 * 24 * 3600)).await;
    client.send(&GetThing("1".into())).await.unwrap();
    assert_eq!(http.count("/token"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_base_url_path_prefix_is_kept_in_front_of_every_path() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/yeastar/token" => token_reply(req, 1800),
        "/yeastar/things/a%2Fb" => Reply::json(200, ok_json("1")),
        other => Reply::json(404, format!(r#"{{"status":"Failed","errMsg":"{other}"}}"#)),
    }));
    let client: Client = builder("https://proxy.example/yeastar/")
        .http_client(http.clone())
        .build()
        .unwrap();
    client.send(&GetThing("a/b".into())).await.unwrap();
    let uris: Vec<String> = http.requests().iter().map(|r| r.uri.to_string()).collect();
    assert_eq!(
        uris,
        [
            "https://proxy.example/yeastar/token",
            "https://proxy.example/yeastar/things/a%2Fb"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_hanging_token_endpoint_ends_the_call_at_its_total_timeout() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => token_reply(req, 1800).after(Duration::from_secs(3600)),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = builder("https://workplace.example")
        .http_client(http.clone())
        .total_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Total,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    assert_eq!(http.count("/things/1"), 0);
}

#[tokio::test(start_paused = true)]
async fn twenty_calls_rejected_one_after_another_cause_one_refresh() {
    // Every call holds ACCESS when the API starts rejecting it; the 401s come back 10 ms apart,
    // so most of them arrive after ACCESS2 is installed. A 401 for the old token must not drop
    // the new one (the cache compares the token's generation), or each late 401 would cost
    // another token request.
    let rejected = Arc::new(AtomicUsize::new(0));
    let http = Arc::new(ScriptedHttp::new({
        let rejected = rejected.clone();
        move |req| match (req.uri.path(), req.header("authorization")) {
            ("/token", _) => token_reply(req, 1800).after(Duration::from_millis(1)),
            (_, Some(auth)) if auth == format!("Bearer {ACCESS}") => {
                let n = rejected.fetch_add(1, Ordering::SeqCst) as u64;
                Reply::json(401, "").after(Duration::from_millis(100 + 10 * n))
            }
            _ => Reply::json(200, ok_json("1")),
        }
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    let calls: Vec<_> = (0..20)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.send(&GetThing(i.to_string())).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(rejected.load(Ordering::SeqCst), 20, "every call first sent ACCESS");
    assert_eq!(http.count("/token"), 2, "one token request, then one refresh");
    let replays = http
        .requests()
        .iter()
        .filter(|r| r.header("authorization") == Some(&format!("Bearer {ACCESS2}")))
        .count();
    assert_eq!(replays, 20, "each call replayed once with the new token");
}

/// A client kept across runtimes (a static used by several `#[tokio::test]`s): the runtime
/// running its token request shuts down mid-flight. The flight must not stay "in progress"
/// for ever: the next call, on another runtime, asks again and gets a token.
#[test]
fn a_token_request_dropped_with_its_runtime_does_not_block_the_client() {
    let n = Arc::new(AtomicUsize::new(0));
    let http = Arc::new(ScriptedHttp::new({
        let n = n.clone();
        move |req| match req.uri.path() {
            // The first token request never answers in time; the next ones do.
            "/token" if n.fetch_add(1, Ordering::SeqCst) == 0 => {
                token_reply(req, 1800).after(Duration::from_secs(3600))
            }
            "/token" => token_reply(req, 1800),
            _ => Reply::json(200, ok_json("1")),
        }
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    let first = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let c = client.clone();
    first.block_on(async move {
        let call = tokio::spawn(async move { c.send(&GetThing("1".into())).await });
        // Let the call start the token flight, then leave it hanging.
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!call.is_finished());
    });
    drop(first);
    assert_eq!(http.count("/token"), 1);

    let second = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let got = second.block_on(async { client.send(&GetThing("1".into())).await });
    assert!(got.is_ok(), "{got:?}");
    assert_eq!(http.count("/token"), 2);
}

/// A refresh answer without a refresh token keeps the one that was used (RFC 6749 §6): the
/// next renewal refreshes again instead of sending the client secret.
#[tokio::test(start_paused = true)]
async fn a_refresh_answer_without_a_refresh_token_keeps_the_old_one() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" if req.body_text().contains("grant_type=refresh_token") => {
            Reply::json(200, format!(r#"{{"access_token":"{ACCESS2}","expires_in":1800}}"#))
        }
        "/token" => Reply::json(200, token_json(ACCESS, 1800)),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = client_with(http.clone(), RetryPolicy::default());
    for _ in 0..3 {
        client.send(&GetThing("1".into())).await.unwrap();
        tokio::time::advance(Duration::from_secs(1800)).await;
    }
    let grants: Vec<_> = http
        .requests()
        .iter()
        .filter(|r| r.uri.path() == "/token")
        .map(|r| r.body_text())
        .collect();
    assert_eq!(grants.len(), 3, "{grants:?}");
    assert!(grants[0].contains("grant_type=client_credentials"), "{grants:?}");
    for g in &grants[1..] {
        assert_eq!(
            g,
            &format!("grant_type=refresh_token&refresh_token={REFRESH}"),
            "{grants:?}"
        );
    }
}
