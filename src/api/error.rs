//! The one error type for every PostHog request, and the sentence the user reads for each case.

use serde::Deserialize;

/// What went wrong talking to PostHog, decoded from the status and PostHog's error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401, or 403 with an authentication code: the key is missing, invalid or expired.
    Unauthenticated { detail: String },
    /// 403 "API key missing required scope '…'".
    MissingScope { scope: String },
    /// Any other 403: the key works but may not see or change this.
    Forbidden { detail: String },
    /// 404: the project or dashboard does not exist, or was deleted.
    NotFound,
    /// 400: PostHog rejected a value; `attr` names the field when PostHog says which.
    Validation {
        attr: Option<String>,
        detail: String,
    },
    /// 429: too many requests with this key.
    RateLimited { retry_after: Option<u32> },
    /// 5xx.
    Server { status: u16 },
    /// Any other status PostHog should not send for these requests (e.g. 405).
    Unexpected { status: u16, detail: Option<String> },
    /// The request never got an answer: offline, wrong host, or blocked by CORS.
    Network,
    /// Dashdeck stopped waiting after the request timeout (see `logic::retry`).
    Timeout,
    /// Dashdeck cancelled the request because a newer one replaced it.
    Aborted,
    /// PostHog answered 2xx with JSON Dashdeck cannot read.
    Decode { detail: String },
    /// The OAuth sign-in cannot go on: a refresh (or code exchange) was refused.
    SignInEnded,
}

/// PostHog's error body (drf-exceptions-hog): `{type, code, detail, attr}`; hand-built
/// views send only `detail` or `error`.
#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    code: Option<String>,
    detail: Option<String>,
    attr: Option<String>,
    error: Option<String>,
}

const SCOPE_PREFIX: &str = "API key missing required scope '";

impl ApiError {
    /// Decodes a non-2xx answer from its status and raw body (which may be empty or not JSON).
    pub fn from_response(status: u16, body: &str) -> Self {
        let body: ErrorBody = serde_json::from_str(body).unwrap_or_default();
        let detail = body.detail.clone().or(body.error.clone()).map(redact);
        match status {
            401 => Self::Unauthenticated {
                detail: detail.unwrap_or_else(|| "Authentication failed.".into()),
            },
            403 => forbidden(&body, detail),
            404 => Self::NotFound,
            400 => Self::Validation {
                attr: body.attr,
                detail: detail.unwrap_or_else(|| "PostHog rejected the request.".into()),
            },
            429 => Self::RateLimited {
                retry_after: detail.as_deref().and_then(seconds_in_detail),
            },
            500..=599 => Self::Server { status },
            _ => Self::Unexpected { status, detail },
        }
    }

    /// Replaces the wait parsed from the body with the `Retry-After` header when PostHog sent one.
    pub fn with_retry_after(self, header: Option<&str>) -> Self {
        match (self, header.and_then(|h| h.trim().parse().ok())) {
            (Self::RateLimited { .. }, Some(seconds)) => Self::RateLimited {
                retry_after: Some(seconds),
            },
            (other, _) => other,
        }
    }

    /// True when a new key (not a retry) is the way out.
    pub fn needs_new_key(&self) -> bool {
        matches!(
            self,
            Self::Unauthenticated { .. } | Self::MissingScope { .. } | Self::SignInEnded
        )
    }

    /// PostHog's detail for the form field `attr` (also for nested attrs such as `text__body`),
    /// to show beside that field.
    pub fn field_detail(&self, field: &str) -> Option<&str> {
        match self {
            Self::Validation {
                attr: Some(attr),
                detail,
            } if attr == field || attr.starts_with(&format!("{field}__")) => Some(detail),
            _ => None,
        }
    }

    /// True when PostHog's 400 names one of a form's `fields`: it is shown beside that field,
    /// not as a form-level alert.
    pub fn names_field(&self, fields: &[&str]) -> bool {
        fields.iter().any(|f| self.field_detail(f).is_some())
    }

