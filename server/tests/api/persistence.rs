//! Data survives restarts, `--reset` re-seeds, and the command line behaves.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn data_survives_a_restart_and_reset_reseeds() {
    let server = start().await;
    let created = server
        .json(
            Method::POST,
            "/api/projects/1/dashboards/",
            ADA,
            json!({"name": "Keep me"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert!(server.dir.path().join("standin.sqlite3").exists());

    let again = serve_on(server.dir.path(), |_| {}).await;
    let client = reqwest::Client::new();
    let list = |base: String| {
        let client = client.clone();
        async move {
            let body: serde_json::Value = client
                .get(format!("{base}/api/projects/1/dashboards/?search=Keep"))
                .bearer_auth(ADA)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["count"].as_i64().unwrap()
        }
    };
    assert_eq!(
        list(again).await,
        1,
        "the new dashboard is still there after a restart"
    );

    let reset = serve_on(server.dir.path(), |c| c.reset = true).await;
    assert_eq!(list(reset.clone()).await, 0, "--reset drops it");
    let body: serde_json::Value = client
        .get(format!("{reset}/api/projects/1/dashboards/"))
        .bearer_auth(ADA)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["count"], 34);
}

/// Starts the binary and returns it with the first line it printed.
fn run_cli(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dashdeck-server"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

#[tokio::test]
async fn the_cli_prints_its_url_and_refuses_a_busy_port() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().to_str().unwrap();
    let (mut child, line) = run_cli(&[
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data-dir",
        data,
        "--demo",
    ]);
    let url = line
        .strip_prefix("Dashdeck is running at ")
        .and_then(|rest| rest.strip_suffix("/\n"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0, "the real bound port is printed");
    let config: serde_json::Value = reqwest::get(format!("{url}/config.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["api_key"], ADA);

    let busy = Command::new(env!("CARGO_BIN_EXE_dashdeck-server"))
        .args(["--port", &port.to_string(), "--data-dir", data])
        .output()
        .unwrap();
    assert_eq!(busy.status.code(), Some(1));
    let stderr = String::from_utf8(busy.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(busy.stdout.is_empty());

    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn the_cli_takes_the_api_era_and_licence_switches() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().to_str().unwrap();
    let (mut child, line) = run_cli(&[
        "--port",
        "0",
        "--data-dir",
        data,
        "--api-era",
        "old",
        "--unlicensed",
    ]);
    let url = line
        .trim()
        .strip_prefix("Dashdeck is running at ")
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let client = reqwest::Client::new();
    let dashboard: serde_json::Value = client
        .get(format!("{url}/api/projects/1/dashboards/6/"))
        .bearer_auth(ADA)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dashboard["effective_restriction_level"], 21, "unlicensed");
    let moved = client
        .patch(format!("{url}/api/projects/1/dashboards/6/move_tile/"))
        .bearer_auth(ADA)
        .json(&json!({"tile": {"id": 1}, "toDashboard": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        moved.status(),
        StatusCode::FORBIDDEN,
        "the old era refuses keys"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let bad = Command::new(env!("CARGO_BIN_EXE_dashdeck-server"))
        .args(["--api-era", "ancient", "--data-dir", data])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "clap rejects unknown eras");
}
