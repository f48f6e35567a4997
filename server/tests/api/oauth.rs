//! The OAuth authorization server (oauth.md): metadata, consent, PKCE, single-use codes,
//! refresh rotation, scopes of access tokens on the API, revocation and malformed requests.

use std::time::Duration;

use dashdeck_server::oauth::GrantCounts;
use dashdeck_server::Options;
use reqwest::{Method, StatusCode, Url};
use serde_json::{json, Value};

use crate::common::*;

/// RFC 7636 appendix B: a verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A browser that does not follow redirects, so the tests read where they point.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

/// The stand-in's own client: its metadata document and callback on its origin.
struct App {
    client_id: String,
    redirect_uri: String,
}

fn app(server: &Server) -> App {
    App {
        client_id: format!("{}/oauth-client.json", server.base),
        redirect_uri: format!("{}/oauth/callback", server.base),
    }
}

fn authorize_params<'a>(app: &'a App, scope: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("response_type", "code"),
        ("client_id", &app.client_id),
        ("redirect_uri", &app.redirect_uri),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
        ("scope", scope),
        ("state", "st4te"),
    ]
}

/// The query of a redirect answer, as pairs.
fn redirect_query(response: &reqwest::Response) -> (String, Vec<(String, String)>) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap();
    let url = Url::parse(location).unwrap();
    let target = format!("{}{}", url.origin().ascii_serialization(), url.path());
    (target, url.query_pairs().into_owned().collect())
}

fn param<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Submits the consent form with `decision` for user `user` and returns the redirect.
async fn consent(
    server: &Server,
    app: &App,
    scope: &str,
    user: &str,
    decision: &str,
) -> reqwest::Response {
    let mut form = authorize_params(app, scope);
    form.push(("user", user));
    form.push(("decision", decision));
    browser()
        .post(format!("{}/oauth/authorize/", server.base))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// Runs the authorization step and returns the one-time code.
async fn code(server: &Server, app: &App, scope: &str, user: &str) -> String {
    let response = consent(server, app, scope, user, "allow").await;
    let (target, query) = redirect_query(&response);
    assert_eq!(target, app.redirect_uri);
    assert_eq!(param(&query, "state"), Some("st4te"));
    param(&query, "code").expect("a code").to_owned()
}

async fn token_request(server: &Server, form: &[(&str, &str)]) -> Reply {
    server
        .send(
            server
                .request(Method::POST, "/oauth/token/", None)
                .form(form),
        )
        .await
}

async fn exchange(server: &Server, app: &App, code: &str, verifier: &str) -> Reply {
    token_request(
        server,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &app.redirect_uri),
            ("client_id", &app.client_id),
            ("code_verifier", verifier),
        ],
    )
    .await
}

async fn refresh(server: &Server, app: &App, refresh_token: &str) -> Reply {
    token_request(
        server,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &app.client_id),
        ],
    )
    .await
}

fn oauth_error(reply: &Reply, error: &str) {
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert_eq!(reply.body["error"], error, "{}", reply.text);
    assert!(reply.body["error_description"].is_string());
}

/// Signs in as `user` with `scope` and returns the token response.
async fn sign_in(server: &Server, scope: &str, user: &str) -> Value {
    let app = app(server);
    let code = code(server, &app, scope, user).await;
    let reply = exchange(server, &app, &code, VERIFIER).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.headers["cache-control"], "no-store");
    reply.body
}

