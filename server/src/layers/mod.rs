//! Middleware around the API: a last-resort panic catcher, PostHog's optional rate limits, and the
//! fault injection the app's end-to-end tests use (`/_standin/faults`).

pub mod catch_panic;
pub mod faults;
pub mod rate_limit;

use axum::extract::{OriginalUri, Request};

/// The path as the client sent it: inside `nest("/api", ..)` the request's own URI lacks `/api`.
fn full_path(request: &Request) -> String {
    request
        .extensions()
        .get::<OriginalUri>()
        .map(|uri| uri.0.path().to_owned())
        .unwrap_or_else(|| request.uri().path().to_owned())
}
