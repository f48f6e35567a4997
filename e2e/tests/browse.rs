//! Connect → pick project → list → search → open a dashboard → reload → deep links, in real Chromium
//! against the release build served by the stand-in.

use dashdeck_e2e::{keys, Browser, StandIn};

async fn connect(b: &Browser, server: &StandIn, key: &str) {
    b.goto(&format!("{}/", server.url)).await;
    b.heading("Connect to PostHog").await;
    assert!(
        b.path().await.starts_with("/connect"),
        "not connected yet, so / leads to /connect"
    );
    b.type_into("PostHog host", &server.url).await;
    b.type_into("Personal API key", key).await;
    b.button("Connect").await.click().await.unwrap();
}

async fn open_project(b: &Browser) {
    let project = b.field("Project").await;
    project
        .select_by_value("1")
        .await
        .expect("project 1 is offered");
    b.button("Open project").await.click().await.unwrap();
    b.wait_path("/project/1/dashboards").await;
    b.heading("Dashboards").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_browse_search_open_and_reload() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    connect(&b, &server, keys::FULL_ACCESS).await;
    open_project(&b).await;

    // The first page holds all 34 seeded dashboards, pinned first.
    b.wait_for("the dashboard count", || async {
        b.body_text().await.contains("34 dashboards").then_some(())
    })
    .await;
    b.wait_count("tbody tr", 34).await;
    let first = b
        .js("return document.querySelector('tbody tr a').textContent.trim()")
        .await;
    assert!(
        first == "Product KPIs" || first == "Website traffic",
        "pinned dashboards come first, got {first}"
    );

    // Search is debounced, lands in the URL and narrows the list to the three funnels.
    b.type_into("Search dashboards", "funnel").await;
    b.wait_path("/project/1/dashboards?search=funnel").await;
    b.wait_count("tbody tr", 3).await;
    for name in ["Marketing funnel", "Signup funnel", "Checkout funnel"] {
        b.link(name).await;
    }

    // Reloading keeps the search (URL state) and the connection (sessionStorage).
    b.client.refresh().await.unwrap();
    b.wait_count("tbody tr", 3).await;
    let search = b
        .field("Search dashboards")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(search.as_deref(), Some("funnel"));

    // Open a dashboard from the list.
    b.link("Checkout funnel").await.click().await.unwrap();
    b.heading("Checkout funnel").await;
    b.link("Back to dashboards").await.click().await.unwrap();
    b.heading("Dashboards").await;

    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dashboard_tiles_render_hostile_text_inert_and_deep_links_work() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    connect(&b, &server, keys::FULL_ACCESS).await;
    open_project(&b).await;

    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;

    // The hostile text tile is shown as text: no script or image element, no javascript: link.
    let text = b.text_content().await;
    assert!(
        text.contains("<script>alert(1)</script>"),
        "raw HTML is shown as text"
    );
    assert_eq!(b.count(".tile script, .tile img, .tile iframe").await, 0);
    let js_links = b.js("return [...document.querySelectorAll('.tile a')].filter(a => !/^(https?:|\\/|#)/.test(a.getAttribute('href') || '')).length").await;
    assert_eq!(js_links, 0, "only http(s) and relative links are links");

    // Tiles do not overlap on the 12-column grid.
    let overlaps = b.js(OVERLAP_SCRIPT).await;
    assert_eq!(overlaps, 0, "tiles overlap");

    // Deep link reload of the dashboard itself.
    let here = b.path().await;
    b.client.refresh().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", 24).await;
    assert_eq!(b.path().await, here);

    // An unknown dashboard says so and offers a way back.
    b.goto(&format!("{}/project/1/dashboards/999999", server.url))
        .await;
    b.heading("Dashboard not found").await;
    b.link("Back to dashboards").await.click().await.unwrap();
    b.heading("Dashboards").await;

    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_keys_show_posthogs_message() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;

    connect(&b, &server, "phx_this_key_does_not_exist").await;
    b.alert_containing("Personal API key found in request Authorization header is invalid.")
        .await;

    b.type_into("Personal API key", keys::DASHBOARD_ONLY).await;
    b.button("Connect").await.click().await.unwrap();
    b.alert_containing("user:read").await;
    assert!(
        b.path().await.starts_with("/connect"),
        "a refused key is not kept"
    );

    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_key_sees_lock_badges() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    connect(&b, &server, keys::READ_ONLY).await;
    open_project(&b).await;
    b.wait_count("tbody tr", 34).await;
    let locks = b
        .count("[aria-label='Read-only: you can view but not edit this dashboard']")
        .await;
    assert!(
        locks >= 4,
        "restricted dashboards show a lock for a read-only user, saw {locks}"
    );
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_config_opens_the_app_connected_and_disconnect_forgets() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    b.goto(&format!("{}/", server.url)).await;
    b.wait_path("/project/1/dashboards").await;
    b.wait_count("tbody tr", 34).await;

    b.button("Disconnect").await.click().await.unwrap();
    b.heading("Connect to PostHog").await;
    let stored = b
        .js("return (sessionStorage.getItem('dashdeck.connection') || '') + (localStorage.getItem('dashdeck.connection') || '') + (sessionStorage.getItem('dashdeck.early') || '')")
        .await;
    assert_eq!(
        stored, "",
        "Disconnect forgets the stored key and the note of the last read"
    );
    b.finish().await;
}

