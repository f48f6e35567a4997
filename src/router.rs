//! A small history router: the URL's path and query as signals, `navigate` with push or
//! replace, back/forward through `popstate`, and same-app `<a href="/…">` clicks handled
//! without a page load. (leptos_router cost more than half the size budget's margin.)
//!
//! The app may be hosted under a sub-path (`<base href="/tools/dashboards/">`, set by
//! `trunk build --public-url`): the app's own paths (`/project/1/dashboards`) never contain it;
//! [`href`] adds it for links and [`Location::navigate`] for the address bar.

use std::sync::OnceLock;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{Element, MouseEvent};

use crate::logic::route;

/// The current URL, reactive.
#[derive(Clone, Copy)]
pub struct Location {
    /// The path, e.g. `/project/1/dashboards`.
    pub path: RwSignal<String>,
    /// The query string with its `?`, or empty.
    pub search: RwSignal<String>,
    /// When set, following an in-app link first asks this question.
    pub guard: RwSignal<Option<&'static str>>,
}

impl Location {
    /// Goes to an app URL (`/path?query`); `replace` keeps it out of the back-button history.
    pub fn navigate(&self, url: &str, replace: bool) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let url = &href(url);
        if let Ok(history) = window.history() {
            let _ = if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(url))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(url))
            };
        }
        if !replace {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
        self.sync();
    }

    /// Whether leaving this page may go ahead: asks the guard's question, if one is set.
    fn may_leave(&self) -> bool {
        match self.guard.get_untracked() {
            Some(question) => window().confirm_with_message(question).unwrap_or(false),
            None => true,
        }
    }

    fn sync(&self) {
        let location = window().location();
        let pathname = location.pathname().unwrap_or_else(|_| "/".into());
        let path = route::strip_base(base(), &pathname);
        let search = location.search().unwrap_or_default();
        let new_page =
            route::Route::parse(&self.path.get_untracked()) != route::Route::parse(&path);
        if self.search.get_untracked() != search {
            if new_page {
                // The page being left must not react to the next page's query: its effects would
                // run after the path change disposed it (a panic when leaving `?dialog=…` or
                // `?edit=1` for another page). The next page reads the query when it is built.
                self.search.update_untracked(|s| *s = search);
            } else {
                self.search.set(search);
            }
        }
        if self.path.get_untracked() != path {
            self.path.set(path);
        }
    }
}

/// Starts the router and provides its [`Location`] to the app.
pub fn provide_router() -> Location {
    let location = Location {
        path: RwSignal::new(String::new()),
        search: RwSignal::new(String::new()),
        guard: RwSignal::new(None),
    };
    location.sync();
    provide_context(location);
    let on_popstate = Closure::<dyn Fn()>::new(move || {
        if location.may_leave() {
            location.sync();
        } else if let Ok(history) = window().history() {
            // Back/forward already moved the address bar: put this page's URL back on top.
            let here = format!(
                "{}{}",
                href(&location.path.get_untracked()),
                location.search.get_untracked()
            );
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&here));
        }
    });
    let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |event: MouseEvent| {
        if let Some(url) = in_app_link(&event) {
            event.prevent_default();
            if location.may_leave() {
                location.navigate(&url, false);
            }
        }
    });
    let window = window();
    let _ =
        window.add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The app lives as long as the page; so do its listeners.
    on_popstate.forget();
    on_click.forget();
    location
}

/// The router's location.
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// The URL of a plain left click on a link to a path of this app, if that is what happened.
fn in_app_link(event: &MouseEvent) -> Option<String> {
    let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
    if event.default_prevented() || event.button() != 0 || modified {
        return None;
    }
    let target: Element = event.target()?.dyn_into().ok()?;
    let anchor = target.closest("a[href]").ok()??;
    if anchor.has_attribute("target") || anchor.has_attribute("download") {
        return None;
    }
    let href = anchor.get_attribute("href")?;
    let inside = href == base() || href.starts_with(&format!("{}/", base()));
    (inside && href.starts_with('/') && !href.starts_with("//"))
        .then(|| route::strip_base(base(), &href))
}

/// The path the app is hosted under, without a trailing slash (`""` at the root), read once
/// from the document's `<base href>`.
pub fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let base_uri = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.base_uri().ok().flatten());
        let pathname = base_uri
            .and_then(|uri| web_sys::Url::new(&uri).ok())
            .map(|url| url.pathname())
            .unwrap_or_default();
        route::base_path(&pathname)
    })
}

/// The link target for an app path (`/project/1/dashboards`), under the hosting sub-path.
pub fn href(app_path: &str) -> String {
    format!("{}{app_path}", base())
}

/// Replaces the current URL with `path` once rendering is done.
#[component]
pub fn Redirect(#[prop(into)] path: String) -> impl IntoView {
    let location = use_location();
    queue_microtask(move || location.navigate(&path, true));
}
