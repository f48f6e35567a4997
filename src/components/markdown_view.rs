//! Renders a text tile's Markdown tree as DOM nodes. Every string becomes a text node, so
//! HTML in the source stays visible text.

use leptos::prelude::*;

use crate::logic::markdown::{Block, Inline};

/// Renders parsed Markdown blocks.
#[component]
pub fn MarkdownView(blocks: Vec<Block>) -> impl IntoView {
    view! { <div class="markdown">{blocks.into_iter().map(block).collect_view()}</div> }
}

fn block(block: Block) -> AnyView {
    match block {
        Block::Heading { level, content } => {
            // Tile titles are h2; headings inside a tile start one level below.
            let content = inlines(content);
            match level {
                1 => view! { <h3>{content}</h3> }.into_any(),
                2 => view! { <h4>{content}</h4> }.into_any(),
                3 => view! { <h5>{content}</h5> }.into_any(),
                _ => view! { <h6>{content}</h6> }.into_any(),
            }
        }
        Block::Paragraph(content) => view! { <p>{inlines(content)}</p> }.into_any(),
        Block::List { ordered, items } => {
            let items = items
                .into_iter()
                .map(|item| view! { <li>{inlines(item)}</li> })
                .collect_view();
            if ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
        Block::Quote(content) => view! { <blockquote>{inlines(content)}</blockquote> }.into_any(),
        Block::Code(code) => view! { <pre><code>{code}</code></pre> }.into_any(),
        Block::Rule => view! { <hr /> }.into_any(),
    }
}

fn inlines(content: Vec<Inline>) -> AnyView {
    content.into_iter().map(inline).collect_view().into_any()
}

fn inline(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Strong(content) => view! { <strong>{inlines(content)}</strong> }.into_any(),
        Inline::Emphasis(content) => view! { <em>{inlines(content)}</em> }.into_any(),
        Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
        Inline::Link { href, content } => view! {
            <a href=href target="_blank" rel="noopener noreferrer nofollow">{inlines(content)}</a>
        }
        .into_any(),
    }
}
