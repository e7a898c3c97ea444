//! Shared trunks (for a Cloud PBX's DIDs): `GET /dm/open_api/v1/shared_trunk/…`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::{opt_string, opt_u64};
use yeastar_transport::{Endpoint, Meta, Request, Result, api_enum};

use crate::client::Client;
use crate::envelope::{YcmEnvelope, u64_vec};
use crate::regions::Listing;

api_enum! {
    /// The type of a shared trunk.
    pub enum TrunkType {
        /// `register`.
        Register => "register",
        /// `did_based`.
        DidBased => "did_based",
        /// `port_based`.
        PortBased => "port_based",
    }
}

/// A shared trunk (`{id, name, type}`): the caller's own, or one its service provider
/// authorised.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedTrunk {
    /// The trunk id (`id`), the `trunkId` of a [`TrunkDidRelation`](crate::TrunkDidRelation).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// The trunk name.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The trunk type (`type`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub trunk_type: Option<TrunkType>,
}

/// `GET /dm/open_api/v1/shared_trunk/name/acl`: the shared trunks available to the caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListSharedTrunks;

impl Endpoint for ListSharedTrunks {
    type Envelope = YcmEnvelope;
    type Data = Option<Listing<SharedTrunk>>;
    type Output = Vec<SharedTrunk>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v1/shared_trunk/name/acl"))
    }

    fn output(data: Option<Listing<SharedTrunk>>, _: &Meta<'_>) -> Result<Vec<SharedTrunk>> {
        Ok(data.map(|l| l.0).unwrap_or_default())
    }
}

/// `GET /dm/open_api/v1/shared_trunk/pbx/used?cloudPbxId=…`: the shared trunks assigned to a
/// Cloud PBX (`data: {sharedTrunkIds}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetAssignedTrunks {
    cloud_pbx_id: u64,
}

impl GetAssignedTrunks {
    /// The trunks of Cloud PBX `cloud_pbx_id`.
    pub fn new(cloud_pbx_id: u64) -> Self {
        Self { cloud_pbx_id }
    }
}

/// `data: {sharedTrunkIds}`.
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedTrunkIds {
    #[serde(default, deserialize_with = "u64_vec")]
    shared_trunk_ids: Vec<u64>,
}

impl Endpoint for GetAssignedTrunks {
    type Envelope = YcmEnvelope;
    type Data = Option<SharedTrunkIds>;
    type Output = Vec<u64>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v1/shared_trunk/pbx/used").query("cloudPbxId", self.cloud_pbx_id))
    }

    fn output(data: Option<SharedTrunkIds>, _: &Meta<'_>) -> Result<Vec<u64>> {
        Ok(data.map(|d| d.shared_trunk_ids).unwrap_or_default())
    }
}

/// The shared trunks of a [`Client`] (see [`Client::shared_trunks`]).
#[derive(Clone, Copy)]
pub struct SharedTrunks<'a> {
    client: &'a Client,
}

impl fmt::Debug for SharedTrunks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedTrunks").finish_non_exhaustive()
    }
}

impl<'a> SharedTrunks<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// The shared trunks available to the caller (one answer, no paging).
    pub async fn list(&self) -> Result<Vec<SharedTrunk>> {
        self.client.send(&ListSharedTrunks).await
    }

    /// The ids of the shared trunks assigned to a Cloud PBX.
    pub async fn assigned(&self, cloud_pbx_id: u64) -> Result<Vec<u64>> {
        self.client.send(&GetAssignedTrunks::new(cloud_pbx_id)).await
    }
}
