//! Issue 9, item 5: no client secret, access token or refresh token in TRACE logs, in any
//! error's `Display` or `Debug`, or in the `Debug` of public types.
//!
//! Two kinds of runs for each of the three products:
//! - against a scripted token endpoint that issues KNOWN token strings, so that the check is a
//!   plain substring search (and the recorded requests prove those tokens were really used);
//! - end to end against the sandbox with client secrets chosen here; the sandbox's tokens are
//!   random (`pp`/`ycm`/`wp` + 48 hex digits), so the check there is "no run of 40 or more hex
//!   digits anywhere" (request ids have 32).
//!
//! Each run goes through token issue, a retried token request and a retried call (fault
//! injection), a refresh after a rejected token, a refused refresh (falling back to the client
//! credentials), a wrong secret and a rejected static token.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use yeastar::partner_portal as pp;
use yeastar::workplace as wp;
use yeastar::ycm;
use yeastar::{Credentials, Error, RetryPolicy};
use yeastar_sandbox::{EchoedSecret, Fault, FaultRule, Method, Sandbox, SandboxConfig};
use yeastar_transport::test_util::{RecordedRequest, Reply, ScriptedHttp};
use yeastar_transport::{Grant, Request, Secret, StoredTokens, TokenSet, TokenStore};

// ---------------------------------------------------------------------------------------------
// Capturing TRACE logs

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

