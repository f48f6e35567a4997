//! One dashboard tile: an insight preview or a text tile, placed on the grid; on an editable
//! board also its pointer and keyboard handlers and its actions.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::models::{Insight, Text, Tile, TileContent, TilePatch};
use crate::components::board::{Board, Dialog, Drag, Undo};
use crate::components::static_dom::static_dom;
use crate::logic::dom_ops::Ops;
use crate::logic::layout::{self, Rect};
use crate::logic::preview::{self, Preview};
use crate::logic::{format, markdown};

/// Tile colours PostHog offers; anything else gets no accent.
pub const COLORS: [&str; 8] = [
    "white", "black", "blue", "green", "purple", "red", "orange", "yellow",
];

/// The 12-column grid of a dashboard's tiles, with the keyboard and pointer handlers that move
/// and resize them while the board is being edited.
#[component]
pub fn TileGrid(board: Board) -> impl IntoView {
    let (key, down, moved, end) = grid_handlers(board);
    let grid = NodeRef::<leptos::html::Section>::new();
    place_tiles(board, grid);
    mark_movable(board, grid);
    open_menu(board, grid);
    let toggle_menu = move |e: ev::MouseEvent| {
        let Some((target, _, id)) = event_tile(&e) else {
            return;
        };
        if target.closest(".tile-menu").ok().flatten().is_some() {
            board
                .menu
                .update(|m| *m = if *m == Some(id) { None } else { Some(id) });
        }
    };
    Effect::new(|_| crate::perf::mark("dashdeck:tiles-mounted"));
    view! {
        <section class="tile-grid" class:editing=move || board.editing.get() aria-label="Tiles" node_ref=grid
            on:keydown=key on:pointerdown=down on:pointermove=moved
            on:pointerup=end on:pointercancel=end on:click=toggle_menu>
            // Keyed by what the tile's static content shows that can change in place; the tiles
            // themselves are read where they are built, not cloned for the list.
            <For each=move || board.dash.with(|d| d.tiles.iter().map(tile_key).collect::<Vec<_>>()) key=|key| key.clone() let:key>
                {
                    let id = key.0;
                    let rect = board.layout.with_untracked(|l| l.iter().find(|i| i.id == id).map(|i| i.rect)).unwrap_or(Rect { x: 0, y: 0, w: 1, h: 1 });
                    board.dash.with_untracked(|d| d.tiles.iter().find(|t| t.id == id).map(|tile| tile_view(tile, rect, Some(board))))
                }
            </For>
            {drag_placeholder(board)}
        </section>
    }
}

/// Where a tile is drawn: its place on the grid, and how far the pointer has carried it.
type Placed = (i64, Rect, Option<(i64, i64)>);

/// Keeps the tiles where the layout and the drag put them: one effect for the grid rather than
/// a reactive style per tile. Each tile is built at its place; after that, a change to the
/// layout or a pointermove writes the style of only the tiles it moved — the dragged tile,
/// and those the drag pushed aside.
fn place_tiles(board: Board, grid: NodeRef<leptos::html::Section>) {
    Effect::new(move |before: Option<Vec<Placed>>| {
        let carried = board.drag.with(|d| {
            d.as_ref()
                .filter(|d| !d.resize)
                .map(|d| (d.id, d.origin, (d.offset.0 as i64, d.offset.1 as i64)))
        });
        let placed: Vec<Placed> = board.layout.with(|l| {
            l.iter()
                .map(|i| match carried {
                    Some((id, origin, offset)) if id == i.id => (id, origin, Some(offset)),
                    _ => (i.id, i.rect, None),
                })
                .collect()
        });
        if let (Some(before), Some(grid)) = (before, grid.get_untracked()) {
            for (n, now) in placed.iter().enumerate() {
                // Usually at the same index: the layout keeps the tiles' order.
                let was = before
                    .get(n)
                    .filter(|b| b.0 == now.0)
                    .or_else(|| before.iter().find(|b| b.0 == now.0));
                if was == Some(now) {
                    continue;
                }
                let selector = format!(":scope > article[data-tile='{}']", now.0);
                if let Ok(Some(tile)) = grid.query_selector(&selector) {
                    let _ = tile.set_attribute("style", &tile_style(now.1, now.2));
                }
            }
        }
        placed
    });
}

