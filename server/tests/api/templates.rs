//! Dashboards from templates: `use_template` and `create_from_template_json` (api.md §2.2, §2.9).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

fn tile_names(dashboard: &Value) -> Vec<String> {
    dashboard["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["insight"]["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn built_in_templates_create_realistic_tiles() {
    let server = start().await;
    let reply = server
        .post(
            "/api/projects/1/dashboards/",
            ADA,
            json!({"use_template": "DEFAULT_APP"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let d = &reply.body;
    assert_eq!(d["creation_mode"], "template");
    assert_eq!(d["name"], "Product analytics");
    assert_eq!(d["tiles"].as_array().unwrap().len(), 6);
    assert_eq!(tile_names(d)[0], "Daily active users (DAUs)");
    let first = &d["tiles"][0];
    assert_eq!(first["color"], "blue");
    assert_eq!(first["layouts"]["sm"]["w"], 6);
    assert_eq!(first["insight"]["query"]["source"]["kind"], "TrendsQuery");
    assert_eq!(first["insight"]["is_sample"], true);
    assert_eq!(first["insight"]["dashboards"], json!([d["id"]]));
    let kinds: Vec<&str> = d["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["insight"]["query"]["source"]["kind"].as_str())
        .collect();
    for kind in [
        "RetentionQuery",
        "LifecycleQuery",
        "FunnelsQuery",
        "TrendsQuery",
    ] {
        assert!(kinds.contains(&kind), "{kind}");
    }

    let reply = server
        .post(
            "/api/environments/1/dashboards",
            ADA,
            json!({"name": "Traffic", "use_template": "WEBSITE_TRAFFIC"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["name"], "Traffic", "a given name is kept");
    assert_eq!(reply.body["filters"], json!({"date_from": "-30d"}));
    assert_eq!(reply.body["tiles"].as_array().unwrap().len(), 8);
    assert!(tile_names(&reply.body).contains(&"World Map (Unique Users)".to_owned()));

    let reply = server
        .post(
            "/api/projects/1/dashboards/",
            ADA,
            json!({"use_template": "NOPE"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "invalid_input",
            "Invalid template provided: NOPE",
            Some("use_template")
        )
    );
    assert_eq!(
        server.get("/api/projects/1/dashboards/", ADA).await.body["count"],
        36,
        "the failed create left nothing behind"
    );
}

fn valid_template() -> Value {
    json!({
        "template_name": "Launch dashboard",
        "dashboard_description": "Everything about the launch",
        "dashboard_filters": {"date_from": "-7d"},
        "tags": ["launch"],
        "created_by": {"id": 1, "first_name": "ignored"},
        "tiles": [
            {
                "type": "INSIGHT",
                "name": "Signups",
                "description": "People who signed up",
                "color": "green",
                "layouts": {"sm": {"x": 0, "y": 0, "w": 6, "h": 5}},
                "query": {"kind": "InsightVizNode", "source": {"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "signed up"}]}},
            },
            {"type": "TEXT", "body": "# Launch <b>notes</b>", "color": "blue", "layouts": {"sm": {"x": 6, "y": 0, "w": 6, "h": 5}}},
            {"type": "BUTTON", "text": "skipped"},
        ],
    })
}

#[tokio::test]
async fn create_from_template_json_needs_a_session() {
    let server = start().await;
    let path = "/api/projects/1/dashboards/create_from_template_json/";
    let reply = server
        .post(path, ADA, json!({"template": valid_template()}))
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
        .post(path, ADA_SESSION, json!({"template": valid_template()}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let d = &reply.body;
    assert_eq!(
        (d["name"].clone(), d["description"].clone()),
        (
            json!("Launch dashboard"),
            json!("Everything about the launch")
        )
    );
    assert_eq!(d["filters"], json!({"date_from": "-7d"}));
    assert_eq!(d["tags"], json!(["launch"]));
    assert_eq!(d["created_by"]["email"], "ada@hogflix.example");
    let tiles = d["tiles"].as_array().unwrap();
    assert_eq!(tiles.len(), 2, "unknown tile types are skipped");
    assert_eq!(tiles[0]["insight"]["name"], "Signups");
    assert_eq!(tiles[0]["color"], "green");
    assert_eq!(
        tiles[0]["insight"]["query"]["source"]["series"][0]["event"],
        "signed up"
    );
    assert_eq!(tiles[1]["text"]["body"], "# Launch <b>notes</b>");
    assert_eq!(tiles[1]["layouts"]["sm"]["x"], 6);

    let reply = server
        .post(
            "/api/environments/1/dashboards/create_from_template_json",
            GRACE_SESSION,
            json!({"template": valid_template()}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "a plain member may too");
    let reply = server
        .post(
            path,
            "phs_unknown_session",
            json!({"template": valid_template()}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn invalid_templates_get_jsonschema_messages() {
    let server = start().await;
    let path = "/api/projects/1/dashboards/create_from_template_json/";
    let reply = server
        .post(
            path,
            ADA_SESSION,
            json!({"template": {"not a": "template"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (
            reply.body["type"].clone(),
            reply.body["code"].clone(),
            reply.body["attr"].clone()
        ),
        (
            json!("validation_error"),
            json!("invalid_input"),
            Value::Null
        )
    );
    let detail = reply.body["detail"].as_str().unwrap();
    for part in [
        "'template_name' is a required property",
        "Failed validating 'required' in schema",
        "{'not a': 'template'}",
    ] {
        assert!(detail.contains(part), "{part} in {detail}");
    }

    let mut empty = valid_template();
    empty["tiles"] = json!([]);
    let reply = server
        .post(path, ADA_SESSION, json!({"template": empty}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["detail"]
        .as_str()
        .unwrap()
        .starts_with("[] should be non-empty"));

    let mut bad = valid_template();
    bad["tiles"] = json!(["text"]);
    let reply = server
        .post(path, ADA_SESSION, json!({"template": bad}))
        .await;
    assert!(reply.body["detail"]
        .as_str()
        .unwrap()
        .starts_with("'text' is not of type 'object'"));

    let reply = server.post(path, ADA_SESSION, json!({})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["detail"]
        .as_str()
        .unwrap()
        .starts_with("None is not of type 'object'"));
    assert_eq!(
        server.get("/api/projects/1/dashboards/", ADA).await.body["count"],
        34,
        "nothing was created"
    );
}
