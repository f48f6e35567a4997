//! `make bench`: measures the release build of Dashdeck in headless Chromium against the stand-in, side by
//! side with the hand-written vanilla-JS page in `bench/baseline/` fetching the same JSON, and prints a table.
//! Not a test: it asserts nothing and reports medians of several runs (`BENCH_RUNS`, default 5).
//!
//! Timing comes from a probe script that Chromium runs at the start of every document (CDP
//! `Page.addScriptToEvaluateOnNewDocument`), so neither page is instrumented: a MutationObserver notes the
//! first frame after which the expected rows or tiles are on screen (rAF, then the task after the paint),
//! Long Tasks and Event Timing observers record long tasks and input-to-paint durations, and a wrapper
//! around `WebAssembly.instantiate*` keeps the wasm memory for the memory figure.
//!
//! Two kinds of load: "same tab" navigates from the page itself, as a reload or a link within the
//! app does (Chromium keeps the renderer process, and with it the wasm it compiled); "new tab"
//! goes through `about:blank` first, so the page starts in a fresh renderer process, as when the
//! app is opened from a bookmark in a new tab, and compiles its wasm again.
//!
//! `BENCH_TRACE=1` prints, instead of the table, where the time of opening the 100-tile dashboard
//! goes (from the app's `dashdeck:*` performance marks and resource timing, medians of the runs).
//! `BENCH_PROFILE=1` writes CPU profiles of it to `target/bench-profile-N.cpuprofile` (open them in
//! Chromium's DevTools; build with `DASHDECK_WASM_NAMES=1 make build` for wasm function names).

use std::path::PathBuf;
use std::time::Duration;

use dashdeck_e2e::{Browser, StandIn};
use reqwest::Method;
use serde_json::{json, Value};

const PROBE: &str = include_str!("probe.js");

/// The 100-tile dashboard and the 1,000-dashboard project the generator adds to the seed.
struct LargeSeed {
    project_id: i64,
    big_dashboard_id: i64,
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let baseline_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("baseline");
    let app = StandIn::start(true).await;
    let baseline = StandIn::start_serving(baseline_dir, true).await;
    eprintln!("bench: generating 1,000 dashboards and a 100-tile dashboard on both stand-ins…");
    let seed = generate(&app).await;
    let seed_b = generate(&baseline).await;
    assert_eq!(
        seed.big_dashboard_id, seed_b.big_dashboard_id,
        "both stand-ins hold the same data"
    );

    let b =
        Browser::start_with_args(&["--enable-precise-memory-info", "--js-flags=--expose-gc"]).await;
    cdp(
        &b,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": PROBE }),
    )
    .await;

    let tiles = format!(
        "/project/{}/dashboards/{}",
        seed.project_id, seed.big_dashboard_id
    );
    if std::env::var_os("BENCH_TRACE").is_some() {
        trace(&b, &app.url, &baseline.url, &tiles, runs).await;
        return b.finish().await;
    }
    if std::env::var_os("BENCH_PROFILE").is_some() {
        profile(&b, &app.url, &tiles, runs).await;
        return b.finish().await;
    }
    let list = "/project/1/dashboards".to_string();
    let large = format!("/project/{}/dashboards", seed.project_id);
    let mut table = Vec::new();
    for (label, path, what, n, new_tab) in [
        ("startup: list of 34 painted", &list, "rows", 34, false),
        (
            "1,000 dashboards: first page (100 rows) painted",
            &large,
            "rows",
            100,
            false,
        ),
        ("100-tile dashboard painted", &tiles, "tiles", 100, false),
        // Dashdeck builds the text of tiles below the first screen once the page is painted.
        (
            "100-tile dashboard: every tile's text painted",
            &tiles,
            "filled",
            100,
            false,
        ),
        (
            "new tab: startup, list of 34 painted",
            &list,
            "rows",
            34,
            true,
        ),
        (
            "new tab: 100-tile dashboard painted",
            &tiles,
            "tiles",
            100,
            true,
        ),
    ] {
        let ours = median_paint(&b, &app.url, path, what, n, runs, new_tab).await;
        let theirs = median_paint(&b, &baseline.url, path, what, n, runs, new_tab).await;
        table.push(row(label, ours, theirs));
    }

