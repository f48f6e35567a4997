//! The stand-in misbehaving on request: PostHog's rate limits (`Options::rate_limit`) and injected
//! faults (`/_standin/faults`), which the app's end-to-end tests rely on.

use std::time::{Duration, Instant};

use dashdeck_server::{FaultRule, Options};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{error, start, start_with_options, ADA, ADA_SESSION, GRACE_READ};

const ME: &str = "/api/users/@me/";

#[tokio::test]
async fn keys_over_their_rate_get_posthogs_429_with_retry_after() {
    let server = start_with_options(Options {
        rate_limit: Some("3/minute".parse().expect("rate")),
        ..Options::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(server.get(ME, ADA).await.status, StatusCode::OK);
    }
    let reply = server.get(ME, ADA).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = reply.headers["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((59..=60).contains(&wait), "{wait}");
    assert_eq!(
        reply.body,
        error(
            "throttled_error",
            "throttled",
            &format!("Request was throttled. Expected available in {wait} seconds."),
            None
        )
    );
    // Budgets are per key; sessions are never throttled.
    assert_eq!(server.get(ME, GRACE_READ).await.status, StatusCode::OK);
    for _ in 0..5 {
        assert_eq!(server.get(ME, ADA_SESSION).await.status, StatusCode::OK);
    }
    // A key in the query string shares the header key's budget.
    let reply = server
        .send(server.request(Method::GET, &format!("{ME}?personal_api_key={ADA}"), None))
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_the_option_nothing_is_throttled() {
    let server = start().await;
    for _ in 0..50 {
        assert_eq!(server.get(ME, ADA).await.status, StatusCode::OK);
    }
}

async fn add_fault(server: &crate::common::Server, rule: serde_json::Value) {
    let reply = server
        .send(
            server
                .request(Method::POST, "/_standin/faults", None)
                .json(&rule),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
}

#[tokio::test]
async fn injected_errors_match_method_and_path_and_run_out() {
    let server = start().await;
    add_fault(
        &server,
        json!({"match": "PATCH /api/projects/1/dashboards/", "status": 503, "times": 1}),
    )
    .await;
    add_fault(
        &server,
        json!({"match": "/api/users/", "status": 429, "retry_after": 7}),
    )
    .await;

    // Not matching: a GET of the dashboards.
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/1/", ADA)
            .await
            .status,
        StatusCode::OK
    );
    let path = "/api/projects/1/dashboards/1/";
    let reply = server.patch(path, ADA, json!({"name": "x"})).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        reply.body,
        error(
            "server_error",
            "service_unavailable",
            "Service temporarily unavailable, try again later.",
            None
        )
    );
    // `times: 1` is spent, and the failed request changed nothing.
    let reply = server.patch(path, ADA, json!({"name": "after"})).await;
    assert_eq!(reply.status, StatusCode::OK);

    for _ in 0..2 {
        let reply = server.get(ME, ADA).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(reply.headers["retry-after"], "7");
        assert_eq!(
            reply.body["detail"],
            "Request was throttled. Expected available in 7 seconds."
        );
        // Readable cross-origin, like a real error.
        let cors = server
            .send(
                server
                    .request(Method::GET, ME, Some(ADA))
                    .header("origin", "http://app.test"),
            )
            .await;
        assert_eq!(
            cors.headers["access-control-allow-origin"],
            "http://app.test"
        );
    }
    let listed = server
        .send(server.request(Method::GET, "/_standin/faults/", None))
        .await;
    assert_eq!(listed.body["rules"].as_array().map(Vec::len), Some(1));
    let cleared = server
        .send(server.request(Method::DELETE, "/_standin/faults", None))
        .await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT);
    assert_eq!(server.get(ME, ADA).await.status, StatusCode::OK);
}

#[tokio::test]
async fn latency_and_dropped_connections() {
    let server = start().await;
    add_fault(
        &server,
        json!({"match": "GET /api/users/", "latency_ms": 300, "times": 1}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(server.get(ME, ADA).await.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));

    add_fault(&server, json!({"drop_connection": true, "times": 1})).await;
    let sent = server.request(Method::GET, ME, Some(ADA)).send().await;
    assert!(sent.is_err(), "expected a network error, got {sent:?}");
    assert_eq!(server.get(ME, ADA).await.status, StatusCode::OK);
}

#[tokio::test]
async fn bad_rules_are_refused_and_start_up_rules_apply() {
    let server = start().await;
    let reply = server
        .send(
            server
                .request(Method::POST, "/_standin/faults", None)
                .json(&json!({"status": 404})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["attr"], "status");
    let reply = server
        .send(
            server
                .request(Method::POST, "/_standin/faults", None)
                .body("{"),
        )
        .await;
    assert_eq!(reply.body["code"], "parse_error");

    let server = start_with_options(Options {
        faults: vec![FaultRule {
            status: Some(500),
            ..FaultRule::default()
        }],
        ..Options::default()
    })
    .await;
    let reply = server.get(ME, ADA).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        reply.body,
        error("server_error", "error", "A server error occurred.", None)
    );
}

#[tokio::test]
async fn injected_400s_name_their_field_and_405s_their_method() {
    let server = start().await;
    add_fault(
        &server,
        json!({"match": "POST /api/projects/1/dashboards/", "status": 400, "attr": "description",
               "detail": "Ensure this field has no more than 10 characters.", "times": 1}),
    )
    .await;
    add_fault(
        &server,
        json!({"match": "PATCH /api/projects/1/dashboards/", "status": 405, "times": 1}),
    )
    .await;
    let reply = server
        .post("/api/projects/1/dashboards/", ADA, json!({"name": "x"}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "invalid_input",
            "Ensure this field has no more than 10 characters.",
            Some("description")
        )
    );
    let reply = server
        .patch("/api/projects/1/dashboards/1/", ADA, json!({"name": "x"}))
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.body["detail"], "Method \"PATCH\" not allowed.");
}
