//! Whether the browser is offline and whether a read is waiting out a rate limit: written by
//! the request layer (which waits) and read by the banner (which shows it).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use crate::api::ApiError;

/// The page-wide network state; lives as long as the page.
#[derive(Clone)]
pub struct Network {
    /// `navigator.onLine` is false, or the last fetch failed while it was.
    pub offline: ArcRwSignal<bool>,
    /// Seconds left before a rate-limited read is sent again.
    pub retry_in: ArcRwSignal<Option<u32>>,
}

thread_local! {
    static NETWORK: Network = Network::start();
}

/// The page's network state (listening to `online`/`offline` from the first call on).
pub fn network() -> Network {
    NETWORK.with(Clone::clone)
}

impl Network {
    fn start() -> Self {
        let offline = ArcRwSignal::new(!navigator_online());
        if let Some(window) = web_sys::window() {
            for (name, value) in [("online", false), ("offline", true)] {
                let flag = offline.clone();
                let listener = Closure::<dyn Fn()>::new(move || flag.set(value));
                let _ = window
                    .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
                listener.forget();
            }
        }
        Self {
            offline,
            retry_in: ArcRwSignal::new(None),
        }
    }
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// After a fetch that got no answer: records and returns whether the browser is offline.
pub fn note_failure() -> bool {
    let offline = !navigator_online();
    if offline {
        network().offline.set(true);
    }
    offline
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn still_wanted(signal: &Option<AbortSignal>) -> Result<(), ApiError> {
    match signal {
        Some(signal) if signal.aborted() => Err(ApiError::Aborted),
        _ => Ok(()),
    }
}

/// Waits until the browser is back online (or the request is aborted).
pub async fn wait_online(signal: &Option<AbortSignal>) -> Result<(), ApiError> {
    let offline = network().offline;
    while offline.get_untracked() {
        sleep(250).await;
        still_wanted(signal)?;
    }
    Ok(())
}

/// Counts `seconds` down in the banner (or stops when the request is aborted).
pub async fn count_down(seconds: u32, signal: &Option<AbortSignal>) -> Result<(), ApiError> {
    let retry_in = network().retry_in;
    for left in (1..=seconds).rev() {
        retry_in.set(Some(left));
        sleep(1000).await;
        if let Err(aborted) = still_wanted(signal) {
            retry_in.set(None);
            return Err(aborted);
        }
    }
    retry_in.set(None);
    Ok(())
}
