//! Lazy paging as a `Stream` of pages or of items.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::{Error, Result};
use crate::product::Product;
use crate::request::Endpoint;

/// A listing endpoint: one page per request, read as a lazy stream by
/// [`Client::pages`](crate::Client::pages). The product crate says how to ask for a given page
/// and how to split an answer into items and counts; the transport does the rest (stop rules,
/// runaway guards, laziness).
pub trait ListEndpoint: Endpoint + Clone + 'static {
    /// One item of the listing.
    type Item: Send + 'static;

    /// The page the listing starts at and its size, as the caller set them or the product's
    /// defaults (1-based page).
    fn start(&self) -> (u32, u32);

    /// The same request for page `page_no` of `page_size` items.
    fn for_page(&self, page_no: u32, page_size: u32) -> Self;

    /// Splits one answer into a page.
    fn into_page(output: Self::Output) -> Page<Self::Item>;
}

/// Implements [`ListEndpoint`] for a list request value, in one of the two shapes the
/// products use:
///
/// - `paged(page_field, size_field, DEFAULT)`: the request's own page-number and page-size
///   setters (as written by [`setters!`](crate::setters)), the product's default page size, and
///   an output that converts `Into<Page<Item>>` (the product's paged-list type);
/// - `unpaged`: one request returns the whole listing (`Vec<Item>` or anything
///   `Into<Vec<Item>>`), read as a single page that reports its own total.
///
/// ```ignore
/// yeastar_transport::list_endpoint!(ListUsers => User, paged(page_number, page_size, DEFAULT_PAGE_SIZE));
/// yeastar_transport::list_endpoint!(ListRegions => Region, unpaged);
/// ```
#[macro_export]
macro_rules! list_endpoint {
    ($ty:ty => $item:ty, paged($page_no:ident, $page_size:ident, $default:expr)) => {
        impl $crate::ListEndpoint for $ty {
            type Item = $item;

            fn start(&self) -> (u32, u32) {
                (self.$page_no.unwrap_or(1), self.$page_size.unwrap_or($default))
            }

            fn for_page(&self, page_no: u32, page_size: u32) -> Self {
                self.clone().$page_no(page_no).$page_size(page_size)
            }

            fn into_page(output: <Self as $crate::Endpoint>::Output) -> $crate::Page<$item> {
                output.into()
            }
        }
    };
    ($ty:ty => $item:ty, unpaged) => {
        impl $crate::ListEndpoint for $ty {
            type Item = $item;

            fn start(&self) -> (u32, u32) {
                (1, u32::MAX)
            }

            fn for_page(&self, _page_no: u32, _page_size: u32) -> Self {
                self.clone()
            }

            fn into_page(output: <Self as $crate::Endpoint>::Output) -> $crate::Page<$item> {
                $crate::Page::whole(output.into())
            }
        }
    };
}

/// The one rule for page parameters, checked before anything is sent: pages are numbered
/// from 1, and a page holds 1 to `max_size` items. `page_field`/`size_field` are the API's
/// names for them (`pageNo`/`pageSize`, `pageNumber`/`pageSize`).
pub fn check_page(
    page_field: &str,
    page: Option<u32>,
    size_field: &str,
    size: Option<u32>,
    max_size: u32,
) -> Result<()> {
    if page == Some(0) {
        return Err(Error::invalid_input(page_field, "pages are numbered from 1"));
    }
    match size {
        Some(0) => Err(Error::invalid_input(size_field, "a page holds at least 1 item")),
        Some(n) if n > max_size => Err(Error::invalid_input(
            size_field,
            format!("{n} is more than the {max_size} items a page may hold"),
        )),
        _ => Ok(()),
    }
}

/// One page of a listing, as the product returned it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// The page number the server says it returned (1-based), if it says.
    pub page_no: Option<u64>,
    /// The total number of items, if the server says.
    pub total: Option<u64>,
    /// The number of pages, if the server says.
    pub total_pages: Option<u64>,
}

