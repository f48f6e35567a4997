//! The dashboards list's URL state (`?search=&page=&pinned=&shared=&created_by=&tags=`) and
//! the server parameters it implies.

/// Dashboards per page: PostHog's default page size.
pub const PAGE_SIZE: u64 = 100;

/// Everything about the dashboards list that lives in the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub search: String,
    /// 1-based.
    pub page: u64,
    pub pinned_only: bool,
    pub shared_only: bool,
    pub created_by: Option<i64>,
    pub tags: Vec<String>,
    /// The dialog open over the list (`?new=1`, `?import=1`).
    pub dialog: Option<ListDialog>,
}

/// A dialog of the dashboards list, addressable by URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListDialog {
    /// "New dashboard".
    New,
    /// "Import template JSON".
    Import,
}

/// What the server filters: search, tags and the page window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerListParams {
    pub search: String,
    pub tags: Vec<String>,
    pub limit: u64,
    pub offset: u64,
}

impl ServerListParams {
    /// `search=…&tags=a&tags=b&limit=100&offset=0`, percent-encoded.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("search", self.search.clone()));
        }
        pairs.extend(self.tags.iter().map(|t| ("tags", t.clone())));
        pairs.push(("limit", self.limit.to_string()));
        pairs.push(("offset", self.offset.to_string()));
        join_pairs(&pairs)
    }
}

