//! Where the app lives: the whole page (`index.html`), or an element of a host page that
//! embedded it (`dashdeck-embed.js` → [`mount_embedded`]). Embedded, the app renders inside an
//! open shadow root with its own stylesheet, so the host page's CSS and the app's do not meet;
//! its routes live in the URL fragment and it listens only to events from inside itself.

use std::cell::RefCell;

use leptos::prelude::document;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::state::config::AppConfig;

thread_local! {
    /// The element the embedded app renders into, inside its shadow root.
    static EMBEDDED_ROOT: RefCell<Option<Element>> = const { RefCell::new(None) };
}

/// The element the app renders into when a host page embedded it; `None` in `index.html`.
pub fn embedded_root() -> Option<Element> {
    EMBEDDED_ROOT.with_borrow(Clone::clone)
}

/// Whether a host page embedded the app (routes in the URL fragment, no page-wide listeners).
pub fn is_embedded() -> bool {
    EMBEDDED_ROOT.with_borrow(Option::is_some)
}

/// Whether this page is Dashdeck's own `index.html` (`<body data-dashdeck-standalone>`), which
/// the app fills; a host page instead calls [`mount_embedded`] through the embed loader.
pub fn is_standalone_page() -> bool {
    document()
        .body()
        .is_some_and(|body| body.has_attribute("data-dashdeck-standalone"))
}

/// The element an event started at. Listeners outside a shadow root see events from inside it
/// retargeted to its host element; the composed path still starts at the real one.
pub fn event_origin(event: &Event) -> Option<Element> {
    event.composed_path().get(0).dyn_into::<Element>().ok()
}

/// Whether an event started inside the app: always in `index.html`; embedded, only in the app's
/// element, so a key pressed on the host page is the host page's.
pub fn is_inside_app(event: &Event) -> bool {
    match embedded_root() {
        None => true,
        Some(root) => event_origin(event).is_some_and(|origin| root.contains(Some(&origin))),
    }
}

/// Mounts Dashdeck into `element` of a host page, called by `dashdeck-embed.js`: attaches an open
/// shadow root holding `stylesheet` (the app's CSS rewritten for it) and the app. `options` has
/// `config.json`'s fields (an object, or its JSON text) and is checked by the same rules; a bad
/// one is shown inside the element.
#[wasm_bindgen]
pub fn mount_embedded(
    element: HtmlElement,
    options: JsValue,
    stylesheet: String,
) -> Result<(), JsValue> {
    if is_embedded() {
        return Err("Dashdeck is already embedded in this page: mount it once.".into());
    }
    let shadow = element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let document = document();
    let link = document.create_element("link")?;
    link.set_attribute("rel", "stylesheet")?;
    link.set_attribute("href", &stylesheet)?;
    shadow.append_child(&link)?;
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    root.set_class_name("dashdeck-root");
    shadow.append_child(&root)?;
    EMBEDDED_ROOT.with_borrow_mut(|slot| *slot = Some(root.clone().into()));
    let config = options_text(&options).and_then(|text| AppConfig::parse_from(&text, OPTIONS));
    crate::mount(root, Some(config));
    Ok(())
}

/// How errors name the embedding options.
const OPTIONS: &str = "The embedding configuration";

fn options_text(options: &JsValue) -> Result<String, String> {
    if let Some(text) = options.as_string() {
        return Ok(text);
    }
    if options.is_undefined() || options.is_null() {
        return Ok("{}".into());
    }
    js_sys::JSON::stringify(options)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| format!("{OPTIONS} is not a plain object."))
}
