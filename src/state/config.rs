//! The runtime `config.json` served next to the app, which may preset a connection.

use serde::Deserialize;

/// How the app authenticates its API requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// A personal API key, typed on the connect screen or preset.
    #[default]
    Key,
    /// A same-origin proxy adds the key on the server; the app sends none.
    Proxy,
    /// "Sign in with PostHog" (OAuth with PKCE) only; no key field.
    #[serde(rename = "oauth")]
    OAuth,
}

/// `{"host": string|null, "project_id": number|null, "api_key": string|null,
/// "auth": "key"|"proxy"|"oauth", "oauth_client_id": string|null,
/// "allowed_hosts": [string]|null, "base_path": string|null}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AppConfig {
    /// `None` means the app's own origin.
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub project_id: Option<i64>,
    #[serde(default)]
    pub api_key: Option<String>,
    #[serde(default)]
    pub auth: AuthMode,
    /// The URL of the app's OAuth client metadata document; `None` = `oauth-client.json` next
    /// to `index.html`.
    #[serde(default)]
    pub oauth_client_id: Option<String>,
    /// The PostHog hosts users may connect to (connect screen, stored sessions, Copy to another
    /// instance); `None` = any.
    #[serde(default)]
    pub allowed_hosts: Option<Vec<String>>,
    /// The path the app is served under (e.g. `/tools/dashboards/`), checked at start-up against
    /// the page's `<base href>` so a mis-rebased deployment says so instead of half-working.
    #[serde(default)]
    pub base_path: Option<String>,
}

impl AppConfig {
    /// The configured host, or `origin` when the config leaves it out.
    pub fn host_or(&self, origin: &str) -> String {
        self.host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .unwrap_or(origin)
            .trim_end_matches('/')
            .to_string()
    }

    /// The preset key, if the deployment ships one.
    pub fn preset_key(&self) -> Option<&str> {
        self.api_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
    }

    /// Whether users may connect to `host` (as `parse_host` returns it); the error is a sentence.
    pub fn check_host(&self, host: &str) -> Result<(), String> {
        let Some(allowed) = &self.allowed_hosts else {
            return Ok(());
        };
        let same = |h: &String| {
            h.trim()
                .trim_end_matches('/')
                .eq_ignore_ascii_case(host.trim_end_matches('/'))
        };
        if allowed.iter().any(same) {
            Ok(())
        } else {
            Err(format!(
                "This copy of Dashdeck may only connect to {}.",
                allowed.join(", ")
            ))
        }
    }

    /// A host typed by the user, checked as a URL and against `allowed_hosts`: the trimmed host,
    /// or the sentence to show beside the host field.
    pub fn parse_allowed_host(&self, input: &str) -> Result<String, String> {
        let host = crate::logic::validation::parse_host(input)?;
        self.check_host(&host)?;
        Ok(host)
    }

    /// Checks `base_path` against the path the page is served under (`<base href>`'s path
    /// without its trailing slash, as the router reads it).
    pub fn check_base_path(&self, served_under: &str) -> Result<(), String> {
        let Some(expected) = self.base_path.as_deref() else {
            return Ok(());
        };
        let expected = expected.trim().trim_end_matches('/');
        if expected == served_under.trim_end_matches('/') {
            Ok(())
        } else {
            Err(format!(
                "config.json says the app lives under \"{}/\", but this page is served under \"{}/\". \
                 Rebase index.html's <base href> (see the README's \"Hosting\") or correct \"base_path\".",
                expected,
                served_under.trim_end_matches('/')
            ))
        }
    }

    /// Reads and checks a `config.json` text; the error is a sentence for whoever deployed it.
    pub fn parse(text: &str) -> Result<AppConfig, String> {
        Self::parse_from(text, "config.json")
    }

    /// Reads and checks settings with `config.json`'s fields from `source` (named in errors),
    /// e.g. the options a host page embeds Dashdeck with.
    pub fn parse_from(text: &str, source: &str) -> Result<AppConfig, String> {
        let config: AppConfig =
            serde_json::from_str(text).map_err(|e| format!("{source} is not valid: {e}."))?;
        if let Some(host) = config.host.as_deref().filter(|h| !h.trim().is_empty()) {
            crate::logic::validation::parse_host(host)
                .map_err(|e| format!("{source} has an unusable \"host\" ({host}): {e}"))?;
        }
        if let Some(client_id) = config.oauth_client_id.as_deref() {
            crate::logic::validation::parse_client_id(client_id).map_err(|e| {
                format!("config.json has an unusable \"oauth_client_id\" ({client_id}): {e}")
            })?;
        }
        if config.auth == AuthMode::OAuth && config.preset_key().is_some() {
            return Err("config.json sets \"auth\": \"oauth\" and an \"api_key\": with                         OAuth sign-in, leave \"api_key\" null."
                .into());
        }
        if let Some(allowed) = &config.allowed_hosts {
            if allowed.is_empty() {
                return Err(format!(
                    "{source} has an empty \"allowed_hosts\": list at least one host, or leave it null to allow any."
                ));
            }
            for host in allowed {
                crate::logic::validation::parse_host(host).map_err(|e| {
                    format!("{source} has an unusable host in \"allowed_hosts\" ({host}): {e}")
                })?;
            }
            if let Some(host) = config.host.as_deref().filter(|h| !h.trim().is_empty()) {
                config.check_host(host.trim()).map_err(|_| {
                    format!(
                        "{source} sets \"host\" to {host}, which \"allowed_hosts\" does not list."
                    )
                })?;
            }
        }
        if let Some(path) = config.base_path.as_deref() {
            if !path.starts_with('/') || path.contains(['?', '#', ' ', '\\']) || path.contains("//")
            {
                return Err(format!(
                    "{source} has an unusable \"base_path\" ({path}): it must be a path such as \"/tools/dashboards/\"."
                ));
            }
        }
        if config.project_id.is_some_and(|id| id <= 0) {
            return Err(format!(
                "{source} has an unusable \"project_id\": it must be a positive number."
            ));
        }
        Ok(config)
    }
}

