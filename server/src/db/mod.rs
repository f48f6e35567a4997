//! The stand-in's storage: one SQLite file, `<data-dir>/standin.sqlite3`, behind one connection.
//!
//! Queries are grouped by PostHog resource (`accounts`, `dashboards`, `tiles`). Handlers run their
//! whole request inside [`Db::run`], on a blocking thread, so a request sees and writes one
//! consistent state.

pub mod access_controls;
pub mod accounts;
pub mod collaborators;
pub mod dashboards;
pub mod insights;
pub mod oauth;
mod schema;
pub mod sharing;
pub mod tiles;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use serde_json::Value;

use crate::error::ApiError;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "standin.sqlite3";

/// A shared handle to the database connection.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens `<data_dir>/standin.sqlite3`, creating the directory and schema if missing; deletes it first
    /// if `reset`. Seeds the demo data when the database is empty.
    pub fn open(data_dir: &Path, reset: bool) -> rusqlite::Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(io_to_sqlite)?;
        let path = data_dir.join(DB_FILE);
        if reset {
            for file in [
                path.clone(),
                sidecar(&path, "-wal"),
                sidecar(&path, "-shm"),
                sidecar(&path, "-journal"),
            ] {
                match std::fs::remove_file(&file) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(io_to_sqlite(e))
                    }
                    _ => {}
                }
            }
        }
        let mut conn = Connection::open(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL: a crash (even SIGKILL) mid-write leaves the last committed state, and outside
        // readers (tests, sqlite3) do not block the server's writes.
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        let empty: bool =
            conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM organizations)", [], |r| {
                r.get(0)
            })?;
        if empty {
            let tx = conn.transaction()?;
            crate::seed::seed(&tx)?;
            tx.commit()?;
        }
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Grants or withdraws every organization's access-control licence (see `--unlicensed`).
    pub fn apply_licence(&self, licensed: bool) -> rusqlite::Result<()> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        crate::seed::apply_licence(&conn, licensed)
    }

    /// Runs `f` in one transaction on a blocking thread; commits if it returns `Ok`, rolls back otherwise.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction) -> Result<T, ApiError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            // A panic in an earlier request must not take the whole server down with a poisoned lock.
            let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let tx = conn.transaction()?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })
        .await
        .map_err(ApiError::internal)?
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn io_to_sqlite(e: std::io::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// Reads a JSON text column, tolerating NULL as JSON null.
pub(crate) fn json_column(row: &rusqlite::Row, index: &str) -> rusqlite::Result<Value> {
    let text: Option<String> = row.get(index)?;
    match text {
        None => Ok(Value::Null),
        Some(text) => serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        }),
    }
}

/// Serializes a JSON value for a text column.
pub(crate) fn json_text(value: &Value) -> String {
    value.to_string()
}
