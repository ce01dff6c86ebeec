//! Random access to a recording: the world at any recorded tick. Playing forward continues
//! from the current position (one world tick per step) instead of restarting from the
//! segment's snapshot, which is what makes the web viewer's play button cheap.

use std::path::{Path, PathBuf};

use isoshard_world::{GameWorld, IntentBatch, PlayerId};

use crate::error::{ReplayError, Result};
use crate::record::{Record, TickEntry};
use crate::segment::list_recording;
use crate::segment::SegmentReader;

/// One segment being re-simulated record by record.
pub(crate) struct SegmentCursor {
    reader: SegmentReader,
    world: GameWorld,
    /// A record read past the target tick, applied by the next `advance_to`.
    peeked: Option<Record>,
    /// The tick that produced the current state (none at the snapshot).
    last_tick: Option<TickEntry>,
}

impl SegmentCursor {
    /// Restores the segment's opening snapshot.
    pub(crate) fn open(path: &Path) -> Result<SegmentCursor> {
        let mut reader = SegmentReader::open(path)?;
        let Some(Record::Snapshot(snapshot)) = reader.next_record()? else {
            return Err(ReplayError::NoSnapshot {
                file: path.to_path_buf(),
            });
        };
        let tick = snapshot.time;
        let world = GameWorld::restore(*snapshot).map_err(|e| ReplayError::BadSnapshot {
            file: path.to_path_buf(),
            tick,
            message: e.to_string(),
        })?;
        Ok(SegmentCursor {
            reader,
            world,
            peeked: None,
            last_tick: None,
        })
    }

    pub(crate) fn world(&self) -> &GameWorld {
        &self.world
    }

    pub(crate) fn into_world(self) -> GameWorld {
        self.world
    }

    /// Applies records until the world stands at `tick`, including players who joined after
    /// it (they are part of the state at `tick`). `Ok(false)` when the segment ends first.
    pub(crate) fn advance_to(&mut self, tick: u64) -> Result<bool> {
        loop {
            let record = match self.peeked.take() {
                Some(r) => r,
                None => match self.reader.next_record()? {
                    Some(r) => r,
                    None => return Ok(self.world.time() == tick),
                },
            };
            match record {
                Record::Tick(t) if t.tick > tick => {
                    self.peeked = Some(Record::Tick(t));
                    return Ok(self.world.time() == tick);
                }
                Record::Tick(t) => {
                    let expected = self.world.time() + 1;
                    if t.tick != expected {
                        return Err(ReplayError::MissingTick {
                            file: self.reader.path.clone(),
                            expected,
                            found: t.tick,
                        });
                    }
                    self.world.tick(&t.intents);
                    self.last_tick = Some(t);
                }
                Record::CodeChanged { .. } => {}
                rec @ (Record::PlayerAdded { .. }
                | Record::PlayerRegistered { .. }
                | Record::WorldEdited { .. }) => {
                    let at = (self.reader.path.as_path(), self.reader.offset());
                    crate::between_ticks::apply_between_ticks(&mut self.world, at, &rec)?;
                }
                Record::Snapshot(_) => {
                    return Err(ReplayError::Decode {
                        file: self.reader.path.clone(),
                        offset: self.reader.offset(),
                        after_tick: self.world.time(),
                        message: "a second snapshot in one segment".into(),
                    })
                }
            }
        }
    }
}

/// A seekable view of a recording directory, also of one a live shard is still writing
/// (the segment list is re-read when a seek reaches the newest segment).
pub struct Playback {
    dir: PathBuf,
    segments: Vec<(u64, PathBuf)>,
    /// The loaded segment (index into `segments`) and its cursor.
    current: Option<(usize, SegmentCursor)>,
}

impl Playback {
    /// Opens a recording directory (reads nothing but the file list).
    ///
    /// # Errors
    /// [`ReplayError::Empty`] without segments; I/O failures.
    pub fn open(dir: &Path) -> Result<Playback> {
        Ok(Playback {
            dir: dir.to_path_buf(),
            segments: list_recording(dir)?,
            current: None,
        })
    }

    fn relist(&mut self) -> Result<()> {
        let segments = list_recording(&self.dir)?;
        // Retention may have deleted older files: keep the cursor only if its file is listed.
        if let Some((i, _)) = &self.current {
            let keep = self
                .segments
                .get(*i)
                .and_then(|(t, _)| segments.iter().position(|(u, _)| u == t));
            match keep {
                Some(j) => {
                    if let Some((i, _)) = self.current.as_mut() {
                        *i = j;
                    }
                }
                None => self.current = None,
            }
        }
        self.segments = segments;
        Ok(())
    }

    /// First and last recorded tick, re-reading the directory (a live recording grows). Reads
    /// only the newest segment; a record still being written at its end is not counted.
    ///
    /// # Errors
    /// An empty directory, a newest segment that cannot be opened.
    pub fn range(&mut self) -> Result<(u64, u64)> {
        self.relist()?;
        let first = self.segments[0].0;
        let (start, path) = &self.segments[self.segments.len() - 1];
        let mut reader = SegmentReader::open(path)?;
        let mut last = *start;
        while let Ok(Some(rec)) = reader.next_record() {
            if let Record::Tick(t) = rec {
                last = t.tick;
            }
        }
        Ok((first, last))
    }

