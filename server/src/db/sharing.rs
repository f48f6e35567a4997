//! Sharing configurations of dashboards (`SharingConfiguration`): the active one has no
//! `expires_at`; a rotated-out one keeps working until its `expires_at`.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use super::{json_column, json_text};

/// One sharing configuration row.
#[derive(Debug, Clone)]
pub struct SharingConfiguration {
    pub id: i64,
    pub team_id: i64,
    pub dashboard_id: i64,
    pub enabled: bool,
    pub access_token: String,
    /// A JSON object or null.
    pub settings: Value,
    pub password_required: bool,
    pub created_at: String,
    pub expires_at: Option<String>,
}

fn from_row(r: &Row) -> rusqlite::Result<SharingConfiguration> {
    Ok(SharingConfiguration {
        id: r.get("id")?,
        team_id: r.get("team_id")?,
        dashboard_id: r.get("dashboard_id")?,
        enabled: r.get("enabled")?,
        access_token: r.get("access_token")?,
        settings: json_column(r, "settings")?,
        password_required: r.get("password_required")?,
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
    })
}

/// The dashboard's active configuration, if one was ever saved.
pub fn active(
    conn: &Connection,
    dashboard_id: i64,
) -> rusqlite::Result<Option<SharingConfiguration>> {
    conn.query_row(
        "SELECT * FROM sharing_configurations WHERE dashboard_id = ?1 AND expires_at IS NULL \
         ORDER BY id DESC LIMIT 1",
        [dashboard_id],
        from_row,
    )
    .optional()
}

/// The enabled configuration whose token is `token` and which has not expired by `now`.
pub fn by_token(
    conn: &Connection,
    token: &str,
    now: &str,
) -> rusqlite::Result<Option<SharingConfiguration>> {
    conn.query_row(
        "SELECT * FROM sharing_configurations WHERE access_token = ?1 AND enabled = 1 \
         AND dashboard_id IS NOT NULL AND (expires_at IS NULL OR expires_at > ?2)",
        params![token, now],
        from_row,
    )
    .optional()
}

/// Inserts `c` (its `id` is ignored) and returns the new id.
pub fn insert(conn: &Connection, c: &SharingConfiguration) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO sharing_configurations (team_id, dashboard_id, enabled, access_token, settings, \
         password_required, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            c.team_id,
            c.dashboard_id,
            c.enabled,
            c.access_token,
            (!c.settings.is_null()).then(|| json_text(&c.settings)),
            c.password_required,
            c.created_at,
            c.expires_at,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Writes `c`'s fields back.
pub fn save(conn: &Connection, c: &SharingConfiguration) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sharing_configurations SET enabled = ?2, access_token = ?3, settings = ?4, \
         password_required = ?5, expires_at = ?6 WHERE id = ?1",
        params![
            c.id,
            c.enabled,
            c.access_token,
            (!c.settings.is_null()).then(|| json_text(&c.settings)),
            c.password_required,
            c.expires_at,
        ],
    )?;
    Ok(())
}

/// Ends the grace period of every rotated-out token of the dashboard (sharing was turned off).
pub fn expire_rotated(conn: &Connection, dashboard_id: i64, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sharing_configurations SET expires_at = ?2 \
         WHERE dashboard_id = ?1 AND expires_at IS NOT NULL AND expires_at > ?2",
        params![dashboard_id, now],
    )?;
    Ok(())
}
