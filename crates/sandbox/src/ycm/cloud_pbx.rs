//! YCM Cloud PBX instances: the lifecycle (create → `Provisioning` → `Running`, start →
//! `Starting` → `Running`, stop), capacity, customers, activation, DID bindings.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::customers::customer_not_found;
use super::data::{Data, Pbx, SWITCHES, Transition};
use super::webhook::{capacity_event, did_event};
use super::{Paging, ids, success};
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{JsonObject, PathParam, Q, opt_int, opt_str, req_str};
use crate::reply::{Answer, unix_now};

fn pbx_not_found(id: u64) -> ApiErr {
    ApiErr::new(404, Code::NotFound, format!("Cloud PBX {id} does not exist"))
}

fn refused(field: &str, message: impl Into<String>) -> ApiErr {
    ApiErr::invalid(field, "state", message)
}

impl Data {
    /// PBX `id`, its pending transition applied.
    fn pbx(&mut self, id: u64, now: Instant) -> Result<&mut Pbx, ApiErr> {
        let pbx = self.pbxs.get_mut(&id).ok_or_else(|| pbx_not_found(id))?;
        pbx.settle(now);
        Ok(pbx)
    }

    fn check_customers(&self, ids: &[u64]) -> Result<(), ApiErr> {
        match ids.iter().find(|id| !self.customers.contains_key(id)) {
            Some(id) => Err(customer_not_found(*id)),
            None => Ok(()),
        }
    }