/// Fetches `config.json` relative to the app's base URL. No file means no presets; a file that
/// cannot be used is an error the app shows instead of silently ignoring the deployment's intent.
pub async fn load() -> Result<AppConfig, String> {
    let Some(request) = crate::api::client::request("GET", "config.json", &[], None, None) else {
        return Ok(AppConfig::default());
    };
    let response = match request.send().await {
        Ok(response) if response.ok() => response,
        _ => return Ok(AppConfig::default()),
    };
    let text = response
        .text()
        .await
        .map_err(|_| "config.json could not be read.".to_string())?;
    AppConfig::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_hosts_limit_where_users_connect() {
        let any = AppConfig::default();
        assert_eq!(any.check_host("https://anything.example"), Ok(()));
        let eu = AppConfig::parse(
            r#"{"allowed_hosts": ["https://eu.posthog.com/", "http://127.0.0.1:8000"]}"#,
        )
        .unwrap();
        assert_eq!(eu.check_host("https://EU.posthog.com"), Ok(()));
        assert_eq!(eu.check_host("http://127.0.0.1:8000"), Ok(()));
        assert_eq!(
            eu.check_host("https://us.posthog.com").unwrap_err(),
            "This copy of Dashdeck may only connect to https://eu.posthog.com/, http://127.0.0.1:8000."
        );
        assert!(eu
            .check_host("https://eu.posthog.com.evil.example")
            .is_err());
    }

    #[test]
    fn base_path_must_match_where_the_page_is_served() {
        let config = AppConfig::parse(r#"{"base_path": "/tools/dashboards/"}"#).unwrap();
        assert_eq!(config.check_base_path("/tools/dashboards"), Ok(()));
        let error = config.check_base_path("").unwrap_err();
        assert!(
            error.contains("lives under \"/tools/dashboards/\""),
            "{error}"
        );
        assert!(error.contains("served under \"/\""), "{error}");
        assert_eq!(AppConfig::default().check_base_path("/x"), Ok(()));
        assert_eq!(
            AppConfig::parse(r#"{"base_path": "/"}"#)
                .unwrap()
                .check_base_path(""),
            Ok(())
        );
    }

    #[test]
    fn full_and_empty_configs_decode() {
        let full: AppConfig = serde_json::from_str(
            r#"{"host": "http://127.0.0.1:8080/", "project_id": 1, "api_key": "phx_x", "extra": true}"#,
        )
        .unwrap();
        assert_eq!(full.host_or("http://app"), "http://127.0.0.1:8080");
        assert_eq!(full.preset_key(), Some("phx_x"));
        let empty: AppConfig =
            serde_json::from_str(r#"{"host": null, "project_id": null, "api_key": null}"#).unwrap();
        assert_eq!(empty.host_or("http://app"), "http://app");
        assert_eq!(empty.preset_key(), None);
        assert_eq!(
            serde_json::from_str::<AppConfig>("{}").unwrap(),
            AppConfig::default()
        );
        let proxy: AppConfig = serde_json::from_str(r#"{"host": null, "auth": "proxy"}"#).unwrap();
        assert_eq!(proxy.auth, AuthMode::Proxy);
    }

    #[test]
    fn unusable_configs_say_what_is_wrong() {
        let error = |text: &str| AppConfig::parse(text).unwrap_err();
        assert!(error("{").starts_with("config.json is not valid: EOF"));
        assert!(error(r#"{"auth": "magic"}"#)
            .contains("unknown variant `magic`, expected one of `key`, `proxy`, `oauth`"));
        assert!(
            error(r#"{"auth": "oauth", "api_key": "phx_x"}"#).contains("leave \"api_key\" null")
        );
        assert!(error(r#"{"oauth_client_id": "http://app.example/c.json"}"#)
            .contains("unusable \"oauth_client_id\""));
        let oauth = AppConfig::parse(
            r#"{"auth": "oauth", "oauth_client_id": "https://app.example/oauth-client.json"}"#,
        )
        .unwrap();
        assert_eq!(oauth.auth, AuthMode::OAuth);
        assert!(error(r#"{"host": "ftp://x"}"#).contains("unusable \"host\" (ftp://x)"));
        assert!(error(r#"{"project_id": 0}"#).contains("positive number"));
        assert!(error(r#"{"project_id": "1"}"#).contains("invalid type"));
        assert!(
            AppConfig::parse_from(r#"{"project_id": -2}"#, "The embedding configuration")
                .unwrap_err()
                .starts_with("The embedding configuration has an unusable \"project_id\"")
        );
        assert!(error(r#"{"allowed_hosts": []}"#).contains("empty \"allowed_hosts\""));
        assert!(error(r#"{"allowed_hosts": ["ftp://x"]}"#)
            .contains("unusable host in \"allowed_hosts\" (ftp://x)"));
        assert!(error(
            r#"{"host": "https://us.posthog.com", "allowed_hosts": ["https://eu.posthog.com"]}"#
        )
        .contains("which \"allowed_hosts\" does not list"));
        assert!(error(r#"{"base_path": "tools/"}"#).contains("unusable \"base_path\""));
        assert!(error(r#"{"base_path": "/a//b/"}"#).contains("unusable \"base_path\""));
        assert_eq!(
            AppConfig::parse(r#"{"host": "", "auth": "key"}"#)
                .unwrap()
                .auth,
            AuthMode::Key
        );
    }
}
