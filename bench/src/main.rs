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
//! goes (from the app's `dashdeck:*` performance marks, navigation and resource timing, medians of
//! the runs), for Dashdeck and the baseline, in the same tab and in a new one, with the CPU time
//! the whole machine spent per load (`/proc/stat`: browser, stand-ins and all) and the page
//! renderer's main-thread time (`Performance.getMetrics`: all tasks, script, style, layout).
//! `BENCH_TRACE=cpu` adds that CPU time by process, `BENCH_TRACE=resources` every file and mark of
//! the last load; `BENCH_ONLY=0`…`3` measures one column only; `BENCH_AB=<another dist/>` traces
//! that build beside this one instead of the baseline (loads interleaved, for A/B runs);
//! `BENCH_PAGE=list` traces the startup list (34 rows) instead of the 100-tile dashboard.
//! `BENCH_LATENCY=<ms>` (with `BENCH_TRACE`) adds that much to each request that reaches the
//! network (CDP network emulation; cached files are not slowed), as from a PostHog host elsewhere.
//! `BENCH_JS_FLAGS` passes V8 flags (e.g. `--no-wasm-lazy-compilation`), for experiments.
//! `BENCH_EVENTS=1` (with `BENCH_TRACE`) also records Chromium's trace events of those loads
//! into `target/bench-events.json` (DevTools' Performance panel or ui.perfetto.dev open it): what
//! the renderer's main thread does besides script, and the wasm compilation on other threads;
//! it prints how many wasm functions each renderer compiled on their first call, and how long that
//! took on its main thread. `BENCH_EVENTS=cpu` also records V8's sampling profiler in them
//! (`ProfileChunk` events), which follows the loads into a new tab's renderer.
//! `BENCH_PROFILE=1` writes CPU profiles of it to `target/bench-profile-N.cpuprofile` (open them in
//! Chromium's DevTools; build with `DASHDECK_WASM_NAMES=1 make build` for wasm function names);
//! `BENCH_PROFILE=baseline` profiles the baseline's loads instead.
//!
//! Between loads the bench waits for the page to finish its after-paint work (`settle`), so that
//! one load's idle-time work does not run into the next load's measurement.

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

    // `BENCH_JS_FLAGS` adds V8 flags, for experiments ("--no-wasm-lazy-compilation").
    let js_flags = format!(
        "--js-flags=--expose-gc {}",
        std::env::var("BENCH_JS_FLAGS").unwrap_or_default()
    );
    let args = ["--enable-precise-memory-info", &js_flags];
    let events = std::env::var_os("BENCH_EVENTS").is_some();
    let b = if events {
        // `BENCH_EVENTS=cpu` adds V8's sampling profiler (`ProfileChunk` events): where a new
        // tab's script time goes, which a CPU profile over CDP cannot follow into a new renderer.
        let categories = match std::env::var("BENCH_EVENTS").as_deref() {
            Ok("cpu") => format!("{TRACE_CATEGORIES},disabled-by-default-v8.cpu_profiler"),
            _ => TRACE_CATEGORIES.to_string(),
        };
        Browser::start_tracing(&args, &categories).await
    } else {
        Browser::start_with_args(&args).await
    };
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
        // `BENCH_AB=<a dist/ folder>`: the trace compares this build with that one.
        let other = match std::env::var_os("BENCH_AB") {
            Some(dir) => {
                let other = StandIn::start_serving(PathBuf::from(dir), true).await;
                generate(&other).await;
                Some(other)
            }
            None => None,
        };
        let urls = (
            app.url.as_str(),
            baseline.url.as_str(),
            other.as_ref().map(|o| o.url.as_str()),
        );
        // `BENCH_PAGE=list`: the startup list instead of the 100-tile dashboard.
        let page = match std::env::var("BENCH_PAGE").as_deref() {
            Ok("list") => Traced {
                path: "/project/1/dashboards".into(),
                name: "the list of 34",
                what: "rows",
                n: 34,
            },
            _ => Traced {
                path: tiles.clone(),
                name: "the 100-tile dashboard",
                what: "tiles",
                n: 100,
            },
        };
        trace(&b, urls, &page, runs).await;
        if events {
            write_events(&b).await;
        }
        return b.finish().await;
    }
    if std::env::var_os("BENCH_PROFILE").is_some() {
        let page = if std::env::var("BENCH_PROFILE").as_deref() == Ok("baseline") {
            &baseline.url
        } else {
            &app.url
        };
        profile(&b, page, &tiles, runs).await;
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
        // Every text tile's body on screen too (until the tenth session, Dashdeck built the
        // bodies below the first screen after the first paint; now each with its tile).
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
        settle().await;
    }
    median(&mut times)
}

