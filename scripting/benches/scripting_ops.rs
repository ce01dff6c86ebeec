//! Scripting micro-benchmarks, printed as `name: value unit` lines (and one JSON line with
//! `--json`). The same operations are in `bench/isolated-vm/ops.js` for isolated-vm@5.
//!
//! `cargo bench -p isoshard-scripting --bench scripting_ops [-- --json] [-- --quick]`

use std::time::{Duration, Instant};

use isoshard_scripting::{
    Callback, ExternalCopy, Isolate, IsolateOptions, ModuleOptions, RunOptions, Snapshot,
    SnapshotOptions, Transferable,
};
use serde_json::json;

// The allocator the `isoshard` binary ships with (engine/src/main.rs): a call hands its job
// and its result between two threads, and glibc malloc's arena locks were most of the calling
// thread's system time in `perf` (futex waits on frees from the other thread).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
                    * 1024
            })
        })
        .unwrap_or(0)
}

fn per_op(total: Duration, n: u32) -> f64 {
    total.as_secs_f64() * 1e6 / n as f64
}

/// A ~1 MB object graph: 5,000 creep-like objects.
pub fn graph() -> serde_json::Value {
    let items: Vec<serde_json::Value> = (0..5000)
        .map(|i| json!({"id": format!("{i:012x}"), "name": format!("creep{i}"), "pos": {"x": i % 50, "y": (i / 50) % 50, "room": "W1N1"}, "body": ["work", "carry", "move", "move"], "store": {"energy": i % 51}, "hits": 400, "my": i % 2 == 0}))
        .collect();
    json!({"tick": 1, "objects": items})
}

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let json_out = args.iter().any(|a| a == "--json");
    let scale = if quick { 10 } else { 1 };
    let mut results = serde_json::Map::new();
    let mut report = |name: &str, value: f64, unit: &str| {
        println!("{name}: {value:.3} {unit}");
        results.insert(name.to_string(), json!({"value": value, "unit": unit}));
    };

    // Warm up the platform and the home threads.
    drop(
        Isolate::new(IsolateOptions::default())
            .unwrap()
            .create_context()
            .unwrap(),
    );

    let n = 2000 / scale;
    let start = Instant::now();
    for _ in 0..n {
        let iso = Isolate::new(IsolateOptions::default()).unwrap();
        iso.dispose();
    }
    // Disposal is queued on the home threads; one more round trip waits for it.
    Isolate::new(IsolateOptions::default())
        .unwrap()
        .heap_statistics()
        .unwrap();
    report(
        "isolate_create_dispose",
        per_op(start.elapsed(), n),
        "us/op",
    );

    let iso = Isolate::new(IsolateOptions::default()).unwrap();
    let n = 2000 / scale;
    let start = Instant::now();
    for _ in 0..n {
        let ctx = iso.create_context().unwrap();
        ctx.release();
    }
    report("context_create", per_op(start.elapsed(), n), "us/op");

    let ctx = iso.create_context().unwrap();
    let opts = RunOptions::default();
    let n = 20_000 / scale;
    // Untimed warm-up, as in ops.js: the first thousands of calls run slower on both sides.
    for _ in 0..n / 4 {
        std::hint::black_box(ctx.eval("1 + 1", &opts).unwrap());
    }
    let start = Instant::now();
    for _ in 0..n {
        let run = ctx.eval("1 + 1", &opts).unwrap();
        std::hint::black_box(run);
    }
    report("eval_round_trip", per_op(start.elapsed(), n), "us/op");

    ctx.set_callback(
        "cb",
        Callback::sync(|args| {
            Ok(args
                .into_iter()
                .next()
                .unwrap_or_else(ExternalCopy::undefined))
        }),
    )
    .unwrap();
    let calls = 200_000 / scale;
    let start = Instant::now();
    ctx.eval(
        &format!("for (let i = 0; i < {calls}; i++) cb(i)"),
        &RunOptions {
            cpu_limit: Some(Duration::from_secs(60)),
            ..RunOptions::default()
        },
    )
    .unwrap();
    report("callback_call", per_op(start.elapsed(), calls), "us/op");

    let g = ExternalCopy::from_json(&graph()).unwrap();
    report("graph_bytes", g.size() as f64, "bytes");
    let n = 200 / scale;
    let start = Instant::now();
    for _ in 0..n {
        let run = ctx
            .eval_closure("return $0", vec![Transferable::Copy(g.clone())], &opts)
            .unwrap();
        std::hint::black_box(run);
    }
    report(
        "external_copy_1mb_in_and_out",
        per_op(start.elapsed(), n),
        "us/op",
    );

    let cycles = 20_000 / scale;
    let before = rss_bytes();
    for i in 0..cycles {
        let iso = Isolate::new(IsolateOptions::default()).unwrap();
        if i % 2 == 0 {
            let c = iso.create_context().unwrap();
            c.eval("({ a: [1, 2, 3] })", &opts).unwrap();
        }
        iso.dispose();
    }
    Isolate::new(IsolateOptions::default())
        .unwrap()
        .heap_statistics()
        .unwrap();
    let after = rss_bytes();
    report(
        "rss_growth_after_create_dispose_cycles",
        (after as f64 - before as f64) / (1 << 20) as f64,
        "MiB",
    );
    report("create_dispose_cycles", cycles as f64, "cycles");
    // After the RSS measurement, so module allocations do not move its baseline.
    // Modules: compile with and without code cache, and linking a 100-module graph.
    let module_source: String = (0..400)
        .map(|i| {
            format!(
                "export function f{i}(a, b) {{ const o = {{ x: a + {i}, y: [b, a, {i}] }}; \
                 for (let k = 0; k < o.y.length; k++) o.x += o.y[k] * k; return o; }}\n"
            )
        })
        .collect();
    let module_options = |cached_data: Option<Vec<u8>>, produce: bool| ModuleOptions {
        import_meta: None,
        filename: Some("bench.mjs".into()),
        produce_cached_data: produce,
        cached_data,
    };
    let cache = Isolate::new(IsolateOptions::default())
        .unwrap()
        .compile_module(&module_source, module_options(None, true))
        .unwrap()
        .cached_data()
        .expect("module code cache")
        .to_vec();
    let n = 200 / scale as u32;
    let (mut cold, mut warm) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..n {
        // Fresh isolates: V8's per-isolate compilation cache would otherwise hide the cost.
        let iso = Isolate::new(IsolateOptions::default()).unwrap();
        let start = Instant::now();
        iso.compile_module(&module_source, module_options(None, false))
            .unwrap();
        cold += start.elapsed();
        let iso = Isolate::new(IsolateOptions::default()).unwrap();
        let start = Instant::now();
        let m = iso
            .compile_module(&module_source, module_options(Some(cache.clone()), false))
            .unwrap();
        warm += start.elapsed();
        assert_eq!(m.cached_data_rejected(), Some(false));
    }
    report("module_compile_400_functions", per_op(cold, n), "us/op");
    report(
        "module_compile_400_functions_cached",
        per_op(warm, n),
        "us/op",
    );

    let n = 100 / scale as u32;
    let mut link = Duration::ZERO;
    for _ in 0..n {
        let iso = Isolate::new(IsolateOptions::default()).unwrap();
        let ctx = iso.create_context().unwrap();
        let modules: Vec<_> = (0..100)
            .map(|i| {
                let imports = if i + 1 < 100 {
                    format!("import {{ v as next }} from 'm{}';", i + 1)
                } else {
                    "const next = 0;".to_string()
                };
                iso.compile_module(
                    &format!("{imports} export const v = next + {i};"),
                    ModuleOptions::default(),
                )
                .unwrap()
            })
            .collect();
        let start = Instant::now();
        modules[0]
            .instantiate(&ctx, &opts, |spec, _| {
                let i: usize = spec[1..].parse().map_err(|_| spec.to_string())?;
                Ok(modules[i].clone())
            })
            .unwrap();
        link += start.elapsed();
    }
    report("module_graph_100_instantiate", per_op(link, n), "us/op");

    // Startup snapshots: isolate + context ready with the player prelude evaluated, from
    // source vs from a snapshot made of the same source.
    // The player prelude's parts joined in file-name order, as player-api joins them, with
    // screeps/common's constants file (vendored) between the two parts that wrap it
    // (player-api/src/lib.rs, `prelude_parts!`).
    let js = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../player-api/js");
    let mut files: Vec<_> = std::fs::read_dir(js.join("prelude"))
        .expect("player-api/js/prelude")
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    let wrapped_at = files
        .iter()
        .position(|f| f.ends_with("11_constants.js"))
        .expect("the constants' closing part");
    files.insert(
        wrapped_at,
        js.join("vendor/screeps-common-2.16.1-constants.js"),
    );
    let prelude: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("prelude part"))
        .collect();
    let snapshot = Snapshot::create(
        &[("prelude.js", prelude.as_str())],
        None,
        &SnapshotOptions::default(),
    )
    .expect("prelude snapshot");
    report("snapshot_bytes", snapshot.len() as f64, "bytes");
    let n = 200 / scale as u32;
    let (mut from_source, mut from_snapshot) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..n {
        let start = Instant::now();
        let iso = Isolate::new(IsolateOptions::default()).unwrap();
        let ctx = iso.create_context().unwrap();
        let run = ctx
            .eval(
                &prelude,
                &RunOptions {
                    copy_result: false,
                    ..RunOptions::default()
                },
            )
            .unwrap();
        assert!(matches!(run.outcome, isoshard_scripting::RunOutcome::Ok(_)));
        from_source += start.elapsed();
        iso.dispose();
        let start = Instant::now();
        let iso = Isolate::new(IsolateOptions {
            snapshot: Some(snapshot.clone()),
            ..IsolateOptions::default()
        })
        .unwrap();
        let ctx = iso.create_context().unwrap();
        // One round trip, so both columns include a first call into the context.
        ctx.eval("0", &opts).unwrap();
        from_snapshot += start.elapsed();
        iso.dispose();
    }
    report(
        "isolate_ready_prelude_from_source",
        per_op(from_source, n),
        "us/op",
    );
    report(
        "isolate_ready_prelude_from_snapshot",
        per_op(from_snapshot, n),
        "us/op",
    );

    // Inspector costs: a compute-heavy call with and without a CPU profile running, and the
    // CPU a paused isolate burns per second of pause (charged to its call).
    let iso = Isolate::new(IsolateOptions {
        inspector: true,
        dedicated_thread: true,
        ..IsolateOptions::default()
    })
    .unwrap();
    let ctx = iso.create_context().unwrap();
    let busy = "(() => { let x = 0; for (let i = 0; i < 3e6; i++) x = (x + i * 7) % 1000003; return x; })()";
    let heavy = RunOptions::with_cpu_limit(Duration::from_secs(10));
    ctx.eval(busy, &heavy).unwrap();
    let runs = 20 / scale as u32;
    let time_busy = |ctx: &isoshard_scripting::Context| {
        let start = Instant::now();
        for _ in 0..runs {
            let run = ctx.eval(busy, &heavy).unwrap();
            assert!(matches!(run.outcome, isoshard_scripting::RunOutcome::Ok(_)));
        }
        per_op(start.elapsed(), runs)
    };
    let plain = time_busy(&ctx);
    iso.start_cpu_profiler("bench").unwrap();
    let profiled = time_busy(&ctx);
    let profile = iso.stop_cpu_profiler("bench").unwrap();
    report("busy_call_us", plain, "us/op");
    report("busy_call_profiled_us", profiled, "us/op");
    report("profile_samples", profile.samples.len() as f64, "samples");
    let session = iso
        .inspector_session(isoshard_scripting::InspectorTrust::Untrusted)
        .unwrap();
    session
        .call("Debugger.enable", json!({}), Duration::from_secs(10))
        .unwrap();
    let paused = ctx
        .eval(
            "debugger; 1",
            &RunOptions {
                cpu_limit: Some(Duration::from_secs(10)),
                wall_limit: Some(Duration::from_secs(2)),
                ..RunOptions::default()
            },
        )
        .unwrap();
    report(
        "paused_cpu_per_paused_second_us",
        paused.cpu_time.as_secs_f64() * 1e6 / paused.wall_time.as_secs_f64(),
        "us/s",
    );
    drop(session);
    iso.dispose();

    if json_out {
        println!("{}", serde_json::Value::Object(results));
    }
}
