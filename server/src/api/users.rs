//! `/api/users/@me/`: the caller, with their current organization and project.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use super::account_serializers as ser;
use super::api_route;
use crate::auth::Principal;
use crate::db::accounts;
use crate::error::ApiError;
use crate::AppState;

/// The user routes.
pub fn routes(router: Router<AppState>) -> Router<AppState> {
    api_route(router, "/users/@me", get(me))
}

async fn me(State(state): State<AppState>, principal: Principal) -> Result<Json<Value>, ApiError> {
    principal.require_scope("user:read")?;
    state
        .db
        .run(move |conn| {
            let user = &principal.user;
            let memberships = accounts::organizations_of_user(conn, user.id)?
                .into_iter()
                .map(|org| {
                    let level =
                        accounts::membership(conn, &org.id, user.id)?.map_or(0, |m| m.level);
                    Ok((org, level))
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            let organizations = memberships
                .iter()
                .map(|(org, level)| ser::organization_basic(org, *level))
                .collect();
            let current = memberships
                .iter()
                .find(|(org, _)| Some(&org.id) == user.current_organization_id.as_ref())
                .or(memberships.first());
            let organization = match current {
                Some((org, level)) => {
                    let teams = accounts::teams_of_organization(conn, &org.id)?;
                    let members = accounts::members(conn, &org.id)?.len();
                    ser::organization(org, *level, &teams, members)
                }
                None => Value::Null,
            };
            let team = match user.current_team_id {
                Some(id) => accounts::team(conn, id)?.map_or(Value::Null, |t| ser::team_basic(&t)),
                None => Value::Null,
            };
            Ok(Json(ser::user(user, organization, organizations, team)))
        })
        .await
}
