//! Helpers shared by the end-to-end tests: a started sandbox and SDK clients pointed at it.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use yeastar::Credentials;
use yeastar::RetryPolicy;
use yeastar_sandbox::{
    DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET, DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET, DEMO_YCM_CLIENT_ID,
    DEMO_YCM_CLIENT_SECRET, JournalEntry, Method, Sandbox, SandboxConfig,
};

/// Workplace API prefix.
pub const WP: &str = "/services/openapi/v1.0";
/// Partner Portal token endpoint.
pub const PP_TOKEN: &str = "/auth/openapi/v1/oauth/token";
/// YCM token endpoint.
pub const YCM_TOKEN: &str = "/dm/open_api/oauth/token";
/// Workplace token endpoints (`get_token`, `refresh_token`).
pub const WP_TOKEN: &str = "/services/openapi/v1.0/authentication/";

/// Starts a sandbox with the default configuration.
pub async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::new()).await.expect("sandbox starts")
}

/// Starts a sandbox with `config`.
pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}

/// Retries quick enough for tests: 3 attempts, 5–40 ms backoff.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(40))
}

/// A Partner Portal builder pointed at the sandbox with the demo credentials and fast retries.
pub fn pp_builder(sb: &Sandbox) -> yeastar::partner_portal::ClientBuilder {
    yeastar::partner_portal::Client::builder()
        .base_url(sb.base_url())
        .credentials(Credentials::client(DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET))
        .app_name("yeastar-e2e")
        .retry(fast_retry())
}

/// A YCM builder pointed at the sandbox with the demo credentials and fast retries.
pub fn ycm_builder(sb: &Sandbox) -> yeastar::ycm::ClientBuilder {
    ycm_builder_with_secret(sb, DEMO_YCM_CLIENT_SECRET)
}

/// A YCM builder with the demo client id and `secret`.
pub fn ycm_builder_with_secret(sb: &Sandbox, secret: &str) -> yeastar::ycm::ClientBuilder {
    yeastar::ycm::Client::builder()
        .base_url(sb.base_url())
        .credentials(Credentials::client(DEMO_YCM_CLIENT_ID, secret.to_owned()))
        .app_name("yeastar-e2e")
        .retry(fast_retry())
}

/// A Workplace builder pointed at the sandbox with the demo credentials and fast retries.
pub fn wp_builder(sb: &Sandbox) -> yeastar::workplace::ClientBuilder {
    yeastar::workplace::Client::builder()
        .base_url(sb.base_url())
        .credentials(Credentials::client(DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET))
        .app_name("yeastar-e2e")
        .retry(fast_retry())
}

/// A Partner Portal client on the sandbox.
pub fn pp(sb: &Sandbox) -> yeastar::partner_portal::Client {
    pp_builder(sb).build().expect("pp client builds")
}

/// A YCM client on the sandbox.
pub fn ycm(sb: &Sandbox) -> yeastar::ycm::Client {
    ycm_builder(sb).build().expect("ycm client builds")
}

/// A Workplace client on the sandbox.
pub fn wp(sb: &Sandbox) -> yeastar::workplace::Client {
    wp_builder(sb).build().expect("workplace client builds")
}

/// The journal entries with `method` whose path starts with `prefix`.
pub fn entries(sb: &Sandbox, method: &Method, prefix: &str) -> Vec<JournalEntry> {
    sb.journal()
        .into_iter()
        .filter(|e| e.method == method.as_str() && e.path.starts_with(prefix))
        .collect()
}

/// Whether a journaled token request is a refresh-token grant (PP/YCM form field, Workplace path).
pub fn is_refresh_grant(e: &JournalEntry) -> bool {
    e.path.ends_with("/refresh_token") || e.body.contains("grant_type=refresh_token")
}

/// Whether a journaled token request is a client-credentials grant.
pub fn is_credentials_grant(e: &JournalEntry) -> bool {
    e.path.ends_with("/get_token")
        || e.body.contains("grant_type=client_credentials")
        || e.body.contains("grant_type=pp_credentials")
}

/// The HTTP status of the API error inside `e` (also inside `RetriesExhausted` and `Auth`).
pub fn api_status(e: &yeastar::Error) -> Option<u16> {
    e.api_error().map(|a| a.status)
}

/// A name unique within the test process, for emails and group names.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{prefix}{}", N.fetch_add(1, Ordering::Relaxed))
}
