//! Appending a recording as the shard runs.

use std::path::{Path, PathBuf};

use isoshard_world::{GameWorld, IntentBatch, PlayerId, TickOutcome};

use crate::error::{ReplayError, Result};
use crate::record::{Record, TickEntry};
use crate::segment::{list_segments, segment_name, SegmentWriter};

/// How a recording is written.
#[derive(Debug, Clone, Copy)]
pub struct RecorderOptions {
    /// A new segment (starting with a full snapshot) every this many ticks.
    pub segment_ticks: u64,
    /// Keep at most this many segments; older ones are deleted (`None` keeps all).
    pub retention_segments: Option<usize>,
    /// Keep the oldest segments only while all of them together stay within this many
    /// bytes (`None`: no cap). The segment being written is always kept: a recording of
    /// many players is bounded on disk whatever the tick count.
    pub retention_bytes: Option<u64>,
}

impl Default for RecorderOptions {
    fn default() -> Self {
        RecorderOptions {
            segment_ticks: 100,
            retention_segments: None,
            retention_bytes: None,
        }
    }
}

impl RecorderOptions {
    /// Default-length segments, keeping at least the newest `ticks` ticks (`None`: all).
    /// Whole segments are deleted, so up to one segment more stays on disk.
    pub fn keep_ticks(ticks: Option<u64>) -> Self {
        let d = RecorderOptions::default();
        RecorderOptions {
            retention_segments: ticks.map(|t| {
                usize::try_from(t.div_ceil(d.segment_ticks))
                    .unwrap_or(usize::MAX)
                    .saturating_add(1)
            }),
            ..d
        }
    }
}

/// Writes a recording into a directory.
pub struct Recorder {
    dir: PathBuf,
    options: RecorderOptions,
    current: Option<SegmentWriter>,
    bytes: u64,
}

impl Recorder {
    /// Starts recording into `dir` (created if missing); the first segment begins with a
    /// snapshot of `world`.
    ///
    /// # Errors
    /// I/O failures.
    pub fn start(dir: &Path, world: &GameWorld, options: RecorderOptions) -> Result<Recorder> {
        std::fs::create_dir_all(dir).map_err(|source| ReplayError::Io {
            file: dir.to_path_buf(),
            source,
        })?;
        let mut r = Recorder {
            dir: dir.to_path_buf(),
            options: RecorderOptions {
                segment_ticks: options.segment_ticks.max(1),
                ..options
            },
            current: None,
            bytes: 0,
        };
        r.roll(world)?;
        Ok(r)
    }

    /// Continues a recording after a restart. The last segment is cut back to its last intact
    /// record (a crash can tear one, or leave a new segment with a torn header), then the ticks
    /// the shard committed but the recording had not received are re-simulated from that
    /// segment with the intents `committed(tick)` returns (intents and recorded state hash,
    /// from the shard's database) and appended while each hash matches. If the recording still
    /// does not reach `world`'s tick, a new segment starts there (verify then reports the gap).
    ///
    /// # Errors
    /// I/O failures; a last segment whose snapshot is unreadable.
    pub fn resume(
        dir: &Path,
        world: &GameWorld,
        options: RecorderOptions,
        committed: &dyn Fn(u64) -> Option<(IntentBatch, isoshard_world::StateHash)>,
    ) -> Result<Recorder> {
        let mut segments = list_segments(dir).unwrap_or_default();
        // A crash can leave the newest segment with a torn header: drop such files.
        let (last, mut reader) = loop {
            let Some((_, last)) = segments.pop() else {
                return Recorder::start(dir, world, options);
            };
            match crate::segment::SegmentReader::open(&last) {
                Ok(r) => break (last, r),
                Err(ReplayError::BadMagic { .. })
                    if std::fs::metadata(&last)
                        .map(|m| m.len() < 16)
                        .unwrap_or(false) =>
                {
                    std::fs::remove_file(&last).map_err(|source| ReplayError::Io {
                        file: last.clone(),
                        source,
                    })?;
                }
                Err(e) => return Err(e),
            }
        };
        let mut valid = reader.offset();
        let mut last_tick = None;
        loop {
            match reader.next_record() {
                Ok(Some(rec)) => {
                    valid = reader.offset();
                    match rec {
                        Record::Snapshot(s) => last_tick = Some(s.time),
                        Record::Tick(t) => last_tick = Some(t.tick),
                        _ => {}
                    }
                }
                Ok(None) => break,
                Err(ReplayError::Truncated { .. } | ReplayError::Checksum { .. }) => break,
                Err(e) => return Err(e),
            }
        }
        let options = RecorderOptions {
            segment_ticks: options.segment_ticks.max(1),
            ..options
        };
        let Some(mut at) = last_tick else {
            // Not even the snapshot survived: replace the segment.
            std::fs::remove_file(&last).map_err(|source| ReplayError::Io {
                file: last.clone(),
                source,
            })?;
            return Recorder::start(dir, world, options);
        };
        // The recorded state at `at`, rebuilt from the segment itself.
        let rebuilt = if at < world.time() {
            rebuild(&last, at)
        } else {
            None
        };
        let mut r = Recorder {
            dir: dir.to_path_buf(),
            options,
            current: Some(SegmentWriter::reopen(last, valid)?),
            bytes: 0,
        };
        if let Some(mut w) = rebuilt {
            while at < world.time() {
                let Some((intents, expected)) = committed(at + 1) else {
                    break;
                };
                let outcome: TickOutcome = w.tick(&intents);
                if outcome.state_hash != expected {
                    break;
                }
                r.append(&Record::Tick(TickEntry {
                    tick: outcome.tick,
                    intents,
                    state_hash: outcome.state_hash,
                    room_hashes: outcome.room_hashes,
                    cpu_us: Vec::new(),
                    notes: Default::default(),
                }))?;
                at = outcome.tick;
            }
        }
        if let Some(w) = r.current.as_mut() {
            w.flush()?;
        }
        if at != world.time() || at % options.segment_ticks == 0 {
            r.roll(world)?;
        }
        Ok(r)
    }

