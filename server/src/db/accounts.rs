//! Organizations, users, memberships, teams (projects) and personal API keys.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use super::json_column;

/// A user account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub uuid: String,
    pub distinct_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub is_email_verified: Option<bool>,
    pub role_at_organization: Option<String>,
    pub date_joined: String,
    pub last_login: Option<String>,
    pub current_organization_id: Option<String>,
    pub current_team_id: Option<i64>,
}

/// An organization and its licensed features.
#[derive(Debug, Clone)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub created_at: String,
    pub updated_at: String,
    /// `[{"key": .., "name": ..}]`, as PostHog's `available_product_features`.
    pub available_product_features: Value,
    pub allow_publicly_shared_resources: bool,
}

/// PostHog's `AvailableFeature` keys that change API behaviour here.
pub mod feature {
    /// Dashboard restriction levels and collaborators take effect.
    pub const ACCESS_CONTROL: &str = "access_control";
    /// Tags on dashboards and insights are stored.
    pub const TAGGING: &str = "tagging";
    /// Per-object access controls (`access_controls`) take effect; also sharing passwords.
    pub const ADVANCED_PERMISSIONS: &str = "advanced_permissions";
}

impl Organization {
    /// Whether the organization is licensed for `key` (see [`feature`]).
    pub fn has_feature(&self, key: &str) -> bool {
        self.available_product_features
            .as_array()
            .is_some_and(|list| list.iter().any(|f| f["key"] == key))
    }
}

/// A user's membership of an organization.
#[derive(Debug, Clone)]
pub struct Membership {
    pub id: String,
    pub organization_id: String,
    pub user_id: i64,
    pub level: i64,
    pub joined_at: String,
    pub updated_at: String,
}

/// Organization membership levels (`OrganizationMembership.Level`).
pub mod level {
    /// An ordinary member.
    pub const MEMBER: i64 = 1;
    /// An admin: can restrict any dashboard of the organization's projects.
    pub const ADMIN: i64 = 8;
    /// The owner.
    pub const OWNER: i64 = 15;
}

/// A team (environment). Every project here has one team with the same id.
#[derive(Debug, Clone)]
pub struct Team {
    pub id: i64,
    pub uuid: String,
    pub organization_id: String,
    pub project_id: i64,
    pub name: String,
    pub api_token: String,
    pub timezone: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A personal API key, found by the hash of its value.
#[derive(Debug, Clone)]
pub struct PersonalApiKey {
    pub id: String,
    pub user_id: i64,
    pub scopes: Vec<String>,
    /// Team ids the key is limited to; `None` = every team the user can reach.
    pub scoped_teams: Option<Vec<i64>>,
    /// Organization ids the key is limited to; `None` = all.
    pub scoped_organizations: Option<Vec<String>>,
    pub last_used_at: Option<String>,
}

const USER_COLUMNS: &str =
    "id, uuid, distinct_id, first_name, last_name, email, is_email_verified, \
     role_at_organization, date_joined, last_login, current_organization_id, current_team_id";

fn user_from_row(r: &Row) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get("id")?,
        uuid: r.get("uuid")?,
        distinct_id: r.get("distinct_id")?,
        first_name: r.get("first_name")?,
        last_name: r.get("last_name")?,
        email: r.get("email")?,
        is_email_verified: r.get("is_email_verified")?,
        role_at_organization: r.get("role_at_organization")?,
        date_joined: r.get("date_joined")?,
        last_login: r.get("last_login")?,
        current_organization_id: r.get("current_organization_id")?,
        current_team_id: r.get("current_team_id")?,
    })
}

/// The user with `id`.
pub fn user(conn: &Connection, id: i64) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
        [id],
        user_from_row,
    )
    .optional()
}

/// Every user, by id.
pub fn users(conn: &Connection) -> rusqlite::Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))?;
    let rows = stmt.query_map([], user_from_row)?;
    rows.collect()
}

/// The user with `uuid`.
pub fn user_by_uuid(conn: &Connection, uuid: &str) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE uuid = ?1"),
        [uuid],
        user_from_row,
    )
    .optional()
}

fn organization_from_row(r: &Row) -> rusqlite::Result<Organization> {
    Ok(Organization {
        id: r.get("id")?,
        name: r.get("name")?,
        slug: r.get("slug")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        available_product_features: json_column(r, "available_product_features")?,
        allow_publicly_shared_resources: r.get("allow_publicly_shared_resources")?,
    })
}

/// The organization with `id`.
pub fn organization(conn: &Connection, id: &str) -> rusqlite::Result<Option<Organization>> {
    conn.query_row(
        "SELECT * FROM organizations WHERE id = ?1",
        [id],
        organization_from_row,
    )
    .optional()
}

/// The organizations `user_id` belongs to, oldest membership first.
pub fn organizations_of_user(
    conn: &Connection,
    user_id: i64,
) -> rusqlite::Result<Vec<Organization>> {
    let mut stmt = conn.prepare(
        "SELECT o.* FROM organizations o JOIN organization_memberships m ON m.organization_id = o.id \
         WHERE m.user_id = ?1 ORDER BY m.joined_at, o.id",
    )?;
    let rows = stmt.query_map([user_id], organization_from_row)?;
    rows.collect()
}

