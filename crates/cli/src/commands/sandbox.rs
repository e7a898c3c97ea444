//! `yeastar sandbox`: serves the sandbox until Ctrl-C.

use std::io::Write;

use yeastar_sandbox::{Sandbox, SandboxConfig};
use yeastar_transport::Product;

use super::{CliError, CliResult, EXIT_TRANSPORT, demo_credentials};
use crate::cli::SandboxArgs;

/// Starts the in-process sandbox used by `--sandbox` (127.0.0.1, a free port).
pub(crate) async fn start_embedded() -> CliResult<Sandbox> {
    Sandbox::start(SandboxConfig::new())
        .await
        .map_err(|e| CliError::new(EXIT_TRANSPORT, format!("cannot start the embedded sandbox: {e}")))
}

pub(crate) async fn serve(args: SandboxArgs) -> CliResult {
    let config = SandboxConfig::new().with_host(args.host).with_port(args.port);
    let sandbox = Sandbox::start(config).await.map_err(|e| {
        CliError::new(
            EXIT_TRANSPORT,
            format!("cannot listen on {}:{}: {e}", args.host, args.port),
        )
    })?;
    let url = sandbox.base_url();
    let mut text = format!("Yeastar sandbox listening on {url}\n\nDemo credentials:\n");
    for (name, product, cmd) in [
        (
            "Partner Portal",
            Product::PartnerPortal,
            "partner-portal user get color123@yeastar.com",
        ),
        ("YCM", Product::Ycm, "ycm user get 13329"),
        ("Workplace", Product::Workplace, "workplace user get 54164"),
    ] {
        let (id, secret) = demo_credentials(product);
        text.push_str(&format!(
            "  {name:<15} client id {id:<16} client secret {secret}\n    try: YEASTAR_BASE_URL={url} \
             YEASTAR_CLIENT_ID={id} YEASTAR_CLIENT_SECRET={secret} yeastar --no-token-cache {cmd}\n"
        ));
    }
    text.push_str("\nPress Ctrl-C to stop.\n");
    let mut out = std::io::stdout().lock();
    // A closed stdout must not stop the server.
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    drop(out);
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| CliError::new(EXIT_TRANSPORT, format!("cannot wait for Ctrl-C: {e}")))?;
    drop(sandbox);
    eprintln!("sandbox stopped");
    Ok(())
}
