//! Where a player tick's time goes inside the isolate: runs ticks of a trivial bot on a
//! recorded room view with the CPU profiler on and prints the functions with the most self
//! time. `cargo bench -p isoshard-player-api --bench tick_profile -- ROOM_JSON`
//! (`isoshard replay export DATA --tick T --room NAME` makes one).

use std::collections::HashMap;

use isoshard_player_api::{
    room_copy, CpuBudget, PlayerRuntime, PlayerRuntimeOptions, PlayerSetup, PlayerTickInput,
};
use isoshard_scripting::ExternalCopy;
use serde_json::{json, Value};

#[allow(clippy::print_stdout)]
fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| a.ends_with(".json")) else {
        println!("usage: tick_profile ROOM_JSON");
        return;
    };
    let export: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let room = room_copy(&serde_json::from_value(export["rooms"][0].clone()).unwrap()).unwrap();
    let owner = export["rooms"][0]["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|o| o["owner"].as_str())
        .unwrap_or("nobody")
        .to_string();
    let runtime = PlayerRuntime::start(
        PlayerSetup {
            username: owner,
            modules: [(
                "main".into(),
                "module.exports.loop = function () {};".into(),
            )]
            .into(),
            memory: String::new(),
            map: ExternalCopy::from_json(&json!({ "terrain": {}, "exits": {} })).unwrap(),
        },
        &PlayerRuntimeOptions::default(),
    )
    .unwrap();
    let input =
        |tick: u64| PlayerTickInput::rooms_only(tick, CpuBudget::new(100), vec![room.clone()]);
    for t in 1..=25 {
        runtime.run_tick(&input(t));
    }
    runtime.isolate().start_cpu_profiler("ticks").unwrap();
    let mut marshal = 0;
    let n = 200;
    for t in 26..26 + n {
        marshal += runtime.run_tick(&input(t)).marshal_ns;
    }
    let profile = runtime.isolate().stop_cpu_profiler("ticks").unwrap();
    println!(
        "marshal per tick (ticks 26..{}): {:.1} us",
        26 + n,
        marshal as f64 / n as f64 / 1e3
    );
    let by_id: HashMap<u64, &isoshard_scripting::CpuProfileNode> =
        profile.nodes.iter().map(|n| (n.id, n)).collect();
    let mut self_us: HashMap<String, i64> = HashMap::new();
    for (sample, delta) in profile.samples.iter().zip(&profile.time_deltas) {
        let f = &by_id[sample].call_frame;
        *self_us
            .entry(format!("{}:{} {}", f.url, f.line_number, f.function_name))
            .or_default() += delta;
    }
    let mut rows: Vec<_> = self_us.into_iter().collect();
    rows.sort_by_key(|(_, us)| -us);
    for (name, us) in rows.into_iter().take(20) {
        println!("{:>8.1} us/tick  {name}", us as f64 / n as f64);
    }
}
