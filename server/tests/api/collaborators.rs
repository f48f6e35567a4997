//! Dashboard collaborators and the unlicensed organization (api.md §2.11).

use dashdeck_server::Options;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::*;

fn uuid(user: i64) -> String {
    format!("0191c7a2-5b1e-7000-8f3a-6d2c1e4b9a{user:02}")
}

fn path(dashboard: i64) -> String {
    format!("/api/projects/1/dashboards/{dashboard}/collaborators/")
}

fn invalid(detail: &str) -> Value {
    error("validation_error", "invalid_input", detail, None)
}

#[tokio::test]
async fn adding_listing_and_removing_collaborators() {
    let server = start().await;
    let listed = server.get(&path(6), GRACE_READ).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body, json!([]));
    assert_eq!(
        server
            .patch(
                "/api/projects/1/dashboards/6/",
                GRACE_WRITE,
                json!({"name": "x"})
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let reply = server
        .post(&path(6), ADA, json!({"user_uuid": uuid(2), "level": 37}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["dashboard_id"], 6);
    assert_eq!(reply.body["level"], 37);
    assert_eq!(reply.body["user"]["email"], "grace@hogflix.example");
    assert_eq!(reply.body["id"].as_str().unwrap().len(), 36);
    let listed = server
        .get("/api/environments/1/dashboards/6/collaborators", GRACE_READ)
        .await;
    assert_eq!(listed.body, json!([reply.body]));
    let as_grace = server
        .get("/api/projects/1/dashboards/6/", GRACE_READ)
        .await
        .body;
    assert_eq!(as_grace["effective_privilege_level"], 37);
    assert_eq!(
        server
            .patch(
                "/api/projects/1/dashboards/6/",
                GRACE_WRITE,
                json!({"name": "x"})
            )
            .await
            .status,
        StatusCode::OK,
        "a collaborator may edit"
    );

    let reply = server
        .send(server.request(
            Method::DELETE,
            &format!("{}{}/", path(6), uuid(2)),
            Some(ADA),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.text, "");
    assert_eq!(server.get(&path(6), ADA).await.body, json!([]));
    let again = server
        .send(server.request(
            Method::DELETE,
            &format!("{}{}", path(6), uuid(2)),
            Some(ADA),
        ))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_rule_has_its_message() {
    let server = start().await;
    let cases = [
        (3, json!({"user_uuid": uuid(3), "level": 37}), invalid("Cannot add collaborators to a dashboard on the lowest restriction level.")),
        (6, json!({"user_uuid": uuid(3), "level": 21}), invalid("Only edit access can be explicitly specified currently.")),
        (6, json!({"user_uuid": uuid(1), "level": 37}), invalid("Cannot add collaborators that already have inherent access (the dashboard owner or a project admins).")),
        (6, json!({"user_uuid": uuid(5), "level": 37}), invalid("Cannot add collaborators that already have inherent access (the dashboard owner or a project admins).")),
        (6, json!({"user_uuid": uuid(6), "level": 37}), invalid("Cannot add collaborators that have no access to the project.")),
        (6, json!({"user_uuid": "0191c7a2-5b1e-7000-8f3a-6d2c1e4b9aff", "level": 37}), invalid("User does not exist.")),
        (6, json!({"user_uuid": "nope", "level": 37}), error("validation_error", "invalid_input", "Must be a valid UUID.", Some("user_uuid"))),
        (6, json!({"user_uuid": uuid(3)}), error("validation_error", "required", "This field is required.", Some("level"))),
        (6, json!({"level": 37}), error("validation_error", "required", "This field is required.", Some("user_uuid"))),
        (6, json!({"level": 5, "user_uuid": "nope"}), error("validation_error", "invalid_choice", "\"5\" is not a valid choice.", Some("level"))),
    ];
    for (dashboard, body, expected) in cases {
        let reply = server.post(&path(dashboard), ADA, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.body, expected, "{body}");
    }
    server
        .post(&path(6), ADA, json!({"user_uuid": uuid(3), "level": 37}))
        .await;
    let reply = server
        .post(&path(6), ADA, json!({"user_uuid": uuid(3), "level": 37}))
        .await;
    assert_eq!(reply.body, invalid("User already is a collaborator."));

    let reply = server
        .post(
            &path(7),
            GRACE_WRITE,
            json!({"user_uuid": uuid(3), "level": 37}),
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
    let reply = server.get(&path(6), LINUS).await;
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "You don't have access to the project.",
            None
        )
    );
    assert_eq!(
        server.get(&path(99999), ADA).await.body,
        json!({"type": "invalid_request", "code": "not_found", "detail": "Dashboard not found.", "attr": null})
    );
    for method in [Method::PATCH, Method::PUT] {
        let reply = server
            .send(
                server
                    .request(
                        method.clone(),
                        &format!("{}{}/", path(6), uuid(3)),
                        Some(ADA),
                    )
                    .json(&json!({"level": 21})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            reply.body["detail"],
            format!("Method \"{method}\" not allowed.")
        );
    }

    // Lowered back to 21, the dashboard's collaborators can no longer be removed.
    server
        .patch(
            "/api/projects/1/dashboards/6/",
            ADA,
            json!({"restriction_level": 21}),
        )
        .await;
    let reply = server
        .send(server.request(
            Method::DELETE,
            &format!("{}{}/", path(6), uuid(3)),
            Some(ADA),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        invalid("Cannot remove collaborators from a dashboard on the lowest restriction level.")
    );
}

#[tokio::test]
async fn without_the_access_control_licence_restrictions_do_nothing() {
    let server = start_with_options(Options {
        unlicensed: true,
        ..Options::default()
    })
    .await;
    let dashboard = server
        .get("/api/projects/1/dashboards/6/", GRACE_READ)
        .await
        .body;
    assert_eq!(dashboard["restriction_level"], 37);
    assert_eq!(dashboard["effective_restriction_level"], 21);
    assert_eq!(dashboard["effective_privilege_level"], 37);
    let reply = server
        .post(&path(6), ADA, json!({"user_uuid": uuid(2), "level": 37}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        invalid("Cannot add collaborators to a dashboard on the lowest restriction level.")
    );
    assert_eq!(
        server
            .patch(
                "/api/projects/1/dashboards/6/",
                GRACE_WRITE,
                json!({"name": "open"})
            )
            .await
            .status,
        StatusCode::OK
    );
}
