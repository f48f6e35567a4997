//! `GET {base}/dashboards/` (api.md §2.1).

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::*;

fn names(rows: &[Value]) -> Vec<Option<String>> {
    rows.iter()
        .map(|r| r["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_envelope_holds_34_dashboards_pinned_first_then_by_name() {
    let server = start().await;
    let reply = server.get("/api/projects/1/dashboards/", ADA).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = &reply.body;
    assert_eq!(body["count"], 34);
    assert!(body["next"].is_null() && body["previous"].is_null());
    let rows = body["results"].as_array().unwrap();
    assert_eq!(rows.len(), 34);

    let names = names(rows);
    assert_eq!(names[0].as_deref(), Some("Product KPIs"));
    assert_eq!(names[1].as_deref(), Some("Website traffic"));
    assert!(rows[..2].iter().all(|r| r["pinned"] == true));
    assert!(rows[2..].iter().all(|r| r["pinned"] == false));
    let unpinned: Vec<String> = names[2..]
        .iter()
        .flatten()
        .map(|n| n.to_lowercase())
        .collect();
    let mut sorted = unpinned.clone();
    sorted.sort();
    assert_eq!(unpinned, sorted, "unpinned dashboards are ordered by name");
    assert_eq!(
        names.last().unwrap(),
        &None,
        "the unnamed dashboard sorts last"
    );

    for row in rows {
        assert!(
            row.get("tiles").is_none() && row.get("items").is_none(),
            "list rows carry no tiles"
        );
        assert!(row.get("search_match_type").is_none());
        assert_eq!(row["deleted"], false);
        assert_eq!(row["team_id"], 1);
    }
    assert!(!names.contains(&Some("Old retired dashboard".to_owned())));
}

#[tokio::test]
async fn limit_and_offset_page_with_absolute_links() {
    let server = start().await;
    let first = server
        .get("/api/projects/1/dashboards/?limit=10", ADA)
        .await
        .body;
    assert_eq!(first["results"].as_array().unwrap().len(), 10);
    assert_eq!(
        first["next"],
        format!(
            "{}/api/projects/1/dashboards/?limit=10&offset=10",
            server.base
        )
    );
    assert!(first["previous"].is_null());

    let second = server
        .get("/api/projects/1/dashboards/?limit=10&offset=10", ADA)
        .await
        .body;
    assert_eq!(
        second["previous"],
        format!("{}/api/projects/1/dashboards/?limit=10", server.base)
    );
    assert_eq!(
        second["results"][0]["id"],
        server.get("/api/projects/1/dashboards/", ADA).await.body["results"][10]["id"]
    );

    let last = server
        .get("/api/projects/1/dashboards/?limit=10&offset=30", ADA)
        .await
        .body;
    assert_eq!(last["results"].as_array().unwrap().len(), 4);
    assert!(last["next"].is_null());
    assert_eq!(last["count"], 34);
}

#[tokio::test]
async fn search_finds_the_three_funnels_exact_matches_first() {
    let server = start().await;
    let body = server
        .get("/api/projects/1/dashboards/?search=FUNNEL", ADA)
        .await
        .body;
    assert_eq!(body["count"], 3);
    let found: HashSet<String> = names(body["results"].as_array().unwrap())
        .into_iter()
        .flatten()
        .collect();
    let expected: HashSet<String> = ["Marketing funnel", "Signup funnel", "Checkout funnel"]
        .map(String::from)
        .into();
    assert_eq!(found, expected);
    assert!(body["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["search_match_type"] == "exact"));

    // "engineering" is in one name and in several tags: the name match comes first.
    let body = server
        .get("/api/projects/1/dashboards/?search=engineering", ADA)
        .await
        .body;
    let rows = body["results"].as_array().unwrap();
    assert_eq!(rows[0]["name"], "Engineering health");
    assert_eq!(rows[0]["search_match_type"], "exact");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r["search_match_type"] == "similar"),
        "tag matches are similar"
    );
}

#[tokio::test]
async fn an_overlong_search_is_rejected() {
    let server = start().await;
    let reply = server
        .get(
            &format!("/api/projects/1/dashboards/?search={}", "a".repeat(201)),
            ADA,
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        error(
            "validation_error",
            "invalid_input",
            "Search query must be 200 characters or fewer.",
            Some("search")
        )
    );
}

#[tokio::test]
async fn tags_filter_keeps_dashboards_with_any_of_them() {
    let server = start().await;
    let rows = server
        .get("/api/projects/1/dashboards/?tags=marketing", ADA)
        .await
        .body["results"]
        .clone();
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r["tags"].as_array().unwrap().contains(&"marketing".into())));

    let body = server
        .get(
            "/api/projects/1/dashboards/?tags=finance&tags=engineering",
            ADA,
        )
        .await
        .body;
    let rows = body["results"].as_array().unwrap();
    assert_eq!(body["count"], 9);
    assert!(rows.iter().all(|r| {
        let tags = r["tags"].as_array().unwrap();
        tags.contains(&"finance".into()) || tags.contains(&"engineering".into())
    }));
}

#[tokio::test]
async fn restricted_dashboards_are_locked_for_another_member() {
    let server = start().await;
    let rows = all_dashboards(&server, GRACE_READ).await;
    let locked: HashSet<String> = rows
        .iter()
        .filter(|r| r["effective_privilege_level"] == 21)
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    let expected: HashSet<String> = [
        "Engineering health",
        "Finance overview",
        "Executive summary",
        "Growth experiments",
    ]
    .map(String::from)
    .into();
    assert_eq!(locked, expected);
    for row in rows.iter().filter(|r| r["restriction_level"] == 37) {
        assert_eq!(row["effective_restriction_level"], 37);
        assert_eq!(row["access_control_version"], "v1");
        assert_eq!(row["user_access_level"], "viewer");
    }
    // The creator (and any admin) may edit them.
    let ada_rows = all_dashboards(&server, ADA).await;
    assert!(ada_rows
        .iter()
        .all(|r| r["effective_privilege_level"] == 37));
    assert!(ada_rows.iter().filter(|r| r["is_shared"] == true).count() >= 3);
}
