//! What a tick costs on disk: only accepted intents are recorded, a player's intents are
//! bounded in bytes per tick, and a player's state is written only when it changed.

use std::sync::Arc;

use isoshard_engine::{
    CodeBundle, PlayerRecord, Result, Shard, ShardMeta, ShardOptions, ShardStorage, SledStorage,
    StoredShard, TickCommit, TickRecord,
};
use isoshard_player_api::{record_bytes, MAX_INTENT_BYTES_PER_TICK};
use isoshard_world::{Intent, ObjectId, PlayerId, WorldConfig, WorldSnapshot};
use parking_lot::Mutex;

use crate::support::*;

/// One commit as the storage saw it.
#[derive(Clone, Debug)]
struct Commit {
    record: TickRecord,
    /// Players whose Memory the commit wrote.
    memory_of: Vec<PlayerId>,
}

/// Sled underneath, and a log of every tick commit for the test to read.
struct LoggedStorage {
    inner: SledStorage,
    log: Arc<Mutex<Vec<Commit>>>,
}

impl ShardStorage for LoggedStorage {
    fn create(
        &mut self,
        meta: &ShardMeta,
        snapshot: &WorldSnapshot,
        players: &[PlayerRecord],
    ) -> Result<()> {
        self.inner.create(meta, snapshot, players)
    }
    fn load(&self) -> Result<Option<StoredShard>> {
        self.inner.load()
    }
    fn commit_tick(&mut self, commit: TickCommit<'_>) -> Result<()> {
        self.log.lock().push(Commit {
            record: commit.record.clone(),
            memory_of: commit
                .states
                .iter()
                .filter(|c| c.memory.is_some())
                .map(|c| c.id)
                .collect(),
        });
        self.inner.commit_tick(commit)
    }
    fn save_snapshot(&mut self, snapshot: &WorldSnapshot, added: &[PlayerRecord]) -> Result<()> {
        self.inner.save_snapshot(snapshot, added)
    }
    fn tick_record(&self, tick: u64) -> Result<Option<TickRecord>> {
        self.inner.tick_record(tick)
    }
    fn write_player_data(
        &mut self,
        player: PlayerId,
        data: &isoshard_engine::PlayerDataWrite,
    ) -> Result<()> {
        self.inner.write_player_data(player, data)
    }
    fn save_player(&mut self, player: &PlayerRecord) -> Result<()> {
        self.inner.save_player(player)
    }
    fn save_meta(&mut self, meta: &isoshard_engine::ShardMeta) -> Result<()> {
        self.inner.save_meta(meta)
    }
    fn backup_into(&mut self, to: &std::path::Path) -> Result<()> {
        self.inner.backup_into(to)
    }
    fn read_segment(&self, player: PlayerId, id: u8) -> Result<Option<String>> {
        self.inner.read_segment(player, id)
    }
    fn branch_names(&self, player: PlayerId) -> Result<Vec<String>> {
        self.inner.branch_names(player)
    }
    fn read_branch(&self, player: PlayerId, name: &str) -> Result<Option<CodeBundle>> {
        self.inner.read_branch(player, name)
    }
    fn write_branch(
        &mut self,
        player: PlayerId,
        name: &str,
        code: Option<&CodeBundle>,
    ) -> Result<()> {
        self.inner.write_branch(player, name, code)
    }
}

fn logged_shard(
    dir: &std::path::Path,
    seed: u64,
    cpu_limit_ms: i64,
) -> (Shard, Arc<Mutex<Vec<Commit>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let storage = LoggedStorage {
        inner: SledStorage::open(dir, false).unwrap(),
        log: log.clone(),
    };
    let options = ShardOptions {
        world: WorldConfig {
            seed,
            width: 3,
            height: 3,
        },
        cpu_limit_ms,
        ..ShardOptions::default()
    };
    (Shard::create(options, Box::new(storage)).unwrap(), log)
}

const IDLE: &str = "module.exports.loop = function () {}";
const COUNTER: &str =
    "module.exports.loop = function () { Memory.count = (Memory.count || 0) + 1 }";
/// Reads Memory every tick and writes back what was there: the serialized string is the same.
const REWRITES_SAME: &str =
    "module.exports.loop = function () { Memory.fixed = 'x'.repeat(1000); Memory.seen = Memory.fixed.length }";

