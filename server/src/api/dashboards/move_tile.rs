//! `PATCH|POST {base}/dashboards/{id}/move_tile/` (api.md §2.6): moves a tile to another dashboard
//! of the project, answering with the source dashboard. The two eras differ in body and auth:
//! [NEW] `{"tile": {"id"}, "to_dashboard"}` with `dashboard:write`; [OLD] `{"tile": {"id"},
//! "toDashboard"}`, sessions only, and a missing key was an unhandled `KeyError` (a 500).

use axum::extract::State;
use axum::routing::patch;
use axum::{Json, Router};
use rusqlite::Connection;
use serde_json::Value;

use super::{find, DashboardPath, WRITE};
use crate::api::api_route;
use crate::api::fields::{self, Fields};
use crate::api::serializers::{dashboard_access, Serializer};
use crate::auth::{Principal, ProjectContext};
use crate::db::{dashboards, tiles};
use crate::error::ApiError;
use crate::extract::{Body, PathParams};
use crate::{ApiEra, AppState};

/// Registers the action under `base`.
pub fn routes(router: Router<AppState>, base: &str) -> Router<AppState> {
    api_route(
        router,
        &format!("{base}/dashboards/{{id}}/move_tile"),
        patch(move_tile).post(move_tile),
    )
}

/// Which tile goes where.
struct MoveRequest {
    tile_id: i64,
    to_dashboard: i64,
}

async fn move_tile(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
    Body(body): Body,
) -> Result<Json<Value>, ApiError> {
    let era = state.api_era;
    if era == ApiEra::Old {
        principal.require_session()?;
    }
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, WRITE)?;
            let request = match era {
                ApiEra::New => parse_new(&body)?,
                ApiEra::Old => parse_old(&body)?,
            };
            let source = find(conn, &ctx, &path.id, false)?;
            dashboard_access(conn, &ctx, &source)?.require_edit()?;
            move_to(conn, &ctx, source.id, &request)?;
            Ok(Json(Serializer::new(conn, &ctx).dashboard(&source)?))
        })
        .await
}

/// `MoveTileRequestSerializer`: both ids required integers.
fn parse_new(body: &Value) -> Result<MoveRequest, ApiError> {
    let f = Fields::new(fields::object(body)?, "");
    let tile = match f.raw("tile") {
        None => return Err(ApiError::required("tile")),
        Some(tile) => fields::object(tile).map_err(|_| {
            ApiError::invalid_input("Invalid data. Expected a dictionary.", Some("tile"))
        })?,
    };
    let tile_id = Fields::new(tile, "tile")
        .integer("id", false)?
        .flatten()
        .ok_or_else(|| ApiError::required("tile__id"))?;
    let to_dashboard = f
        .integer("to_dashboard", false)?
        .flatten()
        .ok_or_else(|| ApiError::required("to_dashboard"))?;
    Ok(MoveRequest {
        tile_id,
        to_dashboard,
    })
}

/// `request.data["toDashboard"]`, `request.data["tile"]["id"]`: anything missing or unusable was a
/// 500 in that PostHog, and is one here on purpose.
fn parse_old(body: &Value) -> Result<MoveRequest, ApiError> {
    let id = |value: &Value| match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    match (id(&body["tile"]["id"]), id(&body["toDashboard"])) {
        (Some(tile_id), Some(to_dashboard)) => Ok(MoveRequest {
            tile_id,
            to_dashboard,
        }),
        _ => Err(ApiError::internal(
            "old-era move_tile: KeyError on tile.id or toDashboard (emulated)",
        )),
    }
}

/// The move itself: the tile must be live on the source and the destination editable in the same
/// project; soft-deleted shadows of the same content on the destination make way, a live one is a 400.
fn move_to(
    conn: &Connection,
    ctx: &ProjectContext,
    source_id: i64,
    request: &MoveRequest,
) -> Result<(), ApiError> {
    let tile = tiles::visible_tiles(conn, source_id)?
        .into_iter()
        .find(|t| t.id == request.tile_id)
        .ok_or_else(ApiError::not_found)?;
    let destination = dashboards::get(conn, ctx.team.id, request.to_dashboard, false)?
        .ok_or_else(ApiError::not_found)?;
    if !dashboard_access(conn, ctx, &destination)?.can_edit() {
        return Err(ApiError::permission_denied(
            "You don't have edit permissions for the destination dashboard.",
        ));
    }
    if let Some(existing) = tiles::same_content_on(conn, destination.id, &tile)? {
        if existing.id != tile.id {
            if existing.deleted != Some(true) {
                return Err(ApiError::invalid_input(
                    "Invalid request data for moving tile.",
                    None,
                ));
            }
            tiles::delete_row(conn, existing.id)?;
        }
    }
    tiles::move_to(conn, tile.id, destination.id)?;
    Ok(())
}
