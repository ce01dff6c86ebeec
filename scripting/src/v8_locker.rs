//! `v8::Locker` through `shim/locker.cc`: holding one lets the current thread use an isolate
//! that other threads use too, and tells V8 about the switch (it archives and restores the
//! per-thread state, such as the stack guard, handle scopes and the current context).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rustc_hash::FxHashMap;

extern "C" {
    fn isoshard_locker_init(storage: *mut [usize; 2], isolate: *mut v8::Isolate);
    fn isoshard_locker_drop(storage: *mut [usize; 2]);
    fn isoshard_set_stack_limit(isolate: *mut v8::Isolate, limit: usize);
    fn isoshard_unlocker_init(storage: *mut [usize; 2], isolate: *mut v8::Isolate);
    fn isoshard_unlocker_drop(storage: *mut [usize; 2]);
}

/// JavaScript stack V8 may use below the entry point (V8's own default, `--stack-size`).
const JS_STACK: usize = 984 << 10;
/// Stack kept free below V8's limit for host frames (callbacks, the error path).
const HOST_MARGIN: usize = 192 << 10;

/// One thread's hold on one isolate's lock: a top-level `v8::Locker` taken once and kept,
/// with a `v8::Unlocker` in place between uses. Re-locking then restores the thread's state
/// lazily archived by V8 (181 ns a cycle here), where a fresh top-level Locker per use
/// re-initialises it and leaked 4 KiB of V8 memory each time. Raw storage without `Drop`: an
/// entry left behind for an isolate that is gone is freed as memory, never destructed.
struct Parked {
    locker: [usize; 2],
    unlocker: [usize; 2],
    /// Set once the isolate is disposed: the entry is then dropped unused.
    torn_down: Arc<AtomicBool>,
}

thread_local! {
    static PARKED: RefCell<FxHashMap<u64, Parked>> = RefCell::new(FxHashMap::default());
}

/// Takes the isolate's lock for this thread, waiting while another thread holds it. Pair with
/// [`park`] (or [`release`] before disposal) on the same thread.
///
/// # Safety
/// `isolate` is the live isolate `shared` describes; this thread does not hold its lock yet.
pub(crate) unsafe fn lock(isolate: &mut v8::Isolate, id: u64, torn_down: &Arc<AtomicBool>) {
    PARKED.with(|parked| {
        let mut parked = parked.borrow_mut();
        if let Some(entry) = parked.get_mut(&id) {
            // SAFETY: constructed by `park` on this thread and not dropped since.
            unsafe { isoshard_unlocker_drop(&mut entry.unlocker) };
            return;
        }
        // Entries of isolates that are gone: their lock state went with them.
        parked.retain(|_, e| !e.torn_down.load(Ordering::Acquire));
        let mut entry = Parked {
            locker: [0; 2],
            unlocker: [0; 2],
            torn_down: torn_down.clone(),
        };
        // SAFETY: the storage is the size of a v8::Locker (asserted in the shim) and aligned;
        // the caller guarantees the isolate is alive.
        unsafe { isoshard_locker_init(&mut entry.locker, isolate) };
        parked.insert(id, entry);
    });
}

/// The parent for a top-level `HandleScope`: rusty_v8 keeps a dropped handle scope open as a
/// "zombie" until its parent scope is next touched. With the isolate itself as the parent that
/// is the next job's first scope, which may run on another thread: it then closes the zombie
/// against that thread's V8 state and breaks it ("Cannot create a handle without a
/// HandleScope"). A callback scope as the parent closes its child's zombie when it is
/// dropped, on this thread. Every top-level scope of a job is opened through this.
pub(crate) fn settled_scope(isolate: &mut v8::OwnedIsolate) -> v8::CallbackScope<'_, ()> {
    // SAFETY: the isolate is entered on this thread under its lock; a callback scope on the
    // isolate opens no V8 scope of its own and exits when dropped.
    unsafe { v8::CallbackScope::new(isolate) }
}

/// Releases the lock taken by [`lock`], keeping this thread's state for the next [`lock`].
///
/// # Safety
/// This thread holds the lock through [`lock`] and has exited the isolate.
pub(crate) unsafe fn park(isolate: &mut v8::Isolate, id: u64) {
    PARKED.with(|parked| {
        if let Some(entry) = parked.borrow_mut().get_mut(&id) {
            // SAFETY: this thread holds the lock (the caller's contract).
            unsafe { isoshard_unlocker_init(&mut entry.unlocker, isolate) };
        }
    });
}

/// Frees this thread's parked V8 state for the isolate, if it has any: called when the isolate
/// is disposed from this thread (V8 frees only its own thread's archived state at disposal;
/// another thread's leaked ~10 KiB per isolate).
///
/// # Safety
/// The isolate is alive and stays so until this returns, and this thread is not inside it.
pub(crate) unsafe fn release_parked(id: u64) {
    PARKED.with(|parked| {
        let entry = parked.borrow_mut().remove(&id);
        if let Some(mut entry) = entry {
            // SAFETY: constructed by `park` and `lock` on this thread; re-locking restores
            // this thread's state, and the top-level locker then frees it and unlocks.
            unsafe {
                isoshard_unlocker_drop(&mut entry.unlocker);
                isoshard_locker_drop(&mut entry.locker);
            }
        }
    });
}

