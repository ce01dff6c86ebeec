//! Blocking calls run on the caller's thread under the isolate's `v8::Locker` (when nothing is
//! queued before them); queued and async work runs on the home thread. Both see one isolate.

use std::sync::{Arc, Mutex};

use isoshard_scripting::{Callback, ExternalCopy, RunOptions};
use serde_json::json;

use crate::support::*;

fn thread_marker() -> String {
    format!("{:?}", std::thread::current().id())
}

/// A context whose `where()` records the thread it runs on.
fn recording_context() -> (isoshard_scripting::Context, Arc<Mutex<Vec<String>>>) {
    let ctx = context(&isolate(64));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    ctx.set_callback(
        "where",
        Callback::sync(move |_| {
            log.lock().unwrap().push(thread_marker());
            ExternalCopy::from_json(&json!(1)).map_err(|e| e.to_string())
        }),
    )
    .unwrap();
    (ctx, seen)
}

#[test]
fn blocking_calls_run_on_the_callers_thread_and_async_ones_at_home_with_one_state() {
    let (ctx, seen) = recording_context();
    assert_eq!(
        value(eval(&ctx, "globalThis.n = 1; where(); n", 100)),
        json!(1)
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let queued = runtime
        .block_on(ctx.eval_async("where(); n += 1", &RunOptions::default()))
        .unwrap();
    assert_eq!(value(queued), json!(2));
    assert_eq!(value(eval(&ctx, "where(); n += 1", 100)), json!(3));
    let seen = seen.lock().unwrap().clone();
    let me = thread_marker();
    assert_eq!(seen[0], me, "the blocking call ran here");
    assert_ne!(seen[1], me, "the async call ran on the home thread");
    assert_eq!(seen[2], me);
}

#[test]
fn callers_with_small_stacks_get_range_errors_not_stack_overflows() {
    // Run here with a stack limit fitted to what the thread has left, or (too little left)
    // at home: either way deep recursion ends in a RangeError, never a crash.
    let deep = "try { (function f() { f() })(); 'no' } catch (e) { e.constructor.name }";
    for stack in [96 << 10, 320 << 10, 512 << 10, 2 << 20] {
        let (ctx, _) = recording_context();
        let got = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || value(eval(&ctx, deep, 2000)))
            .unwrap()
            .join()
            .expect("no stack overflow in the caller's thread");
        assert_eq!(got, json!("RangeError"), "stack {stack}");
    }
}
