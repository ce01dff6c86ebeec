//! `isoshard fsck DATA [--repair]`: what of a store is readable, and a rollback to it.
//!
//! The check reads every record (checksum and decoding), finds the newest snapshot that
//! restores, re-simulates the recorded ticks after it while their hashes match, and compares
//! the tick it reaches with the last tick `meta/tick` and the marker say was committed.
//!
//! A repair is never implied: it runs only with `--repair`, and prints every change. It keeps
//! the newest intact state (that snapshot plus the intact ticks after it) and removes the rest;
//! a player whose records are lost gets them back from what the world knows: a lost account by
//! the name in the world (no sign-in until the operator issues a token), lost code as an empty
//! bundle with the account suspended, a lost Memory as empty. It cannot repair a store without
//! its settings (`meta/config`) or without any snapshot that restores: restore a backup.
//!
//! Opening sled may itself cut a log tail it cannot read: that is sled's recovery, run on any
//! open; what it cut shows here as ticks lost.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use isoshard_player_api::CpuBudget;
use isoshard_world::{GameWorld, PlayerInfo, WorldSnapshot};

use super::marker::{self, Marker};
use super::record::{decode, decode_u64, encode, encode_u64, key_name};
use super::sled_store::{
    damaged, format_of, guarded, insert_player, key, memory_tree_ids, memory_tree_name, open_tree,
    sled_error, Writes, BRANCH_PREFIX, FLAG_PREFIX, INTER_SHARD_KEY, MEMORY_KEY, MESSAGES_KEY,
    NOTIFICATIONS_KEY, RESOURCES_KEY, SEGMENT_SETTINGS_KEY,
};
use super::{
    resimulate, PlayerAccount, PlayerRecord, PlayerTickState, ShardMeta, TickRecord,
    STORAGE_FORMAT_VERSION,
};
use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};

/// What `fsck` found and, with `--repair`, changed.
#[derive(Debug, Clone, Default)]
pub struct FsckReport {
    pub dir: PathBuf,
    /// What is wrong, one line each; empty when the store reads in full.
    pub problems: Vec<String>,
    /// The last tick the shard can continue from: the newest snapshot that restores plus the
    /// intact ticks after it.
    pub intact_through: Option<u64>,
    /// The last tick the store says was committed (`meta/tick` or the marker, the later).
    pub committed: Option<u64>,
    /// With `--repair`: the problems found before it.
    pub before_repair: Vec<String>,
    /// What the repair changed, one line each.
    pub repairs: Vec<String>,
    /// Why the store cannot be repaired, when it cannot.
    pub unrepairable: Option<String>,
    /// What the store holds and what it costs on disk, when it could be read.
    pub sizes: Option<StoreSizes>,
    /// sled refused to open its files (a repair first sets its index files aside).
    sled_unopenable: bool,
}

/// The history a store keeps and its size: the records' own bytes against sled's files,
/// which hold old versions of records until sled reuses their space.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreSizes {
    pub snapshots: usize,
    pub oldest_snapshot: Option<u64>,
    pub tick_records: usize,
    /// Keys and values of every record, in every tree.
    pub record_bytes: u64,
    /// The files under `shard.sled`.
    pub file_bytes: u64,
}

impl FsckReport {
    /// Whether the store reads in full.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.unrepairable.is_none()
    }
}

impl fmt::Display for FsckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "store: {}", self.dir.display())?;
        if let Some(t) = self.committed {
            writeln!(f, "last committed tick: {t}")?;
        }
        if let Some(t) = self.intact_through {
            writeln!(f, "intact through tick: {t}")?;
        }
        if let Some(z) = &self.sizes {
            let mb = |b: u64| b as f64 / 1e6;
            writeln!(
                f,
                "history: {} snapshots from tick {}, {} tick records",
                z.snapshots,
                z.oldest_snapshot.map_or("-".into(), |t| t.to_string()),
                z.tick_records
            )?;
            writeln!(
                f,
                "size: {:.1} MB of records in {:.1} MB of sled files",
                mb(z.record_bytes),
                mb(z.file_bytes)
            )?;
        }
        for p in &self.before_repair {
            writeln!(f, "found: {p}")?;
        }
        for p in &self.problems {
            writeln!(f, "problem: {p}")?;
        }
        for r in &self.repairs {
            writeln!(f, "repaired: {r}")?;
        }
        if let Some(why) = &self.unrepairable {
            writeln!(
                f,
                "cannot repair: {why}; restore the directory from a backup"
            )?;
        }
        if self.is_clean() {
            writeln!(f, "ok: the store reads in full")?;
        } else if self.repairs.is_empty() && self.unrepairable.is_none() {
            let to = match self.intact_through {
                Some(t) => format!("roll back to tick {t}"),
                None => "repair it".into(),
            };
            writeln!(
                f,
                "run `isoshard fsck --repair {}` to {to}",
                self.dir.display()
            )?;
        }
        Ok(())
    }
}

