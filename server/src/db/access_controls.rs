//! ee `AccessControl` rows for dashboards: per member, or the dashboard's default (no member).

use rusqlite::{params, Connection, OptionalExtension, Row};

/// The resource name PostHog stores for dashboards.
pub const DASHBOARD: &str = "dashboard";

/// One access control row.
#[derive(Debug, Clone)]
pub struct AccessControl {
    pub id: String,
    pub team_id: i64,
    pub resource_id: String,
    pub access_level: String,
    /// The organization membership (uuid) it applies to; `None` = the default level.
    pub organization_member_id: Option<String>,
    pub created_by_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

fn from_row(r: &Row) -> rusqlite::Result<AccessControl> {
    Ok(AccessControl {
        id: r.get("id")?,
        team_id: r.get("team_id")?,
        resource_id: r.get("resource_id")?,
        access_level: r.get("access_level")?,
        organization_member_id: r.get("organization_member_id")?,
        created_by_id: r.get("created_by_id")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// The dashboard's rows, default first, then by creation.
pub fn for_dashboard(
    conn: &Connection,
    team_id: i64,
    dashboard_id: i64,
) -> rusqlite::Result<Vec<AccessControl>> {
    let mut stmt = conn.prepare(
        "SELECT * FROM access_controls WHERE team_id = ?1 AND resource = ?2 AND resource_id = ?3 \
         ORDER BY organization_member_id IS NOT NULL, created_at, id",
    )?;
    let rows = stmt.query_map(
        params![team_id, DASHBOARD, dashboard_id.to_string()],
        from_row,
    )?;
    rows.collect()
}

/// The row for `member` (a membership uuid), or the default row when `member` is `None`.
pub fn find(
    conn: &Connection,
    team_id: i64,
    dashboard_id: i64,
    member: Option<&str>,
) -> rusqlite::Result<Option<AccessControl>> {
    conn.query_row(
        "SELECT * FROM access_controls WHERE team_id = ?1 AND resource = ?2 AND resource_id = ?3 \
         AND organization_member_id IS ?4 AND role_id IS NULL",
        params![team_id, DASHBOARD, dashboard_id.to_string(), member],
        from_row,
    )
    .optional()
}

/// The level that applies to the member: their own row, else the dashboard's default row.
pub fn level_for_member(
    conn: &Connection,
    team_id: i64,
    dashboard_id: i64,
    member: &str,
) -> rusqlite::Result<Option<String>> {
    Ok(match find(conn, team_id, dashboard_id, Some(member))? {
        Some(row) => Some(row.access_level),
        None => find(conn, team_id, dashboard_id, None)?.map(|row| row.access_level),
    })
}

/// Inserts `row`, or updates the level of the row with the same id.
pub fn save(conn: &Connection, row: &AccessControl) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO access_controls (id, team_id, resource, resource_id, access_level, \
         organization_member_id, created_by_id, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         ON CONFLICT (id) DO UPDATE SET access_level = excluded.access_level, updated_at = excluded.updated_at",
        params![
            row.id,
            row.team_id,
            DASHBOARD,
            row.resource_id,
            row.access_level,
            row.organization_member_id,
            row.created_by_id,
            row.created_at,
            row.updated_at,
        ],
    )?;
    Ok(())
}

/// Deletes the row with `id`.
pub fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM access_controls WHERE id = ?1", [id])?;
    Ok(())
}
