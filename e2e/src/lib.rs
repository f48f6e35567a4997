//! End-to-end harness: starts the stand-in server in-process on a free port with a fresh database,
//! starts chromedriver + headless Chromium, and offers find/act/check helpers that locate controls the
//! way a screen reader user would: by role and accessible name.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use tokio::process::{Child, Command};

/// Seeded personal API keys of the stand-in (see `server/src/seed.rs`).
pub mod keys {
    /// Ada Lovelace, scopes `*`.
    pub const FULL_ACCESS: &str = "phx_demo_full_access_key_000000000000000000";
    /// Grace Hopper, read scopes only.
    pub const READ_ONLY: &str = "phx_demo_read_only_key_0000000000000000000";
    /// Only `dashboard:read`: `/api/users/@me/` is refused for the missing `user:read` scope.
    pub const DASHBOARD_ONLY: &str = "phx_demo_dashboard_only_key_0000000000000";
    /// Ada, scopes `*`, limited to project 2.
    pub const PROJECT2_ONLY: &str = "phx_demo_project2_only_key_00000000000000";
    /// Grace Hopper, a plain member (not admin) with scopes `*`.
    pub const MEMBER_FULL: &str = "phx_demo_member_full_key_00000000000000000";
    /// Ada's session credential (stand-in only): accepted where PostHog refuses personal keys.
    pub const SESSION: &str = "phs_demo_session_token_ada_0000000000000";
}

const WAIT: Duration = Duration::from_secs(15);

/// The stand-in server serving the release build, on its own port and data directory.
pub struct StandIn {
    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    _data: tempfile::TempDir,
}

impl StandIn {
    /// Starts the stand-in with a freshly seeded database; `demo` serves a config.json preset.
    pub async fn start(demo: bool) -> StandIn {
        Self::start_serving(dist_dir(), demo).await
    }

    /// Starts the stand-in with [`dashdeck_server::Options`], e.g. `api_era: ApiEra::Old`.
    pub async fn start_with(options: dashdeck_server::Options) -> StandIn {
        Self::start_full(dist_dir(), false, options).await
    }

    /// Starts the stand-in serving the static files of `dist` instead of the release build.
    pub async fn start_serving(dist: PathBuf, demo: bool) -> StandIn {
        Self::start_full(dist, demo, Default::default()).await
    }

    async fn start_full(dist: PathBuf, demo: bool, options: dashdeck_server::Options) -> StandIn {
        let data = tempfile::tempdir().expect("temp data dir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let config = dashdeck_server::Config {
            data_dir: data.path().to_path_buf(),
            dist_dir: Some(dist),
            demo,
            reset: true,
        };
        tokio::spawn(async move {
            if let Err(e) = dashdeck_server::serve_with(config, options, listener).await {
                panic!("stand-in stopped: {e}");
            }
        });
        StandIn { url, _data: data }
    }

    /// Starts the binary's proxy mode in front of `upstream`: it serves the release build and
    /// forwards the dashboards API with the full-access key added on the server.
    pub async fn start_proxy(upstream: &StandIn) -> StandIn {
        Self::start_proxy_serving(upstream, dist_dir()).await
    }

    /// Like [`StandIn::start_proxy`], serving the static files of `site` (e.g. a host page that
    /// embeds the release build) instead of the release build.
    pub async fn start_proxy_serving(upstream: &StandIn, site: PathBuf) -> StandIn {
        let data = tempfile::tempdir().expect("temp dir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let router = dashdeck_server::proxy::router(
            dashdeck_server::proxy::Upstream {
                base: upstream.url.clone(),
                key: keys::FULL_ACCESS.to_string(),
            },
            Some(site),
        );
        tokio::spawn(dashdeck_server::serve_app(router, listener));
        StandIn { url, _data: data }
    }