/// Releases the lock for good (the isolate is about to be disposed, which V8 does unlocked).
///
/// # Safety
/// This thread holds the lock through [`lock`] and has exited the isolate.
pub(crate) unsafe fn release(id: u64) {
    PARKED.with(|parked| {
        if let Some(mut entry) = parked.borrow_mut().remove(&id) {
            // SAFETY: the top-level locker this thread constructed in `lock`.
            unsafe { isoshard_locker_drop(&mut entry.locker) };
        }
    });
}

/// The stack limit for JavaScript entered from the current stack position: [`JS_STACK`]
/// below it, or less when the thread has less stack left (keeping [`HOST_MARGIN`]).
/// `None` when the thread has too little stack left to run JavaScript at all.
pub(crate) fn stack_limit_here() -> Option<usize> {
    let here = current_stack_position();
    let low = thread_stack_low()?;
    let room = here.checked_sub(low)?.checked_sub(HOST_MARGIN)?;
    (room >= 256 << 10).then(|| here - room.min(JS_STACK))
}

/// Sets the isolate's stack limit for the thread that holds its lock.
pub(crate) fn set_stack_limit(isolate: &mut v8::Isolate, limit: usize) {
    // SAFETY: the caller holds the isolate's lock on this thread (SetStackLimit is per thread).
    unsafe { isoshard_set_stack_limit(isolate, limit) };
}

#[inline(never)]
fn current_stack_position() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

/// The lowest address of the current thread's stack.
fn thread_stack_low() -> Option<usize> {
    thread_local! {
        static LOW: Option<usize> = read_stack_low();
    }
    LOW.with(|l| *l)
}

fn read_stack_low() -> Option<usize> {
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread; it is destroyed after.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let got = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        // The guard page sits at the bottom; stay a page above it.
        (got == 0).then(|| addr as usize + 4096)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct SendIsolate(v8::OwnedIsolate, v8::Global<v8::Context>);
    // SAFETY: moved between threads only with the lock parked.
    unsafe impl Send for SendIsolate {}

    fn eval(isolate: &mut v8::OwnedIsolate, ctx: &v8::Global<v8::Context>, code: &str) -> String {
        let settle = &mut settled_scope(isolate);
        let scope = &mut v8::HandleScope::new(settle);
        let context = v8::Local::new(scope, ctx);
        let scope = &mut v8::ContextScope::new(scope, context);
        let code = v8::String::new(scope, code).unwrap();
        let script = v8::Script::compile(scope, code, None).unwrap();
        script.run(scope).unwrap().to_rust_string_lossy(scope)
    }

    #[test]
    fn parked_locks_let_two_threads_take_turns() {
        crate::platform::init();
        let shared = Arc::new(AtomicBool::new(false));
        const ID: u64 = u64::MAX - 1;
        let (to_b, on_b) = std::sync::mpsc::channel::<SendIsolate>();
        let (to_a, on_a) = std::sync::mpsc::channel::<SendIsolate>();
        let sa = shared.clone();
        let a = std::thread::spawn(move || {
            crate::platform::adopt_v8_thread_access();
            let mut isolate = v8::Isolate::new(Default::default());
            unsafe { isolate.exit() };
            unsafe { lock(&mut isolate, ID, &sa) };
            unsafe { isolate.enter() };
            let ctx = {
                let settle = &mut settled_scope(&mut isolate);
                let scope = &mut v8::HandleScope::new(settle);
                let c = v8::Context::new(scope, Default::default());
                v8::Global::new(scope, c)
            };
            let first = eval(&mut isolate, &ctx, "'a' + 1");
            unsafe { isolate.exit() };
            unsafe { park(&mut isolate, ID) };
            to_b.send(SendIsolate(isolate, ctx)).unwrap();
            let SendIsolate(mut isolate, ctx) = on_a.recv().unwrap();
            unsafe { lock(&mut isolate, ID, &sa) };
            unsafe { isolate.enter() };
            let again = eval(&mut isolate, &ctx, "'a' + 2");
            drop(ctx);
            unsafe { isolate.exit() };
            unsafe { release(ID) };
            unsafe { isolate.enter() };
            drop(isolate);
            (first, again)
        });
        let sb = shared.clone();
        let b = std::thread::spawn(move || {
            crate::platform::adopt_v8_thread_access();
            let SendIsolate(mut isolate, ctx) = on_b.recv().unwrap();
            unsafe { lock(&mut isolate, ID, &sb) };
            unsafe { isolate.enter() };
            set_stack_limit(&mut isolate, stack_limit_here().unwrap());
            let got = eval(&mut isolate, &ctx, "'b' + 1");
            unsafe { isolate.exit() };
            unsafe { park(&mut isolate, ID) };
            to_a.send(SendIsolate(isolate, ctx)).unwrap();
            got
        });
        let got = b.join().unwrap();
        let (first, again) = a.join().unwrap();
        assert_eq!(
            (first.as_str(), got.as_str(), again.as_str()),
            ("a1", "b1", "a2")
        );
    }
}
