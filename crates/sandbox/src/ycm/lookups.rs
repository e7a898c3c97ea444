//! The lookups for a Cloud PBX: regions, domains, firmware, shared trunks, DIDs.

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::success;
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{PathParam, Q};
use crate::reply::Answer;

/// Reads a comma-separated id list (`regionIds=3,4`).
fn id_list(key: &str, value: &str) -> Result<Vec<u64>, ApiErr> {
    value
        .split(',')
        .map(|v| v.trim().parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ApiErr::invalid(key, "number", format!("{key} must be comma-separated integers")))
}

fn number(key: &str, value: Option<&str>) -> Result<Option<u64>, ApiErr> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse()
                .map_err(|_| ApiErr::invalid(key, "number", format!("{key} must be an integer")))
        })
        .transpose()
}

/// `GET /dm/open_api/v1/cluster/regions`: Query Available Regions (`data` is an array).
pub(super) async fn regions(State(app): State<Arc<App>>) -> Answer {
    let mut db = app.db();
    let list: Vec<Value> = db
        .ycm
        .regions
        .iter()
        .map(|(id, name)| json!({"regionId": id, "region": name}))
        .collect();
    Ok(success(&mut db, Some(Value::Array(list))))
}

/// The query of `GET /dm/open_api/v1/cluster/domains`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DomainsQuery {
    region_ids: Option<String>,
}

/// `GET /dm/open_api/v1/cluster/domains?regionIds=3,4`: Query Available Domain Names
/// (`regionIds` required, comma-separated).
pub(super) async fn domains(State(app): State<Arc<App>>, Q(q): Q<DomainsQuery>) -> Answer {
    let raw = q
        .region_ids
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiErr::required("regionIds"))?;
    let regions = id_list("regionIds", &raw)?;
    let mut db = app.db();
    let list: Vec<Value> = db
        .ycm
        .domains
        .iter()
        .filter(|d| regions.contains(&d.0))
        .map(|(r, d, name)| json!({"regionId": r, "domainId": d, "domain": name}))
        .collect();
    Ok(success(&mut db, Some(Value::Array(list))))
}

/// The query of `GET /dm/open_api/v1/firmware`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct FirmwareQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    region_ids: Option<String>,
}

/// `GET /dm/open_api/v1/firmware?type=pbx&regionIds=16`: Query Available Firmwares (`type`
/// required, only `pbx`; `regionIds` optional).
pub(super) async fn firmware(State(app): State<Arc<App>>, Q(q): Q<FirmwareQuery>) -> Answer {
    match q.kind.as_deref() {
        Some("pbx") => {}
        None | Some("") => return Err(ApiErr::required("type")),
        Some(_) => return Err(ApiErr::invalid("type", "oneof", "type must be pbx")),
    }
    let regions = match q.region_ids.as_deref().filter(|r| !r.is_empty()) {
        Some(raw) => Some(id_list("regionIds", raw)?),
        None => None,
    };
    let mut db = app.db();
    let list: Vec<Value> = db
        .ycm
        .firmware
        .iter()
        .filter(|f| regions.as_ref().is_none_or(|r| r.iter().any(|id| f.2.contains(id))))
        .map(|(id, version, regions)| json!({"versionId": id, "version": version, "regionIds": regions}))
        .collect();
    Ok(success(&mut db, Some(Value::Array(list))))
}

/// `GET /dm/open_api/v1/shared_trunk/name/acl`: Query Available Shared Trunks.
pub(super) async fn shared_trunks(State(app): State<Arc<App>>) -> Answer {
    let mut db = app.db();
    let list: Vec<Value> = db
        .ycm
        .trunks
        .iter()
        .map(|(id, name, kind)| json!({"id": id, "name": name, "type": kind}))
        .collect();
    Ok(success(&mut db, Some(Value::Array(list))))
}

/// The query of `GET /dm/open_api/v1/shared_trunk/pbx/used`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UsedQuery {
    cloud_pbx_id: Option<String>,
}

/// `GET /dm/open_api/v1/shared_trunk/pbx/used?cloudPbxId=`: the trunks of the DIDs bound to a
/// Cloud PBX (`data: {sharedTrunkIds}`).
pub(super) async fn used_trunks(State(app): State<Arc<App>>, Q(q): Q<UsedQuery>) -> Answer {
    let id = number("cloudPbxId", q.cloud_pbx_id.as_deref())?.ok_or_else(|| ApiErr::required("cloudPbxId"))?;
    let mut db = app.db();
    if !db.ycm.pbxs.contains_key(&id) {
        return Err(ApiErr::new(
            404,
            Code::NotFound,
            format!("Cloud PBX {id} does not exist"),
        ));
    }
    let mut trunks: Vec<u64> = db
        .ycm
        .dids
        .values()
        .filter(|d| d.cloud_pbx_id == Some(id))
        .map(|d| d.trunk_id)
        .collect();
    trunks.sort_unstable();
    trunks.dedup();
    Ok(success(&mut db, Some(json!({"sharedTrunkIds": trunks}))))
}

/// The query of `GET /dm/open_api/v1/did_management/usable`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UsableQuery {
    trunk_id: Option<String>,
    cloud_pbx_id: Option<String>,
    user_id: Option<String>,
}

/// `GET /dm/open_api/v1/did_management/usable?trunkId=&cloudPbxId=` (or `&userId=`): the
/// trunk's DIDs that are free (or already the PBX's), as an array like the doc example.
pub(super) async fn usable_dids(State(app): State<Arc<App>>, Q(q): Q<UsableQuery>) -> Answer {
    let trunk = number("trunkId", q.trunk_id.as_deref())?.ok_or_else(|| ApiErr::required("trunkId"))?;
    let pbx = number("cloudPbxId", q.cloud_pbx_id.as_deref())?;
    number("userId", q.user_id.as_deref())?;
    let mut db = app.db();
    if db.ycm.trunk_name(trunk).is_none() {
        return Err(ApiErr::new(
            404,
            Code::NotFound,
            format!("Shared trunk {trunk} does not exist"),
        ));
    }
    let list: Vec<Value> = db
        .ycm
        .dids
        .values()
        .filter(|d| d.trunk_id == trunk && (d.cloud_pbx_id.is_none() || (pbx.is_some() && d.cloud_pbx_id == pbx)))
        .map(|d| json!({"id": d.id, "did": d.did, "didName": d.did_name}))
        .collect();
    Ok(success(&mut db, Some(Value::Array(list))))
}

/// `GET /dm/open_api/v1/did_management/{cloudPbxId}/did`: the DIDs bound to a Cloud PBX
/// (`data: {didIds}`; without the doc example's repeated ids).
pub(super) async fn assigned_dids(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("cloudPbxId")?;
    let mut db = app.db();
    if !db.ycm.pbxs.contains_key(&id) {
        return Err(ApiErr::new(
            404,
            Code::NotFound,
            format!("Cloud PBX {id} does not exist"),
        ));
    }
    let ids: Vec<u64> = db
        .ycm
        .dids
        .values()
        .filter(|d| d.cloud_pbx_id == Some(id))
        .map(|d| d.id)
        .collect();
    Ok(success(&mut db, Some(json!({"didIds": ids}))))
}