#[test]
fn a_player_whose_memory_and_bucket_did_not_change_writes_no_state() {
    let dir = tempfile::tempdir().unwrap();
    let (mut shard, log) = logged_shard(dir.path(), 3, 100);
    let idle = shard.add_player("idle", code(&[("main", IDLE)])).unwrap();
    let counter = shard
        .add_player("counter", code(&[("main", COUNTER)]))
        .unwrap();
    let same = shard
        .add_player("same", code(&[("main", REWRITES_SAME)]))
        .unwrap();
    for _ in 0..12 {
        shard.tick().unwrap();
    }
    let commits = log.lock().clone();
    let writes = |p: PlayerId| commits.iter().filter(|c| c.memory_of.contains(&p)).count();
    assert_eq!(
        writes(idle),
        0,
        "idle player: nothing changed, nothing written"
    );
    assert_eq!(writes(counter), 12, "Memory changed every tick");
    assert_eq!(writes(same), 1, "the same Memory is written once");
    let memory = shard.memory(counter).unwrap();
    drop(shard);
    let reopened = Shard::open(
        Box::new(SledStorage::open(dir.path(), false).unwrap()),
        Default::default(),
    )
    .unwrap();
    assert_eq!(reopened.memory(counter).unwrap(), memory);
    assert_eq!(
        reopened.memory(same).unwrap().as_str(),
        format!(r#"{{"fixed":"{}","seen":1000}}"#, "x".repeat(1000))
    );
    assert_eq!(reopened.memory(idle).unwrap().as_str(), "");
}

/// Replaces the tick's one intent with 1 000 spawn intents of the largest kind the wire
/// takes (50 parts, 100-byte names: 3× the byte bound) — the `Array.prototype.push` hijack — keeping the first
/// as a valid one-part creep.
const INTENT_FLOOD: &str = r#"
const realPush = Array.prototype.push;
module.exports.loop = function () {
  Array.prototype.push = function (x) {
    if (x && x.type === 'spawnCreep') {
      realPush.call(this, { type: 'spawnCreep', spawn: x.spawn, body: ['move'], name: 'ok' + Game.time });
      for (let i = 1; i < 1000; i++) {
        const body = []; for (let j = 0; j < 50; j++) realPush.call(body, 'move');
        realPush.call(this, { type: 'spawnCreep', spawn: x.spawn, body, name: ('n' + i).padEnd(100, 'n') });
      }
      return this.length;
    }
    return realPush.apply(this, arguments);
  };
  try { Game.spawns.Spawn1.spawnCreep(['move'], 'flood' + Game.time); } finally { Array.prototype.push = realPush; }
};
"#;

#[test]
fn hostile_intent_flood_records_only_accepted_intents_within_the_byte_bound() {
    let dir = tempfile::tempdir().unwrap();
    // Building the flood takes more than a real tick's CPU (debug builds); the limit here lets
    // it complete so that the byte bound is what stops it.
    let (mut shard, log) = logged_shard(dir.path(), 4, 5000);
    let flood = shard
        .add_player("flood", code(&[("main", INTENT_FLOOD)]))
        .unwrap();
    // The flood's intents are at least this big (the smallest id encoding).
    let flood_intent = record_bytes(&Intent::SpawnCreep {
        spawn: ObjectId(0),
        body: vec![isoshard_world::BodyPartKind::Move; 50],
        name: "n".repeat(100),
        energy_structures: None,
    });
    let mut submitted = Vec::new();
    for _ in 0..6 {
        submitted.push(shard.tick().unwrap().intents);
    }
    // While the spawn is busy, the bot's `spawnCreep` returns ERR_BUSY and pushes nothing.
    let bound = MAX_INTENT_BYTES_PER_TICK / flood_intent + 1;
    let flood_ticks: Vec<usize> = (0..6).filter(|t| submitted[*t] > 0).collect();
    assert!(
        flood_ticks.len() >= 2 && flood_ticks.iter().all(|t| submitted[*t] > 100 && submitted[*t] <= bound),
        "a flooding tick's intents stop at the byte bound (≤ {bound} of ≥ {flood_intent} bytes), not at 1 000: {submitted:?}"
    );
    let console = shard.drain_console(flood);
    assert!(
        console
            .iter()
            .any(|l| l.contains("intents over the per-tick limit")),
        "the player is told: {console:?}"
    );
    let recorded: Vec<usize> = log
        .lock()
        .iter()
        .map(|c| c.record.intents.by_player.get(&flood).map_or(0, Vec::len))
        .collect();
    let expected: Vec<usize> = submitted.iter().map(|n| usize::from(*n > 0)).collect();
    assert_eq!(
        recorded, expected,
        "of each flood only the one spawn the world accepted is recorded ({submitted:?} submitted)"
    );
    drop(shard);
    let storage = SledStorage::open(dir.path(), false).unwrap();
    let first = storage.tick_record(1).unwrap().unwrap();
    assert_eq!(first.intents.len(), 1, "on disk too: {:?}", first.intents);
}
