//! Every class of API failure, forced with the stand-in's fault injection or met naturally
//! (403 edit rights), gets its sentence and its way out — a 400 beside the field it names —
//! and keeps what was typed; reads retry by themselves only after a 429 or when back online.

use std::time::Instant;

use dashdeck_e2e::{keys, Browser, StandIn};
use reqwest::Method;
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

/// Opens "Product KPIs" and renames it to `name` while the stand-in answers the next `times`
/// dashboard PATCHes with `status`; the failure's sentence shows, the heading is rolled back and
/// the typed name is kept.
async fn rename_kpis_under(
    status: u16,
    times: u64,
    name: &str,
    sentence: &str,
) -> (StandIn, Browser) {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    open_kpis(&b).await;
    b.heading("Product KPIs").await;
    server
        .fault(
            json!({"match": "PATCH /api/projects/1/dashboards/", "status": status, "times": times}),
        )
        .await;
    b.click("Edit name").await;
    b.type_into("Name", name).await;
    b.click("Save").await;
    b.alert_containing(sentence).await;
    b.heading("Product KPIs").await;
    let typed = b.field("Name").await.prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some(name));
    (server, b)
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
    let (server, b) = rename_kpis_under(
        503,
        3,
        "Renamed under fire",
        "PostHog had a problem answering (HTTP 503)",
    )
    .await;
    // The write was sent once: the rule for three PATCHes has two left.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let rules = server.fault_rules().await;
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

/// Asserts that the field labelled `label` is marked invalid and described by the error
/// `error_id`, which says `detail`.
async fn assert_field_error(b: &Browser, label: &str, error_id: &str, detail: &str) {
    let field = b.field(label).await;
    let error = b
        .wait_xpath(
            "the field error",
            &format!("//*[@id='{error_id}' and @role='alert']"),
        )
        .await;
    assert_eq!(error.text().await.unwrap(), detail);
    assert_eq!(
        field.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        field.attr("aria-describedby").await.unwrap().as_deref(),
        Some(error_id)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_400_naming_a_field_shows_beside_it_and_keeps_what_was_typed() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    b.click("New dashboard").await;
    b.heading("New dashboard").await;
    b.type_into("Name", "Quarterly review").await;
    b.type_into("Description", "Numbers for the board").await;
    let detail = "Ensure this field has no more than 8 characters.";
    server
        .fault(
            json!({"match": "POST /api/projects/1/dashboards/", "status": 400,
                      "attr": "description", "detail": detail, "times": 1}),
        )
        .await;
    b.click("Create").await;
    assert_field_error(&b, "Description", "new-description-error", detail).await;
    assert_eq!(b.count(".error-message").await, 0, "no form-level alert");
    let kept = b.field("Description").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("Numbers for the board"));
    let name = b.field("Name").await.prop("value").await.unwrap();
    assert_eq!(name.as_deref(), Some("Quarterly review"));

    // The text-tile editor: PostHog's 400 on the tile's body.
    b.goto(&format!("{}/project/1/dashboards/1", server.url))
        .await;
    b.heading("Product KPIs").await;
    b.click("Add text").await;
    b.type_into("Text (Markdown)", "## Draft\nKeep me").await;
    let detail = "Text body cannot exceed 4000 characters";
    server
        .fault(
            json!({"match": "PATCH /api/projects/1/dashboards/1/", "status": 400,
                      "attr": "text__body", "detail": detail, "times": 1}),
        )
        .await;
    b.click("Save text").await;
    assert_field_error(&b, "Text (Markdown)", "text-body-error", detail).await;
    let body = b
        .field("Text (Markdown)")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(body.as_deref(), Some("## Draft\nKeep me"));
    assert_eq!(
        b.modal_title().await.as_deref(),
        Some("Add text"),
        "still open"
    );
    b.click("Save text").await;
    b.wait_text("Text saved.").await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_405_says_the_action_is_not_allowed_and_keeps_the_typed_text() {
    let (_server, b) = rename_kpis_under(
        405,
        1,
        "Renamed KPIs",
        "PostHog does not allow this action here (HTTP 405)",
    )
    .await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_without_edit_rights_reads_posthogs_reason_and_keeps_the_input() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    // Grace is a plain member: Product KPIs is Ada's, so its restriction level is not hers.
    b.open_project(&server, keys::MEMBER_FULL).await;
    open_kpis(&b).await;
    b.heading("Product KPIs").await;
    b.field("Restriction level")
        .await
        .select_by_value("37")
        .await
        .unwrap();
    b.alert_containing("Only the dashboard owner and project admins have the restriction rights")
        .await;
    let level = b
        .field("Restriction level")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(level.as_deref(), Some("21"), "rolled back");

    // Ada restricts it to invited editors meanwhile: Grace's rename is refused with the reason.
    server
        .api(
            Method::PATCH,
            "/api/projects/1/dashboards/1/",
            json!({"restriction_level": 37}),
        )
        .await;
    b.click("Edit name").await;
    b.type_into("Name", "Grace's KPIs").await;
    b.click("Save").await;
    let told = b
        .alert_containing("You don't have edit permissions for this dashboard.")
        .await;
    assert!(told.contains("ask one of them for edit access"), "{told}");
    b.heading("Product KPIs").await;
    let typed = b.field("Name").await.prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some("Grace's KPIs"));
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_that_failed_before_going_offline_is_fetched_again_when_back_online() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_list(&b, &server).await;
    // The connection drops while the browser still believes it is online: a network error.
    server
        .fault(json!({"match": "GET /api/projects/1/dashboards/1/", "drop_connection": true}))
        .await;
    open_kpis(&b).await;
    b.alert_containing("Could not reach the PostHog host").await;
    server.clear_faults().await;
    // Then the browser notices it is offline, and later comes back: no Try again needed.
    b.js("window.__offline = true; \
          Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => !window.__offline }); \
          window.dispatchEvent(new Event('offline'))")
        .await;
    b.wait_xpath(
        "the offline banner",
        "//*[@role='status' and contains(., 'You are offline')]",
    )
    .await;
    b.js("window.__offline = false; window.dispatchEvent(new Event('online'))")
        .await;
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;
    b.finish().await;
}
