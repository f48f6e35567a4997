//! A dashboard's tags as a list of chips.

use leptos::prelude::*;

/// Renders nothing for no tags.
#[component]
pub fn TagList(tags: Vec<String>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Tags">
                {tags.into_iter().map(|tag| view! { <li class="tag">{tag}</li> }).collect_view()}
            </ul>
        }
    })
}
