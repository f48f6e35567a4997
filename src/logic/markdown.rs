//! A small, safe Markdown subset for text tiles. The output is a tree of plain strings that
//! the view turns into text nodes: raw HTML stays literal text, and only http(s) or relative
//! links become links.

use super::dom_ops::Ops;

/// A block of a text tile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Quote(Vec<Inline>),
    Code(String),
    Rule,
}

/// Inline content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Code(String),
    /// `href` is always http(s) or relative.
    Link {
        href: String,
        content: Vec<Inline>,
    },
}

/// Nesting of emphasis inside emphasis stops here; deeper markers stay literal.
const MAX_DEPTH: u8 = 4;

/// Parses a text tile's body.
pub fn parse(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = source.lines().peekable();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(parse_inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some(fence) = fence(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut code = Vec::new();
            for line in lines.by_ref() {
                if line.trim_start().starts_with(fence) {
                    break;
                }
                code.push(line);
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if let Some((level, text)) = heading(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading {
                level,
                content: parse_inline(text),
            });
        } else if is_rule(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Rule);
        } else if let Some(text) = quote_line(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut quoted = vec![text];
            while let Some(next) = lines.peek().and_then(|l| quote_line(l.trim())) {
                quoted.push(next);
                lines.next();
            }
            blocks.push(Block::Quote(parse_inline(&quoted.join(" "))));
        } else if let Some((ordered, text)) = list_item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut items = vec![parse_inline(text)];
            while let Some((_, text)) = lines
                .peek()
                .and_then(|l| list_item(l.trim()))
                .filter(|(o, _)| *o == ordered)
            {
                items.push(parse_inline(text));
                lines.next();
            }
            blocks.push(Block::List { ordered, items });
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// The plain text of the first heading, used to name a text tile.
pub fn first_heading(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|block| match block {
        Block::Heading { content, .. } => Some(plain_text(content)),
        _ => None,
    })
}

/// Inline content without its markup.
pub fn plain_text(content: &[Inline]) -> String {
    content
        .iter()
        .map(|inline| match inline {
            Inline::Text(text) | Inline::Code(text) => text.clone(),
            Inline::Strong(inner) | Inline::Emphasis(inner) => plain_text(inner),
            Inline::Link { content, .. } => plain_text(content),
        })
        .collect()
}

fn fence(line: &str) -> Option<&'static str> {
    ["```", "~~~"].into_iter().find(|f| line.starts_with(f))
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    let rest = &line[level..];
    let valid = (1..=6).contains(&level) && (rest.is_empty() || rest.starts_with(' '));
    valid.then(|| (level as u8, rest.trim().trim_end_matches('#').trim_end()))
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|m| compact.chars().all(|c| c.to_string() == *m))
}

fn quote_line(line: &str) -> Option<&str> {
    line.strip_prefix('>').map(str::trim_start)
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some((false, rest.trim_start()));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    let rest = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))?;
    (1..=9)
        .contains(&digits)
        .then_some((true, rest.trim_start()))
}

/// Parses inline markup: `code`, **strong**, *emphasis*/_emphasis_, [links](url), \escapes.
pub fn parse_inline(text: &str) -> Vec<Inline> {
    parse_inline_at(text, 0)
}

