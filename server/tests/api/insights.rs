//! The insights API: list, create, retrieve, update, dashboards membership (api.md §3.2).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::*;

const LIST: &str = "/api/projects/1/insights/";

#[tokio::test]
async fn list_pages_and_filters() {
    let server = start().await;
    let all = server.get(LIST, ADA).await;
    assert_eq!(all.status, StatusCode::OK);
    let count = all.body["count"].as_i64().unwrap();
    assert!(count > 40, "every live insight of project 1");
    let page = server
        .get(&format!("{LIST}?limit=5&offset=5"), ADA)
        .await
        .body;
    assert_eq!(page["results"].as_array().unwrap().len(), 5);
    assert_eq!(page["count"], count);
    assert!(page["next"].as_str().unwrap().contains("offset=10"));

    let first = &all.body["results"][0];
    let short_id = first["short_id"].as_str().unwrap();
    let by_short_id = server
        .get(&format!("{LIST}?short_id={short_id}"), GRACE_READ)
        .await
        .body;
    assert_eq!(by_short_id["count"], 1);
    assert_eq!(by_short_id["results"][0]["id"], first["id"]);

    let search = server
        .get("/api/environments/1/insights?search=RETENTION", ADA)
        .await
        .body;
    assert!(search["count"].as_i64().unwrap() >= 1);
    for row in search["results"].as_array().unwrap() {
        let text = format!(
            "{} {} {}",
            row["name"], row["derived_name"], row["description"]
        );
        assert!(text.to_lowercase().contains("retention"), "{text}");
    }
    assert_eq!(
        server.get(&format!("{LIST}?saved=false"), ADA).await.body["count"],
        0,
        "every seeded insight is saved"
    );
    assert_eq!(
        server.get(LIST, DASHBOARD_ONLY).await.body,
        error(
            "authentication_error",
            "permission_denied",
            "API key missing required scope 'insight:read'",
            None
        )
    );
}

#[tokio::test]
async fn create_puts_the_insight_on_its_dashboards() {
    let server = start().await;
    let query = json!({"kind": "InsightVizNode", "source": {"kind": "TrendsQuery", "series": []}});
    let reply = server
        .post(
            LIST,
            ADA,
            json!({"name": "New KPI", "description": "d", "query": query, "dashboards": [11, 12], "saved": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let insight = &reply.body;
    assert_eq!(insight["name"], "New KPI");
    assert_eq!(insight["query"], query);
    assert_eq!(insight["dashboards"], json!([11, 12]));
    assert_eq!(insight["short_id"].as_str().unwrap().len(), 8);
    assert_eq!(insight["created_by"]["first_name"], "Ada");
    assert_eq!(insight["user_access_level"], "manager");
    let on_11 = server.get("/api/projects/1/dashboards/11/", ADA).await.body;
    assert_eq!(insight_ids(&on_11), vec![insight["id"].as_i64().unwrap()]);

    let cases = [
        (
            json!({"dashboards": [41]}),
            error(
                "validation_error",
                "invalid_input",
                "Dashboard not found",
                Some("dashboards"),
            ),
        ),
        (
            json!({"dashboards": [99999]}),
            error(
                "validation_error",
                "does_not_exist",
                "Invalid pk \"99999\" - object does not exist.",
                Some("dashboards"),
            ),
        ),
        (
            json!({"dashboards": [35]}),
            error(
                "validation_error",
                "invalid_input",
                "Dashboard not found",
                Some("dashboards"),
            ),
        ),
        (
            json!({"name": "x".repeat(401)}),
            error(
                "validation_error",
                "max_length",
                "Ensure this field has no more than 400 characters.",
                Some("name"),
            ),
        ),
    ];
    for (body, expected) in cases {
        let reply = server.post(LIST, ADA, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.body, expected, "{body}");
    }

    let reply = server
        .post(
            LIST,
            GRACE_WRITE,
            json!({"name": "Mine", "dashboards": [6]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body["detail"],
        "You don't have permission to add insights to dashboard: 6"
    );
    let reply = server.post(LIST, GRACE_READ, json!({"name": "Mine"})).await;
    assert_eq!(
        reply.body["detail"],
        "API key missing required scope 'insight:write'"
    );
    let reply = server
        .post(LIST, GRACE_WRITE, json!({"name": "Mine"}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["dashboards"], json!([]));
}

#[tokio::test]
async fn patch_updates_fields_dashboards_and_soft_delete() {
    let server = start().await;
    let created = server
        .post(LIST, ADA, json!({"name": "Temp", "dashboards": [11]}))
        .await
        .body;
    let path = format!("/api/projects/1/insights/{}/", created["id"]);
    let reply = server
        .patch(
            &path,
            GRACE_WRITE,
            json!({"name": "Renamed", "description": "why", "dashboards": [12]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["name"], "Renamed");
    assert_eq!(reply.body["dashboards"], json!([12]));
    assert_eq!(reply.body["last_modified_by"]["first_name"], "Grace");
    assert_eq!(
        server.get("/api/projects/1/dashboards/11/", ADA).await.body["tiles"],
        json!([]),
        "removed from dashboard 11"
    );
    let back = server
        .patch(&path, ADA, json!({"dashboards": [11, 12]}))
        .await
        .body;
    assert_eq!(back["dashboards"], json!([11, 12]));
    assert_eq!(
        back["dashboard_tiles"].as_array().unwrap().len(),
        2,
        "the soft-deleted tile was revived, not duplicated"
    );

    assert_eq!(
        server
            .patch(&path, ADA, json!({"deleted": true}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(server.get(&path, ADA).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        server.patch(&path, ADA, json!({"name": "x"})).await.status,
        StatusCode::NOT_FOUND
    );
    let restored = server.patch(&path, ADA, json!({"deleted": false})).await;
    assert_eq!(restored.status, StatusCode::OK);
    assert_eq!(restored.body["deleted"], false);

    let reply = server
        .send(server.request(Method::DELETE, &path, Some(ADA)))
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.text, "");
}

#[tokio::test]
async fn insights_on_restricted_dashboards_are_read_only_for_others() {
    let server = start().await;
    let restricted = server.get("/api/projects/1/dashboards/7/", ADA).await.body;
    let id = insight_ids(&restricted)[0];
    let path = format!("/api/projects/1/insights/{id}");
    let view = server.get(&path, GRACE_READ).await.body;
    assert_eq!(view["effective_restriction_level"], 37);
    assert_eq!(view["effective_privilege_level"], 21);
    let reply = server
        .patch(&path, GRACE_WRITE, json!({"name": "mine"}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        error(
            "authentication_error",
            "permission_denied",
            "This insight is on a dashboard that can only be edited by its owner, team members invited to editing the dashboard, and project admins.",
            None
        )
    );
    assert_eq!(
        server.get("/api/projects/3/insights/", ADA).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server
            .get("/api/projects/1/insights/999999/", ADA)
            .await
            .body,
        error("invalid_request", "not_found", "Not found.", None)
    );
}
