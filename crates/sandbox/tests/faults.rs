//! Fault injection, rate limiting, the journal and shutdown.

mod common;

use std::time::{Duration, Instant};

use common::{Env, WP, pp_error, read, wp_error, ycm_error};
use reqwest::Method;
use serde_json::json;
use yeastar_sandbox::{
    DEMO_PP_CLIENT_SECRET, DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET, DEMO_YCM_CLIENT_SECRET, Fault, FaultRule, Sandbox,
    SandboxConfig,
};

const YCM_USER: &str = "/dm/open_api/v1/users/13329";

#[tokio::test]
async fn a_sequence_of_faults_is_consumed_in_order() {
    let rule = FaultRule::new(Method::GET, "/dm/open_api/v1/users").sequence([
        Fault::Status(503),
        Fault::TooManyRequests {
            retry_after: Duration::from_millis(1500),
        },
        Fault::Status(500),
        Fault::HtmlBadGateway,
        Fault::Pass,
        Fault::Status(503),
    ]);
    let env = Env::with(SandboxConfig::default().with_fault(rule)).await;
    let token = env.ycm_token().await;
    let (status, body) = env.get(YCM_USER, &token).await;
    assert_eq!(ycm_error(status, &body, 503), 1_000_001);
    let resp = env
        .http
        .get(env.url(YCM_USER))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["retry-after"], "2");
    let (status, body) = read(resp).await;
    assert_eq!(ycm_error(status, &body, 429), 1_000_040);
    let (status, body) = env.get(YCM_USER, &token).await;
    assert_eq!(ycm_error(status, &body, 500), 1_000_001);
    let resp = env
        .http
        .get(env.url(YCM_USER))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(resp.text().await.unwrap().contains("<h1>502 Bad Gateway</h1>"));
    assert_eq!(env.get(YCM_USER, &token).await.0, 200);
    assert_eq!(env.get(YCM_USER, &token).await.0, 503);
    // Spent: normal answers from now on.
    assert_eq!(env.get(YCM_USER, &token).await.0, 200);
    assert_eq!(env.sandbox.faults().active(), 0);
    let faults: Vec<Option<String>> = env.sandbox.journal().into_iter().skip(1).map(|e| e.fault).collect();
    assert_eq!(faults[0].as_deref(), Some("Status(503)"));
    assert_eq!(faults[4], None);
}

#[tokio::test]
async fn faults_use_each_products_envelope_and_only_match_their_route() {
    let env = Env::start().await;
    env.sandbox
        .faults()
        .push(FaultRule::any_method("/user/openapi/").always(Fault::Status(503)));
    env.sandbox
        .faults()
        .push(FaultRule::new(Method::POST, format!("{WP}/user/user_create")).always(Fault::Status(500)));
    let pp = env.pp_token().await;
    let (status, body) = env.get("/user/openapi/user/v1/client/partner_list", &pp).await;
    assert_eq!(pp_error(status, &body, 503), "service_unavailable");
    let wp = env.wp_token().await;
    let (status, body) = env
        .call(Method::POST, &format!("{WP}/user/user_create"), &wp, Some(json!({})))
        .await;
    assert_eq!(wp_error(status, &body, 500), "INTERNAL_SERVER_ERROR");
    assert_eq!(
        env.get(&format!("{WP}/user/user_list"), &wp).await.0,
        200,
        "other route, other method"
    );
    env.sandbox.faults().clear();
    assert_eq!(env.get("/user/openapi/user/v1/client/partner_list", &pp).await.0, 200);
}

#[tokio::test]
async fn a_dropped_connection_gives_no_response_and_the_server_keeps_serving() {
    let env = Env::start().await;
    let token = env.ycm_token().await;
    env.sandbox
        .faults()
        .push(FaultRule::new(Method::POST, "/dm/open_api/v1/users").sequence([Fault::DropConnection]));
    let body = json!({"userType": "Reseller"});
    let err = env
        .http
        .post(env.url("/dm/open_api/v1/users"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_request(), "hyper reports IncompleteMessage: {err:?}");
    assert!(err.status().is_none());
    let entry = env.sandbox.journal().pop().unwrap();
    assert_eq!(entry.status, None);
    assert_eq!(entry.fault.as_deref(), Some("DropConnection"));
    assert_eq!(env.sandbox.journal_count(&Method::POST, "/dm/open_api/v1/users"), 1);
    assert_eq!(env.get(YCM_USER, &token).await.0, 200);
}

#[tokio::test]
async fn a_request_can_take_effect_while_its_answer_is_lost() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let create = "/services/openapi/v1.0/user/group_create";
    env.sandbox.faults().push(
        FaultRule::new(Method::POST, create)
            .sequence([Fault::DropAfterHandling, Fault::SlowAnswer(Duration::from_millis(400))]),
    );
    // Dropped after handling: the client gets no answer, yet the group exists.
    let err = env
        .http
        .post(env.url(create))
        .bearer_auth(&token)
        .json(&json!({"groupName": "Dropped but made"}))
        .send()
        .await
        .unwrap_err();
    assert!(err.status().is_none(), "{err:?}");
    // Slow answer: the client gives up first, yet the group exists and the journal says 200.
    let err = env
        .http
        .post(env.url(create))
        .bearer_auth(&token)
        .timeout(Duration::from_millis(100))
        .json(&json!({"groupName": "Slow but made"}))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    let entries: Vec<_> = env.sandbox.journal().into_iter().filter(|e| e.path == create).collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].status, Some(200));
    assert_eq!(entries[0].fault.as_deref(), Some("DropAfterHandling"));
    assert_eq!(entries[1].status, Some(200));
    let (status, body) = env
        .get("/services/openapi/v1.0/user/group_list?pageSize=100", &token)
        .await;
    assert_eq!(status, 200);
    let names: Vec<&str> = body["data"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["groupName"].as_str())
        .collect();
    assert!(
        names.contains(&"Dropped but made") && names.contains(&"Slow but made"),
        "{names:?}"
    );
}

