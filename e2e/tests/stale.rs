//! Stale responses never win: a read whose search or dashboard changed while it was on its way is
//! aborted or ignored, even when its answer arrives after the newer one.

use std::time::Duration;

use dashdeck_e2e::{keys, Browser, StandIn};
use serde_json::json;

/// Waits until the stand-in has used up its slow rule, i.e. the stale request really was made.
async fn wait_slow_request(b: &Browser, server: &StandIn) {
    b.wait_for("the slow request", || async {
        (server.fault_rules().await["rules"] == json!([])).then_some(())
    })
    .await;
}

/// Longer than the rest of each scenario: the slow answer lands after the fast one.
const SLOW_MS: u64 = 2500;

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_search_answer_does_not_replace_a_newer_search() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.wait_count("tbody tr", 34).await;

    // The next list read (the "funnel" search) is slow; the one after it ("Product") is not.
    server
        .fault(
            json!({"match": "GET /api/projects/1/dashboards/", "latency_ms": SLOW_MS, "times": 1}),
        )
        .await;
    b.type_into("Search dashboards", "funnel").await;
    b.wait_path("/project/1/dashboards?search=funnel").await;
    wait_slow_request(&b, &server).await;
    let search = b.field("Search dashboards").await;
    search.clear().await.unwrap();
    search.send_keys("Product KPIs").await.unwrap();
    b.wait_path("/project/1/dashboards?search=Product").await;
    b.wait_count("tbody tr", 1).await;
    b.link("Product KPIs").await;

    // Well after the slow answer was due, the newer search's result is still on screen.
    tokio::time::sleep(Duration::from_millis(SLOW_MS + 1000)).await;
    assert_eq!(
        b.count("tbody tr").await,
        1,
        "the stale funnel list came back"
    );
    assert!(!b.body_text().await.contains("Marketing funnel"));
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_dashboard_does_not_replace_the_one_opened_after_it() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.wait_count("tbody tr", 34).await;

    // "Product KPIs" (24 tiles) answers slowly; the user goes back and opens another dashboard.
    server
        .fault(json!({"match": "GET /api/projects/1/dashboards/1/", "latency_ms": SLOW_MS, "times": 1}))
        .await;
    b.link("Product KPIs").await.click().await.unwrap();
    b.wait_path("/project/1/dashboards/1").await;
    wait_slow_request(&b, &server).await;
    b.client.back().await.unwrap();
    b.wait_count("tbody tr", 34).await;
    b.link("Checkout funnel").await.click().await.unwrap();
    b.heading("Checkout funnel").await;
    let tiles = b.count("article.tile").await;

    tokio::time::sleep(Duration::from_millis(SLOW_MS + 1000)).await;
    b.heading("Checkout funnel").await;
    assert!(
        !b.body_text().await.contains("Product KPIs"),
        "the stale dashboard came back"
    );
    assert_eq!(b.count("article.tile").await, tiles);
    b.finish().await;
}
