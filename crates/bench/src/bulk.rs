//! Section 5, bulk import: 1,000 YCM rows into the sandbox through `yeastar-bulk`, under YCM's
//! documented token bucket (Burst 600, Rate 300 per interval) with the interval scaled from
//! 3 minutes to 3 seconds, and without a limit at concurrency 1, 4 and 16.
//!
//! The sandbox is served by a runtime of its own (one worker thread) in this process; each run
//! gets a fresh sandbox, so that every row is a create.

use std::time::{Duration, Instant};

use yeastar_bulk::ycm::YcmAdapter;
use yeastar_bulk::{DEFAULT_CONCURRENCY, Format, Importer, Options, Report};
use yeastar_sandbox::{
    DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET, FaultRule, Method, Product, RateLimit, Sandbox, SandboxConfig,
};
use yeastar_ycm::{Client, Credentials};

use crate::suite::{Plan, median, note, row, verdict};

const ROWS: usize = 1_000;
/// YCM's documented bucket ("Burst 600, Rate 300, Interval 3 minutes"), 60 times faster.
const BURST: u32 = 600;
const RATE: u32 = 300;
const INTERVAL: Duration = Duration::from_secs(3);
const GOAL: f64 = 1.10;
/// The latency of a create in the second unlimited series, like a nearby cloud's.
const LATENCY: Duration = Duration::from_millis(5);
const CREATE: &str = "/dm/open_api/v1/users";

/// A sandbox on a runtime of its own, so that it answers while the client's runtime waits.
struct Served {
    sandbox: Sandbox,
    _rt: tokio::runtime::Runtime,
}

impl Served {
    fn start(config: SandboxConfig) -> Result<Self, String> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let sandbox = rt.block_on(Sandbox::start(config)).map_err(|e| e.to_string())?;
        Ok(Self { sandbox, _rt: rt })
    }

    /// API calls that took a token from the bucket: every answered call but the token
    /// requests and the 429s.
    fn metered_calls(&self) -> usize {
        self.sandbox
            .journal()
            .iter()
            .filter(|e| !e.path.contains("oauth") && e.status.is_some_and(|s| s != 429))
            .count()
    }
}

fn input() -> String {
    let mut csv = String::from(
        "email,userType,company,firstName,totalExtensions,totalConcurrentCalls,totalRecordings,minimumExtPerPBX\n",
    );
    for i in 0..ROWS {
        csv.push_str(&format!("bench{i}@acme.example,Reseller,Acme {i},First{i},10,2,1,1\n"));
    }
    csv
}

/// One import; the time of the whole import (token, plan, apply) and of the apply alone.
async fn import(url: &str, csv: &str, options: &Options) -> Result<(Report, Duration, Duration), String> {
    let client = Client::builder()
        .base_url(url)
        .credentials(Credentials::client(DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET))
        .build()
        .map_err(|e| e.to_string())?;
    let importer = Importer::new(YcmAdapter::new(client));
    let start = Instant::now();
    let rows = importer.parse(csv.as_bytes(), Format::Csv).map_err(|e| e.to_string())?;
    let plan = importer.plan(rows).await.map_err(|e| e.to_string())?;
    let applying = Instant::now();
    let report = importer.apply(plan, options).await.map_err(|e| e.to_string())?;
    let (total, apply) = (start.elapsed(), applying.elapsed());
    if report.summary.created != ROWS {
        return Err(format!(
            "bulk import: {} (stopped: {:?})",
            report.summary, report.stopped
        ));
    }
    Ok((report, total, apply))
}

/// The least time `calls` calls can take under the bucket: the first `BURST` at once, then
/// `RATE` more at each refill.
fn bucket_minimum(calls: usize) -> Duration {
    let beyond = calls.saturating_sub(BURST as usize);
    INTERVAL * beyond.div_ceil(RATE as usize) as u32
}

