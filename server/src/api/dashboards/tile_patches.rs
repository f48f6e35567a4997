//! `tiles` in a dashboard PATCH (`DashboardSerializer._update_tiles`): each entry creates or edits a
//! text card, or changes the display fields of an existing tile. Insights are never changed here.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::api::fields::{self, Fields};
use crate::auth::ProjectContext;
use crate::clock;
use crate::db::tiles::{self, Text, Tile};
use crate::error::ApiError;

/// Longest text card body PostHog accepts.
const TEXT_BODY_MAX: usize = 4000;

/// The tile fields a patch may change; any one of them marks a display-only patch.
const DISPLAY_FIELDS: [&str; 6] = [
    "deleted",
    "color",
    "layouts",
    "filters_overrides",
    "show_description",
    "transparent_background",
];

/// Applies every patch in order to dashboard `dashboard_id`.
pub fn apply(
    conn: &Connection,
    ctx: &ProjectContext,
    dashboard_id: i64,
    patches: &[Value],
) -> Result<(), ApiError> {
    for (index, patch) in patches.iter().enumerate() {
        let prefix = format!("tiles__{index}");
        let object = fields::object(patch).map_err(|_| {
            ApiError::invalid_input("Invalid data. Expected a dictionary.", Some(&prefix))
        })?;
        let f = Fields::new(object, &prefix);
        match object.get("text") {
            Some(Value::Object(text)) => apply_text(conn, ctx, dashboard_id, &f, text)?,
            _ if DISPLAY_FIELDS.iter().any(|k| object.contains_key(*k)) => {
                // An unknown or foreign tile id is skipped, as PostHog only logs it.
                let tile_id = f.integer("id", true)?.flatten();
                if let Some(mut tile) = match tile_id {
                    Some(id) => tiles::tile(conn, dashboard_id, id)?,
                    None => None,
                } {
                    set_display_fields(&mut tile, &f)?;
                    tiles::save_tile(conn, &tile)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `{"text": {"body"}}` creates a card and its tile; `{"text": {"id", "body"}}` edits a card that
/// must already be on this dashboard.
fn apply_text(
    conn: &Connection,
    ctx: &ProjectContext,
    dashboard_id: i64,
    f: &Fields,
    text: &Map<String, Value>,
) -> Result<(), ApiError> {
    let text_fields = Fields::new(text, "text");
    let body = text_fields.char("body", None, true)?;
    if body
        .as_ref()
        .and_then(|b| b.as_ref())
        .is_some_and(|b| b.chars().count() > TEXT_BODY_MAX)
    {
        return Err(ApiError::validation(
            "max_length",
            format!("Text body cannot exceed {TEXT_BODY_MAX} characters"),
            Some("text__body"),
        ));
    }
    let now = clock::now();
    let text_id = text_fields.integer("id", true)?.flatten();
    let Some(text_id) = text_id else {
        let new_text = Text::new(ctx.team.id, body.flatten(), ctx.user.id, now);
        let text_id = tiles::insert_text(conn, &new_text)?;
        let mut tile = Tile::new(dashboard_id, None, Some(text_id));
        set_display_fields(&mut tile, f)?;
        tiles::insert_tile(conn, &tile)?;
        return Ok(());
    };
    let not_found = || ApiError::invalid_input("Text tile not found.", Some("text"));
    let mut tile = tiles::tile_of_text(conn, dashboard_id, text_id)?.ok_or_else(not_found)?;
    let mut text = tiles::text(conn, text_id)?.ok_or_else(not_found)?;
    if text.team_id != ctx.team.id {
        return Err(ApiError::invalid_input(
            "Text tile not found in this team.",
            Some("text"),
        ));
    }
    if let Some(body) = body {
        text.body = body;
    }
    text.last_modified_by_id = Some(ctx.user.id);
    text.last_modified_at = now;
    tiles::save_text(conn, &text)?;
    set_display_fields(&mut tile, f)?;
    tiles::save_tile(conn, &tile).map_err(ApiError::from)
}

/// `duplicate_tiles`: `[{"id", "layouts"}]` deep-copies each live tile of this dashboard (its
/// insight as "<name> (Copy)", or its text card) into a new tile placed at `layouts`.
pub fn duplicate(
    conn: &Connection,
    ctx: &ProjectContext,
    dashboard_id: i64,
    entries: &[Value],
) -> Result<(), ApiError> {
    for (index, entry) in entries.iter().enumerate() {
        let prefix = format!("duplicate_tiles__{index}");
        let object = fields::object(entry).map_err(|_| {
            ApiError::invalid_input("Invalid data. Expected a dictionary.", Some(&prefix))
        })?;
        let f = Fields::new(object, &prefix);
        let id = f.integer("id", true)?.flatten().unwrap_or(0);
        let tile = tiles::tile(conn, dashboard_id, id)?;
        let Some(mut tile) = tile.filter(|t| t.deleted != Some(true)) else {
            continue;
        };
        if let Some(insight_id) = tile.insight_id {
            let Some(mut insight) = tiles::insight(conn, insight_id)? else {
                continue;
            };
            let next: i64 =
                conn.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM insights", [], |r| {
                    r.get(0)
                })?;
            insight.short_id = format!("{}{next}", insight.short_id);
            insight.name = insight.name.map(|n| format!("{n} (Copy)"));
            insight.created_by_id = Some(ctx.user.id);
            tile.insight_id = Some(tiles::insert_insight(conn, &insight)?);
        }
        if let Some(text_id) = tile.text_id {
            let Some(text) = tiles::text(conn, text_id)? else {
                continue;
            };
            tile.text_id = Some(tiles::insert_text(conn, &text)?);
        }
        if let Some(layouts) = f.raw("layouts").filter(|l| l.is_object()) {
            tile.layouts = layouts.clone();
        }
        tiles::insert_tile(conn, &tile)?;
    }
    Ok(())
}

/// Copies the display fields present in the patch onto the tile.
fn set_display_fields(tile: &mut Tile, f: &Fields) -> Result<(), ApiError> {
    if let Some(layouts) = f.raw("layouts") {
        tile.layouts = if layouts.is_null() {
            Value::Object(Map::new())
        } else {
            layouts.clone()
        };
    }
    if let Some(color) = f.char("color", Some(400), true)? {
        tile.color = color;
    }
    if let Some(overrides) = f.raw("filters_overrides") {
        tile.filters_overrides = match overrides {
            Value::Null => Value::Object(Map::new()),
            Value::Object(_) => overrides.clone(),
            _ => {
                return Err(ApiError::invalid_input(
                    "Expected a dictionary of items.",
                    Some(&f.attr("filters_overrides")),
                ))
            }
        };
    }
    if let Some(show) = f.boolean("show_description", true)? {
        tile.show_description = show;
    }
    if let Some(transparent) = f.boolean("transparent_background", true)? {
        tile.transparent_background = transparent;
    }
    if let Some(deleted) = f.boolean("deleted", true)? {
        tile.deleted = deleted;
    }
    Ok(())
}
