//! Benchmarks of the Yeastar SDK against bare reqwest. Run them with `cargo xtask bench`
//! (`--quick` for a short run); see BENCHMARKS.md.
//!
//! Subcommands (the driver spawns the others itself):
//! - `suite [--quick] [--out-dir DIR]`: sections 1–5; tab-separated results on stdout;
//! - `bulk [--quick]`: section 5 alone (bulk import), same output;
//! - `serve --port P`: the local server (port 0: any free port), until stdin closes;
//! - `paging --total N --base-url URL [--page-size S]`: streams N Workplace users, reports peak RSS;
//! - `cpu --mode sdk|bare --calls N --base-url URL`: N sequential calls (run under callgrind).

mod bulk;
mod clients;
mod server;
mod suite;

use std::process::ExitCode;
use std::time::Instant;

use yeastar_workplace::ListUsers;

const USAGE: &str = "usage: yeastar-bench suite [--quick] [--out-dir DIR]
       yeastar-bench bulk [--quick]
       yeastar-bench serve --port PORT
       yeastar-bench paging --total N --base-url URL [--page-size S]
       yeastar-bench cpu --mode sdk|bare --calls N --base-url URL";

struct Args(Vec<String>);

impl Args {
    fn flag(&self, name: &str) -> bool {
        self.0.iter().any(|a| a == name)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.0.get(i + 1))
            .map(String::as_str)
    }

    fn required(&self, name: &str) -> Result<&str, String> {
        self.value(name).ok_or_else(|| format!("{name} is required\n{USAGE}"))
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<T, String> {
        self.required(name)?
            .parse()
            .map_err(|_| format!("{name} must be a number"))
    }
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    let command = argv.next().unwrap_or_default();
    let args = Args(argv.collect());
    let result = match command.as_str() {
        "suite" => {
            let out_dir = std::path::Path::new(args.value("--out-dir").unwrap_or("target/bench"));
            suite::run(suite::Plan::new(args.flag("--quick")), out_dir)
        }
        "bulk" => bulk::run(&suite::Plan::new(args.flag("--quick"))),
        "serve" => args.number("--port").and_then(server::serve),
        "paging" => paging(&args),
        "cpu" => cpu(&args),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("yeastar-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn current_thread() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

/// What a `paging` child reports on stdout: `items secs peak_kb start_kb`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PagingReport {
    pub(crate) items: u64,
    pub(crate) secs: f64,
    pub(crate) peak_kb: u64,
    pub(crate) start_kb: u64,
}

impl PagingReport {
    fn line(&self) -> String {
        format!("{} {} {} {}", self.items, self.secs, self.peak_kb, self.start_kb)
    }

    pub(crate) fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("bad paging report {s:?}");
        let f: Vec<&str> = s.split_whitespace().collect();
        let [items, secs, peak, start] = f[..] else {
            return Err(bad());
        };
        Ok(Self {
            items: items.parse().map_err(|_| bad())?,
            secs: secs.parse().map_err(|_| bad())?,
            peak_kb: peak.parse().map_err(|_| bad())?,
            start_kb: start.parse().map_err(|_| bad())?,
        })
    }
}

/// The peak resident set size of this process (VmHWM), in KiB.
fn peak_rss_kb() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| format!("/proc/self/status: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".to_owned())
}

fn paging(args: &Args) -> Result<(), String> {
    let total: u64 = args.number("--total")?;
    let base = args.required("--base-url")?;
    let page_size: u32 = args.value("--page-size").map_or(Ok(100), |v| {
        v.parse().map_err(|_| "--page-size must be a number".to_owned())
    })?;
    let client = yeastar_workplace::Client::builder()
        .base_url(format!("{base}/wp-total/{total}"))
        .credentials(yeastar_workplace::Credentials::client(
            clients::CLIENT_ID,
            "bench-secret",
        ))
        .build()
        .map_err(|e| e.to_string())?;
    let start_kb = peak_rss_kb()?;
    let (items, secs) = current_thread()?.block_on(async {
        let mut users = client.users().list(ListUsers::new().page_size(page_size)).items();
        let start = Instant::now();
        let mut n = 0u64;
        while let Some(user) = users.next().await {
            let user = user.map_err(|e| e.to_string())?;
            // Touch the item so that it is really decoded and dropped one by one.
            if user.member_id.is_none() {
                return Err("a user without memberId".to_owned());
            }
            n += 1;
        }
        Ok::<_, String>((n, start.elapsed().as_secs_f64()))
    })?;
    let report = PagingReport {
        items,
        secs,
        peak_kb: peak_rss_kb()?,
        start_kb,
    };
    println!("{}", report.line());
    Ok(())
}

fn cpu(args: &Args) -> Result<(), String> {
    let calls: usize = args.number("--calls")?;
    let base = args.required("--base-url")?;
    let mode = args.required("--mode")?;
    current_thread()?.block_on(async {
        match mode {
            "sdk" => {
                let client = clients::sdk_client(base)?;
                for _ in 0..calls {
                    clients::sdk_get(&client).await?;
                }
            }
            "bare" => {
                let bare = clients::Bare::connect(base).await?;
                for _ in 0..calls {
                    bare.get().await?;
                }
            }
            other => return Err(format!("unknown mode {other:?}\n{USAGE}")),
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_reports_round_trip() {
        let r = PagingReport {
            items: 10_000,
            secs: 0.25,
            peak_kb: 9_000,
            start_kb: 7_000,
        };
        assert_eq!(PagingReport::parse(&r.line()).unwrap(), r);
        assert!(PagingReport::parse("1 2 3").is_err());
    }

    #[test]
    fn args_read_flags_and_values() {
        let a = Args(vec!["--quick".into(), "--calls".into(), "12".into()]);
        assert!(a.flag("--quick"));
        assert_eq!(a.number::<usize>("--calls").unwrap(), 12);
        assert!(a.required("--mode").is_err());
    }
}
