//! Component tests in headless Chromium: mount one component, act, assert on the DOM.
#![cfg(target_arch = "wasm32")]

use dashdeck::api::models::{Dashboard, Tile};
use dashdeck::api::ApiError;
use dashdeck::components::board::Board;
use dashdeck::components::connect_form::ConnectForm;
use dashdeck::components::dashboard_row::DashboardRow;
use dashdeck::components::error_message::ErrorMessage;
use dashdeck::components::tile::{TileGrid, TileView};
use dashdeck::logic::layout::Rect;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the document body.
fn container() -> HtmlElement {
    let document = document();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

/// Lets Leptos apply pending DOM updates (they are asynchronous).
async fn settle() {
    leptos::task::tick().await;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector)
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn dashboard(json: &str) -> Dashboard {
    serde_json::from_str(json).unwrap()
}

fn mount_row(dashboard: Dashboard) -> HtmlElement {
    let root = container();
    let table = document().create_element("table").unwrap();
    let tbody = document().create_element("tbody").unwrap();
    table.append_child(&tbody).unwrap();
    root.append_child(&table).unwrap();
    let handle = mount_to(tbody.unchecked_into(), move || {
        let selection = RwSignal::new(dashdeck::logic::bulk::Selection::default());
        let order: std::sync::Arc<[i64]> = [dashboard.id].into();
        view! { <DashboardRow dashboard=dashboard.clone() project_id=1 selection=selection order=order /> }
    });
    handle.forget();
    root
}

#[wasm_bindgen_test]
async fn dashboard_row_shows_link_badges_and_tags() {
    let root = mount_row(dashboard(
        r#"{"id": 42, "name": "Product KPIs", "description": "Weekly product health",
            "pinned": true, "is_shared": true, "tags": ["kpi", "weekly"],
            "created_at": "2025-10-02T09:14:03.518402Z",
            "created_by": {"id": 1, "first_name": "Ada", "last_name": "Lovelace", "email": "a@x"},
            "effective_privilege_level": 37}"#,
    ));
    settle().await;
    let link = find(&root, "a").unwrap();
    assert_eq!(link.text_content().unwrap(), "Product KPIs");
    assert_eq!(
        link.get_attribute("href").unwrap(),
        "/project/1/dashboards/42"
    );
    assert!(find(&root, "[aria-label='Pinned']").is_some());
    assert_eq!(text(&root, ".badge-shared"), "Shared");
    assert!(find(&root, ".badge-lock").is_none(), "editable: no lock");
    assert_eq!(count(&root, ".tags li"), 2);
    assert!(root.text_content().unwrap().contains("Ada Lovelace"));
    assert!(root.text_content().unwrap().contains("2 Oct 2025"));
}

#[wasm_bindgen_test]
async fn dashboard_row_untitled_and_read_only() {
    let root = mount_row(dashboard(
        r#"{"id": 7, "name": null, "pinned": false, "is_shared": false,
            "effective_privilege_level": 21}"#,
    ));
    settle().await;
    let link = find(&root, "a").unwrap();
    assert_eq!(link.text_content().unwrap(), "Untitled");
    assert!(link.class_list().contains("untitled"));
    let lock = find(
        &root,
        "[aria-label='Read-only: you can view but not edit this dashboard']",
    );
    assert!(lock.is_some());
    assert!(find(&root, "[aria-label='Pinned']").is_none());
    assert!(find(&root, ".badge-shared").is_none());
}

fn mount_tile(json: &str) -> HtmlElement {
    mount_tile_at(json, 0)
}

fn mount_tile_at(json: &str, y: i64) -> HtmlElement {
    let tile: Tile = serde_json::from_str(json).unwrap();
    let root = container();
    let rect = Rect {
        x: 6,
        y,
        w: 6,
        h: 5,
    };
    mount_to(
        root.clone(),
        move || view! { <TileView tile=tile.clone() rect=rect /> },
    )
    .forget();
    root
}

#[wasm_bindgen_test]
async fn insight_tile_shows_title_kind_and_placement() {
    let root = mount_tile(
        r#"{"id": 1001, "color": "blue", "layouts": {},
            "insight": {"id": 311, "name": null, "derived_name": "Pageview count",
                        "description": "All traffic",
                        "query": {"kind": "InsightVizNode", "source": {"kind": "FunnelsQuery"}},
                        "result": [{"name": "user signed up", "count": 8499}]}}"#,
    );
    settle().await;
    let article = find(&root, "article.tile").unwrap();
    assert_eq!(
        article.get_attribute("aria-labelledby").unwrap(),
        "tile-1001-title"
    );
    assert_eq!(text(&root, "#tile-1001-title"), "Pageview count");
    assert_eq!(text(&root, ".badge-kind"), "Funnels");
    assert_eq!(text(&root, ".tile-description"), "All traffic");
    assert_eq!(text(&root, ".preview-funnel li"), "user signed up8,499");
    assert_eq!(count(&root, ".preview-funnel .bar"), 1);
    assert!(article.class_list().contains("tile-color-blue"));
    let style = article.get_attribute("style").unwrap();
    assert!(style.contains("grid-column: 7 / span 6"), "{style}");
    assert!(style.contains("grid-row: 1 / span 5"), "{style}");
}

