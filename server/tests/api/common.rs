//! Starting a server and talking to it.

use std::path::Path;

use dashdeck_server::{serve, serve_with, Config, Options};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tempfile::TempDir;

pub use dashdeck_server::seed::{
    DEMO_DASHBOARD_ONLY_KEY as DASHBOARD_ONLY, DEMO_FULL_ACCESS_KEY as ADA,
    DEMO_MEMBER_FULL_KEY as GRACE_WRITE, DEMO_MEMBER_SESSION_TOKEN as GRACE_SESSION,
    DEMO_OTHER_ORG_KEY as LINUS, DEMO_PROJECT2_ONLY_KEY as PROJECT2_ONLY,
    DEMO_READ_ONLY_KEY as GRACE_READ, DEMO_SESSION_TOKEN as ADA_SESSION,
};

/// A running server and the directory holding its database.
pub struct Server {
    pub base: String,
    pub dir: TempDir,
    client: reqwest::Client,
}

/// A response: status and JSON body (`Value::Null` when the body is empty).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

/// Starts a server on a fresh, seeded database.
pub async fn start() -> Server {
    start_with(TempDir::new().expect("temp dir"), |_| {}).await
}

/// Starts a server on a fresh, seeded database with `options`.
pub async fn start_with_options(options: Options) -> Server {
    let dir = TempDir::new().expect("temp dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(serve_with(config(dir.path()), options, listener));
    Server {
        base,
        dir,
        client: client(),
    }
}

/// A client that opens a new connection per request. The server closes a connection after an
/// answer it gave without reading the whole body (413, early refusals); a pooled client could pick
/// such a connection up again in the meantime and see `IncompleteMessage` — a race of the test
/// client, not an answer of the server.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("HTTP client")
}

fn config(dir: &Path) -> Config {
    Config {
        data_dir: dir.to_path_buf(),
        dist_dir: None,
        demo: false,
        reset: false,
    }
}

/// Starts a server on `dir` after letting `configure` adjust the config.
pub async fn start_with(dir: TempDir, configure: impl FnOnce(&mut Config)) -> Server {
    let base = serve_on(dir.path(), configure).await;
    Server {
        base,
        dir,
        client: client(),
    }
}

/// Serves the data directory `dir` in the background and returns the base URL.
pub async fn serve_on(dir: &Path, configure: impl FnOnce(&mut Config)) -> String {
    let mut config = config(dir);
    configure(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    // Requests wait in the listener's backlog until `serve` has opened the database.
    tokio::spawn(serve(config, listener));
    base
}

impl Server {
    /// A request with the personal API key `key` (if any) as a Bearer token.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match key {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }

    /// Sends `request` and reads the reply.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        };
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    /// GET with a key.
    pub async fn get(&self, path: &str, key: &str) -> Reply {
        self.send(self.request(Method::GET, path, Some(key))).await
    }

    /// A JSON request with a key.
    pub async fn json(&self, method: Method, path: &str, key: &str, body: Value) -> Reply {
        self.send(self.request(method, path, Some(key)).json(&body))
            .await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, key: &str, body: Value) -> Reply {
        self.json(Method::POST, path, key, body).await
    }

    /// PATCH with a JSON body.
    pub async fn patch(&self, path: &str, key: &str, body: Value) -> Reply {
        self.json(Method::PATCH, path, key, body).await
    }
}

/// The error body PostHog sends.
pub fn error(kind: &str, code: &str, detail: &str, attr: Option<&str>) -> Value {
    serde_json::json!({"type": kind, "code": code, "detail": detail, "attr": attr})
}

/// The list of project 1's dashboards, all on one page.
pub async fn all_dashboards(server: &Server, key: &str) -> Vec<Value> {
    let reply = server
        .get("/api/projects/1/dashboards/?limit=500", key)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.body["results"].as_array().expect("results").clone()
}

/// The ids of the insights on a dashboard's tiles, in tile order.
pub fn insight_ids(dashboard: &Value) -> Vec<i64> {
    dashboard["tiles"]
        .as_array()
        .expect("tiles")
        .iter()
        .filter_map(|t| t["insight"]["id"].as_i64())
        .collect()
}

/// Runs `sql` on the server's database from outside (to expire a token, flip a licence, ...).
pub fn sql(server: &Server, sql: &str) {
    let conn = rusqlite::Connection::open(server.dir.path().join("standin.sqlite3")).expect("db");
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .expect("timeout");
    conn.execute_batch(sql).expect("sql");
}
