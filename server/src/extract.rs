//! Request extractors whose failures are PostHog-shaped errors, never axum's plain-text rejections.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A request body as JSON: parsed from JSON, or from a form (`application/x-www-form-urlencoded`,
/// whose values are all strings, like DRF's `QueryDict`). An empty body is `{}`.
#[derive(Debug, Clone)]
pub struct Body(pub Value);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = axum::body::to_bytes(req.into_body(), BODY_LIMIT)
            .await
            .map_err(|_| ApiError::payload_too_large(BODY_LIMIT))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body(Value::Object(Map::new())));
        }
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match media_type.as_str() {
            "application/x-www-form-urlencoded" => Ok(Body(form_to_json(&bytes))),
            // A missing content type is read as JSON, which is what every client here sends.
            "" | "application/json" => serde_json::from_slice(&bytes)
                .map(Body)
                .map_err(ApiError::parse_error),
            t if t.ends_with("+json") => serde_json::from_slice(&bytes)
                .map(Body)
                .map_err(ApiError::parse_error),
            _ => Err(ApiError::unsupported_media_type(&content_type)),
        }
    }
}

/// Form fields as a JSON object; a key given more than once becomes a list (like `QueryDict.getlist`).
fn form_to_json(bytes: &[u8]) -> Value {
    let mut object = Map::new();
    for (key, value) in form_urlencoded::parse(bytes) {
        let value = Value::String(value.into_owned());
        match object.get_mut(key.as_ref()) {
            Some(Value::Array(list)) => list.push(value),
            Some(previous) => *previous = Value::Array(vec![previous.take(), value]),
            None => {
                object.insert(key.into_owned(), value);
            }
        }
    }
    Value::Object(object)
}

/// The query string as ordered pairs; repeated keys (`?tags=a&tags=b`) are all kept.
#[derive(Debug, Clone, Default)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// The last value of `key`, as Django's `QueryDict.get` returns it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, in order.
    pub fn get_all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Parses a raw query string.
    pub fn parse(raw: Option<&str>) -> Self {
        Query(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .into_owned()
                .collect(),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Query::parse(parts.uri.query()))
    }
}

/// Path parameters; anything axum cannot decode is a 404, as an unmatched URL would be in PostHog.
#[derive(Debug, Clone)]
pub struct PathParams<T>(pub T);

impl<T, S> FromRequestParts<S> for PathParams<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| PathParams(p.0))
            .map_err(|_| ApiError::not_found())
    }
}

/// Parses a numeric id from the URL; anything else (`/dashboards/abc/`) is a 404.
pub fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| ApiError::not_found())
}