/// The page `trace` opens: its path, a name for the table, and the `n` rows or tiles (`what`)
/// that make it painted.
struct Traced {
    path: String,
    name: &'static str,
    what: &'static str,
    n: usize,
}

/// The rows of `trace`'s phases.
const PHASE_COUNT: usize = 13;

/// `BENCH_TRACE`: the phases of opening `page` (the 100-tile dashboard), medians of `runs` loads of each
/// column — Dashdeck and the baseline (or, with `other`, two builds of Dashdeck), each in the same
/// tab and in a new one — with the CPU and renderer time they cost on average.
async fn trace(
    b: &Browser,
    (app, baseline, other): (&str, &str, Option<&str>),
    page: &Traced,
    runs: usize,
) {
    let path = &page.path;
    // Until the page is painted: on the dashboard, until every tile's text is.
    let done = |b| async move {
        match page.what {
            "tiles" => painted(b, "filled", page.n).await,
            what => painted(b, what, page.n).await,
        }
    };
    // Times (ms from navigation start) the page's marks and resources give; -1 where absent.
    const PHASES: &str = r#"
const mark = (n) => { const e = performance.getEntriesByName('dashdeck:' + n, 'mark')[0]; return e ? e.startTime : -1; };
const res = performance.getEntriesByType('resource');
const api = res.find(r => r.name.includes('/api/'));
const script = res.find(r => r.name.endsWith('.js'));
const frame = (k) => (__bench.frames.find(f => f[k] >= N) || { t: -1 }).t;
const nav = performance.getEntriesByType('navigation')[0];
return [nav.fetchStart, nav.responseStart, nav.responseEnd, script.startTime, mark('main'), mark('dashboard-request'), api.startTime, api.responseEnd,
  mark('dashboard-arrived'), mark('dashboard-view'), mark('tiles-mounted'), frame(WHAT), frame('filled')];"#;
    let phases = format!("const N = {}, WHAT = '{}';{PHASES}", page.n, page.what);
    const NAMES: [&str; PHASE_COUNT] = [
        "page fetch started",
        "page response started",
        "page response received",
        "script requested",
        "wasm running (dashdeck:main)",
        "dashboard requested by the app",
        "API request sent",
        "API response received",
        "dashboard decoded (dashboard-arrived)",
        "view code ready (dashboard-view)",
        "tiles mounted (tiles-mounted)",
        "painted (100 tiles; 34 rows)",
        "every tile's text painted",
    ];
    let mode = std::env::var("BENCH_TRACE").unwrap_or_default();
    let mut columns: Vec<Column> = match other {
        // A/B: the same-tab and new-tab loads of two builds.
        Some(other) => vec![
            Column::new("A same tab", app, false),
            Column::new("B same tab", other, false),
            Column::new("A new tab", app, true),
            Column::new("B new tab", other, true),
        ],
        None => vec![
            Column::new("same tab", app, false),
            Column::new("new tab", app, true),
            Column::new("baseline", baseline, false),
            Column::new("(new tab)", baseline, true),
        ],
    };
    for (i, column) in columns.iter_mut().enumerate() {
        column.skip = std::env::var("BENCH_ONLY").is_ok_and(|c| c != i.to_string());
    }
    cdp(b, "Performance.enable", json!({})).await;
    // `BENCH_LATENCY=<ms>`: each request that reaches the network (not the cache) takes that much
    // longer, as from a PostHog host that is not on this machine.
    if let Some(ms) = std::env::var("BENCH_LATENCY")
        .ok()
        .and_then(|ms| ms.parse::<f64>().ok())
    {
        cdp(b, "Network.enable", json!({})).await;
        let conditions = json!({ "offline": false, "latency": ms, "downloadThroughput": -1, "uploadThroughput": -1 });
        cdp(b, "Network.emulateNetworkConditions", conditions).await;
    }
    // Run by run, the columns take turns (each run starting with the next one), so that a slower
    // or faster spell of this shared machine falls on all of them alike.
    let count = columns.len();
    for run in 0..=runs {
        for turn in 0..count {
            let column = &mut columns[(turn + run) % count];
            if column.skip {
                continue;
            }
            // A same-tab load follows a load of the same page (the previous turn was another
            // column's); a new-tab load follows a blank page.
            let previous = if column.new_tab {
                "about:blank".to_string()
            } else {
                format!("{}{path}", column.base)
            };
            b.goto(&previous).await;
            if !column.new_tab {
                done(b).await;
                settle().await;
            }
            let by_process = (mode == "cpu").then(process_cpu_ms);
            let before = machine_busy_ms();
            let metrics_before = renderer_metrics(b).await;
            b.goto(&format!("{}{path}", column.base)).await;
            done(b).await;
            let metrics = renderer_metrics(b).await;
            let times = b.js(&phases).await;
            if mode == "resources" && run == runs {
                column.resources = b
                    .js("return [...performance.getEntriesByType('resource'), ...performance.getEntriesByType('mark')].map(r => [r.name.split('/').pop(), r.startTime, r.responseEnd || r.startTime, r.transferSize || 0])")
                    .await;
            }
            settle().await;
            if run == 0 {
                continue;
            }
            column.busy += machine_busy_ms() - before;
            for (sum, (after, before)) in column
                .main_thread
                .iter_mut()
                .zip(metrics.iter().zip(metrics_before))
            {
                // A new document may start a new renderer, whose counters start at zero.
                *sum += if after >= &before {
                    after - before
                } else {
                    *after
                };
            }
            if let Some(by_process) = by_process {
                for (who, ms) in process_cpu_ms() {
                    *column.processes.entry(who.clone()).or_insert(0.0) +=
                        ms - by_process.get(&who).copied().unwrap_or(0.0);
                }
            }
            for (i, t) in times.as_array().unwrap().iter().enumerate() {
                column.samples[i].push(t.as_f64().unwrap_or(-1.0));
            }
        }
    }
    for column in columns.iter().filter(|c| !c.skip) {
        if mode == "cpu" {
            println!(
                "CPU time per load by process ({}, {})",
                column.label, column.base
            );
            for (who, ms) in &column.processes {
                if ms / runs as f64 >= 0.5 {
                    println!("  {who:<40} {:>8.1} ms", ms / runs as f64);
                }
            }
        }
        if mode == "resources" {
            println!(
                "\nresources and marks of the last load ({}) — start, end (ms), bytes on the wire",
                column.label
            );
            for r in column.resources.as_array().into_iter().flatten() {
                println!(
                    "  {:<44} {:>7.1} {:>7.1} {:>8}",
                    r[0].as_str().unwrap_or("?"),
                    r[1].as_f64().unwrap_or(-1.0),
                    r[2].as_f64().unwrap_or(-1.0),
                    r[3]
                );
            }
        }
    }
    println!(
        "\nOpening {} — ms from navigation start, medians of {runs} runs\n",
        page.name
    );
    let row = |name: &str, cells: Vec<String>| {
        println!(
            "{name:<40} {}",
            cells
                .iter()
                .map(|c| format!("{c:>10}"))
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    let per_load = |c: &Column, ms: f64| {
        if c.skip {
            "—".to_string()
        } else {
            format!("{:.1}", ms / runs as f64)
        }
    };
    row(
        "phase",
        columns.iter().map(|c| c.label.to_string()).collect(),
    );
    row(
        "CPU time of the whole machine per load",
        columns.iter().map(|c| per_load(c, c.busy)).collect(),
    );
    for (i, (_, name)) in METRICS.iter().enumerate() {
        row(
            name,
            columns
                .iter()
                .map(|c| per_load(c, c.main_thread[i]))
                .collect(),
        );
    }
    for (i, name) in NAMES.iter().enumerate() {
        row(
            name,
            columns
                .iter_mut()
                .map(|c| match c.skip {
                    true => "—".to_string(),
                    false => match median(&mut c.samples[i]) {
                        t if t < 0.0 => "—".to_string(),
                        t => format!("{t:.1}"),
                    },
                })
                .collect(),
        );
    }
}

/// One column of the `trace` table: a page opened in the same tab or a new one, and what its
/// loads measured.
struct Column {
    label: &'static str,
    base: String,
    new_tab: bool,
    skip: bool,
    samples: Vec<Vec<f64>>,
    busy: f64,
    main_thread: [f64; METRICS.len()],
    processes: std::collections::BTreeMap<String, f64>,
    resources: Value,
}

impl Column {
    fn new(label: &'static str, base: &str, new_tab: bool) -> Column {
        Column {
            label,
            base: base.to_string(),
            new_tab,
            skip: false,
            samples: vec![Vec::new(); PHASE_COUNT],
            busy: 0.0,
            main_thread: [0.0; METRICS.len()],
            processes: Default::default(),
            resources: Value::Null,
        }
    }
}

/// CPU time (ms, all cores) the machine has spent busy since it started (`/proc/stat`): the
/// browser's processes, the stand-ins and anything else running.
fn machine_busy_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: everything but idle and iowait.
    let busy: f64 = ticks
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, t)| t)
        .sum();
    busy * TICK_MS
}

