//! JSON shapes of accounts: `User`, `Organization`, `OrganizationBasic`, `TeamBasic` /
//! `ProjectBackwardCompatBasic`, `ProjectBackwardCompat` and `OrganizationMember`.
//!
//! Fields with no meaning in the stand-in carry PostHog's defaults for a fresh account.

use serde_json::{json, Value};

use super::serializers::user_basic;
use crate::db::accounts::{Membership, Organization, Team, User};

/// `TeamBasicSerializer`; also serves as `ProjectBackwardCompatBasic` (project id = team id here).
pub fn team_basic(team: &Team) -> Value {
    json!({
        "id": team.id,
        "uuid": team.uuid,
        "organization": team.organization_id,
        "project_id": team.project_id,
        "api_token": team.api_token,
        "name": team.name,
        "completed_snippet_onboarding": true,
        "has_completed_onboarding_for": {"product_analytics": true},
        "ingested_event": true,
        "is_demo": false,
        "timezone": team.timezone,
        "access_control": false,
    })
}

/// `ProjectBackwardCompatSerializer` (one project, with the caller's membership level).
pub fn project(team: &Team, membership_level: i64) -> Value {
    let extra = json!({
        "product_description": null,
        "created_at": team.created_at,
        "updated_at": team.updated_at,
        "effective_membership_level": membership_level,
        "has_group_types": false,
        "group_types": [],
        "live_events_token": null,
        "app_urls": [],
        "slack_incoming_webhook": null,
        "anonymize_ips": false,
        "test_account_filters": [],
        "test_account_filters_default_checked": false,
        "path_cleaning_filters": [],
        "data_attributes": ["data-attr"],
        "person_display_name_properties": null,
        "correlation_config": {},
        "autocapture_opt_out": false,
        "session_recording_opt_in": false,
        "week_start_day": 0,
        "primary_dashboard": null,
        "live_events_columns": null,
        "recording_domains": null,
        "person_on_events_querying_enabled": true,
        "inject_web_apps": false,
        "extra_settings": null,
        "modifiers": null,
        "default_modifiers": {"personsOnEventsMode": "person_id_override_properties_joined"},
        "surveys_opt_in": null,
        "heatmaps_opt_in": null,
        "product_intents": [],
        "flags_persistence_default": false,
        "secret_api_token": null,
        "secret_api_token_backup": null,
        "receive_org_level_activity_logs": false,
    });
    merge(team_basic(team), extra)
}

/// `OrganizationBasicSerializer`.
pub fn organization_basic(org: &Organization, membership_level: i64) -> Value {
    json!({
        "id": org.id,
        "name": org.name,
        "slug": org.slug,
        "logo_media_id": null,
        "membership_level": membership_level,
        "members_can_use_personal_api_keys": true,
    })
}

/// `OrganizationSerializer`, with the projects the caller can see.
pub fn organization(
    org: &Organization,
    membership_level: i64,
    teams: &[Team],
    member_count: usize,
) -> Value {
    let teams: Vec<Value> = teams.iter().map(team_basic).collect();
    json!({
        "id": org.id,
        "name": org.name,
        "slug": org.slug,
        "logo_media_id": null,
        "created_at": org.created_at,
        "updated_at": org.updated_at,
        "membership_level": membership_level,
        "plugins_access_level": 9,
        "teams": teams,
        "projects": teams,
        "available_product_features": org.available_product_features,
        "is_member_join_email_enabled": true,
        "metadata": {"instance_tag": "none"},
        "customer_id": null,
        "enforce_2fa": null,
        "members_can_invite": true,
        "members_can_use_personal_api_keys": true,
        "allow_publicly_shared_resources": org.allow_publicly_shared_resources,
        "member_count": member_count,
        "is_ai_data_processing_approved": null,
        "default_experiment_stats_method": "bayesian",
        "default_anonymize_ips": false,
        "default_role_id": null,
    })
}

/// `UserSerializer` for `/api/users/@me/`; `organization` and `team` are the current ones.
pub fn user(user: &User, organization: Value, organizations: Vec<Value>, team: Value) -> Value {
    let extra = json!({
        "date_joined": user.date_joined,
        "pending_email": null,
        "notification_settings": {"plugin_disabled": true},
        "anonymize_data": false,
        "toolbar_mode": "toolbar",
        "has_password": true,
        "is_staff": false,
        "is_impersonated": false,
        "is_impersonated_until": null,
        "sensitive_session_expires_at": null,
        "team": team,
        "organization": organization,
        "organizations": organizations,
        "events_column_config": {"active": "DEFAULT"},
        "is_2fa_enabled": false,
        "has_social_auth": false,
        "has_sso_enforcement": false,
        "has_seen_product_intro_for": {},
        "scene_personalisation": [],
        "theme_mode": "system",
    });
    merge(user_basic(user), extra)
}

/// `OrganizationMemberSerializer`.
pub fn member(membership: &Membership, user: &User) -> Value {
    json!({
        "id": membership.id,
        "user": user_basic(user),
        "level": membership.level,
        "joined_at": membership.joined_at,
        "updated_at": membership.updated_at,
        "is_2fa_enabled": false,
        "has_social_auth": false,
        "last_login": user.last_login,
    })
}

/// A serializer that extends another: `base`'s fields plus `extra`'s (both objects).
fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}