    /// Calls the stand-in's API with the full-access key, like any client would, and returns the JSON
    /// answer; panics on an answer other than 2xx.
    pub async fn api(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let response = reqwest::Client::new()
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(keys::FULL_ACCESS)
            .json(&body)
            .send()
            .await
            .expect("stand-in request");
        let status = response.status();
        let json = response.json::<Value>().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "stand-in answered {status}: {json}");
        json
    }

    /// The fault rules still in force (`GET /_standin/faults`): `{"rules": [...]}`, a rule gone
    /// once its `times` are used up.
    pub async fn fault_rules(&self) -> Value {
        reqwest::get(format!("{}/_standin/faults", self.url))
            .await
            .expect("fault rules request")
            .json()
            .await
            .expect("fault rules JSON")
    }

    /// Installs a fault rule (`POST /_standin/faults`, see `server/src/layers/faults.rs`), e.g.
    /// `{"match": "GET /api/projects/1/dashboards/", "status": 500, "times": 1}`.
    pub async fn fault(&self, rule: Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/_standin/faults", self.url))
            .json(&rule)
            .send()
            .await
            .expect("fault request");
        assert!(response.status().is_success(), "fault rule refused: {rule}");
    }

    /// Removes every fault rule.
    pub async fn clear_faults(&self) {
        reqwest::Client::new()
            .delete(format!("{}/_standin/faults", self.url))
            .send()
            .await
            .expect("clear faults");
    }

    /// Adds `n` dashboards named "Generated dashboard 0000"… to a project through the API.
    pub async fn add_dashboards(&self, project_id: i64, n: usize) {
        let path = format!("/api/projects/{project_id}/dashboards/");
        for i in 0..n {
            let tags = [
                ["marketing"],
                ["growth"],
                ["engineering"],
                ["finance"],
                ["kpi"],
            ][i % 5];
            let body = json!({
                "name": format!("Generated dashboard {i:04}"),
                "description": format!("Generated dashboard number {i}"),
                "tags": tags,
                "pinned": i % 97 == 0,
            });
            self.api(reqwest::Method::POST, &path, body).await;
        }
    }
}

/// What a template fixes about each tile of a dashboard's JSON, in visual order: kind,
/// content (insight name, description, query; or text body), layouts and colour.
pub fn template_tiles(d: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = d["tiles"]
        .as_array()
        .expect("tiles")
        .iter()
        .map(|t| {
            let content = match t["insight"].is_object() {
                true => json!([
                    t["insight"]["name"],
                    t["insight"]["description"],
                    t["insight"]["query"]
                ]),
                false => t["text"]["body"].clone(),
            };
            json!({ "content": content, "layouts": t["layouts"], "color": t["color"] })
        })
        .collect();
    let key = |t: &Value| {
        let sm = &t["layouts"]["sm"];
        (sm["y"].as_i64(), sm["x"].as_i64(), t["content"].to_string())
    };
    out.sort_by_key(key);
    out
}

/// The release build with more hosts in its CSP's connect-src and frame-src, as
/// `CSP_CONNECT_SRC="{extra}" make build` makes it (scripts/post-build.py).
pub fn dist_allowing(extra: &str) -> tempfile::TempDir {
    let html = std::fs::read_to_string(dist_dir().join("index.html")).expect("index.html");
    let html = html
        .replacen("connect-src ", &format!("connect-src {extra} "), 1)
        .replacen("frame-src ", &format!("frame-src {extra} "), 1);
    dist_with("index.html", &html)
}

/// The release build with `file` replaced (or added) with `contents`, e.g. a deployment's own
/// `config.json`: that file is written, every other file is a link to the build under test.
pub fn dist_with(file: &str, contents: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dist");
    for entry in std::fs::read_dir(dist_dir()).expect("read dist") {
        let path = entry.expect("dist entry").path();
        if path.file_name() != Some(file.as_ref()) {
            let target = dir.path().join(path.file_name().unwrap());
            std::os::unix::fs::symlink(&path, target).expect("link dist file");
        }
    }
    std::fs::write(dir.path().join(file), contents).expect("write dist file");
    dir
}

/// The release build to test: `$DASHDECK_DIST`, else `../dist` beside this crate.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("DASHDECK_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no release build at {} — run `make build` first",
        dir.display()
    );
    dir
}

/// A headless Chromium session driven through chromedriver.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    /// Whether lookups, counts and page text also cover open shadow roots (embedded Dashdeck).
    pierce: AtomicBool,
}

