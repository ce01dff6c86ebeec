//! Hostile code against the limits. Each test names the attack, states the expected outcome and
//! proves both halves: the limit fires, and things are usable afterwards.

use std::time::{Duration, Instant};

use isoshard_scripting::{
    Callback, Error, ExternalCopy, Isolate, IsolateOptions, OutcomeKind, RunOptions,
};

use crate::support::*;

#[test]
fn infinite_loop_is_terminated_at_cpu_limit() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(&ctx, "while (true) {}", 50);
    assert_eq!(kind(&run), OutcomeKind::CpuLimit);
    assert!(
        run.cpu_time >= Duration::from_millis(50),
        "{:?}",
        run.cpu_time
    );
    assert!(
        run.cpu_time < Duration::from_millis(250),
        "{:?}",
        run.cpu_time
    );
    assert_usable(&ctx);
}

#[test]
fn loop_inside_try_catch_cannot_catch_termination() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(
        &ctx,
        "for (;;) { try { for (;;) {} } catch (e) {} finally { globalThis.escaped = true } }",
        50,
    );
    assert_eq!(kind(&run), OutcomeKind::CpuLimit);
    assert_eq!(
        value(eval(&ctx, "globalThis.escaped === undefined", 100)),
        serde_json::json!(true)
    );
    assert_usable(&ctx);
}

#[test]
fn heap_array_bomb_ends_in_memory_limit_after_half_the_heap_was_in_use() {
    let limit_mb = 32;
    let iso = isolate(limit_mb);
    let ctx = context(&iso);
    eval(&ctx, "globalThis.keep = []", 100);
    // Grow the heap in steps until V8 reports at least half the limit in use.
    let mut used = 0;
    for _ in 0..200 {
        let run = eval(
            &ctx,
            "for (let i = 0; i < 20000; i++) keep.push({ i, s: 'x' + i }); keep.length",
            1000,
        );
        assert_eq!(kind(&run), OutcomeKind::Ok, "filling the heap");
        used = iso.heap_statistics().unwrap().used_heap_size;
        if used >= (limit_mb << 20) / 2 {
            break;
        }
    }
    assert!(
        used >= (limit_mb << 20) / 2,
        "heap only reached {used} bytes"
    );
    let run = eval(
        &ctx,
        "const a = []; while (true) a.push({ x: a.length, y: 'abc' + a.length })",
        10_000,
    );
    assert_eq!(
        kind(&run),
        OutcomeKind::MemoryLimit,
        "an exception would mean V8 threw instead"
    );
    assert!(iso.is_disposed() && iso.memory_limit_hit());
    assert_eq!(kind(&eval(&ctx, "1", 100)), OutcomeKind::Disposed);
    // The process is fine: a new isolate works.
    assert_usable(&context(&isolate(32)));
}

#[test]
fn array_buffer_bomb_counts_against_memory_limit() {
    let iso = isolate(32);
    let ctx = context(&iso);
    eval(&ctx, "globalThis.b = new ArrayBuffer(8 << 20)", 100);
    assert!(iso.heap_statistics().unwrap().externally_allocated_size >= 8 << 20);
    let run = eval(
        &ctx,
        "const a = []; for (;;) a.push(new ArrayBuffer(1 << 20))",
        5000,
    );
    assert_eq!(kind(&run), OutcomeKind::MemoryLimit);
    assert!(iso.is_disposed());
    assert_usable(&context(&isolate(32)));
}

#[test]
fn huge_string_spread_throws_range_error() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(&ctx, "[...'.'.repeat(1e9)]", 2000);
    assert_eq!(kind(&run), OutcomeKind::Exception);
    assert_eq!(run.outcome.error().unwrap().name, "RangeError");
    assert_usable(&ctx);
}

#[test]
fn string_doubling_throws_range_error() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(&ctx, "let s = 'x'; for (;;) s += s;", 2000);
    assert_eq!(kind(&run), OutcomeKind::Exception);
    assert_eq!(
        run.outcome.error().unwrap().message,
        "Invalid string length"
    );
    assert_usable(&ctx);
}

