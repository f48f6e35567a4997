//! Who may view, edit and restrict a dashboard (PostHog's `UserDashboardPermissions`).

use crate::auth::ProjectContext;
use crate::db::accounts::{feature, level};
use crate::db::dashboards::Dashboard;

/// `Dashboard.RestrictionLevel.EVERYONE_IN_PROJECT_CAN_EDIT`.
pub const EVERYONE_CAN_EDIT: i64 = 21;
/// `Dashboard.RestrictionLevel.ONLY_COLLABORATORS_CAN_EDIT`.
pub const ONLY_COLLABORATORS_CAN_EDIT: i64 = 37;
/// `Dashboard.PrivilegeLevel.CAN_VIEW`.
pub const CAN_VIEW: i64 = 21;
/// `Dashboard.PrivilegeLevel.CAN_EDIT`.
pub const CAN_EDIT: i64 = 37;

/// The caller's computed rights on one dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DashboardAccess {
    /// The stored level if the organization has the access-control feature, else 21.
    pub effective_restriction_level: i64,
    /// 37 (can edit) or 21 (can view).
    pub effective_privilege_level: i64,
    /// Creator or project admin: may change the restriction level.
    pub can_restrict: bool,
    /// The RBAC level string PostHog reports (`manager`, `editor`, `viewer`).
    pub user_access_level: &'static str,
}

impl DashboardAccess {
    /// Computes the caller's rights; `privilege` is the caller's collaborator level, if any.
    pub fn new(ctx: &ProjectContext, dashboard: &Dashboard, privilege: Option<i64>) -> Self {
        let effective_restriction_level = if ctx.organization.has_feature(feature::ACCESS_CONTROL) {
            dashboard.restriction_level
        } else {
            EVERYONE_CAN_EDIT
        };
        let is_creator = dashboard.created_by_id == Some(ctx.user.id);
        let can_restrict = is_creator || ctx.membership.level >= level::ADMIN;
        let effective_privilege_level =
            if effective_restriction_level == EVERYONE_CAN_EDIT || can_restrict {
                CAN_EDIT
            } else {
                privilege.unwrap_or(CAN_VIEW)
            };
        let user_access_level = if can_restrict {
            "manager"
        } else if effective_privilege_level >= CAN_EDIT {
            "editor"
        } else {
            "viewer"
        };
        Self {
            effective_restriction_level,
            effective_privilege_level,
            can_restrict,
            user_access_level,
        }
    }

    /// Whether the caller may change the dashboard (`CanEditDashboard`).
    pub fn can_edit(&self) -> bool {
        self.effective_privilege_level >= CAN_EDIT
    }
}

/// `"v1"` for dashboards still using the old restriction levels, `"v2"` otherwise.
pub fn access_control_version(dashboard: &Dashboard) -> &'static str {
    if dashboard.restriction_level > EVERYONE_CAN_EDIT {
        "v1"
    } else {
        "v2"
    }
}