/// The page's open shadow roots, outermost first (a script prelude; WebDriver's XPath search
/// does not enter them, and its shadow-root commands take CSS selectors only).
const SHADOW_ROOTS: &str = "const shadowRoots = () => { const found = []; const visit = (root) => { for (const el of root.querySelectorAll('*')) { if (el.shadowRoot) { found.push(el.shadowRoot); visit(el.shadowRoot); } } }; visit(document); return found; };";

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium session.
    pub async fn start() -> Browser {
        Self::start_with_args(&[]).await
    }

    /// Like [`Browser::start`], with extra Chromium command-line flags.
    pub async fn start_with_args(extra: &[&str]) -> Browser {
        Self::launch(extra, None).await
    }

    /// Like [`Browser::start_with_args`], recording Chromium trace events of `categories`
    /// (comma-separated) into chromedriver's performance log (`POST /session/{id}/se/log`).
    pub async fn start_tracing(extra: &[&str], categories: &str) -> Browser {
        Self::launch(extra, Some(categories)).await
    }

    async fn launch(extra: &[&str], trace: Option<&str>) -> Browser {
        let port = free_port().await;
        let driver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .expect("start chromedriver (apt-get install chromium-driver)");
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--disable-quic", "--window-size=1280,900"]
            }
        });
        let mut caps = caps;
        if let Some(categories) = trace {
            caps["goog:loggingPrefs"] = json!({ "performance": "ALL" });
            caps["goog:chromeOptions"]["perfLoggingPrefs"] = json!({ "enableNetwork": false, "enablePage": false, "traceCategories": categories });
        }
        let args = caps["goog:chromeOptions"]["args"].as_array_mut().unwrap();
        args.extend(extra.iter().map(|a| json!(a)));
        let caps: fantoccini::wd::Capabilities = caps.as_object().unwrap().clone();
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                Err(_) if started.elapsed() < WAIT => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => panic!("could not start a Chromium session: {e}"),
            }
        };
        Browser {
            client,
            driver,
            pierce: AtomicBool::new(false),
        }
    }

    /// From now on, finds controls, counts elements and reads text inside open shadow roots too,
    /// as a user sees a page with embedded Dashdeck.
    pub fn look_inside_shadow_roots(&self) {
        self.pierce.store(true, Ordering::Relaxed);
    }

    fn pierces(&self) -> bool {
        self.pierce.load(Ordering::Relaxed)
    }

    /// The first element matching an XPath in the document or, then, in an open shadow root
    /// (where `//` means that shadow tree).
    async fn find_xpath_deep(&self, xpath: &str) -> Option<Element> {
        let script = format!(
            "{SHADOW_ROOTS} const [xp, inner] = arguments; const first = (x, at) => document.evaluate(x, at, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue; \
             const hit = first(xp, document); if (hit) return hit; \
             for (const root of shadowRoots()) for (const top of root.children) {{ const found = first(inner, top); if (found) return found; }} return null;"
        );
        let inner = xpath.replacen("//", "descendant-or-self::", 1);
        let found = self
            .client
            .execute(&script, vec![json!(xpath), json!(inner)])
            .await
            .ok()?;
        let id = found.get("element-6066-11e4-a52e-4f735466cecf")?.as_str()?;
        Some(Element::from_element_id(
            self.client.clone(),
            ElementRef::from(id.to_string()),
        ))
    }

    /// Connects to `server` with `key` on the connect screen and opens project 1's dashboards.
    pub async fn open_project(&self, server: &StandIn, key: &str) {
        self.goto(&format!("{}/connect", server.url)).await;
        self.type_into("PostHog host", &server.url).await;
        self.type_into("Personal API key", key).await;
        self.button("Connect").await.click().await.unwrap();
        self.field("Project")
            .await
            .select_by_value("1")
            .await
            .unwrap();
        self.button("Open project").await.click().await.unwrap();
        self.wait_path("/project/1/dashboards").await;
        self.heading("Dashboards").await;
    }

    /// Clicks the button with this accessible name (again if it re-rendered under the click).
    pub async fn click(&self, name: &str) {
        for _ in 0..20 {
            if self.button(name).await.click().await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("could not click {name:?}");
    }

    /// Waits until the page's visible text contains `text`.
    pub async fn wait_text(&self, text: &str) {
        self.wait_for(&format!("text {text:?}"), || async move {
            self.body_text().await.contains(text).then_some(())
        })
        .await
    }

    /// Opens a URL.
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// The path and query of the current URL, e.g. `/project/1/dashboards?search=funnel`.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(q) => format!("{}?{}", url.path(), q),
            None => url.path().to_string(),
        }
    }

    /// Waits until `check` returns `Some`, failing with `what` after the timeout.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let started = Instant::now();
        loop {
            if let Some(v) = check().await {
                return v;
            }
            if started.elapsed() > WAIT {
                let body = self.body_text().await;
                let errors = self.js("return window.__dashdeckErrors || []").await;
                panic!(
                    "timed out waiting for {what}; page at {} shows:\n{body}\nrecorded errors: {errors}",
                    self.path().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the element matching an XPath and returns it.
    pub async fn wait_xpath(&self, what: &str, xpath: &str) -> Element {
        let client = &self.client;
        self.wait_for(what, || async move {
            if self.pierces() {
                self.find_xpath_deep(xpath).await
            } else {
                client.find(Locator::XPath(xpath)).await.ok()
            }
        })
        .await
    }

    /// A button (or role=button) by its accessible name: text content or aria-label.
    pub async fn button(&self, name: &str) -> Element {
        let xp = format!(
            "//*[(self::button or @role='button') and (normalize-space(.)={n} or @aria-label={n})]",
            n = lit(name)
        );
        self.wait_xpath(&format!("button {name:?}"), &xp).await
    }

    /// A link by its accessible name.
    pub async fn link(&self, name: &str) -> Element {
        let xp = format!(
            "//a[normalize-space(.)={n} or @aria-label={n}]",
            n = lit(name)
        );
        self.wait_xpath(&format!("link {name:?}"), &xp).await
    }

    /// A form control (input, select, textarea) by its label text or aria-label.
    pub async fn field(&self, label: &str) -> Element {
        let n = lit(label);
        let xp = format!(
            "//*[(self::input or self::select or self::textarea) and (@aria-label={n} or @id=//label[normalize-space(.)={n}]/@for or ancestor::label[normalize-space(.)={n}])]"
        );
        self.wait_xpath(&format!("field labelled {label:?}"), &xp)
            .await
    }

    /// A heading of any level with exactly this text.
    pub async fn heading(&self, text: &str) -> Element {
        let xp = format!(
            "//*[(self::h1 or self::h2 or self::h3 or @role='heading') and normalize-space(.)={}]",
            lit(text)
        );
        self.wait_xpath(&format!("heading {text:?}"), &xp).await
    }

    /// Waits for an element with role="alert" whose text contains `text`.
    pub async fn alert_containing(&self, text: &str) -> String {
        let xp = format!(
            "//*[@role='alert' and contains(normalize-space(.), {})]",
            lit(text)
        );
        self.wait_xpath(&format!("alert containing {text:?}"), &xp)
            .await
            .text()
            .await
            .unwrap()
    }

    /// Replaces the value of a field and types `text` into it.
    pub async fn type_into(&self, label: &str, text: &str) {
        let f = self.field(label).await;
        f.clear().await.expect("clear");
        f.send_keys(text).await.expect("type");
    }

    /// The accessible name of the focused control (aria-label, else its label, else its text),
    /// looking into shadow roots.
    pub async fn focused_name(&self) -> String {
        let script = "let e = document.activeElement; \
            while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement; \
            if (!e) return ''; \
            return e.getAttribute('aria-label') || (e.labels && e.labels[0] ? e.labels[0].textContent : e.textContent).trim();";
        self.js(script)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the focused control's accessible name is `name`.
    pub async fn wait_focus(&self, name: &str) {
        self.wait_for(&format!("focus on {name:?}"), || async move {
            (self.focused_name().await == name).then_some(())
        })
        .await
    }

    /// The title of the modal dialog on screen: a `<dialog>` matching `:modal` (opened with
    /// `showModal()`), read through its `aria-labelledby`; `None` when there is none.
    pub async fn modal_title(&self) -> Option<String> {
        let script = format!(
            "{SHADOW_ROOTS} for (const root of [document, ...shadowRoots()]) {{ \
               const d = root.querySelector('dialog:modal'); \
               if (d) {{ const t = root.getElementById(d.getAttribute('aria-labelledby')); return t ? t.textContent : ''; }} }} \
             return null;"
        );
        self.js(&script).await.as_str().map(str::to_string)
    }

    /// Presses Escape in the focused control, as a keyboard user does.
    pub async fn press_escape(&self) {
        let focused = self
            .client
            .active_element()
            .await
            .expect("a focused element");
        // A confirm() the key opens may make the driver report the key as interrupted.
        let _ = focused
            .send_keys(&char::from(fantoccini::key::Key::Escape).to_string())
            .await;
    }

    /// Waits for a browser `confirm()`/`alert()` and returns its message (left open).
    pub async fn wait_browser_dialog(&self) -> String {
        self.wait_for("a browser dialog", || async move {
            self.client.get_alert_text().await.ok()
        })
        .await
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("execute script")
    }

    /// Counts elements matching a CSS selector.
    pub async fn count(&self, css: &str) -> usize {
        let script = if self.pierces() {
            format!("{SHADOW_ROOTS} return [document, ...shadowRoots()].reduce((n, root) => n + root.querySelectorAll({0}).length, 0)", json!(css))
        } else {
            format!("return document.querySelectorAll({}).length", json!(css))
        };
        self.js(&script).await.as_u64().unwrap_or(0) as usize
    }

    /// Waits until the CSS selector matches exactly `n` elements.
    pub async fn wait_count(&self, css: &str, n: usize) {
        self.wait_for(&format!("{n} × {css}"), || async move {
            (self.count(css).await == n).then_some(())
        })
        .await
    }

    /// Waits until the CSS selector matches more than `n` elements.
    pub async fn wait_more_than(&self, css: &str, n: usize) {
        self.wait_for(&format!("more than {n} × {css}"), || async move {
            (self.count(css).await > n).then_some(())
        })
        .await
    }

    /// The accessible name of the first tile's actions menu button ("Actions for …").
    pub async fn first_tile_menu(&self) -> String {
        let menu = self
            .js("return document.querySelector('.tile-grid article.tile .tile-menu').getAttribute('aria-label')")
            .await;
        menu.as_str()
            .expect("a tile with an actions menu")
            .to_owned()
    }

    /// Opens the tile actions menu named `menu` ("Actions for …") and picks `action` in it. The
    /// tile may re-render just after it appears: a click on a stale element is retried.
    pub async fn tile_action(&self, menu: &str, action: &str) {
        for _ in 0..20 {
            if self.button(menu).await.click().await.is_ok()
                && self.button(action).await.click().await.is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("could not pick {action} in {menu}");
    }

    /// Waits until the URL's path and query start with `prefix`.
    pub async fn wait_path(&self, prefix: &str) {
        self.wait_for(&format!("URL {prefix}"), || async move {
            self.path().await.starts_with(prefix).then_some(())
        })
        .await
    }

    /// The visible text of the page.
    pub async fn body_text(&self) -> String {
        let script = if self.pierces() {
            format!("{SHADOW_ROOTS} return [document.body, ...shadowRoots().flatMap((root) => [...root.children])].map((el) => el ? el.innerText || '' : '').join('\\n')")
        } else {
            "return document.body ? document.body.innerText : ''".to_string()
        };
        self.js(&script)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// All text of the page's nodes, including tiles outside the viewport, which `content-visibility:
    /// auto` leaves unrendered and therefore out of [`Browser::body_text`].
    pub async fn text_content(&self) -> String {
        let script = if self.pierces() {
            format!("{SHADOW_ROOTS} return [document.body, ...shadowRoots().flatMap((root) => [...root.children])].map((el) => el ? el.textContent || '' : '').join('\\n')")
        } else {
            "return document.body ? document.body.textContent : ''".to_string()
        };
        self.js(&script)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Fails if the app recorded a panic or an uncaught error (`window.__dashdeckErrors`).
    pub async fn assert_no_errors(&self) {
        let errors = self.js("return window.__dashdeckErrors || []").await;
        assert_eq!(
            errors,
            json!([]),
            "the page logged panics or uncaught errors"
        );
    }

    /// Checks for errors, then ends the session and chromedriver.
    pub async fn finish(mut self) {
        self.assert_no_errors().await;
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
    }
}

/// An XPath string literal for any text (handles both quote kinds).
fn lit(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

async fn free_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    l.local_addr().unwrap().port()
}