/// `/proc` counts CPU time in ticks of 1/100 s (USER_HZ on Linux).
const TICK_MS: f64 = 10.0;

/// CPU time (ms) each kind of process has used so far: Chromium's by `--type`, others by name.
fn process_cpu_ms() -> std::collections::BTreeMap<String, f64> {
    let mut by = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let dir = entry.path();
        let Ok(stat) = std::fs::read_to_string(dir.join("stat")) else {
            continue;
        };
        let Some((head, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let comm = head.split_once(" (").map(|(_, c)| c).unwrap_or("?");
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: f64 = fields
            .get(11..13)
            .into_iter()
            .flatten()
            .filter_map(|t| t.parse::<f64>().ok())
            .sum();
        let cmdline = std::fs::read_to_string(dir.join("cmdline")).unwrap_or_default();
        if cmdline.is_empty() {
            // A kernel thread (their names change with their work queue).
            continue;
        }
        let kind = cmdline
            // Chromium rewrites its processes' titles: the arguments may be one string.
            .split(['\0', ' '])
            .find_map(|a| a.strip_prefix("--type="))
            .map(|t| format!("chromium {t}"))
            .unwrap_or_else(|| comm.to_string());
        *by.entry(kind).or_insert(0.0) += ticks * TICK_MS;
    }
    by
}

/// The page renderer's main-thread counters `Performance.getMetrics` gives (seconds there), with
/// the rows they are printed as (ms per load).
const METRICS: [(&str, &str); 8] = [
    ("ProcessTime", "renderer process CPU"),
    ("ThreadTime", "renderer main thread CPU"),
    ("TaskDuration", "renderer main thread: all tasks"),
    ("ScriptDuration", "  of which script (JS and wasm)"),
    ("V8CompileDuration", "  of which V8 compile"),
    ("RecalcStyleDuration", "  of which style"),
    ("LayoutDuration", "  of which layout"),
    (
        "DevToolsCommandDuration",
        "  of which the bench's CDP calls",
    ),
];

/// The renderer's cumulative `METRICS`, in ms.
async fn renderer_metrics(b: &Browser) -> [f64; METRICS.len()] {
    let all = cdp(b, "Performance.getMetrics", json!({})).await;
    let list = all["metrics"].as_array().cloned().unwrap_or_default();
    METRICS.map(|(key, _)| {
        list.iter()
            .find(|m| m["name"] == key)
            .and_then(|m| m["value"].as_f64())
            .unwrap_or(0.0)
            * 1000.0
    })
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
    for run in 1..=runs {
        cdp(b, "Profiler.start", json!({})).await;
        b.goto(&format!("{app}{path}")).await;
        painted(b, "filled", 100).await;
        let profile = cdp(b, "Profiler.stop", json!({})).await;
        let file = output_file(&format!("bench-profile-{run}.cpuprofile"));
        std::fs::write(&file, profile["profile"].to_string()).expect("write the profile");
        eprintln!("bench: wrote {}", file.display());
    }
}

/// Where the bench writes file `name`: the workspace's `target/`.
fn output_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target")
        .join(name)
}

