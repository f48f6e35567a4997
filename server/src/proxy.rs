//! Proxy mode: the binary serves the built app and forwards the dashboards-related part of
//! PostHog's API to a real PostHog host, adding the personal API key on the server, so the key
//! never reaches the browser. Only the paths Dashdeck uses are forwarded; anything else is a 404.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde_json::json;

use crate::error::ApiError;

/// Requests larger than this are refused before they are forwarded (as the stand-in itself does).
const BODY_LIMIT: usize = 1024 * 1024;

/// Where to forward and with which key.
#[derive(Clone)]
pub struct Upstream {
    /// Origin of the PostHog host, e.g. `https://eu.posthog.com` (no trailing slash).
    pub base: String,
    /// The personal API key added to every forwarded request.
    pub key: String,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key never reaches logs.
        f.debug_struct("Upstream")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct Proxy {
    upstream: Arc<Upstream>,
    client: reqwest::Client,
    dist: Option<Arc<PathBuf>>,
}

/// The proxy-mode app: `/api/...` forwarded (allowed paths only), `/config.json` telling the app
/// to send no key, and the built app with its `index.html` fallback.
pub fn router(mut upstream: Upstream, dist: Option<PathBuf>) -> Router {
    upstream.base = upstream.base.trim_end_matches('/').to_string();
    let state = Proxy {
        upstream: Arc::new(upstream),
        client: reqwest::Client::new(),
        dist: dist.clone().map(Arc::new),
    };
    let router = Router::new()
        .route("/api/{*rest}", any(forward))
        .route("/config.json", get(config_json))
        .with_state(state);
    crate::static_files::serve_dist(router, dist.as_deref())
}

/// Whether `path` (starting with `/api/`) is part of the dashboards API Dashdeck uses.
/// Dot segments (also percent-encoded) are refused, so a path cannot climb out of that set.
pub fn is_forwarded(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/api/") else {
        return false;
    };
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let unsafe_segment = |s: &&str| {
        let lower = s.to_ascii_lowercase();
        s.is_empty() || *s == "." || *s == ".." || lower.contains("%2e") || lower.contains("%2f")
    };
    if segments.iter().any(unsafe_segment) {
        return false;
    }
    match segments.as_slice() {
        ["users", "@me"] => true,
        ["organizations", _, "projects" | "members", ..] => true,
        ["projects" | "environments", id, "dashboards" | "insights", ..] => {
            id.parse::<i64>().is_ok()
        }
        _ => false,
    }
}

async fn forward(State(proxy): State<Proxy>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if !is_forwarded(&path) {
        return ApiError::not_found().into_response();
    }
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let method = request.method().clone();
    let headers = request.headers().clone();
    let body = match to_bytes(request.into_body(), BODY_LIMIT).await {
        Ok(body) => body,
        Err(_) => return ApiError::payload_too_large(BODY_LIMIT).into_response(),
    };
    let url = format!("{}{path}{query}", proxy.upstream.base);
    let mut outgoing = proxy
        .client
        .request(method, url)
        .bearer_auth(&proxy.upstream.key)
        .body(body);
    // Only what the API needs goes upstream: never the browser's cookies or credentials.
    for name in [header::CONTENT_TYPE, header::ACCEPT] {
        if let Some(value) = headers.get(&name) {
            outgoing = outgoing.header(name, value);
        }
    }
    match outgoing.send().await {
        Ok(answer) => relay(answer).await,
        Err(_) => bad_gateway(),
    }
}

/// The upstream answer, with the headers a client reads (type, Retry-After).
async fn relay(answer: reqwest::Response) -> Response {
    let status = answer.status();
    let mut headers = HeaderMap::new();
    for name in [header::CONTENT_TYPE, header::RETRY_AFTER] {
        if let Some(value) = answer.headers().get(&name) {
            if let Ok(value) = HeaderValue::from_bytes(value.as_bytes()) {
                headers.insert(name, value);
            }
        }
    }
    match answer.bytes().await {
        Ok(bytes) => (status, headers, Body::from(bytes)).into_response(),
        Err(_) => bad_gateway(),
    }
}

fn bad_gateway() -> Response {
    let body = json!({
        "type": "server_error",
        "code": "bad_gateway",
        "detail": "The PostHog host behind this proxy could not be reached.",
        "attr": null,
    });
    (StatusCode::BAD_GATEWAY, Json(body)).into_response()
}

/// `<dist>/config.json` if the build has one; else proxy mode at this origin, with no key.
async fn config_json(State(proxy): State<Proxy>) -> Response {
    if let Some(file) = proxy.dist.as_ref().map(|d| d.join("config.json")) {
        if let Ok(bytes) = tokio::fs::read(&file).await {
            return ([(header::CONTENT_TYPE, "application/json")], bytes).into_response();
        }
    }
    Json(json!({ "host": null, "auth": "proxy" })).into_response()
}

#[cfg(test)]
mod tests {
    use super::is_forwarded;

    #[test]
    fn forwards_only_the_dashboards_api() {
        for path in [
            "/api/users/@me/",
            "/api/organizations/@current/members/",
            "/api/organizations/0191c7a2-0000-7000-8000-000000000001/projects/",
            "/api/projects/1/dashboards/",
            "/api/environments/2/dashboards/42/sharing/refresh/",
            "/api/projects/1/insights/7",
        ] {
            assert!(is_forwarded(path), "{path}");
        }
        for path in [
            "/api/projects/1/feature_flags/",
            "/api/projects/1/dashboards/../../../users/1/",
            "/api/projects/1/dashboards/%2e%2e/%2E%2E/persons/",
            "/api/projects/x/dashboards/",
            "/api/personal_api_keys/",
            "/api/users/1/",
            "/api//users/@me/",
            "/shared/abc",
        ] {
            assert!(!is_forwarded(path), "{path}");
        }
    }
}
