//! The connection to PostHog (host, key or OAuth sign-in, project) and where it is kept
//! between page loads. OAuth tokens live in this tab's sessionStorage only, never localStorage.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use web_sys::Storage;

use super::config::{AppConfig, AuthMode};
use crate::api::oauth::OAuthTokens;
use crate::api::ApiClient;

/// Storage key in `sessionStorage` (default) or `localStorage` ("Remember on this device").
pub const STORAGE_KEY: &str = "dashdeck.connection";

/// Who Dashdeck talks to, as whom, and which project was chosen.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub host: String,
    pub api_key: String,
    #[serde(default)]
    pub project_id: Option<i64>,
    #[serde(default)]
    pub project_name: Option<String>,
    /// The OAuth sign-in, when the user signed in with PostHog instead of giving a key.
    #[serde(default, with = "tokens_as_text")]
    pub oauth: Option<OAuthTokens>,
}

/// Stores the tokens as one string (see [`OAuthTokens::to_text`]).
mod tokens_as_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::api::oauth::OAuthTokens;

    pub fn serialize<S: Serializer>(tokens: &Option<OAuthTokens>, s: S) -> Result<S::Ok, S::Error> {
        tokens.as_ref().map(OAuthTokens::to_text).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OAuthTokens>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        Ok(text.as_deref().and_then(OAuthTokens::from_text))
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("host", &self.host)
            .field("project_id", &self.project_id)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// A client for this connection's key (see [`Session::client`] for OAuth sign-ins).
    pub fn client(&self) -> ApiClient {
        ApiClient::new(&self.host, &self.api_key)
    }

    /// The project's name when known, else "Project {id}".
    pub fn project_label(&self, project_id: i64) -> String {
        match (&self.project_name, self.project_id) {
            (Some(name), Some(id)) if id == project_id && !name.is_empty() => name.clone(),
            _ => format!("Project {project_id}"),
        }
    }
}

/// The connection to start with: a preset from `config.json` wins, then a stored one. `stored` is
/// called only without a preset: a tab's first touch of the browser's storage waits for the
/// browser process, on the way to the first request.
pub fn initial_connection(
    config: &AppConfig,
    origin: &str,
    stored: impl FnOnce() -> Option<Connection>,
) -> Option<Connection> {
    // Behind a proxy the key lives on the server: connected from the start, with no key.
    let key = match config.auth {
        AuthMode::Proxy => Some(""),
        AuthMode::Key => config.preset_key(),
        AuthMode::OAuth => None,
    };
    match key {
        Some(key) => Some(Connection {
            host: config.host_or(origin),
            api_key: key.to_string(),
            project_id: config.project_id,
            project_name: None,
            oauth: None,
        }),
        None => stored(),
    }
}

/// The app-wide session: the current connection, or `None` when disconnected.
#[derive(Clone, Copy)]
pub struct Session {
    connection: RwSignal<Option<Connection>>,
    /// The client of an OAuth connection, shared so that its token refreshes happen once.
    client: StoredValue<Option<ApiClient>>,
}

impl Session {
    /// Creates the session and makes it available to every component below.
    pub fn provide(connection: Option<Connection>) -> Self {
        let session = Self {
            connection: RwSignal::new(connection),
            client: StoredValue::new(None),
        };
        provide_context(session);
        session
    }

    /// The API client of `connection`: for an OAuth sign-in, one shared client whose refreshed
    /// tokens are stored again, and whose ended sign-in is forgotten.
    pub fn client(&self, connection: &Connection) -> ApiClient {
        let Some(tokens) = connection.oauth.clone() else {
            return connection.client();
        };
        if let Some(client) = self.client.get_value() {
            return client;
        }
        let session = *self;
        let client = ApiClient::with_oauth(
            &connection.host,
            tokens,
            Box::new(move |tokens| session.tokens_changed(tokens)),
        );
        self.client.set_value(Some(client.clone()));
        client
    }

    fn tokens_changed(&self, tokens: Option<&OAuthTokens>) {
        let Some(tokens) = tokens else {
            clear_stored();
            return self.connection.set(None);
        };
        let Some(mut connection) = self.connection.get_untracked() else {
            return;
        };
        connection.oauth = Some(tokens.clone());
        store(session_storage(), &connection);
        self.connection.set(Some(connection));
    }

    /// The current connection (reactive).
    pub fn connection(&self) -> Option<Connection> {
        self.connection.get()
    }

    /// The current connection, without subscribing to changes.
    pub fn connection_untracked(&self) -> Option<Connection> {
        self.connection.get_untracked()
    }

    /// Uses a connection from config.json or storage without storing it again.
    pub fn restore(&self, connection: Connection) {
        self.client.set_value(None);
        self.connection.set(Some(connection));
    }

