//! "Sign in with PostHog": starts the OAuth authorization-code flow with PKCE (the verifier and
//! `state` wait in this tab's sessionStorage while the browser is at PostHog) and finishes it on
//! the callback by exchanging the code for tokens.

use super::config::AppConfig;
use super::session::{session_storage, Connection};
use crate::api::oauth;
use crate::logic::oauth::{
    code_challenge, code_verifier, read_callback, PendingSignIn, SignInFailure,
};

/// sessionStorage key of the sign-in under way.
const PENDING_KEY: &str = "dashdeck.oauth.pending";

/// The app's app path of the OAuth callback.
pub const CALLBACK_PATH: &str = "/oauth/callback";

/// The client id (the app's metadata document, `oauth-client.json` next to `index.html` unless
/// config.json names another) and the redirect URI (the callback page of this copy of the app).
fn client(config: &AppConfig) -> (String, String) {
    let window = leptos::prelude::window();
    let app = format!(
        "{}{}",
        window.location().origin().unwrap_or_default(),
        crate::router::base()
    );
    let client_id = config
        .oauth_client_id
        .clone()
        .unwrap_or_else(|| format!("{app}/oauth-client.json"));
    (client_id, format!("{app}{CALLBACK_PATH}"))
}

fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    leptos::prelude::window()
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes))
        .map_err(|_| "This browser cannot make the random values sign-in needs.".to_string())?;
    Ok(bytes)
}

/// Remembers a new sign-in to `host` and returns the PostHog address to send the browser to.
pub fn start(host: &str, config: &AppConfig) -> Result<String, String> {
    let (client_id, redirect_uri) = client(config);
    let verifier = code_verifier(&random_bytes::<32>()?);
    let state = crate::logic::oauth::base64url(&random_bytes::<16>()?);
    let url = oauth::authorize_url(
        host,
        &client_id,
        &redirect_uri,
        &state,
        &code_challenge(&verifier),
    );
    let pending = PendingSignIn {
        state,
        verifier,
        host: host.to_string(),
        client_id,
        redirect_uri,
    };
    match session_storage().map(|storage| storage.set_item(PENDING_KEY, &pending.to_text())) {
        Some(Ok(())) => Ok(url),
        _ => Err(
            "This browser does not let Dashdeck keep the sign-in for this tab (sessionStorage)."
                .into(),
        ),
    }
}

/// Finishes the sign-in this tab started (and forgets it, so a callback works once): checks
/// `state`, exchanges the code, and returns the new connection.
pub async fn finish(query: &str, config: &AppConfig) -> Result<Connection, SignInFailure> {
    let storage = session_storage();
    let pending: Option<PendingSignIn> = storage
        .as_ref()
        .and_then(|s| s.get_item(PENDING_KEY).ok().flatten())
        .and_then(|text| PendingSignIn::from_text(&text));
    if let Some(storage) = &storage {
        let _ = storage.remove_item(PENDING_KEY);
    }
    let code = read_callback(query, pending.as_ref())?;
    let pending = pending.ok_or(SignInFailure::StateMismatch)?;
    let now = js_sys::Date::now() as u64;
    let tokens = oauth::exchange_code(
        &pending.host,
        &pending.client_id,
        &pending.redirect_uri,
        &code,
        &pending.verifier,
        now,
    )
    .await
    .map_err(|_| SignInFailure::Exchange)?;
    Ok(Connection {
        host: pending.host,
        api_key: String::new(),
        project_id: config.project_id,
        project_name: None,
        oauth: Some(tokens),
    })
}
