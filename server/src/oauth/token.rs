//! `POST /oauth/token/` (authorization code with PKCE, refresh with rotation) and
//! `POST /oauth/revoke/` (RFC 7009). Errors are RFC 6749 §5.2 bodies with status 400.

use std::collections::HashMap;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::Connection;
use serde_json::json;

use super::{pkce_shaped, read_form, s256, OAuth, ACCESS_TOKEN_PREFIX, REFRESH_TOKEN_PREFIX};
use crate::auth::secure_value;
use crate::db::oauth::{self as store, Grant, TokenKind};
use crate::error::ApiError;
use crate::{clock, random, AppState};

/// An RFC 6749 error: its code and a description for the developer.
#[derive(Debug)]
struct OAuthError(&'static str, &'static str);

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = if self.0 == "server_error" {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = json!({"error": self.0, "error_description": self.1});
        (status, no_store(), Json(body)).into_response()
    }
}

fn no_store() -> [(header::HeaderName, &'static str); 2] {
    [
        (header::CACHE_CONTROL, "no-store"),
        (header::PRAGMA, "no-cache"),
    ]
}

/// A new access and refresh token pair, in clear (only their hashes are stored).
struct Issued {
    access_token: String,
    refresh_token: String,
    scopes: Vec<String>,
}

pub(super) async fn token(State(state): State<AppState>, request: Request) -> Response {
    let Some(form) = read_form(request).await else {
        return OAuthError(
            "invalid_request",
            "The token endpoint reads one application/x-www-form-urlencoded body with each parameter once.",
        )
        .into_response();
    };
    let field = |name: &str| form.get(name).map(String::as_str).filter(|v| !v.is_empty());
    let refresh = match field("grant_type") {
        Some("authorization_code") => false,
        Some("refresh_token") => true,
        Some(_) => {
            return OAuthError(
                "unsupported_grant_type",
                "Use authorization_code or refresh_token.",
            )
            .into_response()
        }
        None => return OAuthError("invalid_request", "grant_type is required.").into_response(),
    };
    if field("client_id").is_none() {
        return OAuthError(
            "invalid_client",
            "A public client identifies itself with client_id.",
        )
        .into_response();
    }
    let oauth = state.oauth.clone();
    let outcome = state
        .db
        .run(move |conn| {
            // Ok(Err(..)) commits: a replayed code's revocation must stick.
            Ok(if refresh {
                refresh_grant(conn, &oauth, &form)
            } else {
                code_grant(conn, &oauth, &form)
            })
        })
        .await;
    match outcome {
        Ok(Ok(issued)) => {
            state.oauth.grants.count(refresh);
            let body = json!({
                "access_token": issued.access_token,
                "token_type": "Bearer",
                "expires_in": state.oauth.access_token_ttl.as_secs(),
                "refresh_token": issued.refresh_token,
                "scope": issued.scopes.join(" "),
            });
            (no_store(), Json(body)).into_response()
        }
        Ok(Err(error)) => error.into_response(),
        Err(error) => error.into_response(),
    }
}

/// `grant_type=authorization_code`: the code once, for the client and redirect it was issued
/// to, with the verifier of its challenge. Any use of a used code revokes what it issued.
fn code_grant(
    conn: &Connection,
    oauth: &OAuth,
    form: &HashMap<String, String>,
) -> Result<Issued, OAuthError> {
    let (Some(code), Some(redirect_uri), Some(verifier)) = (
        form.get("code"),
        form.get("redirect_uri"),
        form.get("code_verifier"),
    ) else {
        return Err(OAuthError(
            "invalid_request",
            "code, redirect_uri and code_verifier are required.",
        ));
    };
    if !pkce_shaped(verifier) {
        return Err(OAuthError(
            "invalid_request",
            "code_verifier must be 43 to 128 unreserved characters.",
        ));
    }
    let invalid = |why| Err(OAuthError("invalid_grant", why));
    let Some(grant) = store::grant_by_code(conn, &secure_value(code)).map_err(internal)? else {
        return invalid("The authorization code is not valid.");
    };
    if grant.code_used {
        store::revoke_tokens(conn, &grant.id).map_err(internal)?;
        return invalid("The authorization code was already used.");
    }
    // One attempt per code: a wrong verifier burns it too.
    store::use_code(conn, &grant.id).map_err(internal)?;
    if grant.code_expires_at <= clock::now() {
        return invalid("The authorization code has expired.");
    }
    if form.get("client_id") != Some(&grant.client_id) {
        return invalid("The authorization code was issued to another client.");
    }
    if *redirect_uri != grant.redirect_uri {
        return invalid("redirect_uri differs from the one of the authorization request.");
    }
    if s256(verifier) != grant.code_challenge {
        return invalid("code_verifier does not match the code_challenge.");
    }
    issue(conn, oauth, &grant)
}

/// `grant_type=refresh_token`: a new pair for a live refresh token of the same client; the old
/// refresh and access tokens stop working.
fn refresh_grant(
    conn: &Connection,
    oauth: &OAuth,
    form: &HashMap<String, String>,
) -> Result<Issued, OAuthError> {
    let Some(refresh_token) = form.get("refresh_token") else {
        return Err(OAuthError("invalid_request", "refresh_token is required."));
    };
    let grant = store::grant_by_token(conn, &secure_value(refresh_token), TokenKind::Refresh)
        .map_err(internal)?
        .filter(|grant| form.get("client_id") == Some(&grant.client_id))
        .ok_or(OAuthError(
            "invalid_grant",
            "The refresh token is not valid (used, revoked, expired or another client's).",
        ))?;
    issue(conn, oauth, &grant)
}

/// Replaces the grant's tokens with a new pair.
fn issue(conn: &Connection, oauth: &OAuth, grant: &Grant) -> Result<Issued, OAuthError> {
    let access_token = random::oauth_secret(ACCESS_TOKEN_PREFIX);
    let refresh_token = random::oauth_secret(REFRESH_TOKEN_PREFIX);
    let stored = (|| {
        store::revoke_tokens(conn, &grant.id)?;
        let access_expiry = clock::after(oauth.access_token_ttl);
        let refresh_expiry = clock::after(super::REFRESH_TOKEN_TTL);
        store::insert_token(
            conn,
            &grant.id,
            &secure_value(&access_token),
            TokenKind::Access,
            &access_expiry,
        )?;
        store::insert_token(
            conn,
            &grant.id,
            &secure_value(&refresh_token),
            TokenKind::Refresh,
            &refresh_expiry,
        )
    })();
    stored.map_err(internal)?;
    Ok(Issued {
        access_token,
        refresh_token,
        scopes: grant.scopes.clone(),
    })
}

fn internal(error: rusqlite::Error) -> OAuthError {
    ApiError::internal(error);
    OAuthError("server_error", "The token could not be issued.")
}

/// RFC 7009: forgets every token of the grant the given token belongs to. Unknown tokens are
/// not an error (the client's goal, a dead token, is met).
pub(super) async fn revoke(State(state): State<AppState>, request: Request) -> Response {
    let token = read_form(request)
        .await
        .and_then(|mut form| form.remove("token"))
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return OAuthError("invalid_request", "token is required in a form body.").into_response();
    };
    let revoked = state
        .db
        .run(move |conn| {
            if let Some(grant_id) = store::grant_id_of_token(conn, &secure_value(&token))? {
                store::revoke_tokens(conn, &grant_id)?;
            }
            Ok(())
        })
        .await;
    match revoked {
        Ok(()) => (StatusCode::OK, no_store()).into_response(),
        Err(error) => error.into_response(),
    }
}
