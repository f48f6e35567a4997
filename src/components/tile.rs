//! One dashboard tile: an insight summary or a text tile, placed on the grid.

use leptos::prelude::*;

use crate::api::models::{Insight, Text, Tile, TileContent};
use crate::components::markdown_view::MarkdownView;
use crate::logic::{format, layout::Rect, markdown};

/// Tile colours PostHog offers; anything else gets no accent.
const COLORS: [&str; 8] = [
    "white", "black", "blue", "green", "purple", "red", "orange", "yellow",
];

/// An `<article class="tile">` at `rect` on the 12-column grid.
#[component]
pub fn TileView(tile: Tile, rect: Rect) -> impl IntoView {
    let title_id = format!("tile-{}-title", tile.id);
    let color_class = tile
        .color
        .as_deref()
        .filter(|c| COLORS.contains(c))
        .map(|c| format!(" tile-color-{c}"))
        .unwrap_or_default();
    let (kind_class, body) = match tile.content() {
        TileContent::Insight(insight) => ("tile-insight", insight_body(insight, &title_id)),
        TileContent::Text(text) => ("tile-text", text_body(text, &title_id)),
        TileContent::Other => (
            "tile-other",
            view! {
                <h2 id=title_id.clone() class="tile-title">"Unsupported tile"</h2>
                <p class="muted">"Dashdeck cannot show this kind of tile yet."</p>
            }
            .into_any(),
        ),
    };
    let style = format!(
        "grid-column: {}; grid-row: {};",
        rect.grid_column(),
        rect.grid_row()
    );
    view! {
        <article
            class=format!("tile {kind_class}{color_class}")
            aria-labelledby=title_id
            style=style
        >
            {body}
        </article>
    }
}

fn insight_body(insight: &Insight, title_id: &str) -> AnyView {
    let (kind, source) = insight.query_kinds();
    let label = format::insight_kind_label(kind, source);
    let (title, untitled) = match insight.title() {
        Some(title) => (title.to_string(), false),
        None => ("Untitled insight".to_string(), true),
    };
    let description = insight.description.trim().to_string();
    let summary = format::result_summary(label, &insight.result);
    view! {
        <header class="tile-header">
            <h2 id=title_id.to_string() class="tile-title" class:untitled=untitled>{title}</h2>
            <span class="badge badge-kind">{label}</span>
        </header>
        {(!description.is_empty()).then(|| view! { <p class="tile-description">{description}</p> })}
        {(!summary.is_empty()).then(|| view! {
            <dl class="tile-summary">
                {summary.into_iter().map(|(label, value)| view! {
                    <div><dt>{label}</dt><dd>{value}</dd></div>
                }).collect_view()}
            </dl>
        })}
    }
    .into_any()
}

fn text_body(text: &Text, title_id: &str) -> AnyView {
    let blocks = markdown::parse(&text.body);
    let name = markdown::first_heading(&blocks)
        .map(|heading| format!("Text: {heading}"))
        .unwrap_or_else(|| "Text".into());
    view! {
        <span id=title_id.to_string() class="visually-hidden">{name}</span>
        <MarkdownView blocks=blocks />
    }
    .into_any()
}
