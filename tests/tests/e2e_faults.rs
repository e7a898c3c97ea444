//! Faults end to end: reads are retried as the transport promises, creates are never sent
//! twice (proved by the sandbox's journal), `Retry-After` is honoured.

mod common;

use std::time::{Duration, Instant};

use common::{WP, api_status, entries, fast_retry, pp, pp_builder, sandbox, unique, wp, wp_builder, ycm, ycm_builder};
use yeastar::workplace::{CreateGroup, CreateUser as WpCreateUser, Role};
use yeastar::ycm::{CreateUser as YcmCreateUser, ResellerPackage};
use yeastar::{Error, RetryPolicy, TimeoutKind, TransportErrorKind};
use yeastar_sandbox::{Fault, FaultRule, Method, Sandbox};

const PP_GET: &str = "/user/openapi/user/v1/subordinate_user/";
const PP_CREATE: &str = "/user/openapi/user/v1/client/save_user";
const PP_EDIT: &str = "/user/openapi/user/v1/client/edit_user";
const YCM_USERS: &str = "/dm/open_api/v1/users";
const WP_CREATE: &str = "/services/openapi/v1.0/user/user_create";
const WP_DETAIL: &str = "/services/openapi/v1.0/user/user_detail/";

fn push(sb: &Sandbox, method: Method, prefix: &str, faults: impl IntoIterator<Item = Fault>) {
    sb.faults().push(FaultRule::new(method, prefix).sequence(faults));
}

fn faults_seen(sb: &Sandbox, method: &Method, prefix: &str) -> Vec<Option<String>> {
    entries(sb, method, prefix).into_iter().map(|e| e.fault).collect()
}

fn pp_create(email: &str) -> yeastar::partner_portal::users::CreateUser {
    yeastar::partner_portal::users::CreateUser::new(email, "Fault Co", "Chad").first_name("F")
}

fn ycm_create(email: &str) -> YcmCreateUser {
    YcmCreateUser::reseller("Fault Co", "F", email, ResellerPackage::new(10, 5, 1, 1))
}

fn wp_create(email: &str) -> WpCreateUser {
    WpCreateUser::new(email, "F", [1_000_127], Role::User, "Yeastar")
}

#[tokio::test]
async fn reads_survive_two_503s_on_every_product() {
    let sb = sandbox().await;
    push(&sb, Method::GET, PP_GET, [Fault::Status(503), Fault::Status(503)]);
    push(
        &sb,
        Method::GET,
        "/dm/open_api/v1/users/13329",
        [Fault::Status(503), Fault::Status(503)],
    );
    push(&sb, Method::GET, WP_DETAIL, [Fault::Status(503), Fault::Status(503)]);
    pp(&sb).users().get("yaya@yeastar.com").await.unwrap();
    ycm(&sb).users().get(13329).await.unwrap();
    wp(&sb).users().get(54164).await.unwrap();
    for prefix in [PP_GET, "/dm/open_api/v1/users/13329", WP_DETAIL] {
        assert_eq!(
            faults_seen(&sb, &Method::GET, prefix),
            [Some("Status(503)".to_owned()), Some("Status(503)".to_owned()), None],
            "{prefix}"
        );
    }
    assert_eq!(sb.faults().active(), 0);
}

#[tokio::test]
async fn reads_survive_500_html_502_and_a_dropped_connection() {
    let sb = sandbox().await;
    push(&sb, Method::GET, WP_DETAIL, [Fault::Status(500), Fault::HtmlBadGateway]);
    push(&sb, Method::GET, PP_GET, [Fault::DropConnection, Fault::Status(504)]);
    push(&sb, Method::GET, "/dm/open_api/v2/users", [Fault::DropConnection]);
    wp(&sb).users().get(54164).await.unwrap();
    pp(&sb).users().get("yaya@yeastar.com").await.unwrap();
    let users = ycm(&sb)
        .users()
        .list(yeastar::ycm::ListUsers::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 5);
    assert_eq!(entries(&sb, &Method::GET, WP_DETAIL).len(), 3);
    assert_eq!(entries(&sb, &Method::GET, PP_GET).len(), 3);
    let dropped = entries(&sb, &Method::GET, "/dm/open_api/v2/users");
    assert_eq!(dropped.len(), 2);
    assert_eq!(dropped[0].status, None, "the connection was dropped without an answer");
}

