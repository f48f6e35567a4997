//! Users, projects, members, CORS and the static app / runtime config.

use reqwest::{Method, StatusCode};
use serde_json::json;
use tempfile::TempDir;

use crate::common::*;

#[tokio::test]
async fn me_describes_the_caller_and_their_current_project() {
    let server = start().await;
    let me = server.get("/api/users/@me/", ADA).await.body;
    assert_eq!(
        (me["id"].clone(), me["email"].clone()),
        (json!(1), json!("ada@hogflix.example"))
    );
    assert_eq!(me["organization"]["name"], "Hogflix");
    assert_eq!(me["organization"]["membership_level"], 8);
    assert_eq!(me["team"]["id"], 1);
    assert_eq!(me["team"]["project_id"], 1);
    assert_eq!(me["organizations"].as_array().unwrap().len(), 1);
    assert!(me["organization"]["available_product_features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["key"] == "access_control"));

    let linus = server.get("/api/users/@me", LINUS).await.body;
    assert_eq!(linus["organization"]["name"], "Other Org");
}

#[tokio::test]
async fn projects_are_listed_per_organization_and_key() {
    let server = start().await;
    let body = server
        .get("/api/organizations/@current/projects/", ADA)
        .await
        .body;
    let names: Vec<_> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("Hogflix Web"), json!("Hogflix Mobile")]);

    let org = dashdeck_server::seed::HOGFLIX_ORG_ID;
    let body = server
        .get(&format!("/api/organizations/{org}/projects"), PROJECT2_ONLY)
        .await
        .body;
    assert_eq!(body["count"], 1);
    assert_eq!(body["results"][0]["id"], 2);

    let detail = server
        .get(&format!("/api/organizations/{org}/projects/1/"), ADA)
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_eq!(detail.body["effective_membership_level"], 8);
    assert_eq!(
        server
            .get(&format!("/api/organizations/{org}/projects/3/"), ADA)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get(
                &format!("/api/organizations/{org}/projects/1/"),
                PROJECT2_ONLY
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server
            .get(&format!("/api/organizations/{org}/projects/"), LINUS)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn members_list_the_organization() {
    let server = start().await;
    let body = server
        .get("/api/organizations/@current/members/", GRACE_READ)
        .await
        .body;
    assert_eq!(body["count"], 5);
    let first = &body["results"][0];
    assert_eq!(first["user"]["email"], "ada@hogflix.example");
    assert_eq!(first["level"], 8);
    assert_eq!(body["results"][1]["level"], 1);
    let reply = server
        .get("/api/organizations/@current/members/", DASHBOARD_ONLY)
        .await;
    assert_eq!(
        reply.body["detail"],
        "API key missing required scope 'organization_member:read'"
    );
}

#[tokio::test]
async fn cors_preflight_needs_no_key_and_echoes_the_origin() {
    let server = start().await;
    let preflight = server
        .request(Method::OPTIONS, "/api/projects/1/dashboards/1/", None)
        .header("origin", "http://app.example")
        .header("access-control-request-method", "PATCH")
        .header(
            "access-control-request-headers",
            "authorization, content-type, traceparent",
        );
    let reply = server.send(preflight).await;
    assert_eq!(reply.status, StatusCode::OK);
    let h = &reply.headers;
    assert_eq!(h["access-control-allow-origin"], "http://app.example");
    assert_eq!(h["access-control-allow-credentials"], "true");
    let allowed = h["access-control-allow-headers"].to_str().unwrap();
    assert!(
        allowed.contains("authorization")
            && allowed.contains("traceparent")
            && allowed.contains("x-csrftoken")
    );
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("PATCH"));

    let reply = server
        .send(
            server
                .request(Method::GET, "/api/projects/1/dashboards/", Some(ADA))
                .header("origin", "http://app.example"),
        )
        .await;
    assert_eq!(
        reply.headers["access-control-allow-origin"],
        "http://app.example"
    );
    let reply = server
        .send(
            server
                .request(Method::GET, "/api/nope", Some(ADA))
                .header("origin", "http://app.example"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.headers["access-control-allow-origin"], "http://app.example",
        "even 404s carry CORS headers"
    );
}

#[tokio::test]
async fn the_app_is_served_with_a_deep_link_fallback_but_never_for_the_api() {
    let dist = TempDir::new().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>app</html>").unwrap();
    std::fs::write(dist.path().join("app.js"), "console.log(1)").unwrap();
    let dist_path = dist.path().to_path_buf();
    let server = start_with(TempDir::new().unwrap(), |c| {
        c.dist_dir = Some(dist_path);
        c.demo = true;
    })
    .await;
    let text = |path: &'static str| {
        let server = &server;
        async move { server.send(server.request(Method::GET, path, None)).await }
    };
    assert_eq!(text("/").await.text, "<html>app</html>");
    assert_eq!(text("/app.js").await.text, "console.log(1)");
    let deep = text("/project/1/dashboard/42").await;
    assert_eq!(
        (deep.status, deep.text),
        (StatusCode::OK, "<html>app</html>".to_owned())
    );
    let api = text("/api/projects/1/nothing-here/").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.body,
        error("invalid_request", "not_found", "Not found.", None)
    );

    let config = text("/config.json").await;
    assert_eq!(
        config.body,
        json!({"host": null, "project_id": 1, "api_key": ADA})
    );
    std::fs::write(
        dist.path().join("config.json"),
        r#"{"host": "https://eu.posthog.com", "project_id": 7}"#,
    )
    .unwrap();
    assert_eq!(
        text("/config.json").await.body["project_id"],
        7,
        "the build's own config wins"
    );
}

#[tokio::test]
async fn built_files_are_served_precompressed_and_hashed_ones_cached_for_good() {
    let dist = TempDir::new().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dist.path().join(name), text).unwrap();
    write("index.html", "<html>app</html>");
    write("app-0123456789abcdef_bg.wasm", "raw wasm");
    write("app-0123456789abcdef_bg.wasm.br", "brotli wasm");
    write("app-0123456789abcdef_bg.wasm.gz", "gzip wasm");
    write("dashdeck-embed.js", "embed");
    let dist_path = dist.path().to_path_buf();
    let server = start_with(TempDir::new().unwrap(), |c| c.dist_dir = Some(dist_path)).await;
    let get = |path: &'static str, accept: &'static str| {
        let server = &server;
        async move {
            let request = server.request(Method::GET, path, None);
            let request = match accept {
                "" => request,
                accept => request.header("accept-encoding", accept),
            };
            let reply = server.send(request).await;
            let header = |name: &str| {
                reply
                    .headers
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            (
                reply.text.clone(),
                header("content-encoding"),
                header("cache-control"),
            )
        }
    };
    let immutable = Some("public, max-age=31536000, immutable".to_owned());
    let wasm = "/app-0123456789abcdef_bg.wasm";
    assert_eq!(
        get(wasm, "gzip, deflate, br").await,
        ("brotli wasm".into(), Some("br".into()), immutable.clone())
    );
    assert_eq!(
        get(wasm, "gzip").await,
        ("gzip wasm".into(), Some("gzip".into()), immutable.clone())
    );
    assert_eq!(get(wasm, "").await, ("raw wasm".into(), None, immutable));
    let no_cache = Some("no-cache".to_owned());
    for path in ["/", "/project/1/dashboards/2", "/dashdeck-embed.js"] {
        let (_, encoding, cache) = get(path, "br").await;
        assert_eq!((encoding, cache), (None, no_cache.clone()), "{path}");
    }
    // A hashed name that does not exist is the deep-link fallback: not cached for good.
    let (text, _, cache) = get("/gone-0123456789abcdef.js", "").await;
    assert_eq!((text.as_str(), cache), ("<html>app</html>", no_cache));
}

#[tokio::test]
async fn without_demo_or_a_config_file_config_json_is_404() {
    let dist = TempDir::new().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>app</html>").unwrap();
    let dist_path = dist.path().to_path_buf();
    let server = start_with(TempDir::new().unwrap(), |c| c.dist_dir = Some(dist_path)).await;
    let reply = server
        .send(server.request(Method::GET, "/config.json", None))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_ne!(reply.text, "<html>app</html>");
}
