//! Authentication (personal API keys, OAuth access tokens, and a session token standing in for
//! PostHog's session cookie), scopes and project/organization access, in PostHog's order:
//! authenticate → scope (`APIScopePermission`) → key's project limits → membership.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::db::accounts::{self, Membership, Organization, PersonalApiKey, Team, User};
use crate::db::oauth::{self, TokenKind};
use crate::error::ApiError;
use crate::extract::Query;
use crate::AppState;

/// The authenticated caller: a user acting through a scoped credential (a personal API key or an
/// OAuth access token), or through a session (`credential: None`), which PostHog's web app uses
/// and which skips scope checks.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub credential: Option<Credential>,
}

/// What a personal API key or an OAuth access token allows: PostHog checks both with the same
/// scope rules (`APIScopePermission`).
#[derive(Debug, Clone)]
pub struct Credential {
    pub scopes: Vec<String>,
    /// Team ids the credential is limited to; `None` = every team the user can reach.
    pub scoped_teams: Option<Vec<i64>>,
    /// Organization ids the credential is limited to; `None` = all.
    pub scoped_organizations: Option<Vec<String>>,
}

impl From<PersonalApiKey> for Credential {
    fn from(key: PersonalApiKey) -> Self {
        Self {
            scopes: key.scopes,
            scoped_teams: key.scoped_teams,
            scoped_organizations: key.scoped_organizations,
        }
    }
}

/// Bearer tokens with this prefix are session tokens, not personal API keys (stand-in only:
/// PostHog's sessions are cookies, which a test client or the app's e2e cannot easily carry).
pub const SESSION_TOKEN_PREFIX: &str = "phs_";

/// A project the caller may use, with everything permission checks need.
#[derive(Debug, Clone)]
pub struct ProjectContext {
    pub user: User,
    pub team: Team,
    pub organization: Organization,
    pub membership: Membership,
}

/// An organization the caller belongs to.
#[derive(Debug, Clone)]
pub struct OrganizationContext {
    pub user: User,
    pub organization: Organization,
    pub membership: Membership,
    /// Team ids the key is limited to (`None` = all).
    pub scoped_teams: Option<Vec<i64>>,
}

/// The stored form of a key: PostHog keeps only a hash, and so does the stand-in.
pub fn secure_value(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${hex}")
}

/// Where a key was found, worded as PostHog's error message words it.
fn find_key(parts: &Parts) -> Option<(String, &'static str)> {
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if let Some(key) = bearer {
        return Some((key.to_owned(), "Authorization header"));
    }
    Query::parse(parts.uri.query())
        .get("personal_api_key")
        .filter(|k| !k.is_empty())
        .map(|k| (k.to_owned(), "query string"))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (key, source) = find_key(parts).ok_or_else(ApiError::not_authenticated)?;
        let hashed = secure_value(&key);
        // Sessions travel only in the Authorization header; a `phs_` value elsewhere is a bad key.
        if key.starts_with(SESSION_TOKEN_PREFIX) && source == "Authorization header" {
            return state
                .db
                .run(move |conn| {
                    // An unknown or expired session is an anonymous request, as in Django.
                    let user = accounts::session_user(conn, &hashed)?
                        .ok_or_else(ApiError::not_authenticated)?;
                    Ok(Principal {
                        user,
                        credential: None,
                    })
                })
                .await;
        }
        // OAuth access tokens travel only in the Authorization header (personal API key auth
        // leaves `pha_` tokens to the OAuth authenticator, as in PostHog).
        if key.starts_with(crate::oauth::ACCESS_TOKEN_PREFIX) && source == "Authorization header" {
            return state
                .db
                .run(move |conn| {
                    let grant = oauth::grant_by_token(conn, &hashed, TokenKind::Access)?
                        .ok_or_else(ApiError::invalid_oauth_access_token)?;
                    let user = accounts::user(conn, grant.user_id)?
                        .ok_or_else(ApiError::invalid_oauth_access_token)?;
                    Ok(Principal {
                        user,
                        credential: Some(Credential {
                            scopes: grant.scopes,
                            scoped_teams: None,
                            scoped_organizations: None,
                        }),
                    })
                })
                .await;
        }
        state
            .db
            .run(move |conn| {
                let key = accounts::personal_api_key(conn, &hashed)?
                    .ok_or_else(|| ApiError::invalid_personal_api_key(source))?;
                let user = accounts::user(conn, key.user_id)?
                    .ok_or_else(|| ApiError::invalid_personal_api_key(source))?;
                accounts::touch_personal_api_key(conn, &key)?;
                Ok(Principal {
                    user,
                    credential: Some(key.into()),
                })
            })
            .await
    }
}

