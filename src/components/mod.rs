//! Reusable pieces of the pages.

pub mod app_header;
pub mod board;
pub mod connect_form;
pub mod dashboard_row;
pub mod error_message;
pub mod list_controls;
pub mod markdown_view;
pub mod tag_list;
pub mod tile;
