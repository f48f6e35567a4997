//! Moving a tile to another dashboard and Undo, against both API eras of the stand-in: the newest
//! (`to_dashboard`, personal keys allowed) and the older one (`toDashboard` only, a 500 without it,
//! personal keys refused with 403).

use dashdeck_e2e::{keys, Browser, StandIn};
use dashdeck_server::{ApiEra, Options};
use reqwest::Method;
use serde_json::{json, Value};

async fn tile_ids(server: &StandIn, id: i64) -> Vec<i64> {
    let d = server
        .api(
            Method::GET,
            &format!("/api/projects/1/dashboards/{id}/"),
            Value::Null,
        )
        .await;
    let mut ids: Vec<i64> = d["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

async fn move_requests(b: &Browser) -> u64 {
    b.js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/move_tile/')).length")
        .await
        .as_u64()
        .unwrap()
}

/// Opens Product KPIs with `key` and moves its first tile to a fresh dashboard "Move target".
async fn start_move(server: &StandIn, key: &str) -> (Browser, i64) {
    let target = server
        .api(
            Method::POST,
            "/api/projects/1/dashboards/",
            json!({ "name": "Move target" }),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let b = Browser::start().await;
    b.open_project(server, key).await;
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_more_than("article.tile", 3).await;
    let menu = b.first_tile_menu().await;
    let menu = menu.as_str();
    b.click(menu).await;
    b.click("Move to another dashboard").await;
    // Modal, titled, focus in the search field; Escape closes it and focus goes back to the
    // tile's menu button. Then again, to move.
    let title = b.modal_title().await.expect("a modal dialog");
    assert!(title.ends_with("to another dashboard"), "{title}");
    b.wait_focus("Search dashboards").await;
    b.press_escape().await;
    b.wait_count("dialog", 0).await;
    b.wait_focus(menu).await;
    // Picking the action closed the menu: open it again.
    b.click(menu).await;
    b.click("Move to another dashboard").await;
    b.type_into("Search dashboards", "Move target").await;
    b.click("Move target").await;
    (b, target)
}

async fn move_and_undo(server: StandIn, key: &str, requests_per_move: u64) {
    let source = tile_ids(&server, 1).await;
    let (b, target) = start_move(&server, key).await;
    b.wait_text("Tile moved to Move target.").await;
    b.wait_count("article.tile", source.len() - 1).await;
    // The tile and its menu are gone: focus goes to Undo.
    b.wait_focus("Undo").await;
    let moved = tile_ids(&server, target).await;
    assert_eq!(moved.len(), 1, "the tile is on the destination");
    assert!(source.contains(&moved[0]));
    assert_eq!(tile_ids(&server, 1).await.len(), source.len() - 1);
    assert_eq!(move_requests(&b).await, requests_per_move);

    b.click("Undo").await;
    b.wait_text("Tile moved back.").await;
    b.wait_count("article.tile", source.len()).await;
    assert_eq!(tile_ids(&server, 1).await, source);
    assert!(tile_ids(&server, target).await.is_empty());
    assert_eq!(move_requests(&b).await, 2 * requests_per_move);
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn newest_api_moves_a_tile_with_a_personal_key_and_undo_moves_it_back() {
    let server = StandIn::start(false).await;
    move_and_undo(server, keys::FULL_ACCESS, 1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn older_api_is_retried_with_to_dashboard_and_undo_moves_it_back() {
    let server = StandIn::start_with(Options {
        api_era: ApiEra::Old,
        ..Default::default()
    })
    .await;
    // A session may move tiles there; the first request's `to_dashboard` gets PostHog's 500,
    // the retry with `toDashboard` succeeds.
    move_and_undo(server, keys::SESSION, 2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn older_api_refuses_personal_keys_and_the_app_says_why() {
    let server = StandIn::start_with(Options {
        api_era: ApiEra::Old,
        ..Default::default()
    })
    .await;
    let before = tile_ids(&server, 1).await;
    let (b, target) = start_move(&server, keys::FULL_ACCESS).await;
    b.alert_containing("This PostHog version does not allow moving tiles with a personal API key.")
        .await;
    assert_eq!(move_requests(&b).await, 1, "a 403 is not retried");
    assert_eq!(tile_ids(&server, 1).await, before);
    assert!(tile_ids(&server, target).await.is_empty());
    assert_eq!(b.count("article.tile").await, before.len());
    b.finish().await;
}
