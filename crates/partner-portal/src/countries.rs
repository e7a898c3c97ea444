//! The country list (country names are what [`CreateUser`](crate::users::CreateUser) takes).

use serde::{Deserialize, Serialize};
use yeastar_transport::lenient;
use yeastar_transport::{Endpoint, Error, Page, Pages, Payload, Product, Request, Result};

use crate::client::Client;
use crate::envelope::PpEnvelope;

/// `GET` one page of the country list.
pub const LIST_COUNTRIES_PATH: &str = "/user/openapi/area/v1/page";

/// The API's default page size (25).
pub const DEFAULT_PAGE_SIZE: u64 = 25;

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
    #[serde(deserialize_with = "lenient::opt_i64", skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Country code.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Name, as [`CreateUser`](crate::users::CreateUser) expects it.
    #[serde(deserialize_with = "lenient::opt_string", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One page of the country list, as returned.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CountryPage {
    /// `count`: the number of matching countries (in the docs' example equal to `total`).
    #[serde(deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// `pageNo`: this page's number (1-based).
    #[serde(deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub page_no: Option<u64>,
    /// `pageSize`.
    #[serde(deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u64>,
    /// `results`: the countries on this page.
    #[serde(deserialize_with = "results")]
    pub results: Vec<Country>,
    /// `total`: the number of matching countries.
    #[serde(deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// `totalPage`: the number of pages.
    #[serde(deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub total_page: Option<u64>,
}

fn results<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<Country>, D::Error> {
    Ok(Option::<Vec<Country>>::deserialize(d)?.unwrap_or_default())
}

impl CountryPage {
    /// The page in the transport's paging shape.
    fn into_page(self) -> Page<Country> {
        Page::new(self.results)
            .with_page_no(self.page_no)
            .with_total(self.total.or(self.count))
            .with_total_pages(self.total_page)
    }
}

/// Query one page of the country list: `GET /user/openapi/area/v1/page?pageNo&pageSize&sort&name`.
///
/// For every page, use [`Countries::list`], which returns a lazy stream.
///
/// ```
/// use yeastar_partner_portal::countries::{CountrySort, ListCountries};
/// let q = ListCountries::new().name("Ch").sort(CountrySort::Name).page_size(50);
/// assert_eq!((q.page_no, q.page_size), (1, 50));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCountries {
    /// `pageNo` (1-based; default 1). For [`Countries::list`], the first page read.
    pub page_no: u64,
    /// `pageSize` (default 25).
    pub page_size: u64,
    /// `sort`; unset leaves the server's order.
    pub sort: Option<CountrySort>,
    /// `name`: a name filter; unset or empty lists every country.
    pub name: Option<String>,
}

impl Default for ListCountries {
    fn default() -> Self {
        Self::new()
    }
}

impl ListCountries {
    /// The first page of 25 countries, unfiltered.
    pub fn new() -> Self {
        Self {
            page_no: 1,
            page_size: DEFAULT_PAGE_SIZE,
            sort: None,
            name: None,
        }
    }

    /// Sets `pageNo` (1-based).
    pub fn page_no(mut self, page_no: u64) -> Self {
        self.page_no = page_no;
        self
    }

    /// Sets `pageSize`.
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = page_size;
        self
    }

    /// Sets `sort`.
    pub fn sort(mut self, sort: CountrySort) -> Self {
        self.sort = Some(sort);
        self
    }

    /// Sets the `name` filter.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

impl Endpoint for ListCountries {
    type Envelope = PpEnvelope;
    type Output = CountryPage;

    fn request(&self) -> Result<Request> {
        if self.page_no == 0 {
            return Err(Error::invalid_input("pageNo", "pages are numbered from 1"));
        }
        if self.page_size == 0 {
            return Err(Error::invalid_input("pageSize", "must be at least 1"));
        }
        Ok(Request::get(LIST_COUNTRIES_PATH)
            .query("pageNo", self.page_no)
            .query("pageSize", self.page_size)
            .query_opt("sort", self.sort.as_ref())
            .query_opt("name", self.name.as_deref().filter(|n| !n.is_empty())))
    }

    fn decode(payload: Payload<'_>) -> Result<CountryPage> {
        payload.json()
    }
}

/// Country-list operations; from [`Client::countries`].
#[derive(Debug, Clone, Copy)]
pub struct Countries<'a> {
    client: &'a Client,
}

impl<'a> Countries<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// One page of the country list.
    pub async fn page(&self, query: ListCountries) -> Result<CountryPage> {
        self.client.send(&query).await
    }

    /// Every country matching `query`, from page `query.page_no` on, as a lazy stream: a page is
    /// requested only when the previous one has been consumed.
    ///
    /// [`Pages`] is a `Stream` of pages; [`Pages::items`] flattens it into a `Stream` of
    /// countries, and [`Pages::try_collect`] reads them all. It stops after the last page
    /// (by `totalPage`, `total`, or a short or empty page) and fails with
    /// [`Error::Paging`] when the server keeps answering past the total it reported, returns a
    /// page other than the one asked for, or never ends (cap: [`Pages::max_pages`]).
    ///
    /// ```no_run
    /// # async fn demo(client: yeastar_partner_portal::Client) -> yeastar_partner_portal::Result<()> {
    /// use yeastar_partner_portal::countries::ListCountries;
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
        let client = self.client.clone();
        let (first, size) = (query.page_no, query.page_size);
        // `Pages` would quietly read page 0 as page 1: report bad input as the first item instead.
        let mut invalid = query.request().err();
        Pages::new(Product::PartnerPortal, first, size, move |page_no| {
            let client = client.clone();
            let invalid = invalid.take();
            let query = ListCountries {
                page_no,
                ..query.clone()
            };
            async move {
                if let Some(e) = invalid {
                    return Err(e);
                }
                client.send(&query).await.map(CountryPage::into_page)
            }
        })
    }
}