/// Lets the page finish what it does after its first paint (fetching code ahead) before the next
/// load: a user does not open the next page a few milliseconds after the last one painted, and on
/// a small machine the two pages' work would overlap and slow the next.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
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

/// Rounds of browsing the memory figure measures.
const MEMORY_ROUNDS: usize = 4;

/// JS heap + wasm memory (MB, after a forced GC) after each of `MEMORY_ROUNDS` rounds of paging
/// through all 1,000 dashboards and opening ten of them, all in one page load (links and buttons
/// inside the app): what the app keeps from one round to the next shows as growth. A load per
/// round would start each round afresh, and Chromium keeps earlier pages of the tab (back/forward
/// cache) in the same heap. The clicks are made by script, not through WebDriver elements:
/// chromedriver keeps every element it hands out alive for as long as the page lives, and a
/// heap snapshot showed the lists and buttons those handles held (~80 kB a round) as the only
/// detached DOM. The browser's own buffers of the page's timings and marks are emptied before
/// each measure.
async fn memory(b: &Browser, base: &str, large: &str) -> Vec<f64> {
    let mut rounds = Vec::new();
    b.goto(&format!("{base}{large}")).await;
    painted(b, "rows", 100).await;
    for _ in 0..MEMORY_ROUNDS {
        for page in 2..=10 {
            click(b, "[...document.querySelectorAll('.pagination button')].find(b => b.textContent.trim() === 'Next page')").await;
            b.wait_path(&format!("{large}?page={page}")).await;
            b.wait_count("tbody tr", 100).await;
        }
        // Each dashboard's back link leads to the list's first page.
        for i in 0..10 {
            click(b, &format!("document.querySelectorAll('tbody tr a')[{i}]")).await;
            b.wait_more_than("a.back-link", 0).await;
            click(b, "document.querySelector('a.back-link')").await;
            b.wait_count("tbody tr", 100).await;
        }
        let bytes = b
            .js("performance.clearResourceTimings(); performance.clearMarks(); __bench.frames.length = 0; __bench.events.length = 0; \
                 window.gc && gc(); return performance.memory.usedJSHeapSize + (__bench.memory ? __bench.memory.buffer.byteLength : 0)")
            .await;
        rounds.push(bytes.as_f64().unwrap_or(0.0) / 1_048_576.0);
    }
    rounds
}

