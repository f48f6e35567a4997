//! Timestamps as PostHog's API renders them: ISO 8601, UTC, microseconds, `Z`.
//!
//! They are stored in SQLite in the same form, so string order is time order.

use time::macros::format_description;
use time::{Duration, OffsetDateTime};

fn format(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    ))
    .expect("a UTC timestamp always formats")
}

/// The current time.
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

/// The time `hours` hours ago.
pub fn hours_ago(hours: i64) -> String {
    format(OffsetDateTime::now_utc() - Duration::hours(hours))
}

/// The time `minutes` minutes from now.
pub fn minutes_from_now(minutes: i64) -> String {
    format(OffsetDateTime::now_utc() + Duration::minutes(minutes))
}

/// The time `duration` from now.
pub fn after(duration: std::time::Duration) -> String {
    format(OffsetDateTime::now_utc() + duration)
}
