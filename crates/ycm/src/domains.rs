//! The domains of a region: `GET /dm/open_api/v1/cluster/domains?regionIds=…`.

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::{opt_string, opt_u64};
use yeastar_transport::{Endpoint, Error, Meta, Request, Result};

use crate::client::Client;
use crate::envelope::YcmEnvelope;
use crate::regions::Listing;

/// A domain name a Cloud PBX URL can use (`{regionId, domainId, domain}`): the URL is the
/// sub-domain followed by `domain`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    /// The region (`regionId`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub region_id: Option<u64>,
    /// The domain id (`domainId`), for [`Placement`](crate::Placement).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub domain_id: Option<u64>,
    /// The domain name (`domain`, e.g. `test.yeastarcloud.com`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// `GET /dm/open_api/v1/cluster/domains?regionIds=3,4`: the domain names available in the
/// given regions (`regionIds` required, at least one; checked before sending).
///
/// ```
/// use yeastar_ycm::ListDomains;
/// // The doc example.
/// let q = ListDomains::new([3, 4]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDomains {
    region_ids: Vec<u64>,
}

impl ListDomains {
    /// The domains of `region_ids`.
    pub fn new(region_ids: impl IntoIterator<Item = u64>) -> Self {
        Self {
            region_ids: region_ids.into_iter().collect(),
        }
    }
}

impl Endpoint for ListDomains {
    type Envelope = YcmEnvelope;
    type Data = Option<Listing<Domain>>;
    type Output = Vec<Domain>;

    fn request(&self) -> Result<Request> {
        if self.region_ids.is_empty() {
            return Err(Error::invalid_input("regionIds", "at least one region id is required"));
        }
        Ok(Request::get("/dm/open_api/v1/cluster/domains").query_list("regionIds", &self.region_ids))
    }

    fn output(data: Option<Listing<Domain>>, _: &Meta<'_>) -> Result<Vec<Domain>> {
        Ok(data.map(|l| l.0).unwrap_or_default())
    }
}

/// The domain names of a [`Client`] (see [`Client::domains`]).
#[derive(Clone, Copy)]
pub struct Domains<'a> {
    client: &'a Client,
}

impl fmt::Debug for Domains<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Domains").finish_non_exhaustive()
    }
}

impl<'a> Domains<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// The domain names of some regions (`GET /dm/open_api/v1/cluster/domains`; one answer).
    pub async fn list(&self, query: ListDomains) -> Result<Vec<Domain>> {
        self.client.send(&query).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_ids_are_comma_separated_and_required() {
        let r = ListDomains::new([3, 4]).request().unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/dm/open_api/v1/cluster/domains?regionIds=3,4"
        );
        assert!(matches!(
            ListDomains::new([]).request(),
            Err(Error::InvalidInput { .. })
        ));
    }
}
