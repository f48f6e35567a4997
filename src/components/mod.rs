//! Reusable pieces of the pages.

pub mod app_header;
pub mod board;
pub mod bulk_bar;
pub mod collaborators;
pub mod connect_form;
pub mod copy_dialog;
pub mod dashboard_header;
pub mod dashboard_row;
pub mod dialog;
pub mod error_message;
pub mod import_run;
pub mod lazy;
pub mod list_controls;
pub mod new_dashboard;
pub mod offline_banner;
pub mod sharing_dialog;
pub mod static_dom;
pub mod tag_list;
pub mod tile;
pub mod toast;
