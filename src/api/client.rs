//! The PostHog REST client: one private request function that adds the key (or the OAuth
//! access token, refreshed when it expires or is refused), honours an abort signal and decodes
//! PostHog's error body; one typed method per endpoint.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use gloo_net::http::Method;
use leptos::prelude::{on_cleanup, window, GetValue, LocalStorage, SetValue, StoredValue};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use web_sys::{AbortController, AbortSignal};

use super::early;
use super::error::ApiError;
use super::models::{Dashboard, Page, Project, TilePatch, User};
use super::oauth::{self, OAuthTokens};
use crate::logic::list_query::{encode_component, ServerListParams};
use crate::logic::retry;
use crate::state::network;

/// A client bound to one PostHog host and a personal API key or an OAuth sign-in. Requests
/// only ever go to `host`.
#[derive(Clone)]
pub struct ApiClient {
    host: String,
    api_key: String,
    oauth: Option<Arc<OAuthSession>>,
}

impl PartialEq for ApiClient {
    fn eq(&self, other: &Self) -> bool {
        let same_oauth = match (&self.oauth, &other.oauth) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        self.host == other.host && self.api_key == other.api_key && same_oauth
    }
}

/// Told about every change of an OAuth sign-in: new tokens after a refresh, or `None` when
/// the sign-in ended (the refresh token was refused).
pub type OnTokens = Box<dyn Fn(Option<&OAuthTokens>) + Send + Sync>;