/// The style that puts a tile at `rect`, shifted by `offset` pixels while it is dragged.
fn tile_style(rect: Rect, offset: Option<(i64, i64)>) -> String {
    let shift = offset
        .map(|(x, y)| format!("transform: translate({x}px, {y}px); z-index: 2;"))
        .unwrap_or_default();
    format!(
        "grid-column: {}; grid-row: {}; {shift}",
        rect.grid_column(),
        rect.grid_row()
    )
}

/// While the board is being edited, its tiles are focusable "movable tile"s (arrow keys move
/// them): one effect for the grid rather than two reactive attributes per tile.
fn mark_movable(board: Board, grid: NodeRef<leptos::html::Section>) {
    Effect::new(move |before: Option<bool>| {
        let editing = board.editing.get();
        if before.is_some() || editing {
            let tiles = grid
                .get()
                .and_then(|g| g.query_selector_all(":scope > article").ok());
            for tile in tiles
                .iter()
                .flat_map(|t| (0..t.length()).filter_map(|i| t.item(i)))
            {
                set_movable(tile.unchecked_ref(), editing);
            }
        }
        editing
    });
}

fn set_movable(tile: &web_sys::Element, movable: bool) {
    if movable {
        let _ = tile.set_attribute("tabindex", "0");
        let _ = tile.set_attribute("aria-roledescription", "movable tile");
    } else {
        let _ = tile.remove_attribute("tabindex");
        let _ = tile.remove_attribute("aria-roledescription");
    }
}

/// Shows the actions menu of the tile `board.menu` names (none while tiles are arranged) under
/// its "Actions for …" button, and says on each button whether its menu is open. The menu is
/// built when it opens; a tile's button is part of the tile's static content.
fn open_menu(board: Board, grid: NodeRef<leptos::html::Section>) {
    type Shown = (web_sys::Element, Box<dyn std::any::Any>);
    Effect::new(move |before: Option<Option<Shown>>| {
        let open = board.menu.get().filter(|_| !board.editing.get());
        // A tile rebuilt (its text or colour changed) gets the menu again.
        board.dash.track();
        if let Some(Some((button, menu))) = before {
            let _ = button.set_attribute("aria-expanded", "false");
            drop(menu);
        }
        let id = open?;
        let article = grid
            .get()?
            .query_selector(&format!(":scope > article[data-tile='{id}']"))
            .ok()??;
        let button = article.query_selector(".tile-menu").ok()??;
        let actions = button
            .parent_element()?
            .dyn_into::<web_sys::HtmlElement>()
            .ok()?;
        let title = title_of(&article, id);
        let tile = board
            .dash
            .with_untracked(|d| d.tiles.iter().find(|t| t.id == id).cloned())?;
        let _ = button.set_attribute("aria-expanded", "true");
        let menu = leptos::mount::mount_to(actions, move || tile_menu(board, &tile, title));
        Some((button, Box::new(menu) as Box<dyn std::any::Any>))
    });
}

/// What a tile is keyed by in the grid: its id, colour and text.
type TileKey = (i64, Option<String>, Option<String>);

fn tile_key(tile: &Tile) -> TileKey {
    (
        tile.id,
        tile.color.clone(),
        tile.text.as_ref().map(|t| t.body.clone()),
    )
}

/// An `<article class="tile">` at `rect` on the 12-column grid.
#[component]
pub fn TileView(tile: Tile, rect: Rect) -> impl IntoView {
    tile_view(&tile, rect, None)
}

