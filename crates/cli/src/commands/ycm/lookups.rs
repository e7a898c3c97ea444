//! `yeastar ycm region|domain|firmware list`: the ids a Cloud PBX is created with.

use yeastar_ycm::{ListDomains, ListFirmware};

use super::client;
use crate::cli::{YcmDomainCommand, YcmFirmwareCommand, YcmRegionCommand};
use crate::commands::{CliResult, Ctx};
use crate::output::columns;

pub(super) async fn region(ctx: &Ctx, command: YcmRegionCommand) -> CliResult {
    let YcmRegionCommand::List = command;
    ctx.out()
        .list(&client(ctx)?.regions().list().await?, columns::YCM_REGION)
}

/// Without --region-id, the domains of every region (the API needs at least one).
pub(super) async fn domain(ctx: &Ctx, command: YcmDomainCommand) -> CliResult {
    let YcmDomainCommand::List { mut region_ids } = command;
    let client = client(ctx)?;
    if region_ids.is_empty() {
        region_ids = client
            .regions()
            .list()
            .await?
            .iter()
            .filter_map(|r| r.region_id)
            .collect();
        if region_ids.is_empty() {
            return ctx.out().list::<yeastar_ycm::Domain>(&[], columns::YCM_DOMAIN);
        }
    }
    let domains = client.domains().list(ListDomains::new(region_ids)).await?;
    ctx.out().list(&domains, columns::YCM_DOMAIN)
}

pub(super) async fn firmware(ctx: &Ctx, command: YcmFirmwareCommand) -> CliResult {
    let YcmFirmwareCommand::List { region_ids } = command;
    let mut query = ListFirmware::new();
    if !region_ids.is_empty() {
        query = query.region_ids(region_ids);
    }
    ctx.out()
        .list(&client(ctx)?.firmware().list(query).await?, columns::YCM_FIRMWARE)
}