impl<T> Page<T> {
    /// A page of `items`.
    pub fn new(items: Vec<T>) -> Self {
        Self {
            items,
            page_no: None,
            total: None,
            total_pages: None,
        }
    }

    /// A whole, unpaged listing as one page that reports its own total, so that no second page
    /// is asked for.
    pub fn whole(items: Vec<T>) -> Self {
        let total = items.len() as u64;
        Self::new(items).with_total(Some(total))
    }

    /// Sets the page number the server echoed.
    pub fn with_page_no(mut self, page_no: Option<u64>) -> Self {
        self.page_no = page_no;
        self
    }

    /// Sets the total item count.
    pub fn with_total(mut self, total: Option<u64>) -> Self {
        self.total = total;
        self
    }

    /// Sets the page count.
    pub fn with_total_pages(mut self, total_pages: Option<u64>) -> Self {
        self.total_pages = total_pages;
        self
    }
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>>;
type FetchFn<T> = Box<dyn FnMut(u64) -> PageFuture<T> + Send>;

/// The most pages a listing may take when the server gives no total (a guard against a
/// server that never reports a last page).
pub const DEFAULT_MAX_PAGES: u64 = 100_000;

/// A lazy stream of pages: the next page is requested only when the previous one has been
/// consumed.
///
/// It stops after an empty page, when the items seen reach the reported total, when the
/// reported page count is reached, or — when the server reports neither — after a short page.
/// It fails with [`Error::Paging`] when the server returns a page other than the one asked
/// for, returns an empty page while its own total (or page count) says more remain (ending
/// there would pass part of the list off as all of it), or keeps going past the total it
/// reported (or past [`DEFAULT_MAX_PAGES`]). After an error, the stream ends.
///
/// ```
/// # use yeastar_transport::{Page, Pages, Product};
/// # async fn demo() -> Result<(), yeastar_transport::Error> {
/// let mut pages = Pages::new(Product::Workplace, 1, 2, |page_no| async move {
///     let all = [1, 2, 3];
///     let start = ((page_no - 1) * 2) as usize;
///     Ok(Page::new(all.iter().skip(start).take(2).copied().collect()).with_total(Some(3)))
/// });
/// assert_eq!(pages.next().await.transpose()?.map(|p| p.items), Some(vec![1, 2]));
/// assert_eq!(pages.items().try_collect().await?, vec![3]);
/// # Ok(()) }
/// ```
pub struct Pages<T> {
    product: Product,
    fetch: FetchFn<T>,
    next_page: u64,
    page_size: u64,
    seen: u64,
    /// The items on the pages before the first one read (a listing may start at page 3).
    skipped: u64,
    max_pages: u64,
    pages_fetched: u64,
    in_flight: Option<PageFuture<T>>,
    done: bool,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("product", &self.product)
            .field("next_page", &self.next_page)
            .field("page_size", &self.page_size)
            .field("seen", &self.seen)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Pages<T> {
    /// Pages of `page_size` items from `first_page` (1-based), each fetched by `fetch(page_no)`.
    /// Product crates use [`ListEndpoint`] instead.
    #[doc(hidden)]
    pub fn new<F, Fut>(product: Product, first_page: u64, page_size: u64, mut fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>>> + Send + 'static,
    {
        Self {
            product,
            fetch: Box::new(move |n| Box::pin(fetch(n))),
            next_page: first_page.max(1),
            page_size: page_size.max(1),
            seen: 0,
            skipped: (first_page.max(1) - 1).saturating_mul(page_size.max(1)),
            max_pages: DEFAULT_MAX_PAGES,
            pages_fetched: 0,
            in_flight: None,
            done: false,
        }
    }

    /// A listing that fails with `error` before fetching anything (invalid page parameters).
    pub(crate) fn failed(product: Product, error: Error) -> Self {
        let mut error = Some(error);
        let mut pages = Self::new(product, 1, 1, move |_| {
            let e = error.take().unwrap_or_else(|| Error::Paging {
                product,
                message: "the listing already failed".into(),
            });
            async move { Err(e) }
        });
        pages.max_pages = 1;
        pages
    }

    /// Caps the number of pages fetched; one more page is an [`Error::Paging`].
    pub fn max_pages(mut self, n: u64) -> Self {
        self.max_pages = n.max(1);
        self
    }

    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<Page<T>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Flattens the pages into a stream of items.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
        }
    }

