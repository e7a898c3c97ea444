//! Tokens end to end: an access token that expires mid-run is refreshed with the refresh token
//! and the call replayed, without the caller noticing; concurrent callers share one refresh.

mod common;

use std::time::Duration;

use common::{
    PP_TOKEN, WP, WP_TOKEN, YCM_TOKEN, entries, is_credentials_grant, is_refresh_grant, pp, sandbox, sandbox_with, wp,
    ycm,
};
use futures_util::future::join_all;
use yeastar_sandbox::{JournalEntry, Method, Sandbox, SandboxConfig, TokenLifetimes};

fn token_requests(sb: &Sandbox, prefix: &str) -> Vec<JournalEntry> {
    entries(sb, &Method::POST, prefix)
}

/// Calls, expiries and refreshes on one product: `call` must succeed every time.
async fn survive_expiries<F, Fut>(
    sb: &Sandbox,
    token_prefix: &str,
    api_prefix: &str,
    token_count: impl Fn() -> u64,
    call: F,
) where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = yeastar::Result<()>>,
{
    call().await.expect("first call");
    assert_eq!(token_count(), 1);
    for round in 1..=3u64 {
        sb.expire_access_tokens();
        call()
            .await
            .unwrap_or_else(|e| panic!("call after expiry {round}: {e}"));
        call()
            .await
            .unwrap_or_else(|e| panic!("second call after expiry {round}: {e}"));
        assert_eq!(token_count(), 1 + round, "one refresh per expiry");
    }
    let tokens = token_requests(sb, token_prefix);
    assert_eq!(tokens.len(), 4, "{tokens:#?}");
    assert!(is_credentials_grant(&tokens[0]), "{:?}", tokens[0]);
    for t in &tokens[1..] {
        assert!(is_refresh_grant(t), "a refresh-token grant, not new credentials: {t:?}");
        assert_eq!(t.status, Some(200));
    }
    // Each expiry shows up as exactly one rejected call, replayed after the refresh.
    let api: Vec<JournalEntry> = sb
        .journal()
        .into_iter()
        .filter(|e| e.path.starts_with(api_prefix) && !e.path.starts_with(token_prefix))
        .collect();
    let rejected = api.iter().filter(|e| e.status == Some(401)).count();
    assert_eq!(rejected, 3, "{api:#?}");
    assert_eq!(api.len(), 7 + 3);
    assert!(api.iter().all(|e| matches!(e.status, Some(200) | Some(401))));
}

#[tokio::test]
async fn partner_portal_refreshes_after_expiry_mid_run() {
    let sb = sandbox().await;
    let client = pp(&sb);
    survive_expiries(
        &sb,
        PP_TOKEN,
        "/user/openapi/",
        || client.transport().token_requests(),
        || async { client.users().get("yaya@yeastar.com").await.map(drop) },
    )
    .await;
}

#[tokio::test]
async fn ycm_refreshes_after_expiry_mid_run() {
    let sb = sandbox().await;
    let client = ycm(&sb);
    survive_expiries(
        &sb,
        YCM_TOKEN,
        "/dm/open_api/",
        || client.transport().token_requests(),
        || async { client.users().get(13329).await.map(drop) },
    )
    .await;
}