impl Buf {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Installs a TRACE subscriber writing into a buffer, for the current thread (the tests run on
/// a current-thread runtime, so every task of the test, the sandbox's included, logs into it).
fn capture_logs() -> (Buf, tracing::subscriber::DefaultGuard) {
    let buf = Buf::default();
    let sink = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    (buf, tracing::subscriber::set_default(subscriber))
}

/// A token store that keeps what it is given (its `Debug` prints the `StoredTokens`).
#[derive(Debug, Default)]
struct RecordingStore(Mutex<Vec<StoredTokens>>);

impl TokenStore for RecordingStore {
    fn load(&self) -> Option<StoredTokens> {
        None
    }
    fn save(&self, tokens: &StoredTokens) {
        self.0.lock().unwrap().push(tokens.clone());
    }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(6)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn error_texts(e: &Error) -> String {
    format!("{e}\n{e:?}\n{e:#?}\n")
}

// ---------------------------------------------------------------------------------------------
// One product, seen generically

#[derive(Clone, Copy, Debug, PartialEq)]
enum P {
    Pp,
    Ycm,
    Wp,
}

const ALL: [P; 3] = [P::Pp, P::Ycm, P::Wp];

#[derive(Clone, Debug)]
enum AnyClient {
    Pp(pp::Client),
    Ycm(ycm::Client),
    Wp(wp::Client),
}

impl AnyClient {
    /// One authenticated, idempotent call.
    async fn call(&self) -> yeastar::Result<()> {
        match self {
            AnyClient::Pp(c) => c.send(&pp::countries::ListCountries::new()).await.map(drop),
            AnyClient::Ycm(c) => c.send(&ycm::ListUsers::new()).await.map(drop),
            AnyClient::Wp(c) => c.send(&wp::ListUsers::new()).await.map(drop),
        }
    }

    fn transport(&self) -> &yeastar_transport::Client {
        match self {
            AnyClient::Pp(c) => c.transport(),
            AnyClient::Ycm(c) => c.transport(),
            AnyClient::Wp(c) => c.transport(),
        }
    }
}

impl P {
    fn name(self) -> &'static str {
        match self {
            P::Pp => "pp",
            P::Ycm => "ycm",
            P::Wp => "wp",
        }
    }

    fn sandbox_product(self) -> yeastar_sandbox::Product {
        match self {
            P::Pp => yeastar_sandbox::Product::PartnerPortal,
            P::Ycm => yeastar_sandbox::Product::Ycm,
            P::Wp => yeastar_sandbox::Product::Workplace,
        }
    }

    /// The prefix of the token endpoints, and of the API call made by [`AnyClient::call`].
    fn prefixes(self) -> (&'static str, &'static str) {
        match self {
            P::Pp => ("/auth/openapi/", "/user/openapi/"),
            P::Ycm => ("/dm/open_api/oauth/", "/dm/open_api/v2/"),
            P::Wp => ("/services/openapi/v1.0/authentication/", "/services/openapi/v1.0/user/"),
        }
    }

    /// Builds a client; returns the builder's `Debug` too (taken before `build`).
    fn client(
        self,
        base: &str,
        credentials: Credentials,
        http: Option<Arc<ScriptedHttp>>,
        store: Option<Arc<RecordingStore>>,
    ) -> (AnyClient, String) {
        macro_rules! build {
            ($builder:expr, $variant:ident) => {{
                let mut b = $builder
                    .base_url(base)
                    .credentials(credentials)
                    .retry(fast_retries())
                    .app_name("secrets-test");
                if let Some(h) = http {
                    b = b.http_client(h);
                }
                if let Some(s) = store {
                    b = b.token_store(s);
                }
                let debug = format!("{b:?} {b:#?}");
                (AnyClient::$variant(b.build().unwrap()), debug)
            }};
        }
        match self {
            P::Pp => build!(pp::Client::builder(), Pp),
            P::Ycm => build!(ycm::Client::builder(), Ycm),
            P::Wp => build!(wp::Client::builder(), Wp),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Known tokens, scripted token endpoint

struct Known {
    good_secret: String,
    wrong_secret: String,
    static_token: String,
    access: [String; 3],
    refresh: [String; 3],
}

impl Known {
    fn new(p: P) -> Self {
        let n = p.name();
        Self {
            good_secret: format!("{n}-GoodSecret-5e1f"),
            wrong_secret: format!("{n}-WrongSecret-77aa"),
            static_token: format!("{n}-StaticAccess-0c4d"),
            access: [1, 2, 3].map(|i| format!("{n}-Access{i}-9b2e")),
            refresh: [1, 2, 3].map(|i| format!("{n}-Refresh{i}-31d8")),
        }
    }

    fn all(&self) -> Vec<&str> {
        let mut v = vec![
            self.good_secret.as_str(),
            self.wrong_secret.as_str(),
            self.static_token.as_str(),
        ];
        v.extend(self.access.iter().map(String::as_str));
        v.extend(self.refresh.iter().map(String::as_str));
        v
    }
}

fn token_answer(p: P, access: &str, refresh: &str) -> Reply {
    Reply::json(
        200,
        match p {
            P::Pp => format!(
                r#"{{"code":"success","detailMessage":"","requestId":"tok","result":{{"expiresIn":"1800","refreshToken":"{refresh}","token":"{access}","tokenHead":"Bearer "}},"status":200}}"#
            ),
            P::Ycm => format!(
                r#"{{"access_token":"{access}","token_type":"bearer","refresh_token":"{refresh}","expires_in":1800,"scope":"all"}}"#
            ),
            P::Wp => format!(r#"{{"access_token":"{access}","refresh_token":"{refresh}","expires_in":1800}}"#),
        },
    )
}

/// A token endpoint's refusal that echoes `echo` (a secret the server was sent) in EVERY field
/// the SDK reads from a token endpoint's error: Partner Portal `code`, `detailMessage`,
/// `requestId` and `result`; YCM (plain OAuth JSON, read best effort) `errcode`, `errmsg`,
/// `error`, `error_description`, `requestId` and `data`; Workplace `errMsg`, `detailMsg` and
/// `requestId`.
fn token_refusal(p: P, status: u16, echo: &str) -> Reply {
    let text = format!("Bad client credentials or refresh token: {echo}");
    let body = match p {
        P::Pp => {
            json!({"code": echo, "detailMessage": text, "requestId": echo, "result": {"message": text}, "status": status})
        }
        P::Ycm => json!({
            "status": "Failed", "errcode": echo, "errmsg": text, "requestId": echo, "data": {"errmsg": text},
            "error": echo, "error_description": text
        }),
        P::Wp => json!({"status": "Failed", "errMsg": echo, "detailMsg": text, "requestId": echo}),
    };
    Reply::json(status, body.to_string())
}

fn api_ok(p: P) -> Reply {
    Reply::json(
        200,
        match p {
            P::Pp => {
                r#"{"code":"success","requestId":"rok","result":{"count":1,"pageNo":1,"pageSize":25,"results":[{"id":1,"code":"TD","name":"Chad"}],"total":1,"totalPage":1},"status":200}"#
            }
            P::Ycm => {
                r#"{"data":{"pageSize":50,"pageNumber":1,"total":0,"list":[]},"requestId":"rok","status":"Success","time":1}"#
            }
            P::Wp => r#"{"data":{"pageNo":1,"pageSize":50,"total":0,"list":[]},"status":"Success","requestId":"rok"}"#,
        },
    )
}

/// An API error that echoes `echo` (the bearer token the call carried) in every field the SDK
/// reads from the product's error envelope: Partner Portal `code`, `detailMessage`, `requestId`
/// and `result` (details); YCM `errcode`, `errmsg`, `requestId` and `data` (details; the raw
/// body is kept too); Workplace `errMsg`, `detailMsg` and `requestId`.
fn api_error(p: P, status: u16, echo: &str) -> Reply {
    let text = format!("Invalid access token: {echo}");
    let body = match p {
        P::Pp => {
            json!({"code": echo, "detailMessage": text, "requestId": echo, "result": {"message": text}, "status": status})
        }
        P::Ycm => {
            json!({"status": "Failed", "errcode": echo, "errmsg": text, "requestId": echo, "time": 1, "data": {"errmsg": text}})
        }
        P::Wp => json!({"status": "Failed", "errMsg": echo, "detailMsg": text, "requestId": echo}),
    };
    Reply::json(status, body.to_string())
}

fn is_refresh(p: P, req: &RecordedRequest) -> bool {
    match p {
        P::Wp => req.uri.path().ends_with("/refresh_token"),
        _ => req.body_text().contains("grant_type=refresh_token"),
    }
}

/// The scripted server: see the sequence in [`known_tokens_never_leak`].
fn scripted(p: P, k: &Known) -> ScriptedHttp {
    let (token_prefix, _) = p.prefixes();
    let k = Known {
        good_secret: k.good_secret.clone(),
        wrong_secret: k.wrong_secret.clone(),
        static_token: k.static_token.clone(),
        access: k.access.clone(),
        refresh: k.refresh.clone(),
    };
    let state = Mutex::new((0u32, 0u32)); // (credential grants with the good secret, calls with Access2)
    ScriptedHttp::new(move |req| {
        let mut st = state.lock().unwrap();
        let body = req.body_text();
        if req.uri.path().starts_with(token_prefix) {
            if is_refresh(p, req) && body.contains(&k.refresh[0]) {
                return token_answer(p, &k.access[1], &k.refresh[1]);
            }
            if is_refresh(p, req) {
                // The second refresh token is refused: the client falls back to its credentials.
                return token_refusal(p, 400, &k.refresh[1]);
            }
            if body.contains(&k.wrong_secret) {
                return token_refusal(p, 401, &k.wrong_secret);
            }
            st.0 += 1;
            return match st.0 {
                // A busy gateway quoting the form it was sent (not JSON: an excerpt at most).
                1 => Reply::raw(503, format!("busy; request was client_secret={}", k.good_secret)),
                2 => token_answer(p, &k.access[0], &k.refresh[0]),
                _ => token_answer(p, &k.access[2], &k.refresh[2]),
            };
        }
        let auth = req.header("authorization").unwrap_or_default().to_owned();
        let sent = auth.strip_prefix("Bearer ").unwrap_or_default();
        if sent == k.access[1] {
            st.1 += 1;
            return match st.1 {
                1 => api_error(p, 503, sent),
                2 => api_ok(p),
                _ => api_error(p, 401, sent),
            };
        }
        if sent == k.access[2] {
            return api_ok(p);
        }
        api_error(p, 401, sent)
    })
}

async fn known_tokens_flow(p: P) {
    let (logs, _guard) = capture_logs();
    let k = Known::new(p);
    let http = Arc::new(scripted(p, &k));
    let store = Arc::new(RecordingStore::default());
    let base = "https://secrets.example";
    let (client, builder_debug) = p.client(
        base,
        Credentials::client("known-client", k.good_secret.as_str()),
        Some(http.clone()),
        Some(store.clone()),
    );
    let mut texts = vec![builder_debug];

    // 1. Issue (the first token request gets a 503 and is retried), Access1 is rejected, the
    //    refresh gives Access2, whose first call gets a 503 and is retried.
    client.call().await.unwrap();
    // 2. Access2 is rejected, the refresh with Refresh2 is refused, the client credentials give
    //    Access3.
    client.call().await.unwrap();
    assert_eq!(client.transport().token_requests(), 4, "{p:?}");

    // 3. A wrong secret: refused for good.
    let (wrong, wrong_debug) = p.client(
        base,
        Credentials::client("known-client", k.wrong_secret.as_str()),
        Some(http.clone()),
        None,
    );
    texts.push(wrong_debug);
    let e = wrong.call().await.unwrap_err();
    assert!(
        matches!(&e, Error::Auth(a) if a.kind == yeastar::AuthErrorKind::CredentialsRejected),
        "{e}"
    );
    // The echo sits in fields the SDK shows: they are there, scrubbed.
    assert_scrubbed_echo(p, &e);
    texts.push(error_texts(&e));
    let e = wrong.call().await.unwrap_err();
    texts.push(error_texts(&e));

    // 4. A static token the API rejects.
    let (fixed, fixed_debug) = p.client(
        base,
        Credentials::access_token(k.static_token.as_str()),
        Some(http.clone()),
        None,
    );
    texts.push(fixed_debug);
    let e = fixed.call().await.unwrap_err();
    assert!(
        matches!(&e, Error::Auth(a) if a.kind == yeastar::AuthErrorKind::TokenRejected),
        "{e}"
    );
    assert_scrubbed_echo(p, &e);
    texts.push(error_texts(&e));

    // The known tokens really went over the (scripted) wire, so the searches below can fail.
    let requests = http.requests();
    for (i, token) in k.access.iter().enumerate() {
        assert!(
            requests
                .iter()
                .any(|r| r.header("authorization") == Some(&format!("Bearer {token}"))),
            "{p:?}: Access{} never used",
            i + 1
        );
    }
    for rt in &k.refresh[..2] {
        assert!(
            requests.iter().any(|r| r.body_text().contains(rt.as_str())),
            "{p:?}: {rt} never sent"
        );
    }
    assert!(requests.iter().any(|r| r.body_text().contains(&k.good_secret)));
    let saved = store.0.lock().unwrap().clone();
    assert_eq!(saved.len(), 3, "{p:?}: three token sets stored");
    assert_eq!(saved[2].access_token.expose(), k.access[2]);

    // Debug of every public type that holds or handles them.
    let secret = Secret::new(k.good_secret.as_str());
    let rt = Secret::new(k.refresh[0].as_str());
    texts.extend([
        format!("{client:?} {client:#?}"),
        format!("{wrong:?} {fixed:?}"),
        format!("{:?}", client.transport().config()),
        format!("{store:?} {saved:#?}"),
        format!("{:?}", Credentials::client("id", k.good_secret.as_str())),
        format!("{:?}", Credentials::access_token(k.static_token.as_str())),
        format!("{secret} {secret:?} {rt:?}"),
        format!(
            "{:?}",
            TokenSet::new(k.access[0].as_str(), Duration::from_secs(1)).with_refresh_token(rt.clone(), None)
        ),
        format!(
            "{:?}",
            Grant::RefreshToken {
                client_id: "id",
                client_secret: &secret,
                refresh_token: &rt,
            }
        ),
        format!(
            "{:?}",
            Request::post("/token").form([
                ("client_secret", k.good_secret.as_str()),
                ("refresh_token", &k.refresh[0])
            ])
        ),
        format!("{http:?}"),
    ]);
    let logs = logs.text();
    assert!(
        logs.contains("yeastar.call"),
        "{p:?}: no call span in the logs:\n{logs}"
    );
    assert!(logs.contains("retrying"), "{p:?}: the retries are traced:\n{logs}");
    assert!(logs.contains("refresh"), "{p:?}: the refresh is traced:\n{logs}");
    // The logged failures (the echoing 503 and 401s, the refused refresh) show the fields the
    // echoes were put in, scrubbed.
    assert!(
        logs.matches("[redacted]").count() >= 3,
        "{p:?}: the echoed fields are logged, scrubbed:\n{logs}"
    );
    texts.push(logs);
    for (i, text) in texts.iter().enumerate() {
        for known in k.all() {
            assert!(!text.contains(known), "{p:?}: text #{i} leaks {known}:\n{text}");
        }
    }
}

/// The error carries the server's echo in its code, message and request id (and YCM/PP
/// details), each with the secret replaced: the SDK read those fields and scrubbed them.
fn assert_scrubbed_echo(p: P, e: &Error) {
    let api = e
        .api_error()
        .unwrap_or_else(|| panic!("{p:?}: an API error inside {e:?}"));
    for (field, value) in [
        ("code", api.code.as_deref()),
        ("message", api.message.as_deref()),
        ("request_id", api.request_id.as_deref()),
    ] {
        assert!(
            value.is_some_and(|v| v.contains("[redacted]")),
            "{p:?}: {field} = {value:?} in {e:?}"
        );
    }
    assert!(format!("{e}").contains("[redacted]"), "{p:?}: {e}");
}

#[tokio::test]
async fn known_tokens_never_leak_partner_portal() {
    known_tokens_flow(P::Pp).await;
}

#[tokio::test]
async fn known_tokens_never_leak_ycm() {
    known_tokens_flow(P::Ycm).await;
}

#[tokio::test]
async fn known_tokens_never_leak_workplace() {
    known_tokens_flow(P::Wp).await;
}

// ---------------------------------------------------------------------------------------------
// The sandbox, end to end

/// The longest run of hex digits in `text`.
fn longest_hex_run(text: &str) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

#[tokio::test]
async fn sandbox_flows_of_every_product_leak_nothing() {
    let (logs, _guard) = capture_logs();
    let secret = |p: P| format!("{}-SandboxSecret-{}", p.name(), std::process::id());
    let wrong = |p: P| format!("{}-WrongSandboxSecret-{}", p.name(), std::process::id());
    let mut config = SandboxConfig::new().with_seed(9);
    for p in ALL {
        config = config.with_credentials(p.sandbox_product(), &format!("{}-id", p.name()), &secret(p));
    }
    let sandbox = Sandbox::start(config).await.unwrap();
    let base = sandbox.base_url();
    let mut texts = Vec::new();
    let mut stored = Vec::new();
    for p in ALL {
        let (token_prefix, api_prefix) = p.prefixes();
        let store = Arc::new(RecordingStore::default());
        let (client, builder_debug) = p.client(
            &base,
            Credentials::client(format!("{}-id", p.name()), secret(p)),
            None,
            Some(store.clone()),
        );
        texts.push(builder_debug);
        // Issue.
        client.call().await.unwrap();
        // Refresh after the API rejects the expired token.
        sandbox.expire_access_tokens();
        client.call().await.unwrap();
        // The same under faults: the call fails three times, then the token is rejected, the
        // refresh request fails twice, the call is replayed.
        sandbox.faults().push(FaultRule::any_method(api_prefix).sequence([
            Fault::Status(503),
            Fault::DropConnection,
            Fault::HtmlBadGateway,
        ]));
        sandbox
            .faults()
            .push(FaultRule::new(Method::POST, token_prefix).sequence([Fault::Status(503), Fault::DropConnection]));
        sandbox.expire_access_tokens();
        client.call().await.unwrap();
        assert_eq!(sandbox.faults().active(), 0, "{p:?}: every fault was injected");
        // A refused refresh: back to the client credentials.
        sandbox.expire_refresh_tokens();
        sandbox.expire_access_tokens();
        client.call().await.unwrap();
        // Hostile echoes (sandbox fault kinds): the API answers 401 echoing the access token
        // in every field the SDK reads, the refresh is refused (400) echoing the refresh token,
        // the client credentials give a new token and the call is replayed.
        let product = p.sandbox_product();
        sandbox
            .faults()
            .push(FaultRule::api_calls(product).sequence([Fault::EchoSecret(EchoedSecret::AccessToken)]));
        sandbox
            .faults()
            .push(FaultRule::token_endpoint(product).sequence([Fault::EchoSecret(EchoedSecret::RefreshToken)]));
        client.call().await.unwrap();
        assert_eq!(sandbox.faults().active(), 0, "{p:?}: both echoes were answered");
        // A wrong secret, refused by a token endpoint that echoes it.
        sandbox
            .faults()
            .push(FaultRule::token_endpoint(product).sequence([Fault::EchoSecret(EchoedSecret::ClientSecret)]));
        let (bad, bad_debug) = p.client(
            &base,
            Credentials::client(format!("{}-id", p.name()), wrong(p)),
            None,
            None,
        );
        texts.push(bad_debug);
        let e = bad.call().await.unwrap_err();
        assert!(
            matches!(&e, Error::Auth(a) if a.kind == yeastar::AuthErrorKind::CredentialsRejected),
            "{e}"
        );
        assert!(
            format!("{e}").contains("[redacted]"),
            "{p:?}: the echo is shown, scrubbed: {e}"
        );
        texts.push(error_texts(&e));
        // A rejected static token (an expired one this client obtained).
        let saved = store.0.lock().unwrap().clone();
        assert_eq!(
            saved.len(),
            5,
            "{p:?}: issue, refresh, refresh, new token, new token after the echoed refusal"
        );
        let (fixed, fixed_debug) = p.client(
            &base,
            Credentials::access_token(saved[0].access_token.clone()),
            None,
            None,
        );
        texts.push(fixed_debug);
        let e = fixed.call().await.unwrap_err();
        assert!(
            matches!(&e, Error::Auth(a) if a.kind == yeastar::AuthErrorKind::TokenRejected),
            "{e}"
        );
        texts.push(error_texts(&e));
        texts.push(format!("{client:?} {bad:?} {fixed:?} {store:?} {saved:#?}"));
        stored.extend(saved);
        // The refreshes really happened (the journal keeps grant types, not tokens).
        let refreshes = sandbox
            .journal()
            .iter()
            .filter(|e| e.path.starts_with(token_prefix))
            .filter(|e| e.body.contains("grant_type=refresh_token") || e.path.ends_with("/refresh_token"))
            .count();
        assert!(refreshes >= 3, "{p:?}: {refreshes} refresh requests");
    }
    // The detector: every token the sandbox issued is a long hex run; request ids are shorter.
    for t in &stored {
        assert!(longest_hex_run(t.access_token.expose()) >= 40);
        assert!(
            t.refresh_token
                .as_ref()
                .is_some_and(|r| longest_hex_run(r.expose()) >= 40)
        );
    }
    let logs = logs.text();
    assert!(logs.contains("yeastar.call") && logs.contains("retrying"), "{logs}");
    assert!(logs.contains("[redacted]"), "the echoes are logged, scrubbed:\n{logs}");
    texts.push(logs);
    for (i, text) in texts.iter().enumerate() {
        for p in ALL {
            assert!(
                !text.contains(&secret(p)),
                "text #{i} leaks the {p:?} client secret:\n{text}"
            );
            assert!(
                !text.contains(&wrong(p)),
                "text #{i} leaks the wrong {p:?} client secret:\n{text}"
            );
        }
        for t in &stored {
            assert!(
                !text.contains(t.access_token.expose()),
                "text #{i} leaks an access token:\n{text}"
            );
        }
        assert!(
            longest_hex_run(text) < 40,
            "text #{i} holds something token-like:\n{text}"
        );
    }
}

/// `RecordedRequest` (feature `test-util`) prints the request body in `Debug`: a token
/// request's body holds the client secret. Test-only type; recorded as finding F3.
#[test]
fn recorded_requests_hide_their_secrets() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let k = Known::new(P::Ycm);
    let http = Arc::new(scripted(P::Ycm, &k));
    let (client, _) = P::Ycm.client(
        "https://secrets.example",
        Credentials::client("id", k.good_secret.as_str()),
        Some(http.clone()),
        None,
    );
    rt.block_on(client.call()).unwrap();
    let debug = format!("{:?}", http.requests());
    assert!(!debug.contains(&k.good_secret), "{debug}");
}