    /// Checks `trunkDidRelations` for PBX `pbx` (`None` on create): each trunk available, each
    /// DID on that trunk and free (or already this PBX's). Returns the DID ids.
    fn check_relations(&self, relations: &[Value], pbx: Option<u64>) -> Result<Vec<u64>, ApiErr> {
        let mut out = Vec::new();
        for r in relations {
            let Some(r) = r.as_object() else {
                return Err(ApiErr::invalid(
                    "trunkDidRelations",
                    "object",
                    "each relation is {trunkId, didIds}",
                ));
            };
            let trunk = opt_int(r, "trunkId")?.ok_or_else(|| ApiErr::required("trunkId"))?;
            if !self.trunks.iter().any(|t| t.0 as i64 == trunk) {
                return Err(ApiErr::new(
                    404,
                    Code::NotFound,
                    format!("Shared trunk {trunk} does not exist"),
                ));
            }
            for id in ids(r, "didIds")? {
                let did = self
                    .dids
                    .get(&id)
                    .ok_or_else(|| ApiErr::new(404, Code::NotFound, format!("DID {id} does not exist")))?;
                if did.trunk_id as i64 != trunk {
                    return Err(refused("didIds", format!("DID {id} does not belong to trunk {trunk}")));
                }
                if did.cloud_pbx_id.is_some() && did.cloud_pbx_id != pbx {
                    return Err(refused("didIds", format!("DID {id} is assigned to another Cloud PBX")));
                }
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Binds exactly `dids` to PBX `pbx`.
    fn bind(&mut self, pbx: u64, dids: &[u64]) {
        for d in self.dids.values_mut() {
            if d.cloud_pbx_id == Some(pbx) {
                d.cloud_pbx_id = None;
            }
            if dids.contains(&d.id) {
                d.cloud_pbx_id = Some(pbx);
            }
        }
    }
}

/// An `Enabled`/`Disabled` switch.
fn switch(body: &Map<String, Value>, key: &str, required: bool) -> Result<Option<String>, ApiErr> {
    match opt_str(body, key)? {
        None if required => Err(ApiErr::required(key)),
        None => Ok(None),
        Some(v) if v == "Enabled" || v == "Disabled" => Ok(Some(v)),
        Some(_) => Err(ApiErr::invalid(
            key,
            "oneof",
            format!("{key} must be Enabled or Disabled"),
        )),
    }
}

fn count(body: &Map<String, Value>, key: &str) -> Result<i64, ApiErr> {
    match opt_int(body, key)? {
        None => Err(ApiErr::required(key)),
        Some(n) if n < 0 => Err(ApiErr::invalid(key, "min", format!("{key} must not be negative"))),
        Some(n) => Ok(n),
    }
}

/// The four capacities of create and resize: `(extensions, calls, recordingStatus, minutes)`.
fn capacity(body: &Map<String, Value>) -> Result<(i64, i64, String, i64), ApiErr> {
    Ok((
        count(body, "extensionCapacity")?,
        count(body, "concurrentCallCapacity")?,
        switch(body, "recordingStatus", true)?.unwrap_or_default(),
        count(body, "recordingCapacity")?,
    ))
}

/// The query of `GET /dm/open_api/v2/cloud_pbx/instances`.
#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    sort: Option<String>,
    search: Option<String>,
}

/// `GET /dm/open_api/v2/cloud_pbx/instances`: Query All the Cloud PBXs (pages of 10, at most
/// 50; `sort` `cloudPbxId`/`createTime`, ascending or descending, by create time when omitted;
/// `search` matches name, SN or URL, case-insensitive, the simulator's choice).
pub(super) async fn list(State(app): State<Arc<App>>, Q(q): Q<ListQuery>) -> Answer {
    let now = app.now();
    let mut db = app.db();
    let needle = q.search.unwrap_or_default().to_lowercase();
    let mut pbxs: Vec<&mut Pbx> = db.ycm.pbxs.values_mut().collect();
    for p in &mut pbxs {
        p.settle(now);
    }
    let mut found: Vec<&Pbx> = pbxs
        .into_iter()
        .map(|p| &*p)
        .filter(|p| {
            needle.is_empty()
                || [&p.name, &p.sn, &p.url]
                    .iter()
                    .any(|s| s.to_lowercase().contains(&needle))
        })
        .collect();
    let sort = q.sort.unwrap_or_default();
    let (field, descending) = match sort.strip_prefix('-') {
        Some(f) => (f, true),
        None => (sort.as_str(), false),
    };
    match field {
        "" | "createTime" => found.sort_by_key(|p| (p.create_time, p.id)),
        "cloudPbxId" => found.sort_by_key(|p| p.id),
        other => {
            return Err(ApiErr::invalid(
                "sort",
                "oneof",
                format!("Unsupported sort field: {other}"),
            ));
        }
    }
    if descending {
        found.reverse();
    }
    let list: Vec<Value> = found.iter().map(|p| p.to_json()).collect();
    let data = q.paging.page(&list)?;
    Ok(success(&mut db, Some(data)))
}

/// `GET /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}`: Query a Specific Cloud PBX.
pub(super) async fn get(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("cloudPbxId")?;
    let now = app.now();
    let mut db = app.db();
    let pbx = db.ycm.pbx(id, now)?.to_json();
    Ok(success(&mut db, Some(pbx)))
}

/// The query of `GET …/instances/get`.
#[derive(Debug, Deserialize)]
pub(super) struct UrlQuery {
    url: Option<String>,
}

/// `GET /dm/open_api/v1/cloud_pbx/instances/get?url=`: Query a Specific Cloud PBX by URL (the
/// host, with or without `https://`, case-insensitive).
pub(super) async fn get_by_url(State(app): State<Arc<App>>, Q(q): Q<UrlQuery>) -> Answer {
    let url = q
        .url
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| ApiErr::required("url"))?;
    let host = url.trim().to_lowercase();
    let host = host
        .split_once("://")
        .map_or(host.as_str(), |(_, h)| h)
        .trim_end_matches('/')
        .to_owned();
    let now = app.now();
    let mut db = app.db();
    let id = db
        .ycm
        .pbxs
        .values()
        .find(|p| p.url.eq_ignore_ascii_case(&host))
        .map(|p| p.id)
        .ok_or_else(|| ApiErr::new(404, Code::NotFound, format!("No Cloud PBX has the URL {url}")))?;
    let pbx = db.ycm.pbx(id, now)?.to_json();
    Ok(success(&mut db, Some(pbx)))
}

/// `GET …/instances/{cloudPbxId}/status`: Query the Status of a Cloud PBX.
pub(super) async fn status(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("cloudPbxId")?;
    let now = app.now();
    let mut db = app.db();
    let pbx = db.ycm.pbx(id, now)?;
    let data = json!({
        "cloudPbxId": pbx.id,
        "pbxStatus": pbx.status,
        "activationStatus": if pbx.activated { "Activated" } else { "Unactivated" },
    });
    Ok(success(&mut db, Some(data)))
}

/// `GET …/instances/{cloudPbxId}/activation_info`: the activation URL and code of an
/// unactivated Cloud PBX (an activated one is refused with 1000004, the simulator's choice).
pub(super) async fn activation_info(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("cloudPbxId")?;
    let now = app.now();
    let mut db = app.db();
    let pbx = db.ycm.pbx(id, now)?;
    if pbx.activated {
        return Err(refused("cloudPbxId", format!("Cloud PBX {id} is already activated")));
    }
    let data = json!({
        "cloudPbxId": pbx.id,
        "activationUrl": format!("https://{}/activate?code={}", pbx.url, pbx.activation_code),
        "activationCode": pbx.activation_code,
    });
    Ok(success(&mut db, Some(data)))
}

/// `GET …/instances/{cloudPbxId}/password_free_login_url`: a passwordless login URL.
pub(super) async fn login_url(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("cloudPbxId")?;
    let now = app.now();
    let mut db = app.db();
    let url = db.ycm.pbx(id, now)?.url.clone();
    let token = db.hex(16);
    Ok(success(
        &mut db,
        Some(json!({"passwordFreeLoginUrl": format!("https://{url}/login?ticket={token}")})),
    ))
}

/// `POST /dm/open_api/v1/cloud_pbx/instances`: Create a Cloud PBX. Every documented
/// required field is checked; the new PBX is `Provisioning` for the configured time, then
/// `Running`, `Unactivated`. Answers `data: {cloudPbxId}` (undocumented: the simulator's
/// choice, configurable). Fires "PCE Capacity Change", and "PCE DID Change" when DIDs are bound.
pub(super) async fn create(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let name = req_str(&body, "name")?;
    let plan = req_str(&body, "plan")?;
    if plan != "Enterprise Plan" && plan != "Ultimate Plan" {
        return Err(ApiErr::invalid(
            "plan",
            "oneof",
            "plan must be Enterprise Plan or Ultimate Plan",
        ));
    }
    let (extensions, calls, recording_status, recording) = capacity(&body)?;
    let transcription = match opt_int(&body, "transcriptionCapacity")? {
        Some(n) if n < 0 => return Err(ApiErr::invalid("transcriptionCapacity", "min", "must not be negative")),
        n => n.unwrap_or(0),
    };
    let region_id = count(&body, "regionId")? as u64;
    let sub_domain = req_str(&body, "subDomain")?;
    if !sub_domain.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(ApiErr::invalid(
            "subDomain",
            "subdomain",
            "subDomain may only contain numbers, letters and hyphens",
        ));
    }
    let domain_id = count(&body, "domainId")? as u64;
    let version_id = count(&body, "versionId")? as u64;
    let pbx_type = req_str(&body, "type")?;
    if pbx_type != "Trial" && pbx_type != "Commercial" {
        return Err(ApiErr::invalid("type", "oneof", "type must be Trial or Commercial"));
    }
    let expiration_date = opt_int(&body, "expirationDate")?;
    let allow_run = match body.get("allowRunAfterExpirationDate") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(ApiErr::invalid(
                "allowRunAfterExpirationDate",
                "boolean",
                "must be true or false",
            ));
        }
    };
    if expiration_date.is_some() && allow_run.is_none() {
        return Err(ApiErr::required("allowRunAfterExpirationDate"));
    }
    let customer_ids = ids(&body, "customerIds")?;
    let mut switches = BTreeMap::new();
    for (key, required) in [
        ("upgradeInPbx", true),
        ("im", true),
        ("passwordlessLogin", false),
        ("allowSuperiorPasswordlessLogin", false),
        ("provisioningViaTemplate", false),
    ] {
        if let Some(v) = switch(&body, key, required)? {
            switches.insert(key, v);
        }
    }
    let relations = match body.get("trunkDidRelations") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(r)) => r.clone(),
        Some(_) => {
            return Err(ApiErr::invalid(
                "trunkDidRelations",
                "array",
                "trunkDidRelations must be an array",
            ));
        }
    };

    let now = app.now();
    let (events, id) = {
        let mut db = app.db();
        let ycm = &mut db.ycm;
        let region = ycm
            .regions
            .iter()
            .find(|r| r.0 == region_id)
            .map(|r| r.1.clone())
            .ok_or_else(|| ApiErr::new(404, Code::NotFound, format!("Region {region_id} does not exist")))?;
        let domain = ycm
            .domains
            .iter()
            .find(|d| d.1 == domain_id)
            .ok_or_else(|| ApiErr::new(404, Code::NotFound, format!("Domain {domain_id} does not exist")))?;
        if domain.0 != region_id {
            return Err(refused(
                "domainId",
                format!("domainId {domain_id} is not a domain of region {region_id}"),
            ));
        }
        let url = format!("{}.{}", sub_domain.to_lowercase(), domain.2);
        let version = ycm
            .firmware
            .iter()
            .find(|f| f.0 == version_id)
            .ok_or_else(|| ApiErr::new(404, Code::NotFound, format!("Firmware {version_id} does not exist")))?;
        if !version.2.contains(&region_id) {
            return Err(refused(
                "versionId",
                format!("versionId {version_id} is not available in region {region_id}"),
            ));
        }
        let version = version.1.clone();
        if ycm.pbxs.values().any(|p| p.url.eq_ignore_ascii_case(&url)) {
            return Err(ApiErr::new(
                400,
                Code::DataAlreadyExists,
                format!("The URL {url} is already used"),
            ));
        }
        ycm.check_customers(&customer_ids)?;
        let dids = ycm.check_relations(&relations, None)?;
        let id = ycm.next_pbx_id;
        ycm.next_pbx_id += 1;
        let created = unix_now();
        let pbx = Pbx {
            id,
            status: "Provisioning",
            transition: Some(Transition {
                at: now + app.config.ycm_provisioning,
                to: "Running",
            }),
            activated: false,
            name,
            sn: format!("3658B4{id:010X}"),
            plan,
            plan_expiration_date: expiration_date.unwrap_or(created + 365 * 24 * 3600),
            extension_capacity: extensions,
            concurrent_call_capacity: calls,
            recording_status,
            recording_capacity: recording,
            transcription_addon: transcription,
            region,
            url,
            pbx_type,
            expiration_date,
            allow_run_after_expiration_date: allow_run,
            version,
            create_time: created,
            switches,
            customer_ids,
            activation_code: String::new(),
        };
        ycm.pbxs.insert(id, pbx);
        ycm.bind(id, &dids);
        let code = db.hex(4).to_uppercase();
        let ycm = &mut db.ycm;
        if let Some(p) = ycm.pbxs.get_mut(&id) {
            p.activation_code = code;
        }
        let mut events = vec![capacity_event(&ycm.pbxs[&id])];
        if !dids.is_empty() {
            events.push(did_event(ycm, id, "did_change"));
        }
        (events, id)
    };
    app.ycm_webhooks(events);
    let mut db = app.db();
    let data = app.config.ycm_create_answers_id.then(|| json!({"cloudPbxId": id}));
    Ok(success(&mut db, data))
}

