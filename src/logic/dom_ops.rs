//! Static DOM written as one string of operations, which `src/components/static_dom.js` builds in
//! one wasm→JS call instead of one call per element, attribute and text node: a tile's content
//! and a text tile's Markdown body are built this way (`components::static_dom`).
//!
//! Each operation ends with NUL. `<` and a tag of [`TAGS`] appends that element to the current one
//! and makes it current (`svg` and `polyline` in the SVG namespace), `>` returns to its parent,
//! `@name=value` sets an attribute of [`ATTRS`] on the current element, and `'` and a string
//! appends a text node. Strings can hold no NUL (it becomes U+FFFD), so no text or attribute value
//! is ever read as an operation; tags and attribute names are the code's own (`&'static str`), and
//! the script creates no element and sets no attribute outside its lists.

/// The elements the script creates (it lists the same).
pub const TAGS: &str =
    "a blockquote button code div em figcaption figure h2 h3 h4 h5 h6 header hr li ol p \
     polyline pre span strong svg table tbody td th thead tr ul";

/// The attributes the script sets (it lists the same).
pub const ATTRS: &str =
    "aria-expanded aria-hidden aria-label class fill href id points preserveAspectRatio role \
     style type vector-effect viewBox";

/// Ends each operation.
const END: char = '\0';

/// A string of operations being written.
#[derive(Debug, Default)]
pub struct Ops(String);

impl Ops {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a `tag` element and makes it current, until its [`close`](Self::close).
    pub fn open(&mut self, tag: &'static str) -> &mut Self {
        debug_assert!(listed(TAGS, tag), "{tag} is not in TAGS");
        self.0.push('<');
        self.0.push_str(tag);
        self.0.push(END);
        self
    }

    /// Sets attribute `name` of the current element.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        debug_assert!(listed(ATTRS, name), "{name} is not in ATTRS");
        self.0.push('@');
        self.0.push_str(name);
        self.0.push('=');
        self.string(value)
    }

    /// Appends a text node to the current element.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.0.push('\'');
        self.string(text)
    }

    /// Returns to the current element's parent.
    pub fn close(&mut self) -> &mut Self {
        self.0.push('>');
        self.0.push(END);
        self
    }

    /// A `tag` element with `class` whose content `content` writes.
    pub fn element(&mut self, tag: &'static str, class: &str, content: impl FnOnce(&mut Ops)) {
        self.open(tag);
        if !class.is_empty() {
            self.attr("class", class);
        }
        content(self);
        self.close();
    }

    /// A `tag` element with `class` holding `text`.
    pub fn leaf(&mut self, tag: &'static str, class: &str, text: &str) {
        self.element(tag, class, |ops| {
            ops.text(text);
        });
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// Copies `text` in runs between its NULs (not char by char: a tile's text is most of it).
    fn string(&mut self, text: &str) -> &mut Self {
        self.0.reserve(text.len() + 1);
        let mut runs = text.split(END);
        self.0.push_str(runs.next().unwrap_or_default());
        for run in runs {
            self.0.push('\u{FFFD}');
            self.0.push_str(run);
        }
        self.0.push(END);
        self
    }
}

fn listed(list: &str, name: &str) -> bool {
    list.split_whitespace().any(|n| n == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_attributes_and_text_are_written_in_order() {
        let mut ops = Ops::new();
        ops.element("p", "muted", |ops| {
            ops.text("a ").leaf("strong", "", "b");
        });
        ops.open("svg").attr("viewBox", "0 0 100 40").close();
        assert_eq!(
            ops.as_str().replace(END, "|"),
            "<p|@class=muted|'a |<strong|'b|>|>|<svg|@viewBox=0 0 100 40|>|"
        );
    }

    #[test]
    fn nul_in_a_string_cannot_start_an_operation() {
        let mut ops = Ops::new();
        ops.open("p")
            .attr("aria-label", "x\0<script")
            .text("a\0'b\0>")
            .text("\0\0")
            .close();
        assert_eq!(
            ops.into_string(),
            "<p\0@aria-label=x\u{FFFD}<script\0'a\u{FFFD}'b\u{FFFD}>\0'\u{FFFD}\u{FFFD}\0>\0"
        );
    }

    #[test]
    fn the_script_knows_the_same_tags_and_attributes() {
        let script = include_str!("../components/static_dom.js");
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for list in [TAGS, ATTRS] {
            assert!(
                script.contains(&format!("\"{}\"", squash(list))),
                "static_dom.js lists {list}"
            );
        }
    }
}
