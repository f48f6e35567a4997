//! When a failed read is tried again by itself, and what the user reads meanwhile. Writes are
//! never repeated automatically: a repeated POST or PATCH could apply twice.

use crate::api::ApiError;

/// Automatic attempts after the first request of a read.
pub const MAX_AUTO_RETRIES: u32 = 3;
/// Wait when a 429 names none (PostHog's limits are per minute).
pub const DEFAULT_WAIT: u32 = 30;
/// Requests that take longer are aborted (`window.__dashdeckTimeoutMs` overrides it in tests).
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// Seconds to wait before repeating a read that failed with `error` after `attempt` automatic
/// retries, or `None` when the error is final (the user gets it with a button).
pub fn read_retry_wait(error: &ApiError, attempt: u32) -> Option<u32> {
    match error {
        ApiError::RateLimited { retry_after } if attempt < MAX_AUTO_RETRIES => {
            Some(retry_after.unwrap_or(DEFAULT_WAIT).clamp(1, 600))
        }
        _ => None,
    }
}

/// The timeout to use: a positive override (whole milliseconds), else the default.
pub fn timeout_ms(override_ms: Option<f64>) -> u32 {
    match override_ms {
        Some(ms) if ms >= 1.0 && ms < f64::from(u32::MAX) => ms as u32,
        _ => DEFAULT_TIMEOUT_MS,
    }
}

/// The banner line while a rate-limited read waits.
pub fn countdown_message(seconds: u32) -> String {
    let unit = if seconds == 1 { "second" } else { "seconds" };
    format!("PostHog is rate-limiting this key. Retrying in {seconds} {unit}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rate_limits_retry_by_themselves_and_only_a_few_times() {
        let limited = ApiError::RateLimited {
            retry_after: Some(2),
        };
        assert_eq!(read_retry_wait(&limited, 0), Some(2));
        assert_eq!(read_retry_wait(&limited, MAX_AUTO_RETRIES - 1), Some(2));
        assert_eq!(read_retry_wait(&limited, MAX_AUTO_RETRIES), None);
        let unknown = ApiError::RateLimited { retry_after: None };
        assert_eq!(read_retry_wait(&unknown, 0), Some(DEFAULT_WAIT));
        let zero = ApiError::RateLimited {
            retry_after: Some(0),
        };
        assert_eq!(read_retry_wait(&zero, 0), Some(1));
        let huge = ApiError::RateLimited {
            retry_after: Some(86_400),
        };
        assert_eq!(read_retry_wait(&huge, 0), Some(600));
        for final_error in [
            ApiError::Server { status: 500 },
            ApiError::Network,
            ApiError::Timeout,
            ApiError::NotFound,
            ApiError::Aborted,
        ] {
            assert_eq!(read_retry_wait(&final_error, 0), None, "{final_error:?}");
        }
    }

    #[test]
    fn timeout_override_must_be_a_positive_number() {
        assert_eq!(timeout_ms(None), 15_000);
        assert_eq!(timeout_ms(Some(1500.7)), 1500);
        assert_eq!(timeout_ms(Some(0.0)), 15_000);
        assert_eq!(timeout_ms(Some(-5.0)), 15_000);
        assert_eq!(timeout_ms(Some(f64::NAN)), 15_000);
        assert_eq!(timeout_ms(Some(1e12)), 15_000);
    }

    #[test]
    fn countdown_reads_naturally() {
        assert_eq!(
            countdown_message(2),
            "PostHog is rate-limiting this key. Retrying in 2 seconds…"
        );
        assert!(countdown_message(1).ends_with("in 1 second…"));
    }
}