    let (long_count, long_max) = long_tasks_while_searching(&b, &app.url, &large).await;
    let inp = interactions(&b, &app.url, &large).await;
    let requests = requests(&b, &app.url).await;
    let memory = memory(&b, &app.url, &large).await;
    b.finish().await;

    println!("\nDashdeck benchmark — medians of {runs} runs, headless Chromium, local stand-in\n");
    println!(
        "{:<52} {:>10} {:>10} {:>7}  target",
        "figure (ms)", "dashdeck", "baseline", "ratio"
    );
    for (label, ours, theirs) in &table {
        let target = if label.contains("startup") {
            "≤ 1.5×"
        } else {
            "≤ 1.3×"
        };
        println!(
            "{label:<52} {ours:>10.1} {theirs:>10.1} {:>6.2}×  {target}",
            ours / theirs
        );
    }
    line(
        "long tasks while typing a search and scrolling",
        long_count,
        "0 (none > 50 ms)",
    );
    line("  longest of them, ms", format!("{long_max:.1}"), "");
    line(
        "interaction input-to-paint, worst (Event Timing), ms",
        format!("{:.1}", inp.0),
        "≤ 100",
    );
    line("  interactions measured (events ≥ 16 ms)", inp.1, "");
    line("API requests: open the list", requests.0, "1");
    line(
        "API requests: open a dashboard from the list",
        requests.1,
        "1",
    );
    line("API requests: back to the list", requests.2, "0–1");
    for (i, mb) in memory.iter().enumerate() {
        let label = format!("memory after browsing round {} (JS heap + wasm), MB", i + 1);
        line(&label, format!("{mb:.1}"), "< 30");
    }
}

/// A table row with a Dashdeck figure only.
fn line(label: &str, value: impl std::fmt::Display, target: &str) {
    println!(
        "{label:<52} {:>10} {:>10} {:>7}  {target}",
        value.to_string(),
        "",
        ""
    );
}

fn row(label: &str, ours: f64, theirs: f64) -> (String, f64, f64) {
    (label.to_string(), ours, theirs)
}

/// Navigates to `path` `runs` times (after one warm-up) and returns the median time from navigation
/// start to the first frame showing `n` rows or tiles; with `new_tab`, each time from `about:blank`.
async fn median_paint(
    b: &Browser,
    base: &str,
    path: &str,
    what: &str,
    n: usize,
    runs: usize,
    new_tab: bool,
) -> f64 {
    let mut times = Vec::new();
    for run in 0..=runs {
        if new_tab {
            b.goto("about:blank").await;
        }
        b.goto(&format!("{base}{path}")).await;
        let t = painted(b, what, n).await;
        if run > 0 {
            times.push(t);
        }
    }
    median(&mut times)
}

/// `BENCH_TRACE`: the phases of opening the 100-tile dashboard, medians of `runs` same-tab loads
/// of each page, and of new-tab loads of Dashdeck.
async fn trace(b: &Browser, app: &str, baseline: &str, path: &str, runs: usize) {
    // Times (ms from navigation start) the page's marks and resources give; -1 where absent.
    const PHASES: &str = r#"
const mark = (n) => { const e = performance.getEntriesByName('dashdeck:' + n, 'mark')[0]; return e ? e.startTime : -1; };
const res = performance.getEntriesByType('resource');
const api = res.find(r => r.name.includes('/api/'));
const script = res.find(r => r.name.endsWith('.js'));
const frame = (k) => (__bench.frames.find(f => f[k] >= 100) || { t: -1 }).t;
return [script.startTime, mark('main'), mark('dashboard-request'), api.startTime, api.responseEnd,
  mark('dashboard-arrived'), mark('dashboard-view'), mark('tiles-mounted'), frame('tiles'), frame('filled')];"#;
    const NAMES: [&str; 10] = [
        "script requested",
        "wasm running (dashdeck:main)",
        "dashboard requested by the app",
        "API request sent",
        "API response received",
        "dashboard decoded (dashboard-arrived)",
        "view code ready (dashboard-view)",
        "tiles mounted (tiles-mounted)",
        "100 tiles painted",
        "every tile's text painted",
    ];
    let mut columns = Vec::new();
    for (base, new_tab) in [(app, false), (app, true), (baseline, false)] {
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); NAMES.len()];
        for run in 0..=runs {
            if new_tab {
                b.goto("about:blank").await;
            }
            b.goto(&format!("{base}{path}")).await;
            painted(b, "filled", 100).await;
            let times = b.js(PHASES).await;
            if run == 0 {
                continue;
            }
            for (i, t) in times.as_array().unwrap().iter().enumerate() {
                samples[i].push(t.as_f64().unwrap_or(-1.0));
            }
        }
        columns.push(samples.iter_mut().map(|s| median(s)).collect::<Vec<_>>());
    }
    println!(
        "\nOpening the 100-tile dashboard — ms from navigation start, medians of {runs} runs\n"
    );
    println!(
        "{:<40} {:>10} {:>10} {:>10}",
        "phase", "same tab", "new tab", "baseline"
    );
    for (i, name) in NAMES.iter().enumerate() {
        let cell = |c: &Vec<f64>| {
            if c[i] < 0.0 {
                "—".to_string()
            } else {
                format!("{:.1}", c[i])
            }
        };
        println!(
            "{name:<40} {:>10} {:>10} {:>10}",
            cell(&columns[0]),
            cell(&columns[1]),
            cell(&columns[2])
        );
    }
}