/// `PUT /dm/open_api/v1/cloud_pbx/instances/{cloudPbxId}`: Update the Information of a Cloud
/// PBX: `name`, `upgradeInPbx`, `im`, `passwordlessLogin`, `allowSuperiorPasswordlessLogin`
/// required; `provisioningViaTemplate`, `pbxApi`, `trunkConfigurationAccess` optional.
pub(super) async fn update(State(app): State<Arc<App>>, id: PathParam, JsonObject(body): JsonObject) -> Answer {
    let id = id.number("cloudPbxId")?;
    let name = req_str(&body, "name")?;
    let mut values = Vec::new();
    for (i, key) in SWITCHES.iter().enumerate() {
        let required = i < 4;
        if let Some(v) = switch(&body, key, required)? {
            values.push((*key, v));
        }
    }
    let now = app.now();
    let mut db = app.db();
    let pbx = db.ycm.pbx(id, now)?;
    pbx.name = name;
    pbx.switches.extend(values);
    Ok(success(&mut db, None))
}

/// `PUT …/instances/{cloudPbxId}/start`: a stopped PBX is `Starting` for the configured time,
/// then `Running`; a running or starting one stays so; one being provisioned, upgraded or
/// restored is refused (1000004).
pub(super) async fn start(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("cloudPbxId")?;
    let now = app.now();
    let mut db = app.db();
    let pbx = db.ycm.pbx(id, now)?;
    match pbx.status {
        "Stopped" => {
            pbx.status = "Starting";
            pbx.transition = Some(Transition {
                at: now + app.config.ycm_starting,
                to: "Running",
            });
        }
        "Running" | "Starting" => {}
        other => {
            return Err(refused(
                "cloudPbxId",
                format!("Cloud PBX {id} is {other} and cannot be started"),
            ));
        }
    }
    Ok(success(&mut db, None))
}