#[tokio::test]
async fn reads_give_up_with_retries_exhausted() {
    let sb = sandbox().await;
    push(&sb, Method::GET, WP_DETAIL, std::iter::repeat_n(Fault::Status(503), 5));
    let err = wp(&sb).users().get(54164).await.unwrap_err();
    match &err {
        Error::RetriesExhausted { attempts, last, .. } => {
            assert_eq!(*attempts, 3);
            assert_eq!(last.status(), Some(503));
        }
        other => panic!("RetriesExhausted expected, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.status(), Some(503));
    assert_eq!(entries(&sb, &Method::GET, WP_DETAIL).len(), 3);
    // The rule has 2 faults left; the next call passes after them.
    wp(&sb).users().get(54164).await.unwrap();
}

#[tokio::test]
async fn an_idempotent_post_is_retried() {
    // PP's edit_user is a POST that only sets fields: declared idempotent, so retried.
    let sb = sandbox().await;
    push(&sb, Method::POST, PP_EDIT, [Fault::Status(503), Fault::DropConnection]);
    pp(&sb)
        .users()
        .edit(yeastar::partner_portal::users::EditUser::new("yaya@yeastar.com").city("Guangzhou"))
        .await
        .unwrap();
    assert_eq!(entries(&sb, &Method::POST, PP_EDIT).len(), 3);
    let user = pp(&sb).users().get("yaya@yeastar.com").await.unwrap();
    assert_eq!(user.city.as_deref(), Some("Guangzhou"));
}

#[tokio::test]
async fn a_create_answered_503_is_not_retried_on_any_product() {
    let sb = sandbox().await;
    push(&sb, Method::POST, PP_CREATE, [Fault::Status(503)]);
    push(&sb, Method::POST, YCM_USERS, [Fault::Status(503)]);
    push(&sb, Method::POST, WP_CREATE, [Fault::Status(503)]);
    push(
        &sb,
        Method::POST,
        &format!("{WP}/user/group_create"),
        [Fault::Status(503)],
    );

    // A 5xx after a create was sent does not say whether it took effect: the error says so
    // (look the record up before sending again) and carries the server's answer.
    let err = pp(&sb).users().create(pp_create("c1@example.com")).await.unwrap_err();
    assert!(matches!(cause(&err), Error::Api(a) if a.status == 503), "{err:?}");
    let err = ycm(&sb).users().create(ycm_create("c1@example.com")).await.unwrap_err();
    assert!(matches!(cause(&err), Error::Api(a) if a.status == 503), "{err:?}");
    let err = wp(&sb).users().create(wp_create("c1@example.com")).await.unwrap_err();
    assert!(matches!(cause(&err), Error::Api(a) if a.status == 503), "{err:?}");
    let err = wp(&sb).groups().create(CreateGroup::new("Faulty")).await.unwrap_err();
    assert!(matches!(cause(&err), Error::Api(a) if a.status == 503), "{err:?}");
    assert!(!err.is_retryable(), "blindly retrying a create could duplicate it");
    assert_eq!(err.status(), Some(503));

    for (method, prefix) in [
        (Method::POST, PP_CREATE),
        (Method::POST, YCM_USERS),
        (Method::POST, WP_CREATE),
        (Method::POST, "/services/openapi/v1.0/user/group_create"),
    ] {
        assert_eq!(entries(&sb, &method, prefix).len(), 1, "{prefix}: sent exactly once");
    }
    // Nothing was created.
    assert!(pp(&sb).users().get("c1@example.com").await.is_err());
    assert_eq!(
        ycm(&sb)
            .users()
            .list(yeastar::ycm::ListUsers::new())
            .try_collect()
            .await
            .unwrap()
            .len(),
        5
    );
}

#[tokio::test]
async fn a_create_whose_connection_drops_is_not_retried() {
    let sb = sandbox().await;
    push(&sb, Method::POST, YCM_USERS, [Fault::DropConnection]);
    push(&sb, Method::POST, WP_CREATE, [Fault::HtmlBadGateway]);
    let err = ycm(&sb)
        .users()
        .create(ycm_create("drop@example.com"))
        .await
        .unwrap_err();
    assert!(
        matches!(cause(&err), Error::Transport(t) if t.kind == TransportErrorKind::Io || t.kind == TransportErrorKind::Other),
        "{err:?}"
    );
    let err = wp(&sb).users().create(wp_create("html@example.com")).await.unwrap_err();
    assert!(
        matches!(cause(&err), Error::UnexpectedResponse(u) if u.status == 502),
        "{err:?}"
    );
    assert_eq!(entries(&sb, &Method::POST, YCM_USERS).len(), 1);
    assert_eq!(entries(&sb, &Method::POST, WP_CREATE).len(), 1);
}

#[tokio::test]
async fn a_slow_create_times_out_once_and_is_never_resent() {
    let sb = sandbox().await;
    push(&sb, Method::POST, YCM_USERS, [Fault::Delay(Duration::from_millis(400))]);
    let client = ycm_builder(&sb)
        .attempt_timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let email = unique("slow-") + "@example.com";
    let started = Instant::now();
    let err = client.users().create(ycm_create(&email)).await.unwrap_err();
    assert!(
        matches!(
            cause(&err),
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    // Let the server finish (or abandon) the slow request, then look: the create reached the
    // server at most once, whatever its outcome.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let creates = entries(&sb, &Method::POST, YCM_USERS);
    assert!(creates.len() <= 1, "{creates:#?}");
    let found = ycm(&sb)
        .users()
        .list(yeastar::ycm::ListUsers::new())
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.email.as_deref() == Some(email.as_str()))
        .count();
    assert!(found <= 1);
    assert_eq!(found, creates.iter().filter(|e| e.status == Some(200)).count());
}

#[tokio::test]
async fn a_slow_read_is_retried_after_the_attempt_timeout() {
    let sb = sandbox().await;
    push(&sb, Method::GET, WP_DETAIL, [Fault::Delay(Duration::from_secs(1))]);
    let client = wp_builder(&sb)
        .attempt_timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let started = Instant::now();
    client.users().get(54164).await.unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
    // The SDK did not wait for the slow answer.
    assert!(elapsed < Duration::from_millis(900), "{elapsed:?}");
}

#[tokio::test]
async fn a_429_create_is_retried_after_retry_after_and_created_once() {
    // 429 means "not processed": even a create is retried. `Retry-After: 0` must win over a
    // backoff that would otherwise exceed the whole time budget.
    let sb = sandbox().await;
    push(
        &sb,
        Method::POST,
        PP_CREATE,
        [Fault::TooManyRequests {
            retry_after: Duration::ZERO,
        }],
    );
    let client = pp_builder(&sb)
        .retry(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_secs(60))
                .with_max_backoff(Duration::from_secs(60)),
        )
        .total_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = Instant::now();
    client.users().create(pp_create("busy@example.com")).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    let creates = entries(&sb, &Method::POST, PP_CREATE);
    assert_eq!(creates.len(), 2);
    assert_eq!(creates[0].status, Some(429));
    assert_eq!(creates[1].status, Some(200));
    let users = client
        .users()
        .list(yeastar::partner_portal::ListUsers::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        users
            .iter()
            .filter(|u| u.email.as_deref() == Some("busy@example.com"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_ends_the_retries() {
    let sb = sandbox().await;
    push(
        &sb,
        Method::GET,
        "/dm/open_api/v1/users/13329",
        [Fault::TooManyRequests {
            retry_after: Duration::from_secs(1),
        }],
    );
    let client = ycm_builder(&sb)
        .retry(fast_retry().with_max_retry_after(Duration::from_millis(500)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.users().get(13329).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(api_status(&err), Some(429), "{err:?}");
    assert_eq!(err.api_error().unwrap().retry_after, Some(Duration::from_secs(1)));
    assert_eq!(entries(&sb, &Method::GET, "/dm/open_api/v1/users/13329").len(), 1);
}

#[tokio::test]
async fn reads_and_creates_under_a_fault_storm_never_duplicate() {
    // Every third create and read fails in some way; the creates that report success exist
    // exactly once, and no create body reached the server twice.
    let sb = sandbox().await;
    let faults = [
        Fault::Status(503),
        Fault::Pass,
        Fault::DropConnection,
        Fault::Pass,
        Fault::Status(500),
        Fault::Pass,
    ];
    sb.faults()
        .push(FaultRule::new(Method::POST, WP_CREATE).sequence(faults.clone().into_iter().cycle().take(30)));
    sb.faults()
        .push(FaultRule::new(Method::GET, WP_DETAIL).sequence(faults.into_iter().cycle().take(30)));
    let client = wp(&sb);
    let mut ok = Vec::new();
    for i in 0..10 {
        let email = format!("storm{i}@example.com");
        match client.users().create(wp_create(&email)).await {
            Ok(created) => {
                ok.push(email);
                client.users().get(created.id.unwrap().member_id).await.unwrap();
            }
            Err(e) => assert!(e.outcome_unknown() && cause(&e).is_retryable(), "{e:?}"),
        }
    }
    assert!(!ok.is_empty() && ok.len() < 10, "{ok:?}");
    let creates = entries(&sb, &Method::POST, WP_CREATE);
    assert_eq!(creates.len(), 10, "one request per create");
    let users = client
        .users()
        .list(yeastar::workplace::ListUsers::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    for email in &ok {
        assert_eq!(
            users
                .iter()
                .filter(|u| u.email.as_deref() == Some(email.as_str()))
                .count(),
            1
        );
    }
    assert_eq!(users.len(), 2 + ok.len());
}

/// The cause inside an [`Error::OutcomeUnknown`]: what a create that was sent but not answered
/// reports. Panics on any other error (the test expects exactly that wrapper).
fn cause(err: &Error) -> &Error {
    match err {
        Error::OutcomeUnknown { source, .. } => source,
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}
