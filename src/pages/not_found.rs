//! Any unknown path.

use leptos::prelude::*;

/// The 404 page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <a href=crate::router::href("/")>"Go to your dashboards"</a>
        </main>
    }
}
