//! `yeastar workplace …`

use std::path::Path;

use yeastar_transport::Product;
use yeastar_workplace::{
    Client, ClientBuilderExt, CreateGroup, CreateUser, Image, ListGroups, ListUsers, Region, Role, UpdateUser,
};

use super::{CliError, CliResult, Connection, GlobalArgs};
use crate::cli::{RegionArg, WpCommand, WpCreateArgs, WpGroupCommand, WpOptionalArgs, WpUpdateArgs, WpUserCommand};
use crate::output::print_json;

pub(crate) async fn run(global: &GlobalArgs, sandbox_url: Option<String>, command: WpCommand) -> CliResult {
    let region = match global.region {
        Some(RegionArg::Eu) => Region::Eu,
        Some(RegionArg::Global) | None => Region::Global,
    };
    // Inputs (files included) are read and checked before connecting.
    let connect = || -> CliResult<Client> {
        let conn = Connection::resolve(global, sandbox_url.clone(), Product::Workplace, region.base_url())?;
        Ok(conn.configure(Client::builder().region(region)).build()?)
    };
    match command {
        WpCommand::User(WpUserCommand::Get { member_id }) => print_json(&connect()?.users().get(member_id).await?)?,
        WpCommand::User(WpUserCommand::List { query }) => {
            let mut q = ListUsers::new();
            if let Some(query) = query {
                q = q.query(query);
            }
            print_json(&connect()?.users().list(q).try_collect().await?)?;
        }
        WpCommand::User(WpUserCommand::Create(args)) => {
            let req = create_request(args)?;
            print_json(&connect()?.users().create(&req).await?)?;
        }
        WpCommand::User(WpUserCommand::Update(args)) => update(connect, args).await?,
        WpCommand::User(WpUserCommand::Delete { member_id }) => {
            print_json(&connect()?.users().remove(member_id).await?)?;
        }
        WpCommand::Group(WpGroupCommand::List { name }) => {
            let mut q = ListGroups::new();
            if let Some(name) = name {
                q = q.group_name(name);
            }
            print_json(&connect()?.groups().list(q).try_collect().await?)?;
        }
        WpCommand::Group(WpGroupCommand::Get { group_id }) => print_json(&connect()?.groups().get(group_id).await?)?,
        WpCommand::Group(WpGroupCommand::Create { name, member_ids }) => {
            let mut req = CreateGroup::new(name);
            if !member_ids.is_empty() {
                req = req.member_ids(member_ids);
            }
            print_json(&connect()?.groups().create(&req).await?)?;
        }
        WpCommand::Group(WpGroupCommand::Update { group_id, name }) => {
            print_json(&connect()?.groups().rename(group_id, name).await?)?;
        }
        WpCommand::Group(WpGroupCommand::Delete { group_id }) => {
            print_json(&connect()?.groups().delete(group_id).await?)?;
        }
    }
    Ok(())
}

fn read_image(path: &Path) -> CliResult<Image> {
    let bytes =
        std::fs::read(path).map_err(|e| CliError::usage(format!("cannot read the image {}: {e}", path.display())))?;
    Ok(Image::from_bytes(bytes)?)
}

macro_rules! apply_optional {
    ($req:expr, $o:expr, $image:expr) => {{
        let o: WpOptionalArgs = $o;
        let req = &mut $req;
        if let Some(v) = o.last_name {
            req.last_name = Some(v);
        }
        if let Some(v) = o.preferred_floor_name {
            req.preferred_floor_name = Some(v);
        }
        if let Some(v) = o.phone {
            req.phone = Some(v);
        }
        if let Some(v) = o.id_code {
            req.id_code = Some(v);
        }
        if let Some(v) = $image {
            req.image_base64 = Some(v);
        }
        if let Some(v) = o.send_invite_email {
            req.send_invite_email = Some(v);
        }
    }};
}

fn create_request(a: WpCreateArgs) -> CliResult<CreateUser> {
    let image = a.optional.image.as_deref().map(read_image).transpose()?;
    let mut req = CreateUser::new(
        a.email,
        a.first_name,
        a.group_ids,
        Role::from(a.role_name),
        a.preferred_building_name,
    );
    apply_optional!(req, a.optional, image);
    Ok(req)
}

/// Read-modify-write through `Users::modify`: every field not given keeps its current value.
async fn update(connect: impl FnOnce() -> CliResult<Client>, a: WpUpdateArgs) -> CliResult {
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
            apply_optional!(*u, optional, image);
        })
        .await?;
    print_json(&done)?;
    Ok(())
}