#[wasm_bindgen_test]
async fn untitled_insight_tile() {
    let root = mount_tile(r#"{"id": 5, "insight": {"id": 1, "name": null, "query": null}}"#);
    settle().await;
    assert_eq!(text(&root, "#tile-5-title"), "Untitled insight");
    assert!(find(&root, "h2#tile-5-title.tile-title.untitled").is_some());
    assert_eq!(text(&root, ".badge-kind"), "Insight");
}

#[wasm_bindgen_test]
async fn hostile_text_tile_stays_text() {
    let body = "## Notes\n<script>window.__pwned = 1</script>\n\n<img src=x onerror=\"window.__pwned = 2\">\n\n[click me](javascript:window.__pwned=3) and [docs](https://posthog.com/docs)";
    let json = serde_json::json!({"id": 9, "color": "url(javascript:x)", "text": {"body": body}});
    let root = mount_tile(&json.to_string());
    settle().await;
    assert_eq!(count(&root, "script"), 0);
    assert_eq!(count(&root, "img"), 0);
    let content = root.text_content().unwrap();
    assert!(content.contains("<script>window.__pwned = 1</script>"));
    assert!(content.contains("<img src=x onerror=\"window.__pwned = 2\">"));
    assert!(content.contains("click me"));
    let links = root.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 1, "only the https link is a link");
    let link: Element = links.item(0).unwrap().unchecked_into();
    assert_eq!(
        link.get_attribute("href").unwrap(),
        "https://posthog.com/docs"
    );
    // Links are cloned from one prototype: each has its own text and the new-tab attributes.
    assert_eq!(link.text_content().unwrap(), "docs");
    assert_eq!(link.get_attribute("target").unwrap(), "_blank");
    assert_eq!(
        link.get_attribute("rel").unwrap(),
        "noopener noreferrer nofollow"
    );
    assert_eq!(text(&root, "h4"), "Notes");
    assert_eq!(text(&root, "#tile-9-title"), "Text: Notes");
    let article = find(&root, "article").unwrap();
    assert!(
        !article.class_name().contains("tile-color"),
        "unknown colour ignored"
    );
    let pwned = js_sys::Reflect::get(&window(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());
}

#[wasm_bindgen_test]
async fn error_message_quotes_posthog_and_offers_retry() {
    let root = container();
    let retried = RwSignal::new(0);
    let error = ApiError::Unauthenticated {
        detail: "Personal API key found in request Authorization header is invalid.".into(),
    };
    mount_to(root.clone(), move || {
        view! { <ErrorMessage error=error.clone() on_retry=move |_| retried.update(|n| *n += 1) /> }
    })
    .forget();
    settle().await;
    let alert = find(&root, "[role='alert']").unwrap();
    assert!(alert
        .text_content()
        .unwrap()
        .contains("Personal API key found in request Authorization header is invalid."));
    let button: HtmlElement = find(&root, "button").unwrap().unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Try again");
    button.click();
    settle().await;
    assert_eq!(retried.get_untracked(), 1);
}

/// Counts `fetch` calls made after this point (the app calls `window.fetch`).
fn spy_on_fetch() {
    js_sys::eval(
        "if (!window.__realFetch) { window.__realFetch = window.fetch; }
         window.__fetchCount = 0;
         window.fetch = function (...args) { window.__fetchCount += 1; return window.__realFetch(...args); };",
    )
    .unwrap();
}

fn fetch_count() -> f64 {
    js_sys::Reflect::get(&window(), &"__fetchCount".into())
        .unwrap()
        .as_f64()
        .unwrap()
}

fn mount_connect_form() -> HtmlElement {
    let root = container();
    mount_to(root.clone(), || {
        view! { <ConnectForm initial_host="" on_connected=|_| panic!("must not connect") /> }
    })
    .forget();
    root
}

fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).unwrap().unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn click_connect(root: &Element) {
    let button: HtmlElement = find(root, "button[type='submit']")
        .unwrap()
        .unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Connect");
    button.click();
}

