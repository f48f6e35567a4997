//! Plain Rust rules of the app, tested natively: no DOM, no network.

pub mod bulk;
pub mod copy;
pub mod dom_ops;
pub mod edit;
pub mod filters;
pub mod format;
pub mod layout;
pub mod list_query;
pub mod markdown;
pub mod oauth;
pub mod preview;
pub mod retry;
pub mod route;
pub mod sharing;
pub mod template;
pub mod validation;
