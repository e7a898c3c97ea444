//! `yeastar ycm pbx …`: the Cloud PBX lifecycle.

use std::time::Duration;

use serde_json::{Value, json};
use yeastar_transport::validate;
use yeastar_ycm::{
    Capacity, Client, CloudPbx, CreateCloudPbx, DeleteCloudPbxs, ListCloudPbxs, PbxStatus, PbxType, Placement, Plan,
    Toggle, TrunkDidRelation, WaitError, WaitOptions,
};

use super::client;
use crate::cli::{
    PbxTypeArg, PlanArg, WaitArgs, WaitUntilArg, YcmPbxCommand, YcmPbxCreateArgs, YcmPbxResizeArgs, YcmPbxUpdateArgs,
};
use crate::commands::{CliError, CliResult, Ctx, EXIT_API, EXIT_TRANSPORT};
use crate::output::{columns, object, written};
use crate::progress;

/// The longest pause between two status queries of a wait.
const MAX_POLL_INTERVAL: Duration = Duration::from_secs(30);

pub(super) async fn run(ctx: &Ctx, command: YcmPbxCommand) -> CliResult {
    let out = ctx.out();
    match command {
        YcmPbxCommand::List { search, sort } => {
            let mut query = ListCloudPbxs::new();
            if let Some(s) = search {
                query = query.search(s);
            }
            if let Some(s) = sort {
                query = query.sort(s.as_str());
            }
            let all = progress::collect(client(ctx)?.cloud_pbxs().list(query), "Cloud PBXs").await?;
            out.list(&all, columns::YCM_PBX)
        }
        YcmPbxCommand::Get { cloud_pbx_id, url } => {
            let pbx = match (cloud_pbx_id, url) {
                (Some(id), _) => client(ctx)?.cloud_pbxs().get(id).await?,
                (None, Some(url)) => client(ctx)?.cloud_pbxs().get_by_url(url).await?,
                (None, None) => return Err(CliError::usage("give a Cloud PBX id or --url")),
            };
            out.one(&pbx)
        }
        YcmPbxCommand::Status { cloud_pbx_id } => out.one(&client(ctx)?.cloud_pbxs().status(cloud_pbx_id).await?),
        YcmPbxCommand::Create(args) => create(ctx, args).await,
        YcmPbxCommand::Update(args) => update(ctx, args).await,
        YcmPbxCommand::Start { cloud_pbx_id } => out.one(&written(
            "cloudPbxId",
            &client(ctx)?.cloud_pbxs().start(cloud_pbx_id).await?,
        )),
        YcmPbxCommand::Stop { cloud_pbx_id } => out.one(&written(
            "cloudPbxId",
            &client(ctx)?.cloud_pbxs().stop(cloud_pbx_id).await?,
        )),
        YcmPbxCommand::Resize(args) => resize(ctx, args).await,
        YcmPbxCommand::Delete { cloud_pbx_ids } => {
            let done = client(ctx)?
                .cloud_pbxs()
                .delete(DeleteCloudPbxs::new(cloud_pbx_ids))
                .await?;
            out.one(&written("cloudPbxId", &done))
        }
        YcmPbxCommand::Customers {
            cloud_pbx_id,
            add,
            remove,
        } => customers(ctx, cloud_pbx_id, add, remove).await,
        YcmPbxCommand::ActivationEmail {
            cloud_pbx_id,
            customer_ids,
        } => activation_email(ctx, cloud_pbx_id, customer_ids).await,
        YcmPbxCommand::Wait {
            cloud_pbx_id,
            until,
            wait,
        } => {
            let target = match until {
                WaitUntilArg::Running => PbxStatus::Running,
                WaitUntilArg::Stopped => PbxStatus::Stopped,
            };
            let pbx = wait_for(&client(ctx)?, cloud_pbx_id, target, wait).await?;
            out.one(&pbx)
        }
    }
}

