//! Dashboard lifecycle in Chromium against the stand-in: create, inline edit, soft delete and
//! Undo, duplicate, and a failed PATCH rolling back while keeping the typed text.

use dashdeck_e2e::{keys, Browser, StandIn};

#[tokio::test(flavor = "multi_thread")]
async fn create_rename_pin_tag_delete_and_undo() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;

    // The dialog is addressable by URL. It is modal and named by its title, takes focus, and
    // Escape with nothing typed closes it (and leaves the URL), handing focus back.
    b.click("New dashboard").await;
    b.wait_path("/project/1/dashboards?new=1").await;
    b.heading("New dashboard").await;
    assert_eq!(b.modal_title().await.as_deref(), Some("New dashboard"));
    b.wait_focus("Name").await;
    b.press_escape().await;
    b.wait_count("dialog", 0).await;
    b.wait_for("the URL without ?new=1", || async {
        (b.path().await == "/project/1/dashboards").then_some(())
    })
    .await;
    b.wait_focus("New dashboard").await;

    b.click("New dashboard").await;
    b.heading("New dashboard").await;
    b.click("Create").await;
    b.alert_containing("Enter a name.").await;
    b.type_into("Name", "Launch review").await;
    // Escape over a typed name asks first; saying no keeps the dialog and the name.
    b.press_escape().await;
    assert_eq!(b.wait_browser_dialog().await, "Discard what you typed?");
    b.client.dismiss_alert().await.unwrap();
    assert_eq!(b.modal_title().await.as_deref(), Some("New dashboard"));
    let kept = b.field("Name").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("Launch review"));
    b.type_into("Description", "Numbers for the launch").await;
    b.click("Create and open").await;
    b.heading("Launch review").await;
    b.wait_path("/project/1/dashboards/").await;

    b.click("Edit name").await;
    b.type_into("Name", "Launch retro").await;
    b.click("Save").await;
    b.heading("Launch retro").await;
    b.wait_for("the rename toast", || async {
        b.body_text()
            .await
            .contains("Dashboard renamed.")
            .then_some(())
    })
    .await;

    b.click("Pin").await;
    b.button("Unpin").await;
    b.type_into("New tag", "Launch").await;
    b.click("Add tag").await;
    b.button("Remove tag launch").await;

    // Undo in the toast PATCHes the tag back off.
    b.click("Undo").await;
    b.wait_count("[aria-label='Remove tag launch']", 0).await;
    b.type_into("New tag", "launch").await;
    b.click("Add tag").await;
    b.button("Remove tag launch").await;

    // Delete asks in a modal dialog that takes focus to the name field; Escape closes it and
    // focus goes back to the button that opened it.
    b.click("Delete dashboard").await;
    b.heading("Delete dashboard").await;
    assert_eq!(b.modal_title().await.as_deref(), Some("Delete dashboard"));
    b.wait_focus("Type the dashboard name to confirm").await;
    b.press_escape().await;
    b.wait_count("dialog", 0).await;
    b.wait_focus("Delete dashboard").await;

    b.click("Delete dashboard").await;
    b.heading("Delete dashboard").await;
    b.field("Also delete insights that are only on this dashboard")
        .await;
    b.type_into("Type the dashboard name to confirm", "Launch retro")
        .await;
    b.click("Delete").await;
    b.heading("Dashboards").await;
    b.wait_for("the delete toast", || async {
        b.body_text()
            .await
            .contains("Deleted “Launch retro”.")
            .then_some(())
    })
    .await;
    b.wait_count("tbody tr", 34).await;
    b.click("Undo").await;
    b.wait_count("tbody tr", 35).await;
    b.link("Launch retro").await;
    let pinned = b
        .js("return document.querySelector('tbody tr').textContent")
        .await;
    assert!(
        pinned.as_str().unwrap().contains("Launch retro"),
        "restored, pinned first"
    );
    b.finish().await;
}

async fn duplicate(copy_tiles: bool, name: &str) {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.goto(&format!("{}/project/1/dashboards?new=1", server.url))
        .await;
    b.type_into("Name", name).await;
    let start = b.field("Start from").await;
    start.select_by_value("duplicate").await.unwrap();
    if !copy_tiles {
        let tiles = b.field("Duplicate this dashboard's tiles").await;
        tiles.click().await.unwrap();
    }
    b.click("Create and open").await;
    b.heading(name).await;
    b.wait_for("duplicated tiles", || async {
        (b.count(".tile").await > 0).then_some(())
    })
    .await;
    // Deep copies rename their insights "<name> (Copy)"; shallow ones share them.
    let text = b.body_text().await;
    assert_eq!(text.contains("(Copy)"), copy_tiles, "{name}:\n{text}");
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicate_without_copying_tiles_shares_the_insights() {
    duplicate(false, "Shallow copy").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicate_with_tiles_deep_copies_the_insights() {
    duplicate(true, "Deep copy").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_patch_rolls_back_and_keeps_the_typed_name() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    // Grace may edit Product KPIs, but her key lacks `dashboard:write`: PostHog answers 403.
    b.open_project(&server, keys::READ_ONLY).await;
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    b.click("Edit name").await;
    b.type_into("Name", "Renamed KPIs").await;
    b.click("Save").await;
    b.alert_containing("dashboard:write").await;
    b.heading("Product KPIs").await;
    let typed = b.field("Name").await.prop("value").await.unwrap();
    assert_eq!(
        typed.as_deref(),
        Some("Renamed KPIs"),
        "the typed name is kept"
    );
    b.finish().await;
}
