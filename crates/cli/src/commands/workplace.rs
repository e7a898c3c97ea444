//! `yeastar workplace …`

use std::io::Read;
use std::path::Path;

use yeastar_bulk::workplace::WorkplaceAdapter;
use yeastar_transport::Product;
use yeastar_workplace::{
    Client, ClientBuilderExt, CreateGroup, CreateUser, EventType, Image, ListGroups, ListUsers, MAX_IMAGE_BYTES,
    Region, Role, Subscribe, UpdateGroup, UpdateUser,
};

use super::{CliError, CliResult, Connection, Ctx};
use crate::cli::{
    RegionArg, WpCommand, WpCreateArgs, WpEventCommand, WpGroupCommand, WpOptionalArgs, WpUpdateArgs, WpUserCommand,
};
use crate::output::{columns, written};
use crate::progress;
use crate::term;

pub(crate) async fn run(ctx: &Ctx, command: WpCommand) -> CliResult {
    // Inputs (files included) are read and checked before connecting.
    let connect = || -> CliResult<(Connection, Client)> {
        let settings = ctx.settings(Product::Workplace)?;
        let region = match settings.region(&ctx.global) {
            Some(RegionArg::Eu) => Region::Eu,
            Some(RegionArg::Global) | None => Region::Global,
        };
        let conn = ctx.connect(Product::Workplace, settings, region.base_url())?;
        let client = conn.configure(Client::builder().region(region)).build()?;
        Ok((conn, client))
    };
    let client = || connect().map(|(_, c)| c);
    let out = ctx.out();
    match command {
        WpCommand::User(WpUserCommand::Get { member_id }) => out.one(&client()?.users().get(member_id).await?)?,
        WpCommand::User(WpUserCommand::List { query }) => {
            let mut q = ListUsers::new();
            if let Some(query) = query {
                q = q.query(query);
            }
            let all = progress::collect(client()?.users().list(q), "users").await?;
            out.list(&all, columns::WP_USER)?;
        }
        WpCommand::User(WpUserCommand::Create(args)) => {
            let req = create_request(args)?;
            out.one(&written("memberId", &client()?.users().create(req).await?))?;
        }
        WpCommand::User(WpUserCommand::Update(args)) => update(ctx, client, args).await?,
        WpCommand::User(WpUserCommand::Delete { member_id }) => {
            out.one(&written("memberId", &client()?.users().delete(member_id).await?))?;
        }
        WpCommand::User(WpUserCommand::Import(args)) => {
            super::bulk::import(&yeastar_bulk::workplace::SCHEMA, args, || {
                connect().map(|(conn, c)| (conn, WorkplaceAdapter::new(c)))
            })
            .await?;
        }
        WpCommand::User(WpUserCommand::Export(args)) => {
            super::bulk::export(args, || connect().map(|(conn, c)| (conn, WorkplaceAdapter::new(c)))).await?;
        }
        WpCommand::Group(WpGroupCommand::List { name }) => {
            let mut q = ListGroups::new();
            if let Some(name) = name {
                q = q.group_name(name);
            }
            let all = progress::collect(client()?.groups().list(q), "groups").await?;
            out.list(&all, columns::WP_GROUP)?;
        }
        WpCommand::Group(WpGroupCommand::Get { group_id }) => out.one(&client()?.groups().get(group_id).await?)?,
        WpCommand::Group(WpGroupCommand::Create { name, member_ids }) => {
            let mut req = CreateGroup::new(name);
            if !member_ids.is_empty() {
                req = req.member_ids(member_ids);
            }
            out.one(&written("groupId", &client()?.groups().create(req).await?))?;
        }
        WpCommand::Group(WpGroupCommand::Update { group_id, name }) => {
            let done = client()?.groups().update(UpdateGroup::new(group_id, name)).await?;
            out.one(&written("groupId", &done))?;
        }
        WpCommand::Group(WpGroupCommand::Delete { group_id }) => {
            out.one(&written("groupId", &client()?.groups().delete(group_id).await?))?;
        }
        WpCommand::Event(WpEventCommand::Subscribe { event_types, all }) => {
            let req = if all {
                Subscribe::all()
            } else {
                Subscribe::to(event_types.into_iter().map(EventType::from))
            };
            // The SDK's checks (an unknown spelling, ALL with others) run before connecting.
            yeastar_transport::Endpoint::request(&req)?;
            let types: Vec<&str> = req.event_types().iter().map(EventType::as_str).collect();
            let mut shown = written("requestId", &client()?.events().subscribe(req.clone()).await?);
            if let serde_json::Value::Object(map) = &mut shown {
                map.insert("eventTypes".into(), serde_json::json!(types));
            }
            out.one(&shown)?;
        }
        WpCommand::Event(WpEventCommand::Cancel) => {
            out.one(&written("requestId", &client()?.events().cancel().await?))?;
        }
        WpCommand::Auth(cmd) => {
            let (conn, client) = connect()?;
            super::auth::run(ctx, &conn, client.transport(), cmd).await?;
        }
    }
    Ok(())
}

