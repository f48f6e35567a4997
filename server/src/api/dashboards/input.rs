//! The writable fields of `DashboardSerializer`, validated as PostHog validates them (§2.2, §2.4).

use serde_json::Value;

use crate::api::fields::{self, is_uuid, truthy, Fields};
use crate::error::ApiError;
use crate::permissions::{EVERYONE_CAN_EDIT, ONLY_COLLABORATORS_CAN_EDIT};

/// A validated create/update body. `None` = not sent (left unchanged).
#[derive(Debug, Default)]
pub struct DashboardInput {
    pub name: Option<Option<String>>,
    pub description: Option<String>,
    pub pinned: Option<bool>,
    pub deleted: Option<bool>,
    pub tags: Option<Vec<String>>,
    pub restriction_level: Option<i64>,
    pub breakdown_colors: Option<Value>,
    pub data_color_theme_id: Option<Option<i64>>,
    pub quick_filter_ids: Option<Vec<String>>,
    /// Only a non-empty object: PostHog skips `{}`/null and rejects other truthy values.
    pub filters: Option<Value>,
    /// Same rule as `filters`.
    pub variables: Option<Value>,
    pub delete_insights: bool,
    pub use_template: Option<String>,
    pub use_dashboard: Option<i64>,
    /// Raw tile patches, applied after the dashboard's own fields.
    pub tiles: Option<Vec<Value>>,
}

impl DashboardInput {
    /// Validates `body`; the first failing field wins, as drf-exceptions-hog reports only one.
    pub fn parse(body: &Value) -> Result<Self, ApiError> {
        let object = fields::object(body)?;
        let f = Fields::new(object, "");
        let input = DashboardInput {
            name: f.char("name", Some(400), true)?,
            description: f.char("description", None, false)?.flatten(),
            pinned: f.boolean("pinned", false)?.flatten(),
            deleted: f.boolean("deleted", false)?.flatten(),
            breakdown_colors: f.raw("breakdown_colors").cloned(),
            data_color_theme_id: f.integer("data_color_theme_id", true)?,
            tags: f.string_list("tags")?.map(|tags| tagify(&tags)),
            restriction_level: f.int_choice(
                "restriction_level",
                &[EVERYONE_CAN_EDIT, ONLY_COLLABORATORS_CAN_EDIT],
            )?,
            quick_filter_ids: quick_filter_ids(&f)?,
            delete_insights: f
                .boolean("delete_insights", false)?
                .flatten()
                .unwrap_or(false),
            use_template: f.char("use_template", None, false)?.flatten(),
            use_dashboard: f.integer("use_dashboard", true)?.flatten(),
            filters: dictionary(&f, "filters")?,
            variables: dictionary(&f, "variables")?,
            tiles: f.list("tiles")?.cloned(),
        };
        if input.use_dashboard.is_some() && truthy(f.raw("use_template")) {
            return Err(ApiError::invalid_input(
                "`use_dashboard` and `use_template` cannot be used together",
                None,
            ));
        }
        Ok(input)
    }
}

/// `filters`/`variables` are read from the raw body: a truthy non-object is an error (reported
/// without a field name), an empty or falsy value is ignored.
fn dictionary(f: &Fields, key: &str) -> Result<Option<Value>, ApiError> {
    let raw = f.raw(key);
    if !truthy(raw) {
        return Ok(None);
    }
    match raw {
        Some(value @ Value::Object(_)) => Ok(Some(value.clone())),
        _ => Err(ApiError::invalid_input(
            "Filters must be a dictionary",
            None,
        )),
    }
}

/// `quick_filter_ids`: null means none; every id must be a UUID of an existing quick filter, and
/// the stand-in has no quick filters yet, so any valid UUID is unknown.
fn quick_filter_ids(f: &Fields) -> Result<Option<Vec<String>>, ApiError> {
    if matches!(f.raw("quick_filter_ids"), Some(Value::Null)) {
        return Ok(Some(Vec::new()));
    }
    let Some(ids) = f.string_list("quick_filter_ids")? else {
        return Ok(None);
    };
    let attr = Some("quick_filter_ids");
    if let Some(bad) = ids.iter().find(|id| !is_uuid(id)) {
        return Err(ApiError::invalid_input(
            format!("Invalid UUID: {bad}"),
            attr,
        ));
    }
    if !ids.is_empty() {
        return Err(ApiError::invalid_input(
            format!("Quick filters not found: {}", ids.join(", ")),
            attr,
        ));
    }
    Ok(Some(ids))
}

/// PostHog's `tagify`: trimmed, lower-cased, de-duplicated, blanks dropped; order kept.
pub fn tagify(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().to_lowercase();
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_must_be_an_object_when_truthy() {
        let err = DashboardInput::parse(&json!({"filters": [1]})).unwrap_err();
        assert_eq!(
            err,
            ApiError::invalid_input("Filters must be a dictionary", None)
        );
        assert!(DashboardInput::parse(&json!({"filters": {}}))
            .unwrap()
            .filters
            .is_none());
        assert!(DashboardInput::parse(&json!({"filters": []}))
            .unwrap()
            .filters
            .is_none());
    }

    #[test]
    fn pinned_accepts_strings_and_tags_are_normalised() {
        let input =
            DashboardInput::parse(&json!({"pinned": "true", "tags": [" KPI", "kpi", "Web "]}))
                .unwrap();
        assert_eq!(input.pinned, Some(true));
        assert_eq!(input.tags, Some(vec!["kpi".to_string(), "web".to_string()]));
    }

    #[test]
    fn template_and_duplicate_are_exclusive() {
        let err =
            DashboardInput::parse(&json!({"use_template": "DEFAULT_APP", "use_dashboard": 3}))
                .unwrap_err();
        assert_eq!(err.status(), axum::http::StatusCode::BAD_REQUEST);
        let ok = DashboardInput::parse(&json!({"use_template": "", "use_dashboard": 3})).unwrap();
        assert_eq!(ok.use_dashboard, Some(3));
    }

    #[test]
    fn quick_filter_ids_are_checked() {
        assert!(DashboardInput::parse(&json!({"quick_filter_ids": "not-a-list"})).is_err());
        assert!(DashboardInput::parse(&json!({"quick_filter_ids": ["not-a-uuid"]})).is_err());
        let none = DashboardInput::parse(&json!({"quick_filter_ids": null})).unwrap();
        assert_eq!(none.quick_filter_ids, Some(vec![]));
    }
}
