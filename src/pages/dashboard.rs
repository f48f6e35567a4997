//! `/project/:project_id/dashboards/:dashboard_id`: one dashboard and its tiles.

use leptos::prelude::*;

use leptos::ev;

use crate::api::models::{Dashboard, TilePatch};
use crate::api::{ApiClient, ApiError, RequestSlot};
use crate::components::board::{Board, Dialog};
use crate::components::dashboard_header::{DashboardHeader, ShownDashboard};
use crate::components::dialog::{may_discard, Modal};
use crate::components::error_message::{
    described_by, field_problem, invalid, ErrorMessage, FieldError,
};
use crate::components::lazy::{lazy, prefetch};
use crate::components::sharing_dialog::{preload_dialogs, IsShared, SharingBar};
use crate::components::static_dom::MarkdownView;
use crate::components::tile::TileGrid;
use crate::logic::format;
use crate::logic::list_query::ServerListParams;
use crate::logic::route::Route;
use crate::pages::project::ProjectShell;
use crate::perf;
use crate::router::use_location;
use crate::state::first_read;

/// Longest text card body PostHog accepts.
const TEXT_MAX: usize = 4000;
const LEAVE: &str = "You have unsaved layout changes. Leave without saving?";

crate::lazy_view! {
    /// The loaded dashboard, loaded on first use in the release build. The page around it reads
    /// the dashboard meanwhile: the request does not wait for the code.
    pub fn dashboard_view[dashboard, preload_dashboard_view](dashboard: Dashboard, project_id: i64, back: String) {
        view! { <DashboardView dashboard=dashboard project_id=project_id back=back /> }
    }
}

/// The dashboard page.
#[component]
pub fn DashboardPage(project_id: i64, dashboard_id: i64) -> impl IntoView {
    view! {
        <ProjectShell project_id=project_id>
            <DashboardPageContent project_id=project_id dashboard_id=dashboard_id />
        </ProjectShell>
    }
}