impl ListQuery {
    /// Reads the URL's query pairs; unknown keys and malformed values are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = ListQuery {
            page: 1,
            ..Default::default()
        };
        for (key, value) in pairs {
            match key {
                "search" => query.search = value.trim().to_string(),
                "page" => query.page = value.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                "pinned" => query.pinned_only = is_true(value),
                "shared" => query.shared_only = is_true(value),
                "created_by" => query.created_by = value.parse().ok(),
                "tags" => query.add_tag(value),
                "new" if is_true(value) => query.dialog = Some(ListDialog::New),
                "import" if is_true(value) => query.dialog = Some(ListDialog::Import),
                _ => {}
            }
        }
        query
    }

    /// Parses a raw query string such as `?search=a%20b&tags=kpi`.
    pub fn from_query_string(query: &str) -> Self {
        let decoded: Vec<(String, String)> = query
            .trim_start_matches('?')
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode_component(key), decode_component(value))
            })
            .collect();
        Self::from_pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The query string for the URL, without defaults; empty when nothing is set.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("search", self.search.clone()));
        }
        if self.pinned_only {
            pairs.push(("pinned", "true".into()));
        }
        if self.shared_only {
            pairs.push(("shared", "true".into()));
        }
        if let Some(id) = self.created_by {
            pairs.push(("created_by", id.to_string()));
        }
        pairs.extend(self.tags.iter().map(|t| ("tags", t.clone())));
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        match self.dialog {
            Some(ListDialog::New) => pairs.push(("new", "1".into())),
            Some(ListDialog::Import) => pairs.push(("import", "1".into())),
            None => {}
        }
        join_pairs(&pairs)
    }

    /// The server's part of the state.
    pub fn server_params(&self) -> ServerListParams {
        ServerListParams {
            search: self.search.clone(),
            tags: self.tags.clone(),
            limit: PAGE_SIZE,
            offset: (self.page.max(1) - 1) * PAGE_SIZE,
        }
    }

    /// True when anything narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.search.is_empty()
            || self.pinned_only
            || self.shared_only
            || self.created_by.is_some()
            || !self.tags.is_empty()
    }

    /// Adds a tag filter once; blank tags are ignored.
    pub fn add_tag(&mut self, tag: &str) {
        let tag = tag.trim();
        if !tag.is_empty() && !self.tags.iter().any(|t| t == tag) {
            self.tags.push(tag.to_string());
        }
    }

    /// A copy with a new search, back on page 1.
    pub fn with_search(&self, search: &str) -> Self {
        Self {
            search: search.trim().to_string(),
            page: 1,
            ..self.clone()
        }
    }

    /// A copy on another page.
    pub fn with_page(&self, page: u64) -> Self {
        Self {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// A copy with a change to the filters, back on page 1.
    pub fn with_filters(&self, change: impl FnOnce(&mut Self)) -> Self {
        let mut next = self.clone();
        change(&mut next);
        next.page = 1;
        next
    }

    /// Number of pages for `count` results (at least 1).
    pub fn page_count(count: u64) -> u64 {
        count.div_ceil(PAGE_SIZE).max(1)
    }
}

fn is_true(value: &str) -> bool {
    matches!(value, "true" | "1")
}

fn join_pairs(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` and `+`; invalid escapes are kept as they are.
pub fn decode_component(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match hex_byte(value.get(i + 1..i + 3)) {
                Some(byte) => {
                    out.push(byte);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_byte(digits: Option<&str>) -> Option<u8> {
    let digits = digits.filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))?;
    u8::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_give_an_empty_query_string() {
        let query = ListQuery::from_query_string("");
        assert_eq!(query.page, 1);
        assert!(!query.is_filtered());
        assert_eq!(query.to_query_string(), "");
    }

    #[test]
    fn full_state_round_trips() {
        let query = ListQuery {
            search: "web & app/100%".into(),
            page: 3,
            pinned_only: true,
            shared_only: true,
            created_by: Some(7),
            tags: vec!["kpi".into(), "north star".into()],
            dialog: None,
        };
        let text = query.to_query_string();
        assert_eq!(
            text,
            "search=web%20%26%20app%2F100%25&pinned=true&shared=true&created_by=7&tags=kpi&tags=north%20star&page=3"
        );
        assert_eq!(ListQuery::from_query_string(&format!("?{text}")), query);
    }

    #[test]
    fn malformed_values_fall_back() {
        let query = ListQuery::from_query_string(
            "page=0&created_by=abc&pinned=yes&tags=&tags=kpi&tags=kpi&x=1",
        );
        assert_eq!(query.page, 1);
        assert_eq!(query.created_by, None);
        assert!(!query.pinned_only);
        assert_eq!(query.tags, ["kpi"]);
        assert_eq!(ListQuery::from_query_string("page=-2").page, 1);
        assert_eq!(
            ListQuery::from_query_string("search=a+b%zz").search,
            "a b%zz"
        );
    }

    #[test]
    fn pages_map_to_limit_and_offset() {
        let query = ListQuery::from_query_string("page=2&search=funnel&tags=kpi");
        let params = query.server_params();
        assert_eq!(params.limit, 100);
        assert_eq!(params.offset, 100);
        assert_eq!(
            params.to_query_string(),
            "search=funnel&tags=kpi&limit=100&offset=100"
        );
        assert_eq!(
            ListQuery::default().server_params().to_query_string(),
            "limit=100&offset=0"
        );
    }

    #[test]
    fn changes_reset_the_page() {
        let query = ListQuery::from_query_string("page=3");
        assert_eq!(query.with_search(" funnel ").page, 1);
        assert_eq!(query.with_search(" funnel ").search, "funnel");
        assert_eq!(query.with_filters(|q| q.pinned_only = true).page, 1);
        assert_eq!(query.with_page(0).page, 1);
    }

    #[test]
    fn page_count_rounds_up() {
        assert_eq!(ListQuery::page_count(0), 1);
        assert_eq!(ListQuery::page_count(34), 1);
        assert_eq!(ListQuery::page_count(100), 1);
        assert_eq!(ListQuery::page_count(101), 2);
    }

    #[test]
    fn dialogs_live_in_the_url() {
        let query = ListQuery::from_query_string("?search=web&new=1");
        assert_eq!(query.dialog, Some(ListDialog::New));
        assert_eq!(query.to_query_string(), "search=web&new=1");
        assert!(!ListQuery::from_query_string("?import=1").is_filtered());
        assert_eq!(
            ListQuery::from_query_string("?import=true").dialog,
            Some(ListDialog::Import)
        );
    }

    #[test]
    fn encoding_round_trips_unicode() {
        let value = "Café ✓ #1 ?&=";
        assert_eq!(decode_component(&encode_component(value)), value);
    }
}