/// A tile at `rect`; on a board, with its actions button and resize handle (`TileGrid` moves
/// it and opens its menu).
fn tile_view(tile: &Tile, rect: Rect, board: Option<Board>) -> impl IntoView {
    let id = tile.id;
    let title_id = format!("tile-{id}-title");
    let color_class = tile
        .color
        .as_deref()
        .filter(|c| COLORS.contains(c))
        .map(|c| format!(" tile-color-{c}"))
        .unwrap_or_default();
    let mut ops = Ops::new();
    let (kind_class, title) = match tile.content() {
        TileContent::Insight(insight) => {
            ("tile-insight", insight_ops(&mut ops, insight, &title_id))
        }
        TileContent::Text(text) => ("tile-text", text_ops(&mut ops, text, &title_id)),
        TileContent::Other => {
            ops.open("h2")
                .attr("id", &title_id)
                .attr("class", "tile-title")
                .text("Unsupported tile")
                .close();
            ops.leaf("p", "muted", "Dashdeck cannot show this kind of tile yet.");
            ("tile-other", "Unsupported tile".to_string())
        }
    };
    if let Some(board) = board {
        // The menu itself is built when it opens (`open_menu`).
        if board.dash.with_untracked(|d| d.can_edit()) {
            ops.element("div", "tile-actions", |ops| {
                ops.open("button")
                    .attr("type", "button")
                    .attr("class", "tile-menu")
                    .attr("aria-label", &format!("Actions for {title}"))
                    .attr("aria-expanded", "false")
                    .text("⋯")
                    .close();
            });
        }
        // Shown by the grid's `editing` class; the grid handles its pointer events.
        ops.open("span")
            .attr("class", "resize-handle")
            .attr("aria-hidden", "true")
            .close();
    }
    let movable = board.is_some_and(|b| b.editing.get_untracked());
    view! {
        <article
            class=format!("tile {kind_class}{color_class}")
            data-tile=id
            aria-labelledby=title_id
            style=tile_style(rect, None)
            use:build_tile=(ops.into_string(), movable)
        ></article>
    }
}

/// A directive: builds a tile's static content (`use:build_tile=(ops, movable)`).
fn build_tile(article: web_sys::Element, (ops, movable): (String, bool)) {
    static_dom(article.clone(), ops);
    if movable {
        set_movable(&article, true);
    }
}

/// The tile an event happened in: its element and id (`data-tile`).
fn event_tile(e: &web_sys::Event) -> Option<(web_sys::Element, web_sys::Element, i64)> {
    let target = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let article = target.closest(".tile").ok()??;
    let id = article.get_attribute("data-tile")?.parse().ok()?;
    Some((target, article, id))
}

/// The name of tile `id` as its element shows it (its title, or a text tile's "Text: …").
fn title_of(article: &web_sys::Element, id: i64) -> String {
    article
        .query_selector(&format!("#tile-{id}-title"))
        .ok()
        .flatten()
        .and_then(|t| t.text_content())
        .unwrap_or_default()
}

