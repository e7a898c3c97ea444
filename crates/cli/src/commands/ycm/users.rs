//! `yeastar ycm user …` and `yeastar ycm subordinate …`

use yeastar_bulk::ycm::YcmAdapter;
use yeastar_ycm::{
    CreateUser, DeleteUsers, HighAvailability, ListSubordinates, ListUsers, PbxCreationLimit, ResellerPackage,
    UpdateSubscription, UpdateUser,
};

use super::{client, connect};
use crate::cli::{
    PbxLimitArg, YcmCreateArgs, YcmSubordinateCommand, YcmSubscriptionArgs, YcmUpdateArgs, YcmUserCommand,
};
use crate::commands::{CliError, CliResult, Ctx};
use crate::output::{columns, written};
use crate::progress;

/// `yeastar ycm user …`
pub(super) async fn user(ctx: &Ctx, command: YcmUserCommand) -> CliResult {
    let out = ctx.out();
    match command {
        YcmUserCommand::Get { user_id } => {
            out.one(&client(ctx)?.users().get(user_id).await?)?;
        }
        YcmUserCommand::List { sort } => {
            let mut query = ListUsers::new();
            if let Some(sort) = sort {
                query = query.sort(sort.as_str());
            }
            let all = progress::collect(client(ctx)?.users().list(query), "users").await?;
            out.list(&all, columns::YCM_USER)?;
        }
        YcmUserCommand::Create(args) => {
            let req = create_request(args)?;
            out.one(&written("userId", &client(ctx)?.users().create(req).await?))?;
        }
        YcmUserCommand::Update(args) => {
            let req = update_request(args)?;
            out.one(&written("userId", &client(ctx)?.users().update(req).await?))?;
        }
        YcmUserCommand::Subscription(args) => {
            let done = client(ctx)?
                .users()
                .update_subscription(subscription_request(args))
                .await?;
            out.one(&written("userId", &done))?;
        }
        YcmUserCommand::Delete { user_type, user_ids } => {
            let done = client(ctx)?
                .users()
                .delete(DeleteUsers::new(user_type, user_ids))
                .await?;
            out.one(&written("userId", &done))?;
        }
        YcmUserCommand::Import(args) => {
            crate::commands::bulk::import(&yeastar_bulk::ycm::SCHEMA, args, || {
                connect(ctx).map(|(conn, c)| (conn, YcmAdapter::new(c)))
            })
            .await?;
        }
        YcmUserCommand::Export(args) => {
            crate::commands::bulk::export(args, || connect(ctx).map(|(conn, c)| (conn, YcmAdapter::new(c)))).await?;
        }
    }
    Ok(())
}

/// `yeastar ycm subordinate …`
pub(super) async fn subordinate(ctx: &Ctx, command: YcmSubordinateCommand) -> CliResult {
    let YcmSubordinateCommand::List { query } = command;
    let mut q = ListSubordinates::new();
    if let Some(k) = query {
        q = q.query(k);
    }
    let all = progress::collect(client(ctx)?.subordinates().list(q), "subordinates").await?;
    ctx.out().list(&all, columns::YCM_SUBORDINATE)
}

/// All four totals are required by clap: a missing one is a usage error before anything is sent.
fn subscription_request(a: YcmSubscriptionArgs) -> UpdateSubscription {
    let mut req = UpdateSubscription::new(
        a.user_id,
        a.total_extensions,
        a.total_concurrent_calls,
        a.total_recordings,
        a.minimum_ext_per_pbx,
    );
    if let Some(ha) = a.high_availability {
        req = req.high_availability(HighAvailability::from(ha.as_str()));
    }
    if let Some(n) = a.total_custom_domains {
        req = req.total_custom_domains(n);
    }
    req
}

fn create_request(a: YcmCreateArgs) -> CliResult<CreateUser> {
    let mut req = CreateUser::new(a.user_type, a.first_name, a.email);
    if let Some(v) = a.company {
        req = req.company(v);
    }
    if let Some(v) = a.last_name {
        req = req.last_name(v);
    }
    if let Some(v) = a.phone {
        req = req.phone(v);
    }
    if let Some(v) = a.mobile {
        req = req.mobile(v);
    }
    if let Some(v) = a.address {
        req = req.address(v);
    }
    if let Some(v) = a.remark {
        req = req.remark(v);
    }
    let required = [
        a.total_extensions,
        a.total_concurrent_calls,
        a.total_recordings,
        a.minimum_ext_per_pbx,
    ];
    let optional_given = a.total_ultimate_plan.is_some()
        || a.high_availability.is_some()
        || a.total_custom_domains.is_some()
        || a.total_transcription.is_some()
        || a.total_connections.is_some();
    match required {
        [Some(ext), Some(calls), Some(rec), Some(min)] => {
            let mut pkg = ResellerPackage::new(ext, calls, rec, min);
            if let Some(n) = a.total_ultimate_plan {
                pkg = pkg.total_ultimate_plan(n);
            }
            if let Some(ha) = a.high_availability {
                pkg = pkg.high_availability(HighAvailability::from(ha.as_str()));
            }
            if let Some(n) = a.total_custom_domains {
                pkg = pkg.total_custom_domains(n);
            }
            if let Some(n) = a.total_transcription {
                pkg = pkg.total_transcription(n);
            }
            if let Some(n) = a.total_connections {
                pkg = pkg.total_connections(n);
            }
            req = req.package(pkg);
        }
        [None, None, None, None] if !optional_given => {}
        _ => {
            return Err(CliError::usage(
                "a package needs all of --total-extensions, --total-concurrent-calls, --total-recordings \
                 and --minimum-ext-per-pbx",
            ));
        }
    }
    Ok(req)
}

fn update_request(a: YcmUpdateArgs) -> CliResult<UpdateUser> {
    let mut req = UpdateUser::new(a.user_id);
    let mut changed = false;
    macro_rules! set {
        ($($field:ident),*) => {$(
            if let Some(v) = a.$field {
                req = req.$field(v);
                changed = true;
            }
        )*};
    }
    set!(company, first_name, last_name, email, phone, mobile, address, remark);
    if a.disable_two_factor_auth {
        req = req.disable_two_factor_authentication();
        changed = true;
    }
    match a.pbx_creation_limit {
        Some(PbxLimitArg::Unlimited) => {
            req = req.pbx_creation_limit(PbxCreationLimit::Unlimited);
            changed = true;
        }
        Some(PbxLimitArg::Count(0)) => {
            return Err(CliError::usage(
                "--pbx-creation-limit: 0 is not allowed (YCM forbids it); give a positive number, \
                 or `unlimited` for no limit",
            ));
        }
        // The SDK checks the count again when the request is built, before anything is sent.
        Some(PbxLimitArg::Count(n)) => {
            req = req.pbx_creation_limit_count(n);
            changed = true;
        }
        None => {}
    }
    if !changed {
        return Err(CliError::usage(
            "nothing to change: give at least one field (--company, --email, --pbx-creation-limit, …)",
        ));
    }
    Ok(req)
}
