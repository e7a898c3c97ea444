//! `cargo xtask bench [--quick]`: runs `yeastar-bench` (sections 1–5), measures the build cost of
//! one product (section 6) and writes the results as a Markdown table.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// One line of the results table.
struct Row {
    section: String,
    measure: String,
    subject: String,
    baseline: String,
    ratio: String,
    goal: String,
    result: String,
}

impl Row {
    fn new(section: &str, measure: &str, subject: &str, baseline: &str, ratio: &str, goal: &str, result: &str) -> Self {
        Self {
            section: section.into(),
            measure: measure.into(),
            subject: subject.into(),
            baseline: baseline.into(),
            ratio: ratio.into(),
            goal: goal.into(),
            result: result.into(),
        }
    }

    fn markdown(&self) -> String {
        let cells = [
            &self.section,
            &self.measure,
            &self.subject,
            &self.baseline,
            &self.ratio,
            &self.goal,
            &self.result,
        ];
        let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
        format!("| {} |", cells.join(" | "))
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => root.join(d),
        None => root.join("target"),
    }
}

fn cargo_cmd() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

pub(crate) fn run(quick: bool) -> Result<(), String> {
    let root = root();
    let target = target_dir(&root);
    let exe = target
        .join("release")
        .join(format!("yeastar-bench{}", std::env::consts::EXE_SUFFIX));
    crate::cargo(&["build", "--release", "-p", "yeastar-bench"])?;
    let out_dir = target.join("bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;

    let started = Instant::now();
    let mut suite = Command::new(&exe);
    suite.arg("suite").arg("--out-dir").arg(&out_dir).current_dir(&root);
    if quick {
        suite.arg("--quick");
    }
    eprintln!("\n==> {} suite{}", exe.display(), if quick { " --quick" } else { "" });
    let out = suite
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!("yeastar-bench failed ({})", out.status));
    }
    let (mut rows, mut notes) = (Vec::new(), Vec::new());
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[..] {
            ["row", section, measure, subject, baseline, ratio, goal, result] => {
                rows.push(Row::new(section, measure, subject, baseline, ratio, goal, result));
            }
            ["note", text] => notes.push(text.to_owned()),
            _ => eprintln!("yeastar-bench: unexpected output line {line:?}"),
        }
    }
    let suite_time = started.elapsed();

    if quick {
        rows.push(Row::new(
            "6. Build cost",
            "clean builds",
            "skipped",
            "",
            "",
            "",
            "skipped in --quick",
        ));
        notes.push("Build cost: skipped in `--quick` mode (two clean builds take minutes).".into());
    } else {
        build_cost(&root, &target, &mut rows, &mut notes)?;
    }

    let command = if quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let markdown = render(command, &rows, &notes, suite_time);
    println!("\n{markdown}");
    let dest = if quick {
        out_dir.join("BENCHMARKS-quick.md")
    } else {
        root.join("BENCHMARKS.md")
    };
    std::fs::write(&dest, &markdown).map_err(|e| format!("{}: {e}", dest.display()))?;
    eprintln!("wrote {}", dest.display());
    Ok(())
}

/// The crates a `cargo build` compiled, from its `Compiling <name> v<version>` lines.
fn compiled_crates(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Compiling "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn timed_clean_build(root: &Path, dir: &Path, args: &[&str]) -> Result<(Duration, Vec<String>), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clean {}: {e}", dir.display()))?;
    }
    eprintln!("\n==> CARGO_TARGET_DIR={} cargo {}", dir.display(), args.join(" "));
    let start = Instant::now();
    let out = cargo_cmd()
        .args(args)
        .env("CARGO_TARGET_DIR", dir)
        .current_dir(root)
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("`cargo {}` failed: {stderr}", args.join(" ")));
    }
    let crates = compiled_crates(&stderr);
    eprintln!("    {} crates in {:.1} s", crates.len(), elapsed.as_secs_f64());
    Ok((elapsed, crates))
}

