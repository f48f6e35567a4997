//! Bulk actions on the dashboards list: pin, unpin, add a tag or delete every selected
//! dashboard, one PATCH each, with progress, the failures and PostHog's reasons listed (the
//! rest stay done), and one Undo for the batch.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::models::Dashboard;
use crate::api::ApiClient;
use crate::components::toast::Toasts;
use crate::logic::bulk::{BulkAction, BulkStep, Selection};

/// A running or finished batch: how far it got and what failed, with PostHog's reason.
#[derive(Clone, Default)]
struct Run {
    verb: &'static str,
    done: usize,
    total: usize,
    failures: Vec<(String, String)>,
}

/// Sends each step's body (or its undo); answers the steps that succeeded and the failures.
async fn send(
    client: &ApiClient,
    project_id: i64,
    steps: Vec<BulkStep>,
    undo: bool,
    tick: impl Fn(),
) -> (Vec<BulkStep>, Vec<(i64, String, String)>) {
    let (mut ok, mut failed) = (Vec::new(), Vec::new());
    for step in steps {
        let body = if undo { &step.undo } else { &step.body };
        match client.update_dashboard(project_id, step.id, body).await {
            Ok(_) => ok.push(step),
            Err(e) => failed.push((step.id, step.name, e.user_message())),
        }
        tick();
    }
    (ok, failed)
}

crate::lazy_view! {
    /// The bulk bar, loaded with the first selection in the release build.
    pub fn bulk_bar[dialogs](project_id: i64, selection: RwSignal<Selection>, dashboards: Signal<Vec<Dashboard>>) {
        view! { <BulkBar project_id=project_id selection=selection dashboards=dashboards /> }
    }
}

/// The bar above the list while rows are selected or a batch is running or has failed.
#[component]
pub fn BulkBar(
    project_id: i64,
    selection: RwSignal<Selection>,
    #[prop(into)] dashboards: Signal<Vec<Dashboard>>,
) -> impl IntoView {
    let client = StoredValue::new_local(expect_context::<ApiClient>());
    let toasts = Toasts::use_context();
    let run = RwSignal::new(None::<Run>);
    let tag = RwSignal::new(String::new());
    let running = move || run.with(|r| r.as_ref().is_some_and(|r| r.done < r.total));
    let start = move |action: BulkAction| {
        let targets = dashboards.get_untracked();
        let targets: Vec<&Dashboard> =
            selection.with_untracked(|s| targets.iter().filter(|d| s.contains(d.id)).collect());
        let steps = action.steps(&targets);
        let total = steps.len();
        if total == 0 {
            selection.set(Selection::default());
            return toasts.show(
                "Nothing to change: every selected dashboard already is so.",
                None,
            );
        }
        run.set(Some(Run {
            verb: action.verb(),
            total,
            ..Run::default()
        }));
        let client = client.get_value();
        spawn_local(async move {
            let tick = || {
                run.try_update(|r| r.as_mut().map(|r| r.done += 1));
            };
            let (ok, failed) = send(&client, project_id, steps, false, tick).await;
            let failed_ids: Vec<i64> = failed.iter().map(|f| f.0).collect();
            selection.try_update(|s| s.keep(&failed_ids));
            toasts.changed.try_update(|n| *n += 1);
            if !ok.is_empty() {
                let undo = Rc::new(move || {
                    let (client, ok) = (client.clone(), ok.clone());
                    spawn_local(async move {
                        let (_, failed) = send(&client, project_id, ok, true, || ()).await;
                        toasts.changed.try_update(|n| *n += 1);
                        let message = match failed.len() {
                            0 => "Undone.".to_string(),
                            n => format!("Could not undo {n}: {}", failed[0].2),
                        };
                        toasts.show(message, None);
                    });
                });
                toasts.show(action.done_message(total - failed.len(), total), Some(undo));
            }
            let failures: Vec<(String, String)> = failed
                .into_iter()
                .map(|(_, name, why)| (name, why))
                .collect();
            run.try_set((!failures.is_empty()).then(|| Run {
                verb: action.verb(),
                done: total,
                total,
                failures,
            }));
        });
    };
    let count = move || selection.with(|s| s.ids().len());
    let add_tag = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !tag.with_untracked(|t| t.trim().is_empty()) {
            start(BulkAction::AddTag(tag.get_untracked()));
        }
    };
    view! {
        <Show when=move || { count() > 0 || run.with(Option::is_some) }>
            <section class="bulk-bar" aria-label="Bulk actions">
                <span>{move || format!("{} selected", count())}</span>
                {[("Pin selected", BulkAction::Pin), ("Unpin selected", BulkAction::Unpin), ("Delete selected", BulkAction::Delete)]
                    .map(|(label, action)| view! { <button type="button" disabled=running on:click=move |_| start(action.clone())>{label}</button> })}
                <form class="inline-form" on:submit=add_tag>
                    <input type="text" aria-label="Tag for selected" placeholder="Tag" prop:value=move || tag.get()
                        on:input=move |ev| tag.set(event_target_value(&ev)) />
                    <button type="submit" disabled=running>"Add tag to selected"</button>
                </form>
                <button type="button" class="secondary" on:click=move |_| { selection.set(Selection::default()); run.set(None) }>"Clear selection"</button>
                {move || run.get().map(|r| view! {
                    {(r.done < r.total).then(|| view! {
                        <progress max=r.total value=r.done aria-label="Bulk progress"></progress>
                        <span role="status">{format!("{} {} of {}…", r.verb, r.done, r.total)}</span>
                    })}
                    {(!r.failures.is_empty()).then(|| view! {
                        <div role="alert">
                            <p>{format!("{} of {} failed and stay selected:", r.failures.len(), r.total)}</p>
                            <ul>{r.failures.into_iter().map(|(name, why)| view! { <li>{name}": "{why}</li> }).collect_view()}</ul>
                        </div>
                    })}
                })}
            </section>
        </Show>
    }
}