fn create_request(a: YcmPbxCreateArgs) -> CreateCloudPbx {
    let plan = match a.plan {
        PlanArg::Enterprise => Plan::EnterprisePlan,
        PlanArg::Ultimate => Plan::UltimatePlan,
    };
    let pbx_type = match a.pbx_type {
        PbxTypeArg::Trial => PbxType::Trial,
        PbxTypeArg::Commercial => PbxType::Commercial,
    };
    // YCM: on create, 0 recording minutes turn recording off.
    let recording = a.recording.map_or(Toggle::from(a.recording_minutes > 0), Toggle::from);
    let capacity = Capacity::new(a.extensions, a.concurrent_calls, recording, a.recording_minutes);
    let placement = Placement::new(a.region_id, a.domain_id, a.version_id);
    let mut req = CreateCloudPbx::new(
        a.name,
        a.sub_domain,
        placement,
        plan,
        pbx_type,
        capacity,
        a.customer_ids,
    )
    .upgrade_in_pbx(a.upgrade_in_pbx)
    .im(a.im);
    if let Some(n) = a.transcription_minutes {
        req = req.transcription_capacity(n);
    }
    if !a.trunk_dids.is_empty() {
        let relations: Vec<TrunkDidRelation> = a
            .trunk_dids
            .into_iter()
            .map(|(trunk, dids)| TrunkDidRelation::new(trunk, dids))
            .collect();
        req = req.trunk_did_relations(relations);
    }
    if let Some(d) = a.expiration_date {
        req = req.expiration_date(d);
    }
    if let Some(b) = a.run_after_expiration {
        req = req.allow_run_after_expiration_date(b);
    }
    let l = a.logins;
    if let Some(t) = l.passwordless_login {
        req = req.passwordless_login(t);
    }
    if let Some(t) = l.allow_superior_passwordless_login {
        req = req.allow_superior_passwordless_login(t);
    }
    if let Some(t) = l.provisioning_via_template {
        req = req.provisioning_via_template(t);
    }
    req
}

/// Creates the PBX; with --wait, waits until it runs and prints it, else prints the new id.
async fn create(ctx: &Ctx, a: YcmPbxCreateArgs) -> CliResult {
    let wait = a.wait.then_some(a.wait_args);
    let req = create_request(a);
    let sub_domain = req.sub_domain().to_owned();
    let client = client(ctx)?;
    let done = client.cloud_pbxs().create(req).await?;
    let Some(wait) = wait else {
        return ctx.out().one(&written("cloudPbxId", &done));
    };
    let Some(id) = done.id else {
        // Created all the same: say so, and how to find it, rather than invite a second create.
        ctx.out().one(&written("cloudPbxId", &done))?;
        return Err(CliError::new(
            EXIT_API,
            "the Cloud PBX was created, but YCM answered no id and a search by its sub-domain found none: \
             cannot wait for it",
        )
        .with_hint(format!(
            "do not create it again: find it with `yeastar ycm pbx list --search {sub_domain}`, then \
             `yeastar ycm pbx wait ID`"
        )));
    };
    match wait_for(&client, id, PbxStatus::Running, wait).await {
        Ok(pbx) => ctx.out().one(&pbx),
        // Created all the same, whatever ended the wait: the error names it, so that nobody
        // creates (and pays for) a second one.
        Err(e) => Err(e.with_hint(format!(
            "Cloud PBX {id} was created: do not create it again; wait for it with \
             `yeastar ycm pbx wait {id} --timeout 30m`"
        ))),
    }
}

/// Polls the status (a spinner on a terminal) until the PBX has `target`; a timeout says the
/// last status seen and exits 3.
async fn wait_for(client: &Client, id: u64, target: PbxStatus, w: WaitArgs) -> CliResult<CloudPbx> {
    let options = WaitOptions::new(w.timeout)
        .initial_interval(w.poll_interval)
        .max_interval(MAX_POLL_INTERVAL.max(w.poll_interval));
    let message = format!("waiting for Cloud PBX {id} to be {target}");
    let waited = progress::spin(message, client.cloud_pbxs().wait_for(id, target, options)).await;
    waited.map_err(|e| match e {
        WaitError::TimedOut {
            cloud_pbx_id,
            target,
            last_status,
            waited,
            ..
        } => {
            let last = last_status.map_or("none was read".to_owned(), |s| s.to_string());
            let waited = Duration::from_millis(u64::try_from(waited.as_millis()).unwrap_or(u64::MAX));
            CliError::new(
                EXIT_TRANSPORT,
                format!(
                    "Cloud PBX {cloud_pbx_id} is not {target} after {}: the last status seen is {last}",
                    humantime::format_duration(waited)
                ),
            )
            .with_hint(format!(
                "it may still get there: `yeastar ycm pbx wait {cloud_pbx_id} --timeout 30m`"
            ))
        }
        WaitError::Call(e) => e.into(),
        other => CliError::new(EXIT_API, other.to_string()),
    })
}

