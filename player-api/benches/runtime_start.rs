//! Player isolate-ready time: `PlayerRuntime::start` (isolate, context, callbacks, prelude,
//! preloads, setup) with the prelude from a startup snapshot vs run from source.
//!
//! `cargo bench -p isoshard-player-api --bench runtime_start` — set ISOSHARD_LODASH to a
//! lodash file (scripts/test.sh installs one in target/npm) to add the lodash-preload rows.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use isoshard_player_api::{PlayerRuntime, PlayerRuntimeOptions, PlayerSetup, Preload, TickShared};
use isoshard_scripting::ExternalCopy;
use serde_json::json;

fn start_many(options: &PlayerRuntimeOptions, n: usize) -> Duration {
    let shared = Arc::new(TickShared::new(BTreeMap::new()));
    let map = ExternalCopy::from_json(&json!({ "terrain": {}, "exits": {} })).unwrap();
    let modules: BTreeMap<String, String> = [(
        "main".to_string(),
        "module.exports.loop = function () {};".to_string(),
    )]
    .into();
    let mut total = Duration::ZERO;
    for _ in 0..n {
        let setup = PlayerSetup {
            username: "bench".into(),
            modules: modules.clone(),
            memory: String::new(),
            map: map.clone(),
        };
        let t = Instant::now();
        let runtime = PlayerRuntime::start(setup, shared.clone(), options).unwrap();
        total += t.elapsed();
        runtime.dispose();
    }
    total / n as u32
}

#[allow(clippy::print_stdout)]
fn main() {
    let n = 40;
    let mut rows = vec![("prelude", Vec::new())];
    if let Ok(path) = std::env::var("ISOSHARD_LODASH") {
        let source = std::fs::read_to_string(&path).expect("ISOSHARD_LODASH is readable");
        rows.push((
            "prelude + lodash preload",
            vec![Preload {
                name: "lodash.js".into(),
                source: source.into(),
            }],
        ));
    }
    for (label, preloads) in rows {
        let mut times = Vec::new();
        for snapshot in [false, true] {
            let options = PlayerRuntimeOptions {
                preloads: preloads.clone(),
                prelude_snapshot: snapshot,
                ..PlayerRuntimeOptions::default()
            };
            // Warm up: code cache, snapshot creation, home threads.
            start_many(&options, 3);
            times.push(start_many(&options, n));
        }
        println!(
            "{label}: from source {:.0} µs, from snapshot {:.0} µs, speed-up {:.2}x",
            times[0].as_secs_f64() * 1e6,
            times[1].as_secs_f64() * 1e6,
            times[0].as_secs_f64() / times[1].as_secs_f64()
        );
    }
}
