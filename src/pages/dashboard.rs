//! `/project/:project_id/dashboards/:dashboard_id`: one dashboard and its tiles.

use leptos::prelude::*;

use crate::api::models::Dashboard;
use crate::api::{ApiClient, ApiError, RequestSlot};
use crate::components::dashboard_header::DashboardHeader;
use crate::components::error_message::ErrorMessage;
use crate::components::tile::TileView;
use crate::logic::route::Route;
use crate::logic::{format, layout};
use crate::pages::project::ProjectShell;

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
        async move { client.dashboard(project_id, dashboard_id, signal).await }
    });
    let back = move || Route::dashboards_path(project_id);

    view! {
        <main class="page dashboard-page">
            <Transition fallback=|| view! { <p class="status" role="status" aria-busy="true">"Loading dashboard…"</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(dashboard) => view! { <DashboardView dashboard=dashboard project_id=project_id back=back() /> }.into_any(),
                        Err(ApiError::NotFound) => view! {
                            <h1>"Dashboard not found"</h1>
                            <p>"It may have been deleted, or it belongs to another project."</p>
                            <a href=back()>"Back to dashboards"</a>
                        }.into_any(),
                        Err(error) => view! {
                            <a class="back-link" href=back()>"Back to dashboards"</a>
                            <h1>"Dashboard"</h1>
                            <ErrorMessage error=error on_retry=move |_| dashboard.refetch() />
                        }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

/// The loaded dashboard: heading, details and the tile grid.
#[component]
fn DashboardView(dashboard: Dashboard, project_id: i64, back: String) -> impl IntoView {
    let basic = &dashboard;
    let creator = basic.created_by.as_ref().map(format::user_display_name);
    let created = basic.created_at.as_deref().map(format::date);
    let byline = match (creator, created) {
        (Some(who), Some(when)) => Some(format!("Created by {who} on {when}")),
        (Some(who), None) => Some(format!("Created by {who}")),
        (None, Some(when)) => Some(format!("Created on {when}")),
        (None, None) => None,
    };
    let placements = layout::place_tiles(
        &dashboard
            .tiles
            .iter()
            .map(|tile| tile.layout("sm"))
            .collect::<Vec<_>>(),
    );
    let tiles = placements
        .into_iter()
        .map(|placement| (dashboard.tiles[placement.index].clone(), placement.rect))
        .collect::<Vec<_>>();
    view! {
        <a class="back-link" href=back>"Back to dashboards"</a>
        <DashboardHeader dashboard=dashboard.clone() project_id=project_id />
        {byline.map(|line| view! { <p class="byline">{line}</p> })}
        {if tiles.is_empty() {
            view! { <p class="empty-state">"This dashboard has no tiles yet."</p> }.into_any()
        } else {
            view! {
                <section class="tile-grid" aria-label="Tiles">
                    {tiles.into_iter().map(|(tile, rect)| view! { <TileView tile=tile rect=rect /> }).collect_view()}
                </section>
            }.into_any()
        }}
    }
}
