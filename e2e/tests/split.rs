//! The release build's split: the first load fetches only the main module (precompressed, cached
//! for good), each rarely used part fetches its own file when first opened, and a part whose file
//! cannot be fetched says so and loads on Retry.

use dashdeck_e2e::{Browser, StandIn};

/// The files the page has fetched so far: (file name, bytes on the wire, bytes decoded).
async fn fetched(b: &Browser) -> Vec<(String, u64, u64)> {
    let entries = b
        .js("return performance.getEntriesByType('resource').map(e => \
             [new URL(e.name).pathname.split('/').pop(), e.encodedBodySize, e.decodedBodySize])")
        .await;
    entries
        .as_array()
        .expect("resource entries")
        .iter()
        .map(|e| {
            let size = |i: usize| e[i].as_u64().unwrap_or_default();
            (
                e[0].as_str().unwrap_or_default().to_owned(),
                size(1),
                size(2),
            )
        })
        .collect()
}

fn names(files: &[(String, u64, u64)], prefix: &str) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.0.starts_with(prefix))
        .map(|f| f.0.clone())
        .collect()
}

/// Waits for the modal dialog titled `title`: its code may still be on its way.
async fn wait_modal(b: &Browser, title: &str) {
    b.wait_for(&format!("the {title} dialog"), || async {
        (b.modal_title().await.as_deref() == Some(title)).then_some(())
    })
    .await;
}

/// Opens the demo project's list (config.json carries the demo key: no connect screen).
async fn open_demo_list(b: &Browser, server: &StandIn) {
    b.goto(&format!("{}/", server.url)).await;
    b.wait_path("/project/1/dashboards").await;
    b.wait_count("tbody tr", 34).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_load_is_the_main_module_and_parts_load_when_first_opened() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    open_demo_list(&b, &server).await;
    let files = fetched(&b).await;
    let main: Vec<_> = files
        .iter()
        .filter(|f| f.0.starts_with("dashdeck-") && f.0.ends_with("_bg.wasm"))
        .collect();
    assert_eq!(main.len(), 1, "one main module: {files:?}");
    let (_, wire, decoded) = main[0];
    assert!(
        wire * 2 < *decoded,
        "the main module travels compressed ({wire} of {decoded} bytes)"
    );
    for part in ["split_dialogs", "split_connect"] {
        assert_eq!(
            names(&files, part),
            Vec::<String>::new(),
            "{part} is not fetched up front"
        );
    }
    // Opening a dashboard is the likely next step: its file is fetched once the list is idle.
    b.wait_for("the dashboard's file, fetched ahead", || async {
        (!names(&fetched(&b).await, "split_dashboard").is_empty()).then_some(())
    })
    .await;
    assert_eq!(names(&fetched(&b).await, "split_dialogs").len(), 0);

    // A dashboard on screen: the dialogs' file (Share, Collaborators, Copy, and the list's New
    // dashboard, Import and bulk bar) is fetched ahead, once, and the Share dialog opens from it.
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_for("the dialogs' file, fetched ahead", || async {
        (names(&fetched(&b).await, "split_dialogs").len() == 1).then_some(())
    })
    .await;
    b.link("Share").await.click().await.unwrap();
    wait_modal(&b, "Share dashboard").await;
    assert_eq!(names(&fetched(&b).await, "split_dialogs").len(), 1);

    // Back on the list, the New dashboard dialog and the bulk bar come from the same file.
    b.press_escape().await;
    b.link("Back to dashboards").await.click().await.unwrap();
    b.wait_count("tbody tr", 34).await;
    b.click("New dashboard").await;
    wait_modal(&b, "New dashboard").await;
    b.press_escape().await;
    let checkbox = b.field("Select Product KPIs").await;
    checkbox.click().await.unwrap();
    b.wait_text("1 selected").await;
    assert_eq!(names(&fetched(&b).await, "split_dialogs").len(), 1);
    b.assert_no_errors().await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_part_whose_file_cannot_be_fetched_says_so_and_retry_loads_it() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    open_demo_list(&b, &server).await;
    // The network refuses the New dashboard dialog's file, as it would offline.
    b.js("const fetch = window.fetch; window.__refuse = true; \
          window.fetch = (url, ...rest) => window.__refuse && String(url).includes('split_dialogs') \
              ? Promise.reject(new TypeError('Failed to fetch')) : fetch(url, ...rest)")
        .await;
    b.click("New dashboard").await;
    let alert = b.alert_containing("could not load").await;
    assert_eq!(
        alert,
        "Dashdeck could not load the New dashboard dialog. Check the connection and try again.\nRetry"
    );
    assert_eq!(b.modal_title().await, None);
    b.js("window.__refuse = false").await;
    b.click("Retry").await;
    wait_modal(&b, "New dashboard").await;
    b.type_into("Name", "Made after a retry").await;
    assert_eq!(b.count("[role='alert']").await, 0);
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_that_sends_wasm_as_octet_stream_still_works() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    open_demo_list(&b, &server).await;
    // As an older nginx or an object store would send the split files.
    b.js("const fetch = window.fetch; \
          window.fetch = (url, ...rest) => String(url).includes('split_dialogs') \
              ? fetch(url, ...rest).then(async (r) => new Response(await r.arrayBuffer(), \
                    { status: 200, headers: { 'Content-Type': 'application/octet-stream' } })) \
              : fetch(url, ...rest)")
        .await;
    b.click("New dashboard").await;
    wait_modal(&b, "New dashboard").await;
    b.finish().await;
}