/// Checks the store in `dir` and, with `repair`, rolls it back to its newest intact state.
///
/// # Errors
/// A directory that holds no shard ([`EngineError::Usage`]); I/O failures writing a repair.
pub fn fsck(dir: &Path, repair: bool) -> Result<FsckReport> {
    let mut report = check(dir)?;
    if !repair || report.is_clean() || report.unrepairable.is_some() {
        return Ok(report);
    }
    let mut repairs = Vec::new();
    if report.sled_unopenable {
        let before = report.problems.clone();
        report = rebuild_sled_index(dir, &mut repairs)?;
        report.before_repair = before;
        if report.is_clean() || report.unrepairable.is_some() {
            report.repairs = repairs;
            return Ok(report);
        }
    }
    repairs.extend(roll_back(dir)?);
    let mut after = check(dir)?;
    after.repairs = repairs;
    after.before_repair = report.problems;
    Ok(after)
}

/// Sets sled's page-table snapshots (`snap.*`), then its `conf`, aside in
/// `DATA/fsck-set-aside/` until sled opens: it rebuilds both from its log. Puts them back if
/// it still does not open.
fn rebuild_sled_index(dir: &Path, repairs: &mut Vec<String>) -> Result<FsckReport> {
    let sled_dir = dir.join("shard.sled");
    let aside = dir.join("fsck-set-aside");
    std::fs::create_dir_all(&aside).map_err(EngineError::io(format!(
        "cannot create {}",
        aside.display()
    )))?;
    let snaps: Vec<PathBuf> = std::fs::read_dir(&sled_dir)
        .map_err(EngineError::io(format!(
            "cannot list {}",
            sled_dir.display()
        )))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("snap."))
        })
        .collect();
    let mut moved = Vec::new();
    for group in [snaps, vec![sled_dir.join("conf")]] {
        for file in group.into_iter().filter(|f| f.exists()) {
            let target = aside.join(file.file_name().expect("a file name"));
            std::fs::rename(&file, &target)
                .map_err(EngineError::io(format!("cannot move {}", file.display())))?;
            repairs.push(format!(
                "set {} aside in {} (sled rebuilds it from its log)",
                file.display(),
                aside.display()
            ));
            moved.push((file, target));
        }
        let report = check(dir)?;
        if !report.sled_unopenable {
            return Ok(report);
        }
    }
    for (file, target) in moved.iter().rev() {
        std::fs::rename(target, file).map_err(EngineError::io(format!(
            "cannot move {} back",
            file.display()
        )))?;
    }
    repairs.push("put sled's index files back: sled does not open without them either".into());
    let mut report = check(dir)?;
    report.unrepairable = Some("sled cannot read its files".into());
    Ok(report)
}

/// Every record read once: which are good, by kind.
#[derive(Default)]
struct Survey {
    meta: Option<ShardMeta>,
    meta_tick: Option<u64>,
    snapshots: BTreeSet<u64>,
    ticks: BTreeSet<u64>,
    accounts: BTreeMap<u64, PlayerAccount>,
    codes: BTreeSet<u64>,
    budgets: BTreeSet<u64>,
    /// Players whose Memory tree holds a readable Memory.
    memories: BTreeSet<u64>,
    /// Memory trees that are unreadable: dropped by a repair.
    bad_memories: BTreeSet<u64>,
    bad_keys: Vec<Vec<u8>>,
    /// Keys and values read, in every tree.
    record_bytes: u64,
}

