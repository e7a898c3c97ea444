//! `yeastar ycm …`: one module per group of commands.

mod customers;
mod lookups;
mod pbx;
mod users;

use yeastar_transport::{Product, ProductSpec};
use yeastar_ycm::{Client, Ycm};

use super::{CliResult, Connection, Ctx};
use crate::cli::YcmCommand;

pub(crate) async fn run(ctx: &Ctx, command: YcmCommand) -> CliResult {
    match command {
        YcmCommand::User(c) => users::user(ctx, c).await,
        YcmCommand::Subordinate(c) => users::subordinate(ctx, c).await,
        YcmCommand::Customer(c) => customers::run(ctx, c).await,
        YcmCommand::Pbx(c) => pbx::run(ctx, c).await,
        YcmCommand::Region(c) => lookups::region(ctx, c).await,
        YcmCommand::Domain(c) => lookups::domain(ctx, c).await,
        YcmCommand::Firmware(c) => lookups::firmware(ctx, c).await,
        YcmCommand::Auth(cmd) => {
            let (conn, client) = connect(ctx)?;
            super::auth::run(ctx, &conn, client.transport(), cmd).await
        }
    }
}

/// The connection and a client. The SDK checks a request before anything is sent (the token
/// request included); a command that reads before it writes checks its input itself.
fn connect(ctx: &Ctx) -> CliResult<(Connection, Client)> {
    let conn = ctx.connect(Product::Ycm, ctx.settings(Product::Ycm)?, Ycm::DEFAULT_BASE_URL)?;
    let client = conn.configure(Client::builder()).build()?;
    Ok((conn, client))
}

fn client(ctx: &Ctx) -> CliResult<Client> {
    connect(ctx).map(|(_, c)| c)
}
