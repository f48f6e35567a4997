//! `{base}/dashboards/{id}/access_controls/` (ee `AccessControlViewSetMixin`, api.md §2.14):
//! per-dashboard RBAC levels, for one organization member or as the dashboard's default. Roles
//! do not exist in the stand-in, so every role id is unknown.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::Connection;
use serde_json::{json, Value};

use super::api_route;
use super::dashboards::{find, DashboardPath};
use super::fields::{self, Fields};
use super::serializers::dashboard_access;
use crate::auth::{Principal, ProjectContext};
use crate::db::access_controls::{self, AccessControl, DASHBOARD};
use crate::db::accounts;
use crate::error::ApiError;
use crate::extract::{Body, PathParams};
use crate::permissions::AccessLevel;
use crate::{clock, random, AppState};

const READ: &str = "access_control:read";
const WRITE: &str = "access_control:write";

/// The access control routes under one base.
pub fn routes(router: Router<AppState>, base: &str) -> Router<AppState> {
    api_route(
        router,
        &format!("{base}/dashboards/{{id}}/access_controls"),
        get(list).put(update),
    )
}

async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
) -> Result<Json<Value>, ApiError> {
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, READ)?;
            let dashboard = find(conn, &ctx, &path.id, false)?;
            let access = dashboard_access(conn, &ctx, &dashboard)?;
            access.require_view()?;
            let rows: Vec<Value> = access_controls::for_dashboard(conn, ctx.team.id, dashboard.id)?
                .iter()
                .map(serialize)
                .collect();
            let levels: Vec<&str> = AccessLevel::ALL.iter().map(|l| l.as_str()).collect();
            Ok(Json(json!({
                "access_controls": rows,
                "available_access_levels": levels,
                "default_access_level": AccessLevel::DEFAULT.as_str(),
                "minimum_access_level": AccessLevel::None.as_str(),
                "maximum_access_level": AccessLevel::Manager.as_str(),
                "user_access_level": access.user_access_level(),
                "user_can_edit_access_levels": access.can_manage_access(),
            })))
        })
        .await
}

/// Sets (200 with the row) or, with `access_level: null`, removes (204) one level.
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, WRITE)?;
            let dashboard = find(conn, &ctx, &path.id, false)?;
            let access = dashboard_access(conn, &ctx, &dashboard)?;
            access.require_view()?;
            if !access.can_manage_access() {
                return Err(ApiError::permission_denied(
                    "Must be manager to modify dashboard permissions.",
                ));
            }
            let (level, member) = parse(conn, &ctx, &body)?;
            let existing =
                access_controls::find(conn, ctx.team.id, dashboard.id, member.as_deref())?;
            let Some(level) = level else {
                if let Some(row) = existing {
                    access_controls::delete(conn, &row.id)?;
                }
                return Ok(StatusCode::NO_CONTENT.into_response());
            };
            let now = clock::now();
            let row = match existing {
                Some(row) => AccessControl {
                    access_level: level.as_str().to_owned(),
                    updated_at: now,
                    ..row
                },
                None => AccessControl {
                    id: random::uuid(),
                    team_id: ctx.team.id,
                    resource_id: dashboard.id.to_string(),
                    access_level: level.as_str().to_owned(),
                    organization_member_id: member,
                    created_by_id: Some(ctx.user.id),
                    created_at: now.clone(),
                    updated_at: now,
                },
            };
            access_controls::save(conn, &row)?;
            Ok(Json(serialize(&row)).into_response())
        })
        .await
}

/// `access_level` (required, a level or null) and `organization_member` (a membership of this
/// organization, or absent/null for the default level); a role together with a member is refused.
fn parse(
    conn: &Connection,
    ctx: &ProjectContext,
    body: &Value,
) -> Result<(Option<AccessLevel>, Option<String>), ApiError> {
    let f = Fields::new(fields::object(body)?, "");
    let level = match f.raw("access_level") {
        None => return Err(ApiError::required("access_level")),
        Some(Value::Null) => None,
        Some(raw) => Some(raw.as_str().and_then(AccessLevel::parse).ok_or_else(|| {
            let shown = raw.as_str().map_or_else(|| raw.to_string(), str::to_owned);
            ApiError::validation(
                "invalid_choice",
                format!("\"{shown}\" is not a valid choice."),
                Some("access_level"),
            )
        })?),
    };
    let member = f.char("organization_member", None, true)?.flatten();
    let role = f.char("role", None, true)?.flatten();
    if member.is_some() && role.is_some() {
        return Err(ApiError::invalid_input(
            "You can not scope an access control to both a member and a role.",
            None,
        ));
    }
    if let Some(role) = role {
        return Err(ApiError::does_not_exist(&role, "role"));
    }
    if let Some(member) = &member {
        if accounts::membership_by_id(conn, &ctx.organization.id, member)?.is_none() {
            return Err(ApiError::does_not_exist(member, "organization_member"));
        }
    }
    Ok((level, member))
}

/// `AccessControlSerializer`.
fn serialize(row: &AccessControl) -> Value {
    json!({
        "access_level": row.access_level,
        "resource": DASHBOARD,
        "resource_id": row.resource_id,
        "organization_member": row.organization_member_id,
        "role": null,
        "created_by": row.created_by_id,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    })
}
