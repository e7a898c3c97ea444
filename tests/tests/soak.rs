//! Fault soak (issue 9, item 1): 2,000 mixed calls of the three products against the sandbox
//! with seeded random faults on every API route — 20 % HTTP 503, 5 % dropped connections, 5 %
//! latency beyond the per-attempt timeout, each of the last two split between "before the
//! request is handled" and "after it took effect" (the answer is lost or late) — and the access tokens of all products expired every
//! 350 calls, 16 calls at a time.
//!
//! Outcomes checked:
//! - every idempotent call succeeds or ends with a clear `Timeout` / `RetriesExhausted` error,
//!   within the total timeout (each call's elapsed time is measured);
//! - no create is ever sent twice (each create carries a unique email; the sandbox journal holds
//!   at most one request per email), every create the SDK reported as done exists exactly once,
//!   and the creates the server processed are exactly those reported done plus those whose
//!   outcome the SDK could not know (a timed-out attempt the server still completed);
//! - token requests ≤ expiries + 1 per product client.
//!
//! A second phase (issue 12, item 17) turns the token endpoints hostile while calls run: see
//! `hostile_token_endpoint_phase` below.
//!
//! The figures are printed with `eprintln!` (run with `--nocapture` to see them):
//! `cargo test -p yeastar-tests --test soak -- --nocapture`.
//!
//! Expiries are spaced so that no call's lifetime spans two of them: the calls are counted in
//! "epochs"; before expiring the tokens, the driver opens a new epoch and waits until every call
//! of the previous one has finished. The SDK replays a call once after a rejected token, so a
//! call whose retries straddle two expiries ends with `Auth(TokenRejected)` (seen when expiring
//! every 20 calls without this spacing). With the real lifetimes (30 minutes, a day) and a total
//! timeout of seconds, a call never spans two expiries.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{PP_TOKEN, WP_TOKEN, YCM_TOKEN};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;
use yeastar::Error;
use yeastar::RetryPolicy;
use yeastar_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig};

const CALLS: usize = 2_000;
const CONCURRENCY: usize = 16;
const EXPIRE_EVERY: usize = 350;
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(200);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(2);
const LATENCY: Duration = Duration::from_millis(300);
/// Scheduling slack allowed on top of the total timeout when checking each call's duration.
const SLACK: Duration = Duration::from_millis(300);

const PP_API: &str = "/user/openapi/";
const YCM_API: &str = "/dm/open_api/v";
const WP_API: &str = "/services/openapi/v1.0/user/";
const PP_CREATE: &str = "/user/openapi/user/v1/client/save_user";
const YCM_CREATE: &str = "/dm/open_api/v1/users";
const WP_CREATE: &str = "/services/openapi/v1.0/user/user_create";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Op {
    PpGet,
    PpList,
    PpBilling,
    PpCountries,
    PpEdit,
    PpCreate,
    YcmGet,
    YcmList,
    YcmSubordinates,
    YcmUpdate,
    YcmCreate,
    WpGet,
    WpList,
    WpGroups,
    WpGroupGet,
    WpCreate,
}

impl Op {
    fn is_create(self) -> bool {
        matches!(self, Op::PpCreate | Op::YcmCreate | Op::WpCreate)
    }

    fn product(self) -> &'static str {
        match self {
            Op::PpGet | Op::PpList | Op::PpBilling | Op::PpCountries | Op::PpEdit | Op::PpCreate => "pp",
            Op::YcmGet | Op::YcmList | Op::YcmSubordinates | Op::YcmUpdate | Op::YcmCreate => "ycm",
            _ => "wp",
        }
    }

    /// The operation of call `i`: products in turn, 20 % creates, the rest reads and
    /// idempotent writes, drawn from a fixed per-call hash.
    fn of_call(i: usize) -> Op {
        let r = splitmix(i as u64);
        let create = r % 100 < 20;
        let pick = (r >> 8) as usize;
        match (i % 3, create) {
            (0, true) => Op::PpCreate,
            (0, false) => [Op::PpGet, Op::PpList, Op::PpBilling, Op::PpCountries, Op::PpEdit][pick % 5],
            (1, true) => Op::YcmCreate,
            (1, false) => [Op::YcmGet, Op::YcmList, Op::YcmSubordinates, Op::YcmUpdate][pick % 4],
            (_, true) => Op::WpCreate,
            (_, false) => [Op::WpGet, Op::WpList, Op::WpGroups, Op::WpGroupGet][pick % 4],
        }
    }
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Clone)]
struct Clients {
    pp: yeastar::partner_portal::Client,
    ycm: yeastar::ycm::Client,
    wp: yeastar::workplace::Client,
}

fn soak_email(op: Op, i: usize) -> String {
    format!("soak-{}-{i}@example.com", op.product())
}

