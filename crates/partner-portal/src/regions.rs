//! The regions (and their PBX domains) a Cloud PBX can be ordered in:
//! `GET /product/openapi/instance/v1/region_list`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::opt_string;
use yeastar_transport::{Endpoint, Meta, Pages, Request, Result};

use crate::client::Client;
use crate::envelope::{ItemList, PpEnvelope};
use yeastar_transport::lenient::vec_or_null;

/// `GET` the region list.
pub const LIST_REGIONS_PATH: &str = "/product/openapi/instance/v1/region_list";

/// The domains of a region (`Domain_Info`): a [`PceOrder`](crate::PceOrder) takes
/// `pbxSubDomainId`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RegionDomain {
    /// The domain id (`pbxSubDomainId`, a String).
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub pbx_sub_domain_id: Option<String>,
    /// The domain names (`pbxSubDomain`).
    #[serde(deserialize_with = "vec_or_null")]
    pub pbx_sub_domain: Vec<String>,
}

/// A region (`Region_Info`). Its id is a **String** (YCM's region ids are integers; whether
/// they match is not documented).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Region {
    /// The region id (`id`), what a [`PceOrder`](crate::PceOrder) takes as `regionId`.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The region name.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its domains (`region`).
    #[serde(deserialize_with = "vec_or_null")]
    pub region: Vec<RegionDomain>,
}

/// `GET /product/openapi/instance/v1/region_list`: every region. No parameters, not paged. The
/// docs type the result as an object; an array, one object, and an object wrapping the list
/// are all read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListRegions {
    _private: (),
}

impl ListRegions {
    /// Every region.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Endpoint for ListRegions {
    type Envelope = PpEnvelope;
    type Data = ItemList<Region>;
    type Output = Vec<Region>;

    fn request(&self) -> Result<Request> {
        Ok(Request::get(LIST_REGIONS_PATH))
    }

    fn output(list: ItemList<Region>, _: &Meta<'_>) -> Result<Vec<Region>> {
        Ok(list.0)
    }
}

yeastar_transport::list_endpoint!(ListRegions => Region, unpaged);

/// The region list of a [`Client`] (see [`Client::regions`]).
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

    /// Every region and its domains; not paged: the stream reads one page.
    pub fn list(&self, query: ListRegions) -> Pages<Region> {
        self.client.pages(query)
    }
}