/// Reads the image file, never more than one byte past the cap (a huge file or a device is
/// refused without being read whole).
fn read_image(path: &Path) -> CliResult<Image> {
    let cannot = |e: std::io::Error| CliError::usage(format!("cannot read the image {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let cap = MAX_IMAGE_BYTES as u64;
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > cap {
        return Err(CliError::usage(format!(
            "the image {} is larger than {} KiB, the most Workplace accepts",
            path.display(),
            cap / 1024
        )));
    }
    Ok(Image::from_bytes(bytes)?)
}

/// Sets the optional fields given on the command line (the ones not given keep their value).
fn apply_optional(u: &mut UpdateUser, o: WpOptionalArgs, image: Option<Image>) {
    if let Some(v) = o.last_name {
        u.last_name = Some(v);
    }
    if let Some(v) = o.preferred_floor_name {
        u.preferred_floor_name = Some(v);
    }
    if let Some(v) = o.phone {
        u.phone = Some(v);
    }
    if let Some(v) = o.id_code {
        u.id_code = Some(v);
    }
    if let Some(v) = image {
        u.image = Some(v);
    }
    if let Some(v) = o.send_invite_email {
        u.send_invite_email = Some(v);
    }
}

fn create_request(a: WpCreateArgs) -> CliResult<CreateUser> {
    let image = a.optional.image.as_deref().map(read_image).transpose()?;
    let o = a.optional;
    let mut req = CreateUser::new(
        a.email,
        a.first_name,
        a.group_ids,
        Role::from(a.role_name),
        a.preferred_building_name,
    );
    if let Some(v) = o.last_name {
        req = req.last_name(v);
    }
    if let Some(v) = o.preferred_floor_name {
        req = req.preferred_floor_name(v);
    }
    if let Some(v) = o.phone {
        req = req.phone(v);
    }
    if let Some(v) = o.id_code {
        req = req.id_code(v);
    }
    if let Some(v) = image {
        req = req.image(v);
    }
    if let Some(v) = o.send_invite_email {
        req = req.send_invite_email(v);
    }
    Ok(req)
}

/// Read-modify-write through `Users::modify`: every field not given keeps its current value,
/// except the face image, which Workplace cannot return.
async fn update(ctx: &Ctx, connect: impl FnOnce() -> CliResult<Client>, a: WpUpdateArgs) -> CliResult {
    let image = a.optional.image.as_deref().map(read_image).transpose()?;
    let o = &a.optional;
    let nothing = a.email.is_none()
        && a.first_name.is_none()
        && a.group_ids.is_empty()
        && a.role_name.is_none()
        && a.preferred_building_name.is_none()
        && o.last_name.is_none()
        && o.preferred_floor_name.is_none()
        && o.phone.is_none()
        && o.id_code.is_none()
        && image.is_none()
        && o.send_invite_email.is_none();
    if nothing {
        return Err(CliError::usage(
            "nothing to change: give at least one field (--email, --first-name, --group-id, …)",
        ));
    }
    if image.is_none() {
        term::warn(
            "Workplace cannot return a user's face image, so this update may clear it; pass --image FILE \
             to set the image with the update",
        );
    }
    let client = connect()?;
    let WpUpdateArgs {
        member_id,
        email,
        first_name,
        group_ids,
        role_name,
        preferred_building_name,
        optional,
    } = a;
    let done = client
        .users()
        .modify(member_id, move |u: &mut UpdateUser| {
            if let Some(v) = email {
                u.email = v;
            }
            if let Some(v) = first_name {
                u.first_name = v;
            }
            if !group_ids.is_empty() {
                u.group_ids = group_ids;
            }
            if let Some(v) = role_name {
                u.role_name = Role::from(v);
            }
            if let Some(v) = preferred_building_name {
                u.preferred_building_name = v;
            }
            apply_optional(u, optional, image);
        })
        .await?;
    ctx.out().one(&written("memberId", &done))
}
