//! The header of connected pages: app name, where Dashdeck is connected, "Disconnect".

use crate::router::use_location;
use leptos::prelude::*;

use crate::state::session::use_session;

/// Shows the project and host of the current connection.
#[component]
pub fn AppHeader(project_id: i64) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let disconnect = move |_| {
        session.disconnect();
        location.navigate("/connect", false);
    };
    let place = move || {
        session
            .connection()
            .map(|c| (c.project_label(project_id), c.host))
    };
    view! {
        <header class="app-header">
            <a class="app-name" href=crate::router::href("/")>"Dashdeck"</a>
            {move || place().map(|(project, host)| view! {
                <p class="connection">
                    <span class="project-name">{project}</span>
                    <span class="host">{host}</span>
                </p>
            })}
            <button type="button" class="secondary" on:click=disconnect>"Disconnect"</button>
        </header>
    }
}
