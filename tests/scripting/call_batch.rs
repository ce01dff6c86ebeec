//! `CallBatch`: many calls across isolates queued at once and waited for together.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use isoshard_scripting::{
    CallBatch, Error, ExternalCopy, IsolateOptions, OutcomeKind, Run, RunOptions, Transferable,
};

use crate::support::{context, isolate, value};

fn fn_ref(ctx: &isoshard_scripting::Context, source: &str) -> isoshard_scripting::Reference {
    ctx.eval(&format!("globalThis.f = {source}"), &RunOptions::default())
        .expect("eval");
    ctx.global().expect("global").get("f").expect("f")
}

/// `batch.apply` with no receiver, no arguments and default options.
fn queue<T: Send + 'static>(
    batch: &mut CallBatch<T>,
    f: &isoshard_scripting::Reference,
    on_start: impl FnOnce() + Send + 'static,
    finish: impl FnOnce(isoshard_scripting::Result<Run<ExternalCopy>>) -> T + Send + 'static,
) -> usize {
    batch
        .apply(f, None, vec![], &RunOptions::default(), on_start, finish)
        .expect("queued")
}

#[test]
fn results_come_back_in_queue_order_from_isolates_on_different_home_threads() {
    let isolates: Vec<_> = (0..6).map(|_| isolate(64)).collect();
    let contexts: Vec<_> = isolates.iter().map(context).collect();
    let functions: Vec<_> = contexts
        .iter()
        .enumerate()
        .map(|(i, c)| fn_ref(c, &format!("(x) => {{ let s = 0; for (let k = 0; k < 1e5; k++) s += k; return x * 10 + {i}; }}")))
        .collect();
    let started = Arc::new(AtomicUsize::new(0));
    let mut batch = CallBatch::new();
    for round in 0..3 {
        for (i, f) in functions.iter().enumerate() {
            let s = started.clone();
            let index = batch
                .apply(
                    f,
                    None,
                    vec![Transferable::Copy(
                        ExternalCopy::from_json(&serde_json::json!(round)).unwrap(),
                    )],
                    &RunOptions::default(),
                    move || {
                        s.fetch_add(1, Ordering::SeqCst);
                    },
                    move |r| (i, value(r.expect("run"))),
                )
                .expect("queued");
            assert_eq!(index, round * functions.len() + i);
        }
    }
    assert_eq!(batch.len(), 18);
    let got = batch.wait();
    assert_eq!(started.load(Ordering::SeqCst), 18);
    let want: Vec<(usize, serde_json::Value)> = (0..3)
        .flat_map(|round| (0..6).map(move |i| (i, serde_json::json!(round * 10 + i))))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn on_start_runs_before_the_call_and_finish_after_it_on_the_home_thread() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let l = log.clone();
    ctx.set_callback(
        "note",
        isoshard_scripting::Callback::sync(move |_args| {
            l.lock().unwrap().push("call".into());
            Ok(ExternalCopy::undefined())
        }),
    )
    .unwrap();
    let f = fn_ref(&ctx, "() => { note(); return 1; }");
    let mut batch = CallBatch::new();
    let (a, b) = (log.clone(), log.clone());
    queue(
        &mut batch,
        &f,
        move || a.lock().unwrap().push("start".into()),
        move |r| {
            b.lock().unwrap().push("finish".into());
            // Runs where the call ran, not on the waiting thread.
            std::thread::current().name().unwrap_or("").to_string()
                + if r.is_ok() { ":ok" } else { ":err" }
        },
    );
    let got = batch.wait();
    assert!(
        got[0].starts_with("isoshard-home") && got[0].ends_with(":ok"),
        "{got:?}"
    );
    assert_eq!(*log.lock().unwrap(), ["start", "call", "finish"]);
}

#[test]
fn infinite_loop_in_one_call_ends_at_its_cpu_limit_and_the_others_still_complete() {
    let bad = isolate(64);
    let good = isolate(64);
    let bad_f = fn_ref(&context(&bad), "() => { for (;;) {} }");
    let good_ctx = context(&good);
    let good_f = fn_ref(&good_ctx, "() => 'fine'");
    let limited = RunOptions {
        cpu_limit: Some(Duration::from_millis(50)),
        wall_limit: Some(Duration::from_secs(10)),
        ..RunOptions::default()
    };
    let mut batch = CallBatch::new();
    for f in [&bad_f, &good_f, &good_f, &good_f] {
        batch
            .apply(
                f,
                None,
                vec![],
                &limited,
                || {},
                |r| r.unwrap().outcome.kind(),
            )
            .unwrap();
    }
    let got = batch.wait();
    assert_eq!(got[0], OutcomeKind::CpuLimit);
    assert!(got[1..].iter().all(|k| *k == OutcomeKind::Ok), "{got:?}");
}

#[test]
fn deref_of_another_isolates_reference_is_refused_and_leaves_no_entry_to_wait_for() {
    let a = isolate(64);
    let b = isolate(64);
    let f = fn_ref(&context(&a), "(x) => x");
    let foreign = context(&b).global().unwrap();
    let mut batch: CallBatch<bool> = CallBatch::new();
    let refused = batch.apply(
        &f,
        None,
        vec![Transferable::Deref(foreign)],
        &RunOptions::default(),
        || panic!("must not start"),
        |_| true,
    );
    assert!(
        matches!(refused, Err(Error::InvalidArgument(_))),
        "{refused:?}"
    );
    assert!(batch.is_empty());
    queue(&mut batch, &f, || {}, |r| r.is_ok());
    assert_eq!(batch.wait(), [true]);
}

#[test]
fn panicking_hook_reaches_the_waiter_and_leaves_the_home_thread_serving() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let f = fn_ref(&ctx, "() => 2");
    for in_start in [true, false] {
        let mut batch: CallBatch<u8> = CallBatch::new();
        queue(
            &mut batch,
            &f,
            move || assert!(!in_start, "hook failure in on_start"),
            move |_| {
                assert!(in_start, "hook failure in finish");
                1
            },
        );
        let waited = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| batch.wait()));
        let message = waited
            .err()
            .and_then(|p| {
                p.downcast_ref::<&str>()
                    .map(|m| m.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
            })
            .unwrap_or_default();
        assert!(message.starts_with("hook failure"), "{message:?}");
        // The isolate and its home thread are still there.
        assert_eq!(value(ctx.eval("1 + 1", &RunOptions::default()).unwrap()), 2);
    }
}

#[test]
fn call_into_a_disposed_isolate_reports_disposed_without_starting() {
    let iso = isoshard_scripting::Isolate::new(IsolateOptions::default()).unwrap();
    let f = fn_ref(&context(&iso), "() => 1");
    iso.dispose();
    let started = Arc::new(AtomicUsize::new(0));
    let s = started.clone();
    let mut batch = CallBatch::new();
    queue(
        &mut batch,
        &f,
        move || {
            s.fetch_add(1, Ordering::SeqCst);
        },
        |r| r.map(|run| run.outcome.kind()).ok(),
    );
    assert_eq!(batch.wait(), [Some(OutcomeKind::Disposed)]);
    assert_eq!(started.load(Ordering::SeqCst), 0);
}
