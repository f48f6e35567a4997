//! `create_from_template` (`posthog/helpers/dashboard_templates.py`): puts a template's name,
//! description, filters, tags and INSIGHT/TEXT tiles onto a dashboard. Used by `use_template`
//! (built-in keys) and by `create_from_template_json`.

use rusqlite::Connection;
use serde_json::{Map, Value};

use super::input::tagify;
use crate::auth::ProjectContext;
use crate::clock;
use crate::db::accounts::feature;
use crate::db::dashboards::{self, Dashboard};
use crate::db::tiles::{self, Insight, Text, Tile};
use crate::error::ApiError;

/// Applies an already validated `template` to `d` (the caller saves `d`).
pub fn create_from_template(
    conn: &Connection,
    ctx: &ProjectContext,
    d: &mut Dashboard,
    template: &Value,
) -> Result<(), ApiError> {
    if d.name.as_deref().is_none_or(str::is_empty) {
        d.name = template["template_name"].as_str().map(str::to_owned);
    }
    d.description = template["dashboard_description"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    d.filters = match &template["dashboard_filters"] {
        filters @ Value::Object(_) => filters.clone(),
        _ => Value::Object(Map::new()),
    };
    if ctx.organization.has_feature(feature::TAGGING) {
        add_tags(conn, ctx, d.id, &template["tags"])?;
    }
    for tile in template["tiles"].as_array().into_iter().flatten() {
        // Other tile types are logged and skipped by PostHog.
        let created = match tile["type"].as_str() {
            Some("INSIGHT") => Tile::new(d.id, Some(insight_tile(conn, ctx, tile)?), None),
            Some("TEXT") => {
                let body = tile["body"].as_str().map(str::to_owned);
                let text = Text::new(ctx.team.id, body, ctx.user.id, clock::now());
                Tile::new(d.id, None, Some(tiles::insert_text(conn, &text)?))
            }
            _ => continue,
        };
        tiles::insert_tile(
            conn,
            &Tile {
                layouts: match &tile["layouts"] {
                    layouts @ Value::Object(_) => layouts.clone(),
                    _ => Value::Object(Map::new()),
                },
                color: tile["color"].as_str().map(str::to_owned),
                ..created
            },
        )?;
    }
    Ok(())
}

/// A sample insight for an INSIGHT tile; only `query` counts (legacy `filters` are ignored).
fn insight_tile(conn: &Connection, ctx: &ProjectContext, tile: &Value) -> Result<i64, ApiError> {
    let insight = Insight {
        name: tile["name"].as_str().map(str::to_owned),
        description: tile["description"].as_str().unwrap_or_default().to_owned(),
        query: tile["query"].clone(),
        is_sample: true,
        ..Insight::new(ctx.team.id, ctx.user.id, clock::now())
    };
    Ok(tiles::insert_insight(conn, &insight)?)
}

/// Adds the template's tags to those the dashboard already has.
fn add_tags(
    conn: &Connection,
    ctx: &ProjectContext,
    dashboard_id: i64,
    tags: &Value,
) -> Result<(), ApiError> {
    let mut all = dashboards::tags(conn, dashboard_id)?;
    all.extend(
        tags.as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned),
    );
    dashboards::set_tags(conn, ctx.team.id, dashboard_id, &tagify(&all))?;
    Ok(())
}
