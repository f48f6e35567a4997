//! `/`: sends a connected user to their project's dashboards, everyone else to `/connect`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::error_message::ErrorMessage;
use crate::logic::route::Route;
use crate::router::Redirect;
use crate::state::session::use_session;

/// Redirects; when only host and key are known, asks PostHog for the user's current project.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let Some(connection) = session.connection_untracked() else {
        return view! { <Redirect path="/connect" /> }.into_any();
    };
    if let Some(id) = connection.project_id {
        return view! { <Redirect path=Route::dashboards_path(id) /> }.into_any();
    }
    // A preset without a project id: open the key's current project.
    let outcome = RwSignal::new(None::<Result<Option<i64>, ApiError>>);
    let client = StoredValue::new(session.client(&connection));
    let lookup = move || {
        let client = client.get_value();
        outcome.set(None);
        spawn_local(async move {
            let project = client
                .current_user()
                .await
                .map(|user| user.team.map(|team| team.project_id()));
            outcome.set(Some(project));
        });
    };
    lookup();
    view! {
        <main class="page">
            {move || match outcome.get() {
                None => view! { <p class="status" role="status" aria-busy="true">"Opening your project…"</p> }.into_any(),
                Some(Ok(Some(id))) => view! { <Redirect path=Route::dashboards_path(id) /> }.into_any(),
                Some(Ok(None)) => view! { <Redirect path="/connect" /> }.into_any(),
                Some(Err(error)) => view! {
                    <h1>"Dashdeck"</h1>
                    <ErrorMessage error=error on_retry=move |_| lookup() />
                }.into_any(),
            }}
        </main>
    }
    .into_any()
}