impl Principal {
    /// Fails with PostHog's 403 unless the key grants `scope` (`object:read` or `object:write`);
    /// `object:write` also grants `object:read`, and `*` grants everything.
    pub fn require_scope(&self, scope: &str) -> Result<(), ApiError> {
        let Some(key) = &self.credential else {
            return Ok(());
        };
        let object = scope.split(':').next().unwrap_or(scope);
        let granted = key.scopes.iter().any(|s| {
            s == "*" || s == scope || (scope.ends_with(":read") && *s == format!("{object}:write"))
        });
        if granted {
            Ok(())
        } else {
            Err(ApiError::missing_scope(scope))
        }
    }

    /// Fails with PostHog's 403 for a personal API key: the action has no scope, so only session
    /// users may call it.
    pub fn require_session(&self) -> Result<(), ApiError> {
        match self.credential {
            Some(_) => Err(ApiError::personal_api_key_not_supported()),
            None => Ok(()),
        }
    }

    fn scoped_teams(&self) -> Option<&Vec<i64>> {
        self.credential
            .as_ref()
            .and_then(|k| k.scoped_teams.as_ref())
    }

    /// Resolves `{project_id}` from the URL (a number or `@current`) for an action needing `scope`.
    pub fn project(
        &self,
        conn: &Connection,
        raw_id: &str,
        scope: &str,
    ) -> Result<ProjectContext, ApiError> {
        self.require_scope(scope)?;
        let team_id = match raw_id {
            "@current" => self.user.current_team_id.ok_or_else(ApiError::not_found)?,
            raw => crate::extract::parse_id(raw)?,
        };
        if let Some(allowed) = self.scoped_teams() {
            if !allowed.contains(&team_id) {
                return Err(ApiError::key_not_scoped_to_project(team_id));
            }
        }
        let team = accounts::team(conn, team_id)?.ok_or_else(ApiError::not_found)?;
        self.check_key_organization(&team.organization_id)?;
        let membership = accounts::membership(conn, &team.organization_id, self.user.id)?
            .ok_or_else(ApiError::no_project_access)?;
        let organization =
            accounts::organization(conn, &team.organization_id)?.ok_or_else(ApiError::not_found)?;
        Ok(ProjectContext {
            user: self.user.clone(),
            team,
            organization,
            membership,
        })
    }

    /// Resolves `{organization_id}` from the URL (a uuid or `@current`) for an action needing `scope`.
    pub fn organization(
        &self,
        conn: &Connection,
        raw_id: &str,
        scope: &str,
    ) -> Result<OrganizationContext, ApiError> {
        self.require_scope(scope)?;
        let organization_id = match raw_id {
            "@current" => self
                .user
                .current_organization_id
                .clone()
                .ok_or_else(ApiError::not_found)?,
            raw => raw.to_owned(),
        };
        self.check_key_organization(&organization_id)?;
        let organization =
            accounts::organization(conn, &organization_id)?.ok_or_else(ApiError::not_found)?;
        // Organizations the user is not in are invisible, as PostHog filters them out of the queryset.
        let membership = accounts::membership(conn, &organization.id, self.user.id)?
            .ok_or_else(ApiError::not_found)?;
        Ok(OrganizationContext {
            user: self.user.clone(),
            organization,
            membership,
            scoped_teams: self.scoped_teams().cloned(),
        })
    }

    fn check_key_organization(&self, organization_id: &str) -> Result<(), ApiError> {
        match self
            .credential
            .as_ref()
            .and_then(|k| k.scoped_organizations.as_ref())
        {
            Some(allowed) if !allowed.iter().any(|o| o == organization_id) => {
                Err(ApiError::permission_denied(format!(
                    "API key does not have access to the requested organization: ID {organization_id}."
                )))
            }
            _ => Ok(()),
        }
    }
}

impl OrganizationContext {
    /// Whether the key may see team `team_id`.
    pub fn key_allows_team(&self, team_id: i64) -> bool {
        self.scoped_teams
            .as_ref()
            .is_none_or(|teams| teams.contains(&team_id))
    }
}
