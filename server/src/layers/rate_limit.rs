//! PostHog's per-key throttles (api.md §1.7): `BurstRateThrottle` 480/minute and
//! `SustainedRateThrottle` 4800/hour, counted per personal API key with DRF's sliding-window log.
//! Off unless `--rate-limit` is given. Session requests and anonymous ones pass, as in PostHog
//! (`personal_api_key_only`).

use std::collections::{HashMap, VecDeque};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::SESSION_TOKEN_PREFIX;
use crate::error::ApiError;
use crate::extract::Query;

/// At most `count` requests in any window of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: usize,
    pub per: Duration,
}

/// The throttles applied to each key; a request must pass all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits(pub Vec<Rate>);

impl RateLimits {
    /// PostHog's defaults: 480/minute burst, 4800/hour sustained.
    pub fn posthog() -> Self {
        Self(vec![
            Rate {
                count: 480,
                per: Duration::from_secs(60),
            },
            Rate {
                count: 4800,
                per: Duration::from_secs(3600),
            },
        ])
    }
}

impl FromStr for RateLimits {
    type Err = String;

    /// DRF's rate syntax, comma-separated: `480/minute,4800/hour` (`s`, `m`, `h`, `d` work too).
    fn from_str(spec: &str) -> Result<Self, String> {
        let rates = spec
            .split(',')
            .map(|rate| {
                let (count, period) = rate
                    .trim()
                    .split_once('/')
                    .ok_or_else(|| format!("`{rate}` is not N/period"))?;
                let count = count
                    .parse::<usize>()
                    .map_err(|_| format!("`{count}` is not a count"))?;
                // DRF reads only the period's first letter.
                let seconds = match period.chars().next() {
                    Some('s') => 1,
                    Some('m') => 60,
                    Some('h') => 3600,
                    Some('d') => 86400,
                    _ => return Err(format!("`{period}` is not second, minute, hour or day")),
                };
                Ok(Rate {
                    count,
                    per: Duration::from_secs(seconds),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(rates))
    }
}

/// The request history of every key, shared by all requests.
#[derive(Clone)]
pub struct Throttle {
    limits: Arc<RateLimits>,
    /// Per key, per rate: the times of the requests still inside that rate's window.
    history: Arc<Mutex<HashMap<String, Vec<VecDeque<Instant>>>>>,
}

impl Throttle {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits: Arc::new(limits),
            history: Arc::default(),
        }
    }

    /// Records a request by `key` at `now`, or returns the whole seconds until one is allowed.
    fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut history = self.history.lock().unwrap_or_else(|p| p.into_inner());
        let windows = history
            .entry(key.to_owned())
            .or_insert_with(|| vec![VecDeque::new(); self.limits.0.len()]);
        let mut wait = Duration::ZERO;
        for (rate, window) in self.limits.0.iter().zip(windows.iter_mut()) {
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= rate.per)
            {
                window.pop_front();
            }
            if window.len() >= rate.count {
                let oldest = window.front().copied().unwrap_or(now);
                wait = wait.max(rate.per.saturating_sub(now.duration_since(oldest)));
            }
        }
        if wait > Duration::ZERO || self.limits.0.iter().any(|r| r.count == 0) {
            // DRF rounds the wait up to whole seconds.
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        for window in windows.iter_mut() {
            window.push_back(now);
        }
        Ok(())
    }
}

/// The personal API key a request carries, found where [`crate::auth`] looks for it.
fn personal_api_key(request: &Request) -> Option<String> {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty());
    match bearer {
        Some(key) if key.starts_with(SESSION_TOKEN_PREFIX) => None,
        Some(key) => Some(key.to_owned()),
        None => Query::parse(request.uri().query())
            .get("personal_api_key")
            .filter(|k| !k.is_empty())
            .map(str::to_owned),
    }
}

/// The middleware: counts the request against its key, or answers 429 with `Retry-After`.
pub async fn throttle(State(throttle): State<Throttle>, request: Request, next: Next) -> Response {
    if let Some(key) = personal_api_key(&request) {
        // Only the hash is kept, like PostHog's cache key.
        if let Err(wait) = throttle.check(&crate::auth::secure_value(&key), Instant::now()) {
            return throttled(wait);
        }
    }
    next.run(request).await
}

/// DRF's `Throttled` as drf-exceptions-hog renders it, with `Retry-After`.
pub fn throttled(wait: u64) -> Response {
    let unit = if wait == 1 { "second" } else { "seconds" };
    let mut response = ApiError::throttled(format!(
        "Request was throttled. Expected available in {wait} {unit}."
    ))
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    debug_assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_drf_rates() {
        let limits: RateLimits = "5/minute, 100/h".parse().unwrap();
        assert_eq!(limits.0[0].count, 5);
        assert_eq!(limits.0[0].per, Duration::from_secs(60));
        assert_eq!(limits.0[1].per, Duration::from_secs(3600));
        assert!("5".parse::<RateLimits>().is_err());
        assert!("x/minute".parse::<RateLimits>().is_err());
        assert!("5/week".parse::<RateLimits>().is_err());
    }

    #[test]
    fn the_window_slides_and_the_wait_counts_from_the_oldest_request() {
        let throttle = Throttle::new("2/minute".parse().unwrap());
        let start = Instant::now();
        assert_eq!(throttle.check("k", start), Ok(()));
        assert_eq!(throttle.check("k", start + Duration::from_secs(20)), Ok(()));
        assert_eq!(
            throttle.check("k", start + Duration::from_secs(30)),
            Err(30)
        );
        assert_eq!(throttle.check("other", start), Ok(()));
        assert_eq!(throttle.check("k", start + Duration::from_secs(60)), Ok(()));
    }
}
