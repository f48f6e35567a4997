//! The `/api/` router. Resources mirror PostHog's: users, organizations (projects, members),
//! and per project (`/projects/{id}` and its alias `/environments/{id}`) the dashboards.

mod account_serializers;
mod dashboards;
pub mod fields;
mod organizations;
mod pagination;
pub mod serializers;
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
