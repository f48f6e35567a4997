//! Per-dashboard access controls and their effect on list, retrieve and edit (api.md §2.1, §2.14).

use dashdeck_server::Options;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::*;

const GRACE_MEMBERSHIP: &str = "0191c7a3-1c00-7000-a000-000000000002";

fn path(dashboard: i64) -> String {
    format!("/api/projects/1/dashboards/{dashboard}/access_controls/")
}

async fn put(server: &Server, key: &str, dashboard: i64, body: Value) -> Reply {
    server.json(Method::PUT, &path(dashboard), key, body).await
}

async fn count(server: &Server, key: &str) -> Value {
    server.get("/api/projects/1/dashboards/", key).await.body["count"].clone()
}

#[tokio::test]
async fn reading_access_controls() {
    let server = start().await;
    let reply = server.get(&path(2), ADA).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.body,
        json!({
            "access_controls": [],
            "available_access_levels": ["none", "viewer", "editor", "manager"],
            "default_access_level": "editor",
            "minimum_access_level": "none",
            "maximum_access_level": "manager",
            "user_access_level": "manager",
            "user_can_edit_access_levels": true,
        })
    );
    let as_grace = server
        .get(
            "/api/environments/1/dashboards/2/access_controls",
            GRACE_WRITE,
        )
        .await
        .body;
    assert_eq!(as_grace["user_access_level"], "editor");
    assert_eq!(as_grace["user_can_edit_access_levels"], false);
    assert_eq!(
        server.get(&path(11), GRACE_WRITE).await.body["user_access_level"],
        "manager",
        "creators manage their dashboards"
    );
    assert_eq!(
        server.get(&path(2), GRACE_READ).await.body["detail"],
        "API key missing required scope 'access_control:read'"
    );
    assert_eq!(
        server.get(&path(99999), ADA).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn levels_hide_and_lock_dashboards() {
    let server = start().await;
    let reply = put(&server, GRACE_WRITE, 2, json!({"access_level": "none"})).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "Must be manager to modify dashboard permissions.",
            None
        )
    );

    let reply = put(&server, ADA, 2, json!({"access_level": "none"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["access_level"], "none");
    assert_eq!(
        (
            reply.body["resource"].clone(),
            reply.body["resource_id"].clone(),
            reply.body["organization_member"].clone(),
            reply.body["role"].clone()
        ),
        (json!("dashboard"), json!("2"), Value::Null, Value::Null)
    );
    assert_eq!(count(&server, GRACE_READ).await, 33, "hidden from Grace");
    assert_eq!(count(&server, ADA).await, 34, "an admin still sees it");
    let reply = server
        .get("/api/projects/1/dashboards/2/", GRACE_READ)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "You do not have viewer access to this resource.",
            None
        )
    );
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/2/sharing/", GRACE_READ)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let reply = put(
        &server,
        ADA,
        2,
        json!({"access_level": "viewer", "organization_member": GRACE_MEMBERSHIP}),
    )
    .await;
    assert_eq!(reply.body["organization_member"], GRACE_MEMBERSHIP);
    assert_eq!(count(&server, GRACE_READ).await, 34);
    let seen = server
        .get("/api/projects/1/dashboards/2/", GRACE_READ)
        .await
        .body;
    assert_eq!(seen["user_access_level"], "viewer");
    let reply = server
        .patch(
            "/api/projects/1/dashboards/2/",
            GRACE_WRITE,
            json!({"name": "x"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body["detail"],
        "You do not have editor access to this resource."
    );

    put(
        &server,
        ADA,
        2,
        json!({"access_level": "editor", "organization_member": GRACE_MEMBERSHIP}),
    )
    .await;
    assert_eq!(
        server
            .patch(
                "/api/projects/1/dashboards/2/",
                GRACE_WRITE,
                json!({"name": "x"})
            )
            .await
            .status,
        StatusCode::OK
    );
    let listed = server.get(&path(2), ADA).await.body;
    assert_eq!(listed["access_controls"].as_array().unwrap().len(), 2);
    assert_eq!(
        listed["access_controls"][0]["organization_member"],
        Value::Null
    );

    let reply = put(
        &server,
        ADA,
        2,
        json!({"access_level": null, "organization_member": GRACE_MEMBERSHIP}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.text, "");
    assert_eq!(
        count(&server, GRACE_READ).await,
        33,
        "the default applies again"
    );
}

#[tokio::test]
async fn invalid_puts_are_400s() {
    let server = start().await;
    let cases = [
        (
            json!({"access_level": "viewer", "organization_member": GRACE_MEMBERSHIP, "role": "0191c7a3-0000-7000-a000-000000000001"}),
            error(
                "validation_error",
                "invalid_input",
                "You can not scope an access control to both a member and a role.",
                None,
            ),
        ),
        (
            json!({"access_level": "owner"}),
            error(
                "validation_error",
                "invalid_choice",
                "\"owner\" is not a valid choice.",
                Some("access_level"),
            ),
        ),
        (
            json!({"access_level": "viewer", "organization_member": "0191c7a3-1c00-7000-a000-000000000006"}),
            error(
                "validation_error",
                "does_not_exist",
                "Invalid pk \"0191c7a3-1c00-7000-a000-000000000006\" - object does not exist.",
                Some("organization_member"),
            ),
        ),
        (
            json!({}),
            error(
                "validation_error",
                "required",
                "This field is required.",
                Some("access_level"),
            ),
        ),
    ];
    for (body, expected) in cases {
        let reply = put(&server, ADA, 3, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.body, expected, "{body}");
    }
}

#[tokio::test]
async fn access_controls_need_the_licence() {
    let server = start_with_options(Options {
        unlicensed: true,
        ..Options::default()
    })
    .await;
    assert_eq!(
        put(&server, ADA, 2, json!({"access_level": "none"}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(count(&server, GRACE_READ).await, 34, "no effect without it");
}
