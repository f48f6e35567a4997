//! Arranging tiles with real pointer actions and the keyboard, saving, discarding, a failed save,
//! text tiles, removing with undo and duplicating, in Chromium against the stand-in.

use std::time::Duration;

use dashdeck_e2e::{Browser, StandIn};
use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::Locator;

const FIRST: &str = "document.querySelector('.tile-grid article.tile')";

async fn open(b: &Browser, server: &StandIn, query: &str) {
    b.goto(&format!("{}/project/1/dashboards/1{query}", server.url))
        .await;
    b.heading("Product KPIs").await;
    b.wait_more_than("article.tile", 3).await;
}

/// Counts the page's beforeunload listeners from now on in `window.__beforeunload`.
const COUNT_BEFOREUNLOAD: &str = "window.__beforeunload = 0; \
    const add = window.addEventListener, remove = window.removeEventListener; \
    window.addEventListener = function (type, ...rest) { \
      if (type === 'beforeunload') window.__beforeunload++; return add.call(this, type, ...rest); }; \
    window.removeEventListener = function (type, ...rest) { \
      if (type === 'beforeunload') window.__beforeunload--; return remove.call(this, type, ...rest); };";

async fn first_style(b: &Browser) -> String {
    let style = b.js(&format!("return {FIRST}.getAttribute('style')")).await;
    let style = style.as_str().unwrap_or_default();
    // Only the grid placement: a drag adds a transform while it runs.
    style.split(';').take(2).collect::<Vec<_>>().join(";")
}

async fn wait_style(b: &Browser, what: &str, check: impl Fn(&str) -> bool) -> String {
    b.wait_for(what, || async {
        let s = first_style(b).await;
        check(&s).then_some(s)
    })
    .await
}

/// Drags the first tile (or its resize handle) by (dx, dy) pixels with a real mouse.
async fn drag(b: &Browser, handle: bool, dx: f64, dy: f64) {
    let css = if handle {
        ".tile-grid article.tile .resize-handle"
    } else {
        ".tile-grid article.tile"
    };
    b.js(&format!("{FIRST}.scrollIntoView()")).await;
    let element = b.client.find(Locator::Css(css)).await.unwrap();
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(150)),
            x: dx / 2.0,
            y: dy / 2.0,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(150)),
            x: dx / 2.0,
            y: dy / 2.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    b.client.perform_actions(mouse).await.unwrap();
    b.client.release_actions().await.unwrap();
}

/// Presses Shift+ArrowDown (make the focused tile one row taller) on the keyboard.
async fn taller(b: &Browser) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: '\u{E008}' })
        .then(KeyAction::Down { value: '\u{E015}' })
        .then(KeyAction::Up { value: '\u{E015}' })
        .then(KeyAction::Up { value: '\u{E008}' });
    b.client.perform_actions(keys).await.unwrap();
    b.client.release_actions().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn drag_resize_save_reload_keyboard_discard_and_failed_save() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    open(&b, &server, "").await;
    let before = first_style(&b).await;

    // `E` enters edit mode and puts it in the URL.
    b.js("document.body.focus()").await;
    b.client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("e")
        .await
        .unwrap();
    b.wait_path("/project/1/dashboards/1?edit=1").await;
    b.button("Save layout").await;

    // Make the first tile two columns narrower by its handle, then drag it two columns right.
    drag(&b, true, -200.0, 0.0).await;
    let narrower = wait_style(&b, "the tile to shrink", |s| s != before).await;
    drag(&b, false, 200.0, 0.0).await;
    let resized = wait_style(&b, "the tile to move", |s| s != narrower).await;
    b.button("Save layout").await.click().await.unwrap();
    b.wait_path("/project/1/dashboards/1").await;
    b.button("Edit layout").await;

    b.client.refresh().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_for("the saved layout", || async {
        let tiles = b.count("article.tile").await;
        (tiles > 3).then_some(())
    })
    .await;
    let persisted = b
        .js(&format!(
            "return [...document.querySelectorAll('article.tile')].some(t => t.getAttribute('style').startsWith({}))",
            serde_json::json!(resized)
        ))
        .await;
    assert_eq!(persisted, true, "a tile is where it was dragged: {resized}");

    // Keyboard: Shift+arrows resize (arrows move) the focused tile and announce it; Discard restores.
    open(&b, &server, "?edit=1").await;
    let saved = first_style(&b).await;
    b.js(&format!("{FIRST}.focus()")).await;
    taller(&b).await;
    wait_style(&b, "the keyboard move", |s| s != saved).await;
    let live = b
        .js("return document.querySelector('[aria-live=polite]').textContent")
        .await;
    assert!(live.as_str().unwrap().starts_with("Resized "), "{live}");
    // The back button asks before leaving unsaved changes; staying keeps them. (Edit mode is
    // entered in the app here, so that Back is a same-page history step.)
    open(&b, &server, "").await;
    b.button("Edit layout").await.click().await.unwrap();
    b.wait_path("/project/1/dashboards/1?edit=1").await;
    b.js(COUNT_BEFOREUNLOAD).await;
    b.js(&format!("{FIRST}.focus()")).await;
    taller(&b).await;
    wait_style(&b, "the keyboard move", |s| s != saved).await;
    assert_eq!(b.js("return window.__beforeunload").await, 1);
    let here = b.path().await;
    let _ = b.client.back().await;
    let question = b
        .client
        .get_alert_text()
        .await
        .expect("a confirm before leaving");
    assert!(question.contains("unsaved layout changes"), "{question}");
    b.client.dismiss_alert().await.unwrap();
    b.wait_path(&here).await;
    b.heading("Product KPIs").await;
    assert_ne!(
        first_style(&b).await,
        saved,
        "the unsaved layout is still on screen"
    );
    b.button("Discard changes").await.click().await.unwrap();
    wait_style(&b, "the discarded layout", |s| s == saved).await;
    // The browser's own prompt (beforeunload) is listened for only while there are unsaved
    // changes: a page with such a listener cannot stay in the back/forward cache.
    assert_eq!(b.js("return window.__beforeunload").await, 0);

    // A failed save keeps the edited layout with the error and a retry.
    open(&b, &server, "?edit=1").await;
    b.js("const f = window.fetch; window.fetch = (r, o) => (r && r.method === 'PATCH') ? Promise.reject(new TypeError('offline')) : f(r, o);").await;
    b.js(&format!("{FIRST}.focus()")).await;
    taller(&b).await;
    let edited = wait_style(&b, "the keyboard move", |s| s != saved).await;
    b.button("Save layout").await.click().await.unwrap();
    b.alert_containing("Could not reach the PostHog host").await;
    b.button("Try again").await;
    assert_eq!(first_style(&b).await, edited, "the edit stays on screen");
    assert!(b.path().await.ends_with("?edit=1"));
    b.finish().await;
}