fn parse_inline_at(text: &str, depth: u8) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some((inline, after)) = markup(rest, depth) {
            if !plain.is_empty() {
                out.push(Inline::Text(std::mem::take(&mut plain)));
            }
            out.extend(inline);
            rest = after;
        } else if c == '\\' && rest[1..].starts_with(|n: char| n.is_ascii_punctuation()) {
            let escaped = rest[1..].chars().next().unwrap_or('\\');
            plain.push(escaped);
            rest = &rest[1 + escaped.len_utf8()..];
        } else {
            plain.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// Recognises one piece of markup at the start of `text`; returns it and what follows.
fn markup(text: &str, depth: u8) -> Option<(Vec<Inline>, &str)> {
    if let Some(rest) = text.strip_prefix('`') {
        let end = rest.find('`')?;
        return Some((
            vec![Inline::Code(rest[..end].to_string())],
            &rest[end + 1..],
        ));
    }
    if text.starts_with('[') || text.starts_with("![") {
        return link(text, depth);
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    for (marker, strong) in [("**", true), ("__", true), ("*", false), ("_", false)] {
        let Some(rest) = text.strip_prefix(marker) else {
            continue;
        };
        if rest.starts_with(char::is_whitespace) {
            return None;
        }
        let end = rest.find(marker).filter(|end| *end > 0)?;
        let inner = parse_inline_at(&rest[..end], depth + 1);
        let inline = if strong {
            Inline::Strong(inner)
        } else {
            Inline::Emphasis(inner)
        };
        return Some((vec![inline], &rest[end + marker.len()..]));
    }
    None
}

/// `[label](url)` becomes a link when the URL is safe, otherwise just the label;
/// `![alt](src)` becomes its alt text (images are never loaded).
fn link(text: &str, depth: u8) -> Option<(Vec<Inline>, &str)> {
    let image = text.starts_with('!');
    let body = &text[if image { 2 } else { 1 }..];
    let close = body.find("](")?;
    let label = &body[..close];
    let after_label = &body[close + 2..];
    let end = closing_paren(after_label)?;
    // Titles and spaces are not supported: such a destination is not a link.
    let href = after_label[..end].trim();
    let rest = &after_label[end + 1..];
    let content = parse_inline_at(label, depth + 1);
    let single_token = !href.contains(|c: char| c.is_whitespace() || c.is_control());
    if !image && single_token && is_safe_href(href) {
        return Some((
            vec![Inline::Link {
                href: href.to_string(),
                content,
            }],
            rest,
        ));
    }
    Some((content, rest))
}

/// Index of the `)` closing a link destination; nested parentheses must balance.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(index),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Writes the operations that build `blocks` as DOM nodes (see [`dom_ops`](super::dom_ops)).
/// Every string becomes a text node or a link's `href`, so HTML in the source stays text.
pub fn write_ops(ops: &mut Ops, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading { level, content } => {
                // Tile titles are h2; headings inside a tile start one level below.
                let tag = match level {
                    1 => "h3",
                    2 => "h4",
                    3 => "h5",
                    _ => "h6",
                };
                ops.element(tag, "", |ops| inlines(ops, content));
            }
            Block::Paragraph(content) => ops.element("p", "", |ops| inlines(ops, content)),
            Block::List { ordered, items } => {
                ops.element(if *ordered { "ol" } else { "ul" }, "", |ops| {
                    for item in items {
                        ops.element("li", "", |ops| inlines(ops, item));
                    }
                })
            }
            Block::Quote(content) => ops.element("blockquote", "", |ops| inlines(ops, content)),
            Block::Code(code) => ops.element("pre", "", |ops| ops.leaf("code", "", code)),
            Block::Rule => ops.element("hr", "", |_| {}),
        }
    }
}

fn inlines(ops: &mut Ops, content: &[Inline]) {
    for inline in content {
        match inline {
            Inline::Text(text) => {
                ops.text(text);
            }
            Inline::Strong(content) => ops.element("strong", "", |ops| inlines(ops, content)),
            Inline::Emphasis(content) => ops.element("em", "", |ops| inlines(ops, content)),
            Inline::Code(code) => ops.leaf("code", "", code),
            Inline::Link { href, content } => ops.element("a", "", |ops| {
                ops.attr("href", href);
                inlines(ops, content);
            }),
        }
    }
}

