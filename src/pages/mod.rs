//! One module per route, each with one public component.

pub mod connect;
pub mod dashboard;
pub mod dashboards;
pub mod home;
pub mod not_found;
pub mod oauth_callback;
pub mod project;