/// An OAuth sign-in shared by every clone of a client: its current tokens, and whether a
/// refresh is under way (so concurrent requests refresh once, not once each).
struct OAuthSession {
    tokens: Mutex<OAuthTokens>,
    refreshing: AtomicBool,
    /// Why the last refresh failed, for the requests that waited for it.
    failure: Mutex<Option<ApiError>>,
    on_change: OnTokens,
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl OAuthSession {
    fn current(&self) -> OAuthTokens {
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The access token to send: the current one, or a new one if it has expired.
    async fn fresh_token(self: &Arc<Self>, host: &str) -> Result<String, ApiError> {
        let current = self.current();
        if current.expired(now_ms()) {
            self.refreshed_after(host, &current.access_token).await
        } else {
            Ok(current.access_token)
        }
    }

    /// An access token other than `stale`: starts a refresh unless one is under way, and
    /// waits for its outcome.
    async fn refreshed_after(
        self: &Arc<Self>,
        host: &str,
        stale: &str,
    ) -> Result<String, ApiError> {
        let current = self.current();
        if current.access_token != stale {
            return Ok(current.access_token);
        }
        if !self.refreshing.swap(true, Ordering::SeqCst) {
            // Detached from this request, so that leaving the page mid-refresh can neither
            // lose the rotated tokens nor leave the flag set.
            let session = Arc::clone(self);
            let host = host.to_string();
            leptos::task::spawn_local(async move { session.refresh(&host).await });
        }
        loop {
            let current = self.current();
            if current.access_token != stale {
                return Ok(current.access_token);
            }
            if !self.refreshing.load(Ordering::SeqCst) {
                let failure = self
                    .failure
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone();
                return Err(failure.unwrap_or(ApiError::SignInEnded));
            }
            network::sleep(25).await;
        }
    }

    async fn refresh(&self, host: &str) {
        let result = oauth::refresh(host, &self.current(), now_ms()).await;
        let failure = match result {
            Ok(tokens) => {
                (self.on_change)(Some(&tokens));
                *self.tokens.lock().unwrap_or_else(|p| p.into_inner()) = tokens;
                None
            }
            Err(error) => {
                if error == ApiError::SignInEnded {
                    (self.on_change)(None);
                }
                Some(error)
            }
        };
        *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = failure;
        self.refreshing.store(false, Ordering::SeqCst);
    }
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key never reaches logs or panic messages.
        f.debug_struct("ApiClient")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// `host` is an origin without a trailing slash, e.g. `https://us.posthog.com`.
    pub fn new(host: impl Into<String>, api_key: impl Into<String>) -> Self {
        Self {
            host: host.into(),
            api_key: api_key.into(),
            oauth: None,
        }
    }

    /// A client acting with an OAuth sign-in; `on_change` keeps refreshed tokens (or forgets
    /// an ended sign-in).
    pub fn with_oauth(host: impl Into<String>, tokens: OAuthTokens, on_change: OnTokens) -> Self {
        Self {
            host: host.into(),
            api_key: String::new(),
            oauth: Some(Arc::new(OAuthSession {
                tokens: Mutex::new(tokens),
                refreshing: AtomicBool::new(false),
                failure: Mutex::new(None),
                on_change,
            })),
        }
    }

    /// The tokens of the OAuth sign-in, if the client has one.
    pub fn oauth_tokens(&self) -> Option<OAuthTokens> {
        self.oauth.as_ref().map(|session| session.current())
    }

    /// The PostHog host (origin) the client talks to; public share links live there too.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `GET /api/users/@me/`: the key's user; fails with `MissingScope` without `user:read`.
    pub async fn current_user(&self) -> Result<User, ApiError> {
        self.get("/api/users/@me/", None).await
    }

    /// `GET /api/organizations/{id}/projects/`: the projects the key can open.
    pub async fn projects(&self, organization_id: &str) -> Result<Page<Project>, ApiError> {
        let path = format!(
            "/api/organizations/{}/projects/?limit=100",
            path_segment(organization_id)?
        );
        self.get(&path, None).await
    }

    /// `GET /api/projects/{id}/dashboards/` with search, tags and one page of 100.
    pub async fn dashboards(
        &self,
        project_id: i64,
        params: &ServerListParams,
        signal: Option<AbortSignal>,
    ) -> Result<Page<Dashboard>, ApiError> {
        self.get(&dashboards_path(project_id, params), signal).await
    }

    /// [`Self::dashboards`] as the page now shown: also noted for this tab's next load of the
    /// page ([`early`]).
    pub async fn dashboards_of_page(
        &self,
        project_id: i64,
        params: &ServerListParams,
        signal: Option<AbortSignal>,
    ) -> Result<Page<Dashboard>, ApiError> {
        let path = dashboards_path(project_id, params);
        self.remember_read(&path);
        self.get(&path, signal).await
    }

    /// `GET /api/projects/{id}/dashboards/{id}/`: the dashboard with its tiles.
    pub async fn dashboard(
        &self,
        project_id: i64,
        dashboard_id: i64,
        signal: Option<AbortSignal>,
    ) -> Result<Dashboard, ApiError> {
        self.get(&dashboard_path(project_id, dashboard_id), signal)
            .await
    }

    /// [`Self::dashboard`] as the page now shown: also noted for this tab's next load of the
    /// page ([`early`]).
    pub async fn dashboard_of_page(
        &self,
        project_id: i64,
        dashboard_id: i64,
        signal: Option<AbortSignal>,
    ) -> Result<Dashboard, ApiError> {
        let path = dashboard_path(project_id, dashboard_id);
        self.remember_read(&path);
        self.get(&path, signal).await
    }

    /// `PATCH /api/projects/{id}/dashboards/{id}/` with `{"tiles": [...]}`: layouts, removal,
    /// colour and text tiles, all in one request. Answers the whole dashboard.
    pub async fn patch_tiles(
        &self,
        project_id: i64,
        dashboard_id: i64,
        patches: &[TilePatch],
    ) -> Result<Dashboard, ApiError> {
        let tiles: Vec<Value> = patches.iter().map(TilePatch::to_json).collect();
        self.update_dashboard(project_id, dashboard_id, &json!({ "tiles": tiles }))
            .await
    }

    /// `duplicate_tiles` in the dashboard PATCH: a deep copy of the tile placed at `layouts`.
    pub async fn duplicate_tile(
        &self,
        project_id: i64,
        dashboard_id: i64,
        tile_id: i64,
        layouts: Value,
    ) -> Result<Dashboard, ApiError> {
        let body = json!({ "duplicate_tiles": [{ "id": tile_id, "layouts": layouts }] });
        self.update_dashboard(project_id, dashboard_id, &body).await
    }

    /// `PATCH /dashboards/{from}/move_tile/`: newest PostHog reads `to_dashboard`; older
    /// versions read `toDashboard` (400 naming it, or a 500 on the missing key), so those
    /// answers are retried once with the old key. Answers the source dashboard.
    pub async fn move_tile(
        &self,
        project_id: i64,
        from: i64,
        tile_id: i64,
        to: i64,
    ) -> Result<Dashboard, ApiError> {
        let path = format!("/api/projects/{project_id}/dashboards/{from}/move_tile/");
        let body = |key: &str| json!({ "tile": { "id": tile_id }, key: to });
        match self
            .send(Method::PATCH, &path, Some(&body("to_dashboard")))
            .await
        {
            Err(ApiError::Validation { attr, detail })
                if attr.as_deref() == Some("toDashboard") || detail.contains("toDashboard") =>
            {
                self.send(Method::PATCH, &path, Some(&body("toDashboard")))
                    .await
            }
            Err(ApiError::Server { .. }) => {
                self.send(Method::PATCH, &path, Some(&body("toDashboard")))
                    .await
            }
            other => other,
        }
    }

    /// `POST {base}/dashboards/`: a blank, template or duplicated dashboard (PostHog's create body).
    pub async fn create_dashboard(
        &self,
        project_id: i64,
        body: &Value,
    ) -> Result<Dashboard, ApiError> {
        let path = format!("/api/projects/{project_id}/dashboards/");
        self.send(Method::POST, &path, Some(body)).await
    }

    /// `PATCH {base}/dashboards/{id}/`: changed fields, `deleted` for soft delete/restore, `tiles`.
    pub async fn update_dashboard(
        &self,
        project_id: i64,
        dashboard_id: i64,
        body: &Value,
    ) -> Result<Dashboard, ApiError> {
        let path = format!("/api/projects/{project_id}/dashboards/{dashboard_id}/");
        self.send(Method::PATCH, &path, Some(body)).await
    }

    /// `POST {base}/dashboards/create_from_template_json/` (refused to personal API keys by PostHog).
    pub async fn create_from_template_json(
        &self,
        project_id: i64,
        template: &Value,
    ) -> Result<Dashboard, ApiError> {
        let path = format!("/api/projects/{project_id}/dashboards/create_from_template_json/");
        let body = serde_json::json!({ "template": template });
        self.send(Method::POST, &path, Some(&body)).await
    }

    /// `POST {base}/insights/`: an insight, placed on dashboards through `dashboards: [ids]`.
    pub async fn create_insight(&self, project_id: i64, body: &Value) -> Result<Value, ApiError> {
        let path = format!("/api/projects/{project_id}/insights/");
        self.send(Method::POST, &path, Some(body)).await
    }

    /// Notes the read of a page's content for the boot script of this tab's next load of the
    /// page ([`early`]). Not with an OAuth sign-in: its access token changes.
    fn remember_read(&self, path: &str) {
        if self.oauth.is_none() {
            let url = format!("{}{}", self.host, path);
            early::remember(&url, &authorization(&self.api_key), timeout_ms());
        }
    }

    /// A read: repeated by itself after a 429's `Retry-After` (with a countdown in the banner)
    /// and when the browser comes back online; any other failure goes to the user.
    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        signal: Option<AbortSignal>,
    ) -> Result<T, ApiError> {
        decode(self.read_body(path, signal).await?)
    }

    async fn read_body(
        &self,
        path: &str,
        signal: Option<AbortSignal>,
    ) -> Result<Vec<u8>, ApiError> {
        let mut attempt = 0;
        loop {
            let result = self.fetch_body(Method::GET, path, None, &signal).await;
            let wait = match &result {
                Err(ApiError::Network) if network::note_failure() => {
                    network::wait_online(&signal).await?;
                    continue;
                }
                Err(error) => retry::read_retry_wait(error, attempt),
                Ok(_) => None,
            };
            let Some(seconds) = wait else {
                return result;
            };
            attempt += 1;
            network::count_down(seconds, &signal).await?;
        }
    }

    /// A write: sent once, never retried automatically (a retry could apply it twice).
    pub(super) async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, ApiError> {
        let result = self.fetch_body(method, path, body, &None).await;
        if matches!(result, Err(ApiError::Network)) {
            network::note_failure();
        }
        decode(result?)
    }

    /// Sends the request and returns the body of a 2xx answer. Not generic, so the fetch,
    /// abort, timeout and error handling exist once in the wasm rather than once per type.
    ///
    /// With an OAuth sign-in, an expired access token is refreshed first, and a 401 is answered
    /// by one refresh and one more attempt — for writes too: PostHog refuses an unauthenticated
    /// request before running it, so the retry cannot apply a write twice.
    pub(super) async fn fetch_body(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        signal: &Option<AbortSignal>,
    ) -> Result<Vec<u8>, ApiError> {
        let Some(oauth) = &self.oauth else {
            return self
                .fetch_once(method, path, body, signal, &self.api_key)
                .await;
        };
        let token = oauth.fresh_token(&self.host).await?;
        let first = self
            .fetch_once(method.clone(), path, body, signal, &token)
            .await;
        if !matches!(first, Err(ApiError::Unauthenticated { .. })) {
            return first;
        }
        let token = oauth.refreshed_after(&self.host, &token).await?;
        self.fetch_once(method, path, body, signal, &token).await
    }

    async fn fetch_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        signal: &Option<AbortSignal>,
        bearer: &str,
    ) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}{}", self.host, path);
        let authorization = authorization(bearer);
        if method == Method::GET {
            if let Some(body) = early_answer(&url, &authorization).await {
                return Ok(body);
            }
        }
        let timeout = AbortSignal::timeout_with_u32(timeout_ms());
        let combined = match signal {
            Some(signal) => AbortSignal::any(&js_sys::Array::of2(signal, &timeout)),
            None => timeout.clone(),
        };
        let failed = |_| {
            if signal.as_ref().is_some_and(|s| s.aborted()) {
                ApiError::Aborted
            } else if timeout.aborted() {
                ApiError::Timeout
            } else {
                ApiError::Network
            }
        };
        let mut headers = vec![("Accept", "application/json")];
        if !authorization.is_empty() {
            headers.push(("Authorization", &authorization));
        }
        let body = body.map(|body| body.to_string());
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let request = request(
            method.as_str(),
            &url,
            &headers,
            body.as_deref(),
            Some(&combined),
        )
        .ok_or(ApiError::Network)?;
        let response = request.send().await.map_err(failed)?;
        // Bytes, not text: the JSON goes to serde as UTF-8 without a round trip through a JS string.
        let body = response.binary().await.map_err(failed)?;
        if !response.ok() {
            let retry_after = response.headers().get("Retry-After");
            // An error body that is not UTF-8 is no JSON either: the status alone explains it.
            let text = std::str::from_utf8(&body).unwrap_or_default();
            return Err(ApiError::from_response(response.status(), text)
                .with_retry_after(retry_after.as_deref()));
        }
        Ok(body)
    }
}

