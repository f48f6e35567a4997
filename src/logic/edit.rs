//! Changes to a dashboard's own fields: applied to the screen at once, sent as a PATCH body,
//! and undone by sending the previous value back.

use serde_json::{json, Value};

use crate::api::models::Dashboard;

/// PostHog's limit on a dashboard name.
pub const NAME_MAX: usize = 400;

/// Restriction levels with PostHog's wording.
pub const RESTRICTION_LEVELS: [(i64, &str); 2] = [
    (21, "Everyone in the project can edit"),
    (37, "Only those invited can edit"),
];

/// One change a user makes to a dashboard.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Name(String),
    Description(String),
    Pinned(bool),
    Tags(Vec<String>),
    RestrictionLevel(i64),
}

impl Edit {
    /// The PATCH body that makes this change.
    pub fn body(&self) -> Value {
        match self {
            Edit::Name(name) => json!({ "name": name }),
            Edit::Description(text) => json!({ "description": text }),
            Edit::Pinned(pinned) => json!({ "pinned": pinned }),
            Edit::Tags(tags) => json!({ "tags": tags }),
            Edit::RestrictionLevel(level) => json!({ "restriction_level": level }),
        }
    }

    /// The same field's value as `dashboard` has it now: applying it undoes this edit.
    pub fn inverse(&self, dashboard: &Dashboard) -> Edit {
        match self {
            Edit::Name(_) => Edit::Name(dashboard.name.clone().unwrap_or_default()),
            Edit::Description(_) => Edit::Description(dashboard.description.clone()),
            Edit::Pinned(_) => Edit::Pinned(dashboard.pinned),
            Edit::Tags(_) => Edit::Tags(dashboard.tags.clone()),
            Edit::RestrictionLevel(_) => Edit::RestrictionLevel(dashboard.restriction_level),
        }
    }

    /// Shows the change on `dashboard` before PostHog confirms it.
    pub fn apply(&self, dashboard: &mut Dashboard) {
        match self.clone() {
            Edit::Name(name) => dashboard.name = Some(name),
            Edit::Description(text) => dashboard.description = text,
            Edit::Pinned(pinned) => dashboard.pinned = pinned,
            Edit::Tags(tags) => dashboard.tags = tags,
            Edit::RestrictionLevel(level) => dashboard.restriction_level = level,
        }
    }

    /// What the toast says once the change is saved.
    pub fn done_message(&self) -> &'static str {
        match self {
            Edit::Name(_) => "Dashboard renamed.",
            Edit::Description(_) => "Description saved.",
            Edit::Pinned(true) => "Dashboard pinned.",
            Edit::Pinned(false) => "Dashboard unpinned.",
            Edit::Tags(_) => "Tags saved.",
            Edit::RestrictionLevel(_) => "Restriction level changed.",
        }
    }
}

/// What a new dashboard starts from.
#[derive(Clone, Debug, PartialEq)]
pub enum Start {
    Blank,
    /// A built-in template key, e.g. `DEFAULT_APP`.
    Template(String),
    /// Another dashboard of the project; `tiles` deep-copies its insights and texts.
    Duplicate {
        dashboard_id: i64,
        tiles: bool,
    },
}

/// The built-in templates PostHog offers by key.
pub const TEMPLATES: [(&str, &str); 2] = [
    ("DEFAULT_APP", "Product analytics template"),
    ("WEBSITE_TRAFFIC", "Website traffic template"),
];

/// The `POST dashboards/` body for the New dashboard form.
pub fn create_body(name: &str, description: &str, restriction_level: i64, start: &Start) -> Value {
    let mut body = json!({
        "name": name,
        "description": description,
        "restriction_level": restriction_level,
    });
    match start {
        Start::Blank => {}
        Start::Template(key) => body["use_template"] = json!(key),
        Start::Duplicate {
            dashboard_id,
            tiles,
        } => {
            body["use_dashboard"] = json!(dashboard_id);
            body["duplicate_tiles"] = json!(tiles);
        }
    }
    body
}

