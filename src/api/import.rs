//! Rebuilds a template's dashboard through the endpoints a personal API key may use, when
//! PostHog refuses it `create_from_template_json`.

use serde_json::Value;

use super::{ApiClient, ApiError};
use crate::logic::template::{self, Progress};

/// PostHog's answer to personal API keys on key-less endpoints.
pub fn refuses_personal_keys(error: &ApiError) -> bool {
    matches!(error, ApiError::Forbidden { detail } if detail.contains("personal API key"))
}

/// Runs the remaining steps (dashboard, insights, text tiles, layouts and colours), recording
/// each in `progress` so that a failure says what exists and a retry resumes there.
pub async fn rebuild(
    client: &ApiClient,
    project_id: i64,
    template: &Value,
    progress: &mut Progress,
) -> Result<i64, ApiError> {
    let id = match progress.dashboard_id {
        Some(id) => id,
        None => {
            let body = template::dashboard_body(template);
            let id = client.create_dashboard(project_id, &body).await?.id;
            progress.dashboard_id = Some(id);
            id
        }
    };
    let bodies = template::insight_bodies(template, id);
    for body in bodies.iter().skip(progress.insight_ids.len()) {
        let insight = client.create_insight(project_id, body).await?;
        progress
            .insight_ids
            .push(insight["id"].as_i64().unwrap_or_default());
    }
    if !progress.texts_added {
        if let Some(body) = template::text_tiles_body(template) {
            client.update_dashboard(project_id, id, &body).await?;
        }
        progress.texts_added = true;
    }
    let created = client.dashboard(project_id, id, None).await?;
    let display = template::display_body(template, &created, &progress.insight_ids);
    client.update_dashboard(project_id, id, &display).await?;
    progress.finished = true;
    Ok(id)
}
