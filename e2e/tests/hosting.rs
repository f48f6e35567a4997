//! Hosting modes: the app behind the binary's proxy mode, with the key kept on the server.

use dashdeck_e2e::{Browser, StandIn};

#[tokio::test(flavor = "multi_thread")]
async fn proxy_mode_browses_without_a_key_in_the_browser() {
    let upstream = StandIn::start(false).await;
    let proxy = StandIn::start_proxy(&upstream).await;
    let b = Browser::start().await;

    // No connect screen: config.json says "proxy", and the user's current project opens.
    b.goto(&format!("{}/", proxy.url)).await;
    b.wait_path("/project/1/dashboards").await;
    b.wait_count("tbody tr", 34).await;
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;

    // The browser holds no key anywhere it could leak from.
    let stored = b
        .js("return JSON.stringify([sessionStorage.getItem('dashdeck.connection'), localStorage.getItem('dashdeck.connection')])")
        .await;
    assert!(
        !stored.to_string().contains("phx_"),
        "a key reached the browser: {stored}"
    );
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_config_json_is_reported_not_ignored() {
    // A deployment's own config.json beside index.html, with a mistake in it.
    let dist = tempfile::tempdir().unwrap();
    let release =
        std::path::PathBuf::from(std::env::var("DASHDECK_DIST").unwrap_or("../dist".into()));
    for entry in std::fs::read_dir(&release).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dist.path().join(entry.file_name())).unwrap();
    }
    std::fs::write(
        dist.path().join("config.json"),
        r#"{"host": "ftp://posthog.example", "auth": "key"}"#,
    )
    .unwrap();
    let server = StandIn::start_serving(dist.path().to_path_buf(), false).await;
    let b = Browser::start().await;
    b.goto(&format!("{}/", server.url)).await;
    b.heading("Dashdeck cannot start").await;
    b.alert_containing("config.json has an unusable \"host\" (ftp://posthog.example)")
        .await;
    b.finish().await;
}
