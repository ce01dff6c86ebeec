//! A tick's commit at shard scale, Redis beside sled, in one run: N players each changing
//! their CPU bucket and Memory every tick and sending K intents (a developed colony's
//! ~20), with a snapshot every 100 ticks. No V8 and no world rules: the records are what a
//! shard of that size commits, built directly, so only the store is measured.
//!
//! `cargo bench -p isoshard-engine --bench redis_commit [-- --players 1000 --ticks 300
//! --memory-bytes 2048 --intents 20 --aof-rewrite-min-mb 64]`
//!
//! Redis runs as a child (`LocalRedis`) on loopback TCP, with AOF `always` and then
//! `everysec`; sled is opened durable, as `serve` opens it. Prints p50/p99/p99.9/max per
//! store, the bytes each tick adds to Redis' AOF, and how often Redis rewrote its AOF (each
//! rewrite forks Redis, and the commits while the child runs are the slow ones):
//! `--aof-rewrite-min-mb` sets `auto-aof-rewrite-min-size` (Redis' default is 64).
//! `COMMIT_TRACE=1` prints every tick's commit time to stderr, to see where the slow ones fall.

use std::time::Instant;

use isoshard_engine::{
    LocalRedis, PlayerAccount, PlayerDataWrite, PlayerRecord, PlayerTickState, RedisDurability,
    RedisOptions, RedisStorage, ShardMeta, ShardStorage, SledStorage, StateChange, TickCommit,
    TickRecord,
};
use isoshard_player_api::CpuBudget;

// The allocator the `isoshard` binary (and so the shard) uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use isoshard_world::{GameWorld, Intent, IntentBatch, ObjectId, PlayerId, WorldConfig};

struct Scale {
    players: u64,
    ticks: u64,
    memory_bytes: usize,
    intents: u64,
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Commits `scale.ticks` ticks into `storage`; returns the commit times in ms, sorted.
fn run(storage: &mut dyn ShardStorage, scale: &Scale) -> Vec<f64> {
    let config = WorldConfig {
        seed: 5,
        width: 4,
        height: 4,
    };
    let world = GameWorld::new(config).unwrap();
    let meta = ShardMeta {
        world: config,
        cpu_limit_ms: 100,
        snapshot_every: 100,
    };
    let code = isoshard_engine::sample_bots()[0].1.clone();
    let players: Vec<PlayerRecord> = (0..scale.players)
        .map(|i| PlayerRecord {
            account: PlayerAccount::new(PlayerId(i as u32 + 1), format!("p{i}")),
            code: code.clone(),
            state: PlayerTickState {
                memory: "{}".into(),
                budget: CpuBudget::new(100),
                data: Default::default(),
            },
        })
        .collect();
    storage.create(&meta, &world.snapshot(), &players).unwrap();
    let snapshot = world.snapshot();
    let mut times = Vec::with_capacity(scale.ticks as usize);
    for tick in 1..=scale.ticks {
        let mut intents = IntentBatch::new();
        let mut states = Vec::with_capacity(players.len());
        for p in &players {
            let id = p.account.id;
            intents.extend(
                id,
                (0..scale.intents).map(|k| Intent::Move {
                    creep: ObjectId(u64::from(id.0) * 1000 + k),
                    direction: (1 + (tick + k) % 8) as u8,
                }),
            );
            let filler = "x".repeat(scale.memory_bytes.saturating_sub(40));
            states.push(StateChange {
                id,
                memory: Some(format!("{{\"tick\":{tick},\"data\":\"{filler}\"}}")),
                budget: CpuBudget::new(100),
                data: PlayerDataWrite::default(),
            });
        }
        let record = TickRecord {
            tick,
            intents,
            state_hash: world.state_hash(),
        };
        let mut snap = None;
        if tick % 100 == 0 {
            let mut s = snapshot.clone();
            s.time = tick;
            snap = Some(s);
        }
        let started = Instant::now();
        storage
            .commit_tick(TickCommit {
                record: &record,
                snapshot: snap.as_ref(),
                states: &states,
            })
            .unwrap();
        times.push(started.elapsed().as_secs_f64() * 1e3);
        if std::env::var_os("COMMIT_TRACE").is_some() {
            eprintln!("tick {tick} {:.2}", times[times.len() - 1]);
        }
    }
    times.sort_by(f64::total_cmp);
    times
}

fn dir_bytes(p: &std::path::Path) -> u64 {
    isoshard_engine::dir_bytes(p)
}

#[allow(clippy::print_stdout)]
fn report(name: &str, times: &[f64], bytes_per_tick: Option<f64>) {
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{name:<22} commit ms  p50 {:>6.2}  p99 {:>6.2}  p99.9 {:>6.2}  max {:>6.2}{}",
        at(0.5),
        at(0.99),
        at(0.999),
        times[times.len() - 1],
        bytes_per_tick.map_or(String::new(), |b| format!(
            "  AOF {:.0} KiB/tick",
            b / 1024.0
        ))
    );
}

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let scale = Scale {
        players: arg(&args, "--players", 1000),
        ticks: arg(&args, "--ticks", 300),
        memory_bytes: arg(&args, "--memory-bytes", 2048) as usize,
        intents: arg(&args, "--intents", 20),
    };
    let rewrite_min_mb = arg(&args, "--aof-rewrite-min-mb", 64);
    println!(
        "{} players, {} ticks, {} B of Memory changed and {} intents per player per tick",
        scale.players, scale.ticks, scale.memory_bytes, scale.intents
    );
    for fsync in ["always", "everysec"] {
        let redis = LocalRedis::start_tcp().unwrap();
        let mut con = redis::Client::open(redis.url().as_str())
            .unwrap()
            .get_connection()
            .unwrap();
        let _: () = redis::cmd("CONFIG")
            .arg("SET")
            .arg("appendfsync")
            .arg(fsync)
            .arg("auto-aof-rewrite-min-size")
            .arg(format!("{rewrite_min_mb}mb"))
            .query(&mut con)
            .unwrap();
        let mut store = RedisStorage::open(&RedisOptions {
            durability: fsync.parse::<RedisDurability>().unwrap(),
            ..RedisOptions::new(redis.url())
        })
        .unwrap();
        let before = dir_bytes(redis.dir());
        let times = run(&mut store, &scale);
        let per_tick = (dir_bytes(redis.dir()) - before) as f64 / scale.ticks as f64;
        report(&format!("redis tcp aof {fsync}"), &times, Some(per_tick));
        let stats: String = redis::cmd("INFO")
            .arg("commandstats")
            .query(&mut con)
            .unwrap();
        for command in ["cmdstat_hset:", "cmdstat_exec:"] {
            if let Some(line) = stats.lines().find(|l| l.starts_with(command)) {
                println!("  inside Redis: {line}");
            }
        }
        let info: String = redis::cmd("INFO").arg("all").query(&mut con).unwrap();
        let wanted = ["aof_rewrites:", "latest_fork_usec:", "used_memory_human:"];
        let picked: Vec<&str> = info
            .lines()
            .filter(|l| wanted.iter().any(|w| l.starts_with(w)))
            .collect();
        println!("  Redis: {}", picked.join(" "));
    }
    let dir = tempfile::tempdir().unwrap();
    let mut sled = SledStorage::open(dir.path(), true).unwrap();
    report("sled durable", &run(&mut sled, &scale), None);
}
