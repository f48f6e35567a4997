//! A reloaded page's first read, sent by the boot script before the wasm has loaded.
//!
//! Whenever the app reads a page's content (a dashboard, a page of the list) it notes in this tab's
//! `sessionStorage` the page's address and the request: URL, `Authorization` header and timeout.
//! When this tab loads that page again, the boot script (`early.js`, prepended to it by
//! scripts/post-build.py) sends that request straight away, while the wasm is still loading;
//! [`take`] hands its answer to the API client when the app makes the same request. A reload of
//! a dashboard gets its tiles about as soon as the wasm runs rather than a round trip later.
//!
//! The note holds the header the app sends to that host anyway, in the storage of this tab only,
//! and only where the boot script runs (not in a host page that embeds Dashdeck); signing out
//! removes it. A note for another page, URL or key is not used.

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};

const KEY: &str = "dashdeck.early";
/// Set by the boot script (`null`, or the request it sent).
const GLOBAL: &str = "__dashdeckEarly";

/// Notes the read of the page now shown, for this tab's next load of the page.
pub(super) fn remember(url: &str, authorization: &str, timeout_ms: u32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if !Reflect::has(&window, &GLOBAL.into()).unwrap_or(false) {
        return;
    }
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return;
    };
    if let Some(storage) = crate::state::session::session_storage() {
        let note = format!("{path}{search}\n{url}\n{authorization}\n{timeout_ms}");
        let _ = storage.set_item(KEY, &note);
    }
}

/// The boot script's response to `url` with `authorization`, if it sent that request: once.
pub(super) fn take(url: &str, authorization: &str) -> Option<Promise> {
    let window: JsValue = web_sys::window()?.into();
    let early = Reflect::get(&window, &GLOBAL.into()).ok()?;
    if !early.is_object() {
        return None;
    }
    let field = |name: &str| Reflect::get(&early, &name.into()).ok()?.as_string();
    if field("url")? != url || field("authorization")? != authorization {
        return None;
    }
    let _ = Reflect::set(&window, &GLOBAL.into(), &JsValue::NULL);
    Reflect::get(&early, &"response".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Drops the note (signing out).
pub fn forget() {
    if let Some(storage) = crate::state::session::session_storage() {
        let _ = storage.remove_item(KEY);
    }
}
