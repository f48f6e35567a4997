//! One dashboard in the dashboards table.

use leptos::prelude::*;

use std::sync::Arc;

use crate::api::models::Dashboard;
use crate::components::tag_list::TagList;
use crate::logic::bulk::Selection;
use crate::logic::format;
use crate::logic::route::Route;

/// The read-only badge's accessible name.
pub const READ_ONLY_LABEL: &str = "Read-only: you can view but not edit this dashboard";

/// A `<tr>`: pin, linked name, description, tags, creator, creation date, badges.
#[component]
pub fn DashboardRow(
    dashboard: Dashboard,
    project_id: i64,
    selection: RwSignal<Selection>,
    /// The page's rows in order, for shift-click ranges.
    order: Arc<[i64]>,
) -> impl IntoView {
    let id = dashboard.id;
    let href = crate::router::href(&Route::dashboard_path(project_id, dashboard.id));
    let name = dashboard.name.clone().filter(|n| !n.trim().is_empty());
    let creator = dashboard.created_by.as_ref().map(format::user_display_name);
    let created_at = dashboard.created_at.as_deref().map(format::date);
    let select = format!("Select {}", name.as_deref().unwrap_or("Untitled"));
    let click = move |ev: leptos::ev::MouseEvent| {
        let on = event_target_checked(&ev);
        selection.update(|s| s.click(&order, id, on, ev.shift_key()));
    };
    view! {
        <tr class="dashboard-row" class:pinned=dashboard.pinned>
            <td>
                <input type="checkbox" aria-label=select on:click=click
                    prop:checked=move || selection.read().contains(id) />
            </td>
            <td class="pin-cell">
                {dashboard.pinned.then(|| view! {
                    <span class="pin-icon" role="img" aria-label="Pinned" title="Pinned">"★"</span>
                })}
            </td>
            <th scope="row" class="name-cell">
                {match name {
                    Some(name) => view! { <a href=href>{name}</a> }.into_any(),
                    None => view! { <a href=href class="untitled">"Untitled"</a> }.into_any(),
                }}
            </th>
            <td class="description-cell">{dashboard.description.clone()}</td>
            <td><TagList tags=dashboard.tags.clone() /></td>
            <td>{creator.unwrap_or_else(|| "—".into())}</td>
            <td>
                {match (created_at, dashboard.created_at.clone()) {
                    (Some(label), Some(iso)) => view! { <time datetime=iso>{label}</time> }.into_any(),
                    _ => "—".into_any(),
                }}
            </td>
            <td class="badges-cell">
                {dashboard.is_shared.then(|| view! { <span class="badge badge-shared">"Shared"</span> })}
                {(!dashboard.can_edit()).then(|| view! {
                    <span class="badge badge-lock" role="img" aria-label=READ_ONLY_LABEL title=READ_ONLY_LABEL>
                        "Read-only"
                    </span>
                })}
            </td>
        </tr>
    }
}
