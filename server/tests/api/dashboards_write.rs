//! Retrieve, create, update, soft delete and tiles (api.md §2.2–2.5, §3).

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::*;

fn coordinate(tile: &Value, axis: &str) -> i64 {
    tile["layouts"]["sm"][axis].as_i64().unwrap_or(100)
}

#[tokio::test]
async fn retrieve_returns_sorted_tiles_of_every_kind_and_records_access() {
    let server = start().await;
    let listed = all_dashboards(&server, ADA).await;
    let seeded = listed[0]["last_accessed_at"].as_str().unwrap().to_owned();
    let after = server.get("/api/projects/1/dashboards/1/", ADA).await.body;
    assert!(
        after["last_accessed_at"].as_str().unwrap() > seeded.as_str(),
        "a retrieve records the access"
    );
    assert_eq!(after["name"], "Product KPIs");
    assert_eq!(after["created_by"]["first_name"], "Ada");
    assert_eq!(after["quick_filter_ids"], json!([]));

    let tiles = after["tiles"].as_array().unwrap();
    assert_eq!(tiles.len(), 24);
    for (index, pair) in tiles.windows(2).enumerate() {
        assert_eq!(pair[0]["order"], index);
        let key = |t: &Value| (coordinate(t, "y"), coordinate(t, "x"));
        assert!(key(&pair[0]) <= key(&pair[1]), "tiles sorted by y then x");
    }
    assert_eq!(tiles.iter().filter(|t| t["text"].is_object()).count(), 3);
    assert!(
        tiles.iter().any(|t| t["layouts"] == json!({})),
        "one tile has no layouts"
    );
    assert!(tiles
        .iter()
        .any(|t| t["layouts"]["sm"].is_object() && t["layouts"]["sm"].get("y").is_none()));
    let hostile = tiles.iter().find_map(|t| {
        t["text"]["body"]
            .as_str()
            .filter(|b| b.contains("<script>"))
    });
    assert!(hostile
        .is_some_and(|b| b.contains("onerror=alert(1)") && b.contains("javascript:alert(1)")));

    let insights: Vec<&Value> = tiles
        .iter()
        .filter_map(|t| t["insight"].as_object().map(|_| &t["insight"]))
        .collect();
    assert_eq!(insights.len(), 21);
    let kinds: HashSet<&str> = insights
        .iter()
        .filter_map(|i| i["query"]["source"]["kind"].as_str())
        .collect();
    for kind in [
        "TrendsQuery",
        "FunnelsQuery",
        "RetentionQuery",
        "PathsQuery",
        "StickinessQuery",
        "LifecycleQuery",
        "HogQLQuery",
    ] {
        assert!(kinds.contains(kind), "{kind} present");
    }
    assert!(insights.iter().all(|i| !i["result"].is_null()));
    assert!(insights
        .iter()
        .any(|i| i["name"].is_null() && i["derived_name"].is_string()));
}

