//! A dashboard's header with its lifecycle controls: inline rename, description, pin, tags,
//! restriction level, export, copy to another project and delete. Every change shows at once, rolls back with
//! PostHog's message when the PATCH fails, and is offered as Undo.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use crate::api::models::Dashboard;
use crate::api::{ApiClient, ApiError};
use crate::components::copy_dialog::copy_dialog;
use crate::components::dialog::Modal;
use crate::components::error_message::{
    described_by, field_problem, invalid, ErrorMessage, FieldError,
};
use crate::components::lazy::lazy;
use crate::components::sharing_dialog::IsShared;
use crate::components::tag_list::TagList;
use crate::components::toast::Toasts;
use crate::logic::copy::COPY;
use crate::logic::edit::{self, Edit, RESTRICTION_LEVELS};
use crate::logic::list_query::{encode_component, ServerListParams};
use crate::logic::route::Route;
use crate::logic::sharing::dialog_of;
use crate::logic::template;
use crate::router::use_location;

/// Why a read-only user sees no edit controls.
pub const LOCK_NOTE: &str =
    "You can view this dashboard but not change it: only those invited to it can edit.";

/// Everything a change needs after the view that made it is gone (Undo runs later).
#[derive(Clone)]
struct Editor {
    client: ApiClient,
    project_id: i64,
    current: RwSignal<Dashboard>,
    error: RwSignal<Option<ApiError>>,
    toasts: Toasts,
}

impl Editor {
    /// Applies `edit` now, PATCHes it, and on failure restores the screen and reopens `form`.
    fn save(&self, edit: Edit, form: Option<RwSignal<bool>>) {
        let Some(before) = self.current.try_get_untracked() else {
            return;
        };
        let undo = edit.inverse(&before);
        self.current.update(|d| edit.apply(d));
        self.error.set(None);
        let editor = self.clone();
        spawn_local(async move {
            let body = edit.body();
            match editor
                .client
                .update_dashboard(editor.project_id, before.id, &body)
                .await
            {
                Ok(_) => {
                    let again = editor.clone();
                    let undo: Rc<dyn Fn()> = Rc::new(move || again.save(undo.clone(), None));
                    editor.toasts.show(edit.done_message(), Some(undo));
                }
                Err(error) => {
                    editor.current.try_update(|d| undo.apply(d));
                    editor.error.try_set(Some(error));
                    form.map(|open| open.try_set(true));
                }
            }
        });
    }
}

/// The dashboard as the page header shows it, provided by the page so that a change made
/// elsewhere (the Collaborators panel's restriction level) shows in the header at once. The
/// dashboard page keeps only its details here: its tiles are the board's.
#[derive(Clone, Copy)]
pub struct ShownDashboard(pub RwSignal<Dashboard>);

impl ShownDashboard {
    /// The page's copy when there is one (else a copy of `dashboard` of one's own).
    pub fn use_or(dashboard: Dashboard) -> RwSignal<Dashboard> {
        match use_context::<ShownDashboard>() {
            Some(ShownDashboard(shown)) => shown,
            None => RwSignal::new(dashboard),
        }
    }
}

/// The header of a loaded dashboard; "Export template JSON" writes the tiles of `tiles_of`, where
/// the page keeps them apart (its board's saved dashboard), else the dashboard's own.
#[component]
pub fn DashboardHeader(
    dashboard: Dashboard,
    project_id: i64,
    #[prop(optional)] tiles_of: Option<RwSignal<Dashboard>>,
) -> impl IntoView {
    let can_edit = dashboard.can_edit();
    let current = ShownDashboard::use_or(dashboard);
    let editor = Editor {
        client: expect_context::<ApiClient>(),
        project_id,
        current,
        error: RwSignal::new(None),
        toasts: Toasts::use_context(),
    };
    let current = editor.current;
    let name = move || current.read().name.clone().filter(|n| !n.trim().is_empty());
    let deleting = RwSignal::new(false);
    let export = move |_| {
        let mut dashboard = current.get_untracked();
        if let Some(saved) = tiles_of {
            dashboard.tiles = saved.with_untracked(|d| d.tiles.clone());
        }
        let json = template::export(&dashboard).to_string();
        download(&template::file_name(&dashboard), &json);
    };
    let error = editor.error;
    let location = use_location();
    let copying = Memo::new(move |_| location.search.with(|s| dialog_of(s) == Some(COPY)));
    let path = location.path.get_untracked();
    let close_copy =
        Callback::new(move |_| location.navigate(&location.path.get_untracked(), true));
    let dashboard_id = current.read_untracked().id;
    view! {
        <header class="dashboard-header">
            <h1 class:untitled=move || name().is_none()>{move || name().unwrap_or_else(|| "Untitled".into())}</h1>
            <div class="badges">
                {move || current.read().pinned.then(|| view! { <span class="badge">"Pinned"</span> })}
                {move || use_context::<IsShared>().map_or(current.read().is_shared, |s| s.0.get()).then(|| view! { <span class="badge badge-shared">"Shared"</span> })}
                {(!can_edit).then(|| view! { <span class="badge badge-lock">"Read-only"</span> })}
            </div>
            {move || {
                let description = current.read().description.clone();
                (!description.trim().is_empty()).then(|| view! { <p class="description">{description}</p> })
            }}
            {move || (!can_edit).then(|| view! { <TagList tags=current.read().tags.clone() /> })}
            {if can_edit {
                edit_controls(editor.clone(), deleting).into_any()
            } else {
                view! { <p class="lock-note">{LOCK_NOTE}</p> }.into_any()
            }}
            <div class="actions">
                <button type="button" class="secondary" on:click=export>"Export template JSON"</button>
                <a class="button secondary" href=crate::router::href(&format!("{path}?dialog={COPY}"))>"Copy to project…"</a>
            </div>
            {move || error.get().filter(|e| !e.names_field(&["name", "description"])).map(|e| view! { <ErrorMessage error=e /> })}
        </header>
        {move || deleting.get().then(|| view! {
            <DeleteDialog editor=editor.clone() open=deleting />
        })}
        {move || copying.get().then(|| view! {
            {lazy("the Copy dialog", move || copy_dialog(project_id, dashboard_id, close_copy))}
        })}
    }
}

