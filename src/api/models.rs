//! PostHog's JSON shapes, read tolerantly: `null` where a value is expected becomes the
//! default, unknown fields are ignored, unknown enum values become `Other`.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::logic::layout::{MinSize, PartialRect, Rect};
use serde_json::json;

/// Reads `null` (or a missing field, with `#[serde(default)]`) as `T::default()`.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A DRF limit/offset page: `{count, next, previous, results}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    #[serde(default)]
    pub count: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<T>,
}

/// `UserBasic`: who created a dashboard or text, a collaborator, a member.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct UserBasic {
    pub id: i64,
    /// What collaborators are added and removed by.
    #[serde(default, deserialize_with = "null_as_default")]
    pub uuid: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub first_name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub last_name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub email: String,
}

/// `GET /api/users/@me/`: only what choosing a project needs.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct User {
    #[serde(default, deserialize_with = "null_as_default")]
    pub first_name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub email: String,
    #[serde(default)]
    pub team: Option<TeamBasic>,
    #[serde(default)]
    pub organization: Option<OrganizationBasic>,
}

/// The user's current environment (team) and the project it belongs to.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TeamBasic {
    pub id: i64,
    #[serde(default)]
    pub project_id: Option<i64>,
}

impl TeamBasic {
    /// Older PostHog has no `project_id`: there a team and its project share the id.
    pub fn project_id(&self) -> i64 {
        self.project_id.unwrap_or(self.id)
    }
}

/// The user's current organization.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OrganizationBasic {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

/// An item of `GET /api/organizations/{id}/projects/`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Project {
    pub id: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

/// How a dashboard came to be.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CreationMode {
    #[default]
    Default,
    Template,
    Duplicate,
    Unlisted,
    #[serde(other)]
    Other,
}

/// The privilege level at which a user may edit a dashboard (`DashboardRestrictionLevel`).
pub const CAN_EDIT_LEVEL: i64 = 37;

/// A dashboard: `Dashboard` in the list (no `tiles`), `Dashboard` in the detail.
/// One type for both keeps one decoder in the bundle.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Dashboard {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub pinned: bool,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub created_by: Option<UserBasic>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_shared: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub creation_mode: CreationMode,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub effective_privilege_level: Option<i64>,
    /// 21 everyone in the project can edit, 37 only those invited.
    #[serde(default = "default_restriction", deserialize_with = "restriction")]
    pub restriction_level: i64,
    /// The level in force: 21 when the organization lacks the access-control feature.
    #[serde(default)]
    pub effective_restriction_level: Option<i64>,
    /// `"v1"` (restriction levels and collaborators) or `"v2"` (access controls).
    #[serde(default)]
    pub access_control_version: Option<String>,
    /// The dashboard's filters (detail only).
    #[serde(default)]
    pub filters: Value,
    /// Empty in the list, which never includes tiles.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tiles: Vec<Tile>,
}

fn default_restriction() -> i64 {
    21
}

fn restriction<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    Ok(Option::<i64>::deserialize(deserializer)?.unwrap_or(21))
}

impl Dashboard {
    /// False when PostHog says this user may only view it; an absent level means no restriction.
    pub fn can_edit(&self) -> bool {
        self.effective_privilege_level
            .is_none_or(|level| level >= CAN_EDIT_LEVEL)
    }
}

/// A tile: an insight, a text, or a kind Dashdeck does not show (button, widget).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Tile {
    pub id: i64,
    #[serde(default)]
    pub insight: Option<Insight>,
    #[serde(default)]
    pub text: Option<Text>,
    /// Free JSON keyed by breakpoint; read through [`Tile::layout`].
    #[serde(default)]
    pub layouts: Value,
    #[serde(default)]
    pub color: Option<String>,
}

