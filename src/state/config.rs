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
}

/// `{"host": string|null, "project_id": number|null, "api_key": string|null, "auth": "key"|"proxy"}`.
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
}

/// Fetches `config.json` relative to the app's base URL; a missing or unreadable file means
/// no presets.
pub async fn load() -> AppConfig {
    let response = match gloo_net::http::Request::get("config.json").send().await {
        Ok(response) if response.ok() => response,
        _ => return AppConfig::default(),
    };
    match response.json().await {
        Ok(config) => config,
        Err(error) => {
            web_sys::console::warn_1(&format!("Ignoring unreadable config.json: {error}").into());
            AppConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
