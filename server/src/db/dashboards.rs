//! Dashboards, their tags, sharing state and per-user privileges.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use super::{json_column, json_text};

/// A dashboard row.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub id: i64,
    pub team_id: i64,
    pub name: Option<String>,
    pub description: String,
    pub pinned: bool,
    pub created_at: String,
    pub created_by_id: Option<i64>,
    pub last_accessed_at: Option<String>,
    pub last_refresh: Option<String>,
    pub deleted: bool,
    pub creation_mode: String,
    pub restriction_level: i64,
    pub filters: Value,
    pub variables: Value,
    pub breakdown_colors: Value,
    pub data_color_theme_id: Option<i64>,
    pub quick_filter_ids: Value,
}

/// The fields a create sets; everything else takes the model default.
#[derive(Debug, Clone)]
pub struct NewDashboard {
    pub team_id: i64,
    pub created_by_id: i64,
    pub creation_mode: &'static str,
    pub created_at: String,
}

fn dashboard_from_row(r: &Row) -> rusqlite::Result<Dashboard> {
    Ok(Dashboard {
        id: r.get("id")?,
        team_id: r.get("team_id")?,
        name: r.get("name")?,
        description: r.get("description")?,
        pinned: r.get("pinned")?,
        created_at: r.get("created_at")?,
        created_by_id: r.get("created_by_id")?,
        last_accessed_at: r.get("last_accessed_at")?,
        last_refresh: r.get("last_refresh")?,
        deleted: r.get("deleted")?,
        creation_mode: r.get("creation_mode")?,
        restriction_level: r.get("restriction_level")?,
        filters: json_column(r, "filters")?,
        variables: json_column(r, "variables")?,
        breakdown_colors: json_column(r, "breakdown_colors")?,
        data_color_theme_id: r.get("data_color_theme_id")?,
        quick_filter_ids: json_column(r, "quick_filter_ids")?,
    })
}

/// The dashboard `id` of `team_id`; soft-deleted ones only if `include_deleted`.
pub fn get(
    conn: &Connection,
    team_id: i64,
    id: i64,
    include_deleted: bool,
) -> rusqlite::Result<Option<Dashboard>> {
    conn.query_row(
        "SELECT * FROM dashboards WHERE id = ?1 AND team_id = ?2 AND (deleted = 0 OR ?3)",
        params![id, team_id, include_deleted],
        dashboard_from_row,
    )
    .optional()
}

/// The live dashboards of `team_id`, optionally only those of one creation mode (unlisted ones are
/// left out unless asked for by mode, as PostHog does).
pub fn list_live(
    conn: &Connection,
    team_id: i64,
    creation_mode: Option<&str>,
) -> rusqlite::Result<Vec<Dashboard>> {
    let mut stmt = conn.prepare(
        "SELECT * FROM dashboards WHERE team_id = ?1 AND deleted = 0 \
         AND (creation_mode = ?2 OR (?2 IS NULL AND creation_mode <> 'unlisted')) ORDER BY id",
    )?;
    let rows = stmt.query_map(params![team_id, creation_mode], dashboard_from_row)?;
    rows.collect()
}

/// Inserts a dashboard and returns its id.
pub fn insert(conn: &Connection, new: &NewDashboard) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO dashboards (team_id, created_by_id, creation_mode, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![new.team_id, new.created_by_id, new.creation_mode, new.created_at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Writes every stored field of `d` back.
pub fn save(conn: &Connection, d: &Dashboard) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE dashboards SET name = ?2, description = ?3, pinned = ?4, last_accessed_at = ?5, \
         last_refresh = ?6, deleted = ?7, restriction_level = ?8, filters = ?9, variables = ?10, \
         breakdown_colors = ?11, data_color_theme_id = ?12, quick_filter_ids = ?13 WHERE id = ?1",
        params![
            d.id,
            d.name,
            d.description,
            d.pinned,
            d.last_accessed_at,
            d.last_refresh,
            d.deleted,
            d.restriction_level,
            json_text(&d.filters),
            json_text(&d.variables),
            json_text(&d.breakdown_colors),
            d.data_color_theme_id,
            (!d.quick_filter_ids.is_null()).then(|| json_text(&d.quick_filter_ids)),
        ],
    )?;
    Ok(())
}

/// Sets `last_accessed_at`, as every retrieve does.
pub fn touch_accessed(conn: &Connection, id: i64, at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE dashboards SET last_accessed_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

/// The tag names of one dashboard, sorted.
pub fn tags(conn: &Connection, dashboard_id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT t.name FROM tagged_items ti JOIN tags t ON t.id = ti.tag_id \
         WHERE ti.dashboard_id = ?1 ORDER BY t.name",
    )?;
    let rows = stmt.query_map([dashboard_id], |r| r.get(0))?;
    rows.collect()
}

/// Replaces the dashboard's tags with `names` (already normalised).
pub fn set_tags(
    conn: &Connection,
    team_id: i64,
    dashboard_id: i64,
    names: &[String],
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM tagged_items WHERE dashboard_id = ?1",
        [dashboard_id],
    )?;
    for name in names {
        conn.execute(
            "INSERT INTO tags (team_id, name) VALUES (?1, ?2) ON CONFLICT (team_id, name) DO NOTHING",
            params![team_id, name],
        )?;
        conn.execute(
            "INSERT INTO tagged_items (tag_id, dashboard_id) \
             SELECT id, ?3 FROM tags WHERE team_id = ?1 AND name = ?2",
            params![team_id, name, dashboard_id],
        )?;
    }
    Ok(())
}

/// Whether the dashboard's active sharing configuration is enabled.
pub fn is_shared(conn: &Connection, dashboard_id: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sharing_configurations \
         WHERE dashboard_id = ?1 AND enabled = 1 AND expires_at IS NULL)",
        [dashboard_id],
        |r| r.get(0),
    )
}

/// `user_id`'s explicit privilege level on the dashboard (a collaborator row), if any.
pub fn privilege_level(
    conn: &Connection,
    dashboard_id: i64,
    user_id: i64,
) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT level FROM dashboard_privileges WHERE dashboard_id = ?1 AND user_id = ?2",
        params![dashboard_id, user_id],
        |r| r.get(0),
    )
    .optional()
}

/// The team of dashboard `id` and whether it is deleted, whatever project it is in.
pub fn owner(conn: &Connection, id: i64) -> rusqlite::Result<Option<(i64, bool)>> {
    conn.query_row(
        "SELECT team_id, deleted FROM dashboards WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}
