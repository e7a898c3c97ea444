//! The regions a Cloud PBX can run in: `GET /dm/open_api/v1/cluster/regions`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::{opt_string, opt_u64};
use yeastar_transport::{Endpoint, Meta, Request, Result};

use crate::client::Client;
use crate::envelope::YcmEnvelope;
use yeastar_transport::lenient::vec_or_null;

/// A region (`{regionId, region}`), for [`Placement`](crate::Placement).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    /// The region id (`regionId`, an Integer).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub region_id: Option<u64>,
    /// The region name (`region`, e.g. `India(Mumbai)`): what [`CloudPbx::region`](crate::CloudPbx::region) shows.
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// `GET /dm/open_api/v1/cluster/regions`: the available regions (no parameters; `data` is an
/// array, not a page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListRegions;

impl ListRegions {
    /// Every available region.
    pub fn new() -> Self {
        Self
    }
}

/// The array `data` of a lookup (`null` reads as empty).
#[doc(hidden)]
#[derive(Debug, Deserialize)]
#[serde(transparent, bound(deserialize = "T: Deserialize<'de>"))]
pub struct Listing<T>(#[serde(deserialize_with = "vec_or_null")] pub(crate) Vec<T>);

impl Endpoint for ListRegions {
    type Envelope = YcmEnvelope;
    type Data = Option<Listing<Region>>;
    type Output = Vec<Region>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get("/dm/open_api/v1/cluster/regions"))
    }

    fn output(data: Option<Listing<Region>>, _: &Meta<'_>) -> Result<Vec<Region>> {
        Ok(data.map(|l| l.0).unwrap_or_default())
    }
}

/// The regions of a [`Client`] (see [`Client::regions`]).
#[derive(Clone, Copy)]
pub struct Regions<'a> {
    client: &'a Client,
}

impl fmt::Debug for Regions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Regions").finish_non_exhaustive()
    }
}

impl<'a> Regions<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Every available region (`GET /dm/open_api/v1/cluster/regions`; one answer, no paging).
    pub async fn list(&self) -> Result<Vec<Region>> {
        self.client.send(&ListRegions).await
    }
}