/// Counts pairs of tiles whose rendered rectangles intersect.
const OVERLAP_SCRIPT: &str = r#"
const r = [...document.querySelectorAll('article.tile')].map(t => t.getBoundingClientRect());
let n = 0;
for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
  const a = r[i], b = r[j];
  if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
}
return n;
"#;

#[tokio::test(flavor = "multi_thread")]
async fn paging_survives_clicks_on_the_page_still_loading() {
    let server = StandIn::start(true).await;
    // Project 2 has 5 seeded dashboards; 250 more make three pages of 100.
    server.add_dashboards(2, 250).await;
    let b = Browser::start().await;
    b.goto(&format!("{}/project/2/dashboards", server.url))
        .await;
    b.wait_count("tbody tr", 100).await;
    assert!(b.body_text().await.contains("255 dashboards"));

    // The second click lands on the list that is still on screen while page 2 loads.
    b.button("Next page").await.click().await.unwrap();
    b.button("Next page").await.click().await.unwrap();
    b.wait_path("/project/2/dashboards?page=3").await;
    b.wait_count("tbody tr", 55).await;
    b.wait_for("the last page's Next page button disabled", || async {
        let next = b.button("Next page").await;
        (next.attr("disabled").await.unwrap().is_some()).then_some(())
    })
    .await;

    // Back in history returns to page 2 with its rows.
    b.client.back().await.unwrap();
    b.wait_path("/project/2/dashboards?page=2").await;
    b.wait_count("tbody tr", 100).await;
    b.finish().await;
}

/// The query strings of the page's reads of `path` so far, in order.
async fn reads_of(b: &Browser, path: &str) -> Vec<String> {
    let reads = b
        .js(&format!(
            "return performance.getEntriesByType('resource')\
               .map(e => new URL(e.name))\
               .filter(u => u.pathname === '{path}')\
               .map(u => u.search)"
        ))
        .await;
    serde_json::from_value(reads).unwrap()
}

/// The API reads of dashboard `id` of project 1 the page has made so far.
async fn dashboard_reads(b: &Browser, id: i64) -> usize {
    reads_of(b, &format!("/api/projects/1/dashboards/{id}/"))
        .await
        .len()
}

