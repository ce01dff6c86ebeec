//! The DevTools inspector and CPU profiles: breakpoints under the wall limit, what player
//! sessions may not do, hostile CDP input, and the profile format.

use std::time::{Duration, Instant};

use isoshard_scripting::{
    Error, InspectorSession, InspectorTrust, Isolate, IsolateOptions, OutcomeKind, RunOptions,
    MAX_INSPECTOR_MESSAGE,
};
use serde_json::{json, Value};

use crate::support::{assert_usable, context, eval, kind, value};

fn debuggable() -> Isolate {
    Isolate::new(IsolateOptions {
        inspector: true,
        dedicated_thread: true,
        default_cpu_limit: Duration::from_millis(200),
        ..IsolateOptions::default()
    })
    .expect("isolate")
}

/// Reads messages until one satisfies `pick` (bounded).
fn wait_for(session: &InspectorSession, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "no {what} from the inspector");
        if let Some(text) = session.recv_timeout(left).expect("session open") {
            let message: Value = serde_json::from_str(&text).expect("inspector sends JSON");
            if pick(&message) {
                return message;
            }
        }
    }
}

/// The reply we send for a command the CPU or wall limit cut short.
fn assert_cut_at_the_limit(reply: &Value) {
    let message = reply["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("terminated"), "{reply}");
}

fn reply(session: &InspectorSession, id: u64) -> Value {
    wait_for(session, &format!("reply {id}"), |m| m["id"] == id)
}

fn request(session: &InspectorSession, id: u64, method: &str, params: Value) -> Value {
    session
        .send(&json!({ "id": id, "method": method, "params": params }).to_string())
        .expect("send");
    reply(session, id)
}

const BOT: &str = "function work(n) {\n  const local = n * 6;\n  return local + 1;\n}\nwork(7);\n";

#[test]
fn breakpoint_pauses_evaluates_a_local_and_resumes() {
    let iso = debuggable();
    let ctx = context(&iso);
    let session = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    request(&session, 1, "Runtime.enable", json!({}));
    request(&session, 2, "Debugger.enable", json!({}));
    let bp = request(
        &session,
        3,
        "Debugger.setBreakpointByUrl",
        json!({ "url": "bot.js", "lineNumber": 2 }),
    );
    assert!(bp["result"]["breakpointId"].is_string(), "{bp}");
    let runner = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            ctx.eval(
                BOT,
                &RunOptions {
                    filename: Some("bot.js".into()),
                    cpu_limit: Some(Duration::from_secs(5)),
                    wall_limit: Some(Duration::from_secs(30)),
                    ..RunOptions::default()
                },
            )
            .unwrap()
        })
    };
    let paused = wait_for(&session, "Debugger.paused", |m| {
        m["method"] == "Debugger.paused"
    });
    let frame = &paused["params"]["callFrames"][0];
    assert_eq!(frame["functionName"], "work");
    assert_eq!(frame["location"]["lineNumber"], 2);
    let local = request(
        &session,
        4,
        "Debugger.evaluateOnCallFrame",
        json!({ "callFrameId": frame["callFrameId"], "expression": "local" }),
    );
    assert_eq!(local["result"]["result"]["value"], 42, "{local}");
    request(&session, 5, "Debugger.resume", json!({}));
    let run = runner.join().unwrap();
    assert_eq!(value(run), json!(43));
}

#[test]
fn a_pause_nobody_resumes_ends_at_the_wall_limit_and_other_isolates_keep_running() {
    let iso = debuggable();
    let ctx = context(&iso);
    let session = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    request(&session, 1, "Debugger.enable", json!({}));
    let runner = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let run = ctx
                .eval(
                    "debugger; 1",
                    &RunOptions {
                        cpu_limit: Some(Duration::from_millis(100)),
                        wall_limit: Some(Duration::from_millis(700)),
                        ..RunOptions::default()
                    },
                )
                .unwrap();
            (run, started.elapsed())
        })
    };
    wait_for(&session, "Debugger.paused", |m| {
        m["method"] == "Debugger.paused"
    });
    // Meanwhile an isolate on another thread is not stalled.
    let other = crate::support::isolate(32);
    let other_ctx = context(&other);
    let started = Instant::now();
    assert_eq!(value(eval(&other_ctx, "2 + 2", 1000)), json!(4));
    assert!(started.elapsed() < Duration::from_millis(500));
    let (run, took) = runner.join().unwrap();
    assert_eq!(kind(&run), OutcomeKind::WallLimit);
    assert!(took < Duration::from_secs(5), "pause lasted {took:?}");
    wait_for(&session, "Debugger.resumed", |m| {
        m["method"] == "Debugger.resumed"
    });
    // The isolate and the session still work.
    assert_usable(&ctx);
    let v = request(
        &session,
        2,
        "Runtime.evaluate",
        json!({ "expression": "6 * 7" }),
    );
    assert_eq!(v["result"]["result"]["value"], 42);
}

