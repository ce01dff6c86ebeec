//! Process isolation: player code that aborts its process never stops the shard.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use isoshard_engine::runner::protocol::{
    read_frame, write_frame, FromRunner, RuntimeSettings, ToRunner, WireTurn, PROTOCOL_VERSION,
};
use isoshard_engine::runner::{ProcessHostOptions, SETUP_TIMEOUT};
use isoshard_engine::{
    sample_bots, CodeBundle, Shard, ShardOptions, SledStorage, CRASHES_TO_SUSPEND,
};
use isoshard_player_api::PlayerRuntimeOptions;
use isoshard_world::{ObjectKind, WorldConfig};

fn code(src: &str) -> CodeBundle {
    CodeBundle::new([("main".to_string(), src.to_string())].into()).unwrap()
}

fn runner_options(runners: usize) -> ProcessHostOptions {
    ProcessHostOptions {
        runners,
        executable: env!("CARGO_BIN_EXE_isoshard").into(),
        remote: None,
        data_limit: Some(8 << 30),
    }
}

/// A real V8 fatal error ("Reached heap limit") under a 16 MiB isolate.
const V8_FATAL: &str =
    "module.exports.loop = function () { JSON.parse('[' + '1,'.repeat(3e7) + '1]') }";
/// A builtin loop V8 cannot interrupt: only the supervisor's deadline stops it.
const UNINTERRUPTIBLE: &str = "module.exports.loop = function () { new Array(2 ** 27).fill({}) }";

