//! The country list: `GET /user/openapi/area/v1/page` (country names are what
//! [`CreateUser`](crate::CreateUser) takes).

use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient::{opt_i64, opt_string};
use yeastar_transport::{Endpoint, Meta, Pages, Request, Result};

use crate::client::Client;
use crate::envelope::{DEFAULT_PAGE_SIZE, PagedList, PpEnvelope, check_page};

/// `GET` one page of the country list.
pub const LIST_COUNTRIES_PATH: &str = "/user/openapi/area/v1/page";

yeastar_transport::api_enum! {
    /// The order of the country list (`sort`).
    pub enum CountrySort {
        /// `name`: by name, ascending.
        Name => "name",
        /// `-name`: by name, descending.
        NameDesc => "-name",
    }
}

/// A country.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Country {
    /// Id (an integer; a numeric string is accepted too).
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Country code.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Name, as [`CreateUser`](crate::CreateUser) expects it.
    #[serde(deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One page of the country list.
pub type CountryPage = PagedList<Country>;

/// `GET /user/openapi/area/v1/page?pageNo&pageSize&sort&name`: countries, one page per
/// request. [`Countries::list`] reads every page lazily, [`DEFAULT_PAGE_SIZE`] (25) at a time
/// unless set.
///
/// `pageNo` starts at 1 and `pageSize` at 1 (Partner Portal documents no maximum): 0 is
/// refused with [`Error::InvalidInput`](yeastar_transport::Error::InvalidInput) before anything
/// is sent. A `result` of `null` reads as an empty page.
///
/// ```
/// use yeastar_partner_portal::{CountrySort, ListCountries};
/// let q = ListCountries::new().name("Ch").sort(CountrySort::Name).page_size(50);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCountries {
    page_no: Option<u32>,
    page_size: Option<u32>,
    sort: Option<CountrySort>,
    name: Option<String>,
}

impl ListCountries {
    /// Every country, in the server's order.
    pub fn new() -> Self {
        Self::default()
    }

    yeastar_transport::setters! {
        /// 1-based; for a listing, the first page read.
        page_no = u32 => "pageNo",
        /// At least 1 (default 25).
        page_size = u32 => "pageSize",
        sort: CountrySort => "sort",
        /// A name filter; empty lists every country.
        name: String => "name",
    }
}

impl Endpoint for ListCountries {
    type Envelope = PpEnvelope;
    type Data = Option<CountryPage>;
    type Output = CountryPage;

    fn request(&self) -> Result<Request> {
        check_page(self.page_no, self.page_size)?;
        Ok(Request::get(LIST_COUNTRIES_PATH)
            .query_opt("pageNo", self.page_no)
            .query_opt("pageSize", self.page_size)
            .query_opt("sort", self.sort.as_ref())
            .query_opt("name", self.name.as_deref().filter(|n| !n.is_empty())))
    }

    fn output(page: Option<CountryPage>, _: &Meta<'_>) -> Result<CountryPage> {
        Ok(page.unwrap_or_default())
    }
}

yeastar_transport::list_endpoint!(ListCountries => Country, paged(page_no, page_size, DEFAULT_PAGE_SIZE));

/// The country list of a [`Client`] (see [`Client::countries`]).
#[derive(Clone, Copy)]
pub struct Countries<'a> {
    client: &'a Client,
}

impl fmt::Debug for Countries<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Countries").finish_non_exhaustive()
    }
}

impl<'a> Countries<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Every country matching `query`, as a lazy stream read page by page
    /// (`GET /user/openapi/area/v1/page`): a page is requested only when the previous one has
    /// been consumed. It stops after the last page (by `total`, `totalPage`, or a short or
    /// empty page) and fails with [`Error::Paging`](yeastar_transport::Error::Paging) when the
    /// server returns a page other than the one asked for, or never ends.
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_partner_portal::Client) -> yeastar_partner_portal::Result<()> {
    /// use yeastar_partner_portal::ListCountries;
    /// let names: Vec<String> = client
    ///     .countries()
    ///     .list(ListCountries::new().page_size(100))
    ///     .try_collect()
    ///     .await?
    ///     .into_iter()
    ///     .filter_map(|c| c.name)
    ///     .collect();
    /// # Ok(()) }
    /// ```
    pub fn list(&self, query: ListCountries) -> Pages<Country> {
        self.client.pages(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yeastar_transport::Error;

    #[test]
    fn query_string() {
        let r = ListCountries::new()
            .page_no(2)
            .page_size(50)
            .sort(CountrySort::NameDesc)
            .name("Ch ina")
            .request()
            .unwrap();
        assert_eq!(
            r.path_and_query().unwrap(),
            "/user/openapi/area/v1/page?pageNo=2&pageSize=50&sort=-name&name=Ch+ina"
        );
        assert_eq!(
            ListCountries::new()
                .name("")
                .request()
                .unwrap()
                .path_and_query()
                .unwrap(),
            LIST_COUNTRIES_PATH
        );
        for bad in [ListCountries::new().page_no(0), ListCountries::new().page_size(0)] {
            assert!(matches!(bad.request(), Err(Error::InvalidInput { .. })));
        }
        assert_eq!(CountrySort::NameDesc.as_str(), "-name");
        assert_eq!(CountrySort::from("id"), CountrySort::Unknown("id".into()));
    }
}
