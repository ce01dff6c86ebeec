//! Recordings: verify passes on a real shard's recording, catches corruption precisely, catches
//! a tampered intent by re-simulation (a checksum alone would not), and exports the live state.

use std::path::{Path, PathBuf};

use isoshard_replays::{Record, RecorderOptions, Recording, ReplayError};
use isoshard_world::{Intent, RoomView};

use crate::support::*;

/// Records 250 ticks of two sample bots in segments of 100; returns the recording directory
/// and the live room views at tick 150.
fn recorded(dir: &Path) -> (PathBuf, Vec<RoomView>) {
    let mut shard = shard(&dir.join("db"), 17, |_| {});
    let rec = dir.join("replay");
    shard
        .start_recording(
            &rec,
            RecorderOptions {
                segment_ticks: 100,
                retention_segments: None,
                retention_bytes: None,
            },
        )
        .unwrap();
    shard.add_player("a", sample("harvester-upgrader")).unwrap();
    shard.add_player("b", sample("miner-hauler")).unwrap();
    let mut at_150 = Vec::new();
    for _ in 0..250 {
        let s = shard.tick().unwrap();
        if s.tick == 150 {
            at_150 = shard.world().views().rooms.into_values().collect();
        }
    }
    (rec, at_150)
}

fn segment(rec: &Path, first_tick: u64) -> PathBuf {
    rec.join(format!("segment-{first_tick:012}.isr"))
}

/// Reads a segment's records with the documented framing.
fn read_records(path: &Path) -> Vec<Record> {
    let bytes = std::fs::read(path).unwrap();
    let mut out = Vec::new();
    let mut at = 16;
    while at < bytes.len() {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        out.push(rmp_serde::from_slice(&bytes[at + 8..at + 8 + len]).unwrap());
        at += 8 + len;
    }
    out
}

/// Writes records back with valid checksums.
fn write_records(path: &Path, records: &[Record]) {
    let mut bytes = std::fs::read(path).unwrap()[..16].to_vec();
    for r in records {
        let payload = rmp_serde::to_vec(r).unwrap();
        bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
    }
    std::fs::write(path, bytes).unwrap();
}