#[test]
fn deep_recursion_throws_range_error() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(&ctx, "function f() { return f() + 1 } f()", 2000);
    let e = run.outcome.error().expect("exception").clone();
    assert_eq!(
        (e.name.as_str(), e.message.as_str()),
        ("RangeError", "Maximum call stack size exceeded")
    );
    assert!(
        e.stack.lines().count() > 2,
        "stack from V8's captured frames: {}",
        e.stack
    );
    assert_usable(&ctx);
}

#[test]
fn microtask_flood_is_terminated_at_cpu_limit_and_does_not_survive_the_call() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(
        &ctx,
        "globalThis.n = 0; function f() { n++; Promise.resolve().then(f) } f(); 'queued'",
        50,
    );
    assert_eq!(
        kind(&run),
        OutcomeKind::CpuLimit,
        "promise jobs run inside the limited call"
    );
    let n = value(eval(&ctx, "n", 100));
    assert_usable(&ctx);
    assert_eq!(
        value(eval(&ctx, "n", 100)),
        n,
        "the flood was dropped with the terminated call"
    );
}

#[test]
fn catastrophic_regex_is_terminated_at_cpu_limit() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(&ctx, "/(a+)+b/.test('a'.repeat(40))", 50);
    assert_eq!(kind(&run), OutcomeKind::CpuLimit);
    assert_usable(&ctx);
}

#[test]
fn atomics_wait_is_refused_instead_of_blocking_the_home_thread() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(
        &ctx,
        "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1e9)",
        100,
    );
    assert_eq!(kind(&run), OutcomeKind::Exception);
    assert_eq!(run.outcome.error().unwrap().name, "TypeError");
    assert_usable(&ctx);
}

#[test]
fn constructor_escape_finds_no_process() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(
        &ctx,
        "this.constructor.constructor('return process')()",
        100,
    );
    assert_eq!(run.outcome.error().unwrap().name, "ReferenceError");
    let run = eval(
        &ctx,
        "typeof this.constructor.constructor('return this')().require",
        100,
    );
    assert_eq!(value(run), serde_json::json!("undefined"));
    assert_usable(&ctx);
}

#[test]
fn looping_prepare_stack_trace_never_runs_on_the_host() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(
        &ctx,
        "Error.prepareStackTrace = () => { for (;;) {} }; throw new Error('boom')",
        1000,
    );
    assert_eq!(kind(&run), OutcomeKind::Exception);
    assert_eq!(run.outcome.error().unwrap().message, "boom");
    assert!(
        run.cpu_time < Duration::from_millis(200),
        "{:?}",
        run.cpu_time
    );
    assert_usable(&ctx);
}

#[test]
fn returned_object_with_looping_getter_is_bounded_by_the_cpu_limit() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(&ctx, "({ get x() { for (;;) {} } })", 50);
    assert_eq!(
        kind(&run),
        OutcomeKind::CpuLimit,
        "the copy runs getters inside the limited call"
    );
    assert_usable(&ctx);
}

#[test]
fn thrown_object_with_looping_to_string_is_converted_without_running_it() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(
        &ctx,
        "throw { toString() { for (;;) {} }, get message() { for (;;) {} } }",
        1000,
    );
    assert_eq!(kind(&run), OutcomeKind::Exception);
    assert!(
        run.cpu_time < Duration::from_millis(200),
        "{:?}",
        run.cpu_time
    );
    let run = eval(&ctx, "throw new Proxy({}, { get() { for (;;) {} }, getOwnPropertyDescriptor() { for (;;) {} } })", 1000);
    assert_eq!(kind(&run), OutcomeKind::Exception);
    assert!(run.cpu_time < Duration::from_millis(200));
    assert_usable(&ctx);
}

