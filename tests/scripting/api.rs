//! The isolated-vm surface: values, copies, scripts, references, callbacks, threading.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use isoshard_scripting::{
    Callback, Error, ExternalCopy, Isolate, IsolateOptions, OutcomeKind, RunOptions, RunOutcome,
    ScriptOptions, Transferable,
};
use serde_json::json;

use crate::support::*;

#[test]
fn eval_returns_copies_of_plain_values_and_cycles_have_no_json_form() {
    let ctx = context(&isolate(64));
    assert_eq!(
        value(eval(
            &ctx,
            "({ a: [1, 'two', null, true], b: { c: 1.5 } })",
            100
        )),
        json!({"a": [1, "two", null, true], "b": {"c": 1.5}})
    );
    let run = eval(&ctx, "const o = { n: 1 }; o.self = o; o", 100);
    assert_eq!(
        kind(&run),
        OutcomeKind::Ok,
        "cycles are fine inside V8's structured clone"
    );
    let RunOutcome::Ok(copy) = run.outcome else {
        unreachable!()
    };
    assert!(
        matches!(copy.to_json(), Err(Error::NotTransferable(_))),
        "but have no JSON form"
    );
}

#[test]
fn documented_json_mapping_of_exotic_values() {
    let ctx = context(&isolate(64));
    let got = value(eval(&ctx, "[undefined, NaN, -Infinity, 12345678901234567890n, new Date(86400000), new Map([['k', 1]]), new Set([2, 3]), /x+/gi, new Int16Array([-1, 2])]", 100));
    assert_eq!(
        got,
        json!([
            null,
            null,
            null,
            "12345678901234567890",
            "1970-01-02T00:00:00.000Z",
            [["k", 1]],
            [2, 3],
            "/x+/gi",
            [-1, 2]
        ])
    );
}

#[test]
fn external_copy_moves_structured_values_between_isolates() {
    let a = context(&isolate(64));
    let b = context(&isolate(64));
    let RunOutcome::Ok(copy) = eval(&a, "({ d: new Date(5), m: new Map([[1, { x: 2 }]]), s: new Set(['a']), r: /q/g, ab: new Uint8Array([7, 8]).buffer, t: new Float64Array([0.5]), big: 7n })", 100).outcome else {
        panic!()
    };
    let run = b
        .eval_closure(
            "const v = $0; return v.d instanceof Date && v.d.getTime() === 5 && v.m.get(1).x === 2 && v.s.has('a') && v.r.flags === 'g' && new Uint8Array(v.ab)[1] === 8 && v.t[0] === 0.5 && v.big === 7n",
            vec![Transferable::Copy(copy.clone())],
            &RunOptions::default(),
        )
        .unwrap();
    assert_eq!(value(run), json!(true));
    // The same copy can be materialised again: it is a value, not a move.
    let run = b
        .eval_closure(
            "return $0.m.size",
            vec![copy.into()],
            &RunOptions::default(),
        )
        .unwrap();
    assert_eq!(value(run), json!(1));
}

#[test]
fn shared_array_buffers_are_shared_not_copied() {
    let a = context(&isolate(64));
    let b = context(&isolate(64));
    let RunOutcome::Ok(sab) =
        eval(&a, "globalThis.sab = new SharedArrayBuffer(8); sab", 100).outcome
    else {
        panic!()
    };
    b.eval_closure(
        "globalThis.view = new Int32Array($0); view[0] = 41; return 0",
        vec![sab.into()],
        &RunOptions::default(),
    )
    .unwrap();
    assert_eq!(value(eval(&a, "new Int32Array(sab)[0]", 100)), json!(41));
}