fn dashboards_path(project_id: i64, params: &ServerListParams) -> String {
    format!(
        "/api/projects/{project_id}/dashboards/?{}",
        params.to_query_string()
    )
}

fn dashboard_path(project_id: i64, dashboard_id: i64) -> String {
    format!("/api/projects/{project_id}/dashboards/{dashboard_id}/")
}

/// The `Authorization` header for `bearer`; none behind a same-origin proxy (no key in the
/// browser), where the proxy authenticates.
fn authorization(bearer: &str) -> String {
    if bearer.is_empty() {
        String::new()
    } else {
        format!("Bearer {bearer}")
    }
}

/// A request's timeout; tests shorten it with `window.__dashdeckTimeoutMs`.
fn timeout_ms() -> u32 {
    let override_ms = js_sys::Reflect::get(&window(), &"__dashdeckTimeoutMs".into())
        .ok()
        .and_then(|v| v.as_f64());
    retry::timeout_ms(override_ms)
}

/// The body of the boot script's successful answer to this read ([`early`]), if it sent it.
/// Anything else — another request, a failure, an error status — and the read is made as usual.
async fn early_answer(url: &str, authorization: &str) -> Option<Vec<u8>> {
    let response = wasm_bindgen_futures::JsFuture::from(early::take(url, authorization)?)
        .await
        .ok()?;
    let response = gloo_net::http::Response::from(web_sys::Response::from(response));
    if !response.ok() {
        return None;
    }
    response.binary().await.ok()
}

