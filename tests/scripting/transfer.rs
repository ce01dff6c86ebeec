//! TransferOptions (copy / externalCopy / reference / promise) and trusted contexts, and the
//! `applySyncPromise` equivalent.

use std::time::{Duration, Instant};

use futures::FutureExt;
use isoshard_scripting::{
    Callback, ContextOptions, Error, ExternalCopy, InspectorTrust, Isolate, IsolateOptions,
    OutcomeKind, RunOptions, Transferable,
};
use serde_json::{json, Value};

use crate::support::{context, eval, isolate, kind, value};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn opts() -> RunOptions {
    RunOptions {
        cpu_limit: Some(Duration::from_secs(2)),
        wall_limit: Some(Duration::from_secs(20)),
        await_promise: true,
        ..RunOptions::default()
    }
}

/// An isolate on a thread of its own (it will wait on host futures).
fn dedicated() -> Isolate {
    Isolate::new(IsolateOptions {
        dedicated_thread: true,
        ..IsolateOptions::default()
    })
    .unwrap()
}

/// A function in another isolate (another home thread is likely, not guaranteed: the
/// handles only use blocking calls, which are refused on the same thread).
fn adder() -> (Isolate, isoshard_scripting::Reference) {
    let iso = dedicated();
    let ctx = context(&iso);
    let run = eval(&ctx, "globalThis.add = (a, b) => a + b; 1", 1000);
    assert_eq!(kind(&run), OutcomeKind::Ok);
    let add = ctx.global().unwrap().get("add").unwrap();
    (iso, add)
}

#[test]
fn reference_external_copy_and_promise_transfers_into_a_player_context_are_refused() {
    let rt = runtime();
    let (_other, add) = adder();
    let iso = isolate(32);
    let player = context(&iso);
    let marker = "globalThis.ran = (globalThis.ran || 0) + 1; return typeof $0;";
    let attempts: Vec<(&str, Transferable)> = vec![
        ("reference", Transferable::Reference(add.clone())),
        (
            "externalCopy",
            Transferable::ExternalCopy(ExternalCopy::from_json(&json!({ "x": 1 })).unwrap()),
        ),
        (
            "promise",
            Transferable::promise(
                rt.handle().clone(),
                async { ExternalCopy::from_json(&json!(1)).map_err(|e| e.to_string()) }.boxed(),
            ),
        ),
    ];
    for (what, t) in attempts {
        match player.eval_closure(marker, vec![t], &opts()) {
            Err(Error::UntrustedContext(option)) => assert_eq!(option, what),
            other => panic!("{what}: expected UntrustedContext, got {other:?}"),
        }
    }
    // Through a Reference call and a property set too.
    let f = {
        let run = eval(&player, "globalThis.f = (x) => typeof x; 1", 1000);
        assert_eq!(kind(&run), OutcomeKind::Ok);
        player.global().unwrap().get("f").unwrap()
    };
    assert!(matches!(
        f.apply(None, vec![Transferable::Reference(add.clone())], &opts()),
        Err(Error::UntrustedContext("reference"))
    ));
    assert!(matches!(
        player
            .global()
            .unwrap()
            .set("leak", Transferable::Reference(add)),
        Err(Error::UntrustedContext("reference"))
    ));
    // Nothing ran, nothing was installed.
    assert_eq!(
        value(eval(&player, "[typeof ran, typeof leak]", 1000)),
        json!(["undefined", "undefined"])
    );
    // Plain copies still go in.
    let run = player
        .eval_closure(
            "return $0.x + 1",
            vec![ExternalCopy::from_json(&json!({ "x": 41 })).unwrap().into()],
            &opts(),
        )
        .unwrap();
    assert_eq!(value(run), json!(42));
}

