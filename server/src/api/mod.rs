//! The `/api/` router. Resources mirror PostHog's: users, organizations (projects, members),
//! and per project (`/projects/{id}` and its alias `/environments/{id}`) the dashboards with
//! their sharing, collaborators and access controls, and the insights.

mod access_controls;
mod account_serializers;
mod collaborators;
mod dashboards;
pub mod fields;
mod insights;
mod organizations;
mod pagination;
pub mod serializers;
mod sharing;
mod users;

use axum::http::Method;
use axum::routing::MethodRouter;
use axum::Router;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::AppState;

/// Both spellings of a project's base path; PostHog registers every project route under each.
const PROJECT_BASES: [&str; 2] = ["/projects/{project_id}", "/environments/{project_id}"];

/// Every API route, relative to `/api`; unknown paths get PostHog's JSON 404.
pub fn router() -> Router<AppState> {
    let mut router = users::routes(Router::new());
    router = organizations::routes(router);
    for base in PROJECT_BASES {
        router = dashboards::routes(router, base);
        router = sharing::routes(router, base);
        router = collaborators::routes(router, base);
        router = access_controls::routes(router, base);
        router = insights::routes(router, base);
    }
    router.fallback(api_not_found)
}

/// Registers `methods` at `path` with and without a trailing slash (PostHog's `trailing_slash = "/?"`);
/// other methods get PostHog's 405 body.
fn api_route(
    router: Router<AppState>,
    path: &str,
    methods: MethodRouter<AppState>,
) -> Router<AppState> {
    let methods = methods.fallback(method_not_allowed);
    router
        .route(path, methods.clone())
        .route(&format!("{path}/"), methods)
}

/// DRF authenticates before it looks for a handler, so a bad key still gets its 401 first.
async fn method_not_allowed(_principal: Principal, method: Method) -> ApiError {
    ApiError::method_not_allowed(method.as_str())
}

/// `api_not_found`: any other `/api/...` path.
async fn api_not_found() -> ApiError {
    ApiError::not_found()
}

/// `ForbidDestroyModel.destroy`: after the usual checks for `scope`, a bare 405; objects are only
/// ever soft-deleted through PATCH `deleted: true`.
async fn forbid_destroy(
    state: &AppState,
    principal: Principal,
    project_id: String,
    scope: &'static str,
) -> Result<(), ApiError> {
    state
        .db
        .run(move |conn| {
            principal.project(conn, &project_id, scope)?;
            Err(ApiError::hard_delete_forbidden())
        })
        .await
}

/// Only a PATCH that restores (`deleted` sent and falsy) can reach a soft-deleted object.
fn restores(method: &Method, body: &serde_json::Value) -> bool {
    method == Method::PATCH
        && body
            .get("deleted")
            .is_some_and(|d| !fields::truthy(Some(d)))
}