fn decode<T: DeserializeOwned>(body: Vec<u8>) -> Result<T, ApiError> {
    // `from_str`, as everywhere else: a second reader type would double every model's decoder.
    let text = std::str::from_utf8(&body).map_err(|e| ApiError::Decode {
        detail: e.to_string(),
    })?;
    serde_json::from_str(text).map_err(|e| ApiError::Decode {
        detail: e.to_string(),
    })
}

/// Holds the one in-flight request of a view: starting a new one aborts the previous, and
/// leaving the view (its owner's cleanup) aborts whatever is still running.
#[derive(Clone, Copy)]
pub struct RequestSlot(StoredValue<Option<AbortController>, LocalStorage>);

impl RequestSlot {
    /// A slot that aborts its request when the current reactive owner is cleaned up.
    pub fn new() -> Self {
        let slot = Self(StoredValue::new_local(None));
        on_cleanup(move || slot.abort());
        slot
    }

    /// Aborts the previous request and returns the signal for the next one.
    pub fn restart(&self) -> Option<AbortSignal> {
        self.abort();
        let controller = AbortController::new().ok()?;
        let signal = controller.signal();
        self.0.set_value(Some(controller));
        Some(signal)
    }

    fn abort(&self) {
        if let Some(Some(controller)) = self.0.try_get_value() {
            controller.abort();
        }
    }
}

