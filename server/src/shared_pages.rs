//! The public pages of a shared dashboard (`SharingViewerPageViewSet`, api.md §2.13):
//! `/shared/{token}` and `/embedded/{token}` as a small server-rendered HTML page (the dashboard's
//! name, description and tile titles, all escaped), and `…/{token}.json` as data. Authorship is
//! never shown. Unknown, disabled or expired tokens, deleted dashboards and organizations that
//! forbid public sharing all get the same HTML 404.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::api::serializers::Serializer;
use crate::db::{accounts, dashboards, sharing};
use crate::error::ApiError;
use crate::{clock, AppState};

/// Adds the public sharing routes.
pub fn routes(router: Router<AppState>) -> Router<AppState> {
    router
        .route("/shared/{token}", get(shared))
        .route("/embedded/{token}", get(embedded))
}

async fn shared(state: State<AppState>, Path(token): Path<String>) -> Response {
    page(state, token, "scene").await
}

async fn embedded(state: State<AppState>, Path(token): Path<String>) -> Response {
    page(state, token, "embed").await
}

async fn page(State(state): State<AppState>, token: String, mode: &'static str) -> Response {
    let (token, as_json) = match token.strip_suffix(".json") {
        Some(token) => (token.to_owned(), true),
        None => (token, false),
    };
    let found = state
        .db
        .run(move |conn| shared_dashboard(conn, &token))
        .await;
    match found {
        Ok(Some(dashboard)) if as_json => {
            Json(json!({"type": mode, "dashboard": dashboard})).into_response()
        }
        Ok(Some(dashboard)) => html(StatusCode::OK, &dashboard_page(&dashboard, mode)),
        Ok(None) => html(StatusCode::NOT_FOUND, NOT_FOUND_PAGE),
        Err(e) => e.into_response(),
    }
}

/// The dashboard behind an enabled, unexpired token, serialized for the public.
fn shared_dashboard(conn: &Connection, token: &str) -> Result<Option<Value>, ApiError> {
    let Some(config) = sharing::by_token(conn, token, &clock::now())? else {
        return Ok(None);
    };
    let Some(dashboard) = dashboards::get(conn, config.team_id, config.dashboard_id, false)? else {
        return Ok(None);
    };
    let team = accounts::team(conn, config.team_id)?.ok_or_else(ApiError::not_found)?;
    let organization =
        accounts::organization(conn, &team.organization_id)?.ok_or_else(ApiError::not_found)?;
    if !organization.allow_publicly_shared_resources {
        return Ok(None);
    }
    let value = Serializer::public(conn, &team, &organization).dashboard(&dashboard)?;
    Ok(Some(value))
}

const NOT_FOUND_PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"robots\" content=\"noindex\"><title>Not found</title></head>\
<body><main><h1>Not found</h1><p>This link is not valid, or sharing has been turned off.</p></main></body></html>\n";

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#1d1f27}\
li{margin:.25rem 0}.text{white-space:pre-wrap;color:#555}";

fn dashboard_page(dashboard: &Value, mode: &str) -> String {
    let name = escape(dashboard["name"].as_str().unwrap_or("Untitled"));
    let description = escape(dashboard["description"].as_str().unwrap_or_default());
    let tiles: String = dashboard["tiles"]
        .as_array()
        .into_iter()
        .flatten()
        .map(tile_item)
        .collect();
    let footer = if mode == "embed" {
        ""
    } else {
        "<footer><p>Shared with Dashdeck</p></footer>"
    };
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"robots\" content=\"noindex\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>{name}</title><style>{STYLE}</style></head>\
<body><main><h1>{name}</h1><p>{description}</p><ol class=\"tiles\">{tiles}</ol></main>{footer}</body></html>\n"
    )
}

/// One tile: an insight's name (or derived name), or a text card's body as plain text.
fn tile_item(tile: &Value) -> String {
    let insight = &tile["insight"];
    if insight.is_object() {
        let title = insight["name"]
            .as_str()
            .or(insight["derived_name"].as_str())
            .unwrap_or("Untitled insight");
        format!("<li class=\"insight\">{}</li>", escape(title))
    } else {
        let body = tile["text"]["body"].as_str().unwrap_or_default();
        format!("<li class=\"text\">{}</li>", escape(body))
    }
}

/// `text` with HTML's special characters escaped, for element content and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// An HTML response that can run nothing and load nothing.
fn html(status: StatusCode, body: &str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body.to_owned(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_everything() {
        let page = dashboard_page(
            &json!({"name": "<b>x</b>", "description": "a & b", "tiles": [
                {"insight": {"name": null, "derived_name": "\"derived\""}},
                {"insight": null, "text": {"body": "<script>alert(1)</script>"}},
            ]}),
            "embed",
        );
        assert!(page.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(page.contains("a &amp; b"));
        assert!(page.contains("&quot;derived&quot;"));
        assert!(!page.contains("<script>"));
        assert!(!page.contains("Shared with"));
    }
}
