//! Who may view, edit, restrict and manage a dashboard: PostHog's `UserDashboardPermissions`
//! (restriction levels and collaborators) combined with ee RBAC access controls.

use crate::auth::ProjectContext;
use crate::db::accounts::{feature, level};
use crate::db::dashboards::Dashboard;
use crate::error::ApiError;

/// `Dashboard.RestrictionLevel.EVERYONE_IN_PROJECT_CAN_EDIT`.
pub const EVERYONE_CAN_EDIT: i64 = 21;
/// `Dashboard.RestrictionLevel.ONLY_COLLABORATORS_CAN_EDIT`.
pub const ONLY_COLLABORATORS_CAN_EDIT: i64 = 37;
/// `Dashboard.PrivilegeLevel.CAN_VIEW`.
pub const CAN_VIEW: i64 = 21;
/// `Dashboard.PrivilegeLevel.CAN_EDIT`.
pub const CAN_EDIT: i64 = 37;

/// An RBAC access level (`ACCESS_CONTROL_LEVELS_RESOURCE`), lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccessLevel {
    None,
    Viewer,
    Editor,
    Manager,
}

impl AccessLevel {
    /// Every level, lowest first (`available_access_levels`).
    pub const ALL: [AccessLevel; 4] = [
        AccessLevel::None,
        AccessLevel::Viewer,
        AccessLevel::Editor,
        AccessLevel::Manager,
    ];
    /// A dashboard's level when no access control says otherwise.
    pub const DEFAULT: AccessLevel = AccessLevel::Editor;

    /// PostHog's name for the level.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::None => "none",
            AccessLevel::Viewer => "viewer",
            AccessLevel::Editor => "editor",
            AccessLevel::Manager => "manager",
        }
    }

    /// The level named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

/// The caller's computed rights on one dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DashboardAccess {
    /// The stored level if the organization has the access-control feature, else 21.
    pub effective_restriction_level: i64,
    /// 37 (can edit) or 21 (can view).
    pub effective_privilege_level: i64,
    /// Creator or project admin: may change the restriction level.
    pub can_restrict: bool,
    /// The RBAC level alone: creators and admins manage; else the caller's access control row,
    /// the dashboard's default row, or `editor`.
    rbac_level: AccessLevel,
}

impl DashboardAccess {
    /// Computes the caller's rights; `privilege` is the caller's collaborator level, if any, and
    /// `access_control` the level of the access control row that applies to the caller, if any.
    pub fn new(
        ctx: &ProjectContext,
        dashboard: &Dashboard,
        privilege: Option<i64>,
        access_control: Option<AccessLevel>,
    ) -> Self {
        let licensed = |key| ctx.organization.has_feature(key);
        let effective_restriction_level = if licensed(feature::ACCESS_CONTROL) {
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
        let rbac_level = if can_restrict {
            AccessLevel::Manager
        } else if licensed(feature::ADVANCED_PERMISSIONS) {
            access_control.unwrap_or(AccessLevel::DEFAULT)
        } else {
            AccessLevel::DEFAULT
        };
        Self {
            effective_restriction_level,
            effective_privilege_level,
            can_restrict,
            rbac_level,
        }
    }

    /// What a public share viewer gets (`DashboardBasicSerializer` in a shared context).
    pub fn shared() -> Self {
        Self {
            effective_restriction_level: ONLY_COLLABORATORS_CAN_EDIT,
            effective_privilege_level: CAN_VIEW,
            can_restrict: false,
            rbac_level: AccessLevel::Viewer,
        }
    }

    /// An insight's rights from those on the dashboards it is on (`UserInsightPermissions`): the
    /// strictest restriction, and editable if any of them is (or if it is on none).
    pub fn for_insight(dashboards: &[DashboardAccess]) -> Self {
        let editable = dashboards.is_empty() || dashboards.iter().any(|d| d.can_edit());
        Self {
            effective_restriction_level: dashboards
                .iter()
                .map(|d| d.effective_restriction_level)
                .max()
                .unwrap_or(EVERYONE_CAN_EDIT),
            effective_privilege_level: if editable { CAN_EDIT } else { CAN_VIEW },
            can_restrict: false,
            rbac_level: dashboards
                .iter()
                .map(|d| d.rbac_level)
                .max()
                .unwrap_or(AccessLevel::DEFAULT),
        }
    }

    /// The level reported as `user_access_level`: the RBAC level, capped at `viewer` when the
    /// restriction level leaves the caller only viewing.
    pub fn access_level(&self) -> AccessLevel {
        if self.effective_privilege_level < CAN_EDIT {
            self.rbac_level.min(AccessLevel::Viewer)
        } else {
            self.rbac_level
        }
    }

    /// `user_access_level`.
    pub fn user_access_level(&self) -> &'static str {
        self.access_level().as_str()
    }

    /// Whether the dashboard is visible to the caller at all (RBAC level above `none`).
    pub fn can_view(&self) -> bool {
        self.rbac_level >= AccessLevel::Viewer
    }

    /// Whether the caller may change the dashboard (`CanEditDashboard` and RBAC `editor`).
    pub fn can_edit(&self) -> bool {
        self.effective_privilege_level >= CAN_EDIT && self.rbac_level >= AccessLevel::Editor
    }

    /// `AccessControlPermission` for reads: 403 below `viewer`.
    pub fn require_view(&self) -> Result<(), ApiError> {
        if self.can_view() {
            Ok(())
        } else {
            Err(ApiError::access_level_required("viewer"))
        }
    }

    /// `AccessControlPermission` for writes, then `CanEditDashboard`, each with its own message.
    pub fn require_edit(&self) -> Result<(), ApiError> {
        if self.rbac_level < AccessLevel::Editor {
            Err(ApiError::access_level_required("editor"))
        } else if !self.can_edit() {
            Err(ApiError::no_dashboard_edit_rights())
        } else {
            Ok(())
        }
    }

    /// Whether the caller may change the dashboard's access controls (`manager`).
    pub fn can_manage_access(&self) -> bool {
        self.rbac_level >= AccessLevel::Manager
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
