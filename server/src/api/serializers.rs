//! The one place that turns rows into PostHog's JSON shapes: `UserBasic`, `DashboardBasic`,
//! `Dashboard` (with tiles), `DashboardTile`, `Insight` and `Text`.

use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::{json, Value};

use crate::auth::ProjectContext;
use crate::db::access_controls;
use crate::db::accounts::{self, feature, Organization, Team, User};
use crate::db::dashboards::{self, Dashboard};
use crate::db::tiles::{self, Insight, Text, Tile, TileLink};
use crate::error::ApiError;
use crate::permissions::{access_control_version, AccessLevel, DashboardAccess};

/// `UserBasicSerializer`.
pub fn user_basic(user: &User) -> Value {
    json!({
        "id": user.id,
        "uuid": user.uuid,
        "distinct_id": user.distinct_id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_email_verified": user.is_email_verified,
        "hedgehog_config": null,
        "role_at_organization": user.role_at_organization,
    })
}

/// Who the JSON is for: a project member, or anyone holding a public share link.
#[derive(Clone, Copy)]
enum Viewer<'a> {
    Member(&'a ProjectContext),
    /// Shared pages: no caller, no authorship (PostHog omits `created_by`/`last_modified_by`).
    Public {
        team: &'a Team,
        organization: &'a Organization,
    },
}

/// Serializes for one caller in one project, remembering users already looked up.
pub struct Serializer<'a> {
    conn: &'a Connection,
    viewer: Viewer<'a>,
    users: HashMap<i64, Value>,
}

/// What a dashboard list row needs beyond the dashboard itself, loaded once per list.
pub struct DashboardExtras {
    pub tags: Vec<String>,
    pub is_shared: bool,
    pub access: DashboardAccess,
}

impl<'a> Serializer<'a> {
    /// A serializer for `ctx`'s caller.
    pub fn new(conn: &'a Connection, ctx: &'a ProjectContext) -> Self {
        Self {
            conn,
            viewer: Viewer::Member(ctx),
            users: HashMap::new(),
        }
    }

    /// A serializer for a public share of a dashboard of `team`.
    pub fn public(conn: &'a Connection, team: &'a Team, organization: &'a Organization) -> Self {
        Self {
            conn,
            viewer: Viewer::Public { team, organization },
            users: HashMap::new(),
        }
    }

