//! Issue 12: the edges of the auth and error layer against hostile servers and cancelled
//! callers. Each test feeds the input that broke the promise before the fix (see RELIABILITY.md
//! for the figures): every test here failed on the transport before commit "transport: one
//! shape for endpoints, retries and tokens".

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::*;
use tokio::time::Instant;
use yeastar_transport::test_util::{RecordedRequest, Reply, ScriptedHttp};
use yeastar_transport::{Client, Error, Secret, StoredTokens, TokenStore, TransportErrorKind};

fn client(http: &Arc<ScriptedHttp>) -> Client {
    builder("https://workplace.example")
        .http_client(http.clone())
        .build()
        .unwrap()
}

fn token_issue(req: &RecordedRequest) -> Reply {
    if req.body_text().contains("grant_type=refresh_token") {
        Reply::json(200, token_json(ACCESS2, 1800))
    } else {
        Reply::json(200, token_json(ACCESS, 1800))
    }
}

/// A token store that remembers what the transport asked of it.
#[derive(Debug, Default)]
struct MemoryStore {
    stored: Mutex<Option<StoredTokens>>,
    clears: AtomicUsize,
}

impl TokenStore for MemoryStore {
    fn load(&self) -> Option<StoredTokens> {
        self.stored.lock().unwrap().clone()
    }
    fn save(&self, tokens: &StoredTokens) {
        *self.stored.lock().unwrap() = Some(tokens.clone());
    }
    fn clear(&self) {
        self.clears.fetch_add(1, Ordering::SeqCst);
        *self.stored.lock().unwrap() = None;
    }
}

// ---------------------------------------------------------------------------------------------
// 12.1 A 401 with an empty or non-JSON body is a rejected token.

