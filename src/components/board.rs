//! The editable tile grid of one dashboard: its state (saved tiles, the layout being edited,
//! the drag in progress) and the actions that change it. Views render this and dispatch.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::models::{layouts_with, Dashboard, TilePatch};
use crate::api::{ApiClient, ApiError};
use crate::logic::layout::{self, Item, Rect};

/// A drag or resize in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Drag {
    pub id: i64,
    pub resize: bool,
    /// Pointer position at the start, and cell size in pixels.
    pub start: (f64, f64),
    pub cell: (f64, f64),
    /// Pointer offset from the start, for the tile following the pointer.
    pub offset: (f64, f64),
    pub origin: Rect,
    /// The tile's own smallest size.
    pub min: layout::MinSize,
    pub base: Vec<Item>,
}

/// What the last action did, with the way to undo it.
#[derive(Clone, Debug, PartialEq)]
pub enum Undo {
    Move { tile: i64, from: i64, to: i64 },
    Remove { tile: i64 },
}

/// An open dialog.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    Move {
        tile: i64,
        title: String,
    },
    /// New text (`None`) or the text card of a tile: (tile id, text id, body).
    Text(Option<(i64, Option<i64>, String)>),
}

#[derive(Clone, Copy)]
pub struct Board {
    pub project_id: i64,
    /// The saved dashboard, as the server last answered (set only by [`Board::replace`]).
    pub dash: RwSignal<Dashboard>,
    pub layout: RwSignal<Vec<Item>>,
    /// The places of the saved tiles (`dash`'s): what `layout` is compared with.
    pub saved: RwSignal<Vec<Item>>,
    pub editing: Signal<bool>,
    pub drag: RwSignal<Option<Drag>>,
    /// The tile being dragged: what the landing placeholder watches, so a pointermove does not
    /// rebuild it.
    pub dragged: Memo<Option<i64>>,
    pub announce: RwSignal<String>,
    pub notice: RwSignal<Option<(String, Option<Undo>)>>,
    pub error: RwSignal<Option<ApiError>>,
    pub save_error: RwSignal<Option<ApiError>>,
    pub busy: RwSignal<bool>,
    pub dialog: RwSignal<Option<Dialog>>,
    /// The tile whose actions menu is open: one at a time.
    pub menu: RwSignal<Option<i64>>,
}

/// The tiles' places as the grid shows them.
pub fn items_of(dashboard: &Dashboard) -> Vec<Item> {
    let layouts: Vec<_> = dashboard.tiles.iter().map(|t| t.layout("sm")).collect();
    layout::place_tiles(&layouts)
        .into_iter()
        .map(|p| Item {
            id: dashboard.tiles[p.index].id,
            rect: p.rect,
        })
        .collect()
}

impl Board {
    pub fn new(project_id: i64, dashboard: Dashboard, editing: Signal<bool>) -> Self {
        // Placed once: the saved places are also where the edit starts.
        let saved = items_of(&dashboard);
        let layout = RwSignal::new(saved.clone());
        let dash = RwSignal::new(dashboard);
        let drag = RwSignal::new(None::<Drag>);
        Self {
            project_id,
            dash,
            layout,
            saved: RwSignal::new(saved),
            editing,
            drag,
            dragged: Memo::new(move |_| drag.with(|d| d.as_ref().map(|d| d.id))),
            announce: RwSignal::new(String::new()),
            notice: RwSignal::new(None),
            error: RwSignal::new(None),
            save_error: RwSignal::new(None),
            busy: RwSignal::new(false),
            dialog: RwSignal::new(None),
            menu: RwSignal::new(None),
        }
    }

    pub fn dirty(&self) -> bool {
        self.layout.with(|l| self.saved.with(|s| l != s))
    }

    pub fn id(&self) -> i64 {
        self.dash.with_untracked(|d| d.id)
    }

    /// Takes the server's answer as the new saved state (`dash` changes only here).
    pub fn replace(&self, dashboard: Dashboard) {
        let saved = items_of(&dashboard);
        self.layout.set(saved.clone());
        self.saved.set(saved);
        self.dash.set(dashboard);
    }

    /// Discards the edited layout.
    pub fn discard(&self) {
        self.layout.set(self.saved.get_untracked());
        self.save_error.set(None);
    }

