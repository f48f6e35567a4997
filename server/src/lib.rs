//! Dashdeck's stand-in for PostHog: the dashboards REST API (with PostHog's auth, scopes, error
//! bodies and CORS) over a seeded SQLite database, the public pages of shared dashboards
//! (`/shared/{token}`, `/embedded/{token}`), an OAuth authorization server for public clients
//! ([`oauth`]: PKCE, consent page, refresh), plus the built app and its runtime config.
//!
//! For tests of clients it can misbehave on purpose: PostHog's rate limits (`--rate-limit`,
//! [`RateLimits`]) and injected latency, errors and dropped connections (`/_standin/faults`,
//! [`layers::faults`]). Whatever a request carries, the answer is a PostHog-shaped JSON body:
//! malformed input is a 4xx, and a panic (a bug) is caught and answered with PostHog's 500.

pub mod api;
pub mod auth;
pub mod clock;
pub mod db;
pub mod error;
pub mod extract;
pub mod layers;
pub mod oauth;
pub mod permissions;
pub mod proxy;
mod random;
pub mod seed;
mod shared_pages;
mod static_files;

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{HeaderName, Method};
use axum::middleware::from_fn_with_state;
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use layers::faults::FaultRule;
pub use layers::rate_limit::RateLimits;
use layers::{faults, rate_limit};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Directory holding `standin.sqlite3` (created if missing).
    pub data_dir: PathBuf,
    /// The built app to serve, with an `index.html` fallback for deep links.
    pub dist_dir: Option<PathBuf>,
    /// Serve a `/config.json` carrying the demo key when the build has none.
    pub demo: bool,
    /// Delete the database and seed it again on start.
    pub reset: bool,
}

/// Which PostHog the API imitates where versions disagree (api.md §0: [NEW] vs [OLD]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ApiEra {
    /// The newest viewset: `move_tile` reads `to_dashboard` and takes `dashboard:write` keys.
    #[default]
    New,
    /// The viewset before it moved into `products/`: `move_tile` reads `toDashboard` and refuses
    /// personal API keys.
    Old,
}

/// Behaviour switches beyond [`Config`] (kept separate so `Config` stays as it is).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// See [`ApiEra`].
    pub api_era: ApiEra,
    /// Withdraw every organization's access-control licence at start-up (restored otherwise).
    pub unlicensed: bool,
    /// PostHog's per-key throttles (`--rate-limit`); `None` = unlimited, PostHog's default when
    /// `RATE_LIMIT_ENABLED` is off.
    pub rate_limit: Option<RateLimits>,
    /// Fault rules in force from the start (more via `POST /_standin/faults`); see [`layers::faults`].
    pub faults: Vec<FaultRule>,
    /// Lifetime of OAuth access tokens (`--oauth-token-ttl`); `None` = one hour. Tests make it
    /// short to see clients refresh.
    pub oauth_token_ttl: Option<std::time::Duration>,
    /// Counts the token grants the server makes; a test keeps a clone to read them.
    pub oauth_grants: oauth::GrantCounts,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: db::Db,
    /// The built app, if served.
    pub dist_dir: Option<Arc<PathBuf>>,
    /// Demo mode (see [`Config::demo`]).
    pub demo: bool,
    /// See [`ApiEra`].
    pub api_era: ApiEra,
    /// The OAuth server's settings and client cache.
    pub oauth: oauth::OAuth,
}

/// Opens (creating and seeding if new, or re-seeding if `reset`) the database and builds the router.
pub fn app(config: &Config) -> std::io::Result<Router> {
    app_with(config, &Options::default())
}

/// [`app`] with [`Options`].
pub fn app_with(config: &Config, options: &Options) -> std::io::Result<Router> {
    let db = db::Db::open(&config.data_dir, config.reset).map_err(std::io::Error::other)?;
    db.apply_licence(!options.unlicensed)
        .map_err(std::io::Error::other)?;
    let state = AppState {
        db,
        dist_dir: config.dist_dir.clone().map(Arc::new),
        demo: config.demo,
        api_era: options.api_era,
        oauth: oauth::OAuth::new(options.oauth_token_ttl, options.oauth_grants.clone()),
    };
    let mut api = api::router();
    if let Some(limits) = &options.rate_limit {
        let throttle = rate_limit::Throttle::new(limits.clone());
        api = api.layer(from_fn_with_state(throttle, rate_limit::throttle));
    }
    let fault_rules = faults::Faults::new(options.faults.clone());
    // Inside CORS, so a browser can read the injected errors and 429s like real ones.
    let api = api
        .layer(from_fn_with_state(fault_rules.clone(), faults::inject))
        .layer(cors());
    let router = shared_pages::routes(Router::new().nest("/api", api))
        .merge(oauth::routes(cors()))
        .merge(faults::routes(fault_rules));
    let router =
        static_files::with_static_files(router, config.dist_dir.as_deref()).with_state(state);
    Ok(layers::catch_panic::catch_panics(router))
}

/// Opens (creating and seeding if new, or re-seeding if `reset`) the database and serves until the process ends.
pub async fn serve(config: Config, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_with(config, Options::default(), listener).await
}

/// [`serve`] with [`Options`].
pub async fn serve_with(
    config: Config,
    options: Options,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    serve_app(app_with(&config, &options)?, listener).await
}

/// Serves an already built [`app`] on `listener`.
pub async fn serve_app(app: Router, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, app).await
}

/// django-cors-headers as PostHog configures it for `/api/`: any origin (echoed, since credentials
/// are allowed), the default headers plus PostHog's tracing headers, the default methods.
fn cors() -> CorsLayer {
    const HEADERS: [&str; 15] = [
        "accept",
        "authorization",
        "content-type",
        "user-agent",
        "x-csrftoken",
        "x-requested-with",
        "traceparent",
        "request-id",
        "request-context",
        "x-amzn-trace-id",
        "x-cloud-trace-context",
        "sentry-trace",
        "baggage",
        "x-highlight-request",
        "x-datadome-clientid",
    ];
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_credentials(true)
        .allow_headers(HEADERS.map(HeaderName::from_static))
        .allow_methods([
            Method::DELETE,
            Method::GET,
            Method::OPTIONS,
            Method::PATCH,
            Method::POST,
            Method::PUT,
        ])
        .max_age(std::time::Duration::from_secs(86400))
}