/// `PUT …/instances/{cloudPbxId}/stop`: a running or starting PBX is `Stopped` at once; one
/// being provisioned, upgraded or restored is refused (1000004).
pub(super) async fn stop(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("cloudPbxId")?;
    let now = app.now();
    let mut db = app.db();
    let pbx = db.ycm.pbx(id, now)?;
    match pbx.status {
        "Running" | "Starting" | "Stopped" => {
            pbx.status = "Stopped";
            pbx.transition = None;
        }
        other => {
            return Err(refused(
                "cloudPbxId",
                format!("Cloud PBX {id} is {other} and cannot be stopped"),
            ));
        }
    }
    Ok(success(&mut db, None))
}

/// `PUT …/instances/{cloudPbxId}/capacity`: Resize a Cloud PBX (all four capacities
/// required; reducing the recording minutes is refused with 1000004). Fires "PCE Capacity
/// Change".
pub(super) async fn resize(State(app): State<Arc<App>>, id: PathParam, JsonObject(body): JsonObject) -> Answer {
    let id = id.number("cloudPbxId")?;
    let (extensions, calls, recording_status, recording) = capacity(&body)?;
    let now = app.now();
    let event = {
        let mut db = app.db();
        let pbx = db.ycm.pbx(id, now)?;
        if recording < pbx.recording_capacity {
            return Err(ApiErr::invalid(
                "recordingCapacity",
                "min",
                format!(
                    "NOT allowed to reduce the call recording minutes (now {})",
                    pbx.recording_capacity
                ),
            ));
        }
        pbx.extension_capacity = extensions;
        pbx.concurrent_call_capacity = calls;
        pbx.recording_status = recording_status;
        pbx.recording_capacity = recording;
        capacity_event(pbx)
    };
    app.ycm_webhooks(vec![event]);
    let mut db = app.db();
    Ok(success(&mut db, None))
}

