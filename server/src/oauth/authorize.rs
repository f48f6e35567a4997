//! `/oauth/authorize/`: `GET` checks the request and shows the consent page; `POST` (the page's
//! form) records the decision and sends the browser back to the client with a one-time code or
//! `error=access_denied`.
//!
//! Until the client and its `redirect_uri` are verified, every problem is an error page: the
//! browser is never sent to an address the client did not register (RFC 6749 §4.1.2.1).

use std::collections::HashMap;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use reqwest::Url;

use super::client::Client;
use super::{pkce_shaped, read_form, CODE_TTL, SCOPES};
use crate::auth::secure_value;
use crate::db::accounts::{self, User};
use crate::db::oauth::{self as store, NewGrant};
use crate::extract::Query;
use crate::shared_pages::escape;
use crate::{clock, random, AppState};

/// The parameters of an authorization request that passed every check.
struct Checked {
    client: Client,
    redirect_uri: String,
    code_challenge: String,
    scopes: Vec<String>,
    state: Option<String>,
}

/// Why a request is refused: on a page of ours, or back at the verified redirect URI.
enum Refusal {
    Page(String),
    Redirect(Url),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Page(sentence) => html(
                StatusCode::BAD_REQUEST,
                "Sign-in request refused",
                &format!(
                    "<h1>This sign-in request cannot be used</h1><p>{}</p>\
                     <p>Go back to the app and start the sign-in again, or tell whoever runs it.</p>",
                    escape(&sentence)
                ),
            ),
            Refusal::Redirect(url) => Redirect::to(url.as_str()).into_response(),
        }
    }
}

/// `redirect_uri` with `params` (and `state` when the client sent one) added to its query.
fn back_to_client(redirect_uri: &str, params: &[(&str, &str)], state: Option<&str>) -> Url {
    let mut url = Url::parse(redirect_uri).expect("redirect URIs are checked when registered");
    {
        let mut query = url.query_pairs_mut();
        for (key, value) in params {
            query.append_pair(key, value);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    url
}

async fn check(state: &AppState, params: &HashMap<String, String>) -> Result<Checked, Refusal> {
    let field = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let client_id = field("client_id").ok_or_else(|| {
        Refusal::Page("The request does not say which app is asking (client_id).".into())
    })?;
    let client = state
        .oauth
        .clients
        .resolve(client_id)
        .await
        .map_err(Refusal::Page)?;
    let redirect_uri = field("redirect_uri")
        .filter(|uri| client.allows_redirect(uri))
        .ok_or_else(|| {
            Refusal::Page(format!(
                "The redirect_uri is not one that {} registered in its client metadata document.",
                client.client_name
            ))
        })?
        .to_owned();
    let client_state = field("state").map(str::to_owned);
    let refuse = |error: &str, description: &str| {
        Refusal::Redirect(back_to_client(
            &redirect_uri,
            &[("error", error), ("error_description", description)],
            client_state.as_deref(),
        ))
    };
    if field("response_type") != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "Only response_type=code is supported.",
        ));
    }
    let code_challenge = field("code_challenge")
        .filter(|c| pkce_shaped(c))
        .ok_or_else(|| refuse("invalid_request", "A PKCE code_challenge is required."))?
        .to_owned();
    if field("code_challenge_method") != Some("S256") {
        return Err(refuse(
            "invalid_request",
            "code_challenge_method must be S256.",
        ));
    }
    let scopes: Vec<String> = field("scope")
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if scopes.is_empty() || !scopes.iter().all(|s| SCOPES.contains(&s.as_str())) {
        return Err(refuse(
            "invalid_scope",
            "Ask for one or more of the supported scopes.",
        ));
    }
    Ok(Checked {
        client,
        redirect_uri,
        code_challenge,
        scopes,
        state: client_state,
    })
}

/// `GET`: the consent page for a valid request.
pub(super) async fn page(State(state): State<AppState>, query: Query) -> Response {
    let params: HashMap<String, String> = query.0.into_iter().collect();
    let checked = match check(&state, &params).await {
        Ok(checked) => checked,
        Err(refusal) => return refusal.into_response(),
    };
    match state.db.run(|conn| Ok(accounts::users(conn)?)).await {
        Ok(users) => html(
            StatusCode::OK,
            &format!("Authorize {}", checked.client.client_name),
            &consent_form(&checked, &params, &users),
        ),
        Err(error) => error.into_response(),
    }
}

