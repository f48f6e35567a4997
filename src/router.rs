//! A small history router: the URL's path and query as signals, `navigate` with push or
//! replace, back/forward through `popstate`, and same-app `<a href="/…">` clicks handled
//! without a page load. (leptos_router cost more than half the size budget's margin.)
//!
//! The app may be hosted under a sub-path (`<base href="/tools/dashboards/">`, set by
//! `trunk build --public-url` or rewritten at deploy time): the app's own paths
//! (`/project/1/dashboards`) never contain it; [`href`] adds it for links and
//! [`Location::navigate`] for the address bar.
//!
//! Embedded in a host page ([`crate::host`]), the path belongs to the host: the app's URL lives in
//! the fragment (`#/project/1/dashboards?search=x`), which works behind any host server, and only
//! links inside the app's element are handled.

use std::sync::OnceLock;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::MouseEvent;

use crate::host;
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
            match host::embedded_root() {
                None => window.scroll_to_with_x_and_y(0.0, 0.0),
                // The host page stays where it is unless the app's top scrolled out of view.
                Some(root) if root.get_bounding_client_rect().top() < 0.0 => {
                    root.scroll_into_view()
                }
                Some(_) => {}
            }
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
        let (path, search) = match current_url() {
            Some(url) => url,
            // The host page's own `#section`: the app stays where it is.
            None if !self.path.get_untracked().is_empty() => return,
            None => ("/".to_string(), String::new()),
        };
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

/// The page the address bar names now and its query, before the router is started.
pub fn current_page() -> Option<(route::Route, String)> {
    current_url().map(|(path, search)| (route::Route::parse(&path), search))
}

/// The app's path and query in the address bar; `None` when embedded and the fragment is the host
/// page's own `#section`.
fn current_url() -> Option<(String, String)> {
    let location = window().location();
    if host::is_embedded() {
        route::split_fragment(&location.hash().unwrap_or_default())
    } else {
        let pathname = location.pathname().unwrap_or_else(|_| "/".into());
        let path = route::strip_base(base(), &pathname);
        Some((path, location.search().unwrap_or_default()))
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
    // Embedded, only clicks inside the app's element are the app's.
    let clicks: web_sys::EventTarget = match host::embedded_root() {
        Some(root) => root.into(),
        None => document().into(),
    };
    let _ = clicks.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
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
    let anchor = host::event_origin(event)?.closest("a[href]").ok()??;
    if anchor.has_attribute("target") || anchor.has_attribute("download") {
        return None;
    }
    let page = host::is_embedded().then(host_page);
    route::app_link(&anchor.get_attribute("href")?, base(), page.as_deref())
}

/// The host page's own path and query, which embedded Dashdeck never changes. Its links and
/// history entries name it in full: a bare `#/…` would resolve against the host's `<base href>`.
fn host_page() -> String {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    format!("{path}{}", location.search().unwrap_or_default())
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

/// The link target for an app path (`/project/1/dashboards`), under the hosting sub-path, or in
/// the fragment when embedded.
pub fn href(app_path: &str) -> String {
    if host::is_embedded() {
        format!("{}#{app_path}", host_page())
    } else {
        format!("{}{app_path}", base())
    }
}

/// Replaces the current URL with `path` once rendering is done.
#[component]
pub fn Redirect(#[prop(into)] path: String) -> impl IntoView {
    let location = use_location();
    queue_microtask(move || location.navigate(&path, true));
}
