//! Fault injection for the app's end-to-end tests: rules that make matching `/api` requests slow,
//! fail with a PostHog-shaped error, or lose their connection.
//!
//! `POST /_standin/faults` adds a rule (JSON below), `GET` lists them, `DELETE` clears them all;
//! `--fault JSON` installs one at start-up. A rule applies to requests whose `"METHOD /path"` or
//! path starts with `match` (every `/api` request when absent), to the next `times` of them (all
//! when absent), first rule first:
//!
//! ```json
//! {"match": "PATCH /api/projects/1/dashboards/", "latency_ms": 2000, "status": 429,
//!  "retry_after": 3, "drop_connection": false, "times": 1}
//! ```
//!
//! `status` is one of 400 (PostHog's `invalid_input` body with `detail` and `attr`, for the
//! app's field errors), 405 (`method_not_allowed` for the request's method), 429 (PostHog's
//! throttled body and `Retry-After: retry_after`, default 1), 500, 502, 503, 504;
//! `drop_connection` closes the connection without an answer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::ApiError;

/// One rule; see the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    #[serde(default, rename = "match")]
    pub matches: Option<String>,
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub drop_connection: bool,
    #[serde(default)]
    pub times: Option<u64>,
    /// The 400's `detail` (default "Invalid input.").
    #[serde(default)]
    pub detail: Option<String>,
    /// The 400's `attr`: the field PostHog names (none when absent).
    #[serde(default)]
    pub attr: Option<String>,
}

const STATUSES: [u16; 7] = [400, 405, 429, 500, 502, 503, 504];

impl FaultRule {
    /// Parses and checks a rule (for the endpoint and `--fault`).
    pub fn parse(value: Value) -> Result<Self, ApiError> {
        let rule: FaultRule = serde_json::from_value(value)
            .map_err(|e| ApiError::invalid_input(e.to_string(), None))?;
        if let Some(status) = rule.status.filter(|s| !STATUSES.contains(s)) {
            return Err(ApiError::invalid_input(
                format!("status {status} is not one of {STATUSES:?}"),
                Some("status"),
            ));
        }
        Ok(rule)
    }

    fn applies_to(&self, method: &str, path: &str) -> bool {
        match self.matches.as_deref() {
            None => true,
            Some(pattern) => match pattern.split_once(' ') {
                Some((m, prefix)) => m.eq_ignore_ascii_case(method) && path.starts_with(prefix),
                None => path.starts_with(pattern),
            },
        }
    }
}

/// The rules in force, shared by the middleware and the admin endpoint.
#[derive(Clone, Default)]
pub struct Faults(Arc<Mutex<Vec<FaultRule>>>);

impl Faults {
    pub fn new(rules: Vec<FaultRule>) -> Self {
        Self(Arc::new(Mutex::new(rules)))
    }

    fn rules(&self) -> std::sync::MutexGuard<'_, Vec<FaultRule>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The first rule for this request, counting it against the rule's `times`.
    fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rules = self.rules();
        let index = rules.iter().position(|r| r.applies_to(method, path))?;
        let rule = rules[index].clone();
        match &mut rules[index].times {
            Some(1) | Some(0) => {
                rules.remove(index);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(rule)
    }
}

/// The middleware on `/api`.
pub async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let path = super::full_path(&request);
    let method = request.method().clone();
    let Some(rule) = faults.take(method.as_str(), &path) else {
        return next.run(request).await;
    };
    if rule.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(rule.latency_ms)).await;
    }
    if rule.drop_connection {
        return Response::new(Body::new(Dropped));
    }
    match rule.status.and_then(|s| StatusCode::from_u16(s).ok()) {
        Some(StatusCode::TOO_MANY_REQUESTS) => {
            super::rate_limit::throttled(rule.retry_after.unwrap_or(1))
        }
        Some(StatusCode::BAD_REQUEST) => ApiError::invalid_input(
            rule.detail.as_deref().unwrap_or("Invalid input."),
            rule.attr.as_deref(),
        )
        .into_response(),
        Some(StatusCode::METHOD_NOT_ALLOWED) => {
            ApiError::method_not_allowed(method.as_str()).into_response()
        }
        Some(status) => ApiError::server_status(status).into_response(),
        None => next.run(request).await,
    }
}

/// A body that fails at once: hyper then closes the connection before the status line is written,
/// so the client sees a network error rather than a response.
struct Dropped;

impl HttpBody for Dropped {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::other("fault: drop_connection"))))
    }
}

/// `/_standin/faults`: outside `/api`, so rules never apply to it and it needs no key.
pub fn routes<S: Clone + Send + Sync + 'static>(faults: Faults) -> Router<S> {
    let methods = get(list)
        .post(add)
        .delete(clear)
        .fallback(|method: Method| async move { ApiError::method_not_allowed(method.as_str()) });
    Router::new()
        .route("/_standin/faults", methods.clone())
        .route("/_standin/faults/", methods)
        .with_state(faults)
}

async fn list(State(faults): State<Faults>) -> Json<Value> {
    Json(json!({ "rules": *faults.rules() }))
}

/// The body is JSON whatever its content type (so `curl -d` works).
async fn add(
    State(faults): State<Faults>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = serde_json::from_slice(&body).map_err(ApiError::parse_error)?;
    let rule = FaultRule::parse(body)?;
    let mut rules = faults.rules();
    rules.push(rule);
    Ok((StatusCode::CREATED, Json(json!({ "rules": *rules }))))
}

async fn clear(State(faults): State<Faults>) -> StatusCode {
    faults.rules().clear();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_method_and_prefix_and_count_down() {
        let rule = |m: &str, times| FaultRule {
            matches: Some(m.to_owned()),
            times,
            ..FaultRule::default()
        };
        let faults = Faults::new(vec![
            rule("PATCH /api/projects/1/dashboards/", Some(2)),
            rule("/api/users", None),
        ]);
        assert!(faults.take("GET", "/api/projects/1/dashboards/").is_none());
        assert!(faults
            .take("patch", "/api/projects/1/dashboards/4/")
            .is_some());
        assert!(faults
            .take("PATCH", "/api/projects/1/dashboards/4/")
            .is_some());
        assert!(faults
            .take("PATCH", "/api/projects/1/dashboards/4/")
            .is_none());
        assert!(faults.take("GET", "/api/users/@me/").is_some());
        assert!(faults.take("GET", "/api/users/@me/").is_some());
    }

    #[test]
    fn only_the_documented_statuses_are_accepted() {
        assert!(FaultRule::parse(json!({"status": 503})).is_ok());
        assert!(FaultRule::parse(json!({"status": 400, "attr": "name", "detail": "x"})).is_ok());
        assert!(FaultRule::parse(json!({"status": 0})).is_err());
        let err = FaultRule::parse(json!({"status": 404})).unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert!(FaultRule::parse(json!({"colour": 1})).is_err());
    }
}
