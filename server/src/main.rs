//! `dashdeck-server`: parses the command line, binds, prints the URL, serves.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use dashdeck_server::{app_with, proxy, serve_app, ApiEra, Config, FaultRule, Options, RateLimits};

/// Where proxy mode reads the personal API key it adds (never a command-line argument, which
/// other users of the machine can read).
const UPSTREAM_KEY_VAR: &str = "DASHDECK_UPSTREAM_KEY";

/// PostHog-compatible stand-in server for Dashdeck; also serves the built app.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The built app (trunk's dist directory) to serve.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Directory for the database (standin.sqlite3).
    #[arg(long, default_value = ".data")]
    data_dir: PathBuf,
    /// Delete the database and seed it again.
    #[arg(long)]
    reset: bool,
    /// Serve /config.json with the demo project and key when the build has none.
    #[arg(long)]
    demo: bool,
    /// Which PostHog to imitate where versions differ (move_tile's body and scope).
    #[arg(long, value_enum, default_value_t = Era::New)]
    api_era: Era,
    /// Start with every organization unlicensed for access control (restriction levels,
    /// collaborators and access controls then have no effect).
    #[arg(long)]
    unlicensed: bool,
    /// Throttle each personal API key like PostHog: alone, 480/minute and 4800/hour; or DRF rates
    /// such as `5/minute` or `10/second,100/hour`.
    #[arg(long, value_name = "RATES", num_args = 0..=1, default_missing_value = "480/minute,4800/hour")]
    rate_limit: Option<RateLimits>,
    /// Proxy mode: forward the dashboards API to this PostHog host (e.g. https://eu.posthog.com)
    /// with the personal API key from $DASHDECK_UPSTREAM_KEY, instead of serving the stand-in's data.
    #[arg(long, value_name = "URL")]
    upstream: Option<String>,
    /// Lifetime of OAuth access tokens in seconds (default 3600); short values let you watch
    /// clients refresh.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    oauth_token_ttl: Option<u64>,
    /// A fault rule in force from the start, as JSON (see `POST /_standin/faults`); repeatable.
    #[arg(long, value_name = "JSON", value_parser = parse_fault)]
    fault: Vec<FaultRule>,
}

fn parse_fault(json: &str) -> Result<FaultRule, String> {
    let value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    FaultRule::parse(value).map_err(|e| e.detail().to_owned())
}

/// `--api-era` values.
#[derive(Clone, Copy, ValueEnum)]
enum Era {
    New,
    Old,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = Config {
        data_dir: cli.data_dir,
        dist_dir: cli.dist,
        demo: cli.demo,
        reset: cli.reset,
    };
    let options = Options {
        api_era: match cli.api_era {
            Era::New => ApiEra::New,
            Era::Old => ApiEra::Old,
        },
        unlicensed: cli.unlicensed,
        rate_limit: cli.rate_limit,
        faults: cli.fault,
        oauth_token_ttl: cli.oauth_token_ttl.map(std::time::Duration::from_secs),
        oauth_grants: Default::default(),
    };
    let router = match cli.upstream {
        Some(base) => {
            let key = std::env::var(UPSTREAM_KEY_VAR).unwrap_or_default();
            if !(base.starts_with("https://") || base.starts_with("http://")) || key.is_empty() {
                return fail(&format!(
                    "--upstream needs an http(s) URL and the personal API key in ${UPSTREAM_KEY_VAR}"
                ));
            }
            proxy::router(proxy::Upstream { base, key }, config.dist_dir)
        }
        None => match app_with(&config, &options) {
            Ok(router) => router,
            Err(e) => {
                return fail(&format!(
                    "cannot open the database in {}: {e}",
                    config.data_dir.display()
                ))
            }
        },
    };
    let address = format!("{}:{}", cli.host, cli.port);
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(e) => return fail(&format!("cannot listen on {address}: {e}")),
    };
    let port = match listener.local_addr() {
        Ok(local) => local.port(),
        Err(e) => return fail(&format!("cannot read the bound address: {e}")),
    };
    let mut stdout = std::io::stdout();
    // Scripts wait for this exact line, so it is flushed at once.
    let _ = writeln!(stdout, "Dashdeck is running at http://{}:{port}/", cli.host);
    let _ = stdout.flush();
    match serve_app(router, listener).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("server error: {e}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("dashdeck-server: {message}");
    ExitCode::from(1)
}