/// 6. Clean build of one product versus the facade with every product.
fn build_cost(root: &Path, target: &Path, rows: &mut Vec<Row>, notes: &mut Vec<String>) -> Result<(), String> {
    let base = target.join("bench-build");
    let (one, one_crates) = timed_clean_build(root, &base.join("ycm"), &["build", "-p", "yeastar-ycm"])?;
    let (all, all_crates) = timed_clean_build(
        root,
        &base.join("facade"),
        &["build", "-p", "yeastar", "--all-features"],
    )?;
    let sec = "6. Build cost";
    rows.push(Row::new(
        sec,
        "clean `cargo build` (dev profile): `-p yeastar-ycm` vs `-p yeastar --all-features`",
        &format!("{:.1} s", one.as_secs_f64()),
        &format!("{:.1} s", all.as_secs_f64()),
        &format!("{:.2}", one.as_secs_f64() / all.as_secs_f64()),
        "",
        "",
    ));
    rows.push(Row::new(
        sec,
        "crates compiled",
        &one_crates.len().to_string(),
        &all_crates.len().to_string(),
        "",
        "",
        "",
    ));
    let others: Vec<&str> = [
        "yeastar-partner-portal",
        "yeastar-workplace",
        "yeastar",
        "yeastar-sandbox",
    ]
    .into_iter()
    .filter(|c| one_crates.iter().any(|k| k == c))
    .collect();
    let has_ycm = one_crates.iter().any(|k| k == "yeastar-ycm");
    rows.push(Row::new(
        sec,
        "other product crates compiled by the one-product build",
        &if others.is_empty() {
            "none".to_owned()
        } else {
            others.join(", ")
        },
        "",
        "",
        "none",
        if others.is_empty() && has_ycm {
            "met"
        } else {
            "**missed**"
        },
    ));
    let ours: Vec<&str> = one_crates
        .iter()
        .map(String::as_str)
        .filter(|c| c.starts_with("yeastar"))
        .collect();
    notes.push(format!(
        "Build cost: each build in its own fresh target dir under `target/bench-build/`, timed wall-clock; the \
         one-product build compiled these workspace crates: {} (from cargo's `Compiling` lines).",
        ours.join(", ")
    ));
    Ok(())
}

fn cmd_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `YYYY-MM-DD HH:MM UTC`, from the system clock (days-to-civil, proleptic Gregorian).
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rem / 3600, rem % 3600 / 60)
}

fn render(command: &str, rows: &[Row], notes: &[String], suite_time: Duration) -> String {
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let rustc = cmd_line("rustc", &["-V"]).unwrap_or_else(|| "rustc (unknown version)".into());
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(
        "What the SDK costs over bare HTTP, and how fast a bulk import goes under a rate limit. **The ratios are the claim, not the absolute times**: each pair is \
         measured side by side in one run, on a shared machine where other work adds noise to both sides alike.\n\n",
    );
    md.push_str(&format!("Reproduce with:\n\n```sh\n{command}\n```\n\n"));
    md.push_str(&format!(
        "Run: {} on {nproc} CPU(s) (`nproc` = {nproc}, {cpu}), {rustc}, release build; sections 1–5 took {:.1} s. \
         The local server is a separate process (`yeastar-bench serve`) on loopback.\n\n",
        utc_now(),
        suite_time.as_secs_f64()
    ));
    md.push_str(
        "\"Measured\" is the SDK (1, 4), the cold client (2), 10,000 users (3), a bulk import (5) or `yeastar-ycm` \
         alone (6); \"Baseline\" is bare reqwest (1, 4), a warm client (2), 1,000 users (3), the bulk import at \
         concurrency 1 or the token bucket's minimum time (5) or the facade with every product (6). Ratio = Measured / \
         Baseline.\n\n",
    );
    md.push_str("| Benchmark | Measure | Measured | Baseline | Ratio | Goal | Result |\n");
    md.push_str("|---|---|---:|---:|---:|---|---|\n");
    for r in rows {
        md.push_str(&r.markdown());
        md.push('\n');
    }
    md.push_str("\n## How each figure is measured\n\n");
    for n in notes {
        md.push_str(&format!("- {n}\n"));
    }
    md.push_str(
        "\nThe benchmark code is in `crates/bench` (`yeastar-bench`); `cargo xtask bench` builds it in release in \
         the normal target dir, and callgrind outputs are kept in `target/bench/`.\n",
    );
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_crates_are_read_from_cargo_output() {
        let err = "   Compiling serde v1.0.210\n   Compiling yeastar-ycm v0.1.0 (/x)\n    Finished `dev`";
        assert_eq!(compiled_crates(err), ["serde", "yeastar-ycm"]);
    }

    #[test]
    fn dates_are_civil() {
        let s = utc_now();
        assert_eq!(s.len(), "2026-01-01 00:00 UTC".len(), "{s}");
        assert!(s.starts_with("20"), "{s}");
    }

    #[test]
    fn cells_escape_pipes() {
        let r = Row::new("a|b", "m", "1", "2", "0.5", "", "");
        assert_eq!(r.markdown(), "| a\\|b | m | 1 | 2 | 0.5 |  |  |");
    }
}