    /// Reads every page and returns all items.
    pub async fn try_collect(self) -> Result<Vec<T>> {
        self.items().try_collect().await
    }

    fn check(&mut self, requested: u64, page: &Page<T>) -> Result<bool> {
        let fail = |message: String| Error::Paging {
            product: self.product,
            message,
        };
        if let Some(echoed) = page.page_no
            && echoed != requested
        {
            return Err(fail(format!(
                "asked for page {requested}, the server returned page {echoed}"
            )));
        }
        self.seen = self.seen.saturating_add(page.items.len() as u64);
        self.pages_fetched = self.pages_fetched.saturating_add(1);
        let n = page.items.len() as u64;
        // An empty page the server's own count says is not the end: stopping would pass part of
        // the list off as all of it.
        let short = match (page.total, page.total_pages) {
            (Some(t), _) => self.seen.saturating_add(self.skipped) < t,
            (None, Some(tp)) => requested < tp,
            (None, None) => false,
        };
        if n == 0 && short {
            return Err(fail(format!(
                "page {requested} is empty, but the server reports more (total {:?}, pages {:?}) after {} items",
                page.total, page.total_pages, self.seen
            )));
        }
        // The server's own count wins over the short-page rule: a server that caps the page
        // size below what was asked must not end the listing early.
        let last = n == 0
            || match (page.total, page.total_pages) {
                (Some(t), _) => self.seen.saturating_add(self.skipped) >= t,
                (None, Some(tp)) => requested >= tp,
                (None, None) => n < self.page_size,
            };
        if last {
            return Ok(true);
        }
        // Pages the reported total can take at the size actually served (n > 0 here).
        let bound = match page.total {
            Some(t) => t.div_ceil(n).saturating_add(1),
            None => self.max_pages,
        };
        if self.pages_fetched >= bound.min(self.max_pages) {
            return Err(fail(format!(
                "{} pages read and the server reports more (total {:?}); stopping",
                self.pages_fetched, page.total
            )));
        }
        Ok(false)
    }
}

impl<T: Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        let requested = this.next_page;
        let fut = match &mut this.in_flight {
            Some(f) => f,
            None => this.in_flight.insert((this.fetch)(requested)),
        };
        let result = match fut.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        this.in_flight = None;
        let page = match result {
            Ok(page) => page,
            Err(e) => {
                this.done = true;
                return Poll::Ready(Some(Err(e)));
            }
        };
        match this.check(requested, &page) {
            Ok(last) => {
                this.done = last;
                this.next_page = this.next_page.saturating_add(1);
                if page.items.is_empty() && requested > 1 {
                    Poll::Ready(None)
                } else {
                    Poll::Ready(Some(Ok(page)))
                }
            }
            Err(e) => {
                this.done = true;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

/// A lazy stream of items, read page by page. See [`Pages`].
pub struct Items<T> {
    pages: Pages<T>,
    buffer: VecDeque<T>,
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<T: Send + 'static> Items<T> {
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads every remaining item.
    pub async fn try_collect(mut self) -> Result<Vec<T>> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<T: Send + 'static> Stream for Items<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page.items),
            }
        }
    }
}

