//! The frame shared by every `/project/{id}/...` page.

use leptos::prelude::*;

use crate::components::app_header::AppHeader;
use crate::router::Redirect;
use crate::state::session::use_session;

/// Without a connection it sends the user to `/connect`; with one it shows the header and
/// provides the API client to `children`.
#[component]
pub fn ProjectShell(project_id: i64, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    // Disconnecting navigates away, so the connection is read once per visit.
    let Some(connection) = session.connection_untracked() else {
        return view! { <Redirect path="/connect" /> }.into_any();
    };
    provide_context(session.client(&connection));
    view! {
        <AppHeader project_id=project_id />
        {children()}
    }
    .into_any()
}
