//! `yeastar <product> auth status|token`.

use std::time::SystemTime;

use serde_json::{Value, json};
use yeastar_transport::TokenStore;

use super::{CliResult, Connection, Ctx, when};
use crate::cli::{AuthCommand, OutputFormat};
use crate::output::{object, write_stdout};

pub(crate) async fn run(
    ctx: &Ctx,
    conn: &Connection,
    transport: &yeastar_transport::Client,
    command: AuthCommand,
) -> CliResult {
    match command {
        AuthCommand::Token => {
            let t = transport.access_token().await?;
            match ctx.global.output {
                // Bare by default, whatever stdout is: `$(yeastar ycm auth token)` is the point.
                None | Some(OutputFormat::Table | OutputFormat::Csv) => {
                    write_stdout(&format!("{}\n", t.token.expose()))
                }
                Some(_) => ctx.out().one(&object([
                    ("accessToken", Some(json!(t.token.expose()))),
                    ("expiresAt", t.expires_at.map(|e| json!(when(e)))),
                ])),
            }
        }
        AuthCommand::Status => {
            // The cached token as found before asking for one.
            let cached = conn.store.as_ref().and_then(|s| s.load());
            let result = transport.access_token().await;
            let expiry = |t: SystemTime| {
                if t > SystemTime::now() {
                    json!(when(t))
                } else {
                    json!(format!("{} (expired)", when(t)))
                }
            };
            let config = ctx
                .config
                .get()
                .and_then(|c| c.path())
                .map(|p| json!(p.display().to_string()));
            let status = object([
                ("product", Some(json!(conn.product.as_str()))),
                ("profile", Some(conn.profile.clone().map_or(Value::Null, Value::from))),
                ("configFile", config),
                ("baseUrl", Some(json!(conn.base_url))),
                ("clientId", conn.client_id.clone().map(Value::from)),
                ("credentialsFrom", conn.secret_from.clone().map(Value::from)),
                (
                    "tokenCache",
                    Some(
                        conn.store
                            .as_ref()
                            .map_or(json!("off"), |s| json!(s.path().display().to_string())),
                    ),
                ),
                ("cachedTokenExpiresAt", cached.map(|c| expiry(c.access_expires_at))),
                ("token", Some(json!(if result.is_ok() { "obtained" } else { "failed" }))),
                (
                    "tokenExpiresAt",
                    result.as_ref().ok().and_then(|t| t.expires_at).map(expiry),
                ),
            ]);
            ctx.out().one(&status)?;
            result.map(drop).map_err(Into::into)
        }
    }
}