#[component]
fn DashboardPageContent(project_id: i64, dashboard_id: i64) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let slot = RequestSlot::new();
    let dashboard = LocalResource::new(move || {
        let client = client.clone();
        let signal = slot.restart();
        async move {
            // On a dashboard link the read went out as the app started (`first_read`).
            let dashboard = match first_read::take_dashboard(project_id, dashboard_id).await {
                Some(answer) => answer,
                None => {
                    perf::mark("dashdeck:dashboard-request");
                    client
                        .dashboard_of_page(project_id, dashboard_id, signal)
                        .await
                }
            };
            perf::mark("dashdeck:dashboard-arrived");
            dashboard
        }
    });
    // The view's code (prefetched already when the list was shown) is fetched while the dashboard
    // is read; after the request, so that compiling it does not hold the request back.
    leptos::task::spawn_local(async { prefetch(preload_dashboard_view) });

    let back = move || crate::router::href(&Route::dashboards_path(project_id));

    view! {
        <main class="page dashboard-page">
            <Transition fallback=|| view! { <p class="status" role="status" aria-busy="true">"Loading dashboard…"</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(dashboard) => {
                            let back = back();
                            lazy("the dashboard", move || dashboard_view(dashboard.clone(), project_id, back.clone()))
                        }
                        Err(ApiError::NotFound) => view! {
                            <h1>"Dashboard not found"</h1>
                            <p>"It may have been deleted, or it belongs to another project."</p>
                            <a href=back()>"Back to dashboards"</a>
                        }.into_any(),
                        Err(error) => view! {
                            <a class="back-link" href=back()>"Back to dashboards"</a>
                            <h1>"Dashboard"</h1>
                            <ErrorMessage error=error read=true on_retry=move |_| dashboard.refetch() />
                        }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

/// The loaded dashboard: heading, details, the edit toolbar and the tile grid.
#[component]
fn DashboardView(dashboard: Dashboard, project_id: i64, back: String) -> impl IntoView {
    perf::mark("dashdeck:dashboard-view");
    let location = use_location();
    let editing = Signal::derive(move || location.search.with(|s| s.contains("edit=1")));
    // The tiles are the board's; the header and the sharing panels keep the details.
    let mut dashboard = dashboard;
    let tiles = std::mem::take(&mut dashboard.tiles);
    let board = Board::new(
        project_id,
        Dashboard {
            tiles,
            ..dashboard.clone()
        },
        editing,
    );
    provide_context(IsShared(RwSignal::new(dashboard.is_shared)));
    let shown = RwSignal::new(dashboard.clone());
    provide_context(ShownDashboard(shown));
    // The Share, Collaborators and Copy dialogs' code, once the tiles are on screen and the
    // browser is idle (after the tile bodies built then: this effect runs after the mount).
    Effect::new(|_| request_idle_callback(|| prefetch(preload_dialogs)));
    let set_editing = move |on: bool| {
        board.menu.set(None);
        let path = location.path.get_untracked();
        location.navigate(&if on { format!("{path}?edit=1") } else { path }, false);
    };
    let leave_ok = move || !board.dirty() || window().confirm_with_message(LEAVE).unwrap_or(false);
    // The router asks before following a link away from unsaved changes; so does the browser,
    // through a beforeunload listener that exists only while there are some (with one, every
    // navigation away waits for it and the page cannot stay in the back/forward cache).
    let unload = StoredValue::new_local(None::<WindowListenerHandle>);
    Effect::new(move |_| {
        let dirty = board.dirty();
        location.guard.set(dirty.then_some(LEAVE));
        unload.update_value(|listener| match listener.take() {
            Some(old) if !dirty => old.remove(),
            None if dirty => {
                *listener = Some(window_event_listener(ev::beforeunload, |e| {
                    e.prevent_default()
                }))
            }
            same => *listener = same,
        });
    });
    on_cleanup(move || location.guard.set(None));
    let keys = window_event_listener(ev::keydown, move |e| {
        if !crate::host::is_inside_app(&e) {
            return;
        }
        let typing = crate::host::event_origin(&e).is_some_and(|t| {
            t.closest("input, textarea, select, dialog")
                .ok()
                .flatten()
                .is_some()
        });
        if typing
            || e.ctrl_key()
            || e.meta_key()
            || e.alt_key()
            || !e.key().eq_ignore_ascii_case("e")
        {
            return;
        }
        if !board.dash.with_untracked(|d| d.can_edit()) {
            return;
        }
        let on = board.editing.get_untracked();
        if !on || leave_ok() {
            if on {
                board.discard();
            }
            set_editing(!on);
        }
    });
    on_cleanup(move || {
        unload.try_update_value(|listener| listener.take().map(WindowListenerHandle::remove));
        keys.remove();
    });

    let basic = &dashboard;
    let creator = basic.created_by.as_ref().map(format::user_display_name);
    let created = basic.created_at.as_deref().map(format::date);
    let byline = match (creator, created) {
        (Some(who), Some(when)) => Some(format!("Created by {who} on {when}")),
        (Some(who), None) => Some(format!("Created by {who}")),
        (None, Some(when)) => Some(format!("Created on {when}")),
        (None, None) => None,
    };
    let can_edit = basic.can_edit();
    let save = move |_| board.save(move || set_editing(false));
    let toolbar = move || {
        if !can_edit {
            return None;
        }
        Some(if editing.get() {
            view! {
                <div class="toolbar" role="toolbar" aria-label="Layout">
                    <button type="button" disabled=move || board.busy.get() || !board.dirty() on:click=save>"Save layout"</button>
                    <button type="button" on:click=move |_| { board.discard(); set_editing(false); }>"Discard changes"</button>
                    <span class="muted">{move || if board.dirty() { "Unsaved changes" } else { "Drag tiles, or focus one and use the arrow keys (Shift to resize)." }}</span>
                </div>
            }.into_any()
        } else {
            view! {
                <div class="toolbar" role="toolbar" aria-label="Dashboard">
                    <button type="button" aria-keyshortcuts="E" on:click=move |_| set_editing(true)>"Edit layout"</button>
                    <button type="button" on:click=move |_| board.dialog.set(Some(Dialog::Text(None)))>"Add text"</button>
                </div>
            }.into_any()
        })
    };
    view! {
        <a class="back-link" href=back>"Back to dashboards"</a>
        <DashboardHeader dashboard=dashboard project_id=project_id tiles_of=board.dash />
        <SharingBar project_id=project_id dashboard=shown />
        {byline.map(|line| view! { <p class="byline">{line}</p> })}
        {toolbar}
        <p class="visually-hidden" aria-live="polite">{move || board.announce.get()}</p>
        {move || board.save_error.get().map(|error| view! {
            <ErrorMessage error=error on_retry=move |_| board.save(move || set_editing(false)) />
        })}
        {move || board.error.get().filter(|e| !e.names_field(&["text"])).map(|error| view! { <ErrorMessage error=error /> })}
        {move || board.notice.get().map(|(text, undo)| view! {
            <div class="notice" role="status">
                <span>{text}</span>
                {undo.map(|undo| view! {
                    <button type="button" on:click=move |_| board.undo(undo.clone())>"Undo"</button>
                })}
            </div>
        })}
        {move || match board.dialog.get() {
            Some(Dialog::Move { tile, title }) => view! { <MoveDialog board=board tile=tile title=title /> }.into_any(),
            Some(Dialog::Text(text)) => view! { <TextDialog board=board text=text /> }.into_any(),
            None => ().into_any(),
        }}
        <Show when=move || board.dash.with(|d| !d.tiles.is_empty())
            fallback=|| view! { <p class="empty-state">"This dashboard has no tiles yet."</p> }>
            <TileGrid board=board />
        </Show>
    }
}

/// Picks another dashboard of the project to move a tile to.
#[component]
fn MoveDialog(board: Board, tile: i64, title: String) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let search = RwSignal::new(String::new());
    let slot = RequestSlot::new();
    let here = board.id();
    let list = LocalResource::new(move || {
        let client = client.clone();
        let params = ServerListParams {
            search: search.get(),
            tags: Vec::new(),
            limit: 100,
            offset: 0,
        };
        let signal = slot.restart();
        async move { client.dashboards(board.project_id, &params, signal).await }
    });
    let error = move || {
        board.error.get().map(|e| match e {
            ApiError::Forbidden { detail } if !detail.contains("edit permissions") => {
                "This PostHog version does not allow moving tiles with a personal API key. Move the tile in PostHog itself.".to_string()
            }
            other => other.user_message(),
        })
    };
    let close = move |_| {
        board.error.set(None);
        board.dialog.set(None)
    };
    view! {
        <Modal title=format!("Move “{title}” to another dashboard") id="move-title" on_close=close
            close_label="Cancel" return_to=vec![actions_of(tile), ".notice button".into()]>
            <input type="search" aria-label="Search dashboards" placeholder="Search dashboards" autofocus
                on:input=move |e| search.set(event_target_value(&e)) />
            {move || error().map(|text| view! { <p class="error-message" role="alert">{text}</p> })}
            <Transition fallback=|| view! { <p class="status">"Loading dashboards…"</p> }>
                <ul class="picker">
                    {move || Suspend::new(async move {
                        match list.await {
                            Ok(page) => page.results.into_iter().filter(|d| d.id != here).map(|d| {
                                let name = d.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "Untitled".into());
                                let label = name.clone();
                                view! { <li><button type="button" disabled=move || board.busy.get() on:click=move |_| board.move_tile(tile, d.id, name.clone())>{label}</button></li> }
                            }).collect_view().into_any(),
                            Err(e) => view! { <li role="alert">{e.user_message()}</li> }.into_any(),
                        }
                    })}
                </ul>
            </Transition>
        </Modal>
    }
}