#[tokio::test]
async fn metadata_describes_the_server() {
    let server = start().await;
    let reply = server
        .send(server.request(Method::GET, "/.well-known/oauth-authorization-server", None))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.body;
    assert_eq!(body["issuer"], server.base);
    assert_eq!(
        body["authorization_endpoint"],
        format!("{}/oauth/authorize/", server.base)
    );
    assert_eq!(
        body["token_endpoint"],
        format!("{}/oauth/token/", server.base)
    );
    assert_eq!(body["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(
        body["grant_types_supported"],
        json!(["authorization_code", "refresh_token"])
    );
    let scopes = body["scopes_supported"].as_array().unwrap();
    assert!(scopes.contains(&json!("dashboard:write")));
}

#[tokio::test]
async fn the_code_flow_gives_tokens_that_work_on_the_api() {
    let server = start().await;
    let app = app(&server);
    let query: Vec<(&str, &str)> = authorize_params(&app, "user:read dashboard:read");
    let page = browser()
        .get(format!("{}/oauth/authorize/", server.base))
        .query(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1>Authorize Dashdeck</h1>"));
    assert!(html.contains("<code>dashboard:read</code>"));
    assert!(html.contains("Ada Lovelace (ada@hogflix.example)"));
    assert!(html.contains(">Authorize</button>") && html.contains(">Deny</button>"));

    let tokens = sign_in(&server, "user:read dashboard:read", "2").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["scope"], "user:read dashboard:read");
    let access = tokens["access_token"].as_str().unwrap();
    assert!(access.starts_with("pha_"));
    assert!(tokens["refresh_token"]
        .as_str()
        .unwrap()
        .starts_with("phr_"));
    let me = server.get("/api/users/@me/", access).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "grace@hogflix.example");
    let list = server.get("/api/projects/1/dashboards/", access).await;
    assert_eq!(list.status, StatusCode::OK);
    // Tokens are stored hashed only.
    let conn = rusqlite::Connection::open(server.dir.path().join("standin.sqlite3")).unwrap();
    let stored: i64 = conn
        .query_row(
            "SELECT count(*) FROM oauth_tokens WHERE secure_value = ?1",
            [dashdeck_server::auth::secure_value(access)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn a_wrong_verifier_is_invalid_grant_and_burns_the_code() {
    let server = start().await;
    let app = app(&server);
    let code = code(&server, &app, "dashboard:read", "1").await;
    let wrong = "x".repeat(43);
    oauth_error(
        &exchange(&server, &app, &code, &wrong).await,
        "invalid_grant",
    );
    oauth_error(
        &exchange(&server, &app, &code, VERIFIER).await,
        "invalid_grant",
    );
    // A verifier of the wrong shape is a malformed request.
    let code = self::code(&server, &app, "dashboard:read", "1").await;
    oauth_error(
        &exchange(&server, &app, &code, "short").await,
        "invalid_request",
    );
}

#[tokio::test]
async fn a_code_works_once_and_its_replay_revokes_its_tokens() {
    let server = start().await;
    let app = app(&server);
    let code = code(&server, &app, "dashboard:read", "1").await;
    let first = exchange(&server, &app, &code, VERIFIER).await;
    assert_eq!(first.status, StatusCode::OK);
    let access = first.body["access_token"].as_str().unwrap();
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/", access)
            .await
            .status,
        StatusCode::OK
    );
    oauth_error(
        &exchange(&server, &app, &code, VERIFIER).await,
        "invalid_grant",
    );
    let reply = server.get("/api/projects/1/dashboards/", access).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["code"], "authentication_failed");
}

#[tokio::test]
async fn redirect_uris_must_match() {
    let server = start().await;
    let app = app(&server);
    // At the token endpoint: the code was issued for another redirect_uri.
    let code = code(&server, &app, "dashboard:read", "1").await;
    let reply = token_request(
        &server,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &format!("{}/elsewhere", server.base)),
            ("client_id", &app.client_id),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    oauth_error(&reply, "invalid_grant");
    // At the authorization endpoint: an unregistered redirect_uri gets a page, never a redirect.
    for redirect in ["https://evil.example/steal", ""] {
        let mut form = authorize_params(&app, "dashboard:read");
        form[2].1 = redirect;
        for request in [
            browser()
                .get(format!("{}/oauth/authorize/", server.base))
                .query(&form),
            browser()
                .post(format!("{}/oauth/authorize/", server.base))
                .form(&form),
        ] {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
            assert!(response.headers().get("location").is_none());
            assert!(response.text().await.unwrap().contains("redirect_uri"));
        }
    }
}

#[tokio::test]
async fn deny_and_bad_parameters_go_back_to_the_client_with_an_error() {
    let server = start().await;
    let app = app(&server);
    let (target, query) =
        redirect_query(&consent(&server, &app, "dashboard:read", "1", "deny").await);
    assert_eq!(target, app.redirect_uri);
    assert_eq!(param(&query, "error"), Some("access_denied"));
    assert_eq!(param(&query, "state"), Some("st4te"));
    assert_eq!(param(&query, "code"), None);

    for (index, value, error) in [
        (0, "token", "unsupported_response_type"),
        (3, "", "invalid_request"),
        (4, "plain", "invalid_request"),
        (5, "dashboard:read admin:everything", "invalid_scope"),
        (5, "", "invalid_scope"),
    ] {
        let mut form = authorize_params(&app, "dashboard:read");
        form[index].1 = value;
        let response = browser()
            .get(format!("{}/oauth/authorize/", server.base))
            .query(&form)
            .send()
            .await
            .unwrap();
        let (target, query) = redirect_query(&response);
        assert_eq!(target, app.redirect_uri);
        assert_eq!(param(&query, "error"), Some(error), "{index} {value}");
        assert_eq!(param(&query, "state"), Some("st4te"));
    }
}

#[tokio::test]
async fn expired_access_tokens_are_401_and_refresh_rotates() {
    let grants = GrantCounts::default();
    let server = start_with_options(Options {
        oauth_token_ttl: Some(Duration::from_secs(1)),
        oauth_grants: grants.clone(),
        ..Default::default()
    })
    .await;
    let app = app(&server);
    let tokens = sign_in(&server, "dashboard:read", "1").await;
    assert_eq!(tokens["expires_in"], 1);
    let access = tokens["access_token"].as_str().unwrap();
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let reply = server.get("/api/projects/1/dashboards/", access).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.headers["www-authenticate"], "Bearer");
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "authentication_failed",
            "OAuth access token is invalid or expired.",
            None
        )
    );

    let renewed = refresh(&server, &app, refresh_token).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    assert_eq!(renewed.body["scope"], "dashboard:read");
    let new_access = renewed.body["access_token"].as_str().unwrap();
    let new_refresh = renewed.body["refresh_token"].as_str().unwrap();
    assert_ne!(new_refresh, refresh_token);
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/", new_access)
            .await
            .status,
        StatusCode::OK
    );
    // The old refresh token is gone; another client cannot use the new one.
    oauth_error(
        &refresh(&server, &app, refresh_token).await,
        "invalid_grant",
    );
    let other = App {
        client_id: "https://other.example/client.json".into(),
        redirect_uri: app.redirect_uri.clone(),
    };
    oauth_error(
        &refresh(&server, &other, new_refresh).await,
        "invalid_grant",
    );
    assert_eq!((grants.codes(), grants.refreshes()), (1, 1));
}

