//! Replay benchmark: record a 10,000-tick, 10-player game (the Rust reference colony plays,
//! so no JavaScript is involved), then verify it, and time the replay viewer's seeks.
//!
//! `cargo bench -p isoshard-replays --bench verify [-- --ticks N] [-- --threads N]`

use std::time::{Duration, Instant};

use isoshard_replays::{Playback, Recorder, RecorderOptions, Recording};
use isoshard_world::scripted_colony::ScriptedColony;
use isoshard_world::{GameWorld, IntentBatch, PathGrid, WorldConfig};

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: u64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let ticks = arg("--ticks", 10_000);
    let threads = arg("--threads", 2) as usize;
    let dir = tempfile::tempdir().unwrap();
    let mut world = GameWorld::new(WorldConfig {
        seed: 12,
        width: 5,
        height: 5,
    })
    .unwrap();
    let mut recorder = Recorder::start(dir.path(), &world, RecorderOptions::default()).unwrap();
    let players: Vec<_> = (0..10)
        .map(|i| {
            let name = format!("bot{i}");
            let id = world.add_player(&name).unwrap();
            recorder.player_added(0, &name, id).unwrap();
            id
        })
        .collect();
    let mut bots: Vec<ScriptedColony> = players.iter().map(|_| ScriptedColony::new(8)).collect();
    let mut recording = Duration::ZERO;
    let mut simulating = Duration::ZERO;
    for _ in 0..ticks {
        let records = world.records();
        let grid = PathGrid::build(&world);
        let mut batch = IntentBatch::new();
        for (bot, p) in bots.iter_mut().zip(&players) {
            batch.extend(*p, bot.intents(&world, &grid, &records, *p));
        }
        let t = Instant::now();
        let outcome = world.tick(&batch);
        simulating += t.elapsed();
        let t = Instant::now();
        recorder
            .tick(&world, &batch, &outcome, &[], &Default::default())
            .unwrap();
        recording += t.elapsed();
    }
    let bytes = recorder.bytes_written();
    println!("ticks: {ticks}");
    println!(
        "world_tick_us: {:.1}",
        simulating.as_secs_f64() * 1e6 / ticks as f64
    );
    println!(
        "recording_overhead_us_per_tick: {:.1}",
        recording.as_secs_f64() * 1e6 / ticks as f64
    );
    println!("bytes_per_tick: {:.0}", bytes as f64 / ticks as f64);
    let rec = Recording::open(dir.path()).unwrap();
    let report = rec.verify(None, None, threads, &|_| {}).unwrap();
    assert!(report.divergence.is_none());
    assert_eq!(report.ticks_verified, ticks);
    println!("verify_threads: {threads}");
    println!(
        "verify_ticks_per_s: {:.0}",
        ticks as f64 / report.elapsed.as_secs_f64()
    );
    // What the replay viewer does: play forward one tick at a time, and jump around.
    let mut playback = Playback::open(dir.path()).unwrap();
    let play_from = ticks / 2;
    playback.seek(play_from).unwrap();
    let steps = 500.min(ticks - play_from);
    let t = Instant::now();
    for k in 1..=steps {
        playback.seek(play_from + k).unwrap();
    }
    println!(
        "playback_step_us: {:.1}",
        t.elapsed().as_secs_f64() * 1e6 / steps as f64
    );
    // Deterministic scattered targets (a multiplicative walk over the range).
    let jumps = 200u64;
    let t = Instant::now();
    for k in 0..jumps {
        playback.seek((k * 7_919 + 13) % (ticks + 1)).unwrap();
    }
    println!(
        "playback_random_seek_ms: {:.2}",
        t.elapsed().as_secs_f64() * 1e3 / jumps as f64
    );
}