fn edit_controls(editor: Editor, deleting: RwSignal<bool>) -> impl IntoView {
    let current = editor.current;
    let (e1, e2, e3, e4) = (
        editor.clone(),
        editor.clone(),
        editor.clone(),
        editor.clone(),
    );
    let renaming = RwSignal::new(false);
    let describing = RwSignal::new(false);
    let pin = move |_| {
        let pinned = current.read_untracked().pinned;
        e3.save(Edit::Pinned(!pinned), None)
    };
    view! {
        <div class="actions">
            <InlineText label="Name" field="name" error=editor.error open=renaming
                value=Signal::derive(move || current.read().name.clone().unwrap_or_default())
                check=|text: &str| edit::check_name(text)
                on_save=move |text: String| e1.save(Edit::Name(text), Some(renaming)) />
            <InlineText label="Description" field="description" error=editor.error open=describing
                value=Signal::derive(move || current.read().description.clone())
                check=|text: &str| Ok(text.trim().to_string())
                on_save=move |text: String| e2.save(Edit::Description(text), Some(describing)) />
            <button type="button" class="secondary" on:click=pin
                aria-pressed=move || current.read().pinned.to_string()>
                {move || if current.read().pinned { "Unpin" } else { "Pin" }}
            </button>
            <label>
                "Restriction level"
                <select aria-label="Restriction level" prop:value=move || current.read().restriction_level.to_string()
                    on:change=move |ev| {
                        let level = event_target_value(&ev).parse().unwrap_or(21);
                        e4.save(Edit::RestrictionLevel(level), None)
                    }>
                    {RESTRICTION_LEVELS.map(|(level, label)| view! { <option value=level.to_string()>{label}</option> })}
                </select>
            </label>
            <button type="button" class="secondary danger" on:click=move |_| deleting.set(true)>
                "Delete dashboard"
            </button>
        </div>
        <TagEditor editor=editor />
    }
}