#[wasm_bindgen_test]
async fn connect_form_requires_a_key_without_a_request() {
    spy_on_fetch();
    let root = mount_connect_form();
    settle().await;
    type_into(&root, "#host", "http://127.0.0.1:8080");
    click_connect(&root);
    settle().await;
    let key_input = find(&root, "#api-key").unwrap();
    assert_eq!(key_input.get_attribute("type").unwrap(), "password");
    assert_eq!(
        key_input.get_attribute("aria-describedby").as_deref(),
        Some("api-key-error")
    );
    assert_eq!(
        key_input.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(text(&root, "#api-key-error").contains("Enter a personal API key"));
    assert!(find(&root, "#host-error").is_none(), "the host is fine");
    assert!(find(&root, "[role='alert']").is_none());
    assert_eq!(fetch_count(), 0.0);
}

#[wasm_bindgen_test]
async fn connect_form_rejects_a_bad_url_without_a_request() {
    spy_on_fetch();
    let root = mount_connect_form();
    settle().await;
    type_into(&root, "#host", "javascript:alert(1)");
    type_into(
        &root,
        "#api-key",
        "phx_demo_full_access_key_000000000000000000",
    );
    click_connect(&root);
    settle().await;
    let host_input = find(&root, "#host").unwrap();
    assert_eq!(
        host_input.get_attribute("aria-describedby").as_deref(),
        Some("host-error")
    );
    assert!(text(&root, "#host-error").contains("http:// or https://"));
    assert!(find(&root, "#api-key-error").is_none());
    assert_eq!(fetch_count(), 0.0);
}

/// config.json's `allowed_hosts`: a host the deployment does not list is refused beside the
/// host field, and no request (so no key) goes to it.
#[wasm_bindgen_test]
async fn connect_form_refuses_a_host_outside_allowed_hosts_without_a_request() {
    spy_on_fetch();
    let root = container();
    mount_to(root.clone(), || {
        let config = dashdeck::state::config::AppConfig::parse(
            r#"{"allowed_hosts": ["https://eu.posthog.com"]}"#,
        )
        .unwrap();
        provide_context(StoredValue::new(config));
        view! { <ConnectForm initial_host="" on_connected=|_| panic!("must not connect") /> }
    })
    .forget();
    settle().await;
    type_into(&root, "#host", "https://us.posthog.com");
    type_into(
        &root,
        "#api-key",
        "phx_demo_full_access_key_000000000000000000",
    );
    click_connect(&root);
    settle().await;
    assert_eq!(
        text(&root, "#host-error"),
        "This copy of Dashdeck may only connect to https://eu.posthog.com."
    );
    assert_eq!(fetch_count(), 0.0);
}

#[wasm_bindgen_test]
async fn connect_form_presets_fill_the_host() {
    let root = mount_connect_form();
    settle().await;
    let labels: Vec<String> = {
        let list = root.query_selector_all("label").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert!(labels.contains(&"PostHog host".to_string()));
    assert!(labels.contains(&"Personal API key".to_string()));
    assert!(labels.contains(&"Remember on this device".to_string()));
    let buttons = root.query_selector_all("button").unwrap();
    let eu: HtmlElement = (0..buttons.length())
        .map(|i| buttons.item(i).unwrap().unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap() == "EU Cloud")
        .unwrap();
    eu.click();
    settle().await;
    let host: HtmlInputElement = find(&root, "#host").unwrap().unchecked_into();
    assert_eq!(host.value(), "https://eu.posthog.com");
}

fn insight_tile(query: &str, result: &str) -> String {
    format!(
        r#"{{"id": 9, "insight": {{"id": 1, "name": "I", "query": {query}, "result": {result}, "columns": ["path", "views"]}}}}"#
    )
}

#[wasm_bindgen_test]
async fn insight_previews_for_each_result_kind() {
    let trends = r#"{"kind": "InsightVizNode", "source": {"kind": "TrendsQuery"}}"#;
    let root = mount_tile(&insight_tile(
        trends,
        r#"[{"label": "Signups", "data": [1, 4, 2]}, {"label": "Logins", "data": [3, 3, 3]}]"#,
    ));
    settle().await;
    assert_eq!(count(&root, "svg[role=img] polyline"), 2);
    assert_eq!(text(&root, "figcaption"), "SignupsLogins");
    // Built as SVG, not as unknown HTML elements, so the lines are drawn.
    let svg = find(&root, "svg[aria-label='Trends chart']").expect("the chart");
    assert_eq!(
        svg.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    let line = find(&root, "polyline.series-1").expect("the second line");
    assert_eq!(
        line.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(
        line.get_attribute("vector-effect").as_deref(),
        Some("non-scaling-stroke")
    );

    let funnel = r#"{"kind": "InsightVizNode", "source": {"kind": "FunnelsQuery"}}"#;
    let root = mount_tile(&insight_tile(
        funnel,
        r#"[{"name": "Viewed <b>", "count": 200}, {"name": "Paid", "count": 50}]"#,
    ));
    settle().await;
    assert_eq!(count(&root, ".preview-funnel li"), 2);
    assert_eq!(count(&root, ".preview-funnel b"), 0);
    assert_eq!(text(&root, ".preview-funnel li"), "Viewed <b>200");
    let bar = find(&root, ".preview-funnel li:nth-child(2) .bar").expect("the second bar");
    assert_eq!(bar.get_attribute("style").as_deref(), Some("width: 25%"));

    let bold = r#"{"kind": "InsightVizNode", "source": {"kind": "TrendsQuery", "trendsFilter": {"display": "BoldNumber"}}}"#;
    let root = mount_tile(&insight_tile(
        bold,
        r#"[{"label": "Revenue", "aggregated_value": 123456}]"#,
    ));
    settle().await;
    assert_eq!(text(&root, ".big-number"), "123,456");

    let sql = r#"{"kind": "DataTableNode", "source": {"kind": "HogQLQuery"}}"#;
    let root = mount_tile(&insight_tile(sql, r#"[["/", 10], ["/about", 3]]"#));
    settle().await;
    assert_eq!(text(&root, ".preview-table thead"), "pathviews");
    assert_eq!(count(&root, ".preview-table tbody tr"), 2);

    let root = mount_tile(&insight_tile(trends, "null"));
    settle().await;
    assert_eq!(text(&root, ".preview"), "Trends · No cached result");
}

fn press(target: &HtmlElement, key: &str, shift: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// A tile grid being arranged, with the live region it announces to, and its board.
async fn mount_arranged_grid(dashboard: Dashboard) -> (HtmlElement, Board) {
    let root = container();
    let board_slot = std::rc::Rc::new(std::cell::Cell::new(None));
    let slot = board_slot.clone();
    mount_to(root.clone(), move || {
        let board = Board::new(1, dashboard.clone(), Signal::stored(true));
        slot.set(Some(board));
        view! {
            <p class="live">{move || board.announce.get()}</p>
            <TileGrid board=board />
        }
    })
    .forget();
    settle().await;
    (root, board_slot.get().unwrap())
}

#[wasm_bindgen_test]
async fn keyboard_moves_a_tile_on_a_mounted_grid_and_announces_it() {
    let dashboard = dashboard(
        r##"{"id": 1, "tiles": [
            {"id": 1, "layouts": {"sm": {"x": 0, "y": 0, "w": 6, "h": 3}}, "text": {"body": "# One"}},
            {"id": 2, "layouts": {"sm": {"x": 0, "y": 3, "w": 6, "h": 3}}, "text": {"body": "# Two"}}
        ]}"##,
    );
    let (root, board) = mount_arranged_grid(dashboard).await;
    let first: HtmlElement = find(&root, "article.tile").unwrap().unchecked_into();
    assert_eq!(first.get_attribute("tabindex").as_deref(), Some("0"));
    press(&first, "ArrowDown", false);
    settle().await;
    assert!(first
        .get_attribute("style")
        .unwrap()
        .contains("grid-row: 4 / span 3"));
    assert_eq!(
        text(&root, ".live"),
        "Moved Text: One: column 1, row 4, 6 wide, 3 high."
    );
    assert!(board.dirty());
    press(&first, "ArrowRight", true);
    settle().await;
    assert!(first
        .get_attribute("style")
        .unwrap()
        .contains("grid-column: 1 / span 7"));
}

fn pointer(target: &HtmlElement, kind: &str, x: f64, y: f64) {
    let init = web_sys::PointerEventInit::new();
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    init.set_bubbles(true);
    init.set_pointer_id(1);
    let event = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// The grid places its tiles: a dragged tile follows the pointer from where it started, the
/// tile it pushes aside moves, and on release it lands at its new place.
#[wasm_bindgen_test]
async fn a_dragged_tile_follows_the_pointer_and_lands_where_the_layout_puts_it() {
    let dashboard = dashboard(
        r##"{"id": 1, "tiles": [
            {"id": 1, "layouts": {"sm": {"x": 0, "y": 0, "w": 6, "h": 3}}, "text": {"body": "# One"}},
            {"id": 2, "layouts": {"sm": {"x": 0, "y": 3, "w": 6, "h": 3}}, "text": {"body": "# Two"}},
            {"id": 3, "layouts": {"sm": {"x": 6, "y": 0, "w": 6, "h": 2}}, "text": {"body": "# Three"}}
        ]}"##,
    );
    let (root, board) = mount_arranged_grid(dashboard).await;
    let tile = |id: i64| -> HtmlElement {
        find(&root, &format!("article[data-tile='{id}']"))
            .unwrap()
            .unchecked_into()
    };
    let style = |id: i64| tile(id).get_attribute("style").unwrap();
    // Every tile's style is its place in the board's layout; `moved` is carried by the pointer.
    let placed_as_laid_out = |moved: Option<(i64, &str)>| {
        for item in board.layout.get_untracked() {
            let style = style(item.id);
            match moved {
                Some((id, shift)) if id == item.id => assert!(style.contains(shift), "{style}"),
                _ => {
                    let place = format!(
                        "grid-column: {}; grid-row: {};",
                        item.rect.grid_column(),
                        item.rect.grid_row()
                    );
                    assert!(style.starts_with(&place), "tile {}: {style}", item.id);
                    assert!(!style.contains("transform"), "{style}");
                }
            }
        }
    };
    placed_as_laid_out(None);
    assert!(style(2).contains("grid-row: 4 / span 3"));

    let two = tile(2);
    pointer(&two, "pointerdown", 10.0, 200.0);
    // Three rows up (56 px each): tile 2 takes tile 1's place, which moves down below it.
    pointer(&two, "pointermove", 10.0, 200.0 - 3.0 * 56.0);
    settle().await;
    let carried = style(2);
    assert!(carried.contains("grid-row: 4 / span 3"), "{carried}");
    assert!(carried.contains("translate(0px, -168px)"), "{carried}");
    assert!(board.dirty());
    placed_as_laid_out(Some((2, "translate(0px, -168px)")));
    assert!(style(1).contains("grid-row: 4 / span 3"));

    pointer(&two, "pointerup", 10.0, 200.0 - 3.0 * 56.0);
    settle().await;
    placed_as_laid_out(None);
    assert!(style(2).contains("grid-row: 1 / span 3"));
    // Tile 3 was not in the way and was not touched.
    assert!(style(3).contains("grid-row: 1 / span 2"));
}

/// A tile's "Actions for …" button is part of its static content; the grid opens its menu under
/// it, says so in `aria-expanded`, and while tiles are arranged makes them focusable instead.
#[wasm_bindgen_test]
async fn the_actions_menu_opens_under_its_tile_and_arranging_makes_tiles_movable() {
    let dashboard = dashboard(
        r##"{"id": 1, "tiles": [
            {"id": 1, "layouts": {"sm": {"x": 0, "y": 0, "w": 6, "h": 3}}, "text": {"body": "# One"}},
            {"id": 2, "color": "red", "layouts": {"sm": {"x": 6, "y": 0, "w": 6, "h": 3}}, "text": {"body": "# Two"}}
        ]}"##,
    );
    let root = container();
    let editing = RwSignal::new(false);
    mount_to(root.clone(), move || {
        let board = Board::new(1, dashboard.clone(), editing.into());
        view! { <TileGrid board=board /> }
    })
    .forget();
    settle().await;
    let button = |n: &str| {
        find(
            &root,
            &format!("button[aria-label='Actions for Text: {n}']"),
        )
    };
    let two: HtmlElement = button("Two")
        .expect("the second tile's button")
        .unchecked_into();
    assert_eq!(two.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(two.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert_eq!(count(&root, "[role=group]"), 0);
    assert_eq!(count(&root, "article[tabindex]"), 0);

    two.click();
    settle().await;
    assert_eq!(two.get_attribute("aria-expanded").as_deref(), Some("true"));
    let menu =
        find(&root, "article[data-tile='2'] .tile-actions > [role=group]").expect("the menu");
    assert_eq!(
        menu.get_attribute("aria-label").as_deref(),
        Some("Actions for Text: Two")
    );
    assert!(menu.text_content().unwrap().contains("Edit text"));
    assert_eq!(
        find(&root, "article[data-tile='2'] select option:checked")
            .and_then(|o| o.text_content())
            .as_deref(),
        Some("red")
    );
    // One menu at a time.
    let one: HtmlElement = button("One").unwrap().unchecked_into();
    one.click();
    settle().await;
    assert_eq!(two.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert_eq!(one.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert_eq!(count(&root, "[role=group]"), 1);
    assert!(find(&root, "article[data-tile='1'] [role=group]").is_some());

    // Arranging hides the menu and makes the tiles movable.
    editing.set(true);
    settle().await;
    assert_eq!(count(&root, "[role=group]"), 0);
    assert_eq!(one.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert_eq!(
        count(
            &root,
            "article[tabindex='0'][aria-roledescription='movable tile']"
        ),
        2
    );
    editing.set(false);
    settle().await;
    assert_eq!(count(&root, "article[tabindex]"), 0);
    assert_eq!(count(&root, "article[aria-roledescription]"), 0);
    // Hidden while arranging, the menu the board still names is back (the dashboard page closes
    // it when arranging starts); its button closes it.
    assert_eq!(one.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert_eq!(count(&root, "[role=group]"), 1);
    one.click();
    settle().await;
    assert_eq!(count(&root, "[role=group]"), 0);
    assert_eq!(one.get_attribute("aria-expanded").as_deref(), Some("false"));
}

fn mount_header(dashboard: Dashboard) -> HtmlElement {
    use dashdeck::api::ApiClient;
    use dashdeck::components::dashboard_header::DashboardHeader;
    let root = container();
    let handle = mount_to(root.clone(), move || {
        provide_context(ApiClient::new("http://127.0.0.1:9", "phx_test"));
        dashdeck::router::provide_router();
        view! { <DashboardHeader dashboard=dashboard.clone() project_id=1 /> }
    });
    handle.forget();
    root
}

#[wasm_bindgen_test]
async fn read_only_header_shows_the_lock_and_no_edit_controls() {
    let root = mount_header(dashboard(
        r#"{"id": 5, "name": "Locked", "tags": ["kpi"], "effective_privilege_level": 21}"#,
    ));
    settle().await;
    assert_eq!(text(&root, "h1"), "Locked");
    assert!(text(&root, ".lock-note").contains("only those invited"));
    assert!(find(&root, "[aria-label='Remove tag kpi']").is_none());
    let buttons: Vec<String> = (0..count(&root, "button"))
        .map(|i| {
            root.query_selector_all("button")
                .unwrap()
                .get(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(buttons, ["Export template JSON"]);
}

#[wasm_bindgen_test]
async fn editable_header_validates_the_name_before_sending() {
    let root = mount_header(dashboard(r#"{"id": 6, "name": "Open", "tags": ["kpi"]}"#));
    settle().await;
    assert!(find(&root, "[aria-label='Remove tag kpi']").is_some());
    let edit: HtmlElement = find(&root, "button").unwrap().unchecked_into();
    assert_eq!(edit.text_content().unwrap(), "Edit name");
    edit.click();
    settle().await;
    let input: HtmlInputElement = find(&root, ".inline-edit input").unwrap().unchecked_into();
    input.set_value(&"n".repeat(401));
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    let save: HtmlElement = find(&root, ".inline-edit button[type=submit]")
        .unwrap()
        .unchecked_into();
    save.click();
    settle().await;
    assert!(text(&root, ".field-error").contains("at most 400"));
    assert_eq!(text(&root, "h1"), "Open", "nothing was applied");
}

#[wasm_bindgen_test]
fn template_validator_points_at_the_tile() {
    let error = dashdeck::logic::template::parse(
        r#"{"template_name": "T", "dashboard_description": "", "dashboard_filters": {},
            "tiles": [{"type": "TEXT", "body": "x"}, {"name": "no type"}]}"#,
    )
    .unwrap_err();
    assert!(error.starts_with("tiles[1].type: missing"), "{error}");
}

mod sharing {
    use super::*;
    use dashdeck::api::sharing::SharingConfig;
    use dashdeck::components::sharing_dialog::{ShareAction, SharingForm};
    use web_sys::HtmlTextAreaElement;

    struct Mounted {
        root: HtmlElement,
        config: RwSignal<SharingConfig>,
        error: RwSignal<Option<String>>,
        actions: RwSignal<Vec<ShareAction>>,
    }

    fn mount_form(enabled: bool, locked: Option<&str>) -> Mounted {
        let root = container();
        let config = RwSignal::new(SharingConfig {
            enabled,
            access_token: "tok123".into(),
            settings: serde_json::json!({"legend": true}),
            user_access_level: Some("editor".into()),
        });
        let error = RwSignal::new(None);
        let actions = RwSignal::new(Vec::new());
        let locked = locked.map(str::to_owned);
        let busy = RwSignal::new(false);
        std::mem::forget(mount_to(root.clone(), move || {
            view! { <SharingForm host="https://ph.example".into() config=config locked=locked.clone()
            busy=busy error=error on_action=move |a| actions.update(|v| v.push(a)) /> }
        }));
        Mounted {
            root,
            config,
            error,
            actions,
        }
    }

    fn field(root: &Element, index: u32) -> HtmlTextAreaElement {
        root.query_selector_all("textarea")
            .unwrap()
            .item(index)
            .unwrap()
            .unchecked_into()
    }

    #[wasm_bindgen_test]
    async fn disabled_sharing_shows_no_link() {
        let m = mount_form(false, None);
        settle().await;
        let switch: HtmlInputElement = find(&m.root, "[role=switch]").unwrap().unchecked_into();
        assert!(!switch.checked() && !switch.disabled());
        assert_eq!(count(&m.root, "textarea"), 0);
        switch.click();
        settle().await;
        assert_eq!(m.actions.get_untracked(), vec![ShareAction::Enable(true)]);
    }

    #[wasm_bindgen_test]
    async fn enabled_sharing_shows_link_embed_and_options() {
        let m = mount_form(true, None);
        settle().await;
        assert_eq!(
            field(&m.root, 0).value(),
            "https://ph.example/shared/tok123?legend=true"
        );
        let embed = field(&m.root, 1).value();
        assert!(
            embed.starts_with("<iframe")
                && embed.contains("https://ph.example/embedded/tok123?legend=true"),
            "{embed}"
        );
        assert_eq!(
            find(&m.root, "iframe")
                .unwrap()
                .get_attribute("title")
                .as_deref(),
            Some("Preview of the embedded dashboard")
        );
        let whitelabel: HtmlInputElement = find(&m.root, "fieldset input[type=checkbox]")
            .unwrap()
            .unchecked_into();
        whitelabel.click();
        settle().await;
        assert_eq!(
            field(&m.root, 0).value(),
            "https://ph.example/shared/tok123?whitelabel=true&legend=true"
        );
        assert!(
            matches!(m.actions.get_untracked().last(), Some(ShareAction::Options(o)) if o.whitelabel && o.legend)
        );
        // Rotation asks first and explains the grace period.
        let rotate: HtmlElement = m
            .root
            .query_selector_all("button")
            .unwrap()
            .item(2)
            .unwrap()
            .unchecked_into();
        assert_eq!(rotate.text_content().unwrap(), "Rotate link");
        rotate.click();
        settle().await;
        assert!(text(&m.root, "[aria-label='Rotate link']").contains("keeps working for 5 minutes"));
        m.error.set(Some(
            "Public sharing is turned off for this organization.".into(),
        ));
        m.config.update(|c| c.access_token = "new456".into());
        settle().await;
        assert_eq!(
            text(&m.root, "[role=alert]"),
            "Public sharing is turned off for this organization."
        );
        assert!(field(&m.root, 0).value().contains("/shared/new456"));
    }

    #[wasm_bindgen_test]
    async fn read_only_users_see_why() {
        let m = mount_form(
            true,
            Some("You can see how this dashboard is shared but not change it."),
        );
        settle().await;
        assert!(text(&m.root, ".lock-note").contains("not change it"));
        let switch: HtmlInputElement = find(&m.root, "[role=switch]").unwrap().unchecked_into();
        assert!(switch.disabled());
        assert_eq!(
            field(&m.root, 0).value(),
            "https://ph.example/shared/tok123?legend=true"
        );
    }

    #[wasm_bindgen_test]
    async fn refused_clipboard_selects_the_text() {
        js_sys::eval("Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {writeText: () => Promise.reject(new Error('no'))}})").unwrap();
        let m = mount_form(true, None);
        settle().await;
        let copy: HtmlElement = m
            .root
            .query_selector_all("button")
            .unwrap()
            .item(0)
            .unwrap()
            .unchecked_into();
        assert_eq!(copy.text_content().unwrap(), "Copy link");
        copy.click();
        settle().await;
        settle().await;
        assert!(text(&m.root, "[role=status]").contains("text is selected"));
        let link = field(&m.root, 0);
        assert_eq!(
            link.selection_end().unwrap(),
            Some(link.value().len() as u32)
        );
        js_sys::eval("Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {writeText: () => Promise.resolve()}})").unwrap();
        copy.click();
        settle().await;
        settle().await;
        assert_eq!(text(&m.root, "[role=status]"), "Copied");
    }
}

/// Issue 5 "schema-valid surprises": values PostHog's OpenAPI schema allows but the app rarely
/// sees — nulls, unknown enum values, negative and huge ids, dates far in the past, junk layouts —
/// render as something sensible, without a panic.
#[wasm_bindgen_test]
async fn schema_valid_surprises_render_without_a_panic() {
    let row = mount_row(dashboard(
        r#"{"id": -42, "name": null, "description": null, "pinned": null, "is_shared": null,
            "created_at": "0001-01-01T00:00:00Z", "last_accessed_at": "1900-02-30T99:99:99Z",
            "created_by": {"id": 9007199254740993, "uuid": null, "first_name": null,
                           "last_name": null, "email": null},
            "tags": null, "tiles": null, "creation_mode": "created_by_a_future_posthog",
            "user_access_level": "overlord", "effective_privilege_level": 99,
            "effective_restriction_level": -1, "restriction_level": 99,
            "access_control_version": "v9", "brand_new_field": [1, {"x": null}]}"#,
    ));
    settle().await;
    let link = find(&row, "a").unwrap();
    assert_eq!(link.text_content().unwrap(), "Untitled");
    assert!(
        link.get_attribute("href")
            .unwrap()
            .ends_with("/dashboards/-42"),
        "{:?}",
        link.get_attribute("href")
    );

    let huge = mount_tile(
        r#"{"id": 9223372036854775807, "color": "ultraviolet", "layouts": {"sm": "wide", "xs": null},
            "insight": {"id": -1, "name": null, "derived_name": null, "description": null,
                        "query": {"kind": "SomeFutureQuery", "source": {"kind": 7}},
                        "result": {"unexpected": "shape"}, "columns": null},
            "text": null}"#,
    );
    settle().await;
    assert_eq!(
        text(&huge, "#tile-9223372036854775807-title"),
        "Untitled insight"
    );
    let article = find(&huge, "article.tile").unwrap();
    assert!(
        !article.class_name().contains("ultraviolet"),
        "unknown colours get no class"
    );

    let neither = mount_tile(r#"{"id": 0, "insight": null, "text": null, "layouts": null}"#);
    settle().await;
    assert_eq!(text(&neither, "#tile-0-title"), "Unsupported tile");

    let empty_text = mount_tile(r#"{"id": 3, "text": {"id": null, "body": null}}"#);
    settle().await;
    assert_eq!(text(&empty_text, "#tile-3-title"), "Text");
}

/// Issue 5 "the key": with `window.fetch` replaced by a recorder, every request the client makes —
/// including one whose path holds a hostile id from API data — goes to the configured host, carries
/// the key only in the Authorization header, and an error quoting the key does not repeat it.
#[wasm_bindgen_test]
async fn the_key_goes_only_to_the_configured_host_in_the_authorization_header() {
    use dashdeck::api::ApiClient;
    use dashdeck::logic::list_query::ServerListParams;
    const KEY: &str = "phx_secret_test_key_0123456789abcdefghij";
    let real_fetch = js_sys::Reflect::get(&window(), &"fetch".into()).unwrap();
    let recorder = js_sys::Function::new_with_args(
        "input, init",
        "const r = new Request(input, init);
         (window.__seen = window.__seen || []).push([r.url, r.headers.get('Authorization')]);
         if (r.url.includes('/users/@me/')) {
           return Promise.resolve(new Response(JSON.stringify({type: 'authentication_error',
             code: 'authentication_failed', detail: 'Personal API key phx_secret_test_key_0123456789abcdefghij is invalid.', attr: null}),
             {status: 401, headers: {'Content-Type': 'application/json'}}));
         }
         const body = r.url.includes('/dashboards/5/')
           ? (r.method === 'DELETE' ? null : JSON.stringify({id: 5, tiles: []}))
           : JSON.stringify({count: 0, next: 'https://evil.example/steal', previous: null, results: []});
         return Promise.resolve(new Response(body, {status: body ? 200 : 204, headers: {'Content-Type': 'application/json'}}));",
    );
    js_sys::Reflect::set(&window(), &"fetch".into(), &recorder).unwrap();

    let client = ApiClient::new("https://eu.posthog.com", KEY);
    let params = ServerListParams {
        search: "a b/../..".into(),
        tags: vec!["x&y".into()],
        limit: 100,
        offset: 0,
    };
    client.dashboards(1, &params, None).await.unwrap();
    client.dashboard(1, 5, None).await.unwrap();
    client
        .remove_collaborator(1, 5, "../../../users/@me")
        .await
        .unwrap();
    assert!(
        client.remove_collaborator(1, 5, "..").await.is_err(),
        "a dot segment is refused before any request"
    );
    let error = client.current_user().await.unwrap_err();
    js_sys::Reflect::set(&window(), &"fetch".into(), &real_fetch).unwrap();

    assert!(
        !error.user_message().contains(KEY),
        "{}",
        error.user_message()
    );
    assert!(!format!("{error:?}").contains(KEY));
    let seen = js_sys::Reflect::get(&window(), &"__seen".into()).unwrap();
    let seen: Vec<(String, String)> = serde_wasm_json(&seen);
    assert_eq!(seen.len(), 4, "{seen:?}");
    for (url, auth) in &seen {
        assert!(url.starts_with("https://eu.posthog.com/api/"), "{url}");
        assert!(!url.contains(KEY), "{url}");
        assert_eq!(auth, &format!("Bearer {KEY}"));
    }
    assert!(
        seen[2]
            .0
            .ends_with("/dashboards/5/collaborators/..%2F..%2F..%2Fusers%2F%40me/"),
        "{}",
        seen[2].0
    );
}

/// A JS value as JSON, read back with serde.
fn serde_wasm_json<T: serde::de::DeserializeOwned>(value: &wasm_bindgen::JsValue) -> T {
    let text = js_sys::JSON::stringify(value).unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Makes every `fetch` answer `status` with PostHog's error body `body`.
fn answer_fetch(status: u16, body: &str) {
    js_sys::eval(&format!(
        "window.fetch = () => Promise.resolve(new Response({}, {{status: {status}, headers: {{'Content-Type': 'application/json'}}}}))",
        serde_json::Value::from(body)
    ))
    .unwrap();
}

fn set_field(root: &Element, selector: &str, value: &str) {
    let field = find(root, selector).unwrap_or_else(|| panic!("no {selector}"));
    js_sys::Reflect::set(&field, &"value".into(), &value.into()).unwrap();
    field
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn mount_new_dashboard() -> HtmlElement {
    use dashdeck::api::ApiClient;
    use dashdeck::components::new_dashboard::NewDashboardDialog;
    let root = container();
    std::mem::forget(mount_to(root.clone(), move || {
        provide_context(ApiClient::new("http://127.0.0.1:9", "phx_test"));
        dashdeck::router::provide_router();
        view! { <NewDashboardDialog project_id=1 sources=Vec::new() on_close=|_| {} /> }
    }));
    root
}

async fn submit(root: &Element) {
    let create: HtmlElement = find(root, "button[type=submit]").unwrap().unchecked_into();
    create.click();
    settle().await;
    settle().await;
}

#[wasm_bindgen_test]
async fn a_400_naming_a_field_shows_beside_it_and_keeps_the_input() {
    let root = mount_new_dashboard();
    settle().await;
    // A modal dialog named by its title, focus on its first field.
    let dialog = find(&root, "dialog").expect("the dialog");
    assert!(dialog.matches(":modal").unwrap(), "opened with showModal()");
    assert_eq!(
        dialog.get_attribute("aria-labelledby").as_deref(),
        Some("new-dashboard-title")
    );
    assert_eq!(text(&root, "#new-dashboard-title"), "New dashboard");
    assert_eq!(
        document().active_element(),
        find(&root, "input[type=text]"),
        "focus moved to Name"
    );
    set_field(&root, "input[type=text]", "Launch review");
    set_field(&root, "textarea", "Too long a description");
    answer_fetch(
        400,
        r#"{"type":"validation_error","code":"max_length","detail":"Ensure this field has no more than 10 characters.","attr":"description"}"#,
    );
    submit(&root).await;
    let description = find(&root, "textarea").unwrap();
    assert_eq!(
        description.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        description.get_attribute("aria-describedby").as_deref(),
        Some("new-description-error")
    );
    assert_eq!(
        text(&root, "#new-description-error"),
        "Ensure this field has no more than 10 characters."
    );
    let name = find(&root, "input[type=text]").unwrap();
    assert_eq!(name.get_attribute("aria-invalid"), None, "only that field");
    assert_eq!(count(&root, ".error-message"), 0, "no form-level alert");
    let kept: HtmlInputElement = name.unchecked_into();
    assert_eq!(kept.value(), "Launch review");
    assert_eq!(
        js_sys::Reflect::get(&description, &"value".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("Too long a description")
    );

    // A 400 without a field is a form-level alert, and the field error goes away.
    answer_fetch(
        400,
        r#"{"type":"validation_error","code":"invalid_input","detail":"`use_dashboard` and `use_template` cannot be used together","attr":null}"#,
    );
    submit(&root).await;
    assert!(text(&root, ".error-message").contains("cannot be used together"));
    assert_eq!(count(&root, ".field-error"), 0);
    assert_eq!(
        find(&root, "textarea")
            .unwrap()
            .get_attribute("aria-invalid"),
        None
    );
    // Out of the top layer, so the page behind is no longer inert for the next test.
    root.remove();
}

#[wasm_bindgen_test]
async fn a_400_on_an_inline_rename_shows_beside_the_name_field() {
    let root = mount_header(dashboard(r#"{"id": 7, "name": "Open", "tags": []}"#));
    settle().await;
    let edit: HtmlElement = find(&root, "button").unwrap().unchecked_into();
    edit.click();
    settle().await;
    set_field(&root, ".inline-edit input", "Taken name");
    answer_fetch(
        400,
        r#"{"type":"validation_error","code":"invalid_input","detail":"A dashboard with this name exists.","attr":"name"}"#,
    );
    let save: HtmlElement = find(&root, ".inline-edit button[type=submit]")
        .unwrap()
        .unchecked_into();
    save.click();
    settle().await;
    settle().await;
    let input: HtmlInputElement = find(&root, ".inline-edit input").unwrap().unchecked_into();
    assert_eq!(input.value(), "Taken name", "the typed name is kept");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("name-error")
    );
    assert_eq!(
        text(&root, "#name-error"),
        "A dashboard with this name exists."
    );
    assert_eq!(text(&root, "h1"), "Open", "rolled back");
}

#[wasm_bindgen_test]
async fn copy_dialog_refuses_a_host_outside_the_csp_without_a_request() {
    use dashdeck::api::ApiClient;
    use dashdeck::components::copy_dialog::CopyDialog;
    // The page's policy, as index.html carries it (only connect-src matters here; 'self' and
    // 127.0.0.1:9 keep the test runner and the other tests' requests allowed).
    let meta = document().create_element("meta").unwrap();
    meta.set_attribute("http-equiv", "Content-Security-Policy")
        .unwrap();
    meta.set_attribute(
        "content",
        "connect-src 'self' http://127.0.0.1:9 https://us.posthog.com",
    )
    .unwrap();
    document().head().unwrap().append_child(&meta).unwrap();
    let root = container();
    std::mem::forget(mount_to(root.clone(), move || {
        provide_context(ApiClient::new("http://127.0.0.1:9", "phx_test"));
        dashdeck::router::provide_router();
        view! { <CopyDialog project_id=1 dashboard_id=1 on_close=|_| {} /> }
    }));
    settle().await;
    assert!(text(&root, "h2").contains("Copy to project"));
    let other: HtmlElement = root
        .query_selector_all("input[type=radio]")
        .unwrap()
        .item(1)
        .unwrap()
        .unchecked_into();
    other.click();
    settle().await;
    spy_on_fetch();
    set_field(
        &root,
        "input[inputmode=url]",
        "https://posthog.internal.example",
    );
    set_field(&root, "input[type=password]", "phx_other");
    let connect: HtmlElement = find(&root, "form button[type=submit]")
        .unwrap()
        .unchecked_into();
    connect.click();
    settle().await;
    let refusal = text(&root, "#copy-host-error");
    assert!(
        refusal.contains(
            "Content-Security-Policy does not allow connecting to https://posthog.internal.example"
        ),
        "{refusal}"
    );
    let host = find(&root, "input[inputmode=url]").unwrap();
    assert_eq!(host.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(fetch_count(), 0.0, "nothing was sent to a refused host");
}

#[wasm_bindgen_test]
async fn oauth_only_connect_form_offers_sign_in_and_checks_the_host_first() {
    spy_on_fetch();
    let root = container();
    mount_to(root.clone(), || {
        view! { <ConnectForm initial_host="" on_connected=|_| panic!("must not connect") oauth_only=true /> }
    })
    .forget();
    settle().await;
    assert!(
        find(&root, "#api-key").is_none(),
        "no key field in oauth mode"
    );
    assert!(find(&root, "button[type='submit']").is_none());
    let sign_in: HtmlElement = find(&root, ".sign-in button").unwrap().unchecked_into();
    assert_eq!(sign_in.text_content().unwrap(), "Sign in with PostHog");
    type_into(&root, "#host", "ftp://posthog.example.com");
    sign_in.click();
    settle().await;
    assert!(text(&root, "#host-error").contains("http:// or https://"));
    assert_eq!(fetch_count(), 0.0);
    let pending = window()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item("dashdeck.oauth.pending")
        .unwrap();
    assert_eq!(pending, None, "no sign-in starts for a bad host");
}

/// The tile dialogs' modal: opened with `showModal()`, focus inside, Escape asks its owner to
/// close, and focus returns to the control that opened it.
#[wasm_bindgen_test]
async fn modal_takes_focus_closes_on_escape_and_returns_focus() {
    use dashdeck::components::dialog::Modal;
    let root = container();
    let open = RwSignal::new(false);
    let handle = mount_to(root.clone(), move || {
        view! {
            <button type="button" id="opener" on:click=move |_| open.set(true)>"Open"</button>
            <Show when=move || open.get()>
                <Modal title="Pick one" id="pick-title" on_close=move |_| open.set(false) close_label="Cancel">
                    <input type="search" aria-label="Search" />
                </Modal>
            </Show>
        }
    });
    let opener: HtmlElement = find(&root, "#opener").unwrap().unchecked_into();
    opener.focus().unwrap();
    opener.click();
    settle().await;
    let dialog = find(&root, "dialog").expect("the dialog");
    assert!(dialog.matches(":modal").unwrap(), "opened with showModal()");
    assert_eq!(
        dialog.get_attribute("aria-labelledby").as_deref(),
        Some("pick-title")
    );
    assert_eq!(text(&root, "#pick-title"), "Pick one");
    let focused = document().active_element().unwrap();
    assert_eq!(
        focused.get_attribute("aria-label").as_deref(),
        Some("Search"),
        "focus moved in"
    );

    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let escape =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    focused.dispatch_event(&escape).unwrap();
    settle().await;
    settle().await;
    assert_eq!(count(&root, "dialog"), 0, "Escape closed it");
    assert!(
        escape.default_prevented(),
        "the browser's own close is not also run"
    );
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("opener")
    );
    handle.forget();
    root.remove();
}

/// A split point's view appears once its code is there; a failed fetch says what could not load
/// and Retry fetches again (split points load through `lazy` in the release build).
#[wasm_bindgen_test]
async fn lazy_part_shows_loading_then_view_and_retries_a_failed_fetch() {
    use dashdeck::components::lazy::lazy;
    use std::cell::Cell;
    use std::rc::Rc;

    let root = container();
    let attempts = Rc::new(Cell::new(0));
    let (gate, open_gate) = futures_gate();
    let load = {
        let attempts = attempts.clone();
        move || {
            let (attempts, gate) = (attempts.clone(), gate.clone());
            async move {
                attempts.set(attempts.get() + 1);
                gate.wait().await;
                if attempts.get() == 1 {
                    Err("network")
                } else {
                    Ok(view! { <p class="loaded">"The part"</p> }.into_any())
                }
            }
        }
    };
    let _handle = mount_to(root.clone(), move || lazy("the Share dialog", load.clone()));
    settle().await;
    assert_eq!(text(&root, "[role=status]"), "Loading the Share dialog…");
    open_gate();
    settle().await;
    assert_eq!(
        text(&root, "[role=alert] p"),
        "Dashdeck could not load the Share dialog. Check the connection and try again."
    );
    assert!(find(&root, ".loaded").is_none());
    let retry: HtmlElement = find(&root, "[role=alert] button").unwrap().unchecked_into();
    assert_eq!(retry.text_content().unwrap(), "Retry");
    retry.click();
    settle().await;
    settle().await;
    assert_eq!(attempts.get(), 2);
    assert_eq!(text(&root, ".loaded"), "The part");
    assert!(find(&root, "[role=alert]").is_none());
}

/// A future that stays pending until the returned function is called.
#[derive(Clone)]
struct Gate(std::rc::Rc<std::cell::RefCell<(bool, Vec<std::task::Waker>)>>);

impl Gate {
    async fn wait(&self) {
        std::future::poll_fn(|cx| {
            let mut state = self.0.borrow_mut();
            if state.0 {
                std::task::Poll::Ready(())
            } else {
                state.1.push(cx.waker().clone());
                std::task::Poll::Pending
            }
        })
        .await
    }
}

fn futures_gate() -> (Gate, impl Fn()) {
    let gate = Gate(Default::default());
    let opener = gate.clone();
    (gate, move || {
        let wakers = {
            let mut state = opener.0.borrow_mut();
            state.0 = true;
            std::mem::take(&mut state.1)
        };
        wakers.into_iter().for_each(|w| w.wake());
    })
}

/// A text tile far down the grid gets its body with the tile, built by static_dom.js from the
/// parsed operations: headings, emphasis, links and lists become elements, HTML and a NUL stay text.
#[wasm_bindgen_test]
async fn a_text_tile_far_down_the_grid_is_built_with_its_body_and_the_html_in_it_stays_text() {
    let body =
        "## Later\n\n<img src=x onerror=\"window.__pwned = 4\"> and **bold** \u{0}<script>\n\n\
                - [PostHog](https://posthog.com) *docs*\n- `<b>`";
    let json = serde_json::json!({"id": 12, "text": {"body": body}});
    let root = mount_tile_at(&json.to_string(), 40);
    settle().await;
    assert_eq!(text(&root, "#tile-12-title"), "Text: Later");
    assert_eq!(text(&root, "h4"), "Later");
    assert_eq!(text(&root, "strong"), "bold");
    assert_eq!(count(&root, "img, script"), 0);
    assert!(text(&root, ".markdown p").contains("<img src=x"));
    assert!(text(&root, ".markdown p").ends_with("\u{FFFD}<script>"));
    let link = find(&root, ".markdown li a").unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://posthog.com")
    );
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer nofollow")
    );
    assert_eq!(text(&root, ".markdown li em"), "docs");
    assert_eq!(text(&root, ".markdown li code"), "<b>");
    assert_eq!(count(&root, ".markdown ul > li"), 2);
}

/// The boot script's early read (src/api/early.rs): its answer is taken once, for the same URL and
/// header only, and only when successful; only a page's own read is noted for the next load.
#[wasm_bindgen_test]
async fn the_boot_scripts_early_answer_is_taken_once_for_the_same_request() {
    use dashdeck::api::ApiClient;
    let real_fetch = js_sys::Reflect::get(&window(), &"fetch".into()).unwrap();
    let network = js_sys::Function::new_with_args(
        "input, init",
        "window.__fetched = (window.__fetched || 0) + 1;
         return Promise.resolve(new Response(JSON.stringify({id: 5, name: 'From the network', tiles: []}),
           {status: 200, headers: {'Content-Type': 'application/json'}}));",
    );
    js_sys::Reflect::set(&window(), &"fetch".into(), &network).unwrap();
    let early = |authorization: &str, status: u16| {
        js_sys::Function::new_with_args(
            "authorization, status",
            "window.__dashdeckEarly = {url: 'https://eu.posthog.com/api/projects/1/dashboards/5/', authorization,
               response: Promise.resolve(new Response(JSON.stringify({id: 5, name: 'Early', tiles: []}), {status}))};",
        )
        .call2(&window(), &authorization.into(), &status.into())
        .unwrap();
    };
    let fetched = || {
        js_sys::Reflect::get(&window(), &"__fetched".into())
            .unwrap()
            .as_f64()
            .unwrap_or(0.0)
    };
    let client = ApiClient::new("https://eu.posthog.com", "phx_k");
    let name = |d: dashdeck::api::models::Dashboard| d.name.unwrap_or_default();

    early("Bearer phx_k", 200);
    assert_eq!(name(client.dashboard(1, 5, None).await.unwrap()), "Early");
    assert_eq!(fetched(), 0.0, "the early answer, no request");
    assert_eq!(
        name(client.dashboard(1, 5, None).await.unwrap()),
        "From the network"
    );
    assert_eq!(fetched(), 1.0, "taken once");

    early("Bearer another_key", 200);
    assert_eq!(
        name(client.dashboard(1, 5, None).await.unwrap()),
        "From the network",
        "sent with another key: not taken"
    );
    early("Bearer phx_k", 500);
    assert_eq!(
        name(client.dashboard(1, 5, None).await.unwrap()),
        "From the network",
        "an error status: read again"
    );
    assert_eq!(fetched(), 3.0);

    // Noted where the boot script runs (it sets `__dashdeckEarly`): the page's read only.
    let storage = window().session_storage().unwrap().unwrap();
    storage.remove_item("dashdeck.early").unwrap();
    client.dashboard(1, 5, None).await.unwrap();
    assert_eq!(storage.get_item("dashdeck.early").unwrap(), None);
    client.dashboard_of_page(1, 5, None).await.unwrap();
    let note = storage.get_item("dashdeck.early").unwrap().unwrap();
    let location = window().location();
    let page = location.pathname().unwrap() + &location.search().unwrap();
    assert!(
        note.starts_with(&format!(
            "{page}\nhttps://eu.posthog.com/api/projects/1/dashboards/5/\nBearer phx_k\n"
        )),
        "{note}"
    );
    dashdeck::api::forget_early_read();
    assert_eq!(storage.get_item("dashdeck.early").unwrap(), None);

    js_sys::Reflect::set(&window(), &"fetch".into(), &real_fetch).unwrap();
    js_sys::Reflect::delete_property(&window(), &"__dashdeckEarly".into()).unwrap();
}
