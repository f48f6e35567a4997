//! The connect form: the host, then "Sign in with PostHog" (OAuth), or a personal API key
//! checked against PostHog before use and the choice of project.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::models::{Project, User};
use crate::api::{ApiClient, ApiError};
use crate::components::error_message::ErrorMessage;
use crate::logic::validation::{parse_api_key, EU_CLOUD, US_CLOUD};
use crate::state::config::AppConfig;
use crate::state::session::Connection;
use crate::state::sign_in;

/// What the form hands over once the user opens a project.
#[derive(Clone, Debug)]
pub struct Connected {
    pub connection: Connection,
    pub remember: bool,
}

/// Where the check of the key stands.
#[derive(Clone)]
enum Check {
    Idle,
    Checking,
    Failed(ApiError),
    Ready { projects: Vec<Project> },
}

/// The form. `initial_host` pre-fills the host field; `on_connected` runs on "Open project";
/// `oauth_only` leaves out the key (config.json's `"auth": "oauth"`).
#[component]
pub fn ConnectForm(
    #[prop(into)] initial_host: String,
    #[prop(into)] on_connected: Callback<Connected>,
    #[prop(optional)] oauth_only: bool,
) -> impl IntoView {
    let host = RwSignal::new(initial_host);
    let api_key = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let host_error = RwSignal::new(None::<String>);
    let key_error = RwSignal::new(None::<String>);
    let check = RwSignal::new(Check::Idle);
    let selected_project = RwSignal::new(None::<i64>);
    // The host and key that passed the check, so edits after it need a new check.
    let checked = StoredValue::new(None::<(String, String)>);

    let sign_in_error = RwSignal::new(None::<String>);
    // Read here: contexts are looked up while the component is built, not inside event handlers.
    let app_config = use_context::<StoredValue<AppConfig>>();
    // Leaves the app for PostHog's consent page; the callback page finishes the sign-in.
    let sign_in = move || {
        let config = app_config.map(|c| c.get_value()).unwrap_or_default();
        let parsed_host = config.parse_allowed_host(&host.get_untracked());
        host_error.set(parsed_host.clone().err());
        let Ok(host_value) = parsed_host else { return };
        match sign_in::start(&host_value, &config) {
            Ok(url) => {
                let _ = window().location().assign(&url);
            }
            Err(error) => sign_in_error.set(Some(error)),
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if oauth_only {
            return sign_in();
        }
        let allowed = app_config.map(|c| c.get_value()).unwrap_or_default();
        let parsed_host = allowed.parse_allowed_host(&host.get_untracked());
        let parsed_key = parse_api_key(&api_key.get_untracked());
        host_error.set(parsed_host.clone().err());
        key_error.set(parsed_key.clone().err());
        let (Ok(host_value), Ok(key_value)) = (parsed_host, parsed_key) else {
            check.set(Check::Idle);
            return;
        };
        host.set(host_value.clone());
        check.set(Check::Checking);
        spawn_local(async move {
            let client = ApiClient::new(&host_value, &key_value);
            match check_key(&client).await {
                Ok((user, projects)) => {
                    let preferred = user.team.as_ref().map(|t| t.project_id());
                    let default = preferred
                        .filter(|id| projects.iter().any(|p| p.id == *id))
                        .or_else(|| projects.first().map(|p| p.id));
                    selected_project.set(default);
                    checked.set_value(Some((host_value, key_value)));
                    check.set(Check::Ready { projects });
                }
                Err(error) => check.set(Check::Failed(error)),
            }
        });
    };

    let open_project = move |_| {
        let (Some((host_value, key_value)), Check::Ready { projects }) =
            (checked.get_value(), check.get_untracked())
        else {
            return;
        };
        let Some(project) = selected_project
            .get_untracked()
            .and_then(|id| projects.into_iter().find(|p| p.id == id))
        else {
            return;
        };
        on_connected.run(Connected {
            connection: Connection {
                host: host_value,
                api_key: key_value,
                project_id: Some(project.id),
                project_name: Some(project.name),
                oauth: None,
            },
            remember: remember.get_untracked(),
        });
    };

    view! {
        <form class="connect-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="host">"PostHog host"</label>
                <div class="host-row">
                    <input
                        id="host"
                        type="text"
                        inputmode="url"
                        autocomplete="url"
                        placeholder="https://us.posthog.com"
                        prop:value=host
                        on:input=move |ev| host.set(event_target_value(&ev))
                        aria-invalid=move || host_error.get().map(|_| "true")
                        aria-describedby=move || host_error.get().map(|_| "host-error")
                    />
                    <button type="button" class="secondary" on:click=move |_| host.set(US_CLOUD.into())>
                        "US Cloud"
                    </button>
                    <button type="button" class="secondary" on:click=move |_| host.set(EU_CLOUD.into())>
                        "EU Cloud"
                    </button>
                </div>
                {move || host_error.get().map(|e| view! { <p id="host-error" class="field-error">{e}</p> })}
            </div>
            <div class="field sign-in">
                <button type="button" on:click=move |_| sign_in()>"Sign in with PostHog"</button>
                {move || sign_in_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
            {(!oauth_only).then(|| view! {
            <div class="field">
                <label for="api-key">"Personal API key"</label>
                <input
                    id="api-key"
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=api_key
                    on:input=move |ev| api_key.set(event_target_value(&ev))
                    aria-invalid=move || key_error.get().map(|_| "true")
                    aria-describedby=move || key_error.get().map(|_| "api-key-error")
                />
                {move || key_error.get().map(|e| view! { <p id="api-key-error" class="field-error">{e}</p> })}
                <p class="hint">
                    "Create one in PostHog under Settings → Personal API keys, with at least the "
                    <code>"user:read"</code>", "<code>"project:read"</code>" and "<code>"dashboard:read"</code>" scopes."
                </p>
            </div>
            <div class="field checkbox">
                <input id="remember" type="checkbox" prop:checked=remember
                    on:change=move |ev| remember.set(event_target_checked(&ev)) />
                <label for="remember">"Remember on this device"</label>
            </div>
            <button type="submit" disabled=move || matches!(check.get(), Check::Checking)>"Connect"</button>
            {move || match check.get() {
                Check::Idle => ().into_any(),
                Check::Checking => view! {
                    <p class="status" role="status" aria-busy="true">"Checking the key…"</p>
                }.into_any(),
                Check::Failed(error) => view! { <ErrorMessage error=error /> }.into_any(),
                Check::Ready { projects } => project_choice(projects, selected_project, open_project).into_any(),
            }}
            })}
        </form>
    }
}

fn project_choice(
    projects: Vec<Project>,
    selected: RwSignal<Option<i64>>,
    open_project: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    if projects.is_empty() {
        return view! {
            <p class="status" role="status">"This key can see no projects."</p>
        }
        .into_any();
    }
    view! {
        <div class="field project-choice">
            <label for="project">"Project"</label>
            <select
                id="project"
                on:change=move |ev| selected.set(event_target_value(&ev).parse().ok())
            >
                {projects.into_iter().map(|project| {
                    let id = project.id;
                    let name = if project.name.is_empty() { format!("Project {id}") } else { project.name };
                    view! { <option value=id.to_string() prop:selected=move || selected.get() == Some(id)>{name}</option> }
                }).collect_view()}
            </select>
            <button type="button" on:click=open_project>"Open project"</button>
        </div>
    }
    .into_any()
}

/// Checks the key with `users/@me`, then lists the projects of the user's organization.
pub async fn check_key(client: &ApiClient) -> Result<(User, Vec<Project>), ApiError> {
    let user = client.current_user().await?;
    let Some(organization) = user.organization.clone() else {
        return Ok((user, Vec::new()));
    };
    let projects = client.projects(&organization.id).await?.results;
    Ok((user, projects))
}