    fn roll(&mut self, world: &GameWorld) -> Result<()> {
        if let Some(mut old) = self.current.take() {
            old.flush()?;
        }
        let path = self.dir.join(segment_name(world.time()));
        let mut w = SegmentWriter::create(path)?;
        self.bytes += w.append(&Record::Snapshot(Box::new(world.snapshot())))?;
        w.flush()?;
        self.current = Some(w);
        self.apply_retention()
    }

    fn apply_retention(&self) -> Result<()> {
        let (by_count, by_bytes) = (
            self.options.retention_segments,
            self.options.retention_bytes,
        );
        if by_count.is_none() && by_bytes.is_none() {
            return Ok(());
        }
        let segments = list_segments(&self.dir)?;
        let mut excess = segments
            .len()
            .saturating_sub(by_count.unwrap_or(usize::MAX).max(1));
        if let Some(cap) = by_bytes {
            let sizes: Vec<u64> = segments
                .iter()
                .map(|(_, p)| std::fs::metadata(p).map_or(0, |m| m.len()))
                .collect();
            let mut total: u64 = sizes.iter().sum();
            let mut dropped = 0;
            // The newest segment is the one being written: never dropped.
            while total > cap && dropped + 1 < sizes.len() {
                total -= sizes[dropped];
                dropped += 1;
            }
            excess = excess.max(dropped);
        }
        for (_, p) in segments.into_iter().take(excess) {
            std::fs::remove_file(&p).map_err(|source| ReplayError::Io {
                file: p.clone(),
                source,
            })?;
        }
        Ok(())
    }

    fn append(&mut self, record: &Record) -> Result<()> {
        if let Some(w) = self.current.as_mut() {
            self.bytes += w.append(record)?;
        }
        Ok(())
    }

    /// Records a tick (call after `world.tick`); starts a new segment when due.
    ///
    /// # Errors
    /// I/O failures.
    pub fn tick(
        &mut self,
        world: &GameWorld,
        intents: &IntentBatch,
        outcome: &TickOutcome,
        cpu_us: &[(PlayerId, u64)],
        notes: &crate::record::TickNotes,
    ) -> Result<()> {
        self.append(&Record::Tick(TickEntry {
            tick: outcome.tick,
            intents: intents.clone(),
            state_hash: outcome.state_hash,
            room_hashes: outcome.room_hashes.clone(),
            cpu_us: cpu_us.to_vec(),
            notes: notes.clone(),
        }))?;
        if let Some(w) = self.current.as_mut() {
            w.flush()?;
        }
        if outcome.tick.is_multiple_of(self.options.segment_ticks) {
            self.roll(world)?;
        }
        Ok(())
    }

    /// Records a player joining between ticks.
    ///
    /// # Errors
    /// I/O failures.
    pub fn player_added(&mut self, at_tick: u64, name: &str, player: PlayerId) -> Result<()> {
        self.append(&Record::PlayerAdded {
            at_tick,
            name: name.to_string(),
            player,
        })?;
        self.current.as_mut().map_or(Ok(()), |w| w.flush())
    }

    /// Records a player registering without a room between ticks.
    ///
    /// # Errors
    /// I/O failures.
    pub fn player_registered(&mut self, at_tick: u64, name: &str, player: PlayerId) -> Result<()> {
        self.append(&Record::PlayerRegistered {
            at_tick,
            name: name.to_string(),
            player,
        })?;
        self.current.as_mut().map_or(Ok(()), |w| w.flush())
    }

    /// Records an operator's edit of the world.
    ///
    /// # Errors
    /// I/O failures.
    pub fn world_edited(&mut self, at_tick: u64, edit: &isoshard_world::WorldEdit) -> Result<()> {
        self.append(&Record::WorldEdited {
            at_tick,
            edit: edit.clone(),
        })?;
        self.current.as_mut().map_or(Ok(()), |w| w.flush())
    }

    /// Records a code change.
    ///
    /// # Errors
    /// I/O failures.
    pub fn code_changed(&mut self, at_tick: u64, player: PlayerId, code_hash: &str) -> Result<()> {
        self.append(&Record::CodeChanged {
            at_tick,
            player,
            code_hash: code_hash.to_string(),
        })?;
        self.current.as_mut().map_or(Ok(()), |w| w.flush())
    }

    /// Bytes written by this recorder.
    pub fn bytes_written(&self) -> u64 {
        self.bytes
    }
}

/// Re-simulates a segment up to `tick` (snapshot, players added, recorded intents).
fn rebuild(path: &Path, tick: u64) -> Option<GameWorld> {
    let mut cursor = crate::playback::SegmentCursor::open(path).ok()?;
    // The records after `tick` may be torn by the crash being recovered from: an error once
    // `tick` is reached is expected.
    let _ = cursor.advance_to(tick);
    (cursor.world().time() == tick).then(|| cursor.into_world())
}
