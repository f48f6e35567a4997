//! The dashboards list's dialogs: "New dashboard" (`?new=1`) and "Import template JSON"
//! (`?import=1`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::models::Dashboard;
use crate::api::{ApiClient, ApiError};
use crate::components::dialog::{may_discard, Modal};
use crate::components::error_message::{
    described_by, field_problem, invalid, ErrorMessage, FieldError,
};
use crate::components::import_run::{ImportRun, ImportState};
use crate::components::toast::Toasts;
use crate::logic::edit::{self, Start, RESTRICTION_LEVELS, TEMPLATES};
use crate::logic::route::Route;
use crate::logic::template;
use crate::router::{use_location, Location};

/// Where a created dashboard is announced; captured before the request (no context after).
#[derive(Clone, Copy)]
struct Done {
    project_id: i64,
    toasts: Toasts,
    location: Location,
    on_close: Callback<()>,
}

impl Done {
    fn new(project_id: i64, on_close: Callback<()>) -> Self {
        let (toasts, location) = (Toasts::use_context(), use_location());
        Self {
            project_id,
            toasts,
            location,
            on_close,
        }
    }

    /// Tells the list a dashboard now exists, and opens it when asked.
    fn created(&self, dashboard: &Dashboard, open: bool) {
        let Self {
            project_id,
            toasts,
            location,
            on_close,
        } = *self;
        let name = dashboard.name.clone().unwrap_or_default();
        toasts.show(format!("Created “{name}”."), None);
        if open {
            location.navigate(&Route::dashboard_path(project_id, dashboard.id), false);
        } else {
            // Only when staying: a list refetch racing the page change would outlive the list.
            toasts.changed.update(|n| *n += 1);
            on_close.run(());
        }
    }
}

/// The create body's fields the New dashboard dialog shows PostHog's 400s beside.
const NEW_FIELDS: [&str; 5] = [
    "name",
    "description",
    "restriction_level",
    "use_template",
    "use_dashboard",
];

crate::lazy_view! {
    /// The New dashboard dialog, loaded on first use in the release build.
    pub fn new_dashboard_dialog[dialogs](project_id: i64, sources: Signal<Vec<(i64, String)>>, on_close: Callback<()>) {
        view! { <NewDashboardDialog project_id=project_id sources=sources on_close=on_close /> }
    }
}

crate::lazy_view! {
    /// The Import template JSON dialog, loaded on first use in the release build.
    pub fn import_dialog[dialogs](project_id: i64, on_close: Callback<()>) {
        view! { <ImportDialog project_id=project_id on_close=on_close /> }
    }
}

