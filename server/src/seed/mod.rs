//! The demo data every fresh (or `--reset`) database starts with. Deterministic: the same ids,
//! names, keys and numbers on every seed. Other code and the end-to-end tests rely on these facts.
//!
//! # Organizations
//! - **Hogflix** `0191c7a2-0000-7000-8000-000000000001` (slug `hogflix`): features `access_control`,
//!   `tagging` and `advanced_permissions` licensed (`organizations.available_product_features`).
//!   Started with `--unlicensed`, every organization keeps only `tagging` (no restriction levels,
//!   collaborators or access controls take effect); each start without it restores the full set.
//! - **Other Org** `0191c7a2-0000-7000-8000-000000000002` (slug `other-org`): same features; for
//!   isolation tests.
//!
//! # Users (id, name, email, membership)
//! 1. Ada Lovelace, ada@hogflix.example — Hogflix admin (level 8)
//! 2. Grace Hopper, grace@hogflix.example — Hogflix member (level 1)
//! 3. Alan Turing, alan@hogflix.example — Hogflix member (1)
//! 4. Katherine Johnson, katherine@hogflix.example — Hogflix member (1)
//! 5. Margaret Hamilton, margaret@hogflix.example — Hogflix owner (15)
//! 6. Linus Outsider, linus@other.example — Other Org admin (8) only
//!
//! # Projects (project id = team id)
//! 1. "Hogflix Web" (Hogflix) — the demo project; 2. "Hogflix Mobile" (Hogflix); 3. "Other Org Site" (Other Org).
//!
//! # Personal API keys (stored as sha256 hashes)
//! - `phx_demo_full_access_key_000000000000000000` — Ada, `["*"]`
//! - `phx_demo_read_only_key_0000000000000000000` — Grace, `dashboard:read, insight:read, user:read,
//!   project:read, organization:read, organization_member:read, sharing_configuration:read`
//! - `phx_demo_project2_only_key_00000000000000` — Ada, `["*"]`, limited to project 2
//! - `phx_demo_dashboard_only_key_0000000000000` — Ada, `["dashboard:read"]` only
//! - `phx_demo_other_org_key_00000000000000000` — Linus, `["*"]`
//! - `phx_demo_member_full_key_00000000000000000` — Grace, `["*"]` (a plain member who can write:
//!   edits are refused on dashboards restricted by others)
//!
//! # Sessions (stand-in only)
//! PostHog's web app authenticates with a Django session cookie, which skips scope checks and may
//! call actions personal API keys cannot (`create_from_template_json`, old-era `move_tile`). The
//! stand-in models it as a Bearer token with the `phs_` prefix (stored as a sha256 hash):
//! - `Authorization: Bearer phs_demo_session_token_ada_0000000000000` — Ada's session
//! - `Authorization: Bearer phs_demo_session_token_grace_00000000000` — Grace's session
//!
//! An unknown `phs_` token is treated as no credentials (401 `not_authenticated`). Databases
//! created before sessions existed get them only after `--reset`.
//!
//! # Dashboards
//! See [`dashboards`]: project 1 has 34 live dashboards (ids 1–34) and one soft-deleted one
//! (id 35, "Old retired dashboard"); project 2 has 5 (ids 36–40); project 3 has 2 (ids 41–42).

mod dashboards;
mod insights;

use rusqlite::{params, Connection};
use serde_json::json;

use crate::auth::secure_value;

/// The demo project (`Hogflix Web`).
pub const DEMO_PROJECT_ID: i64 = 1;
/// Ada's full-access key; `--demo` hands it to the app through `/config.json`.
pub const DEMO_FULL_ACCESS_KEY: &str = "phx_demo_full_access_key_000000000000000000";
/// Grace's read-only key.
pub const DEMO_READ_ONLY_KEY: &str = "phx_demo_read_only_key_0000000000000000000";
/// Ada's key limited to project 2.
pub const DEMO_PROJECT2_ONLY_KEY: &str = "phx_demo_project2_only_key_00000000000000";
/// Ada's key with only `dashboard:read`.
pub const DEMO_DASHBOARD_ONLY_KEY: &str = "phx_demo_dashboard_only_key_0000000000000";
/// Linus's key (Other Org).
pub const DEMO_OTHER_ORG_KEY: &str = "phx_demo_other_org_key_00000000000000000";
/// Grace's full-scope key (an ordinary member).
pub const DEMO_MEMBER_FULL_KEY: &str = "phx_demo_member_full_key_00000000000000000";
/// Ada's session token (see "Sessions" above).
pub const DEMO_SESSION_TOKEN: &str = "phs_demo_session_token_ada_0000000000000";
/// Grace's session token.
pub const DEMO_MEMBER_SESSION_TOKEN: &str = "phs_demo_session_token_grace_00000000000";
/// The Hogflix organization.
pub const HOGFLIX_ORG_ID: &str = "0191c7a2-0000-7000-8000-000000000001";
/// The second organization.
pub const OTHER_ORG_ID: &str = "0191c7a2-0000-7000-8000-000000000002";

