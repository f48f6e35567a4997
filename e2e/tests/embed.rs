//! Dashdeck embedded in a host page (e2e/host-page/) with aggressive global CSS: the host page's
//! server is the binary's proxy mode, serving the page and the release build under
//! /tools/dashboards/, so the embedded app connects without a key in the browser.

use std::path::Path;

use dashdeck_e2e::{Browser, StandIn};

/// The host page's site: its pages at the root, the release build under tools/dashboards/.
fn host_site(edit_page: impl Fn(String) -> String) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("host-page");
    for entry in std::fs::read_dir(fixture).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        std::fs::write(site.path().join(entry.file_name()), edit_page(text)).unwrap();
    }
    let app = site.path().join("tools/dashboards");
    std::fs::create_dir_all(&app).unwrap();
    for entry in std::fs::read_dir(dashdeck_e2e::dist_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), app.join(entry.file_name())).unwrap();
    }
    site
}

/// The URL's fragment, where embedded Dashdeck keeps its own URL.
async fn fragment(b: &Browser) -> String {
    let url = b.client.current_url().await.unwrap();
    url.fragment().unwrap_or_default().to_string()
}

/// A computed style property of the first element matching `css` in the document, or inside the
/// embedded app's shadow root with `inside`.
async fn style(b: &Browser, css: &str, inside: bool, property: &str) -> String {
    let root = if inside {
        "document.getElementById('dashboards').shadowRoot"
    } else {
        "document"
    };
    let script = format!(
        "return getComputedStyle({root}.querySelector({css:?})).getPropertyValue({property:?})"
    );
    b.js(&script).await.as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_in_a_hostile_host_page_it_browses_and_keeps_to_its_element() {
    let upstream = StandIn::start(false).await;
    let site = host_site(|page| page);
    let host = StandIn::start_proxy_serving(&upstream, site.path().to_path_buf()).await;
    let b = Browser::start().await;
    b.look_inside_shadow_roots();

    // The host page opens; Dashdeck mounts into its element and lists project 1's dashboards.
    b.goto(&format!("{}/", host.url)).await;
    b.heading("Dashboards").await;
    b.wait_count("tbody tr", 34).await;
    assert_eq!(b.path().await, "/", "the host page's own path is untouched");
    assert_eq!(fragment(&b).await, "/project/1/dashboards");
    let in_element = b
        .js("return document.getElementById('dashboards').shadowRoot.querySelectorAll('tbody tr').length")
        .await;
    assert_eq!(in_element, 34, "the app renders inside the host's element");

    // The host's `button { display: none !important }` and `* { color: red !important }` stop at
    // the shadow root: the app's buttons are visible and clickable, in the app's own styles.
    let new_dashboard = b.button("New dashboard").await;
    assert!(new_dashboard.is_displayed().await.unwrap());
    assert_eq!(
        style(&b, "h1", true, "font-size").await,
        "28px",
        "rem follows the app, not the host's html font-size"
    );
    assert!(style(&b, "h1", true, "font-family")
        .await
        .contains("system-ui"));
    assert_ne!(style(&b, "h1", true, "color").await, "rgb(255, 0, 0)");
    assert_eq!(style(&b, "table", true, "border-top-style").await, "solid");
    new_dashboard.click().await.unwrap();
    b.heading("New dashboard").await;
    // Modal inside the shadow root too: titled, focus in, Escape closes, focus back.
    assert_eq!(b.modal_title().await.as_deref(), Some("New dashboard"));
    b.wait_focus("Name").await;
    b.press_escape().await;
    b.wait_count("dialog", 0).await;
    b.wait_focus("New dashboard").await;
    b.button("New dashboard").await.click().await.unwrap();
    b.heading("New dashboard").await;
    b.button("Cancel").await.click().await.unwrap();
    b.wait_count("dialog", 0).await;
    b.wait_focus("New dashboard").await;

    // The app's CSS does not leak out: the host heading and link keep the host's styles.
    assert_eq!(
        style(&b, "#host-heading", false, "font-family").await,
        "serif"
    );
    assert_eq!(style(&b, "#host-heading", false, "font-size").await, "30px");
    assert_eq!(style(&b, "#host-heading", false, "margin-top").await, "7px");
    assert_eq!(
        style(&b, "#host-heading", false, "color").await,
        "rgb(255, 0, 0)"
    );
    assert_eq!(
        style(&b, "#host-link", false, "text-transform").await,
        "uppercase"
    );
    assert_eq!(
        style(&b, "body", false, "margin-top").await,
        "8px",
        "the browser's default body margin"
    );

    // Opening a dashboard: the tiles show, the URL's fragment names it, and a reload comes back.
    let href = b.link("Product KPIs").await.attr("href").await.unwrap();
    assert_eq!(href.as_deref(), Some("/#/project/1/dashboards/1"));
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;
    assert_eq!(fragment(&b).await, "/project/1/dashboards/1");
    b.client.refresh().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;

    // A modal dialog opens inside the shadow root, its labelled fields found, and closes again.
    b.link("Share").await.click().await.unwrap();
    b.heading("Share dashboard").await;
    assert_eq!(fragment(&b).await, "/project/1/dashboards/1?dialog=sharing");
    let modal = b
        .js("return document.getElementById('dashboards').shadowRoot.querySelector('dialog').matches(':modal')")
        .await;
    assert_eq!(modal, true, "opened with showModal()");
    assert!(b
        .field("Share dashboard publicly")
        .await
        .is_displayed()
        .await
        .unwrap());
    b.button("Close").await.click().await.unwrap();
    b.wait_for("the dialog to close", || async {
        (fragment(&b).await == "/project/1/dashboards/1").then_some(())
    })
    .await;
    assert_eq!(b.path().await, "/");

    // The `e` shortcut belongs to the app only when the key is pressed inside it.
    let press_e = |from: &str| {
        format!("{from}.dispatchEvent(new KeyboardEvent('keydown', {{key: 'e', bubbles: true, composed: true}}))")
    };
    b.js(&press_e("document.body")).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        fragment(&b).await,
        "/project/1/dashboards/1",
        "a key on the host page is the host's"
    );
    b.js(&press_e(
        "document.getElementById('dashboards').shadowRoot.querySelector('h1')",
    ))
    .await;
    b.wait_for("edit mode", || async {
        (fragment(&b).await == "/project/1/dashboards/1?edit=1").then_some(())
    })
    .await;
    b.button("Discard changes").await.click().await.unwrap();

    // Back and forward move through the app's pages.
    b.link("Back to dashboards").await.click().await.unwrap();
    b.heading("Dashboards").await;
    b.client.back().await.unwrap();
    b.heading("Product KPIs").await;
    b.assert_no_errors().await;
    let failed = b
        .js("return performance.getEntriesByType('resource').filter((r) => r.responseStatus >= 400).map((r) => r.name)")
        .await;
    assert_eq!(
        failed,
        serde_json::json!([]),
        "every file and API call succeeded"
    );

    // The host page's own link is not the app's: it leaves the page as usual.
    b.link("Team directory").await.click().await.unwrap();
    b.heading("Team directory").await;
    assert_eq!(b.path().await, "/team.html");
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_embedding_options_are_reported_inside_the_element() {
    let upstream = StandIn::start(false).await;
    // The host page mounts Dashdeck itself, through the loader's JavaScript API.
    let site =
        host_site(|page| page.replace(r#"data-dashdeck='{"auth": "proxy", "project_id": 1}'"#, ""));
    let host = StandIn::start_proxy_serving(&upstream, site.path().to_path_buf()).await;
    let b = Browser::start().await;
    b.look_inside_shadow_roots();
    b.goto(&format!("{}/", host.url)).await;
    b.wait_for("the embed loader", || async {
        b.js("return typeof Dashdeck === 'object'")
            .await
            .as_bool()
            .filter(|loaded| *loaded)
    })
    .await;
    b.js("Dashdeck.mount(document.getElementById('dashboards'), {host: 'ftp://posthog.example', auth: 'proxy'})")
        .await;
    b.heading("Dashdeck cannot start").await;
    b.alert_containing(
        "The embedding configuration has an unusable \"host\" (ftp://posthog.example)",
    )
    .await;
    b.alert_containing("The page that embeds Dashdeck passes this configuration")
        .await;
    b.finish().await;
}
