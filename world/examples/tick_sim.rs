//! A scripted colony plays a few hundred ticks; prints progress and the final state hash.
//!
//! `cargo run -p isoshard-world --example tick_sim -- [ticks] [players] [seed]`

use isoshard_world::scripted_colony::ScriptedColony;
use isoshard_world::{GameWorld, IntentBatch, ObjectKind, PathGrid, WorldConfig};

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let ticks = args.first().copied().unwrap_or(600);
    let players = args.get(1).copied().unwrap_or(2) as usize;
    let seed = args.get(2).copied().unwrap_or(7);
    let mut world = GameWorld::new(WorldConfig {
        seed,
        width: 3,
        height: 3,
    })
    .expect("valid config");
    let ids: Vec<_> = (0..players)
        .map(|i| {
            world
                .add_player(&format!("bot{i}"))
                .expect("room for player")
        })
        .collect();
    let mut bots: Vec<ScriptedColony> = ids.iter().map(|_| ScriptedColony::new(8)).collect();
    let start = std::time::Instant::now();
    for t in 0..ticks {
        let records = world.records();
        let grid = PathGrid::build(&world);
        let mut batch = IntentBatch::new();
        for (bot, id) in bots.iter_mut().zip(&ids) {
            batch.extend(*id, bot.intents(&world, &grid, &records, *id));
        }
        let outcome = world.tick(&batch);
        if std::env::var("SIM_TRACE").is_ok() && t == 1200 {
            for (p, intents) in &batch.by_player {
                for i in intents {
                    println!("trace p{} {:?}", p.0, i);
                }
            }
            for o in world.records() {
                if matches!(
                    o.kind,
                    ObjectKind::Creep(_)
                        | ObjectKind::ConstructionSite(_)
                        | ObjectKind::Source(_)
                        | ObjectKind::Spawn(_)
                        | ObjectKind::Structure(_)
                ) && o.owner.is_none_or(|p| p.0 == 1)
                    && Some(o.pos.room) == world.players()[0].home
                {
                    println!(
                        "obj {:?} {:?} {:?} {:?}",
                        o.id,
                        o.pos,
                        o.store,
                        match &o.kind {
                            ObjectKind::Creep(c) =>
                                format!("creep fat={} ttl={}", c.fatigue, c.ticks_to_live),
                            k => format!("{:?}", k),
                        }
                    );
                }
            }
        }
        if std::env::var("SIM_DEBUG").is_ok() && t % 50 == 0 {
            for (p, codes) in &outcome.results {
                let intents = &batch.by_player[p];
                for (i, c) in intents.iter().zip(codes) {
                    if *c != isoshard_world::ReturnCode::Ok {
                        println!("t{} p{} {:?} -> {:?}", t, p.0, i, c);
                    }
                }
            }
        }
        if t % 100 == 99 || t + 1 == ticks {
            for id in &ids {
                let creeps = world
                    .records()
                    .iter()
                    .filter(|o| o.owner == Some(*id) && matches!(o.kind, ObjectKind::Creep(_)))
                    .count();
                let ctl = world.records().into_iter().find_map(|o| match o.kind {
                    ObjectKind::Controller(c) if o.owner == Some(*id) => {
                        Some((c.level, c.progress))
                    }
                    _ => None,
                });
                println!(
                    "tick {:>5} player {} creeps {:>2} controller {:?}",
                    outcome.tick, id.0, creeps, ctl
                );
            }
        }
    }
    println!(
        "{} ticks in {:?}; state hash {}",
        ticks,
        start.elapsed(),
        world.state_hash()
    );
}