    /// Keeps a checked connection for this tab, or on this device when `remember` is set (never
    /// for an OAuth sign-in, whose tokens stay in this tab).
    pub fn connect(&self, connection: Connection, remember: bool) {
        clear_stored();
        let storage = if remember && connection.oauth.is_none() {
            local_storage()
        } else {
            session_storage()
        };
        store(storage, &connection);
        self.client.set_value(None);
        self.connection.set(Some(connection));
    }

    /// Forgets the connection everywhere; an OAuth sign-in is also revoked at PostHog.
    pub fn disconnect(&self) {
        let connection = self.connection.get_untracked();
        if let Some((host, tokens)) = connection.and_then(|c| Some((c.host, c.oauth?))) {
            leptos::task::spawn_local(async move {
                // Forgotten here either way; a failed revocation leaves tokens that expire.
                let _ = crate::api::oauth::revoke(&host, &tokens).await;
            });
        }
        clear_stored();
        crate::api::forget_early_read();
        self.client.set_value(None);
        self.connection.set(None);
    }
}

fn store(storage: Option<Storage>, connection: &Connection) {
    if let (Some(storage), Ok(json)) = (storage, serde_json::to_string(connection)) {
        let _ = storage.set_item(STORAGE_KEY, &json);
    }
}

/// The session provided by [`Session::provide`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The connection kept by an earlier visit: this tab's first, then this device's.
pub fn load_stored() -> Option<Connection> {
    [session_storage(), local_storage()]
        .into_iter()
        .flatten()
        .find_map(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
}

fn clear_stored() {
    for storage in [session_storage(), local_storage()].into_iter().flatten() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

pub(crate) fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Connection {
        Connection {
            host: "https://eu.posthog.com".into(),
            api_key: "phx_stored".into(),
            project_id: Some(3),
            project_name: Some("Shop".into()),
            oauth: None,
        }
    }

    #[test]
    fn preset_wins_over_stored() {
        let config = AppConfig {
            host: None,
            project_id: Some(1),
            api_key: Some("phx_preset".into()),
            ..Default::default()
        };
        let connection = initial_connection(&config, "http://127.0.0.1:8080", || {
            panic!("a preset key does not read the stored connection")
        });
        let connection = connection.unwrap();
        assert_eq!(connection.host, "http://127.0.0.1:8080");
        assert_eq!(connection.api_key, "phx_preset");
        assert_eq!(connection.project_id, Some(1));
    }

    #[test]
    fn stored_is_used_without_a_preset_key() {
        let config = AppConfig {
            host: Some("https://us.posthog.com".into()),
            ..Default::default()
        };
        assert_eq!(
            initial_connection(&config, "http://x", || Some(stored())),
            Some(stored())
        );
        assert_eq!(initial_connection(&config, "http://x", || None), None);
    }

    #[test]
    fn proxy_mode_connects_without_a_key() {
        let config = AppConfig {
            auth: AuthMode::Proxy,
            ..Default::default()
        };
        let connection = initial_connection(&config, "http://proxy", || {
            panic!("no stored connection behind a proxy")
        })
        .unwrap();
        assert_eq!(connection.host, "http://proxy");
        assert_eq!(
            connection.api_key, "",
            "the proxy adds the key, the browser never has it"
        );
    }

    #[test]
    fn oauth_mode_starts_from_this_tabs_sign_in() {
        let config = AppConfig {
            auth: AuthMode::OAuth,
            project_id: Some(1),
            ..Default::default()
        };
        let signed_in = Connection {
            api_key: String::new(),
            oauth: Some(OAuthTokens {
                client_id: "https://app.example/oauth-client.json".into(),
                access_token: "pha_secret".into(),
                refresh_token: "phr_secret".into(),
                expires_at_ms: 1,
            }),
            ..stored()
        };
        assert_eq!(initial_connection(&config, "http://x", || None), None);
        let restored = initial_connection(&config, "http://x", || Some(signed_in.clone()));
        assert_eq!(restored, Some(signed_in.clone()));
        // Stored as JSON in sessionStorage and read back whole; never shown in Debug.
        let json = serde_json::to_string(&signed_in).unwrap();
        assert_eq!(
            serde_json::from_str::<Connection>(&json).unwrap(),
            signed_in
        );
        assert!(!format!("{signed_in:?}").contains("secret"));
    }

    #[test]
    fn debug_never_shows_the_key() {
        assert!(!format!("{:?}", stored()).contains("phx_stored"));
        assert!(!format!("{:?}", stored().client()).contains("phx_stored"));
    }

    #[test]
    fn project_label_uses_the_name_only_for_its_project() {
        assert_eq!(stored().project_label(3), "Shop");
        assert_eq!(stored().project_label(4), "Project 4");
    }
}
