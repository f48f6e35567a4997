//! "Copy to project…" on the dashboard page (`?dialog=copy`): the dashboard exported and
//! imported in one step into another project of the same stand-in (with a step failing midway
//! and retried), and into a project of a second stand-in connected in the dialog with its own
//! key — after the page's CSP refused a host it does not list.

use dashdeck_e2e::{dist_allowing, keys, template_tiles, Browser, StandIn};
use reqwest::Method;
use serde_json::{json, Value};

/// The live dashboard named `name` in `project` of `server`, with its tiles.
async fn find(server: &StandIn, project: i64, name: &str) -> Option<Value> {
    let list = server
        .api(
            Method::GET,
            &format!("/api/projects/{project}/dashboards/?limit=500"),
            Value::Null,
        )
        .await;
    let id = list["results"]
        .as_array()?
        .iter()
        .find(|d| d["name"] == name)?["id"]
        .as_i64()?;
    let path = format!("/api/projects/{project}/dashboards/{id}/");
    Some(server.api(Method::GET, &path, Value::Null).await)
}

/// Asserts that `copy` has the tiles, layouts, colours and text of Product KPIs on `source`.
async fn assert_same_as_product_kpis(source: &StandIn, copy: &Value) {
    let original = source
        .api(Method::GET, "/api/projects/1/dashboards/1/", Value::Null)
        .await;
    assert_eq!(original["name"], "Product KPIs");
    assert_eq!(original["tiles"].as_array().unwrap().len(), 24);
    assert_eq!(copy["tiles"].as_array().unwrap().len(), 24);
    assert_eq!(copy["description"], original["description"]);
    assert_eq!(copy["tags"], original["tags"]);
    assert_eq!(template_tiles(copy), template_tiles(&original));
}

#[tokio::test(flavor = "multi_thread")]
async fn product_kpis_is_copied_into_project_2_after_a_failed_step_is_retried() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.link("Copy to project…").await.click().await.unwrap();
    b.wait_path("/project/1/dashboards/1?dialog=copy").await;
    b.heading("Copy to project").await;
    // The first insight the copy creates fails once.
    server
        .fault(json!({"match": "POST /api/projects/2/insights/", "status": 503, "times": 1}))
        .await;
    b.field("Project").await.select_by_value("2").await.unwrap();
    b.click("Copy").await;
    b.alert_containing("HTTP 503").await;
    let told = b
        .alert_containing("Stopped while creating insight 1 of")
        .await;
    assert!(
        told.contains("Created the dashboard and 0 of"),
        "what exists is said: {told}"
    );
    let partial = find(&server, 2, "Product KPIs")
        .await
        .expect("partial copy");
    assert_eq!(partial["tiles"], json!([]));
    b.click("Retry the rest").await;
    b.link("Open the copy").await.click().await.unwrap();
    b.wait_path("/project/2/dashboards/").await;
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;
    let copy = find(&server, 2, "Product KPIs").await.expect("the copy");
    assert_eq!(
        copy["id"], partial["id"],
        "the retry finished the same dashboard"
    );
    assert_same_as_product_kpis(&server, &copy).await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn product_kpis_is_copied_to_another_instance_the_csp_allows() {
    // The second instance; the app's build lists it in connect-src (CSP_CONNECT_SRC).
    let other = StandIn::start(false).await;
    let dist = dist_allowing(&other.url);
    let server = StandIn::start_serving(dist.path().to_path_buf(), false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.goto(&format!(
        "{}/project/1/dashboards/1?dialog=copy",
        server.url
    ))
    .await;
    b.heading("Copy to project").await;
    b.field("A project on another PostHog instance")
        .await
        .click()
        .await
        .unwrap();

    // A host the CSP does not list is refused before any request, and said so.
    b.type_into("PostHog host", "http://127.0.0.1:9").await;
    b.type_into("Personal API key", keys::PROJECT2_ONLY).await;
    b.click("Connect to that instance").await;
    let refusal = b
        .alert_containing("Content-Security-Policy does not allow connecting to http://127.0.0.1:9")
        .await;
    assert!(refusal.contains("CSP_CONNECT_SRC"), "{refusal}");
    let host = b.field("PostHog host").await;
    assert_eq!(
        host.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        host.attr("aria-describedby").await.unwrap().as_deref(),
        Some("copy-host-error")
    );

    // A wrong key for that host is PostHog's 401, said in the dialog.
    b.type_into("PostHog host", &other.url).await;
    b.type_into("Personal API key", "phx_not_a_key_of_that_instance")
        .await;
    b.click("Connect to that instance").await;
    b.alert_containing("Check the personal API key").await;
    b.type_into("Personal API key", keys::PROJECT2_ONLY).await;
    b.click("Connect to that instance").await;
    b.field("Project").await.select_by_value("2").await.unwrap();
    b.click("Copy").await;
    b.wait_text("It opens on the other instance").await;
    let copy = find(&other, 2, "Product KPIs")
        .await
        .expect("copy on the other instance");
    let url = format!("{}/project/2/dashboard/{}", other.url, copy["id"]);
    b.link(&url).await;
    assert_same_as_product_kpis(&server, &copy).await;
    assert!(
        find(&server, 2, "Product KPIs").await.is_none(),
        "nothing was created on the first instance"
    );
    // The second key is kept nowhere but in the dialog.
    let stored = b
        .js("return JSON.stringify(Object.assign({}, sessionStorage, localStorage))")
        .await;
    assert!(!stored.as_str().unwrap().contains(keys::PROJECT2_ONLY));
    b.finish().await;
}
