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

/// nginx serving a build under a sub-path with the configuration the README gives, and passing
/// `/api/` to the stand-in (same origin, as the app's Content-Security-Policy expects unless the
/// build names another host).
struct Nginx {
    url: String,
    child: std::process::Child,
    _root: tempfile::TempDir,
}

impl Nginx {
    /// Serves a build made with `--public-url /tools/dashboards/` under that sub-path.
    fn serve_subpath(dist: &std::path::Path, config_json: &str, api: &str) -> Nginx {
        Self::serve(dist, "/tools/dashboards/", "", config_json, api)
    }

    /// Serves a root build under `sub_path`, chosen now: nginx rewrites index.html's `<base href>`
    /// as the README's "any sub-path at run time" configuration does.
    fn serve_rebased(
        dist: &std::path::Path,
        sub_path: &str,
        config_json: &str,
        api: &str,
    ) -> Nginx {
        let rebase = format!(
            r#"sub_filter '<base href="/"' '<base href="{sub_path}"'; sub_filter_once on;"#
        );
        Self::serve(dist, sub_path, &rebase, config_json, api)
    }

    fn serve(
        dist: &std::path::Path,
        sub_path: &str,
        directives: &str,
        config_json: &str,
        api: &str,
    ) -> Nginx {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join("www").join(sub_path.trim_matches('/'));
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
    location {sub_path} {{
      try_files $uri {sub_path}index.html;
      {directives}
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
        // SIGTERM, so the master stops its worker too (after SIGKILL the worker lives on, holding
        // the test's stdout open).
        let _ = std::process::Command::new("kill")
            .arg(self.child.id().to_string())
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
        r#"{{"host": null, "project_id": 1, "api_key": "{}"}}"#,
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

#[tokio::test(flavor = "multi_thread")]
async fn a_root_build_serves_from_a_sub_path_chosen_at_run_time() {
    // The release build made for `/`, served under a path it was never built for.
    let dist = std::path::PathBuf::from(std::env::var("DASHDECK_DIST").unwrap_or("../dist".into()));
    let api = StandIn::start(false).await;
    let config = format!(
        r#"{{"host": null, "project_id": 1, "api_key": "{}"}}"#,
        dashdeck_e2e::keys::FULL_ACCESS
    );
    let nginx = Nginx::serve_rebased(&dist, "/intranet/posthog/", &config, &api.url);
    let b = Browser::start().await;

    // A deep link is the first request: index.html comes rebased, its assets from the sub-path.
    b.goto(&format!(
        "{}/intranet/posthog/project/1/dashboards/1",
        nginx.url
    ))
    .await;
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;
    b.link("Share").await.click().await.unwrap();
    b.heading("Share dashboard").await;
    b.wait_path("/intranet/posthog/project/1/dashboards/1?dialog=sharing")
        .await;
    b.button("Close").await.click().await.unwrap();
    let back = b
        .link("Back to dashboards")
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(
        back.as_deref(),
        Some("/intranet/posthog/project/1/dashboards")
    );
    b.link("Back to dashboards").await.click().await.unwrap();
    b.wait_path("/intranet/posthog/project/1/dashboards").await;
    b.wait_count("tbody tr", 34).await;
    b.client.refresh().await.unwrap();
    b.heading("Dashboards").await;
    b.wait_count("tbody tr", 34).await;
    b.finish().await;
}
