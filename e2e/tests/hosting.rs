//! Hosting modes: the app behind the binary's proxy mode, with the key kept on the server.

use dashdeck_e2e::{keys, Browser, StandIn};

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

/// The stand-in serving the release build with the deployment's own `config.json`.
async fn serve_with_config(config_json: &str) -> (StandIn, tempfile::TempDir) {
    let dist = dashdeck_e2e::dist_with("config.json", config_json);
    let server = StandIn::start_serving(dist.path().to_path_buf(), false).await;
    (server, dist)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_config_json_is_reported_not_ignored() {
    // A deployment's own config.json beside index.html, with a mistake in it.
    let (server, _dist) =
        serve_with_config(r#"{"host": "ftp://posthog.example", "auth": "key"}"#).await;
    let b = Browser::start().await;
    b.goto(&format!("{}/", server.url)).await;
    b.heading("Dashdeck cannot start").await;
    b.alert_containing("config.json has an unusable \"host\" (ftp://posthog.example)")
        .await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn config_json_base_path_and_allowed_hosts_are_enforced() {
    // The deployment says the app lives under a sub-path, but this copy is served from the root.
    let (server, _dist) = serve_with_config(r#"{"base_path": "/tools/dashboards/"}"#).await;
    let b = Browser::start().await;
    b.goto(&format!("{}/", server.url)).await;
    b.heading("Dashdeck cannot start").await;
    b.alert_containing("config.json says the app lives under \"/tools/dashboards/\", but this page is served under \"/\"")
        .await;
    b.finish().await;

    // Only EU Cloud is allowed: the stand-in's own host is refused before any request.
    let (server, _dist) =
        serve_with_config(r#"{"base_path": "/", "allowed_hosts": ["https://eu.posthog.com"]}"#)
            .await;
    let b = Browser::start().await;
    b.goto(&format!("{}/connect", server.url)).await;
    b.type_into("PostHog host", &server.url).await;
    b.type_into("Personal API key", keys::FULL_ACCESS).await;
    b.click("Connect").await;
    b.wait_text("This copy of Dashdeck may only connect to https://eu.posthog.com.")
        .await;
    assert_eq!(b.path().await, "/connect");
    b.finish().await;
}

/// nginx serving a build made with `--public-url /tools/dashboards/` under that sub-path, with the
/// configuration the README gives, and passing `/api/` to the stand-in (same origin, as the app's
/// Content-Security-Policy expects unless the build names another host).
struct Nginx {
    url: String,
    child: std::process::Child,
    _root: tempfile::TempDir,
}

impl Nginx {
    fn serve_subpath(dist: &std::path::Path, config_json: &str, api: &str) -> Nginx {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join("www/tools/dashboards");
        std::fs::create_dir_all(&site).unwrap();
        for entry in std::fs::read_dir(dist).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), site.join(entry.file_name())).unwrap();
            }
        }
        std::fs::write(site.join("config.json"), config_json).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = root.path().display();
        let conf = format!(
            r#"daemon off; worker_processes 1; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {dir}/tmp; proxy_temp_path {dir}/tmp; fastcgi_temp_path {dir}/tmp;
  uwsgi_temp_path {dir}/tmp; scgi_temp_path {dir}/tmp;
  server {{
    listen 127.0.0.1:{port};
    root {dir}/www;
    location /tools/dashboards/ {{
      try_files $uri /tools/dashboards/index.html;
    }}
    location /api/ {{
      proxy_pass {api};
    }}
  }}
}}
"#
        );
        std::fs::write(root.path().join("nginx.conf"), conf).unwrap();
        let child = std::process::Command::new("nginx")
            .arg("-c")
            .arg(root.path().join("nginx.conf"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start nginx (apt-get install nginx)");
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed().as_secs() < 10, "nginx did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Nginx {
            url: format!("http://127.0.0.1:{port}"),
            child,
            _root: root,
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM: the master stops its workers too (SIGKILL would leave them running, holding the
        // port and the test's output pipe).
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn served_from_a_sub_path_by_nginx_deep_links_and_reload_work() {
    let Some(dist) = std::env::var_os("DASHDECK_DIST_SUBPATH") else {
        panic!("DASHDECK_DIST_SUBPATH is not set: run through `make test` (make build-subpath)");
    };
    let api = StandIn::start(false).await;
    let config = format!(
        r#"{{"host": null, "project_id": 1, "api_key": "{}", "base_path": "/tools/dashboards/"}}"#,
        dashdeck_e2e::keys::FULL_ACCESS
    );
    let nginx = Nginx::serve_subpath(std::path::Path::new(&dist), &config, &api.url);
    let b = Browser::start().await;

    b.goto(&format!("{}/tools/dashboards/", nginx.url)).await;
    b.wait_path("/tools/dashboards/project/1/dashboards").await;
    b.wait_count("tbody tr", 34).await;
    let href = b.link("Product KPIs").await.attr("href").await.unwrap();
    assert_eq!(
        href.as_deref(),
        Some("/tools/dashboards/project/1/dashboards/1")
    );
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    assert_eq!(b.path().await, "/tools/dashboards/project/1/dashboards/1");

    // A reload is a deep link: nginx answers index.html, the app finds its route again.
    b.client.refresh().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;
    b.link("Back to dashboards").await.click().await.unwrap();
    b.wait_path("/tools/dashboards/project/1/dashboards").await;
    b.heading("Dashboards").await;
    b.finish().await;
}