#[test]
fn aborting_players_are_contained_identified_and_suspended_while_colonies_grow() {
    // The runner honours the test-only abort hook for players named test-abort*.
    std::env::set_var("ISOSHARD_RUNNER_TEST_HOOKS", "1");
    let dir = tempfile::tempdir().unwrap();
    let mut shard = Shard::create(
        ShardOptions {
            world: WorldConfig {
                seed: 4,
                width: 4,
                height: 4,
            },
            runtime: PlayerRuntimeOptions {
                memory_limit_mb: 16,
                ..PlayerRuntimeOptions::default()
            },
            ..ShardOptions::default()
        },
        Box::new(SledStorage::open(dir.path(), true).unwrap()),
    )
    .unwrap();
    shard
        .start_recording(&dir.path().join("replay"), Default::default())
        .unwrap();
    let samples = sample_bots();
    let good: Vec<_> = (0..4)
        .map(|i| {
            shard
                .add_player(&format!("good-{i}"), samples[0].1.clone())
                .unwrap()
        })
        .collect();
    let fatal = shard.add_player("v8-fatal", code(V8_FATAL)).unwrap();
    let hook = shard
        .add_player(
            "test-abort-hook",
            code("module.exports.loop = function () {}"),
        )
        .unwrap();
    let stuck = shard
        .add_player("uninterruptible", code(UNINTERRUPTIBLE))
        .unwrap();
    shard.use_runner_processes(runner_options(2)).unwrap();
    let mut killed = false;
    for tick in 0..100 {
        if tick == 20 {
            // kill -9 a runner while the tick runs.
            let pid = shard.runner_pids()[0] as i32;
            let killer = std::thread::spawn(move || {
                // SAFETY: kill(2) on a child process of this test.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            });
            shard
                .tick()
                .expect("the tick commits despite a killed runner");
            killer.join().unwrap();
            killed = true;
            continue;
        }
        shard.tick().expect("every tick commits");
    }
    assert!(killed);
    assert_eq!(shard.time(), 100);
    let stuck_error = shard
        .player_stats()
        .into_iter()
        .find(|(id, _, _)| *id == stuck);
    let stuck_error = stuck_error
        .and_then(|(_, _, s)| s.last_error)
        .unwrap_or_default();
    // Whichever bound it meets first ends it: 250 ms of CPU past the limit (the runner exits
    // itself) or the bounded heap-limit raise (V8's fatal out-of-memory abort).
    assert!(
        stuck_error.contains("cannot be interrupted") || stuck_error.contains("signal"),
        "ended by the CPU overrun or a contained abort, not the wall backstop: {stuck_error}"
    );
    let stats: BTreeMap<_, _> = shard
        .player_stats()
        .into_iter()
        .map(|(id, _, s)| (id, s))
        .collect();
    for p in [fatal, hook, stuck] {
        assert!(
            stats[&p].crashes >= CRASHES_TO_SUSPEND as u64,
            "{p:?}: {:?}",
            stats[&p]
        );
        let acct = shard.account(p).unwrap();
        assert!(
            acct.suspended
                .as_deref()
                .unwrap_or_default()
                .contains("suspended"),
            "{p:?} not suspended"
        );
    }
    for p in &good {
        assert_eq!(stats[p].crashes, 0, "innocent players are never charged");
        assert!(stats[p].errors <= 2, "{p:?}: {:?}", stats[p]);
        let creeps = shard
            .world()
            .records()
            .iter()
            .filter(|o| o.owner == Some(*p) && matches!(o.kind, ObjectKind::Creep(_)))
            .count();
        assert!(creeps >= 1, "{p:?}'s colony kept growing");
        assert!(stats[p].energy_harvested > 0, "{p:?}: {:?}", stats[p]);
    }
    // No committed tick was lost: the recording verifies end to end.
    drop(shard);
    let report = isoshard_replays::Recording::open(&dir.path().join("replay"))
        .unwrap()
        .verify(None, None, 2, &|_| {})
        .unwrap();
    assert!(report.divergence.is_none());
    assert_eq!(report.ticks_verified, 100);
}

#[test]
fn process_and_thread_isolation_give_the_same_history() {
    let run = |isolation: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_isoshard"))
            .args([
                "demo",
                "--ticks",
                "150",
                "--seed",
                "6",
                "--json",
                "--isolation",
                isolation,
                "--runners",
                "2",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["state_hash"].clone()
    };
    assert_eq!(run("process"), run("thread"));
}

#[test]
fn runners_die_with_the_shard_after_sigkill() {
    struct KillOnDrop(std::process::Child);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut demo = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_isoshard"))
            .args([
                "demo",
                "--ticks",
                "1000000",
                "--json",
                "--isolation",
                "process",
                "--runners",
                "2",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let ppid = demo.0.id();
    let children = || -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .ok()
                    .and_then(|s| {
                        s.rsplit(')')
                            .next()
                            .and_then(|rest| rest.split_whitespace().nth(1))
                            .and_then(|p| p.parse::<u32>().ok())
                    })
                    == Some(ppid)
            })
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let runners = loop {
        let c = children();
        if c.len() >= 2 {
            break c;
        }
        assert!(Instant::now() < deadline, "runners never started");
    };
    demo.0.kill().unwrap();
    demo.0.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while runners.iter().any(|p| {
        std::path::Path::new(&format!("/proc/{p}")).exists()
            && !std::fs::read_to_string(format!("/proc/{p}/stat"))
                .unwrap_or_default()
                .contains(") Z ")
    }) {
        assert!(
            Instant::now() < deadline,
            "orphaned runners {runners:?} outlived the shard"
        );
    }
}

#[test]
fn the_protocol_works_over_tcp() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut runner = Command::new(env!("CARGO_BIN_EXE_isoshard"))
        .args(["runner", "--connect", &addr.to_string()])
        .spawn()
        .unwrap();
    let (stream, _) = listener.accept().unwrap();
    let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    // A real map and room from a shard.
    let dir = tempfile::tempdir().unwrap();
    let mut shard = Shard::create(
        ShardOptions::default(),
        Box::new(SledStorage::open(dir.path(), false).unwrap()),
    )
    .unwrap();
    let p = shard.add_player("remote", code("module.exports.loop = function () { console.log('hello over tcp ' + Game.time + ' ' + Object.keys(Game.spawns)) }")).unwrap();
    let views = shard.world().views();
    let room = views.players[&p].rooms[0].clone();
    let room_bytes = isoshard_player_api::room_copy(&views.rooms[&room])
        .unwrap()
        .wire_bytes()
        .to_vec();
    let hello = ToRunner::Hello {
        version: PROTOCOL_VERSION,
        map: shard.map_copy().unwrap().wire_bytes().to_vec(),
        settings: RuntimeSettings {
            memory_limit_mb: 64,
            setup_cpu_ms: 5000,
            preloads: vec![],
            lodash: true,
            inspector: true,
        },
    };
    write_frame(&mut writer, &hello).unwrap();
    assert!(matches!(
        read_frame::<FromRunner>(&mut reader).unwrap(),
        Some(FromRunner::Ready {
            version: PROTOCOL_VERSION,
            ..
        })
    ));
    let turn = WireTurn {
        player: p.0,
        username: "remote".into(),
        code_version: 1,
        code: Some((
            [(
                "main".to_string(),
                shard.code(p).unwrap().modules["main"].clone(),
            )]
            .into(),
            String::new(),
        )),
        tick: 0,
        cpu_limit: 100,
        bucket: 10_000,
        seed: 1,
        rooms: vec![room.clone()],
        segments: Vec::new(),
        foreign_segment: None,
        inter_shard: String::new(),
        flags: "[]".into(),
        gcl: 0,
        market: "{}".into(),
        resources: "{}".into(),
        commands: Vec::new(),
    };
    write_frame(
        &mut writer,
        &ToRunner::Tick {
            tick: 0,
            rooms: vec![isoshard_engine::runner::protocol::RoomBytes {
                name: room,
                bytes: room_bytes,
            }],
            market_book: Default::default(),
            turns: vec![turn],
        },
    )
    .unwrap();
    assert!(
        matches!(read_frame::<FromRunner>(&mut reader).unwrap(), Some(FromRunner::Starting { player }) if player == p.0)
    );
    let Some(FromRunner::Result { output, .. }) = read_frame::<FromRunner>(&mut reader).unwrap()
    else {
        panic!("expected a result")
    };
    assert_eq!(output.outcome.as_deref(), Some("ok"), "{output:?}");
    assert_eq!(output.console, vec!["hello over tcp 0 Spawn1".to_string()]);
    assert!(matches!(
        read_frame::<FromRunner>(&mut reader).unwrap(),
        Some(FromRunner::TickDone)
    ));
    // A DevTools session relayed over the protocol: evaluate in the player's global.
    use isoshard_engine::runner::protocol::InspectorOp;
    let relay = |op| ToRunner::Inspector {
        player: p.0,
        session: 7,
        op,
    };
    write_frame(&mut writer, &relay(InspectorOp::Open)).unwrap();
    let eval = r#"{"id":1,"method":"Runtime.evaluate","params":{"expression":"typeof Game + ' ' + (6 * 7)"}}"#;
    write_frame(&mut writer, &relay(InspectorOp::Message(eval.into()))).unwrap();
    let answer = loop {
        match read_frame::<FromRunner>(&mut reader).unwrap() {
            Some(FromRunner::Inspector {
                session: 7,
                message: Some(m),
            }) if m.contains("\"id\":1") => break m,
            Some(FromRunner::Inspector {
                session: 7,
                message: Some(_),
            }) => continue,
            other => panic!("expected the session's answer, got {other:?}"),
        }
    };
    assert!(answer.contains("object 42"), "{answer}");
    write_frame(&mut writer, &relay(InspectorOp::Close)).unwrap();
    assert!(matches!(
        read_frame::<FromRunner>(&mut reader).unwrap(),
        Some(FromRunner::Inspector {
            session: 7,
            message: None
        })
    ));
    // A session on a player the runner does not host ends at once.
    let unknown = ToRunner::Inspector {
        player: 999,
        session: 8,
        op: InspectorOp::Open,
    };
    write_frame(&mut writer, &unknown).unwrap();
    assert!(matches!(
        read_frame::<FromRunner>(&mut reader).unwrap(),
        Some(FromRunner::Inspector {
            session: 8,
            message: None
        })
    ));
    write_frame(&mut writer, &ToRunner::Shutdown).unwrap();
    assert!(runner.wait().unwrap().success());
}

/// Busy-loop processes beside the shard, killed when dropped.
struct CpuBurners(Vec<std::process::Child>);

impl CpuBurners {
    /// One more busy process than the machine has cores: every core stays busy.
    fn start() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        CpuBurners(
            (0..=cores)
                .map(|_| {
                    Command::new("sh")
                        .args(["-c", "while :; do :; done"])
                        .spawn()
                        .unwrap()
                })
                .collect(),
        )
    }
}

impl Drop for CpuBurners {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn process_shard(dir: &std::path::Path, runners: usize) -> Shard {
    let mut shard = Shard::create(
        ShardOptions {
            world: WorldConfig {
                seed: 9,
                width: 3,
                height: 3,
            },
            ..ShardOptions::default()
        },
        Box::new(SledStorage::open(dir, false).unwrap()),
    )
    .unwrap();
    shard.use_runner_processes(runner_options(runners)).unwrap();
    shard
}

#[test]
fn honest_players_near_their_cpu_limit_keep_every_tick_on_a_loaded_host() {
    // 80 % of the tick limit in CPU time: with every core busy this takes well over the
    // tickLimit + 250 ms wall deadline runners used to be killed at.
    const NEAR_LIMIT: &str = "module.exports.loop = function () {
        const stop = Game.cpu.tickLimit * 0.8;
        while (Game.cpu.getUsed() < stop) {}
    }";
    let dir = tempfile::tempdir().unwrap();
    let mut shard = process_shard(dir.path(), 2);
    let honest: Vec<_> = (0..2)
        .map(|i| {
            shard
                .add_player(&format!("honest-{i}"), code(NEAR_LIMIT))
                .unwrap()
        })
        .collect();
    shard.tick().unwrap();
    let pids = shard.runner_pids();
    let burners = CpuBurners::start();
    let mut slowest = Duration::ZERO;
    for _ in 0..6 {
        let started = Instant::now();
        shard.tick().expect("every tick commits");
        slowest = slowest.max(started.elapsed());
    }
    drop(burners);
    eprintln!("slowest loaded tick: {slowest:?}");
    assert_eq!(shard.runner_pids(), pids, "no runner was replaced");
    let stats: BTreeMap<_, _> = shard
        .player_stats()
        .into_iter()
        .map(|(id, _, s)| (id, s))
        .collect();
    for p in &honest {
        let s = &stats[p];
        assert_eq!((s.crashes, s.errors), (0, 0), "{p:?}: {s:?}");
        assert_eq!(s.ticks_run, 7, "{p:?}: {s:?}");
        assert!(s.cpu_max_ms >= 300.0, "they did use their CPU: {s:?}");
        assert!(shard.account(*p).unwrap().suspended.is_none());
    }
}

#[test]
fn a_runner_dying_while_another_is_replaced_does_not_freeze_the_tick() {
    // The runner honours the test-only abort hook for players named test-abort*.
    std::env::set_var("ISOSHARD_RUNNER_TEST_HOOKS", "1");
    let dir = tempfile::tempdir().unwrap();
    let mut shard = process_shard(dir.path(), 2);
    // Assigned in order to the least loaded runner: the aborting player to runner 0.
    let hook = shard
        .add_player(
            "test-abort-hook",
            code("module.exports.loop = function () {}"),
        )
        .unwrap();
    let good = shard
        .add_player("good", code("module.exports.loop = function () {}"))
        .unwrap();
    shard.tick().unwrap();
    // Runner 0 aborted and is retired; the next tick starts its replacement. Runner 1 dies
    // now, so its end of stream arrives while the replacement is being started.
    let survivors = shard.runner_pids();
    assert_eq!(survivors.len(), 1, "{survivors:?}");
    // SAFETY: kill(2) on a child process of this test.
    unsafe { libc::kill(survivors[0] as i32, libc::SIGKILL) };
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    shard.tick().unwrap();
    let took = started.elapsed();
    assert!(
        took < SETUP_TIMEOUT / 3,
        "the tick waited {took:?} for a runner whose end went unseen"
    );
    shard.tick().unwrap();
    let stats: BTreeMap<_, _> = shard
        .player_stats()
        .into_iter()
        .map(|(id, _, s)| (id, s))
        .collect();
    assert_eq!(stats[&good].crashes, 0, "{:?}", stats[&good]);
    assert!(stats[&hook].crashes >= 2, "{:?}", stats[&hook]);
}

/// `Game.cpu.halt()` in a runner process: the tick ends uncatchably, keeps nothing, and the
/// runner starts the player from a global reset on the next tick, without crashing.
#[test]
fn cpu_halt_in_a_runner_resets_the_player_and_is_no_crash() {
    const HALTER: &str = r#"
module.exports.loop = function () {
  if (global.bornAt === undefined) global.bornAt = Game.time;
  Memory.log = (Memory.log || []).concat([[Game.time, global.bornAt]]);
  if (Game.time === 2) { try { Game.cpu.halt(); } catch (e) { Memory.caught = e.message; } }
};
"#;
    let dir = tempfile::tempdir().unwrap();
    let mut shard = Shard::create(
        ShardOptions::default(),
        Box::new(SledStorage::open(dir.path(), false).unwrap()),
    )
    .unwrap();
    let p = shard.add_player("halter", code(HALTER)).unwrap();
    shard.use_runner_processes(runner_options(1)).unwrap();
    for _ in 0..4 {
        shard.tick().unwrap();
    }
    let m: serde_json::Value = serde_json::from_str(&shard.memory(p).unwrap()).unwrap();
    assert_eq!(m["log"], serde_json::json!([[0, 0], [1, 0], [3, 3]]), "{m}");
    assert!(m.get("caught").is_none(), "{m}");
    let stats = shard
        .player_stats()
        .into_iter()
        .find(|s| s.0 == p)
        .unwrap()
        .2;
    assert_eq!(stats.last_error.as_deref(), Some("CPU halted"));
    assert_eq!(stats.crashes, 0);
}