#[tokio::test]
async fn create_applies_defaults_and_validates() {
    let server = start().await;
    let reply = server
        .json(
            Method::POST,
            "/api/projects/1/dashboards/",
            ADA,
            json!({"name": "New one", "pinned": "true", "description": ""}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let created = &reply.body;
    assert_eq!(created["pinned"], true);
    assert_eq!(created["tags"], json!([]));
    assert_eq!(created["creation_mode"], "default");
    assert_eq!(created["restriction_level"], 21);
    assert_eq!(created["effective_privilege_level"], 37);
    assert_eq!(created["tiles"], json!([]));
    assert_eq!(created["filters"], json!({}));
    assert_eq!(
        server.get("/api/projects/1/dashboards/", ADA).await.body["count"],
        35
    );

    let tagged = server
        .json(
            Method::POST,
            "/api/projects/1/dashboards/",
            ADA,
            json!({"name": "T", "tags": ["Ops", "ops"], "restriction_level": 37}),
        )
        .await
        .body;
    assert_eq!(tagged["tags"], json!(["ops"]));
    assert_eq!(tagged["effective_restriction_level"], 37);

    let cases = [
        (
            json!({"name": "x".repeat(401)}),
            error(
                "validation_error",
                "max_length",
                "Ensure this field has no more than 400 characters.",
                Some("name"),
            ),
        ),
        (
            json!({"restriction_level": 5}),
            error(
                "validation_error",
                "invalid_choice",
                "\"5\" is not a valid choice.",
                Some("restriction_level"),
            ),
        ),
        (
            json!({"filters": ["a"]}),
            error(
                "validation_error",
                "invalid_input",
                "Filters must be a dictionary",
                None,
            ),
        ),
        (
            json!({"use_template": "DEFAULT_APP", "use_dashboard": 1}),
            error(
                "validation_error",
                "invalid_input",
                "`use_dashboard` and `use_template` cannot be used together",
                None,
            ),
        ),
        (
            json!({"use_dashboard": 9999}),
            error(
                "validation_error",
                "invalid_input",
                "Invalid value provided",
                Some("use_dashboard"),
            ),
        ),
        (
            json!({"pinned": "maybe"}),
            error(
                "validation_error",
                "invalid_input",
                "Must be a valid boolean.",
                Some("pinned"),
            ),
        ),
        (
            json!({"name": {"a": 1}}),
            error(
                "validation_error",
                "invalid_input",
                "Not a valid string.",
                Some("name"),
            ),
        ),
        (
            json!(["not", "an", "object"]),
            error(
                "validation_error",
                "invalid_input",
                "Invalid data. Expected a dictionary, but got list.",
                None,
            ),
        ),
    ];
    for (body, expected) in cases {
        let reply = server
            .json(
                Method::POST,
                "/api/projects/1/dashboards/",
                ADA,
                body.clone(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.body, expected, "{body}");
    }
}

#[tokio::test]
async fn duplicating_relinks_the_source_tiles() {
    let server = start().await;
    let copy = server
        .json(
            Method::POST,
            "/api/projects/1/dashboards/",
            ADA,
            json!({"name": "Copy", "use_dashboard": 2, "use_template": ""}),
        )
        .await;
    assert_eq!(copy.status, StatusCode::CREATED);
    assert_eq!(copy.body["creation_mode"], "duplicate");
    let source = server.get("/api/projects/1/dashboards/2/", ADA).await.body;
    let insight_ids = |d: &Value| -> Vec<Value> {
        d["tiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["insight"]["id"].clone())
            .collect()
    };
    assert_eq!(insight_ids(&copy.body), insight_ids(&source));
}

#[tokio::test]
async fn patch_and_put_update_fields() {
    let server = start().await;
    let reply = server
        .patch("/api/projects/1/dashboards/3/", ADA, json!({"name": "Renamed", "description": "d", "tags": ["a", "b"], "creation_mode": "template"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["name"], "Renamed");
    assert_eq!(reply.body["tags"], json!(["a", "b"]));
    assert_eq!(
        reply.body["creation_mode"], "default",
        "creation_mode is read-only"
    );
    assert!(reply.body["tiles"].is_array());

    let reply = server
        .patch(
            "/api/projects/1/dashboards/3",
            ADA,
            json!({"filters": {"date_from": "-7d"}}),
        )
        .await;
    assert_eq!(reply.body["filters"], json!({"date_from": "-7d"}));
    let reply = server
        .patch(
            "/api/projects/1/dashboards/3",
            ADA,
            json!({"filters": [1, 2]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        server.get("/api/projects/1/dashboards/3", ADA).await.body["filters"],
        json!({"date_from": "-7d"})
    );

    let reply = server
        .json(
            Method::PUT,
            "/api/projects/1/dashboards/3/",
            ADA,
            json!({"pinned": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["pinned"], true);

    let form = server
        .request(Method::PATCH, "/api/projects/1/dashboards/3/", Some(ADA))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=replaced&pinned=false");
    let reply = server.send(form).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        (reply.body["name"].clone(), reply.body["pinned"].clone()),
        (json!("replaced"), json!(false))
    );
}

#[tokio::test]
async fn restriction_rules() {
    let server = start().await;
    // Grace, a plain member, on Ada's restricted dashboard.
    let reply = server
        .patch(
            "/api/projects/1/dashboards/6/",
            GRACE_WRITE,
            json!({"name": "mine now"}),
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
    // ...on Katherine's open dashboard: may edit, may not restrict.
    assert_eq!(
        server
            .patch(
                "/api/projects/1/dashboards/2/",
                GRACE_WRITE,
                json!({"description": "ok"})
            )
            .await
            .status,
        StatusCode::OK
    );
    let reply = server
        .patch(
            "/api/projects/1/dashboards/2/",
            GRACE_WRITE,
            json!({"restriction_level": 37}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body["detail"],
        "Only the dashboard owner and project admins have the restriction rights required to change the dashboard's restriction level."
    );
    // ...on her own dashboard: may restrict.
    let reply = server
        .patch(
            "/api/projects/1/dashboards/3/",
            GRACE_WRITE,
            json!({"restriction_level": 37}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        (
            reply.body["restriction_level"].clone(),
            reply.body["effective_restriction_level"].clone()
        ),
        (json!(37), json!(37))
    );
    // Ada, an admin, may edit anything.
    assert_eq!(
        server
            .patch("/api/projects/1/dashboards/6/", ADA, json!({"name": "Eng"}))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn soft_delete_restore_and_forbidden_hard_delete() {
    let server = start().await;
    let tiles_before = server.get("/api/projects/1/dashboards/2/", ADA).await.body["tiles"]
        .as_array()
        .unwrap()
        .len();

    let reply = server
        .send(server.request(Method::DELETE, "/api/projects/1/dashboards/2/", Some(ADA)))
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.text, "", "hard delete answers with an empty body");
    let reply = server
        .send(server.request(
            Method::DELETE,
            "/api/projects/1/dashboards/2/",
            Some(GRACE_READ),
        ))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "the scope check comes first"
    );

    let reply = server
        .patch(
            "/api/projects/1/dashboards/2/",
            ADA,
            json!({"deleted": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/2/", ADA)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server.get("/api/projects/1/dashboards/", ADA).await.body["count"],
        33
    );
    assert_eq!(
        server
            .patch("/api/projects/1/dashboards/2/", ADA, json!({"name": "x"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let reply = server
        .patch(
            "/api/projects/1/dashboards/2/",
            ADA,
            json!({"deleted": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.body["tiles"].as_array().unwrap().len(),
        tiles_before,
        "tiles come back"
    );
    assert_eq!(
        server
            .get("/api/projects/1/dashboards/2/", ADA)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        server.get("/api/projects/1/dashboards/", ADA).await.body["count"],
        34
    );
}

#[tokio::test]
async fn text_tiles_are_created_edited_and_removed() {
    let server = start().await;
    let reply = server
        .patch(
            "/api/projects/1/dashboards/11/",
            ADA,
            json!({"tiles": [{"text": {"body": "hello"}, "is_cached": true}]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let tile = reply.body["tiles"][0].clone();
    assert_eq!(tile["text"]["body"], "hello");
    assert_eq!(
        (
            tile["layouts"].clone(),
            tile["color"].clone(),
            tile["insight"].clone()
        ),
        (json!({}), Value::Null, Value::Null)
    );
    assert_eq!(tile["text"]["created_by"]["email"], "ada@hogflix.example");
    let text_id = tile["text"]["id"].clone();

    let reply = server
        .patch(
            "/api/projects/1/dashboards/11/",
            GRACE_WRITE,
            json!({"tiles": [{"id": tile["id"], "text": {"id": text_id, "body": "edited"}}]}),
        )
        .await;
    let edited = &reply.body["tiles"][0]["text"];
    assert_eq!(edited["body"], "edited");
    assert_eq!(edited["created_by"]["email"], "ada@hogflix.example");
    assert_eq!(edited["last_modified_by"]["email"], "grace@hogflix.example");

    let reply = server
        .patch(
            "/api/projects/1/dashboards/11/",
            ADA,
            json!({"tiles": [{"text": {"body": "x".repeat(4001)}}]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "max_length",
            "Text body cannot exceed 4000 characters",
            Some("text__body")
        )
    );

    let reply = server
        .patch(
            "/api/projects/1/dashboards/17/",
            ADA,
            json!({"tiles": [{"text": {"id": text_id, "body": "stolen"}}]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "invalid_input",
            "Text tile not found.",
            Some("text")
        )
    );

    let reply = server
        .patch(
            "/api/projects/1/dashboards/11/",
            ADA,
            json!({"tiles": [{"id": tile["id"], "deleted": true}]}),
        )
        .await;
    assert_eq!(reply.body["tiles"], json!([]));
    let reply = server
        .patch(
            "/api/projects/1/dashboards/11/",
            ADA,
            json!({"tiles": [{"text": {"body": "again"}}]}),
        )
        .await;
    assert_eq!(
        reply.body["tiles"].as_array().unwrap().len(),
        1,
        "deleted tiles stay deleted"
    );
}

#[tokio::test]
async fn tile_colour_and_layouts_round_trip() {
    let server = start().await;
    let dashboard = server.get("/api/projects/1/dashboards/2/", ADA).await.body;
    let id = dashboard["tiles"][0]["id"].clone();
    let layouts =
        json!({"sm": {"x": 0, "y": 9, "w": 12, "h": 4}, "xs": {"x": 0, "y": 9, "w": 1, "h": 4}});
    let reply = server
        .patch("/api/projects/1/dashboards/2/", ADA, json!({"tiles": [{"id": id, "color": "red", "layouts": layouts, "is_cached": true, "order": 7}, {"id": 999999, "color": "blue"}]}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let tile = reply.body["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(tile["color"], "red");
    assert_eq!(tile["layouts"], layouts);
    assert_eq!(
        reply.body["tiles"].as_array().unwrap().last().unwrap()["id"],
        id,
        "re-sorted by its new y"
    );
}

#[tokio::test]
async fn malformed_requests_get_posthog_errors() {
    let server = start().await;
    let bad_json = server
        .request(Method::PATCH, "/api/projects/1/dashboards/1/", Some(ADA))
        .header("content-type", "application/json")
        .body("{\"name\": ");
    let reply = server.send(bad_json).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (reply.body["type"].clone(), reply.body["code"].clone()),
        (json!("invalid_request"), json!("parse_error"))
    );
    assert!(reply.body["detail"]
        .as_str()
        .unwrap()
        .starts_with("JSON parse error - "));

    assert_eq!(
        server
            .get("/api/projects/1/dashboards/abc/", ADA)
            .await
            .body,
        error("invalid_request", "not_found", "Not found.", None)
    );
    assert_eq!(
        server
            .get("/api/projects/abc/dashboards/", ADA)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let huge = server
        .request(Method::PATCH, "/api/projects/1/dashboards/1/", Some(ADA))
        .header("content-type", "application/json")
        .body(format!(
            "{{\"description\": \"{}\"}}",
            "x".repeat(2 * 1024 * 1024)
        ));
    let reply = server.send(huge).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.body["type"], "invalid_request");

    let xml = server
        .request(Method::PATCH, "/api/projects/1/dashboards/1/", Some(ADA))
        .header("content-type", "text/xml")
        .body("<a/>");
    assert_eq!(
        server.send(xml).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}

#[tokio::test]
async fn duplicate_tiles_deep_copies_onto_the_same_dashboard() {
    let server = start().await;
    let before = server.get("/api/projects/1/dashboards/1/", ADA).await.body;
    let tiles = before["tiles"].as_array().unwrap();
    let insight_tile = tiles.iter().find(|t| t["insight"].is_object()).unwrap();
    let text_tile = tiles.iter().find(|t| t["text"].is_object()).unwrap();
    let layouts = json!({"sm": {"x": 0, "y": 99, "w": 4, "h": 3}});
    let reply = server
        .patch(
            "/api/projects/1/dashboards/1/",
            ADA,
            json!({"duplicate_tiles": [
                {"id": insight_tile["id"], "layouts": layouts},
                {"id": text_tile["id"], "layouts": layouts},
                {"id": 999999}
            ]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let after = reply.body["tiles"].as_array().unwrap();
    assert_eq!(after.len(), tiles.len() + 2, "unknown ids are skipped");
    let copies: Vec<&Value> = after.iter().filter(|t| t["layouts"] == layouts).collect();
    assert_eq!(copies.len(), 2);
    let copy = copies.iter().find(|t| t["insight"].is_object()).unwrap();
    assert_ne!(copy["insight"]["id"], insight_tile["insight"]["id"]);
    assert_eq!(
        copy["insight"]["name"],
        json!(format!(
            "{} (Copy)",
            insight_tile["insight"]["name"].as_str().unwrap()
        ))
    );
    assert_eq!(copy["insight"]["result"], insight_tile["insight"]["result"]);
    let text = copies.iter().find(|t| t["text"].is_object()).unwrap();
    assert_ne!(text["text"]["id"], text_tile["text"]["id"]);
    assert_eq!(text["text"]["body"], text_tile["text"]["body"]);
}
