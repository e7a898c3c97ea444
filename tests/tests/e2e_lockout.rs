//! YCM's credentials lockout end to end: the IP is blocked after more than 5 failed
//! authentications, and the SDK never causes it by itself (one refused secret = one request).

mod common;

use common::{YCM_TOKEN, entries, sandbox, ycm, ycm_builder_with_secret};
use futures_util::future::join_all;
use yeastar::{AuthErrorKind, Error};
use yeastar_sandbox::{DEMO_YCM_CLIENT_SECRET, Method, Sandbox};

const WRONG: &str = "not-the-secret";

fn token_requests(sb: &Sandbox) -> usize {
    entries(sb, &Method::POST, YCM_TOKEN).len()
}

fn assert_rejected(err: &Error, status: u16) {
    match err {
        Error::Auth(a) => {
            assert_eq!(a.kind, AuthErrorKind::CredentialsRejected, "{err:?}");
            assert_eq!(a.api.as_ref().map(|api| api.status), Some(status), "{err:?}");
        }
        other => panic!("credentials rejected expected, got {other:?}"),
    }
    // The secret never shows in the error.
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains(WRONG) && !text.contains(DEMO_YCM_CLIENT_SECRET),
        "{text}"
    );
}

#[tokio::test]
async fn six_bad_secrets_block_the_ip_until_unblocked() {
    let sb = sandbox().await;
    // Six processes, each with a wrong secret, each making one call.
    for i in 1..=6 {
        let client = ycm_builder_with_secret(&sb, WRONG).build().unwrap();
        let err = client.users().get(13329).await.unwrap_err();
        assert_rejected(&err, 401);
        assert_eq!(client.transport().token_requests(), 1);
        assert_eq!(token_requests(&sb), i);
    }
    // The seventh, with the right secret, is blocked: YCM counted six failures in a row.
    let blocked = ycm(&sb);
    let err = blocked.users().get(13329).await.unwrap_err();
    assert_rejected(&err, 403);
    let api = err.api_error().unwrap();
    assert_eq!(api.code.as_deref(), Some("1000002"), "{api:?}");
    assert_eq!(token_requests(&sb), 7);
    // No API call was made by any of them.
    assert_eq!(entries(&sb, &Method::GET, "/dm/open_api/v1/users/").len(), 0);

    // The admin lifts the block (Security > Blocked IP); a new client gets in.
    sb.unblock_all();
    let user = ycm(&sb).users().get(13329).await.unwrap();
    assert_eq!(user.user_id, Some(13329));
}

#[tokio::test]
async fn five_bad_secrets_do_not_block() {
    let sb = sandbox().await;
    for _ in 0..5 {
        let client = ycm_builder_with_secret(&sb, WRONG).build().unwrap();
        assert_rejected(&client.users().get(13329).await.unwrap_err(), 401);
    }
    ycm(&sb).users().get(13329).await.unwrap();
    // A success resets the count: five more failures still do not block.
    for _ in 0..5 {
        let client = ycm_builder_with_secret(&sb, WRONG).build().unwrap();
        assert_rejected(&client.users().get(13329).await.unwrap_err(), 401);
    }
    ycm(&sb).users().get(13329).await.unwrap();
}

/// How long the token endpoint takes to answer in the race below: long enough that every one
/// of the 25 calls has started, and is waiting, before any refusal is known.
const SLOW_TOKEN: std::time::Duration = std::time::Duration::from_millis(400);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_calls_with_a_wrong_secret_make_one_token_request_and_never_block() {
    use std::sync::Arc;
    use std::time::Instant;
    use yeastar_sandbox::{Fault, FaultRule, Product};

    let sb = sandbox().await;
    // The first (and only) token request is slow, so that all 25 racing calls start while it
    // is in flight: none of them may know the secret was refused.
    sb.faults()
        .push(FaultRule::token_endpoint(Product::Ycm).sequence([Fault::Delay(SLOW_TOKEN)]));
    let client = ycm_builder_with_secret(&sb, WRONG).build().unwrap();
    let barrier = Arc::new(tokio::sync::Barrier::new(25));
    let t0 = Instant::now();
    let racing: Vec<_> = (0..25)
        .map(|i| {
            let (client, barrier) = (client.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let started = t0.elapsed();
                let result = if i % 2 == 0 {
                    client.users().get(13329).await.map(drop)
                } else {
                    client
                        .users()
                        .list(yeastar::ycm::ListUsers::new())
                        .try_collect()
                        .await
                        .map(drop)
                };
                (started, t0.elapsed(), result)
            })
        })
        .collect();
    let mut runs = Vec::new();
    for r in join_all(racing).await {
        runs.push(r.expect("no call panics"));
    }
    // Every call started before the slow token answer came, i.e. before the refusal was known,
    // and ended after it: they all waited for the one flight.
    let first_end = runs.iter().map(|(_, end, _)| *end).min().unwrap();
    let last_start = runs.iter().map(|(start, _, _)| *start).max().unwrap();
    assert!(
        last_start < first_end,
        "all 25 calls started (last at {last_start:?}) before the first ended ({first_end:?})"
    );
    for (start, end, result) in runs {
        assert!(
            end - start >= SLOW_TOKEN / 2,
            "{start:?}..{end:?}: did not wait for the flight"
        );
        assert_rejected(&result.unwrap_err(), 401);
    }
    assert_eq!(
        client.transport().token_requests(),
        1,
        "25 racing calls, one token request"
    );
    assert_eq!(token_requests(&sb), 1, "the sandbox saw exactly one token request");
    assert_eq!(sb.faults().active(), 0, "the slow answer was the first token request");

    // 25 more, one after the other, through the same client: the refusal is remembered.
    for _ in 0..25 {
        assert_rejected(&client.users().get(13329).await.unwrap_err(), 401);
    }
    assert_eq!(client.transport().token_requests(), 1);
    assert_eq!(token_requests(&sb), 1, "exactly one token request for 50 calls");
    assert_eq!(sb.journal().len(), 1, "nothing but that one token request reached YCM");

    // The secret is fixed (a new client): calls succeed, the IP was never blocked.
    let fixed = ycm(&sb);
    for _ in 0..3 {
        fixed.users().get(13329).await.unwrap();
    }
    assert_eq!(fixed.transport().token_requests(), 1);
    assert_eq!(token_requests(&sb), 2);
    let last = entries(&sb, &Method::POST, YCM_TOKEN).pop().unwrap();
    assert_eq!(last.status, Some(200));
}
