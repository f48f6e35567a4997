//! `{base}/dashboards/{id}/collaborators/` (ee `DashboardCollaboratorViewSet`, api.md §2.11): who
//! may edit a dashboard restricted to collaborators. List (plain array), add (201), remove by the
//! user's uuid (204); there is no update, so PATCH/PUT get the 405.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api_route;
use super::dashboards::{DashboardPath, Need, Parent};
use super::fields::{self, is_uuid, Fields};
use super::serializers::user_basic;
use crate::auth::{Principal, ProjectContext};
use crate::db::accounts::{self, level, User};
use crate::db::collaborators::{self, Privilege};
use crate::db::dashboards::Dashboard;
use crate::error::ApiError;
use crate::extract::{Body, PathParams};
use crate::permissions::{CAN_EDIT, EVERYONE_CAN_EDIT, ONLY_COLLABORATORS_CAN_EDIT};
use crate::{clock, random, AppState};

const READ: &str = "dashboard:read";
const WRITE: &str = "dashboard:write";

#[derive(Deserialize)]
struct CollaboratorPath {
    project_id: String,
    id: String,
    user_uuid: String,
}

/// The collaborator routes under one base.
pub fn routes(router: Router<AppState>, base: &str) -> Router<AppState> {
    let router = api_route(
        router,
        &format!("{base}/dashboards/{{id}}/collaborators"),
        get(list).post(create),
    );
    api_route(
        router,
        &format!("{base}/dashboards/{{id}}/collaborators/{{user_uuid}}"),
        delete(destroy),
    )
}

/// Any project member may list, editor or not.
async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
) -> Result<Json<Value>, ApiError> {
    let ids = (path.project_id.clone(), path.id.clone());
    Parent::run(
        &state,
        principal,
        ids,
        READ,
        Need::View,
        move |conn, parent| {
            let Parent { dashboard, .. } = parent;
            let rows = collaborators::list(conn, dashboard.id)?
                .iter()
                .map(|(p, user)| serialize(p, user))
                .collect();
            Ok(Json(Value::Array(rows)))
        },
    )
    .await
}

/// The checks run in PostHog's order: edit rights, fields, restriction level, then the user.
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
    Body(body): Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let ids = (path.project_id.clone(), path.id.clone());
    Parent::run(
        &state,
        principal,
        ids,
        WRITE,
        Need::Edit,
        move |conn, parent| {
            let Parent {
                ctx,
                dashboard,
                access,
            } = parent;
            let (privilege_level, user_uuid) = parse(&body)?;
            if access.effective_restriction_level <= EVERYONE_CAN_EDIT {
                return Err(ApiError::invalid_input(
                    "Cannot add collaborators to a dashboard on the lowest restriction level.",
                    None,
                ));
            }
            if privilege_level != CAN_EDIT {
                return Err(ApiError::invalid_input(
                    "Only edit access can be explicitly specified currently.",
                    None,
                ));
            }
            let user = collaborator_user(conn, &ctx, &dashboard, &user_uuid)?;
            let now = clock::now();
            let privilege = Privilege {
                id: random::uuid(),
                dashboard_id: dashboard.id,
                user_id: user.id,
                level: privilege_level,
                added_at: now.clone(),
                updated_at: now,
            };
            collaborators::insert(conn, &privilege)?;
            Ok((StatusCode::CREATED, Json(serialize(&privilege, &user))))
        },
    )
    .await
}

async fn destroy(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<CollaboratorPath>,
) -> Result<StatusCode, ApiError> {
    let ids = (path.project_id.clone(), path.id.clone());
    Parent::run(
        &state,
        principal,
        ids,
        WRITE,
        Need::Edit,
        move |conn, parent| {
            let Parent { dashboard, .. } = parent;
            let privilege = collaborators::find_by_user_uuid(conn, dashboard.id, &path.user_uuid)?
                .ok_or_else(ApiError::not_found)?;
            if dashboard.restriction_level < ONLY_COLLABORATORS_CAN_EDIT {
                return Err(ApiError::invalid_input(
                    "Cannot remove collaborators from a dashboard on the lowest restriction level.",
                    None,
                ));
            }
            collaborators::delete(conn, &privilege.id)?;
            Ok(StatusCode::NO_CONTENT)
        },
    )
    .await
}

/// `level` (required, 21|37) then `user_uuid` (required UUID), in the serializer's field order.
fn parse(body: &Value) -> Result<(i64, String), ApiError> {
    let f = Fields::new(fields::object(body)?, "");
    let level = f
        .int_choice("level", &[EVERYONE_CAN_EDIT, ONLY_COLLABORATORS_CAN_EDIT])?
        .ok_or_else(|| ApiError::required("level"))?;
    let uuid = f
        .char("user_uuid", None, false)?
        .flatten()
        .ok_or_else(|| ApiError::required("user_uuid"))?;
    if !is_uuid(&uuid) {
        return Err(ApiError::invalid_input(
            "Must be a valid UUID.",
            Some("user_uuid"),
        ));
    }
    Ok((level, uuid.to_lowercase()))
}

/// The user to add: must exist, belong to the project, lack inherent rights and not be one already.
fn collaborator_user(
    conn: &Connection,
    ctx: &ProjectContext,
    dashboard: &Dashboard,
    user_uuid: &str,
) -> Result<User, ApiError> {
    let invalid = |detail: &str| ApiError::invalid_input(detail, None);
    let user =
        accounts::user_by_uuid(conn, user_uuid)?.ok_or_else(|| invalid("User does not exist."))?;
    let membership = accounts::membership(conn, &ctx.team.organization_id, user.id)?
        .ok_or_else(|| invalid("Cannot add collaborators that have no access to the project."))?;
    if dashboard.created_by_id == Some(user.id) || membership.level >= level::ADMIN {
        return Err(invalid(
            "Cannot add collaborators that already have inherent access (the dashboard owner or a project admins).",
        ));
    }
    if collaborators::find_by_user_uuid(conn, dashboard.id, user_uuid)?.is_some() {
        return Err(invalid("User already is a collaborator."));
    }
    Ok(user)
}

/// `DashboardCollaboratorSerializer`.
fn serialize(p: &Privilege, user: &User) -> Value {
    json!({
        "id": p.id,
        "dashboard_id": p.dashboard_id,
        "user": user_basic(user),
        "level": p.level,
        "added_at": p.added_at,
        "updated_at": p.updated_at,
    })
}