/// Read-modify-write through `CloudPbxs::modify`: the switches not given keep their value.
async fn update(ctx: &Ctx, a: YcmPbxUpdateArgs) -> CliResult {
    if let Some(name) = &a.name {
        validate::required("name", name)?;
    }
    let YcmPbxUpdateArgs {
        cloud_pbx_id,
        name,
        upgrade_in_pbx,
        im,
        logins,
        pbx_api,
        trunk_configuration_access,
    } = a;
    let switches = [
        upgrade_in_pbx,
        im,
        logins.passwordless_login,
        logins.allow_superior_passwordless_login,
        logins.provisioning_via_template,
        pbx_api,
        trunk_configuration_access,
    ];
    if name.is_none() && switches.iter().all(Option::is_none) {
        return Err(CliError::usage(
            "nothing to change: give --name or a switch (--im, --passwordless-login, …)",
        ));
    }
    let done = client(ctx)?
        .cloud_pbxs()
        .modify(cloud_pbx_id, move |u| {
            if let Some(n) = name {
                u.name = n;
            }
            let [upgrade, im, passwordless, superior, template, api, trunk] = switches.map(|s| s.map(Toggle::from));
            let fields = [
                (&mut u.upgrade_in_pbx, upgrade),
                (&mut u.im, im),
                (&mut u.passwordless_login, passwordless),
                (&mut u.allow_superior_passwordless_login, superior),
                (&mut u.provisioning_via_template, template),
                (&mut u.pbx_api, api),
                (&mut u.trunk_configuration_access, trunk),
            ];
            for (field, given) in fields {
                if given.is_some() {
                    *field = given;
                }
            }
        })
        .await?;
    ctx.out().one(&done)
}

/// Through `CloudPbxs::modify_capacity`: the capacities not given keep their value.
async fn resize(ctx: &Ctx, a: YcmPbxResizeArgs) -> CliResult {
    if a.extensions.is_none() && a.concurrent_calls.is_none() && a.recording.is_none() && a.recording_minutes.is_none()
    {
        return Err(CliError::usage(
            "nothing to change: give --extensions, --concurrent-calls, --recording or --recording-minutes",
        ));
    }
    let done = client(ctx)?
        .cloud_pbxs()
        .modify_capacity(a.cloud_pbx_id, |c| {
            if let Some(n) = a.extensions {
                c.extension_capacity = n;
            }
            if let Some(n) = a.concurrent_calls {
                c.concurrent_call_capacity = n;
            }
            if let Some(t) = a.recording {
                c.recording_status = t.into();
            }
            if let Some(n) = a.recording_minutes {
                c.recording_capacity = n;
            }
        })
        .await?;
    ctx.out().one(&done)
}

/// Without --add/--remove, the customers of the PBX; else adds, then removes (each a
/// read-modify-write of the list), and shows the list as read back with the writes' request ids.
async fn customers(ctx: &Ctx, cloud_pbx_id: u64, add: Vec<u64>, remove: Vec<u64>) -> CliResult {
    if let Some(both) = add.iter().find(|id| remove.contains(id)) {
        return Err(CliError::usage(format!(
            "customer {both} is given to both --add and --remove"
        )));
    }
    let client = client(ctx)?;
    let pbxs = client.cloud_pbxs();
    let mut request_ids = Vec::new();
    // Adding first: removing the last customers is refused, and an add may make room for it.
    // `Some` once an add was written (nothing is sent when every customer is there already),
    // with its request id.
    let mut added: Option<Option<String>> = None;
    if !add.is_empty() {
        let done = pbxs.add_customers(cloud_pbx_id, add.iter().copied()).await?;
        added = (done.request_id.is_some() || done.time.is_some()).then(|| done.request_id.clone());
        request_ids.extend(done.request_id);
    }
    if !remove.is_empty() {
        match pbxs.remove_customers(cloud_pbx_id, remove.iter().copied()).await {
            Ok(done) => request_ids.extend(done.request_id),
            // The add stands: say so, or a retry of the whole command looks like the first try.
            Err(e) if added.is_some() => {
                let list = |ids: &[u64]| ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
                let mut e = CliError::from(e);
                // Something was written: not the "nothing was sent" exit code 2.
                if e.code == 2 {
                    e.code = EXIT_API;
                }
                return Err(e.with_hint(format!(
                    "customers {} were added to Cloud PBX {cloud_pbx_id}{}; only the removal failed: \
                     `yeastar ycm pbx customers {cloud_pbx_id} --remove {}` tries it again",
                    list(&add),
                    added.flatten().map(|r| format!(" (request {r})")).unwrap_or_default(),
                    list(&remove)
                )));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let ids = pbxs.customers(cloud_pbx_id).await?;
    let writes = (!request_ids.is_empty()).then(|| json!(request_ids));
    ctx.out().one(&object([
        ("cloudPbxId", Some(json!(cloud_pbx_id))),
        ("customerIds", Some(json!(ids))),
        ("requestIds", writes),
    ]))
}

/// To the customers given, else to every customer of the PBX; prints the addresses.
async fn activation_email(ctx: &Ctx, cloud_pbx_id: u64, customer_ids: Vec<u64>) -> CliResult {
    let client = client(ctx)?;
    let pbxs = client.cloud_pbxs();
    let customer_ids = match customer_ids {
        ids if ids.is_empty() => pbxs.customers(cloud_pbx_id).await?,
        ids => ids,
    };
    let sent = pbxs.send_activation_emails(cloud_pbx_id, customer_ids).await?;
    let rows: Vec<Value> = sent.into_iter().map(|email| json!({ "email": email })).collect();
    ctx.out().list(&rows, columns::EMAIL)
}