/// `POST`: "Authorize" issues a code for the chosen user; "Deny" says so to the client.
pub(super) async fn decide(State(state): State<AppState>, request: Request) -> Response {
    let Some(form) = read_form(request).await else {
        return Refusal::Page("The consent form arrived incomplete.".into()).into_response();
    };
    let checked = match check(&state, &form).await {
        Ok(checked) => checked,
        Err(refusal) => return refusal.into_response(),
    };
    let (redirect_uri, client_state) = (checked.redirect_uri.clone(), checked.state.clone());
    let back = |params: &[(&str, &str)]| {
        Redirect::to(back_to_client(&redirect_uri, params, client_state.as_deref()).as_str())
            .into_response()
    };
    match form.get("decision").map(String::as_str) {
        Some("deny") => {
            return back(&[
                ("error", "access_denied"),
                ("error_description", "The user denied access."),
            ])
        }
        Some("allow") => {}
        _ => return Refusal::Page("Choose Authorize or Deny.".into()).into_response(),
    }
    let Some(user_id) = form.get("user").and_then(|u| u.parse::<i64>().ok()) else {
        return Refusal::Page("Choose who signs in.".into()).into_response();
    };
    let code = random::oauth_secret("");
    let code_hash = secure_value(&code);
    let stored = state
        .db
        .run(move |conn| {
            if accounts::user(conn, user_id)?.is_none() {
                return Ok(false);
            }
            store::insert_grant(
                conn,
                &NewGrant {
                    client_id: &checked.client.client_id,
                    redirect_uri: &checked.redirect_uri,
                    user_id,
                    scopes: &checked.scopes,
                    code_secure_value: &code_hash,
                    code_challenge: &checked.code_challenge,
                    code_expires_at: &clock::after(CODE_TTL),
                },
            )?;
            Ok(true)
        })
        .await;
    match stored {
        Ok(true) => back(&[("code", &code)]),
        Ok(false) => Refusal::Page("That user does not exist.".into()).into_response(),
        Err(error) => error.into_response(),
    }
}

/// The consent form: who asks, for what, as whom; the request travels on in hidden fields and
/// is checked again when the form comes back.
fn consent_form(checked: &Checked, params: &HashMap<String, String>, users: &[User]) -> String {
    let name = escape(&checked.client.client_name);
    let from = Url::parse(&checked.redirect_uri)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let hidden: String = [
        "client_id",
        "redirect_uri",
        "response_type",
        "code_challenge",
        "code_challenge_method",
        "scope",
        "state",
    ]
    .iter()
    .filter_map(|key| params.get(*key).map(|value| (key, value)))
    .map(|(key, value)| {
        format!(
            "<input type=\"hidden\" name=\"{key}\" value=\"{}\">",
            escape(value)
        )
    })
    .collect();
    let scopes: String = checked
        .scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", escape(s)))
        .collect();
    let options: String = users
        .iter()
        .map(|u| {
            format!(
                "<option value=\"{}\">{} {} ({})</option>",
                u.id,
                escape(&u.first_name),
                escape(&u.last_name),
                escape(&u.email)
            )
        })
        .collect();
    format!(
        "<h1>Authorize {name}</h1>\
         <p><strong>{name}</strong> (at {from}) wants to use PostHog on your behalf. It will be able to:</p>\
         <ul>{scopes}</ul>\
         <form method=\"post\">{hidden}\
         <p><label for=\"user\">Sign in as</label> <select id=\"user\" name=\"user\">{options}</select></p>\
         <p class=\"hint\">This is the stand-in: instead of a login, choose one of its demo users.</p>\
         <button type=\"submit\" name=\"decision\" value=\"allow\">Authorize</button> \
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\
         </form>",
        from = escape(&from),
    )
}

/// A page that runs no script and cannot be framed (no clickjacking of the consent buttons).
fn html(status: StatusCode, title: &str, main: &str) -> Response {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:36rem;color:#1d1f27}}\
         button{{font:inherit;padding:.4rem 1rem}}.hint{{color:#555}}</style></head>\
         <body><main>{main}</main></body></html>\n",
        escape(title)
    );
    (status, headers, body).into_response()
}