/// Name, description, restriction level and start; Create or Create and open.
#[component]
pub fn NewDashboardDialog(
    project_id: i64,
    #[prop(into)] sources: Signal<Vec<(i64, String)>>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let level = RwSignal::new(21_i64);
    let start = RwSignal::new("blank".to_string());
    // 0 = the first offered (the list may still be loading when the URL opens the dialog).
    let source = RwSignal::new(0_i64);
    let copy_tiles = RwSignal::new(true);
    let problem = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let done = Done::new(project_id, on_close);
    let submit = Callback::new(move |open: bool| {
        let checked = match edit::check_name(&name.get_untracked()) {
            Ok(n) => n,
            Err(message) => return problem.set(Some(message)),
        };
        let how = match start.get_untracked().as_str() {
            "blank" => Start::Blank,
            "duplicate" => Start::Duplicate {
                dashboard_id: match source.get_untracked() {
                    0 => sources.with_untracked(|s| s.first().map(|s| s.0).unwrap_or_default()),
                    id => id,
                },
                tiles: copy_tiles.get_untracked(),
            },
            key => Start::Template(key.to_string()),
        };
        let body = edit::create_body(
            &checked,
            &description.get_untracked(),
            level.get_untracked(),
            &how,
        );
        let client = client.clone();
        problem.set(None);
        failed.set(None);
        busy.set(true);
        spawn_local(async move {
            match client.create_dashboard(project_id, &body).await {
                Ok(dashboard) => done.created(&dashboard, open),
                Err(error) => {
                    busy.try_set(false);
                    failed.try_set(Some(error));
                }
            }
        });
    });
    let close = move |_: ()| {
        if may_discard(!name.read_untracked().is_empty()) {
            on_close.run(())
        }
    };
    let server_name = field_problem(failed, "name");
    let name_error = Signal::derive(move || problem.get().or_else(|| server_name.get()));
    let description_error = field_problem(failed, "description");
    let level_error = field_problem(failed, "restriction_level");
    let template_error = field_problem(failed, "use_template");
    let source_error = field_problem(failed, "use_dashboard");
    view! {
        <Modal title="New dashboard" id="new-dashboard-title" on_close=close close_label="Cancel">
            <form class="form" on:submit=move |ev| { ev.prevent_default(); submit.run(false) }>
                <label>"Name"
                    <input type="text" aria-required="true" prop:value=move || name.get()
                        aria-invalid=invalid(name_error) aria-describedby=described_by(name_error, "new-name-error")
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <FieldError id="new-name-error" message=name_error />
                <label>"Description"
                    <textarea prop:value=move || description.get()
                        aria-invalid=invalid(description_error) aria-describedby=described_by(description_error, "new-description-error")
                        on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </label>
                <FieldError id="new-description-error" message=description_error />
                <label>"Restriction level"
                    <select aria-label="Restriction level" on:change=move |ev| level.set(event_target_value(&ev).parse().unwrap_or(21))
                        aria-invalid=invalid(level_error) aria-describedby=described_by(level_error, "new-level-error")>
                        {RESTRICTION_LEVELS.map(|(l, label)| view! { <option value=l.to_string()>{label}</option> })}
                    </select>
                </label>
                <FieldError id="new-level-error" message=level_error />
                <label>"Start from"
                    <select aria-label="Start from" on:change=move |ev| start.set(event_target_value(&ev))
                        aria-invalid=invalid(template_error) aria-describedby=described_by(template_error, "new-template-error")>
                        <option value="blank">"Blank dashboard"</option>
                        {TEMPLATES.map(|(key, label)| view! { <option value=key>{label}</option> })}
                        <option value="duplicate">"Duplicate a dashboard"</option>
                    </select>
                </label>
                <FieldError id="new-template-error" message=template_error />
                <Show when=move || start.get() == "duplicate">
                    <label>"Dashboard to duplicate"
                        <select aria-label="Dashboard to duplicate" on:change=move |ev| source.set(event_target_value(&ev).parse().unwrap_or_default())
                            aria-invalid=invalid(source_error) aria-describedby=described_by(source_error, "new-source-error")>
                            {move || sources.get().into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </label>
                    <FieldError id="new-source-error" message=source_error />
                    <label class="check">
                        <input type="checkbox" prop:checked=move || copy_tiles.get()
                            on:change=move |ev| copy_tiles.set(event_target_checked(&ev)) />
                        "Duplicate this dashboard's tiles"
                    </label>
                </Show>
                {move || failed.get().filter(|e| !e.names_field(&NEW_FIELDS)).map(|e| view! { <ErrorMessage error=e /> })}
                <div class="actions">
                    <button type="submit" disabled=move || busy.get()>"Create"</button>
                    <button type="button" disabled=move || busy.get() on:click=move |_| submit.run(true)>"Create and open"</button>
                </div>
            </form>
        </Modal>
    }
}

/// Paste or upload a PostHog template; checked here, then sent, rebuilt step by step when
/// PostHog refuses the key.
#[component]
pub fn ImportDialog(project_id: i64, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let (location, toasts) = (use_location(), Toasts::use_context());
    let run = ImportRun::new(move |id, rebuilt| {
        if !rebuilt {
            toasts.show("Created the dashboard.", None);
        }
        location.navigate(&Route::dashboard_path(project_id, id), false);
    });
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match template::parse(&text.get_untracked()) {
            Ok(template) => {
                problem.set(None);
                run.start(client.clone(), project_id, template);
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let upload = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        spawn_local(async move {
            if let Ok(value) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                text.try_set(value.as_string().unwrap_or_default());
            }
        });
    };
    let close = move |_: ()| {
        if may_discard(!text.read_untracked().is_empty()) {
            on_close.run(())
        }
    };
    view! {
        <Modal title="Import template JSON" id="import-template-json-title" on_close=close close_label="Cancel">
            <form class="form" on:submit=import>
                <label>"Template JSON"
                    <textarea rows="10" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
                <label>"Upload template file"
                    <input type="file" accept="application/json,.json" on:change=upload />
                </label>
                {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                <ImportState run=run />
                <div class="actions">
                    <button type="submit" disabled=move || run.busy.get()>"Import"</button>
                </div>
            </form>
        </Modal>
    }
}
