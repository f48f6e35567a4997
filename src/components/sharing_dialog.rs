//! The dashboard's "Share" and "Collaborators" entries (`?dialog=sharing|collaborators`) and
//! the share dialog: public switch, link, embed code, options, rotation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use wasm_bindgen::prelude::*;

use crate::api::models::Dashboard;
use crate::api::sharing::SharingConfig;
use crate::api::{ApiClient, ApiError};
use crate::components::collaborators::CollaboratorsPanel;
use crate::components::dialog::Modal;
use crate::components::lazy::lazy;
use crate::logic::sharing::{self as rules, ShareOptions, COLLABORATORS, SHARING};
use crate::router::use_location;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    fn write_text(text: &str) -> Result<js_sys::Promise, JsValue>;
}

/// Whether the dashboard is shared publicly; the header's badge follows it.
#[derive(Clone, Copy)]
pub struct IsShared(pub RwSignal<bool>);

/// Links to the two panels and the panel the URL asks for. The Collaborators panel works on the
/// page's copy of the dashboard (`ShownDashboard`, provided by the dashboard view).
#[component]
pub fn SharingBar(project_id: i64, dashboard: RwSignal<Dashboard>) -> impl IntoView {
    let location = use_location();
    let open = Memo::new(move |_| {
        location
            .search
            .with(|s| rules::dialog_of(s).map(str::to_owned))
    });
    let path = location.path.get_untracked();
    let close = Callback::new(move |_| location.navigate(&location.path.get_untracked(), true));
    let (id, can_edit) = dashboard.with_untracked(|d| (d.id, d.can_edit()));
    view! {
        <nav class="actions" aria-label="Sharing and access">
            <a class="button secondary" href=crate::router::href(&format!("{path}?dialog={SHARING}"))>"Share"</a>
            <a class="button secondary" href=crate::router::href(&format!("{path}?dialog={COLLABORATORS}"))>"Collaborators"</a>
        </nav>
        {move || match open.get().as_deref() {
            Some(SHARING) => {
                lazy("the Share dialog", move || sharing_dialog(project_id, id, can_edit, close))
            }
            Some(COLLABORATORS) => {
                lazy("the Collaborators panel", move || collaborators_panel(project_id, dashboard.get_untracked(), close))
            }
            _ => ().into_any(),
        }}
    }
}

/// Read-only text with a copy button: "Copied", or, where the clipboard is refused, the text
/// selected for a manual copy.
#[component]
pub fn CopyField(
    label: &'static str,
    button: &'static str,
    #[prop(into)] text: Signal<String>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Textarea>::new();
    let status = RwSignal::new("");
    let copy = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            let copied = match write_text(&value) {
                Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
                Err(_) => false,
            };
            if copied {
                status.try_set("Copied");
            } else if let Some(field) = node.get_untracked() {
                let _ = field.focus();
                field.select();
                status.try_set("The browser refused to copy: the text is selected, press Ctrl+C (⌘C) to copy it.");
            }
        });
    };
    view! {
        <label>{label}
            <textarea node_ref=node readonly rows="2" prop:value=move || text.get()></textarea>
        </label>
        <div class="actions">
            <button type="button" on:click=copy>{button}</button>
            <span class="muted" role="status">{move || status.get()}</span>
        </div>
    }
}

/// What the share form asks its owner to do.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareAction {
    Enable(bool),
    Options(ShareOptions),
    Rotate,
}

