//! `make bench-grid`: figures for the tile grid in headless Chromium (not a timed test; ignored by
//! `make test`). Prints script time per pointermove during a drag on a 50-tile dashboard (median,
//! p95), the time to render a 100-tile dashboard, and the requests one drag-and-save makes.

use dashdeck_e2e::{Browser, StandIn};
use serde_json::Value;

const KEY: &str = "phx_demo_full_access_key_000000000000000000";

/// Creates a dashboard with `n` text tiles in rows of three through the API, in the page.
async fn make_dashboard(b: &Browser, n: usize) -> i64 {
    let script = format!(
        "const h = {{'Authorization': 'Bearer {KEY}', 'Content-Type': 'application/json'}};
         const d = await (await fetch('/api/projects/1/dashboards/', {{method: 'POST', headers: h, body: JSON.stringify({{name: 'Bench {n}'}})}})).json();
         const tiles = [...Array({n}).keys()].map(i => ({{text: {{body: '## Tile ' + i}}, layouts: {{sm: {{x: (i % 3) * 4, y: Math.floor(i / 3) * 3, w: 4, h: 3}}}}}}));
         await fetch('/api/projects/1/dashboards/' + d.id + '/', {{method: 'PATCH', headers: h, body: JSON.stringify({{tiles}})}});
         return d.id;"
    );
    let v = b
        .client
        .execute_async(
            &format!("const done = arguments[0]; (async () => {{ {script} }})().then(done);"),
            vec![],
        )
        .await
        .unwrap();
    v.as_i64().unwrap()
}

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with make bench-grid"]
async fn bench_grid() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    b.goto(&format!("{}/project/1/dashboards", server.url))
        .await;
    b.heading("Dashboards").await;
    let fifty = make_dashboard(&b, 50).await;
    let hundred = make_dashboard(&b, 100).await;

    b.goto(&format!(
        "{}/project/1/dashboards/{fifty}?edit=1",
        server.url
    ))
    .await;
    b.wait_count("article.tile", 50).await;
    let samples: Value = b
        .client
        .execute_async(
            "const done = arguments[0];
             (async () => {
               window.__requests = 0;
               const f = window.fetch; window.fetch = (r, o) => { window.__requests++; return f(r, o); };
               const tile = document.querySelector('article.tile');
               const box = tile.getBoundingClientRect();
               const at = (type, x, y) => new PointerEvent(type, {bubbles: true, pointerId: 1, button: 0, clientX: x, clientY: y, isPrimary: true});
               const flush = () => new Promise(r => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
               tile.querySelector('.tile-header, h2, span').dispatchEvent(at('pointerdown', box.x + 5, box.y + 5));
               const times = [];
               for (let i = 1; i <= 120; i++) {
                 const t0 = performance.now();
                 tile.dispatchEvent(at('pointermove', box.x + 5 + i * 7, box.y + 5 + (i % 40) * 9));
                 await flush();
                 times.push(performance.now() - t0);
               }
               tile.dispatchEvent(at('pointerup', box.x + 5 + 840, box.y + 5));
               await flush();
               return times;
             })().then(done);",
            vec![],
        )
        .await
        .unwrap();
    let times: Vec<f64> = samples
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    let (median, p95) = stats(times);
    b.button("Save layout").await.click().await.unwrap();
    b.button("Edit layout").await;
    let requests = b.js("return window.__requests").await;

    let render: Value = b
        .client
        .execute_async(
            &format!(
                "const done = arguments[0];
                 const t0 = performance.now();
                 const obs = new MutationObserver(() => {{
                   if (document.querySelectorAll('article.tile').length === 100) {{ obs.disconnect(); done(performance.now() - t0); }}
                 }});
                 obs.observe(document.body, {{childList: true, subtree: true}});
                 history.pushState(null, '', '/project/1/dashboards/{hundred}');
                 dispatchEvent(new PopStateEvent('popstate'));"
            ),
            vec![],
        )
        .await
        .unwrap();
    println!("\n== tile grid benchmark (headless Chromium, release build) ==");
    println!("pointermove on a 50-tile dashboard: median {median:.2} ms, p95 {p95:.2} ms (script + DOM update, 120 moves)");
    println!("render a 100-tile dashboard (navigate → 100 tiles in the DOM, incl. the local fetch): {:.1} ms", render.as_f64().unwrap_or(f64::NAN));
    println!("requests for one drag-and-save: {requests}");
    b.finish().await;
}
