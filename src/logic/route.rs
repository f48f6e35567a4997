//! The app's routes: which page a path shows.

/// A page of the app, with the ids its path carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: redirects to the project or to `/connect`.
    Home,
    /// `/connect`.
    Connect,
    /// `/project/{project_id}/dashboards` (and `/project/{project_id}`).
    Dashboards {
        project_id: i64,
    },
    /// `/project/{project_id}/dashboards/{dashboard_id}`.
    Dashboard {
        project_id: i64,
        dashboard_id: i64,
    },
    NotFound,
}

impl Route {
    /// Matches a path (without query string); a trailing slash is ignored.
    pub fn parse(path: &str) -> Self {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let id = |s: &str| s.parse::<i64>().ok().filter(|id| *id > 0);
        match segments.as_slice() {
            [] => Route::Home,
            ["connect"] => Route::Connect,
            ["project", project] | ["project", project, "dashboards"] => match id(project) {
                Some(project_id) => Route::Dashboards { project_id },
                None => Route::NotFound,
            },
            ["project", project, "dashboards", dashboard] => match (id(project), id(dashboard)) {
                (Some(project_id), Some(dashboard_id)) => Route::Dashboard {
                    project_id,
                    dashboard_id,
                },
                _ => Route::NotFound,
            },
            _ => Route::NotFound,
        }
    }

    /// The list of a project's dashboards.
    pub fn dashboards_path(project_id: i64) -> String {
        format!("/project/{project_id}/dashboards")
    }

    /// One dashboard.
    pub fn dashboard_path(project_id: i64, dashboard_id: i64) -> String {
        format!("/project/{project_id}/dashboards/{dashboard_id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_routes() {
        assert_eq!(Route::parse("/"), Route::Home);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("/connect"), Route::Connect);
        assert_eq!(Route::parse("/connect/"), Route::Connect);
        assert_eq!(
            Route::parse("/project/1/dashboards"),
            Route::Dashboards { project_id: 1 }
        );
        assert_eq!(
            Route::parse("/project/1"),
            Route::Dashboards { project_id: 1 }
        );
        assert_eq!(
            Route::parse("/project/1/dashboards/42/"),
            Route::Dashboard {
                project_id: 1,
                dashboard_id: 42
            }
        );
    }

    #[test]
    fn bad_ids_and_unknown_paths_are_not_found() {
        for path in [
            "/project/abc/dashboards",
            "/project/1/dashboards/x",
            "/project/0/dashboards",
            "/project/1/dashboards/-5",
            "/nope",
            "/project/1/insights",
        ] {
            assert_eq!(Route::parse(path), Route::NotFound, "{path}");
        }
    }

    #[test]
    fn paths_round_trip() {
        assert_eq!(
            Route::parse(&Route::dashboard_path(3, 9)),
            Route::Dashboard {
                project_id: 3,
                dashboard_id: 9
            }
        );
        assert_eq!(
            Route::parse(&Route::dashboards_path(3)),
            Route::Dashboards { project_id: 3 }
        );
    }
}
