//! `/connect`: choose a PostHog host and personal API key, then a project.

use leptos::prelude::*;

use crate::components::connect_form::{ConnectForm, Connected};
use crate::logic::route::Route;
use crate::router::use_location;
use crate::state::config::AppConfig;
use crate::state::session::use_session;

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
    let on_connected = move |connected: Connected| {
        let project_id = connected.connection.project_id.unwrap_or_default();
        session.connect(connected.connection, connected.remember);
        location.navigate(&Route::dashboards_path(project_id), false);
    };
    view! {
        <main class="page connect-page">
            <h1>"Connect to PostHog"</h1>
            <p class="lead">
                "Dashdeck reads your dashboards through PostHog's API with a personal API key. "
                "The key is kept in this browser only."
            </p>
            <ConnectForm initial_host=initial_host on_connected=on_connected />
        </main>
    }
}