#[test]
fn runtime_evaluate_of_an_infinite_loop_while_idle_is_cut_at_the_cpu_limit() {
    let iso = debuggable();
    let ctx = context(&iso);
    let session = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    let started = Instant::now();
    let r = request(
        &session,
        1,
        "Runtime.evaluate",
        json!({ "expression": "for(;;){}" }),
    );
    assert_cut_at_the_limit(&r);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        iso.cpu_time() >= Duration::from_millis(80),
        "charged to the isolate"
    );
    assert_usable(&ctx);
}

#[test]
fn getter_loop_reached_through_get_properties_is_cut_at_the_cpu_limit() {
    let iso = debuggable();
    let ctx = context(&iso);
    let session = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    let obj = request(
        &session,
        1,
        "Runtime.evaluate",
        json!({ "expression": "({ get trap() { for(;;){} } })" }),
    );
    let object_id = obj["result"]["result"]["objectId"].clone();
    assert!(object_id.is_string(), "{obj}");
    // Asking DevTools-style for the getter's value runs it: limited like any player code.
    let r = request(
        &session,
        2,
        "Runtime.callFunctionOn",
        json!({ "objectId": object_id, "functionDeclaration": "function() { return this.trap; }" }),
    );
    assert_cut_at_the_limit(&r);
    assert_usable(&ctx);
}

#[test]
fn player_sessions_get_no_heap_profiler_and_no_command_line_api() {
    let iso = debuggable();
    let _ctx = context(&iso);
    let player = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    let heap = request(&player, 1, "HeapProfiler.takeHeapSnapshot", json!({}));
    assert!(heap["error"].is_object(), "{heap}");
    let query = request(
        &player,
        2,
        "Runtime.queryObjects",
        json!({ "prototypeObjectId": "1.1.1" }),
    );
    assert!(
        query["error"]["message"]
            .as_str()
            .unwrap()
            .contains("player sessions"),
        "{query}"
    );
    let cli = request(
        &player,
        3,
        "Runtime.evaluate",
        json!({ "expression": "queryObjects(Object)", "includeCommandLineAPI": true }),
    );
    assert!(
        cli["error"]["message"]
            .as_str()
            .unwrap()
            .contains("includeCommandLineAPI"),
        "{cli}"
    );
    // The operator's session has the heap profiler.
    let operator = iso.inspector_session(InspectorTrust::Trusted).unwrap();
    let heap = request(&operator, 4, "HeapProfiler.enable", json!({}));
    assert!(heap["error"].is_null(), "{heap}");
}

#[test]
fn malformed_unknown_and_oversized_cdp_messages_get_errors_and_the_session_survives() {
    let iso = debuggable();
    let ctx = context(&iso);
    let session = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    session.send("{ this is not json").unwrap();
    let parse = wait_for(&session, "a parse error", |m| m["error"].is_object());
    assert!(parse["error"]["code"].as_i64().is_some(), "{parse}");
    let unknown = request(&session, 1, "Nope.nothing", json!({}));
    assert!(unknown["error"].is_object(), "{unknown}");
    let bad_params = request(
        &session,
        2,
        "Debugger.setBreakpointByUrl",
        json!({ "lineNumber": "x" }),
    );
    assert!(bad_params["error"].is_object(), "{bad_params}");
    let huge = format!(
        r#"{{"id":3,"method":"Runtime.evaluate","params":{{"expression":"'{}'"}}}}"#,
        "x".repeat(MAX_INSPECTOR_MESSAGE)
    );
    assert!(matches!(
        session.send(&huge),
        Err(Error::InvalidArgument(_))
    ));
    let ok = request(
        &session,
        4,
        "Runtime.evaluate",
        json!({ "expression": "1 + 2" }),
    );
    assert_eq!(ok["result"]["result"]["value"], 3);
    assert_usable(&ctx);
}

