//! Template starts and template JSON: a built-in template in the New dashboard dialog, a template
//! imported with a personal API key (PostHog refuses it `create_from_template_json`, so the app
//! rebuilds it through the dashboard and insight endpoints), and the export → import round trip.

use dashdeck_e2e::{keys, template_tiles as tiles, Browser, StandIn};
use reqwest::Method;
use serde_json::{json, Value};

async fn dashboard(server: &StandIn, id: i64) -> Value {
    let path = format!("/api/projects/1/dashboards/{id}/");
    server.api(Method::GET, &path, Value::Null).await
}

/// The id in the URL of the dashboard page the app went to.
async fn opened(b: &Browser, before: &str) -> i64 {
    b.wait_for("a new dashboard's page", || async {
        let path = b.path().await;
        let id = path.strip_prefix("/project/1/dashboards/")?.parse().ok()?;
        (path != before).then_some(id)
    })
    .await
}

/// Pastes `template` into the Import template JSON dialog of the list and imports it.
async fn import(b: &Browser, template: &Value) -> i64 {
    b.goto(
        b.client
            .current_url()
            .await
            .unwrap()
            .join("/project/1/dashboards")
            .unwrap()
            .as_str(),
    )
    .await;
    // A modal dialog addressable by URL, named by its title, focus inside it; Escape with
    // nothing pasted closes it and leaves the URL, focus back on the button that opened it.
    b.click("Import template JSON").await;
    b.wait_path("/project/1/dashboards?import=1").await;
    b.heading("Import template JSON").await;
    assert_eq!(
        b.modal_title().await.as_deref(),
        Some("Import template JSON")
    );
    b.wait_focus("Template JSON").await;
    b.press_escape().await;
    b.wait_count("dialog", 0).await;
    b.wait_for("the URL without ?import=1", || async {
        (b.path().await == "/project/1/dashboards").then_some(())
    })
    .await;
    b.wait_focus("Import template JSON").await;

    b.click("Import template JSON").await;
    let field = b.field("Template JSON").await;
    b.client
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
            vec![serde_json::to_value(&field).unwrap(), json!(template.to_string())],
        )
        .await
        .unwrap();
    // Escape over pasted JSON asks first; saying no keeps the dialog and the text.
    b.field("Template JSON").await.click().await.unwrap();
    b.press_escape().await;
    assert_eq!(b.wait_browser_dialog().await, "Discard what you typed?");
    b.client.dismiss_alert().await.unwrap();
    assert_eq!(
        b.modal_title().await.as_deref(),
        Some("Import template JSON")
    );
    let kept = b.field("Template JSON").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(template.to_string().as_str()));
    b.click("Import").await;
    let id = opened(b, "").await;
    b.wait_text("Dashdeck built the dashboard through the dashboard and insight endpoints.")
        .await;
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn a_template_with_a_personal_key_is_rebuilt_with_its_tiles_layouts_and_colours() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    let trend = json!({"kind": "InsightVizNode", "source": {"kind": "TrendsQuery",
        "series": [{"kind": "EventsNode", "event": "signed_up"}]}});
    let number = json!({"kind": "InsightVizNode", "source": {"kind": "TrendsQuery",
        "series": [{"kind": "EventsNode", "event": "purchase", "math": "sum"}],
        "trendsFilter": {"display": "BoldNumber"}}});
    let sm = |x, y, w, h| json!({"sm": {"x": x, "y": y, "w": w, "h": h}, "xs": {"x": 0, "y": y, "w": 1, "h": h}});
    let template = json!({
        "template_name": "Launch <b>review</b>",
        "dashboard_description": "Imported from a file",
        "dashboard_filters": {"date_from": "-14d"},
        "tags": ["launch"],
        "tiles": [
            {"type": "INSIGHT", "name": "Signups", "description": "People who signed up",
             "query": trend, "layouts": sm(0, 0, 6, 5), "color": "blue"},
            {"type": "TEXT", "body": "## Notes\nShip **it**.", "layouts": sm(6, 0, 6, 5), "color": "green"},
            {"type": "INSIGHT", "name": "Revenue", "description": "",
             "query": number, "layouts": sm(0, 5, 12, 6), "color": null},
        ],
    });
    let id = import(&b, &template).await;
    b.heading("Launch <b>review</b>").await;
    b.wait_count("article.tile", 3).await;
    let d = dashboard(&server, id).await;
    assert_eq!(d["description"], "Imported from a file");
    assert_eq!(d["filters"]["date_from"], "-14d");
    assert_eq!(d["tags"], json!(["launch"]));
    let got = tiles(&d);
    let want = [
        (
            json!(["Signups", "People who signed up", trend]),
            sm(0, 0, 6, 5),
            json!("blue"),
        ),
        (
            json!("## Notes\nShip **it**."),
            sm(6, 0, 6, 5),
            json!("green"),
        ),
        (json!(["Revenue", "", number]), sm(0, 5, 12, 6), Value::Null),
    ];
    assert_eq!(got.len(), 3, "{got:#?}");
    for (tile, (content, layouts, color)) in got.iter().zip(want) {
        assert_eq!(tile["content"], content);
        assert_eq!(tile["layouts"], layouts);
        assert_eq!(tile["color"], color);
    }
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn export_then_import_recreates_the_same_tiles_layouts_colours_and_text() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    // The export holds the tiles as they are now, not as the page loaded them.
    let tiles_before = b.count("article.tile").await;
    b.tile_action("Actions for Weekly signups", "Duplicate")
        .await;
    b.wait_count("article.tile", tiles_before + 1).await;
    // Keep the downloaded data: URL instead of saving a file.
    b.js("HTMLAnchorElement.prototype.click = function () { window.__exported = this.href }")
        .await;
    b.click("Export template JSON").await;
    let href = b
        .wait_for("the export", || async {
            b.js("return window.__exported || null")
                .await
                .as_str()
                .map(str::to_owned)
        })
        .await;
    let encoded = href.split_once(',').unwrap().1;
    let text = b
        .js(&format!("return decodeURIComponent({})", json!(encoded)))
        .await;
    let template: Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    assert_eq!(template["template_name"], "Product KPIs");

    let id = import(&b, &template).await;
    b.heading("Product KPIs").await;
    let (original, copy) = (dashboard(&server, 1).await, dashboard(&server, id).await);
    assert_ne!(id, 1);
    assert_eq!(copy["description"], original["description"]);
    assert_eq!(copy["tags"], original["tags"]);
    assert_eq!(tiles(&copy), tiles(&original));
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_built_in_template_start_creates_its_tiles() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.click("New dashboard").await;
    b.heading("New dashboard").await;
    b.type_into("Name", "App overview").await;
    b.field("Start from")
        .await
        .select_by_value("DEFAULT_APP")
        .await
        .unwrap();
    b.click("Create and open").await;
    b.heading("App overview").await;
    let id = opened(&b, "").await;
    let d = dashboard(&server, id).await;
    let names: Vec<&str> = d["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["insight"]["name"].as_str())
        .collect();
    assert!(names.contains(&"Daily active users (DAUs)"), "{names:?}");
    b.wait_count("article.tile", d["tiles"].as_array().unwrap().len())
        .await;
    b.wait_text("Daily active users (DAUs)").await;
    b.finish().await;
}
