//! OAuth clients identified by a Client ID Metadata Document (oauth.md): the `client_id` is an
//! URL serving JSON whose `client_id` is that same URL and whose `redirect_uris` list where
//! codes may be sent. Documents are fetched on first use and cached like PostHog caches them
//! (`Cache-Control: max-age` clamped to 5 minutes–24 hours, 1 hour without one).
//!
//! The stand-in also serves such a document for the app it hosts (`/oauth-client.json`, for the
//! origin the browser used), so "Sign in with PostHog" works against it out of the box.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use reqwest::Url;
use serde_json::{json, Value};

/// Largest metadata document accepted, in bytes.
const DOCUMENT_LIMIT: usize = 5 * 1024;
/// How long a document is trusted without `Cache-Control`, and the bounds of what it may ask for.
const DEFAULT_MAX_AGE: Duration = Duration::from_secs(3600);
const MIN_MAX_AGE: Duration = Duration::from_secs(300);
const MAX_MAX_AGE: Duration = Duration::from_secs(86400);
/// Where the stand-in serves the metadata document of the app it hosts.
pub const OWN_DOCUMENT_PATH: &str = "/oauth-client.json";

/// A client, as its metadata document describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub client_id: String,
    pub client_name: String,
    pub redirect_uris: Vec<String>,
}

impl Client {
    /// Whether `redirect_uri` is one the client registered (exact match, as OAuth 2.1 requires).
    pub fn allows_redirect(&self, redirect_uri: &str) -> bool {
        self.redirect_uris.iter().any(|uri| uri == redirect_uri)
    }
}

/// Fetches and caches client metadata documents.
#[derive(Clone)]
pub struct Registry {
    http: reqwest::Client,
    cache: Arc<Mutex<HashMap<String, (Instant, Client)>>>,
}

impl Default for Registry {
    fn default() -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            http,
            cache: Arc::default(),
        }
    }
}

impl Registry {
    /// The client named by `client_id`; the error is a sentence for the error page.
    pub async fn resolve(&self, client_id: &str) -> Result<Client, String> {
        let url = client_id_url(client_id)?;
        if let Some(client) = self.cached(client_id) {
            return Ok(client);
        }
        let response = self
            .http
            .get(url)
            .header(header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|_| "The client's metadata document could not be fetched.".to_string())?;
        if !response.status().is_success() {
            return Err(format!(
                "The client's metadata document answered HTTP {}.",
                response.status().as_u16()
            ));
        }
        let max_age = max_age(response.headers());
        let too_big = response
            .content_length()
            .is_some_and(|n| n as usize > DOCUMENT_LIMIT);
        let body = response
            .bytes()
            .await
            .map_err(|_| "The client's metadata document could not be read.".to_string())?;
        if too_big || body.len() > DOCUMENT_LIMIT {
            return Err("The client's metadata document is larger than 5 KB.".into());
        }
        let client = parse_document(client_id, &body)?;
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(
            client_id.to_owned(),
            (Instant::now() + max_age, client.clone()),
        );
        Ok(client)
    }

    fn cached(&self, client_id: &str) -> Option<Client> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(client_id)
            .filter(|(until, _)| *until > Instant::now())
            .map(|(_, client)| client.clone())
    }
}

/// Whether `url` may be a client id or redirect URI: https, or http on the local machine.
fn secure_or_local(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")),
        _ => false,
    }
}

/// Checks the form of a client id: an https URL with a path, no query, fragment or credentials.
pub fn client_id_url(client_id: &str) -> Result<Url, String> {
    let url = Url::parse(client_id)
        .map_err(|_| "The client_id is not a URL of a client metadata document.".to_string())?;
    let bare = url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !secure_or_local(&url) || url.path() == "/" || !bare {
        return Err(
            "The client_id must be an https URL with a path and no query or fragment.".into(),
        );
    }
    Ok(url)
}

