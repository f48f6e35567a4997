//! Proxy mode, with a stand-in as the upstream PostHog: the key is added on the server, only the
//! dashboards API is forwarded, and the browser's own credentials never travel upstream.

use dashdeck_server::proxy::{self, Upstream};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{start, Server, ADA, GRACE_READ};

/// A proxy in front of `upstream` that adds `key`.
async fn proxy_to(upstream: &Server, key: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let router = proxy::router(
        Upstream {
            base: format!("{}/", upstream.base),
            key: key.to_string(),
        },
        None,
    );
    tokio::spawn(dashdeck_server::serve_app(router, listener));
    base
}

#[tokio::test]
async fn forwards_the_dashboards_api_with_the_servers_key() {
    let upstream = start().await;
    let base = proxy_to(&upstream, ADA).await;
    let http = reqwest::Client::new();

    let list: serde_json::Value = http
        .get(format!(
            "{base}/api/projects/1/dashboards/?limit=5&search=funnel"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["count"], 3, "query strings are forwarded");

    // The browser's own Authorization header is replaced, not forwarded.
    let me = http
        .get(format!("{base}/api/users/@me/"))
        .bearer_auth("phx_what_the_browser_sent")
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], "ada@hogflix.example");

    // Writes go through, and reach the upstream's data.
    let patched = http
        .patch(format!("{base}/api/projects/1/dashboards/3/"))
        .json(&json!({ "name": "Renamed through the proxy" }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    let direct = upstream.get("/api/projects/1/dashboards/3/", ADA).await;
    assert_eq!(direct.body["name"], "Renamed through the proxy");

    let config: serde_json::Value = http
        .get(format!("{base}/config.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config, json!({ "host": null, "auth": "proxy" }));
}

#[tokio::test]
async fn refuses_paths_outside_the_dashboards_api() {
    let upstream = start().await;
    let base = proxy_to(&upstream, ADA).await;
    let http = reqwest::Client::new();
    // Dot segments are sent as they are (an HTTP client would resolve them before sending).
    for path in [
        "/api/projects/1/dashboards/../../../personal_api_keys/",
        "/api/projects/1/dashboards/%2e%2e/%2E%2E/%2e%2e/personal_api_keys/",
    ] {
        assert!(
            raw_status_line(&base, path).await.contains(" 404 "),
            "{path}"
        );
    }
    for path in ["/api/projects/1/feature_flags/", "/api/personal_api_keys/"] {
        let answer = http
            .request(Method::GET, format!("{base}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
        let body: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(body["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn relays_upstream_refusals_as_they_are() {
    let upstream = start().await;
    let base = proxy_to(&upstream, GRACE_READ).await;
    let answer = reqwest::Client::new()
        .patch(format!("{base}/api/projects/1/dashboards/3/"))
        .json(&json!({ "name": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(
        body["detail"],
        "API key missing required scope 'dashboard:write'"
    );
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_bad_gateway() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let router = proxy::router(
        Upstream {
            base: dead,
            key: ADA.into(),
        },
        None,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dashdeck_server::serve_app(router, listener));
    let answer = reqwest::get(format!("{base}/api/users/@me/"))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["type"], "server_error");
}

/// The status line of a GET for `path` sent byte for byte over a plain TCP connection.
async fn raw_status_line(base: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.lines().next().unwrap_or_default().to_string()
}
