//! The app's routes: which page a path shows.

/// A page of the app, with the ids its path carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: redirects to the project or to `/connect`.
    Home,
    /// `/connect`.
    Connect,
    /// `/oauth/callback`: PostHog's answer to "Sign in with PostHog".
    OAuthCallback,
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
            ["oauth", "callback"] => Route::OAuthCallback,
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

/// The hosting sub-path from a `<base href>` pathname: `/tools/dashboards/` → `/tools/dashboards`,
/// `/` → `` (empty).
pub fn base_path(base_pathname: &str) -> String {
    base_pathname.trim_end_matches('/').to_string()
}

/// The app path of a browser pathname under `base`: `/tools/dashboards/project/1` →
/// `/project/1`; the base itself → `/`. A pathname outside the base is kept as it is.
pub fn strip_base(base: &str, pathname: &str) -> String {
    match pathname.strip_prefix(base) {
        Some("") => "/".to_string(),
        Some(rest) if rest.starts_with('/') => rest.to_string(),
        _ => pathname.to_string(),
    }
}

/// The app path and query string (with its `?`, or empty) kept in a URL fragment when Dashdeck is
/// embedded: `#/project/1/dashboards?search=x` → (`/project/1/dashboards`, `?search=x`); `None` for
/// a fragment that is not an app path (empty, or the host page's own `#section`).
pub fn split_fragment(fragment: &str) -> Option<(String, String)> {
    let url = fragment.strip_prefix('#').unwrap_or(fragment);
    if !url.starts_with('/') {
        return None;
    }
    Some(match url.find('?') {
        Some(at) => (url[..at].to_string(), url[at..].to_string()),
        None => (url.to_string(), String::new()),
    })
}

/// The app URL a link's `href` points to, if it is one of the app's own links: under `base` in
/// history routing (`/tools/dashboards/project/1` → `/project/1`); when embedded in the host page
/// at `page` (its path and query), a `#/…` fragment of that page (`/crm?x=1#/project/1`).
pub fn app_link(href: &str, base: &str, embedded_page: Option<&str>) -> Option<String> {
    if let Some(page) = embedded_page {
        let (before, url) = href.split_once('#')?;
        return ((before.is_empty() || before == page) && url.starts_with('/'))
            .then(|| url.to_string());
    }
    let inside = href == base || href.starts_with(&format!("{base}/"));
    (inside && href.starts_with('/') && !href.starts_with("//")).then(|| strip_base(base, href))
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
        assert_eq!(Route::parse("/oauth/callback"), Route::OAuthCallback);
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

    #[test]
    fn sub_path_hosting_maps_to_app_paths() {
        assert_eq!(base_path("/"), "");
        assert_eq!(base_path("/tools/dashboards/"), "/tools/dashboards");
        assert_eq!(
            strip_base("", "/project/1/dashboards"),
            "/project/1/dashboards"
        );
        let base = "/tools/dashboards";
        assert_eq!(
            strip_base(base, "/tools/dashboards/project/1/dashboards"),
            "/project/1/dashboards"
        );
        assert_eq!(strip_base(base, "/tools/dashboards/"), "/");
        assert_eq!(strip_base(base, "/tools/dashboards"), "/");
        assert_eq!(
            strip_base(base, "/tools/dashboardsx/a"),
            "/tools/dashboardsx/a"
        );
        assert_eq!(
            Route::parse(&strip_base(
                base,
                "/tools/dashboards/project/3/dashboards/9"
            )),
            Route::Dashboard {
                project_id: 3,
                dashboard_id: 9
            }
        );
    }

    #[test]
    fn embedded_routes_live_in_the_fragment() {
        assert_eq!(
            split_fragment("#/project/1/dashboards?search=kpi"),
            Some((
                "/project/1/dashboards".to_string(),
                "?search=kpi".to_string()
            ))
        );
        assert_eq!(
            split_fragment("#/project/1/dashboards/4"),
            Some(("/project/1/dashboards/4".to_string(), String::new()))
        );
        for not_ours in ["", "#", "#top", "#section?x=1"] {
            assert_eq!(split_fragment(not_ours), None, "{not_ours}");
        }
    }

    #[test]
    fn only_the_apps_own_links_are_followed_in_place() {
        assert_eq!(app_link("/project/1", "", None), Some("/project/1".into()));
        assert_eq!(
            app_link("/tools/dashboards/project/1", "/tools/dashboards", None),
            Some("/project/1".into())
        );
        assert_eq!(app_link("/elsewhere", "/tools/dashboards", None), None);
        assert_eq!(app_link("//evil.example/x", "", None), None);
        assert_eq!(app_link("https://posthog.com", "", None), None);
        let page = Some("/crm/reports?team=2");
        assert_eq!(
            app_link("/crm/reports?team=2#/project/1?edit=1", "", page),
            Some("/project/1?edit=1".into())
        );
        assert_eq!(app_link("#/project/1", "", page), Some("/project/1".into()));
        assert_eq!(
            app_link("/crm/other#/project/1", "", page),
            None,
            "another host page"
        );
        assert_eq!(
            app_link("#top", "", page),
            None,
            "the host page's own anchor"
        );
        assert_eq!(app_link("/project/1", "", page), None, "a host page path");
    }
}
