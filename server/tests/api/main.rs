//! The stand-in over real HTTP: each test starts `serve` on 127.0.0.1:0 with a database file in a
//! temporary directory and talks to it with reqwest.

mod access_controls;
mod accounts;
mod auth;
mod collaborators;
mod common;
mod concurrency;
mod dashboards_list;
mod dashboards_write;
mod duplicate_delete;
mod fuzz;
mod insights;
mod lifecycle_rules;
mod misbehaviour;
mod move_tile;
mod oauth;
mod openapi;
mod persistence;
mod proxy;
mod robustness;
mod sharing;
mod templates;
