//! The browser build's allocator: talc, which is faster than Rust's default dlmalloc on wasm
//! (allocation time of a 100-tile dashboard's load 3.1 → 2.0 ms) and smaller (README "Size and
//! speed"), with its memory grown a megabyte at a time.
//!
//! talc's own wasm source grows the memory by just what the failed allocation needs — one 64 KiB
//! page for almost every allocation — so the memory of a dashboard's load grew a page at a time,
//! each step a call into the browser that also replaces the memory's `ArrayBuffer`.

use core::alloc::Layout;
use core::ptr::NonNull;

use talc::base::binning::Binning;
use talc::base::{Talc, CHUNK_UNIT};
use talc::cell::TalcSyncCell;
use talc::wasm::WasmBinning;

const PAGE: usize = 64 * 1024;
/// Pages the memory grows by at least: 1 MiB.
const STEP: usize = 16;

#[global_allocator]
static TALC: TalcSyncCell<GrowInSteps, WasmBinning> =
    TalcSyncCell::new_wasm(GrowInSteps { end: None });

/// talc's `WasmGrowAndExtend` growing the memory by [`STEP`] pages, or more for a larger
/// allocation: each new stretch extends the heap when it follows the previous one.
#[derive(Debug)]
struct GrowInSteps {
    end: Option<NonNull<u8>>,
}

// SAFETY: uses no allocator; gives talc only memory just added to the wasm memory, which nothing
// else uses.
unsafe impl talc::source::Source for GrowInSteps {
    fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
        // The chunk's tags, the heap's own bookkeeping and alignment padding, generously.
        let needed = (layout.size() + layout.align() + 4 * CHUNK_UNIT).div_ceil(PAGE);
        let mut pages = needed.max(STEP);
        let mut prev = core::arch::wasm32::memory_grow(0, pages);
        if prev == usize::MAX && pages > needed {
            // Near the memory's limit: only what this allocation needs.
            pages = needed;
            prev = core::arch::wasm32::memory_grow(0, pages);
        }
        if prev == usize::MAX {
            return Err(());
        }
        let base = (prev * PAGE) as *mut u8;
        let end = base.wrapping_add(pages * PAGE);
        if let Some(old) = talc.source.end.take() {
            if old.as_ptr() == base {
                // SAFETY: `old` is the end of talc's heap, and the memory up to `end` is new.
                talc.source.end = Some(unsafe { talc.extend(old, end) });
                return Ok(());
            }
        }
        // SAFETY: the memory from `base` is new and talc's alone.
        talc.source.end = unsafe { talc.claim(base, pages * PAGE) };
        talc.source.end.map(|_| ()).ok_or(())
    }
}
