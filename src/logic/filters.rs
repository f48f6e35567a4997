//! Client-side filters over a loaded page of dashboards: PostHog's list endpoint has no
//! pinned, shared or creator filter.

use crate::api::models::Dashboard;
use crate::logic::format::user_display_name;
use crate::logic::list_query::ListQuery;

/// Dashboards of `dashboards` that pass the query's pinned, shared and creator filters,
/// in the server's order.
pub fn apply<'a>(dashboards: &'a [Dashboard], query: &ListQuery) -> Vec<&'a Dashboard> {
    dashboards
        .iter()
        .filter(|d| !query.pinned_only || d.pinned)
        .filter(|d| !query.shared_only || d.is_shared)
        .filter(|d| {
            query
                .created_by
                .is_none_or(|id| d.created_by.as_ref().is_some_and(|u| u.id == id))
        })
        .collect()
}

/// A choice in the "Created by" select.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatorOption {
    pub id: i64,
    pub name: String,
}

/// The distinct creators of the loaded dashboards, sorted by name; a selected creator not
/// on this page is kept so the select can still show it.
pub fn creator_options(dashboards: &[Dashboard], selected: Option<i64>) -> Vec<CreatorOption> {
    let mut options: Vec<CreatorOption> = Vec::new();
    for user in dashboards.iter().filter_map(|d| d.created_by.as_ref()) {
        if !options.iter().any(|o| o.id == user.id) {
            options.push(CreatorOption {
                id: user.id,
                name: user_display_name(user),
            });
        }
    }
    options.sort_by(|a, b| {
        a.name
            .to_ascii_lowercase()
            .cmp(&b.name.to_ascii_lowercase())
    });
    if let Some(id) = selected.filter(|id| !options.iter().any(|o| o.id == *id)) {
        options.push(CreatorOption {
            id,
            name: format!("User {id}"),
        });
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dashboards() -> Vec<Dashboard> {
        serde_json::from_str(
            r#"[
            {"id": 1, "name": "A", "pinned": true, "is_shared": true,
             "created_by": {"id": 10, "first_name": "Zoe", "last_name": "Z", "email": "z@x"}},
            {"id": 2, "name": "B", "pinned": false, "is_shared": true,
             "created_by": {"id": 11, "first_name": "Ada", "last_name": "L", "email": "a@x"}},
            {"id": 3, "name": "C", "pinned": true, "is_shared": false, "created_by": null},
            {"id": 4, "name": "D", "pinned": false, "is_shared": false,
             "created_by": {"id": 10, "first_name": "Zoe", "last_name": "Z", "email": "z@x"}}
        ]"#,
        )
        .unwrap()
    }

    fn ids(query: &ListQuery) -> Vec<i64> {
        apply(&dashboards(), query).iter().map(|d| d.id).collect()
    }

    #[test]
    fn no_filters_keep_everything_in_order() {
        assert_eq!(ids(&ListQuery::default()), [1, 2, 3, 4]);
    }

    #[test]
    fn filters_combine() {
        let pinned = ListQuery {
            pinned_only: true,
            ..Default::default()
        };
        assert_eq!(ids(&pinned), [1, 3]);
        let shared = ListQuery {
            shared_only: true,
            ..Default::default()
        };
        assert_eq!(ids(&shared), [1, 2]);
        let both = ListQuery {
            pinned_only: true,
            shared_only: true,
            ..Default::default()
        };
        assert_eq!(ids(&both), [1]);
        let by_zoe = ListQuery {
            created_by: Some(10),
            ..Default::default()
        };
        assert_eq!(ids(&by_zoe), [1, 4]);
        let nobody = ListQuery {
            created_by: Some(99),
            ..Default::default()
        };
        assert!(ids(&nobody).is_empty());
    }

    #[test]
    fn creators_are_distinct_and_sorted() {
        let options = creator_options(&dashboards(), None);
        let names: Vec<_> = options.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["Ada L", "Zoe Z"]);
        let with_missing = creator_options(&dashboards(), Some(42));
        assert_eq!(with_missing.last().unwrap().id, 42);
        assert_eq!(creator_options(&dashboards(), Some(10)).len(), 2);
    }
}
