//! Many clients writing at once lose nothing and leave a sound database; a server killed with
//! SIGKILL mid-write leaves a database that passes `PRAGMA integrity_check` and serves again.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{start, ADA};

const CLIENTS: usize = 16;
const ROUNDS: usize = 5;
/// Dashboards receiving every client's text tiles (the first of the clients' own dashboards too).
const SHARED: usize = 4;

fn integrity(data_dir: &Path) -> String {
    let conn = rusqlite::Connection::open(data_dir.join("standin.sqlite3")).expect("open");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

fn text_bodies(dashboard: &Value) -> BTreeSet<String> {
    dashboard["tiles"]
        .as_array()
        .expect("tiles")
        .iter()
        .filter_map(|t| t["text"]["body"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_patches_of_the_same_dashboards_lose_no_write() {
    let server = Arc::new(start().await);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let server = server.clone();
            tokio::spawn(async move {
                let own = format!("/api/projects/1/dashboards/{}/", client + 1);
                let shared = format!("/api/projects/1/dashboards/{}/", client % SHARED + 1);
                for round in 0..ROUNDS {
                    let named = json!({"name": format!("client {client} round {round}"),
                                       "tags": [format!("c{client}"), format!("r{round}")]});
                    let reply = server.patch(&own, ADA, named).await;
                    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
                    let tile = json!({"tiles": [{"text": {"body": format!("{client}/{round}")}}]});
                    let reply = server.patch(&shared, ADA, tile).await;
                    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
                }
            })
        })
        .collect();
    for client in clients {
        client.await.expect("client");
    }
    for client in 0..CLIENTS {
        let path = format!("/api/projects/1/dashboards/{}/", client + 1);
        let dashboard = server.get(&path, ADA).await.body;
        let last = ROUNDS - 1;
        assert_eq!(dashboard["name"], format!("client {client} round {last}"));
        let tags: BTreeSet<_> = dashboard["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let (mine, round) = (format!("c{client}"), format!("r{last}"));
        assert_eq!(tags, [mine.as_str(), round.as_str()].into());
    }
    for shared in 0..SHARED {
        let path = format!("/api/projects/1/dashboards/{}/", shared + 1);
        let bodies = text_bodies(&server.get(&path, ADA).await.body);
        for client in (shared..CLIENTS).step_by(SHARED) {
            for round in 0..ROUNDS {
                assert!(
                    bodies.contains(&format!("{client}/{round}")),
                    "{client}/{round} lost"
                );
            }
        }
    }
    assert_eq!(integrity(server.dir.path()), "ok");
}

/// The real binary on a free port; returns it and its base URL.
fn spawn_binary(data_dir: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dashdeck-server"))
        .args(["--port", "0", "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn dashdeck-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("startup line");
    let url = line
        .trim()
        .strip_prefix("Dashdeck is running at ")
        .unwrap_or_else(|| panic!("unexpected startup line {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    (child, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_in_the_middle_of_writes_leaves_a_sound_database() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let (mut child, base) = spawn_binary(dir.path());
    let client = reqwest::Client::new();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move {
                // Ids of the dashboards whose creation was acknowledged before the kill.
                let mut created = Vec::new();
                for n in 0.. {
                    let body = json!({"name": format!("w{writer} n{n}"), "tags": ["kill"],
                                      "tiles": [{"text": {"body": "x".repeat(2000)}}]});
                    let sent = client
                        .post(format!("{base}/api/projects/1/dashboards/"))
                        .bearer_auth(ADA)
                        .json(&body)
                        .send()
                        .await;
                    let Ok(response) = sent else { break };
                    let Ok(dashboard) = response.json::<Value>().await else {
                        break;
                    };
                    let id = dashboard["id"].as_i64().expect("id");
                    created.push(id);
                    let patch = json!({"tiles": [{"text": {"body": format!("tile {n}")}}]});
                    let patched = client
                        .patch(format!("{base}/api/projects/1/dashboards/{id}/"))
                        .bearer_auth(ADA)
                        .json(&patch)
                        .send()
                        .await;
                    if patched.is_err() {
                        break;
                    }
                }
                created
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.expect("writer"));
    }
    assert!(acknowledged.len() > 8, "too few writes before the kill");

    assert_eq!(integrity(dir.path()), "ok");
    let (mut child, base) = spawn_binary(dir.path());
    for id in &acknowledged {
        let reply = client
            .get(format!("{base}/api/projects/1/dashboards/{id}/"))
            .bearer_auth(ADA)
            .send()
            .await
            .expect("restarted server answers");
        assert_eq!(reply.status(), StatusCode::OK, "dashboard {id} lost");
    }
    child.kill().expect("stop");
    child.wait().expect("reaped");
}
