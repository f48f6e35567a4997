//! An API error as the user reads it: one sentence and the way out.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::state::network::network;

/// Shows `error` with role="alert"; offers "Try again" when `on_retry` is given and a link
/// to connect with another key when the key itself is the problem (a way back for a 404).
/// A `read` that got no answer is tried again by itself when the browser comes back online
/// (a fetch can fail before the browser notices it is offline); writes never are.
#[component]
pub fn ErrorMessage(
    error: ApiError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
    #[prop(optional)] read: bool,
) -> impl IntoView {
    if let (true, ApiError::Network, Some(retry)) = (read, &error, on_retry) {
        let offline = network().offline;
        Effect::new(move |was_offline: Option<bool>| {
            let now = offline.get();
            if was_offline == Some(true) && !now {
                retry.run(());
            }
            now
        });
    }
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

/// The problem with one form field, beside it: `message` is a local check's or PostHog's 400
/// detail for it (see [`field_problem`]); the field names `id` in its aria-describedby.
#[component]
pub fn FieldError(
    id: &'static str,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <p id=id class="field-error" role="alert">{m}</p> })
    }
}

/// PostHog's 400 detail for the form field `field` (its `attr`), as [`FieldError`] shows it.
pub fn field_problem(
    failed: RwSignal<Option<ApiError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        failed
            .read()
            .as_ref()?
            .field_detail(field)
            .map(String::from)
    })
}

/// `aria-invalid` of a field whose problem is `message`.
pub fn invalid(message: Signal<Option<String>>) -> impl Fn() -> Option<&'static str> + Copy {
    move || message.with(Option::is_some).then_some("true")
}

/// `aria-describedby` of that field: its [`FieldError`]'s id while there is a problem.
pub fn described_by(
    message: Signal<Option<String>>,
    id: &'static str,
) -> impl Fn() -> Option<&'static str> + Copy {
    move || message.with(Option::is_some).then_some(id)
}
