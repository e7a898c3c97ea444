//! Project automation: `cargo xtask ci` runs every check CI runs.
//!
//! Subcommands:
//! - `ci`: rustfmt check, clippy (all targets, `-D warnings`), the workspace tests, rustdoc with
//!   `-D warnings`, the facade's feature matrix and the product-isolation check.
//! - `features`: only the feature matrix and isolation check.
//! - `public-api [--check]`: the public items of each library crate in `crates/<crate>/public-api.txt`
//!   (`--check`, part of `ci`, fails when a listing is out of date).
//! - `bench [--quick]`: the benchmarks (see BENCHMARKS.md): builds `yeastar-bench` in release in
//!   the normal target dir, runs it, adds the build-cost measurement (clean builds in
//!   `target/bench-build/`, skipped with `--quick`), prints the table and writes it to
//!   BENCHMARKS.md (`--quick` writes `target/bench/BENCHMARKS-quick.md` instead, so that a
//!   quick run never replaces the full one).
//! - `man [--out DIR]`: man pages of `yeastar` and every subcommand (`yeastar-ycm-user-get.1`,
//!   …), from the CLI's clap command line, into `target/man` (or DIR).

mod bench;
mod public_api;

use std::process::{Command, ExitCode};

const PRODUCTS: [(&str, &str); 3] = [
    ("partner-portal", "yeastar-partner-portal"),
    ("ycm", "yeastar-ycm"),
    ("workplace", "yeastar-workplace"),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("features") => features(),
        Some("public-api") => match args[1..] {
            [] => public_api::run(false),
            [ref flag] if flag == "--check" => public_api::run(true),
            _ => {
                eprintln!("usage: cargo xtask public-api [--check]");
                return ExitCode::from(2);
            }
        },
        Some("man") => match &args[1..] {
            [] => man(std::path::Path::new("target/man")),
            [flag, dir] if flag == "--out" => man(std::path::Path::new(dir)),
            _ => {
                eprintln!("usage: cargo xtask man [--out DIR]");
                return ExitCode::from(2);
            }
        },
        Some("bench") => match args[1..] {
            [] => bench::run(false),
            [ref flag] if flag == "--quick" => bench::run(true),
            _ => {
                eprintln!("usage: cargo xtask bench [--quick]");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: cargo xtask <ci|features|public-api [--check]|bench [--quick]|man [--out DIR]>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the man pages into `dir` (created if missing).
fn man(dir: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    clap_mangen::generate_to(yeastar_cli::command(), dir)
        .map_err(|e| format!("cannot write the man pages into {}: {e}", dir.display()))?;
    eprintln!(
        "man pages written to {} (try: man -l {}/yeastar.1)",
        dir.display(),
        dir.display()
    );
    Ok(())
}

fn cargo(args: &[&str]) -> Result<(), String> {
    cargo_env(args, &[])
}

fn cargo_env(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    eprintln!("\n==> cargo {}", args.join(" "));
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

fn cargo_output(args: &[&str]) -> Result<String, String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn ci() -> Result<(), String> {
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    cargo_env(
        &["doc", "--workspace", "--no-deps", "--exclude", "xtask"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    features()?;
    public_api::run(true)?;
    // Last, so that its summary closes the log: the README's test command.
    cargo(&["test", "--workspace"])
}

/// The facade builds and tests with no product, each product alone (with and without `bulk`),
/// and all of them; a build of one product never compiles another, and neither does
/// `yeastar-bulk` with one product's adapter.
fn features() -> Result<(), String> {
    cargo(&["test", "-p", "yeastar", "--no-default-features"])?;
    for (feature, _) in PRODUCTS {
        cargo(&["test", "-p", "yeastar", "--no-default-features", "--features", feature])?;
        let with_bulk = format!("bulk,{feature}");
        cargo(&[
            "test",
            "-p",
            "yeastar",
            "--no-default-features",
            "--features",
            &with_bulk,
        ])?;
        cargo(&[
            "test",
            "-p",
            "yeastar-bulk",
            "--no-default-features",
            "--features",
            feature,
        ])?;
    }
    cargo(&["test", "-p", "yeastar", "--all-features"])?;
    for (feature, krate) in PRODUCTS {
        let with_bulk = format!("bulk,{feature}");
        let tree = |package: &str, features: Option<&str>| -> Result<String, String> {
            let mut args = vec!["tree", "-p", package, "-e", "normal", "--prefix", "none"];
            if let Some(f) = features {
                args.extend(["--no-default-features", "--features", f]);
            }
            cargo_output(&args)
        };
        let builds = [
            (
                format!("yeastar --features {feature}"),
                tree("yeastar", Some(feature))?,
                None,
            ),
            (
                format!("yeastar --features {with_bulk}"),
                tree("yeastar", Some(&with_bulk))?,
                Some("yeastar-bulk"),
            ),
            (
                format!("yeastar-bulk --features {feature}"),
                tree("yeastar-bulk", Some(feature))?,
                Some("yeastar-bulk"),
            ),
            (krate.to_owned(), tree(krate, None)?, None),
        ];
        for (what, tree, also) in &builds {
            let has = |name: &str| tree.lines().any(|l| l.split_whitespace().next() == Some(name));
            for (_, other) in PRODUCTS.iter().filter(|(_, k)| *k != krate) {
                if has(other) {
                    return Err(format!("{what} pulls in {other}"));
                }
            }
            for wanted in std::iter::once(krate).chain(*also) {
                if !has(wanted) {
                    return Err(format!("{what} does not contain {wanted}"));
                }
            }
        }
        eprintln!("ok: {feature} builds without the other products (also with bulk)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn man_pages_for_the_command_and_every_subcommand() {
        let dir = std::env::temp_dir().join(format!("yeastar-xtask-man-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        super::man(&dir).unwrap();
        let top = std::fs::read_to_string(dir.join("yeastar.1")).unwrap();
        assert!(top.contains(".TH yeastar 1"), "{}", &top[..200.min(top.len())]);
        assert!(top.contains("no\\-token\\-cache"), "the global options are documented");
        for page in [
            "yeastar-ycm-user-subscription.1",
            "yeastar-profile-add.1",
            "yeastar-workplace-auth-token.1",
        ] {
            let p = dir.join(page);
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert!(text.contains("Example"), "{page}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
