//! Renders a text tile's Markdown tree as DOM nodes. Every string becomes a text node (or a link's
//! `href`), so HTML in the source stays visible text; link targets are the parser's checked http(s)
//! or relative URLs.
//!
//! The nodes are built when the `<div class="markdown">` is built: a body never changes in place
//! (a new body is a new tile view), so it needs none of the reactive views' bookkeeping. One call
//! to `markdown_view.js` builds a whole body from the operations [`markdown::dom_ops`] lists,
//! instead of one wasm→JS call per node: a 100-tile dashboard gets all its text before its first
//! paint.

use leptos::prelude::*;
use web_sys::Element;

use crate::logic::markdown;

/// Renders Markdown source.
#[component]
pub fn MarkdownView(source: String) -> impl IntoView {
    view! { <div class="markdown" use:markdown=source></div> }
}

fn markdown(root: Element, source: String) {
    build_markdown(&root, &markdown::dom_ops(&markdown::parse(&source)));
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/components/markdown_view.js")]
extern "C" {
    /// Appends the nodes `ops` ([`markdown::dom_ops`]) describe to `root`.
    #[wasm_bindgen(js_name = buildMarkdown)]
    fn build_markdown(root: &Element, ops: &str);
}