#[tokio::test(start_paused = true)]
async fn item_01_a_401_with_an_empty_body_is_refreshed_and_replayed_once() {
    for rejection in [
        Reply::raw(401, "").with_header("www-authenticate", r#"Bearer error="invalid_token""#),
        Reply::raw(401, "<html><body>401 Authorization Required</body></html>")
            .with_header("content-type", "text/html"),
    ] {
        let http = Arc::new(ScriptedHttp::new(move |req| match req.uri.path() {
            "/token" => token_issue(req),
            _ if req.header("authorization") == Some(&format!("Bearer {ACCESS}")) => rejection.clone(),
            _ => Reply::json(200, ok_json("7")),
        }));
        let store = Arc::new(MemoryStore::default());
        let client = builder("https://workplace.example")
            .http_client(http.clone())
            .token_store(store.clone())
            .build()
            .unwrap();
        assert_eq!(client.send(&GetThing("1".into())).await.unwrap(), serde_json::json!(7));
        assert_eq!(http.count("/token"), 2, "one refresh");
        assert_eq!(http.count("/things/1"), 2, "one replay");
        assert_eq!(
            store.clears.load(Ordering::SeqCst),
            1,
            "the rejected token is dropped from the store"
        );
        let stored = store.stored.lock().unwrap().clone().unwrap();
        assert_eq!(stored.access_token.expose(), ACCESS2);
    }
}

// ---------------------------------------------------------------------------------------------
// 12.2 Server text never carries a secret out.

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    for secret in [SECRET, ACCESS, ACCESS2, REFRESH] {
        assert!(!text.contains(secret), "{what} leaks {secret}:\n{text}");
        // Nor the start of one (a server string cut at 300 characters).
        assert!(
            !text.contains(&secret[..secret.len() - 2]),
            "{what} leaks part of {secret}:\n{text}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn item_02_secrets_echoed_in_the_fields_the_sdk_reads_never_leave_it() {
    let buf = Buf::default();
    let sink = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let long = "x".repeat(290);
    let http = Arc::new(ScriptedHttp::new(move |req| {
        let body = req.body_text();
        match req.uri.path() {
            // Spring: "Invalid refresh token: <token>" in code and message; the secret in details.
            "/token" if body.contains("grant_type=refresh_token") => Reply::json(
                400,
                format!(
                    r#"{{"error":"invalid_grant","error_description":"Invalid refresh token: {REFRESH}","detailMessage":"{REFRESH}"}}"#
                ),
            ),
            "/token" if body.contains("client_secret") => Reply::json(200, token_json(ACCESS, 1800)),
            // The access token echoed in code, message, details and a raw body excerpt; a
            // message cut at 300 characters in the middle of the token.
            "/things/code" => Reply::json(
                400,
                format!(r#"{{"status":"Failed","errMsg":"{ACCESS}","detailMsg":"Invalid access token: {ACCESS}"}}"#),
            ),
            "/things/cut" => Reply::json(
                400,
                format!(r#"{{"status":"Failed","errMsg":"BAD","detailMsg":"{long}{ACCESS}"}}"#),
            ),
            "/things/raw" => Reply::json(500, format!(r#"{{"error":{{"message":"no {ACCESS} and {SECRET}"}}}}"#)),
            "/things/html" => Reply::raw(502, format!("<html>token={ACCESS} secret={SECRET}</html>")),
            "/things/expire" => Reply::json(
                401,
                format!(r#"{{"status":"Failed","errMsg":"Invalid access token: {ACCESS}"}}"#),
            ),
            _ => Reply::json(200, ok_json("1")),
        }
    }));
    let client = builder("https://workplace.example")
        .http_client(http.clone())
        .retry(fast_retry().with_max_attempts(1))
        .build()
        .unwrap();
    let mut shown = String::new();
    for path in ["code", "cut", "raw", "html"] {
        let err = client.send(&GetThing(path.into())).await.unwrap_err();
        shown.push_str(&format!("{err}\n{err:?}\n"));
    }
    // A 401 echoing the token: refresh with the refresh token, refused with the refresh token
    // echoed back, then the client credentials (answered with the same token, rejected again).
    let err = client.send(&GetThing("expire".into())).await.unwrap_err();
    shown.push_str(&format!("{err}\n{err:?}\n"));
    assert!(shown.contains("[redacted]"), "{shown}");
    assert_clean("errors", &shown);
    assert_clean("TRACE logs", &String::from_utf8_lossy(&buf.0.lock().unwrap()));

    // The client secret echoed by a token endpoint that refuses it.
    let http = Arc::new(ScriptedHttp::new(|_| {
        Reply::json(
            401,
            format!(r#"{{"error":"invalid_client","error_description":"Bad client credentials: {SECRET}"}}"#),
        )
    }));
    let err = client_for(&http).send(&GetThing("1".into())).await.unwrap_err();
    let shown = format!("{err}\n{err:?}");
    assert!(shown.contains("Bad client credentials: [redacted]"), "{shown}");
    assert_clean("refusal", &shown);
    assert_clean("TRACE logs", &String::from_utf8_lossy(&buf.0.lock().unwrap()));
}

fn client_for(http: &Arc<ScriptedHttp>) -> Client {
    client(http)
}

// ---------------------------------------------------------------------------------------------
// 12.3 Token flights survive cancellation.

#[tokio::test(start_paused = true)]
async fn item_03_callers_that_time_out_never_make_a_refused_secret_be_sent_again() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => Reply::json(401, r#"{"error":"invalid_client"}"#).after(Duration::from_secs(5)),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = client(&http);
    // Six callers one after another, each dropped after 1 s (a `select!`, a timeout, a client
    // disconnect) while the slow token endpoint takes 5 s: enough for YCM's IP block if each
    // sent the wrong secret again.
    for _ in 0..6 {
        let gave_up = tokio::time::timeout(Duration::from_secs(1), client.send(&GetThing("1".into()))).await;
        // Timed out, or (once the flight landed) refused.
        assert!(matches!(gave_up, Err(_) | Ok(Err(Error::Auth(_)))), "{gave_up:?}");
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err}");
    assert_eq!(http.count("/token"), 1);
    assert_eq!(http.count("/things/1"), 0);
}

#[tokio::test(start_paused = true)]
async fn item_03_a_cancelled_refresh_keeps_the_refresh_token() {
    let refreshes = Arc::new(AtomicUsize::new(0));
    let http = Arc::new(ScriptedHttp::new({
        let refreshes = refreshes.clone();
        move |req| match req.uri.path() {
            // The first refresh is slow and fails (a transient 503), the next one works.
            "/token" if req.body_text().contains("grant_type=refresh_token") => {
                if refreshes.fetch_add(1, Ordering::SeqCst) == 0 {
                    Reply::json(503, "{}").after(Duration::from_secs(5))
                } else {
                    Reply::json(200, token_json(ACCESS2, 1800))
                }
            }
            "/token" => Reply::json(200, token_json(ACCESS, 1800)),
            _ => Reply::json(200, ok_json("1")),
        }
    }));
    let client = builder("https://workplace.example")
        .http_client(http.clone())
        .retry(fast_retry().with_max_attempts(1))
        .build()
        .unwrap();
    client.send(&GetThing("1".into())).await.unwrap();
    tokio::time::advance(Duration::from_secs(1801)).await; // expired: the next call must refresh
    // The caller is dropped while the refresh is in flight.
    let dropped = tokio::time::timeout(Duration::from_millis(100), client.send(&GetThing("1".into()))).await;
    assert!(dropped.is_err());
    tokio::time::sleep(Duration::from_secs(10)).await;
    client.send(&GetThing("1".into())).await.unwrap();
    let bodies: Vec<String> = http
        .requests()
        .iter()
        .filter(|r| r.uri.path() == "/token")
        .map(|r| r.body_text())
        .collect();
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert!(bodies[2].starts_with("grant_type=refresh_token"), "{bodies:?}");
}

// ---------------------------------------------------------------------------------------------
// 12.4 Early refresh never hurts a call that holds a valid token.

#[tokio::test(start_paused = true)]
async fn item_04_an_outage_in_the_refresh_window_costs_calls_nothing() {
    let outage = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let http = Arc::new(ScriptedHttp::new({
        let outage = outage.clone();
        move |req| match req.uri.path() {
            // During the outage the token endpoint hangs for 20 s, then fails.
            "/token" if outage.load(Ordering::SeqCst) => Reply::json(503, "{}").after(Duration::from_secs(20)),
            "/token" => token_issue(req),
            _ => Reply::json(200, ok_json("1")),
        }
    }));
    let client = client(&http);
    client.send(&GetThing("1".into())).await.unwrap();
    outage.store(true, Ordering::SeqCst);
    tokio::time::advance(Duration::from_secs(1700)).await; // in the refresh window, still valid
    let start = Instant::now();
    for i in 0..60 {
        let t = Instant::now();
        client.send(&GetThing("1".into())).await.unwrap();
        assert_eq!(t.elapsed(), Duration::ZERO, "call {i} waited for the token endpoint");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    // 60 s of calls: the first flight hangs 20 s, then backoffs of 1, 2, 4, 8, … s between
    // single attempts: at most one attempt per backoff interval.
    let token_requests = http.count("/token") - 1;
    assert!(
        (1..=4).contains(&token_requests),
        "{token_requests} token requests in {:?}",
        start.elapsed()
    );
    let last = http.requests().into_iter().last().unwrap();
    assert_eq!(last.header("authorization"), Some(format!("Bearer {ACCESS}").as_str()));
}

// ---------------------------------------------------------------------------------------------
// 12.5 Only explicit refusals are final.

#[tokio::test(start_paused = true)]
async fn item_05_a_busy_waf_or_proxy_answer_is_not_a_refusal() {
    for answer in [
        Reply::json(200, r#"{"errmsg":"system busy"}"#),
        Reply::json(200, "{}"),
        Reply::raw(403, "<html>Access denied by WAF</html>").with_header("content-type", "text/html"),
        Reply::raw(404, "<html>Not Found</html>").with_header("content-type", "text/html"),
        Reply::json(404, r#"{"error":"not_found"}"#),
    ] {
        let healthy = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let http = Arc::new(ScriptedHttp::new({
            let healthy = healthy.clone();
            move |req| match req.uri.path() {
                "/token" if healthy.load(Ordering::SeqCst) => token_issue(req),
                "/token" => answer.clone(),
                _ => Reply::json(200, ok_json("1")),
            }
        }));
        let client = builder("https://workplace.example")
            .http_client(http.clone())
            .retry(fast_retry().with_max_attempts(1))
            .build()
            .unwrap();
        let err = client.send(&GetThing("1".into())).await.unwrap_err();
        assert!(!matches!(err, Error::Auth(_)), "not final: {err}");
        // The token endpoint's 404 says nothing of the record asked for (a caller, such as a
        // bulk plan, would take it as "absent" and create it).
        assert!(!err.is_not_found(), "not the record's absence: {err}");
        healthy.store(true, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_secs(61)).await;
        client.send(&GetThing("1".into())).await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn item_05_an_explicit_refusal_is_final_for_that_secret_only() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" if req.body_text().contains(SECRET) => Reply::json(400, r#"{"error":"invalid_client"}"#),
        "/token" => token_issue(req),
        _ => Reply::json(200, ok_json("1")),
    }));
    let refused = client(&http);
    for _ in 0..5 {
        assert!(matches!(refused.send(&GetThing("1".into())).await, Err(Error::Auth(_))));
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
    assert_eq!(http.count("/token"), 1);
    let other = builder("https://workplace.example")
        .http_client(http.clone())
        .credentials(yeastar_transport::Credentials::client("client-id-1", "another-secret"))
        .build()
        .unwrap();
    other.send(&GetThing("1".into())).await.unwrap();
    assert_eq!(http.count("/token"), 2);
}

// ---------------------------------------------------------------------------------------------
// 12.6 RetriesExhausted wraps only a retryable last error.

#[tokio::test(start_paused = true)]
async fn item_06_a_final_answer_after_retries_is_returned_as_it_is() {
    let n = Arc::new(AtomicUsize::new(0));
    let http = Arc::new(ScriptedHttp::new({
        let n = n.clone();
        move |req| match req.uri.path() {
            "/token" => token_issue(req),
            _ if n.fetch_add(1, Ordering::SeqCst) == 0 => Reply::json(503, r#"{"status":"Failed","errMsg":"BUSY"}"#),
            _ => Reply::json(404, r#"{"status":"Failed","errMsg":"NOT_FOUND","requestId":"r404"}"#),
        }
    }));
    let err = client(&http).send(&GetThing("1".into())).await.unwrap_err();
    assert!(matches!(&err, Error::Api(a) if a.status == 404), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(err.request_id(), Some("r404"));
}

// ---------------------------------------------------------------------------------------------
// 12.9 Paging arithmetic cannot overflow.

#[tokio::test]
async fn item_09_a_total_of_u64_max_is_a_paging_error_not_a_panic() {
    use yeastar_transport::{Page, Pages, Product};
    for per_page in [1usize, 2, 7] {
        let pages = Pages::new(Product::Ycm, 1, 1, move |n| async move {
            Ok(Page::new(vec![0u8; per_page])
                .with_page_no(Some(n))
                .with_total(Some(u64::MAX)))
        })
        .max_pages(3);
        let err = pages.try_collect().await.unwrap_err();
        assert!(matches!(err, Error::Paging { .. }), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// 12.12 A stored token that cannot be a header is discarded and fetched anew.

#[tokio::test(start_paused = true)]
async fn item_12_a_stored_token_that_is_not_a_header_value_is_replaced() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => token_issue(req),
        _ => Reply::json(200, ok_json("1")),
    }));
    let store = Arc::new(MemoryStore::default());
    store.save(&StoredTokens::new(
        Secret::new("broken\ntoken"),
        SystemTime::now() + Duration::from_secs(1000),
    ));
    let client = builder("https://workplace.example")
        .http_client(http.clone())
        .token_store(store.clone())
        .build()
        .unwrap();
    client.send(&GetThing("1".into())).await.unwrap();
    assert_eq!(http.count("/token"), 1);
    assert_eq!(
        store.stored.lock().unwrap().as_ref().unwrap().access_token.expose(),
        ACCESS
    );
}

// ---------------------------------------------------------------------------------------------
// 12.13 No panic or misclassification from settings or servers.

#[tokio::test(start_paused = true)]
async fn item_13_duration_max_timeouts_and_a_huge_retry_after_do_not_panic() {
    let http = Arc::new(ScriptedHttp::new(|req| match req.uri.path() {
        "/token" => token_issue(req),
        "/things/busy" => Reply::json(429, "{}").with_header("retry-after", "18446744073709551615"),
        _ => Reply::json(200, ok_json("1")),
    }));
    let client = builder("https://workplace.example")
        .http_client(http.clone())
        .connect_timeout(Duration::MAX)
        .attempt_timeout(Duration::MAX)
        .total_timeout(Duration::MAX)
        .build()
        .unwrap();
    client.send(&GetThing("1".into())).await.unwrap();
    let err = client.send(&GetThing("busy".into())).await.unwrap_err();
    assert_eq!(err.status(), Some(429), "{err}");
    assert_eq!(http.count("/things/busy"), 1);
}

#[tokio::test]
async fn item_13_a_host_named_certificate_is_a_connection_failure_not_tls() {
    // Nothing listens on this port; the host name resolves to loopback.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let reqwest = reqwest::Client::builder()
        .resolve("certificate-check.example", addr)
        .build()
        .unwrap();
    let client = builder(&format!("https://certificate-check.example:{port}"))
        .http_client(Arc::new(yeastar_transport::ReqwestHttp::from_client(reqwest)))
        .credentials(yeastar_transport::Credentials::access_token("t"))
        .build()
        .unwrap();
    let err = client.send(&GetThing("1".into())).await.unwrap_err();
    let Error::RetriesExhausted { last, attempts, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        matches!(&**last, Error::Transport(t) if t.kind == TransportErrorKind::Connect),
        "{err}"
    );
    assert_eq!(*attempts, 3, "a refused connection is retried");
}
