//! The measurements (section 5, bulk import, is in `bulk.rs`). Results go to stdout as tab-separated lines that `cargo xtask bench`
//! renders into BENCHMARKS.md:
//!
//! - `row <section> <measure> <sdk> <baseline> <ratio> <goal> <verdict>`
//! - `note <text>`
//!
//! Progress goes to stderr.

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::clients::{Bare, sdk_client, sdk_get};

/// How much work each section does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    pub(crate) quick: bool,
    overhead_calls: usize,
    overhead_rounds: usize,
    overhead_warmup: usize,
    concurrency: usize,
    storm_calls: usize,
    storm_reps: usize,
    paging_reps: usize,
    cpu_calls: usize,
}

impl Plan {
    pub(crate) fn new(quick: bool) -> Self {
        if quick {
            Self {
                quick,
                overhead_calls: 500,
                overhead_rounds: 41,
                overhead_warmup: 1_000,
                concurrency: 64,
                storm_calls: 1_000,
                storm_reps: 2,
                paging_reps: 1,
                cpu_calls: 200,
            }
        } else {
            Self {
                quick,
                // Many short paired rounds: on a shared VM the speed of both sides drifts over
                // seconds, and a round's ratio swings by ±10 %. Rounds of 1,000 calls (~30 ms)
                // pair each SDK run with a bare run under the same conditions, and 401 of them
                // put the median's standard error near 0.5 % (41 rounds of 10,000 calls: ~1.5 %).
                overhead_calls: 1_000,
                overhead_rounds: 401,
                overhead_warmup: 4_000,
                concurrency: 64,
                storm_calls: 1_000,
                storm_reps: 5,
                paging_reps: 3,
                cpu_calls: 1_000,
            }
        }
    }
}

pub(crate) fn row(section: &str, measure: &str, sdk: &str, baseline: &str, ratio: &str, goal: &str, verdict: &str) {
    println!("row\t{section}\t{measure}\t{sdk}\t{baseline}\t{ratio}\t{goal}\t{verdict}");
}

pub(crate) fn note(text: &str) {
    println!("note\t{text}");
}

pub(crate) fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The value at fraction `p` of sorted `v` (nearest rank), if any.
fn percentile<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
    sorted.get(idx).copied()
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// The server process; it exits when its stdin closes.
pub(crate) struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    pub(crate) url: String,
}

impl Server {
    pub(crate) fn spawn() -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .args(["serve", "--port", "0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdin = child.stdin.take();
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no server stdout")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("server: {e}"))?;
        let url = line
            .trim()
            .strip_prefix("listening ")
            .ok_or_else(|| format!("unexpected server output {line:?}"))?
            .to_owned();
        Ok(Self { child, stdin, url })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One run of `calls` calls at `concurrency`.
struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
}

async fn drive<F, Fut>(calls: usize, concurrency: usize, call: F) -> Result<Run, String>
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let next = next.clone();
            let call = call.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(calls / concurrency + 1);
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    let t = Instant::now();
                    call().await?;
                    lat.push(t.elapsed());
                }
                Ok::<_, String>(lat)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(calls);
    for t in tasks {
        latencies.extend(t.await.map_err(|e| e.to_string())??);
    }
    Ok(Run {
        wall: start.elapsed(),
        latencies,
    })
}

async fn sdk_run(client: &yeastar_partner_portal::Client, calls: usize, concurrency: usize) -> Result<Run, String> {
    let client = client.clone();
    drive(calls, concurrency, move || {
        let client = client.clone();
        async move { sdk_get(&client).await.map(drop) }
    })
    .await
}

async fn bare_run(bare: &Arc<Bare>, calls: usize, concurrency: usize) -> Result<Run, String> {
    let bare = bare.clone();
    drive(calls, concurrency, move || {
        let bare = bare.clone();
        async move { bare.get().await.map(drop) }
    })
    .await
}

/// Bare reqwest with the SDK's default per-attempt time limit around each call.
async fn bare_timed_run(bare: &Arc<Bare>, calls: usize, concurrency: usize) -> Result<Run, String> {
    let bare = bare.clone();
    let limit = yeastar_transport::Timeouts::default().attempt;
    drive(calls, concurrency, move || {
        let bare = bare.clone();
        async move { bare.get_within(limit).await.map(drop) }
    })
    .await
}

/// CPU time (ns) used so far by every thread of process `pid` (`/proc/PID/task/*/schedstat`).
fn cpu_ns(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next().and_then(|v| v.parse::<u64>().ok()))
        .sum()
}

/// One side's run with the CPU time it cost the client (this process) and the server.
struct Measured {
    run: Run,
    client_ns: u64,
    server_ns: u64,
}

