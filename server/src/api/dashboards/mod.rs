//! `{base}/dashboards/`: list, create, retrieve, update (PATCH/PUT) and the forbidden hard delete;
//! the actions `create_from_template_json` and `move_tile` live in their own files.

mod builtin_templates;
mod duplicate;
mod from_template_json;
mod input;
mod list;
mod move_tile;
mod template_schema;
mod templates;
mod tile_patches;

use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::Value;

use super::fields::truthy;
use super::pagination::Page;
use super::serializers::{dashboard_access, Serializer};
use super::{api_route, restores};
use crate::auth::{Principal, ProjectContext};
use crate::db::accounts::feature;
use crate::db::dashboards::{self, Dashboard, NewDashboard};
use crate::db::tiles;
use crate::error::ApiError;
use crate::extract::{parse_id, Body, PathParams, Query};
use crate::permissions::DashboardAccess;
use crate::{clock, AppState};
use input::DashboardInput;
use list::ListFilters;

const READ: &str = "dashboard:read";
const WRITE: &str = "dashboard:write";

/// `{base}` path parameters.
#[derive(Deserialize)]
pub(super) struct ProjectPath {
    pub project_id: String,
}

/// `{base}/dashboards/{id}` path parameters (also of the dashboard's nested resources).
#[derive(Deserialize)]
pub(super) struct DashboardPath {
    pub project_id: String,
    pub id: String,
}

/// The dashboard routes under one base (`/projects/{project_id}` or `/environments/{project_id}`).
pub fn routes(router: Router<AppState>, base: &str) -> Router<AppState> {
    let router = api_route(
        router,
        &format!("{base}/dashboards"),
        get(list).post(create),
    );
    let router = from_template_json::routes(router, base);
    let router = move_tile::routes(router, base);
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
                if !extras.access.can_view() {
                    continue;
                }
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
            let (mut dashboard, _) = find_visible(conn, &ctx, &path.id)?;
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
            let template = match input.use_template.as_deref().filter(|t| !t.is_empty()) {
                Some(key) => Some(builtin_templates::builtin(key).ok_or_else(|| {
                    ApiError::invalid_input(
                        format!("Invalid template provided: {key}"),
                        Some("use_template"),
                    )
                })?),
                None => None,
            };
            let source = match input.use_dashboard {
                Some(id) => Some(dashboards::get(conn, ctx.team.id, id, false)?.ok_or_else(
                    || ApiError::invalid_input("Invalid value provided", Some("use_dashboard")),
                )?),
                None => None,
            };
            let creation_mode = match (&template, &source) {
                (Some(_), _) => "template",
                (None, Some(_)) => "duplicate",
                (None, None) => "default",
            };
            let mut dashboard = insert_dashboard(conn, &ctx, creation_mode)?;
            if let Some(source) = &source {
                let deep = truthy(body.get("duplicate_tiles"));
                duplicate::copy_from(conn, &ctx, &mut dashboard, source, deep)?;
            }
            apply_fields(conn, &ctx, &mut dashboard, &input)?;
            if let Some(template) = &template {
                templates::create_from_template(conn, &ctx, &mut dashboard, template)?;
            }
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
            let mut dashboard = find(conn, &ctx, &path.id, restores(&method, &body))?;
            let access = dashboard_access(conn, &ctx, &dashboard)?;
            access.require_edit()?;
            let input = DashboardInput::parse(&body)?;
            if input.restriction_level.is_some() && !access.can_restrict {
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
    super::forbid_destroy(&state, principal, path.project_id, WRITE).await
}

/// The dashboard named in the URL, or 404 (also for ids that are not numbers).
pub(super) fn find(
    conn: &Connection,
    ctx: &ProjectContext,
    raw_id: &str,
    include_deleted: bool,
) -> Result<Dashboard, ApiError> {
    let id = parse_id(raw_id)?;
    dashboards::get(conn, ctx.team.id, id, include_deleted)?.ok_or_else(ApiError::not_found)
}

/// The live dashboard named in the URL and the caller's rights on it; 403 if the caller's access
/// level is `none`.
pub(super) fn find_visible(
    conn: &Connection,
    ctx: &ProjectContext,
    raw_id: &str,
) -> Result<(Dashboard, DashboardAccess), ApiError> {
    let dashboard = find(conn, ctx, raw_id, false)?;
    let access = dashboard_access(conn, ctx, &dashboard)?;
    access.require_view()?;
    Ok((dashboard, access))
}

/// What a nested resource (sharing, collaborators) works on: the caller's project, the live
/// dashboard of the URL and the caller's rights on it.
pub(super) struct Parent {
    pub ctx: ProjectContext,
    pub dashboard: Dashboard,
    pub access: DashboardAccess,
}

/// What a request on a dashboard's nested resource needs besides its scope.
#[derive(Clone, Copy)]
pub(super) enum Need {
    View,
    /// View, then edit: each refusal with its own message.
    Edit,
}

impl Parent {
    /// Runs `f` in one transaction with the dashboard of `project_id`/`dashboard_id` loaded for
    /// `scope` and `need` checked: the preamble every nested dashboard resource shares.
    pub async fn run<T, F>(
        state: &AppState,
        principal: Principal,
        (project_id, dashboard_id): (String, String),
        scope: &'static str,
        need: Need,
        f: F,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, Parent) -> Result<T, ApiError> + Send + 'static,
    {
        state
            .db
            .run(move |conn| {
                let parent = Parent::load(conn, &principal, (&project_id, &dashboard_id), scope)?;
                parent.access.require_view()?;
                if let Need::Edit = need {
                    parent.access.require_edit()?;
                }
                f(conn, parent)
            })
            .await
    }

    /// Resolves the project for `scope` and the dashboard; those viewsets answer "Dashboard not
    /// found." when it is missing or deleted.
    pub fn load(
        conn: &Connection,
        principal: &Principal,
        (project_id, dashboard_id): (&str, &str),
        scope: &str,
    ) -> Result<Self, ApiError> {
        let ctx = principal.project(conn, project_id, scope)?;
        let not_found = || ApiError::not_found_with("Dashboard not found.");
        let id = parse_id(dashboard_id).map_err(|_| not_found())?;
        let dashboard = dashboards::get(conn, ctx.team.id, id, false)?.ok_or_else(not_found)?;
        let access = dashboard_access(conn, &ctx, &dashboard)?;
        Ok(Self {
            ctx,
            dashboard,
            access,
        })
    }
}

/// A new dashboard row of the caller's, with model defaults.
fn insert_dashboard(
    conn: &Connection,
    ctx: &ProjectContext,
    creation_mode: &'static str,
) -> Result<Dashboard, ApiError> {
    let id = dashboards::insert(
        conn,
        &NewDashboard {
            team_id: ctx.team.id,
            created_by_id: ctx.user.id,
            creation_mode,
            created_at: clock::now(),
        },
    )?;
    dashboards::get(conn, ctx.team.id, id, false)?.ok_or_else(ApiError::not_found)
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
