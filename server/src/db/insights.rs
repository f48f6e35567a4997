//! Insights as the insights API reads and writes them (inserting and tile links are in `tiles`).

use rusqlite::{params, Connection, OptionalExtension};

use super::json_text;
use super::tiles::{insight_from_row, Insight};

/// The list filters of `GET /insights/`.
#[derive(Debug, Default)]
pub struct InsightFilters {
    pub saved: Option<bool>,
    pub short_id: Option<String>,
    /// Lower-cased; matched against name, derived name and description.
    pub search: Option<String>,
}

/// The team's live insights matching `f`, most recently modified first.
pub fn list_live(
    conn: &Connection,
    team_id: i64,
    f: &InsightFilters,
) -> rusqlite::Result<Vec<Insight>> {
    let mut stmt = conn.prepare(
        "SELECT * FROM insights WHERE team_id = ?1 AND deleted = 0 \
         AND (?2 IS NULL OR saved = ?2) AND (?3 IS NULL OR short_id = ?3) \
         AND (?4 IS NULL OR instr(lower(COALESCE(name, '') || ' ' || COALESCE(derived_name, '') \
              || ' ' || description), ?4) > 0) \
         ORDER BY last_modified_at DESC, id DESC",
    )?;
    let rows = stmt.query_map(
        params![team_id, f.saved, f.short_id, f.search],
        insight_from_row,
    )?;
    rows.collect()
}

/// Insight `id` of `team_id`; soft-deleted ones only if `include_deleted`.
pub fn get(
    conn: &Connection,
    team_id: i64,
    id: i64,
    include_deleted: bool,
) -> rusqlite::Result<Option<Insight>> {
    conn.query_row(
        "SELECT * FROM insights WHERE id = ?1 AND team_id = ?2 AND (deleted = 0 OR ?3)",
        params![id, team_id, include_deleted],
        insight_from_row,
    )
    .optional()
}

/// Writes the fields the insights API may change back.
pub fn save(conn: &Connection, i: &Insight) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE insights SET name = ?2, description = ?3, query = ?4, saved = ?5, favorited = ?6, \
         deleted = ?7, updated_at = ?8, last_modified_at = ?9, last_modified_by_id = ?10 WHERE id = ?1",
        params![
            i.id,
            i.name,
            i.description,
            (!i.query.is_null()).then(|| json_text(&i.query)),
            i.saved,
            i.favorited,
            i.deleted,
            i.updated_at,
            i.last_modified_at,
            i.last_modified_by_id,
        ],
    )?;
    Ok(())
}
