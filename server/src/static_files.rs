//! The built app (`--dist`) with an `index.html` fallback for deep links, and `/config.json`, the
//! app's runtime configuration.

use std::path::Path;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;
use crate::{seed, AppState};

/// Adds `/config.json` and, with a dist directory, the app's files as the fallback for every
/// path the API does not own.
pub fn with_static_files(router: Router<AppState>, dist: Option<&Path>) -> Router<AppState> {
    serve_dist(router.route("/config.json", get(config_json)), dist)
}

/// The app's files as the fallback for every path the router does not own, `index.html` for
/// deep links; without a dist directory, a bare 404.
pub fn serve_dist<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    dist: Option<&Path>,
) -> Router<S> {
    match dist {
        Some(dist) => {
            let index = ServeFile::new(dist.join("index.html"));
            router.fallback_service(ServeDir::new(dist).fallback(index))
        }
        None => router.fallback(|| async { StatusCode::NOT_FOUND }),
    }
}

/// `<dist>/config.json` if the build has one; else, in demo mode, the seeded demo key for this
/// origin (`host: null` = the app's own origin); else 404 — never `index.html`.
async fn config_json(State(state): State<AppState>) -> Response {
    if let Some(file) = state.dist_dir.as_ref().map(|d| d.join("config.json")) {
        if let Ok(bytes) = tokio::fs::read(&file).await {
            return ([(header::CONTENT_TYPE, "application/json")], bytes).into_response();
        }
    }
    if state.demo {
        return Json(json!({
            "host": null,
            "project_id": seed::DEMO_PROJECT_ID,
            "api_key": seed::DEMO_FULL_ACCESS_KEY,
        }))
        .into_response();
    }
    ApiError::not_found().into_response()
}
