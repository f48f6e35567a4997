//! An API error as the user reads it: one sentence and the way out.

use leptos::prelude::*;

use crate::api::ApiError;

/// Shows `error` with role="alert"; offers "Try again" when `on_retry` is given and a link
/// to connect with another key when the key itself is the problem (a way back for a 404).
#[component]
pub fn ErrorMessage(
    error: ApiError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let new_key = error.needs_new_key();
    let way_back = if error == ApiError::SignInEnded {
        "Sign in again"
    } else {
        "Connect with another key"
    };
    let not_found = error == ApiError::NotFound;
    view! {
        <div class="error-message" role="alert">
            <p>{error.user_message()}</p>
            <div class="actions">
                {on_retry.map(|retry| view! {
                    <button type="button" on:click=move |_| retry.run(())>"Try again"</button>
                })}
                {new_key.then(|| view! { <a href=crate::router::href("/connect")>{way_back}</a> })}
                {not_found.then(|| view! { <a href=crate::router::href("/connect")>"Choose another project"</a> })}
            </div>
        </div>
    }
}
