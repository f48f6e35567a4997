//! Dashboard tiles and what they show: insights and text cards.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use super::{json_column, json_text};

/// A tile row: exactly one of `insight_id` / `text_id` is set.
#[derive(Debug, Clone)]
pub struct Tile {
    pub id: i64,
    pub dashboard_id: i64,
    pub insight_id: Option<i64>,
    pub text_id: Option<i64>,
    pub layouts: Value,
    pub color: Option<String>,
    pub filters_overrides: Value,
    pub show_description: Option<bool>,
    pub transparent_background: Option<bool>,
    pub deleted: Option<bool>,
    pub last_refresh: Option<String>,
}

/// A text card.
#[derive(Debug, Clone)]
pub struct Text {
    pub id: i64,
    pub team_id: i64,
    pub body: Option<String>,
    pub created_by_id: Option<i64>,
    pub last_modified_by_id: Option<i64>,
    pub last_modified_at: String,
}

/// A saved insight with its cached result.
#[derive(Debug, Clone)]
pub struct Insight {
    pub id: i64,
    pub short_id: String,
    pub team_id: i64,
    pub name: Option<String>,
    pub derived_name: Option<String>,
    pub description: String,
    pub query: Value,
    pub result: Value,
    pub columns: Value,
    pub types: Value,
    pub last_refresh: Option<String>,
    pub favorited: bool,
    pub saved: bool,
    pub is_sample: bool,
    pub deleted: bool,
    pub filters_hash: String,
    pub created_at: String,
    pub created_by_id: Option<i64>,
    pub updated_at: String,
    pub last_modified_at: String,
    pub last_modified_by_id: Option<i64>,
}

/// A tile's link as the insight and text serializers list it (`dashboard_tiles`).
#[derive(Debug, Clone)]
pub struct TileLink {
    pub id: i64,
    pub dashboard_id: i64,
    pub deleted: Option<bool>,
}

impl Tile {
    /// A new tile (not yet inserted) showing one insight or one text card, with default display.
    pub fn new(dashboard_id: i64, insight_id: Option<i64>, text_id: Option<i64>) -> Self {
        Self {
            id: 0,
            dashboard_id,
            insight_id,
            text_id,
            layouts: Value::Object(Default::default()),
            color: None,
            filters_overrides: Value::Object(Default::default()),
            show_description: None,
            transparent_background: None,
            deleted: None,
            last_refresh: None,
        }
    }
}

impl Text {
    /// A new text card (not yet inserted) written by `created_by_id` at `at`.
    pub fn new(team_id: i64, body: Option<String>, created_by_id: i64, at: String) -> Self {
        Self {
            id: 0,
            team_id,
            body,
            created_by_id: Some(created_by_id),
            last_modified_by_id: None,
            last_modified_at: at,
        }
    }
}

impl Insight {
    /// A new, empty, unsaved insight (not yet inserted) created by `user_id` at `at`, with a fresh
    /// short id and cache key.
    pub fn new(team_id: i64, user_id: i64, at: String) -> Self {
        Self {
            id: 0,
            short_id: crate::random::short_id(),
            team_id,
            name: None,
            derived_name: None,
            description: String::new(),
            query: Value::Null,
            result: Value::Null,
            columns: Value::Null,
            types: Value::Null,
            last_refresh: None,
            favorited: false,
            saved: false,
            is_sample: false,
            deleted: false,
            filters_hash: crate::random::filters_hash(),
            created_at: at.clone(),
            created_by_id: Some(user_id),
            updated_at: at.clone(),
            last_modified_at: at,
            last_modified_by_id: Some(user_id),
        }
    }
}

fn tile_from_row(r: &Row) -> rusqlite::Result<Tile> {
    Ok(Tile {
        id: r.get("id")?,
        dashboard_id: r.get("dashboard_id")?,
        insight_id: r.get("insight_id")?,
        text_id: r.get("text_id")?,
        layouts: json_column(r, "layouts")?,
        color: r.get("color")?,
        filters_overrides: json_column(r, "filters_overrides")?,
        show_description: r.get("show_description")?,
        transparent_background: r.get("transparent_background")?,
        deleted: r.get("deleted")?,
        last_refresh: r.get("last_refresh")?,
    })
}

/// The tiles a dashboard shows: not deleted, and not showing a deleted insight. Unsorted.
pub fn visible_tiles(conn: &Connection, dashboard_id: i64) -> rusqlite::Result<Vec<Tile>> {
    let mut stmt = conn.prepare(
        "SELECT t.* FROM dashboard_tiles t LEFT JOIN insights i ON i.id = t.insight_id \
         WHERE t.dashboard_id = ?1 AND COALESCE(t.deleted, 0) = 0 AND COALESCE(i.deleted, 0) = 0 \
         ORDER BY t.id",
    )?;
    let rows = stmt.query_map([dashboard_id], tile_from_row)?;
    rows.collect()
}