/// Checks a dashboard name before sending it: required, at most [`NAME_MAX`] characters.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    match name.chars().count() {
        0 => Err("Enter a name.".into()),
        n if n > NAME_MAX => Err(format!(
            "The name is {n} characters long; PostHog allows at most {NAME_MAX}."
        )),
        _ => Ok(name.to_string()),
    }
}

/// `tags` plus `tag` (trimmed, lower-cased like PostHog's `tagify`), without duplicates.
pub fn with_tag(tags: &[String], tag: &str) -> Vec<String> {
    let tag = tag.trim().to_lowercase();
    let mut next = tags.to_vec();
    if !tag.is_empty() && !next.contains(&tag) {
        next.push(tag);
    }
    next
}

/// Tags used on any of `dashboards` that `current` lacks, sorted: the add-tag suggestions.
pub fn tag_suggestions(dashboards: &[Dashboard], current: &[String]) -> Vec<String> {
    let mut all: Vec<String> = dashboards
        .iter()
        .flat_map(|d| d.tags.iter().cloned())
        .filter(|t| !current.contains(t))
        .collect();
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dashboard() -> Dashboard {
        serde_json::from_str(
            r#"{"id": 1, "name": "Old", "description": "d", "pinned": false,
                "tags": ["kpi"], "restriction_level": 21}"#,
        )
        .unwrap()
    }

    #[test]
    fn each_edit_applies_and_its_inverse_restores() {
        let edits = [
            Edit::Name("New".into()),
            Edit::Description("e".into()),
            Edit::Pinned(true),
            Edit::Tags(vec!["a".into()]),
            Edit::RestrictionLevel(37),
        ];
        for edit in edits {
            let before = dashboard();
            let mut after = before.clone();
            let undo = edit.inverse(&before);
            edit.apply(&mut after);
            assert_ne!(after, before, "{edit:?}");
            undo.apply(&mut after);
            assert_eq!(after, before, "{edit:?}");
        }
    }

    #[test]
    fn bodies_name_posthog_fields() {
        assert_eq!(Edit::Pinned(true).body(), json!({"pinned": true}));
        assert_eq!(
            Edit::RestrictionLevel(37).body(),
            json!({"restriction_level": 37})
        );
        assert_eq!(Edit::Name("x".into()).body(), json!({"name": "x"}));
    }

    #[test]
    fn create_bodies_follow_the_start() {
        assert_eq!(
            create_body("A", "", 21, &Start::Blank),
            json!({"name": "A", "description": "", "restriction_level": 21})
        );
        assert_eq!(
            create_body("A", "", 37, &Start::Template("DEFAULT_APP".into()))["use_template"],
            "DEFAULT_APP"
        );
        let copy = create_body(
            "A",
            "",
            21,
            &Start::Duplicate {
                dashboard_id: 4,
                tiles: true,
            },
        );
        assert_eq!(
            (
                copy["use_dashboard"].clone(),
                copy["duplicate_tiles"].clone()
            ),
            (json!(4), json!(true))
        );
    }

    #[test]
    fn names_are_required_and_limited() {
        assert_eq!(check_name("  Web  ").unwrap(), "Web");
        assert!(check_name(" ").is_err());
        assert!(check_name(&"a".repeat(400)).is_ok());
        assert!(check_name(&"a".repeat(401)).unwrap_err().contains("401"));
    }

    #[test]
    fn tags_are_normalised_and_suggested() {
        let tags = vec!["kpi".to_string()];
        assert_eq!(with_tag(&tags, " Web "), ["kpi", "web"]);
        assert_eq!(with_tag(&tags, "KPI"), ["kpi"]);
        assert_eq!(with_tag(&tags, " "), ["kpi"]);
        let mut other = dashboard();
        other.tags = vec!["web".into(), "kpi".into()];
        assert_eq!(tag_suggestions(&[dashboard(), other], &tags), ["web"]);
    }
}
