//! DID numbers of shared trunks: `GET /dm/open_api/v1/did_management/…`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use yeastar_transport::lenient::{opt_string, opt_u64};
use yeastar_transport::{Endpoint, Error, Meta, Request, Result};

use crate::client::Client;
use crate::envelope::{YcmEnvelope, u64_vec};

/// A DID number that can be assigned (`{id, did, didName}`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsableDid {
    /// The DID's id (`id`), for a [`TrunkDidRelation`](crate::TrunkDidRelation).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// The number (`did`, `+xxx` or `xxx`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub did: Option<String>,
    /// Its name (`didName`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub did_name: Option<String>,
}

/// `GET /dm/open_api/v1/did_management/usable?trunkId=…`: the DIDs of a shared trunk that can
/// be assigned, to a Cloud PBX (`cloudPbxId`) or to a subordinate user (`userId`); at most one
/// of the two (checked before sending).
///
/// The doc types `data` as one object, but its example answers an array; both are read.
///
/// ```
/// use yeastar_ycm::ListUsableDids;
/// // The doc example: trunk 112129, PBX 358868.
/// let q = ListUsableDids::new(112129).cloud_pbx_id(358868);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListUsableDids {
    trunk_id: u64,
    cloud_pbx_id: Option<u64>,
    user_id: Option<u64>,
}

impl ListUsableDids {
    /// The assignable DIDs of trunk `trunk_id`.
    pub fn new(trunk_id: u64) -> Self {
        Self {
            trunk_id,
            cloud_pbx_id: None,
            user_id: None,
        }
    }

    yeastar_transport::setters! {
        /// DIDs assignable to this Cloud PBX.
        cloud_pbx_id = u64 => "cloudPbxId",
        /// DIDs assignable to this subordinate user.
        user_id = u64 => "userId",
    }
}

/// `data` as an array of DIDs or as one DID.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct OneOrMany(Option<Value>);

impl Endpoint for ListUsableDids {
    type Envelope = YcmEnvelope;
    type Data = OneOrMany;
    type Output = Vec<UsableDid>;

    fn request(&self) -> Result<Request> {
        if self.cloud_pbx_id.is_some() && self.user_id.is_some() {
            return Err(Error::invalid_input(
                "userId",
                "give either cloudPbxId or userId, not both",
            ));
        }
        Ok(Request::get("/dm/open_api/v1/did_management/usable")
            .query("trunkId", self.trunk_id)
            .query_opt("cloudPbxId", self.cloud_pbx_id)
            .query_opt("userId", self.user_id))
    }

    fn output(data: OneOrMany, meta: &Meta<'_>) -> Result<Vec<UsableDid>> {
        let items = match data.0 {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(one) => vec![one],
        };
        serde_json::from_value(Value::Array(items)).map_err(|e| meta.decode_error("", e.to_string()))
    }
}

/// `GET /dm/open_api/v1/did_management/{cloudPbxId}/did`: the ids of the DIDs assigned to a
/// Cloud PBX (`data: {didIds}`), as YCM lists them (the doc example repeats ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetAssignedDids {
    cloud_pbx_id: u64,
}

impl GetAssignedDids {
    /// The DIDs of Cloud PBX `cloud_pbx_id`.
    pub fn new(cloud_pbx_id: u64) -> Self {
        Self { cloud_pbx_id }
    }
}

/// `data: {didIds}`.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidIds {
    #[serde(default, deserialize_with = "u64_vec")]
    did_ids: Vec<u64>,
}

impl Endpoint for GetAssignedDids {
    type Envelope = YcmEnvelope;
    type Data = Option<DidIds>;
    type Output = Vec<u64>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v1/did_management/{cloudPbxId}/did").path_param("cloudPbxId", self.cloud_pbx_id))
    }

    fn output(data: Option<DidIds>, _: &Meta<'_>) -> Result<Vec<u64>> {
        Ok(data.map(|d| d.did_ids).unwrap_or_default())
    }
}

/// The DID lookups of a [`Client`] (see [`Client::dids`]). To bind DIDs to a Cloud PBX, see
/// [`CloudPbxs::update_dids`](crate::CloudPbxs::update_dids).
#[derive(Clone, Copy)]
pub struct Dids<'a> {
    client: &'a Client,
}

impl fmt::Debug for Dids<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dids").finish_non_exhaustive()
    }
}

impl<'a> Dids<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// The assignable DIDs of a shared trunk (one answer, no paging).
    pub async fn usable(&self, query: ListUsableDids) -> Result<Vec<UsableDid>> {
        self.client.send(&query).await
    }

    /// The ids of the DIDs assigned to a Cloud PBX.
    pub async fn assigned(&self, cloud_pbx_id: u64) -> Result<Vec<u64>> {
        self.client.send(&GetAssignedDids::new(cloud_pbx_id)).await
    }
}
