//! Every stand-in rule of the dashboard lifecycle (issue 8, "Tests"), in one place. Most are
//! proven where their endpoint is tested; this list points at them, and the rules no other
//! file covers are tested here.
//!
//! | rule | test |
//! | --- | --- |
//! | `use_template` + `use_dashboard` together → 400 (no `attr`) | `dashboards_write::create_applies_defaults_and_validates` |
//! | unknown template → 400 `use_template` | `templates::built_in_templates_create_realistic_tiles` |
//! | `use_dashboard` of another project → 400 `use_dashboard` | [`use_dashboard_must_be_a_dashboard_of_this_project`] |
//! | `use_dashboard` naming no dashboard → 400 `use_dashboard` | `dashboards_write::create_applies_defaults_and_validates` |
//! | `filters` not an object → 400 "Filters must be a dictionary" | `dashboards_write::create_applies_defaults_and_validates`, [`filters_must_be_an_object_on_update_too`] |
//! | name over 400 characters → 400 `name` | `dashboards_write::create_applies_defaults_and_validates`, [`names_over_400_characters_are_refused_on_update_too`] |
//! | restriction change by a non-owner, non-admin → 403 | `dashboards_write::restriction_rules` |
//! | soft delete hides from the list, GET → 404; hard DELETE → 405 | `dashboards_write::soft_delete_restore_and_forbidden_hard_delete` |
//! | restore (`deleted: false`) brings the tiles back | `dashboards_write::soft_delete_restore_and_forbidden_hard_delete` |
//! | `delete_insights` removes only insights on no other dashboard | `duplicate_delete::delete_insights_removes_only_insights_on_no_other_dashboard` |
//! | template JSON schema errors → 400 with the jsonschema message | `templates::invalid_templates_get_jsonschema_messages` |
//! | personal API key on `create_from_template_json` → 403 | `templates::create_from_template_json_needs_a_session` |
//! | the rebuild's endpoints (insights with `dashboards: [id]`) | `insights` |

use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn use_dashboard_must_be_a_dashboard_of_this_project() {
    let server = start().await;
    // Dashboard 36 lives in project 2; Ada's key reaches both projects.
    assert_eq!(
        server
            .get("/api/projects/2/dashboards/36/", ADA)
            .await
            .status,
        StatusCode::OK
    );
    let reply = server
        .post(
            "/api/projects/1/dashboards/",
            ADA,
            json!({"name": "Copy", "use_dashboard": 36}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "invalid_input",
            "Invalid value provided",
            Some("use_dashboard")
        )
    );
    let list = server
        .get("/api/projects/1/dashboards/?limit=500", ADA)
        .await;
    assert!(
        !list.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["name"] == "Copy"),
        "nothing was created"
    );
}

#[tokio::test]
async fn filters_must_be_an_object_on_update_too() {
    let server = start().await;
    let reply = server
        .patch(
            "/api/projects/1/dashboards/1/",
            ADA,
            json!({"filters": "x"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["detail"], "Filters must be a dictionary");
}

#[tokio::test]
async fn names_over_400_characters_are_refused_on_update_too() {
    let server = start().await;
    let reply = server
        .patch(
            "/api/projects/1/dashboards/1/",
            ADA,
            json!({"name": "n".repeat(401)}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["attr"], "name");
    let kept = server.get("/api/projects/1/dashboards/1/", ADA).await;
    assert_eq!(kept.body["name"], "Product KPIs");
}