/// User ids of the seeded people.
pub mod users {
    /// Ada Lovelace, Hogflix admin.
    pub const ADA: i64 = 1;
    /// Grace Hopper, Hogflix member.
    pub const GRACE: i64 = 2;
    /// Alan Turing, Hogflix member.
    pub const ALAN: i64 = 3;
    /// Katherine Johnson, Hogflix member.
    pub const KATHERINE: i64 = 4;
    /// Margaret Hamilton, Hogflix owner.
    pub const MARGARET: i64 = 5;
    /// Linus Outsider, Other Org only.
    pub const LINUS: i64 = 6;
}

const SEEDED_AT: &str = "2024-01-08T09:00:00.000000Z";

/// Fills an empty database.
pub fn seed(conn: &Connection) -> rusqlite::Result<()> {
    seed_accounts(conn)?;
    seed_keys(conn)?;
    seed_sessions(conn)?;
    dashboards::seed(conn)
}

/// The features every organization is licensed for; without a licence only tagging remains.
fn features(licensed: bool) -> serde_json::Value {
    let tagging = json!({"key": "tagging", "name": "Dashboard tags"});
    if !licensed {
        return json!([tagging]);
    }
    json!([
        {"key": "access_control", "name": "Access control"},
        tagging,
        {"key": "advanced_permissions", "name": "Advanced permissions"},
    ])
}

/// Licenses every organization for access control (or withdraws it: `--unlicensed`).
pub fn apply_licence(conn: &Connection, licensed: bool) -> rusqlite::Result<()> {
    crate::db::accounts::set_features(conn, &features(licensed))
}

fn seed_sessions(conn: &Connection) -> rusqlite::Result<()> {
    for (token, user) in [
        (DEMO_SESSION_TOKEN, users::ADA),
        (DEMO_MEMBER_SESSION_TOKEN, users::GRACE),
    ] {
        conn.execute(
            "INSERT INTO sessions (secure_value, user_id, created_at) VALUES (?1, ?2, ?3)",
            params![secure_value(token), user, SEEDED_AT],
        )?;
    }
    Ok(())
}

