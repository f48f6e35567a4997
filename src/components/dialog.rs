//! The app's dialogs: [`Modal`], a modal `<dialog>` (opened with `showModal()`, the page behind
//! it inert) that hands focus back when it closes, and [`may_discard`] for those taking input.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, DocumentFragment, Element, HtmlElement, Node};

/// Whether a dialog holding typed input may close: asks first when something was typed, as
/// closing would lose it.
pub fn may_discard(dirty: bool) -> bool {
    !dirty
        || window()
            .confirm_with_message("Discard what you typed?")
            .unwrap_or(true)
}

/// A modal `<dialog>` named by its title; Escape and the close button (`close_label`) run
/// `on_close`, which may keep it open. When it goes, focus returns to the first element the
/// `return_to` selectors find (tried in order, for an opener that re-rendered meanwhile), or
/// else to the control that had focus when it opened.
#[component]
pub fn Modal(
    #[prop(into)] title: String,
    id: &'static str,
    #[prop(into)] on_close: Callback<()>,
    #[prop(default = "Close")] close_label: &'static str,
    #[prop(optional)] return_to: Vec<String>,
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Dialog>::new();
    let opener = StoredValue::new_local(focused_element());
    let root = StoredValue::new_local(None::<Node>);
    Effect::new(move |_| {
        if let Some(dialog) = node.get() {
            root.set_value(Some(dialog.get_root_node()));
            if !dialog.open() && dialog.show_modal().is_err() {
                dialog.set_open(true);
            }
        }
    });
    on_cleanup(move || {
        let (Some(opener), Some(root)) = (opener.try_get_value(), root.try_get_value()) else {
            return;
        };
        // After the removal and whatever re-render closed the dialog have reached the page.
        set_timeout(
            move || {
                let target = return_to
                    .iter()
                    .find_map(|selector| query(root.as_ref()?, selector))
                    .or(opener.filter(|o| o.is_connected()));
                if let Some(target) = target {
                    let _ = target.focus();
                }
            },
            Duration::ZERO,
        );
    });
    let close = move |e: ev::Event| {
        e.prevent_default();
        on_close.run(())
    };
    view! {
        <dialog node_ref=node class="dialog modal" aria-labelledby=id
            on:keydown=move |e: ev::KeyboardEvent| if e.key() == "Escape" { close(e.into()) }
            on:cancel=close>
            <h2 id=id>{title}</h2>
            {children()}
            <button type="button" class="secondary" on:click=move |_| on_close.run(())>{close_label}</button>
        </dialog>
    }
}

/// The focused element, looking into open shadow roots (the embedded app lives in one).
fn focused_element() -> Option<HtmlElement> {
    let mut focused = document().active_element()?;
    while let Some(inner) = focused.shadow_root().and_then(|s| s.active_element()) {
        focused = inner;
    }
    focused.dyn_into().ok()
}

/// The first element matching `selector` in a document or shadow root.
fn query(root: &Node, selector: &str) -> Option<HtmlElement> {
    let found: Option<Element> = if let Some(document) = root.dyn_ref::<Document>() {
        document.query_selector(selector).ok()?
    } else {
        root.dyn_ref::<DocumentFragment>()?
            .query_selector(selector)
            .ok()?
    };
    found?.dyn_into().ok()
}
