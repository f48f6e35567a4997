//! Bulk actions on the dashboards list: checkboxes with shift-click ranges and "Select all on
//! this page", bulk pin, and a bulk delete where one PATCH fails (the rest stay deleted, the
//! failure is listed with its reason) undone with one Undo.

use dashdeck_e2e::{keys, Browser, StandIn};
use reqwest::Method;
use serde_json::{json, Value};

async fn status(server: &StandIn, id: i64) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/api/projects/1/dashboards/{id}/", server.url))
        .bearer_auth(keys::FULL_ACCESS)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The accessible names of the row checkboxes, in order, and which are checked.
async fn boxes(b: &Browser) -> Vec<(String, bool)> {
    let v = b
        .js("return [...document.querySelectorAll('tbody input[type=checkbox]')].map(c => [c.getAttribute('aria-label'), c.checked])")
        .await;
    serde_json::from_value(v).unwrap()
}

async fn tick(b: &Browser, name: &str, shift: bool) {
    let field = b.field(name).await;
    b.client
        .execute(
            "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, shiftKey: arguments[1]}))",
            vec![serde_json::to_value(&field).unwrap(), json!(shift)],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_pin_and_bulk_delete_with_a_failure_and_one_undo() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.wait_count("tbody tr", 34).await;

    // Select all on this page, and none again.
    b.field("Select all on this page")
        .await
        .click()
        .await
        .unwrap();
    b.wait_text("34 selected").await;
    assert!(boxes(&b).await.iter().all(|(_, on)| *on));
    b.field("Select all on this page")
        .await
        .click()
        .await
        .unwrap();
    assert!(boxes(&b).await.iter().all(|(_, on)| !*on));

    // A click and a shift-click select the range between them.
    let names: Vec<String> = boxes(&b).await.into_iter().map(|(n, _)| n).collect();
    let (from, to) = (4, 9);
    tick(&b, &names[from], false).await;
    tick(&b, &names[to], true).await;
    b.wait_text("6 selected").await;
    let checked: Vec<String> = boxes(&b)
        .await
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(checked, names[from..=to]);

    b.click("Pin selected").await;
    // Done: the selection clears and the toast offers Undo.
    b.wait_for("the batch to finish", || async {
        (!b.body_text().await.contains("6 selected")).then_some(())
    })
    .await;
    b.button("Undo").await;
    let list = server
        .api(
            Method::GET,
            "/api/projects/1/dashboards/?limit=100",
            Value::Null,
        )
        .await;
    let pinned: Vec<String> = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["pinned"] == true)
        .map(|d| format!("Select {}", d["name"].as_str().unwrap_or("Untitled")))
        .collect();
    for name in &names[from..=to] {
        assert!(pinned.contains(name), "{name} pinned: {pinned:?}");
    }
    assert!(boxes(&b).await.iter().all(|(_, on)| !*on));

    // Delete three; PostHog fails on one of them.
    reqwest::Client::new()
        .post(format!("{}/_standin/faults", server.url))
        .json(&json!({"match": "PATCH /api/projects/1/dashboards/4/", "status": 500, "times": 1}))
        .send()
        .await
        .unwrap();
    for name in ["Marketing funnel", "Signup funnel", "Checkout funnel"] {
        tick(&b, &format!("Select {name}"), false).await;
    }
    b.wait_text("3 selected").await;
    b.click("Delete selected").await;
    let alert = b.alert_containing("Signup funnel: ").await;
    assert!(alert.contains("1 of 3 failed"), "{alert}");
    b.wait_text("Deleted 2 of 3 dashboards.").await;
    b.wait_count("tbody tr", 32).await;
    assert_eq!(
        (
            status(&server, 3).await,
            status(&server, 4).await,
            status(&server, 5).await
        ),
        (404, 200, 404)
    );
    let still: Vec<String> = boxes(&b)
        .await
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        still,
        ["Select Signup funnel"],
        "the failure stays selected"
    );

    b.click("Undo").await;
    b.wait_text("Undone.").await;
    b.wait_count("tbody tr", 34).await;
    assert_eq!(
        (status(&server, 3).await, status(&server, 5).await),
        (200, 200)
    );
    b.finish().await;
}
