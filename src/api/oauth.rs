//! PostHog's OAuth endpoints (oauth.md): the authorization URL the browser is sent to, and
//! `/oauth/token/` (code exchange, refresh) and `/oauth/revoke/` as form posts.

use serde_json::Value;
use web_sys::AbortSignal;

use super::client::request;
use super::error::ApiError;
use crate::logic::list_query::encode_component;
use crate::logic::retry;

/// Every scope Dashdeck uses: reading the user and projects, and managing dashboards with their
/// insights, sharing, collaborators and access.
pub const SCOPES: &str = "user:read project:read organization_member:read dashboard:write \
                          insight:write sharing_configuration:write access_control:write";

/// The tokens of a signed-in user, with the client they were issued to.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthTokens {
    pub client_id: String,
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token expires, in milliseconds since the epoch (browser clock).
    pub expires_at_ms: u64,
}

impl std::fmt::Debug for OAuthTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthTokens")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl OAuthTokens {
    /// One field per line (none can hold a line break): how the tokens are stored, cheaper in
    /// the wasm than a derived serde struct.
    pub fn to_text(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            self.client_id, self.access_token, self.refresh_token, self.expires_at_ms
        )
    }

    /// Reads what [`OAuthTokens::to_text`] wrote.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut lines = text.split('\n');
        let tokens = Self {
            client_id: lines.next()?.to_string(),
            access_token: lines.next()?.to_string(),
            refresh_token: lines.next()?.to_string(),
            expires_at_ms: lines.next()?.parse().ok()?,
        };
        lines.next().is_none().then_some(tokens)
    }

    /// Whether the access token has expired at `now_ms`.
    pub fn expired(&self, now_ms: u64) -> bool {
        now_ms >= self.expires_at_ms
    }
}

/// `{host}/oauth/authorize/?…`: where the browser goes to sign in.
pub fn authorize_url(
    host: &str,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    code_challenge: &str,
) -> String {
    let params = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", SCOPES),
        ("state", state),
        ("code_challenge", code_challenge),
        ("code_challenge_method", "S256"),
    ];
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    format!("{host}/oauth/authorize/?{}", query.join("&"))
}

/// `grant_type=authorization_code` with the PKCE verifier.
pub async fn exchange_code(
    host: &str,
    client_id: &str,
    redirect_uri: &str,
    code: &str,
    verifier: &str,
    now_ms: u64,
) -> Result<OAuthTokens, ApiError> {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", client_id),
        ("code_verifier", verifier),
    ];
    token_request(host, client_id, &form, now_ms).await
}

/// `grant_type=refresh_token`: new tokens; the old refresh token stops working.
pub async fn refresh(
    host: &str,
    tokens: &OAuthTokens,
    now_ms: u64,
) -> Result<OAuthTokens, ApiError> {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_str()),
        ("client_id", tokens.client_id.as_str()),
    ];
    token_request(host, &tokens.client_id, &form, now_ms).await
}

/// `POST /oauth/revoke/` for the refresh token (which ends its access tokens too).
pub async fn revoke(host: &str, tokens: &OAuthTokens) -> Result<(), ApiError> {
    let form = [
        ("token", tokens.refresh_token.as_str()),
        ("client_id", tokens.client_id.as_str()),
    ];
    post_form(host, "/oauth/revoke/", &form).await.map(|_| ())
}

async fn token_request(
    host: &str,
    client_id: &str,
    form: &[(&str, &str)],
    now_ms: u64,
) -> Result<OAuthTokens, ApiError> {
    let text = post_form(host, "/oauth/token/", form).await?;
    // Read as a `Value`, whose decoder the app has anyway, rather than a derived struct.
    let answer: Value = serde_json::from_str(&text).unwrap_or_default();
    let text_field = |name: &str| answer[name].as_str().map(str::to_owned);
    let (Some(access_token), Some(refresh_token)) =
        (text_field("access_token"), text_field("refresh_token"))
    else {
        return Err(ApiError::Decode {
            detail: "the token answer has no access_token and refresh_token".into(),
        });
    };
    Ok(OAuthTokens {
        client_id: client_id.to_string(),
        access_token,
        refresh_token,
        expires_at_ms: now_ms + answer["expires_in"].as_u64().unwrap_or(3600) * 1000,
    })
}

/// Posts a form; a 400 from the token endpoint (`invalid_grant` and the like) means the
/// sign-in cannot go on.
async fn post_form(host: &str, path: &str, form: &[(&str, &str)]) -> Result<String, ApiError> {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    let timeout = AbortSignal::timeout_with_u32(retry::timeout_ms(None));
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/json"),
    ];
    let url = format!("{host}{path}");
    let response = request(
        "POST",
        &url,
        &headers,
        Some(&body.join("&")),
        Some(&timeout),
    )
    .ok_or(ApiError::Network)?
    .send()
    .await
    .map_err(|_| ApiError::Network)?;
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    match response.status() {
        200..=299 => Ok(text),
        400 | 401 => Err(ApiError::SignInEnded),
        status => Err(ApiError::from_response(status, &text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorize_url_carries_the_pkce_request() {
        let url = authorize_url(
            "https://eu.posthog.com",
            "https://app.example/oauth-client.json",
            "https://app.example/oauth/callback",
            "s&1",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        );
        assert!(url.starts_with("https://eu.posthog.com/oauth/authorize/?response_type=code&"));
        assert!(url.contains("&client_id=https%3A%2F%2Fapp.example%2Foauth-client.json&"));
        assert!(url.contains("&redirect_uri=https%3A%2F%2Fapp.example%2Foauth%2Fcallback&"));
        assert!(url.contains("&scope=user%3Aread%20project%3Aread%20"));
        assert!(url.contains("&state=s%261&"));
        assert!(url.ends_with(
            "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        ));
    }

    #[test]
    fn tokens_expire_and_hide_in_debug() {
        let tokens = OAuthTokens {
            client_id: "c".into(),
            access_token: "pha_secret".into(),
            refresh_token: "phr_secret".into(),
            expires_at_ms: 1_000,
        };
        assert!(!tokens.expired(999));
        assert!(tokens.expired(1_000));
        assert!(!format!("{tokens:?}").contains("secret"));
        assert_eq!(
            OAuthTokens::from_text(&tokens.to_text()),
            Some(tokens.clone())
        );
        assert_eq!(OAuthTokens::from_text("c\na\nr\nsoon"), None);
        assert_eq!(OAuthTokens::from_text("c\na\nr"), None);
    }
}