async fn measured<Fut: Future<Output = Result<Run, String>>>(server: u32, run: Fut) -> Result<Measured, String> {
    let (c0, s0) = (cpu_ns(std::process::id()), cpu_ns(server));
    let run = run.await?;
    let (c1, s1) = (cpu_ns(std::process::id()), cpu_ns(server));
    Ok(Measured {
        run,
        client_ns: c1.saturating_sub(c0),
        server_ns: s1.saturating_sub(s0),
    })
}

/// 1. Overhead per call.
pub(crate) async fn overhead(plan: &Plan, server: &Server) -> Result<(), String> {
    let (calls, rounds, conc) = (plan.overhead_calls, plan.overhead_rounds, plan.concurrency);
    eprintln!("[1/5] overhead: {calls} calls at concurrency {conc}, {rounds} rounds, the sides in a rotating order");
    let url = &server.url;
    let pid = server.child.id();
    let sdk = sdk_client(url)?;
    let bare = Arc::new(Bare::connect(url).await?);
    // Warm both pools (64 connections each) and the token cache.
    sdk_run(&sdk, plan.overhead_warmup, conc).await?;
    bare_run(&bare, plan.overhead_warmup, conc).await?;
    let (mut sdk_lat, mut bare_lat) = (Vec::new(), Vec::new());
    let (mut sdk_rate, mut bare_rate, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    // Bare reqwest with a timer per call, as the SDK's per-attempt time limit has: how much of
    // the gap is that guarantee (informational; the goal compares with plain bare reqwest).
    let (mut timed_ratios, mut sdk_timed_ratios) = (Vec::new(), Vec::new());
    let (mut client_cpu, mut server_cpu) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for round in 0..rounds {
        // The three sides in a rotating order: none always goes first or last.
        let (mut s, mut b, mut t) = (None, None, None);
        for k in 0..3 {
            match (round + k) % 3 {
                0 => s = Some(measured(pid, sdk_run(&sdk, calls, conc)).await?),
                1 => b = Some(measured(pid, bare_run(&bare, calls, conc)).await?),
                _ => t = Some(bare_timed_run(&bare, calls, conc).await?),
            }
        }
        let (Some(s), Some(b), Some(t)) = (s, b, t) else {
            unreachable!("each side runs once per round")
        };
        let (sw, bw, tw) = (s.run.wall.as_secs_f64(), b.run.wall.as_secs_f64(), t.wall.as_secs_f64());
        timed_ratios.push(tw / bw);
        sdk_timed_ratios.push(sw / tw);
        let ratio = sw / bw;
        if (round + 1) % 50 == 0 || round + 1 == rounds {
            eprintln!("  round {}: ratio {ratio:.3}", round + 1);
        }
        sdk_rate.push(calls as f64 / sw);
        bare_rate.push(calls as f64 / bw);
        ratios.push(ratio);
        for (i, m) in [&s, &b].into_iter().enumerate() {
            client_cpu[i].push(m.client_ns as f64 / calls as f64 / 1e3);
            server_cpu[i].push(m.server_ns as f64 / calls as f64 / 1e3);
        }
        sdk_lat.extend(s.run.latencies);
        bare_lat.extend(b.run.latencies);
    }
    sdk_lat.sort_unstable();
    bare_lat.sort_unstable();
    let ratio = median(ratios.clone());
    let sec = "1. Overhead per call";
    row(
        sec,
        "calls/s (median of rounds)",
        &format!("{:.0}", median(sdk_rate)),
        &format!("{:.0}", median(bare_rate)),
        "",
        "",
        "",
    );
    for (name, p) in [("p50 latency", 0.50), ("p99 latency", 0.99)] {
        let at = |lat: &[Duration]| percentile(lat, p).unwrap_or_default();
        let (s, b) = (at(&sdk_lat), at(&bare_lat));
        row(
            sec,
            name,
            &us(s),
            &us(b),
            &format!("{:.2}", s.as_secs_f64() / b.as_secs_f64()),
            "",
            "",
        );
    }
    for (name, cpu) in [("client", &client_cpu), ("server", &server_cpu)] {
        let (s, b) = (median(cpu[0].clone()), median(cpu[1].clone()));
        row(
            sec,
            &format!("{name} CPU time per call (median of rounds)"),
            &format!("{s:.1} µs"),
            &format!("{b:.1} µs"),
            &format!("{:.3}", s / b),
            "",
            "",
        );
    }
    row(
        sec,
        &format!("wall time SDK / bare, median of {rounds} paired rounds"),
        "",
        "",
        &format!("{ratio:.3}"),
        "≤ 1.02",
        verdict(ratio <= 1.02),
    );
    for (name, values) in [
        (
            "wall time, bare with a per-call `tokio::time::timeout` (the SDK's per-attempt limit) / bare",
            timed_ratios,
        ),
        ("wall time SDK / bare with that timeout", sdk_timed_ratios),
    ] {
        row(
            sec,
            &format!("{name}, median of {rounds} rounds"),
            "",
            "",
            &format!("{:.3}", median(values)),
            "",
            "",
        );
    }
    let mut sorted = ratios;
    sorted.sort_by(f64::total_cmp);
    let quartile = |p| percentile(&sorted, p).unwrap_or(f64::NAN);
    let (q1, q3) = (quartile(0.25), quartile(0.75));
    // The standard error of a median is about 1.25 σ / √n; σ estimated from the quartiles.
    let se = 1.253 * (q3 - q1) / 1.349 / (sorted.len() as f64).sqrt();
    note(&format!(
        "Overhead: {calls} `GET subordinate_user/{{id}}` calls per run at concurrency {conc}, {rounds} rounds per \
         side after a {}-call warm-up of each pool, the sides (SDK, bare, bare with a timeout) in a rotating order. Per-round wall ratios: quartiles {q1:.3} \
         / {ratio:.3} / {q3:.3}, extremes {:.3} and {:.3}; the median's standard error is about {:.1} %. CPU \
         times are each process's threads' run time (`/proc/PID/task/*/schedstat`) over the round, per call; the \
         client and the server share the machine's {} cores, so the wall time follows their sum.",
        plan.overhead_warmup,
        sorted.first().copied().unwrap_or(f64::NAN),
        sorted.last().copied().unwrap_or(f64::NAN),
        se * 100.0,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    ));
    Ok(())
}

async fn storm_once(client: &yeastar_partner_portal::Client, calls: usize) -> Result<Duration, String> {
    let start = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { sdk_get(&c).await })
        })
        .collect();
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(start.elapsed())
}

