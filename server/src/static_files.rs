//! The built app (`--dist`) with an `index.html` fallback for deep links, and `/config.json`, the
//! app's runtime configuration.

use std::path::Path;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware;
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
            // `x.wasm.br` / `x.wasm.gz` (written by the build) go to browsers that accept them.
            let files = ServeDir::new(dist)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index);
            let files = Router::new()
                .fallback_service(files)
                .layer(middleware::map_response(cache_control));
            router.fallback_service(files)
        }
        None => router.fallback(|| async { StatusCode::NOT_FOUND }),
    }
}

/// A file whose name carries a hash of its content (`dashdeck-0123456789abcdef_bg.wasm`) never
/// changes under that name: cached for a year. Everything else (index.html and deep links,
/// dashdeck-embed.js, oauth-client.json) is checked with the server on every use.
async fn cache_control(uri: Uri, mut response: Response) -> Response {
    let name = uri.path().rsplit('/').next().unwrap_or_default();
    // A missing hashed name gets index.html (the deep-link fallback), which must not stick.
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let value = if response.status().is_success() && is_hashed(name) && !html {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Whether a file name has a 16-hex-digit content hash before its extension (`main-…css`,
/// `split_dashboard-….wasm`, `dashdeck-…_bg.wasm`).
pub fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
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

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_the_builds_content_hashed_files() {
        for name in [
            "dashdeck-0123456789abcdef_bg.wasm",
            "dashdeck-0123456789abcdef.js",
            "main-297243e6015c2f1e.css",
            "split_dashboard-4808395bb9d8f9d0.wasm",
            "chunk_7-a7ab6418f7f79466.wasm",
            "favicon-5faacf428ba1eae6.svg",
        ] {
            assert!(is_hashed(name), "{name}");
        }
        for name in [
            "index.html",
            "dashdeck-embed.js",
            "oauth-client.json",
            "config.json",
            "dashboards",
            "",
            "x-0123456789abcdeg.js",
            "x-0123456789abcde.js",
        ] {
            assert!(!is_hashed(name), "{name}");
        }
    }
}
