//! One world tick at issue #17's scale: 1 000 players in a 100×100 (10 000-room) world, each
//! with a developed colony: RCL 5, 30 extensions, 2 towers, 2 links, a storage, roads,
//! ramparts, containers and 10 creeps (~67 objects), giving ~20 intents a tick that the
//! world accepts (harvest, upgrade, transfer, tower repair, link transfer, move, say, spawn).
//!
//! Timed: `GameWorld::tick` with the state hash, on a freshly restored world and on one that
//! keeps ticking (`tick_steady`, what a running shard pays); the state hash alone (part of every tick);
//! `GameWorld::views` (every room's view, built from scratch), `GameWorld::player_views` (what
//! the shard builds for the players every tick: on a fresh world, and after each tick of a
//! running one, where unchanged objects keep their views);
//! `GameWorld::snapshot` (a checkpoint). Printed once: objects,
//! intents and how many were accepted, the snapshot's size and the process's resident memory
//! after setup.
//!
//! `cargo bench -p isoshard-world --bench world_10k_rooms`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use isoshard_world::*;

#[path = "support/colonies.rs"]
mod colonies;
use colonies::{developed_colonies, resident_mb, PLAYERS};

fn bench(c: &mut Criterion) {
    let (snap, batch) = developed_colonies();
    let world = GameWorld::restore(snap.clone()).expect("restore");
    let map = world.map().clone();
    let objects = snap.objects.len();
    let intents = batch.len();
    let accepted = {
        let mut probe = GameWorld::restore(snap.clone()).expect("restore");
        let out = probe.tick(&batch);
        out.results
            .values()
            .flatten()
            .filter(|c| **c == ReturnCode::Ok)
            .count()
    };
    let snapshot_bytes = postcard::to_stdvec(&snap).map_or(0, |b| b.len());
    eprintln!(
        "{PLAYERS} players, {} rooms, {objects} objects, {intents} intents ({accepted} accepted), \
         snapshot {:.1} MB, resident {:.0} MB",
        map.rooms.len(),
        snapshot_bytes as f64 / 1e6,
        resident_mb()
    );
    let mut group = c.benchmark_group("world_10k_rooms");
    group.sample_size(10);
    group.bench_function("tick_with_hash", |b| {
        b.iter_batched(
            || GameWorld::restore_with_map(snap.clone(), world.map()).expect("restore"),
            |mut w| w.tick(&batch).state_hash,
            BatchSize::PerIteration,
        )
    });
    // A running shard ticks the same world again and again: the same intents every tick
    // (the spawn's name is taken after the first, the carriers walk on), no restore between.
    let mut running = GameWorld::restore_with_map(snap.clone(), world.map()).expect("restore");
    group.bench_function("tick_steady", |b| {
        b.iter(|| running.tick(&batch).state_hash)
    });
    group.bench_function("state_hash", |b| b.iter(|| world.state_hash()));
    group.bench_function("views", |b| b.iter(|| world.views().rooms.len()));
    // Every object's view built (the first call on a world: nothing kept yet).
    group.bench_function("player_views_first", |b| {
        b.iter_batched(
            || GameWorld::restore_with_map(snap.clone(), world.map()).expect("restore"),
            |mut w| w.player_views().rooms.len(),
            BatchSize::PerIteration,
        )
    });
    // What a running shard pays each tick: the views after a tick (the tick is not timed),
    // where objects that did not change keep last tick's view.
    group.bench_function("player_views_steady", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                running.tick(&batch);
                let started = Instant::now();
                black_box(running.player_views().rooms.len());
                timed += started.elapsed();
            }
            timed
        })
    });
    group.bench_function("snapshot", |b| b.iter(|| world.snapshot().objects.len()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