/// Tile `id` of the dashboard, soft-deleted or not.
pub fn tile(conn: &Connection, dashboard_id: i64, id: i64) -> rusqlite::Result<Option<Tile>> {
    conn.query_row(
        "SELECT * FROM dashboard_tiles WHERE id = ?1 AND dashboard_id = ?2",
        params![id, dashboard_id],
        tile_from_row,
    )
    .optional()
}

/// The dashboard's tile whose `column` (`insight_id` or `text_id`) is `id`, soft-deleted or not.
fn tile_showing(
    conn: &Connection,
    dashboard_id: i64,
    column: &str,
    id: i64,
) -> rusqlite::Result<Option<Tile>> {
    conn.query_row(
        &format!("SELECT * FROM dashboard_tiles WHERE dashboard_id = ?1 AND {column} = ?2"),
        params![dashboard_id, id],
        tile_from_row,
    )
    .optional()
}

/// The dashboard's tile showing text `text_id`, soft-deleted or not.
pub fn tile_of_text(
    conn: &Connection,
    dashboard_id: i64,
    text_id: i64,
) -> rusqlite::Result<Option<Tile>> {
    tile_showing(conn, dashboard_id, "text_id", text_id)
}

/// The dashboard's tile showing insight `insight_id`, soft-deleted or not.
pub fn tile_of_insight(
    conn: &Connection,
    dashboard_id: i64,
    insight_id: i64,
) -> rusqlite::Result<Option<Tile>> {
    tile_showing(conn, dashboard_id, "insight_id", insight_id)
}

/// The destination's tile showing the same insight or text as `tile`, soft-deleted or not.
pub fn same_content_on(
    conn: &Connection,
    dashboard_id: i64,
    tile: &Tile,
) -> rusqlite::Result<Option<Tile>> {
    match (tile.insight_id, tile.text_id) {
        (Some(insight), _) => tile_of_insight(conn, dashboard_id, insight),
        (None, Some(text)) => tile_of_text(conn, dashboard_id, text),
        (None, None) => Ok(None),
    }
}

/// Moves tile `id` to another dashboard, keeping its id and layouts.
pub fn move_to(conn: &Connection, id: i64, dashboard_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE dashboard_tiles SET dashboard_id = ?2 WHERE id = ?1",
        params![id, dashboard_id],
    )?;
    Ok(())
}

/// Removes tile row `id` for good (a soft-deleted shadow in the way of a move).
pub fn delete_row(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM dashboard_tiles WHERE id = ?1", [id])?;
    Ok(())
}

/// Inserts `tile` (its `id` is ignored) and returns the new id.
pub fn insert_tile(conn: &Connection, tile: &Tile) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO dashboard_tiles (dashboard_id, insight_id, text_id, layouts, color, filters_overrides, \
         show_description, transparent_background, deleted, last_refresh) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            tile.dashboard_id,
            tile.insight_id,
            tile.text_id,
            json_text(&tile.layouts),
            tile.color,
            json_text(&tile.filters_overrides),
            tile.show_description,
            tile.transparent_background,
            tile.deleted,
            tile.last_refresh,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Writes a tile's display fields back.
pub fn save_tile(conn: &Connection, tile: &Tile) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE dashboard_tiles SET layouts = ?2, color = ?3, filters_overrides = ?4, show_description = ?5, \
         transparent_background = ?6, deleted = ?7 WHERE id = ?1",
        params![
            tile.id,
            json_text(&tile.layouts),
            tile.color,
            json_text(&tile.filters_overrides),
            tile.show_description,
            tile.transparent_background,
            tile.deleted,
        ],
    )?;
    Ok(())
}

/// Marks every tile of the dashboard deleted or not (soft delete and restore of a dashboard).
pub fn set_all_deleted(
    conn: &Connection,
    dashboard_id: i64,
    deleted: bool,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE dashboard_tiles SET deleted = ?2 WHERE dashboard_id = ?1",
        params![dashboard_id, deleted],
    )?;
    Ok(())
}

/// Soft-deletes the insights whose only live tile is on this dashboard (`delete_insights: true`).
pub fn delete_insights_only_on(conn: &Connection, dashboard_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE insights SET deleted = 1 WHERE id IN ( \
           SELECT insight_id FROM dashboard_tiles WHERE dashboard_id = ?1 AND insight_id IS NOT NULL) \
         AND NOT EXISTS (SELECT 1 FROM dashboard_tiles o JOIN dashboards d ON d.id = o.dashboard_id \
           WHERE o.insight_id = insights.id AND o.dashboard_id <> ?1 \
           AND COALESCE(o.deleted, 0) = 0 AND d.deleted = 0)",
        [dashboard_id],
    )?;
    Ok(())
}

/// Undeletes the insights shown on the dashboard (restore brings them back with it).
pub fn undelete_insights_on(conn: &Connection, dashboard_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE insights SET deleted = 0 WHERE id IN ( \
           SELECT insight_id FROM dashboard_tiles WHERE dashboard_id = ?1 AND insight_id IS NOT NULL)",
        [dashboard_id],
    )?;
    Ok(())
}

