//! `/project/:project_id/dashboards`: the project's dashboards, searchable, filterable and
//! paged 100 at a time, with all of that state in the URL.

use leptos::prelude::*;

use crate::api::models::{Dashboard, Page};
use crate::api::{ApiClient, RequestSlot};
use crate::components::bulk_bar::bulk_bar;
use crate::components::dashboard_row::DashboardRow;
use crate::components::error_message::ErrorMessage;
use crate::components::lazy::{lazy, prefetch};
use crate::components::list_controls::{ListControls, QueryChange};
use crate::components::new_dashboard::{import_dialog, new_dashboard_dialog};
use crate::components::toast::Toasts;
use crate::logic::bulk::Selection;
use crate::logic::list_query::{ListDialog, ListQuery};
use crate::logic::{filters, format};
use crate::pages::dashboard::preload_dashboard_view;
use crate::pages::project::ProjectShell;
use crate::router::use_location;
use crate::state::first_read;

/// The dashboards list page.
#[component]
pub fn DashboardsPage(project_id: i64) -> impl IntoView {
    view! {
        <ProjectShell project_id=project_id>
            <DashboardsPageContent project_id=project_id />
        </ProjectShell>
    }
}

#[component]
fn DashboardsPageContent(project_id: i64) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let location = use_location();
    let query = Memo::new(move |_| ListQuery::from_query_string(&location.search.get()));
    let server_params = Memo::new(move |_| query.read().server_params());
    let on_change = Callback::new(move |change: QueryChange| {
        let search = change.query.to_query_string();
        let path = location.path.get_untracked();
        let url = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        location.navigate(&url, change.replace);
    });

    let slot = RequestSlot::new();
    let changed = Toasts::use_context().changed;
    let dashboards = LocalResource::new(move || {
        let (client, params) = (client.clone(), server_params.get());
        changed.track();
        // A newer search or page makes the previous request pointless: abort it.
        let signal = slot.restart();
        async move {
            // On a link to the list its first page went out as the app started (`first_read`).
            match first_read::take_dashboards(project_id, &params).await {
                Some(answer) => answer,
                None => client.dashboards_of_page(project_id, &params, signal).await,
            }
        }
    });
    let creators = Signal::derive(move || {
        let selected = query.read().created_by;
        match dashboards.get() {
            Some(Ok(page)) => filters::creator_options(&page.results, selected),
            _ => filters::creator_options(&[], selected),
        }
    });
    let (pending, set_pending) = signal(false);
    let selection = RwSignal::new(Selection::default());
    let loaded = Signal::derive(move || match dashboards.get() {
        Some(Ok(page)) => page.results,
        _ => Vec::new(),
    });
    // The bulk bar's code loads with the first selection; the bar then stays, since a batch's
    // progress and failures outlive the selection.
    let bulk_used = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || selection.with(|s| !s.ids().is_empty())
    });
    let prefetched = StoredValue::new(false);
    let dialog = Memo::new(move |_| query.read().dialog);
    let open_dialog = move |dialog: Option<ListDialog>| {
        let mut next = query.get_untracked();
        next.dialog = dialog;
        on_change.run(QueryChange {
            query: next,
            replace: dialog.is_none(),
        })
    };

    view! {
        <main class="page dashboards-page">
            <h1>"Dashboards"</h1>
            <div class="actions">
                <button type="button" on:click=move |_| open_dialog(Some(ListDialog::New))>"New dashboard"</button>
                <button type="button" class="secondary" on:click=move |_| open_dialog(Some(ListDialog::Import))>"Import template JSON"</button>
            </div>
            {move || match dialog.get() {
                Some(ListDialog::New) => {
                    let sources = Signal::derive(move || match dashboards.get() {
                        Some(Ok(page)) => page.results.iter()
                            .map(|d| (d.id, d.name.clone().unwrap_or_else(|| "Untitled".into())))
                            .collect(),
                        _ => Vec::new(),
                    });
                    let on_close = Callback::new(move |_| open_dialog(None));
                    lazy("the New dashboard dialog", move || new_dashboard_dialog(project_id, sources, on_close))
                }
                Some(ListDialog::Import) => {
                    let on_close = Callback::new(move |_| open_dialog(None));
                    lazy("the Import dialog", move || import_dialog(project_id, on_close))
                }
                None => ().into_any(),
            }}
            <ListControls query=query creators=creators on_change=on_change />
            {move || bulk_used.get().then(|| {
                lazy("the bulk actions", move || bulk_bar(project_id, selection, loaded))
            })}
            <div class="list-region" aria-busy=move || pending.get().to_string()>
                <Transition
                    fallback=|| view! { <p class="status" role="status" aria-busy="true">"Loading dashboards…"</p> }
                    set_pending=set_pending
                >
                    {move || Suspend::new(async move {
                        match dashboards.await {
                            Ok(page) => {
                                // Opening a dashboard is the likely next step: its code is
                                // fetched once the list is first on screen and the browser is idle.
                                if !prefetched.get_value() {
                                    prefetched.set_value(true);
                                    request_idle_callback(|| prefetch(preload_dashboard_view));
                                }
                                view! {
                                    <DashboardList page=page query=query project_id=project_id on_change=on_change selection=selection />
                                }.into_any()
                            }
                            Err(error) => view! {
                                <ErrorMessage error=error read=true on_retry=move |_| dashboards.refetch() />
                            }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </main>
    }
}

/// The loaded page: count, table or empty state, pagination.
#[component]
fn DashboardList(
    page: Page<Dashboard>,
    query: Memo<ListQuery>,
    project_id: i64,
    on_change: Callback<QueryChange>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let count = page.count;
    let results = StoredValue::new(page.results);
    let visible = Memo::new(move |_| {
        results.with_value(|all| {
            filters::apply(all, &query.read())
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let loaded = results.with_value(Vec::len);
    let clear = move |_| {
        on_change.run(QueryChange {
            query: ListQuery::default(),
            replace: false,
        })
    };
    view! {
        <p class="count" role="status">
            {format::dashboard_count(count)}
            {move || {
                let shown = visible.read().len();
                (shown != loaded).then(|| format!(" · {shown} shown on this page"))
            }}
        </p>
        {move || {
            let rows = visible.get();
            if rows.is_empty() {
                empty_state(&query.read(), clear).into_any()
            } else {
                dashboards_table(rows, project_id, selection).into_any()
            }
        }}
        <Pagination query=query count=count on_change=on_change />
    }
}

/// Checkbox handlers use only the page-level `selection` and plain ids (see [`Pagination`]).
fn dashboards_table(
    rows: Vec<Dashboard>,
    project_id: i64,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let order: std::sync::Arc<[i64]> = rows.iter().map(|d| d.id).collect();
    let all = order.clone();
    view! {
        <table class="dashboards-table" aria-label="Dashboards">
            <thead>
                <tr>
                    <th scope="col">
                        <input type="checkbox" aria-label="Select all on this page"
                            prop:checked={let all = all.clone(); move || selection.read().all(&all)}
                            on:change=move |ev| selection.update(|s| s.set_all(&all, event_target_checked(&ev))) />
                    </th>
                    <th scope="col"><span class="visually-hidden">"Pinned"</span></th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col">"Tags"</th>
                    <th scope="col">"Created by"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col"><span class="visually-hidden">"Access"</span></th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|dashboard| view! {
                    <DashboardRow dashboard=dashboard project_id=project_id selection=selection order=order.clone() />
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn empty_state(
    query: &ListQuery,
    clear: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    if !query.is_filtered() {
        return view! {
            <div class="empty-state"><p>"This project has no dashboards yet."</p></div>
        }
        .into_any();
    }
    let message = if query.search.is_empty() {
        "No dashboards match these filters.".to_string()
    } else {
        format!("No dashboards match “{}”.", query.search)
    };
    view! {
        <div class="empty-state">
            <p>{message}</p>
            <button type="button" on:click=clear>"Clear search and filters"</button>
        </div>
    }
    .into_any()
}

/// "Previous page" / "Next page", disabled at the ends.
///
/// Only page-level values (`query`, `on_change`) are used here: `<Transition>` keeps this list
/// on screen, clickable, after its own reactive owner was disposed for the next page's load.
#[component]
fn Pagination(
    query: Memo<ListQuery>,
    count: u64,
    on_change: Callback<QueryChange>,
) -> impl IntoView {
    let pages = ListQuery::page_count(count);
    let page = move || query.read().page;
    let go = move |page: u64| {
        on_change.run(QueryChange {
            query: query.get_untracked().with_page(page),
            replace: false,
        })
    };
    // Comparisons inside `view!` attributes are braced: a bare `>` would end the tag.
    view! {
        <nav class="pagination" aria-label="Pagination">
            <button type="button" class="secondary"
                disabled=move || { page() <= 1 }
                on:click=move |_| go(query.read_untracked().page.saturating_sub(1).max(1))>
                "Previous page"
            </button>
            <span>{move || format!("Page {} of {pages}", page())}</span>
            <button type="button" class="secondary"
                disabled=move || { page() >= pages }
                on:click=move |_| go(query.read_untracked().page + 1)>
                "Next page"
            </button>
        </nav>
    }
}
