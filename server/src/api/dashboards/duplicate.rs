//! Duplication (`use_dashboard`): the source's settings and its live tiles, either re-linked to the
//! same insights and text cards (PostHog's default, `copy_to_dashboard`) or, with
//! `duplicate_tiles: true`, deep-copied into new ones.

use rusqlite::Connection;

use crate::auth::ProjectContext;
use crate::clock;
use crate::db::dashboards::Dashboard;
use crate::db::tiles::{self, Insight, Text, Tile};
use crate::error::ApiError;

/// Copies `source`'s filters, variables, colours and tiles onto the new dashboard `d`.
pub fn copy_from(
    conn: &Connection,
    ctx: &ProjectContext,
    d: &mut Dashboard,
    source: &Dashboard,
    deep: bool,
) -> Result<(), ApiError> {
    d.filters = source.filters.clone();
    d.variables = source.variables.clone();
    d.breakdown_colors = source.breakdown_colors.clone();
    d.data_color_theme_id = source.data_color_theme_id;
    d.quick_filter_ids = source.quick_filter_ids.clone();
    for tile in tiles::visible_tiles(conn, source.id)? {
        let (insight_id, text_id) = if deep {
            (
                copy_insight(conn, ctx, tile.insight_id)?,
                copy_text(conn, ctx, tile.text_id)?,
            )
        } else {
            (tile.insight_id, tile.text_id)
        };
        tiles::insert_tile(
            conn,
            &Tile {
                dashboard_id: d.id,
                insight_id,
                text_id,
                ..tile
            },
        )?;
    }
    Ok(())
}

/// A new insight like `id`, named "<name> (Copy)" (a null name stays null), owned by the caller.
fn copy_insight(
    conn: &Connection,
    ctx: &ProjectContext,
    id: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    let Some(original) = id.map(|id| tiles::insight(conn, id)).transpose()?.flatten() else {
        return Ok(None);
    };
    // The query and its cached result carry over; who made it and when are the copy's own.
    let copy = Insight {
        name: original.name.as_ref().map(|n| format!("{n} (Copy)")),
        derived_name: original.derived_name,
        description: original.description,
        query: original.query,
        result: original.result,
        columns: original.columns,
        types: original.types,
        last_refresh: original.last_refresh,
        saved: original.saved,
        is_sample: original.is_sample,
        filters_hash: original.filters_hash,
        ..Insight::new(ctx.team.id, ctx.user.id, clock::now())
    };
    Ok(Some(tiles::insert_insight(conn, &copy)?))
}

/// A new text card with the same body, written by the caller.
fn copy_text(
    conn: &Connection,
    ctx: &ProjectContext,
    id: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    let Some(original) = id.map(|id| tiles::text(conn, id)).transpose()?.flatten() else {
        return Ok(None);
    };
    let copy = Text::new(ctx.team.id, original.body, ctx.user.id, clock::now());
    Ok(Some(tiles::insert_text(conn, &copy)?))
}