fn text_from_row(r: &Row) -> rusqlite::Result<Text> {
    Ok(Text {
        id: r.get("id")?,
        team_id: r.get("team_id")?,
        body: r.get("body")?,
        created_by_id: r.get("created_by_id")?,
        last_modified_by_id: r.get("last_modified_by_id")?,
        last_modified_at: r.get("last_modified_at")?,
    })
}

/// Text card `id`.
pub fn text(conn: &Connection, id: i64) -> rusqlite::Result<Option<Text>> {
    conn.query_row("SELECT * FROM texts WHERE id = ?1", [id], text_from_row)
        .optional()
}

/// Inserts a text card (its `id` is ignored) and returns the new id.
pub fn insert_text(conn: &Connection, text: &Text) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO texts (team_id, body, created_by_id, last_modified_by_id, last_modified_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            text.team_id,
            text.body,
            text.created_by_id,
            text.last_modified_by_id,
            text.last_modified_at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Writes a text card's body and modification stamp back.
pub fn save_text(conn: &Connection, text: &Text) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE texts SET body = ?2, last_modified_by_id = ?3, last_modified_at = ?4 WHERE id = ?1",
        params![
            text.id,
            text.body,
            text.last_modified_by_id,
            text.last_modified_at
        ],
    )?;
    Ok(())
}

pub(super) fn insight_from_row(r: &Row) -> rusqlite::Result<Insight> {
    Ok(Insight {
        id: r.get("id")?,
        short_id: r.get("short_id")?,
        team_id: r.get("team_id")?,
        name: r.get("name")?,
        derived_name: r.get("derived_name")?,
        description: r.get("description")?,
        query: json_column(r, "query")?,
        result: json_column(r, "result")?,
        columns: json_column(r, "columns")?,
        types: json_column(r, "types")?,
        last_refresh: r.get("last_refresh")?,
        favorited: r.get("favorited")?,
        saved: r.get("saved")?,
        is_sample: r.get("is_sample")?,
        deleted: r.get("deleted")?,
        filters_hash: r.get("filters_hash")?,
        created_at: r.get("created_at")?,
        created_by_id: r.get("created_by_id")?,
        updated_at: r.get("updated_at")?,
        last_modified_at: r.get("last_modified_at")?,
        last_modified_by_id: r.get("last_modified_by_id")?,
    })
}

/// Insight `id`.
pub fn insight(conn: &Connection, id: i64) -> rusqlite::Result<Option<Insight>> {
    conn.query_row(
        "SELECT * FROM insights WHERE id = ?1",
        [id],
        insight_from_row,
    )
    .optional()
}

/// Inserts an insight (its `id` is ignored) and returns the new id.
pub fn insert_insight(conn: &Connection, i: &Insight) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO insights (short_id, team_id, name, derived_name, description, query, result, columns, \
         types, last_refresh, favorited, saved, is_sample, deleted, filters_hash, created_at, created_by_id, \
         updated_at, last_modified_at, last_modified_by_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            i.short_id,
            i.team_id,
            i.name,
            i.derived_name,
            i.description,
            (!i.query.is_null()).then(|| json_text(&i.query)),
            (!i.result.is_null()).then(|| json_text(&i.result)),
            (!i.columns.is_null()).then(|| json_text(&i.columns)),
            (!i.types.is_null()).then(|| json_text(&i.types)),
            i.last_refresh,
            i.favorited,
            i.saved,
            i.is_sample,
            i.deleted,
            i.filters_hash,
            i.created_at,
            i.created_by_id,
            i.updated_at,
            i.last_modified_at,
            i.last_modified_by_id,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Every tile row whose `column` (`insight_id` or `text_id`) is `id`, deleted ones too.
fn links(conn: &Connection, column: &str, id: i64) -> rusqlite::Result<Vec<TileLink>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, dashboard_id, deleted FROM dashboard_tiles WHERE {column} = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([id], |r| {
        Ok(TileLink {
            id: r.get(0)?,
            dashboard_id: r.get(1)?,
            deleted: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// Every tile row showing the insight.
pub fn insight_links(conn: &Connection, insight_id: i64) -> rusqlite::Result<Vec<TileLink>> {
    links(conn, "insight_id", insight_id)
}

/// Every tile row showing the text card.
pub fn text_links(conn: &Connection, text_id: i64) -> rusqlite::Result<Vec<TileLink>> {
    links(conn, "text_id", text_id)
}

/// Ids of the live dashboards the insight is on through a live tile (the insight's `dashboards`).
pub fn insight_dashboard_ids(conn: &Connection, insight_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT t.dashboard_id FROM dashboard_tiles t JOIN dashboards d ON d.id = t.dashboard_id \
         WHERE t.insight_id = ?1 AND COALESCE(t.deleted, 0) = 0 AND d.deleted = 0 ORDER BY t.dashboard_id",
    )?;
    let rows = stmt.query_map([insight_id], |r| r.get(0))?;
    rows.collect()
}
