//! `PathFinder.search` and `Creep.moveTo` as a bot pays for them, in a warm isolate on a real
//! shard (thread isolation, so the player's isolate is in this process): a search across three
//! rooms with a CostMatrix from `roomCallback` for each (the callback round trips included),
//! and `moveTo` along a path already cached in `creep.memory._move`. Each call is timed alone
//! with `Game.cpu.getUsed()` (the player's own CPU clock), after a warm-up.
//!
//! `cargo bench -p isoshard-engine --bench paths [-- --loaded N]`: `--loaded N` keeps N busy
//! threads spinning beside the shard while it measures (a game server's cores are busy).

use isoshard_engine::{CodeBundle, Shard, ShardOptions, SledStorage};
use isoshard_world::WorldConfig;

const BOT: &str = r#"
function plainNear(name) {
  const t = new Room.Terrain(name);
  for (let d = 0; d < 20; d++) for (let x = 25 - d; x <= 25 + d; x++) for (let y = 25 - d; y <= 25 + d; y++)
    if (t.get(x, y) === 0) return new RoomPosition(x, y, name);
}
function percentiles(list) {
  list.sort((a, b) => a - b);
  const at = (q) => Math.round(list[Math.min(list.length - 1, Math.floor(q * list.length))] * 1000 * 100) / 100;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), n: list.length };
}
module.exports.loop = function () {
  const spawn = Object.values(Game.spawns)[0];
  if (!Game.creeps.walker) { spawn.spawnCreep([MOVE], 'walker'); return; }
  const creep = Game.creeps.walker;
  if (creep.spawning || Memory.result) return;
  // Two rooms on, in a straight line where the map allows it.
  const a = creep.room.name, exitsA = Game.map.describeExits(a);
  let dir = Object.keys(exitsA).find((d) => { const b = exitsA[d]; const e = Game.map.describeExits(b); return e && e[d]; });
  const b = exitsA[dir], c = Game.map.describeExits(b)[dir];
  const from = plainNear(a), to = plainNear(c);
  const matrices = {};
  for (const name of [a, b, c]) {
    const m = new PathFinder.CostMatrix();
    for (let i = 0; i < 300; i++) m.set((i * 7) % 50, (i * 13) % 50, 1 + (i % 20));
    matrices[name] = m;
  }
  const opts = { maxRooms: 3, roomCallback: (name) => matrices[name] || false };
  const times = [];
  let last;
  for (let i = 0; i < 1200; i++) {
    const t0 = Game.cpu.getUsed();
    last = PathFinder.search(from, { pos: to, range: 1 }, opts);
    if (i >= 200) times.push(Game.cpu.getUsed() - t0);
  }
  const plain = [];
  for (let i = 0; i < 1200; i++) {
    const t0 = Game.cpu.getUsed();
    PathFinder.search(from, { pos: to, range: 1 }, { maxRooms: 3 });
    if (i >= 200) plain.push(Game.cpu.getUsed() - t0);
  }
  const rooms = {};
  for (const p of last.path) rooms[p.roomName] = 1;
  const search = Object.assign(percentiles(times), { rooms: Object.keys(rooms).length, steps: last.path.length, ops: last.ops, incomplete: last.incomplete });
  const target = creep.room.controller.pos;
  creep.moveTo(target);
  const moves = [];
  for (let i = 0; i < 2200; i++) {
    const t0 = Game.cpu.getUsed();
    creep.moveTo(target);
    if (i >= 200) moves.push(Game.cpu.getUsed() - t0);
  }
  Memory.result = { search, plain: percentiles(plain), moveTo: percentiles(moves) };
};
"#;

#[allow(clippy::print_stdout)]
fn main() {
    let mut loaded = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--loaded" {
            loaded = args.next().and_then(|n| n.parse().ok()).unwrap_or(2);
        }
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let burners: Vec<_> = (0..loaded)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            })
        })
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let options = ShardOptions {
        world: WorldConfig {
            seed: 3,
            width: 5,
            height: 5,
        },
        cpu_limit_ms: 500,
        ..ShardOptions::default()
    };
    let storage = SledStorage::open(dir.path(), false).expect("sled");
    let mut shard = Shard::create(options, Box::new(storage)).expect("shard");
    let code = CodeBundle::new([("main".to_string(), BOT.to_string())].into()).expect("code");
    let p = shard.add_player("bench", code).expect("player");
    let mut result = None;
    for _ in 0..20 {
        shard.tick().expect("tick");
        let memory: serde_json::Value =
            serde_json::from_str(&shard.memory(p).unwrap_or_default()).unwrap_or_default();
        if let Some(r) = memory.get("result") {
            result = Some(r.clone());
            break;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for b in burners {
        let _ = b.join();
    }
    match result {
        Some(r) => println!(
            "busy threads {loaded}\nPathFinder.search, 3 rooms, a CostMatrix each (µs): {}\nthe same without roomCallback (µs): {}\nmoveTo on a cached path (µs): {}",
            r["search"], r["plain"], r["moveTo"]
        ),
        None => {
            let stats = shard.player_stats();
            eprintln!("no result; last error: {:?}", stats.first().map(|s| &s.2.last_error));
            std::process::exit(1);
        }
    }
}
