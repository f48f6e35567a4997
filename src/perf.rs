//! User Timing marks (`performance.mark`) at the steps of opening a dashboard, so that a profile
//! or `BENCH_TRACE=1 make bench` can tell where the time goes: `dashdeck:main` (the wasm is
//! running), `dashdeck:dashboard-request`, `dashdeck:dashboard-arrived`, `dashdeck:dashboard-view`
//! (its code is there too) and `dashdeck:tiles-mounted`.

use wasm_bindgen::JsCast;

/// Adds a mark on the page's performance timeline; a browser without one is ignored.
pub fn mark(name: &str) {
    let Ok(performance) = js_sys::Reflect::get(&js_sys::global(), &"performance".into()) else {
        return;
    };
    if let Ok(mark) = js_sys::Reflect::get(&performance, &"mark".into()) {
        if let Some(mark) = mark.dyn_ref::<js_sys::Function>() {
            let _ = mark.call1(&performance, &name.into());
        }
    }
}