fn membership_from_row(r: &Row) -> rusqlite::Result<Membership> {
    Ok(Membership {
        id: r.get("id")?,
        organization_id: r.get("organization_id")?,
        user_id: r.get("user_id")?,
        level: r.get("level")?,
        joined_at: r.get("joined_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// `user_id`'s membership of `organization_id`, if any.
pub fn membership(
    conn: &Connection,
    organization_id: &str,
    user_id: i64,
) -> rusqlite::Result<Option<Membership>> {
    conn.query_row(
        "SELECT * FROM organization_memberships WHERE organization_id = ?1 AND user_id = ?2",
        params![organization_id, user_id],
        membership_from_row,
    )
    .optional()
}

/// The membership `id` (a uuid) of `organization_id`, if any.
pub fn membership_by_id(
    conn: &Connection,
    organization_id: &str,
    id: &str,
) -> rusqlite::Result<Option<Membership>> {
    conn.query_row(
        "SELECT * FROM organization_memberships WHERE organization_id = ?1 AND id = ?2",
        params![organization_id, id],
        membership_from_row,
    )
    .optional()
}

/// Every membership of `organization_id` with its user, in joining order.
pub fn members(
    conn: &Connection,
    organization_id: &str,
) -> rusqlite::Result<Vec<(Membership, User)>> {
    let mut stmt = conn.prepare(
        "SELECT * FROM organization_memberships WHERE organization_id = ?1 ORDER BY joined_at, user_id",
    )?;
    let memberships = stmt
        .query_map([organization_id], membership_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    memberships
        .into_iter()
        .map(|m| {
            let user = user(conn, m.user_id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            Ok((m, user))
        })
        .collect()
}

fn team_from_row(r: &Row) -> rusqlite::Result<Team> {
    Ok(Team {
        id: r.get("id")?,
        uuid: r.get("uuid")?,
        organization_id: r.get("organization_id")?,
        project_id: r.get("project_id")?,
        name: r.get("name")?,
        api_token: r.get("api_token")?,
        timezone: r.get("timezone")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// The team with `id`.
pub fn team(conn: &Connection, id: i64) -> rusqlite::Result<Option<Team>> {
    conn.query_row("SELECT * FROM teams WHERE id = ?1", [id], team_from_row)
        .optional()
}

/// The teams (projects) of `organization_id`, by id.
pub fn teams_of_organization(
    conn: &Connection,
    organization_id: &str,
) -> rusqlite::Result<Vec<Team>> {
    let mut stmt = conn.prepare("SELECT * FROM teams WHERE organization_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([organization_id], team_from_row)?;
    rows.collect()
}

fn json_list<T: serde::de::DeserializeOwned>(value: Value) -> Option<Vec<T>> {
    serde_json::from_value(value).ok()
}

/// The key whose `secure_value` is `secure_value`.
pub fn personal_api_key(
    conn: &Connection,
    secure_value: &str,
) -> rusqlite::Result<Option<PersonalApiKey>> {
    conn.query_row(
        "SELECT * FROM personal_api_keys WHERE secure_value = ?1",
        [secure_value],
        |r| {
            Ok(PersonalApiKey {
                id: r.get("id")?,
                user_id: r.get("user_id")?,
                scopes: json_list(json_column(r, "scopes")?).unwrap_or_default(),
                scoped_teams: json_list(json_column(r, "scoped_teams")?),
                scoped_organizations: json_list(json_column(r, "scoped_organizations")?),
                last_used_at: r.get("last_used_at")?,
            })
        },
    )
    .optional()
}

/// Records a use of the key, at most once an hour (as PostHog does, to spare writes).
pub fn touch_personal_api_key(conn: &Connection, key: &PersonalApiKey) -> rusqlite::Result<()> {
    let hour_ago = crate::clock::hours_ago(1);
    if key.last_used_at.as_deref().is_some_and(|t| *t > *hour_ago) {
        return Ok(());
    }
    conn.execute(
        "UPDATE personal_api_keys SET last_used_at = ?1 WHERE id = ?2",
        params![crate::clock::now(), key.id],
    )?;
    Ok(())
}

/// The user of the session whose token hashes to `secure_value`.
pub fn session_user(conn: &Connection, secure_value: &str) -> rusqlite::Result<Option<User>> {
    let user_id: Option<i64> = conn
        .query_row(
            "SELECT user_id FROM sessions WHERE secure_value = ?1",
            [secure_value],
            |r| r.get(0),
        )
        .optional()?;
    match user_id {
        Some(id) => user(conn, id),
        None => Ok(None),
    }
}

/// Replaces the licensed features of every organization (the `--unlicensed` switch).
pub fn set_features(conn: &Connection, features: &Value) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE organizations SET available_product_features = ?1",
        [features.to_string()],
    )?;
    Ok(())
}
