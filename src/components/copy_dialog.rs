//! "Copy to project…" (`?dialog=copy`): the open dashboard exported as a template and
//! imported, in one step, into another project of this PostHog or of another instance.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::models::Project;
use crate::api::{ApiClient, ApiError};
use crate::components::connect_form::check_key;
use crate::components::dialog::Modal;
use crate::components::error_message::ErrorMessage;
use crate::components::import_run::{ImportRun, ImportState};
use crate::logic::copy::{csp_allows, csp_refusal, posthog_dashboard_url};
use crate::logic::route::Route;
use crate::logic::template;
use crate::logic::validation::parse_api_key;

/// The projects a destination offers.
#[derive(Clone)]
enum Projects {
    Idle,
    Loading,
    Failed(ApiError),
    Ready(Vec<Project>),
}

/// Where the copy goes: `None` is this PostHog, `Some` another instance's client (its key
/// lives only here and only goes to its host).
type Destination = Option<ApiClient>;

crate::lazy_view! {
    /// The Copy dialog, loaded on first use in the release build.
    pub fn copy_dialog[dialogs](project_id: i64, dashboard_id: i64, on_close: Callback<()>) {
        view! { <CopyDialog project_id=project_id dashboard_id=dashboard_id on_close=on_close /> }
    }
}

