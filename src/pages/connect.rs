//! `/connect`: choose a PostHog host, then sign in with PostHog or give a personal API key and
//! choose a project. After a failed sign-in (`?sign_in=denied|state|…`) it says what happened.

use leptos::prelude::*;

use crate::components::connect_form::{ConnectForm, Connected};
use crate::logic::list_query::decode_component;
use crate::logic::oauth::SignInFailure;
use crate::logic::route::Route;
use crate::router::use_location;
use crate::state::config::{AppConfig, AuthMode};
use crate::state::session::use_session;

crate::lazy_view! {
    /// The connect page, loaded on first use in the release build.
    pub fn connect_page[connect]() { view! { <ConnectPage /> } }
}

/// The connect page.
#[component]
pub fn ConnectPage() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let config = use_context::<StoredValue<AppConfig>>()
        .map(|c| c.get_value())
        .unwrap_or_default();
    // A host from config.json or the last connection saves typing; the key is never pre-filled.
    let initial_host = config
        .host
        .clone()
        .or_else(|| session.connection().map(|c| c.host))
        .unwrap_or_default();
    let oauth_only = config.auth == AuthMode::OAuth;
    let failure = location
        .search
        .get_untracked()
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("sign_in="))
        .and_then(|code| SignInFailure::from_code(&decode_component(code)));
    let on_connected = move |connected: Connected| {
        let project_id = connected.connection.project_id.unwrap_or_default();
        session.connect(connected.connection, connected.remember);
        location.navigate(&Route::dashboards_path(project_id), false);
    };
    view! {
        <main class="page connect-page">
            <h1>"Connect to PostHog"</h1>
            <p class="lead">
                "Dashdeck reads your dashboards through PostHog's API: sign in with your PostHog "
                "account, or use a personal API key. Either is kept in this browser only."
            </p>
            {failure.map(|f| view! { <p class="error-message" role="alert">{f.user_message()}</p> })}
            <ConnectForm initial_host=initial_host on_connected=on_connected oauth_only=oauth_only />
        </main>
    }
}
