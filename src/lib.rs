//! Dashdeck: browse PostHog dashboards from a fast, keyboard-friendly single-page app.

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
mod allocator;
pub mod api;
pub mod components;
pub mod crash;
pub mod host;
pub mod logic;
pub mod pages;
pub mod perf;
pub mod router;
pub mod state;

use leptos::prelude::*;
use leptos::task::spawn_local;

use components::lazy::lazy;
use logic::route::Route;
use pages::dashboard::DashboardPage;
use pages::dashboards::DashboardsPage;
use pages::home::HomePage;
use pages::not_found::NotFoundPage;
use state::config;
use state::first_read;
use state::session::{self, Session};

/// Renders the app into `parent` for the rest of the page's life: `index.html`'s body, or a host
/// page's element with its checked `embedded` configuration ([`host::mount_embedded`]).
pub fn mount(parent: web_sys::HtmlElement, embedded: Option<Result<config::AppConfig, String>>) {
    leptos::mount::mount_to(parent, move || App(AppProps { embedded })).forget();
}

/// The app: loads `config.json` (or takes the host page's checked `embedded` configuration),
/// restores the connection, then shows the page of the URL.
#[component]
pub fn App(#[prop(optional)] embedded: Option<Result<config::AppConfig, String>>) -> impl IntoView {
    let hint = if embedded.is_some() {
        "The page that embeds Dashdeck passes this configuration to it (see the README's \"Embedding\")."
    } else {
        "Whoever hosts this copy of Dashdeck can fix config.json next to index.html (see the README)."
    };
    let session = Session::provide(None);
    let ready = RwSignal::new(false);
    let config_error = RwSignal::new(None::<String>);
    let app_config = StoredValue::new(config::AppConfig::default());
    provide_context(app_config);
    spawn_local(async move {
        let loaded = match embedded {
            Some(given) => given,
            None => config::load().await,
        };
        let config = match loaded {
            Ok(config) => config,
            Err(error) => return config_error.set(Some(error)),
        };
        // Embedded, routes live in the host page's fragment: its path is the host's business.
        if !host::is_embedded() {
            if let Err(error) = config.check_base_path(router::base()) {
                return config_error.set(Some(error));
            }
        }
        let origin = window().location().origin().unwrap_or_default();
        // A session stored for a host the deployment no longer allows is not restored.
        let stored = || session::load_stored().filter(|c| config.check_host(&c.host).is_ok());
        let connection = session::initial_connection(&config, &origin, stored);
        if let Some(connection) = connection {
            session.restore(connection);
        }
        // A dashboard or list link: its read goes out now, not once the pages are built, with the
        // session's client (after `restore`: the one an OAuth sign-in's pages then share, so a
        // token refresh happens once).
        if let (Some((route, search)), Some(connection)) =
            (router::current_page(), session.connection_untracked())
        {
            first_read::start(session.client(&connection), route, &search);
        }
        app_config.set_value(config);
        ready.set(true);
    });
    view! {
        <Show
            when=move || ready.get()
            fallback=move || match config_error.get() {
                Some(error) => view! {
                    <main class="page" role="alert">
                        <h1>"Dashdeck cannot start"</h1>
                        <p>{error}</p>
                        <p class="hint">{hint}</p>
                    </main>
                }.into_any(),
                None => view! { <p class="status app-loading" role="status" aria-busy="true">"Loading Dashdeck…"</p> }.into_any(),
            }
        >
            <Pages />
        </Show>
    }
}

/// The page for the current path; a page is rebuilt only when its route changes, not when
/// its query string does.
#[component]
fn Pages() -> impl IntoView {
    let location = router::provide_router();
    components::toast::Toasts::provide();
    let route = Memo::new(move |_| Route::parse(&location.path.read()));
    let page = move || match route.get() {
        Route::Home => view! { <HomePage /> }.into_any(),
        Route::Connect => lazy("the connect page", pages::connect::connect_page),
        Route::OAuthCallback => lazy("the sign-in", pages::oauth_callback::oauth_callback_page),
        Route::Dashboards { project_id } => {
            view! { <DashboardsPage project_id=project_id /> }.into_any()
        }
        Route::Dashboard {
            project_id,
            dashboard_id,
        } => view! { <DashboardPage project_id=project_id dashboard_id=dashboard_id /> }.into_any(),
        Route::NotFound => view! { <NotFoundPage /> }.into_any(),
    };
    view! { <components::offline_banner::OfflineBanner /> {page} <components::toast::ToastView /> }
}
