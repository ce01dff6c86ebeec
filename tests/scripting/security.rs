//! What untrusted code can reach: standard globals and the callbacks explicitly installed,
//! nothing else; every value crossing the boundary is a copy.

use std::sync::{Arc, Mutex};

use isoshard_scripting::{Callback, ExternalCopy, OutcomeKind, RunOutcome};
use serde_json::json;

use crate::support::*;

/// ECMAScript globals plus V8's extras; anything else on a fresh global would be a leak.
const STANDARD: &[&str] = &[
    "Object",
    "Function",
    "Array",
    "Number",
    "parseFloat",
    "parseInt",
    "Infinity",
    "NaN",
    "undefined",
    "Boolean",
    "String",
    "Symbol",
    "Date",
    "Promise",
    "RegExp",
    "Error",
    "AggregateError",
    "EvalError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
    "TypeError",
    "URIError",
    "globalThis",
    "JSON",
    "Math",
    "Intl",
    "ArrayBuffer",
    "Atomics",
    "Uint8Array",
    "Int8Array",
    "Uint16Array",
    "Int16Array",
    "Uint32Array",
    "Int32Array",
    "Float32Array",
    "Float64Array",
    "Uint8ClampedArray",
    "BigUint64Array",
    "BigInt64Array",
    "DataView",
    "Map",
    "BigInt",
    "Set",
    "WeakMap",
    "WeakSet",
    "Proxy",
    "Reflect",
    "FinalizationRegistry",
    "WeakRef",
    "decodeURI",
    "decodeURIComponent",
    "encodeURI",
    "encodeURIComponent",
    "escape",
    "unescape",
    "eval",
    "isFinite",
    "isNaN",
    "console",
    "SharedArrayBuffer",
    "WebAssembly",
    "Iterator",
    "Float16Array",
    "SuppressedError",
    "DisposableStack",
    "AsyncDisposableStack",
];

#[test]
fn untrusted_code_sees_only_standard_globals_and_installed_callbacks() {
    let ctx = context(&isolate(64));
    ctx.set_callback("hostFn", Callback::sync(|_| Ok(ExternalCopy::undefined())))
        .unwrap();
    let names = value(eval(&ctx, "Object.getOwnPropertyNames(globalThis)", 100));
    let extra: Vec<&str> = names
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .filter(|n| !STANDARD.contains(n))
        .collect();
    assert_eq!(extra, vec!["hostFn"]);
}

#[test]
fn installed_callback_carries_nothing_of_the_host() {
    let ctx = context(&isolate(64));
    ctx.set_callback("hostFn", Callback::sync(|_| Ok(ExternalCopy::undefined())))
        .unwrap();
    let got = value(eval(
        &ctx,
        "[Object.getOwnPropertyNames(hostFn).sort(), hostFn.prototype, (() => { try { new hostFn(); return 'constructed' } catch (e) { return e.name } })(), Object.getPrototypeOf(hostFn) === Function.prototype]",
        100,
    ));
    assert_eq!(got, json!([["length", "name"], null, "TypeError", true]));
}

#[test]
fn returned_proxy_cannot_reach_host() {
    let ctx = context(&isolate(64));
    let run = eval(
        &ctx,
        "new Proxy({}, { get() { for (;;) {} }, ownKeys() { for (;;) {} } })",
        1000,
    );
    assert_eq!(
        kind(&run),
        OutcomeKind::NotTransferable,
        "proxies are refused; their traps never run on the host"
    );
}

#[test]
fn functions_passed_to_callbacks_are_refused_and_never_reach_the_host() {
    let ctx = context(&isolate(64));
    let calls = Arc::new(Mutex::new(0));
    let c = calls.clone();
    ctx.set_callback(
        "hostFn",
        Callback::ignored(move |_| *c.lock().unwrap() += 1),
    )
    .unwrap();
    let got = value(eval(
        &ctx,
        "try { hostFn(() => 1); 'passed' } catch (e) { e.name }",
        100,
    ));
    assert_eq!(got, json!("TypeError"));
    assert_eq!(*calls.lock().unwrap(), 0);
}

#[test]
fn values_crossing_the_boundary_are_copies() {
    let ctx = context(&isolate(64));
    let received = Arc::new(Mutex::new(None));
    let r = received.clone();
    ctx.set_callback(
        "keep",
        Callback::sync(move |args| {
            *r.lock().unwrap() = Some(args[0].clone());
            ExternalCopy::from_json(&json!({"fromHost": [1, 2]})).map_err(|e| e.to_string())
        }),
    )
    .unwrap();
    let got = value(eval(&ctx, "const o = { a: 1 }; const h = keep(o); o.a = 99; h.fromHost.push(3); [h.fromHost, keep(o).fromHost]", 100));
    // The host's copy was taken at call time; JavaScript's mutations of host results stay local.
    assert_eq!(got, json!([[1, 2, 3], [1, 2]]));
    let first_copy = received.lock().unwrap().clone().unwrap();
    assert_eq!(
        first_copy.to_json().unwrap(),
        json!({"a": 99}),
        "the second call's copy saw the mutation"
    );
    let RunOutcome::Ok(result) = eval(&ctx, "globalThis.shared = { v: 1 }; shared", 100).outcome
    else {
        panic!()
    };
    eval(&ctx, "shared.v = 2", 100);
    assert_eq!(
        result.to_json().unwrap(),
        json!({"v": 1}),
        "a result copy does not follow later changes"
    );
}
