//! `yeastar partner-portal …`

use serde_json::json;
use yeastar_bulk::partner_portal::PartnerPortalAdapter;
use yeastar_partner_portal::{
    Client, CreateUser, EditUser, ListBillingContacts, ListCountries, ListUsers, PartnerPortal, TaxType, WriteResult,
};
use yeastar_transport::{Product, ProductSpec};

use super::{CliError, CliResult, Ctx};
use crate::cli::{
    PpBillingCommand, PpCommand, PpCountryCommand, PpCreateArgs, PpEditArgs, PpProfileArgs, PpUserCommand,
};
use crate::output::{Output, columns, object};
use crate::progress;

pub(crate) async fn run(ctx: &Ctx, command: PpCommand) -> CliResult {
    // Check what can be checked before connecting.
    if let PpCommand::User(PpUserCommand::Edit(edit)) = &command
        && edit.company.is_none()
        && edit.profile.is_empty()
    {
        return Err(CliError::usage(
            "nothing to change: give at least one field (--company, --first-name, …)",
        ));
    }
    let product = Product::PartnerPortal;
    let conn = ctx.connect(product, ctx.settings(product)?, PartnerPortal::DEFAULT_BASE_URL)?;
    let client = conn.configure(Client::builder()).build()?;
    let out = ctx.out();
    match command {
        PpCommand::User(PpUserCommand::Get { yeastar_id }) => out.one(&client.users().get(yeastar_id).await?)?,
        PpCommand::User(PpUserCommand::List) => {
            let all = progress::collect(client.users().list(ListUsers::new()), "users").await?;
            out.list(&all, columns::PP_USER)?;
        }
        PpCommand::User(PpUserCommand::Create(args)) => {
            write_result(out, client.users().create(create_request(args)).await?)?;
        }
        PpCommand::User(PpUserCommand::Edit(args)) => {
            write_result(out, client.users().edit(edit_request(args)).await?)?;
        }
        // Connecting sends nothing: the file is still read and checked before any request.
        PpCommand::User(PpUserCommand::Import(args)) => {
            let adapter = PartnerPortalAdapter::new(client);
            super::bulk::import(&yeastar_bulk::partner_portal::SCHEMA, args, || Ok((conn, adapter))).await?;
        }
        PpCommand::User(PpUserCommand::Export(args)) => {
            super::bulk::export(args, || Ok((conn, PartnerPortalAdapter::new(client)))).await?;
        }
        PpCommand::Country(PpCountryCommand::List { name }) => {
            let mut query = ListCountries::new();
            if let Some(name) = name {
                query = query.name(name);
            }
            let all = progress::collect(client.countries().list(query), "countries").await?;
            out.list(&all, columns::PP_COUNTRY)?;
        }
        PpCommand::BillingContact(PpBillingCommand::List) => {
            let list = client.billing_contacts().list(ListBillingContacts::new());
            out.list(
                &progress::collect(list, "billing contacts").await?,
                columns::PP_BILLING_CONTACT,
            )?;
        }
        PpCommand::Auth(cmd) => super::auth::run(ctx, &conn, client.transport(), cmd).await?,
    }
    Ok(())
}

/// Prints `{"result": true, "requestId": …}`, as Partner Portal answers a write that was made
/// (`result: false` is an API error, reported on stderr with exit 1).
fn write_result(out: Output, done: WriteResult) -> CliResult {
    out.one(&object([
        ("result", Some(json!(true))),
        ("requestId", done.request_id.map(Into::into)),
    ]))
}

macro_rules! apply_profile {
    ($req:expr, $p:expr) => {{
        let p: PpProfileArgs = $p;
        let mut r = $req;
        if let Some(v) = p.first_name {
            r = r.first_name(v);
        }
        if let Some(v) = p.last_name {
            r = r.last_name(v);
        }
        if let Some(v) = p.phone_number {
            r = r.phone_number(v);
        }
        if let Some(v) = p.state_province {
            r = r.state_province(v);
        }
        if let Some(v) = p.city {
            r = r.city(v);
        }
        if let Some(v) = p.street {
            r = r.street(v);
        }
        if let Some(v) = p.zip_code {
            r = r.zip_code(v);
        }
        if let Some(v) = p.tax_type {
            r = r.tax_type(TaxType::from(v.as_str()));
        }
        if let Some(v) = p.tax_num {
            r = r.tax_num(v);
        }
        if let Some(v) = p.remark {
            r = r.remark(v);
        }
        r
    }};
}

fn create_request(args: PpCreateArgs) -> CreateUser {
    let mut req = apply_profile!(
        CreateUser::new(args.yeastar_id, args.company, args.country),
        args.profile
    );
    if let Some(send) = args.send_activation_email {
        req = req.send_user_activation_email(send);
    }
    req
}

fn edit_request(args: PpEditArgs) -> EditUser {
    let mut req = EditUser::new(args.yeastar_id);
    if let Some(c) = args.company {
        req = req.company(c);
    }
    apply_profile!(req, args.profile)
}
