//! `move_tile` in both API eras (api.md §2.6).

use dashdeck_server::{ApiEra, Options};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::*;

fn move_path(from: i64) -> String {
    format!("/api/projects/1/dashboards/{from}/move_tile/")
}

async fn dashboard(server: &Server, id: i64) -> Value {
    server
        .get(&format!("/api/projects/1/dashboards/{id}/"), ADA)
        .await
        .body
}

#[tokio::test]
async fn tiles_move_between_dashboards() {
    let server = start().await;
    let source = dashboard(&server, 10).await;
    let tile = source["tiles"][0].clone();
    let reply = server
        .patch(
            &move_path(10),
            ADA,
            json!({"tile": {"id": tile["id"]}, "to_dashboard": 11}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["id"], 10, "the answer is the source");
    assert_eq!(reply.body["tiles"], json!([]));
    let destination = dashboard(&server, 11).await;
    let moved = &destination["tiles"][0];
    assert_eq!(moved["id"], tile["id"], "the tile keeps its id");
    assert_eq!(moved["layouts"], tile["layouts"]);
    assert_eq!(moved["insight"]["id"], tile["insight"]["id"]);

    let back = server
        .post(
            "/api/environments/1/dashboards/11/move_tile",
            ADA,
            json!({"tile": {"id": tile["id"]}, "to_dashboard": 10}),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "POST works too");
    assert_eq!(dashboard(&server, 10).await["tiles"][0]["id"], tile["id"]);
}

#[tokio::test]
async fn move_errors() {
    let server = start().await;
    let tile_id = dashboard(&server, 10).await["tiles"][0]["id"].clone();
    let cases = [
        (
            json!({"tile": {"id": tile_id}}),
            StatusCode::BAD_REQUEST,
            error(
                "validation_error",
                "required",
                "This field is required.",
                Some("to_dashboard"),
            ),
        ),
        (
            json!({"tile": {}, "to_dashboard": 11}),
            StatusCode::BAD_REQUEST,
            error(
                "validation_error",
                "required",
                "This field is required.",
                Some("tile__id"),
            ),
        ),
        (
            json!({"toDashboard": 11, "tile": {"id": tile_id}}),
            StatusCode::BAD_REQUEST,
            error(
                "validation_error",
                "required",
                "This field is required.",
                Some("to_dashboard"),
            ),
        ),
        (
            json!({"tile": {"id": 999999}, "to_dashboard": 11}),
            StatusCode::NOT_FOUND,
            error("invalid_request", "not_found", "Not found.", None),
        ),
        (
            json!({"tile": {"id": tile_id}, "to_dashboard": 41}),
            StatusCode::NOT_FOUND,
            error("invalid_request", "not_found", "Not found.", None),
        ),
    ];
    for (body, status, expected) in cases {
        let reply = server.patch(&move_path(10), ADA, body.clone()).await;
        assert_eq!(reply.status, status, "{body}");
        assert_eq!(reply.body, expected, "{body}");
    }
    assert_eq!(
        dashboard(&server, 10).await["tiles"][0]["id"],
        tile_id,
        "nothing moved"
    );

    let restricted = dashboard(&server, 6).await["tiles"][0]["id"].clone();
    let reply = server
        .patch(
            &move_path(6),
            GRACE_WRITE,
            json!({"tile": {"id": restricted}, "to_dashboard": 11}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body["detail"],
        "You don't have edit permissions for this dashboard."
    );
    let reply = server
        .patch(
            &move_path(10),
            GRACE_WRITE,
            json!({"tile": {"id": tile_id}, "to_dashboard": 7}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "You don't have edit permissions for the destination dashboard.",
            None
        )
    );
    let reply = server
        .patch(
            &move_path(10),
            GRACE_READ,
            json!({"tile": {"id": tile_id}, "to_dashboard": 11}),
        )
        .await;
    assert_eq!(
        reply.body["detail"],
        "API key missing required scope 'dashboard:write'"
    );
}

#[tokio::test]
async fn duplicates_block_and_shadows_make_way() {
    let server = start().await;
    // "Weekly signups" is on Product KPIs (1) and Executive summary (8).
    let kpis = dashboard(&server, 1).await;
    let tile = kpis["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["insight"]["dashboards"] == json!([1, 8]))
        .unwrap()
        .clone();
    let body = json!({"tile": {"id": tile["id"]}, "to_dashboard": 8});
    let reply = server.patch(&move_path(1), ADA, body.clone()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "invalid_input",
            "Invalid request data for moving tile.",
            None
        )
    );

    let executive = dashboard(&server, 8).await;
    let shadow = executive["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["insight"]["id"] == tile["insight"]["id"])
        .unwrap()["id"]
        .clone();
    server
        .patch(
            "/api/projects/1/dashboards/8/",
            ADA,
            json!({"tiles": [{"id": shadow, "deleted": true}]}),
        )
        .await;
    let reply = server.patch(&move_path(1), ADA, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let executive = dashboard(&server, 8).await;
    assert!(executive["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["id"] == tile["id"]));
}

#[tokio::test]
async fn the_old_era_reads_to_dashboard_in_camel_case_and_wants_a_session() {
    let server = start_with_options(Options {
        api_era: ApiEra::Old,
        ..Options::default()
    })
    .await;
    let tile_id = dashboard(&server, 10).await["tiles"][0]["id"].clone();
    let reply = server
        .patch(
            &move_path(10),
            ADA,
            json!({"tile": {"id": tile_id}, "toDashboard": 11}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "This action does not support personal API key access",
            None
        )
    );
    let reply = server
        .patch(
            &move_path(10),
            ADA_SESSION,
            json!({"tile": {"id": tile_id}, "to_dashboard": 11}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        reply.body,
        error("server_error", "error", "A server error occurred.", None)
    );
    let reply = server
        .send(
            server
                .request(Method::PATCH, &move_path(10), Some(ADA_SESSION))
                .json(&json!({"tile": {"id": tile_id}, "toDashboard": 11})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["tiles"], json!([]));
    assert_eq!(dashboard(&server, 11).await["tiles"][0]["id"], tile_id);
}