/// The list reads of project 1 so far, by their query strings.
async fn list_reads(b: &Browser) -> Vec<String> {
    reads_of(b, "/api/projects/1/dashboards/").await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_link_reads_its_page_once_as_the_app_starts() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    // The read of a searched list goes out before the pages are built; the list takes its answer.
    b.goto(&format!(
        "{}/project/1/dashboards?search=funnel",
        server.url
    ))
    .await;
    b.wait_count("tbody tr", 3).await;
    assert_eq!(list_reads(&b).await, ["?search=funnel&limit=100&offset=0"]);

    // A new search reads again: the early answer was for the first list only.
    b.field("Search dashboards").await.clear().await.unwrap();
    b.type_into("Search dashboards", "traffic").await;
    b.wait_path("/project/1/dashboards?search=traffic").await;
    let traffic = "?search=traffic&limit=100&offset=0";
    b.wait_for("the new search's read", || async {
        list_reads(&b)
            .await
            .contains(&traffic.to_string())
            .then_some(())
    })
    .await;
    let reads = list_reads(&b).await;
    assert_eq!(reads[0], "?search=funnel&limit=100&offset=0");
    assert_eq!(reads.iter().filter(|r| *r == &reads[0]).count(), 1);
    b.link("Website traffic").await;
    b.assert_no_errors().await;
    b.finish().await;
}

/// This tab's note of the last page read (src/api/early.rs): page, URL, header, timeout.
async fn early_note(b: &Browser) -> Vec<String> {
    let note = b
        .js("return sessionStorage.getItem('dashdeck.early') || ''")
        .await;
    note.as_str()
        .unwrap()
        .split('\n')
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_sends_the_pages_read_while_the_wasm_loads() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    let page = format!("{}/project/1/dashboards/1", server.url);
    b.goto(&page).await;
    b.heading("Product KPIs").await;
    let note = early_note(&b).await;
    assert_eq!(note[0], "/project/1/dashboards/1");
    assert_eq!(
        note[1],
        format!("{}/api/projects/1/dashboards/1/", server.url)
    );
    assert!(note[2].starts_with("Bearer "), "the header the app sends");
    // A dialog's read (the dashboards a tile can move to) is not the page's: the note stays.
    b.wait_more_than("article.tile", 3).await;
    let menu = b.first_tile_menu().await;
    b.click(&menu).await;
    b.click("Move to another dashboard").await;
    b.wait_more_than("dialog li button", 2).await;
    assert_eq!(early_note(&b).await, note);
    b.press_escape().await;

    // Loaded again in this tab, the page's read leaves before the wasm runs, and only once.
    b.goto(&page).await;
    b.heading("Product KPIs").await;
    b.wait_more_than("article.tile", 3).await;
    assert_eq!(dashboard_reads(&b, 1).await, 1);
    let early = b
        .js("const read = performance.getEntriesByType('resource').find(e => e.name.endsWith('/api/projects/1/dashboards/1/')); \
             return read.startTime < performance.getEntriesByName('dashdeck:main')[0].startTime")
        .await;
    assert_eq!(
        early,
        serde_json::json!(true),
        "the boot script sent the read"
    );

    // The list's read replaces the note; a note for another page is not used.
    b.link("Back to dashboards").await.click().await.unwrap();
    b.wait_count("tbody tr", 34).await;
    assert_eq!(early_note(&b).await[0], "/project/1/dashboards");
    b.goto(&page).await;
    b.heading("Product KPIs").await;
    assert_eq!(dashboard_reads(&b, 1).await, 1);
    assert_eq!(
        list_reads(&b).await,
        Vec::<String>::new(),
        "no read of the list"
    );
    b.assert_no_errors().await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dashboard_link_reads_the_dashboard_once_as_the_app_starts() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    // The read goes out before the pages are built; the page takes its answer.
    b.goto(&format!("{}/project/1/dashboards/1", server.url))
        .await;
    b.heading("Product KPIs").await;
    b.wait_more_than("article.tile", 3).await;
    assert_eq!(dashboard_reads(&b, 1).await, 1);

    // Opening it again later reads it afresh.
    b.link("Back to dashboards").await.click().await.unwrap();
    b.wait_count("tbody tr", 34).await;
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_for("a second read", || async {
        (dashboard_reads(&b, 1).await == 2).then_some(())
    })
    .await;

    // A link to a dashboard that does not exist says so.
    b.goto(&format!("{}/project/1/dashboards/999999", server.url))
        .await;
    b.heading("Dashboard not found").await;
    assert_eq!(dashboard_reads(&b, 999999).await, 1);
    b.assert_no_errors().await;
    b.finish().await;
}
