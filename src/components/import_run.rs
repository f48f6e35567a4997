//! The template import shared by "Import template JSON" and "Copy to project…":
//! `create_from_template_json`, or — when PostHog refuses it to personal API keys — the
//! step-by-step rebuild, with what exists and Retry / Remove when a step fails.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

use crate::api::import::{rebuild, refuses_personal_keys};
use crate::api::{ApiClient, ApiError};
use crate::components::error_message::ErrorMessage;
use crate::components::toast::Toasts;
use crate::logic::template::Progress;

/// Told when PostHog refused `create_from_template_json` and Dashdeck rebuilt the dashboard.
pub const FALLBACK_NOTE: &str = "PostHog does not let personal API keys use \
    create_from_template_json, so Dashdeck built the dashboard through the dashboard and \
    insight endpoints.";

/// Runs once the dashboard exists: its id, and whether the rebuild made it.
type OnDone = Rc<dyn Fn(i64, bool)>;

/// One import into one project of one host; its state drives the dialog that started it.
#[derive(Clone, Copy)]
pub struct ImportRun {
    pub progress: RwSignal<Progress>,
    pub failed: RwSignal<Option<ApiError>>,
    pub busy: RwSignal<bool>,
    template: StoredValue<Value>,
    target: StoredValue<Option<(ApiClient, i64)>>,
    on_done: StoredValue<Option<OnDone>, LocalStorage>,
    toasts: Toasts,
}

impl ImportRun {
    /// State for a dialog; `on_done` is not called once the dialog is gone.
    pub fn new(on_done: impl Fn(i64, bool) + 'static) -> Self {
        Self {
            progress: RwSignal::new(Progress::default()),
            failed: RwSignal::new(None),
            busy: RwSignal::new(false),
            template: StoredValue::new(Value::Null),
            target: StoredValue::new(None),
            on_done: StoredValue::new_local(Some(Rc::new(on_done))),
            toasts: Toasts::use_context(),
        }
    }

    /// Sends `template` to `project_id` on `client`'s host, rebuilding it when refused.
    pub fn start(self, client: ApiClient, project_id: i64, template: Value) {
        self.template.set_value(template.clone());
        self.target.set_value(Some((client.clone(), project_id)));
        self.progress.set(Progress::default());
        self.failed.set(None);
        self.busy.set(true);
        spawn_local(async move {
            match client
                .create_from_template_json(project_id, &template)
                .await
            {
                Ok(dashboard) => self.done(dashboard.id, false),
                Err(error) if refuses_personal_keys(&error) => self.rebuild().await,
                Err(error) => self.fail(error),
            }
        });
    }

    /// Runs the rebuild's remaining steps (after a failure: "Retry the rest").
    pub fn resume(self) {
        self.failed.set(None);
        self.busy.set(true);
        spawn_local(self.rebuild());
    }

    async fn rebuild(self) {
        let (Some(Some((client, project_id))), Some(template), Some(mut state)) = (
            self.target.try_get_value(),
            self.template.try_get_value(),
            self.progress.try_get_untracked(),
        ) else {
            return;
        };
        let result = rebuild(&client, project_id, &template, &mut state).await;
        self.progress.try_set(state);
        match result {
            Ok(id) => self.done(id, true),
            Err(error) => self.fail(error),
        }
    }

    fn done(self, id: i64, rebuilt: bool) {
        self.busy.try_set(false);
        if rebuilt {
            self.toasts.show(FALLBACK_NOTE, None);
        }
        if let Some(Some(on_done)) = self.on_done.try_get_value() {
            on_done(id, rebuilt);
        }
    }

    fn fail(self, error: ApiError) {
        self.busy.try_set(false);
        self.failed.try_set(Some(error));
    }

    /// Soft-deletes the partial dashboard (with its new insights), so nothing is left behind.
    pub fn remove(self) {
        let (Some((client, project_id)), Some(id)) = (
            self.target.get_value(),
            self.progress.get_untracked().dashboard_id,
        ) else {
            return;
        };
        self.busy.set(true);
        spawn_local(async move {
            let body = json!({ "deleted": true, "delete_insights": true });
            let result = client.update_dashboard(project_id, id, &body).await;
            self.busy.try_set(false);
            match result {
                Ok(_) => {
                    self.progress.try_set(Progress::default());
                    self.failed.try_set(None);
                    self.toasts.show("The partial dashboard was removed.", None);
                }
                Err(error) => self.fail(error),
            }
        });
    }

    /// "Created the dashboard and 3 of 24 insights…" while the rebuild runs.
    fn status(self) -> Option<String> {
        let progress = self.progress.read();
        (self.busy.get() && progress.dashboard_id.is_some())
            .then(|| progress.describe(&self.template.get_value()))
    }
}

/// The run's progress while it lasts, and on failure: the sentence, the step that failed,
/// what was created, and Retry the rest / Remove the partial dashboard.
#[component]
pub fn ImportState(run: ImportRun) -> impl IntoView {
    view! {
        <p class="status" role="status">{move || run.status()}</p>
        {move || run.failed.get().map(|error| {
            let progress = run.progress.get();
            let partial = progress.dashboard_id.is_some().then(|| {
                let template = run.template.get_value();
                format!("Stopped while {}. {}", progress.step(&template), progress.describe(&template))
            });
            view! {
                <ErrorMessage error=error />
                {partial.map(|told| view! {
                    <p role="alert">{told}</p>
                    <div class="actions">
                        <button type="button" disabled=move || run.busy.get() on:click=move |_| run.resume()>"Retry the rest"</button>
                        <button type="button" class="secondary danger" disabled=move || run.busy.get() on:click=move |_| run.remove()>"Remove the partial dashboard"</button>
                    </div>
                })}
            }
        })}
    }
}