/// The share dialog's content for a loaded configuration. `locked` says why the user cannot
/// change it; `error` is the sentence of the last refused change.
#[component]
pub fn SharingForm(
    host: String,
    config: RwSignal<SharingConfig>,
    locked: Option<String>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    #[prop(into)] on_action: Callback<ShareAction>,
) -> impl IntoView {
    let options = RwSignal::new(ShareOptions::from_settings(
        &config.read_untracked().settings,
    ));
    let confirming = RwSignal::new(false);
    let off = locked.is_some();
    let disabled = move || off || busy.get();
    let (h1, h2, h3) = (host.clone(), host.clone(), host);
    let link =
        Signal::derive(move || rules::share_url(&h1, &config.read().access_token, &options.read()));
    let code = Signal::derive(move || {
        rules::embed_code(&h2, &config.read().access_token, &options.read())
    });
    let preview =
        Signal::derive(move || rules::embed_url(&h3, &config.read().access_token, &options.read()));
    let set = move |change: fn(&mut ShareOptions, String), value: String| {
        options.update(|o| change(o, value));
        on_action.run(ShareAction::Options(options.get_untracked()));
    };
    let flag = move |label: &'static str,
                     get: fn(&ShareOptions) -> bool,
                     change: fn(&mut ShareOptions, String)| {
        view! {
            <label class="check">
                <input type="checkbox" disabled=disabled prop:checked=move || get(&options.read())
                    on:change=move |e| set(change, event_target_checked(&e).to_string()) />
                {label}
            </label>
        }
    };
    view! {
        {locked.map(|why| view! { <p class="lock-note">{why}</p> })}
        <label class="check">
            <input type="checkbox" role="switch" disabled=disabled prop:checked=move || config.read().enabled
                on:change=move |e| on_action.run(ShareAction::Enable(event_target_checked(&e))) />
            "Share dashboard publicly"
        </label>
        {move || error.get().map(|text| view! { <p class="error-message" role="alert">{text}</p> })}
        <Show when=move || config.read().enabled fallback=|| view! {
            <p class="muted">"Only people in the project can see this dashboard. "{rules::REENABLE_NOTE}</p>
        }>
            <p class="muted">"Anyone with the link can view this dashboard without signing in. "{rules::REENABLE_NOTE}</p>
            <CopyField label="Public link" button="Copy link" text=link />
            <CopyField label="Embed code" button="Copy embed code" text=code />
            <fieldset>
                <legend>"Options"</legend>
                {flag("Hide PostHog branding", |o| o.whitelabel, |o, v| o.whitelabel = v == "true")}
                {flag("Hide the header", |o| o.no_header, |o, v| o.no_header = v == "true")}
                {flag("Show the legend", |o| o.legend, |o, v| o.legend = v == "true")}
                <label>"Theme"
                    <select disabled=disabled prop:value=move || options.read().theme.clone()
                        on:change=move |e| set(|o, v| o.theme = v, event_target_value(&e))>
                        <option value="system">"System"</option>
                        <option value="light">"Light"</option>
                        <option value="dark">"Dark"</option>
                    </select>
                </label>
            </fieldset>
            {move || if confirming.get() {
                view! {
                    <div class="notice" role="group" aria-label="Rotate link">
                        <p>{rules::ROTATE_NOTE}</p>
                        <button type="button" class="danger" disabled=disabled
                            on:click=move |_| { confirming.set(false); on_action.run(ShareAction::Rotate) }>"Rotate now"</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                }.into_any()
            } else {
                view! { <button type="button" class="secondary" disabled=disabled on:click=move |_| confirming.set(true)>"Rotate link"</button> }.into_any()
            }}
            <iframe class="embed-preview" title="Preview of the embedded dashboard"
                src=preview></iframe>
        </Show>
    }
}

crate::lazy_view! {
    /// The Share dialog, loaded on first use in the release build, in one part with the
    /// Collaborators panel, the Copy dialog and the list's dialogs and bulk bar (fetched ahead
    /// once a dashboard is on screen).
    pub fn sharing_dialog[dialogs, preload_dialogs](project_id: i64, dashboard_id: i64, can_edit: bool, on_close: Callback<()>) {
        view! { <SharingDialog project_id=project_id dashboard_id=dashboard_id can_edit=can_edit on_close=on_close /> }
    }
}

crate::lazy_view! {
    /// The Collaborators panel, loaded on first use in the release build.
    fn collaborators_panel[dialogs](project_id: i64, dashboard: Dashboard, on_close: Callback<()>) {
        view! { <CollaboratorsPanel project_id=project_id dashboard=dashboard on_close=on_close /> }
    }
}

/// Loads the configuration and carries out the form's actions.
#[component]
fn SharingDialog(
    project_id: i64,
    dashboard_id: i64,
    can_edit: bool,
    on_close: Callback<()>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let host = client.host().to_string();
    let loaded = RwSignal::new(None::<Result<(), ApiError>>);
    let config = RwSignal::new(SharingConfig::default());
    let (busy, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let shared = use_context::<IsShared>();
    let c = client.clone();
    spawn_local(async move {
        let result = c.sharing(project_id, dashboard_id).await;
        loaded.try_set(Some(result.map(|got| config.set(got))));
    });
    let act = move |action: ShareAction| {
        let client = client.clone();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = match &action {
                ShareAction::Enable(on) => {
                    client
                        .update_sharing(project_id, dashboard_id, &json!({ "enabled": on }))
                        .await
                }
                ShareAction::Options(o) => {
                    let settings = o.to_settings(&config.read_untracked().settings);
                    client
                        .update_sharing(project_id, dashboard_id, &json!({ "settings": settings }))
                        .await
                }
                ShareAction::Rotate => client.rotate_sharing(project_id, dashboard_id).await,
            };
            busy.try_set(false);
            match result {
                Ok(got) => {
                    if let Some(IsShared(flag)) = shared {
                        flag.try_set(got.enabled);
                    }
                    config.try_set(got);
                }
                Err(e) => {
                    error.try_set(Some(rules::sharing_refusal(&e)));
                    // The switch shows the saved state again; option drafts stay as typed.
                    config.try_update(|_| ());
                }
            }
        });
    };
    view! {
        <Modal title="Share dashboard" id="share-title" on_close=on_close>
            {move || match loaded.get() {
                None => view! { <p class="status" role="status">"Loading sharing settings…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error-message" role="alert">{rules::sharing_refusal(&e)}</p> }.into_any(),
                Some(Ok(())) => {
                    let level = config.read_untracked().user_access_level.clone();
                    let locked = if !can_edit || level.as_deref() == Some("viewer") || level.as_deref() == Some("none") {
                        Some("You can see how this dashboard is shared but not change it: only people who can edit the dashboard can.".to_string())
                    } else {
                        None
                    };
                    view! { <SharingForm host=host.clone() config=config locked=locked busy=busy error=error on_action=act.clone() /> }.into_any()
                }
            }}
        </Modal>
    }
}
