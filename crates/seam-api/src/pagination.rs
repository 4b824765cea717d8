//! Following Seam's paginated lists.
//!
//! A list whose response carries `pagination` (`has_next_page`,
//! `next_page_cursor`) takes `page_cursor` and `limit`. Its request offers
//! `send_page()` for one page, `pages()` for a stream of pages and
//! `items()` for a stream of their items, which send the same request again
//! with each next cursor until `has_next_page` is false. A page without
//! `pagination`, or a cursor the server already sent, ends the stream with
//! an [`Error::Pagination`] instead of stopping silently or looping.

use std::collections::HashSet;

use futures_core::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt, stream};
use seam_types::Pagination;

use crate::error::{Error, PaginationError, Result};

/// One page of a paginated list: its items, and where the next page
/// starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Whether another page follows, and the cursor that selects it.
    pub pagination: Pagination,
    /// Seam's id for the request that returned this page
    /// (`seam-request-id`).
    pub request_id: Option<String>,
}

impl<T> Page<T> {
    /// The cursor to pass to the request's `page_cursor` setter for the
    /// next page, or `None` on the last page.
    pub fn next_page_cursor(&self) -> Option<&str> {
        if self.pagination.has_next_page { self.pagination.next_page_cursor.as_deref() } else { None }
    }

    /// Whether another page follows this one.
    pub fn has_next_page(&self) -> bool {
        self.pagination.has_next_page
    }
}

/// One response of a paginated list, before its `pagination` is checked.
pub(crate) struct Fetched<T> {
    pub(crate) items: Vec<T>,
    pub(crate) pagination: Option<Pagination>,
    pub(crate) request_id: Option<String>,
}

/// A request for a paginated list, implemented by the generated requests.
pub(crate) trait Paginated: Clone + Send + Sized {
    /// What the list holds.
    type Item: Send;

    /// Selects the page that starts at `cursor`.
    fn set_page_cursor(&mut self, cursor: String);

    /// Sends the request.
    fn fetch(self) -> impl Future<Output = Result<Fetched<Self::Item>>> + Send;
}

/// Sends `request` and returns its page; a response without `pagination`
/// is an error.
pub(crate) async fn page<R: Paginated>(request: R) -> Result<Page<R::Item>> {
    let Fetched { items, pagination, request_id } = request.fetch().await?;
    match pagination {
        Some(pagination) => Ok(Page { items, pagination, request_id }),
        None => Err(PaginationError::MissingPagination { request_id }.into()),
    }
}

/// Where a stream of pages stands.
enum Next<R> {
    Fetch(R),
    Fail(Error),
    Done,
}

/// The pages of `request`, from its own cursor (the first page if none) to
/// the last.
pub(crate) fn pages<'a, R: Paginated + 'a>(request: R) -> BoxStream<'a, Result<Page<R::Item>>> {
    let start = (Next::Fetch(request), HashSet::new());
    stream::try_unfold(start, |(next, mut seen)| async move {
        let request = match next {
            Next::Fetch(request) => request,
            Next::Fail(error) => return Err(error),
            Next::Done => return Ok(None),
        };
        let mut following = request.clone();
        let page = page(request).await?;
        // Never the cursor: it is as good as the request that made it.
        tracing::debug!(
            target: crate::trace::TARGET,
            { seam.items = page.items.len(), seam.has_next_page = page.pagination.has_next_page },
            "page"
        );
        // The page is yielded first; a problem with what follows it is the
        // stream's next item.
        let next = if !page.pagination.has_next_page {
            Next::Done
        } else {
            match &page.pagination.next_page_cursor {
                None => {
                    Next::Fail(PaginationError::MissingCursor { request_id: page.request_id.clone() }.into())
                }
                Some(cursor) if !seen.insert(cursor.clone()) => Next::Fail(
                    PaginationError::RepeatedCursor {
                        cursor: cursor.clone(),
                        request_id: page.request_id.clone(),
                    }
                    .into(),
                ),
                Some(cursor) => {
                    following.set_page_cursor(cursor.clone());
                    Next::Fetch(following)
                }
            }
        };
        Ok(Some((page, (next, seen))))
    })
    .boxed()
}

