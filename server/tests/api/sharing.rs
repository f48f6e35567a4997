//! Sharing configurations and the public pages (api.md §2.12–2.13).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::*;

const SHARING_3: &str = "/api/projects/1/dashboards/3/sharing/";

async fn public(server: &Server, path: &str) -> Reply {
    server.send(server.request(Method::GET, path, None)).await
}

async fn is_shared(server: &Server, id: i64) -> Value {
    server
        .get(&format!("/api/projects/1/dashboards/{id}/"), ADA)
        .await
        .body["is_shared"]
        .clone()
}

#[tokio::test]
async fn first_read_is_unsaved_and_enabling_shares() {
    let server = start().await;
    let first = server.get(SHARING_3, GRACE_READ).await;
    assert_eq!(first.status, StatusCode::OK);
    let token = first.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 30);
    let expected = json!({"created_at": null, "enabled": false, "access_token": token,
        "settings": null, "password_required": false, "share_passwords": [], "user_access_level": "editor"});
    assert_eq!(first.body, expected);
    let second = server.get(SHARING_3, ADA).await.body;
    assert_ne!(second["access_token"], token.as_str(), "nothing was stored");
    assert_eq!(is_shared(&server, 3).await, false);

    let enabled = server
        .patch(
            "/api/environments/1/dashboards/3/sharing",
            ADA,
            json!({"enabled": true}),
        )
        .await;
    assert_eq!(enabled.status, StatusCode::OK);
    assert_eq!(enabled.body["enabled"], true);
    assert!(enabled.body["created_at"].is_string());
    let token = enabled.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        server.get(SHARING_3, ADA).await.body["access_token"],
        token.as_str()
    );
    assert_eq!(is_shared(&server, 3).await, true);

    let page = public(&server, &format!("/shared/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(
        page.text.contains("<h1>Marketing funnel</h1>"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("Signup to purchase") || page.text.contains("<li class=\"insight\">")
    );
    assert_eq!(
        public(&server, &format!("/embedded/{token}")).await.status,
        StatusCode::OK
    );
    let data = public(&server, &format!("/shared/{token}.json")).await.body;
    assert_eq!(data["dashboard"]["name"], "Marketing funnel");
    assert_eq!(data["dashboard"]["created_by"], Value::Null);
    assert_eq!(data["dashboard"]["effective_privilege_level"], 21);
    for tile in data["dashboard"]["tiles"].as_array().unwrap() {
        assert_eq!(tile["insight"]["created_by"], Value::Null);
        assert_eq!(tile["insight"]["last_modified_by"], Value::Null);
    }

    // Off, then on again: a new link, and the old one is dead.
    let off = server
        .patch(SHARING_3, ADA, json!({"enabled": false}))
        .await
        .body;
    assert_eq!(off["enabled"], false);
    assert_eq!(is_shared(&server, 3).await, false);
    let gone = public(&server, &format!("/shared/{token}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(gone.text.contains("Not found"));
    let on = server
        .patch(SHARING_3, ADA, json!({"enabled": true}))
        .await
        .body;
    assert_ne!(on["access_token"], token.as_str());
    assert_eq!(
        public(&server, &format!("/shared/{token}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        public(
            &server,
            &format!("/shared/{}", on["access_token"].as_str().unwrap())
        )
        .await
        .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn settings_are_filtered_and_validated() {
    let server = start().await;
    let reply = server
        .patch(
            SHARING_3,
            ADA,
            json!({"settings": {"whitelabel": true, "legend": null, "unknown": 1, "theme": "dark"}}),
        )
        .await;
    assert_eq!(
        reply.body["settings"],
        json!({"whitelabel": true, "theme": "dark"})
    );
    assert_eq!(reply.body["enabled"], false);
    let reply = server.patch(SHARING_3, ADA, json!({"settings": {}})).await;
    assert_eq!(reply.body["settings"], json!({}));
    let reply = server
        .patch(SHARING_3, ADA, json!({"settings": null}))
        .await;
    assert_eq!(reply.body["settings"], Value::Null);
    let reply = server
        .patch(SHARING_3, ADA, json!({"settings": "nope"}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "invalid_input",
            "Invalid settings format",
            Some("settings")
        )
    );
}

#[tokio::test]
async fn refresh_rotates_with_a_grace_period() {
    let server = start().await;
    let path = "/api/projects/1/dashboards/1/sharing";
    let before = server.get(path, ADA).await.body;
    assert_eq!(before["enabled"], true, "Product KPIs is seeded as shared");
    let old = before["access_token"].as_str().unwrap().to_owned();
    server
        .patch(path, ADA, json!({"settings": {"legend": true}}))
        .await;

    let reply = server
        .post(&format!("{path}/refresh/"), ADA, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let new = reply.body["access_token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert_eq!(reply.body["enabled"], true);
    assert_eq!(reply.body["settings"], json!({"legend": true}));
    assert_eq!(
        server.get(path, ADA).await.body["access_token"],
        new.as_str()
    );
    assert_eq!(is_shared(&server, 1).await, true);
    assert_eq!(
        public(&server, &format!("/shared/{new}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        public(&server, &format!("/shared/{old}")).await.status,
        StatusCode::OK,
        "the old token works for five minutes"
    );
    sql(
        &server,
        &format!("UPDATE sharing_configurations SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE access_token = '{old}'"),
    );
    assert_eq!(
        public(&server, &format!("/shared/{old}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn public_pages_escape_markup_and_respect_deletion_and_the_org_switch() {
    let server = start().await;
    let token = server
        .get("/api/projects/1/dashboards/1/sharing/", ADA)
        .await
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = public(&server, &format!("/shared/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.text.contains("<script>"));
    assert!(!page.text.contains("<img"));
    assert!(page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));

    sql(
        &server,
        "UPDATE organizations SET allow_publicly_shared_resources = 0",
    );
    assert_eq!(
        public(&server, &format!("/shared/{token}")).await.status,
        StatusCode::NOT_FOUND
    );
    sql(
        &server,
        "UPDATE organizations SET allow_publicly_shared_resources = 1",
    );
    server
        .patch(
            "/api/projects/1/dashboards/1/",
            ADA,
            json!({"deleted": true}),
        )
        .await;
    assert_eq!(
        public(&server, &format!("/shared/{token}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        public(&server, "/shared/not-a-token").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/1/sharing/", ADA)
            .await
            .body,
        json!({"type": "invalid_request", "code": "not_found", "detail": "Dashboard not found.", "attr": null})
    );
}

#[tokio::test]
async fn sharing_needs_scopes_and_edit_rights() {
    let server = start().await;
    let reply = server
        .patch(
            "/api/projects/1/dashboards/6/sharing/",
            GRACE_WRITE,
            json!({"enabled": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "You don't have edit permissions for this dashboard.",
            None
        )
    );
    let view = server
        .get("/api/projects/1/dashboards/6/sharing/", GRACE_READ)
        .await;
    assert_eq!(view.status, StatusCode::OK);
    assert_eq!(view.body["user_access_level"], "viewer");
    let reply = server
        .patch(SHARING_3, GRACE_READ, json!({"enabled": true}))
        .await;
    assert_eq!(
        reply.body["detail"],
        "API key missing required scope 'sharing_configuration:write'"
    );
    let reply = server.get(SHARING_3, DASHBOARD_ONLY).await;
    assert_eq!(
        reply.body["detail"],
        "API key missing required scope 'sharing_configuration:read'"
    );
    assert_eq!(
        server
            .get("/api/projects/3/dashboards/41/sharing/", ADA)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