fn id_of(k: &[u8], prefix: &str) -> u64 {
    u64::from_be_bytes(k[prefix.len()..].try_into().unwrap_or([0xff; 8]))
}

fn survey(
    dir: &Path,
    db: &sled::Db,
    tree: &sled::Tree,
    problems: &mut Vec<String>,
) -> Result<Survey> {
    let mut s = survey_shard_tree(dir, tree, problems)?;
    for id in memory_tree_ids(db) {
        let name = memory_tree_name(id);
        let memory = db.open_tree(&name).map_err(|e| sled_error(dir, e))?;
        for item in memory.iter() {
            let (k, v) = item.map_err(|e| sled_error(dir, e))?;
            s.record_bytes += (k.len() + v.len()) as u64;
        }
        // An empty tree is what a crash between creating it and the commit leaves: harmless.
        let Some(sealed) = memory.get(MEMORY_KEY).map_err(|e| sled_error(dir, e))? else {
            continue;
        };
        match decode::<String>(&name, &sealed).and_then(|_| check_player_data(&name, &memory)) {
            Ok(_) => {
                s.memories.insert(id);
            }
            Err(p) => {
                problems.push(p);
                s.bad_memories.insert(id);
            }
        }
    }
    Ok(s)
}

/// The rest of a Memory tree: segments, their settings, InterShardMemory, flags,
/// notifications; nothing else.
fn check_player_data(name: &[u8], tree: &sled::Tree) -> std::result::Result<(), String> {
    for item in tree.iter() {
        let (k, v) = item.map_err(|e| format!("{}: {e}", key_name(name)))?;
        let segment = k.strip_prefix(b"segment/").is_some_and(|n| {
            n.len() == 2
                && std::str::from_utf8(n)
                    .ok()
                    .and_then(|n| n.parse::<u8>().ok())
                    .is_some_and(|n| n < 100)
        });
        if k.as_ref() == MEMORY_KEY {
            continue;
        } else if segment || k.as_ref() == INTER_SHARD_KEY {
            decode::<String>(name, &v)?;
        } else if k.as_ref() == SEGMENT_SETTINGS_KEY {
            decode::<isoshard_player_api::SegmentSettings>(name, &v)?;
        } else if k.as_ref() == NOTIFICATIONS_KEY {
            decode::<Vec<(u64, String)>>(name, &v)?;
        } else if k.as_ref() == MESSAGES_KEY {
            decode::<Vec<super::StoredMessage>>(name, &v)?;
        } else if k.as_ref() == RESOURCES_KEY {
            decode::<std::collections::BTreeMap<String, u64>>(name, &v)?;
        } else if k.starts_with(FLAG_PREFIX) {
            decode::<isoshard_player_api::FlagRecord>(name, &v)?;
        } else if k.starts_with(BRANCH_PREFIX) {
            decode::<crate::code_bundle::CodeBundle>(name, &v)?;
        } else {
            return Err(format!(
                "{} holds an unknown record {:?}",
                key_name(name),
                String::from_utf8_lossy(&k)
            ));
        }
    }
    Ok(())
}

fn survey_shard_tree(dir: &Path, tree: &sled::Tree, problems: &mut Vec<String>) -> Result<Survey> {
    let mut s = Survey::default();
    for item in tree.iter() {
        let (k, v) = item.map_err(|e| sled_error(dir, e))?;
        s.record_bytes += (k.len() + v.len()) as u64;
        let k = k.to_vec();
        let numbered =
            |prefix: &str| k.starts_with(prefix.as_bytes()) && k.len() == prefix.len() + 8;
        let outcome: std::result::Result<(), String> = if k == b"meta/format" {
            Ok(())
        } else if k == b"meta/config" {
            decode(&k, &v).map(|m| s.meta = Some(m))
        } else if k == b"meta/tick" {
            decode_u64(&k, &v).map(|t| s.meta_tick = Some(t))
        } else if numbered("snap/") {
            decode::<WorldSnapshot>(&k, &v).map(|_| {
                s.snapshots.insert(id_of(&k, "snap/"));
            })
        } else if numbered("tick/") {
            decode::<TickRecord>(&k, &v).map(|_| {
                s.ticks.insert(id_of(&k, "tick/"));
            })
        } else if numbered("player/") {
            decode::<PlayerAccount>(&k, &v).map(|a| {
                s.accounts.insert(id_of(&k, "player/"), a);
            })
        } else if numbered("code/") {
            decode::<CodeBundle>(&k, &v).map(|_| {
                s.codes.insert(id_of(&k, "code/"));
            })
        } else if numbered("budget/") {
            decode::<CpuBudget>(&k, &v).map(|_| {
                s.budgets.insert(id_of(&k, "budget/"));
            })
        } else {
            Err(format!("record {} is of no known kind", key_name(&k)))
        };
        if let Err(p) = outcome {
            problems.push(p);
            s.bad_keys.push(k);
        }
    }
    Ok(s)
}

