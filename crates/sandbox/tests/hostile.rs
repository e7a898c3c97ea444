//! Hostile servers as fault kinds: what real gateways, Spring OAuth servers, WAFs and proxies
//! answer, each checked on the wire (status, headers, exact body).

mod common;

use std::time::{Duration, Instant};

use common::{Env, WP, read};
use serde_json::{Value, json};
use yeastar_sandbox::{
    DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET, DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET, DEMO_YCM_CLIENT_ID,
    DEMO_YCM_CLIENT_SECRET, EchoedSecret, Fault, FaultRule, NoTokenBody, Product, SandboxConfig,
};

const PP_TOKEN: &str = "/auth/openapi/v1/oauth/token";
const YCM_TOKEN: &str = "/dm/open_api/oauth/token";
const PP_USER: &str = "/user/openapi/user/v1/subordinate_user/color123@yeastar.com";
const YCM_USER: &str = "/dm/open_api/v1/users/13329";

fn ycm_credentials() -> [(&'static str, &'static str); 3] {
    [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_YCM_CLIENT_ID),
        ("client_secret", DEMO_YCM_CLIENT_SECRET),
    ]
}

/// The body with its generated `requestId` (and YCM's `time`) checked and removed, so the rest
/// can be compared exactly.
fn without_ids(mut body: Value) -> Value {
    let map = body.as_object_mut().expect("a JSON object");
    let id = map.remove("requestId").expect("a requestId");
    assert_eq!(id.as_str().map(str::len), Some(32), "{id}");
    if let Some(time) = map.remove("time") {
        assert!(time.as_i64().is_some_and(|t| t > 1_600_000_000), "{time}");
    }
    body
}

