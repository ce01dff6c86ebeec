//! Bots grow colonies, and moveTo finds its way.

use std::collections::{BTreeMap, BTreeSet};

use isoshard_engine::{CodeBundle, Shard};
use isoshard_world::{
    find_path, npc, ObjectKind, PathGrid, PathOptions, PlayerId, Position, RoomId, StructureKind,
    Tile,
};

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

/// What a survey of the colony bot's empire found.
#[derive(Debug, Default)]
struct Empire {
    /// Owned rooms and their controller levels.
    rooms: BTreeMap<RoomId, u8>,
    spawns: BTreeSet<RoomId>,
    storages: usize,
    towers: usize,
    /// Invader creeps standing in the player's rooms.
    invaders_inside: usize,
}

fn survey(shard: &Shard, p: PlayerId) -> Empire {
    let mut e = Empire::default();
    let records = shard.world().records();
    for o in &records {
        if o.owner != Some(p) {
            continue;
        }
        if let ObjectKind::Controller(c) = &o.kind {
            e.rooms.insert(o.pos.room, c.level);
        }
        match o.kind.structure() {
            Some(StructureKind::Spawn) => {
                e.spawns.insert(o.pos.room);
            }
            Some(StructureKind::Storage) => e.storages += 1,
            Some(StructureKind::Tower) => e.towers += 1,
            _ => {}
        }
    }
    e.invaders_inside = records
        .iter()
        .filter(|o| o.owner == Some(npc::INVADER) && e.rooms.contains_key(&o.pos.room))
        .count();
    e
}

/// The example colony bot (`player-api/examples/colony`), unmodified, for 20 000 ticks: it
/// claims a second room as soon as its GCL allows (the test starts it at GCL 2, the points a
/// young player has not earned), reaches RCL 4 and builds its storage, and raids that the
/// world sends into its rooms end without the loss of a spawn.
#[test]
fn colony_bot_claims_a_second_room_builds_to_rcl4_with_storage_and_repels_raids() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 1, |_| {});
    let code = CodeBundle::from_dir(&example_dir("colony")).unwrap();
    let p = shard.add_player("colony", code).unwrap();
    shard.tick().unwrap();
    let mut shard = reopen_with_world_edit(dir.path(), shard, |snap| {
        let me = snap.players.iter_mut().find(|i| i.id == p).unwrap();
        me.gcl = isoshard_world::gcl_needed(2);
    });
    let (mut raided_ticks, mut rcl4_at, mut claimed_at) = (0, None, None);
    for t in 2..=20_000u64 {
        shard.tick().unwrap();
        if t % 50 != 0 {
            continue;
        }
        let e = survey(&shard, p);
        assert!(
            shard.world().players()[0]
                .home
                .is_some_and(|h| e.spawns.contains(&h)),
            "tick {t}: the home spawn is gone: {e:?}"
        );
        raided_ticks += usize::from(e.invaders_inside > 0);
        if rcl4_at.is_none() && e.rooms.values().any(|l| *l >= 4) {
            rcl4_at = Some(t);
        }
        if claimed_at.is_none() && e.rooms.len() >= 2 && e.spawns.len() >= 2 {
            claimed_at = Some(t);
        }
    }
    let e = survey(&shard, p);
    let stats = stats_of(&shard, p);
    let summary = format!(
        "{e:?}, RCL 4 at {rcl4_at:?}, second spawn at {claimed_at:?}, raided surveys {raided_ticks}, console:\n{}",
        shard.drain_console(p).join("\n")
    );
    assert_eq!(stats.errors, 0, "{:?} {summary}", stats.last_error);
    assert!(
        claimed_at.is_some(),
        "no second room with a spawn: {summary}"
    );
    assert!(
        rcl4_at.is_some() && e.storages >= 1,
        "no RCL 4 with storage: {summary}"
    );
    assert!(e.towers >= 1, "no tower: {summary}");
    assert!(
        raided_ticks > 0,
        "no raid came, nothing was defended: {summary}"
    );
    assert_eq!(e.invaders_inside, 0, "a raid is still inside: {summary}");
    eprintln!("{summary}");
}