impl Default for RequestSlot {
    fn default() -> Self {
        Self::new()
    }
}

/// One path segment from API data (an organization id, a user's uuid), percent-encoded; `.` and
/// `..` are refused, so a hostile value can never point a request at another endpoint.
pub(super) fn path_segment(value: &str) -> Result<String, ApiError> {
    let encoded = encode_component(value);
    if encoded.is_empty() || encoded == "." || encoded == ".." {
        return Err(ApiError::Decode {
            detail: format!("PostHog sent an id that cannot be used in a URL: \"{value}\""),
        });
    }
    Ok(encoded)
}

/// A fetch `Request` of `method` to `url` with `headers`, `body` and `signal`, made in one step
/// (gloo's builder parses the URL twice more to add query parameters this app never passes).
pub(crate) fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    signal: Option<&AbortSignal>,
) -> Option<gloo_net::http::Request> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_signal(signal);
    let list = web_sys::Headers::new().ok()?;
    for (name, value) in headers {
        list.append(name, value).ok()?;
    }
    init.set_headers(&list);
    if let Some(body) = body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).ok()?;
    Some(request.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_from_api_data_stay_one_segment() {
        assert_eq!(
            path_segment("0188a3b2-7c1d-4c1e-9a4b-1f2e3d4c5b6a").unwrap(),
            "0188a3b2-7c1d-4c1e-9a4b-1f2e3d4c5b6a"
        );
        assert_eq!(path_segment("@current").unwrap(), "%40current");
        assert_eq!(
            path_segment("../../users/@me").unwrap(),
            "..%2F..%2Fusers%2F%40me"
        );
        assert_eq!(
            path_segment("//evil.example").unwrap(),
            "%2F%2Fevil.example"
        );
        assert_eq!(path_segment("%2e%2e").unwrap(), "%252e%252e");
        for refused in ["", ".", ".."] {
            assert!(
                matches!(path_segment(refused), Err(ApiError::Decode { .. })),
                "{refused:?}"
            );
        }
    }
}