#[test]
fn a_trusted_context_gets_working_reference_external_copy_and_promise_handles() {
    let rt = runtime();
    let (_other, add) = adder();
    let iso = isolate(32);
    let host = iso
        .create_context_with(ContextOptions { trusted: true })
        .unwrap();
    let run = host
        .eval_closure(
            "return [$0.typeof, $0.apply(undefined, 2, 3), $1.copy().items.length, Object.isFrozen($0)];",
            vec![
                Transferable::Reference(add.clone()),
                Transferable::ExternalCopy(ExternalCopy::from_json(&json!({ "items": [1, 2, 3] })).unwrap()),
            ],
            &opts(),
        )
        .unwrap();
    assert_eq!(value(run), json!(["function", 5, 3, true]));
    let slow = async {
        tokio::time::sleep(Duration::from_millis(30)).await;
        ExternalCopy::from_json(&json!(21)).map_err(|e| e.to_string())
    };
    // The promise settles after this call returns (on the isolate's thread, later); its
    // reaction reports through a callback.
    let (settled_tx, settled) = std::sync::mpsc::sync_channel(1);
    host.set_callback(
        "settled",
        Callback::ignored(move |args| {
            let _ = settled_tx.send(args[0].to_json().unwrap());
        }),
    )
    .unwrap();
    let run = host
        .eval_closure(
            "$0.then((v) => settled(v * 2)); return typeof $0.then;",
            vec![Transferable::promise(rt.handle().clone(), slow.boxed())],
            &opts(),
        )
        .unwrap();
    assert_eq!(value(run), json!("function"));
    let got = settled
        .recv_timeout(Duration::from_secs(10))
        .expect("the promise settled");
    assert_eq!(got, json!(42));
    // A released handle stops working; a handle into its own isolate is refused up front.
    let run = host
        .eval_closure(
            "$0.release(); try { $0.apply(undefined, 1, 1); return 'worked'; } catch (e) { return e.message; }",
            vec![Transferable::Reference(add)],
            &opts(),
        )
        .unwrap();
    assert_eq!(value(run), json!("handle released"));
    let own = host.global().unwrap();
    assert!(matches!(
        host.eval_closure("return 1", vec![Transferable::Reference(own)], &opts()),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn trusted_contexts_are_invisible_to_inspector_sessions() {
    let iso = Isolate::new(IsolateOptions {
        inspector: true,
        ..IsolateOptions::default()
    })
    .unwrap();
    let _player = context(&iso);
    let _host = iso
        .create_context_with(ContextOptions { trusted: true })
        .unwrap();
    let session = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    session
        .send(r#"{"id":1,"method":"Runtime.enable"}"#)
        .unwrap();
    let mut contexts = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = session
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap()
            .expect("reply to Runtime.enable");
        let m: Value = serde_json::from_str(&text).unwrap();
        if m["method"] == "Runtime.executionContextCreated" {
            contexts += 1;
        }
        if m["id"] == 1 {
            break;
        }
    }
    assert_eq!(contexts, 1, "only the player context is listed");
}

#[test]
fn sync_promise_callback_returns_a_host_futures_value_synchronously() {
    let rt = runtime();
    let iso = dedicated();
    let ctx = context(&iso);
    // Tells the test when the isolate is waiting on a host future.
    let (waiting_tx, waiting_rx) = std::sync::mpsc::channel();
    ctx.set_callback(
        "fetchScore",
        Callback::sync_promise(rt.handle().clone(), move |args| {
            let n = args[0].to_json().unwrap().as_f64().unwrap();
            let _ = waiting_tx.send(());
            async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                ExternalCopy::from_json(&json!(n * 10.0)).map_err(|e| e.to_string())
            }
            .boxed()
        }),
    )
    .unwrap();
    ctx.set_callback(
        "failing",
        Callback::sync_promise(rt.handle().clone(), |_| {
            async { Err("no score today".to_string()) }.boxed()
        }),
    )
    .unwrap();
    // While this isolate waits, another one (another thread) keeps answering.
    let waiting = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            eval(
                &ctx,
                "const a = fetchScore(4); const b = fetchScore(2); a + b",
                1000,
            )
        })
    };
    let other = isolate(32);
    let other_ctx = context(&other);
    waiting_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the isolate called fetchScore");
    let started = Instant::now();
    assert_eq!(value(eval(&other_ctx, "6 * 7", 1000)), json!(42));
    assert!(
        started.elapsed() < Duration::from_millis(150),
        "other isolate stalled"
    );
    let run = waiting.join().unwrap();
    assert!(
        run.cpu_time < Duration::from_millis(100),
        "waiting used {:?} of CPU",
        run.cpu_time
    );
    assert_eq!(value(run), json!(60));
    assert_eq!(
        value(eval(
            &ctx,
            "try { failing(); 'no' } catch (e) { e.message }",
            1000
        )),
        json!("no score today")
    );
}

#[test]
fn sync_promise_that_never_settles_ends_at_the_wall_limit() {
    let rt = runtime();
    let iso = dedicated();
    let ctx = context(&iso);
    ctx.set_callback(
        "forever",
        Callback::sync_promise(rt.handle().clone(), |_| futures::future::pending().boxed()),
    )
    .unwrap();
    let started = Instant::now();
    let run = ctx
        .eval(
            "forever(); 'unreachable'",
            &RunOptions {
                cpu_limit: Some(Duration::from_millis(100)),
                wall_limit: Some(Duration::from_millis(300)),
                ..RunOptions::default()
            },
        )
        .unwrap();
    assert_eq!(kind(&run), OutcomeKind::WallLimit);
    assert!(started.elapsed() < Duration::from_secs(3));
    crate::support::assert_usable(&ctx);
}