/// The items of every page of `request`, in order.
pub(crate) fn items<'a, R: Paginated + 'a>(request: R) -> BoxStream<'a, Result<R::Item>> {
    pages(request).map_ok(|page| stream::iter(page.items.into_iter().map(Ok))).try_flatten().boxed()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    type Script = Vec<(&'static str, Vec<u32>, Option<Pagination>)>;

    /// A scripted list: each cursor (`""` for the first page) maps to a
    /// page's items and pagination.
    #[derive(Clone)]
    struct Scripted {
        cursor: String,
        pages: Arc<Script>,
        sent: Arc<Mutex<Vec<String>>>,
    }

    impl Paginated for Scripted {
        type Item = u32;
        fn set_page_cursor(&mut self, cursor: String) {
            self.cursor = cursor;
        }
        async fn fetch(self) -> Result<Fetched<u32>> {
            self.sent.lock().unwrap().push(self.cursor.clone());
            let (_, items, pagination) = self.pages.iter().find(|(c, ..)| *c == self.cursor).unwrap().clone();
            Ok(Fetched { items, pagination, request_id: Some(format!("request-{}", self.cursor)) })
        }
    }

    fn next(cursor: Option<&str>) -> Option<Pagination> {
        let mut pagination = Pagination::default();
        pagination.has_next_page = cursor.is_some();
        pagination.next_page_cursor = cursor.map(str::to_owned);
        Some(pagination)
    }

    fn scripted(pages: Script) -> Scripted {
        Scripted { cursor: String::new(), pages: Arc::new(pages), sent: Arc::default() }
    }

    /// More items than any script yields: a stream that goes on past
    /// them has lost its guard, and the test fails at once instead of
    /// looping until memory runs out.
    const MORE_THAN_ANY_SCRIPT: usize = 100;

    async fn collect<T>(stream: BoxStream<'_, Result<T>>) -> (Vec<T>, Option<Error>) {
        let mut items = Vec::new();
        let mut stream = stream.take(MORE_THAN_ANY_SCRIPT);
        while let Some(item) = stream.next().await {
            match item {
                Ok(item) => items.push(item),
                Err(error) => {
                    assert!(stream.next().await.is_none(), "the stream ends after an error");
                    return (items, Some(error));
                }
            }
        }
        (items, None)
    }

    #[tokio::test]
    async fn follows_cursors_until_the_last_page() {
        let list = scripted(vec![
            ("", vec![1, 2], next(Some("a"))),
            ("a", vec![3, 4], next(Some("b"))),
            ("b", vec![5], next(None)),
        ]);
        let (got, error) = collect(super::items(list.clone())).await;
        assert_eq!((got, error.is_none()), (vec![1, 2, 3, 4, 5], true));
        assert_eq!(*list.sent.lock().unwrap(), ["", "a", "b"]);

        let (pages, _) = collect(pages(list)).await;
        assert_eq!(
            pages.iter().map(Page::next_page_cursor).collect::<Vec<_>>(),
            [Some("a"), Some("b"), None]
        );
        assert_eq!(pages[1].request_id.as_deref(), Some("request-a"));
    }

    #[tokio::test]
    async fn a_repeated_cursor_is_an_error_after_its_page() {
        let list = scripted(vec![("", vec![1], next(Some("a"))), ("a", vec![2], next(Some("a")))]);
        let (got, error) = collect(super::items(list.clone())).await;
        assert_eq!(got, [1, 2]);
        assert!(
            matches!(error, Some(Error::Pagination(PaginationError::RepeatedCursor { ref cursor, .. })) if cursor == "a")
        );
        assert_eq!(list.sent.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_page_without_pagination_or_cursor_is_an_error() {
        let (got, error) = collect(super::items(scripted(vec![("", vec![1], None)]))).await;
        assert!(got.is_empty());
        assert!(
            matches!(error, Some(Error::Pagination(PaginationError::MissingPagination { .. }))),
            "{error:?}"
        );

        let mut no_cursor = Pagination::default();
        no_cursor.has_next_page = true;
        let (got, error) = collect(super::items(scripted(vec![("", vec![1], Some(no_cursor))]))).await;
        assert_eq!(got, [1]);
        assert!(matches!(error, Some(Error::Pagination(PaginationError::MissingCursor { .. }))), "{error:?}");
    }
}
