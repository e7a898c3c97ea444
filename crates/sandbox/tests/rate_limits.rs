//! Rate limits per product: YCM's documented token bucket (Burst, Rate per Interval) and
//! configurable limits for Partner Portal and Workplace, on a manual clock (no sleeping).

mod common;

use std::time::Duration;

use common::{Env, WP, pp_error, read, wp_error, ycm_error};
use serde_json::Value;
use yeastar_sandbox::{ManualClock, Product, RateLimit, SandboxConfig};

const YCM_USER: &str = "/dm/open_api/v1/users/13329";

/// Sends `GET path` and returns (status, Retry-After, body).
async fn probe(env: &Env, path: &str, token: &str) -> (u16, Option<String>, Value) {
    let resp = env.http.get(env.url(path)).bearer_auth(token).send().await.unwrap();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let (status, body) = read(resp).await;
    (status, retry_after, body)
}

/// How many calls in a row are admitted before the first 429.
async fn admitted(env: &Env, path: &str, token: &str) -> usize {
    for n in 0..10_000 {
        let (status, _, body) = probe(env, path, token).await;
        match status {
            200 => {}
            429 => return n,
            other => panic!("HTTP {other}: {body}"),
        }
    }
    panic!("never limited");
}

#[tokio::test]
async fn a_scaled_down_ycm_bucket_admits_the_burst_and_refills_on_schedule() {
    let clock = ManualClock::new();
    let limit = RateLimit::new(5, 5, Duration::from_secs(1));
    let env = Env::with(
        SandboxConfig::default()
            .with_clock(clock.clone())
            .with_rate_limit(Product::Ycm, limit),
    )
    .await;
    let token = env.ycm_token().await;
    assert_eq!(admitted(&env, YCM_USER, &token).await, 5, "the bucket starts full");
    let (status, retry_after, body) = probe(&env, YCM_USER, &token).await;
    assert_eq!(ycm_error(status, &body, 429), 1_000_040, "RATE_LIMIT_EXCEEDED");
    assert_eq!(retry_after.as_deref(), Some("1"));

    // One millisecond before the refill: still empty, and Retry-After rounds the 1 ms up.
    clock.advance(Duration::from_millis(999));
    let (status, retry_after, _) = probe(&env, YCM_USER, &token).await;
    assert_eq!((status, retry_after.as_deref()), (429, Some("1")));
    clock.advance(Duration::from_millis(1));
    assert_eq!(admitted(&env, YCM_USER, &token).await, 5, "refilled by Rate");

    // Three intervals later the bucket holds Burst tokens, not 3 × Rate.
    clock.advance(Duration::from_secs(3));
    assert_eq!(admitted(&env, YCM_USER, &token).await, 5, "capped at Burst");

    // The bucket is the client's (YCM limits per Client ID): a second token of the same client
    // shares it; the token endpoint itself is not limited.
    let other = env.ycm_token().await;
    let (status, _, _) = probe(&env, YCM_USER, &other).await;
    assert_eq!(status, 429);
    // Half an interval: nothing yet (the refill is per interval, not continuous).
    clock.advance(Duration::from_millis(500));
    assert_eq!(probe(&env, YCM_USER, &other).await.0, 429);
    clock.advance(Duration::from_millis(500));
    assert_eq!(admitted(&env, YCM_USER, &other).await, 5);
    // Only the 200s and the 429s of this test reached the journal (nothing else was sent).
    assert_eq!(
        env.sandbox.journal_count(&reqwest::Method::GET, YCM_USER),
        6 + 1 + 1 + 6 + 6 + 1 + 1 + 6
    );
}

#[tokio::test]
async fn the_documented_ycm_example_refills_rate_tokens_per_interval() {
    // Burst 600, Rate 300, Interval 3 minutes (the YCM guide's example).
    let limit = RateLimit::ycm_documented_example();
    assert_eq!(
        (limit.burst, limit.rate, limit.interval),
        (600, 300, Duration::from_secs(180))
    );
    let clock = ManualClock::new();
    let env = Env::with(
        SandboxConfig::default()
            .with_clock(clock.clone())
            .with_ycm_rate_limit(limit),
    )
    .await;
    let token = env.ycm_token().await;
    assert_eq!(admitted(&env, YCM_USER, &token).await, 600);
    let (_, retry_after, _) = probe(&env, YCM_USER, &token).await;
    assert_eq!(retry_after.as_deref(), Some("180"));
    clock.advance(Duration::from_secs(120));
    let (_, retry_after, _) = probe(&env, YCM_USER, &token).await;
    assert_eq!(retry_after.as_deref(), Some("60"));
    clock.advance(Duration::from_secs(60));
    assert_eq!(admitted(&env, YCM_USER, &token).await, 300, "Rate per Interval");
}

#[tokio::test]
async fn partner_portal_and_workplace_limits_answer_in_their_own_envelope() {
    let clock = ManualClock::new();
    let env = Env::with(
        SandboxConfig::default()
            .with_clock(clock.clone())
            .with_rate_limit(Product::PartnerPortal, RateLimit::new(2, 1, Duration::from_secs(2)))
            .with_rate_limit(Product::Workplace, RateLimit::new(3, 3, Duration::from_secs(10))),
    )
    .await;
    let pp = env.pp_token().await;
    let pp_path = "/user/openapi/user/v1/client/partner_list";
    assert_eq!(admitted(&env, pp_path, &pp).await, 2);
    let (status, retry_after, body) = probe(&env, pp_path, &pp).await;
    assert_eq!(pp_error(status, &body, 429), "too_many_requests");
    assert_eq!(retry_after.as_deref(), Some("2"));

    let wp = env.wp_token().await;
    let wp_path = format!("{WP}/user/user_list");
    assert_eq!(admitted(&env, &wp_path, &wp).await, 3);
    let (status, retry_after, body) = probe(&env, &wp_path, &wp).await;
    assert_eq!(wp_error(status, &body, 429), "TOO_MANY_REQUESTS");
    assert_eq!(retry_after.as_deref(), Some("10"));

    // YCM has no limit configured here.
    let ycm = env.ycm_token().await;
    for _ in 0..10 {
        assert_eq!(probe(&env, YCM_USER, &ycm).await.0, 200);
    }
    // Each product's bucket refills on its own interval.
    clock.advance(Duration::from_secs(2));
    assert_eq!(admitted(&env, pp_path, &pp).await, 1, "Rate 1 per 2 s");
    assert_eq!(probe(&env, &wp_path, &wp).await.0, 429, "Workplace waits 10 s");
}

#[tokio::test]
async fn a_manual_clock_also_drives_token_expiry() {
    let clock = ManualClock::new();
    let env = Env::with(SandboxConfig::default().with_clock(clock.clone())).await;
    let token = env.ycm_token().await;
    clock.advance(Duration::from_secs(30 * 60 - 1));
    assert_eq!(env.get(YCM_USER, &token).await.0, 200, "29:59 into a 30-minute token");
    clock.advance(Duration::from_secs(1));
    let (status, body) = env.get(YCM_USER, &token).await;
    assert_eq!(ycm_error(status, &body, 401), 1_000_035, "TOKEN_EXPIRED");
}