fn seed_accounts(conn: &Connection) -> rusqlite::Result<()> {
    let features = features(true).to_string();
    for (id, name, slug) in [
        (HOGFLIX_ORG_ID, "Hogflix", "hogflix"),
        (OTHER_ORG_ID, "Other Org", "other-org"),
    ] {
        conn.execute(
            "INSERT INTO organizations (id, name, slug, created_at, updated_at, available_product_features) \
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            params![id, name, slug, SEEDED_AT, features],
        )?;
    }
    let people = [
        (
            1,
            "Ada",
            "Lovelace",
            "ada@hogflix.example",
            "engineering",
            HOGFLIX_ORG_ID,
            1,
            8,
            "Yx3kq0lV6bQmB2nJ8rT1sW4uZ7aC9dE0fG5hI2jK3lM",
        ),
        (
            2,
            "Grace",
            "Hopper",
            "grace@hogflix.example",
            "product",
            HOGFLIX_ORG_ID,
            1,
            1,
            "pQ8wE2rT5yU1iO9pA3sD6fG0hJ4kL7zX1cV5bN8mQ2w",
        ),
        (
            3,
            "Alan",
            "Turing",
            "alan@hogflix.example",
            "data",
            HOGFLIX_ORG_ID,
            1,
            1,
            "Zr7tY1uI3oP5aS8dF0gH2jK4lQ6wE9rT1yU3iO5pA7s",
        ),
        (
            4,
            "Katherine",
            "Johnson",
            "katherine@hogflix.example",
            "leadership",
            HOGFLIX_ORG_ID,
            1,
            1,
            "mN4bV6cX8zL0kJ2hG4fD6sA8qW0eR2tY4uI6oP8aS0d",
        ),
        (
            5,
            "Margaret",
            "Hamilton",
            "margaret@hogflix.example",
            "founder",
            HOGFLIX_ORG_ID,
            1,
            15,
            "Qa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8Ol9Pz0Xc1Vb2Nm3As4D",
        ),
        (
            6,
            "Linus",
            "Outsider",
            "linus@other.example",
            "engineering",
            OTHER_ORG_ID,
            3,
            8,
            "Lo9Ki8Ju7Hy6Gt5Fr4De3Sw2Aq1Zx0Cv9Bn8Mm7Nb6V",
        ),
    ];
    for (id, first, last, email, role, org, team, level, distinct_id) in people {
        conn.execute(
            "INSERT INTO users (id, uuid, distinct_id, first_name, last_name, email, is_email_verified, \
             role_at_organization, date_joined, last_login, current_organization_id, current_team_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9, ?10, ?11)",
            params![
                id,
                format!("0191c7a2-5b1e-7000-8f3a-6d2c1e4b9a{id:02}"),
                distinct_id,
                first,
                last,
                email,
                role,
                SEEDED_AT,
                format!("2025-11-1{id}T08:30:00.000000Z"),
                org,
                team,
            ],
        )?;
        conn.execute(
            "INSERT INTO organization_memberships (id, organization_id, user_id, level, joined_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![
                format!("0191c7a3-1c00-7000-a000-0000000000{id:02}"),
                org,
                id,
                level,
                format!("2024-01-{:02}T10:00:00.000000Z", 8 + id),
            ],
        )?;
    }
    let teams = [
        (
            1,
            "Hogflix Web",
            HOGFLIX_ORG_ID,
            "phc_hogflixWebK3y0000000000000000000000000001",
        ),
        (
            2,
            "Hogflix Mobile",
            HOGFLIX_ORG_ID,
            "phc_hogflixMobileK3y00000000000000000000000002",
        ),
        (
            3,
            "Other Org Site",
            OTHER_ORG_ID,
            "phc_otherOrgSiteK3y0000000000000000000000000003",
        ),
    ];
    for (id, name, org, token) in teams {
        conn.execute(
            "INSERT INTO teams (id, uuid, organization_id, project_id, name, api_token, timezone, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?1, ?4, ?5, 'UTC', ?6, ?6)",
            params![id, format!("0191c7a2-7a3c-7000-9b1d-0000000000{id:02}"), org, name, token, SEEDED_AT],
        )?;
    }
    Ok(())
}

fn seed_keys(conn: &Connection) -> rusqlite::Result<()> {
    let read_only = json!([
        "dashboard:read",
        "insight:read",
        "user:read",
        "project:read",
        "organization:read",
        "organization_member:read",
        "sharing_configuration:read",
    ]);
    let keys = [
        (
            "pak_ada_full",
            "Dashdeck demo (full access)",
            DEMO_FULL_ACCESS_KEY,
            users::ADA,
            json!(["*"]),
            None,
        ),
        (
            "pak_grace_read",
            "Dashdeck demo (read only)",
            DEMO_READ_ONLY_KEY,
            users::GRACE,
            read_only,
            None,
        ),
        (
            "pak_ada_project2",
            "Mobile project only",
            DEMO_PROJECT2_ONLY_KEY,
            users::ADA,
            json!(["*"]),
            Some(json!([2])),
        ),
        (
            "pak_ada_dashboards",
            "Dashboards read only",
            DEMO_DASHBOARD_ONLY_KEY,
            users::ADA,
            json!(["dashboard:read"]),
            None,
        ),
        (
            "pak_linus_full",
            "Other Org (full access)",
            DEMO_OTHER_ORG_KEY,
            users::LINUS,
            json!(["*"]),
            None,
        ),
        (
            "pak_grace_full",
            "Member (full access)",
            DEMO_MEMBER_FULL_KEY,
            users::GRACE,
            json!(["*"]),
            None,
        ),
    ];
    for (id, label, key, user, scopes, teams) in keys {
        conn.execute(
            "INSERT INTO personal_api_keys (id, label, secure_value, mask_value, user_id, scopes, scoped_teams, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                label,
                secure_value(key),
                format!("phx_...{}", &key[key.len() - 4..]),
                user,
                scopes.to_string(),
                teams.map(|t| t.to_string()),
                SEEDED_AT,
            ],
        )?;
    }
    Ok(())
}
