//! Console commands (`Shard::queue_console_command`, what `POST /api/user/console` queues):
//! run in the player's own isolate after the loop of their next tick, as Screeps' `game.run`
//! does, with this tick's `Game`, `Memory` and intents, under the same CPU limit.

use isoshard_world::ObjectKind;

use crate::support::{code, memory_json, shard, stats_of};

const LOOPER: &str = r#"
module.exports.loop = function () {
  Memory.loops = (Memory.loops || 0) + 1;
  console.log('loop ' + Game.time);
};
"#;

/// A shard with one player running [`LOOPER`].
fn typist(dir: &std::path::Path) -> (isoshard_engine::Shard, isoshard_world::PlayerId) {
    let mut shard = shard(dir, 3, |_| {});
    let p = shard
        .add_player("typist", code(&[("main", LOOPER)]))
        .unwrap();
    (shard, p)
}

#[test]
fn a_command_runs_after_the_loop_with_this_ticks_game_and_memory_and_prints_its_result() {
    let dir = tempfile::tempdir().unwrap();
    let (mut shard, p) = typist(dir.path());
    shard.tick().unwrap();
    shard.drain_console(p);
    shard
        .queue_console_command(
            p,
            "Memory.typed = Memory.loops; Game.time * 2".into(),
            false,
        )
        .unwrap();
    shard
        .queue_console_command(p, "Memory.quiet = 'yes'".into(), true)
        .unwrap();
    shard.tick().unwrap();
    let lines = shard.drain_console(p);
    let results = shard.drain_command_results(p);
    let time = shard.world().time() - 1;
    // The loop's line in the log; the visible command's result apart; the hidden one prints
    // none.
    assert_eq!(lines, vec![format!("loop {time}")]);
    assert_eq!(results, vec![format!("{}", time * 2)]);
    let memory = memory_json(&shard, p);
    assert_eq!(memory["typed"], memory["loops"], "{memory}");
    assert_eq!(memory["quiet"], "yes", "{memory}");
    // A command runs once.
    shard.tick().unwrap();
    assert!(shard.drain_command_results(p).is_empty());
}

#[test]
fn a_throwing_command_reports_its_error_and_the_next_command_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (mut shard, p) = typist(dir.path());
    shard.tick().unwrap();
    shard.drain_console(p);
    shard
        .queue_console_command(p, "throw new Error('boom')".into(), false)
        .unwrap();
    shard
        .queue_console_command(p, "({ toString() { throw 1; } })".into(), false)
        .unwrap();
    shard
        .queue_console_command(p, "'after'".into(), false)
        .unwrap();
    shard.tick().unwrap();
    let lines = shard.drain_command_results(p);
    assert!(lines[0].starts_with("Error: boom"), "{lines:?}");
    assert!(
        lines[0].contains("console:1"),
        "the stack names the console: {lines:?}"
    );
    assert_eq!(lines[1], "Uncaught 1", "{lines:?}");
    assert_eq!(lines[2], "after", "{lines:?}");
    assert_eq!(stats_of(&shard, p).errors, 0);
}

#[test]
fn a_commands_intents_are_applied_like_the_loops() {
    let dir = tempfile::tempdir().unwrap();
    let (mut shard, p) = typist(dir.path());
    shard.tick().unwrap();
    shard
        .queue_console_command(
            p,
            "Game.spawns.Spawn1.spawnCreep([MOVE], 'typed')".into(),
            false,
        )
        .unwrap();
    shard.tick().unwrap();
    let lines = shard.drain_command_results(p);
    assert_eq!(lines, vec!["0".to_string()]);
    let spawned = shard.world().records().into_iter().any(|o| {
        o.owner == Some(p) && matches!(&o.kind, ObjectKind::Creep(c) if c.name == "typed")
    });
    assert!(spawned, "the console's spawnCreep made no creep");
}

#[test]
fn an_endless_command_is_stopped_by_the_ticks_cpu_limit_and_the_shard_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (mut shard, p) = typist(dir.path());
    let other = shard
        .add_player("bystander", code(&[("main", LOOPER)]))
        .unwrap();
    shard.tick().unwrap();
    let loops_before = memory_json(&shard, p)["loops"].as_u64().unwrap();
    shard
        .queue_console_command(p, "while (true) {}".into(), false)
        .unwrap();
    shard.tick().unwrap();
    let stats = stats_of(&shard, p);
    assert_eq!(stats.errors, 1, "{:?}", stats.last_error);
    // A killed tick saves no Memory, as in Screeps; the next tick runs as usual.
    assert_eq!(memory_json(&shard, p)["loops"].as_u64(), Some(loops_before));
    shard.tick().unwrap();
    assert_eq!(
        memory_json(&shard, p)["loops"].as_u64(),
        Some(loops_before + 1)
    );
    assert_eq!(stats_of(&shard, other).errors, 0);
}

#[test]
fn flooding_the_console_queue_is_refused_past_its_bound() {
    let dir = tempfile::tempdir().unwrap();
    let (mut shard, p) = typist(dir.path());
    for i in 0..isoshard_engine::MAX_PENDING_COMMANDS {
        shard
            .queue_console_command(p, format!("{i}"), false)
            .unwrap();
    }
    let refused = shard.queue_console_command(p, "'one too many'".into(), false);
    assert!(refused.is_err(), "{refused:?}");
    shard.tick().unwrap();
    let lines = shard.drain_command_results(p);
    assert_eq!(
        lines.len(),
        isoshard_engine::MAX_PENDING_COMMANDS,
        "{lines:?}"
    );
    // Taken by the tick: the queue has room again.
    shard
        .queue_console_command(p, "'room again'".into(), false)
        .unwrap();
}

#[test]
fn a_command_answering_a_huge_string_gets_its_result_cut_not_the_shard_flooded() {
    let dir = tempfile::tempdir().unwrap();
    let (mut shard, p) = typist(dir.path());
    shard.tick().unwrap();
    shard
        .queue_console_command(p, "'x'.repeat(50 * 1000 * 1000)".into(), false)
        .unwrap();
    shard.tick().unwrap();
    let lines = shard.drain_command_results(p);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("xxxx"), "{}", &lines[0][..20]);
    assert!(lines[0].len() < 10_000, "{} bytes", lines[0].len());
    assert_eq!(stats_of(&shard, p).errors, 0);
}