/// The grid's handlers for moving and resizing its tiles by keyboard and pointer: keydown,
/// pointerdown, pointermove, and pointerup/pointercancel. They sit on the grid, not on each
/// tile: a dashboard of 100 tiles adds 5 listeners, not 500.
#[allow(clippy::type_complexity)] // four closures, each named in the doc comment
fn grid_handlers(
    b: Board,
) -> (
    impl Fn(ev::KeyboardEvent),
    impl Fn(ev::PointerEvent),
    impl Fn(ev::PointerEvent),
    impl Fn(ev::PointerEvent) + Copy,
) {
    let min_of = move |id: i64| {
        b.dash.with_untracked(|d| {
            d.tiles
                .iter()
                .find(|t| t.id == id)
                .map(|t| t.min_size("sm"))
                .unwrap_or(layout::MinSize::NONE)
        })
    };
    let key = move |e: ev::KeyboardEvent| {
        if !b.editing.get_untracked() {
            return;
        }
        // Only a focused tile itself moves, not a button inside it.
        let Some((target, article, id)) = event_tile(&e) else {
            return;
        };
        if target != article {
            return;
        }
        let next = b
            .layout
            .with_untracked(|l| layout::key_step(l, id, &e.key(), e.shift_key(), min_of(id)));
        if let Some(next) = next {
            e.prevent_default();
            let rect = next.iter().find(|i| i.id == id).map(|i| i.rect);
            b.layout.set(next);
            let title = title_of(&article, id);
            if let Some(rect) = rect {
                let verb = if e.shift_key() { "Resized" } else { "Moved" };
                b.announce
                    .set(format!("{verb} {title}: {}.", layout::describe(&rect)));
            }
        }
    };
    let down = move |e: ev::PointerEvent| {
        if !b.editing.get_untracked() || e.button() != 0 {
            return;
        }
        let Some((target, article, id)) = event_tile(&e) else {
            return;
        };
        if target
            .closest("button, a, select, textarea, input")
            .ok()
            .flatten()
            .is_some()
        {
            return;
        }
        let Some(grid) = article.parent_element() else {
            return;
        };
        let base = b.layout.get_untracked();
        let Some(origin) = base.iter().find(|i| i.id == id).map(|i| i.rect) else {
            return;
        };
        e.prevent_default();
        let _ = article.set_pointer_capture(e.pointer_id());
        let width = grid.get_bounding_client_rect().width();
        b.drag.set(Some(Drag {
            id,
            resize: target.class_list().contains("resize-handle"),
            start: (e.client_x() as f64, e.client_y() as f64),
            cell: ((width + 12.0) / layout::COLUMNS as f64, 56.0),
            offset: (0.0, 0.0),
            origin,
            min: min_of(id),
            base,
        }));
    };
    let moved = move |e: ev::PointerEvent| {
        let (x, y) = (e.client_x() as f64, e.client_y() as f64);
        // The layout for this pointer position, computed without cloning the drag's state.
        let Some((offset, next)) = b.drag.with_untracked(|d| {
            let d = d.as_ref()?;
            let (dx, dy) = (x - d.start.0, y - d.start.1);
            let (cols, rows) = (
                (dx / d.cell.0).round() as i64,
                (dy / d.cell.1).round() as i64,
            );
            let o = d.origin;
            let target = if d.resize {
                Rect {
                    w: o.w + cols,
                    h: o.h + rows,
                    ..o
                }
            } else {
                Rect {
                    x: o.x + cols,
                    y: o.y + rows,
                    ..o
                }
            };
            Some((
                (dx, dy),
                layout::move_item_within(&d.base, d.id, target, d.min),
            ))
        }) else {
            return;
        };
        if b.layout.with_untracked(|l| *l != next) {
            b.layout.set(next);
        }
        b.drag.update(|d| {
            if let Some(d) = d {
                d.offset = offset;
            }
        });
    };
    let end = move |e: ev::PointerEvent| {
        if let Some(drag) = b.drag.get_untracked() {
            if e.type_() == "pointercancel" {
                b.layout.set(drag.base);
            }
            b.drag.set(None);
        }
    };
    (key, down, moved, end)
}

/// The place the dragged tile will land, while a drag is in progress.
fn drag_placeholder(b: Board) -> impl IntoView {
    move || {
        b.dragged.get().map(|id| {
            let style = move || {
                b.layout
                    .with(|l| l.iter().find(|i| i.id == id).map(|i| i.rect))
                    .map(|r| {
                        format!(
                            "grid-column: {}; grid-row: {};",
                            r.grid_column(),
                            r.grid_row()
                        )
                    })
            };
            view! { <div class="tile-placeholder" aria-hidden="true" style=style></div> }
        })
    }
}

/// The actions menu of a tile on an editable dashboard: move, duplicate, edit text, remove,
/// colour.
fn tile_menu(board: Board, tile: &Tile, title: String) -> impl IntoView {
    let id = tile.id;
    let close = move || board.menu.set(None);
    let text = tile.text.as_ref().map(|t| (t.id, t.body.clone()));
    let color = tile.color.clone().unwrap_or_default();
    let label = format!("Actions for {title}");
    let remove = move |_| {
        close();
        board.patch(
            TilePatch::Deleted { id, deleted: true },
            Some((
                "Tile removed from the dashboard.".into(),
                Some(Undo::Remove { tile: id }),
            )),
        )
    };
    view! {
        <div class="menu" role="group" aria-label=label>
            <button type="button" on:click=move |_| { close(); board.dialog.set(Some(Dialog::Move { tile: id, title: title.clone() })) }>
                "Move to another dashboard"
            </button>
            <button type="button" on:click=move |_| { close(); board.duplicate(id) }>"Duplicate"</button>
            {text.map(|(text_id, body)| view! {
                <button type="button" on:click=move |_| { close(); board.dialog.set(Some(Dialog::Text(Some((id, text_id, body.clone()))))) }>"Edit text"</button>
            })}
            <button type="button" on:click=remove>"Remove from dashboard"</button>
            <label>"Colour "
                <select on:change=move |e| {
                    let value = event_target_value(&e);
                    close();
                    board.patch(TilePatch::Color { id, color: (!value.is_empty()).then_some(value) }, None)
                }>
                    <option value="">"None"</option>
                    {COLORS.map(|c| view! { <option value=c selected=color == c>{c}</option> })}
                </select>
            </label>
        </div>
    }
}

