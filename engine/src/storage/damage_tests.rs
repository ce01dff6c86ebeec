//! Damaged stores: every file of a data directory flipped and truncated, records removed, the
//! tree emptied next to its marker. A damaged store is refused or reads back whole, never
//! read as something else; `fsck --repair` rolls it back to a state that opens.

use std::path::{Path, PathBuf};

use isoshard_player_api::CpuBudget;
use isoshard_world::{GameWorld, IntentBatch, StateHash, WorldConfig};

use super::marker::{self, Marker};
use super::sled_store::key;
use super::*;
use crate::error::EngineError;

const TICKS: u64 = 12;

/// What a store opens as: the tick, the re-simulated hash and each player's name and Memory.
#[derive(Debug, PartialEq)]
struct Opened {
    tick: u64,
    hash: StateHash,
    players: Vec<(String, String)>,
}

fn open_store(dir: &Path) -> Result<Option<Opened>> {
    let Some(stored) = SledStorage::open(dir, true)?.load()? else {
        return Ok(None);
    };
    let players = stored
        .players
        .iter()
        .map(|p| (p.account.name.clone(), p.state.memory.clone()))
        .collect();
    let (world, mismatch) = resimulate(stored.snapshot, &stored.ticks)?;
    if let Some(problem) = mismatch {
        return Err(EngineError::Storage(problem));
    }
    Ok(Some(Opened {
        tick: world.time(),
        hash: world.state_hash(),
        players,
    }))
}

/// A store with two players and `TICKS` ticks, a snapshot every 5, Memory changing each tick.
fn build_store(dir: &Path) -> Opened {
    let config = WorldConfig {
        seed: 7,
        width: 2,
        height: 2,
    };
    let mut world = GameWorld::new(config).unwrap();
    let meta = ShardMeta {
        world: config,
        cpu_limit_ms: 100,
        snapshot_every: 5,
    };
    let mut storage = SledStorage::open(dir, true).unwrap();
    storage.create(&meta, &world.snapshot(), &[]).unwrap();
    let mut ids = Vec::new();
    for name in ["alice", "bob"] {
        let id = world.add_player(name).unwrap();
        ids.push(id);
        storage
            .save_player(&PlayerRecord {
                account: PlayerAccount {
                    token_hashes: vec!["ab".repeat(32)],
                    ..PlayerAccount::new(id, name)
                },
                code: crate::sample_bots()[0].1.clone(),
                state: PlayerTickState {
                    memory: String::new(),
                    budget: CpuBudget::new(100),
                    data: Default::default(),
                },
            })
            .unwrap();
    }
    storage.save_snapshot(&world.snapshot(), &[]).unwrap();
    for _ in 0..TICKS {
        let out = world.tick(&IntentBatch::new());
        let states: Vec<_> = ids
            .iter()
            .map(|&id| StateChange {
                id,
                memory: Some(format!("{{\"t\":{},\"p\":{}}}", out.tick, id.0)),
                budget: CpuBudget::new(100),
                // A segment and InterShardMemory too, so their records are flipped as well.
                data: crate::storage::PlayerDataWrite {
                    segments: [((out.tick % 100) as u8, format!("segment at {}", out.tick))].into(),
                    settings: None,
                    inter_shard: Some(format!("local {}", out.tick)),
                    // And flags, set and removed.
                    flags: [
                        (
                            format!("flag {}", out.tick % 4),
                            Some(isoshard_player_api::FlagRecord {
                                name: format!("flag {}", out.tick % 4),
                                room: "W0N0".into(),
                                x: (out.tick % 50) as u8,
                                y: 3,
                                color: 1,
                                secondary_color: 2,
                            }),
                        ),
                        (format!("flag {}", (out.tick + 2) % 4), None),
                    ]
                    .into(),
                    notifications: Some(vec![(out.tick, format!("notified at {}", out.tick))]),
                    // And the account's resources.
                    resources: Some([("pixel".to_string(), out.tick)].into()),
                    // And the mailbox.
                    messages: Some(vec![crate::storage::StoredMessage {
                        id: format!("{:024x}", out.tick),
                        respondent: 1,
                        date_ms: out.tick,
                        outgoing: false,
                        text: format!("message at {}", out.tick),
                        unread: true,
                        out_message: None,
                    }]),
                },
            })
            .collect();
        let snapshot = out.tick.is_multiple_of(5).then(|| world.snapshot());
        commit_outcome(&mut storage, &out, snapshot.as_ref(), &states).unwrap();
    }
    drop(storage);
    open_store(dir).unwrap().expect("a shard")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else if std::fs::metadata(&path).unwrap().len() > 0 {
            out.push(path);
        }
    }
}

type Damage = (String, Box<dyn Fn(&mut Vec<u8>)>);