/// A value shown with an "Edit …" button that turns into a field with Save and Cancel. The
/// typed text survives a failed save (`open` is set again and the draft is kept).
#[component]
fn InlineText(
    label: &'static str,
    field: &'static str,
    error: RwSignal<Option<ApiError>>,
    open: RwSignal<bool>,
    #[prop(into)] value: Signal<String>,
    check: fn(&str) -> Result<String, String>,
    #[prop(into)] on_save: Callback<String>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let server = field_problem(error, field);
    let message = Signal::derive(move || problem.get().or_else(|| server.get()));
    let error_id = if field == "name" {
        "name-error"
    } else {
        "description-error"
    };
    let edit = move |_| {
        draft.set(value.get_untracked());
        problem.set(None);
        open.set(true);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check(&draft.get_untracked()) {
            Ok(text) => {
                open.set(false);
                on_save.run(text);
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    view! {
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="secondary" on:click=edit>{format!("Edit {}", label.to_lowercase())}</button>
        }>
            <form class="inline-edit" on:submit=save>
                <label>{label}
                    <input type="text" prop:value=move || draft.get()
                        aria-invalid=invalid(message) aria-describedby=described_by(message, error_id)
                        on:input=move |ev| draft.set(event_target_value(&ev)) />
                </label>
                <FieldError id=error_id message=message />
                <button type="submit">"Save"</button>
                <button type="button" class="secondary" on:click=move |_| open.set(false)>"Cancel"</button>
            </form>
        </Show>
    }
}

/// Tags with remove buttons and an input suggesting the project's other tags.
#[component]
fn TagEditor(editor: Editor) -> impl IntoView {
    let current = editor.current;
    let client = editor.client.clone();
    let project_id = editor.project_id;
    // The project's tags are fetched when the tag field is first focused, not on every dashboard
    // open: one request per dashboard open.
    let wanted = RwSignal::new(false);
    let known = LocalResource::new(move || {
        let (client, load) = (client.clone(), wanted.get());
        let params = ServerListParams {
            search: String::new(),
            tags: Vec::new(),
            limit: 500,
            offset: 0,
        };
        async move {
            match load {
                true => client.dashboards(project_id, &params, None).await.ok(),
                false => None,
            }
        }
    });
    let suggestions = move || match known.get() {
        Some(Some(page)) => edit::tag_suggestions(&page.results, &current.read().tags),
        _ => Vec::new(),
    };
    let draft = RwSignal::new(String::new());
    let (e1, e2) = (editor.clone(), editor);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tags = edit::with_tag(&current.read_untracked().tags, &draft.get_untracked());
        if tags != current.read_untracked().tags {
            draft.set(String::new());
            e1.save(Edit::Tags(tags), None);
        }
    };
    view! {
        <ul class="tags" aria-label="Tags">
            {move || current.read().tags.iter().map(|tag| {
                let (tag, e2) = (tag.clone(), e2.clone());
                let label = format!("Remove tag {tag}");
                view! {
                    <li class="tag">{tag.clone()}
                        <button type="button" class="tag-remove" aria-label=label on:click=move |_| {
                            let tags = current.read_untracked().tags.iter().filter(|t| **t != tag).cloned().collect();
                            e2.save(Edit::Tags(tags), None)
                        }>"×"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <form class="inline-edit" on:submit=add>
            <input type="text" aria-label="New tag" list="tag-suggestions" prop:value=move || draft.get()
                on:focus=move |_| wanted.set(true)
                on:input=move |ev| draft.set(event_target_value(&ev)) />
            <datalist id="tag-suggestions">
                {move || suggestions().into_iter().map(|t| view! { <option value=t /> }).collect_view()}
            </datalist>
            <button type="submit" class="secondary">"Add tag"</button>
        </form>
    }
}

/// Confirms a soft delete by name, optionally with the insights only this dashboard uses.
#[component]
fn DeleteDialog(editor: Editor, open: RwSignal<bool>) -> impl IntoView {
    let dashboard = editor.current.get_untracked();
    let name = dashboard.name.clone().unwrap_or_default();
    let typed = RwSignal::new(String::new());
    let with_insights = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);
    let location = use_location();
    let matches = {
        let name = name.clone();
        move || typed.read().trim() == name.trim()
    };
    let delete = move |_| {
        busy.set(true);
        let (editor, name) = (editor.clone(), name.clone());
        spawn_local(async move {
            let body = json!({ "deleted": true, "delete_insights": with_insights.get_untracked() });
            let (client, project_id) = (editor.client.clone(), editor.project_id);
            match client
                .update_dashboard(project_id, dashboard.id, &body)
                .await
            {
                Ok(_) => {
                    let toasts = editor.toasts;
                    let undo: Rc<dyn Fn()> = Rc::new(move || {
                        let client = client.clone();
                        spawn_local(async move {
                            let body = json!({ "deleted": false });
                            match client
                                .update_dashboard(project_id, dashboard.id, &body)
                                .await
                            {
                                Ok(_) => toasts.show("Dashboard restored.", None),
                                Err(e) => toasts.show(e.user_message(), None),
                            }
                            toasts.changed.update(|n| *n += 1);
                        });
                    });
                    toasts.show(format!("Deleted “{name}”."), Some(undo));
                    location.navigate(&Route::dashboards_path(project_id), false);
                }
                Err(error) => {
                    busy.try_set(false);
                    failed.try_set(Some(error));
                }
            }
        });
    };
    view! {
        <Modal title="Delete dashboard" id="delete-dashboard-title" on_close=move |_| open.set(false) close_label="Cancel">
            <p>"The dashboard leaves the list; Undo or PostHog can restore it with its tiles."</p>
            <label class="check">
                <input type="checkbox" prop:checked=move || with_insights.get()
                    on:change=move |ev| with_insights.set(event_target_checked(&ev)) />
                "Also delete insights that are only on this dashboard"
            </label>
            <label>"Type the dashboard name to confirm"
                <input type="text" autofocus prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            {move || failed.get().map(|e| view! { <ErrorMessage error=e /> })}
            <div class="actions">
                <button type="button" class="danger" disabled=move || !matches() || busy.get() on:click=delete>"Delete"</button>
            </div>
        </Modal>
    }
}

/// Saves `text` as a file the browser downloads.
fn download(file_name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let Ok(anchor) = document().create_element("a") else {
        return;
    };
    let href = format!(
        "data:application/json;charset=utf-8,{}",
        encode_component(text)
    );
    let _ = anchor.set_attribute("href", &href);
    let _ = anchor.set_attribute("download", file_name);
    anchor.unchecked_into::<web_sys::HtmlElement>().click();
}