/// Clicks the element `expression` names, by script: no WebDriver handle is kept (see [`memory`]).
async fn click(b: &Browser, expression: &str) {
    b.js(&format!("({expression}).click()")).await;
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

/// What `BENCH_EVENTS` records: the renderer's tasks, style, layout and paint, script, wasm
/// compilation and instantiation, GC, resource loading, and the app's performance marks.
const TRACE_CATEGORIES: &str = "devtools.timeline,v8.wasm,blink.user_timing,toplevel";

/// `BENCH_EVENTS`: writes the trace events Chromium recorded during `trace`'s loads to
/// `target/bench-events.json`, in the format DevTools' Performance panel and ui.perfetto.dev open.
async fn write_events(b: &Browser) {
    let log = b
        .client
        .issue_cmd(SessionPost {
            path: "se/log",
            body: json!({ "type": "performance" }),
        })
        .await
        .expect("read the performance log");
    let entries = log.as_array().map(Vec::as_slice).unwrap_or_default();
    let events: Vec<Value> = entries
        .iter()
        .filter_map(|entry| {
            let message: Value = serde_json::from_str(entry["message"].as_str()?).ok()?;
            let message = &message["message"];
            (message["method"] == "Tracing.dataCollected").then(|| message["params"].clone())
        })
        .collect();
    let file = output_file("bench-events.json");
    let json = json!({ "traceEvents": events }).to_string();
    std::fs::write(&file, json).expect("write the trace events");
    // chromedriver keeps at most 100,000 log entries: a longer trace loses some.
    let full = if entries.len() >= 100_000 {
        " (chromedriver's log was full and dropped some: BENCH_ONLY=0 with BENCH_RUNS=3 fits)"
    } else {
        ""
    };
    eprintln!(
        "bench: wrote {} ({} events){full}",
        file.display(),
        events.len()
    );
    lazy_compiles(&events);
}

/// Prints how many wasm functions V8 compiled on first call on each renderer's main thread, and
/// the time that took: in a new tab (a new renderer) every function the load runs that is not
/// in Chromium's code cache of optimised code.
fn lazy_compiles(events: &[Value]) {
    let main_threads: std::collections::HashSet<(u64, u64)> = events
        .iter()
        .filter(|e| e["name"] == "thread_name" && e["args"]["name"] == "CrRendererMain")
        .filter_map(|e| Some((e["pid"].as_u64()?, e["tid"].as_u64()?)))
        .collect();
    let mut by_renderer = std::collections::BTreeMap::<u64, (usize, f64)>::new();
    for e in events.iter().filter(|e| e["name"] == "wasm.CompileLazy") {
        let (Some(pid), Some(tid)) = (e["pid"].as_u64(), e["tid"].as_u64()) else {
            continue;
        };
        if main_threads.contains(&(pid, tid)) {
            let entry = by_renderer.entry(pid).or_default();
            entry.0 += 1;
            entry.1 += e["dur"].as_f64().unwrap_or(0.0) / 1000.0;
        }
    }
    eprintln!("wasm functions compiled on first call, on each renderer's main thread:");
    for (pid, (count, ms)) in by_renderer {
        eprintln!("  renderer {pid}: {count} functions, {ms:.1} ms");
    }
}

/// Runs a Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute`.
async fn cdp(b: &Browser, cmd: &'static str, params: Value) -> Value {
    b.client
        .issue_cmd(SessionPost {
            path: "goog/cdp/execute",
            body: json!({ "cmd": cmd, "params": params }),
        })
        .await
        .expect("CDP command")
}

/// A chromedriver command outside WebDriver's: `POST /session/{id}/{path}` with a JSON `body`
/// (`goog/cdp/execute`, `se/log`).
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