/// Ways to damage one file: flips spread over it, and truncations.
fn damages(len: usize) -> Vec<Damage> {
    let mut out: Vec<Damage> = Vec::new();
    let step = (len / 40).max(1);
    for at in (0..len).step_by(step).chain([len - 1]) {
        out.push((format!("flip byte {at}"), Box::new(move |b| b[at] ^= 0x5a)));
    }
    for keep in [0, len / 2, len - 1] {
        out.push((
            format!("truncate to {keep}"),
            Box::new(move |b| b.truncate(keep)),
        ));
    }
    out
}

#[test]
fn every_file_flipped_or_truncated_is_refused_or_reads_back_whole_and_fsck_repairs_it() {
    let root = tempfile::tempdir().unwrap();
    let pristine = root.path().join("pristine");
    let original = build_store(&pristine);
    let mut files = Vec::new();
    files_under(&pristine, &mut files);
    assert!(files.iter().any(|f| f.ends_with(MARKER_FILE)));
    let (mut refused, mut whole, mut repaired) = (0, 0, 0);
    for file in &files {
        let relative = file.strip_prefix(&pristine).unwrap();
        let bytes = std::fs::read(file).unwrap();
        for (what, damage) in damages(bytes.len()) {
            let case = root.path().join("case");
            let _ = std::fs::remove_dir_all(&case);
            copy_dir(&pristine, &case);
            let mut bad = bytes.clone();
            damage(&mut bad);
            std::fs::write(case.join(relative), &bad).unwrap();
            let label = format!("{} {what}", relative.display());
            match open_store(&case) {
                Ok(Some(opened)) => {
                    assert_eq!(opened, original, "{label}: opened as another state");
                    whole += 1;
                }
                Ok(None) => panic!("{label}: the shard was read as an empty store"),
                Err(_) => {
                    refused += 1;
                    let report = fsck(&case, true).unwrap();
                    if report.unrepairable.is_none() {
                        assert!(report.is_clean(), "{label}: still damaged: {report}");
                        let opened = open_store(&case)
                            .unwrap_or_else(|e| panic!("{label}: repaired store: {e}\n{report}"))
                            .expect("a shard");
                        assert_eq!(Some(opened.tick), report.intact_through, "{label}");
                        repaired += 1;
                    } else if std::env::var_os("ISOSHARD_FSCK_DEBUG").is_some() {
                        eprintln!("{label}: {}", report.unrepairable.as_deref().unwrap_or(""));
                    }
                }
            }
        }
    }
    eprintln!(
        "{} files: {whole} read back whole, {refused} refused, {repaired} of them repaired",
        files.len()
    );
    assert!(refused > 0 && whole > 0);
}

#[test]
fn a_tree_emptied_next_to_its_marker_is_refused_not_taken_for_a_new_store() {
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path());
    std::fs::remove_dir_all(dir.path().join("shard.sled")).unwrap();
    let err = open_store(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("holds no shard, but shard.marker says one committed tick 12"),
        "{err}"
    );
    assert!(err.contains("isoshard fsck"), "{err}");
    assert!(fsck(dir.path(), true).unwrap().unrepairable.is_some());
}

#[test]
fn ticks_sled_dropped_are_refused_against_the_marker_and_fsck_rolls_back_to_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path());
    // What sled does with a log tail it cannot read: the store ends earlier than committed.
    marker::write(
        dir.path(),
        Marker {
            committed: TICKS + 3,
        },
    )
    .unwrap();
    let err = open_store(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("ends at tick 12, but shard.marker says tick 15"),
        "{err}"
    );
    let check = fsck(dir.path(), false).unwrap();
    assert!(!check.is_clean() && check.repairs.is_empty(), "{check}");
    assert!(open_store(dir.path()).is_err(), "a check changes nothing");
    let repair = fsck(dir.path(), true).unwrap();
    assert!(repair.is_clean(), "{repair}");
    assert_eq!(open_store(dir.path()).unwrap().unwrap().tick, TICKS);
}

#[test]
fn a_tick_missing_after_the_snapshot_rolls_back_to_the_tick_before_it_with_memory_kept() {
    let dir = tempfile::tempdir().unwrap();
    let original = build_store(dir.path());
    {
        let (db, tree) = sled_store::open_tree(dir.path()).unwrap();
        tree.remove(key("tick/", 11)).unwrap();
        tree.remove(key("player/", 2)).unwrap();
        db.flush().unwrap();
    }
    let err = open_store(dir.path()).unwrap_err().to_string();
    assert!(err.contains("tick record 11 is missing"), "{err}");
    let report = fsck(dir.path(), true).unwrap();
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.intact_through, Some(10));
    assert!(
        report
            .repairs
            .iter()
            .any(|r| r.contains("removed 1 tick records after tick 10")),
        "{report}"
    );
    assert!(
        report
            .repairs
            .iter()
            .any(|r| r.contains("player 2 (bob): account rebuilt")),
        "{report}"
    );
    let opened = open_store(dir.path()).unwrap().unwrap();
    assert_eq!(opened.tick, 10);
    assert_eq!(opened.players.len(), original.players.len());
    // Memory is the player's latest, not the tick's: it is kept as stored.
    assert_eq!(opened.players, original.players);
}