/// What a tile shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TileContent<'a> {
    Insight(&'a Insight),
    Text(&'a Text),
    Other,
}

impl Tile {
    /// The tile's content; insight wins if PostHog ever sends both.
    pub fn content(&self) -> TileContent<'_> {
        match (&self.insight, &self.text) {
            (Some(insight), _) => TileContent::Insight(insight),
            (None, Some(text)) => TileContent::Text(text),
            (None, None) => TileContent::Other,
        }
    }

    /// The tile's rectangle at a breakpoint (`"sm"` = 12-column desktop); values may be
    /// numbers or numeric strings, any of them may be missing.
    /// The tile's `minW`/`minH` at a breakpoint, for resizing.
    pub fn min_size(&self, breakpoint: &str) -> MinSize {
        let rect = &self.layouts[breakpoint];
        MinSize::from_layout(grid_number(&rect["minW"]), grid_number(&rect["minH"]))
    }

    pub fn layout(&self, breakpoint: &str) -> PartialRect {
        let rect = &self.layouts[breakpoint];
        PartialRect {
            x: grid_number(&rect["x"]),
            y: grid_number(&rect["y"]),
            w: grid_number(&rect["w"]),
            h: grid_number(&rect["h"]),
        }
    }
}

/// One entry of `tiles` in a dashboard PATCH.
#[derive(Clone, Debug, PartialEq)]
pub enum TilePatch {
    /// New `layouts`: the tile's other breakpoints kept, `sm` and `xs` replaced.
    Layout {
        id: i64,
        layouts: Value,
    },
    /// Removes the tile from the dashboard (`true`) or brings it back (`false`).
    Deleted {
        id: i64,
        deleted: bool,
    },
    Color {
        id: i64,
        color: Option<String>,
    },
    /// A new text tile (`text_id` `None`) or new body of text card `text_id`.
    Text {
        text_id: Option<i64>,
        body: String,
    },
}

impl TilePatch {
    pub fn to_json(&self) -> Value {
        match self {
            Self::Layout { id, layouts } => json!({ "id": id, "layouts": layouts }),
            Self::Deleted { id, deleted } => json!({ "id": id, "deleted": deleted }),
            Self::Color { id, color } => json!({ "id": id, "color": color }),
            Self::Text {
                text_id: Some(text_id),
                body,
            } => json!({ "text": { "id": text_id, "body": body } }),
            Self::Text {
                text_id: None,
                body,
            } => json!({ "text": { "body": body } }),
        }
    }
}

/// `layouts` with `sm` (12 columns) and `xs` (one column) placed at the given cells; other
/// breakpoints and react-grid-layout's extras in each (`i`, `minW`, `minH`, …) are kept.
pub fn layouts_with(existing: &Value, sm: Rect, xs: Rect) -> Value {
    let mut layouts = match existing {
        Value::Object(map) => map.clone(),
        _ => Default::default(),
    };
    for (breakpoint, r) in [("sm", sm), ("xs", xs)] {
        let mut rect = match layouts.remove(breakpoint) {
            Some(Value::Object(map)) => map,
            _ => Default::default(),
        };
        for (key, value) in [("x", r.x), ("y", r.y), ("w", r.w), ("h", r.h)] {
            rect.insert(key.into(), value.into());
        }
        layouts.insert(breakpoint.into(), Value::Object(rect));
    }
    Value::Object(layouts)
}

fn grid_number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        // "7" or "7.0"; the fraction is dropped (grid units are whole).
        Value::String(s) => s.trim().split('.').next()?.parse().ok(),
        _ => None,
    }
}

/// A text tile's markdown.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Text {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub body: String,
}

/// An insight as embedded in a tile.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Insight {
    pub id: i64,
    #[serde(default)]
    pub short_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub derived_name: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    #[serde(default)]
    pub query: Value,
    /// The cached result PostHog computed for the tile, shape depending on the query kind.
    #[serde(default)]
    pub result: Value,
    /// Column names of a table result.
    #[serde(default)]
    pub columns: Value,
}

impl Insight {
    /// The name a person gave it, else PostHog's derived name.
    pub fn title(&self) -> Option<&str> {
        [&self.name, &self.derived_name]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }

