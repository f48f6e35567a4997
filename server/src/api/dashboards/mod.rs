//! `{base}/dashboards/`: list, create, retrieve, update (PATCH/PUT) and the forbidden hard delete.

mod input;
mod list;
mod tile_patches;

use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::Value;

use super::api_route;
use super::fields::truthy;
use super::pagination::Page;
use super::serializers::Serializer;
use crate::auth::{Principal, ProjectContext};
use crate::db::accounts::feature;
use crate::db::dashboards::{self, Dashboard, NewDashboard};
use crate::db::tiles;
use crate::error::ApiError;
use crate::extract::{parse_id, Body, PathParams, Query};
use crate::{clock, AppState};
use input::DashboardInput;
use list::ListFilters;

const READ: &str = "dashboard:read";
const WRITE: &str = "dashboard:write";

#[derive(Deserialize)]
struct ProjectPath {
    project_id: String,
}

#[derive(Deserialize)]
struct DashboardPath {
    project_id: String,
    id: String,
}

/// The dashboard routes under one base (`/projects/{project_id}` or `/environments/{project_id}`).
pub fn routes(router: Router<AppState>, base: &str) -> Router<AppState> {
    let router = api_route(
        router,
        &format!("{base}/dashboards"),
        get(list).post(create),
    );
    api_route(
        router,
        &format!("{base}/dashboards/{{id}}"),
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
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, READ)?;
            let filters = ListFilters::from_query(&query)?;
            let mut serializer = Serializer::new(conn, &ctx);
            let mut rows = Vec::new();
            for d in dashboards::list_live(conn, ctx.team.id, filters.creation_mode.as_deref())? {
                let extras = serializer.extras(&d)?;
                if let Some(match_type) = filters.matches(&d, &extras) {
                    rows.push((d, extras, match_type));
                }
            }
            rows.sort_by(|a, b| list::compare((&a.0, a.2), (&b.0, b.2)));
            let items = rows
                .iter()
                .map(|(d, extras, match_type)| {
                    let mut row = serializer.dashboard_basic(d, extras)?;
                    if let Some(m) = match_type {
                        row["search_match_type"] = m.as_str().into();
                    }
                    Ok(row)
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok(Json(page.envelope(items)))
        })
        .await
}

async fn retrieve(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
) -> Result<Json<Value>, ApiError> {
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, READ)?;
            let mut dashboard = find(conn, &ctx, &path.id, false)?;
            let now = clock::now();
            dashboards::touch_accessed(conn, dashboard.id, &now)?;
            dashboard.last_accessed_at = Some(now);
            Ok(Json(Serializer::new(conn, &ctx).dashboard(&dashboard)?))
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
            let input = DashboardInput::parse(&body)?;
            if let Some(template) = input.use_template.as_deref().filter(|t| !t.is_empty()) {
                // Templates are not part of the stand-in yet; PostHog answers unknown keys like this.
                return Err(ApiError::invalid_input(
                    format!("Invalid template provided: {template}"),
                    Some("use_template"),
                ));
            }
            let source = match input.use_dashboard {
                Some(id) => Some(dashboards::get(conn, ctx.team.id, id, false)?.ok_or_else(
                    || ApiError::invalid_input("Invalid value provided", Some("use_dashboard")),
                )?),
                None => None,
            };
            let id = dashboards::insert(
                conn,
                &NewDashboard {
                    team_id: ctx.team.id,
                    created_by_id: ctx.user.id,
                    creation_mode: if source.is_some() {
                        "duplicate"
                    } else {
                        "default"
                    },
                    created_at: clock::now(),
                },
            )?;
            let mut dashboard =
                dashboards::get(conn, ctx.team.id, id, false)?.ok_or_else(ApiError::not_found)?;
            if let Some(source) = &source {
                copy_from(conn, &mut dashboard, source)?;
            }
            apply_fields(conn, &ctx, &mut dashboard, &input)?;
            dashboards::save(conn, &dashboard)?;
            Ok((
                StatusCode::CREATED,
                Json(Serializer::new(conn, &ctx).dashboard(&dashboard)?),
            ))
        })
        .await
}