#[tokio::test]
async fn tokens_carry_only_the_granted_scopes_and_the_users_rights() {
    let server = start().await;
    let read = sign_in(&server, "dashboard:read", "1").await;
    let access = read["access_token"].as_str().unwrap();
    let reply = server
        .patch(
            "/api/projects/1/dashboards/1/",
            access,
            json!({"name": "x"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "API key missing required scope 'dashboard:write'",
            None
        )
    );
    assert_eq!(
        server.get("/api/users/@me/", access).await.status,
        StatusCode::FORBIDDEN
    );

    let write = sign_in(&server, "dashboard:write", "1").await;
    let access = write["access_token"].as_str().unwrap();
    let reply = server
        .patch(
            "/api/projects/1/dashboards/1/",
            access,
            json!({"name": "Renamed by OAuth"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    // Scopes do not widen the user's rights: Linus is in another organization.
    let linus = sign_in(&server, "dashboard:read", "6").await;
    let reply = server
        .get(
            "/api/projects/1/dashboards/",
            linus["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // Like personal API keys, OAuth tokens cannot call session-only actions.
    let reply = server
        .post(
            "/api/projects/1/dashboards/create_from_template_json/",
            access,
            json!({"template": {}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_token_requests_are_4xx() {
    let server = start().await;
    let app = app(&server);
    let json_body = server
        .send(
            server
                .request(Method::POST, "/oauth/token/", None)
                .json(&json!({"grant_type": "authorization_code"})),
        )
        .await;
    oauth_error(&json_body, "invalid_request");
    oauth_error(&token_request(&server, &[]).await, "invalid_request");
    oauth_error(
        &token_request(&server, &[("grant_type", "password"), ("client_id", "x")]).await,
        "unsupported_grant_type",
    );
    oauth_error(
        &token_request(
            &server,
            &[("grant_type", "refresh_token"), ("refresh_token", "phr_x")],
        )
        .await,
        "invalid_client",
    );
    oauth_error(
        &token_request(
            &server,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &app.client_id),
            ],
        )
        .await,
        "invalid_request",
    );
    oauth_error(
        &token_request(
            &server,
            &[
                ("grant_type", "refresh_token"),
                ("grant_type", "authorization_code"),
            ],
        )
        .await,
        "invalid_request",
    );
    oauth_error(
        &refresh(&server, &app, "phr_unknown").await,
        "invalid_grant",
    );
    oauth_error(
        &exchange(&server, &app, "no-such-code", VERIFIER).await,
        "invalid_grant",
    );
    let garbage = server
        .send(
            server
                .request(Method::POST, "/oauth/token/", None)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(vec![0xff, 0xfe, b'=', b'%', b'z', 0x00]),
        )
        .await;
    oauth_error(&garbage, "invalid_request");
    let huge = server
        .send(
            server
                .request(Method::POST, "/oauth/token/", None)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("grant_type={}", "a".repeat(100_000))),
        )
        .await;
    oauth_error(&huge, "invalid_request");
    // The consent form with nothing in it, or an unknown user, is a page, not a 500.
    let empty = browser()
        .post(format!("{}/oauth/authorize/", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    for (user, decision) in [("999", "allow"), ("ada", "allow"), ("1", "maybe")] {
        let response = consent(&server, &app, "dashboard:read", user, decision).await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{user} {decision}"
        );
    }
}

#[tokio::test]
async fn the_token_endpoint_is_open_to_other_origins() {
    let server = start().await;
    let reply = server
        .send(
            server
                .request(Method::OPTIONS, "/oauth/token/", None)
                .header("origin", "https://dashdeck.example.com")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type"),
        )
        .await;
    assert!(reply.status.is_success());
    assert_eq!(
        reply.headers["access-control-allow-origin"],
        "https://dashdeck.example.com"
    );
}

#[tokio::test]
async fn revoking_either_token_ends_the_grant() {
    let server = start().await;
    let app = app(&server);
    let tokens = sign_in(&server, "dashboard:read", "1").await;
    let access = tokens["access_token"].as_str().unwrap();
    let reply = server
        .send(
            server
                .request(Method::POST, "/oauth/revoke/", None)
                .form(&[("token", tokens["refresh_token"].as_str().unwrap())]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/", access)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    oauth_error(
        &refresh(&server, &app, tokens["refresh_token"].as_str().unwrap()).await,
        "invalid_grant",
    );
    let unknown = server
        .send(
            server
                .request(Method::POST, "/oauth/revoke/", None)
                .form(&[("token", "pha_nope")]),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
}

/// Serves `document` at `/client.json` on a free port and returns that URL.
async fn serve_document(document: impl Fn(&str) -> Value + Send + Sync + 'static) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/client.json", listener.local_addr().unwrap());
    let body = document(&url);
    let router = axum::Router::new().route(
        "/client.json",
        axum::routing::get(move || {
            let body = body.clone();
            async move { axum::Json(body) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

#[tokio::test]
async fn foreign_clients_are_read_from_their_metadata_documents() {
    let server = start().await;
    let good = serve_document(|url| {
        json!({"client_id": url, "client_name": "<b>Board</b> & co",
               "redirect_uris": ["http://localhost:9/cb"], "token_endpoint_auth_method": "none"})
    })
    .await;
    let app = App {
        client_id: good,
        redirect_uri: "http://localhost:9/cb".into(),
    };
    let page = browser()
        .get(format!("{}/oauth/authorize/", server.base))
        .query(&authorize_params(&app, "dashboard:read"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("&lt;b&gt;Board&lt;/b&gt; &amp; co"));
    assert!(!html.contains("<b>Board"));
    let code = code(&server, &app, "dashboard:read", "1").await;
    assert_eq!(
        exchange(&server, &app, &code, VERIFIER).await.status,
        StatusCode::OK
    );

    let impostor = serve_document(|_| {
        json!({"client_id": "https://dashdeck.example.com/oauth-client.json",
               "client_name": "Impostor", "redirect_uris": ["http://localhost:9/cb"]})
    })
    .await;
    for client_id in [
        impostor.as_str(),
        "not-a-url",
        "http://127.0.0.1:9/absent.json",
    ] {
        let app = App {
            client_id: client_id.into(),
            redirect_uri: "http://localhost:9/cb".into(),
        };
        let response = browser()
            .get(format!("{}/oauth/authorize/", server.base))
            .query(&authorize_params(&app, "dashboard:read"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{client_id}");
        assert!(response.headers().get("location").is_none());
    }
}
