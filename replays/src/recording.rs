//! Reading a recording: info, verification by re-simulation, export.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use isoshard_world::{GameWorld, RoomView, StateHash};
use serde::Serialize;

use crate::error::{ReplayError, Result};
use crate::playback::Playback;
use crate::record::Record;
use crate::segment::list_recording;
use crate::segment::SegmentReader;

/// A recording directory.
#[derive(Debug, Clone)]
pub struct Recording {
    dir: PathBuf,
    segments: Vec<(u64, PathBuf)>,
}

/// What `info` reports.
#[derive(Debug, Clone, Serialize)]
pub struct RecordingInfo {
    pub first_tick: u64,
    pub last_tick: u64,
    pub segments: usize,
    pub players: Vec<String>,
    pub bytes_on_disk: u64,
}

/// Where re-simulation first disagreed with the recording.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Divergence {
    pub tick: u64,
    pub file: String,
    pub expected_hash: String,
    pub actual_hash: String,
    /// Rooms whose hash differs at that tick.
    pub rooms: Vec<String>,
    /// Objects (ids) that differ, when a later snapshot allowed naming them.
    pub objects: Vec<String>,
}

/// What `verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub ticks_verified: u64,
    pub segments: usize,
    pub divergence: Option<Divergence>,
    pub elapsed: Duration,
}

fn read_all(path: &Path) -> Result<Vec<Record>> {
    let mut r = SegmentReader::open(path)?;
    let mut out = Vec::new();
    while let Some(rec) = r.next_record()? {
        out.push(rec);
    }
    Ok(out)
}

struct SegmentRun {
    first: u64,
    /// State hash after the last tick of the segment (or the snapshot's, if none).
    end_hash: StateHash,
    end_tick: u64,
    ticks: u64,
    divergence: Option<(Divergence, GameWorld)>,
    snapshot_hash: StateHash,
}