async fn server_token_count(url: &str) -> Result<u64, String> {
    let body = reqwest::get(format!("{url}/bench/counters"))
        .await
        .map_err(|e| e.to_string())?
        .bytes()
        .await
        .map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    v["ppToken"].as_u64().ok_or_else(|| "bad counters".to_owned())
}

/// 2. Token storm.
pub(crate) async fn storm(plan: &Plan, url: &str) -> Result<(), String> {
    let (calls, reps) = (plan.storm_calls, plan.storm_reps);
    eprintln!("[2/5] token storm: {calls} concurrent calls on a cold client vs a warm one, {reps} reps");
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    let (mut server_max, mut client_max) = (0u64, 0u64);
    for rep in 0..reps {
        // Cold: a fresh client (no token, no connection).
        let client = sdk_client(url)?;
        let before = server_token_count(url).await?;
        let t = storm_once(&client, calls).await?;
        let server_requests = server_token_count(url).await? - before;
        let client_requests = client.transport().token_requests();
        server_max = server_max.max(server_requests);
        client_max = client_max.max(client_requests);
        cold.push(t.as_secs_f64());
        drop(client);
        // Warm: a fresh client that has made one call (token cached, one connection).
        let client = sdk_client(url)?;
        sdk_get(&client).await?;
        let w = storm_once(&client, calls).await?;
        warm.push(w.as_secs_f64());
        eprintln!(
            "  rep {}: cold {} ({server_requests} token requests at the server, {client_requests} by the client), warm {}",
            rep + 1,
            ms(t),
            ms(w)
        );
    }
    let (c, w) = (median(cold), median(warm));
    let sec = "2. Token storm";
    row(
        sec,
        &format!("token requests for {calls} concurrent calls on a cold client (server / client count)"),
        &format!("{server_max} / {client_max}"),
        "",
        "",
        "1",
        verdict(server_max == 1 && client_max == 1),
    );
    row(
        sec,
        "time to all-complete, cold vs warm client",
        &ms(Duration::from_secs_f64(c)),
        &ms(Duration::from_secs_f64(w)),
        &format!("{:.2}", c / w),
        "",
        "",
    );
    note(&format!(
        "Token storm: {reps} repetitions, medians; the worst count over the repetitions is shown. \
         \"Warm\" is a fresh client that has made one call; both open a connection per concurrent call."
    ));
    Ok(())
}