    /// The world at `tick`. Moving forward within a segment costs one world tick per tick;
    /// anything else restores the nearest earlier snapshot first.
    ///
    /// # Errors
    /// [`ReplayError::OutOfRange`] for ticks not (or no longer) recorded; corrupt, truncated
    /// or non-contiguous segments, naming the file and tick.
    pub fn seek(&mut self, tick: u64) -> Result<&GameWorld> {
        let mut index = self.segments.iter().rposition(|(t, _)| *t <= tick);
        if index.is_none_or(|i| i + 1 == self.segments.len()) {
            self.relist()?;
            index = self.segments.iter().rposition(|(t, _)| *t <= tick);
        }
        let Some(index) = index else {
            return Err(ReplayError::OutOfRange {
                tick,
                first: self.segments[0].0,
                last: u64::MAX,
            });
        };
        let reusable =
            matches!(&self.current, Some((i, c)) if *i == index && c.world.time() <= tick);
        if !reusable {
            self.current = None;
            let cursor = SegmentCursor::open(&self.segments[index].1)?;
            self.current = Some((index, cursor));
        }
        let Some((_, cursor)) = self.current.as_mut() else {
            return Err(ReplayError::Empty(self.dir.clone()));
        };
        match cursor.advance_to(tick) {
            Ok(true) => {}
            Ok(false) => {
                let last = cursor.world.time();
                return Err(ReplayError::OutOfRange {
                    tick,
                    first: self.segments[0].0,
                    last,
                });
            }
            Err(e) => {
                // The reader may stand inside a half-read record: start over next time.
                self.current = None;
                return Err(e);
            }
        }
        if let Some((i, c)) = self.current.as_mut() {
            // At a segment's snapshot the intents that led there close the previous segment.
            if c.last_tick.is_none() && *i > 0 && c.world.time() == self.segments[*i].0 {
                c.last_tick = closing_tick(&self.segments[*i - 1].1, tick);
            }
        }
        match &self.current {
            Some((_, c)) => Ok(c.world()),
            None => Err(ReplayError::Empty(self.dir.clone())),
        }
    }

    /// The world the last successful `seek` reached.
    pub fn current_world(&self) -> Option<&GameWorld> {
        self.current.as_ref().map(|(_, c)| c.world())
    }

    /// The intents of the tick that produced the state of the last successful `seek` (none
    /// when that state is a segment's opening snapshot).
    pub fn last_intents(&self) -> Option<&IntentBatch> {
        self.current
            .as_ref()
            .and_then(|(_, c)| c.last_tick.as_ref())
            .map(|t| &t.intents)
    }

    /// The whole record of that tick: intents, hashes, CPU and analysis notes (none at a
    /// segment's opening snapshot).
    pub fn last_tick(&self) -> Option<&crate::TickEntry> {
        self.current
            .as_ref()
            .and_then(|(_, c)| c.last_tick.as_ref())
    }

    /// The CPU each player used in that tick, in microseconds (empty when not recorded).
    pub fn last_cpu_us(&self) -> &[(PlayerId, u64)] {
        self.current
            .as_ref()
            .and_then(|(_, c)| c.last_tick.as_ref())
            .map_or(&[], |t| &t.cpu_us)
    }
}

