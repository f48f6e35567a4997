//! `/api/organizations/{organization_id}/`: the organization's projects and members.

use axum::extract::{OriginalUri, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;

use super::account_serializers as ser;
use super::api_route;
use super::pagination::Page;
use crate::auth::Principal;
use crate::db::accounts;
use crate::error::ApiError;
use crate::extract::{parse_id, PathParams, Query};
use crate::AppState;

#[derive(Deserialize)]
struct OrganizationPath {
    organization_id: String,
}

#[derive(Deserialize)]
struct ProjectPath {
    organization_id: String,
    id: String,
}

/// The organization routes.
pub fn routes(router: Router<AppState>) -> Router<AppState> {
    let router = api_route(
        router,
        "/organizations/{organization_id}/projects",
        get(projects),
    );
    let router = api_route(
        router,
        "/organizations/{organization_id}/projects/{id}",
        get(project),
    );
    api_route(
        router,
        "/organizations/{organization_id}/members",
        get(members),
    )
}

async fn projects(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<OrganizationPath>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_request(&uri, &headers, &query);
    state
        .db
        .run(move |conn| {
            let ctx = principal.organization(conn, &path.organization_id, "project:read")?;
            let items = accounts::teams_of_organization(conn, &ctx.organization.id)?
                .iter()
                .filter(|team| ctx.key_allows_team(team.id))
                .map(ser::team_basic)
                .collect();
            Ok(Json(page.envelope(items)))
        })
        .await
}

async fn project(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<ProjectPath>,
) -> Result<Json<Value>, ApiError> {
    state
        .db
        .run(move |conn| {
            let ctx = principal.organization(conn, &path.organization_id, "project:read")?;
            let id = parse_id(&path.id)?;
            let team = accounts::team(conn, id)?
                .filter(|t| t.organization_id == ctx.organization.id)
                .ok_or_else(ApiError::not_found)?;
            if !ctx.key_allows_team(team.id) {
                return Err(ApiError::key_not_scoped_to_project(team.id));
            }
            Ok(Json(ser::project(&team, ctx.membership.level)))
        })
        .await
}

async fn members(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<OrganizationPath>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_request(&uri, &headers, &query);
    state
        .db
        .run(move |conn| {
            let ctx =
                principal.organization(conn, &path.organization_id, "organization_member:read")?;
            let items = accounts::members(conn, &ctx.organization.id)?
                .iter()
                .map(|(membership, user)| ser::member(membership, user))
                .collect();
            Ok(Json(page.envelope(items)))
        })
        .await
}