/// Rewrites a current store in the layout of format 2: Memory and bucket as one
/// `pstate/<id>` record in `shard`, no Memory trees.
fn downgrade_to_version_2(dir: &Path) {
    let (db, tree) = sled_store::open_tree(dir).unwrap();
    for id in sled_store::memory_tree_ids(&db) {
        let name = sled_store::memory_tree_name(id);
        let memory: String = record::decode(
            &name,
            &db.open_tree(&name)
                .unwrap()
                .get(sled_store::MEMORY_KEY)
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        let budget_key = key("budget/", id);
        let budget: CpuBudget =
            record::decode(&budget_key, &tree.get(&budget_key).unwrap().unwrap()).unwrap();
        let state = PlayerTickState {
            memory,
            budget,
            data: Default::default(),
        };
        tree.insert(key("pstate/", id), record::encode(&state).unwrap())
            .unwrap();
        tree.remove(budget_key).unwrap();
        db.drop_tree(name).unwrap();
    }
    tree.insert(b"meta/format", &2u32.to_be_bytes()).unwrap();
    db.flush().unwrap();
}

fn format_now(dir: &Path) -> Option<u32> {
    let (_db, tree) = sled_store::open_tree(dir).unwrap();
    sled_store::format_of(dir, &tree).unwrap()
}

#[test]
fn a_version_2_store_moves_each_memory_into_a_tree_of_its_own_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let original = build_store(dir.path());
    downgrade_to_version_2(dir.path());
    assert_eq!(format_now(dir.path()), Some(2));
    assert_eq!(open_store(dir.path()).unwrap().unwrap(), original);
    assert_eq!(format_now(dir.path()), Some(STORAGE_FORMAT_VERSION));
    let (db, tree) = sled_store::open_tree(dir.path()).unwrap();
    assert_eq!(tree.scan_prefix(b"pstate/").count(), 0);
    assert_eq!(sled_store::memory_tree_ids(&db).len(), 2);
    drop((db, tree));
    assert!(fsck(dir.path(), false).unwrap().is_clean());
}

#[test]
fn a_version_1_store_is_sealed_and_upgraded_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let original = build_store(dir.path());
    downgrade_to_version_2(dir.path());
    {
        let (db, tree) = sled_store::open_tree(dir.path()).unwrap();
        for item in tree.iter() {
            let (k, v) = item.unwrap();
            if k.as_ref() != b"meta/format" {
                tree.insert(k, &v[4..]).unwrap();
            }
        }
        tree.insert(b"meta/format", &1u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let report = fsck(dir.path(), false).unwrap();
    assert!(
        report
            .unrepairable
            .as_deref()
            .is_some_and(|w| w.contains("open it once")),
        "{report}"
    );
    assert_eq!(open_store(dir.path()).unwrap().unwrap(), original);
    assert_eq!(format_now(dir.path()), Some(STORAGE_FORMAT_VERSION));
}

#[test]
fn a_damaged_memory_tree_is_refused_and_fsck_resets_that_memory_alone() {
    let dir = tempfile::tempdir().unwrap();
    let original = build_store(dir.path());
    {
        let (db, _tree) = sled_store::open_tree(dir.path()).unwrap();
        let memory = db.open_tree(sled_store::memory_tree_name(2)).unwrap();
        let mut v = memory
            .get(sled_store::MEMORY_KEY)
            .unwrap()
            .unwrap()
            .to_vec();
        let last = v.len() - 1;
        v[last] ^= 0x5a;
        memory.insert(sled_store::MEMORY_KEY, v).unwrap();
        // A Memory tree of a player that does not exist: dropped by the repair.
        db.open_tree(sled_store::memory_tree_name(99))
            .unwrap()
            .insert(
                sled_store::MEMORY_KEY,
                record::encode(&"stray".to_string()).unwrap(),
            )
            .unwrap();
        db.flush().unwrap();
    }
    let err = open_store(dir.path()).unwrap_err().to_string();
    assert!(err.contains("memory/2"), "{err}");
    let report = fsck(dir.path(), true).unwrap();
    assert!(report.is_clean(), "{report}");
    for expected in [
        "dropped Memory tree memory/2",
        "dropped Memory tree memory/99",
        "player 2 (bob): Memory lost, reset to empty",
    ] {
        assert!(
            report.repairs.iter().any(|r| r.contains(expected)),
            "{expected}: {report}"
        );
    }
    let opened = open_store(dir.path()).unwrap().unwrap();
    assert_eq!(opened.tick, original.tick, "the world loses no tick");
    assert_eq!(
        opened.players[0], original.players[0],
        "alice keeps her Memory"
    );
    assert_eq!(opened.players[1], ("bob".to_string(), String::new()));
    let (db, _tree) = sled_store::open_tree(dir.path()).unwrap();
    assert!(!sled_store::memory_tree_ids(&db).contains(&99));
}