impl Recording {
    /// Opens a recording directory (reads nothing but the file list).
    ///
    /// # Errors
    /// [`ReplayError::Empty`] without segments; I/O failures.
    pub fn open(dir: &Path) -> Result<Recording> {
        Ok(Recording {
            dir: dir.to_path_buf(),
            segments: list_recording(dir)?,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Tick range, players, size.
    ///
    /// # Errors
    /// Corrupt, truncated or unsupported segments.
    pub fn info(&self) -> Result<RecordingInfo> {
        let mut first = None;
        let mut last = 0;
        let mut players = BTreeSet::new();
        let mut bytes = 0;
        for (_, path) in &self.segments {
            bytes += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            for rec in read_all(path)? {
                match rec {
                    Record::Snapshot(s) => {
                        first.get_or_insert(s.time);
                        last = last.max(s.time);
                        players.extend(s.players.iter().map(|p| p.name.clone()));
                    }
                    Record::Tick(t) => last = last.max(t.tick),
                    Record::PlayerAdded { name, .. } | Record::PlayerRegistered { name, .. } => {
                        players.insert(name);
                    }
                    Record::CodeChanged { .. } | Record::WorldEdited { .. } => {}
                }
            }
        }
        Ok(RecordingInfo {
            first_tick: first.unwrap_or(0),
            last_tick: last,
            segments: self.segments.len(),
            players: players.into_iter().collect(),
            bytes_on_disk: bytes,
        })
    }

    /// Re-simulates every tick in `from..=to` from the segments' snapshots and recorded intents
    /// (no JavaScript) and checks every hash, segments in parallel on `threads` threads.
    /// `progress` receives ticks verified so far.
    ///
    /// # Errors
    /// Corrupt, truncated, unsupported or non-contiguous segments. A hash mismatch is not an
    /// error: it is [`VerifyReport::divergence`].
    pub fn verify(
        &self,
        from: Option<u64>,
        to: Option<u64>,
        threads: usize,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<VerifyReport> {
        let started = Instant::now();
        let to = to.unwrap_or(u64::MAX);
        let from = from.unwrap_or(0);
        // Segments that can hold ticks in range (the one containing `from` and later ones).
        let start_index = self
            .segments
            .iter()
            .rposition(|(t, _)| *t <= from)
            .unwrap_or(0);
        let chosen: Vec<(usize, &(u64, PathBuf))> = self
            .segments
            .iter()
            .enumerate()
            .skip(start_index)
            .take_while(|(_, (t, _))| *t <= to)
            .collect();
        let done = AtomicU64::new(0);
        let threads = threads.max(1);
        let mut results: Vec<Option<Result<SegmentRun>>> =
            (0..chosen.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let chunks: Vec<Vec<(usize, usize, &Path)>> = (0..threads)
                .map(|k| {
                    chosen
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % threads == k)
                        .map(|(i, (_, (_, p)))| (i, i, p.as_path()))
                        .collect()
                })
                .collect();
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| {
                    let done = &done;
                    scope.spawn(move || {
                        chunk
                            .into_iter()
                            .map(|(slot, _, path)| {
                                (
                                    slot,
                                    verify_segment(path, to, &|n| {
                                        let total = done.fetch_add(n, Ordering::Relaxed) + n;
                                        progress(total);
                                    }),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                if let Ok(list) = h.join() {
                    for (slot, r) in list {
                        results[slot] = Some(r);
                    }
                }
            }
        });
        let mut ticks = 0;
        let mut previous: Option<(u64, StateHash)> = None;
        let mut divergence = None;
        for (k, r) in results.into_iter().enumerate() {
            let path = &chosen[k].1 .1;
            let run = r.unwrap_or_else(|| Err(ReplayError::Empty(path.clone())))?;
            // Segments must join up: each snapshot sits where the previous segment ended, with
            // the hash that segment recorded.
            if let Some((end_tick, end_hash)) = previous {
                if run.first != end_tick {
                    return Err(ReplayError::MissingTick {
                        file: path.clone(),
                        expected: end_tick,
                        found: run.first,
                    });
                }
                if run.snapshot_hash != end_hash && divergence.is_none() {
                    divergence = Some(Divergence {
                        tick: run.first,
                        file: path.display().to_string(),
                        expected_hash: end_hash.to_hex(),
                        actual_hash: run.snapshot_hash.to_hex(),
                        rooms: Vec::new(),
                        objects: vec!["(snapshot differs from the re-simulated state)".into()],
                    });
                }
            }
            ticks += run.ticks;
            if let Some((mut d, mut world)) = run.divergence {
                if divergence.is_none() {
                    // Name the objects: carry the diverged world to the next snapshot and diff.
                    if let Some((_, next)) = chosen.get(k + 1).map(|c| c.1) {
                        if let Ok(objects) = name_objects(&mut world, path, next, &d.rooms) {
                            d.objects = objects;
                        }
                    }
                    divergence = Some(d);
                }
                break;
            }
            previous = Some((run.end_tick, run.end_hash));
        }
        Ok(VerifyReport {
            ticks_verified: ticks,
            segments: chosen.len(),
            divergence,
            elapsed: started.elapsed(),
        })
    }

    /// The world at tick `tick` (all rooms, or one).
    ///
    /// # Errors
    /// [`ReplayError::OutOfRange`], [`ReplayError::UnknownRoom`], corrupt segments.
    pub fn export(&self, tick: u64, room: Option<&str>) -> Result<Vec<RoomView>> {
        let mut playback = Playback::open(&self.dir)?;
        let world = playback.seek(tick)?;
        let views = world.views();
        match room {
            Some(name) => views
                .rooms
                .get(name)
                .cloned()
                .map(|r| vec![r])
                .ok_or_else(|| ReplayError::UnknownRoom(name.to_string())),
            None => Ok(views.rooms.into_values().collect()),
        }
    }
}

fn verify_segment(path: &Path, to: u64, progress: &dyn Fn(u64)) -> Result<SegmentRun> {
    let mut reader = SegmentReader::open(path)?;
    let first = match reader.next_record()? {
        Some(Record::Snapshot(s)) => s,
        _ => {
            return Err(ReplayError::NoSnapshot {
                file: path.to_path_buf(),
            })
        }
    };
    let first_tick = first.time;
    let mut world = GameWorld::restore(*first).map_err(|e| ReplayError::BadSnapshot {
        file: path.to_path_buf(),
        tick: first_tick,
        message: e.to_string(),
    })?;
    let snapshot_hash = world.state_hash();
    let mut end_hash = snapshot_hash;
    let mut ticks = 0;
    let mut pending = 0;
    while let Some(rec) = reader.next_record()? {
        match rec {
            Record::Snapshot(_) => {
                return Err(ReplayError::Decode {
                    file: path.to_path_buf(),
                    offset: 0,
                    after_tick: world.time(),
                    message: "a second snapshot in one segment".into(),
                })
            }
            Record::CodeChanged { .. } => {}
            rec @ (Record::PlayerAdded { .. }
            | Record::PlayerRegistered { .. }
            | Record::WorldEdited { .. }) => {
                crate::between_ticks::apply_between_ticks(&mut world, (path, 0), &rec)?;
                end_hash = world.state_hash();
            }
            Record::Tick(t) => {
                if t.tick > to {
                    break;
                }
                let expected = world.time() + 1;
                if t.tick != expected {
                    return Err(ReplayError::MissingTick {
                        file: path.to_path_buf(),
                        expected,
                        found: t.tick,
                    });
                }
                let out = world.tick(&t.intents);
                ticks += 1;
                pending += 1;
                if pending == 100 {
                    progress(pending);
                    pending = 0;
                }
                if out.state_hash != t.state_hash {
                    let map = world.map();
                    let rooms = out
                        .room_hashes
                        .iter()
                        .zip(t.room_hashes.iter())
                        .enumerate()
                        .filter(|(_, (a, b))| a != b)
                        .map(|(i, _)| map.rooms[i].name.clone())
                        .collect();
                    progress(pending);
                    return Ok(SegmentRun {
                        first: first_tick,
                        end_hash,
                        end_tick: t.tick,
                        ticks,
                        divergence: Some((
                            Divergence {
                                tick: t.tick,
                                file: path.display().to_string(),
                                expected_hash: t.state_hash.to_hex(),
                                actual_hash: out.state_hash.to_hex(),
                                rooms,
                                objects: Vec::new(),
                            },
                            world,
                        )),
                        snapshot_hash,
                    });
                }
                end_hash = out.state_hash;
            }
        }
    }
    progress(pending);
    Ok(SegmentRun {
        first: first_tick,
        end_hash,
        end_tick: world.time(),
        ticks,
        divergence: None,
        snapshot_hash,
    })
}

/// Carries a diverged world through the rest of its segment and lists the objects in `rooms`
/// that differ from the next segment's snapshot.
fn name_objects(
    world: &mut GameWorld,
    path: &Path,
    next: &Path,
    rooms: &[String],
) -> Result<Vec<String>> {
    let mut reader = SegmentReader::open(path)?;
    while let Some(rec) = reader.next_record()? {
        if let Record::Tick(t) = rec {
            if t.tick > world.time() {
                world.tick(&t.intents);
            }
        }
    }
    let mut next_reader = SegmentReader::open(next)?;
    let Some(Record::Snapshot(expected)) = next_reader.next_record()? else {
        return Ok(Vec::new());
    };
    let map = world.map().clone();
    let room_ids: Vec<_> = rooms.iter().filter_map(|r| map.by_name(r)).collect();
    let actual = world.records();
    let mut ids = BTreeSet::new();
    for o in expected
        .objects
        .iter()
        .filter(|o| room_ids.is_empty() || room_ids.contains(&o.pos.room))
    {
        if actual.iter().find(|a| a.id == o.id) != Some(o) {
            ids.insert(o.id.to_js());
        }
    }
    for a in actual
        .iter()
        .filter(|o| room_ids.is_empty() || room_ids.contains(&o.pos.room))
    {
        if !expected.objects.iter().any(|o| o.id == a.id) {
            ids.insert(a.id.to_js());
        }
    }
    Ok(ids.into_iter().collect())
}