/// The "Actions for …" button of tile `tile`: where focus returns from its dialogs (the tile
/// re-renders when its text changes, so the button that opened them may be gone).
fn actions_of(tile: i64) -> String {
    format!("article[data-tile='{tile}'] .tile-menu")
}

/// Writes a new text tile or edits one: markdown with a live preview and a length counter.
#[component]
fn TextDialog(board: Board, text: Option<(i64, Option<i64>, String)>) -> impl IntoView {
    let editing = text.is_some();
    let (tile, text_id) = (text.as_ref().map(|t| t.0), text.as_ref().and_then(|t| t.1));
    let initial = text.map(|t| t.2).unwrap_or_default();
    let body = RwSignal::new(initial.clone());
    let count = move || body.with(|b| b.chars().count());
    let too_long = move || count() > TEXT_MAX;
    // PostHog names the text tile's body `text__body` (or `text`).
    let body_error = field_problem(board.error, "text");
    let save = move |e: ev::SubmitEvent| {
        e.prevent_default();
        if !too_long() {
            board.patch(
                TilePatch::Text {
                    text_id,
                    body: body.get_untracked(),
                },
                Some(("Text saved.".into(), None)),
            );
        }
    };
    // Typed text is only lost when the user says so, as in the other dialogs that take input.
    let close = move |_| {
        if may_discard(body.with_untracked(|b| *b != initial)) {
            board.error.set(None);
            board.dialog.set(None)
        }
    };
    view! {
        <Modal title=if editing { "Edit text" } else { "Add text" } id="text-title" on_close=close
            close_label="Cancel" return_to=tile.map(actions_of).into_iter().collect()>
            <form on:submit=save>
                <label for="text-body">"Text (Markdown)"</label>
                <textarea id="text-body" rows="8" prop:value=move || body.get() on:input=move |e| body.set(event_target_value(&e))
                    aria-invalid=invalid(body_error) aria-describedby=described_by(body_error, "text-body-error")></textarea>
                <FieldError id="text-body-error" message=body_error />
                <p class="hint" class:field-error=too_long aria-live="polite">{move || format!("{} / {TEXT_MAX} characters", count())}</p>
                <section class="text-preview" aria-label="Preview">{move || view! { <MarkdownView source=body.get() /> }}</section>
                {move || board.error.get().filter(|e| !e.names_field(&["text"])).map(|error| view! { <ErrorMessage error=error /> })}
                <button type="submit" disabled=move || board.busy.get() || too_long() || body.with(|b| b.trim().is_empty())>"Save text"</button>
            </form>
        </Modal>
    }
}