/// True for `http:`/`https:` URLs and relative references (path, query or fragment).
pub fn is_safe_href(href: &str) -> bool {
    // Browsers drop control characters and whitespace inside a scheme ("java\tscript:").
    let cleaned: String = href
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if cleaned.is_empty() || cleaned.starts_with("//") || cleaned.starts_with("\\") {
        return false;
    }
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (None, _) => true,
        (Some(colon), Some(path)) if path < colon => true,
        (Some(colon), _) => matches!(&cleaned[..colon], "http" | "https"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn headings_paragraphs_and_lists() {
        let blocks =
            parse("## Acquisition\nNumbers below\nexclude staff.\n\n- one\n- **two**\n1. first");
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    level: 2,
                    content: vec![text("Acquisition")]
                },
                Block::Paragraph(vec![text("Numbers below exclude staff.")]),
                Block::List {
                    ordered: false,
                    items: vec![vec![text("one")], vec![Inline::Strong(vec![text("two")])]]
                },
                Block::List {
                    ordered: true,
                    items: vec![vec![text("first")]]
                },
            ]
        );
        assert_eq!(first_heading(&blocks).as_deref(), Some("Acquisition"));
    }

    #[test]
    fn raw_html_stays_text() {
        let blocks = parse("<script>alert(1)</script> <img src=x onerror=alert(2)>");
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![text(
                "<script>alert(1)</script> <img src=x onerror=alert(2)>"
            )])]
        );
    }

    #[test]
    fn safe_links_become_links() {
        let blocks = parse("See [docs](https://posthog.com/docs) and [home](/project/1).");
        let Block::Paragraph(inlines) = &blocks[0] else {
            panic!()
        };
        assert_eq!(
            inlines[1],
            Inline::Link {
                href: "https://posthog.com/docs".into(),
                content: vec![text("docs")]
            }
        );
        assert_eq!(
            inlines[3],
            Inline::Link {
                href: "/project/1".into(),
                content: vec![text("home")]
            }
        );
    }

    #[test]
    fn dangerous_links_become_plain_text() {
        for href in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "//evil.example",
        ] {
            let blocks = parse(&format!("[click]({href})"));
            assert_eq!(
                blocks,
                vec![Block::Paragraph(vec![text("click")])],
                "{href:?}"
            );
        }
    }

    #[test]
    fn balanced_parentheses_stay_in_the_url() {
        let blocks = parse("[wiki](https://en.wikipedia.org/wiki/Hog_(animal)) end");
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![
                Inline::Link {
                    href: "https://en.wikipedia.org/wiki/Hog_(animal)".into(),
                    content: vec![text("wiki")]
                },
                text(" end")
            ])]
        );
    }

    #[test]
    fn href_rules() {
        assert!(is_safe_href("http://example.com"));
        assert!(is_safe_href("https://example.com/a:b"));
        assert!(is_safe_href("#section"));
        assert!(is_safe_href("page?x=a:b"));
        assert!(!is_safe_href("mailto:a@b.c"));
        assert!(!is_safe_href(""));
    }

    #[test]
    fn images_are_never_loaded() {
        let blocks = parse("![tracking pixel](https://evil.example/p.gif)");
        assert_eq!(blocks, vec![Block::Paragraph(vec![text("tracking pixel")])]);
    }

    #[test]
    fn code_quotes_rules_and_escapes() {
        let blocks = parse("```\n<b>x</b>\n```\n> quoted *text*\n---\n\\*not emphasis\\* `a*b*`");
        assert_eq!(
            blocks,
            vec![
                Block::Code("<b>x</b>".into()),
                Block::Quote(vec![text("quoted "), Inline::Emphasis(vec![text("text")])]),
                Block::Rule,
                Block::Paragraph(vec![text("*not emphasis* "), Inline::Code("a*b*".into())]),
            ]
        );
    }

    #[test]
    fn unclosed_markup_stays_literal() {
        assert_eq!(
            parse_inline("2 * 3 and **open [x](y"),
            vec![text("2 * 3 and **open [x](y")]
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let source = "*".repeat(200) + "x" + &"*".repeat(200);
        let blocks = parse(&source);
        assert_eq!(blocks.len(), 1);
    }
    /// `write_ops` with a visible separator.
    fn ops_of(source: &str) -> String {
        let mut ops = Ops::new();
        write_ops(&mut ops, &parse(source));
        ops.into_string().replace('\0', "|")
    }

    #[test]
    fn write_ops_builds_each_block_with_its_text_as_strings() {
        assert_eq!(
            ops_of("## Hi\n\nSome **bold** and [a link](https://posthog.com).\n\n- one\n\n```\n<b>\n```\n\n---"),
            "<h4|'Hi|>|<p|'Some |<strong|'bold|>|' and |<a|@href=https://posthog.com|'a link|>|'.|>|\
             <ul|<li|'one|>|>|<pre|<code|'<b>|>|>|<hr|>|"
        );
    }

    #[test]
    fn write_ops_keeps_nul_out_of_strings_so_text_never_becomes_an_operation() {
        assert_eq!(
            ops_of("a\0<script\0'x\n\n[l\0<a](/p)"),
            "<p|'a\u{FFFD}<script\u{FFFD}'x|>|<p|<a|@href=/p|'l\u{FFFD}<a|>|>|"
        );
    }
}
