//! Who may see and edit a dashboard: its public sharing configuration, its collaborators, the
//! organization's members and the newer access controls (api.md §2.11–2.14).

use gloo_net::http::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::client::ApiClient;
use super::error::ApiError;
use super::models::{null_as_default, Page, UserBasic};

/// `GET …/sharing/`: one object (the OpenAPI's array is wrong).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SharingConfig {
    #[serde(default, deserialize_with = "null_as_default")]
    pub enabled: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub access_token: String,
    /// `null` until options are saved; unknown keys are kept as PostHog returns them.
    #[serde(default)]
    pub settings: Value,
    /// `"editor"`/`"manager"` may change it; newest PostHog only.
    #[serde(default)]
    pub user_access_level: Option<String>,
}

/// `DashboardCollaboratorSerializer`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Collaborator {
    pub user: UserBasic,
    #[serde(default)]
    pub level: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub added_at: String,
}

/// `OrganizationMemberSerializer`: `id` is the membership's uuid, `level` 1 member, 8 admin, 15 owner.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Member {
    pub id: String,
    pub user: UserBasic,
    #[serde(default)]
    pub level: i64,
}

/// One row of `access_controls`: a member's level, or the default when `organization_member` is null.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AccessControl {
    #[serde(default, deserialize_with = "null_as_default")]
    pub access_level: String,
    #[serde(default)]
    pub organization_member: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
}

/// `GET …/access_controls/`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct AccessControls {
    #[serde(default, deserialize_with = "null_as_default")]
    pub access_controls: Vec<AccessControl>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub available_access_levels: Vec<String>,
    #[serde(default)]
    pub default_access_level: Option<String>,
    #[serde(default)]
    pub user_access_level: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub user_can_edit_access_levels: bool,
}

fn base(project_id: i64, dashboard_id: i64, tail: &str) -> String {
    format!("/api/projects/{project_id}/dashboards/{dashboard_id}/{tail}")
}

impl ApiClient {
    /// `GET …/sharing/`.
    pub async fn sharing(&self, project_id: i64, id: i64) -> Result<SharingConfig, ApiError> {
        self.get(&base(project_id, id, "sharing/"), None).await
    }

    /// `PATCH …/sharing/` with `enabled` and/or `settings`.
    pub async fn update_sharing(
        &self,
        project_id: i64,
        id: i64,
        body: &Value,
    ) -> Result<SharingConfig, ApiError> {
        let path = base(project_id, id, "sharing/");
        self.send(Method::PATCH, &path, Some(body)).await
    }

    /// `POST …/sharing/refresh/`: a new token; the old one works for 5 more minutes.
    pub async fn rotate_sharing(
        &self,
        project_id: i64,
        id: i64,
    ) -> Result<SharingConfig, ApiError> {
        let path = base(project_id, id, "sharing/refresh/");
        self.send(Method::POST, &path, None).await
    }

    /// `GET …/collaborators/`: a plain array.
    pub async fn collaborators(
        &self,
        project_id: i64,
        id: i64,
    ) -> Result<Vec<Collaborator>, ApiError> {
        self.get(&base(project_id, id, "collaborators/"), None)
            .await
    }

    /// `POST …/collaborators/ {user_uuid, level: 37}` (edit access is the only level PostHog takes).
    pub async fn add_collaborator(
        &self,
        project_id: i64,
        id: i64,
        user_uuid: &str,
    ) -> Result<Collaborator, ApiError> {
        let body = json!({ "user_uuid": user_uuid, "level": 37 });
        let path = base(project_id, id, "collaborators/");
        self.send(Method::POST, &path, Some(&body)).await
    }

    /// `DELETE …/collaborators/{user_uuid}/` → 204.
    pub async fn remove_collaborator(
        &self,
        project_id: i64,
        id: i64,
        user_uuid: &str,
    ) -> Result<(), ApiError> {
        let uuid = super::client::path_segment(user_uuid)?;
        let path = base(project_id, id, &format!("collaborators/{uuid}/"));
        self.fetch_body(Method::DELETE, &path, None, &None)
            .await
            .map(drop)
    }

    /// `GET /api/organizations/@current/members/` (first 200).
    pub async fn members(&self) -> Result<Page<Member>, ApiError> {
        self.get("/api/organizations/@current/members/?limit=200", None)
            .await
    }

    /// `GET …/access_controls/`.
    pub async fn access_controls(
        &self,
        project_id: i64,
        id: i64,
    ) -> Result<AccessControls, ApiError> {
        self.get(&base(project_id, id, "access_controls/"), None)
            .await
    }

    /// `PUT …/access_controls/`: a member's level (or the default without `member`); `None` removes it.
    pub async fn set_access_level(
        &self,
        project_id: i64,
        id: i64,
        member: Option<&str>,
        level: Option<&str>,
    ) -> Result<(), ApiError> {
        let body = json!({ "access_level": level, "organization_member": member });
        let path = base(project_id, id, "access_controls/");
        self.fetch_body(Method::PUT, &path, Some(&body), &None)
            .await
            .map(drop)
    }
}