/// `BENCH_PROFILE`: CPU profiles of `runs` same-tab loads of the 100-tile dashboard.
async fn profile(b: &Browser, app: &str, path: &str, runs: usize) {
    cdp(b, "Profiler.enable", json!({})).await;
    cdp(
        b,
        "Profiler.setSamplingInterval",
        json!({ "interval": 100 }),
    )
    .await;
    b.goto(&format!("{app}{path}")).await;
    painted(b, "filled", 100).await;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target");
    for run in 1..=runs {
        cdp(b, "Profiler.start", json!({})).await;
        b.goto(&format!("{app}{path}")).await;
        painted(b, "filled", 100).await;
        let profile = cdp(b, "Profiler.stop", json!({})).await;
        let file = dir.join(format!("bench-profile-{run}.cpuprofile"));
        std::fs::write(&file, profile["profile"].to_string()).expect("write the profile");
        eprintln!("bench: wrote {}", file.display());
    }
}

/// Waits for the probe's first frame with at least `n` rows or tiles and returns its time.
async fn painted(b: &Browser, what: &str, n: usize) -> f64 {
    let script = format!(
        "const f = (window.__bench ? __bench.frames : []).find(f => f.{what} >= {n}); return f ? f.t : null;"
    );
    b.wait_for(&format!("{n} {what} painted"), || async {
        b.js(&script).await.as_f64()
    })
    .await
}

async fn long_tasks_while_searching(b: &Browser, base: &str, large: &str) -> (usize, f64) {
    b.goto(&format!("{base}{large}")).await;
    painted(b, "rows", 100).await;
    b.js("__bench.longtasks.length = 0").await;
    let search = b.field("Search dashboards").await;
    search.send_keys("Bench dashboard 09").await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    search.clear().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    b.js(SCROLL).await;
    let tasks = b.js("return __bench.longtasks.map(t => t.duration)").await;
    let tasks: Vec<f64> = tasks
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    (tasks.len(), tasks.iter().cloned().fold(0.0, f64::max))
}

/// Real (WebDriver) clicks and typing; returns the worst Event Timing duration and the event count.
async fn interactions(b: &Browser, base: &str, large: &str) -> (f64, usize) {
    b.goto(&format!("{base}{large}")).await;
    painted(b, "rows", 100).await;
    b.js("__bench.events.length = 0").await;
    b.button("Next page").await.click().await.unwrap();
    b.wait_path(&format!("{large}?page=2")).await;
    b.field("Pinned only").await.click().await.unwrap();
    b.field("Pinned only").await.click().await.unwrap();
    b.field("Search dashboards")
        .await
        .send_keys("Bench")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    b.js("document.querySelector('tbody tr a').scrollIntoView()")
        .await;
    b.wait_xpath("a dashboard link", "//tbody//a")
        .await
        .click()
        .await
        .unwrap();
    b.link("Back to dashboards").await.click().await.unwrap();
    b.heading("Dashboards").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let events = b.js("return __bench.events.map(e => e.duration)").await;
    let events: Vec<f64> = events
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    (events.iter().cloned().fold(0.0, f64::max), events.len())
}