#[tokio::test]
async fn a_401_with_an_empty_body_and_a_bearer_challenge_on_business_endpoints() {
    let env = Env::start().await;
    // Every YCM API call, not the token endpoint.
    env.sandbox
        .faults()
        .push(FaultRule::api_calls(Product::Ycm).always(Fault::BearerChallenge));
    let token = env.ycm_token().await;
    for path in [YCM_USER, "/dm/open_api/v2/users"] {
        let resp = env.http.get(env.url(path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(resp.status(), 401, "{path}");
        assert_eq!(resp.headers()["www-authenticate"], r#"Bearer error="invalid_token""#);
        assert!(resp.headers().get("content-type").is_none(), "no body, no type");
        assert_eq!(resp.text().await.unwrap(), "");
    }
    // Other products answer normally.
    let pp = env.pp_token().await;
    assert_eq!(env.get(PP_USER, &pp).await.0, 200);
    let entry = env.sandbox.journal().pop().unwrap();
    assert_eq!(entry.fault, None);
    let ycm_entries: Vec<_> = env
        .sandbox
        .journal()
        .into_iter()
        .filter(|e| e.path.starts_with("/dm/open_api/v"))
        .collect();
    assert_eq!(ycm_entries.len(), 2);
    assert!(
        ycm_entries
            .iter()
            .all(|e| e.status == Some(401) && e.fault.as_deref() == Some("BearerChallenge"))
    );
}

#[tokio::test]
async fn error_text_echoes_the_access_token_in_every_field_the_sdk_reads() {
    let env = Env::start().await;
    let faults = env.sandbox.faults();
    for product in [Product::PartnerPortal, Product::Ycm, Product::Workplace] {
        faults.push(FaultRule::api_calls(product).always(Fault::EchoSecret(EchoedSecret::AccessToken)));
    }
    let pp = env.pp_token().await;
    let (status, body) = env.get(PP_USER, &pp).await;
    let text = format!("Invalid access token: {pp}");
    assert_eq!(status, 401);
    assert_eq!(
        without_ids(body),
        json!({"code": text, "detailMessage": text, "result": {"message": text}, "status": 401})
    );

    let ycm = env.ycm_token().await;
    let (status, body) = env.get(YCM_USER, &ycm).await;
    let text = format!("Invalid access token: {ycm}");
    assert_eq!(status, 401);
    assert_eq!(
        without_ids(body),
        json!({"status": "Failed", "errcode": text, "errmsg": text, "data": {"errmsg": text}})
    );

    // Workplace's token may come as a query parameter: it is echoed all the same.
    let wp = env.wp_token().await;
    let url = format!("{}?access_token={wp}", env.url(&format!("{WP}/user/user_list")));
    let (status, body) = read(env.http.get(url).send().await.unwrap()).await;
    let text = format!("Invalid access token: {wp}");
    assert_eq!(status, 401);
    assert_eq!(
        without_ids(body),
        json!({"status": "Failed", "errMsg": text, "detailMsg": text})
    );
}

#[tokio::test]
async fn token_endpoints_echo_the_refresh_token_or_the_client_secret() {
    let env = Env::start().await;
    let rt = env.ycm_token_set().await["refresh_token"].as_str().unwrap().to_owned();
    env.sandbox
        .faults()
        .push(FaultRule::token_endpoint(Product::Ycm).sequence([
            Fault::EchoSecret(EchoedSecret::RefreshToken),
            Fault::EchoSecret(EchoedSecret::ClientSecret),
            Fault::EchoSecret(EchoedSecret::ClientSecret),
        ]));
    let (status, body) = env
        .form(YCM_TOKEN, &[("grant_type", "refresh_token"), ("refresh_token", &rt)])
        .await;
    let text = format!("Invalid refresh token: {rt}");
    assert_eq!(status, 400, "Spring's invalid_grant status");
    assert_eq!(
        without_ids(body),
        json!({"status": "Failed", "errcode": text, "errmsg": text, "data": {"errmsg": text}})
    );
    let (status, body) = env.form(YCM_TOKEN, &ycm_credentials()).await;
    let text = format!("Bad client credentials: {DEMO_YCM_CLIENT_SECRET}");
    assert_eq!(status, 401);
    assert_eq!(without_ids(body)["errmsg"], text);
    // A secret sent with HTTP Basic is echoed too.
    let resp = env
        .http
        .post(env.url(YCM_TOKEN))
        .basic_auth(DEMO_YCM_CLIENT_ID, Some("basic-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let (status, body) = read(resp).await;
    assert_eq!(status, 401);
    assert_eq!(body["errmsg"], "Bad client credentials: basic-secret");

    // Partner Portal's token endpoint takes multipart: the secret is found there as well.
    env.sandbox
        .faults()
        .push(FaultRule::token_endpoint(Product::PartnerPortal).always(Fault::EchoSecret(EchoedSecret::ClientSecret)));
    let form = reqwest::multipart::Form::new()
        .text("client_id", DEMO_PP_CLIENT_ID)
        .text("client_secret", DEMO_PP_CLIENT_SECRET)
        .text("grant_type", "pp_credentials");
    let resp = env.http.post(env.url(PP_TOKEN)).multipart(form).send().await.unwrap();
    let (status, body) = read(resp).await;
    let text = format!("Bad client credentials: {DEMO_PP_CLIENT_SECRET}");
    assert_eq!(status, 401);
    assert_eq!(
        without_ids(body),
        json!({"code": text, "detailMessage": text, "result": {"message": text}, "status": 401})
    );
    // The journal still never holds the secret.
    let journal = format!("{:?}", env.sandbox.journal());
    assert!(!journal.contains(DEMO_PP_CLIENT_SECRET) && !journal.contains(&rt) && !journal.contains("basic-secret"));
}

#[tokio::test]
async fn token_endpoints_answer_200_without_a_token() {
    let env = Env::start().await;
    env.sandbox
        .faults()
        .push(FaultRule::token_endpoint(Product::Ycm).sequence([
            Fault::NoToken(NoTokenBody::SystemBusy),
            Fault::NoToken(NoTokenBody::EmptyObject),
            Fault::NoToken(NoTokenBody::ErrorEnvelope),
        ]));
    let exact = |resp: reqwest::Response| async move {
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "application/json;charset=UTF-8");
        resp.text().await.unwrap()
    };
    let send = || env.http.post(env.url(YCM_TOKEN)).form(&ycm_credentials()).send();
    assert_eq!(exact(send().await.unwrap()).await, r#"{"errmsg":"system busy"}"#);
    assert_eq!(exact(send().await.unwrap()).await, "{}");
    let envelope: Value = serde_json::from_str(&exact(send().await.unwrap()).await).unwrap();
    assert_eq!(
        without_ids(envelope),
        json!({"status": "Failed", "errcode": 1_000_001, "errmsg": "System busy, please try again later"})
    );
    // The same envelope in Partner Portal's and Workplace's shapes.
    env.sandbox
        .faults()
        .push(FaultRule::token_endpoint(Product::PartnerPortal).always(Fault::NoToken(NoTokenBody::ErrorEnvelope)));
    env.sandbox
        .faults()
        .push(FaultRule::token_endpoint(Product::Workplace).always(Fault::NoToken(NoTokenBody::ErrorEnvelope)));
    let (status, body) = env
        .form(
            PP_TOKEN,
            &[
                ("client_id", DEMO_PP_CLIENT_ID),
                ("client_secret", DEMO_PP_CLIENT_SECRET),
                ("grant_type", "pp_credentials"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        without_ids(body),
        json!({"code": "system_busy", "detailMessage": "System busy, please try again later", "result": null, "status": 200})
    );
    let (status, body) = env
        .form(
            &format!("{WP}/authentication/refresh_token"),
            &[
                ("client_id", DEMO_WP_CLIENT_ID),
                ("client_secret", DEMO_WP_CLIENT_SECRET),
                ("refresh_token", "x"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        without_ids(body),
        json!({"status": "Failed", "errMsg": "SYSTEM_BUSY", "detailMsg": "System busy, please try again later"})
    );
    // Nothing was issued: the business endpoints never saw a call.
    assert_eq!(env.sandbox.journal().len(), 5);
}

#[tokio::test]
async fn a_waf_answers_the_token_endpoint_with_an_html_403_page() {
    let env = Env::start().await;
    env.sandbox
        .faults()
        .push(FaultRule::token_endpoint(Product::Workplace).always(Fault::HtmlForbidden));
    let resp = env
        .http
        .post(env.url(&format!("{WP}/authentication/get_token")))
        .form(&[
            ("client_id", DEMO_WP_CLIENT_ID),
            ("client_secret", DEMO_WP_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.headers()["content-type"], "text/html");
    assert_eq!(
        resp.text().await.unwrap(),
        "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n\
         <p>Request blocked by the web application firewall.</p>\r\n</body>\r\n</html>\r\n"
    );
    // Business endpoints are not behind this rule.
    let (status, _) = env.get(&format!("{WP}/user/user_list"), "a-token-of-nobody").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_slow_token_endpoint_answers_after_the_configured_delay() {
    let delay = Duration::from_millis(150);
    let env = Env::with(
        SandboxConfig::default().with_fault(FaultRule::token_endpoint(Product::Ycm).always(Fault::Delay(delay))),
    )
    .await;
    let started = Instant::now();
    let (status, body) = env.form(YCM_TOKEN, &ycm_credentials()).await;
    assert!(started.elapsed() >= delay);
    assert_eq!(status, 200, "slow, then the normal answer: {body}");
    assert!(body["access_token"].is_string());
    // The API calls are not slowed.
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(env.get(YCM_USER, token).await.0, 200);
}

#[tokio::test]
async fn a_hung_token_endpoint_never_answers() {
    let env = Env::start().await;
    env.sandbox
        .faults()
        .push(FaultRule::token_endpoint(Product::PartnerPortal).always(Fault::Hang));
    let err = env
        .http
        .post(env.url(PP_TOKEN))
        .timeout(Duration::from_millis(200))
        .form(&[
            ("client_id", DEMO_PP_CLIENT_ID),
            ("client_secret", DEMO_PP_CLIENT_SECRET),
            ("grant_type", "pp_credentials"),
        ])
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // Journaled as soon as it arrived, with no status; the request had no effect.
    let entry = env.sandbox.journal().pop().unwrap();
    assert_eq!((entry.path.as_str(), entry.status), (PP_TOKEN, None));
    assert_eq!(entry.fault.as_deref(), Some("Hang"));
    // The server keeps serving the other routes meanwhile.
    assert!(!env.ycm_token().await.is_empty());
}

#[tokio::test]
async fn a_hung_request_does_not_hold_up_the_shutdown_of_serve() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let config = SandboxConfig::default()
        .with_port(port)
        .with_fault(FaultRule::any_method("/dm/open_api/").always(Fault::Hang));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(yeastar_sandbox::serve(config, async {
        let _ = rx.await;
    }));
    let http = reqwest::Client::builder().user_agent("OpenAPI").build().unwrap();
    let url = format!("http://127.0.0.1:{port}{YCM_USER}");
    let hung = tokio::spawn({
        let http = http.clone();
        async move {
            loop {
                match http.get(&url).send().await {
                    Err(e) if e.is_connect() => tokio::time::sleep(Duration::from_millis(10)).await,
                    other => return other,
                }
            }
        }
    });
    // Wait until the request is in (a Workplace call answers once the server is up).
    let wp = format!("http://127.0.0.1:{port}{WP}/user/user_list");
    for _ in 0..100 {
        if http.get(&wp).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("serve returns although a request hangs")
        .unwrap()
        .unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(5), hung)
        .await
        .unwrap()
        .unwrap();
    assert!(
        outcome.is_err(),
        "the hung request is dropped, never answered: {outcome:?}"
    );
}