/// The intents recorded for `tick` in the segment at `path` (display only: a damaged
/// segment just yields none).
fn closing_tick(path: &Path, tick: u64) -> Option<TickEntry> {
    let mut reader = SegmentReader::open(path).ok()?;
    while let Ok(Some(rec)) = reader.next_record() {
        if let Record::Tick(t) = rec {
            if t.tick == tick {
                return Some(t);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recorder::{Recorder, RecorderOptions};
    use crate::segment::list_segments;
    use isoshard_world::{GameWorld, WorldConfig};

    fn record(dir: &Path, ticks: u64) -> Vec<isoshard_world::StateHash> {
        record_with(dir, ticks, None)
    }

    fn record_with(
        dir: &Path,
        ticks: u64,
        retention_segments: Option<usize>,
    ) -> Vec<isoshard_world::StateHash> {
        record_kept(dir, ticks, retention_segments, None)
    }

    fn record_kept(
        dir: &Path,
        ticks: u64,
        retention_segments: Option<usize>,
        retention_bytes: Option<u64>,
    ) -> Vec<isoshard_world::StateHash> {
        let mut world = GameWorld::new(WorldConfig {
            seed: 7,
            width: 2,
            height: 2,
        })
        .unwrap();
        world.add_player("a").unwrap();
        let mut rec = Recorder::start(
            dir,
            &world,
            RecorderOptions {
                segment_ticks: 10,
                retention_segments,
                retention_bytes,
            },
        )
        .unwrap();
        let mut hashes = vec![world.state_hash()];
        for _ in 0..ticks {
            let intents = IntentBatch::new();
            let out = world.tick(&intents);
            rec.tick(&world, &intents, &out, &[], &Default::default())
                .unwrap();
            hashes.push(out.state_hash);
        }
        hashes
    }

    #[test]
    fn a_newest_segment_torn_before_its_header_is_skipped_by_readers() {
        let dir = tempfile::tempdir().unwrap();
        let hashes = record(dir.path(), 25);
        // SIGKILL between creating the next segment file and writing its 16-byte header.
        let torn = dir.path().join(crate::segment::segment_name(30));
        std::fs::write(&torn, b"ISR").unwrap();
        let report = crate::Recording::open(dir.path())
            .unwrap()
            .verify(None, None, 2, &|_| {})
            .unwrap();
        assert!(report.divergence.is_none());
        assert_eq!(report.ticks_verified, 25);
        let mut p = Playback::open(dir.path()).unwrap();
        assert_eq!(p.seek(25).unwrap().state_hash(), hashes[25]);
        // A short file that is not the newest is corruption, not a segment being created.
        std::fs::remove_file(&torn).unwrap();
        let oldest = list_segments(dir.path()).unwrap()[0].1.clone();
        std::fs::write(&oldest, b"ISR").unwrap();
        assert!(crate::Recording::open(dir.path())
            .and_then(|r| r.verify(None, None, 2, &|_| {}))
            .is_err());
    }

    #[test]
    fn seeks_forward_backward_and_across_segments_match_the_live_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let hashes = record(dir.path(), 35);
        let mut p = Playback::open(dir.path()).unwrap();
        assert_eq!(p.range().unwrap(), (0, 35));
        for t in [0u64, 1, 2, 9, 10, 11, 34, 35, 3, 20, 19, 21] {
            assert_eq!(
                p.seek(t).unwrap().state_hash(),
                hashes[t as usize],
                "tick {t}"
            );
        }
        assert!(matches!(
            p.seek(36),
            Err(ReplayError::OutOfRange {
                tick: 36,
                last: 35,
                ..
            })
        ));
        // Still usable after the out-of-range request.
        assert_eq!(p.seek(35).unwrap().state_hash(), hashes[35]);
        // Intents that led to a snapshot tick come from the previous segment's last record.
        p.seek(20).unwrap();
        assert!(p.last_intents().is_some());
        p.seek(0).unwrap();
        assert!(
            p.last_intents().is_none(),
            "nothing led to the first snapshot"
        );
    }

    #[test]
    fn retention_deletes_old_segments_and_what_remains_still_verifies_and_plays() {
        let dir = tempfile::tempdir().unwrap();
        let hashes = record_with(dir.path(), 95, Some(3));
        // Segments start at 70, 80 and 90 (the newest one holds ticks 91..=95).
        assert_eq!(list_segments(dir.path()).unwrap().len(), 3);
        let mut p = Playback::open(dir.path()).unwrap();
        assert_eq!(p.range().unwrap(), (70, 95));
        assert!(matches!(p.seek(69), Err(ReplayError::OutOfRange { .. })));
        assert_eq!(p.seek(75).unwrap().state_hash(), hashes[75]);
        let report = crate::Recording::open(dir.path())
            .unwrap()
            .verify(None, None, 2, &|_| {})
            .unwrap();
        assert_eq!(report.ticks_verified, 25);
        assert!(report.divergence.is_none());
    }

    #[test]
    fn a_byte_cap_keeps_the_newest_segments_that_fit_and_never_the_one_being_written() {
        let all = tempfile::tempdir().unwrap();
        record_kept(all.path(), 95, None, None);
        let sizes: Vec<u64> = list_segments(all.path())
            .unwrap()
            .iter()
            .map(|(_, p)| std::fs::metadata(p).unwrap().len())
            .collect();
        // Room for the three newest segments, not four.
        let cap = sizes[sizes.len() - 3..].iter().sum::<u64>() + 1;
        let dir = tempfile::tempdir().unwrap();
        let hashes = record_kept(dir.path(), 95, None, Some(cap));
        let kept = list_segments(dir.path()).unwrap();
        assert_eq!(kept.first().map(|s| s.0), Some(70));
        let mut p = Playback::open(dir.path()).unwrap();
        assert_eq!(p.seek(80).unwrap().state_hash(), hashes[80]);
        // A cap below one segment keeps the newest alone.
        let tiny = tempfile::tempdir().unwrap();
        record_kept(tiny.path(), 95, None, Some(1));
        assert_eq!(list_segments(tiny.path()).unwrap().len(), 1);
    }

    #[test]
    fn keep_ticks_keeps_enough_whole_segments() {
        assert_eq!(RecorderOptions::keep_ticks(None).retention_segments, None);
        assert_eq!(
            RecorderOptions::keep_ticks(Some(1)).retention_segments,
            Some(2)
        );
        assert_eq!(
            RecorderOptions::keep_ticks(Some(100)).retention_segments,
            Some(2)
        );
        assert_eq!(
            RecorderOptions::keep_ticks(Some(101)).retention_segments,
            Some(3)
        );
    }
}