#[tokio::test]
async fn latency_is_added() {
    let env = Env::start().await;
    let token = env.wp_token().await;
    let path = format!("{WP}/user/user_list");
    env.sandbox
        .faults()
        .push(FaultRule::new(Method::GET, &path).sequence([Fault::Delay(Duration::from_millis(150))]));
    let started = Instant::now();
    assert_eq!(env.get(&path, &token).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    env.sandbox.faults().push(
        FaultRule::new(Method::GET, &path)
            .always(Fault::Status(503))
            .with_latency(Duration::from_millis(100)),
    );
    let started = Instant::now();
    assert_eq!(env.get(&path, &token).await.0, 503);
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn random_faults_are_reproducible_with_a_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let rule = FaultRule::any_method("/services/openapi/v1.0/user/").random(
            seed,
            [
                (40, Fault::Status(500)),
                (
                    20,
                    Fault::TooManyRequests {
                        retry_after: Duration::ZERO,
                    },
                ),
            ],
        );
        let env = Env::with(SandboxConfig::default().with_fault(rule)).await;
        let token = env.wp_token().await;
        let mut out = Vec::new();
        for _ in 0..60 {
            out.push(env.get(&format!("{WP}/user/user_list"), &token).await.0);
        }
        out
    }
    let a = statuses(11).await;
    assert_eq!(a, statuses(11).await);
    for status in [200, 500, 429] {
        assert!(a.contains(&status), "{status} in {a:?}");
    }
}

#[tokio::test]
async fn the_journal_never_holds_a_secret() {
    let env = Env::start().await;
    let pp = env.pp_token_set().await;
    let ycm = env.ycm_token_set().await;
    let wp = env.wp_token_set().await;
    let wp_rt = wp["refresh_token"].as_str().unwrap();
    let refreshed = env
        .form(
            &format!("{WP}/authentication/refresh_token"),
            &[
                ("client_id", DEMO_WP_CLIENT_ID),
                ("client_secret", DEMO_WP_CLIENT_SECRET),
                ("refresh_token", wp_rt),
            ],
        )
        .await
        .1;
    let pp_token = pp["result"]["token"].as_str().unwrap();
    env.get("/user/openapi/user/v1/client/partner_list", pp_token).await;
    let ycm_token = ycm["access_token"].as_str().unwrap();
    env.call(
        Method::PUT,
        YCM_USER,
        ycm_token,
        Some(json!({"remark": "journal me", "access_token": "leak"})),
    )
    .await;

    let secrets = [
        DEMO_PP_CLIENT_SECRET,
        DEMO_YCM_CLIENT_SECRET,
        DEMO_WP_CLIENT_SECRET,
        pp_token,
        pp["result"]["refreshToken"].as_str().unwrap(),
        ycm_token,
        wp["access_token"].as_str().unwrap(),
        wp_rt,
        refreshed["access_token"].as_str().unwrap(),
        "leak",
    ];
    let journal = env.sandbox.journal();
    assert_eq!(journal.len(), 6);
    let dump = format!("{journal:?}");
    for secret in secrets {
        assert!(!dump.contains(secret), "{secret} leaked into the journal");
    }
    // What is not secret is kept.
    assert!(
        journal[0].body.contains("client_id=pp-demo-client") && journal[0].body.contains("grant_type=pp_credentials")
    );
    assert_eq!(journal[4].header("authorization"), Some("[redacted]"));
    assert_eq!(journal[4].header("user-agent"), Some("OpenAPI"));
    assert_eq!(journal[5].json().unwrap()["remark"], "journal me");
    assert_eq!(journal[5].status, Some(200));
    env.sandbox.clear_journal();
    assert!(env.sandbox.journal().is_empty());
}

#[tokio::test]
async fn dropping_the_sandbox_stops_the_server() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let url = format!("{}/dm/open_api/v2/users", sandbox.base_url());
    assert!(url.starts_with("http://127.0.0.1:"));
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    assert_eq!(http.get(&url).send().await.unwrap().status(), 400, "no User-Agent");
    drop(sandbox);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(http.get(&url).send().await.is_err());
}

#[tokio::test]
async fn serve_runs_until_its_shutdown_future_completes() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(yeastar_sandbox::serve(
        SandboxConfig::default().with_port(port),
        async {
            let _ = rx.await;
        },
    ));
    let http = reqwest::Client::builder().user_agent("OpenAPI").build().unwrap();
    let url = format!("http://127.0.0.1:{port}/dm/open_api/v1/users/13329");
    let mut status = None;
    for _ in 0..100 {
        if let Ok(resp) = http.get(&url).send().await {
            status = Some(resp.status().as_u16());
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(status, Some(401));
    drop(http);
    tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