    /// True for failures that the same request may get past later (a "Try again" helps).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Server { .. } | Self::Network | Self::Timeout | Self::RateLimited { .. }
        )
    }

    /// The sentence shown to the user, quoting PostHog's own detail where it has one.
    pub fn user_message(&self) -> String {
        match self {
            Self::Unauthenticated { detail } => {
                format!("{detail} Check the personal API key and connect again.")
            }
            Self::MissingScope { scope } => format!(
                "This key is missing the scope '{scope}'. Create a personal API key with \
                 the '{scope}' scope in PostHog and connect again."
            ),
            Self::Forbidden { detail } if detail.contains("edit permission") => format!(
                "{detail} PostHog lets only the dashboard's owner, project admins and invited \
                 editors change a restricted dashboard; ask one of them for edit access."
            ),
            Self::Forbidden { detail } => format!(
                "PostHog refused this request: {detail} Your access in PostHog decides this, \
                 not the key; ask a project admin."
            ),
            Self::NotFound => {
                "PostHog could not find this. It may have been deleted or belong to another \
                 project."
                    .into()
            }
            Self::Validation {
                attr: Some(attr),
                detail,
            } => format!("PostHog rejected the value of {attr}: {detail}"),
            Self::Validation { attr: None, detail } => {
                format!("PostHog rejected the request: {detail}")
            }
            Self::RateLimited {
                retry_after: Some(seconds),
            } => format!("PostHog is rate-limiting this key. Try again in {seconds} seconds."),
            Self::RateLimited { retry_after: None } => {
                "PostHog is rate-limiting this key. Try again in a minute.".into()
            }
            Self::Server { status } => {
                format!("PostHog had a problem answering (HTTP {status}). Try again in a moment.")
            }
            Self::Unexpected { status: 405, .. } => "PostHog does not allow this action here \
                 (HTTP 405). The host may run a PostHog version without it."
                .into(),
            Self::Unexpected {
                status,
                detail: Some(detail),
            } => format!("PostHog answered HTTP {status}: {detail}"),
            Self::Unexpected {
                status,
                detail: None,
            } => format!("PostHog answered with an unexpected HTTP {status}."),
            Self::Network => "Could not reach the PostHog host. Check the address and your \
                 connection; the host must also allow requests from this page (CORS)."
                .into(),
            Self::Timeout => "PostHog took too long to answer, so Dashdeck stopped waiting. \
                 Try again in a moment."
                .into(),
            Self::Aborted => "The request was cancelled.".into(),
            Self::SignInEnded => crate::logic::oauth::SignInFailure::Expired
                .user_message()
                .into(),
            Self::Decode { .. } => {
                "PostHog answered with data Dashdeck could not read. Try again, or check \
                 that the host is a PostHog instance."
                    .into()
            }
        }
    }
}

fn forbidden(body: &ErrorBody, detail: Option<String>) -> ApiError {
    let detail = detail.unwrap_or_else(|| "Permission denied.".into());
    if let Some(scope) = detail
        .strip_prefix(SCOPE_PREFIX)
        .and_then(|rest| rest.split('\'').next())
    {
        return ApiError::MissingScope {
            scope: scope.to_string(),
        };
    }
    // A bad key can come back as 403 when the first authenticator sends no WWW-Authenticate.
    let auth_code = matches!(
        body.code.as_deref(),
        Some("not_authenticated" | "authentication_failed")
    );
    if body.kind.as_deref() == Some("authentication_error") && auth_code {
        ApiError::Unauthenticated { detail }
    } else {
        ApiError::Forbidden { detail }
    }
}