#[test]
fn wasm_memory_bomb_counts_against_memory_limit() {
    let iso = isolate(64);
    let ctx = context(&iso);
    // One memory above the page cap is refused outright.
    let run = eval(&ctx, "new WebAssembly.Memory({ initial: 300 })", 100);
    assert_eq!(run.outcome.error().unwrap().name, "RangeError");
    // Small memories work and grow.
    assert_eq!(
        value(eval(
            &ctx,
            "const m = new WebAssembly.Memory({ initial: 1 }); m.grow(1); m.buffer.byteLength",
            100
        )),
        serde_json::json!(131072)
    );
    // Many capped memories add up to the isolate's limit.
    let run = eval(&ctx, "globalThis.keep = []; for (;;) { const m = new WebAssembly.Memory({ initial: 256 }); new Uint8Array(m.buffer).fill(1); keep.push(m) }", 5000);
    assert_eq!(kind(&run), OutcomeKind::MemoryLimit);
    assert_usable(&context(&isolate(64)));
}

#[test]
fn wasm_module_compilation_is_off_for_untrusted_isolates() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(
        &ctx,
        "new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))",
        100,
    );
    assert_eq!(run.outcome.error().unwrap().name, "CompileError");
    let trusted = Isolate::new(IsolateOptions {
        allow_wasm_modules: true,
        ..IsolateOptions::default()
    })
    .unwrap();
    let run = eval(&context(&trusted), "new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) instanceof WebAssembly.Module", 100);
    assert_eq!(value(run), serde_json::json!(true));
}

#[test]
fn finalization_registry_callback_that_loops_is_bounded() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = eval(
        &ctx,
        "globalThis.reg = new FinalizationRegistry(() => { for (;;) {} }); (function () { reg.register({}, 1) })(); 1",
        100,
    );
    assert_eq!(kind(&run), OutcomeKind::Ok);
    iso.collect_garbage().unwrap();
    // The cleanup task runs only inside a limited call (platform tasks are pumped there).
    let run = eval(&ctx, "'after gc'", 50);
    assert_eq!(kind(&run), OutcomeKind::CpuLimit);
    assert_usable(&ctx);
}

