//! One segment file: header, then length-prefixed, checksummed records.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{ReplayError, Result};
use crate::record::Record;

/// File magic.
pub const MAGIC: &[u8; 8] = b"ISRPLAY\0";
/// Format version written by this build.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: u64 = 16;
/// Largest record accepted when reading (a corrupt length never allocates gigabytes).
const MAX_RECORD: u32 = 256 << 20;

pub(crate) fn segment_name(first_tick: u64) -> String {
    format!("segment-{first_tick:012}.isr")
}

pub(crate) fn first_tick_of(path: &Path) -> Option<u64> {
    let name = path.file_name()?.to_str()?;
    name.strip_prefix("segment-")?
        .strip_suffix(".isr")?
        .parse()
        .ok()
}

/// Appends records to one segment.
pub(crate) struct SegmentWriter {
    out: BufWriter<File>,
    pub(crate) path: PathBuf,
}

impl SegmentWriter {
    pub(crate) fn create(path: PathBuf) -> Result<Self> {
        let io = |source| ReplayError::Io {
            file: path.clone(),
            source,
        };
        let file = File::create(&path).map_err(io)?;
        let mut out = BufWriter::new(file);
        let mut header = Vec::with_capacity(HEADER_LEN as usize);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        out.write_all(&header).map_err(io)?;
        Ok(SegmentWriter { out, path })
    }

    /// Opens an existing segment for appending after truncating it to `valid_len` bytes
    /// (dropping a record torn by a crash).
    pub(crate) fn reopen(path: PathBuf, valid_len: u64) -> Result<Self> {
        let io = |source| ReplayError::Io {
            file: path.clone(),
            source,
        };
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io)?;
        file.set_len(valid_len).map_err(io)?;
        Ok(SegmentWriter {
            out: BufWriter::new(file),
            path,
        })
    }

    pub(crate) fn append(&mut self, record: &Record) -> Result<u64> {
        let payload = rmp_serde::to_vec(record).map_err(|e| ReplayError::Encode(e.to_string()))?;
        let io = |source| ReplayError::Io {
            file: self.path.clone(),
            source,
        };
        let len = u32::try_from(payload.len())
            .map_err(|_| ReplayError::Encode("record over 4 GiB".into()))?;
        self.out.write_all(&len.to_le_bytes()).map_err(io)?;
        self.out
            .write_all(&crc32fast::hash(&payload).to_le_bytes())
            .map_err(io)?;
        self.out.write_all(&payload).map_err(io)?;
        Ok(8 + payload.len() as u64)
    }

    pub(crate) fn flush(&mut self) -> Result<()> {
        let path = self.path.clone();
        self.out
            .flush()
            .map_err(|source| ReplayError::Io { file: path, source })
    }
}

/// Reads records one by one, checking each checksum.
pub(crate) struct SegmentReader {
    input: BufReader<File>,
    pub(crate) path: PathBuf,
    offset: u64,
    pub(crate) last_tick: u64,
}

impl SegmentReader {
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let io = |source| ReplayError::Io {
            file: path.to_path_buf(),
            source,
        };
        let mut input = BufReader::new(File::open(path).map_err(io)?);
        let mut header = [0u8; HEADER_LEN as usize];
        input
            .read_exact(&mut header)
            .map_err(|_| ReplayError::BadMagic {
                file: path.to_path_buf(),
            })?;
        if &header[..8] != MAGIC {
            return Err(ReplayError::BadMagic {
                file: path.to_path_buf(),
            });
        }
        let version = u32::from_le_bytes(header[8..12].try_into().unwrap_or([0; 4]));
        if version != FORMAT_VERSION {
            return Err(ReplayError::UnsupportedVersion {
                file: path.to_path_buf(),
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        Ok(SegmentReader {
            input,
            path: path.to_path_buf(),
            offset: HEADER_LEN,
            last_tick: first_tick_of(path).unwrap_or(0),
        })
    }

    /// Bytes of the file consumed by the records read so far.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// The next record; `None` at a clean end of file.
    pub(crate) fn next_record(&mut self) -> Result<Option<Record>> {
        let start = self.offset;
        let truncated = || ReplayError::Truncated {
            file: self.path.clone(),
            offset: start,
            after_tick: self.last_tick,
        };
        let mut head = [0u8; 8];
        let mut got = 0;
        while got < 8 {
            match self.input.read(&mut head[got..]) {
                Ok(0) if got == 0 => return Ok(None),
                Ok(0) => return Err(truncated()),
                Ok(n) => got += n,
                Err(source) => {
                    return Err(ReplayError::Io {
                        file: self.path.clone(),
                        source,
                    })
                }
            }
        }
        let len = u32::from_le_bytes(head[..4].try_into().unwrap_or([0; 4]));
        let crc = u32::from_le_bytes(head[4..].try_into().unwrap_or([0; 4]));
        if len > MAX_RECORD {
            return Err(ReplayError::Checksum {
                file: self.path.clone(),
                offset: start,
                after_tick: self.last_tick,
            });
        }
        let mut payload = vec![0u8; len as usize];
        self.input
            .read_exact(&mut payload)
            .map_err(|_| truncated())?;
        if crc32fast::hash(&payload) != crc {
            return Err(ReplayError::Checksum {
                file: self.path.clone(),
                offset: start,
                after_tick: self.last_tick,
            });
        }
        self.offset += 8 + len as u64;
        let record: Record = rmp_serde::from_slice(&payload).map_err(|e| ReplayError::Decode {
            file: self.path.clone(),
            offset: start,
            after_tick: self.last_tick,
            message: e.to_string(),
        })?;
        match &record {
            Record::Tick(t) => self.last_tick = t.tick,
            Record::Snapshot(s) => self.last_tick = s.time,
            _ => {}
        }
        Ok(Some(record))
    }
}

/// The segments of a recording, oldest first; [`ReplayError::Empty`] when there are none.
///
/// A newest segment shorter than its header holds no record yet: it is being created (a live
/// shard) or its creation was cut short by a crash (the recorder removes it on resume).
/// Readers skip it rather than call the recording corrupt; a short file anywhere else, or a
/// full header with the wrong magic, is still an error.
pub(crate) fn list_recording(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let mut segments = list_segments(dir)?;
    let newest_unstarted = segments
        .last()
        .is_some_and(|(_, path)| std::fs::metadata(path).is_ok_and(|m| m.len() < HEADER_LEN));
    if newest_unstarted {
        segments.pop();
    }
    if segments.is_empty() {
        return Err(ReplayError::Empty(dir.to_path_buf()));
    }
    Ok(segments)
}

pub(crate) fn list_segments(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let entries = std::fs::read_dir(dir).map_err(|source| ReplayError::Io {
        file: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if let Some(t) = first_tick_of(&p) {
            out.push((t, p));
        }
    }
    out.sort();
    Ok(out)
}
