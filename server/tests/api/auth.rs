//! Personal API keys, scopes and project access (api.md §1.2, §1.3, §1.5).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn missing_and_unknown_keys_are_401_with_posthog_bodies() {
    let server = start().await;
    let reply = server
        .send(server.request(Method::GET, "/api/projects/1/dashboards/", None))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "not_authenticated",
            "Authentication credentials were not provided.",
            None
        )
    );
    assert_eq!(reply.headers["www-authenticate"], "Bearer");

    let reply = server
        .get("/api/projects/1/dashboards/", "phx_not_a_real_key")
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "authentication_failed",
            "Personal API key found in request Authorization header is invalid.",
            None
        )
    );

    let reply = server
        .send(server.request(
            Method::GET,
            "/api/projects/1/dashboards/?personal_api_key=phx_nope",
            None,
        ))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.body["detail"],
        "Personal API key found in request query string is invalid."
    );
}

#[tokio::test]
async fn a_key_in_the_query_string_authenticates() {
    let server = start().await;
    let path = format!("/api/projects/1/dashboards/?personal_api_key={ADA}");
    let reply = server.send(server.request(Method::GET, &path, None)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["count"], 34);
}

#[tokio::test]
async fn missing_scopes_are_403_naming_the_scope() {
    let server = start().await;
    let reply = server.get("/api/users/@me/", DASHBOARD_ONLY).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "API key missing required scope 'user:read'",
            None
        )
    );

    let reply = server
        .patch(
            "/api/projects/1/dashboards/1/",
            GRACE_READ,
            json!({"name": "x"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body["detail"],
        "API key missing required scope 'dashboard:write'"
    );

    // `dashboard:read` is enough to read.
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/1/", DASHBOARD_ONLY)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn project_limits_membership_and_unknown_projects() {
    let server = start().await;
    let reply = server
        .get("/api/projects/1/dashboards/", PROJECT2_ONLY)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "API key does not have access to the requested project: ID 1.",
            None
        )
    );
    let reply = server
        .get("/api/projects/2/dashboards/", PROJECT2_ONLY)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["count"], 5);

    let reply = server.get("/api/projects/1/dashboards/1/", LINUS).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body["detail"],
        "You don't have access to the project."
    );
    assert_eq!(
        server.get("/api/projects/3/dashboards/", LINUS).await.body["count"],
        2
    );

    let reply = server.get("/api/projects/999/dashboards/", ADA).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.body,
        error("invalid_request", "not_found", "Not found.", None)
    );
}

#[tokio::test]
async fn environments_are_an_alias_of_projects() {
    let server = start().await;
    let reply = server.get("/api/environments/1/dashboards", ADA).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["count"], 34);
    assert_eq!(
        server
            .get("/api/environments/1/dashboards/1", ADA)
            .await
            .body["name"],
        "Product KPIs"
    );
}

#[tokio::test]
async fn unknown_api_paths_and_methods_are_json_errors() {
    let server = start().await;
    let reply = server.get("/api/no/such/thing/", ADA).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.body,
        error("invalid_request", "not_found", "Not found.", None)
    );

    let reply = server
        .json(Method::PUT, "/api/projects/1/dashboards/", ADA, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        reply.body,
        error(
            "invalid_request",
            "method_not_allowed",
            "Method \"PUT\" not allowed.",
            None
        )
    );
    // Authentication comes first, as in DRF.
    let reply = server
        .send(server.request(Method::PATCH, "/api/users/@me/", None))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}
