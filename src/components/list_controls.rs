//! The dashboards list's controls: search, filters and tag chips. They show the URL state
//! and report every change as a new [`ListQuery`].

use std::time::Duration;

use leptos::prelude::*;

use crate::logic::filters::CreatorOption;
use crate::logic::list_query::ListQuery;

/// How long typing must pause before the search runs.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(300);

/// A change of list state; `replace` keeps it out of the back-button history.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryChange {
    pub query: ListQuery,
    pub replace: bool,
}

/// Search box, "Pinned only", "Shared only", "Created by" and the tag filter.
#[component]
pub fn ListControls(
    #[prop(into)] query: Signal<ListQuery>,
    #[prop(into)] creators: Signal<Vec<CreatorOption>>,
    #[prop(into)] on_change: Callback<QueryChange>,
) -> impl IntoView {
    let change =
        move |query: ListQuery, replace: bool| on_change.run(QueryChange { query, replace });
    view! {
        <div class="list-controls">
            <SearchBox query=query on_change=on_change />
            <div class="filters">
                <div class="checkbox">
                    <input id="pinned-only" type="checkbox" prop:checked=move || query.read().pinned_only
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            change(query.get_untracked().with_filters(|q| q.pinned_only = on), false);
                        } />
                    <label for="pinned-only">"Pinned only"</label>
                </div>
                <div class="checkbox">
                    <input id="shared-only" type="checkbox" prop:checked=move || query.read().shared_only
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            change(query.get_untracked().with_filters(|q| q.shared_only = on), false);
                        } />
                    <label for="shared-only">"Shared only"</label>
                </div>
                <div class="select">
                    <label for="created-by">"Created by"</label>
                    <select id="created-by" on:change=move |ev| {
                        let id = event_target_value(&ev).parse().ok();
                        change(query.get_untracked().with_filters(|q| q.created_by = id), false);
                    }>
                        <option value="" prop:selected=move || query.read().created_by.is_none()>"Anyone"</option>
                        {move || {
                            let selected = query.read().created_by;
                            creators.get().into_iter().map(|creator| view! {
                                <option value=creator.id.to_string() selected=selected == Some(creator.id)>
                                    {creator.name}
                                </option>
                            }).collect_view()
                        }}
                    </select>
                </div>
                <TagFilter query=query on_change=on_change />
            </div>
        </div>
    }
}

/// The search box: debounced, replaces the URL entry instead of adding one per keystroke.
#[component]
fn SearchBox(query: Signal<ListQuery>, on_change: Callback<QueryChange>) -> impl IntoView {
    let text = RwSignal::new(query.get_untracked().search);
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    // Back/forward and "Clear search and filters" change the URL: show what it says.
    Effect::new(move |_| {
        let search = query.read().search.clone();
        if text.get_untracked().trim() != search {
            text.set(search);
        }
    });
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let current = query.get_untracked();
                if current.search != value.trim() {
                    on_change.run(QueryChange {
                        query: current.with_search(&value),
                        replace: true,
                    });
                }
            },
            SEARCH_DEBOUNCE,
        );
        pending.set_value(handle.ok());
    };
    on_cleanup(move || {
        if let Some(Some(handle)) = pending.try_get_value() {
            handle.clear();
        }
    });
    view! {
        <div class="search">
            <label for="dashboard-search">"Search dashboards"</label>
            <input
                id="dashboard-search"
                type="search"
                autocomplete="off"
                placeholder="Name, description or tag"
                prop:value=text
                on:input=on_input
            />
        </div>
    }
}

/// "Filter by tag" plus the applied tags as removable chips.
#[component]
fn TagFilter(query: Signal<ListQuery>, on_change: Callback<QueryChange>) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tag = draft.get_untracked();
        if tag.trim().is_empty() {
            return;
        }
        let query = query.get_untracked().with_filters(|q| q.add_tag(&tag));
        draft.set(String::new());
        on_change.run(QueryChange {
            query,
            replace: false,
        });
    };
    let remove = move |tag: String| {
        let query = query
            .get_untracked()
            .with_filters(|q| q.tags.retain(|t| *t != tag));
        on_change.run(QueryChange {
            query,
            replace: false,
        });
    };
    view! {
        <form class="tag-filter" on:submit=add>
            <label for="tag-filter">"Filter by tag"</label>
            <input id="tag-filter" type="text" autocomplete="off" prop:value=draft
                on:input=move |ev| draft.set(event_target_value(&ev)) />
            <button type="submit" class="secondary">"Add tag"</button>
        </form>
        <ul class="tag-chips" aria-label="Tag filters">
            {move || query.read().tags.clone().into_iter().map(|tag| view! {
                <li class="tag chip">
                    {tag.clone()}
                    <button
                        type="button"
                        class="chip-remove"
                        aria-label=format!("Remove tag filter {tag}")
                        on:click=move |_| remove(tag.clone())
                    >
                        "×"
                    </button>
                </li>
            }).collect_view()}
        </ul>
    }
}