/// Reads and checks a metadata document fetched from `client_id`.
pub fn parse_document(client_id: &str, body: &[u8]) -> Result<Client, String> {
    let invalid = |what: &str| format!("The client's metadata document is not valid: {what}.");
    let document: Value = serde_json::from_slice(body).map_err(|_| invalid("not JSON"))?;
    if document["client_id"].as_str() != Some(client_id) {
        return Err(invalid("its client_id is not its own URL"));
    }
    let client_name = document["client_name"]
        .as_str()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| invalid("client_name is missing"))?;
    let redirect_uris: Vec<String> = document["redirect_uris"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let usable = |uri: &String| {
        Url::parse(uri).is_ok_and(|url| secure_or_local(&url) && url.fragment().is_none())
    };
    if redirect_uris.is_empty() || !redirect_uris.iter().all(usable) {
        return Err(invalid(
            "redirect_uris must list https (or local http) URLs without fragments",
        ));
    }
    if !matches!(
        document.get("token_endpoint_auth_method"),
        None | Some(Value::Null)
    ) && document["token_endpoint_auth_method"] != "none"
    {
        return Err(invalid(
            "a public client's token_endpoint_auth_method is \"none\"",
        ));
    }
    Ok(Client {
        client_id: client_id.to_owned(),
        client_name: client_name.chars().take(100).collect(),
        redirect_uris,
    })
}

/// The cache lifetime a response asks for, clamped to PostHog's bounds.
fn max_age(headers: &HeaderMap) -> Duration {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|part| part.trim().strip_prefix("max-age="))
                .and_then(|secs| secs.trim().parse::<u64>().ok())
        })
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_MAX_AGE)
        .clamp(MIN_MAX_AGE, MAX_MAX_AGE)
}

/// The metadata document of the app the stand-in serves, for the origin in the `Host` header:
/// its callback is `/oauth/callback` there.
pub async fn own_document(headers: HeaderMap) -> Response {
    let origin = super::origin(&headers);
    let body = json!({
        "client_id": format!("{origin}{OWN_DOCUMENT_PATH}"),
        "client_name": "Dashdeck",
        "client_uri": format!("{origin}/"),
        "redirect_uris": [format!("{origin}/oauth/callback")],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    });
    (
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "https://dashdeck.example.com/oauth-client.json";

    fn document(extra: Value) -> Vec<u8> {
        let mut doc = json!({
            "client_id": ID,
            "client_name": "Dashdeck",
            "redirect_uris": ["https://dashdeck.example.com/oauth/callback"],
        });
        for (k, v) in extra.as_object().unwrap() {
            doc[k] = v.clone();
        }
        doc.to_string().into_bytes()
    }

    #[test]
    fn client_ids_are_https_urls_with_a_path() {
        assert!(client_id_url(ID).is_ok());
        assert!(client_id_url("http://127.0.0.1:8080/oauth-client.json").is_ok());
        for bad in [
            "dashdeck",
            "http://dashdeck.example.com/oauth-client.json",
            "https://dashdeck.example.com/",
            "https://dashdeck.example.com/c.json?x=1",
            "https://dashdeck.example.com/c.json#f",
            "https://user:pw@dashdeck.example.com/c.json",
            "javascript:alert(1)",
        ] {
            assert!(client_id_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn documents_must_name_themselves_and_list_safe_redirects() {
        let client = parse_document(ID, &document(json!({}))).unwrap();
        assert_eq!(client.client_name, "Dashdeck");
        assert!(client.allows_redirect("https://dashdeck.example.com/oauth/callback"));
        assert!(!client.allows_redirect("https://dashdeck.example.com/oauth/callback/"));
        let error = |extra| parse_document(ID, &document(extra)).unwrap_err();
        assert!(error(json!({"client_id": "https://evil.example/c.json"})).contains("own URL"));
        assert!(error(json!({"client_name": " "})).contains("client_name"));
        assert!(error(json!({"redirect_uris": []})).contains("redirect_uris"));
        assert!(
            error(json!({"redirect_uris": ["http://evil.example/cb"]})).contains("redirect_uris")
        );
        assert!(
            error(json!({"redirect_uris": ["https://a.example/cb#x"]})).contains("redirect_uris")
        );
        assert!(
            error(json!({"token_endpoint_auth_method": "client_secret_basic"}))
                .contains("public client")
        );
        assert!(parse_document(ID, b"<html>")
            .unwrap_err()
            .contains("not JSON"));
    }

    #[test]
    fn cache_lifetimes_are_clamped() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CACHE_CONTROL, value.parse().unwrap());
            max_age(&headers)
        };
        assert_eq!(max_age(&HeaderMap::new()), DEFAULT_MAX_AGE);
        assert_eq!(with("public, max-age=60"), MIN_MAX_AGE);
        assert_eq!(with("max-age=7200"), Duration::from_secs(7200));
        assert_eq!(with("max-age=999999"), MAX_MAX_AGE);
    }
}
