//! `DATA/shard.marker`: says that a shard lives in this directory and the last tick it
//! committed, outside sled.
//!
//! Without it, a store sled could not read (it drops what fails its log checks, and all that
//! follows) looked like an empty one, and `serve` created a new shard over the old data. With
//! it, an empty or shortened store next to a marker is damage, and the shard refuses to start.
//!
//! The marker is rewritten (temporary file + rename, so it is whole or old) after each durable
//! commit has been flushed. It therefore never names a tick sled has not made durable; after a
//! power cut it may name an older one, which is not an error.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::record::Problem;

/// The marker's file name inside the data directory.
pub const MARKER_FILE: &str = "shard.marker";

const HEADER: &str = "isoshard shard marker v1";

/// What the marker says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker {
    /// The last tick known to be committed durably.
    pub committed: u64,
}

pub(crate) fn path(dir: &Path) -> PathBuf {
    dir.join(MARKER_FILE)
}

fn body(committed: u64) -> String {
    format!("{HEADER}\ncommitted {committed}\n")
}

/// Reads the marker: `None` when there is none.
pub(crate) fn read(dir: &Path) -> Result<Option<Marker>, Problem> {
    let file = path(dir);
    let text = match std::fs::read(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    };
    parse(&text).map(Some).ok_or_else(|| {
        format!(
            "{} is damaged (expected \"{HEADER}\", a committed tick and its checksum)",
            file.display()
        )
    })
}

fn parse(text: &[u8]) -> Option<Marker> {
    let text = std::str::from_utf8(text).ok()?;
    let (body_text, sum_line) = text.rsplit_once("crc ")?;
    let sum = u32::from_str_radix(sum_line.trim_end_matches('\n'), 16).ok()?;
    if crc32fast::hash(body_text.as_bytes()) != sum {
        return None;
    }
    let mut lines = body_text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let committed = lines.next()?.strip_prefix("committed ")?.parse().ok()?;
    Some(Marker { committed })
}

/// Writes the marker whole: a temporary file renamed over the old one.
pub(crate) fn write(dir: &Path, marker: Marker) -> std::io::Result<()> {
    let body = body(marker.committed);
    let text = format!("{body}crc {:08x}\n", crc32fast::hash(body.as_bytes()));
    let tmp = dir.join(format!("{MARKER_FILE}.tmp"));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(text.as_bytes())?;
    drop(f);
    std::fs::rename(&tmp, path(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_marker_reads_back_and_a_flipped_byte_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        write(dir.path(), Marker { committed: 1234 }).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(Marker { committed: 1234 }));
        let good = std::fs::read(path(dir.path())).unwrap();
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x04;
            std::fs::write(path(dir.path()), &bad).unwrap();
            let err = read(dir.path()).unwrap_err();
            assert!(err.contains("shard.marker is damaged"), "{err}");
        }
        std::fs::write(path(dir.path()), &good[..good.len() / 2]).unwrap();
        assert!(read(dir.path()).is_err());
    }
}
