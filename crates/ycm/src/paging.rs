//! YCM paging: `pageSize` (max 50), `pageNumber` (1-based), `sort`, and the answer
//! `data: {pageSize, pageNumber, total, list}`.

use std::fmt;

use serde::Deserialize;
use yeastar_transport::{Endpoint, Page, Pages, Product};

use crate::client::Client;
use crate::envelope::YcmEnvelope;
use crate::serde_util::vec_or_null;
use yeastar_transport::lenient::opt_u64;

/// The largest page YCM serves. Larger requested sizes are clamped to it (and 0 to 1).
pub const MAX_PAGE_SIZE: u32 = 50;

/// The page size the lazy listings use when the caller sets none: the maximum, so that a
/// full listing takes as few requests as possible (YCM's own default is 10).
pub const DEFAULT_STREAM_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

pub(crate) fn clamp_page_size(size: u32) -> u32 {
    size.clamp(1, MAX_PAGE_SIZE)
}

/// One page of a YCM listing.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct PagedList<T> {
    /// The page size the server applied (`pageSize`).
    #[serde(default, deserialize_with = "opt_u64")]
    pub page_size: Option<u64>,
    /// The page number (`pageNumber`, 1-based).
    #[serde(default, deserialize_with = "opt_u64")]
    pub page_number: Option<u64>,
    /// The number of items in the whole listing (`total`).
    #[serde(default, deserialize_with = "opt_u64")]
    pub total: Option<u64>,
    /// The items of this page (`list`; absent or `null` reads as empty).
    #[serde(default = "Vec::new", deserialize_with = "vec_or_null")]
    pub list: Vec<T>,
}

/// A sort order for listings: `field` ascending or `-field` descending (e.g. `userId`).
///
/// ```
/// use yeastar_ycm::Sort;
/// assert_eq!(Sort::descending("userId").to_string(), "-userId");
/// assert_eq!(Sort::from("-userId"), Sort::descending("userId"));
/// assert_eq!(Sort::from("userId").to_string(), "userId");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sort {
    field: String,
    descending: bool,
}

impl Sort {
    /// Ascending by `field` (API name, e.g. `userId`).
    pub fn ascending(field: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            descending: false,
        }
    }

    /// Descending by `field` (API name, e.g. `userId`).
    pub fn descending(field: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            descending: true,
        }
    }

    /// The field.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Whether the order is descending.
    pub fn is_descending(&self) -> bool {
        self.descending
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.descending {
            f.write_str("-")?;
        }
        f.write_str(&self.field)
    }
}

impl From<&str> for Sort {
    /// Reads the API notation: a leading `-` means descending.
    fn from(s: &str) -> Self {
        match s.strip_prefix('-') {
            Some(field) => Sort::descending(field),
            None => Sort::ascending(s),
        }
    }
}

/// A lazy listing: `make(page_no)` builds the endpoint for one page.
pub(crate) fn pages<E, T, F>(client: &Client, first_page: u32, page_size: u32, make: F) -> Pages<T>
where
    E: Endpoint<Envelope = YcmEnvelope, Output = PagedList<T>> + 'static,
    T: Send + 'static,
    F: Fn(u32) -> E + Send + 'static,
{
    let client = client.clone();
    Pages::new(
        Product::Ycm,
        u64::from(first_page),
        u64::from(page_size),
        move |page_no| {
            let client = client.clone();
            let endpoint = make(u32::try_from(page_no).unwrap_or(u32::MAX));
            async move {
                let page = client.send(&endpoint).await?;
                Ok(Page::new(page.list)
                    .with_page_no(page.page_number)
                    .with_total(page.total))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_clamped() {
        assert_eq!(clamp_page_size(0), 1);
        assert_eq!(clamp_page_size(10), 10);
        assert_eq!(clamp_page_size(50), 50);
        assert_eq!(clamp_page_size(500), 50);
    }

    #[test]
    fn paged_list_is_lenient() {
        let p: PagedList<u32> =
            serde_json::from_str(r#"{"pageSize":"50","pageNumber":2,"total":"51","list":[1],"extra":true}"#).unwrap();
        assert_eq!(
            (p.page_size, p.page_number, p.total, p.list),
            (Some(50), Some(2), Some(51), vec![1])
        );
        let p: PagedList<u32> = serde_json::from_str(r#"{"list":null}"#).unwrap();
        assert!(p.list.is_empty() && p.total.is_none());
    }
}