/// `DELETE /dm/open_api/v1/cloud_pbx/instances` with `{cloudPbxIds}`: Delete Cloud PBXs, all
/// or nothing (a running PBX may be deleted: \[UNKNOWN\] in the docs). Their DIDs are freed;
/// a PBX that had DIDs fires "PCE DID Change" (`pce_delete`, listing the DIDs it had).
pub(super) async fn delete(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let ids = ids(&body, "cloudPbxIds")?;
    let events = {
        let mut db = app.db();
        if let Some(id) = ids.iter().find(|id| !db.ycm.pbxs.contains_key(id)) {
            return Err(pbx_not_found(*id));
        }
        let mut events = Vec::new();
        for id in &ids {
            if db.ycm.dids.values().any(|d| d.cloud_pbx_id == Some(*id)) {
                events.push(did_event(&db.ycm, *id, "pce_delete"));
                db.ycm.bind(*id, &[]);
            }
            db.ycm.pbxs.remove(id);
        }
        events
    };
    app.ycm_webhooks(events);
    let mut db = app.db();
    Ok(success(&mut db, None))
}

/// `GET …/instances/{cloudPbxId}/customers`: `data: {customerIds}`.
pub(super) async fn customers(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("cloudPbxId")?;
    let now = app.now();
    let mut db = app.db();
    let ids = db.ycm.pbx(id, now)?.customer_ids.clone();
    Ok(success(&mut db, Some(json!({"customerIds": ids}))))
}

