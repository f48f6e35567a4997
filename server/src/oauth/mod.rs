//! PostHog's OAuth 2.0 authorization server for public clients (oauth.md), minimal but real:
//! server metadata, the authorization-code grant with PKCE (S256 only) behind a consent page,
//! refresh tokens that rotate, and revocation. Access tokens (`pha_…`) authenticate the API like
//! personal API keys, with the granted scopes and the user's rights (see [`crate::auth`]).
//!
//! The stand-in has no login: the consent page lets the tester choose which seeded user signs in.

mod authorize;
pub mod client;
mod token;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::AppState;

/// Access tokens start with this, as PostHog's do (personal API key auth leaves them alone).
pub const ACCESS_TOKEN_PREFIX: &str = "pha_";
/// Refresh tokens start with this.
pub const REFRESH_TOKEN_PREFIX: &str = "phr_";
/// Lifetime of an access token unless [`crate::Options::oauth_token_ttl`] says otherwise.
pub const DEFAULT_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// Lifetime of a refresh token (it is replaced at every use).
const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// Lifetime of an authorization code.
const CODE_TTL: Duration = Duration::from_secs(5 * 60);
/// Largest form body the OAuth endpoints read.
const FORM_LIMIT: usize = 16 * 1024;

/// The scopes a client may ask for: those of the API the stand-in implements.
pub const SCOPES: [&str; 12] = [
    "user:read",
    "organization:read",
    "organization_member:read",
    "project:read",
    "dashboard:read",
    "dashboard:write",
    "insight:read",
    "insight:write",
    "sharing_configuration:read",
    "sharing_configuration:write",
    "access_control:read",
    "access_control:write",
];

/// Counts of successful token grants, readable by tests that hold the handle they passed in
/// [`crate::Options::oauth_grants`] (there is no endpoint for them).
#[derive(Clone, Debug, Default)]
pub struct GrantCounts(Arc<[AtomicU64; 2]>);

impl GrantCounts {
    /// Authorization codes exchanged for tokens.
    pub fn codes(&self) -> u64 {
        self.0[0].load(Ordering::Relaxed)
    }

    /// Refresh tokens exchanged for new tokens.
    pub fn refreshes(&self) -> u64 {
        self.0[1].load(Ordering::Relaxed)
    }

    fn count(&self, refresh: bool) {
        self.0[usize::from(refresh)].fetch_add(1, Ordering::Relaxed);
    }
}

/// What the OAuth handlers share.
#[derive(Clone)]
pub struct OAuth {
    pub access_token_ttl: Duration,
    pub clients: client::Registry,
    pub grants: GrantCounts,
}

impl OAuth {
    /// Settings with an access-token lifetime (default [`DEFAULT_ACCESS_TOKEN_TTL`]).
    pub fn new(access_token_ttl: Option<Duration>, grants: GrantCounts) -> Self {
        Self {
            access_token_ttl: access_token_ttl.unwrap_or(DEFAULT_ACCESS_TOKEN_TTL),
            clients: client::Registry::default(),
            grants,
        }
    }
}

/// The OAuth routes: metadata, authorize (page and decision), token and revoke (both open to
/// other origins, as PostHog's CORS settings open `/oauth/token/`), and the stand-in's own
/// client metadata document.
pub fn routes(cors: tower_http::cors::CorsLayer) -> Router<AppState> {
    let open = Router::new()
        .route("/oauth/token/", post(token::token))
        .route("/oauth/token", post(token::token))
        .route("/oauth/revoke/", post(token::revoke))
        .route("/oauth/revoke", post(token::revoke))
        .layer(cors);
    let authorize = get(authorize::page).post(authorize::decide);
    Router::new()
        .route("/.well-known/oauth-authorization-server", get(metadata))
        .route("/oauth/authorize/", authorize.clone())
        .route("/oauth/authorize", authorize)
        .route(client::OWN_DOCUMENT_PATH, get(client::own_document))
        .merge(open)
}

/// RFC 8414 server metadata.
async fn metadata(headers: HeaderMap) -> Response {
    let issuer = origin(&headers);
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth/authorize/"),
        "token_endpoint": format!("{issuer}/oauth/token/"),
        "revocation_endpoint": format!("{issuer}/oauth/revoke/"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": SCOPES,
        "client_id_metadata_document_supported": true,
    }))
    .into_response()
}

/// `http://<Host>`: the origin the client used to reach the stand-in.
pub(crate) fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// A form body's fields (`application/x-www-form-urlencoded`); `None` for another content
/// type, a body over the limit, or a field given twice (RFC 6749 §3.1).
async fn read_form(request: Request) -> Option<HashMap<String, String>> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return None;
    }
    let bytes = axum::body::to_bytes(request.into_body(), FORM_LIMIT)
        .await
        .ok()?;
    let mut fields = HashMap::new();
    for (key, value) in form_urlencoded::parse(&bytes) {
        if fields
            .insert(key.into_owned(), value.into_owned())
            .is_some()
        {
            return None;
        }
    }
    Some(fields)
}

/// Whether `value` has the form of a PKCE code verifier or S256 challenge (RFC 7636 §4.1:
/// 43–128 unreserved characters).
fn pkce_shaped(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// `BASE64URL(SHA256(verifier))` without padding: what an S256 challenge must equal.
fn s256(verifier: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(
            s256(verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(pkce_shaped(verifier));
        assert!(!pkce_shaped("short"));
        assert!(!pkce_shaped(&"a".repeat(129)));
        assert!(!pkce_shaped(&format!("{}+", "a".repeat(43))));
    }

    #[test]
    fn origin_comes_from_a_plain_host_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(origin(&headers), "http://localhost");
        headers.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(origin(&headers), "http://127.0.0.1:8080");
        headers.insert(header::HOST, "evil\"<x>".parse().unwrap());
        assert_eq!(origin(&headers), "http://localhost");
    }
}