    /// One PATCH with the layouts of the tiles that changed; a failure keeps the edit.
    pub fn save(&self, done: impl FnOnce() + 'static) {
        let board = *self;
        let edited = self.layout.get_untracked();
        let changed = layout::changed(&self.saved.get_untracked(), &edited);
        let xs = layout::stacked(&edited);
        let patches: Vec<TilePatch> = self.dash.with_untracked(|d| {
            changed
                .iter()
                .filter_map(|item| {
                    let tile = d.tiles.iter().find(|t| t.id == item.id)?;
                    let narrow = xs.iter().find(|x| x.id == item.id)?.rect;
                    Some(TilePatch::Layout {
                        id: item.id,
                        layouts: layouts_with(&tile.layouts, item.rect, narrow),
                    })
                })
                .collect()
        });
        if patches.is_empty() {
            return done();
        }
        self.busy.set(true);
        let client = expect_context::<ApiClient>();
        let (project, id) = (self.project_id, self.id());
        spawn_local(async move {
            let result = client.patch_tiles(project, id, &patches).await;
            board.busy.set(false);
            match result {
                Ok(dashboard) => {
                    board.save_error.set(None);
                    board.replace(dashboard);
                    board.announce.set("Layout saved.".into());
                    done();
                }
                Err(error) => board.save_error.set(Some(error)),
            }
        });
    }

    /// Runs a write whose answer is this dashboard; errors are shown, nothing is retried.
    pub fn run<F>(&self, request: F, notice: Option<(String, Option<Undo>)>)
    where
        F: std::future::Future<Output = Result<Dashboard, ApiError>> + 'static,
    {
        let board = *self;
        board.busy.set(true);
        spawn_local(async move {
            let result = request.await;
            board.busy.set(false);
            match result {
                Ok(dashboard) => {
                    board.error.set(None);
                    board.dialog.set(None);
                    board.replace(dashboard);
                    board.notice.set(notice);
                }
                Err(error) => board.error.set(Some(error)),
            }
        });
    }

    pub fn patch(&self, patch: TilePatch, notice: Option<(String, Option<Undo>)>) {
        let client = expect_context::<ApiClient>();
        let (project, id) = (self.project_id, self.id());
        self.run(
            async move { client.patch_tiles(project, id, &[patch]).await },
            notice,
        );
    }

    /// Moves tile `tile` to dashboard `to`; Undo moves it back.
    pub fn move_tile(&self, tile: i64, to: i64, to_name: String) {
        let client = expect_context::<ApiClient>();
        let (project, from) = (self.project_id, self.id());
        let notice = (
            format!("Tile moved to {to_name}."),
            Some(Undo::Move { tile, from, to }),
        );
        self.run(
            async move { client.move_tile(project, from, tile, to).await },
            Some(notice),
        );
    }

    pub fn undo(&self, undo: Undo) {
        let client = expect_context::<ApiClient>();
        let project = self.project_id;
        match undo {
            Undo::Remove { tile } => self.patch(
                TilePatch::Deleted {
                    id: tile,
                    deleted: false,
                },
                Some(("Tile restored.".into(), None)),
            ),
            Undo::Move { tile, from, to } => self.run(
                async move {
                    client.move_tile(project, to, tile, from).await?;
                    client.dashboard(project, from, None).await
                },
                Some(("Tile moved back.".into(), None)),
            ),
        }
    }

    /// A deep copy of the tile, placed below the others.
    pub fn duplicate(&self, tile: i64) {
        let client = expect_context::<ApiClient>();
        let (project, id) = (self.project_id, self.id());
        let items = self.layout.get_untracked();
        let Some(rect) = items.iter().find(|i| i.id == tile).map(|i| i.rect) else {
            return;
        };
        let bottom = items.iter().map(|i| i.rect.bottom()).max().unwrap_or(0);
        let sm = Rect { y: bottom, ..rect };
        let xs = Rect {
            x: 0,
            y: bottom,
            w: 1,
            h: rect.h,
        };
        let layouts = layouts_with(&serde_json::Value::Null, sm, xs);
        self.run(
            async move { client.duplicate_tile(project, id, tile, layouts).await },
            Some(("Tile duplicated.".into(), None)),
        );
    }
}
