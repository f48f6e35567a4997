//! `POST {base}/dashboards/create_from_template_json/` (api.md §2.9): a dashboard from a template
//! given in the body. The action has no scope, so personal API keys are refused; sessions only.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;

use super::{insert_dashboard, template_schema, templates, ProjectPath, WRITE};
use crate::api::api_route;
use crate::api::serializers::Serializer;
use crate::auth::Principal;
use crate::db::dashboards;
use crate::error::ApiError;
use crate::extract::{Body, PathParams};
use crate::AppState;

/// Registers the action under `base`.
pub fn routes(router: Router<AppState>, base: &str) -> Router<AppState> {
    api_route(
        router,
        &format!("{base}/dashboards/create_from_template_json"),
        post(create_from_template_json),
    )
}

/// 200 (not 201) with the new dashboard; on any error nothing is kept (one transaction).
async fn create_from_template_json(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<ProjectPath>,
    Body(body): Body,
) -> Result<Json<Value>, ApiError> {
    principal.require_session()?;
    state
        .db
        .run(move |conn| {
            let ctx = principal.project(conn, &path.project_id, WRITE)?;
            let template = body.get("template").unwrap_or(&Value::Null);
            template_schema::validate(template)?;
            let mut dashboard = insert_dashboard(conn, &ctx, "template")?;
            templates::create_from_template(conn, &ctx, &mut dashboard, template)?;
            dashboards::save(conn, &dashboard)?;
            Ok(Json(Serializer::new(conn, &ctx).dashboard(&dashboard)?))
        })
        .await
}
