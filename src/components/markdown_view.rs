//! Renders a text tile's Markdown tree as DOM nodes. Every string becomes a text node (or an
//! element's `textContent`), so HTML in the source stays visible text; link targets are the parser's
//! checked http(s) or relative URLs.
//!
//! The nodes are built straight with DOM calls when the `<div class="markdown">` is built: a body
//! never changes in place (a new body is a new tile view), so it needs none of the reactive views'
//! bookkeeping. Bodies far down a dashboard (`defer`) are built together in the browser's first idle
//! moment after the page is painted (at the latest 200 ms after they were queued): on a 100-tile
//! dashboard the tiles on screen show sooner.

use leptos::prelude::*;
use web_sys::{Document, Element};

use crate::logic::markdown::{self, Block, Inline};

/// Renders Markdown source; with `defer`, parsed and built once the page is painted.
#[component]
pub fn MarkdownView(source: String, #[prop(optional)] defer: bool) -> impl IntoView {
    view! { <div class="markdown" use:markdown=(source, defer)></div> }
}

fn markdown(root: Element, (source, defer): (String, bool)) {
    if !defer {
        return fill(root, &source);
    }
    let first = DEFERRED.with_borrow_mut(|queue| {
        queue.push((root, source));
        queue.len() == 1
    });
    if first {
        schedule_deferred();
    }
}

/// How many deferred bodies one idle moment builds; more wait for the next one.
const DEFERRED_PER_IDLE: usize = 100;

thread_local! {
    /// Bodies waiting for the browser's next idle moment: one callback builds them all (and one
    /// timer, whichever comes first).
    static DEFERRED: std::cell::RefCell<Vec<(Element, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The longest deferred bodies wait for an idle moment: a browser that is never idle (a busy
/// page, a loaded machine) builds them then anyway; the idle callback then finds nothing to do.
const DEFERRED_AT_THE_LATEST: std::time::Duration = std::time::Duration::from_millis(200);

fn schedule_deferred() {
    // Where the browser has no requestIdleCallback (Safari), the next task will do.
    let latest = match request_idle_callback_with_handle(fill_deferred) {
        Ok(_) => DEFERRED_AT_THE_LATEST,
        Err(_) => std::time::Duration::ZERO,
    };
    set_timeout(fill_deferred, latest);
}

fn fill_deferred() {
    let (now, more) = DEFERRED.with_borrow_mut(|queue| {
        let now: Vec<_> = queue.drain(..queue.len().min(DEFERRED_PER_IDLE)).collect();
        (now, !queue.is_empty())
    });
    for (root, source) in now {
        fill(root, &source);
    }
    if more {
        schedule_deferred();
    }
}

/// Fills `root` with the nodes of the parsed source.
fn fill(root: Element, source: &str) {
    let doc = document();
    for block in markdown::parse(source) {
        if let Some(node) = block_node(&doc, block) {
            let _ = root.append_child(&node);
        }
    }
}

fn element(doc: &Document, tag: &str) -> Option<Element> {
    doc.create_element(tag).ok()
}

fn block_node(doc: &Document, block: Block) -> Option<Element> {
    match block {
        Block::Heading { level, content } => {
            // Tile titles are h2; headings inside a tile start one level below.
            let tag = match level {
                1 => "h3",
                2 => "h4",
                3 => "h5",
                _ => "h6",
            };
            with_inlines(doc, tag, content)
        }
        Block::Paragraph(content) => with_inlines(doc, "p", content),
        Block::List { ordered, items } => {
            let list = element(doc, if ordered { "ol" } else { "ul" })?;
            for item in items {
                if let Some(li) = with_inlines(doc, "li", item) {
                    let _ = list.append_child(&li);
                }
            }
            Some(list)
        }
        Block::Quote(content) => with_inlines(doc, "blockquote", content),
        Block::Code(code) => {
            let pre = element(doc, "pre")?;
            let code = with_text(doc, "code", &code)?;
            let _ = pre.append_child(&code);
            Some(pre)
        }
        Block::Rule => element(doc, "hr"),
    }
}

fn with_text(doc: &Document, tag: &str, text: &str) -> Option<Element> {
    let el = element(doc, tag)?;
    el.set_text_content(Some(text));
    Some(el)
}

/// A `tag` element holding `content`.
fn with_inlines(doc: &Document, tag: &str, content: Vec<Inline>) -> Option<Element> {
    let el = element(doc, tag)?;
    fill_inlines(doc, &el, content);
    Some(el)
}

/// Puts `content` into `el`; a lone text is set as its `textContent` (one call).
fn fill_inlines(doc: &Document, el: &Element, content: Vec<Inline>) {
    match content.as_slice() {
        [Inline::Text(text)] => el.set_text_content(Some(text)),
        _ => append_inlines(doc, el, content),
    }
}

fn append_inlines(doc: &Document, parent: &Element, content: Vec<Inline>) {
    for inline in content {
        let node = match inline {
            // `append(string)` makes the text node: one call instead of two.
            Inline::Text(text) => {
                let _ = parent.append_with_str_1(&text);
                continue;
            }
            Inline::Strong(content) => with_inlines(doc, "strong", content),
            Inline::Emphasis(content) => with_inlines(doc, "em", content),
            Inline::Code(code) => with_text(doc, "code", &code),
            Inline::Link { href, content } => link(doc, &href, content),
        };
        if let Some(node) = node {
            let _ = parent.append_with_node_1(&node);
        }
    }
}

thread_local! {
    /// An `<a target="_blank" rel="…">` that links are cloned from: one call instead of three.
    static LINK: std::cell::OnceCell<Option<Element>> = const { std::cell::OnceCell::new() };
}

/// A link to `href` (the parser's checked http(s) or relative URL) opening in a new tab.
fn link(doc: &Document, href: &str, content: Vec<Inline>) -> Option<Element> {
    let a = LINK.with(|link| {
        link.get_or_init(|| {
            let a = element(doc, "a")?;
            let _ = a.set_attribute("target", "_blank");
            let _ = a.set_attribute("rel", "noopener noreferrer nofollow");
            Some(a)
        })
        .as_ref()?
        .clone_node()
        .ok()
    })?;
    let a: Element = wasm_bindgen::JsCast::unchecked_into(a);
    let _ = a.set_attribute("href", href);
    fill_inlines(doc, &a, content);
    Some(a)
}