    fn team(&self) -> &'a Team {
        match self.viewer {
            Viewer::Member(ctx) => &ctx.team,
            Viewer::Public { team, .. } => team,
        }
    }

    fn organization(&self) -> &'a Organization {
        match self.viewer {
            Viewer::Member(ctx) => &ctx.organization,
            Viewer::Public { organization, .. } => organization,
        }
    }

    fn caller_id(&self) -> Option<i64> {
        match self.viewer {
            Viewer::Member(ctx) => Some(ctx.user.id),
            Viewer::Public { .. } => None,
        }
    }

    fn user(&mut self, id: Option<i64>) -> Result<Value, ApiError> {
        let Some(id) = id.filter(|_| matches!(self.viewer, Viewer::Member(_))) else {
            return Ok(Value::Null);
        };
        if let Some(user) = self.users.get(&id) {
            return Ok(user.clone());
        }
        let user = accounts::user(self.conn, id)?.map_or(Value::Null, |u| user_basic(&u));
        self.users.insert(id, user.clone());
        Ok(user)
    }

    /// Loads tags, sharing state and the caller's rights for one dashboard.
    pub fn extras(&self, dashboard: &Dashboard) -> Result<DashboardExtras, ApiError> {
        let access = match self.viewer {
            Viewer::Member(ctx) => dashboard_access(self.conn, ctx, dashboard)?,
            Viewer::Public { .. } => DashboardAccess::shared(),
        };
        Ok(DashboardExtras {
            tags: dashboards::tags(self.conn, dashboard.id)?,
            is_shared: dashboards::is_shared(self.conn, dashboard.id)?,
            access,
        })
    }

    /// `DashboardBasicSerializer` (list rows).
    pub fn dashboard_basic(
        &mut self,
        d: &Dashboard,
        extras: &DashboardExtras,
    ) -> Result<Value, ApiError> {
        // Tags are a licensed feature: without it PostHog reports none.
        let tags = if self.organization().has_feature(feature::TAGGING) {
            json!(extras.tags)
        } else {
            json!([])
        };
        Ok(json!({
            "id": d.id,
            "name": d.name,
            "description": d.description,
            "pinned": d.pinned,
            "created_at": d.created_at,
            "created_by": self.user(d.created_by_id)?,
            "last_accessed_at": d.last_accessed_at,
            "last_viewed_at": null,
            "is_shared": extras.is_shared,
            "deleted": d.deleted,
            "creation_mode": d.creation_mode,
            "tags": tags,
            "restriction_level": d.restriction_level,
            "effective_restriction_level": extras.access.effective_restriction_level,
            "effective_privilege_level": extras.access.effective_privilege_level,
            "user_access_level": extras.access.user_access_level(),
            "access_control_version": access_control_version(d),
            "last_refresh": d.last_refresh,
            "team_id": d.team_id,
        }))
    }

    /// `DashboardSerializer`: the basic fields plus filters, variables and the sorted tiles.
    pub fn dashboard(&mut self, d: &Dashboard) -> Result<Value, ApiError> {
        let extras = self.extras(d)?;
        let mut value = self.dashboard_basic(d, &extras)?;
        let tiles = sort_tiles_by_layout(tiles::visible_tiles(self.conn, d.id)?);
        let tiles = tiles
            .iter()
            .enumerate()
            .map(|(order, tile)| self.tile(tile, order, &extras.access))
            .collect::<Result<Vec<_>, _>>()?;
        let object = value
            .as_object_mut()
            .expect("dashboard_basic builds an object");
        let empty_as_null = |v: &Value| match v {
            Value::Object(o) if o.is_empty() => Value::Null,
            other => other.clone(),
        };
        object.insert("filters".into(), d.filters.clone());
        object.insert("variables".into(), d.variables.clone());
        object.insert("persisted_filters".into(), empty_as_null(&d.filters));
        object.insert("persisted_variables".into(), empty_as_null(&d.variables));
        object.insert("breakdown_colors".into(), d.breakdown_colors.clone());
        object.insert("data_color_theme_id".into(), json!(d.data_color_theme_id));
        let quick_filter_ids = match &d.quick_filter_ids {
            Value::Null => json!([]),
            ids => ids.clone(),
        };
        object.insert("quick_filter_ids".into(), quick_filter_ids);
        object.insert("tiles".into(), Value::Array(tiles));
        Ok(value)
    }

    /// `DashboardTileSerializer`; `order` is the tile's index after sorting.
    pub fn tile(
        &mut self,
        tile: &Tile,
        order: usize,
        access: &DashboardAccess,
    ) -> Result<Value, ApiError> {
        let insight = match tile.insight_id {
            Some(id) => match tiles::insight(self.conn, id)? {
                Some(insight) => self.insight(&insight, access)?,
                None => Value::Null,
            },
            None => Value::Null,
        };
        let text = match tile.text_id {
            Some(id) => match tiles::text(self.conn, id)? {
                Some(text) => self.text(&text)?,
                None => Value::Null,
            },
            None => Value::Null,
        };
        let is_cached = !insight.is_null() && !insight["result"].is_null();
        Ok(json!({
            "id": tile.id,
            "insight": insight,
            "text": text,
            "button_tile": null,
            "widget": null,
            "layouts": tile.layouts,
            "color": tile.color,
            "filters_overrides": tile.filters_overrides,
            "show_description": tile.show_description,
            "transparent_background": tile.transparent_background,
            "order": order,
            "last_refresh": tile.last_refresh,
            "is_cached": is_cached,
        }))
    }

    /// `InsightSerializer`, with the cached result.
    pub fn insight(&mut self, i: &Insight, access: &DashboardAccess) -> Result<Value, ApiError> {
        let links = tiles::insight_links(self.conn, i.id)?;
        let is_creator = i.created_by_id.is_some() && i.created_by_id == self.caller_id();
        let user_access_level = if is_creator {
            "manager"
        } else {
            access.user_access_level()
        };
        Ok(json!({
            "id": i.id,
            "short_id": i.short_id,
            "name": i.name,
            "derived_name": i.derived_name,
            "query": i.query,
            "order": null,
            "deleted": i.deleted,
            "dashboards": tiles::insight_dashboard_ids(self.conn, i.id)?,
            "dashboard_tiles": link_values(&links),
            "last_refresh": i.last_refresh,
            "cache_target_age": null,
            "next_allowed_client_refresh": null,
            "result": i.result,
            "hasMore": i.result.is_array().then_some(false),
            "columns": i.columns,
            "created_at": i.created_at,
            "created_by": self.user(i.created_by_id)?,
            "description": i.description,
            "updated_at": i.updated_at,
            "tags": [],
            "favorited": i.favorited,
            "last_modified_at": i.last_modified_at,
            "last_modified_by": self.user(i.last_modified_by_id)?,
            "is_sample": i.is_sample,
            "effective_restriction_level": access.effective_restriction_level,
            "effective_privilege_level": access.effective_privilege_level,
            "user_access_level": user_access_level,
            "timezone": self.team().timezone,
            "is_cached": !i.result.is_null(),
            "query_status": null,
            "hogql": null,
            "types": i.types,
            "filters": {},
            "filters_hash": i.filters_hash,
            "saved": i.saved,
            "alerts": [],
            "last_viewed_at": null,
            "resolved_date_range": null,
        }))
    }

    /// `InsightSerializer` outside a dashboard (the insights API): the rights follow the
    /// dashboards the insight is on (`UserInsightPermissions`).
    pub fn insight_alone(&mut self, i: &Insight) -> Result<Value, ApiError> {
        let access = match self.viewer {
            Viewer::Member(ctx) => {
                let mut accesses = Vec::new();
                for id in tiles::insight_dashboard_ids(self.conn, i.id)? {
                    if let Some(d) = dashboards::get(self.conn, ctx.team.id, id, false)? {
                        accesses.push(dashboard_access(self.conn, ctx, &d)?);
                    }
                }
                DashboardAccess::for_insight(&accesses)
            }
            Viewer::Public { .. } => DashboardAccess::shared(),
        };
        self.insight(i, &access)
    }

    /// `TextSerializer`.
    pub fn text(&mut self, t: &Text) -> Result<Value, ApiError> {
        let links = tiles::text_links(self.conn, t.id)?;
        Ok(json!({
            "id": t.id,
            "body": t.body,
            "created_by": self.user(t.created_by_id)?,
            "last_modified_by": self.user(t.last_modified_by_id)?,
            "last_modified_at": t.last_modified_at,
            "team": t.team_id,
            "dashboard_tiles": link_values(&links),
        }))
    }
}

