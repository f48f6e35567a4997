//! The one toast of the app: what just happened, with **Undo** when it can be reversed. It
//! lives above the pages, so a toast raised before navigating stays on screen.

use std::rc::Rc;

use leptos::prelude::*;

/// A message and, for reversible changes, what Undo does.
#[derive(Clone)]
pub struct Toast {
    pub message: String,
    pub undo: Option<Rc<dyn Fn()>>,
}

/// The toast slot and a counter pages watch to reload after a change made elsewhere (Undo).
#[derive(Clone, Copy)]
pub struct Toasts {
    current: RwSignal<Option<Toast>, LocalStorage>,
    /// Bumped when dashboards changed behind the current page's back.
    pub changed: RwSignal<u32>,
}

impl Toasts {
    /// Provides the slot to the app.
    pub fn provide() -> Self {
        let toasts = Self {
            current: RwSignal::new_local(None),
            changed: RwSignal::new(0),
        };
        provide_context(toasts);
        toasts
    }

    /// The app's slot (a fresh one in isolated component tests).
    pub fn use_context() -> Self {
        use_context().unwrap_or_else(Self::provide)
    }

    /// Shows `message`, replacing the previous toast.
    pub fn show(&self, message: impl Into<String>, undo: Option<Rc<dyn Fn()>>) {
        self.current.set(Some(Toast {
            message: message.into(),
            undo,
        }));
    }
}

/// The toast region (role=status, so screen readers announce it).
#[component]
pub fn ToastView() -> impl IntoView {
    let toasts = Toasts::use_context();
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            {move || toasts.current.get().map(|toast| view! {
                <div class="toast">
                    <span>{toast.message}</span>
                    {toast.undo.map(|undo| view! {
                        <button type="button" on:click=move |_| {
                            toasts.current.set(None);
                            undo();
                        }>"Undo"</button>
                    })}
                    <button type="button" class="secondary" aria-label="Dismiss"
                        on:click=move |_| toasts.current.set(None)>"×"</button>
                </div>
            })}
        </div>
    }
}
