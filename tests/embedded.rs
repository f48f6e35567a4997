//! The embedded mount in headless Chromium: a host element gets an open shadow root holding the
//! stylesheet and the app, and the app takes only events from inside it. (A file of its own: once
//! embedded, the router of every later test in this page would use the URL fragment.)
#![cfg(target_arch = "wasm32")]

use dashdeck::host;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn settle() {
    leptos::task::tick().await;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn element(tag: &str) -> Element {
    let element = document().create_element(tag).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element
}

#[wasm_bindgen_test]
async fn bad_options_show_inside_a_shadow_root_and_only_inside_events_are_the_apps() {
    assert!(!host::is_standalone_page(), "the test page is a host page");
    let target = element("div");
    let outside = element("button");
    let options = js_sys::JSON::parse(r#"{"host": "ftp://x", "auth": "proxy"}"#).unwrap();
    host::mount_embedded(
        target.clone().unchecked_into::<HtmlElement>(),
        options,
        "embed.css".into(),
    )
    .unwrap();
    settle().await;

    assert_eq!(
        target.child_element_count(),
        0,
        "nothing lands in the light DOM"
    );
    let shadow = target.shadow_root().expect("an open shadow root");
    let link = shadow
        .query_selector("link[rel=stylesheet]")
        .unwrap()
        .unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("embed.css"));
    let root = shadow.query_selector(".dashdeck-root").unwrap().unwrap();
    let text = root.text_content().unwrap();
    assert!(text.contains("Dashdeck cannot start"), "{text}");
    assert!(
        text.contains("The embedding configuration has an unusable \"host\" (ftp://x)"),
        "{text}"
    );
    assert_eq!(host::embedded_root(), Some(root.clone()));
    let page = window().location().pathname().unwrap() + &window().location().search().unwrap();
    assert_eq!(
        dashdeck::router::href("/project/1"),
        format!("{page}#/project/1")
    );

    // Where an event started, seen from a window listener through the shadow boundary.
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let record = {
        let seen = seen.clone();
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
            seen.borrow_mut().push(host::is_inside_app(&e))
        })
    };
    window()
        .add_event_listener_with_callback("keydown", record.as_ref().unchecked_ref())
        .unwrap();
    let press = |at: &Element| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("e");
        init.set_bubbles(true);
        init.set_composed(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        at.dispatch_event(&event).unwrap();
    };
    press(&root.query_selector("h1").unwrap().unwrap());
    press(&outside);
    assert_eq!(*seen.borrow(), vec![true, false]);

    let again = host::mount_embedded(
        element("div").unchecked_into(),
        JsValue::UNDEFINED,
        "embed.css".into(),
    );
    assert!(again.is_err(), "one Dashdeck per page");
}