/// The content of an insight tile — its title, kind, description and preview — and its title.
fn insight_ops(ops: &mut Ops, insight: &Insight, title_id: &str) -> String {
    let (kind, source) = insight.query_kinds();
    let label = format::insight_kind_label(kind, source);
    let (title, class) = match insight.title() {
        Some(title) => (title, "tile-title"),
        None => ("Untitled insight", "tile-title untitled"),
    };
    ops.element("header", "tile-header", |ops| {
        ops.open("h2").attr("id", title_id).attr("class", class);
        ops.text(title).close();
        ops.leaf("span", "badge badge-kind", label);
    });
    let description = insight.description.trim();
    if !description.is_empty() {
        ops.leaf("p", "tile-description", description);
    }
    let preview = preview::preview(label, &insight.query, &insight.result, &insight.columns);
    preview_ops(ops, preview, label);
    title.to_string()
}

fn preview_ops(ops: &mut Ops, preview: Preview, kind: &str) {
    match preview {
        Preview::Lines(lines) => ops.element("figure", "preview preview-lines", |ops| {
            ops.open("svg")
                .attr("viewBox", "0 0 100 40")
                .attr("preserveAspectRatio", "none")
                .attr("role", "img")
                .attr("aria-label", &format!("{kind} chart"));
            for (i, (_, points)) in lines.iter().enumerate() {
                ops.open("polyline")
                    .attr("class", &format!("series-{i}"))
                    .attr("points", points)
                    .attr("fill", "none")
                    .attr("vector-effect", "non-scaling-stroke")
                    .close();
            }
            ops.close();
            ops.element("figcaption", "", |ops| {
                for (i, (name, _)) in lines.iter().enumerate() {
                    ops.leaf("span", &format!("legend series-{i}"), name);
                }
            });
        }),
        Preview::Number(label, value) => ops.element("p", "preview preview-number", |ops| {
            ops.leaf("span", "big-number", &value);
            ops.leaf("span", "muted", &label);
        }),
        Preview::Bars(steps) => ops.element("ol", "preview preview-funnel", |ops| {
            for (name, share, count) in steps {
                ops.element("li", "", |ops| {
                    ops.leaf("span", "", &name);
                    ops.open("span")
                        .attr("class", "bar")
                        .attr("style", &format!("width: {}%", share as i64))
                        .close();
                    ops.leaf("span", "", &count);
                });
            }
        }),
        Preview::Table(header, rows) => ops.element("table", "preview preview-table", |ops| {
            if !header.is_empty() {
                ops.element("thead", "", |ops| {
                    ops.element("tr", "", |ops| {
                        for h in &header {
                            ops.leaf("th", "", h);
                        }
                    })
                });
            }
            ops.element("tbody", "", |ops| {
                for row in &rows {
                    ops.element("tr", "", |ops| {
                        for cell in row {
                            ops.leaf("td", "", cell);
                        }
                    });
                }
            });
        }),
        Preview::Empty => ops.leaf("p", "preview muted", &format!("{kind} · No cached result")),
    }
}

/// The content of a text tile, and its name: "Text: " and its first heading.
fn text_ops(ops: &mut Ops, text: &Text, title_id: &str) -> String {
    let blocks = markdown::parse(&text.body);
    let name = markdown::first_heading(&blocks)
        .map(|heading| format!("Text: {heading}"))
        .unwrap_or_else(|| "Text".into());
    ops.open("span")
        .attr("id", title_id)
        .attr("class", "visually-hidden")
        .text(&name)
        .close();
    ops.element("div", "markdown", |ops| markdown::write_ops(ops, &blocks));
    name
}