async fn run(c: &Clients, op: Op, i: usize) -> yeastar::Result<()> {
    use yeastar::partner_portal::countries::ListCountries;
    use yeastar::partner_portal::users as pp;
    use yeastar::workplace as wp;
    use yeastar::ycm;
    let email = soak_email(op, i);
    match op {
        Op::PpGet => c.pp.users().get("yaya@yeastar.com").await.map(drop),
        Op::PpList => c.pp.send(&pp::ListUsers::new()).await.map(drop),
        Op::PpBilling => {
            c.pp.send(&yeastar::partner_portal::billing::ListBillingContacts::new())
                .await
                .map(drop)
        }
        Op::PpCountries => {
            c.pp.send(&ListCountries::new().page_no(1 + (i as u32 % 5)).page_size(10))
                .await
                .map(drop)
        }
        Op::PpEdit => {
            c.pp.users()
                .edit(pp::EditUser::new("yaya@yeastar.com").remark(format!("soak {i}")))
                .await
                .map(drop)
        }
        Op::PpCreate => {
            c.pp.users()
                .create(pp::CreateUser::new(&email, "Soak Co", "Chad").first_name("Soak"))
                .await
                .map(drop)
        }
        Op::YcmGet => c.ycm.users().get(13329).await.map(drop),
        Op::YcmList => c.ycm.send(&ycm::ListUsers::new().page_size(10)).await.map(drop),
        Op::YcmSubordinates => c.ycm.send(&ycm::ListSubordinates::new().page_size(10)).await.map(drop),
        Op::YcmUpdate => c
            .ycm
            .users()
            .update(ycm::UpdateUser::new(13331).remark(format!("soak {i}")))
            .await
            .map(drop),
        Op::YcmCreate => c
            .ycm
            .users()
            .create(ycm::CreateUser::reseller(
                "Soak Co",
                "Soak",
                &email,
                ycm::ResellerPackage::new(10, 5, 1, 1),
            ))
            .await
            .map(drop),
        Op::WpGet => c.wp.users().get(54164).await.map(drop),
        Op::WpList => c.wp.send(&wp::ListUsers::new().page_size(10)).await.map(drop),
        Op::WpGroups => c.wp.send(&wp::ListGroups::new()).await.map(drop),
        Op::WpGroupGet => c.wp.groups().get(1_000_128).await.map(drop),
        Op::WpCreate => {
            c.wp.users()
                .create(wp::CreateUser::new(
                    &email,
                    "Soak",
                    [1_000_127],
                    wp::Role::User,
                    "Yeastar",
                ))
                .await
                .map(drop)
        }
    }
}

/// A short name for an outcome, for the figures.
fn kind(result: &yeastar::Result<()>) -> String {
    fn err(e: &Error) -> String {
        match e {
            Error::Timeout { kind, .. } => format!("Timeout({kind:?})"),
            Error::RetriesExhausted { last, .. } => format!("RetriesExhausted(last: {})", err(last)),
            Error::Api(a) => format!("Api({})", a.status),
            Error::Transport(t) => format!("Transport({:?})", t.kind),
            Error::UnexpectedResponse(u) => format!("UnexpectedResponse({})", u.status),
            Error::Auth(a) => format!("Auth({:?})", a.kind),
            Error::OutcomeUnknown { source, .. } => format!("OutcomeUnknown({})", err(source)),
            other => format!("Other({other})"),
        }
    }
    match result {
        Ok(()) => "Ok".to_owned(),
        Err(e) => err(e),
    }
}

struct Record {
    op: Op,
    index: usize,
    kind: String,
    ok: bool,
    elapsed: Duration,
    clear_give_up: bool,
}

/// Which expiry "epoch" each in-flight call started in (see the module docs).
#[derive(Default)]
struct Epochs {
    current: usize,
    in_flight: Vec<usize>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Counts the SDK's "retrying" events by the error that caused them: the client-side view of
/// the injected faults. (The sandbox journals a request only once it answers; a request whose
/// injected latency outlives the SDK's attempt timeout is abandoned with its connection and
/// never journaled, so latency faults are counted here, as per-attempt timeouts.)
#[derive(Default)]
struct RetryCounter {
    by_cause: Mutex<BTreeMap<&'static str, usize>>,
}

#[derive(Default)]
struct EventFields {
    message: String,
    error: String,
}

impl tracing::field::Visit for EventFields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "error" => self.error = format!("{value:?}"),
            _ => {}
        }
    }
}

