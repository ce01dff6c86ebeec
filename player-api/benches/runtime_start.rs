//! Player isolate-ready time and heap: `PlayerRuntime::start` (isolate, context, callbacks,
//! prelude, bundled lodash, setup) with the scripts from a startup snapshot vs run from
//! source, with and without lodash.
//!
//! `cargo bench -p isoshard-player-api --bench runtime_start`

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use isoshard_player_api::{PlayerRuntime, PlayerRuntimeOptions, PlayerSetup};
use isoshard_scripting::ExternalCopy;
use serde_json::json;

/// Mean start time and the heap in use after the last start (bytes).
fn start_many(options: &PlayerRuntimeOptions, n: usize) -> (Duration, usize) {
    let map = ExternalCopy::from_json(&json!({ "terrain": {}, "exits": {} })).unwrap();
    let modules: BTreeMap<String, String> = [(
        "main".to_string(),
        "module.exports.loop = function () {};".to_string(),
    )]
    .into();
    let mut total = Duration::ZERO;
    let mut heap = 0;
    for _ in 0..n {
        let setup = PlayerSetup {
            username: "bench".into(),
            modules: modules.clone(),
            memory: String::new(),
            map: map.clone(),
        };
        let t = Instant::now();
        let runtime = PlayerRuntime::start(setup, options).unwrap();
        total += t.elapsed();
        heap = runtime.isolate().heap_statistics().unwrap().used_heap_size;
        runtime.dispose();
    }
    (total / n as u32, heap)
}

#[allow(clippy::print_stdout)]
fn main() {
    let n = 40;
    for (label, lodash) in [("prelude", false), ("prelude + bundled lodash", true)] {
        let mut rows = Vec::new();
        for snapshot in [false, true] {
            let options = PlayerRuntimeOptions {
                lodash,
                prelude_snapshot: snapshot,
                ..PlayerRuntimeOptions::default()
            };
            // Warm up: code cache, snapshot creation, home threads.
            start_many(&options, 3);
            rows.push(start_many(&options, n));
        }
        println!(
            "{label}: from source {:.0} µs, from snapshot {:.0} µs, speed-up {:.2}x; heap used {:.2} / {:.2} MiB",
            rows[0].0.as_secs_f64() * 1e6,
            rows[1].0.as_secs_f64() * 1e6,
            rows[0].0.as_secs_f64() / rows[1].0.as_secs_f64(),
            rows[0].1 as f64 / (1 << 20) as f64,
            rows[1].1 as f64 / (1 << 20) as f64,
        );
    }
}
