//! `{base}/dashboards/{id}/sharing/` (`SharingConfigurationViewSet`, api.md §2.12): read and change
//! a dashboard's public link, and rotate its token with `refresh/`. The public pages themselves
//! are in `shared_pages`. Share passwords (`passwords/`) are not part of the stand-in.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use super::api_route;
use super::dashboards::{DashboardPath, Need, Parent};
use super::fields::{self, Fields};
use crate::auth::Principal;
use crate::db::dashboards::Dashboard;
use crate::db::sharing::{self, SharingConfiguration};
use crate::error::ApiError;
use crate::extract::{Body, PathParams};
use crate::permissions::DashboardAccess;
use crate::{clock, random, AppState};

const READ: &str = "sharing_configuration:read";
const WRITE: &str = "sharing_configuration:write";

/// How long a rotated-out token keeps working (`SHARING_TOKEN_GRACE_PERIOD_SECONDS`).
const GRACE_PERIOD_MINUTES: i64 = 5;

/// The `settings` keys `SharingConfigurationSettings` knows; others are dropped.
const SETTINGS_KEYS: [&str; 7] = [
    "whitelabel",
    "noHeader",
    "showInspector",
    "legend",
    "detailed",
    "hideExtraDetails",
    "theme",
];

/// The sharing routes under one base.
pub fn routes(router: Router<AppState>, base: &str) -> Router<AppState> {
    let router = api_route(
        router,
        &format!("{base}/dashboards/{{id}}/sharing"),
        get(retrieve).patch(update),
    );
    api_route(
        router,
        &format!("{base}/dashboards/{{id}}/sharing/refresh"),
        post(refresh),
    )
}

/// The active configuration; if none was ever saved, an unsaved one with a fresh token.
async fn retrieve(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
) -> Result<Json<Value>, ApiError> {
    let ids = (path.project_id.clone(), path.id.clone());
    Parent::run(
        &state,
        principal,
        ids,
        READ,
        Need::View,
        move |conn, parent| {
            let Parent {
                dashboard, access, ..
            } = parent;
            let config = sharing::active(conn, dashboard.id)?;
            let config = config.unwrap_or_else(|| unsaved(&dashboard));
            Ok(Json(serialize(&config, &access)))
        },
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
    Body(body): Body,
) -> Result<Json<Value>, ApiError> {
    let ids = (path.project_id.clone(), path.id.clone());
    Parent::run(
        &state,
        principal,
        ids,
        WRITE,
        Need::Edit,
        move |conn, parent| {
            let Parent {
                dashboard, access, ..
            } = parent;
            let f = Fields::new(fields::object(&body)?, "");
            let enabled = f.boolean("enabled", false)?.flatten();
            let password_required = f.boolean("password_required", false)?.flatten();
            let settings = settings(f.raw("settings"))?;
            let saved = sharing::active(conn, dashboard.id)?;
            let was_enabled = saved.as_ref().is_some_and(|c| c.enabled);
            let mut config = saved.unwrap_or_else(|| unsaved(&dashboard));
            if let Some(enabled) = enabled {
                config.enabled = enabled;
            }
            if let Some(required) = password_required {
                config.password_required = required;
            }
            if let Some(settings) = settings {
                config.settings = settings;
            }
            let now = clock::now();
            if config.id != 0 && !was_enabled && config.enabled {
                // Re-enabling issues a new link: whatever was handed out before stays dead.
                config.access_token = random::access_token();
            }
            if was_enabled && !config.enabled {
                sharing::expire_rotated(conn, dashboard.id, &now)?;
            }
            if config.id == 0 {
                config.created_at = now;
                config.id = sharing::insert(conn, &config)?;
            } else {
                sharing::save(conn, &config)?;
            }
            Ok(Json(serialize(&config, &access)))
        },
    )
    .await
}

/// A new token for the same configuration; the old one works for the grace period.
async fn refresh(
    State(state): State<AppState>,
    principal: Principal,
    PathParams(path): PathParams<DashboardPath>,
) -> Result<Json<Value>, ApiError> {
    let ids = (path.project_id.clone(), path.id.clone());
    Parent::run(
        &state,
        principal,
        ids,
        WRITE,
        Need::Edit,
        move |conn, parent| {
            let Parent {
                dashboard, access, ..
            } = parent;
            let mut old =
                sharing::active(conn, dashboard.id)?.unwrap_or_else(|| unsaved(&dashboard));
            if old.id != 0 {
                old.expires_at = Some(clock::minutes_from_now(GRACE_PERIOD_MINUTES));
                sharing::save(conn, &old)?;
            }
            let mut fresh = SharingConfiguration {
                id: 0,
                access_token: random::access_token(),
                created_at: clock::now(),
                expires_at: None,
                ..old
            };
            fresh.id = sharing::insert(conn, &fresh)?;
            Ok(Json(serialize(&fresh, &access)))
        },
    )
    .await
}

/// What `_get_sharing_configuration` builds when nothing is stored: not saved (`id` 0).
fn unsaved(dashboard: &Dashboard) -> SharingConfiguration {
    SharingConfiguration {
        id: 0,
        team_id: dashboard.team_id,
        dashboard_id: dashboard.id,
        enabled: false,
        access_token: random::access_token(),
        settings: Value::Null,
        password_required: false,
        created_at: String::new(),
        expires_at: None,
    }
}

/// `settings`: an object keeps its known, non-null keys; null stays null; anything else is a 400.
fn settings(raw: Option<&Value>) -> Result<Option<Value>, ApiError> {
    match raw {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(Value::Null)),
        Some(Value::Object(given)) => {
            let kept: Map<String, Value> = given
                .iter()
                .filter(|(k, v)| SETTINGS_KEYS.contains(&k.as_str()) && !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Ok(Some(Value::Object(kept)))
        }
        Some(_) => Err(ApiError::invalid_input(
            "Invalid settings format",
            Some("settings"),
        )),
    }
}

/// `SharingConfigurationSerializer`.
fn serialize(c: &SharingConfiguration, access: &DashboardAccess) -> Value {
    json!({
        "created_at": (c.id != 0).then_some(&c.created_at),
        "enabled": c.enabled,
        "access_token": c.access_token,
        "settings": c.settings,
        "password_required": c.password_required,
        "share_passwords": [],
        "user_access_level": if access.can_edit() { "editor" } else { "viewer" },
    })
}