impl<T> Unpin for Pages<T> {}
impl<T> Unpin for Items<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn pages_of(total: u64, size: u64, report_total: bool, calls: Arc<AtomicU64>) -> Pages<u64> {
        Pages::new(Product::Ycm, 1, size, move |n| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move {
                let items: Vec<u64> = ((n - 1) * size..(n * size).min(total)).collect();
                Ok(Page::new(items)
                    .with_page_no(Some(n))
                    .with_total(report_total.then_some(total)))
            }
        })
    }

    #[tokio::test]
    async fn reads_every_item_lazily_and_stops() {
        let calls = Arc::new(AtomicU64::new(0));
        let mut items = pages_of(10, 3, true, calls.clone()).items();
        assert_eq!(items.next().await.unwrap().unwrap(), 0);
        assert_eq!(calls.load(Ordering::SeqCst), 1, "only the first page is read");
        let rest = items.try_collect().await.unwrap();
        assert_eq!(rest, (1..10).collect::<Vec<_>>());
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn a_server_capping_the_page_size_is_read_to_its_total() {
        let calls = Arc::new(AtomicU64::new(0));
        // Asked for 10 per page, the server serves 3 per page but reports total = 7.
        let all = pages_of(7, 3, true, calls.clone());
        let capped = Pages { page_size: 10, ..all };
        assert_eq!(capped.try_collect().await.unwrap(), (0..7).collect::<Vec<_>>());
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn exact_multiple_without_total_ends_on_the_empty_page() {
        let calls = Arc::new(AtomicU64::new(0));
        let all = pages_of(6, 3, false, calls.clone()).try_collect().await.unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_empty_page_short_of_the_reported_total_is_an_error() {
        // 250 reported, page 2 empty: ending there would pass 100 of 250 off as the whole list
        // (a bulk plan would then create the 150 users it did not see).
        let short = Pages::new(Product::Ycm, 1, 100, |n| async move {
            let items = if n == 1 { (0..100).collect() } else { Vec::new() };
            Ok(Page::new(items).with_page_no(Some(n)).with_total(Some(250)))
        });
        let err = short.try_collect().await.unwrap_err();
        assert!(matches!(err, Error::Paging { .. }), "{err}");
        assert!(err.to_string().contains("250"), "{err}");
        // The same by the page count.
        let short = Pages::new(Product::Workplace, 1, 2, |n| async move {
            let items = if n == 1 { vec![1, 2] } else { Vec::new() };
            Ok(Page::new(items).with_page_no(Some(n)).with_total_pages(Some(3)))
        });
        assert!(matches!(short.try_collect().await, Err(Error::Paging { .. })));
        // An empty page whose own total says the list shrank (items deleted meanwhile) ends it.
        let shrunk = Pages::new(Product::Ycm, 1, 2, |n| async move {
            let (items, total) = if n == 1 { (vec![1, 2], 5) } else { (Vec::new(), 2) };
            Ok(Page::new(items).with_page_no(Some(n)).with_total(Some(total)))
        });
        assert_eq!(shrunk.try_collect().await.unwrap(), [1, 2]);
        // A listing started at page 3 of 250 items, 100 a page: page 3 reaches the total and
        // ends it, even with a server that answers a page past the end with the last one.
        let calls = Arc::new(AtomicU64::new(0));
        let counted = calls.clone();
        let from_3 = Pages::new(Product::Ycm, 3, 100, move |n| {
            counted.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok(Page::new((200..250).collect())
                    .with_page_no(Some(n))
                    .with_total(Some(250)))
            }
        });
        assert_eq!(from_3.try_collect().await.unwrap(), (200..250).collect::<Vec<u64>>());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_server_that_never_stops_is_cut_off() {
        // A total it never reaches: bounded by max_pages.
        let never = Pages::new(Product::Workplace, 1, 2, |n| async move {
            Ok(Page::new(vec![1, 2]).with_page_no(Some(n)).with_total(Some(u64::MAX)))
        })
        .max_pages(10);
        let err = never.try_collect().await.unwrap_err();
        assert!(matches!(err, Error::Paging { .. }), "{err}");

        let no_total = Pages::new(Product::Workplace, 1, 2, |_| async move { Ok(Page::new(vec![1, 2])) }).max_pages(50);
        assert!(matches!(no_total.try_collect().await, Err(Error::Paging { .. })));

        let ignores_page_no = Pages::new(Product::Workplace, 1, 2, |_| async move {
            Ok(Page::new(vec![1, 2]).with_page_no(Some(1)))
        });
        let err = ignores_page_no.try_collect().await.unwrap_err();
        assert!(err.to_string().contains("asked for page 2"), "{err}");
    }
}