#[tokio::test]
async fn workplace_refreshes_after_expiry_mid_run() {
    let sb = sandbox().await;
    let client = wp(&sb);
    survive_expiries(
        &sb,
        WP_TOKEN,
        WP,
        || client.transport().token_requests(),
        || async { client.users().get(54164).await.map(drop) },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_refresh() {
    let sb = sandbox().await;
    let (p, y, w) = (pp(&sb), ycm(&sb), wp(&sb));
    p.send(&yeastar::partner_portal::ListUsers::new()).await.unwrap();
    y.users().get(13329).await.unwrap();
    w.users().get(54164).await.unwrap();
    sb.expire_access_tokens();
    let calls = (0..20).map(|i| {
        let (p, y, w) = (p.clone(), y.clone(), w.clone());
        async move {
            match i % 3 {
                0 => p.send(&yeastar::partner_portal::ListUsers::new()).await.map(drop),
                1 => y.users().get(13329).await.map(drop),
                _ => w.users().get(54164).await.map(drop),
            }
        }
    });
    for r in join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(p.transport().token_requests(), 2);
    assert_eq!(y.transport().token_requests(), 2);
    assert_eq!(w.transport().token_requests(), 2);
    for prefix in [PP_TOKEN, YCM_TOKEN, WP_TOKEN] {
        let tokens = token_requests(&sb, prefix);
        assert_eq!(tokens.len(), 2, "{prefix}");
        assert!(is_refresh_grant(&tokens[1]), "{:?}", tokens[1]);
    }
}

#[tokio::test]
async fn tokens_that_really_expire_are_refreshed_unnoticed() {
    // The server keeps access tokens 400 ms but announces `expires_in: 1` (whole seconds,
    // rounded up), so the SDK believes them good for a second: each call after 450 ms meets an
    // expired token on the server, which the SDK must refresh and replay transparently.
    let lifetimes = TokenLifetimes::new(Duration::from_millis(400), Duration::from_secs(60));
    let sb = sandbox_with(SandboxConfig::new().with_all_token_lifetimes(lifetimes)).await;
    let (p, y, w) = (pp(&sb), ycm(&sb), wp(&sb));
    for _ in 0..2 {
        p.users().get("yaya@yeastar.com").await.unwrap();
        y.users().get(13329).await.unwrap();
        w.users().get(54164).await.unwrap();
        tokio::time::sleep(Duration::from_millis(450)).await;
    }
    p.users().get("yaya@yeastar.com").await.unwrap();
    y.users().get(13329).await.unwrap();
    w.users().get(54164).await.unwrap();
    for (prefix, n) in [
        (PP_TOKEN, p.transport().token_requests()),
        (YCM_TOKEN, y.transport().token_requests()),
        (WP_TOKEN, w.transport().token_requests()),
    ] {
        let tokens = token_requests(&sb, prefix);
        assert_eq!(tokens.len() as u64, n, "{prefix}");
        assert_eq!(n, 3, "{prefix}: one initial token, two refreshes");
        assert!(tokens[1..].iter().all(is_refresh_grant), "{prefix}: {tokens:#?}");
    }
}

#[tokio::test]
async fn an_expired_refresh_token_falls_back_to_the_client_credentials() {
    let sb = sandbox().await;
    let (p, y, w) = (pp(&sb), ycm(&sb), wp(&sb));
    p.send(&yeastar::partner_portal::ListUsers::new()).await.unwrap();
    y.users().get(13329).await.unwrap();
    w.users().get(54164).await.unwrap();
    sb.expire_access_tokens();
    sb.expire_refresh_tokens();
    p.send(&yeastar::partner_portal::ListUsers::new()).await.unwrap();
    y.users().get(13329).await.unwrap();
    w.users().get(54164).await.unwrap();
    for (prefix, n) in [
        (PP_TOKEN, p.transport().token_requests()),
        (YCM_TOKEN, y.transport().token_requests()),
        (WP_TOKEN, w.transport().token_requests()),
    ] {
        let tokens = token_requests(&sb, prefix);
        assert_eq!(n, 3, "{prefix}: credentials, refused refresh, credentials again");
        assert_eq!(tokens.len(), 3, "{prefix}");
        assert!(
            is_refresh_grant(&tokens[1]) && tokens[1].status == Some(400),
            "{:?}",
            tokens[1]
        );
        assert!(
            is_credentials_grant(&tokens[2]) && tokens[2].status == Some(200),
            "{:?}",
            tokens[2]
        );
    }
    // Secrets never reach the journal in clear (the sandbox redacts them; the SDK sends them
    // only in the form fields the sandbox knows).
    for e in sb.journal() {
        assert!(!e.body.contains("demo-secret"), "{e:?}");
    }
}

#[tokio::test]
async fn a_create_refused_for_an_expired_token_is_replayed_and_created_once() {
    // A 401 proves the create was not processed, so replaying it after the refresh is safe.
    let sb = sandbox().await;
    let client = wp(&sb);
    client.users().get(54164).await.unwrap();
    sb.expire_access_tokens();
    let create = yeastar::workplace::CreateUser::new(
        "after-expiry@example.com",
        "Ada",
        [1_000_127],
        yeastar::workplace::Role::User,
        "Yeastar",
    );
    let created = client.users().create(create.clone()).await.unwrap();
    let creates = entries(&sb, &Method::POST, &format!("{WP}/user/user_create"));
    let statuses: Vec<_> = creates.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [Some(401), Some(200)]);
    let users = client
        .users()
        .list(yeastar::workplace::ListUsers::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    let same: Vec<_> = users
        .iter()
        .filter(|u| u.email.as_deref() == Some("after-expiry@example.com"))
        .collect();
    assert_eq!(same.len(), 1);
    assert_eq!(same[0].member_id, created.id.map(|ids| ids.member_id));
    assert_eq!(client.transport().token_requests(), 2);
}