#[test]
fn many_looping_finalization_callbacks_each_end_in_cpu_limit_and_then_drain() {
    let iso = isolate(64);
    let ctx = context(&iso);
    eval(&ctx, "globalThis.reg = new FinalizationRegistry(() => { for (;;) {} }); (function () { for (let i = 0; i < 5; i++) reg.register({}, i) })(); 1", 100);
    iso.collect_garbage().unwrap();
    // Each cleanup consumes one cell before calling back, so every call is bounded and the
    // registry runs dry.
    let mut killed = 0;
    for _ in 0..20 {
        match kind(&eval(&ctx, "1", 30)) {
            OutcomeKind::CpuLimit => killed += 1,
            OutcomeKind::Ok => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!((1..=5).contains(&killed), "{killed} calls were killed");
    assert_usable(&ctx);
}

#[test]
fn symbol_and_function_results_are_not_transferable() {
    let iso = isolate(64);
    let ctx = context(&iso);
    for code in [
        "Symbol('s')",
        "(function () {})",
        "({ f() {} })",
        "new Proxy({}, {})",
    ] {
        let run = eval(&ctx, code, 100);
        assert_eq!(kind(&run), OutcomeKind::NotTransferable, "{code}");
    }
    assert_usable(&ctx);
}

#[test]
fn sync_callback_that_blocks_ends_in_wall_limit_not_cpu_limit() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let cpu = Duration::from_millis(100);
    ctx.set_callback(
        "block",
        Callback::sync(move |_| {
            // A host call that waits (on I/O, say) for three times the CPU limit.
            let (_tx, rx) = std::sync::mpsc::channel::<()>();
            let _ = rx.recv_timeout(cpu * 3);
            Ok(ExternalCopy::undefined())
        }),
    )
    .unwrap();
    let run = ctx
        .eval("block(); 'done'", &RunOptions::with_cpu_limit(cpu))
        .unwrap();
    assert_eq!(kind(&run), OutcomeKind::WallLimit);
    assert!(
        run.cpu_time < cpu,
        "blocking burns no CPU: {:?}",
        run.cpu_time
    );
    assert_usable(&ctx);
}

#[test]
fn parallel_memory_bombs_do_not_starve_a_well_behaved_isolate() {
    let good = isolate(64);
    let good_ctx = context(&good);
    let bombers: Vec<_> = (0..32)
        .map(|_| {
            std::thread::spawn(move || {
                let iso = isolate(32);
                let ctx = context(&iso);
                kind(&eval(
                    &ctx,
                    "const a = []; for (;;) a.push({ i: a.length, s: 'y' + a.length })",
                    20_000,
                ))
            })
        })
        .collect();
    let started = Instant::now();
    let mut calls = 0;
    while calls < 20 {
        let run = eval(
            &good_ctx,
            "{ let s = 0; for (let i = 0; i < 1e5; i++) s += i; s }",
            500,
        );
        assert_eq!(kind(&run), OutcomeKind::Ok);
        assert!(run.cpu_time < Duration::from_millis(500));
        calls += 1;
    }
    for b in bombers {
        assert_eq!(b.join().unwrap(), OutcomeKind::MemoryLimit);
    }
    // Generous: 20 tiny calls while 32 bombs run on 2 cores.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_usable(&good_ctx);
}

#[test]
fn late_watchdog_never_kills_the_next_call() {
    let iso = isolate(64);
    let ctx = context(&iso);
    // Calls that end right around their 1 ms limit, each followed by a call that must succeed.
    for i in 0..300 {
        let spin = 200 + (i % 7) * 150;
        let run = eval(
            &ctx,
            &format!("{{ let s = 0; for (let i = 0; i < {spin}00; i++) s += i; s }}"),
            1,
        );
        assert!(
            matches!(
                kind(&run),
                OutcomeKind::Ok | OutcomeKind::CpuLimit | OutcomeKind::WallLimit
            ),
            "{:?}",
            kind(&run)
        );
        let next = eval(&ctx, "40 + 2", 5000);
        assert_eq!(
            kind(&next),
            OutcomeKind::Ok,
            "iteration {i}: a termination leaked into the next call"
        );
    }
}

#[test]
fn cpu_time_never_goes_backwards() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let watcher = {
        let iso = iso.clone();
        std::thread::spawn(move || {
            let mut last = Duration::ZERO;
            for _ in 0..20_000 {
                let now = iso.cpu_time();
                assert!(now >= last, "cpu_time went from {last:?} to {now:?}");
                last = now;
            }
            last
        })
    };
    for _ in 0..50 {
        assert_eq!(
            kind(&eval(
                &ctx,
                "{ let s = 0; for (let i = 0; i < 2e5; i++) s += i; s }",
                1000
            )),
            OutcomeKind::Ok
        );
    }
    let seen = watcher.join().unwrap();
    assert!(iso.cpu_time() >= seen);
    assert!(iso.wall_time() > Duration::ZERO);
}

#[test]
fn disposing_during_an_infinite_loop_ends_the_call() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let runner = {
        let ctx = ctx.clone();
        std::thread::spawn(move || kind(&eval(&ctx, "for (;;) {}", 60_000)))
    };
    // Wait until the loop is burning CPU, then dispose.
    while iso.cpu_time() < Duration::from_millis(20) {
        std::hint::spin_loop();
    }
    iso.dispose();
    assert_eq!(runner.join().unwrap(), OutcomeKind::Disposed);
    assert!(iso.is_disposed());
    assert_eq!(
        kind(&ctx.eval("1", &RunOptions::default()).unwrap()),
        OutcomeKind::Disposed
    );
}

#[test]
fn memory_limit_below_eight_mib_is_refused() {
    assert!(matches!(
        Isolate::new(IsolateOptions {
            memory_limit_mb: 4,
            ..IsolateOptions::default()
        }),
        Err(Error::InvalidOptions(_))
    ));
}
