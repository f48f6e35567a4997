//! DRF `LimitOffsetPagination` (page size 100, no maximum): `{count, next, previous, results}` with
//! absolute `next`/`previous` URLs that keep the request's other query parameters.

use axum::http::{header, HeaderMap, Uri};
use serde_json::{json, Value};

use crate::extract::Query;

/// PostHog's `PAGE_SIZE`.
pub const DEFAULT_LIMIT: usize = 100;

/// The page a request asks for, and where it was asked (to build the neighbour links).
#[derive(Debug, Clone)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
    base_url: String,
    other_params: Vec<(String, String)>,
}

impl Page {
    /// Reads `limit` and `offset`; invalid values fall back to the defaults, as in DRF.
    pub fn from_request(uri: &Uri, headers: &HeaderMap, query: &Query) -> Self {
        let limit = query
            .get("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .filter(|l| *l > 0)
            .unwrap_or(DEFAULT_LIMIT);
        let offset = query
            .get("offset")
            .and_then(|o| o.parse::<usize>().ok())
            .unwrap_or(0);
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        Self {
            limit,
            offset,
            base_url: format!("http://{host}{}", uri.path()),
            other_params: query
                .0
                .iter()
                .filter(|(k, _)| k != "limit" && k != "offset")
                .cloned()
                .collect(),
        }
    }

    fn url(&self, offset: Option<usize>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.other_params {
            query.append_pair(k, v);
        }
        query.append_pair("limit", &self.limit.to_string());
        if let Some(offset) = offset {
            query.append_pair("offset", &offset.to_string());
        }
        format!("{}?{}", self.base_url, query.finish())
    }

    /// The envelope for `items` (the whole filtered list); slices out this page.
    pub fn envelope(&self, items: Vec<Value>) -> Value {
        let count = items.len();
        // Saturating: both numbers come from the query string and may be near `usize::MAX`.
        let next_offset = self.offset.saturating_add(self.limit);
        let next = (next_offset < count).then(|| self.url(Some(next_offset)));
        // DRF drops `offset` from the link back to the first page.
        let previous = (self.offset > 0).then(|| {
            let previous = self.offset.saturating_sub(self.limit);
            self.url((previous > 0).then_some(previous))
        });
        let results: Vec<Value> = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        json!({"count": count, "next": next, "previous": previous, "results": results})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(query: &str) -> Page {
        let uri: Uri = format!("/api/projects/1/dashboards/?{query}")
            .parse()
            .unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "example.test:8080".parse().unwrap());
        Page::from_request(&uri, &headers, &Query::parse(uri.query()))
    }

    #[test]
    fn links_keep_filters_and_drop_offset_zero() {
        let items: Vec<Value> = (0..25).map(|i| json!(i)).collect();
        let body = page("search=a&limit=10&offset=10").envelope(items);
        assert_eq!(body["count"], 25);
        assert_eq!(body["results"][0], 10);
        assert_eq!(
            body["next"],
            "http://example.test:8080/api/projects/1/dashboards/?search=a&limit=10&offset=20"
        );
        assert_eq!(
            body["previous"],
            "http://example.test:8080/api/projects/1/dashboards/?search=a&limit=10"
        );
    }

    #[test]
    fn invalid_limits_fall_back_to_the_page_size() {
        assert_eq!(page("limit=0").limit, DEFAULT_LIMIT);
        assert_eq!(page("limit=x&offset=-3").offset, 0);
    }

    #[test]
    fn huge_limits_and_offsets_do_not_overflow() {
        let max = usize::MAX;
        let body = page(&format!("limit={max}&offset={max}")).envelope(vec![json!(1)]);
        assert_eq!(body["count"], 1);
        assert_eq!(body["next"], Value::Null);
        assert_eq!(body["results"], json!([]));
    }
}