#[test]
fn a_client_that_never_reads_is_cut_off_instead_of_growing_host_memory() {
    let iso = debuggable();
    let ctx = context(&iso);
    let session = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    request(&session, 1, "Runtime.enable", json!({}));
    // 20 000 console messages for a client that reads none of them.
    let run = eval(
        &ctx,
        "for (let i = 0; i < 20000; i++) console.log('spam', i); 1",
        5000,
    );
    assert_eq!(kind(&run), OutcomeKind::Ok);
    let mut read = 0;
    let closed = loop {
        match session.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(_)) => read += 1,
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    assert!(closed, "the session was closed");
    assert!(
        read <= isoshard_scripting::MAX_PENDING_OUTGOING + 1,
        "{read} buffered"
    );
    assert!(session
        .send(r#"{"id":9,"method":"Runtime.enable"}"#)
        .is_err());
    assert_usable(&ctx);
}

#[test]
fn inspector_is_off_unless_the_isolate_opts_in() {
    let iso = crate::support::isolate(32);
    assert!(matches!(
        iso.inspector_session(InspectorTrust::Trusted),
        Err(Error::InvalidOptions(_))
    ));
}

#[test]
fn cpu_profile_has_the_devtools_shape_and_sees_the_hot_function() {
    let iso = crate::support::isolate(64);
    let ctx = context(&iso);
    iso.start_cpu_profiler("tick").unwrap();
    assert!(matches!(
        iso.start_cpu_profiler("tick"),
        Err(Error::InvalidArgument(_))
    ));
    let run = eval(
        &ctx,
        "function hotLoop() { let x = 0; const end = Date.now() + 150; while (Date.now() < end) x++; return x; } hotLoop() > 0",
        5000,
    );
    assert_eq!(value(run), json!(true));
    let profile = iso.stop_cpu_profiler("tick").unwrap();
    assert!(matches!(
        iso.stop_cpu_profiler("tick"),
        Err(Error::InvalidArgument(_))
    ));
    assert!(profile.end_time > profile.start_time);
    assert_eq!(profile.samples.len(), profile.time_deltas.len());
    assert!(
        profile.samples.len() > 100,
        "{} samples",
        profile.samples.len()
    );
    let hot = profile
        .nodes
        .iter()
        .find(|n| n.call_frame.function_name == "hotLoop")
        .expect("hotLoop in the call tree");
    assert!(hot.hit_count > 0);
    // Every sample names a node; the JSON has the keys DevTools reads.
    let ids: std::collections::HashSet<u64> = profile.nodes.iter().map(|n| n.id).collect();
    assert!(profile.samples.iter().all(|s| ids.contains(s)));
    let json = serde_json::to_value(&profile).unwrap();
    for key in ["nodes", "startTime", "endTime", "samples", "timeDeltas"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert!(json["nodes"][0]["callFrame"]["functionName"].is_string());
}

#[test]
fn a_flood_of_idle_infinite_loops_cannot_burn_more_than_the_inspector_budget() {
    let iso = debuggable();
    let ctx = context(&iso);
    let session = iso.inspector_session(InspectorTrust::Untrusted).unwrap();
    let started = Instant::now();
    let mut refused = 0;
    for id in 1..=20 {
        let r = request(
            &session,
            id,
            "Runtime.evaluate",
            json!({ "expression": "for(;;){}" }),
        );
        let message = r["error"]["message"].as_str().unwrap_or("").to_string();
        assert!(
            message.contains("terminated") || message.contains("budget"),
            "{r}"
        );
        if message.contains("budget") {
            refused += 1;
        }
    }
    let elapsed = started.elapsed();
    // 200 ms saved up plus 100 ms per second: far below 20 × 100 ms.
    let allowed =
        Duration::from_millis(200) + Duration::from_millis(100).mul_f64(elapsed.as_secs_f64());
    assert!(refused > 0, "some commands were refused");
    assert!(
        iso.cpu_time() <= allowed + Duration::from_millis(150),
        "{:?} of CPU in {elapsed:?}",
        iso.cpu_time()
    );
    assert_usable(&ctx);
}
