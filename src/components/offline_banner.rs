//! The page-wide banner: offline, or waiting out PostHog's rate limit before reads go again.

use leptos::prelude::*;

use crate::logic::retry::countdown_message;
use crate::state::network::network;

const OFFLINE: &str = "You are offline. Dashdeck will load data again when the connection is back.";

/// Shows "You are offline…" or the rate-limit countdown; nothing otherwise.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let state = network();
    let message = Memo::new(move |_| {
        if state.offline.get() {
            Some(OFFLINE.into())
        } else {
            state.retry_in.get().map(countdown_message)
        }
    });
    view! {
        <div class="net-banner" role="status" class:hidden=move || message.read().is_none()>
            {move || message.get()}
        </div>
    }
}