/// API requests made by: a fresh load of the list, opening a dashboard, going back to the list.
async fn requests(b: &Browser, base: &str) -> (usize, usize, usize) {
    const API: &str = "return performance.getEntriesByType('resource').filter(r => r.name.includes('/api/')).length";
    let count = || async { b.js(API).await.as_u64().unwrap_or(0) as usize };
    b.goto(&format!("{base}/project/1/dashboards")).await;
    painted(b, "rows", 34).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let list = count().await;
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let open = count().await - list;
    b.link("Back to dashboards").await.click().await.unwrap();
    b.heading("Dashboards").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let back = count().await - list - open;
    (list, open, back)
}

/// JS heap + wasm memory (MB, after a forced GC) after each of three rounds of paging through all
/// 1,000 dashboards and opening ten dashboards; a leak shows as growth from round to round.
async fn memory(b: &Browser, base: &str, large: &str) -> Vec<f64> {
    let mut rounds = Vec::new();
    b.goto(&format!("{base}{large}")).await;
    painted(b, "rows", 100).await;
    for _ in 0..3 {
        b.goto(&format!("{base}{large}")).await;
        for page in 2..=10 {
            b.button("Next page").await.click().await.unwrap();
            b.wait_path(&format!("{large}?page={page}")).await;
            b.wait_count("tbody tr", 100).await;
        }
        b.goto(&format!("{base}/project/1/dashboards")).await;
        for i in 0..10 {
            b.wait_count("tbody tr", 34).await;
            b.js(&format!(
                "document.querySelectorAll('tbody tr a')[{i}].click()"
            ))
            .await;
            b.link("Back to dashboards").await.click().await.unwrap();
        }
        b.wait_count("tbody tr", 34).await;
        let bytes = b
            .js("window.gc && gc(); return performance.memory.usedJSHeapSize + (__bench.memory ? __bench.memory.buffer.byteLength : 0)")
            .await;
        rounds.push(bytes.as_f64().unwrap_or(0.0) / 1_048_576.0);
    }
    rounds
}

/// Adds 994 dashboards to project 2 (1,000 in all) and a dashboard with 100 text tiles laid out on two
/// columns, through the stand-in's API like any client.
async fn generate(server: &StandIn) -> LargeSeed {
    let project_id = 2;
    server.add_dashboards(project_id, 994).await;
    let path = format!("/api/projects/{project_id}/dashboards/");
    let big = server
        .api(Method::POST, &path, json!({ "name": "Bench: 100 tiles" }))
        .await;
    let id = big["id"].as_i64().unwrap();
    let texts: Vec<Value> = (0..100)
        .map(|i| json!({ "text": { "body": format!("## Tile {i}\n\nSome **markdown** with a [link](https://posthog.com) and a list:\n\n- one\n- two") } }))
        .collect();
    let tile_path = format!("{path}{id}/");
    let patched = server
        .api(Method::PATCH, &tile_path, json!({ "tiles": texts }))
        .await;
    let layouts: Vec<Value> = patched["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, t)| json!({ "id": t["id"], "layouts": { "sm": { "x": (i % 2) * 6, "y": (i / 2) * 4, "w": 6, "h": 4 } } }))
        .collect();
    server
        .api(Method::PATCH, &tile_path, json!({ "tiles": layouts }))
        .await;
    LargeSeed {
        project_id,
        big_dashboard_id: id,
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Scrolls the page to the bottom and back in animation-frame steps, then resolves.
const SCROLL: &str = r#"
return new Promise(done => {
  let y = 0, down = true;
  const step = () => {
    y += down ? 400 : -400;
    window.scrollTo(0, y);
    if (down && y >= document.body.scrollHeight) down = false;
    if (!down && y <= 0) return done(true);
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
});
"#;

/// Runs a Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute`.
async fn cdp(b: &Browser, cmd: &'static str, params: Value) -> Value {
    b.client
        .issue_cmd(Cdp { cmd, params })
        .await
        .expect("CDP command")
}

#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