/// Opens the new text tile's actions menu and picks `action`.
async fn tile_action(b: &Browser, action: &str) {
    b.tile_action("Actions for Text: Release notes", action)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn text_tiles_remove_with_undo_and_duplicate() {
    let server = StandIn::start(true).await;
    let b = Browser::start().await;
    open(&b, &server, "").await;
    let tiles = b.count("article.tile").await;

    b.button("Add text").await.click().await.unwrap();
    b.heading("Add text").await;
    // A modal dialog named by its title, focus inside it; Escape with nothing typed closes it
    // and focus goes back to the button that opened it.
    assert_eq!(b.modal_title().await.as_deref(), Some("Add text"));
    b.wait_focus("Text (Markdown)").await;
    b.press_escape().await;
    b.wait_count("dialog", 0).await;
    b.wait_focus("Add text").await;

    b.button("Add text").await.click().await.unwrap();
    b.heading("Add text").await;
    b.type_into("Text (Markdown)", "## Release notes\nShipped **tiles**.")
        .await;
    // Escape over typed text asks first; saying no keeps the dialog and the text.
    b.press_escape().await;
    assert_eq!(b.wait_browser_dialog().await, "Discard what you typed?");
    b.client.dismiss_alert().await.unwrap();
    assert_eq!(b.modal_title().await.as_deref(), Some("Add text"));
    let kept = b
        .field("Text (Markdown)")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("## Release notes\nShipped **tiles**.")
    );
    b.wait_for("the preview", || async {
        b.body_text()
            .await
            .contains("35 / 4000 characters")
            .then_some(())
    })
    .await;
    b.button("Save text").await.click().await.unwrap();
    b.wait_count("article.tile", tiles + 1).await;
    b.wait_focus("Add text").await;
    b.wait_for("the new text tile", || async {
        b.text_content()
            .await
            .contains("Shipped tiles.")
            .then_some(())
    })
    .await;

    // Escape without a change closes the editor at once; focus returns to the tile's menu button.
    tile_action(&b, "Edit text").await;
    b.heading("Edit text").await;
    assert_eq!(b.modal_title().await.as_deref(), Some("Edit text"));
    b.wait_focus("Text (Markdown)").await;
    b.press_escape().await;
    b.wait_count("dialog", 0).await;
    b.wait_focus("Actions for Text: Release notes").await;

    // Picking an action closed the menu.
    assert_eq!(b.count(".tile-actions .menu").await, 0);
    tile_action(&b, "Edit text").await;
    b.heading("Edit text").await;
    b.type_into("Text (Markdown)", &"x".repeat(4001)).await;
    b.wait_for("the counter", || async {
        b.body_text()
            .await
            .contains("4001 / 4000 characters")
            .then_some(())
    })
    .await;
    let save = b.button("Save text").await;
    assert!(save.attr("disabled").await.unwrap().is_some());
    b.type_into("Text (Markdown)", "## Release notes\nEdited.")
        .await;
    b.button("Save text").await.click().await.unwrap();
    b.wait_for("the edited text", || async {
        b.text_content().await.contains("Edited.").then_some(())
    })
    .await;
    // The tile re-rendered with its new text: focus is on its (new) menu button.
    b.wait_focus("Actions for Text: Release notes").await;

    tile_action(&b, "Remove from dashboard").await;
    b.wait_count("article.tile", tiles).await;
    b.button("Undo").await.click().await.unwrap();
    b.wait_count("article.tile", tiles + 1).await;

    tile_action(&b, "Duplicate").await;
    b.wait_count("article.tile", tiles + 2).await;

    tile_action(&b, "Remove from dashboard").await;
    b.wait_count("article.tile", tiles + 1).await;
    b.client.refresh().await.unwrap();
    b.heading("Product KPIs").await;
    b.wait_count("article.tile", tiles + 1).await;
    b.finish().await;
}
