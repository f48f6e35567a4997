//! OAuth grants (one per consent, with its one-time authorization code) and the access and
//! refresh tokens issued under them. Codes and tokens are found by the hash of their value.

use rusqlite::{params, Connection, OptionalExtension};

use super::json_column;
use crate::clock;

/// What the user consented to: which client may act as whom, with which scopes.
#[derive(Debug, Clone)]
pub struct Grant {
    pub id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub user_id: i64,
    pub scopes: Vec<String>,
    pub code_challenge: String,
    pub code_expires_at: String,
    pub code_used: bool,
}

/// A new grant, before it is stored.
pub struct NewGrant<'a> {
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub user_id: i64,
    pub scopes: &'a [String],
    pub code_secure_value: &'a str,
    pub code_challenge: &'a str,
    pub code_expires_at: &'a str,
}

/// The two kinds of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            TokenKind::Access => "access",
            TokenKind::Refresh => "refresh",
        }
    }
}

fn grant_from_row(r: &rusqlite::Row) -> rusqlite::Result<Grant> {
    Ok(Grant {
        id: r.get("id")?,
        client_id: r.get("client_id")?,
        redirect_uri: r.get("redirect_uri")?,
        user_id: r.get("user_id")?,
        scopes: serde_json::from_value(json_column(r, "scopes")?).unwrap_or_default(),
        code_challenge: r.get("code_challenge")?,
        code_expires_at: r.get("code_expires_at")?,
        code_used: r.get("code_used")?,
    })
}

/// Stores a grant and returns its id.
pub fn insert_grant(conn: &Connection, grant: &NewGrant) -> rusqlite::Result<String> {
    let id = crate::random::uuid();
    conn.execute(
        "INSERT INTO oauth_grants (id, client_id, redirect_uri, user_id, scopes, code_secure_value, \
         code_challenge, code_expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            grant.client_id,
            grant.redirect_uri,
            grant.user_id,
            serde_json::to_string(grant.scopes).unwrap_or_else(|_| "[]".into()),
            grant.code_secure_value,
            grant.code_challenge,
            grant.code_expires_at,
            clock::now(),
        ],
    )?;
    Ok(id)
}

/// The grant whose authorization code hashes to `code_secure_value`, used or not.
pub fn grant_by_code(
    conn: &Connection,
    code_secure_value: &str,
) -> rusqlite::Result<Option<Grant>> {
    conn.query_row(
        "SELECT * FROM oauth_grants WHERE code_secure_value = ?1",
        [code_secure_value],
        grant_from_row,
    )
    .optional()
}

/// Marks the grant's code as used: it can never be exchanged again.
pub fn use_code(conn: &Connection, grant_id: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE oauth_grants SET code_used = 1 WHERE id = ?1",
        [grant_id],
    )?;
    Ok(())
}

/// The grant of a live (unexpired) token of `kind` hashing to `secure_value`.
pub fn grant_by_token(
    conn: &Connection,
    secure_value: &str,
    kind: TokenKind,
) -> rusqlite::Result<Option<Grant>> {
    conn.query_row(
        "SELECT g.* FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id \
         WHERE t.secure_value = ?1 AND t.kind = ?2 AND t.expires_at > ?3",
        params![secure_value, kind.as_str(), clock::now()],
        grant_from_row,
    )
    .optional()
}

/// The grant of any token (of either kind, expired or not) hashing to `secure_value`.
pub fn grant_id_of_token(
    conn: &Connection,
    secure_value: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT grant_id FROM oauth_tokens WHERE secure_value = ?1",
        [secure_value],
        |r| r.get(0),
    )
    .optional()
}

/// Stores a token of `kind` under `grant_id`, valid until `expires_at`.
pub fn insert_token(
    conn: &Connection,
    grant_id: &str,
    secure_value: &str,
    kind: TokenKind,
    expires_at: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO oauth_tokens (secure_value, grant_id, kind, expires_at, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            secure_value,
            grant_id,
            kind.as_str(),
            expires_at,
            clock::now()
        ],
    )?;
    Ok(())
}

/// Deletes every token issued under `grant_id` (rotation, revocation, a replayed code).
pub fn revoke_tokens(conn: &Connection, grant_id: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM oauth_tokens WHERE grant_id = ?1", [grant_id])?;
    Ok(())
}