#[test]
fn serde_values_round_trip_and_external_size_is_tracked() {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Probe {
        name: String,
        xs: Vec<i64>,
        nested: Option<Box<Probe>>,
    }
    let p = Probe {
        name: "a".into(),
        xs: vec![1, -2, 3_000_000_000],
        nested: Some(Box::new(Probe {
            name: "b".into(),
            xs: vec![],
            nested: None,
        })),
    };
    let copy = ExternalCopy::from_serde(&p).unwrap();
    // The total is process-wide and other tests free their copies concurrently: what holds
    // whatever they do is that the live copy is counted.
    assert!(copy.size() > 0);
    assert!(ExternalCopy::total_external_size() >= copy.size());
    let ctx = context(&isolate(64));
    let run = ctx
        .eval_closure(
            "$0.xs.push(4); return $0",
            vec![copy.clone().into()],
            &RunOptions::default(),
        )
        .unwrap();
    let RunOutcome::Ok(back) = run.outcome else {
        panic!()
    };
    let back: Probe = back.to_serde().unwrap();
    assert_eq!(back.xs, vec![1, -2, 3_000_000_000, 4]);
    assert_eq!(
        copy.to_serde::<Probe>().unwrap(),
        p,
        "the original copy is untouched"
    );
    let size = copy.size();
    let total = ExternalCopy::total_external_size();
    drop(copy);
    assert!(ExternalCopy::total_external_size() <= total - size);
    assert!(matches!(
        ExternalCopy::from_wire_bytes(vec![1, 2, 3]),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn scripts_produce_and_consume_code_cache() {
    let source = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } fib(20)";
    let a = isolate(64);
    let script = a
        .compile_script(
            source,
            ScriptOptions {
                filename: Some("fib.js".into()),
                produce_cached_data: true,
                cached_data: None,
            },
        )
        .unwrap();
    let cache = script.cached_data().expect("cache produced").to_vec();
    assert_eq!(
        value(script.run(&context(&a), &RunOptions::default()).unwrap()),
        json!(6765)
    );
    let b = isolate(64);
    let cached = b
        .compile_script(
            source,
            ScriptOptions {
                cached_data: Some(cache.clone()),
                ..ScriptOptions::default()
            },
        )
        .unwrap();
    assert_eq!(cached.cached_data_rejected(), Some(false));
    assert_eq!(
        value(cached.run(&context(&b), &RunOptions::default()).unwrap()),
        json!(6765)
    );
    // V8 checks the header (version, flags, source hash, length): a cache for other source or a
    // truncated cache is rejected and the script compiles from source.
    let other = b
        .compile_script(
            "fib = 1; fib",
            ScriptOptions {
                cached_data: Some(cache.clone()),
                ..ScriptOptions::default()
            },
        )
        .unwrap();
    assert_eq!(other.cached_data_rejected(), Some(true));
    assert_eq!(
        value(other.run(&context(&b), &RunOptions::default()).unwrap()),
        json!(1)
    );
    let truncated = b
        .compile_script(
            source,
            ScriptOptions {
                cached_data: Some(cache[..cache.len() / 2].to_vec()),
                ..ScriptOptions::default()
            },
        )
        .unwrap();
    // V8 13.4 does not reject every malformed cache (it accepted this truncated one); the script
    // still has to be right, and caches from players are never accepted at all.
    assert!(truncated.cached_data_rejected().is_some());
    assert_eq!(
        value(truncated.run(&context(&b), &RunOptions::default()).unwrap()),
        json!(6765)
    );
    assert!(matches!(
        b.compile_script("let let = 1", ScriptOptions::default()),
        Err(Error::Syntax(_))
    ));
}

#[test]
fn syntax_errors_are_their_own_outcome() {
    let ctx = context(&isolate(64));
    let run = ctx
        .eval(
            "function (",
            &RunOptions {
                filename: Some("bad.js".into()),
                ..RunOptions::default()
            },
        )
        .unwrap();
    assert_eq!(kind(&run), OutcomeKind::Syntax);
    assert!(run.outcome.error().unwrap().stack.contains("bad.js"));
}

#[test]
fn eval_closure_takes_arguments_and_returns() {
    let ctx = context(&isolate(64));
    let args = vec![
        ExternalCopy::from_json(&json!(20)).unwrap().into(),
        ExternalCopy::from_json(&json!({"k": 22})).unwrap().into(),
    ];
    assert_eq!(
        value(
            ctx.eval_closure("return $0 + $1.k", args, &RunOptions::default())
                .unwrap()
        ),
        json!(42)
    );
}

#[test]
fn callbacks_read_the_cpu_time_of_the_call_they_run_in() {
    assert!(
        isoshard_scripting::call_cpu_time().is_none(),
        "no call runs on this thread"
    );
    let ctx = context(&isolate(64));
    ctx.set_callback(
        "used",
        Callback::sync(|_| {
            let ns = isoshard_scripting::call_cpu_time().map(|d| d.as_nanos() as f64);
            ExternalCopy::from_json(&json!(ns)).map_err(|e| e.to_string())
        }),
    )
    .unwrap();
    let code = "const a = used(); let x = 0; for (let i = 0; i < 2e6; i++) x = (x + i) % 977; \
                const b = used(); [a, b, x]";
    let run = ctx.eval(code, &RunOptions::default()).unwrap();
    let cpu_time = run.cpu_time.as_nanos() as f64;
    let v = value(run);
    let (a, b) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
    assert!(a > 0.0 && b - a > 100_000.0, "{v}");
    assert!(b <= cpu_time, "{b} ns read inside a call of {cpu_time} ns");
    // The next call counts from its own start.
    let again = value(ctx.eval("used()", &RunOptions::default()).unwrap());
    assert!(again.as_f64().unwrap() < b, "{again} vs {b}");
}

#[test]
fn string_copies_arrive_as_the_same_string_one_byte_two_byte_and_empty() {
    let ctx = context(&isolate(64));
    // Latin-1 travels as one-byte wire bytes, the rest as UTF-16 (with a surrogate pair).
    for text in [
        "",
        "plain ascii",
        "h\u{e9}llo \u{ff}",
        "\u{65e5}\u{672c} \u{1f600} end",
    ] {
        for copy in [
            ExternalCopy::from_string(text.to_string()).unwrap(),
            ExternalCopy::from_json(&json!(text)).unwrap(),
        ] {
            let run = ctx
                .eval_closure(
                    "return [typeof $0, $0.length, $0]",
                    vec![copy.into()],
                    &RunOptions::default(),
                )
                .unwrap();
            let utf16_len = text.encode_utf16().count();
            assert_eq!(value(run), json!(["string", utf16_len, text]), "{text:?}");
        }
    }
    // Copied out of V8: non-Latin-1 text is two-byte (UTF-16) on the wire, Latin-1 one-byte.
    for text in ["\u{65e5}\u{672c} \u{1f600}", "caf\u{e9}"] {
        let literal = serde_json::to_string(text).unwrap();
        let RunOutcome::Ok(copy) = ctx.eval(&literal, &RunOptions::default()).unwrap().outcome
        else {
            panic!("eval of {literal} failed");
        };
        let run = ctx
            .eval_closure("return $0", vec![copy.into()], &RunOptions::default())
            .unwrap();
        assert_eq!(value(run), json!(text));
    }
    // Bytes that only start like a lone string (one trailing byte) take V8's own path, which
    // reads the string and ignores what follows, as V8 does.
    let mut bytes = ExternalCopy::from_string("abc".into())
        .unwrap()
        .wire_bytes()
        .to_vec();
    bytes.push(b'x');
    let copy = ExternalCopy::from_wire_bytes(bytes).unwrap();
    let run = ctx
        .eval_closure("return $0", vec![copy.into()], &RunOptions::default())
        .unwrap();
    assert_eq!(value(run), json!("abc"));
}

#[test]
fn references_get_set_delete_apply_and_copy() {
    let iso = isolate(64);
    let ctx = context(&iso);
    eval(
        &ctx,
        "globalThis.obj = { n: 1, add(a, b) { return a + b + this.n } }",
        100,
    );
    let global = ctx.global().unwrap();
    assert_eq!(global.type_of(), "object");
    let obj = global.get("obj").unwrap();
    let add = obj.get("add").unwrap();
    assert_eq!(add.type_of(), "function");
    let two = ExternalCopy::from_json(&json!(2)).unwrap();
    let run = add
        .apply(
            Some(obj.deref_into()),
            vec![two.clone().into(), two.into()],
            &RunOptions::default(),
        )
        .unwrap();
    assert_eq!(value(run), json!(5));
    obj.set("n", ExternalCopy::from_json(&json!(10)).unwrap())
        .unwrap();
    assert_eq!(value(eval(&ctx, "obj.n", 100)), json!(10));
    assert!(obj.delete("n").unwrap());
    assert_eq!(value(eval(&ctx, "'n' in obj", 100)), json!(false));
    assert!(
        matches!(obj.copy(), Err(Error::NotTransferable(_))),
        "an object holding a function cannot be copied"
    );
    eval(&ctx, "globalThis.plain = { a: [1, { b: 2 }] }", 100);
    assert_eq!(
        global
            .get("plain")
            .unwrap()
            .copy()
            .unwrap()
            .to_json()
            .unwrap(),
        json!({"a": [1, {"b": 2}]})
    );
    assert!(iso.reference_count() >= 3);
    let count = iso.reference_count();
    drop(add);
    assert_eq!(iso.reference_count(), count - 1);
    // A getter that throws surfaces as an exception; a reference into another isolate is refused.
    eval(
        &ctx,
        "globalThis.bad = { get x() { throw new TypeError('no') } }",
        100,
    );
    assert!(
        matches!(global.get("bad").unwrap().get("x"), Err(Error::Exception(e)) if e.message == "no")
    );
    let other = context(&isolate(64));
    let foreign = other.global().unwrap();
    assert!(matches!(
        obj.set("f", foreign.deref_into()),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn apply_ignored_runs_in_queue_order_and_set_global_defines_a_copy() {
    let iso = isolate(64);
    let ctx = context(&iso);
    eval(
        &ctx,
        "globalThis.log = []; globalThis.push = (x) => { log.push(x); return x }",
        100,
    );
    let push = ctx.global().unwrap().get("push").unwrap();
    for n in 1..=3 {
        push.apply_ignored(
            None,
            vec![ExternalCopy::from_json(&json!(n)).unwrap().into()],
            &RunOptions::default(),
        )
        .unwrap();
    }
    // A blocking eval queues behind the ignored calls, so all three have run.
    assert_eq!(value(eval(&ctx, "log", 100)), json!([1, 2, 3]));
    let foreign = context(&isolate(64)).global().unwrap();
    assert!(matches!(
        push.apply_ignored(None, vec![foreign.deref_into()], &RunOptions::default()),
        Err(Error::InvalidArgument(_))
    ));
    let config = ExternalCopy::from_json(&json!({"limit": 20, "name": "W1N1"})).unwrap();
    ctx.set_global("config", config).unwrap();
    assert_eq!(
        value(eval(
            &ctx,
            "config.limit += 1; [config.limit, config.name]",
            100
        )),
        json!([21, "W1N1"])
    );
    // Each set is a fresh copy: changes in the isolate do not reach the host's value.
    ctx.set_global(
        "config",
        ExternalCopy::from_json(&json!({"limit": 20})).unwrap(),
    )
    .unwrap();
    assert_eq!(value(eval(&ctx, "config.limit", 100)), json!(20));
}

#[test]
fn sync_callbacks_return_copies_and_errors_become_exceptions() {
    let ctx = context(&isolate(64));
    ctx.set_callback(
        "double",
        Callback::sync(|args| {
            let n = args
                .first()
                .and_then(|a| a.to_json().ok())
                .and_then(|v| v.as_f64())
                .ok_or("need a number")?;
            ExternalCopy::from_json(&json!({ "v": n * 2.0 })).map_err(|e| e.to_string())
        }),
    )
    .unwrap();
    assert_eq!(value(eval(&ctx, "double(21).v", 100)), json!(42));
    assert_eq!(value(eval(&ctx, "double(0.25).v", 100)), json!(0.5));
    let run = eval(&ctx, "try { double('x') } catch (e) { e.message }", 100);
    assert_eq!(value(run), json!("need a number"));
}

#[test]
fn ignored_callbacks_run_in_call_order_and_return_undefined() {
    let ctx = context(&isolate(64));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    ctx.set_callback(
        "note",
        Callback::ignored(move |args| s.lock().unwrap().push(args[0].to_json().unwrap())),
    )
    .unwrap();
    assert_eq!(
        value(eval(
            &ctx,
            "[note(1), note('b'), note({ c: 3 })].every(x => x === undefined)",
            100
        )),
        json!(true)
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec![json!(1), json!("b"), json!({"c": 3})]
    );
}

#[test]
fn async_callbacks_resolve_promises_when_the_host_future_completes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ctx = context(&isolate(64));
    ctx.set_callback(
        "fetchLater",
        Callback::future(rt.handle().clone(), |args| {
            let n = args[0].to_json().unwrap().as_i64().unwrap();
            Box::pin(async move {
                tokio::task::yield_now().await;
                if n < 0 {
                    return Err("negative".to_string());
                }
                ExternalCopy::from_json(&json!(n + 1)).map_err(|e| e.to_string())
            })
        }),
    )
    .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = Mutex::new(tx);
    ctx.set_callback(
        "report",
        Callback::ignored(move |args| tx.lock().unwrap().send(args[0].to_json().unwrap()).unwrap()),
    )
    .unwrap();
    assert_eq!(value(eval(&ctx, "fetchLater(41).then(v => report(v)); fetchLater(-1).catch(e => report(e.message)); typeof fetchLater(0)", 100)), json!("object"));
    let mut got = vec![
        rx.recv_timeout(Duration::from_secs(10)).unwrap(),
        rx.recv_timeout(Duration::from_secs(10)).unwrap(),
    ];
    got.sort_by_key(|v| v.to_string());
    assert_eq!(got, vec![json!("negative"), json!(42)]);
}

#[test]
fn async_and_ignored_variants_keep_call_order() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ctx = context(&isolate(64));
    ctx.eval_ignored("globalThis.log = []; log.push(1)", &RunOptions::default());
    ctx.eval_ignored("log.push(2)", &RunOptions::default());
    let got = rt
        .block_on(ctx.eval_async("log.push(3); log", &RunOptions::default()))
        .unwrap();
    assert_eq!(value(got), json!([1, 2, 3]));
    let iso = ctx.isolate().clone();
    let stats = rt.block_on(iso.heap_statistics_async()).unwrap();
    assert!(stats.used_heap_size > 0 && stats.heap_size_limit > 0);
}

#[test]
fn await_promise_settles_within_the_call() {
    let ctx = context(&isolate(64));
    let run = ctx
        .eval(
            "Promise.resolve(20).then(v => v + 22)",
            &RunOptions {
                await_promise: true,
                ..RunOptions::default()
            },
        )
        .unwrap();
    assert_eq!(value(run), json!(42));
    let run = ctx
        .eval(
            "Promise.reject(new RangeError('r'))",
            &RunOptions {
                await_promise: true,
                ..RunOptions::default()
            },
        )
        .unwrap();
    assert_eq!(run.outcome.error().unwrap().name, "RangeError");
}

#[test]
fn blocking_call_into_an_isolate_from_its_own_home_thread_is_a_typed_error() {
    let ctx = context(&isolate(64));
    let me = ctx.clone();
    let result = Arc::new(Mutex::new(None));
    let r = result.clone();
    ctx.set_callback(
        "reenter",
        Callback::sync(move |_| {
            *r.lock().unwrap() = Some(matches!(
                me.eval("1", &RunOptions::default()),
                Err(Error::WouldDeadlock)
            ));
            Ok(ExternalCopy::undefined())
        }),
    )
    .unwrap();
    eval(&ctx, "reenter()", 1000);
    assert_eq!(*result.lock().unwrap(), Some(true));
}

#[test]
fn dedicated_thread_isolates_work_like_shared_ones() {
    let iso = Isolate::new(IsolateOptions {
        dedicated_thread: true,
        ..IsolateOptions::default()
    })
    .unwrap();
    assert_usable(&context(&iso));
    iso.dispose();
    assert!(iso.is_disposed());
}

#[test]
fn intl_works_with_bundled_icu_data() {
    let ctx = context(&isolate(64));
    assert_eq!(
        value(eval(
            &ctx,
            "new Intl.NumberFormat('de-DE').format(1234.5)",
            1000
        )),
        json!("1.234,5")
    );
}

#[test]
fn array_buffers_transfer_out_without_copying_and_only_once() {
    let a = context(&isolate(64));
    let b = context(&isolate(64));
    eval(&a, "globalThis.buf = new Uint8Array([1, 2, 3, 4]).buffer; globalThis.view = new Uint16Array(8)", 100);
    let moved = a
        .global()
        .unwrap()
        .get("buf")
        .unwrap()
        .transfer_out()
        .unwrap();
    assert!(moved.holds_transfer());
    assert_eq!(
        value(eval(&a, "buf.byteLength", 100)),
        json!(0),
        "detached in the source"
    );
    let run = b
        .eval_closure(
            "return new Uint8Array($0).reduce((s, x) => s + x, 0)",
            vec![moved.clone().into()],
            &RunOptions::default(),
        )
        .unwrap();
    assert_eq!(value(run), json!(10));
    assert!(!moved.holds_transfer());
    let again = b
        .eval_closure("return $0", vec![moved.into()], &RunOptions::default())
        .unwrap();
    assert_eq!(
        kind(&again),
        OutcomeKind::Exception,
        "a transfer materialises once"
    );
    // Typed arrays transfer their buffer; other values are refused.
    let view = a
        .global()
        .unwrap()
        .get("view")
        .unwrap()
        .transfer_out()
        .unwrap();
    let run = b
        .eval_closure(
            "return $0 instanceof Uint16Array && $0.length",
            vec![view.into()],
            &RunOptions::default(),
        )
        .unwrap();
    assert_eq!(value(run), json!(8));
    assert!(matches!(
        a.global().unwrap().transfer_out(),
        Err(Error::NotTransferable(_))
    ));
}

#[test]
fn evaluating_the_same_code_again_runs_it_again_in_its_own_context() {
    let iso = isolate(64);
    let (a, b) = (context(&iso), context(&iso));
    let count = "globalThis.n = (globalThis.n || 0) + 1; n";
    for expected in 1..=3 {
        assert_eq!(value(eval(&a, count, 100)), json!(expected));
    }
    // The same text in another context runs there, against that context's globals.
    assert_eq!(value(eval(&b, count, 100)), json!(1));
    assert_eq!(value(eval(&a, count, 100)), json!(4));
    // A top-level `let`, `const` or `class` clashes with itself on every run after the
    // first, as a fresh compile of the same text would: an exception (not a syntax outcome),
    // every time. (Running V8's script object for these twice crashed the process.)
    for (code, first) in [
        ("let once = 5; once", json!(5)),
        ("const fixed = 6; fixed", json!(6)),
        ("class Shape {}; typeof Shape", json!("function")),
    ] {
        assert_eq!(value(eval(&a, code, 100)), first);
        for _ in 0..2 {
            let run = eval(&a, code, 100);
            assert_eq!(kind(&run), OutcomeKind::Exception, "{code}");
            assert_eq!(
                run.outcome.error().map(|e| e.name.clone()).as_deref(),
                Some("SyntaxError")
            );
        }
    }
    // Sources without lexical declarations run the same script object again.
    for (code, expected) in [
        ("var v = (globalThis.v || 0) + 1; v", [1, 2, 3]),
        (
            "function f() { return 7 } f() + (globalThis.fc = (globalThis.fc || 0) + 1)",
            [8, 9, 10],
        ),
        (
            "var c = globalThis.c || 0; var g = () => ++c; g()",
            [1, 2, 3],
        ),
        (
            "for (var i = 0; i < 3; i++) {} i + (this.t = (this.t || 0) + 1)",
            [4, 5, 6],
        ),
        ("eval('var ev = (globalThis.ev || 0) + 1'); ev", [1, 2, 3]),
        (
            "(function* () { yield globalThis.y = (globalThis.y || 0) + 1 })().next().value",
            [1, 2, 3],
        ),
    ] {
        for want in expected {
            assert_eq!(value(eval(&a, code, 100)), json!(want), "{code}");
        }
    }
    // The file name is part of what was compiled: each name shows in its own stack.
    for name in ["first.js", "second.js", "first.js"] {
        let run = a
            .eval(
                "new Error('here').stack",
                &RunOptions {
                    filename: Some(name.into()),
                    ..RunOptions::default()
                },
            )
            .unwrap();
        let stack = value(run);
        assert!(
            stack.as_str().is_some_and(|s| s.contains(name)),
            "{stack} should name {name}"
        );
    }
    // A released context's scripts do not run in a new one that reuses nothing of it.
    a.release();
    let c = context(&iso);
    assert_eq!(value(eval(&c, count, 100)), json!(1));
    assert_eq!(value(eval(&b, count, 100)), json!(2));
}

#[test]
fn heap_in_use_is_measured_only_when_asked() {
    let ctx = context(&isolate(64));
    let run = ctx
        .eval("new Array(1e5).fill(1).length", &RunOptions::default())
        .unwrap();
    assert_eq!(run.heap_used_bytes, 0, "off by default");
    let run = ctx
        .eval(
            "globalThis.keep = new Array(1e5).fill(1); keep.length",
            &RunOptions {
                heap_statistics: true,
                ..RunOptions::default()
            },
        )
        .unwrap();
    assert!(
        run.heap_used_bytes > 800_000,
        "a 100 000-element array is in use: {}",
        run.heap_used_bytes
    );
}

#[test]
fn numbers_and_booleans_come_out_exactly_as_they_went_in() {
    let ctx = context(&isolate(64));
    // Each value is copied out of one eval and back into a closure that compares it with
    // the original by Object.is (so -0, NaN and doubles near the int32 edges count).
    for expr in [
        "0",
        "-0",
        "1",
        "-1",
        "63",
        "-64",
        "64",
        "2147483647",
        "-2147483648",
        "2147483648",
        "-2147483649",
        "0.1",
        "NaN",
        "Infinity",
        "-Infinity",
        "1e308",
        "5e-324",
        "true",
        "false",
    ] {
        let RunOutcome::Ok(copy) = eval(&ctx, expr, 100).outcome else {
            panic!("{expr} did not evaluate");
        };
        let same = ctx
            .eval_closure(
                &format!("return Object.is($0, {expr})"),
                vec![Transferable::Copy(copy)],
                &RunOptions::default(),
            )
            .unwrap();
        assert_eq!(value(same), json!(true), "{expr} changed on the way");
    }
}

#[test]
fn a_calls_young_garbage_is_collected_when_it_ends_not_left_to_fill_the_new_space() {
    // V8 starts each isolate with two 1 MiB semi-spaces and collects the young generation
    // only when one is full: an isolate that makes a little garbage per call would touch all
    // 2 MiB before its first collection, and keep it. `platform::MANY_ISOLATES_FLAGS` queues a
    // collection once 80 KiB of the new space is used; it runs as the call drains its tasks.
    let ctx = context(&isolate(64));
    let garbage = "(() => { const made = []; for (let i = 0; i < 2000; i++) made.push({ i, list: [i, i + 1, i + 2] }); return made.length; })()";
    let used_after = |ctx: &isoshard_scripting::Context| {
        value(eval(ctx, garbage, 5_000));
        ctx.isolate().heap_statistics().unwrap().used_heap_size
    };
    // Warm up (the code compiled, the first collections done), then measure from there.
    for _ in 0..4 {
        used_after(&ctx);
    }
    let start = used_after(&ctx);
    let mut most = start;
    // Each call leaves ~150 KB of dead objects: ten calls make 1.5 MB, more than a
    // semi-space holds, so without the early collection the heap in use would climb by
    // ~1 MB before V8 collected on its own.
    for _ in 0..10 {
        most = most.max(used_after(&ctx));
    }
    assert!(
        most < start + 300_000,
        "heap in use climbed from {start} to {most} bytes: the young garbage was not collected"
    );
}