pub(crate) fn run(plan: &Plan) -> Result<(), String> {
    let reps = if plan.quick { 1 } else { 3 };
    eprintln!(
        "[5/5] bulk import: {ROWS} YCM rows, under a bucket (burst {BURST}, {RATE} per {} s) and unlimited at \
         concurrency 1, 4, 16; {reps} run(s) each",
        INTERVAL.as_secs()
    );
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let csv = input();
    let sec = "5. Bulk import (YCM)";

    // Under the bucket, at the CLI's default concurrency and with no fixed cap: the engine
    // paces itself from the 429s' Retry-After alone.
    let (mut ratios, mut details) = (Vec::new(), Vec::new());
    let (mut worst_failed, mut limited) = (0usize, Vec::new());
    for rep in 0..reps {
        let served =
            Served::start(SandboxConfig::new().with_rate_limit(Product::Ycm, RateLimit::new(BURST, RATE, INTERVAL)))?;
        let options = Options::new().concurrency(DEFAULT_CONCURRENCY);
        let (report, total, _) = client_rt.block_on(import(&served.sandbox.base_url(), &csv, &options))?;
        let calls = served.metered_calls();
        let minimum = bucket_minimum(calls);
        let ratio = total.as_secs_f64() / minimum.as_secs_f64();
        eprintln!(
            "  bucket run {}: {:.2} s for {calls} metered calls (minimum {:.0} s), ratio {ratio:.3}, {} 429s, {}",
            rep + 1,
            total.as_secs_f64(),
            minimum.as_secs_f64(),
            report.rate_limited,
            report.summary
        );
        worst_failed = worst_failed.max(report.summary.failed + report.summary.skipped);
        limited.push(report.rate_limited);
        ratios.push(ratio);
        details.push(format!("{:.2} s / {:.0} s", total.as_secs_f64(), minimum.as_secs_f64()));
    }
    let worst = ratios.iter().copied().fold(f64::MIN, f64::max);
    row(
        sec,
        &format!("{ROWS} rows under the bucket: wall time / the bucket's minimum (worst of {reps})"),
        &details.join(", "),
        "",
        &format!("{worst:.3}"),
        &format!("≤ {GOAL:.2}"),
        verdict(worst <= GOAL),
    );
    row(
        sec,
        "rows failed or skipped under the bucket (429 answers waited out)",
        &format!(
            "{worst_failed} ({} × 429)",
            limited.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
        ),
        "",
        "",
        "0",
        verdict(worst_failed == 0),
    );

    // Unlimited: rows/s of the apply at each concurrency, against concurrency 1; with creates
    // answered at once (the engine's and the sandbox's CPU), then with a network-like latency
    // (what concurrency buys).
    for latency in [Duration::ZERO, LATENCY] {
        let mut rates = Vec::new();
        for concurrency in [1usize, 4, 16] {
            let mut per_rep = Vec::new();
            for _ in 0..reps {
                let mut config = SandboxConfig::new();
                if !latency.is_zero() {
                    config = config.with_fault(FaultRule::new(Method::POST, CREATE).with_latency(latency));
                }
                let served = Served::start(config)?;
                let options = Options::new().concurrency(concurrency);
                let (_, _, apply) = client_rt.block_on(import(&served.sandbox.base_url(), &csv, &options))?;
                per_rep.push(ROWS as f64 / apply.as_secs_f64());
            }
            let r = median(per_rep);
            eprintln!(
                "  unlimited, {} ms per create, concurrency {concurrency}: {r:.0} rows/s",
                latency.as_millis()
            );
            rates.push((concurrency, r));
        }
        let base = rates[0].1;
        for (concurrency, r) in &rates {
            row(
                sec,
                &format!(
                    "no limit, creates answered after {} ms: rows/s at concurrency {concurrency} vs 1",
                    latency.as_millis()
                ),
                &format!("{r:.0}"),
                &format!("{base:.0}"),
                &format!("{:.2}", r / base),
                "",
                "",
            );
        }
    }
    note(&format!(
        "Bulk import: `Importer::new(YcmAdapter::new(client))`, parse → plan → apply of {ROWS} new resellers, against \
         the sandbox served in the same process on a runtime of its own (one worker thread; the client runs on a \
         current-thread runtime), a fresh sandbox per run. Under the bucket: YCM's documented example (Burst {BURST}, \
         Rate {RATE} per 3 minutes) with the interval scaled to {} s, the CLI's default concurrency {DEFAULT_CONCURRENCY} \
         and no fixed rate cap, so the engine paces itself from the 429s' `Retry-After` (whole seconds); the bucket's \
         minimum for the N calls that took a token (the plan's list read and the creates) is ⌈(N − {BURST}) / {RATE}⌉ \
         intervals, and the wall time is measured from before the token request to the end of the apply. Unlimited: \
         rows/s of the apply alone, median of {reps} run(s), with creates answered at once (what the engine and \
         the sandbox cost in CPU on this machine), then {} ms after they arrive (what concurrency buys against a \
         network's latency; the ideal ratio is the concurrency).",
        INTERVAL.as_secs(),
        LATENCY.as_millis()
    ));
    Ok(())
}
