//! Sharing and collaborators in Chromium against the stand-in: public link and embed code that
//! really open, rotation, collaborators on a restricted dashboard, and the refusals.

use dashdeck_e2e::{keys, Browser, StandIn};

async fn open_dashboard(b: &Browser, server: &StandIn, key: &str, id: i64, dialog: &str) {
    b.open_project(server, key).await;
    b.goto(&format!(
        "{}/project/1/dashboards/{id}?dialog={dialog}",
        server.url
    ))
    .await;
}

async fn status(url: &str) -> u16 {
    reqwest::get(url).await.expect("fetch").status().as_u16()
}

async fn field_value(b: &Browser, label: &str) -> String {
    b.field(label)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn share_publicly_copy_rotate_and_stop() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_dashboard(&b, &server, keys::FULL_ACCESS, 3, "sharing").await;
    b.heading("Share dashboard").await;
    b.field("Share dashboard publicly")
        .await
        .click()
        .await
        .unwrap();
    let link = b
        .wait_for("the public link", || async {
            let v = field_value(&b, "Public link").await;
            v.contains("/shared/").then_some(v)
        })
        .await;
    assert!(
        link.starts_with(&format!("{}/shared/", server.url)),
        "{link}"
    );
    let embed = field_value(&b, "Embed code").await;
    assert!(
        embed.contains(&format!("{}/embedded/", server.url)),
        "{embed}"
    );
    assert_eq!(status(&link).await, 200);
    b.wait_count(".badge-shared", 1).await;

    // Options show in the link at once.
    b.field("Hide PostHog branding")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("whitelabel in the link", || async {
        field_value(&b, "Public link")
            .await
            .contains("whitelabel=true")
            .then_some(())
    })
    .await;

    b.wait_count("dialog button:disabled", 0).await;
    // Rotation asks first; the old link keeps working during the grace period.
    b.button("Rotate link").await.click().await.unwrap();
    b.button("Rotate now").await.click().await.unwrap();
    let old = link.clone();
    let rotated = b
        .wait_for("a new link", || async {
            let v = field_value(&b, "Public link").await;
            (v.split('?').next() != old.split('?').next()).then_some(v)
        })
        .await;
    assert_eq!(status(&rotated).await, 200);
    assert_eq!(status(&old).await, 200, "the old link works for 5 minutes");

    // Off: the link stops.
    b.field("Share dashboard publicly")
        .await
        .click()
        .await
        .unwrap();
    b.wait_count("textarea", 0).await;
    assert_eq!(status(&rotated).await, 404);
    b.wait_count(".badge-shared", 0).await;

    // Escape closes the dialog and the URL follows.
    b.js("document.querySelector('dialog').dispatchEvent(new Event('cancel', {cancelable: true}))")
        .await;
    b.wait_count("dialog", 0).await;
    assert!(!b.path().await.contains("dialog="));
    b.assert_no_errors().await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_user_sees_why() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    open_dashboard(&b, &server, keys::READ_ONLY, 8, "sharing").await;
    b.heading("Share dashboard").await;
    b.wait_xpath(
        "the lock note",
        "//*[contains(@class,'lock-note') and contains(., 'but not change it')]",
    )
    .await;
    assert_eq!(
        b.field("Share dashboard publicly")
            .await
            .prop("disabled")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    assert!(field_value(&b, "Public link").await.contains("/shared/"));
    b.goto(&format!(
        "{}/project/1/dashboards/8?dialog=collaborators",
        server.url
    ))
    .await;
    b.heading("Collaborators").await;
    b.wait_xpath("why not", "//*[contains(., 'Only the dashboard owner (Ada Lovelace) and project admins can change who may edit.')]").await;
    b.wait_xpath(
        "no invitations",
        "//*[contains(., \"You can't invite collaborators\")]",
    )
    .await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn add_and_remove_a_collaborator_and_refusals() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    // A level-21 dashboard: no picker, and the sentence why.
    open_dashboard(&b, &server, keys::FULL_ACCESS, 3, "collaborators").await;
    b.heading("Collaborators").await;
    b.wait_xpath(
        "why no picker",
        "//*[contains(., 'Collaborators can be invited only when only those invited')]",
    )
    .await;
    b.heading("Access control").await;

    // Restrict it, then invite Alan and remove him again.
    b.field("Only those invited to this dashboard can edit")
        .await
        .click()
        .await
        .unwrap();
    // The page header behind the panel shows the new level at once.
    b.wait_for("the header's restriction level", || async {
        let select = b.field("Restriction level").await;
        (select.prop("value").await.unwrap().as_deref() == Some("37")).then_some(())
    })
    .await;
    b.type_into("Add a collaborator", "alan").await;
    b.button("Add Alan Turing").await.click().await.unwrap();
    b.button("Remove Alan Turing").await;
    b.wait_xpath(
        "Alan listed",
        "//table//td[normalize-space(.)='alan@hogflix.example']",
    )
    .await;
    // Owners and admins are not offered, with the reason.
    b.type_into("Add a collaborator", "a").await;
    b.wait_xpath(
        "owner hidden",
        "//li[contains(., 'Ada Lovelace') and contains(., 'can already edit')]",
    )
    .await;
    b.wait_xpath(
        "duplicate hidden",
        "//li[contains(., 'Alan Turing is already a collaborator')]",
    )
    .await;
    b.button("Remove Alan Turing").await.click().await.unwrap();
    b.wait_count("[aria-label='Remove Alan Turing']", 0).await;
    b.button("Add Alan Turing").await;

    // A refusal from PostHog is shown as its own sentence: Alan was added behind our back.
    let alan = server
        .api(
            reqwest::Method::GET,
            "/api/organizations/@current/members/",
            serde_json::json!(null),
        )
        .await;
    let uuid = alan["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["first_name"] == "Alan")
        .unwrap()["user"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    server
        .api(
            reqwest::Method::POST,
            "/api/projects/1/dashboards/3/collaborators/",
            serde_json::json!({"user_uuid": uuid, "level": 37}),
        )
        .await;
    b.button("Add Alan Turing").await.click().await.unwrap();
    b.alert_containing("Alan Turing is already a collaborator.")
        .await;
    b.finish().await;
}