/// 3. Paging, each size in a fresh child process.
pub(crate) fn paging(plan: &Plan, url: &str) -> Result<(), String> {
    eprintln!("[3/5] paging: 1,000 and 10,000 Workplace users, page size 100, fresh process each");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for total in [1_000u64, 10_000] {
        let (mut peaks, mut rates) = (Vec::new(), Vec::new());
        for _ in 0..plan.paging_reps {
            let out = Command::new(&exe)
                .args(["paging", "--total", &total.to_string(), "--base-url", url])
                .stderr(Stdio::inherit())
                .output()
                .map_err(|e| format!("paging child: {e}"))?;
            if !out.status.success() {
                return Err(format!("paging child failed ({})", out.status));
            }
            let text = String::from_utf8_lossy(&out.stdout);
            let r = crate::PagingReport::parse(text.trim())?;
            if r.items != total {
                return Err(format!("paging streamed {} users, expected {total}", r.items));
            }
            eprintln!(
                "  {total}: {:.0} items/s, peak RSS {} KiB",
                r.items as f64 / r.secs,
                r.peak_kb
            );
            peaks.push(r.peak_kb as f64);
            rates.push(r.items as f64 / r.secs);
        }
        results.push((median(peaks), median(rates)));
    }
    let sec = "3. Paging (Workplace users)";
    let (small, large) = (results[0], results[1]);
    let ratio = large.0 / small.0;
    row(
        sec,
        "peak RSS (VmHWM): 10,000 users vs 1,000 users",
        &format!("{:.1} MiB", large.0 / 1024.0),
        &format!("{:.1} MiB", small.0 / 1024.0),
        &format!("{ratio:.3}"),
        "flat (≤ 1.10)",
        verdict(ratio <= 1.10),
    );
    row(
        sec,
        "items/s: 10,000 users vs 1,000 users",
        &format!("{:.0}", large.1),
        &format!("{:.0}", small.1),
        &format!("{:.2}", large.1 / small.1),
        "",
        "",
    );
    note(&format!(
        "Paging: `client.users().list(ListUsers::new().page_size(100)).items()` streamed to the end in a fresh \
         process per size ({} run(s) each, medians); peak RSS is that process's VmHWM from /proc/self/status.",
        plan.paging_reps
    ));
    Ok(())
}

/// 4. Instructions per call, SDK vs bare, under callgrind.
pub(crate) fn cpu(plan: &Plan, url: &str, out_dir: &std::path::Path) -> Result<(), String> {
    let n = plan.cpu_calls;
    eprintln!("[4/5] CPU: instructions per call under callgrind, N = {n} and 2N sequential calls");
    let sec = "4. CPU per call";
    let version = Command::new("valgrind").arg("--version").output();
    let Ok(version) = version.map_err(|e| e.to_string()).and_then(|o| {
        o.status
            .success()
            .then(|| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .ok_or_else(|| "valgrind --version failed".to_owned())
    }) else {
        row(
            sec,
            "instructions per call",
            "not measured",
            "not measured",
            "",
            "",
            "valgrind not installed",
        );
        note("CPU: valgrind is not installed on this machine, so instructions per call were not measured.");
        return Ok(());
    };
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut per_call = Vec::new();
    for mode in ["sdk", "bare"] {
        let mut counts = Vec::new();
        for calls in [n, 2 * n] {
            let out_file = out_dir.join(format!("callgrind.{mode}.{calls}.out"));
            let out = Command::new("valgrind")
                .arg("--tool=callgrind")
                .arg(format!("--callgrind-out-file={}", out_file.display()))
                .arg(&exe)
                .args(["cpu", "--mode", mode, "--calls", &calls.to_string(), "--base-url", url])
                .output()
                .map_err(|e| format!("valgrind: {e}"))?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() {
                return Err(format!("callgrind run failed ({}): {stderr}", out.status));
            }
            let collected = stderr
                .lines()
                .find_map(|l| l.split_once("Collected :").map(|(_, v)| v.trim().to_owned()))
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| format!("no `Collected` line in callgrind output: {stderr}"))?;
            eprintln!("  {mode} × {calls}: {collected} instructions");
            counts.push(collected);
        }
        per_call.push((counts[1].saturating_sub(counts[0])) as f64 / n as f64);
    }
    let (s, b) = (per_call[0], per_call[1]);
    row(
        sec,
        "instructions per call, (I(2N) − I(N)) / N",
        &format!("{s:.0}"),
        &format!("{b:.0}"),
        &format!("{:.3}", s / b),
        "≤ 1.03",
        verdict(s / b <= 1.03),
    );
    note(&format!(
        "CPU: `{version} --tool=callgrind` on `yeastar-bench cpu --mode sdk|bare --calls N` (sequential calls on \
         one current-thread runtime, server in another process), N = {n}; startup and the token request cancel out \
         in I(2N) − I(N). Client process only (all its threads)."
    ));
    Ok(())
}

/// Runs sections 1 to 5.
pub(crate) fn run(plan: Plan, out_dir: &std::path::Path) -> Result<(), String> {
    if plan.quick {
        note("Quick mode (`--quick`): fewer calls, rounds and repetitions than the full run.");
    }
    let server = Server::spawn()?;
    eprintln!("server at {}", server.url);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        overhead(&plan, &server).await?;
        storm(&plan, &server.url).await
    })?;
    drop(rt);
    paging(&plan, &server.url)?;
    cpu(&plan, &server.url, out_dir)?;
    drop(server);
    crate::bulk::run(&plan)?;
    Ok(())
}
