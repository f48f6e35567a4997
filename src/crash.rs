//! Makes failures visible: a panic or an uncaught error is logged, recorded in
//! `window.__dashdeckErrors` (read by the end-to-end tests), and a panic replaces the page
//! with a screen that offers a reload.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Event};

const ERRORS_GLOBAL: &str = "__dashdeckErrors";

/// Installs the panic hook and the window `error`/`unhandledrejection` listeners.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        // The JS stack names the wasm functions (in builds that keep names) for the bug report.
        let stack = Reflect::get(&js_sys::Error::new(""), &"stack".into())
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        let message = format!("{info}\n{stack}");
        web_sys::console::error_1(&message.clone().into());
        record(&message);
        show_crash_screen();
    }));
    let Some(window) = web_sys::window() else {
        return;
    };
    for (event_name, field) in [("error", "message"), ("unhandledrejection", "reason")] {
        let listener = Closure::<dyn Fn(Event)>::new(move |event: Event| {
            let detail = Reflect::get(&event, &field.into()).unwrap_or(JsValue::UNDEFINED);
            let text = detail.as_string().unwrap_or_else(|| format!("{detail:?}"));
            record(&format!("{event_name}: {text}"));
        });
        let _ =
            window.add_event_listener_with_callback(event_name, listener.as_ref().unchecked_ref());
        // Lives as long as the page.
        listener.forget();
    }
}

/// Appends a message to `window.__dashdeckErrors`, creating the array if needed.
fn record(message: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let existing = Reflect::get(&window, &ERRORS_GLOBAL.into()).unwrap_or(JsValue::UNDEFINED);
    let errors = if Array::is_array(&existing) {
        Array::from(&existing)
    } else {
        let created = Array::new();
        let _ = Reflect::set(&window, &ERRORS_GLOBAL.into(), &created);
        created
    };
    errors.push(&message.into());
}

/// Replaces the app (the body, or the element a host page embedded it in) with a recoverable
/// screen, built with DOM calls (the app may be broken).
fn show_crash_screen() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(app) = crate::host::embedded_root().or_else(|| document.body().map(Into::into)) else {
        return;
    };
    app.set_text_content(None);
    let build = || -> Result<(), JsValue> {
        let screen = element(&document, "main", "")?;
        screen.set_class_name("crash");
        screen.set_attribute("role", "alert")?;
        let heading = element(&document, "h1", "Something went wrong")?;
        screen.append_child(&heading)?;
        let explanation = element(
            &document,
            "p",
            "Dashdeck hit an unexpected error. Reloading usually fixes it; your connection is kept.",
        )?;
        screen.append_child(&explanation)?;
        let reload = element(&document, "button", "Reload")?;
        reload.set_attribute("type", "button")?;
        let on_click = Closure::<dyn Fn()>::new(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        reload.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
        on_click.forget();
        screen.append_child(&reload)?;
        app.append_child(&screen)?;
        Ok(())
    };
    let _ = build();
}

fn element(document: &Document, tag: &str, text: &str) -> Result<web_sys::Element, JsValue> {
    let element = document.create_element(tag)?;
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    Ok(element)
}
