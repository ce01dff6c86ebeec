//! What a shard pays each tick to hand the world to the players, at issue #17's scale (1 000
//! developed colonies in a 10 000-room world, `world/benches/support/colonies.rs`): the views
//! of the rooms players see (`GameWorld::player_views`) and each room's wire text as the
//! isolates take it (`room_copy`), as `engine/src/shard/tick.rs` makes them.
//!
//! - `first`: a world's first views and texts (nothing kept yet: every object viewed and
//!   encoded; what every tick cost before views and their texts were kept);
//! - `steady`: after each tick of a running world (the tick is not timed), where an object
//!   that did not change keeps its view and the view its text (what a running shard pays).
//!
//! `cargo bench -p isoshard-player-api --bench views_wire`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use isoshard_player_api::room_copy;
use isoshard_world::*;

#[path = "../../world/benches/support/colonies.rs"]
mod colonies;

// The allocator the `isoshard` binary (and so the shard) uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every seen room's copy, each once, as the shard's `copy_rooms` makes them.
fn copy_rooms(views: &WorldViews) {
    for room in views.rooms.values() {
        black_box(room_copy(room).expect("copies"));
    }
}

/// Ticks `world` (not timed), then times `hand_out` on it, `iters` times.
fn after_each_tick(
    iters: u64,
    world: &mut GameWorld,
    batch: &IntentBatch,
    mut hand_out: impl FnMut(&mut GameWorld),
) -> Duration {
    let mut timed = Duration::ZERO;
    for _ in 0..iters {
        world.tick(batch);
        let started = Instant::now();
        hand_out(world);
        timed += started.elapsed();
    }
    timed
}

fn bench(c: &mut Criterion) {
    let (snap, batch) = colonies::developed_colonies();
    let mut running = GameWorld::restore(snap.clone()).expect("restore");
    let mut group = c.benchmark_group("views_wire");
    group.sample_size(10);
    group.bench_function("first", |b| {
        b.iter_batched(
            || GameWorld::restore_with_map(snap.clone(), running.map()).expect("restore"),
            |mut w| copy_rooms(&w.player_views()),
            criterion::BatchSize::PerIteration,
        )
    });
    group.bench_function("steady", |b| {
        b.iter_custom(|iters| {
            after_each_tick(iters, &mut running, &batch, |w| {
                copy_rooms(&w.player_views())
            })
        })
    });
    group.finish();
    eprintln!("resident {:.0} MB", colonies::resident_mb());
}

criterion_group!(benches, bench);
criterion_main!(benches);