/// The caller's rights on `dashboard`: restriction level, collaborator row and access controls.
pub fn dashboard_access(
    conn: &Connection,
    ctx: &ProjectContext,
    dashboard: &Dashboard,
) -> Result<DashboardAccess, ApiError> {
    let privilege = dashboards::privilege_level(conn, dashboard.id, ctx.user.id)?;
    let access_control =
        access_controls::level_for_member(conn, ctx.team.id, dashboard.id, &ctx.membership.id)?
            .as_deref()
            .and_then(AccessLevel::parse);
    Ok(DashboardAccess::new(
        ctx,
        dashboard,
        privilege,
        access_control,
    ))
}

fn link_values(links: &[TileLink]) -> Value {
    links
        .iter()
        .map(|l| json!({"id": l.id, "dashboard_id": l.dashboard_id, "deleted": l.deleted}))
        .collect()
}

/// `DashboardTile.sort_tiles_by_layout`: by `layouts.sm.y`, then `x`; a missing value counts as 100.
pub fn sort_tiles_by_layout(mut tiles: Vec<Tile>) -> Vec<Tile> {
    fn coordinate(tile: &Tile, axis: &str) -> i64 {
        match &tile.layouts["sm"][axis] {
            Value::Number(n) => n.as_f64().map_or(100, |f| f as i64),
            Value::String(s) => s.trim().parse().unwrap_or(100),
            _ => 100,
        }
    }
    tiles.sort_by_key(|t| (coordinate(t, "y"), coordinate(t, "x")));
    tiles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(id: i64, layouts: Value) -> Tile {
        Tile {
            id,
            dashboard_id: 1,
            insight_id: Some(id),
            text_id: None,
            layouts,
            color: None,
            filters_overrides: json!({}),
            show_description: None,
            transparent_background: None,
            deleted: None,
            last_refresh: None,
        }
    }

    #[test]
    fn tiles_sort_by_y_then_x_with_missing_values_last() {
        let sorted = sort_tiles_by_layout(vec![
            tile(1, json!({})),
            tile(2, json!({"sm": {"x": 6, "y": 0}})),
            tile(3, json!({"sm": {"x": 0, "y": "5"}})),
            tile(4, json!({"sm": {"x": 0, "y": 0}})),
            tile(5, json!({"sm": {"x": 0}})),
        ]);
        let ids: Vec<i64> = sorted.iter().map(|t| t.id).collect();
        assert_eq!(ids, vec![4, 2, 3, 5, 1]);
    }
}