/// The tracing layer feeding a [`RetryCounter`].
struct CountingLayer(Arc<RetryCounter>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountingLayer {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut fields = EventFields::default();
        event.record(&mut fields);
        if fields.message != "retrying" {
            return;
        }
        let cause = if fields.error.contains("per-attempt timeout") {
            "attempt timeout"
        } else if fields.error.contains("HTTP 503") {
            "HTTP 503"
        } else if fields.error.contains("401") || fields.error.to_lowercase().contains("token") {
            "token"
        } else {
            "connection"
        };
        *lock(&self.0.by_cause).entry(cause).or_default() += 1;
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_soak_2000_mixed_calls() {
    // The only test of this binary: a global subscriber sees the events of every worker thread.
    let retries = Arc::new(RetryCounter::default());
    let logs = LogBuf::default();
    let capture = {
        let sink = logs.clone();
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .with_filter(tracing_subscriber::filter::filter_fn(|_| {
                CAPTURE.load(Ordering::Relaxed)
            }))
    };
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry()
            .with(CountingLayer(retries.clone()))
            .with(capture),
    )
    .expect("no other subscriber in this test binary");
    let rule = |prefix: &str, seed: u64| {
        FaultRule::any_method(prefix).random(
            seed,
            [
                (20, Fault::Status(503)),
                // 5 % dropped connections: before handling, and after (the request took effect).
                (3, Fault::DropConnection),
                (2, Fault::DropAfterHandling),
                // 5 % latency beyond the attempt timeout: before handling (the request is
                // abandoned) and after (it took effect, the answer comes too late).
                (3, Fault::Delay(LATENCY)),
                (2, Fault::SlowAnswer(LATENCY)),
            ],
        )
    };
    let config = SandboxConfig::new()
        .with_seed(2024)
        .with_fault(rule(PP_API, 11))
        .with_fault(rule(YCM_API, 22))
        .with_fault(rule(WP_API, 33));
    let sb = Arc::new(Sandbox::start(config).await.unwrap());
    let retry = RetryPolicy::default()
        .with_max_attempts(4)
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_millis(200));
    let clients = Clients {
        pp: common::pp_builder(&sb)
            .retry(retry.clone())
            .attempt_timeout(ATTEMPT_TIMEOUT)
            .total_timeout(TOTAL_TIMEOUT)
            .build()
            .unwrap(),
        ycm: common::ycm_builder(&sb)
            .retry(retry.clone())
            .attempt_timeout(ATTEMPT_TIMEOUT)
            .total_timeout(TOTAL_TIMEOUT)
            .build()
            .unwrap(),
        wp: common::wp_builder(&sb)
            .retry(retry)
            .attempt_timeout(ATTEMPT_TIMEOUT)
            .total_timeout(TOTAL_TIMEOUT)
            .build()
            .unwrap(),
    };

    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let records = Arc::new(Mutex::new(Vec::with_capacity(CALLS)));
    let epochs = Arc::new(Mutex::new(Epochs {
        current: 0,
        in_flight: vec![0],
    }));
    let started = Instant::now();

    // The expiry driver: every EXPIRE_EVERY finished calls, close the epoch, wait for the
    // calls of the closed epoch to finish, then expire every access token.
    let driver = tokio::spawn({
        let (sb, done, epochs) = (sb.clone(), done.clone(), epochs.clone());
        async move {
            let mut expiries = 0usize;
            while (expiries + 1) * EXPIRE_EVERY < CALLS {
                while done.load(Ordering::Acquire) < (expiries + 1) * EXPIRE_EVERY {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                let closed = {
                    let mut e = lock(&epochs);
                    e.current += 1;
                    e.in_flight.push(0);
                    e.current - 1
                };
                while lock(&epochs).in_flight[closed] > 0 {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                sb.expire_access_tokens();
                expiries += 1;
            }
            expiries
        }
    });

    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (clients, next, done, records, epochs) = (
                clients.clone(),
                next.clone(),
                done.clone(),
                records.clone(),
                epochs.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= CALLS {
                        break;
                    }
                    let op = Op::of_call(i);
                    let epoch = {
                        let mut e = lock(&epochs);
                        let cur = e.current;
                        e.in_flight[cur] += 1;
                        cur
                    };
                    let t0 = Instant::now();
                    let result = run(&clients, op, i).await;
                    let elapsed = t0.elapsed();
                    lock(&epochs).in_flight[epoch] -= 1;
                    let clear_give_up =
                        matches!(result, Err(Error::Timeout { .. }) | Err(Error::RetriesExhausted { .. }));
                    lock(&records).push(Record {
                        op,
                        index: i,
                        kind: kind(&result),
                        ok: result.is_ok(),
                        elapsed,
                        clear_give_up,
                    });
                    done.fetch_add(1, Ordering::Release);
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    let wall = started.elapsed();
    let expiries = driver.await.unwrap();

    // Let the server finish the requests it was still delaying, then stop injecting faults.
    tokio::time::sleep(LATENCY + Duration::from_millis(200)).await;
    sb.faults().clear();
    let records = std::mem::take(&mut *lock(&records));
    assert_eq!(records.len(), CALLS);
    let journal = sb.journal();

    // ---------------------------------------------------------------- figures
    let mut faults_by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut attempts_by_product: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &journal {
        let product = if e.path.starts_with(PP_API) {
            "pp"
        } else if e.path.starts_with(YCM_API) {
            "ycm"
        } else if e.path.starts_with(WP_API) {
            "wp"
        } else {
            continue;
        };
        *attempts_by_product.entry(product).or_default() += 1;
        if let Some(f) = &e.fault {
            *faults_by_kind.entry(f.clone()).or_default() += 1;
        }
    }
    let api_requests: usize = attempts_by_product.values().sum();
    let mut outcomes: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let mut ops: BTreeMap<Op, usize> = BTreeMap::new();
    for r in &records {
        let class = if r.op.is_create() { "create" } else { "idempotent" };
        *outcomes.entry((class, r.kind.clone())).or_default() += 1;
        *ops.entry(r.op).or_default() += 1;
    }
    let mut elapsed: Vec<Duration> = records.iter().map(|r| r.elapsed).collect();
    elapsed.sort();
    let token_journal = |prefix: &str| journal.iter().filter(|e| e.path.starts_with(prefix)).count();
    let tokens = [
        ("pp", clients.pp.transport().token_requests(), token_journal(PP_TOKEN)),
        (
            "ycm",
            clients.ycm.transport().token_requests(),
            token_journal(YCM_TOKEN),
        ),
        ("wp", clients.wp.transport().token_requests(), token_journal(WP_TOKEN)),
    ];
    let creates = records.iter().filter(|r| r.op.is_create()).count();

    eprintln!("==== fault soak ====");
    eprintln!(
        "calls: {CALLS} ({creates} creates, {} idempotent), concurrency {CONCURRENCY}, wall time {:.2} s",
        CALLS - creates,
        wall.as_secs_f64()
    );
    eprintln!(
        "settings: attempt timeout {ATTEMPT_TIMEOUT:?}, total timeout {TOTAL_TIMEOUT:?}, injected latency {LATENCY:?}, \
         4 attempts, backoff 20-200 ms full jitter"
    );
    eprintln!("calls by operation: {ops:?}");
    eprintln!("API requests (attempts) reaching the sandbox: {api_requests} {attempts_by_product:?}");
    let retried = std::mem::take(&mut *lock(&retries.by_cause));
    let final_attempt_timeouts = records
        .iter()
        .filter(|r| r.kind == "Timeout(Attempt)" || r.kind == "RetriesExhausted(last: Timeout(Attempt))")
        .count();
    let attempt_timeouts = retried.get("attempt timeout").copied().unwrap_or(0) + final_attempt_timeouts;
    eprintln!("faults injected, as journaled by the sandbox: {faults_by_kind:?}");
    eprintln!(
        "latency faults, as seen by the SDK: {attempt_timeouts} attempts timed out ({} retried, {} final)",
        attempt_timeouts - final_attempt_timeouts,
        final_attempt_timeouts
    );
    eprintln!("retries by cause: {retried:?}");
    eprintln!("token expiries: {expiries} (every {EXPIRE_EVERY} calls)");
    for (p, n, j) in tokens {
        eprintln!("token requests {p}: {n} (journal: {j})");
    }
    eprintln!("outcomes:");
    for ((class, k), n) in &outcomes {
        eprintln!("  {class:10} {k:45} {n}");
    }
    eprintln!(
        "call duration: p50 {:?}, p99 {:?}, max {:?}",
        percentile(&elapsed, 0.5),
        percentile(&elapsed, 0.99),
        elapsed.last().unwrap()
    );

    // ---------------------------------------------------------------- idempotent calls
    let mut violations = Vec::new();
    for r in &records {
        if r.elapsed > TOTAL_TIMEOUT + SLACK {
            violations.push(format!("call {} {:?} took {:?}: {}", r.index, r.op, r.elapsed, r.kind));
        }
        if !r.op.is_create() && !r.ok && !r.clear_give_up {
            violations.push(format!(
                "idempotent call {} {:?} ended with {} (expected Ok, Timeout or RetriesExhausted)",
                r.index, r.op, r.kind
            ));
        }
        if r.op.is_create() && !r.ok {
            // A create fails only for a transient reason; never because it was sent twice
            // (which would show as a duplicate-email error).
            // A create that was sent says its outcome is unknown; one that never left says why.
            let cause = r.kind.strip_prefix("OutcomeUnknown(").unwrap_or(&r.kind);
            let transient =
                cause.starts_with("Api(5") || cause.starts_with("Transport(") || cause.starts_with("Timeout(");
            if !transient {
                violations.push(format!("create {} {:?} ended with {}", r.index, r.op, r.kind));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "{} violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
    let ok_reads = records.iter().filter(|r| !r.op.is_create() && r.ok).count();
    assert!(
        ok_reads * 10 >= (CALLS - creates) * 9,
        "most idempotent calls succeed: {ok_reads}"
    );

    // ---------------------------------------------------------------- creates
    // Every create request that reached the sandbox, by the email it carried.
    let mut sent: HashMap<String, Vec<Option<u16>>> = HashMap::new();
    for e in &journal {
        if e.method != "POST" || !(e.path == PP_CREATE || e.path == YCM_CREATE || e.path == WP_CREATE) {
            continue;
        }
        let body = e.json().expect("create bodies are JSON");
        let email = body
            .get("yeastarId")
            .or_else(|| body.get("email"))
            .and_then(|v| v.as_str())
            .expect("create bodies carry an email")
            .to_owned();
        sent.entry(email).or_default().push(e.status);
    }
    // A create may be sent again only after an answer proving it was not processed: a rejected
    // token (401, refreshed and replayed once) or 429. Any other answer, or none, is final.
    let not_processed = |s: &Option<u16>| matches!(s, Some(401) | Some(429));
    let mut replayed_after_401 = 0;
    for (email, statuses) in &sent {
        let (_, before) = statuses.split_last().expect("at least one request");
        assert!(
            before.iter().all(not_processed),
            "create {email} sent again after an answer that may have processed it: {statuses:?}"
        );
        replayed_after_401 += before.len();
    }
    let processed: HashSet<&String> = sent
        .iter()
        .filter(|(_, s)| s.contains(&Some(200)))
        .map(|(e, _)| e)
        .collect();

    let create_records: Vec<&Record> = records.iter().filter(|r| r.op.is_create()).collect();
    let reported_ok: HashSet<String> = create_records
        .iter()
        .filter(|r| r.ok)
        .map(|r| soak_email(r.op, r.index))
        .collect();
    let failed: Vec<String> = create_records
        .iter()
        .filter(|r| !r.ok)
        .map(|r| soak_email(r.op, r.index))
        .collect();
    let unknown_but_processed = failed.iter().filter(|e| processed.contains(e)).count();
    for email in &reported_ok {
        assert!(processed.contains(email), "{email} reported created but not processed");
    }
    assert_eq!(
        processed.len(),
        reported_ok.len() + unknown_but_processed,
        "creates processed by the server = reported done + outcome unknown to the SDK"
    );

    // The server's state: each processed create exists exactly once; nothing else was created.
    let mut stored: Vec<String> = Vec::new();
    stored.extend(
        clients
            .pp
            .users()
            .list(yeastar::partner_portal::ListUsers::new())
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|u| u.email),
    );
    stored.extend(
        clients
            .ycm
            .users()
            .list(yeastar::ycm::ListUsers::new())
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|u| u.email),
    );
    stored.extend(
        clients
            .wp
            .users()
            .list(yeastar::workplace::ListUsers::new())
            .items()
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|u| u.email),
    );
    let stored: Vec<String> = stored.into_iter().filter(|e| e.starts_with("soak-")).collect();
    let stored_set: HashSet<&String> = stored.iter().collect();
    assert_eq!(stored.len(), stored_set.len(), "a user exists twice");
    assert_eq!(stored_set, processed, "the server holds exactly the processed creates");

    eprintln!(
        "creates: {} sent, {} reported done, {} failed ({} of them processed by the server: outcome unknown \
         to the SDK), {} processed = stored, {} replayed after a 401 (token expired), 0 processed twice",
        create_records.len(),
        reported_ok.len(),
        failed.len(),
        unknown_but_processed,
        processed.len(),
        replayed_after_401
    );

    // ---------------------------------------------------------------- tokens
    for (product, n, journaled) in tokens {
        assert_eq!(
            n as usize, journaled,
            "{product}: every token request reached the sandbox once"
        );
        assert!(
            n as usize <= expiries + 1,
            "{product}: {n} token requests for {expiries} expiries"
        );
    }
    assert!(expiries >= 5, "{expiries}");
    // The faults really happened, of every kind.
    assert!(
        faults_by_kind.get("Status(503)").copied().unwrap_or(0) > 200,
        "{faults_by_kind:?}"
    );
    assert!(
        faults_by_kind.get("DropConnection").copied().unwrap_or(0) > 50,
        "{faults_by_kind:?}"
    );
    assert!(attempt_timeouts > 50, "{attempt_timeouts}");
    assert!(wall < Duration::from_secs(60), "{wall:?}");

    hostile_token_endpoint_phase(logs).await;
}

// ================================================================ hostile token endpoints
//
// Issue 12, item 17: while calls run, the token endpoints turn hostile, then recover.
//
// A second sandbox issues access tokens that live `H_LIFETIME` (2 s), so that the clients'
// refresh window (the last 10 %: 200 ms) and the tokens' expiry fall inside the outage:
//
// - t ≈ 0.3 s, refusals: for fresh clients (family B, 2 per product, 5 concurrent calls each)
//   the token endpoint answers `401` with an empty body and `WWW-Authenticate` (BearerChallenge),
//   then `401` echoing the client secret (EchoSecret(ClientSecret)). A refusal is final for that
//   client: exactly 1 token request each, every call `Auth(CredentialsRejected)`.
// - t ≈ 1.5 s → 2.4 s, outage: the token endpoints of the three products answer, per request:
//   first `Hang`, then a rotation (shifted by 2 per product, so that the 4 background refreshes
//   of each product draw different kinds and the three products draw all of them) of
//   200 + `{"errmsg":"system busy"}`, 200 + `{}`, 200 + the product's error envelope (no
//   token), an HTML 403 (WAF), a slow answer beyond the attempt timeout, a refused refresh
//   echoing the refresh token (400), `Hang`; then `Hang` for any further request. The clients
//   enter their refresh window at 1.8 s (their tokens are valid until 2.0 s) and refresh in the
//   background against this endpoint; their tokens then expire during the outage.
// - recovery at 2.4 s: the rules are cleared; every client works again once its failure backoff
//   (1 s after its failed background refresh) has passed.
//
// Family A (4 clients per product, the same settings as the soak above) runs calls the whole
// time. Checked: no call panics; no secret (client secrets, every token issued, any 40-hex-digit
// run) in any error's Display/Debug or in the TRACE log captured during the phase; calls that
// start while their client's token is valid (including its refresh window during the outage)
// all succeed in less than one attempt timeout; token requests per client are bounded by the
// flights the backoff allows, whatever the number of calls; every product works again after
// recovery, and new clients work at once.

/// Whether the capture layer records (only during the hostile phase).
static CAPTURE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[derive(Clone, Default)]
struct LogBuf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        lock(&self.0).extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A token store that keeps every token set it is given (to search the texts for them).
#[derive(Debug, Default)]
struct Issued(Mutex<Vec<yeastar_transport::StoredTokens>>);

impl yeastar_transport::TokenStore for Issued {
    fn load(&self) -> Option<yeastar_transport::StoredTokens> {
        None
    }
    fn save(&self, tokens: &yeastar_transport::StoredTokens) {
        lock(&self.0).push(tokens.clone());
    }
}

const H_LIFETIME: Duration = Duration::from_secs(2);
const H_CLIENTS: usize = 4;
const H_WORKERS: usize = 6;
/// Pause between two calls of a worker (keeps the TRACE capture small).
const H_PAUSE: Duration = Duration::from_millis(15);
const H_OUTAGE_AT: Duration = Duration::from_millis(1500);
const H_OUTAGE: Duration = Duration::from_millis(900);
/// A call that starts this long before its client's token expires still holds a valid token
/// when it reaches the sandbox.
const H_GUARD: Duration = Duration::from_millis(100);
const H_SLOW: Duration = Duration::from_millis(300);

fn h_product(i: usize) -> yeastar_sandbox::Product {
    [
        yeastar_sandbox::Product::PartnerPortal,
        yeastar_sandbox::Product::Ycm,
        yeastar_sandbox::Product::Workplace,
    ][i]
}

/// One read of product `p` (0 PP, 1 YCM, 2 WP) through `c`.
async fn h_call(c: &Clients, p: usize) -> yeastar::Result<()> {
    match p {
        0 => c.pp.users().get("yaya@yeastar.com").await.map(drop),
        1 => c.ycm.users().get(13329).await.map(drop),
        _ => c.wp.users().get(54164).await.map(drop),
    }
}

fn h_clients(sb: &Sandbox, store: &Arc<Issued>) -> Clients {
    let retry = RetryPolicy::default()
        .with_max_attempts(4)
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_millis(200));
    macro_rules! build {
        ($b:expr) => {
            $b.retry(retry.clone())
                .attempt_timeout(ATTEMPT_TIMEOUT)
                .total_timeout(TOTAL_TIMEOUT)
                .token_store(store.clone())
                .build()
                .unwrap()
        };
    }
    Clients {
        pp: build!(common::pp_builder(sb)),
        ycm: build!(common::ycm_builder(sb)),
        wp: build!(common::wp_builder(sb)),
    }
}

fn h_token_requests(c: &Clients) -> [u64; 3] {
    [
        c.pp.transport().token_requests(),
        c.ycm.transport().token_requests(),
        c.wp.transport().token_requests(),
    ]
}

struct HRecord {
    client: usize,
    product: usize,
    started: Duration,
    elapsed: Duration,
    kind: String,
    ok: bool,
}

async fn hostile_token_endpoint_phase(logs: LogBuf) {
    use yeastar_sandbox::{EchoedSecret, NoTokenBody, TokenLifetimes};
    let sb = Arc::new(
        Sandbox::start(
            SandboxConfig::new()
                .with_seed(12)
                .with_all_token_lifetimes(TokenLifetimes::new(H_LIFETIME, Duration::from_secs(600))),
        )
        .await
        .unwrap(),
    );
    let store = Arc::new(Issued::default());
    let family: Vec<Clients> = (0..H_CLIENTS).map(|_| h_clients(&sb, &store)).collect();
    CAPTURE.store(true, Ordering::SeqCst);
    // Warm up: each client gets its token; its expiry is at least `warm + H_LIFETIME`.
    let t0 = Instant::now();
    for c in &family {
        for p in 0..3 {
            h_call(c, p).await.unwrap();
        }
    }
    let warmed = t0.elapsed();
    let texts = Arc::new(Mutex::new(Vec::<String>::new()));
    let records = Arc::new(Mutex::new(Vec::<HRecord>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..H_WORKERS)
        .map(|w| {
            let (family, texts, records, stop) = (family.clone(), texts.clone(), records.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = w;
                while !stop.load(Ordering::Relaxed) {
                    let (client, product) = (n % H_CLIENTS, (n / H_CLIENTS) % 3);
                    n += H_WORKERS;
                    let started = t0.elapsed();
                    let result = h_call(&family[client], product).await;
                    let elapsed = t0.elapsed() - started;
                    if let Err(e) = &result {
                        lock(&texts).push(format!("{e}\n{e:?}"));
                    }
                    lock(&records).push(HRecord {
                        client,
                        product,
                        started,
                        elapsed,
                        kind: kind(&result),
                        ok: result.is_ok(),
                    });
                    tokio::time::sleep(H_PAUSE).await;
                }
            })
        })
        .collect();

    // ---------------------------------------------------------------- refusals (family B)
    tokio::time::sleep(Duration::from_millis(300).saturating_sub(t0.elapsed())).await;
    let mut refused_calls = 0;
    for p in 0..3 {
        sb.faults().push(
            FaultRule::token_endpoint(h_product(p))
                .sequence([Fault::BearerChallenge, Fault::EchoSecret(EchoedSecret::ClientSecret)]),
        );
        for _ in 0..2 {
            let b = h_clients(&sb, &store);
            let calls = (0..5).map(|_| {
                let b = b.clone();
                tokio::spawn(async move { h_call(&b, p).await })
            });
            for r in futures_util::future::join_all(calls).await {
                let e = r.expect("no call panics").unwrap_err();
                assert!(
                    matches!(&e, Error::Auth(a) if a.kind == yeastar::AuthErrorKind::CredentialsRejected),
                    "product {p}: {e:?}"
                );
                lock(&texts).push(format!("{e}\n{e:?}"));
                refused_calls += 1;
            }
            assert_eq!(
                h_token_requests(&b)[p],
                1,
                "product {p}: a refusal is final, one request"
            );
        }
    }
    assert_eq!(sb.faults().active(), 0, "both refusals of each product were answered");

    // ---------------------------------------------------------------- the outage (family A)
    tokio::time::sleep(H_OUTAGE_AT.saturating_sub(t0.elapsed())).await;
    let before = family.iter().map(h_token_requests).collect::<Vec<_>>();
    let journal_at_outage = sb.journal().len();
    let outage_at = t0.elapsed();
    let rotation = [
        Fault::NoToken(NoTokenBody::SystemBusy),
        Fault::NoToken(NoTokenBody::EmptyObject),
        Fault::NoToken(NoTokenBody::ErrorEnvelope),
        Fault::HtmlForbidden,
        Fault::Delay(H_SLOW),
        Fault::EchoSecret(EchoedSecret::RefreshToken),
        Fault::Hang,
    ];
    for p in 0..3 {
        let product = h_product(p);
        // The clients' background refreshes (their tokens are still valid) meet a hung
        // endpoint, then the hostile kinds in turn (rotated per product), then a hung endpoint.
        let mut kinds = rotation.to_vec();
        kinds.rotate_left(2 * p);
        kinds.insert(0, Fault::Hang);
        sb.faults().push(FaultRule::token_endpoint(product).sequence(kinds));
        sb.faults().push(FaultRule::token_endpoint(product).always(Fault::Hang));
    }
    tokio::time::sleep((outage_at + H_OUTAGE).saturating_sub(t0.elapsed())).await;
    sb.faults().clear();
    let recovered_at = t0.elapsed();
    let journal_at_recovery = sb.journal().len();

    // ---------------------------------------------------------------- recovery
    // Every (client, product) works again once its backoff has passed.
    let deadline = recovered_at + Duration::from_secs(6);
    let recovery = loop {
        let done: Vec<Option<Duration>> = {
            let records = lock(&records);
            (0..H_CLIENTS * 3)
                .map(|i| {
                    records
                        .iter()
                        .filter(|r| r.client == i / 3 && r.product == i % 3)
                        .filter(|r| r.ok && r.started >= recovered_at)
                        .map(|r| r.started + r.elapsed - recovered_at)
                        .min()
                })
                .collect()
        };
        if done.iter().all(Option::is_some) || t0.elapsed() > deadline {
            break done;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.expect("no worker panics");
    }
    let after = family.iter().map(h_token_requests).collect::<Vec<_>>();
    // New clients (with the same credentials) work at once.
    let fresh = h_clients(&sb, &store);
    for p in 0..3 {
        h_call(&fresh, p).await.unwrap();
    }
    CAPTURE.store(false, Ordering::SeqCst);
    let wall = t0.elapsed();

    // ---------------------------------------------------------------- figures and checks
    let records = std::mem::take(&mut *lock(&records));
    let journal = sb.journal();
    let mut kinds_seen: BTreeMap<String, usize> = BTreeMap::new();
    for e in &journal[journal_at_outage..journal_at_recovery] {
        if let Some(f) = &e.fault {
            *kinds_seen.entry(f.clone()).or_default() += 1;
        }
    }
    let baseline: Vec<Duration> = {
        let mut v: Vec<Duration> = records
            .iter()
            .filter(|r| r.started < outage_at && r.started > Duration::from_millis(900))
            .map(|r| r.elapsed)
            .collect();
        v.sort();
        v
    };
    // Calls that start during the outage while their client's token is still valid (it was
    // issued after `warmed` began... at the latest `warmed`; it is valid until at least
    // t0 + H_LIFETIME on both sides): the refresh window [0.9 L, L) is inside.
    let valid_until = H_LIFETIME.saturating_sub(H_GUARD);
    let holding: Vec<&HRecord> = records
        .iter()
        .filter(|r| r.started >= outage_at && r.started < valid_until)
        .collect();
    let mut holding_elapsed: Vec<Duration> = holding.iter().map(|r| r.elapsed).collect();
    holding_elapsed.sort();
    let in_window = holding.iter().filter(|r| r.started >= H_LIFETIME.mul_f64(0.9)).count();
    let during: Vec<&HRecord> = records
        .iter()
        .filter(|r| r.started >= valid_until && r.started < recovered_at)
        .collect();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for r in &during {
        *outcomes.entry(r.kind.clone()).or_default() += 1;
    }
    let calls_in_outage = records
        .iter()
        .filter(|r| r.started >= outage_at && r.started < recovered_at)
        .count();
    let per_client: Vec<[u64; 3]> = (0..H_CLIENTS)
        .map(|c| std::array::from_fn(|p| after[c][p] - before[c][p]))
        .collect();
    let max_recovery = recovery.iter().flatten().max().copied().unwrap_or_default();

    eprintln!("==== hostile token endpoints ====");
    eprintln!(
        "token lifetime {H_LIFETIME:?} (refresh window: last 10 %), {H_CLIENTS} clients per product, {H_WORKERS} \
         workers, outage {:.2}..{:.2} s, wall {:.2} s (warm-up {:.0?})",
        outage_at.as_secs_f64(),
        recovered_at.as_secs_f64(),
        wall.as_secs_f64(),
        warmed
    );
    eprintln!(
        "refusals: 6 fresh clients (2 per product: BearerChallenge, echoed secret), {refused_calls} calls, 1 token request each, all CredentialsRejected"
    );
    eprintln!(
        "hostile answers journaled during the outage: {kinds_seen:?} (+ slow answers abandoned by the client, not journaled)"
    );
    eprintln!(
        "baseline calls before the outage: {}, p50 {:?}, max {:?}",
        baseline.len(),
        percentile(&baseline, 0.5),
        baseline.last().copied().unwrap_or_default()
    );
    eprintln!(
        "calls holding a valid token during the outage: {} ({} in the refresh window), {} Ok, p50 {:?}, max {:?}",
        holding.len(),
        in_window,
        holding.iter().filter(|r| r.ok).count(),
        percentile(&holding_elapsed, 0.5),
        holding_elapsed.last().copied().unwrap_or_default()
    );
    eprintln!("calls after expiry, before recovery: {} {outcomes:?}", during.len());
    eprintln!(
        "calls during the outage: {calls_in_outage}; token requests per client during outage+recovery [pp, ycm, wp]: {per_client:?}"
    );
    eprintln!(
        "recovery: every (client, product) worked again within {max_recovery:?} after the endpoints recovered; new clients at once"
    );

    // No panic: every worker and call task joined above.
    // Valid token: never delayed by the outage.
    assert!(
        !holding.is_empty() && in_window > 0,
        "calls held a valid token in the refresh window"
    );
    for r in &holding {
        assert!(r.ok, "a call holding a valid token failed: {}", r.kind);
        assert!(
            r.elapsed < ATTEMPT_TIMEOUT,
            "a call holding a valid token waited {:?} (an attempt on the token endpoint is {ATTEMPT_TIMEOUT:?})",
            r.elapsed
        );
    }
    // Calls without a valid token end with a clear error within their total timeout.
    for r in &records {
        assert!(r.elapsed <= TOTAL_TIMEOUT + SLACK, "{} took {:?}", r.kind, r.elapsed);
    }
    for r in &during {
        let clear = r.ok
            || [
                "Timeout(",
                "RetriesExhausted(",
                "Decode",
                "UnexpectedResponse(",
                "Api(",
                "Other(",
            ]
            .iter()
            .any(|k| r.kind.starts_with(k));
        assert!(clear, "{}", r.kind);
        assert!(
            !r.kind.starts_with("Auth("),
            "a transient outage never refuses the client: {}",
            r.kind
        );
    }
    // Bounded token requests, whatever the number of calls: a client holding a valid token
    // refreshes in the background with one attempt per grant (the refresh token, then the
    // client credentials if the refresh is refused: at most 2 requests), and starts no new
    // flight before its failure backoff (1 s) has passed; by then (≥ 2.8 s) the endpoint has
    // recovered (2.4 s), so the next flight succeeds: 1 request, 2 if its refresh token was
    // refused meanwhile. At most 4 token requests per client and product.
    for (c, n) in per_client.iter().enumerate() {
        for (p, n) in n.iter().enumerate() {
            assert!(*n <= 4, "client {c} product {p}: {n} token requests");
        }
    }
    // Every hostile kind that is journaled was answered.
    for k in [
        "Hang",
        "NoToken(SystemBusy)",
        "NoToken(EmptyObject)",
        "NoToken(ErrorEnvelope)",
        "HtmlForbidden",
        "EchoSecret(RefreshToken)",
    ] {
        assert!(kinds_seen.contains_key(k), "{k} never answered: {kinds_seen:?}");
    }
    // Recovery.
    assert!(
        recovery.iter().all(Option::is_some),
        "every (client, product) works again after recovery: {recovery:?}"
    );
    // Secrets: none in any error or log line.
    let logs = String::from_utf8_lossy(&lock(&logs.0)).into_owned();
    assert!(logs.contains("token request failed"), "the failures are logged");
    let trace_lines = logs.lines().filter(|l| l.contains(" TRACE ")).count();
    eprintln!(
        "log captured at TRACE: {} lines ({trace_lines} TRACE), {} error texts; no secret, no 40-hex-digit run",
        logs.lines().count(),
        lock(&texts).len()
    );
    assert!(trace_lines > 0, "TRACE events are captured");
    let mut all = std::mem::take(&mut *lock(&texts));
    all.push(logs);
    let issued = lock(&store.0).clone();
    assert!(issued.len() >= H_CLIENTS * 3 + 3, "{} token sets", issued.len());
    let mut secrets: Vec<String> = vec![
        yeastar_sandbox::DEMO_PP_CLIENT_SECRET.into(),
        yeastar_sandbox::DEMO_YCM_CLIENT_SECRET.into(),
        yeastar_sandbox::DEMO_WP_CLIENT_SECRET.into(),
    ];
    for t in &issued {
        secrets.push(t.access_token.expose().to_owned());
        if let Some(r) = &t.refresh_token {
            secrets.push(r.expose().to_owned());
        }
    }
    for (i, text) in all.iter().enumerate() {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "text #{i} leaks a secret");
        }
        let mut run = 0;
        for ch in text.chars() {
            run = if ch.is_ascii_hexdigit() { run + 1 } else { 0 };
            assert!(run < 40, "text #{i} holds something token-like");
        }
    }
    assert!(wall < Duration::from_secs(20), "{wall:?}");
}