/// The newest snapshot that restores, re-simulated through the intact ticks after it.
fn newest_intact(
    dir: &Path,
    tree: &sled::Tree,
    s: &Survey,
    problems: &mut Vec<String>,
) -> Result<Option<GameWorld>> {
    for &at in s.snapshots.iter().rev() {
        let k = key("snap/", at);
        let Some(bytes) = tree.get(&k).map_err(|e| sled_error(dir, e))? else {
            continue;
        };
        let Ok(snapshot) = decode::<WorldSnapshot>(&k, &bytes) else {
            continue;
        };
        let mut ticks = Vec::new();
        while s.ticks.contains(&(at + 1 + ticks.len() as u64)) {
            let k = key("tick/", at + 1 + ticks.len() as u64);
            let bytes = tree.get(&k).map_err(|e| sled_error(dir, e))?;
            match bytes.map(|b| decode::<TickRecord>(&k, &b)) {
                Some(Ok(record)) => ticks.push(record),
                _ => break,
            }
        }
        match resimulate(snapshot, &ticks) {
            Ok((world, mismatch)) => {
                problems.extend(mismatch);
                return Ok(Some(world));
            }
            Err(e) => problems.push(format!("snapshot {at} does not restore: {e}")),
        }
    }
    Ok(None)
}