/// The dialog; `project_id`/`dashboard_id` name the dashboard being copied.
#[component]
pub fn CopyDialog(
    project_id: i64,
    dashboard_id: i64,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let here = StoredValue::new(expect_context::<ApiClient>());
    let elsewhere = RwSignal::new(false);
    let host = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let host_error = RwSignal::new(None::<String>);
    let key_error = RwSignal::new(None::<String>);
    let other = StoredValue::new(None::<ApiClient>);
    let projects = RwSignal::new(Projects::Idle);
    let target = RwSignal::new(None::<i64>);
    let read_error = RwSignal::new(None::<ApiError>);
    // The copy's link: (href, on another host).
    let copied = RwSignal::new(None::<(String, bool)>);
    let sent_to = StoredValue::new((None::<String>, 0_i64));

    // Only the latest list may land (switching destinations quickly must not mix them up).
    let latest = StoredValue::new(0_u32);
    let list = move |client: ApiClient, skip: Option<i64>| {
        projects.set(Projects::Loading);
        target.set(None);
        latest.update_value(|n| *n += 1);
        let mine = latest.get_value();
        spawn_local(async move {
            let answer = check_key(&client).await;
            if latest.try_get_value() != Some(mine) {
                return;
            }
            let state = match answer {
                Ok((_, list)) => {
                    let other_project = list.iter().find(|p| Some(p.id) != skip).map(|p| p.id);
                    target.try_set(other_project.or(list.first().map(|p| p.id)));
                    Projects::Ready(list)
                }
                Err(error) => Projects::Failed(error),
            };
            projects.try_set(state);
        });
    };
    list(here.get_value(), Some(project_id));
    // A host or key edited after connecting needs connecting again.
    let forget_other = move || {
        other.set_value(None);
        latest.update_value(|n| *n += 1);
        projects.set(Projects::Idle);
        target.set(None);
    };
    let choose = move |on_other: bool| {
        elsewhere.set(on_other);
        copied.set(None);
        match (on_other, other.get_value()) {
            (false, _) => list(here.get_value(), Some(project_id)),
            (true, Some(client)) => list(client, None),
            (true, None) => forget_other(),
        }
    };
    let app_config = use_context::<StoredValue<crate::state::config::AppConfig>>();
    let connect = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed_key = parse_api_key(&key.get_untracked());
        let allowed = app_config.map(|c| c.get_value()).unwrap_or_default();
        let parsed_host = allowed
            .parse_allowed_host(&host.get_untracked())
            .and_then(|h| {
                let policy = page_policy();
                match csp_allows(&policy, &window().origin(), &h) {
                    true => Ok(h),
                    false => Err(csp_refusal(&h, &policy)),
                }
            });
        host_error.set(parsed_host.clone().err());
        key_error.set(parsed_key.clone().err());
        if let (Ok(h), Ok(k)) = (parsed_host, parsed_key) {
            let client = ApiClient::new(h, k);
            other.set_value(Some(client.clone()));
            list(client, None);
        }
    };

    let run = ImportRun::new(move |id, _| {
        let (other_host, project) = sent_to.get_value();
        copied.set(Some(match other_host {
            Some(host) => (posthog_dashboard_url(&host, project, id), true),
            None => (
                crate::router::href(&Route::dashboard_path(project, id)),
                false,
            ),
        }));
    });
    let copy = move || {
        let Some(project) = target.get_untracked() else {
            return;
        };
        let destination: Destination = elsewhere
            .get_untracked()
            .then(|| other.get_value())
            .flatten();
        let client = destination.clone().unwrap_or_else(|| here.get_value());
        sent_to.set_value((destination.map(|c| c.host().to_string()), project));
        read_error.set(None);
        copied.set(None);
        run.busy.set(true);
        let here = here.get_value();
        spawn_local(async move {
            // Step 1 is the export: the dashboard as saved now, tiles included.
            match here.dashboard(project_id, dashboard_id, None).await {
                Ok(dashboard) => run.start(client, project, template::export(&dashboard)),
                Err(error) => {
                    run.busy.try_set(false);
                    read_error.try_set(Some(error));
                }
            }
        });
    };

    view! {
        <Modal title="Copy to project" id="copy-title" on_close=on_close>
            <p>"Copies this dashboard — its tiles, layouts, colours and text — into another project as a new dashboard."</p>
            <fieldset>
                <legend>"Copy to"</legend>
                <label class="check">
                    <input type="radio" name="copy-to" prop:checked=move || !elsewhere.get() on:change=move |_| choose(false) />
                    "A project on this PostHog"
                </label>
                <label class="check">
                    <input type="radio" name="copy-to" prop:checked=move || elsewhere.get() on:change=move |_| choose(true) />
                    "A project on another PostHog instance"
                </label>
            </fieldset>
            <Show when=move || elsewhere.get()>
                <form class="form" on:submit=connect novalidate>
                    <label>"PostHog host"
                        <input type="text" inputmode="url" placeholder="https://eu.posthog.com" prop:value=move || host.get()
                            on:input=move |ev| { host.set(event_target_value(&ev)); forget_other() }
                            aria-invalid=move || host_error.get().map(|_| "true")
                            aria-describedby=move || host_error.get().map(|_| "copy-host-error") />
                    </label>
                    {move || host_error.get().map(|e| view! { <p id="copy-host-error" class="field-error" role="alert">{e}</p> })}
                    <label>"Personal API key"
                        <input type="password" autocomplete="off" spellcheck="false" prop:value=move || key.get()
                            on:input=move |ev| { key.set(event_target_value(&ev)); forget_other() }
                            aria-invalid=move || key_error.get().map(|_| "true")
                            aria-describedby=move || key_error.get().map(|_| "copy-key-error") />
                    </label>
                    {move || key_error.get().map(|e| view! { <p id="copy-key-error" class="field-error" role="alert">{e}</p> })}
                    <p class="hint">"This key stays in this dialog (never stored) and is sent only to that host."</p>
                    <button type="submit" class="secondary">"Connect to that instance"</button>
                </form>
            </Show>
            {move || match projects.get() {
                Projects::Idle => ().into_any(),
                Projects::Loading => view! { <p class="status" role="status" aria-busy="true">"Loading projects…"</p> }.into_any(),
                // A plain sentence: ErrorMessage's way out (the connect screen) is for this app's own key.
                Projects::Failed(error) => view! { <p class="error-message" role="alert">{error.user_message()}</p> }.into_any(),
                Projects::Ready(list) => view! {
                    <label for="copy-project">"Project"</label>
                    <select id="copy-project" on:change=move |ev| target.set(event_target_value(&ev).parse().ok())>
                            {list.into_iter().map(|p| {
                                let id = p.id;
                                let name = if p.name.is_empty() { format!("Project {id}") } else { p.name };
                                view! { <option value=id.to_string() prop:selected=move || target.get() == Some(id)>{name}</option> }
                            }).collect_view()}
                    </select>
                }.into_any(),
            }}
            {move || read_error.get().map(|error| view! {
                <p role="alert">"Reading the dashboard to copy failed; nothing was created."</p>
                <ErrorMessage error=error />
            })}
            <ImportState run=run />
            {move || copied.get().map(|(href, external)| view! {
                <p role="status">"The copy is ready."</p>
                {if external {
                    view! { <p>"It opens on the other instance: "<a href=href.clone() target="_blank" rel="noopener noreferrer">{href.clone()}</a></p> }.into_any()
                } else {
                    view! { <a class="button" href=href>"Open the copy"</a> }.into_any()
                }}
            })}
            <div class="actions">
                <button type="button" disabled=move || run.busy.get() || target.get().is_none()
                    on:click=move |_| copy()>"Copy"</button>
            </div>
        </Modal>
    }
}

/// The page's Content-Security-Policy (index.html's meta tag), empty when there is none.
fn page_policy() -> String {
    document()
        .query_selector("meta[http-equiv='Content-Security-Policy']")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default()
}
