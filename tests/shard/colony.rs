//! Bots grow colonies, and moveTo finds its way.

use isoshard_engine::CodeBundle;
use isoshard_world::{find_path, ObjectKind, PathGrid, PathOptions, Position, Tile};

use crate::support::*;

#[test]
fn sample_bots_grow_colonies_to_rcl2_within_1500_ticks() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 11, |_| {});
    let a = shard
        .add_player("harvester", sample("harvester-upgrader"))
        .unwrap();
    let b = shard.add_player("miner", sample("miner-hauler")).unwrap();
    let mut reached = [None, None];
    for t in 1..=1500 {
        shard.tick().unwrap();
        for (i, p) in [a, b].iter().enumerate() {
            if reached[i].is_none() && shard.colony(*p).1 >= 2 {
                reached[i] = Some(t);
            }
        }
    }
    for (i, p) in [a, b].iter().enumerate() {
        let (creeps, level, _) = shard.colony(*p);
        assert!(
            level >= 2 && reached[i].is_some(),
            "player {i} reached RCL {level}"
        );
        assert!(creeps >= 4, "player {i} has {creeps} creeps");
    }
    for (_, name, stats) in shard.player_stats() {
        assert_eq!(stats.errors, 0, "{name}: {:?}", stats.last_error);
        assert!(
            stats.energy_harvested > 1000,
            "{name} harvested {}",
            stats.energy_harvested
        );
    }
}

#[test]
fn unmodified_tutorial_bot_using_the_bundled_lodash_grows_a_colony() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let code = CodeBundle::from_dir(&example_dir("tutorial-lodash")).unwrap();
    let p = shard.add_player("tutorial", code).unwrap();
    for _ in 0..1500 {
        shard.tick().unwrap();
    }
    let (creeps, level, _) = shard.colony(p);
    let stats = stats_of(&shard, p);
    assert_eq!(stats.errors, 0, "{:?}", stats.last_error);
    assert!(creeps >= 3, "{creeps} creeps");
    assert!(level >= 2, "RCL {level}");
}

#[test]
fn move_to_whose_straight_line_is_walled_off_still_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 21, |_| {});
    let spawn_walker = "module.exports.loop = function () { const s = Game.spawns.Spawn1; if (!Game.creeps.walker && !s.spawning) s.spawnCreep([MOVE], 'walker'); }";
    let p = shard
        .add_player("walker", code(&[("main", spawn_walker)]))
        .unwrap();
    let mut start = None;
    for _ in 0..20 {
        shard.tick().unwrap();
        start = shard
            .world()
            .records()
            .into_iter()
            .find_map(|o| match &o.kind {
                ObjectKind::Creep(c) if o.owner == Some(p) && !c.spawning => Some(o.pos),
                _ => None,
            });
        if start.is_some() {
            break;
        }
    }
    let start = start.expect("walker spawned");
    // A reachable target whose straight line from the start crosses a wall.
    let world = shard.world();
    let terrain = &world.map().get(start.room).terrain;
    let grid = PathGrid::build(world);
    let crosses_wall = |t: Position| {
        let steps = start.range_to(t) as i32;
        (1..steps).any(|k| {
            let x = start.x as i32 + (t.x as i32 - start.x as i32) * k / steps;
            let y = start.y as i32 + (t.y as i32 - start.y as i32) * k / steps;
            terrain.get(x as u8, y as u8) == Tile::Wall
        })
    };
    let target = (2..48u8)
        .flat_map(|y| (2..48u8).map(move |x| (x, y)))
        .map(|(x, y)| Position::new(start.room, x, y))
        .filter(|t| terrain.get(t.x, t.y) == Tile::Plain && (8..20).contains(&start.range_to(*t)))
        .filter(|t| crosses_wall(*t))
        .find(|t| {
            !find_path(
                &grid,
                start,
                *t,
                &PathOptions {
                    range: 0,
                    ignore_creeps: true,
                    max_ops: 20_000,
                },
            )
            .is_empty()
        })
        .expect("a walled-off target in the home room");
    let mover = format!(
        "module.exports.loop = function () {{ const c = Game.creeps.walker; if (c) Memory.r = c.moveTo(new RoomPosition({}, {}, c.room.name)); }}",
        target.x, target.y
    );
    shard.set_code(p, code(&[("main", &mover)])).unwrap();
    let mut arrived = None;
    for t in 0..150 {
        shard.tick().unwrap();
        let at = shard
            .world()
            .records()
            .into_iter()
            .find(|o| o.owner == Some(p) && matches!(o.kind, ObjectKind::Creep(_)))
            .map(|o| o.pos);
        if at == Some(target) {
            arrived = Some(t);
            break;
        }
    }
    assert!(
        arrived.is_some(),
        "walker from {start:?} never reached {target:?}; last result {:?}",
        shard.memory(p)
    );
}