    /// `query.kind` and, for wrapper nodes, `query.source.kind`.
    pub fn query_kinds(&self) -> (Option<&str>, Option<&str>) {
        (
            self.query["kind"].as_str(),
            self.query["source"]["kind"].as_str(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = include_str!("../../tests/fixtures/dashboards-list.json");
    const DETAIL: &str = include_str!("../../tests/fixtures/dashboard-detail.json");

    #[test]
    fn example_list_page_decodes() {
        let page: Page<Dashboard> = serde_json::from_str(LIST).unwrap();
        assert_eq!(page.count, 3);
        let names: Vec<_> = page.results.iter().map(|d| d.name.as_deref()).collect();
        assert_eq!(
            names,
            [
                Some("Product KPIs"),
                Some("Growth"),
                Some("Web analytics (template)")
            ]
        );
        let kpis = &page.results[0];
        assert!(kpis.pinned && kpis.is_shared && kpis.can_edit());
        assert_eq!(kpis.tags, ["kpi", "weekly"]);
        assert_eq!(kpis.created_by.as_ref().unwrap().last_name, "Lovelace");
        assert_eq!(page.results[2].creation_mode, CreationMode::Template);
        assert_eq!(page.results[2].created_by, None);
    }

    #[test]
    fn example_detail_decodes_with_both_tile_kinds() {
        let dashboard: Dashboard = serde_json::from_str(DETAIL).unwrap();
        assert_eq!(dashboard.id, 42);
        assert_eq!(dashboard.tiles.len(), 2);
        let TileContent::Insight(insight) = dashboard.tiles[0].content() else {
            panic!("first tile is an insight");
        };
        assert_eq!(insight.title(), Some("Weekly signups"));
        assert_eq!(
            insight.query_kinds(),
            (Some("InsightVizNode"), Some("TrendsQuery"))
        );
        assert_eq!(dashboard.tiles[0].color.as_deref(), Some("blue"));
        assert_eq!(
            dashboard.tiles[0].layout("sm"),
            PartialRect {
                x: Some(0),
                y: Some(0),
                w: Some(6),
                h: Some(5)
            }
        );
        let TileContent::Text(text) = dashboard.tiles[1].content() else {
            panic!("second tile is text");
        };
        assert!(text.body.starts_with("## Acquisition"));
    }

    #[test]
    fn other_example_files_are_valid_json() {
        for body in [
            include_str!("../../tests/fixtures/collaborators-list.json"),
            include_str!("../../tests/fixtures/sharing-config.json"),
        ] {
            serde_json::from_str::<Value>(body).unwrap();
        }
    }

    #[test]
    fn odd_but_valid_dashboard_decodes() {
        let body = r#"{
            "id": 7, "name": null, "description": null, "pinned": null,
            "created_by": null, "tags": null, "tiles": null,
            "creation_mode": "something_new", "brand_new_field": {"a": 1}
        }"#;
        let dashboard: Dashboard = serde_json::from_str(body).unwrap();
        assert_eq!(dashboard.name, None);
        assert_eq!(dashboard.description, "");
        assert!(!dashboard.pinned);
        assert!(dashboard.tags.is_empty());
        assert!(dashboard.tiles.is_empty());
        assert_eq!(dashboard.creation_mode, CreationMode::Other);
        assert!(dashboard.can_edit(), "missing level means editable");
    }

    #[test]
    fn minimal_dashboard_without_optional_fields_decodes() {
        let dashboard: Dashboard = serde_json::from_str(r#"{"id": 1, "tiles": []}"#).unwrap();
        assert_eq!(dashboard.id, 1);
        assert!(dashboard.tiles.is_empty());
    }

    #[test]
    fn restricted_dashboard_is_read_only() {
        let dashboard: Dashboard =
            serde_json::from_str(r#"{"id": 1, "effective_privilege_level": 21}"#).unwrap();
        assert!(!dashboard.can_edit());
    }

    #[test]
    fn tile_layouts_tolerate_strings_missing_and_junk() {
        let body = r#"[
            {"id": 1, "layouts": {"sm": {"x": "2", "y": "3", "w": "7", "h": 4.0}}, "text": {"body": null}},
            {"id": 2, "layouts": {}, "text": {"body": "hi"}},
            {"id": 3, "layouts": null},
            {"id": 4, "layouts": {"sm": "broken"}, "button_tile": {"url": "/x"}},
            {"id": 5, "layouts": {"sm": {"w": 4}}}
        ]"#;
        let tiles: Vec<Tile> = serde_json::from_str(body).unwrap();
        assert_eq!(
            tiles[0].layout("sm"),
            PartialRect {
                x: Some(2),
                y: Some(3),
                w: Some(7),
                h: Some(4)
            }
        );
        assert_eq!(tiles[1].layout("sm"), PartialRect::default());
        assert_eq!(tiles[2].layout("sm"), PartialRect::default());
        assert_eq!(tiles[3].layout("sm"), PartialRect::default());
        assert_eq!(tiles[3].content(), TileContent::Other);
        assert_eq!(tiles[4].layout("sm").w, Some(4));
        let TileContent::Text(text) = tiles[0].content() else {
            panic!("text tile");
        };
        assert_eq!(text.body, "");
    }

    #[test]
    fn insight_title_falls_back_to_derived_name() {
        let insight: Insight =
            serde_json::from_str(r#"{"id": 1, "name": " ", "derived_name": "Pageviews count"}"#)
                .unwrap();
        assert_eq!(insight.title(), Some("Pageviews count"));
        let nameless: Insight = serde_json::from_str(r#"{"id": 2, "name": null}"#).unwrap();
        assert_eq!(nameless.title(), None);
        assert_eq!(nameless.query_kinds(), (None, None));
    }

    #[test]
    fn user_and_projects_decode() {
        let user: User = serde_json::from_str(
            r#"{"id": 1, "uuid": "u", "first_name": "Ada", "email": "ada@example.com",
                "team": {"id": 2, "project_id": 1, "name": "Web"},
                "organization": {"id": "0191-org", "name": "Hogflix"},
                "organizations": []}"#,
        )
        .unwrap();
        assert_eq!(user.team.unwrap().project_id(), 1);
        assert_eq!(user.organization.unwrap().id, "0191-org");
        let legacy: TeamBasic = serde_json::from_str(r#"{"id": 5}"#).unwrap();
        assert_eq!(legacy.project_id(), 5);
        let page: Page<Project> = serde_json::from_str(
            r#"{"count": 1, "next": null, "previous": null, "results": [{"id": 1, "name": "Hogflix Web", "organization": "x"}]}"#,
        )
        .unwrap();
        assert_eq!(page.results[0].name, "Hogflix Web");
    }

    #[test]
    fn tile_patches_serialize_as_posthog_reads_them() {
        let sm = Rect {
            x: 1,
            y: 2,
            w: 3,
            h: 4,
        };
        let xs = Rect {
            x: 0,
            y: 9,
            w: 1,
            h: 4,
        };
        let kept = serde_json::json!({"sm": {"i": "21", "x": 0, "y": 0, "w": 6, "h": 5, "minW": 3, "minH": 5}});
        let moved = layouts_with(&kept, sm, xs);
        assert_eq!(
            moved["sm"]["minW"], 3,
            "react-grid-layout extras survive a move"
        );
        assert_eq!(moved["sm"]["i"], "21");
        assert_eq!(moved["sm"]["x"], sm.x);
        let layouts = layouts_with(&serde_json::json!({"lg": {"x": 5}, "sm": "junk"}), sm, xs);
        assert_eq!(
            TilePatch::Layout { id: 7, layouts }.to_json(),
            serde_json::json!({"id": 7, "layouts": {
                "lg": {"x": 5}, "sm": {"x": 1, "y": 2, "w": 3, "h": 4}, "xs": {"x": 0, "y": 9, "w": 1, "h": 4}
            }})
        );
        assert_eq!(
            TilePatch::Deleted {
                id: 3,
                deleted: true
            }
            .to_json(),
            serde_json::json!({"id": 3, "deleted": true})
        );
        assert_eq!(
            TilePatch::Text {
                text_id: None,
                body: "hi".into()
            }
            .to_json(),
            serde_json::json!({"text": {"body": "hi"}})
        );
        assert_eq!(
            TilePatch::Text {
                text_id: Some(4),
                body: "x".into()
            }
            .to_json(),
            serde_json::json!({"text": {"id": 4, "body": "x"}})
        );
        assert_eq!(
            TilePatch::Color { id: 1, color: None }.to_json(),
            serde_json::json!({"id": 1, "color": null})
        );
    }
}
