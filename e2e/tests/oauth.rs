//! "Sign in with PostHog": the OAuth code flow with PKCE through the stand-in's consent page,
//! a session that survives reloads and refreshes its access token unnoticed, Deny, a forged
//! callback, and sign-out forgetting (and revoking) the tokens.

use std::time::Duration;

use dashdeck_e2e::{Browser, StandIn};
use dashdeck_server::oauth::GrantCounts;
use dashdeck_server::Options;
use serde_json::Value;

/// Starts the sign-in on the connect screen and waits for the stand-in's consent page.
async fn to_consent_page(b: &Browser, server: &StandIn) {
    b.goto(&format!("{}/connect", server.url)).await;
    b.heading("Connect to PostHog").await;
    b.type_into("PostHog host", &server.url).await;
    b.click("Sign in with PostHog").await;
    b.heading("Authorize Dashdeck").await;
}

/// The stored connection of this tab (sessionStorage), as JSON.
async fn stored_connection(b: &Browser) -> Value {
    let text = b
        .js("return sessionStorage.getItem('dashdeck.connection')")
        .await;
    text.as_str()
        .map(|t| serde_json::from_str(t).unwrap())
        .unwrap_or(Value::Null)
}

/// Lines of the stored `oauth` field: client id, access token, refresh token, expiry (ms).
const ACCESS: usize = 1;
const REFRESH: usize = 2;

fn stored_token(connection: &Value, line: usize) -> String {
    let text = connection["oauth"].as_str().expect("signed in");
    text.split('\n').nth(line).unwrap().to_string()
}

/// Status of `GET /api/projects/1/dashboards/` with `token`.
async fn api_status(server: &StandIn, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/api/projects/1/dashboards/", server.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_reload_refresh_and_sign_out() {
    let grants = GrantCounts::default();
    let server = StandIn::start_with(Options {
        oauth_token_ttl: Some(Duration::from_secs(2)),
        oauth_grants: grants.clone(),
        ..Default::default()
    })
    .await;
    let b = Browser::start().await;
    to_consent_page(&b, &server).await;
    assert!(b.body_text().await.contains("dashboard:write"));
    b.click("Authorize").await;

    // Back in the app, the user's current project opens; the code is gone from the address bar.
    b.wait_path("/project/1/dashboards").await;
    b.heading("Dashboards").await;
    b.wait_text("34 dashboards").await;
    assert!(!b.path().await.contains("code="));
    let connection = stored_connection(&b).await;
    assert!(stored_token(&connection, ACCESS).starts_with("pha_"));
    assert_eq!(connection["api_key"], "");
    assert_eq!(
        b.js("return localStorage.getItem('dashdeck.connection')")
            .await,
        Value::Null,
        "tokens never go to localStorage"
    );
    assert_eq!(
        b.js("return sessionStorage.getItem('dashdeck.oauth.pending')")
            .await,
        Value::Null,
        "the verifier is forgotten once used"
    );
    assert_eq!(grants.codes(), 1);

    // A reload keeps the session.
    b.client.refresh().await.unwrap();
    b.heading("Dashboards").await;
    b.wait_text("34 dashboards").await;

    // Once the access token has expired, the next navigation refreshes it unnoticed.
    let first_token = stored_token(&connection, ACCESS);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    b.link("Marketing funnel").await.click().await.unwrap();
    b.heading("Marketing funnel").await;
    b.wait_for("a refresh grant", || async {
        (grants.refreshes() >= 1).then_some(())
    })
    .await;
    let refreshed = stored_connection(&b).await;
    let new_token = stored_token(&refreshed, ACCESS);
    assert_ne!(new_token, first_token, "the stored tokens were replaced");
    assert_eq!(api_status(&server, &first_token).await, 401);

    // An access token the server refuses while the browser still believes it valid: the 401
    // is answered by a refresh and the request is sent again.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let before = grants.refreshes();
    set_expiry(&b, "Date.now() + 3600000").await;
    b.client.refresh().await.unwrap();
    b.heading("Marketing funnel").await;
    b.wait_for("a refresh after the 401", || async {
        (grants.refreshes() > before).then_some(())
    })
    .await;
    // The dashboard's read went out as the app started; the pages use the same client and its
    // refreshed tokens (a second client would refresh with the spent refresh token, and sign out).
    b.link("Back to dashboards").await.click().await.unwrap();
    b.wait_text("34 dashboards").await;
    assert_eq!(b.count("[role='alert']").await, 0);
    assert_ne!(stored_connection(&b).await, Value::Null);

    // Sign-out forgets the tokens and revokes them at the server.
    let token = stored_token(&stored_connection(&b).await, ACCESS);
    b.click("Disconnect").await;
    b.heading("Connect to PostHog").await;
    assert_eq!(stored_connection(&b).await, Value::Null);
    b.client.refresh().await.unwrap();
    b.heading("Connect to PostHog").await;
    b.wait_for("the revocation", || async {
        (api_status(&server, &token).await == 401).then_some(())
    })
    .await;

    // A sign-in revoked elsewhere: the failed refresh sends the user back to sign in.
    to_consent_page(&b, &server).await;
    b.click("Authorize").await;
    b.wait_text("34 dashboards").await;
    let refresh_token = stored_token(&stored_connection(&b).await, REFRESH);
    let revoked = reqwest::Client::new()
        .post(format!("{}/oauth/revoke/", server.url))
        .form(&[("token", refresh_token)])
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success());
    set_expiry(&b, "0").await;
    b.client.refresh().await.unwrap();
    b.alert_containing("Your PostHog sign-in has expired or was revoked")
        .await;
    b.link("Sign in again").await;
    assert_eq!(stored_connection(&b).await, Value::Null);
    b.finish().await;
}

/// Changes when the browser believes its access token expires (a JS expression in ms).
async fn set_expiry(b: &Browser, expression: &str) {
    b.js(&format!(
        "const c = JSON.parse(sessionStorage.getItem('dashdeck.connection')); \
         const lines = c.oauth.split('\\n'); lines[3] = String({expression}); \
         c.oauth = lines.join('\\n'); \
         sessionStorage.setItem('dashdeck.connection', JSON.stringify(c));"
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deny_and_a_forged_callback_explain_themselves() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    to_consent_page(&b, &server).await;
    b.click("Deny").await;
    b.wait_path("/connect?sign_in=denied").await;
    b.alert_containing("access was denied").await;
    assert_eq!(stored_connection(&b).await, Value::Null);

    // A callback this tab did not start (another site's code, or a replay) is ignored.
    b.goto(&format!(
        "{}/oauth/callback?code=stolen&state=forged",
        server.url
    ))
    .await;
    b.wait_path("/connect?sign_in=state").await;
    b.alert_containing("does not belong to a sign-in started in this tab")
        .await;
    assert_eq!(stored_connection(&b).await, Value::Null);
    b.finish().await;
}
