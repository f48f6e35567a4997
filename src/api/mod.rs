//! The only code that knows PostHog's URLs and JSON.

pub mod client;
mod early;
pub mod error;
pub mod import;
pub mod models;
pub mod oauth;
pub mod sharing;

pub use client::{ApiClient, RequestSlot};
pub use early::forget as forget_early_read;
pub use error::ApiError;
