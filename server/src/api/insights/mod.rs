//! `{base}/insights/`: list, create, retrieve, update (PATCH/PUT) and the forbidden hard delete.
//! Minimal but real: enough to create insights and put them on dashboards, as PostHog's own
//! clients do (api.md §3.2: insights join dashboards through the insights API).

mod input;

use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::Value;

use super::fields::parse_bool;
use super::pagination::Page;
use super::serializers::{dashboard_access, Serializer};
use super::{api_route, restores};
use crate::auth::{Principal, ProjectContext};
use crate::db::dashboards;
use crate::db::insights::{self, InsightFilters};
use crate::db::tiles::{self, Insight, Tile};
use crate::error::ApiError;
use crate::extract::{parse_id, Body, PathParams, Query};
use crate::permissions::{DashboardAccess, CAN_EDIT};
use crate::{clock, AppState};
use input::InsightInput;

const READ: &str = "insight:read";
const WRITE: &str = "insight:write";

#[derive(Deserialize)]
struct ProjectPath {
    project_id: String,
}

#[derive(Deserialize)]
struct InsightPath {
    project_id: String,
    id: String,
}

/// The insight routes under one base.
pub fn routes(router: Router<AppState>, base: &str) -> Router<AppState> {
    let router = api_route(router, &format!("{base}/insights"), get(list).post(create));
    api_route(
        router,
        &format!("{base}/insights/{{id}}"),
        get(retrieve).patch(update).put(update).delete(destroy),
    )
}

async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<ProjectPath>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_request(&uri, &headers, &query);
    let filters = InsightFilters {
        saved: query.get("saved").and_then(|s| parse_bool(&s.into())),
        short_id: query.get("short_id").map(str::to_owned),
        search: query
            .get("search")
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty()),
    };
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, READ)?;
            let mut serializer = Serializer::new(conn, &ctx);
            let items = insights::list_live(conn, ctx.team.id, &filters)?
                .iter()
                .map(|i| serializer.insight_alone(i))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Json(page.envelope(items)))
        })
        .await
}

async fn retrieve(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<InsightPath>,
) -> Result<Json<Value>, ApiError> {
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, READ)?;
            let insight = find(conn, &ctx, &path.id, false)?;
            Ok(Json(Serializer::new(conn, &ctx).insight_alone(&insight)?))
        })
        .await
}

async fn create(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<ProjectPath>,
    Body(body): Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, WRITE)?;
            let input = InsightInput::parse(&body)?;
            let dashboard_ids = input.dashboards.clone().unwrap_or_default();
            check_dashboards(conn, &ctx, &dashboard_ids)?;
            let mut insight = Insight::new(ctx.team.id, ctx.user.id, clock::now());
            apply_fields(&mut insight, &input);
            insight.id = tiles::insert_insight(conn, &insight)?;
            set_dashboards(conn, insight.id, &dashboard_ids)?;
            Ok((
                StatusCode::CREATED,
                Json(Serializer::new(conn, &ctx).insight_alone(&insight)?),
            ))
        })
        .await
}

async fn update(
    State(state): State<AppState>,
    principal: Principal,
    method: Method,
    PathParams(path): PathParams<InsightPath>,
    Body(body): Body,
) -> Result<Json<Value>, ApiError> {
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, WRITE)?;
            let mut insight = find(conn, &ctx, &path.id, restores(&method, &body))?;
            if insight_access(conn, &ctx, insight.id)?.effective_privilege_level < CAN_EDIT {
                return Err(ApiError::permission_denied(
                    "This insight is on a dashboard that can only be edited by its owner, team members invited to editing the dashboard, and project admins.",
                ));
            }
            let input = InsightInput::parse(&body)?;
            if let Some(ids) = &input.dashboards {
                check_dashboards(conn, &ctx, ids)?;
            }
            apply_fields(&mut insight, &input);
            let now = clock::now();
            insight.updated_at = now.clone();
            insight.last_modified_at = now;
            insight.last_modified_by_id = Some(ctx.user.id);
            insights::save(conn, &insight)?;
            if let Some(ids) = &input.dashboards {
                set_dashboards(conn, insight.id, ids)?;
            }
            Ok(Json(Serializer::new(conn, &ctx).insight_alone(&insight)?))
        })
        .await
}

