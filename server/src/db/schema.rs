//! The SQLite schema, as numbered migrations applied in order (`PRAGMA user_version` holds the count).
//!
//! Tables mirror PostHog's models (organization, team, dashboard, dashboard tile, text, insight, tagged
//! item, sharing configuration, dashboard privilege, personal API key). To change the schema, append a
//! migration; never edit one that has shipped, since data directories outlive builds.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE organizations (
    id TEXT PRIMARY KEY,                       -- uuid
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- JSON list of {"key", "name"}: the licensed features (access_control, tagging, ...)
    available_product_features TEXT NOT NULL DEFAULT '[]',
    allow_publicly_shared_resources INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    distinct_id TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    is_email_verified INTEGER,
    role_at_organization TEXT,
    date_joined TEXT NOT NULL,
    last_login TEXT,
    current_organization_id TEXT REFERENCES organizations(id),
    current_team_id INTEGER
);

CREATE TABLE organization_memberships (
    id TEXT PRIMARY KEY,                       -- uuid
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    level INTEGER NOT NULL,                    -- 1 member, 8 admin, 15 owner
    joined_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (organization_id, user_id)
);

-- A team is an environment; here every project has exactly one, with the same id.
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    project_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    api_token TEXT NOT NULL UNIQUE,
    timezone TEXT NOT NULL DEFAULT 'UTC',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE personal_api_keys (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    secure_value TEXT NOT NULL UNIQUE,         -- "sha256$<hex>" of the key; the key itself is never stored
    mask_value TEXT NOT NULL,                  -- "phx_...abcd", safe to show
    user_id INTEGER NOT NULL REFERENCES users(id),
    scopes TEXT NOT NULL,                      -- JSON list, e.g. ["dashboard:read"] or ["*"]
    scoped_teams TEXT,                         -- JSON list of team ids, NULL = all
    scoped_organizations TEXT,                 -- JSON list of organization ids, NULL = all
    created_at TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE dashboards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    name TEXT,
    description TEXT NOT NULL DEFAULT '',
    pinned INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by_id INTEGER REFERENCES users(id),
    last_accessed_at TEXT,
    last_refresh TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    creation_mode TEXT NOT NULL DEFAULT 'default',
    restriction_level INTEGER NOT NULL DEFAULT 21,
    filters TEXT NOT NULL DEFAULT '{}',
    variables TEXT NOT NULL DEFAULT '{}',
    breakdown_colors TEXT NOT NULL DEFAULT '[]',
    data_color_theme_id INTEGER,
    quick_filter_ids TEXT                      -- JSON list of uuids, NULL = none
);

CREATE TABLE insights (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    short_id TEXT NOT NULL UNIQUE,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    name TEXT,
    derived_name TEXT,
    description TEXT NOT NULL DEFAULT '',
    query TEXT,                                -- JSON query node
    result TEXT,                               -- JSON cached result, NULL = never computed
    columns TEXT,                              -- JSON, for tabular (HogQL) results
    types TEXT,                                -- JSON, for tabular (HogQL) results
    last_refresh TEXT,
    favorited INTEGER NOT NULL DEFAULT 0,
    saved INTEGER NOT NULL DEFAULT 1,
    is_sample INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    filters_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by_id INTEGER REFERENCES users(id),
    updated_at TEXT NOT NULL,
    last_modified_at TEXT NOT NULL,
    last_modified_by_id INTEGER REFERENCES users(id)
);

CREATE TABLE texts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    body TEXT,
    created_by_id INTEGER REFERENCES users(id),
    last_modified_by_id INTEGER REFERENCES users(id),
    last_modified_at TEXT NOT NULL
);

CREATE TABLE dashboard_tiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dashboard_id INTEGER NOT NULL REFERENCES dashboards(id),
    insight_id INTEGER REFERENCES insights(id),
    text_id INTEGER REFERENCES texts(id),
    layouts TEXT NOT NULL DEFAULT '{}',
    color TEXT,
    filters_overrides TEXT NOT NULL DEFAULT '{}',
    show_description INTEGER,
    transparent_background INTEGER,
    deleted INTEGER,                           -- NULL like PostHog's nullable flag; 1 = soft-deleted
    last_refresh TEXT,
    CHECK ((insight_id IS NULL) <> (text_id IS NULL)),
    UNIQUE (dashboard_id, insight_id),
    UNIQUE (dashboard_id, text_id)
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    name TEXT NOT NULL,
    UNIQUE (team_id, name)
);

CREATE TABLE tagged_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    dashboard_id INTEGER REFERENCES dashboards(id),
    insight_id INTEGER REFERENCES insights(id),
    UNIQUE (tag_id, dashboard_id),
    UNIQUE (tag_id, insight_id)
);

CREATE TABLE sharing_configurations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    dashboard_id INTEGER REFERENCES dashboards(id),
    insight_id INTEGER REFERENCES insights(id),
    enabled INTEGER NOT NULL DEFAULT 0,
    access_token TEXT NOT NULL UNIQUE,
    settings TEXT,                             -- JSON object or NULL
    password_required INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    expires_at TEXT                            -- NULL = the active configuration
);

-- Collaborators of restricted dashboards (ee DashboardPrivilege).
CREATE TABLE dashboard_privileges (
    id TEXT PRIMARY KEY,                       -- uuid
    dashboard_id INTEGER NOT NULL REFERENCES dashboards(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    level INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (dashboard_id, user_id)
);

CREATE INDEX dashboards_team ON dashboards(team_id, deleted);
CREATE INDEX tiles_dashboard ON dashboard_tiles(dashboard_id);
CREATE INDEX tiles_insight ON dashboard_tiles(insight_id);
"#,
    r#"
-- Stand-in sessions: a Bearer token `phs_...` acting like PostHog's session cookie.
CREATE TABLE sessions (
    secure_value TEXT PRIMARY KEY,             -- "sha256$<hex>" of the token
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);

-- ee AccessControl rows for dashboards: a member's level, or the default level (no member, no role).
CREATE TABLE access_controls (
    id TEXT PRIMARY KEY,                       -- uuid
    team_id INTEGER NOT NULL REFERENCES teams(id),
    resource TEXT NOT NULL,                    -- "dashboard"
    resource_id TEXT NOT NULL,                 -- the dashboard id, as text like PostHog's
    access_level TEXT NOT NULL,                -- none | viewer | editor | manager
    organization_member_id TEXT REFERENCES organization_memberships(id),
    role_id TEXT,
    created_by_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (team_id, resource, resource_id, organization_member_id, role_id)
);

CREATE INDEX sharing_dashboard ON sharing_configurations(dashboard_id);
"#,
    r#"
-- OAuth (oauth.md): one grant per consent, holding its one-time authorization code, and the
-- access and refresh tokens issued under it. Codes and tokens are stored as sha256 hashes only.
CREATE TABLE oauth_grants (
    id TEXT PRIMARY KEY,                       -- uuid
    client_id TEXT NOT NULL,                   -- the client's metadata document URL
    redirect_uri TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    scopes TEXT NOT NULL,                      -- JSON list, e.g. ["dashboard:read"]
    code_secure_value TEXT NOT NULL UNIQUE,
    code_challenge TEXT NOT NULL,              -- S256
    code_expires_at TEXT NOT NULL,
    code_used INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE oauth_tokens (
    secure_value TEXT PRIMARY KEY,
    grant_id TEXT NOT NULL REFERENCES oauth_grants(id),
    kind TEXT NOT NULL,                        -- access | refresh
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX oauth_tokens_grant ON oauth_tokens(grant_id);
"#,
];

/// Applies every migration the database has not seen yet.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}