/// Blanks out anything shaped like a personal API key, should a server ever echo one.
fn redact(text: String) -> String {
    if !text.contains("phx_") {
        return text;
    }
    text.split(' ')
        .map(|word| match word.find("phx_") {
            Some(at) => format!("{}phx_…", &word[..at]),
            None => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads N from DRF's "Request was throttled. Expected available in N seconds."
fn seconds_in_detail(detail: &str) -> Option<u32> {
    let (_, rest) = detail.split_once(" in ")?;
    rest.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const ERRORS: &str = include_str!("../../tests/fixtures/error-responses.json");

    fn example(name: &str) -> ApiError {
        let all: Value = serde_json::from_str(ERRORS).unwrap();
        let case = &all[name];
        let status = case["status"].as_u64().unwrap() as u16;
        let body = match &case["body"] {
            Value::Null => String::new(),
            body => body.to_string(),
        };
        ApiError::from_response(status, &body)
    }

    #[test]
    fn every_example_body_decodes_to_the_expected_variant() {
        let cases = [
            (
                "400_required_field",
                ApiError::Validation {
                    attr: Some("to_dashboard".into()),
                    detail: "This field is required.".into(),
                },
            ),
            (
                "400_nested_text_tile",
                ApiError::Validation {
                    attr: Some("text__body".into()),
                    detail: "Text body cannot exceed 4000 characters".into(),
                },
            ),
            (
                "400_non_field",
                ApiError::Validation {
                    attr: None,
                    detail: "`use_dashboard` and `use_template` cannot be used together".into(),
                },
            ),
            (
                "400_use_dashboard",
                ApiError::Validation {
                    attr: Some("use_dashboard".into()),
                    detail: "Invalid value provided".into(),
                },
            ),
            (
                "401_no_credentials",
                ApiError::Unauthenticated {
                    detail: "Authentication credentials were not provided.".into(),
                },
            ),
            (
                "401_bad_personal_api_key",
                ApiError::Unauthenticated {
                    detail: "Personal API key found in request Authorization header is invalid."
                        .into(),
                },
            ),
            (
                "403_missing_scope",
                ApiError::MissingScope {
                    scope: "dashboard:write".into(),
                },
            ),
            (
                "403_action_not_for_api_keys",
                ApiError::Forbidden {
                    detail: "This action does not support personal API key access".into(),
                },
            ),
            (
                "403_no_edit_rights",
                ApiError::Forbidden {
                    detail: "You don't have edit permissions for this dashboard.".into(),
                },
            ),
            (
                "403_restriction_change",
                ApiError::Forbidden {
                    detail: "Only the dashboard owner and project admins have the restriction \
                             rights required to change the dashboard's restriction level."
                        .into(),
                },
            ),
            (
                "403_not_in_project",
                ApiError::Forbidden {
                    detail: "You don't have access to the project.".into(),
                },
            ),
            ("404_not_found", ApiError::NotFound),
            ("404_collaborators_dashboard_missing", ApiError::NotFound),
            (
                "405_dashboard_delete",
                ApiError::Unexpected {
                    status: 405,
                    detail: None,
                },
            ),
            (
                "405_collaborator_patch",
                ApiError::Unexpected {
                    status: 405,
                    detail: Some("Method \"PATCH\" not allowed.".into()),
                },
            ),
            (
                "429_throttled",
                ApiError::RateLimited {
                    retry_after: Some(37),
                },
            ),
            (
                "403_sharing_password_feature",
                ApiError::Forbidden {
                    detail: "Sharing with password requires the Advanced Permissions feature"
                        .into(),
                },
            ),
        ];
        let all: Value = serde_json::from_str(ERRORS).unwrap();
        let named = all.as_object().unwrap().keys().filter(|k| *k != "_note");
        assert_eq!(named.count(), cases.len(), "every example has a case");
        for (name, expected) in cases {
            assert_eq!(example(name), expected, "{name}");
        }
    }

    #[test]
    fn validation_example_file_decodes() {
        let body = include_str!("../../tests/fixtures/validation-error.json");
        assert_eq!(
            ApiError::from_response(400, body),
            ApiError::Validation {
                attr: None,
                detail: "Cannot add collaborators to a dashboard on the lowest restriction level."
                    .into()
            }
        );
    }

    #[test]
    fn invalid_key_message_quotes_posthog_verbatim() {
        let message = example("401_bad_personal_api_key").user_message();
        assert!(message
            .starts_with("Personal API key found in request Authorization header is invalid."));
    }

    #[test]
    fn missing_scope_message_names_the_scope() {
        let body = r#"{"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'user:read'","attr":null}"#;
        let error = ApiError::from_response(403, body);
        assert_eq!(
            error,
            ApiError::MissingScope {
                scope: "user:read".into()
            }
        );
        assert!(error
            .user_message()
            .starts_with("This key is missing the scope 'user:read'"));
        assert!(error.needs_new_key());
    }

    #[test]
    fn forbidden_with_authentication_code_counts_as_unauthenticated() {
        let body = r#"{"type":"authentication_error","code":"not_authenticated","detail":"Authentication credentials were not provided.","attr":null}"#;
        assert!(matches!(
            ApiError::from_response(403, body),
            ApiError::Unauthenticated { .. }
        ));
    }

    #[test]
    fn non_json_bodies_still_give_a_variant() {
        assert_eq!(
            ApiError::from_response(502, "<html>Bad gateway</html>"),
            ApiError::Server { status: 502 }
        );
        assert_eq!(
            ApiError::from_response(401, ""),
            ApiError::Unauthenticated {
                detail: "Authentication failed.".into()
            }
        );
    }

    #[test]
    fn retry_after_header_wins_over_the_detail() {
        let error = example("429_throttled").with_retry_after(Some("12"));
        assert_eq!(
            error,
            ApiError::RateLimited {
                retry_after: Some(12)
            }
        );
        assert!(error.user_message().contains("12 seconds"));
        assert_eq!(
            ApiError::NotFound.with_retry_after(Some("5")),
            ApiError::NotFound
        );
    }

    #[test]
    fn every_variant_has_a_sentence() {
        let variants = [
            ApiError::NotFound,
            ApiError::Network,
            ApiError::Aborted,
            ApiError::Server { status: 500 },
            ApiError::RateLimited { retry_after: None },
            ApiError::Decode { detail: "x".into() },
            ApiError::Timeout,
        ];
        for variant in variants {
            let message = variant.user_message();
            assert!(message.ends_with('.'), "{message}");
        }
    }

    const KEY: &str = "phx_demo_full_access_key_000000000000000000";

    #[test]
    fn no_sentence_ever_contains_the_key() {
        let all: Value = serde_json::from_str(ERRORS).unwrap();
        let mut errors: Vec<ApiError> = all
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "_note")
            .map(|k| example(k))
            .collect();
        // A server that echoes the key back in any error field.
        for status in [400, 401, 403, 404, 405, 429, 500, 418] {
            for field in ["detail", "error"] {
                let body = format!(r#"{{"{field}":"Key {KEY} is bad ({KEY}).","attr":"name"}}"#);
                errors.push(ApiError::from_response(status, &body));
            }
        }
        errors.extend([ApiError::Network, ApiError::Timeout, ApiError::Aborted]);
        for error in errors {
            let message = error.user_message();
            assert!(!message.contains(KEY), "{message}");
            assert!(!format!("{error:?}").contains(KEY), "{error:?}");
        }
    }

    #[test]
    fn field_detail_finds_the_field_and_its_nested_attrs() {
        let error = example("400_nested_text_tile");
        assert_eq!(
            error.field_detail("text"),
            Some("Text body cannot exceed 4000 characters")
        );
        assert_eq!(error.field_detail("text__body"), error.field_detail("text"));
        assert_eq!(error.field_detail("name"), None);
        assert_eq!(example("400_non_field").field_detail("name"), None);
        assert_eq!(example("404_not_found").field_detail("name"), None);
        assert!(error.names_field(&["name", "text"]));
        assert!(!error.names_field(&["name", "description"]));
        assert!(!example("400_non_field").names_field(&["name"]));
    }

    #[test]
    fn each_class_names_its_cause() {
        let rate = example("429_throttled").user_message();
        assert!(
            rate.starts_with("PostHog is rate-limiting this key."),
            "{rate}"
        );
        let edit = example("403_no_edit_rights").user_message();
        assert!(edit.contains("ask one of them for edit access"), "{edit}");
        assert!(example("405_dashboard_delete")
            .user_message()
            .contains("HTTP 405"));
        assert!(ApiError::Timeout.user_message().contains("took too long"));
        assert!(ApiError::Server { status: 503 }.is_transient());
        assert!(!example("403_missing_scope").is_transient());
        assert!(!example("400_required_field").is_transient());
    }
}
