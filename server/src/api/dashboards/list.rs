//! The dashboard list's filters and order (§2.1): `search`, `tags`, `creation_mode`; pinned first,
//! then by name; with `search`, exact name matches first and a `search_match_type` on each row.

use std::cmp::Ordering;

use crate::api::serializers::DashboardExtras;
use crate::db::dashboards::Dashboard;
use crate::error::ApiError;
use crate::extract::Query;

/// PostHog's `MAX_SEARCH_LENGTH`.
const MAX_SEARCH_LENGTH: usize = 200;

/// The list filters of one request.
#[derive(Debug, Default)]
pub struct ListFilters {
    pub search: Option<String>,
    pub tags: Vec<String>,
    pub creation_mode: Option<String>,
}

/// How a row matched `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchType {
    /// The name contains the search text.
    Exact,
    /// Only the description or a tag contains it.
    Similar,
}

impl MatchType {
    /// The `search_match_type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::Exact => "exact",
            MatchType::Similar => "similar",
        }
    }
}

impl ListFilters {
    /// Reads the filters; an over-long search is PostHog's 400.
    pub fn from_query(query: &Query) -> Result<Self, ApiError> {
        let search = query.get("search").map(str::trim).filter(|s| !s.is_empty());
        if search.is_some_and(|s| s.chars().count() > MAX_SEARCH_LENGTH) {
            return Err(ApiError::invalid_input(
                format!("Search query must be {MAX_SEARCH_LENGTH} characters or fewer."),
                Some("search"),
            ));
        }
        Ok(Self {
            search: search.map(str::to_lowercase),
            tags: query
                .get_all("tags")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            creation_mode: query.get("creation_mode").map(str::to_owned),
        })
    }

    /// Whether the row passes the filters, and how it matched the search (`None` without search).
    pub fn matches(&self, d: &Dashboard, extras: &DashboardExtras) -> Option<Option<MatchType>> {
        if !self.tags.is_empty() && !extras.tags.iter().any(|t| self.tags.contains(t)) {
            return None;
        }
        let Some(search) = &self.search else {
            return Some(None);
        };
        let contains = |text: &str| text.to_lowercase().contains(search.as_str());
        if d.name.as_deref().is_some_and(contains) {
            Some(Some(MatchType::Exact))
        } else if contains(&d.description) || extras.tags.iter().any(|t| contains(t)) {
            Some(Some(MatchType::Similar))
        } else {
            None
        }
    }
}

/// The list order: exact search matches, then pinned, then name (case-insensitive, unnamed last), then id.
pub fn compare(a: (&Dashboard, Option<MatchType>), b: (&Dashboard, Option<MatchType>)) -> Ordering {
    let key = |(d, m): (&Dashboard, Option<MatchType>)| {
        (
            m,
            !d.pinned,
            d.name.is_none(),
            d.name.as_deref().map(str::to_lowercase),
            d.id,
        )
    };
    key(a).cmp(&key(b))
}
