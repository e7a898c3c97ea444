//! `yeastar`: command-line administration of Yeastar Partner Portal, YCM and Workplace users.
//!
//! Run `yeastar --help`; try `yeastar --sandbox partner-portal user get color123@yeastar.com`.
//!
//! Exit codes: 0 success; 1 the API answered with an error; 2 usage error or input rejected
//! before anything was sent; 3 transport, timeout or authentication failure; 70 an internal
//! error (a bug: please report it).
//!
//! This library is the binary's body. Its public items are [`main`] and [`command`] (the clap
//! command line, for generating man pages); nothing else is a stable API.

mod cli;
mod commands;
mod config;
mod output;
mod progress;
mod refusal;
mod term;
mod token_cache;

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;

use crate::cli::{Cli, Command};
use crate::commands::{CliError, CliResult, Ctx, EXIT_OK};

/// Exit code of a panic (a bug), from sysexits' `EX_SOFTWARE`.
const EXIT_INTERNAL: u8 = 70;

/// The command line, as clap sees it: for `cargo xtask man` and other documentation tools.
pub fn command() -> clap::Command {
    cli::command()
}

/// Runs `yeastar` with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    // No panic message with a backtrace reaches the user: a short line instead.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let _ = writeln!(std::io::stderr(), "error: internal error (a bug in yeastar): {msg}");
    }));
    let parsed = command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and exit 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    init_tracing();
    let outcome = std::panic::catch_unwind(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CliError::new(commands::EXIT_TRANSPORT, format!("cannot start the async runtime: {e}")))?;
        runtime.block_on(run(cli))
    });
    match outcome {
        Ok(Ok(())) => ExitCode::from(EXIT_OK),
        Ok(Err(e)) => {
            term::error(&e.message, e.hint.as_deref());
            ExitCode::from(e.code)
        }
        Err(_) => ExitCode::from(EXIT_INTERNAL),
    }
}

/// `RUST_LOG` turns on tracing to stderr; nothing is logged otherwise.
fn init_tracing() {
    let Some(spec) = std::env::var_os("RUST_LOG").filter(|v| !v.is_empty()) else {
        return;
    };
    let filter = match tracing_subscriber::EnvFilter::try_from_default_env() {
        Ok(f) => f,
        Err(e) => {
            term::warn(format_args!("ignoring RUST_LOG={spec:?}: {e}"));
            return;
        }
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn run(cli: Cli) -> CliResult {
    let Cli { global, command } = cli;
    // --sandbox: a sandbox in this process, alive until the command is done.
    let sandbox = match (&command, global.sandbox) {
        (Command::Sandbox(_) | Command::Profile(_) | Command::Completions { .. }, _) | (_, false) => None,
        (_, true) => Some(commands::sandbox::start_embedded().await?),
    };
    let ctx = Ctx::new(global, sandbox.as_ref().map(|s| s.base_url()));
    let result = match command {
        Command::PartnerPortal(c) => commands::partner_portal::run(&ctx, c).await,
        Command::Ycm(c) => commands::ycm::run(&ctx, c).await,
        Command::Workplace(c) => commands::workplace::run(&ctx, c).await,
        Command::Profile(c) => commands::profile::run(&ctx, c),
        Command::Completions { shell } => commands::completions(shell),
        Command::Sandbox(args) => commands::sandbox::serve(args).await,
    };
    drop(sandbox);
    result.map_err(|e| ctx.explain(e))
}
