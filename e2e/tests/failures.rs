//! Every class of API failure, forced with the stand-in's fault injection, gets its sentence
//! and its way out; reads retry by themselves only after a 429 or when back online.

use std::time::Instant;

use dashdeck_e2e::{keys, Browser, StandIn};
use serde_json::json;

const LIST: &str = "GET /api/projects/1/dashboards/";

async fn open_list(b: &Browser, server: &StandIn) {
    b.open_project(server, keys::FULL_ACCESS).await;
    b.wait_count("tbody tr", 34).await;
}

/// Opens "Product KPIs" from the list, which reads the dashboard once.
async fn open_kpis(b: &Browser) {
    b.link("Product KPIs").await.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_revoked_after_connecting_leads_back_to_connect() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    b.js(
        "const c = JSON.parse(sessionStorage['dashdeck.connection']); \
          c.api_key = 'phx_revoked_key_0000000000000000000000000'; \
          sessionStorage['dashdeck.connection'] = JSON.stringify(c)",
    )
    .await;
    b.client.refresh().await.unwrap();
    let text = b.alert_containing("Check the personal API key").await;
    assert!(
        !text.contains("phx_revoked"),
        "the key is never shown: {text}"
    );
    b.link("Connect with another key")
        .await
        .click()
        .await
        .unwrap();
    b.wait_path("/connect").await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_scope_names_the_scope_and_asks_for_a_new_key() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.goto(&format!("{}/connect", server.url)).await;
    b.type_into("PostHog host", &server.url).await;
    b.type_into("Personal API key", keys::DASHBOARD_ONLY).await;
    b.button("Connect").await.click().await.unwrap();
    let text = b.alert_containing("missing the scope 'user:read'").await;
    assert!(text.contains("Create a personal API key"), "{text}");
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_dashboard_says_so_with_a_way_back() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    b.goto(&format!("{}/project/1/dashboards/424242", server.url))
        .await;
    b.heading("Dashboard not found").await;
    b.link("Back to dashboards").await.click().await.unwrap();
    b.wait_count("tbody tr", 34).await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limited_read_counts_down_and_succeeds_by_itself() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    server
        .fault(json!({"match": "GET /api/projects/1/dashboards/", "status": 429, "retry_after": 2, "times": 1}))
        .await;
    let started = Instant::now();
    open_kpis(&b).await;
    b.wait_xpath(
        "the rate-limit countdown",
        "//*[@role='status' and contains(., 'PostHog is rate-limiting this key. Retrying in')]",
    )
    .await;
    b.heading("Product KPIs").await;
    assert!(
        started.elapsed().as_millis() >= 1500,
        "the read waited for Retry-After"
    );
    b.wait_count(".net-banner.hidden", 1).await;
    assert_eq!(b.count("[role='alert']").await, 0, "no error was shown");
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_offers_try_again_which_works() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    server
        .fault(json!({"match": "GET /api/projects/1/dashboards/", "status": 500, "times": 1}))
        .await;
    open_kpis(&b).await;
    b.alert_containing("PostHog had a problem answering (HTTP 500)")
        .await;
    b.button("Try again").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_connection_is_a_network_error_with_try_again() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    server
        .fault(json!({"match": LIST, "drop_connection": true}))
        .await;
    open_kpis(&b).await;
    // (Chromium itself resends a GET whose reused connection closed: the rule stays on.)
    b.alert_containing("Could not reach the PostHog host").await;
    server.clear_faults().await;
    b.button("Try again").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_answer_times_out_and_says_so() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    b.js("window.__dashdeckTimeoutMs = 1000").await;
    server
        .fault(json!({"match": LIST, "latency_ms": 4000, "times": 1}))
        .await;
    let started = Instant::now();
    open_kpis(&b).await;
    b.alert_containing("PostHog took too long to answer").await;
    assert!(
        started.elapsed().as_millis() < 3500,
        "aborted before the answer came"
    );
    b.button("Try again").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_rename_keeps_the_typed_text_and_is_not_repeated() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    open_kpis(&b).await;
    b.heading("Product KPIs").await;
    server
        .fault(json!({"match": "PATCH /api/projects/1/dashboards/", "status": 503, "times": 3}))
        .await;
    b.button("Edit name").await.click().await.unwrap();
    b.type_into("Name", "Renamed under fire").await;
    b.button("Save").await.click().await.unwrap();
    b.alert_containing("PostHog had a problem answering (HTTP 503)")
        .await;
    b.heading("Product KPIs").await;
    let typed = b.field("Name").await.prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some("Renamed under fire"));
    // The write was sent once: the rule for three PATCHes has two left.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let rules: serde_json::Value = reqwest::get(format!("{}/_standin/faults", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rules["rules"][0]["times"], 2, "{rules}");
    server.clear_faults().await;
    b.button("Save").await.click().await.unwrap();
    b.heading("Renamed under fire").await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_shows_a_banner_and_reads_resume_when_back() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    b.js("window.__offline = true; \
          Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => !window.__offline }); \
          window.dispatchEvent(new Event('offline'))")
        .await;
    b.wait_xpath(
        "the offline banner",
        "//*[@role='status' and contains(., 'You are offline')]",
    )
    .await;
    // A read while offline fails, waits, and resumes when the browser is back online.
    server
        .fault(json!({"match": LIST, "drop_connection": true}))
        .await;
    open_kpis(&b).await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(
        b.count("[role='alert']").await,
        0,
        "offline is not an error"
    );
    server.clear_faults().await;
    b.js("window.__offline = false; window.dispatchEvent(new Event('online'))")
        .await;
    b.heading("Product KPIs").await;
    b.wait_count(".net-banner.hidden", 1).await;
    b.finish().await;
}
