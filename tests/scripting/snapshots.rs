//! Startup snapshots: isolates that start from trusted setup state, used hard and in parallel.

use std::time::Duration;

use isoshard_scripting::{
    Error, Isolate, IsolateOptions, OutcomeKind, RunOptions, Snapshot, SnapshotOptions,
};
use serde_json::json;

use crate::support::{assert_usable, context, eval, kind, value};

const LIB: &str = "globalThis.lib = { n: 41, add(a, b) { return a + b }, fib(n) { return n < 2 ? n : lib.fib(n - 1) + lib.fib(n - 2) } };";

fn snapshot(setup: &str) -> Result<Snapshot, Error> {
    Snapshot::create(&[("setup.js", setup)], None, &SnapshotOptions::default())
}

fn from(snapshot: &Snapshot, memory_limit_mb: usize) -> Isolate {
    Isolate::new(IsolateOptions {
        memory_limit_mb,
        snapshot: Some(snapshot.clone()),
        ..IsolateOptions::default()
    })
    .expect("isolate from snapshot")
}

#[test]
fn isolates_from_a_snapshot_start_with_the_setup_state_in_every_context() {
    let snap = Snapshot::create(
        &[
            ("lib.js", LIB),
            ("more.js", "lib.n += 0; globalThis.ready = true;"),
        ],
        Some("lib.fib(15); lib.add(1, 2);"),
        &SnapshotOptions::default(),
    )
    .unwrap();
    assert!(snap.len() > 1000);
    let iso = from(&snap, 64);
    let a = context(&iso);
    let b = context(&iso);
    assert_eq!(value(eval(&a, "lib.add(lib.n, 1)", 100)), json!(42));
    assert_eq!(
        value(eval(&a, "lib.n = 0; ready && lib.fib(10)", 100)),
        json!(55)
    );
    assert_eq!(
        value(eval(&b, "lib.n", 100)),
        json!(41),
        "contexts do not share state"
    );
    // The warm-up ran in a discarded context: it left no state behind.
    assert_eq!(value(eval(&b, "typeof warm", 100)), json!("undefined"));
}

#[test]
fn one_snapshot_serves_many_isolates_in_parallel_with_limits_armed() {
    let snap = snapshot(LIB).unwrap();
    std::thread::scope(|s| {
        for t in 0..3 {
            let snap = &snap;
            s.spawn(move || {
                for i in 0..4 {
                    let iso = from(snap, 32);
                    let ctx = context(&iso);
                    match (t + i) % 3 {
                        0 => {
                            // A generous wall limit: 3 threads share 2 cores here.
                            let options = RunOptions {
                                cpu_limit: Some(Duration::from_millis(30)),
                                wall_limit: Some(Duration::from_secs(10)),
                                ..RunOptions::default()
                            };
                            let run = ctx
                                .eval("while (true) { lib.add(1, 2) }", &options)
                                .unwrap();
                            assert_eq!(kind(&run), OutcomeKind::CpuLimit);
                        }
                        1 => assert_eq!(
                            kind(&eval(
                                &ctx,
                                "const a = []; for (;;) a.push(new Array(1e5).fill(lib))",
                                5000
                            )),
                            OutcomeKind::MemoryLimit
                        ),
                        _ => assert_eq!(value(eval(&ctx, "lib.fib(12)", 1000)), json!(144)),
                    }
                    iso.dispose();
                }
            });
        }
    });
    assert_usable(&context(&from(&snap, 32)));
}

#[test]
fn snapshot_setup_cannot_smuggle_the_unguarded_wasm_memory() {
    // V8 does not install WebAssembly while serializing, so setup code never sees the real
    // constructor; contexts made from the snapshot get it, wrapped by the memory guard.
    let snap = snapshot("globalThis.seen = typeof WebAssembly;").unwrap();
    let iso = from(&snap, 64);
    let ctx = context(&iso);
    assert_eq!(value(eval(&ctx, "seen", 100)), json!("undefined"));
    assert_eq!(
        value(eval(&ctx, "typeof WebAssembly.Memory", 100)),
        json!("function")
    );
    let run = eval(&ctx, "globalThis.keep = []; for (;;) { const m = new WebAssembly.Memory({ initial: 256 }); new Uint8Array(m.buffer).fill(1); keep.push(m) }", 5000);
    assert_eq!(kind(&run), OutcomeKind::MemoryLimit);
}

#[test]
fn snapshot_setup_that_plants_a_fake_webassembly_gets_no_real_memory() {
    let snap =
        snapshot("globalThis.WebAssembly = { Memory: function () { return { planted: true } } };")
            .unwrap();
    let iso = from(&snap, 64);
    let ctx = context(&iso);
    let probe = value(eval(
        &ctx,
        "({ planted: WebAssembly.Memory.toString().includes('planted') })",
        100,
    ));
    assert_eq!(
        probe,
        json!({"planted": false}),
        "V8 installs the real WebAssembly on load"
    );
    let run = eval(&ctx, "globalThis.keep = []; for (;;) { const m = new WebAssembly.Memory({ initial: 256 }); new Uint8Array(m.buffer).fill(1); keep.push(m) }", 5000);
    assert_eq!(kind(&run), OutcomeKind::MemoryLimit);
    assert_usable(&context(&from(&snap, 64)));
}

#[test]
fn snapshot_setup_errors_are_typed_and_an_endless_setup_hits_the_wall_limit() {
    assert!(matches!(snapshot("let = ;"), Err(Error::Syntax(_))));
    match snapshot("throw new RangeError('setup broke')") {
        Err(Error::Exception(e)) => assert_eq!(e.message, "setup broke"),
        other => panic!("expected the exception, got {other:?}"),
    }
    let start = std::time::Instant::now();
    let r = Snapshot::create(
        &[("loop.js", "for (;;) {}")],
        None,
        &SnapshotOptions {
            wall_limit: Duration::from_millis(200),
        },
    );
    assert!(matches!(r, Err(Error::WallLimit)), "{r:?}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn intl_works_in_contexts_made_from_a_snapshot() {
    // Setup code itself must not create Intl objects: V8 aborts serializing them (documented
    // on `Snapshot::create`); contexts made from the snapshot have working Intl.
    let snap = snapshot(LIB).unwrap();
    let ctx = context(&from(&snap, 64));
    assert_eq!(
        value(eval(
            &ctx,
            "new Intl.NumberFormat('en-US').format(1234.5)",
            1000
        )),
        json!("1,234.5")
    );
}
