//! A titled, non-blocking `<dialog>`: Escape closes it.

use leptos::prelude::*;

/// The dialog's accessible name is its `<h2>` title.
#[component]
pub fn Dialog(
    title: &'static str,
    #[prop(into)] on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let id = format!("{}-title", title.to_lowercase().replace(' ', "-"));
    let label = id.clone();
    view! {
        <dialog open class="dialog" aria-labelledby=label
            on:keydown=move |ev| if ev.key() == "Escape" { on_close.run(()) }>
            <h2 id=id>{title}</h2>
            {children()}
        </dialog>
    }
}