fn check(dir: &Path) -> Result<FsckReport> {
    let mut report = FsckReport {
        dir: dir.to_path_buf(),
        ..FsckReport::default()
    };
    let marker = match marker::read(dir) {
        Ok(m) => m,
        Err(p) => {
            report.problems.push(p);
            None
        }
    };
    if !dir.join("shard.sled").exists() && marker.is_none() {
        return Err(EngineError::Usage(format!(
            "{} holds no shard",
            dir.display()
        )));
    }
    // A compaction a crash interrupted is finished first: it leaves the one complete copy.
    super::sled_store::settle(dir)?;
    let (db, tree) = match open_tree(dir) {
        Ok(t) => t,
        Err(EngineError::Damaged { problem, .. }) => {
            report.problems.push(format!(
                "{problem}: `--repair` sets sled's index files aside so that sled rebuilds \
                 them from its log"
            ));
            report.sled_unopenable = true;
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    match guarded(dir, || check_tree(dir, &db, &tree, marker, &mut report)) {
        Ok(()) => Ok(report),
        // sled cannot read on past some point of its files: nothing to roll back to from here.
        Err(EngineError::Damaged { problem, .. }) => {
            report.unrepairable = Some(problem);
            Ok(report)
        }
        Err(e) => Err(e),
    }
}

fn check_tree(
    dir: &Path,
    db: &sled::Db,
    tree: &sled::Tree,
    marker: Option<Marker>,
    report: &mut FsckReport,
) -> Result<()> {
    match format_of(dir, tree) {
        Ok(Some(STORAGE_FORMAT_VERSION)) => {}
        Ok(Some(v)) if v < STORAGE_FORMAT_VERSION => {
            report.unrepairable = Some(format!(
                "format version {v} is older than this build's {STORAGE_FORMAT_VERSION}: open \
                 it once with `isoshard serve` to upgrade it, then check again"
            ));
            return Ok(());
        }
        Ok(Some(v)) => {
            report.unrepairable = Some(format!("format version {v} is not one this build reads"));
            return Ok(());
        }
        Ok(None) => {
            report.unrepairable = Some("shard.sled holds no shard records at all".into());
            return Ok(());
        }
        Err(e) => {
            report.unrepairable = Some(e.to_string());
            return Ok(());
        }
    }
    let s = survey(dir, db, tree, &mut report.problems)?;
    if s.meta.is_none() {
        report.unrepairable = Some("the shard's settings (meta/config) are unreadable".into());
        return Ok(());
    }
    report.committed = s.meta_tick.max(marker.map(|m| m.committed));
    report.sizes = Some(StoreSizes {
        snapshots: s.snapshots.len(),
        oldest_snapshot: s.snapshots.first().copied(),
        tick_records: s.ticks.len(),
        record_bytes: s.record_bytes,
        file_bytes: dir_bytes(&dir.join("shard.sled")),
    });
    if s.meta_tick.is_none() {
        report
            .problems
            .push("record meta/tick is missing or unreadable".into());
    }
    let Some(world) = newest_intact(dir, tree, &s, &mut report.problems)? else {
        report.unrepairable = Some("no snapshot restores".into());
        return Ok(());
    };
    let through = world.time();
    report.intact_through = Some(through);
    if let Some(committed) = report.committed.filter(|&c| c > through) {
        report.problems.push(format!(
            "ticks {}..={committed} cannot be read: the shard can continue from tick {through}",
            through + 1
        ));
    }
    check_players(&s, world.players(), &mut report.problems);
    Ok(())
}

/// Bytes of the files under `path` (unreadable entries count nothing).
pub fn dir_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return std::fs::metadata(path).map_or(0, |m| m.len());
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

fn check_players(s: &Survey, known: &[PlayerInfo], problems: &mut Vec<String>) {
    for p in known {
        let id = p.id.0 as u64;
        if !s.accounts.contains_key(&id) {
            problems.push(format!("player {id} ({}) has no readable account", p.name));
        }
        if !s.codes.contains(&id) {
            problems.push(format!("player {id} ({}) has no readable code", p.name));
        }
        if !s.budgets.contains(&id) {
            problems.push(format!(
                "player {id} ({}) has no readable CPU bucket",
                p.name
            ));
        }
        if !s.memories.contains(&id) {
            problems.push(format!("player {id} ({}) has no readable Memory", p.name));
        }
    }
    let is_known = |id: &u64| known.iter().any(|p| p.id.0 as u64 == *id);
    for (id, a) in &s.accounts {
        if !is_known(id) {
            problems.push(format!(
                "player {id} ({}) is not in the world at the intact tick",
                a.name
            ));
        }
    }
    for id in &s.memories {
        if !is_known(id) && !s.accounts.contains_key(id) {
            problems.push(format!(
                "Memory tree {} belongs to no player",
                key_name(&memory_tree_name(*id))
            ));
        }
    }
}

/// Rewrites the store as its newest intact state; returns what changed.
fn roll_back(dir: &Path) -> Result<Vec<String>> {
    let (db, tree) = open_tree(dir)?;
    guarded(dir, || {
        let mut ignored = Vec::new();
        let s = survey(dir, &db, &tree, &mut ignored)?;
        // The check found both; if the files changed since, stop instead of guessing.
        let changed = |what: &str| damaged(dir, format!("{what} since the check; run fsck again"));
        let meta = s
            .meta
            .clone()
            .ok_or_else(|| changed("the settings became unreadable"))?;
        let world = newest_intact(dir, &tree, &s, &mut ignored)?
            .ok_or_else(|| changed("no snapshot restores"))?;
        let through = world.time();
        let mut repairs = Vec::new();
        let mut batch = Writes::default();
        for k in &s.bad_keys {
            batch.remove(k.clone());
            repairs.push(format!("removed unreadable record {}", key_name(k)));
        }
        for id in &s.bad_memories {
            batch.drop_memory(*id);
            repairs.push(format!(
                "dropped Memory tree {}",
                key_name(&memory_tree_name(*id))
            ));
        }
        let dropped_ticks = s.ticks.range(through + 1..).count();
        for t in s.ticks.range(through + 1..) {
            batch.remove(key("tick/", *t));
        }
        for t in s.snapshots.range(through + 1..) {
            batch.remove(key("snap/", *t));
            repairs.push(format!("removed snapshot {t}, after the intact tick"));
        }
        if dropped_ticks > 0 {
            repairs.push(format!(
                "removed {dropped_ticks} tick records after tick {through}"
            ));
        }
        // The intact state as a snapshot of its own, so that recovery starts there.
        batch.insert(key("snap/", through), encode(&world.snapshot())?);
        batch.insert(b"meta/tick".to_vec(), encode_u64(through));
        repairs.push(format!("the shard continues from tick {through}"));
        restore_players(
            &s,
            &meta,
            world.players(),
            (&db, &tree),
            &mut batch,
            &mut repairs,
        )?;
        batch.check_space(dir)?;
        batch.apply(dir, &db, &tree)?;
        db.flush().map_err(|e| sled_error(dir, e))?;
        marker::write(dir, Marker { committed: through }).map_err(EngineError::io(format!(
            "cannot write {}",
            marker::path(dir).display()
        )))?;
        repairs.push(format!("{} now says tick {through}", marker::MARKER_FILE));
        Ok(repairs)
    })
}

fn restore_players(
    s: &Survey,
    meta: &ShardMeta,
    known: &[PlayerInfo],
    (db, tree): (&sled::Db, &sled::Tree),
    batch: &mut Writes,
    repairs: &mut Vec<String>,
) -> Result<()> {
    for (id, a) in &s.accounts {
        if !known.iter().any(|p| p.id.0 as u64 == *id) {
            for prefix in ["player/", "code/", "budget/"] {
                batch.remove(key(prefix, *id));
            }
            batch.drop_memory(*id);
            repairs.push(format!(
                "removed player {id} ({}): they joined after the intact tick",
                a.name
            ));
        }
    }
    for id in &s.memories {
        if !known.iter().any(|p| p.id.0 as u64 == *id) && !s.accounts.contains_key(id) {
            batch.drop_memory(*id);
            repairs.push(format!(
                "dropped Memory tree {}: it belongs to no player",
                key_name(&memory_tree_name(*id))
            ));
        }
    }
    for p in known {
        let id = p.id.0 as u64;
        let (has_account, has_code, has_budget, has_memory) = (
            s.accounts.contains_key(&id),
            s.codes.contains(&id),
            s.budgets.contains(&id),
            s.memories.contains(&id),
        );
        if has_account && has_code && has_budget && has_memory {
            continue;
        }
        let mut account = s.accounts.get(&id).cloned().unwrap_or_else(|| {
            repairs.push(format!(
                "player {id} ({}): account rebuilt from the world; no sign-in until the operator issues a token",
                p.name
            ));
            PlayerAccount::new(p.id, p.name.clone())
        });
        let code = if has_code {
            let k = key("code/", id);
            let bytes = tree.get(&k).ok().flatten().unwrap_or_default();
            decode(&k, &bytes).unwrap_or_else(|_| empty_code())
        } else {
            account.suspended = Some("code lost in a storage repair: upload it again".to_string());
            repairs.push(format!(
                "player {id} ({}): code lost, suspended until an upload",
                p.name
            ));
            empty_code()
        };
        let memory = if has_memory {
            read_memory(db, id).unwrap_or_default()
        } else {
            repairs.push(format!(
                "player {id} ({}): Memory lost, reset to empty",
                p.name
            ));
            String::new()
        };
        let budget_key = key("budget/", id);
        let budget = tree
            .get(&budget_key)
            .ok()
            .flatten()
            .and_then(|bytes| decode(&budget_key, &bytes).ok())
            .unwrap_or_else(|| {
                repairs.push(format!(
                    "player {id} ({}): CPU bucket reset to full",
                    p.name
                ));
                CpuBudget::new(meta.cpu_limit_ms)
            });
        let state = PlayerTickState {
            memory,
            budget,
            data: Default::default(),
        };
        insert_player(
            batch,
            &PlayerRecord {
                account,
                code,
                state,
            },
        )?;
    }
    Ok(())
}

fn empty_code() -> CodeBundle {
    CodeBundle {
        modules: BTreeMap::from([("main".to_string(), String::new())]),
    }
}

/// Player `id`'s Memory, read again for a repair (the survey found it readable).
fn read_memory(db: &sled::Db, id: u64) -> Option<String> {
    let name = memory_tree_name(id);
    let sealed = db.open_tree(&name).ok()?.get(MEMORY_KEY).ok()??;
    decode(&name, &sealed).ok()
}
