//! App state that outlives a page: the runtime config and the PostHog connection.

pub mod config;
pub mod first_read;
pub mod network;
pub mod session;
pub mod sign_in;
