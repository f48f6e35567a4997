//! Parts of the app that the release build loads on first use.
//!
//! `lazy_view!` declares a split point: a function returning a view. With the `split` feature (every
//! trunk build: index.html turns it on), `wasm-split-cli` moves the function and everything only it
//! uses into a separate `.wasm` file fetched the first time the view is shown; without the feature
//! (the native and component tests) it is an ordinary async function. Either way callers render it
//! through [`lazy`], which shows "Loading…" meanwhile and, when the file cannot be fetched, a
//! sentence and a Retry button instead of a crash.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;

/// The error of a split point whose file could not be loaded.
pub type LoadError = leptos::wasm_split::SplitLoaderError;

/// What a split point returns.
pub type Loaded = Result<AnyView, LoadError>;

/// Declares a split point: `lazy_view! { pub fn name[chunk](args) { view } }`; functions naming
/// the same `chunk` share one file. `[chunk, preload_name]` also declares `preload_name()`, which
/// fetches the file ahead of use (for a likely next page) and resolves when it is there.
#[macro_export]
macro_rules! lazy_view {
    ($(#[$meta:meta])* $vis:vis fn $name:ident [$chunk:ident $(, $preload:ident)?] ($($arg:ident : $ty:ty),* $(,)?) $body:block) => {
        #[cfg(feature = "split")]
        $(#[$meta])*
        #[::leptos::wasm_split::wasm_split($chunk, fallible, $(preload($preload),)? wasm_split_path = ::leptos::wasm_split)]
        $vis fn $name($($arg: $ty),*) -> $crate::components::lazy::Loaded {
            use ::leptos::prelude::IntoAny as _;
            Ok($body.into_any())
        }
        #[cfg(not(feature = "split"))]
        $(#[$meta])*
        $vis async fn $name($($arg: $ty),*) -> $crate::components::lazy::Loaded {
            use ::leptos::prelude::IntoAny as _;
            Ok($body.into_any())
        }
        $(
            /// Fetches the file of a split point ahead of use; without the `split` feature, nothing to do.
            #[cfg(not(feature = "split"))]
            $vis async fn $preload() -> Result<(), $crate::components::lazy::LoadError> {
                Ok(())
            }
        )?
    };
}

/// Starts fetching a split point's file in the background (see `lazy_view!`'s preload).
pub fn prefetch<Fut>(preload: impl FnOnce() -> Fut)
where
    Fut: Future<Output = Result<(), LoadError>> + 'static,
{
    let pending = preload();
    leptos::task::spawn_local(async move {
        // A failed prefetch is retried, and explained, when the part is opened.
        let _ = pending.await;
    });
}

/// Where a split point's file is.
#[derive(Clone, Copy, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed,
}

/// Renders what `load` returns once its file is there: a status line meanwhile, and when the file
/// cannot be fetched the reason with Retry (a later attempt fetches the file again). `what` names
/// the part in those sentences ("the dashboard", "the Share dialog").
pub fn lazy<F, Fut, E>(what: &'static str, load: F) -> AnyView
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<AnyView, E>> + 'static,
{
    // One copy of the machinery below for every split point, not one per call site.
    let load: Rc<BoxedLoad> = Rc::new(move || {
        let pending = load();
        Box::pin(async move { pending.await.ok() })
    });
    lazy_boxed(what, load)
}

type BoxedLoad = dyn Fn() -> Pin<Box<dyn Future<Output = Option<AnyView>>>>;

fn lazy_boxed(what: &'static str, load: Rc<BoxedLoad>) -> AnyView {
    let status = RwSignal::new(Status::Loading);
    let slot = StoredValue::new_local(None::<AnyView>);
    let load = StoredValue::new_local(load);
    // The view is built under this component's owner, also on a Retry click (so it finds the
    // page's contexts and is disposed with it), and without tracking: only `status` re-renders this.
    let owner = Owner::current().unwrap_or_default();
    let start = move || {
        status.set(Status::Loading);
        let pending = load.with_value(|load| load());
        let scoped = owner.with(|| {
            ScopedFuture::new_untracked(async move {
                match pending.await {
                    Some(view) => {
                        slot.try_set_value(Some(view));
                        status.try_set(Status::Ready);
                    }
                    None => {
                        status.try_set(Status::Failed);
                    }
                }
            })
        });
        leptos::task::spawn_local(scoped);
    };
    start();
    (move || match status.get() {
        Status::Loading => view! {
            <p class="status" role="status" aria-busy="true">{format!("Loading {what}…")}</p>
        }
        .into_any(),
        Status::Ready => slot
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
        Status::Failed => {
            let start = start.clone();
            view! {
                <div class="error-message" role="alert">
                    <p>{format!("Dashdeck could not load {what}. Check the connection and try again.")}</p>
                    <button type="button" on:click=move |_| start()>"Retry"</button>
                </div>
            }
            .into_any()
        }
    })
    .into_any()
}
