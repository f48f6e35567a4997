//! Collaborators of restricted dashboards (ee `DashboardPrivilege`).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::accounts::{self, User};

/// One collaborator row.
#[derive(Debug, Clone)]
pub struct Privilege {
    pub id: String,
    pub dashboard_id: i64,
    pub user_id: i64,
    pub level: i64,
    pub added_at: String,
    pub updated_at: String,
}

fn from_row(r: &Row) -> rusqlite::Result<Privilege> {
    Ok(Privilege {
        id: r.get("id")?,
        dashboard_id: r.get("dashboard_id")?,
        user_id: r.get("user_id")?,
        level: r.get("level")?,
        added_at: r.get("added_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// The dashboard's collaborators with their users, in the order they were added.
pub fn list(conn: &Connection, dashboard_id: i64) -> rusqlite::Result<Vec<(Privilege, User)>> {
    let mut stmt = conn.prepare(
        "SELECT * FROM dashboard_privileges WHERE dashboard_id = ?1 ORDER BY added_at, id",
    )?;
    let rows = stmt
        .query_map([dashboard_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for privilege in rows {
        if let Some(user) = accounts::user(conn, privilege.user_id)? {
            out.push((privilege, user));
        }
    }
    Ok(out)
}

/// The collaborator row of the user with `user_uuid`, if any.
pub fn find_by_user_uuid(
    conn: &Connection,
    dashboard_id: i64,
    user_uuid: &str,
) -> rusqlite::Result<Option<Privilege>> {
    conn.query_row(
        "SELECT p.* FROM dashboard_privileges p JOIN users u ON u.id = p.user_id \
         WHERE p.dashboard_id = ?1 AND u.uuid = ?2",
        params![dashboard_id, user_uuid],
        from_row,
    )
    .optional()
}

/// Inserts a collaborator row.
pub fn insert(conn: &Connection, p: &Privilege) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO dashboard_privileges (id, dashboard_id, user_id, level, added_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            p.id,
            p.dashboard_id,
            p.user_id,
            p.level,
            p.added_at,
            p.updated_at
        ],
    )?;
    Ok(())
}

/// Deletes the collaborator row with `id`.
pub fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM dashboard_privileges WHERE id = ?1", [id])?;
    Ok(())
}
