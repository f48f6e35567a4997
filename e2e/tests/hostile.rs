//! Hostile data stays inert text and the page stays usable; the app runs under its
//! Content-Security-Policy (no inline script, no violation).

use dashdeck_e2e::{keys, Browser, StandIn};
use reqwest::Method;
use serde_json::json;

/// Records alerts and injected elements instead of letting them happen unseen.
const TRAPS: &str = "window.__alerts = []; \
    window.alert = window.confirm = window.prompt = (m) => { window.__alerts.push(String(m)); }; \
    window.__csp = []; \
    document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));";

const INJECTED: &str = "return document.querySelectorAll(\
    'main script, main iframe, main object, main embed, main svg[onload], main img[onerror], \
     main [onclick], main [onmouseover], main a[href^=\"javascript:\" i]').length";

#[tokio::test(flavor = "multi_thread")]
async fn a_dashboard_full_of_hostile_strings_stays_inert_and_usable() {
    let server = StandIn::start(false).await;
    let long = "W".repeat(10_000);
    let rtl = "مرحبا بالعالم — שלום 👋🏽🧑‍🚀 RTL";
    let dashboard = server
        .api(
            Method::POST,
            "/api/projects/1/dashboards/",
            json!({
                "name": format!("<img src=x onerror=alert('name')> {rtl}"),
                "description": format!("<script>alert('description')</script> [x](javascript:alert('d')) {long}"),
                "tags": ["<b onmouseover=alert('tag')>tag</b>", "javascript:alert('tag')", "👋🏽 שלום", "café", "🧑‍🚀"],
            }),
        )
        .await;
    let id = dashboard["id"].as_i64().unwrap();
    for name in [
        json!("<svg onload=alert('insight')></svg>"),
        json!("W".repeat(400)),
        json!(format!("{rtl} <iframe src=javascript:alert('i')>")),
        json!(null),
    ] {
        server
            .api(
                Method::POST,
                "/api/projects/1/insights/",
                json!({ "name": name, "description": "D".repeat(400), "dashboards": [id] }),
            )
            .await;
    }
    let body = format!(
        "# <script>alert('md')</script>\n[click me](javascript:alert('md'))\n\
         <img src=x onerror=alert('md')> [ok](https://posthog.com) {rtl}\n\n{}",
        "X".repeat(3_500)
    );
    server
        .api(
            Method::PATCH,
            &format!("/api/projects/1/dashboards/{id}/"),
            json!({ "tiles": [{ "text": { "body": body } }] }),
        )
        .await;

    let b = Browser::start().await;
    b.open_project(&server, keys::FULL_ACCESS).await;
    b.js(TRAPS).await;
    let sideways =
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth";
    b.wait_xpath("the hostile row", "//a[contains(., 'onerror=alert')]")
        .await;
    assert!(
        b.js(sideways).await.as_f64().unwrap() <= 1.0,
        "the list scrolls sideways"
    );
    // The list row with the hostile name and tags.
    b.wait_xpath("the hostile row", "//a[contains(., 'onerror=alert')]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_xpath("the hostile heading", "//h1[contains(., 'مرحبا')]")
        .await;
    b.wait_count("article.tile", 5).await;

    let text = b.text_content().await;
    assert!(
        text.contains("<img src=x onerror=alert('name')>"),
        "names are text"
    );
    assert!(
        text.contains("<script>alert('md')</script>"),
        "markdown HTML is text"
    );
    // Strings of 16 bytes or fewer take the glue's own decoder (scripts/split_wasm.py), longer
    // ones the browser's: non-ASCII text of either length arrives whole.
    for tag in ["👋🏽 שלום", "café", "🧑‍🚀"] {
        assert!(text.contains(tag), "tag {tag:?} is shown as sent");
    }
    assert_eq!(b.js(INJECTED).await, json!(0), "no element was injected");
    assert_eq!(
        b.js("return window.__alerts").await,
        json!([]),
        "nothing ran"
    );
    assert_eq!(
        b.js("return window.__csp").await,
        json!([]),
        "no CSP violation"
    );
    let js_links = b
        .js("return [...document.querySelectorAll('main a')].filter(a => !/^(https?:|\\/|#|$)/.test(a.getAttribute('href') || '')).length")
        .await;
    assert_eq!(js_links, 0, "only http(s) and relative links");

    // The layout holds: the grid is no wider than the viewport, and nothing scrolls sideways.
    let widths = b
        .js("const g = document.querySelector('.tile-grid').getBoundingClientRect(); \
             return [g.right, document.documentElement.clientWidth, document.documentElement.scrollWidth]")
        .await;
    let [right, viewport, scroll] = [0, 1, 2].map(|i| widths[i].as_f64().unwrap());
    assert!(
        right <= viewport + 1.0,
        "grid {right} within viewport {viewport}"
    );
    assert!(
        scroll <= viewport + 1.0,
        "page scrolls sideways: {scroll} > {viewport}"
    );

    b.link("Back to dashboards").await.click().await.unwrap();
    b.heading("Dashboards").await;
    assert_eq!(b.js("return window.__alerts").await, json!([]));
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_starts_under_its_content_security_policy() {
    let server = StandIn::start(false).await;
    let b = Browser::start().await;
    b.goto(&format!("{}/connect", server.url)).await;
    b.heading("Connect to PostHog").await;
    b.js(TRAPS).await;
    let csp = b
        .js("const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m && m.content")
        .await;
    let csp = csp.as_str().expect("index.html carries a CSP");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline';") || !csp.contains("script-src 'self' 'unsafe-inline'"));
    assert_eq!(
        b.count("script:not([src])").await,
        0,
        "no inline script is needed"
    );
    // The wasm loaded (the page above is rendered by it); now use it across pages.
    b.type_into("PostHog host", &server.url).await;
    b.type_into("Personal API key", keys::FULL_ACCESS).await;
    b.button("Connect").await.click().await.unwrap();
    b.field("Project").await.select_by_value("1").await.unwrap();
    b.button("Open project").await.click().await.unwrap();
    b.link("Product KPIs").await.click().await.unwrap();
    b.heading("Product KPIs").await;
    assert_eq!(b.js("return window.__csp").await, json!([]), "no violation");
    // The policy is enforced: an injected inline script is refused (and reported). (WebDriver's
    // own scripts run outside the page's CSP, so `eval` here would prove nothing.)
    b.js("const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s)")
        .await;
    b.wait_for("the violation report", || async {
        (b.js("return window.__csp.length").await == json!(1)).then_some(())
    })
    .await;
    assert_eq!(b.js("return window.__ran === undefined").await, json!(true));
    b.finish().await;
}
