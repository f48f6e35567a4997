//! The last resort: a panic anywhere in a handler becomes PostHog's 500 body instead of a dropped
//! connection. Handlers are meant never to get here (the fuzz test in `tests/api/fuzz.rs` checks
//! that no generated input produces a 5xx); this only keeps a bug from looking like a network failure.

use std::any::Any;

use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::ApiError;

/// Wraps `router` so that panics answer `{"type":"server_error","code":"error",...}` with status 500.
pub fn catch_panics<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(CatchPanicLayer::custom(panic_response))
}

fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response {
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    ApiError::internal(format!("handler panicked: {message}")).into_response()
}
