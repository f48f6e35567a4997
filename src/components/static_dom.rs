//! Static DOM built in one wasm→JS call: `src/components/static_dom.js` appends what a string of
//! operations ([`Ops`]) describes. A tile's content and a text tile's Markdown body never
//! change in place (a changed tile is a new tile view), so they need none of the reactive views'
//! bookkeeping, and building them in one call per tile instead of one call per element,
//! attribute and text node lets a 100-tile dashboard paint sooner. Every string becomes a text
//! node or an attribute value, so HTML in the API's text stays visible text.

use leptos::prelude::*;
use web_sys::Element;

use crate::logic::dom_ops::Ops;
use crate::logic::markdown;

/// A directive (`use:static_dom=ops`): appends the nodes `ops` describe to the element, before
/// the children its view gives it.
pub fn static_dom(root: Element, ops: String) {
    build_dom(&root, &ops);
}

/// Renders Markdown source.
#[component]
pub fn MarkdownView(source: String) -> impl IntoView {
    let mut ops = Ops::new();
    markdown::write_ops(&mut ops, &markdown::parse(&source));
    view! { <div class="markdown" use:static_dom=ops.into_string()></div> }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/components/static_dom.js")]
extern "C" {
    /// Appends the nodes `ops` ([`Ops`]) describe to `root`.
    #[wasm_bindgen(js_name = buildDom)]
    fn build_dom(root: &Element, ops: &str);
}