/// `ForbidDestroyModel`: insights are only soft-deleted, through PATCH `deleted: true`.
async fn destroy(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<ProjectPath>,
) -> Result<(), ApiError> {
    super::forbid_destroy(&state, principal, path.project_id, WRITE).await
}

fn find(
    conn: &Connection,
    ctx: &ProjectContext,
    raw_id: &str,
    include_deleted: bool,
) -> Result<Insight, ApiError> {
    let id = parse_id(raw_id)?;
    insights::get(conn, ctx.team.id, id, include_deleted)?.ok_or_else(ApiError::not_found)
}

fn apply_fields(insight: &mut Insight, input: &InsightInput) {
    if let Some(name) = &input.name {
        insight.name = name.clone();
    }
    if let Some(description) = &input.description {
        insight.description = description.clone();
    }
    if let Some(query) = &input.query {
        insight.query = query.clone();
    }
    if let Some(saved) = input.saved {
        insight.saved = saved;
    }
    if let Some(favorited) = input.favorited {
        insight.favorited = favorited;
    }
    if let Some(deleted) = input.deleted {
        insight.deleted = deleted;
    }
}

/// The caller's rights on the insight, from the dashboards it is on.
fn insight_access(
    conn: &Connection,
    ctx: &ProjectContext,
    insight_id: i64,
) -> Result<DashboardAccess, ApiError> {
    let mut accesses = Vec::new();
    for id in tiles::insight_dashboard_ids(conn, insight_id)? {
        if let Some(d) = dashboards::get(conn, ctx.team.id, id, false)? {
            accesses.push(dashboard_access(conn, ctx, &d)?);
        }
    }
    Ok(DashboardAccess::for_insight(&accesses))
}

/// Every dashboard must exist (else DRF's `does_not_exist`), be a live one of this project (else
/// "Dashboard not found") and be editable by the caller (else 403).
fn check_dashboards(conn: &Connection, ctx: &ProjectContext, ids: &[i64]) -> Result<(), ApiError> {
    for &id in ids {
        match dashboards::owner(conn, id)? {
            None => return Err(ApiError::does_not_exist(&id.to_string(), "dashboards")),
            Some((team, deleted)) if team != ctx.team.id || deleted => {
                return Err(ApiError::invalid_input(
                    "Dashboard not found",
                    Some("dashboards"),
                ))
            }
            Some(_) => {}
        }
        let dashboard =
            dashboards::get(conn, ctx.team.id, id, false)?.ok_or_else(ApiError::not_found)?;
        if !dashboard_access(conn, ctx, &dashboard)?.can_edit() {
            return Err(ApiError::permission_denied(format!(
                "You don't have permission to add insights to dashboard: {id}"
            )));
        }
    }
    Ok(())
}

/// Puts the insight on exactly `ids`: new tiles (or revived soft-deleted ones) where missing,
/// soft-deleted tiles where no longer wanted.
fn set_dashboards(conn: &Connection, insight_id: i64, ids: &[i64]) -> Result<(), ApiError> {
    let current = tiles::insight_dashboard_ids(conn, insight_id)?;
    for &id in ids.iter().filter(|id| !current.contains(id)) {
        match tiles::tile_of_insight(conn, id, insight_id)? {
            Some(tile) => tiles::save_tile(
                conn,
                &Tile {
                    deleted: Some(false),
                    ..tile
                },
            )?,
            None => {
                tiles::insert_tile(conn, &Tile::new(id, Some(insight_id), None))?;
            }
        }
    }
    for &id in current.iter().filter(|id| !ids.contains(id)) {
        if let Some(tile) = tiles::tile_of_insight(conn, id, insight_id)? {
            tiles::save_tile(
                conn,
                &Tile {
                    deleted: Some(true),
                    ..tile
                },
            )?;
        }
    }
    Ok(())
}
