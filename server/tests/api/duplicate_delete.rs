//! Duplication with and without `duplicate_tiles`, and soft delete with `delete_insights`
//! (api.md §2.2, §2.5).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

fn text_ids(dashboard: &Value) -> Vec<i64> {
    dashboard["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["text"]["id"].as_i64())
        .collect()
}

fn tile_ids(dashboard: &Value) -> Vec<i64> {
    dashboard["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn duplicate_tiles_deep_copies_insights_and_texts() {
    let server = start().await;
    // Soft-delete one tile of the source first: it must not be copied.
    let source = server.get("/api/projects/1/dashboards/1/", ADA).await.body;
    let dropped = source["tiles"][1]["id"].clone();
    server
        .patch(
            "/api/projects/1/dashboards/1/",
            ADA,
            json!({"tiles": [{"id": dropped, "deleted": true}], "breakdown_colors": [{"a": "red"}], "filters": {"date_from": "-14d"}}),
        )
        .await;
    let source = server.get("/api/projects/1/dashboards/1/", ADA).await.body;

    let reply = server
        .post(
            "/api/projects/1/dashboards/",
            ADA,
            json!({"name": "Deep", "use_dashboard": 1, "duplicate_tiles": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let copy = &reply.body;
    assert_eq!(copy["creation_mode"], "duplicate");
    assert_eq!(copy["filters"], json!({"date_from": "-14d"}));
    assert_eq!(copy["breakdown_colors"], json!([{"a": "red"}]));
    assert_eq!(copy["tiles"].as_array().unwrap().len(), 23);
    let (old_insights, new_insights) = (insight_ids(&source), insight_ids(copy));
    assert_eq!(old_insights.len(), new_insights.len());
    assert!(new_insights.iter().all(|id| !old_insights.contains(id)));
    assert!(text_ids(copy)
        .iter()
        .all(|id| !text_ids(&source).contains(id)));
    assert!(tile_ids(copy)
        .iter()
        .all(|id| !tile_ids(&source).contains(id)));
    for (old, new) in source["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .zip(copy["tiles"].as_array().unwrap())
    {
        assert_eq!(old["layouts"], new["layouts"]);
        assert_eq!(old["color"], new["color"]);
        match old["insight"]["name"].as_str() {
            Some(name) => assert_eq!(new["insight"]["name"], format!("{name} (Copy)")),
            None => assert_eq!(new["insight"]["name"], old["insight"]["name"]),
        }
        assert_eq!(old["text"]["body"], new["text"]["body"]);
        if new["insight"].is_object() {
            assert_eq!(new["insight"]["dashboards"], json!([copy["id"]]));
            assert_eq!(new["insight"]["created_by"]["first_name"], "Ada");
        }
    }
    assert!(
        source["tiles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["insight"]["name"].is_null() && t["insight"].is_object()),
        "the source has unnamed insights, whose copies stay unnamed"
    );

    let relinked = server
        .post(
            "/api/projects/1/dashboards/",
            ADA,
            json!({"use_dashboard": 1}),
        )
        .await
        .body;
    assert_eq!(insight_ids(&relinked), insight_ids(&source));
    assert_eq!(text_ids(&relinked), text_ids(&source));
    assert!(tile_ids(&relinked)
        .iter()
        .all(|id| !tile_ids(&source).contains(id)));
}

#[tokio::test]
async fn delete_insights_removes_only_insights_on_no_other_dashboard() {
    let server = start().await;
    let source = server.get("/api/projects/1/dashboards/1/", ADA).await.body;
    let ids = insight_ids(&source);
    // "Weekly signups" is also on "Executive summary" (8).
    let shared =
        *ids.iter()
            .find(|id| {
                source["tiles"].as_array().unwrap().iter().any(|t| {
                    t["insight"]["id"] == **id && t["insight"]["dashboards"] == json!([1, 8])
                })
            })
            .expect("an insight on two dashboards");
    let only_here = *ids.iter().find(|id| **id != shared).unwrap();

    let reply = server
        .patch(
            "/api/projects/1/dashboards/1/",
            ADA,
            json!({"deleted": true, "delete_insights": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let insight = |id: i64| format!("/api/projects/1/insights/{id}/");
    assert_eq!(
        server.get(&insight(only_here), ADA).await.status,
        StatusCode::NOT_FOUND
    );
    let kept = server.get(&insight(shared), ADA).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.body["dashboards"], json!([8]));

    let reply = server
        .patch(
            "/api/projects/1/dashboards/1/",
            ADA,
            json!({"deleted": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        insight_ids(&reply.body),
        ids,
        "tiles and insights come back"
    );
    assert_eq!(
        server.get(&insight(only_here), ADA).await.status,
        StatusCode::OK
    );
}