async fn update(
    State(state): State<AppState>,
    principal: Principal,
    method: Method,
    PathParams(path): PathParams<DashboardPath>,
    Body(body): Body,
) -> Result<Json<Value>, ApiError> {
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, WRITE)?;
            // Only a PATCH that restores (`deleted` sent and falsy) can reach a soft-deleted dashboard.
            let restoring = method == Method::PATCH
                && body.get("deleted").is_some_and(|d| !truthy(Some(d)));
            let mut dashboard = find(conn, &ctx, &path.id, restoring)?;
            let extras = Serializer::new(conn, &ctx).extras(&dashboard)?;
            if !extras.access.can_edit() {
                return Err(ApiError::no_dashboard_edit_rights());
            }
            let input = DashboardInput::parse(&body)?;
            if input.restriction_level.is_some() && !extras.access.can_restrict {
                return Err(ApiError::permission_denied(
                    "Only the dashboard owner and project admins have the restriction rights required to change the dashboard's restriction level.",
                ));
            }
            apply_fields(conn, &ctx, &mut dashboard, &input)?;
            dashboards::save(conn, &dashboard)?;
            if let Some(patches) = &input.tiles {
                tile_patches::apply(conn, &ctx, dashboard.id, patches)?;
            }
            if let Some(Value::Array(entries)) = body.get("duplicate_tiles") {
                tile_patches::duplicate(conn, &ctx, dashboard.id, entries)?;
            }
            Ok(Json(Serializer::new(conn, &ctx).dashboard(&dashboard)?))
        })
        .await
}

/// `ForbidDestroyModel`: dashboards are only ever soft-deleted, through PATCH `deleted: true`.
async fn destroy(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<ProjectPath>,
) -> Result<(), ApiError> {
    state
        .db
        .run(move |conn| {
            principal.project(conn, &path.project_id, WRITE)?;
            Err(ApiError::hard_delete_forbidden())
        })
        .await
}

/// The dashboard named in the URL, or 404 (also for ids that are not numbers).
fn find(
    conn: &Connection,
    ctx: &ProjectContext,
    raw_id: &str,
    include_deleted: bool,
) -> Result<Dashboard, ApiError> {
    let id = parse_id(raw_id)?;
    dashboards::get(conn, ctx.team.id, id, include_deleted)?.ok_or_else(ApiError::not_found)
}

/// Writes the sent fields onto the dashboard (the caller saves it), with the side effects of
/// tagging and of soft delete / restore on tiles.
fn apply_fields(
    conn: &Connection,
    ctx: &ProjectContext,
    d: &mut Dashboard,
    input: &DashboardInput,
) -> Result<(), ApiError> {
    if let Some(name) = &input.name {
        d.name = name.clone();
    }
    if let Some(description) = &input.description {
        d.description = description.clone();
    }
    if let Some(pinned) = input.pinned {
        d.pinned = pinned;
    }
    if let Some(level) = input.restriction_level {
        d.restriction_level = level;
    }
    if let Some(colors) = &input.breakdown_colors {
        d.breakdown_colors = colors.clone();
    }
    if let Some(theme) = input.data_color_theme_id {
        d.data_color_theme_id = theme;
    }
    if let Some(ids) = &input.quick_filter_ids {
        d.quick_filter_ids = ids.clone().into();
    }
    if let Some(filters) = &input.filters {
        d.filters = filters.clone();
    }
    if let Some(variables) = &input.variables {
        d.variables = variables.clone();
    }
    // Tags are stored only when the organization is licensed for them; otherwise silently dropped.
    if let Some(tags) = &input.tags {
        if ctx.organization.has_feature(feature::TAGGING) {
            dashboards::set_tags(conn, ctx.team.id, d.id, tags)?;
        }
    }
    match input.deleted {
        Some(true) if !d.deleted => {
            if input.delete_insights {
                tiles::delete_insights_only_on(conn, d.id)?;
            }
            tiles::set_all_deleted(conn, d.id, true)?;
            d.deleted = true;
        }
        Some(false) if d.deleted => {
            tiles::set_all_deleted(conn, d.id, false)?;
            tiles::undelete_insights_on(conn, d.id)?;
            d.deleted = false;
        }
        _ => {}
    }
    Ok(())
}

/// Duplication (`use_dashboard`): the source's settings, and its live tiles re-linked to the same
/// insights and text cards (PostHog's default; deep copies with `duplicate_tiles` come later).
fn copy_from(conn: &Connection, d: &mut Dashboard, source: &Dashboard) -> Result<(), ApiError> {
    d.filters = source.filters.clone();
    d.variables = source.variables.clone();
    d.breakdown_colors = source.breakdown_colors.clone();
    d.data_color_theme_id = source.data_color_theme_id;
    for tile in tiles::visible_tiles(conn, source.id)? {
        tiles::insert_tile(
            conn,
            &tiles::Tile {
                dashboard_id: d.id,
                ..tile
            },
        )?;
    }
    Ok(())
}
