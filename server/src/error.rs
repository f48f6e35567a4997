//! PostHog-shaped API errors: `{"type", "code", "detail", "attr"}` as drf-exceptions-hog renders them.
//!
//! Every handler returns `Result<_, ApiError>`, so no axum plain-text rejection or panic message ever
//! reaches a client. Constructors are named after the DRF exception (or message) they stand in for.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// One error response of the API; build it with the constructors below.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    code: String,
    detail: String,
    attr: Option<String>,
    /// PostHog answers some errors by hand with no body at all (dashboard DELETE).
    empty_body: bool,
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, code: &str, detail: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            code: code.to_owned(),
            detail: detail.into(),
            attr: None,
            empty_body: false,
        }
    }

    /// The HTTP status this error is sent with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message sent as `detail`.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// 401 `not_authenticated`: no credentials at all.
    pub fn not_authenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "not_authenticated",
            "Authentication credentials were not provided.",
        )
    }

    /// 401 `authentication_failed`: a personal API key that matches no key; `source` says where it was found.
    pub fn invalid_personal_api_key(source: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "authentication_failed",
            format!("Personal API key found in request {source} is invalid."),
        )
    }

    /// 401 `authentication_failed`: an OAuth access token that is unknown, revoked or expired.
    pub fn invalid_oauth_access_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "authentication_failed",
            "OAuth access token is invalid or expired.",
        )
    }

    /// 403 `permission_denied` with PostHog's message.
    pub fn permission_denied(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "authentication_error",
            "permission_denied",
            detail,
        )
    }

    /// 403: the key lacks `scope`.
    pub fn missing_scope(scope: &str) -> Self {
        Self::permission_denied(format!("API key missing required scope '{scope}'"))
    }

    /// 403: the key is limited to other projects.
    pub fn key_not_scoped_to_project(project_id: i64) -> Self {
        Self::permission_denied(format!(
            "API key does not have access to the requested project: ID {project_id}."
        ))
    }

    /// 403: the caller is not a member of the project's organization.
    pub fn no_project_access() -> Self {
        Self::permission_denied("You don't have access to the project.")
    }

    /// 403: the caller may view but not edit the dashboard.
    pub fn no_dashboard_edit_rights() -> Self {
        Self::permission_denied("You don't have edit permissions for this dashboard.")
    }

    /// 403: an action PostHog only offers to session (browser) users.
    pub fn personal_api_key_not_supported() -> Self {
        Self::permission_denied("This action does not support personal API key access")
    }

    /// 403 from `AccessControlPermission`: the caller's access level on the object is below `required`.
    pub fn access_level_required(required: &str) -> Self {
        Self::permission_denied(format!(
            "You do not have {required} access to this resource."
        ))
    }

    /// 404 `not_found` with a view's own message (e.g. "Dashboard not found.").
    pub fn not_found_with(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "not_found",
            detail,
        )
    }

    /// 404 `not_found` with DRF's default "Not found.".
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "not_found",
            "Not found.",
        )
    }

    /// 405 `method_not_allowed` for a method the route does not support.
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            "method_not_allowed",
            format!("Method \"{method}\" not allowed."),
        )
    }

    /// Bare 405 without a body: `ForbidDestroyModel.destroy` (hard delete is never allowed).
    pub fn hard_delete_forbidden() -> Self {
        Self {
            empty_body: true,
            ..Self::method_not_allowed("DELETE")
        }
    }

    /// 400 `parse_error`: the body is not valid JSON.
    pub fn parse_error(reason: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "parse_error",
            format!("JSON parse error - {reason}"),
        )
    }

    /// 415 `unsupported_media_type`: a body in a format the API does not parse.
    pub fn unsupported_media_type(content_type: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
            "unsupported_media_type",
            format!("Unsupported media type \"{content_type}\" in request."),
        )
    }

    /// 413: the body exceeds the size limit.
    pub fn payload_too_large(limit_bytes: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            "payload_too_large",
            format!("Request body exceeds the limit of {limit_bytes} bytes."),
        )
    }

    /// 400 `validation_error` with a DRF error code and the field path (`a__b`), or no field.
    pub fn validation(code: &str, detail: impl Into<String>, attr: Option<&str>) -> Self {
        Self {
            attr: attr.map(str::to_owned),
            ..Self::new(StatusCode::BAD_REQUEST, "validation_error", code, detail)
        }
    }

    /// 400 `required`: DRF's "This field is required.".
    pub fn required(attr: &str) -> Self {
        Self::validation("required", "This field is required.", Some(attr))
    }

    /// 400 `does_not_exist`: a `PrimaryKeyRelatedField` naming no object.
    pub fn does_not_exist(pk: &str, attr: &str) -> Self {
        Self::validation(
            "does_not_exist",
            format!("Invalid pk \"{pk}\" - object does not exist."),
            Some(attr),
        )
    }

    /// 400 `invalid_input` (DRF's `invalid`, renamed by drf-exceptions-hog).
    pub fn invalid_input(detail: impl Into<String>, attr: Option<&str>) -> Self {
        Self::validation("invalid_input", detail, attr)
    }

    /// 429 `throttled` (DRF's `Throttled`); the caller adds `Retry-After`.
    pub fn throttled(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled_error",
            "throttled",
            detail,
        )
    }

    /// A 5xx other than 500 (injected faults): drf-exceptions-hog types anything not a client
    /// error as `server_error`; the code and detail are DRF's `ServiceUnavailable` ones for 503.
    pub fn server_status(status: StatusCode) -> Self {
        match status {
            StatusCode::SERVICE_UNAVAILABLE => Self::new(
                status,
                "server_error",
                "service_unavailable",
                "Service temporarily unavailable, try again later.",
            ),
            _ => Self::new(status, "server_error", "error", "A server error occurred."),
        }
    }

    /// 500 `server_error`; the cause goes to stderr, never to the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        eprintln!("dashdeck-server: internal error: {cause}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "error",
            "A server error occurred.",
        )
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.empty_body {
            return self.status.into_response();
        }
        let body =
            json!({"type": self.kind, "code": self.code, "detail": self.detail, "attr": self.attr});
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            // DRF takes the header from the first authenticator, which is a Bearer one.
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, "Bearer".parse().expect("static"));
        }
        response
    }
}
