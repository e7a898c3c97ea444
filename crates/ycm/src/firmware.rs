//! The PBX firmware a new Cloud PBX can run: `GET /dm/open_api/v1/firmware?type=pbx`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::{opt_string, opt_u64};
use yeastar_transport::{Endpoint, Meta, Request, Result};

use crate::client::Client;
use crate::envelope::{YcmEnvelope, u64_vec};
use crate::regions::Listing;

/// A firmware version (`{versionId, version, regionIds}`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FirmwareVersion {
    /// The version id (`versionId`), for [`Placement`](crate::Placement).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub version_id: Option<u64>,
    /// The version (e.g. `84.8.0.25`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The regions where it is available (`regionIds`).
    #[serde(default, deserialize_with = "u64_vec")]
    pub region_ids: Vec<u64>,
}

/// `GET /dm/open_api/v1/firmware?type=pbx`: the available P-Series Cloud PBX firmware,
/// optionally only in some regions (`regionIds`, comma-separated). `type` is always `pbx`, its
/// only valid value.
///
/// ```
/// use yeastar_ycm::ListFirmware;
/// // The doc example: type=pbx&regionIds=16.
/// let q = ListFirmware::new().region_ids([16]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFirmware {
    region_ids: Option<Vec<u64>>,
}

impl ListFirmware {
    /// Every available firmware.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the firmware of `region_ids` (`regionIds`; an empty list means all).
    pub fn region_ids(mut self, region_ids: impl IntoIterator<Item = u64>) -> Self {
        self.region_ids = Some(region_ids.into_iter().collect());
        self
    }
}

impl Endpoint for ListFirmware {
    type Envelope = YcmEnvelope;
    type Data = Option<Listing<FirmwareVersion>>;
    type Output = Vec<FirmwareVersion>;

    fn request(&self) -> Result<Request> {
        let request = Request::get("/dm/open_api/v1/firmware").query("type", "pbx");
        Ok(match self.region_ids.as_deref() {
            Some(ids) if !ids.is_empty() => request.query_list("regionIds", ids),
            _ => request,
        })
    }

    fn output(data: Option<Listing<FirmwareVersion>>, _: &Meta<'_>) -> Result<Vec<FirmwareVersion>> {
        Ok(data.map(|l| l.0).unwrap_or_default())
    }
}

/// The firmware lookup of a [`Client`] (see [`Client::firmware`]).
#[derive(Clone, Copy)]
pub struct Firmware<'a> {
    client: &'a Client,
}

impl fmt::Debug for Firmware<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Firmware").finish_non_exhaustive()
    }
}

impl<'a> Firmware<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// The available firmware (`GET /dm/open_api/v1/firmware`; one answer).
    pub async fn list(&self, query: ListFirmware) -> Result<Vec<FirmwareVersion>> {
        self.client.send(&query).await
    }
}
