//! Hostile requests get PostHog's 4xx bodies: broken JSON, deep nesting, invalid UTF-8, huge
//! bodies, bad ids and query strings. And the last-resort panic catcher answers PostHog's 500.

use axum::routing::get;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{error, start, Server, ADA};

const DASHBOARD: &str = "/api/projects/1/dashboards/1/";

async fn patch_bytes(server: &Server, bytes: Vec<u8>) -> crate::common::Reply {
    let request = server
        .request(Method::PATCH, DASHBOARD, Some(ADA))
        .header("content-type", "application/json")
        .body(bytes);
    server.send(request).await
}

fn parse_error_detail(body: &serde_json::Value) -> &str {
    assert_eq!(body["type"], "invalid_request", "{body}");
    assert_eq!(body["code"], "parse_error", "{body}");
    assert_eq!(body["attr"], serde_json::Value::Null);
    body["detail"].as_str().expect("detail")
}

#[tokio::test]
async fn malformed_json_and_invalid_utf8_are_parse_errors() {
    let server = start().await;
    for bytes in [
        &b"{\"name\": "[..],
        b"{name: 1}",
        b"\xff\xfe\x00",
        b"{\"name\": \"\xc3\x28\"}",
    ] {
        let reply = patch_bytes(&server, bytes.to_vec()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
        assert!(parse_error_detail(&reply.body).starts_with("JSON parse error - "));
    }
}

#[tokio::test]
async fn ten_thousand_nested_arrays_are_a_parse_error_not_a_stack_overflow() {
    let server = start().await;
    for depth in [10_000, 200_000] {
        let body = format!("{{\"name\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        let reply = patch_bytes(&server, body.into_bytes()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(parse_error_detail(&reply.body).contains("recursion limit exceeded"));
    }
    // The server is still up.
    assert_eq!(server.get(DASHBOARD, ADA).await.status, StatusCode::OK);
}

#[tokio::test]
async fn bodies_over_a_mebibyte_are_refused_with_413() {
    let server = start().await;
    let name = "x".repeat(1024 * 1024);
    let reply = patch_bytes(&server, json!({ "name": name }).to_string().into_bytes()).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        reply.body,
        error(
            "invalid_request",
            "payload_too_large",
            "Request body exceeds the limit of 1048576 bytes.",
            None
        )
    );
}

#[tokio::test]
async fn wrong_types_name_the_field_and_unknown_fields_are_ignored_as_in_drf() {
    let server = start().await;
    let reply = server.patch(DASHBOARD, ADA, json!({"tags": "a"})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "not_a_list",
            "Expected a list of items but got type \"str\".",
            Some("tags")
        )
    );
    let reply = server.patch(DASHBOARD, ADA, json!({"pinned": [1]})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["attr"], "pinned");
    let reply = server
        .patch(
            DASHBOARD,
            ADA,
            json!({"no_such_field": {"a": 1}, "name": "Kept"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["name"], "Kept");
    assert!(reply.body.get("no_such_field").is_none());
}

#[tokio::test]
async fn bad_path_ids_are_404s() {
    let server = start().await;
    for path in [
        "/api/projects/1/dashboards/abc/",
        "/api/projects/1/dashboards/99999999999999999999999/",
        "/api/projects/1/dashboards/-1/",
        "/api/projects/1/dashboards/%FF/",
        "/api/projects/x/dashboards/1/",
        "/api/projects/1/insights/1.5/",
    ] {
        let reply = server.get(path, ADA).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            reply.body,
            error("invalid_request", "not_found", "Not found.", None),
            "{path}"
        );
    }
}

#[tokio::test]
async fn bad_paging_falls_back_to_defaults_as_drf_does() {
    let server = start().await;
    let max = u64::MAX;
    for query in [
        "limit=-1&offset=abc".to_owned(),
        format!("limit={max}&offset={max}"),
        "limit=1e3&offset=%00".to_owned(),
    ] {
        let reply = server
            .get(&format!("/api/projects/1/dashboards/?{query}"), ADA)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.text);
        assert_eq!(reply.body["count"], 34, "{query}");
    }
    let reply = server
        .get("/api/projects/1/dashboards/?limit=-1&offset=abc", ADA)
        .await;
    assert_eq!(reply.body["results"].as_array().map(Vec::len), Some(34));
}

#[tokio::test]
async fn a_panicking_handler_gets_posthogs_500_and_the_server_lives_on() {
    let router = dashdeck_server::layers::catch_panic::catch_panics(
        axum::Router::new()
            .route("/boom", get(|| async { panic!("deliberate") as &str }))
            .route("/fine", get(|| async { "fine" })),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(dashdeck_server::serve_app(router, listener));
    let reply = reqwest::get(format!("{base}/boom")).await.expect("request");
    assert_eq!(reply.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: serde_json::Value = reply.json().await.expect("json");
    assert_eq!(
        body,
        error("server_error", "error", "A server error occurred.", None)
    );
    let fine = reqwest::get(format!("{base}/fine")).await.expect("request");
    assert_eq!(fine.text().await.expect("text"), "fine");
}
