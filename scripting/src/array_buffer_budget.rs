//! A limiting ArrayBuffer allocator: ArrayBuffer and typed-array bytes count against the
//! isolate's memory limit. Going over terminates the call and marks the memory limit as hit,
//! exactly like the V8 heap running out.

use std::ffi::c_void;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::isolate_state::IsolateShared;

/// Per-isolate allocator handle; V8 owns one `Arc` of it through the allocator.
pub(crate) struct ArrayBufferBudget {
    pub(crate) shared: Arc<IsolateShared>,
}

impl ArrayBufferBudget {
    fn reserve(&self, len: usize) -> bool {
        let shared = &self.shared;
        let limit = shared.memory_limit_bytes;
        let mut used = shared.external_bytes.load(Ordering::Relaxed);
        loop {
            let Some(next) = used.checked_add(len).filter(|n| *n <= limit) else {
                shared.hit_memory_limit();
                return false;
            };
            match shared.external_bytes.compare_exchange_weak(
                used,
                next,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(actual) => used = actual,
            }
        }
    }
}

unsafe extern "C" fn allocate(budget: &ArrayBufferBudget, len: usize) -> *mut c_void {
    if !budget.reserve(len) {
        return std::ptr::null_mut();
    }
    // SAFETY: calloc with a non-zero size; a null result is reported to V8 as failure.
    let p = unsafe { libc::calloc(len.max(1), 1) };
    if p.is_null() {
        budget
            .shared
            .external_bytes
            .fetch_sub(len, Ordering::AcqRel);
    }
    p
}

unsafe extern "C" fn allocate_uninitialized(budget: &ArrayBufferBudget, len: usize) -> *mut c_void {
    if !budget.reserve(len) {
        return std::ptr::null_mut();
    }
    // SAFETY: malloc with a non-zero size; a null result is reported to V8 as failure.
    let p = unsafe { libc::malloc(len.max(1)) };
    if p.is_null() {
        budget
            .shared
            .external_bytes
            .fetch_sub(len, Ordering::AcqRel);
    }
    p
}

unsafe extern "C" fn free(budget: &ArrayBufferBudget, data: *mut c_void, len: usize) {
    budget
        .shared
        .external_bytes
        .fetch_sub(len, Ordering::AcqRel);
    // SAFETY: `data` came from calloc/malloc above (V8 frees only what this allocator returned).
    unsafe { libc::free(data) };
}

unsafe extern "C" fn drop_budget(budget: *const ArrayBufferBudget) {
    // SAFETY: the pointer is the one produced by Arc::into_raw in `new_allocator`, dropped once
    // by V8 when the allocator is destroyed.
    drop(unsafe { Arc::from_raw(budget) });
}

static VTABLE: v8::RustAllocatorVtable<ArrayBufferBudget> = v8::RustAllocatorVtable {
    allocate,
    allocate_uninitialized,
    free,
    drop: drop_budget,
};

/// A V8 allocator that charges `shared`'s memory budget.
pub(crate) fn new_allocator(shared: Arc<IsolateShared>) -> v8::UniqueRef<v8::Allocator> {
    let budget = Arc::new(ArrayBufferBudget { shared });
    // SAFETY: the handle is a leaked Arc that `drop_budget` reclaims; the vtable is 'static.
    unsafe { v8::new_rust_allocator(Arc::into_raw(budget), &VTABLE) }
}