/// `PUT …/instances/{cloudPbxId}/customers` with `{customerIds}`: replaces the customers
/// (at least one; each must exist).
pub(super) async fn update_customers(
    State(app): State<Arc<App>>,
    id: PathParam,
    JsonObject(body): JsonObject,
) -> Answer {
    let id = id.number("cloudPbxId")?;
    let ids = ids(&body, "customerIds")?;
    let now = app.now();
    let mut db = app.db();
    db.ycm.check_customers(&ids)?;
    db.ycm.pbx(id, now)?.customer_ids = ids;
    Ok(success(&mut db, None))
}

/// `POST …/instances/{cloudPbxId}/activation_email` with `{customerIds}`: answers the emails
/// "sent" (`data: {accountList}`); every customer must be associated with the PBX (1000004
/// otherwise, the simulator's choice).
pub(super) async fn activation_email(
    State(app): State<Arc<App>>,
    id: PathParam,
    JsonObject(body): JsonObject,
) -> Answer {
    let id = id.number("cloudPbxId")?;
    let ids = ids(&body, "customerIds")?;
    let now = app.now();
    let mut db = app.db();
    db.ycm.check_customers(&ids)?;
    let pbx = db.ycm.pbx(id, now)?.clone();
    if let Some(c) = ids.iter().find(|c| !pbx.customer_ids.contains(c)) {
        return Err(refused(
            "customerIds",
            format!("Customer {c} is not associated with Cloud PBX {id}"),
        ));
    }
    let accounts: Vec<String> = ids
        .iter()
        .filter_map(|c| db.ycm.customers.get(c).and_then(|c| c.get("email")).map(str::to_owned))
        .collect();
    Ok(success(&mut db, Some(json!({"accountList": accounts}))))
}

/// `PUT …/instances/{cloudPbxId}/did` with `{trunkDidRelations}`: replaces the DIDs bound to
/// the PBX (`[]` clears them). Fires "PCE DID Change" (`did_change`, the DIDs after the change).
pub(super) async fn update_dids(State(app): State<Arc<App>>, id: PathParam, JsonObject(body): JsonObject) -> Answer {
    let id = id.number("cloudPbxId")?;
    let relations = match body.get("trunkDidRelations") {
        Some(Value::Array(r)) => r.clone(),
        None | Some(Value::Null) => return Err(ApiErr::required("trunkDidRelations")),
        Some(_) => {
            return Err(ApiErr::invalid(
                "trunkDidRelations",
                "array",
                "trunkDidRelations must be an array",
            ));
        }
    };
    let now = app.now();
    let event = {
        let mut db = app.db();
        db.ycm.pbx(id, now)?;
        let dids = db.ycm.check_relations(&relations, Some(id))?;
        db.ycm.bind(id, &dids);
        did_event(&db.ycm, id, "did_change")
    };
    app.ycm_webhooks(vec![event]);
    let mut db = app.db();
    Ok(success(&mut db, None))
}
