//! `yeastar`: command-line administration of Yeastar Partner Portal, YCM and Workplace users.
//!
//! Run `yeastar --help`; try `yeastar --sandbox partner-portal user get color123@yeastar.com`.
//!
//! Exit codes: 0 success; 1 the API answered with an error; 2 usage error or input rejected
//! before anything was sent; 3 transport, timeout or authentication failure; 70 an internal
//! error (a bug: please report it).

mod cli;
mod commands;
mod output;
mod token_cache;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::{CliError, CliResult, EXIT_OK};

/// Exit code of a panic (a bug), from sysexits' `EX_SOFTWARE`.
const EXIT_INTERNAL: u8 = 70;

fn main() -> ExitCode {
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
    let cli = match Cli::try_parse() {
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
            let _ = writeln!(std::io::stderr(), "error: {e}");
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
            eprintln!("warning: ignoring RUST_LOG={spec:?}: {e}");
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
        (Command::Sandbox(_), _) | (_, false) => None,
        (_, true) => Some(commands::sandbox::start_embedded().await?),
    };
    let sandbox_url = sandbox.as_ref().map(|s| s.base_url());
    let result = match command {
        Command::PartnerPortal(c) => commands::partner_portal::run(&global, sandbox_url, c).await,
        Command::Ycm(c) => commands::ycm::run(&global, sandbox_url, c).await,
        Command::Workplace(c) => commands::workplace::run(&global, sandbox_url, c).await,
        Command::Sandbox(args) => commands::sandbox::serve(args).await,
    };
    drop(sandbox);
    result
}