fn all_file_hashes(rec: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(rec)
        .unwrap()
        .flatten()
        .map(|e| (e.path(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn a_recorded_shard_verifies_and_exports_the_live_state() {
    let dir = tempfile::tempdir().unwrap();
    let (rec, live_150) = recorded(dir.path());
    let recording = Recording::open(&rec).unwrap();
    let info = recording.info().unwrap();
    assert_eq!(
        (info.first_tick, info.last_tick, info.segments),
        (0, 250, 3)
    );
    assert_eq!(info.players, vec!["a", "b"]);
    let before = all_file_hashes(&rec);
    let report = recording.verify(None, None, 2, &|_| {}).unwrap();
    assert_eq!(report.divergence, None);
    assert_eq!(report.ticks_verified, 250);
    assert_eq!(
        all_file_hashes(&rec),
        before,
        "verify never alters the recording"
    );
    let partial = recording.verify(Some(120), Some(180), 2, &|_| {}).unwrap();
    assert!(partial.divergence.is_none() && partial.ticks_verified >= 60);
    let mut exported = recording.export(150, None).unwrap();
    let mut live = live_150;
    exported.sort_by(|a, b| a.name.cmp(&b.name));
    live.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        exported, live,
        "export at tick 150 equals the live state at 150"
    );
    let one = recording.export(150, Some(&live[0].name)).unwrap();
    assert_eq!(one, vec![live[0].clone()]);
    assert!(matches!(
        recording.export(150, Some("W99N99")),
        Err(ReplayError::UnknownRoom(_))
    ));
    assert!(matches!(
        recording.export(900, None),
        Err(ReplayError::OutOfRange { .. })
    ));
}

#[test]
fn a_flipped_byte_is_a_checksum_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (rec, _) = recorded(dir.path());
    let path = segment(&rec, 100);
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    let err = Recording::open(&rec)
        .unwrap()
        .verify(None, None, 2, &|_| {})
        .unwrap_err();
    assert!(matches!(err, ReplayError::Checksum { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("segment-000000000100.isr")
            && text.contains("checksum mismatch")
            && text.contains("after tick 1"),
        "{text}"
    );
}

#[test]
fn a_truncated_segment_is_reported_with_file_and_tick() {
    let dir = tempfile::tempdir().unwrap();
    let (rec, _) = recorded(dir.path());
    let path = segment(&rec, 200);
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len - 5)
        .unwrap();
    let err = Recording::open(&rec)
        .unwrap()
        .verify(None, None, 1, &|_| {})
        .unwrap_err();
    assert!(
        matches!(
            err,
            ReplayError::Truncated {
                after_tick: 249,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_dropped_tick_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (rec, _) = recorded(dir.path());
    let path = segment(&rec, 100);
    let mut records = read_records(&path);
    let i = records
        .iter()
        .position(|r| matches!(r, Record::Tick(t) if t.tick == 130))
        .unwrap();
    records.remove(i);
    write_records(&path, &records);
    let err = Recording::open(&rec)
        .unwrap()
        .verify(None, None, 2, &|_| {})
        .unwrap_err();
    assert!(
        matches!(
            err,
            ReplayError::MissingTick {
                expected: 130,
                found: 131,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_tampered_intent_with_a_valid_checksum_diverges_at_its_tick() {
    let dir = tempfile::tempdir().unwrap();
    let (rec, _) = recorded(dir.path());
    let path = segment(&rec, 100);
    let mut records = read_records(&path);
    // Turn one creep's move into a suicide: the checksums will be valid, the history not.
    let (tick, creep) = records
        .iter_mut()
        .find_map(|r| match r {
            Record::Tick(t) if t.tick > 140 => t
                .intents
                .by_player
                .values_mut()
                .find_map(|list| {
                    list.iter_mut().find_map(|i| match *i {
                        Intent::Move { creep, .. } => {
                            *i = Intent::Suicide { creep };
                            Some(creep)
                        }
                        _ => None,
                    })
                })
                .map(|c| (t.tick, c)),
            _ => None,
        })
        .expect("a move to tamper with");
    write_records(&path, &records);
    let report = Recording::open(&rec)
        .unwrap()
        .verify(None, None, 2, &|_| {})
        .unwrap();
    let d = report.divergence.expect("re-simulation catches it");
    assert_eq!(d.tick, tick);
    assert_eq!(d.rooms.len(), 1, "{d:?}");
    assert!(d.file.ends_with("segment-000000000100.isr"));
    assert!(
        d.objects.contains(&creep.to_js()),
        "{d:?} should name {}",
        creep.to_js()
    );
}

#[test]
fn an_unknown_format_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (rec, _) = recorded(dir.path());
    let path = segment(&rec, 0);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[8] = 9;
    std::fs::write(&path, bytes).unwrap();
    let err = Recording::open(&rec).unwrap().info().unwrap_err();
    assert!(
        matches!(err, ReplayError::UnsupportedVersion { found: 9, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("segment-000000000000.isr"));
}

#[test]
fn resuming_drops_a_torn_tail_and_a_torn_new_segment() {
    use isoshard_engine::{Shard, SledStorage};
    use isoshard_player_api::PlayerRuntimeOptions;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let rec = dir.path().join("replay");
    {
        let mut s = shard(&db, 5, |o| o.snapshot_every = 10);
        s.start_recording(
            &rec,
            RecorderOptions {
                segment_ticks: 50,
                retention_segments: None,
                retention_bytes: None,
            },
        )
        .unwrap();
        s.add_player("a", sample("harvester-upgrader")).unwrap();
        for _ in 0..70 {
            s.tick().unwrap();
        }
    }
    // A kill left half a record at the end of the current segment and a new segment with a torn
    // header.
    let cur = segment(&rec, 50);
    let len = std::fs::metadata(&cur).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&cur)
        .unwrap()
        .set_len(len - 7)
        .unwrap();
    std::fs::write(rec.join("segment-000000000071.isr"), b"ISRP").unwrap();
    let mut s = Shard::open(
        Box::new(SledStorage::open(&db, false).unwrap()),
        PlayerRuntimeOptions::default(),
    )
    .unwrap();
    s.resume_recording(
        &rec,
        RecorderOptions {
            segment_ticks: 50,
            retention_segments: None,
            retention_bytes: None,
        },
    )
    .unwrap();
    for _ in 0..10 {
        s.tick().unwrap();
    }
    drop(s);
    let report = Recording::open(&rec)
        .unwrap()
        .verify(None, None, 2, &|_| {})
        .unwrap();
    assert!(report.divergence.is_none());
    assert_eq!(
        report.ticks_verified, 80,
        "the torn tick was re-recorded from the database"
    );
}

/// `replay export` over a range: the tick's applied intents, the refused ones with the code
/// the world gave, and console lines; an id reads the same in an intent as in the room.
#[test]
fn export_shows_refused_intents_with_their_codes_console_lines_and_ids_as_rooms_show_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(&dir.path().join("db"), 5, |_| {});
    shard
        .start_recording(&dir.path().join("replay"), RecorderOptions::default())
        .unwrap();
    // Both sites pass the JavaScript checks (the tile is free when the tick starts); the
    // world accepts the first and refuses the second: a site stands there by then.
    let bot = "module.exports.loop = function () {
        console.log('at ' + Game.time);
        const s = Object.values(Game.spawns)[0];
        if (Game.time === 3) {
            s.room.createConstructionSite(s.pos.x + 2, s.pos.y, STRUCTURE_ROAD);
            s.room.createConstructionSite(s.pos.x + 2, s.pos.y, STRUCTURE_ROAD);
            s.spawnCreep([MOVE], 'one');
        }
    };";
    shard.add_player("p", code(&[("main", bot)])).unwrap();
    for _ in 0..5 {
        shard.tick().unwrap();
    }
    let spawn_id = shard
        .world()
        .views()
        .rooms
        .values()
        .flat_map(|r| r.objects.iter())
        .find(|o| o.kind == "spawn")
        .map(|o| o.id.clone())
        .expect("the spawn");
    let mut out = Vec::new();
    let n = isoshard_engine::replay_analysis::export_ticks(dir.path(), Some(4), Some(4), &mut out)
        .unwrap();
    assert_eq!(n, 1);
    let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
    // Line 4 is the tick whose code saw Game.time 3 (Screeps counts the tick being run).
    assert_eq!(
        (&line["tick"], &line["gameTime"]),
        (&serde_json::json!(4), &serde_json::json!(3))
    );
    let mine = &line["players"]["p"];
    assert_eq!(mine["console"], serde_json::json!(["at 3"]));
    let applied = mine["intents"].as_array().unwrap();
    assert_eq!(applied.len(), 2, "{mine}");
    assert_eq!(applied[0]["type"], "createConstructionSite");
    assert_eq!(applied[1]["type"], "spawnCreep");
    assert_eq!(applied[1]["spawn"], serde_json::json!(spawn_id));
    assert!(applied.iter().all(|i| i["result"] == 0));
    let refused = mine["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{mine}");
    assert_eq!(refused[0]["type"], "createConstructionSite");
    assert!(refused[0]["result"].as_i64().unwrap() < 0, "{mine}");
    assert!(mine["cpuMs"].as_f64().unwrap() > 0.0);

    let mut csv = Vec::new();
    isoshard_engine::replay_analysis::stats_csv(dir.path(), Some(4), Some(5), &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "tick,player,cpu_ms,creeps,energy,rcl");
    assert_eq!(rows.len(), 3, "{csv}");
    let cells: Vec<&str> = rows[2].split(',').collect();
    assert_eq!(
        (cells[0], cells[1], cells[3], cells[5]),
        ("5", "p", "1", "1"),
        "{csv}"
    );
}
