//! `/oauth/callback`: where PostHog sends the browser back after "Sign in with PostHog".

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::router::use_location;
use crate::state::config::AppConfig;
use crate::state::session::use_session;
use crate::state::sign_in::{self, CALLBACK_PATH};

crate::lazy_view! {
    /// The sign-in callback page, loaded on first use in the release build.
    pub fn oauth_callback_page[connect]() { view! { <OAuthCallbackPage /> } }
}

/// Takes the code out of the address bar at once, finishes the sign-in, then opens the
/// project (through `/`) or goes back to the connect screen with the reason.
#[component]
pub fn OAuthCallbackPage() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let config = use_context::<StoredValue<AppConfig>>()
        .map(|c| c.get_value())
        .unwrap_or_default();
    let query = location.search.get_untracked();
    spawn_local(async move {
        // The code must not stay in the URL, the history or a bookmark.
        location.navigate(CALLBACK_PATH, true);
        match sign_in::finish(&query, &config).await {
            Ok(connection) => {
                session.connect(connection, false);
                location.navigate("/", true);
            }
            Err(failure) => {
                location.navigate(&format!("/connect?sign_in={}", failure.code()), true)
            }
        }
    });
    view! {
        <main class="page">
            <p class="status" role="status" aria-busy="true">"Signing in with PostHog…"</p>
        </main>
    }
}
