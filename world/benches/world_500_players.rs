//! One world tick at 500 players: a 32×32 world (the largest; not every room has the two sources a start needs) where every player runs the reference
//! colony (`ScriptedColony`) for 200 ticks first, so each has creeps harvesting, moving,
//! transferring, building and upgrading. Only `GameWorld::tick` (with the state hash) is
//! timed; restoring the snapshot and computing the intents are setup.
//!
//! `cargo bench -p isoshard-world --bench world_500_players`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use isoshard_world::scripted_colony::ScriptedColony;
use isoshard_world::*;

const PLAYERS: usize = 500;
const WARMUP_TICKS: usize = 200;

fn intents(w: &GameWorld, bots: &mut [ScriptedColony], players: &[PlayerId]) -> IntentBatch {
    let records = w.records();
    let grid = PathGrid::build(w);
    let mut batch = IntentBatch::new();
    for (bot, p) in bots.iter_mut().zip(players) {
        batch.extend(*p, bot.intents(w, &grid, &records, *p));
    }
    batch
}

/// The world after the warm-up and the intents of the next tick.
fn busy_world() -> (WorldSnapshot, IntentBatch) {
    let mut w = GameWorld::new(WorldConfig {
        seed: 7,
        width: 32,
        height: 32,
    })
    .expect("world");
    let players: Vec<PlayerId> = (0..PLAYERS)
        .map(|i| {
            w.add_player(&format!("p{i}"))
                .expect("a free room per player")
        })
        .collect();
    let mut bots: Vec<ScriptedColony> = players.iter().map(|_| ScriptedColony::new(4)).collect();
    for _ in 0..WARMUP_TICKS {
        let batch = intents(&w, &mut bots, &players);
        w.tick(&batch);
    }
    let batch = intents(&w, &mut bots, &players);
    (w.snapshot(), batch)
}

fn bench(c: &mut Criterion) {
    let (snap, batch) = busy_world();
    let objects = snap.objects.len();
    let intents: usize = batch.by_player.values().map(Vec::len).sum();
    eprintln!("{PLAYERS} players, {objects} objects, {intents} intents in the timed tick");
    let mut group = c.benchmark_group("world_500_players");
    group.sample_size(20);
    group.bench_function("tick_with_hash", |b| {
        b.iter_batched(
            || GameWorld::restore(snap.clone()).expect("restore"),
            |mut w| w.tick(&batch).state_hash,
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
